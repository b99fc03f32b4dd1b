"""A delete whose history or drafts cannot follow the design into the trash yet.

The design file is moved to the trash (the commit point), then its history and drafts; when their
move is refused (no permission, a file held open on Windows, a busy folder) the delete has happened
and the journal keeps its record, so that the next to open the workspace moves the rest. These tests
refuse that move (a real EACCES for a process without root, or a refusing `os.rename`) and check
what the user is told, and that restoring the design or creating one with its id meanwhile neither
loses nor mixes any history.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from journeymap.designfile.writing import dump_yaml
from journeymap.editing import operations as editing
from journeymap.text.catalogue import text
from journeymap.ui.strings import md
from journeymap.workspace.facade import Workspace
from journeymap.workspace.folder import Conflict, WorkspaceError, version_of
from tests.app_support import APP_LIBRARY, TEMPLATE_ID, app_env, template_design  # noqa: F401 (a fixture)
from tests.test_workspace_crash import _copy, check_consistent, run_killed_at, state
from tests.test_workspace_disk import as_nobody


@pytest.fixture(autouse=True)
def library(monkeypatch):
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(APP_LIBRARY))


@contextmanager
def refused_moves(root: Path, *folders: str) -> Iterator[None]:
    """`os.rename` refuses to move anything out of `root/<folder>` (as a held-open file would on Windows)."""
    real = os.rename
    places = [str(root / folder) + os.sep for folder in folders]

    def rename(source, target, *args, **kwargs):
        if any(str(source).startswith(place) for place in places):
            raise PermissionError(errno.EACCES, "The process cannot access the file because it is being used", str(source))
        return real(source, target, *args, **kwargs)

    os.rename = rename
    try:
        yield
    finally:
        os.rename = real


def saved_three_times(root: Path) -> tuple[Workspace, list[bytes]]:
    """The starter design saved twice more, with a draft; return the workspace and its revisions' contents."""
    ws = Workspace.open(root)
    for name in ("二版目", "三版目"):
        loaded = ws.load(TEMPLATE_ID)
        ws.save(editing.set_meta(loaded.design, "ja", name=name), loaded.version)
    ws.save_draft(editing.set_meta(ws.load(TEMPLATE_ID).design, "ja", name="下書き"), "abc123", ws.current_version(TEMPLATE_ID))
    return ws, revisions(root / ".history" / TEMPLATE_ID)


def revisions(folder: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted(folder.glob("*.yaml"))]


def trash_folder(ws: Workspace) -> Path:
    [entry] = ws.trash()
    return ws.root / ".trash" / entry.key


def test_a_delete_whose_history_cannot_move_says_so_and_the_next_opening_finishes_it(tmp_path):
    ws, before = saved_three_times(tmp_path / "ws")
    design = ws.path(TEMPLATE_ID).read_bytes()
    with refused_moves(ws.root, ".history"):
        entry = ws.delete(TEMPLATE_ID)
        assert entry.unfinished and entry.revisions == 3  # counted where they still are
        assert [(e.key, e.unfinished, e.revisions) for e in ws.trash()] == [(entry.key, True, 3)]
        assert not ws.exists(TEMPLATE_ID) and ws.entries() == []
        assert (trash_folder(ws) / "design.yaml").read_bytes() == design
        assert revisions(ws.root / ".history" / TEMPLATE_ID) == before  # in place, untouched
        assert (ws.root / ".journal" / f"{TEMPLATE_ID}.json").is_file()  # what is left to do is recorded
        assert Workspace.open(ws.root).trash()[0].unfinished  # an opening that is refused too changes nothing
    reopened = check_consistent(ws.root)  # the next opening moves the history and removes the record
    [after] = reopened.trash()
    assert (after.key, after.unfinished, after.revisions) == (entry.key, False, 3)
    assert revisions(trash_folder(reopened) / "history") == before
    assert [d.name for d in (trash_folder(reopened) / "drafts").glob("*.json")] == ["abc123.json"]


def test_a_delete_that_completes_is_not_marked_unfinished(tmp_path):
    ws, _ = saved_three_times(tmp_path / "ws")
    entry = ws.delete(TEMPLATE_ID)
    assert not entry.unfinished and entry.revisions == 3
    assert not (ws.root / ".history" / TEMPLATE_ID).exists()


