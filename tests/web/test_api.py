"""The JSON API on SQLite, and on PostgreSQL when JIXIAO_TEST_DATABASE_URL is set."""

from __future__ import annotations

import io
import zipfile

from .conftest import example, upload

TXT = example("shiyan-jiaoyu-2024.txt")
MD = example("shiyan-nongye-2022.md")
HTML = example("shiyan-shichang-2023.html")


def test_upload_creates_a_document_with_its_findings(client):
    r = upload(client, TXT, uploader="张三")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["created"] is True
    assert "已保存" in body["message"]
    doc = body["document"]
    assert doc["filename"] == TXT.name
    assert doc["format"] == "text"
    assert doc["uploader"] == "张三"
    assert doc["year"] == 2024
    assert doc["entity"]["name"] == "示例市临江区教育局"
    assert doc["entity"]["region"] == "示例市临江区"  # guessed from the name
    assert doc["entity"]["level"] == "区县级"
    assert doc["evaluations"] == 2
    assert doc["findings"]["error"] >= 1
    assert doc["review"] == {"open": sum(doc["findings"].values()), "accepted": 0, "rejected": 0}
    assert r.headers["location"] == f"/api/documents/{doc['id']}"


def test_the_same_file_twice_is_the_same_document(client):
    first = upload(client, TXT).json()["document"]
    again = upload(client, TXT)
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert again.json()["document"]["id"] == first["id"]
    # the content decides, not the name
    with TXT.open("rb") as fh:
        renamed = client.post("/api/documents", files={"file": ("other-name.txt", fh)})
    assert renamed.status_code == 200
    assert renamed.json()["document"]["id"] == first["id"]
    assert client.get("/api/documents").json()["total"] == 1


def test_unsupported_and_broken_files_are_refused_clearly(client):
    png = client.post(
        "/api/documents", files={"file": ("report.docx", b"\x89PNG\r\n\x1a\n" + b"0" * 100)}
    )
    assert png.status_code == 415
    assert "PNG 图片" in png.json()["detail"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    zipped = client.post("/api/documents", files={"file": ("a.zip", buf.getvalue())})
    assert zipped.status_code == 415
    assert "ZIP" in zipped.json()["detail"]
    old = client.post(
        "/api/documents",
        files={"file": ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)},
    )
    assert old.status_code == 415
    assert ".docx" in old.json()["detail"]
    broken = client.post("/api/documents", files={"file": ("a.docx", b"PK\x03\x04broken")})
    assert broken.status_code == 422
    assert "损坏" in broken.json()["detail"]
    empty = client.post("/api/documents", files={"file": ("a.txt", b"  \n")})
    assert empty.status_code == 422
    assert "空" in empty.json()["detail"]
    # nothing of them was kept
    assert client.get("/api/documents").json()["total"] == 0
    root = client.app.state.store.files.root
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


def test_upload_size_limit(client):
    store = client.app.state.store
    store.max_bytes = 1000
    data = TXT.read_bytes()
    assert len(data) > 1000
    r = client.post("/api/documents", files={"file": (TXT.name, data)})
    assert r.status_code == 413
    assert "过大" in r.json()["detail"]


def test_request_body_limit_refuses_before_reading(client):
    limit = client.app.state.settings.max_upload_bytes
    r = client.post(
        "/api/documents",
        content=b"x" * 10,
        headers={
            "content-length": str(limit + 2 * 1024 * 1024),
            "content-type": "multipart/form-data; boundary=x",
        },
    )
    assert r.status_code == 413


