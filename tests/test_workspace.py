"""The workspace: seeding, atomic saves with history, conflicts, locks, drafts, trash."""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest

from journeymap.editing import operations as editing
from journeymap.errors import InputError
from journeymap.workspace import facade, store
from journeymap.workspace.facade import Workspace
from journeymap.workspace.folder import Conflict, WorkspaceError
from tests.app_support import APP_LIBRARY, TEMPLATE_ID, template_design


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(APP_LIBRARY))
    return Workspace.open(tmp_path / "ws")


def renamed(design, name):
    return editing.set_meta(design, "ja", name=name)


# --------------------------------------------------------------------------- set-up


def test_first_start_seeds_a_starter_design_from_the_library(ws):
    assert [e.id for e in ws.entries()] == [TEMPLATE_ID]
    assert ws.load(TEMPLATE_ID).design == template_design()
    assert len(ws.history(TEMPLATE_ID)) == 1


def test_a_deleted_starter_design_is_not_seeded_again(ws):
    ws.delete(TEMPLATE_ID)
    assert Workspace.open(ws.root).entries() == []


def test_the_root_comes_from_the_environment_or_defaults_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNEYMAP_WORKSPACE", str(tmp_path / "mine"))
    assert facade.default_root() == tmp_path / "mine"
    monkeypatch.delenv("JOURNEYMAP_WORKSPACE")
    monkeypatch.chdir(tmp_path)
    assert facade.default_root() == tmp_path / "workspace"


def test_an_unwritable_root_is_reported_not_raised_as_a_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(WorkspaceError, match="cannot create the workspace"):
        Workspace.open(blocker / "ws")


# --------------------------------------------------------------------------- save and history


def test_save_keeps_every_earlier_version(ws):
    loaded = ws.load(TEMPLATE_ID)
    v2 = ws.save(renamed(loaded.design, "第二版"), loaded.version)
    v3 = ws.save(renamed(ws.load(TEMPLATE_ID).design, "第三版"), v2)
    assert ws.load(TEMPLATE_ID).version == v3
    assert [r.number for r in ws.history(TEMPLATE_ID)] == [3, 2, 1]
    assert "第二版" in ws.revision_text(TEMPLATE_ID, 2)
    assert "第三版" in ws.revision_text(TEMPLATE_ID, 3)
    assert ws.history(TEMPLATE_ID)[-1].note == f"template {TEMPLATE_ID}"


def test_saving_unchanged_content_adds_no_version(ws):
    loaded = ws.load(TEMPLATE_ID)
    assert ws.save(loaded.design, loaded.version) == loaded.version
    assert len(ws.history(TEMPLATE_ID)) == 1


def test_diff_and_restore_of_an_earlier_version(ws):
    loaded = ws.load(TEMPLATE_ID)
    v2 = ws.save(renamed(loaded.design, "改訂版"), loaded.version)
    diff = ws.diff(TEMPLATE_ID, 1)
    assert "+name: {ja: 改訂版, en: B2B outbound with a call agency}" in diff
    assert diff.startswith(f"--- {TEMPLATE_ID}.yaml (version 1)")
    v3 = ws.restore(TEMPLATE_ID, 1, v2)
    assert ws.load(TEMPLATE_ID).design == loaded.design
    assert v3 == loaded.version
    assert ws.history(TEMPLATE_ID)[0].note == "restored version 1"
    assert [r.number for r in ws.history(TEMPLATE_ID)] == [3, 2, 1]


def test_a_file_edited_by_hand_is_kept_in_the_history_before_the_next_save(ws):
    path = ws.path(TEMPLATE_ID)
    path.write_text(path.read_text("utf-8").replace("法人営業 アウトバウンド", "手で直した名前"), "utf-8")
    loaded = ws.load(TEMPLATE_ID)
    ws.save(renamed(loaded.design, "保存した名前"), loaded.version)
    texts = [ws.revision_text(TEMPLATE_ID, r.number) for r in ws.history(TEMPLATE_ID)]
    assert any("手で直した名前" in t for t in texts)
    assert "保存した名前" in texts[0]


# --------------------------------------------------------------------------- conflicts and locks


