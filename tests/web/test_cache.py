"""Cached figures (dashboard, filter choices, list pages) and the data version that
invalidates them: every write raises it, and a value is served only at the version it was
computed at, by whichever process wrote. SQLite, and PostgreSQL when set."""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from jixiao.store import models as m
from jixiao.store import queries as q
from jixiao.store.cache import DataCache, bump_version, data_version
from jixiao.store.engine import Database, alembic_config, current_revision, migrate
from jixiao.store.ingest import Store
from jixiao.web import create_app

from .conftest import TestClient, example, upload

TXT = example("shiyan-jiaoyu-2024.txt")
MD = example("shiyan-nongye-2022.md")


def _version(store: Store) -> int | None:
    with store.db.read() as s:
        return data_version(s)


def _kpi(page: str, label: str) -> int:
    """A number of the dashboard's key figures (``<b>12</b><span>文档</span>``)."""
    m_ = re.search(rf"<b>(-?\d+)</b><span>{label}</span>", page)
    assert m_, label
    return int(m_.group(1))


def test_every_write_raises_the_data_version(store):
    assert _version(store) == 0
    doc = store.ingest(TXT.read_bytes(), TXT.name)
    assert _version(store) == 1
    store.ingest(TXT.read_bytes(), "again.txt")  # already stored: nothing written
    assert _version(store) == 1
    with store.db.read() as s:
        finding = s.scalars(select(m.Finding.id)).first()
        entity = s.scalars(select(m.Entity.id)).first()
    assert store.set_review(finding, "accepted", reviewer="李四") is not None
    assert _version(store) == 2
    assert store.update_entity(entity, region="某地", level="市级") is not None
    assert _version(store) == 3
    assert store.delete_document(doc.document_id)
    assert _version(store) == 4
    # what does not exist changes nothing
    assert store.set_review(999999, "accepted") is None
    assert not store.delete_document(999999)
    assert _version(store) == 4


def test_a_failed_write_does_not_raise_it(store):
    store.ingest(TXT.read_bytes(), TXT.name)
    with pytest.raises(RuntimeError), store.db.write() as s:
        bump_version(s)
        raise RuntimeError("rolled back")
    assert _version(store) == 1


def test_dashboard_and_stats_follow_uploads_and_reviews(client):
    empty = client.get("/api/stats").json()
    assert empty["documents"] == 0
    assert _kpi(client.get("/dashboard").text, "文档") == 0

    first = upload(client, TXT).json()["document"]
    stats = client.get("/api/stats").json()
    assert stats["documents"] == 1  # not the cached empty figures
    page = client.get("/dashboard").text
    assert _kpi(page, "文档") == 1
    errors = _kpi(page, "错误")
    assert errors == stats["findings"]["error"] > 0
    assert client.get("/api/stats").json() == stats  # served again, unchanged

    upload(client, MD)
    assert client.get("/api/stats").json()["documents"] == 2
    assert _kpi(client.get("/dashboard").text, "文档") == 2
    errors = client.get("/api/stats").json()["findings"]["error"]

    items = client.get(
        f"/api/documents/{first['id']}/findings", params={"severity": "error"}
    ).json()["items"]
    assert client.patch(f"/api/findings/{items[0]['id']}", json={"status": "accepted"}).is_success
    stats = client.get("/api/stats").json()
    assert stats["review"]["accepted"] == 1
    assert _kpi(client.get("/dashboard").text, "已接受") == 1
    # a rejected finding no longer counts: the figures drop at once
    assert client.patch(f"/api/findings/{items[1]['id']}", json={"status": "rejected"}).is_success
    stats = client.get("/api/stats").json()
    assert stats["findings"]["error"] == errors - 1
    assert stats["review"]["rejected"] == 1
    page = client.get("/dashboard").text
    assert _kpi(page, "错误") == errors - 1 and _kpi(page, "已驳回") == 1