def test_list_filters_and_search(client):
    for path in (TXT, MD, HTML):
        assert upload(client, path).status_code == 201
    docs = client.get("/api/documents").json()
    assert docs["total"] == 3
    by_year = client.get("/api/documents", params={"year": 2022}).json()
    assert [d["filename"] for d in by_year["items"]] == [MD.name]
    region = client.get("/api/documents", params={"region": "示例市云岭区"}).json()
    assert [d["filename"] for d in region["items"]] == [HTML.name]
    kind = client.get("/api/documents", params={"kind": "expert_panel"}).json()
    assert [d["filename"] for d in kind["items"]] == [MD.name]
    search = client.get("/api/documents", params={"q": "校园安全"}).json()  # a project name
    assert [d["filename"] for d in search["items"]] == [TXT.name]
    entity_id = region["items"][0]["entity"]["id"]
    by_entity = client.get("/api/documents", params={"entity": entity_id}).json()
    assert by_entity["total"] == 1
    with_errors = client.get("/api/documents", params={"has_errors": True}).json()
    assert with_errors["total"] == 3
    paged = client.get("/api/documents", params={"limit": 2, "offset": 2}).json()
    assert paged["total"] == 3 and len(paged["items"]) == 1
    assert client.get("/api/documents", params={"q": "%"}).json()["total"] == 0


def test_get_document_report_and_findings(client):
    doc = upload(client, TXT).json()["document"]
    detail = client.get(f"/api/documents/{doc['id']}").json()
    assert len(detail["evaluation_details"]) == 2
    ev = detail["evaluation_details"][1]
    assert ev["kind"] == "project_self"
    assert ev["total_score"] == 96
    assert ev["recomputed_total"] is not None
    assert ev["rate"] is not None
    report = client.get(detail["report_url"]).json()
    assert report["source"] == TXT.name
    assert report["entity"] == "示例市临江区教育局"
    assert [e["kind"] for e in report["evaluations"]] == ["department_self", "project_self"]
    findings = client.get(detail["findings_url"]).json()
    assert findings["total"] == sum(doc["findings"].values())
    first = findings["items"][0]
    assert first["status"] == "open"
    assert first["fingerprint"].startswith(doc["sha256"][:16] + ":")
    assert first["url"].startswith(f"/documents/{doc['id']}#finding-")
    errors = client.get(detail["findings_url"], params={"severity": "error"}).json()
    assert errors["total"] == doc["findings"]["error"]
    original = client.get(detail["file_url"])
    assert original.status_code == 200
    assert original.content == TXT.read_bytes()
    assert "attachment" in original.headers["content-disposition"]


