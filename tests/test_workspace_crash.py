"""Operations over several files survive a kill at any point: every design is as it was before or after.

Two ways of killing:
- every step: a forked child runs one operation and `os._exit`s just before its k-th file-system
  call (k = 1, 2, ... until the operation completes); the parent opens the workspace (which settles
  the journal) and compares it with the states before and after the operation;
- kill -9: a forked process loops over random saves, deletes, restores and purges and is killed
  with SIGKILL at random moments, 50 times (`bench/crash_bench.py` runs longer loops of separate
  processes); after each kill every design must be readable, none lost, the
  history in step with the file and the index in step with the folder.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from journeymap.editing import operations as editing
from journeymap.workspace.facade import Workspace
from journeymap.workspace.folder import JOURNAL, version_of
from tests.app_support import APP_LIBRARY, TEMPLATE_ID, template_design

# --------------------------------------------------------------------------- the state of a workspace


def state(root: Path) -> dict:
    """What a person would call the workspace's content: designs, their histories, the trash, drafts
    (contents only: trash keys and save times differ from one run to the next)."""
    designs = {p.stem: p.read_bytes() for p in sorted(root.glob("*.yaml"))}
    histories = {
        p.name: tuple(r.read_bytes() for r in sorted(p.glob("*.yaml")))
        for p in sorted((root / ".history").glob("*")) if any(p.glob("*.yaml"))
    }
    trash = sorted(
        ((p / "design.yaml").read_bytes(), tuple(r.read_bytes() for r in sorted((p / "history").glob("*.yaml"))),
         tuple(sorted(d.name for d in (p / "drafts").glob("*.json"))))
        for p in (root / ".trash").glob("*") if not p.name.startswith(".")
    ) if (root / ".trash").is_dir() else []
    drafts = {p.name: tuple(sorted(d.name for d in p.glob("*.json"))) for p in sorted((root / ".drafts").glob("*"))
              if any(p.glob("*.json"))}
    return {"designs": designs, "histories": histories, "trash": trash, "drafts": drafts}


def check_consistent(root: Path) -> Workspace:
    """Open the workspace (settling what a kill left) and check what must always hold; return it."""
    ws = Workspace.open(root)
    assert not list((root / JOURNAL).glob("*.json")) if (root / JOURNAL).is_dir() else True, "a journal record was left"
    leftovers = [p for p in root.rglob("*.tmp") if ".locks" not in p.parts]
    assert leftovers == [], f"temporary files left: {leftovers}"
    assert not list((root / ".trash").glob(".gone-*")) if (root / ".trash").is_dir() else True
    files = {p.stem for p in root.glob("*.yaml")}
    entries = ws.entries()
    assert {e.id for e in entries} == files
    for entry in entries:
        content = ws.path(entry.id).read_bytes()
        assert entry.valid, entry.issues
        assert entry.version == version_of(content)
        loaded = ws.load(entry.id)
        assert loaded.version == entry.version
        revisions = sorted((root / ".history" / entry.id).glob("*.yaml"))
        assert revisions and revisions[-1].read_bytes() == content, f"{entry.id}: the history is not in step with the file"
    if (root / ".trash").is_dir():
        for folder in (root / ".trash").iterdir():
            assert (folder / "design.yaml").is_file(), f"{folder.name}: a trash folder without its design"
    return ws


# --------------------------------------------------------------------------- every step


class Crash(Exception):
    pass


STEPS = ("replace", "rename", "unlink", "mkdir", "rmdir", "fsync", "chmod", "open")
DONE = 7


def run_killed_at(step: int, operation, root: Path) -> bool:
    """Run `operation(workspace)` in a forked child that dies just before its `step`-th file-system
    call; return whether the operation completed before that step."""
    pid = os.fork()
    if pid == 0:  # the child: count the calls, die at the chosen one, never return into pytest
        try:
            ws = Workspace(root)
            calls = 0
            real = {name: getattr(os, name) for name in STEPS}

            def counting(name):
                def call(*args, **kwargs):
                    nonlocal calls
                    calls += 1
                    if calls == step:
                        os._exit(0)  # a kill: no cleanup, no finally, nothing flushed
                    return real[name](*args, **kwargs)
                return call

            for name in STEPS:
                setattr(os, name, counting(name))
            operation(ws)
            os._exit(DONE)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    assert code in (0, DONE), f"the operation failed in the child (exit {code})"
    return code == DONE


def seeded(root: Path) -> Workspace:
    """A workspace with the starter design saved three times, a draft of it, and a second design in the trash."""
    ws = Workspace.open(root)
    for name in ("二版目", "三版目"):
        loaded = ws.load(TEMPLATE_ID)
        ws.save(editing.set_meta(loaded.design, "ja", name=name), loaded.version)
    ws.save_draft(editing.set_meta(ws.load(TEMPLATE_ID).design, "ja", name="下書き"), "abc123", ws.current_version(TEMPLATE_ID))
    ws.create(editing.with_id(template_design(), "gone"))
    ws.save_draft(editing.with_id(template_design(), "gone"), "def456", ws.current_version("gone"))
    ws.delete("gone")
    return ws


def _save(ws):
    loaded = ws.load(TEMPLATE_ID)
    ws.save(editing.set_meta(loaded.design, "ja", name="四版目"), loaded.version)


OPERATIONS = {
    "save": _save,
    "create": lambda ws: ws.create(editing.with_id(template_design(), "fresh")),
    "restore a version": lambda ws: ws.restore(TEMPLATE_ID, 1, ws.current_version(TEMPLATE_ID)),
    "delete": lambda ws: ws.delete(TEMPLATE_ID),
    "restore from the trash": lambda ws: ws.restore_from_trash(ws.trash()[0].key),
    "purge": lambda ws: ws.purge(ws.trash()[0].key),
}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forking is how a kill is placed at every step")
@pytest.mark.parametrize("name", list(OPERATIONS))
def test_a_kill_at_any_step_leaves_the_workspace_as_before_or_after(tmp_path, monkeypatch, name):
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(APP_LIBRARY))
    operation = OPERATIONS[name]
    seeded(tmp_path / "template")
    reference = tmp_path / "reference"
    _copy(tmp_path / "template", reference)
    before = state(reference)
    operation(Workspace.open(reference))
    after = state(reference)
    assert after != before
    step, outcomes = 1, {"before": 0, "after": 0}
    while True:
        root = tmp_path / f"run{step}"
        _copy(tmp_path / "template", root)
        completed = run_killed_at(step, operation, root)
        check_consistent(root)
        now = state(root)
        assert now in (before, after), f"killed at step {step} of {name}: neither before nor after"
        outcomes["after" if now == after else "before"] += 1
        if completed:
            break
        step += 1
    assert outcomes["before"] >= 1 and outcomes["after"] >= 1  # the kills landed on both sides of the commit point


def _copy(source: Path, target: Path) -> None:
    import shutil

    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns(".locks"))


# --------------------------------------------------------------------------- kill -9, 50 times

def churn(ws: Workspace, seed: int) -> None:
    """Random saves, deletes, restores and purges, forever (until killed)."""
    from journeymap.workspace.folder import WorkspaceError

    rng = random.Random(seed)
    n = 0
    while True:
        n += 1
        ids = [e.id for e in ws.entries()]
        trash = ws.trash()
        choice = rng.random()
        try:
            if ids and choice < 0.45:
                design_id = rng.choice(ids)
                loaded = ws.load(design_id)
                name = loaded.design.name.ja.split(" v")[0] + f" v{n}"
                ws.save(editing.set_meta(loaded.design, "ja", name=name), loaded.version)
            elif ids and choice < 0.65:
                ws.delete(rng.choice(ids))
            elif trash and choice < 0.9:
                ws.restore_from_trash(rng.choice(trash).key)
            elif len(trash) > 3:
                ws.purge(sorted(trash, key=lambda e: e.deleted_at)[0].key)
        except WorkspaceError:
            pass


def lineages(ws: Workspace) -> dict[str, int]:
    """Each design's lineage (the name it was created with) and its revision count, on top or in the trash."""
    found = [(entry.name("ja").split(" v")[0], len(ws.history(entry.id))) for entry in ws.entries()]
    found += [(str(item.name).split(" v")[0], item.revisions) for item in ws.trash()]
    by_lineage = dict(found)
    assert len(by_lineage) == len(found), f"a design is there twice: {sorted(found)}"
    return by_lineage


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the process to kill is forked")
def test_fifty_kill_9_during_saves_deletes_and_restores_lose_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(APP_LIBRARY))
    root = tmp_path / "ws"
    ws = Workspace.open(root)
    base = ws.load(TEMPLATE_ID).design
    for i in range(6):
        ws.create(editing.set_meta(editing.with_id(base, f"d{i}"), "ja", name=f"系統{i}"))
    ws.delete(TEMPLATE_ID)
    ws.purge(ws.trash()[0].key)
    known = lineages(ws)
    assert len(known) == 6
    rng = random.Random(13)
    purged = settled = 0
    # At least 50 kills, and on until 5 of them have landed inside an operation over several files (how
    # many do depends on the machine's speed: 4 of 50 on a quiet one), at most 200.
    for round_number in range(200):
        if round_number >= 50 and settled >= 5:
            break
        pid = os.fork()
        if pid == 0:
            try:
                churn(ws, round_number)  # the parent's workspace, its index read already
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0.02, 0.4))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        settled += bool(Workspace(root).recover())
        ws = check_consistent(root)
        now = lineages(ws)
        lost = set(known) - set(now)
        purged += len(lost)  # a purge is the one way a design may leave, and only from a trash of more than 3
        assert len(now) + purged == 6 and len(now) >= 3, f"round {round_number}: lost {lost}"
        for lineage, revisions in now.items():
            assert revisions >= known.get(lineage, 0), f"round {round_number}: {lineage} lost revisions"
        known = now
    assert settled >= 5, f"only {settled} of 200 kills landed inside an operation over several files"