def test_without_write_permission_on_the_history_folder_the_delete_is_unfinished_not_failed(tmp_path):
    """A real refusal: `.history` may not be written by the user deleting (root is never refused, so
    the delete runs in a forked child that has become `nobody`)."""
    if os.geteuid() == 0 and not hasattr(os, "fork"):
        pytest.skip("root is never refused, and there is no fork to drop it")  # not reached on Linux
    folder = Path(tempfile.mkdtemp(prefix="jm-unfinished-"))
    try:
        os.chmod(folder, 0o755)
        ws, before = saved_three_times(folder / "ws")
        (ws.root / ".journal").mkdir(exist_ok=True)
        (ws.root / ".trash").mkdir(exist_ok=True)
        for path in [ws.root, *ws.root.rglob("*")]:
            os.chmod(path, 0o777 if path.is_dir() else 0o666)
        os.chmod(ws.root / ".history", 0o555)  # its folders cannot be renamed away from it
        if os.geteuid() != 0:
            found = [ws.delete(TEMPLATE_ID).unfinished]
        else:
            found = as_nobody(lambda: [ws.delete(TEMPLATE_ID).unfinished])
        assert found == [True]
        assert revisions(ws.root / ".history" / TEMPLATE_ID) == before
        assert [e.unfinished for e in ws.trash()] == [True]
        os.chmod(ws.root / ".history", 0o755)
        reopened = check_consistent(ws.root)
        assert [(e.unfinished, e.revisions) for e in reopened.trash()] == [(False, 3)]
        assert revisions(trash_folder(reopened) / "history") == before
    finally:
        for path in [folder, *folder.rglob("*")]:
            os.chmod(path, 0o755)
        shutil.rmtree(folder)


@pytest.mark.parametrize("refused", [".history", ".drafts"])
def test_restoring_an_unfinished_delete_brings_it_back_under_its_id_with_its_whole_history(tmp_path, refused):
    ws, before = saved_three_times(tmp_path / "ws")
    design = ws.path(TEMPLATE_ID).read_bytes()
    with refused_moves(ws.root, refused):
        entry = ws.delete(TEMPLATE_ID)
        assert entry.unfinished
        restored = ws.restore_from_trash(entry.key)  # the history is put back where it still is
    assert restored == TEMPLATE_ID  # not `-restored`: the history at its id is its own
    assert ws.path(TEMPLATE_ID).read_bytes() == design
    assert revisions(ws.root / ".history" / TEMPLATE_ID) == before
    assert ws.history(TEMPLATE_ID)[0].version == version_of(design)
    assert [d.session for d in ws.drafts(TEMPLATE_ID)] == ["abc123"]
    assert ws.trash() == []
    assert not (ws.root / ".history" / f"{TEMPLATE_ID}-restored").exists()
    check_consistent(ws.root)  # nothing left for the next opening: no record, no orphan history
    assert revisions(ws.root / ".history" / TEMPLATE_ID) == before
    created = ws.duplicate(TEMPLATE_ID)  # and the id's history is not shared with anything else
    assert len(ws.history(created)) == 1


def test_restoring_after_the_move_works_again_finishes_the_delete_first(tmp_path):
    ws, before = saved_three_times(tmp_path / "ws")
    with refused_moves(ws.root, ".history"):
        entry = ws.delete(TEMPLATE_ID)
    assert ws.restore_from_trash(entry.key) == TEMPLATE_ID
    assert revisions(ws.root / ".history" / TEMPLATE_ID) == before and ws.trash() == []
    check_consistent(ws.root)


def test_creating_a_design_with_the_id_of_an_unfinished_delete_is_refused_until_the_history_has_moved(tmp_path):
    ws, before = saved_three_times(tmp_path / "ws")
    with refused_moves(ws.root, ".history"):
        entry = ws.delete(TEMPLATE_ID)
        with pytest.raises(WorkspaceError) as refused:
            ws.create(editing.with_id(template_design(), TEMPLATE_ID))
        issue = refused.value.first
        assert issue.key == "workspace.delete_unfinished"
        assert f"could not save '{TEMPLATE_ID}'" in issue.message and "being used" in issue.message
        assert "histories do not mix" in issue.message
        ja = text(issue.key, "ja", **{k: getattr(v, "ja", v) for k, v in dict(issue.values).items()})
        assert f"「{TEMPLATE_ID}」を保存できませんでした" in ja and "being used" not in ja
        assert not ws.exists(TEMPLATE_ID)
        assert revisions(ws.root / ".history" / TEMPLATE_ID) == before  # nothing added to the deleted one's history
        assert [e.unfinished for e in ws.trash()] == [True]
    ws.create(editing.with_id(template_design(), TEMPLATE_ID))  # the move works now: it is done first
    assert len(ws.history(TEMPLATE_ID)) == 1  # a history of its own
    [after] = ws.trash()
    assert (after.key, after.unfinished) == (entry.key, False)
    assert revisions(trash_folder(ws) / "history") == before
    check_consistent(ws.root)
    # restoring the old one now: its id is taken, so it comes back beside it with its own history
    restored = ws.restore_from_trash(entry.key)
    assert restored == f"{TEMPLATE_ID}-restored"
    assert revisions(ws.root / ".history" / restored)[: len(before)] == before
    assert len(ws.history(TEMPLATE_ID)) == 1
    check_consistent(ws.root)


