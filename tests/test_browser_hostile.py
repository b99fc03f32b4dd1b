"""A hostile design in real Chromium: every page opened, and the test fails on any request to a
host other than the app's, and on any link or image rendered from the design's text."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from journeymap.designfile.reading import load_design
from journeymap.workspace.facade import Workspace
from tests.app_server import serving_app
from tests.test_app_hostile import HOSTILE
from tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, free_port, settle

ROOT = Path(__file__).parent.parent
PAGES = ["ライブラリ", "設計", "カスタマージャーニー", "計画", "実績比較", "エクスポート・インポート", "プレゼン"]  # Present hides the sidebar: last

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("hostile") / "workspace"
    Workspace.open(workspace, seed=False).create(load_design(HOSTILE))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("JOURNEYMAP_LIBRARY", "JOURNEYMAP_WORKSPACE")}
    command = [sys.executable, "-m", "journeymap", "app", "--workspace", str(workspace), "--port", str(port)]
    with serving_app(command, port, tmp_path_factory.mktemp("log") / "streamlit.log", cwd=ROOT, env=env) as url:
        yield url


def test_every_page_with_a_hostile_design_fetches_nothing_elsewhere_and_links_nothing(hostile_server):
    from playwright.sync_api import sync_playwright

    app_host = urlparse(hostile_server).netloc
    elsewhere: list[str] = []

    def guard(route) -> None:
        if urlparse(route.request.url).netloc in (app_host, "") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ja-JP")
        context.route("**/*", guard)
        page = context.new_page()
        page.goto(f"{hostile_server}/?design=hostile")
        ARTIFACTS.mkdir(exist_ok=True)
        for number, title in enumerate(PAGES, start=1):
            page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
            settle(page)
            assert page.locator('[data-testid="stException"]').count() == 0, title
            rendered = page.evaluate("""() => [
                ...[...document.querySelectorAll('a[href]')].map(a => a.href),
                ...[...document.querySelectorAll('img[src]')].map(i => i.src),
                ...[...document.querySelectorAll('script[src], iframe[src], link[href]')].map(e => e.src || e.href),
            ].filter(u => u.includes('evil.example') || u.startsWith('javascript:'))""")
            where = page.evaluate("""() => [...document.querySelectorAll('a[href*="evil"], img[src*="evil"]')]
                .map(e => (e.closest('[data-testid]') || e.parentElement).outerHTML.slice(0, 300))""")
            assert rendered == [], (title, rendered, where)
            page.screenshot(path=str(ARTIFACTS / f"hostile-{number:02d}.png"), full_page=True)
        shown = page.locator('[data-testid="stMain"]').inner_text()
        browser.close()
    assert elsewhere == [], sorted(set(elsewhere))
    assert "evil.example" in shown  # the hostile text is there, as text
