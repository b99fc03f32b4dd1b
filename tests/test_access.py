"""Roles from the workspace's access file, and the app's pages and buttons by role (AppTest)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from journeymap.errors import InputError
from journeymap.ui.strings import md
from journeymap.workspace.access import LOCAL_OWNER, Forbidden, User, os_user, parse_access, read_access
from tests.app_support import TEMPLATE_ID

ACCESS = """\
owners = ["Sato@Example.co.jp"]
editors = ["@example.co.jp", "tanaka@partner.example"]
viewers = ["@partner.example", "sato@example.co.jp"]
"""


def test_an_address_gets_its_own_role_before_its_domains():
    access = parse_access(ACCESS)
    assert access.role_of("sato@example.co.jp") == "owner"  # listed as viewer too: the higher role wins
    assert access.role_of("SATO@example.co.jp ") == "owner"  # addresses compare without case
    assert access.role_of("suzuki@example.co.jp") == "editor"  # by domain
    assert access.role_of("tanaka@partner.example") == "editor"  # own entry beats the domain's viewer
    assert access.role_of("kato@partner.example") == "viewer"
    assert access.role_of("kato@sub.partner.example") is None  # a domain means that domain only
    assert access.role_of("mallory@evil.example") is None
    assert access.role_of("example.co.jp") is None and access.role_of(None) is None


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('owners = ["a@example.com"]\nadmins = ["b@example.com"]\n', "unknown entry 'admins'", 2),
        ('owners = "a@example.com"\n', "'owners' must be a list", 1),
        ('\neditors = ["not an address"]\n', "'not an address' in 'editors' is neither an email address nor a domain", 2),
        ('owners = ["a@example.com"\n', "invalid TOML", 1),
    ],
)
def test_a_broken_access_file_names_the_line(text, message, line):
    with pytest.raises(InputError) as caught:
        parse_access(text, "ws/access.toml")
    issue = caught.value.first
    assert message in issue.message and issue.line == line and issue.source == "ws/access.toml"


def test_a_missing_access_file_says_what_to_write(tmp_path):
    with pytest.raises(InputError) as caught:
        read_access(tmp_path / "access.toml")
    assert "no access file" in str(caught.value) and "owners = [" in str(caught.value)


def test_roles_allow_what_they_name():
    viewer, editor, owner = (User("x@example.com", role) for role in ("viewer", "editor", "owner"))
    assert viewer.may("read") and not viewer.may("save") and not viewer.may("delete")
    assert editor.may("save") and not editor.may("delete") and not editor.may("trash")
    assert owner.may("delete") and owner.may("trash") and owner.may("admin")
    assert LOCAL_OWNER.may("delete") and LOCAL_OWNER.label == (os_user() or "local")
    assert User(None, "owner").label == "local"
    with pytest.raises(Forbidden, match=r"x@example.com \(viewer\) may not save 'a': that needs the editor role"):
        viewer.require("save", "a")


# --------------------------------------------------------------------------- the app by role

APP = Path(__file__).parent.parent / "app.py"


@pytest.fixture
def signed_in_app(app_env, monkeypatch):
    """The app in sign-in mode on a seeded workspace whose access file names three people."""
    from journeymap.workspace.facade import Workspace

    monkeypatch.setenv("JOURNEYMAP_AUTH", "signin")
    Workspace.open(app_env)
    (app_env / "access.toml").write_text(
        'owners = ["owner@example.com"]\neditors = ["editor@example.com"]\nviewers = ["@example.com"]\n'
    )

    def start(email: str | None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.user = {"is_logged_in": email is not None, "email": email, "email_verified": True} if email else {"is_logged_in": False}
        return at.run()

    return start


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(parts)


def test_nothing_is_shown_before_sign_in(signed_in_app):
    at = signed_in_app(None)
    assert not at.exception
    assert at.button(key="sign_in")
    assert not [b for b in at.button if b.key and b.key.startswith("open.")]
    assert TEMPLATE_ID not in texts(at)


def test_an_unlisted_address_has_no_access(signed_in_app):
    at = signed_in_app("mallory@evil.example")
    assert not at.exception
    warning = re.sub(r"\\(.)", r"\1", at.warning[0].value).replace("\u2060", "")  # as people read it
    assert "mallory@evil.example" in warning and "access.toml" in warning
    assert at.button(key="sign_out")
    assert not [b for b in at.button if b.key and b.key.startswith("open.")]


def test_a_viewer_can_open_but_not_change_save_delete_or_see_server_paths(signed_in_app, app_env):
    at = signed_in_app("guest@example.com")
    assert not at.exception
    keys = {b.key for b in at.button}
    assert f"open.{TEMPLATE_ID}" in keys
    assert f"dup.{TEMPLATE_ID}" not in keys and f"del.{TEMPLATE_ID}" not in keys
    assert not any(k and k.startswith("new.") for k in keys)
    assert [i.key for i in at.text_input] == ["jm_library_search"]  # searching the Library is reading
    assert md(str(app_env)) not in texts(at) and "workspace" not in texts(at).lower()
    at.button(key=f"open.{TEMPLATE_ID}").click().run()
    assert not at.exception
    assert at.session_state["jm_doc"].id == TEMPLATE_ID
    assert "sidebar_save" not in {b.key for b in at.button}
    assert "guest@example.com" in re.sub(r"\\(.)", r"\1", texts(at)).replace("\u2060", "")


def test_an_editor_saves_but_does_not_delete(signed_in_app, app_env):
    at = signed_in_app("editor@example.com")
    keys = {b.key for b in at.button}
    assert f"dup.{TEMPLATE_ID}" in keys and f"del.{TEMPLATE_ID}" not in keys
    assert md(str(app_env)) not in texts(at)


def test_an_owner_deletes_and_sees_where_the_workspace_is(signed_in_app, app_env):
    at = signed_in_app("owner@example.com")
    keys = {b.key for b in at.button}
    assert f"del.{TEMPLATE_ID}" in keys
    assert md(str(app_env)) in texts(at)


def test_a_broken_access_file_is_shown_not_raised(signed_in_app, app_env):
    (app_env / "access.toml").write_text("owners = [\n")
    at = signed_in_app("owner@example.com")
    assert not at.exception
    shown = at.error[0].value.replace("\\", "")  # as read: without the Markdown escapes
    assert "access.toml:1" in shown and "TOML として読めません" in shown  # the place, in the app's language
    assert "invalid" not in shown and str(app_env) not in shown  # no English, no server folder