def test_finish_deletes_moves_what_was_left_once_it_can(tmp_path):
    ws, before = saved_three_times(tmp_path / "ws")
    with refused_moves(ws.root, ".history"):
        ws.delete(TEMPLATE_ID)
        assert ws.finish_deletes() == []  # still refused: nothing changes
        assert [e.unfinished for e in ws.trash()] == [True]
    assert ws.finish_deletes() == [TEMPLATE_ID]
    assert [(e.unfinished, e.revisions) for e in ws.trash()] == [(False, 3)]
    assert revisions(trash_folder(ws) / "history") == before
    assert ws.finish_deletes() == []


# --------------------------------------------------------------------------- a kill while restoring it


def _restore_in_place(ws: Workspace) -> None:
    with refused_moves(ws.root, ".history"):
        ws.restore_from_trash(ws.trash()[0].key)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forking is how a kill is placed at every step")
def test_a_kill_at_any_step_of_restoring_an_unfinished_delete_leaves_it_deleted_or_restored(tmp_path):
    template = tmp_path / "template"
    ws, _ = saved_three_times(template)
    with refused_moves(ws.root, ".history"):
        ws.delete(TEMPLATE_ID)
    reference = tmp_path / "reference"
    _copy(template, reference)
    _restore_in_place(Workspace(reference))
    check_consistent(reference)
    after = state(reference)
    deleted = tmp_path / "deleted"
    _copy(template, deleted)
    check_consistent(deleted)  # opening finishes the delete
    before = state(deleted)
    assert after != before
    step, outcomes = 1, {"before": 0, "after": 0}
    while True:
        root = tmp_path / f"run{step}"
        _copy(template, root)
        completed = run_killed_at(step, _restore_in_place, root)
        check_consistent(root)
        now = state(root)
        assert now in (before, after), f"killed at step {step}: neither deleted nor restored"
        outcomes["after" if now == after else "before"] += 1
        if completed:
            break
        step += 1
    assert outcomes["before"] >= 1 and outcomes["after"] >= 1


# --------------------------------------------------------------------------- what the app says


def test_the_library_tells_of_an_unfinished_delete_and_finishes_it_once_it_can(app_env):  # noqa: F811
    at = AppTest.from_file(str(Path(__file__).parents[1] / "app.py"), default_timeout=60).run()
    with refused_moves(app_env, ".history"):
        at.button(key=f"del.{TEMPLATE_ID}").click().run()
        assert not at.exception
        said = [t.value for t in at.toast]
        assert said == [text("notice.deleted_unfinished", "ja", id=md(TEMPLATE_ID))]  # the id as Markdown
        assert "変更履歴はまだ元の場所にあります" in said[0]
        assert text("home.unfinished", "ja") in [c.value for c in at.caption]
        at.session_state["lang"] = "en"
        at.run()
        assert text("home.unfinished", "en") in [c.value for c in at.caption]
    at.run()  # the move works now: the library finishes it
    assert not at.exception
    assert text("home.unfinished", "en") not in [c.value for c in at.caption]
    [entry] = Workspace(app_env).trash()
    assert not entry.unfinished and entry.revisions == 1


def test_purging_an_unfinished_delete_is_refused_until_its_history_can_go_with_it(tmp_path):
    ws, before = saved_three_times(tmp_path / "ws")
    with refused_moves(ws.root, ".history"):
        entry = ws.delete(TEMPLATE_ID)
        with pytest.raises(WorkspaceError) as refused:
            ws.purge(entry.key)
        assert refused.value.first.key == "workspace.no_permission"
        assert "could not delete for good" in refused.value.first.message
        assert [(e.key, e.unfinished) for e in ws.trash()] == [(entry.key, True)]
        assert revisions(ws.root / ".history" / TEMPLATE_ID) == before
    ws.purge(entry.key)  # the history goes with it
    assert ws.trash() == [] and not (ws.root / ".history" / TEMPLATE_ID).exists()
    check_consistent(ws.root)
    ws.create(editing.with_id(template_design(), TEMPLATE_ID))
    assert len(ws.history(TEMPLATE_ID)) == 1  # nothing of the purged design's history


