"""Writes the system refuses, and links that leave the workspace.

- a full disk: a real 1 MB tmpfs filled up, then given back one page at a time, so that a save and a
  delete fail at each of their steps in turn (a failing writer stands in where mounting is refused);
- no permission: a read-only workspace written by an unprivileged user (the tests run as root, who
  is never refused: a forked child drops to `nobody`; the OS-call boundary is simulated only where
  there is no fork);
- a read-only file system: the tmpfs remounted read-only;
- symlinks inside the workspace that point outside it.

Each refusal must name the design, keep the previous version and its history, and leave no journal
record or temporary file behind.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from journeymap.editing import operations as editing
from journeymap.text.catalogue import text
from journeymap.workspace.facade import Workspace
from journeymap.workspace.folder import WorkspaceError
from tests.app_support import APP_LIBRARY, TEMPLATE_ID
from tests.test_workspace_crash import check_consistent

PAGE = 4096


@pytest.fixture(autouse=True)
def library(monkeypatch):
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(APP_LIBRARY))


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Path | None]:
    """A real 1 MB file system (tmpfs), or None where mounting is refused."""
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True).returncode == 0
    try:
        yield mount if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(mount)], check=False)


def history_count(ws: Workspace, design_id: str) -> int:
    return len(ws.history(design_id))


def bigger(ws: Workspace, n: int):
    """The starter design with a description that makes its file several pages long."""
    loaded = ws.load(TEMPLATE_ID)
    return editing.set_meta(loaded.design, "ja", description=f"版{n} " + "説明文" * 1600), loaded.version


def fill(disk: Path, leave: int) -> None:
    """Fill the disk, then free `leave` pages."""
    filler = disk / "filler"
    filler.unlink(missing_ok=True)
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * PAGE)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - leave * PAGE))


def assert_refused_cleanly(error: WorkspaceError, key: str, what: str) -> None:
    issue = error.first
    assert issue.key == key, issue.message
    values = dict(issue.values)
    assert values["id"] == TEMPLATE_ID
    assert f"'{TEMPLATE_ID}'" in issue.message and what in issue.message
    assert f"「{TEMPLATE_ID}」" in text(issue.key, "ja", **values)


def test_a_save_and_a_delete_on_a_full_disk_fail_at_each_step_with_the_previous_version_kept(small_disk, monkeypatch):
    if small_disk is None:  # no mounting here: a writer that fails after a budget of files stands in
        disk = Path(tempfile.mkdtemp())
        budget = {"files": 0}
        real_fsync = os.fsync

        def fsync(fd):
            if budget["files"] is not None and os.path.isfile(f"/proc/self/fd/{fd}"):
                if budget["files"] <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                budget["files"] -= 1
            return real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)

        def leave(pages: int) -> None:
            budget["files"] = pages

        def unlimited() -> None:
            budget["files"] = None
    else:
        disk = small_disk

        def leave(pages: int) -> None:
            fill(disk, pages)

        def unlimited() -> None:
            (disk / "filler").unlink(missing_ok=True)

    unlimited()
    ws = Workspace.open(disk / "ws")
    for n in range(3):
        ws.save(*bigger(ws, n))
    saved, revisions = ws.path(TEMPLATE_ID).read_bytes(), history_count(ws, TEMPLATE_ID)
    assert revisions == 4
    refused = 0
    for pages in range(40):
        leave(pages)
        try:
            ws.save(*bigger(ws, 99))
        except WorkspaceError as exc:
            refused += 1
            assert_refused_cleanly(exc, "workspace.disk_full", "the disk is full")
            assert ws.path(TEMPLATE_ID).read_bytes() == saved and history_count(ws, TEMPLATE_ID) == revisions
            unlimited()
            check_consistent(ws.root)
            continue
        break
    else:
        pytest.fail("the save never fitted")
    assert refused >= 3  # it failed at several steps before there was room for all of them
    unlimited()
    revisions = history_count(ws, TEMPLATE_ID)
    for pages in range(40):
        leave(pages)
        try:
            ws.delete(TEMPLATE_ID)
        except WorkspaceError as exc:
            assert_refused_cleanly(exc, "workspace.disk_full", "could not delete")
            unlimited()
            check_consistent(ws.root)
            assert history_count(ws, TEMPLATE_ID) == revisions  # the issue's delete on a full disk lost all four
            continue
        break
    unlimited()
    check_consistent(ws.root)
    assert [(e.id, e.revisions) for e in ws.trash()] == [(TEMPLATE_ID, revisions)]
    if small_disk is None:
        shutil.rmtree(disk)


def test_a_read_only_file_system_is_named_and_nothing_changes(small_disk, monkeypatch):
    disk = small_disk or Path(tempfile.mkdtemp())
    ws = Workspace.open(disk / "ws")
    saved = ws.path(TEMPLATE_ID).read_bytes()
    if small_disk is not None:
        assert subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True).returncode == 0
    else:  # no mounting here: the OS refuses every write under the folder
        refuse_writes(monkeypatch, disk, errno.EROFS)
    try:
        assert Workspace.open(ws.root).entries()  # a read-only workspace still opens and lists
        with pytest.raises(WorkspaceError) as refused:
            ws.save(*bigger(ws, 1))
        assert_refused_cleanly(refused.value, "workspace.read_only", "read-only file system")
        with pytest.raises(WorkspaceError) as refused:
            ws.delete(TEMPLATE_ID)
        assert refused.value.first.key == "workspace.read_only"
        assert ws.path(TEMPLATE_ID).read_bytes() == saved
    finally:
        if small_disk is not None:
            subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=False)


# --------------------------------------------------------------------------- permissions

def refuse_writes(monkeypatch, folder: Path, number: int) -> None:
    """Simulate the kernel refusing every write under `folder` with `number` (EACCES, EROFS)."""
    real_open, real_mkdir, real_replace, real_rename, real_unlink = os.open, os.mkdir, os.replace, os.rename, os.unlink

    def under(path) -> bool:
        return Path(os.fspath(path)).absolute().is_relative_to(folder)

    def refuse(path):
        raise OSError(number, os.strerror(number), os.fspath(path))

    def open_(path, flags, *args, **kwargs):
        if under(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            refuse(path)
        return real_open(path, flags, *args, **kwargs)

    for name, real in (("mkdir", real_mkdir), ("replace", real_replace), ("rename", real_rename), ("unlink", real_unlink)):
        monkeypatch.setattr(os, name, lambda path, *a, _real=real, **k: refuse(path) if under(path) else _real(path, *a, **k))
    monkeypatch.setattr(os, "open", open_)


def attempts(ws: Workspace, names: tuple[str, ...] = ("save", "delete")) -> dict[str, list]:
    """Try a save and a delete; the key and message of each refusal (None for one that succeeded)."""
    found: dict[str, list] = {}
    runs = {"save": lambda: ws.save(*bigger(ws, 1)), "delete": lambda: ws.delete(TEMPLATE_ID)}
    for name, run in ((n, runs[n]) for n in names):
        try:
            run()
            found[name] = [None, ""]
        except WorkspaceError as exc:
            found[name] = [exc.first.key, exc.first.message]
    return found


def as_nobody(run):
    """`run()` (a JSON result) in a forked child that has dropped root for the `nobody` user: a real EACCES."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            os.setgid(65534)
            os.setuid(65534)
            os.write(write, json.dumps(run()).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)


