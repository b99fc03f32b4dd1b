"""The workspace's plumbing: folder names, id checks, revision files, JSON, file locks, errors."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from journeymap.errors import InputError
from journeymap.model import slugify

HISTORY = ".history"
DRAFTS = ".drafts"
TRASH = ".trash"
LOCKS = ".locks"


class WorkspaceError(InputError):
    """A workspace operation that cannot be done as asked (no such design, id taken, ...)."""


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


def check_id(value: str, what: str = "design id") -> None:
    if not isinstance(value, str) or not value or slugify(value) != value:
        raise WorkspaceError(f"'{value}' is not a valid {what}: use lowercase letters, digits and '-'")


def revision_name(number: int) -> str:
    return f"{number:06d}.yaml"


def revision_numbers(folder: Path) -> list[int]:
    if not folder.is_dir():
        return []
    return sorted(int(p.stem) for p in folder.glob("*.yaml") if p.stem.isdigit())


def read_json(path: Path, default):
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return default


def json_bytes(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


try:  # POSIX
    import fcntl

    def lock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)

    def unlock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

except ImportError:  # Windows
    import msvcrt

    def lock(handle) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)

    def unlock(handle) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
