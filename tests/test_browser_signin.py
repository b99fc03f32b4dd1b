"""Sign-in end to end: `journeymap app` with `st.login` against a real OpenID Connect provider.

The provider is `oauth2-mock-server` (npm, installed into tools/node by `./dev.sh tools`), run on
127.0.0.1; it grants every sign-in at once as the address the test writes into a file. The
workspace's access.toml makes one address a viewer and one an owner. In headless Chromium:

- before signing in, nothing of the workspace shows, only the sign-in button;
- the viewer signs in, sees their address and role, only the library, present and export pages,
  no save button anywhere they can go, and no server path; the design page's address, typed by
  hand, says in Japanese that it needs the editor role (not Streamlit's English "Page not found");
- the viewer signs out and is back at the sign-in page; the owner then signs in and may edit and save.
"""

from __future__ import annotations

import os
import sys

import pytest

from tests.app_server import answers, running, serving_app
from tests.external_tools import NODE_TOOLS, node_file
from tests.test_browser import ARTIFACTS, browser, free_port, settle  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

VIEWER = "viewer@example.co.jp"
OWNER = "owner@example.co.jp"


@pytest.fixture(scope="module")
def signin_server(tmp_path_factory):
    """The provider and the app with sign-in on; yields (app url, workspace, file naming who signs in next)."""
    node_file("oauth2-mock-server/package.json")
    base = tmp_path_factory.mktemp("signin")
    who = base / "who.txt"
    who.write_text(VIEWER, encoding="utf-8")
    idp_port, app_port = free_port(), free_port()
    issuer = f"http://127.0.0.1:{idp_port}"
    idp = running(["node", str(NODE_TOOLS / "oidc-mock.mjs"), str(idp_port), str(who)], base / "idp.log",
                  lambda: answers(f"{issuer}/.well-known/openid-configuration"), cwd=NODE_TOOLS,
                  what="the OpenID Connect provider")
    project = base / "project"
    (project / ".streamlit").mkdir(parents=True)
    url = f"http://127.0.0.1:{app_port}"
    (project / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        'cookie_secret = "a test secret that is long enough to sign cookies"\n'
        'client_id = "journeymap"\n'
        'client_secret = "journeymap-secret"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    workspace = project / "workspace"
    workspace.mkdir()
    (workspace / "access.toml").write_text(f'owners = ["{OWNER}"]\nviewers = ["{VIEWER}"]\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if k not in ("JOURNEYMAP_LIBRARY", "JOURNEYMAP_WORKSPACE", "JOURNEYMAP_AUTH")}
    env["HOME"] = str(base / "home")  # no secrets of the person running the tests
    command = [sys.executable, "-m", "journeymap", "app", "--workspace", str(workspace), "--port", str(app_port)]
    with idp, serving_app(command, app_port, base / "app.log", cwd=project, env=env) as served:
        assert "sign-in on" in (base / "app.log").read_text()
        yield served, workspace, who


def nav_titles(page) -> list[str]:
    """The navigation's page titles (each link's text ends with its title, after the icon's name)."""
    return [t.strip().splitlines()[-1].strip() for t in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()]


def sidebar_text(page) -> str:
    """The sidebar as read (the word joiner that keeps an address from becoming a link is invisible)."""
    return page.locator('[data-testid="stSidebar"]').inner_text().replace("\u2060", "")


def sign_in(page, url: str) -> None:
    page.goto(url)
    settle(page)
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # nothing of the workspace yet
    page.get_by_role("button", name="サインイン").click()
    # to the provider and back: the provider answers at once, Streamlit sets its cookie and reloads
    page.wait_for_url(f"{url}/**", timeout=30_000)
    page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=30_000)
    settle(page)


def test_a_viewer_signs_in_cannot_save_and_signs_out_then_an_owner_may_edit(signin_server, browser):  # noqa: F811
    url, workspace, who = signin_server
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(url)
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "signin-1-before.png"))
        assert page.get_by_role("button", name="サインイン").is_visible()
        assert str(workspace) not in page.content()

        # the viewer
        sign_in(page, url)
        page.screenshot(path=str(ARTIFACTS / "signin-2-viewer.png"))
        sidebar = sidebar_text(page)
        assert f"{VIEWER}（閲覧者）としてサインイン中" in sidebar, sidebar
        assert nav_titles(page) == ["ライブラリ", "プレゼン", "エクスポート・インポート"], nav_titles(page)
        for title in nav_titles(page):
            page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
            settle(page)
            assert page.locator('[data-testid="stException"]').count() == 0
            assert page.get_by_role("button", name="保存", exact=True).count() == 0, title
            assert str(workspace) not in page.content(), title
        page.goto(f"{url}/design")  # the editor's address, typed by hand
        settle(page)
        assert page.locator('[data-testid="stSidebarNav"]').count() == 1  # still signed in after the reload
        assert "設計" not in nav_titles(page)
        notice = page.locator('[data-testid="stAlert"]').inner_text()
        assert "「設計」は編集者以上の権限で使えます（あなたは閲覧者）" in notice, notice
        assert page.locator('[role="dialog"]').count() == 0  # not Streamlit's English "Page not found"
        assert page.get_by_role("button", name="保存", exact=True).count() == 0
        page.screenshot(path=str(ARTIFACTS / "signin-3-viewer-design-url.png"))

        page.get_by_role("button", name="サインアウト").click()
        page.wait_for_selector('button:has-text("サインイン")', timeout=30_000)
        settle(page)
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0
        page.screenshot(path=str(ARTIFACTS / "signin-4-signed-out.png"))

        # the owner
        who.write_text(OWNER, encoding="utf-8")
        sign_in(page, url)
        sidebar = sidebar_text(page)
        assert f"{OWNER}（オーナー）としてサインイン中" in sidebar, sidebar
        assert "設計" in nav_titles(page)
        page.get_by_role("button", name="開く").first.click()
        settle(page)
        page.locator('[data-testid="stSidebarNav"] a', has_text="設計").first.click()
        settle(page)
        assert page.get_by_role("button", name="保存").count() >= 1
        page.screenshot(path=str(ARTIFACTS / "signin-5-owner-design.png"))
    finally:
        context.close()