def test_list_pages_follow_reviews_uploads_and_deletions(client):
    doc = upload(client, TXT).json()["document"]
    assert client.get("/api/findings", params={"status": "accepted"}).json()["total"] == 0
    assert "没有符合条件的问题" in client.get("/findings", params={"status": "accepted"}).text
    assert client.get("/api/documents").json()["items"][0]["review"]["accepted"] == 0
    finding = client.get("/api/findings").json()["items"][0]
    client.patch(f"/api/findings/{finding['id']}", json={"status": "accepted"})
    assert client.get("/api/documents").json()["items"][0]["review"]["accepted"] == 1
    accepted = client.get("/api/findings", params={"status": "accepted"}).json()
    assert [f["id"] for f in accepted["items"]] == [finding["id"]]
    assert f"frow-{finding['id']}" in client.get("/findings", params={"status": "accepted"}).text

    assert client.get("/api/documents").json()["total"] == 1
    assert "共 1 条" in client.get("/documents").text
    other = upload(client, MD).json()["document"]
    assert client.get("/api/documents").json()["total"] == 2
    assert "共 2 条" in client.get("/documents").text
    assert "shiyan-nongye-2022.md" in client.get("/evaluations").text
    assert client.delete(f"/api/documents/{other['id']}").status_code == 204
    assert "共 1 条" in client.get("/documents").text
    assert "shiyan-nongye-2022.md" not in client.get("/evaluations").text
    assert client.get("/api/documents").json()["items"][0]["id"] == doc["id"]


def test_entity_changes_reach_the_dashboard_and_the_filters(client):
    upload(client, TXT)
    page = client.get("/dashboard").text
    assert "新区域甲" not in page
    entity = client.get("/api/entities").json()[0]
    r = client.patch(f"/api/entities/{entity['id']}", json={"region": "新区域甲", "level": "市级"})
    assert r.status_code == 200
    stats = client.get("/api/stats").json()
    assert {row["region"] for row in stats["by_region_year"]} == {"新区域甲"}
    assert stats["top_entities"][0]["region"] == "新区域甲"
    assert '<option value="新区域甲"' in client.get("/documents").text  # the filter choices


def test_two_servers_on_one_database_see_each_others_writes(settings):
    """Two worker processes: two apps, each with its own cache, sharing the database."""
    a, b = create_app(settings), create_app(settings)
    try:
        with TestClient(a) as ca, TestClient(b) as cb:
            assert ca.get("/api/stats").json()["documents"] == 0
            assert "共 0 条" in ca.get("/documents").text
            doc = upload(cb, TXT).json()["document"]
            assert ca.get("/api/stats").json()["documents"] == 1
            assert "共 1 条" in ca.get("/documents").text
            finding = ca.get(f"/api/documents/{doc['id']}/findings").json()["items"][0]
            assert ca.get("/api/stats").json()["review"]["accepted"] == 0
            cb.patch(f"/api/findings/{finding['id']}", json={"status": "accepted"})
            assert ca.get("/api/stats").json()["review"]["accepted"] == 1
    finally:
        a.state.store.db.dispose()
        b.state.store.db.dispose()


def test_cached_figures_are_the_computed_ones(client):
    upload(client, TXT)
    upload(client, MD)
    store = client.app.state.store
    for params in ({}, {"year": 2022}, {"region": "示例市临江区"}, {"kind": "project_self"}):
        cached = [client.get("/api/stats", params=params).json() for _ in range(2)]
        with store.db.read() as s:
            fresh = q.stats(s, q.DocFilter(**params))
        assert cached[0] == cached[1] == client.get("/api/stats", params=params).json()
        assert cached[0]["documents"] == fresh["documents"]
        assert cached[0]["findings"] == fresh["findings"]
        assert cached[0]["by_family"] == fresh["by_family"]
        assert cached[0]["top_entities"] == fresh["top_entities"]
    assert store.dashboard_cache.hits > 0


def test_data_cache_keeps_one_version(store):
    cache = DataCache(max_entries=2)
    calls: list[str] = []

    def value(name: str):
        calls.append(name)
        return name.upper()

    with store.db.read() as s:
        assert cache.get(s, "a", lambda: value("a")) == "A"
        assert cache.get(s, "a", lambda: value("a")) == "A"
    assert calls == ["a"]
    store.ingest(TXT.read_bytes(), TXT.name)  # a newer version: everything is stale
    with store.db.read() as s:
        assert cache.get(s, "a", lambda: value("a")) == "A"
        cache.get(s, "b", lambda: value("b"))
        cache.get(s, "c", lambda: value("c"))  # at most two: "a" goes
        cache.get(s, "a", lambda: value("a"))
    assert calls == ["a", "a", "b", "c", "a"]
    # a session reading an older version (a slow request) computes, and keeps nothing
    old = DataCache()
    with store.db.read() as s:
        s.info["jixiao_data_version"] = 0
        old._version = 5
        assert old.get(s, "x", lambda: value("x")) == "X"
        assert old.get(s, "x", lambda: value("x")) == "X"
    assert calls[-2:] == ["x", "x"]


