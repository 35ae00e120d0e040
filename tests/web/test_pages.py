"""The server-rendered pages: Chinese, escaped, CSRF-protected forms, exports.

On SQLite only: the queries behind them are the API's, which run on PostgreSQL as well."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from jixiao.web import Settings, create_app

from .conftest import TestClient, csrf_token, example, upload

TXT = example("shiyan-jiaoyu-2024.txt")
MD = example("shiyan-nongye-2022.md")


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'jixiao.db'}"


@pytest.fixture
def loaded(client):
    ids = [upload(client, p).json()["document"]["id"] for p in (TXT, MD)]
    return client, ids


def test_pages_render_in_chinese(loaded):
    client, ids = loaded
    for path, words in {
        "/documents": ["文档", "shiyan-jiaoyu-2024.txt", "示例市临江区教育局"],
        "/upload": ["上传报告", "拖放"],
        "/findings": ["问题", "表列值"],
        "/evaluations": ["自评总分", "复算总分"],
        "/entities": ["单位", "示例省青禾县农业农村局"],
        "/dashboard": ["自评总分与复算总分", "预算执行率分布", "错误最多的单位"],
        f"/documents/{ids[0]}": ["项目支出绩效自评表", "接受", "驳回"],
    }.items():
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        for word in words:
            assert word in r.text, (path, word)
        assert "Content-Security-Policy" in r.headers
        assert 'src="http' not in r.text and 'href="http' not in r.text  # nothing from a CDN
    assert client.get("/").status_code in (200, 302)


def test_document_view_highlights_the_faulty_cells(loaded):
    client, ids = loaded
    page = client.get(f"/documents/{ids[0]}").text
    assert re.search(r'<td id="d0-t\d+-r\d+-c\d+" class="hl error"', page)
    # every finding is beside its table with a review form and a link to its cell
    cards = re.findall(
        r'<article class="finding (\w+) (\w+)" id="finding-(\d+)" data-cell="([^"]*)"', page
    )
    assert cards and all(status == "open" for _, status, _, _ in cards)
    linked = [cell for *_, cell in cards if cell]
    assert linked and all(f'id="{cell}"' in page for cell in linked)
    assert page.count('action="/findings/') == len(cards)


def test_review_form_needs_a_csrf_token(loaded):
    client, ids = loaded
    finding = client.get(f"/api/documents/{ids[0]}/findings").json()["items"][0]
    no_token = client.post(f"/findings/{finding['id']}/review", data={"status": "accepted"})
    assert no_token.status_code == 403
    assert "CSRF" in no_token.text
    token = csrf_token(client)
    forged = client.post(
        f"/findings/{finding['id']}/review", data={"status": "accepted", "csrf_token": "0" * 64}
    )
    assert forged.status_code == 403
    ok = client.post(
        f"/findings/{finding['id']}/review",
        data={"status": "accepted", "csrf_token": token, "comment": "已核实", "reviewer": "赵六"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert ok.headers["location"] == f"/documents/{ids[0]}#finding-{finding['id']}"
    after = client.get(f"/api/findings/{finding['id']}").json()
    assert (after["status"], after["comment"], after["reviewed_by"]) == (
        "accepted",
        "已核实",
        "赵六",
    )
    page = client.get(f"/documents/{ids[0]}").text
    assert f'class="finding {finding["severity"]} accepted" id="finding-{finding["id"]}"' in page
    assert 'value="赵六"' in page  # the reviewer's name is remembered
    # a rejected finding is no longer highlighted
    client.post(
        f"/findings/{finding['id']}/review",
        data={"status": "rejected", "csrf_token": token, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert client.get(f"/api/findings/{finding['id']}").json()["status"] == "rejected"


def test_open_redirects_are_not_followed(loaded):
    client, ids = loaded
    finding = client.get(f"/api/documents/{ids[0]}/findings").json()["items"][0]
    token = csrf_token(client)
    for bad in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        r = client.post(
            f"/findings/{finding['id']}/review",
            data={"status": "open", "csrf_token": token, "next": bad},
            follow_redirects=False,
        )
        assert r.headers["location"].startswith(f"/documents/{ids[0]}#")


def test_upload_form_with_several_files(client):
    token = csrf_token(client)
    files = [
        ("files", (TXT.name, TXT.read_bytes())),
        ("files", (MD.name, MD.read_bytes())),
        ("files", ("photo.docx", b"\xff\xd8\xff\xe0 not a report")),
    ]
    r = client.post("/upload", data={"csrf_token": token, "uploader": "钱七"}, files=files)
    assert r.status_code == 200
    assert r.text.count('class="result created"') == 2
    assert 'class="result refused"' in r.text and "JPEG 图片" in r.text
    as_json = client.post(
        "/upload",
        data={"csrf_token": token},
        files=[("files", (TXT.name, TXT.read_bytes()))],
        headers={"Accept": "application/json"},
    ).json()
    assert as_json["results"][0]["status"] == "exists"
    assert client.post("/upload", files=[("files", (TXT.name, b"x"))]).status_code == 403


def test_templates_escape_what_documents_say(client):
    evil = "<img src=x onerror=alert(1)>"
    text = TXT.read_text(encoding="utf-8").replace("校园安全设施改造提升项目", evil)
    doc = client.post("/api/documents", files={"file": (f"{evil}.txt", text.encode())}).json()[
        "document"
    ]
    for path in (f"/documents/{doc['id']}", "/documents", "/findings", "/evaluations"):
        page = client.get(path).text
        assert "<img src=x" not in page, path
    page = client.get(f"/documents/{doc['id']}").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_list_filters_and_pagination(loaded):
    client, _ = loaded
    page = client.get("/documents", params={"year": "2022"}).text
    assert "shiyan-nongye-2022.md" in page and "shiyan-jiaoyu-2024.txt" not in page
    page = client.get("/documents", params={"q": "临江"}).text
    assert "shiyan-jiaoyu-2024.txt" in page and "shiyan-nongye-2022.md" not in page
    assert "没有符合条件的文档" in client.get("/documents", params={"q": "不存在的单位"}).text
    assert client.get("/documents", params={"year": "abc", "page": "-3"}).status_code == 200
    findings = client.get("/findings", params={"severity": "error"}).text
    assert "错误" in findings
    client.app.state.settings.page_size = 1
    two = client.get("/documents").text
    assert "下一页" in two and "第 1 / 2 页" in two


def test_exports_csv_and_xlsx(loaded):
    client, ids = loaded
    for base, header in (
        ("/documents", "文件名"),
        ("/findings", "说明"),
        ("/evaluations", "复算总分"),
        ("/entities", "单位"),
    ):
        r = client.get(f"{base}.csv")
        assert r.status_code == 200
        assert r.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert header in rows[0] and len(rows) > 1, base
        assert "attachment" in r.headers["content-disposition"]
        x = client.get(f"{base}.xlsx")
        assert x.status_code == 200
        ws = load_workbook(io.BytesIO(x.content)).active
        assert header in [c.value for c in ws[1]]
        assert ws.max_row == len(rows)
    filtered = client.get("/documents.csv", params={"year": 2022}).content.decode("utf-8-sig")
    assert "shiyan-nongye-2022.md" in filtered and "shiyan-jiaoyu-2024.txt" not in filtered
    one = client.get("/findings.csv", params={"document": ids[0]}).content.decode("utf-8-sig")
    assert "shiyan-nongye-2022.md" not in one
    assert client.get("/documents.pdf").status_code == 404


def test_exports_never_write_formulas(client):
    data = ('=HYPERLINK("x")\n\n' + TXT.read_text(encoding="utf-8")).encode()
    client.post("/api/documents", files={"file": ("=cmd.txt", data)})
    text = client.get("/documents.csv").content.decode("utf-8-sig")
    assert "'=cmd.txt" in text
    ws = load_workbook(io.BytesIO(client.get("/documents.xlsx").content)).active
    names = [row[1].value for row in ws.iter_rows(min_row=2)]
    assert "=cmd.txt" in names
    assert all(row[1].data_type == "s" for row in ws.iter_rows(min_row=2))


def test_entity_region_can_be_corrected(loaded):
    client, _ = loaded
    entity = next(e for e in client.get("/api/entities").json() if "青禾县" in e["name"])
    token = csrf_token(client)
    r = client.post(
        f"/entities/{entity['id']}",
        data={"csrf_token": token, "region": "示例省示例市青禾县", "level": "区县级"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    again = next(e for e in client.get("/api/entities").json() if e["id"] == entity["id"])
    assert again["region"] == "示例省示例市青禾县"
    assert "示例省示例市青禾县" in client.get("/dashboard").text


def test_delete_from_the_page(loaded):
    client, ids = loaded
    token = csrf_token(client)
    assert client.post(f"/documents/{ids[0]}/delete").status_code == 403
    r = client.post(
        f"/documents/{ids[0]}/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303
    assert client.get(f"/documents/{ids[0]}").status_code == 404
    assert (
        "页面或对象不存在" in client.get(f"/documents/{ids[0]}").text
        or "文档不存在" in client.get(f"/documents/{ids[0]}").text
    )


def test_static_files_are_served_by_name_only(client):
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/..%2Fapp.py").status_code == 404
    assert client.get("/static/settings.py").status_code == 404


def test_works_without_front_end_libraries(settings, tmp_path, caplog):
    settings.vendor_dir = tmp_path / "no-such-dir"
    with caplog.at_level("WARNING", logger="jixiao.web"):
        app = create_app(settings)
    assert any("make web-assets" in r.message for r in caplog.records)
    with TestClient(app) as client:
        upload(client, TXT)
        page = client.get("/dashboard")
        assert page.status_code == 200 and "图表库未安装" in page.text
        assert "htmx.min.js" not in client.get("/documents").text
        assert client.get("/static/echarts.min.js").status_code == 404
        assert "make web-assets" in client.get("/api/docs").text
        doc = client.get("/documents/1")
        assert doc.status_code == 200 and 'method="post"' in doc.text
    app.state.store.db.dispose()


def test_html_errors_are_pages_in_chinese(client):
    r = client.get("/documents/999", headers={"Accept": "text/html"})
    assert r.status_code == 404
    assert "<html" in r.text and "文档不存在" in r.text
    assert client.get("/no/such/page").status_code == 404


def test_secret_key_is_made_once_and_kept(tmp_path):
    s1 = Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}")
    s1.secret_key = ""
    key = s1.load_secret()
    assert len(key) == 64
    s2 = Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}")
    s2.secret_key = ""
    assert s2.load_secret() == key
    assert (tmp_path / "a-files" / ".secret-key").stat().st_mode & 0o077 == 0
