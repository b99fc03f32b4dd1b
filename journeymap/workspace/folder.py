"""The workspace folder: where each file lives, id checks, the per-design lock, version tokens, errors.

Every part of the workspace (`store`, `drafts`, `trash`) is handed the same `Folder` and finds its
files through it; only the folder knows the layout:

    <id>.yaml                    the current version of each design
    .history/<id>/000001.yaml    every saved version, numbered
    .history/<id>/000001.json    who saved it, when, and why (older histories: notes.json for all)
    .drafts/<id>/<session>.json  unsaved edits of one browser session, autosaved on every change
    .trash/<stamp>-<id>/         deleted designs with their history, until restored or purged
    .locks/<id>.lock             held around check-and-write, so two processes cannot interleave
    .journal/<id>.json           an operation over several files under way (see `journal`)

No path the workspace reads or writes may leave the folder: a link inside it that points outside
(a symlinked `.history/<id>`, a design file linked to `/etc/...`) is refused (`inside`). A write
the system refuses (a full disk, no permission, a read-only file system) becomes a message naming
the design (`writing`).
"""

from __future__ import annotations

import errno
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from journeymap.errors import InputError
from journeymap.model import slugify
from journeymap.text.problems import phrase, problem

HISTORY = ".history"
DRAFTS = ".drafts"
TRASH = ".trash"
LOCKS = ".locks"
JOURNAL = ".journal"


class WorkspaceError(InputError):
    """A workspace operation that cannot be done as asked (no such design, id taken, ...)."""


def keyed_error(key: str, source: str | None = None, **values: Any) -> WorkspaceError:
    """A WorkspaceError whose message is the catalogue's `key` (English here, the app's language in the app)."""
    return WorkspaceError(problem(key, source=source, **values))


_WRITE_ERRORS = {
    errno.ENOSPC: "workspace.disk_full",
    errno.EDQUOT: "workspace.disk_full",
    errno.EACCES: "workspace.no_permission",
    errno.EPERM: "workspace.no_permission",
    errno.EROFS: "workspace.read_only",
}


def write_error(design_id: str, what: str, exc: OSError) -> WorkspaceError:
    """The message for a write the system refused, naming the design; `what` is save, delete, restore or purge."""
    key = _WRITE_ERRORS.get(exc.errno or 0, "workspace.write_failed")
    return keyed_error(key, what=phrase(f"workspace.what.{what}"), id=design_id, reason=exc.strerror or str(exc))


class Conflict(WorkspaceError):
    """The design changed on disk since this editor loaded it."""

    def __init__(self, design_id: str, expected: str | None, current: str | None, source: str):
        self.design_id = design_id
        self.expected = expected
        self.current = current
        if current is None:
            message = f"'{design_id}' was deleted after you opened it"
        elif expected is None:
            message = f"a design with the id '{design_id}' already exists"
        else:
            message = f"'{design_id}' was saved by someone else after you opened it"
        super().__init__(message, source=source)


def version_of(content: bytes) -> str:
    """The version token of a file's content."""
    return hashlib.sha256(content).hexdigest()[:16]


def check_id(value: str, what: str = "design") -> None:
    """Refuse a name that is not a slug; `what` is design, session or lock."""
    if not isinstance(value, str) or not value or slugify(value) != value:
        raise keyed_error("workspace.invalid_id", value=value, what=phrase(f"workspace.id_kind.{what}"))


def revision_name(number: int) -> str:
    return f"{number:06d}.yaml"


def revision_meta_name(number: int) -> str:
    """The file beside a revision that says who saved it, when and why."""
    return f"{number:06d}.json"


def revision_numbers(folder: Path) -> list[int]:
    if not folder.is_dir():
        return []
    return sorted(int(p.stem) for p in folder.glob("*.yaml") if p.stem.isdigit())


def read_json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return default


def json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Folder:
    """The workspace's folder and the place of everything in it."""

    root: Path

    def design(self, design_id: str) -> Path:
        """`<root>/<id>.yaml` (WorkspaceError when the id is not a slug, or the file links outside)."""
        check_id(design_id)
        return self.inside(self.root / f"{design_id}.yaml")

    def designs(self) -> list[Path]:
        """The design files at the top of the folder, by name."""
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.glob("*.yaml") if not p.name.startswith("."))

    def history(self, design_id: str) -> Path:
        check_id(design_id)
        return self.inside(self.root / HISTORY / design_id)

    def drafts(self, design_id: str) -> Path:
        check_id(design_id)
        return self.inside(self.root / DRAFTS / design_id)

    def inside(self, path: Path) -> Path:
        """`path`, when it stays inside the workspace once every link on the way is followed."""
        root = self.root.resolve()
        real = path.resolve()
        if real != root and root not in real.parents:
            name = str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)
            raise keyed_error("workspace.outside_link", source=str(self.root), name=name)
        return path

    @contextmanager
    def writing(self, design_id: str, what: str) -> Iterator[None]:
        """Turn a write the system refuses (ENOSPC, EACCES, EROFS, ...) into a message naming the design."""
        try:
            yield
        except OSError as exc:
            raise write_error(design_id, what, exc) from exc

    def author_of(self, design_id: str, content: bytes) -> str | None:
        """Who saved `content` as the design's newest revision; None when it is not that (a file
        edited by hand since) or the history does not say (saved before authors were recorded)."""
        try:
            folder = self.history(design_id)
        except WorkspaceError:  # a history linked outside the workspace says nothing
            return None
        numbers = revision_numbers(folder)
        try:
            if not numbers or (folder / revision_name(numbers[-1])).read_bytes() != content:
                return None
        except OSError:
            return None
        meta = read_json(folder / revision_meta_name(numbers[-1]), {})
        by = meta.get("by") if isinstance(meta, dict) else None
        return str(by) if by else None

    @property
    def trash(self) -> Path:
        return self.inside(self.root / TRASH)

    @property
    def journal(self) -> Path:
        return self.inside(self.root / JOURNAL)

    def error(self, key: str, **values: Any) -> WorkspaceError:
        """A WorkspaceError about this workspace: the catalogue's `key` (`workspace.*`) with its values."""
        return keyed_error(key, source=str(self.root), **values)

    @contextmanager
    def locked(self, name: str) -> Iterator[None]:
        """Hold the lock file of a design (or trash entry): other threads and processes wait for it (`filelock`)."""
        with self._lock(name, None):
            yield

    @contextmanager
    def try_locked(self, name: str) -> Iterator[bool]:
        """Hold the lock of `name` if no one else does; yield whether it is held (recovery skips busy ones)."""
        lock = self._lock(name, 0)
        try:
            lock.acquire()
        except Timeout:
            yield False
            return
        try:
            yield True
        finally:
            lock.release()

    def _lock(self, name: str, timeout: float | None) -> FileLock:
        check_id(name, "lock")
        folder = self.inside(self.root / LOCKS)
        folder.mkdir(parents=True, exist_ok=True)
        return FileLock(folder / f"{name}.lock", timeout=-1 if timeout is None else timeout)