def test_concurrent_requests_compute_a_value_once(store):
    cache = DataCache()
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def compute(fail: bool = False) -> str:
        calls.append(1)
        started.set()
        release.wait(10)
        if fail:
            raise RuntimeError("failed")
        return "value"

    def get(fail: bool = False) -> str:
        with store.db.read() as s:
            return cache.get(s, "k", lambda: compute(fail))

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(get)
        assert started.wait(10)
        others = [pool.submit(get) for _ in range(3)]
        time.sleep(0.3)  # they wait for the first
        assert len(calls) == 1
        release.set()
        assert first.result() == "value"
        assert [f.result() for f in others] == ["value"] * 3
    assert len(calls) == 1

    # the one computing fails: the others compute for themselves
    store.ingest(TXT.read_bytes(), TXT.name)
    started.clear()
    release.clear()
    calls.clear()
    with ThreadPoolExecutor(3) as pool:
        failing = pool.submit(get, True)
        assert started.wait(10)
        others = [pool.submit(get) for _ in range(2)]
        time.sleep(0.3)
        release.set()
        with pytest.raises(RuntimeError):
            failing.result()
        assert [f.result() for f in others] == ["value"] * 2
    assert len(calls) in (2, 3)  # one waiter may have started before the other stored


def test_without_a_version_row_nothing_is_cached(store):
    with store.db.write() as s:
        s.execute(text("DELETE FROM data_version"))
    cache = DataCache()
    n = []
    for _ in range(2):
        with store.db.read() as s:
            cache.get(s, "k", lambda: n.append(1))
    assert len(n) == 2


def test_migration_0002_upgrades_and_downgrades(db_url):
    from alembic import command

    db = Database(db_url)
    try:
        migrate(db.engine, "0001")
        assert current_revision(db.engine) == "0001"
        migrate(db.engine)
        assert current_revision(db.engine) == "0002"
        with db.read() as s:
            assert data_version(s) == 0
        cfg = alembic_config(db.engine)
        with db.engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0001")
            conn.commit()
        assert current_revision(db.engine) == "0001"
        migrate(db.engine)
        assert current_revision(db.engine) == "0002"
    finally:
        db.dispose()


def test_evaluations_can_be_searched(client):
    """The search of the evaluations list (it used to fail: its subquery lost its table)."""
    upload(client, TXT)
    upload(client, MD)
    page = client.get("/evaluations", params={"q": "临江"})
    assert page.status_code == 200
    assert "shiyan-jiaoyu-2024.txt" in page.text and "shiyan-nongye-2022.md" not in page.text
    assert client.get("/evaluations", params={"q": "不存在的单位"}).status_code == 200


def test_long_pages_keep_their_order(client):
    """Lists fetch the ids of a page first, then their rows: in the same order, in chunks."""
    upload(client, TXT)
    upload(client, MD)
    store = client.app.state.store
    with store.db.read() as s:
        old_chunk = q._IN_CHUNK
        try:
            q._IN_CHUNK = 3
            total, rows = q.list_findings(s, q.FindingFilter(), limit=1000)
            _, docs = q.list_documents(s, q.DocFilter(), sort="filename", limit=1000)
            _, evs = q.list_evaluations(s, q.DocFilter(), limit=1000)
        finally:
            q._IN_CHUNK = old_chunk
        assert len(rows) == total == s.scalar(select(func.count()).select_from(m.Finding))
    rank = {"error": 0, "warning": 1, "info": 2}
    keys = [(rank[r.finding.severity], -r.document.id, r.finding.position) for r in rows]
    assert keys == sorted(keys)
    assert [d.document.filename for d in docs] == sorted(d.document.filename for d in docs)
    inflation = [e.inflation if e.inflation is not None else -1000 for e in evs]
    assert inflation == sorted(inflation, reverse=True)
    api = client.get("/api/findings", params={"limit": 1000}).json()["items"]
    assert [f["id"] for f in api] == [r.finding.id for r in rows]