def test_recovery_does_not_touch_an_operation_a_live_process_holds(tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(APP_LIBRARY))
    ws = Workspace.open(tmp_path / "ws")
    ws.store.journal.begin(TEMPLATE_ID, "save", version="0" * 16, number=99)
    with ws.folder.locked(TEMPLATE_ID):  # as if another process were saving right now
        assert Workspace(ws.root).recover() == []
        assert ws.store.journal.pending() == [TEMPLATE_ID]
    assert Workspace(ws.root).recover() == [TEMPLATE_ID]
    assert ws.store.journal.pending() == []
    check_consistent(ws.root)


def test_leftover_temporary_files_are_removed_on_open_but_not_those_of_a_live_writer(tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(APP_LIBRARY))
    ws = Workspace.open(tmp_path / "ws")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    dead_pid = int(dead.stdout)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        history = ws.root / ".history" / TEMPLATE_ID
        stale = [ws.root / f".{TEMPLATE_ID}.yaml.{dead_pid}-x1y2.tmp", history / f".000002.yaml.{dead_pid}-ab.tmp",
                 ws.root / ".journal" / f".{TEMPLATE_ID}.json.{dead_pid}-cd.tmp"]
        busy = ws.root / f".{TEMPLATE_ID}.yaml.{live.pid}-zz.tmp"
        old_style = ws.root / ".other.yaml.k3j4.tmp"
        for path in [*stale, busy, old_style]:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"half")
        os.utime(old_style, (time.time() - 2 * 3600,) * 2)
        Workspace.open(ws.root)
        assert [p.exists() for p in stale] == [False, False, False]
        assert busy.exists() and not old_style.exists()
    finally:
        live.kill()
        live.wait()


def test_a_trash_folder_left_without_its_design_by_an_older_version_is_listed_again(tmp_path, monkeypatch):
    # Before the journal, a kill during delete left the history in a trash folder that nothing listed.
    from journeymap.designfile.writing import dump_yaml

    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(APP_LIBRARY))
    ws = seeded(tmp_path / "ws")
    orphan = ws.root / ".trash" / "20240101-000000-000000-lost"
    (orphan / "history").mkdir(parents=True)
    for number, name in ((1, "一版目"), (2, "二版目")):
        design = editing.set_meta(editing.with_id(template_design(), "lost"), "ja", name=name)
        (orphan / "history" / f"{number:06d}.yaml").write_text(dump_yaml(design), "utf-8")
    empty = ws.root / ".trash" / "20240101-000000-000000-empty"
    empty.mkdir()
    reopened = Workspace.open(ws.root)
    listed = {item.id: item.revisions for item in reopened.trash()}
    assert listed["lost"] == 2 and not empty.exists()
    restored = reopened.restore_from_trash(orphan.name)
    assert reopened.load(restored).design.name.ja == "二版目"
