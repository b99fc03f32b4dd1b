"""The Library with many designs in a real browser: search, pages, a preview, at three screen sizes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.streamlit_ws import make_workspace, start_server
from tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, DIAGRAM, settle

pytestmark = pytest.mark.browser

SIZES = [(1280, 720), (1440, 900), (1920, 1080)]

CUT_LABELS = """() => [...document.querySelectorAll(
    '[data-testid="stMain"] button, [data-testid="stMain"] [data-baseweb="select"]')].filter(e => e.offsetParent).flatMap(e =>
  [e, ...e.querySelectorAll('*')].filter(x => x.textContent.trim() && x.scrollWidth > x.clientWidth + 1
                                             && getComputedStyle(x).overflowX !== 'visible')
    .map(x => `${x.textContent.trim()} (${x.scrollWidth} > ${x.clientWidth} px)`))"""
"""Every text inside a button or a select box of the page that is wider than the box that clips it (cut, or ending in …)."""


@pytest.fixture(scope="module")
def team_server(tmp_path_factory):
    folder: Path = tmp_path_factory.mktemp("team")
    make_workspace(folder / "workspace", 45)
    server = start_server(folder / "workspace", log=folder / "server.log")
    yield f"http://127.0.0.1:{server.port}"
    server.stop()


@pytest.mark.parametrize("width, height", SIZES)
def test_the_library_searches_pages_and_previews(team_server, width, height):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP").new_page()
        page.goto(team_server)
        # the server's first run imports the app: give it time on a busy machine before the usual checks
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=180_000)
        settle(page)
        assert page.get_by_text("45件中 45件").count() == 1
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"library-{width}x{height}.png"))
        assert page.locator('[data-testid="stMain"] button').count() > 80  # the entries' and the templates' buttons
        assert page.evaluate(CUT_LABELS) == [], "a button or select label is cut"

        page.locator('[class*="st-key-template_preview"] button').first.click()  # the first template's
        settle(page, DIAGRAM)
        page.locator(DIAGRAM).first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"library-template-preview-{width}x{height}.png"))
        assert page.evaluate(CUT_LABELS) == []

        page.get_by_role("button", name="次へ").click()
        settle(page)
        assert page.get_by_text("2 / 3 ページ").count() == 1

        search = page.get_by_label("検索（名前・ID・ステージ名）")
        search.fill("smb-funnel")
        search.press("Enter")
        settle(page)
        assert page.get_by_text("45件中 6件").count() == 1
        page.get_by_role("button", name="プレビュー").first.click()
        settle(page, DIAGRAM)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(ARTIFACTS / f"library-search-preview-{width}x{height}.png"), full_page=True)
        browser.close()
