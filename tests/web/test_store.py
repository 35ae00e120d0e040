"""Storage: migrations, WAL, content-addressed files, one transaction per upload, races."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from jixiao.store import models as m
from jixiao.store.engine import Database, current_revision, database_url
from jixiao.store.ingest import Store, UploadRefused, clean_filename
from jixiao.store.regions import guess_region

from .conftest import EXAMPLES, example

TXT = example("shiyan-jiaoyu-2024.txt")


def _count(store: Store, model) -> int:
    with store.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_migrations_match_the_models(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    assert current_revision(store.db.engine) == "0002"
    with store.db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, m.Base.metadata) == []
    store.db.migrate()  # running again is harmless


def test_sqlite_runs_in_wal_mode(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    db.migrate()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.dispose()


def test_database_url_forms(tmp_path, monkeypatch):
    monkeypatch.delenv("JIXIAO_DATABASE_URL", raising=False)
    assert database_url(None).startswith("sqlite:///") and database_url(None).endswith("/jixiao.db")
    assert database_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert database_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    monkeypatch.setenv("JIXIAO_DATABASE_URL", "postgres://u@h/d")
    assert database_url(None) == "postgresql+psycopg://u@h/d"


def test_ingest_stores_everything_once(store):
    first = store.ingest(TXT.read_bytes(), TXT.name, uploader="王五")
    assert first.created and first.evaluations == 2
    again = store.ingest(TXT.read_bytes(), "renamed.txt")
    assert not again.created and again.document_id == first.document_id
    assert _count(store, m.Document) == 1
    assert _count(store, m.Report) == 1
    assert _count(store, m.Evaluation) == 2
    assert _count(store, m.FundRow) >= 4
    assert _count(store, m.Indicator) > 10
    assert _count(store, m.Finding) == sum(first.findings.values())
    assert _count(store, m.Entity) == 1 and _count(store, m.Year) == 1
    files = [p for p in store.files.root.rglob("*") if p.is_file()]
    assert len(files) == 1
    assert files[0].name == f"{first.sha256}.txt"  # named by content, never by the client
    assert files[0].read_bytes() == TXT.read_bytes()
    with store.db.read() as s:
        doc = s.get(m.Document, first.document_id)
        assert doc.filename == TXT.name and doc.uploader == "王五"
        assert doc.report.data["source"] == TXT.name
        assert doc.report.tables and doc.report.tables[0]["rows"]
        ev = doc.report.evaluations[1]
        assert ev.total_score == 96 and ev.recomputed_total is not None
        finding = doc.report.findings[0]
        assert finding.status == "open" and finding.fingerprint.startswith(first.sha256[:16])
        # locations name the uploaded file, not the stored one
        assert all((f.loc or {}).get("file") in (None, TXT.name) for f in doc.report.findings)


def test_client_file_names_never_reach_the_file_system(store):
    result = store.ingest(b"\xe7\xbb\xa9\xe6\x95\x88\n", "../../etc/passwd")
    assert result.filename == "passwd"
    assert clean_filename("C:\\Users\\a\\报告.docx") == "报告.docx"
    assert clean_filename("\x00\x1f") == "未命名文件"
    assert clean_filename("a" * 300 + ".docx").endswith(".docx")
    assert len(clean_filename("a" * 300 + ".docx")) == 200
    stored = [p for p in store.files.root.rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [f"{result.sha256}.txt"]
    with pytest.raises(ValueError):
        store.files.path("../../etc/passwd")


def test_a_failed_upload_leaves_nothing(store, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(m.Report, "__init__", boom)  # fails inside the transaction
    with pytest.raises(RuntimeError):
        store.ingest(TXT.read_bytes(), TXT.name)
    monkeypatch.undo()
    for model in (m.Document, m.Report, m.Finding, m.Evaluation):
        assert _count(store, model) == 0
    assert not [p for p in store.files.root.rglob("*") if p.is_file()]
    # and the same upload then goes through
    assert store.ingest(TXT.read_bytes(), TXT.name).created


def test_unreadable_files_are_refused_and_not_kept(store):
    with pytest.raises(UploadRefused) as err:
        store.ingest(b"GIF89a....", "a.gif")
    assert err.value.status == 415
    with pytest.raises(UploadRefused) as err:
        store.ingest(b"\x00\x01\x02 binary \x00 stuff" * 10, "a.txt")
    assert err.value.status == 415
    store.max_bytes = 10
    with pytest.raises(UploadRefused) as err:
        store.ingest(b"x" * 11, "a.txt")
    assert err.value.status == 413
    assert _count(store, m.Document) == 0
    assert not store.files.root.exists() or not [
        p for p in store.files.root.rglob("*") if p.is_file()
    ]


def _variant(k: int) -> bytes:
    """A different report each time: the same text with the project renamed."""
    text = TXT.read_text(encoding="utf-8")
    return text.replace("校园安全设施改造提升项目", f"校园安全设施改造提升项目（第{k}批）").encode()


def test_twenty_concurrent_uploads_all_stored_none_duplicated(store):
    datas = [_variant(k) for k in range(20)]
    barrier = threading.Barrier(20)

    def go(k: int):
        barrier.wait()
        return store.ingest(datas[k], f"report-{k}.txt")

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(go, range(20)))
    assert all(r.created for r in results)
    assert len({r.document_id for r in results}) == 20
    assert _count(store, m.Document) == 20
    assert _count(store, m.Entity) == 1  # the same department, created once


def test_the_same_file_uploaded_concurrently_is_stored_once(store):
    data = TXT.read_bytes()
    barrier = threading.Barrier(8)

    def go(k: int):
        barrier.wait()
        return store.ingest(data, f"copy-{k}.txt")

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(go, range(8)))
    assert len({r.document_id for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert _count(store, m.Document) == 1


def test_two_stores_racing_on_one_database(store, tmp_path):
    """Two server processes (two Store objects, no shared lock) and one file."""
    other = Store(Database(store.db.url), store.files)
    data = TXT.read_bytes()
    barrier = threading.Barrier(2)

    def go(s: Store):
        barrier.wait()
        return s.ingest(data, TXT.name)

    with ThreadPoolExecutor(2) as pool:
        a, b = pool.map(go, (store, other))
    assert a.document_id == b.document_id
    assert _count(store, m.Document) == 1
    assert [p for p in store.files.root.rglob("*") if p.is_file()]
    other.db.dispose()


def test_every_format_is_stored(store):
    paths = [
        EXAMPLES / "shiyan-shichang-2023.pdf",
        EXAMPLES / "shiyan-nongye-2022.docx",
        EXAMPLES / "shiyan-jiaoyu-2024.xlsx",
        EXAMPLES / "shiyan-jiaoyu-2024.html",
        EXAMPLES / "shiyan-nongye-2022.tsv.txt",
    ]
    for path in paths:
        assert store.ingest(path.read_bytes(), path.name).created, path.name
    with store.db.read() as s:
        formats = set(s.scalars(select(m.Document.format)))
        assert formats == {"pdf", "docx", "xlsx", "text"}
        assert s.scalar(select(func.count()).select_from(m.Entity)) == 3
        assert s.execute(text("SELECT 1")).scalar() == 1


@pytest.mark.parametrize(
    ("name", "region", "level"),
    [
        ("示例市临江区教育局", "示例市临江区", "区县级"),
        ("示例省青禾县农业农村局", "示例省青禾县", "区县级"),
        ("南昌市政务服务数据管理局", "南昌市", "市级"),
        ("北京市财政局", "北京市", "省级"),
        ("财政局", None, None),
        (None, None, None),
    ],
)
def test_region_guess(name, region, level):
    assert guess_region(name) == (region, level)