def test_an_editor_saving_a_design_deleted_meanwhile_is_told_of_the_conflict_not_of_the_history(tmp_path):
    ws, before = saved_three_times(tmp_path / "ws")
    loaded = ws.load(TEMPLATE_ID)
    with refused_moves(ws.root, ".history"):
        ws.delete(TEMPLATE_ID)
        with pytest.raises(Conflict) as conflict:  # the app offers to save a copy or to save again
            ws.save(editing.set_meta(loaded.design, "ja", name="四版目"), loaded.version)
        assert conflict.value.current is None and "was deleted after you opened it" in conflict.value.first.message
        assert revisions(ws.root / ".history" / TEMPLATE_ID) == before


def test_a_history_left_behind_that_links_outside_is_not_counted_and_the_entry_still_restores(tmp_path):
    ws, before = saved_three_times(tmp_path / "ws")
    with refused_moves(ws.root, ".history"):
        entry = ws.delete(TEMPLATE_ID)
    outside = tmp_path / "outside"
    (ws.root / ".history" / TEMPLATE_ID).rename(outside)  # then linked back from outside, by hand
    (ws.root / ".history" / TEMPLATE_ID).symlink_to(outside, target_is_directory=True)
    assert [(e.key, e.unfinished, e.revisions) for e in ws.trash()] == [(entry.key, True, 0)]
    with pytest.raises(WorkspaceError) as refused:
        ws.restore_from_trash(entry.key)
    assert refused.value.first.key == "workspace.outside_link"
    assert revisions(outside) == before  # nothing written there


def test_a_delete_still_refused_does_not_keep_the_opening_from_settling_the_others(tmp_path):
    ws, _ = saved_three_times(tmp_path / "ws")
    ws.create(editing.with_id(template_design(), "zzz-other"))  # settled after the stuck one (by id)
    before = ws.path("zzz-other").read_bytes()
    with refused_moves(ws.root, ".history"):
        ws.delete(TEMPLATE_ID)
        # a save of the other design killed after writing its revision, before its file: to be taken back
        changed = dump_yaml(editing.set_meta(ws.load("zzz-other").design, "ja", name="途中で止まった保存")).encode("utf-8")
        ws.store.journal.begin("zzz-other", "save", version=version_of(changed), number=2)
        ws.store.add_revision("zzz-other", changed, "")
        reopened = Workspace.open(ws.root)
        assert [e.unfinished for e in reopened.trash()] == [True]  # still refused: left for later
        assert not (ws.root / ".journal" / "zzz-other.json").exists()  # settled all the same
        assert revisions(ws.root / ".history" / "zzz-other") == [before]
        assert ws.path("zzz-other").read_bytes() == before
    check_consistent(ws.root)


def test_restoring_an_earlier_entry_with_the_same_id_meanwhile_keeps_the_histories_apart(tmp_path):
    ws, _ = saved_three_times(tmp_path / "ws")
    first_history = revisions(ws.root / ".history" / TEMPLATE_ID)
    first = ws.delete(TEMPLATE_ID)  # deleted completely
    ws.create(editing.set_meta(editing.with_id(template_design(), TEMPLATE_ID), "ja", name="二代目"))
    second_history = revisions(ws.root / ".history" / TEMPLATE_ID)
    with refused_moves(ws.root, ".history"):
        second = ws.delete(TEMPLATE_ID)  # its history stays where it is
        assert {e.key: e.unfinished for e in ws.trash()} == {first.key: False, second.key: True}
        restored = ws.restore_from_trash(first.key)  # the id's history is the other entry's
    assert restored == f"{TEMPLATE_ID}-restored"
    assert revisions(ws.root / ".history" / restored)[: len(first_history)] == first_history
    assert revisions(ws.root / ".history" / TEMPLATE_ID) == second_history  # untouched, still the second's
    reopened = check_consistent(ws.root)
    [entry] = reopened.trash()
    assert (entry.key, entry.unfinished) == (second.key, False)
    assert revisions(ws.root / ".trash" / second.key / "history") == second_history