@pytest.mark.parametrize("read_only", ["the workspace", "the design's history"])
def test_a_folder_without_write_permission_is_named_and_nothing_changes(monkeypatch, read_only):
    folder = Path(tempfile.mkdtemp(prefix="jm-perm-"))
    try:
        os.chmod(folder, 0o755)
        ws = Workspace.open(folder / "ws")
        saved, revisions = ws.path(TEMPLATE_ID).read_bytes(), history_count(ws, TEMPLATE_ID)
        top = ws.root if read_only == "the workspace" else ws.root / ".history" / TEMPLATE_ID
        names = ("save", "delete") if read_only == "the workspace" else ("save",)
        (ws.root / ".journal").mkdir(exist_ok=True)
        for path in [ws.root, *ws.root.rglob("*")]:  # everything else may be written by anyone (as `nobody` too)
            os.chmod(path, 0o777 if path.is_dir() else 0o666)
        for path in [top, *top.rglob("*")]:
            os.chmod(path, 0o555 if path.is_dir() else 0o444)
        if os.geteuid() != 0:  # chmod is enough
            found = attempts(ws, names)
        elif hasattr(os, "fork"):  # root is never refused: the attempts run as `nobody`
            found = as_nobody(lambda: attempts(ws, names))
        else:  # root without fork: the kernel's refusal is simulated at the OS calls
            refuse_writes(monkeypatch, top, errno.EACCES)
            found = attempts(ws, names)
        assert found["save"][0] == "workspace.no_permission" and f"could not save '{TEMPLATE_ID}'" in found["save"][1]
        if "delete" in names:
            assert found["delete"][0] == "workspace.no_permission" and f"could not delete '{TEMPLATE_ID}'" in found["delete"][1]
        assert ws.path(TEMPLATE_ID).read_bytes() == saved and history_count(ws, TEMPLATE_ID) == revisions
        assert not list(ws.root.rglob("*.tmp"))
        for path in [top, *top.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        check_consistent(ws.root)  # nothing half-done is left for the next to open it
    finally:
        for path in [folder, *folder.rglob("*")]:
            os.chmod(path, 0o755)
        shutil.rmtree(folder)


# --------------------------------------------------------------------------- links that leave the workspace


def test_a_symlinked_history_folder_pointing_outside_is_refused_and_nothing_is_written_there(tmp_path):
    ws = Workspace.open(tmp_path / "ws")
    outside = tmp_path / "outside"
    outside.mkdir()
    history = ws.root / ".history" / TEMPLATE_ID
    shutil.rmtree(history)
    history.symlink_to(outside, target_is_directory=True)
    saved = ws.path(TEMPLATE_ID).read_bytes()
    with pytest.raises(WorkspaceError) as refused:
        ws.save(*bigger(ws, 1))
    issue = refused.value.first
    assert issue.key == "workspace.outside_link" and f".history/{TEMPLATE_ID}" in issue.message
    assert "ワークスペースの外を指すリンク" in text(issue.key, "ja", **dict(issue.values))
    assert list(outside.iterdir()) == [] and ws.path(TEMPLATE_ID).read_bytes() == saved
    with pytest.raises(WorkspaceError):
        ws.delete(TEMPLATE_ID)
    assert list(outside.iterdir()) == [] and ws.path(TEMPLATE_ID).read_bytes() == saved
    listed = Workspace(ws.root).entries()  # the Library still lists the design, without an author
    assert [(e.id, e.valid, e.saved_by) for e in listed] == [(TEMPLATE_ID, True, None)]


@pytest.mark.parametrize("link", [".trash", ".drafts", ".journal", ".locks"])
def test_the_workspaces_own_folders_linked_outside_are_refused(tmp_path, link):
    ws = Workspace.open(tmp_path / "ws")
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(ws.root / link, ignore_errors=True)
    (ws.root / link).symlink_to(outside, target_is_directory=True)
    loaded = ws.load(TEMPLATE_ID)
    with pytest.raises(WorkspaceError) as refused:
        if link == ".drafts":
            ws.save_draft(loaded.design, "abc123", loaded.version)
        elif link == ".trash":
            ws.delete(TEMPLATE_ID)
        else:
            ws.save(*bigger(ws, 1))
    assert refused.value.first.key == "workspace.outside_link"
    assert list(outside.iterdir()) == []
    assert ws.path(TEMPLATE_ID).read_bytes() == (ws.root / f"{TEMPLATE_ID}.yaml").read_bytes()


def test_a_design_file_linked_outside_is_listed_as_refused_and_never_read(tmp_path):
    ws = Workspace.open(tmp_path / "ws")
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n", "utf-8")
    (ws.root / "leak.yaml").symlink_to(secret)
    entry = next(e for e in ws.entries() if e.id == "leak")
    assert not entry.valid and entry.issues[0].key == "workspace.outside_link"
    assert "hunter2" not in str(entry.issues[0])
    with pytest.raises(WorkspaceError):
        ws.load("leak")
    inside = ws.root / "alias.yaml"  # a link that stays inside is a file like any other
    inside.symlink_to(ws.path(TEMPLATE_ID))
    assert next(e for e in ws.entries() if e.id == "alias").valid
