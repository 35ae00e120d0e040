"""Fixtures of the web tests: an app on a fresh database per test, SQLite always and
PostgreSQL too when ``JIXIAO_TEST_DATABASE_URL`` is set (each test in a schema of its own)."""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'jixiao[web]')")

with warnings.catch_warnings():  # newer Starlette prefers httpx2; httpx works the same
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from jixiao.store.engine import Database, database_url
from jixiao.store.files import FileStore
from jixiao.store.ingest import Store
from jixiao.web import Settings, create_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PG_ENV = "JIXIAO_TEST_DATABASE_URL"
ARTIFACTS = Path(__file__).with_name("artifacts")


def example(name: str) -> Path:
    return EXAMPLES / name


def _pg_schema_url(base: str) -> tuple[str, str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    url = database_url(base)
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}", schema


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'jixiao.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server to test against")
    from sqlalchemy import create_engine, text

    url, schema = _pg_schema_url(base)
    admin = create_engine(database_url(base))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Iterator[Store]:
    """The storage layer alone, on a migrated database of each kind."""
    db = Database(db_url)
    db.migrate()
    yield Store(db, FileStore(tmp_path / "files"))
    db.dispose()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url,
        data_dir=tmp_path / "data",
        secret_key="test-secret-key-" + "x" * 32,
    )


@pytest.fixture
def app(settings: Settings):
    application = create_app(settings)
    yield application
    application.state.store.db.dispose()


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def upload(client: TestClient, path: Path, **form: str):
    with path.open("rb") as fh:
        return client.post("/api/documents", files={"file": (path.name, fh)}, data=form)


def csrf_token(client: TestClient) -> str:
    """The form token of the client's session (visiting a page sets the cookie)."""
    import re

    page = client.get("/upload")
    m = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert m, "no CSRF token on the upload page"
    return m.group(1)
