"""Atomic file replacement: a reader sees the old file or the new one, never half of either.

The temporary file is written beside the target as `.<name>.<pid>-<random>.tmp`: a process killed
while writing leaves it behind, and `stale_temporary` tells such a leftover (its process is gone)
from a write in progress, so that whoever opens the folder next can remove it.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path

TEMPORARY = re.compile(r"^\..+\.(?P<pid>\d+)-[^.]+\.tmp$")
"""The name of a temporary file of `atomic_write`, with the writing process's id."""


def atomic_write(path: str | os.PathLike, content: bytes) -> None:
    """Replace `path` with `content`: write a temporary file beside it, fsync, rename, fsync the folder."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    sync_folder(target.parent)


def sync_folder(folder: str | os.PathLike) -> None:
    """Make the renames and removals in `folder` durable (fsync of the directory; best effort)."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


OLD_TEMPORARY = 3600.0
"""Seconds after which a temporary file without a process id in its name counts as left over."""


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def stale_temporary(path: Path) -> bool:
    """Whether `path` is a temporary file of `atomic_write` whose process no longer runs."""
    found = TEMPORARY.match(path.name)
    if found is None:  # written before temporary names carried the process id: stale after an hour
        return path.name.startswith(".") and path.name.endswith(".tmp") and _age(path) > OLD_TEMPORARY
    pid = int(found["pid"])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False  # a process of another user runs under that id
    return False
