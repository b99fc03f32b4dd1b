"""Roles enforced by the workspace itself, and the author of every revision.

Each write operation of `Workspace` is tried by each role at the API (not through hidden buttons):
the role that may do it succeeds, the others get `Forbidden` with a message naming the design and
the role needed, and nothing on disk changes. Every saved revision names who saved it; the index
says who saved each design last.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from journeymap.editing import operations as editing
from journeymap.text.problems import in_language
from journeymap.workspace.access import LOCAL_OWNER, Forbidden, User, os_user
from journeymap.workspace.facade import Workspace
from tests.app_support import APP_LIBRARY, TEMPLATE_ID, template_design

VIEWER = User("viewer@example.com", "viewer")
EDITOR = User("editor@example.com", "editor")
OWNER = User("owner@example.com", "owner")


@pytest.fixture
def ws(tmp_path, monkeypatch):
    """A workspace with the starter design saved twice, a draft of it, and one design in the trash."""
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(APP_LIBRARY))
    workspace = Workspace.open(tmp_path / "ws")
    loaded = workspace.load(TEMPLATE_ID)
    workspace.save(editing.set_meta(loaded.design, "ja", name="二版目"), loaded.version)
    workspace.save_draft(editing.set_meta(loaded.design, "ja", name="下書き"), "abc123", loaded.version)
    workspace.create(editing.with_id(template_design(), "gone"))
    workspace.delete("gone")
    return workspace


def _first_trash_key(ws: Workspace) -> str:
    return ws.trash()[0].key


def _renamed(ws: Workspace, name: str):
    return editing.set_meta(ws.load(TEMPLATE_ID).design, "ja", name=name)


OPERATIONS = {
    # name: (least role, what it does)
    "create": ("editor", lambda w: w.create(editing.with_id(template_design(), "new-one"))),
    "import": ("editor", lambda w: w.create(editing.with_id(template_design(), "imported"), note="imported from x.yaml")),
    "save": ("editor", lambda w: w.save(_renamed(w, "三版目"), w.current_version(TEMPLATE_ID))),
    "duplicate": ("editor", lambda w: w.duplicate(TEMPLATE_ID)),
    "restore version": ("editor", lambda w: w.restore(TEMPLATE_ID, 1, w.current_version(TEMPLATE_ID))),
    "save draft": ("editor", lambda w: w.save_draft(_renamed(w, "別の下書き"), "def456", None)),
    "discard draft": ("editor", lambda w: w.discard_draft(TEMPLATE_ID, "abc123")),
    "delete": ("owner", lambda w: w.delete(TEMPLATE_ID)),
    "restore from trash": ("owner", lambda w: w.restore_from_trash(_first_trash_key(w))),
    "purge": ("owner", lambda w: w.purge(_first_trash_key(w))),
}
RANK = {"viewer": 0, "editor": 1, "owner": 2}


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under the workspace (but the lock files) with its content."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".locks" not in p.parts}


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("user", [VIEWER, EDITOR, OWNER], ids=lambda u: u.role)
def test_each_role_may_do_what_its_role_allows_and_nothing_more(ws, user, operation):
    least, run = OPERATIONS[operation]
    acting = ws.acting(user)
    before = snapshot(ws.root)
    if RANK[user.role] >= RANK[least]:
        run(acting)
        assert snapshot(ws.root) != before
    else:
        with pytest.raises(Forbidden) as refused:
            run(acting)
        message = refused.value.first.message
        assert re.match(rf"{re.escape(user.email)} \({user.role}\) may not .+: that needs the {least} role", message)
        assert snapshot(ws.root) == before  # refused before anything was written


def test_reading_and_exporting_need_no_more_than_the_viewer_role(ws):
    viewer = ws.acting(VIEWER)
    assert [e.id for e in viewer.entries()] == [TEMPLATE_ID]
    assert viewer.load(TEMPLATE_ID).design.name
    assert [r.number for r in viewer.history(TEMPLATE_ID)] == [2, 1]
    assert viewer.diff(TEMPLATE_ID, 1)
    assert viewer.load_draft(TEMPLATE_ID, "abc123") is not None


def test_acting_for_a_user_shares_the_index_and_leaves_the_workspace_as_it_was(ws):
    editor = ws.acting(EDITOR)
    assert editor.index is ws.index and editor.store is ws.store
    assert ws.user == LOCAL_OWNER and editor.user == EDITOR
    assert ws.acting(LOCAL_OWNER) is ws


def test_a_refusal_is_worded_in_both_languages_from_the_catalogue(ws):
    with pytest.raises(Forbidden) as refused:
        ws.acting(VIEWER).delete(TEMPLATE_ID)
    issue = refused.value.first
    assert issue.key == "access.refused"
    assert in_language(issue, "en") == issue.message
    ja = in_language(issue, "ja")
    assert "viewer@example.com（閲覧者）" in ja and f"「{TEMPLATE_ID}」を削除" in ja and "オーナーの権限" in ja
    assert not re.search(r"\b(viewer|owner|delete)\b", ja.replace("viewer@example.com", ""))


# --------------------------------------------------------------------------- authors


def test_every_revision_records_who_saved_it(ws):
    editor = ws.acting(EDITOR)
    editor.save(_renamed(ws, "編集者の版"), ws.current_version(TEMPLATE_ID))
    ws.acting(OWNER).restore(TEMPLATE_ID, 1, ws.current_version(TEMPLATE_ID))
    history = ws.history(TEMPLATE_ID)
    assert [(r.number, r.by) for r in history[:2]] == [(4, "owner@example.com"), (3, "editor@example.com")]
    assert history[0].note == "restored version 1"
    assert history[-1].by is None  # the starter design was seeded by the workspace, not by a person
    assert history[-2].by == (os_user() or "local")  # the fixture saved as the local owner


def test_the_index_says_who_saved_each_design_last(ws):
    ws.acting(EDITOR).save(_renamed(ws, "編集者の版"), ws.current_version(TEMPLATE_ID))
    entry = next(e for e in ws.entries() if e.id == TEMPLATE_ID)
    assert entry.saved_by == "editor@example.com"
    fresh = Workspace(ws.root)  # another process: the author comes from the history, not from memory
    assert next(e for e in fresh.entries() if e.id == TEMPLATE_ID).saved_by == "editor@example.com"
    path = ws.path(TEMPLATE_ID)
    path.write_text(path.read_text("utf-8").replace("編集者の版", "手で直した版"), "utf-8")
    assert next(e for e in fresh.entries() if e.id == TEMPLATE_ID).saved_by is None  # edited outside: nobody known


def test_a_design_restored_from_the_trash_keeps_its_authors_and_a_new_id_names_who_restored_it(ws):
    key = _first_trash_key(ws)
    ws.acting(EDITOR).create(editing.with_id(template_design(), "gone"))  # the id was taken meanwhile
    restored = ws.acting(OWNER).restore_from_trash(key)
    assert restored == "gone-restored"
    assert ws.history(restored)[0].by == "owner@example.com"  # the id inside the file changed: a new version
    assert [r.by for r in ws.history(restored)[1:]] == [os_user() or "local"]
    assert next(e for e in ws.entries() if e.id == restored).saved_by == "owner@example.com"


def test_a_history_saved_before_authors_were_recorded_reads_fine(ws):
    folder = ws.root / ".history" / TEMPLATE_ID
    for meta in folder.glob("*.json"):
        meta.unlink()
    (folder / "notes.json").write_text(json.dumps({"1": "template app-b2b-outbound"}), "utf-8")
    history = ws.history(TEMPLATE_ID)
    assert [(r.number, r.by, r.note) for r in history] == [(2, None, ""), (1, None, "template app-b2b-outbound")]
    assert Workspace(ws.root).entries()[0].saved_by is None


# --------------------------------------------------------------------------- the app


def _viewer_saves() -> None:
    """A session whose user is a viewer, with an edited design open, presses save (the page would hide it)."""
    import streamlit as st

    from journeymap.editing import operations as editing
    from journeymap.ui import auth, sidebar, state
    from journeymap.workspace.access import User

    st.session_state["lang"] = "ja"
    st.session_state[auth.USER] = User("guest@example.com", "viewer")
    doc = state.open_design("app-b2b-outbound")
    doc.design = editing.set_meta(doc.design, "ja", name="閲覧者の変更")
    doc.dirty = True
    sidebar.guard(state.save)


def test_a_viewers_save_is_refused_by_the_workspace_with_a_japanese_message(app_env):
    Workspace.open(app_env)
    before = (app_env / f"{TEMPLATE_ID}.yaml").read_bytes()
    at = AppTest.from_function(_viewer_saves, default_timeout=60).run()
    assert not at.exception
    shown = re.sub(r"\\(.)", r"\1", at.error[0].value).replace("\u2060", "")  # as people read it
    assert "guest@example.com（閲覧者）には「app-b2b-outbound」を保存する権限がありません" in shown
    assert "編集者の権限が必要です" in shown
    assert not re.search(r"\b(may not|viewer|editor|role)\b", shown)
    assert (app_env / f"{TEMPLATE_ID}.yaml").read_bytes() == before


def test_the_history_list_and_the_library_say_who_saved(app_env):
    from tests.test_app import open_design, show_tab, start

    at = open_design(start())
    show_tab(at, "基本情報")
    at.text_input(key=f"meta_name.{TEMPLATE_ID}.0.ja").input("第二版").run()
    at.button(key="sidebar_save").click().run()
    show_tab(at, "履歴")
    assert not at.exception
    table = at.dataframe[0].value
    me = os_user() or "local"
    assert list(table["保存した人"]) == [me, "—"]  # the seeded starter design has no author
    at.switch_page("journeymap/ui/views/library.py").run()
    captions = [re.sub(r"\\(.)", r"\1", c.value).replace("\u2060", "") for c in at.caption]
    assert any(f"保存: {me}" in c for c in captions)