def test_review_a_finding(client):
    doc = upload(client, TXT).json()["document"]
    finding = client.get(f"/api/documents/{doc['id']}/findings").json()["items"][0]
    r = client.patch(
        f"/api/findings/{finding['id']}",
        json={"status": "accepted", "comment": "请单位更正", "reviewer": "李四"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "accepted"
    assert body["comment"] == "请单位更正"
    assert body["reviewed_by"] == "李四"
    assert body["reviewed_at"] is not None
    assert client.get(f"/api/findings/{finding['id']}").json()["status"] == "accepted"
    summary = client.get(f"/api/documents/{doc['id']}").json()["review"]
    assert summary["accepted"] == 1
    rejected = client.patch(f"/api/findings/{finding['id']}", json={"status": "rejected"}).json()
    assert rejected["status"] == "rejected"
    after = client.get(f"/api/documents/{doc['id']}").json()
    assert after["review"]["rejected"] == 1
    # a rejected finding is not counted as a problem
    assert sum(after["findings"].values()) == sum(doc["findings"].values()) - 1
    listed = client.get("/api/findings", params={"status": "rejected"}).json()
    assert [f["id"] for f in listed["items"]] == [finding["id"]]
    reopened = client.patch(f"/api/findings/{finding['id']}", json={"status": "open"}).json()
    assert reopened["status"] == "open" and reopened["reviewed_at"] is None
    # the history keeps every change
    from sqlalchemy import select

    from jixiao.store.models import Review

    with client.app.state.store.db.read() as s:
        history = s.scalars(select(Review.status).where(Review.finding_id == finding["id"]))
        assert list(history) == ["accepted", "rejected", "open"]


def test_review_refuses_bad_input(client):
    doc = upload(client, TXT).json()["document"]
    finding = client.get(f"/api/documents/{doc['id']}/findings").json()["items"][0]
    bad = client.patch(f"/api/findings/{finding['id']}", json={"status": "maybe"})
    assert bad.status_code == 422
    assert "参数有误" in bad.json()["detail"]
    missing = client.patch("/api/findings/999999", json={"status": "accepted"})
    assert missing.status_code == 404
    assert missing.json()["detail"] == "问题不存在"


def test_writes_from_another_site_are_refused(client):
    doc = upload(client, TXT).json()["document"]
    finding = client.get(f"/api/documents/{doc['id']}/findings").json()["items"][0]
    r = client.patch(
        f"/api/findings/{finding['id']}",
        json={"status": "accepted"},
        headers={"Origin": "http://evil.example"},
    )
    assert r.status_code == 403
    r = client.post(
        "/api/documents",
        files={"file": ("a.txt", b"hello")},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert r.status_code == 403
    same = client.patch(
        f"/api/findings/{finding['id']}",
        json={"status": "accepted"},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert same.status_code == 200


def test_entities_and_stats(client):
    for path in (TXT, MD):
        upload(client, path)
    entities = client.get("/api/entities").json()
    assert {e["name"] for e in entities} == {"示例市临江区教育局", "示例省青禾县农业农村局"}
    target = next(e for e in entities if e["name"] == "示例省青禾县农业农村局")
    assert target["documents"] == 1 and target["errors"] >= 1
    patched = client.patch(
        f"/api/entities/{target['id']}", json={"region": "示例省", "level": "省级"}
    )
    assert patched.json() == {**patched.json(), "region": "示例省", "level": "省级"}
    stats = client.get("/api/stats").json()
    assert stats["documents"] == 2
    assert stats["evaluations"] == 4
    assert stats["scatter"] and all("printed" in p and "recomputed" in p for p in stats["scatter"])
    assert sum(b["count"] for b in stats["rate_bins"]) == stats["rates"]
    assert "funds" in stats["by_family"] or "scores" in stats["by_family"]
    assert {r["region"] for r in stats["by_region_year"]} == {"示例市临江区", "示例省"}
    assert stats["top_entities"][0]["errors"] >= stats["top_entities"][-1]["errors"]
    only = client.get("/api/stats", params={"year": 2022}).json()
    assert only["documents"] == 1


def test_delete_document(client):
    doc = upload(client, TXT).json()["document"]
    store = client.app.state.store
    assert list(store.files.root.rglob("*.txt"))
    assert client.delete(f"/api/documents/{doc['id']}").status_code == 204
    assert client.get(f"/api/documents/{doc['id']}").status_code == 404
    assert not list(store.files.root.rglob("*.txt"))
    assert client.delete(f"/api/documents/{doc['id']}").status_code == 404


def test_openapi_and_docs(client):
    spec = client.get("/api/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/api/documents",
        "/api/documents/{document_id}",
        "/api/documents/{document_id}/report",
        "/api/documents/{document_id}/findings",
        "/api/findings/{finding_id}",
    ):
        assert path in paths
    assert "patch" in paths["/api/findings/{finding_id}"]
    assert "post" in paths["/api/documents"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "https://" not in docs.text and "http://" not in docs.text  # no CDN
    assert "/static/swagger-ui-bundle.js" in docs.text or "make web-assets" in docs.text
    assert client.get("/api/health").json()["ok"] is True


def test_not_found_is_json_on_the_api(client):
    r = client.get("/api/documents/12345")
    assert r.status_code == 404
    assert r.json() == {"detail": "文档不存在"}
    assert client.get("/api/documents/12345/report").status_code == 404
    assert client.get("/api/documents/12345/file").status_code == 404


def test_a_streamed_body_is_cut_at_the_limit(settings):
    from fastapi.testclient import TestClient

    from jixiao.web import create_app

    settings.max_upload_bytes = 1000
    app = create_app(settings)

    def chunks():
        yield b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
        for _ in range(40):
            yield b"0" * 65536

    with TestClient(app) as client:
        r = client.post(
            "/api/documents",
            content=chunks(),
            headers={"content-type": "multipart/form-data; boundary=x"},
        )
        assert r.status_code == 413
        assert "过大" in r.json()["detail"]
        assert client.get("/api/documents").json()["total"] == 0
    app.state.store.db.dispose()