def test_a_save_against_a_newer_version_raises_conflict_and_writes_nothing(ws):
    first = ws.load(TEMPLATE_ID)
    second = ws.load(TEMPLATE_ID)
    ws.save(renamed(first.design, "Aさんの変更"), first.version)
    before = ws.path(TEMPLATE_ID).read_bytes()
    with pytest.raises(Conflict) as caught:
        ws.save(renamed(second.design, "Bさんの変更"), second.version)
    assert "saved by someone else" in str(caught.value)
    assert caught.value.expected == second.version
    assert ws.path(TEMPLATE_ID).read_bytes() == before
    assert len(ws.history(TEMPLATE_ID)) == 2


def test_creating_a_design_whose_id_exists_is_a_conflict(ws):
    with pytest.raises(Conflict, match="already exists"):
        ws.create(template_design())


def test_saving_a_design_deleted_meanwhile_is_a_conflict(ws):
    loaded = ws.load(TEMPLATE_ID)
    ws.delete(TEMPLATE_ID)
    with pytest.raises(Conflict, match="deleted"):
        ws.save(renamed(loaded.design, "x"), loaded.version)


def test_two_concurrent_saves_from_the_same_version_never_lose_an_update(ws, monkeypatch):
    loaded = ws.load(TEMPLATE_ID)
    real_write = store.atomic_write

    def slow_write(path, content):  # widen the window between check and write
        time.sleep(0.05)
        real_write(path, content)

    monkeypatch.setattr(store, "atomic_write", slow_write)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def save(name: str) -> None:
        other = Workspace(ws.root)  # like a second app session: its own object, same folder
        barrier.wait()
        try:
            outcomes[name] = other.save(renamed(loaded.design, name), loaded.version)
        except Conflict as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=save, args=(n,)) for n in ("一人目", "二人目")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conflicts = [n for n, o in outcomes.items() if isinstance(o, Conflict)]
    winners = [n for n, o in outcomes.items() if isinstance(o, str)]
    assert len(conflicts) == 1 and len(winners) == 1
    assert ws.load(TEMPLATE_ID).version == outcomes[winners[0]]
    assert winners[0] in ws.path(TEMPLATE_ID).read_text("utf-8")
    assert len(ws.history(TEMPLATE_ID)) == 2


def _hold_lock(root: str, design_id: str, ready, release) -> None:
    with Workspace(root).folder.locked(design_id):
        ready.set()
        release.wait(10)


def test_the_lock_excludes_another_process(ws):
    context = multiprocessing.get_context("fork")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(str(ws.root), TEMPLATE_ID, ready, release))
    holder.start()
    try:
        assert ready.wait(10)
        loaded = ws.load(TEMPLATE_ID)
        done = threading.Event()
        worker = threading.Thread(target=lambda: (ws.save(renamed(loaded.design, "待った"), loaded.version), done.set()))
        worker.start()
        time.sleep(0.2)
        assert not done.is_set(), "the save went ahead while another process held the lock"
        release.set()
        worker.join(10)
        assert done.is_set()
    finally:
        release.set()
        holder.join(10)
    assert "待った" in ws.path(TEMPLATE_ID).read_text("utf-8")


# --------------------------------------------------------------------------- drafts


def test_drafts_are_validated_once_per_content_and_again_after_every_write(ws, monkeypatch):
    from journeymap.workspace import drafts as drafts_module

    loaded = ws.load(TEMPLATE_ID)
    reads = []
    real = drafts_module._parse
    monkeypatch.setattr(drafts_module, "_parse", lambda *a: reads.append(a) or real(*a))
    for n in range(3):  # rewritten at once, with text of the same length each time
        ws.save_draft(editing.set_meta(loaded.design, "ja", name=f"下書き{n}"), "tab1", loaded.version)
        assert [d.design.name.ja for d in ws.drafts(TEMPLATE_ID)] == [f"下書き{n}"]
        assert ws.drafts(TEMPLATE_ID)[0].design.name.ja == f"下書き{n}"
    assert len(reads) == 3, "each version validated once, however often it is listed"


def test_drafts_are_kept_per_session_until_discarded(ws):
    loaded = ws.load(TEMPLATE_ID)
    edited = renamed(loaded.design, "下書き")
    ws.save_draft(edited, "tab1", loaded.version)
    draft = ws.load_draft(TEMPLATE_ID, "tab1")
    assert draft.design == edited and draft.base_version == loaded.version
    assert ws.load_draft(TEMPLATE_ID, "tab2") is None
    assert [d.session for d in ws.drafts(TEMPLATE_ID)] == ["tab1"]
    assert ws.load(TEMPLATE_ID).design == loaded.design  # a draft is not a save
    ws.discard_draft(TEMPLATE_ID, "tab1")
    assert ws.load_draft(TEMPLATE_ID, "tab1") is None and ws.drafts(TEMPLATE_ID) == []


