"""In a real browser (Playwright driving Debian's chromium): upload reports, see a highlighted
cell, accept a finding, see the dashboard draw. Screenshots go to tests/web/artifacts/."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, example

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install chromium)"
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from jixiao.web import Settings, create_app

    root = tmp_path_factory.mktemp("browser")
    app = create_app(
        Settings(database_url=f"sqlite:///{root / 'jixiao.db'}", data_dir=root / "data")
    )
    if "echarts.min.js" not in app.state.vendor:
        pytest.skip("front-end libraries are not installed (make web-assets)")
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)
    app.state.store.db.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.set_default_timeout(20_000)
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_upload_see_highlight_accept(server, page):
    page.goto(f"{server}/upload")
    page.fill("input[name=uploader]", "测试复核员")
    page.set_input_files(
        "#file-input",
        [str(example("shiyan-jiaoyu-2024.docx")), str(example("shiyan-nongye-2022.md"))],
    )
    page.wait_for_selector("li.result.created >> nth=1")
    lines = page.locator("li.result")
    assert lines.count() == 2
    assert "错误" in lines.nth(0).inner_text()
    shot(page, "01-upload")

    page.locator("li.result.created a", has_text="查看").first.click()
    page.wait_for_selector("td.hl.error")
    cell = page.locator("td.hl.error").first
    assert cell.is_visible()
    assert cell.get_attribute("title")  # the finding on hover
    shot(page, "02-document")

    cell.click()  # leads to the finding it marks
    page.wait_for_selector("article.finding.flash")

    card = page.locator("article.finding.open").first
    card_id = card.get_attribute("id")
    card.locator("input[name=comment]").fill("确有问题，请单位更正")
    card.locator("button.accept").click()
    accepted = page.locator(f"#{card_id}.accepted")
    accepted.wait_for()
    assert "测试复核员" in accepted.inner_text()
    assert "确有问题，请单位更正" in accepted.inner_text()
    assert "已接受 1" in page.locator("#summary").inner_text()
    shot(page, "03-accepted")

    page.reload()  # it was stored, not just drawn
    assert page.locator(f"#{card_id}.accepted").count() == 1


def test_reject_removes_the_highlight(server, page):
    page.goto(f"{server}/documents")
    page.locator("table.documents a", has_text="shiyan-nongye-2022.md").click()
    page.wait_for_selector("article.finding")
    card = page.locator("article.finding.open[data-cell]:not([data-cell=''])").first
    card_id = card.get_attribute("id")
    cell_id = card.get_attribute("data-cell")
    assert "hl" in (page.locator(f"#{cell_id}").get_attribute("class") or "")
    card.locator("button.reject").click()
    page.locator(f"#{card_id}.rejected").wait_for()
    classes = page.locator(f"#{cell_id}").get_attribute("class") or ""
    others = page.locator(f"article.finding:not(.rejected)[data-cell='{cell_id}']").count()
    assert others or "hl" not in classes


def test_refused_upload_says_why(server, page, tmp_path):
    bad = tmp_path / "扫描件.pdf"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    page.goto(f"{server}/upload")
    page.set_input_files("#file-input", str(bad))
    page.wait_for_selector("li.result.refused")
    assert "PNG 图片" in page.locator("li.result.refused").inner_text()


def test_dashboard_renders(server, page):
    page.goto(f"{server}/dashboard")
    page.wait_for_selector("body[data-charts=ready]")
    for chart in ("scatter", "rates", "family", "region", "top"):
        assert page.locator(f"#chart-{chart} canvas").count() >= 1, chart
    box = page.locator("#chart-scatter canvas").first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200
    shot(page, "04-dashboard")


def test_forms_work_without_javascript(server, browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto(f"{server}/upload")
        page.set_input_files("#file-input", str(example("shiyan-shichang-2023.txt")))
        page.click("#upload-submit")
        page.wait_for_selector("li.result.created")
        page.locator("li.result.created a").click()
        page.wait_for_selector("td.hl")
        card = page.locator("article.finding.open").first
        card_id = card.get_attribute("id")
        card.locator("button.accept").click()
        page.wait_for_selector(f"#{card_id}.accepted")
        shot(page, "05-no-javascript")
    finally:
        context.close()