def test_a_damaged_draft_is_ignored(ws):
    ws.save_draft(ws.load(TEMPLATE_ID).design, "tab1", None)
    ws.draft_store.path(TEMPLATE_ID, "tab1").write_text("{not json", "utf-8")
    assert ws.load_draft(TEMPLATE_ID, "tab1") is None


# --------------------------------------------------------------------------- listing, duplicate, trash


def test_a_broken_file_is_listed_with_its_issue_and_loading_names_the_line(ws):
    (ws.root / "broken.yaml").write_text("schema_version: 1\nid: broken\nname: [\n", "utf-8")
    entry = next(e for e in ws.entries() if e.id == "broken")
    assert not entry.valid and entry.issues and entry.issues[0].line == 4
    with pytest.raises(InputError) as caught:
        ws.load("broken")
    assert caught.value.first.line is not None


def test_duplicate_saves_a_copy_under_a_free_id(ws):
    new_id = ws.duplicate(TEMPLATE_ID)
    assert new_id == f"{TEMPLATE_ID}-copy"
    copy = ws.load(new_id).design
    assert copy.id == new_id and copy.name.ja.endswith("のコピー") and copy.name.en.startswith("Copy of")
    assert ws.duplicate(TEMPLATE_ID) == f"{TEMPLATE_ID}-copy-2"


def test_delete_moves_to_the_trash_and_restore_brings_back_design_and_history(ws):
    loaded = ws.load(TEMPLATE_ID)
    ws.save(renamed(loaded.design, "消す前"), loaded.version)
    entry = ws.delete(TEMPLATE_ID)
    assert not ws.exists(TEMPLATE_ID)
    assert [t.key for t in ws.trash()] == [entry.key]
    assert entry.id == TEMPLATE_ID and entry.name == "消す前" and entry.revisions == 2
    assert ws.restore_from_trash(entry.key) == TEMPLATE_ID
    assert ws.load(TEMPLATE_ID).design.name.ja == "消す前"
    assert len(ws.history(TEMPLATE_ID)) == 2
    assert ws.trash() == []


def test_restoring_when_the_id_was_taken_meanwhile_uses_a_new_id(ws):
    entry = ws.delete(TEMPLATE_ID)
    ws.create(template_design())
    restored = ws.restore_from_trash(entry.key)
    assert restored == f"{TEMPLATE_ID}-restored"
    assert ws.load(restored).design.id == restored


def test_purge_removes_for_good(ws):
    entry = ws.delete(TEMPLATE_ID)
    ws.purge(entry.key)
    assert ws.trash() == []
    with pytest.raises(WorkspaceError):
        ws.restore_from_trash(entry.key)


@pytest.mark.parametrize("bad", ["../etc", "Upper", "a/b", "", ".hidden"])
def test_ids_that_are_not_slugs_are_refused(ws, bad):
    with pytest.raises(WorkspaceError):
        ws.path(bad)
    with pytest.raises(WorkspaceError):
        ws.purge(bad or "x/y")


def test_what_another_person_changed_meanwhile_is_said_in_the_app_language(ws):
    """Two planners: one deleted the design (or restored the trash entry) the other still acts on. The
    refusal is a catalogue text, so the Japanese app does not show the library's English."""
    from journeymap.text.problems import in_language

    kept = ws.create(template_design().model_copy(update={"id": "kept-copy"}))
    entry = ws.delete(TEMPLATE_ID)
    refusals = []
    for act in (lambda: ws.load(entry.id), lambda: ws.revision_text(kept, 99),
                lambda: ws.restore_from_trash("no-such-entry"), lambda: ws.delete(entry.id)):
        with pytest.raises(WorkspaceError) as caught:
            act()
        refusals.append(caught.value.first)
    ja = [in_language(issue, "ja") for issue in refusals]
    assert all(text and not any(word in text for word in ("no design", "nothing called", "trash")) for text in ja), ja
    assert f"ワークスペースに設計「{entry.id}」がありません" in ja[0] and f"「{kept}」に版 99 はありません" in ja[1]
    assert "ごみ箱に「no-such-entry」はありません" in ja[2] and ja[3] == ja[0]
    assert [issue.message for issue in refusals][2] == "nothing called 'no-such-entry' in the trash"  # the CLI's English
