"""Previews drawn once per design version: a bounded memory cache over a hidden cache folder.

A preview's key names the design version it shows (`<id>-<version>-<view>-<lang>`), so a saved
change makes a new key and an old picture is never shown for a new version. The memory cache
keeps the `MEMORY_ITEMS` most recently used pictures for every session of the server; the folder
`.cache/previews/` in the workspace keeps them across restarts, up to `FOLDER_ITEMS` files (the
oldest go first). The workspace does not draw: the caller passes the function that does.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable

from journeymap.designfile.atomic import atomic_write
from journeymap.workspace.folder import Folder

MEMORY_ITEMS = 64
FOLDER_ITEMS = 1000
CACHE = ".cache"
_SAFE_KEY = re.compile(r"^[a-z0-9][a-z0-9.-]{0,200}$")


class Previews:
    """Pictures (SVG text) of design versions, drawn at most once per key while they are cached."""

    def __init__(self, folder: Folder, memory_items: int = MEMORY_ITEMS, folder_items: int = FOLDER_ITEMS) -> None:
        self.where = folder.root / CACHE / "previews"
        self.memory_items = memory_items
        self.folder_items = folder_items
        self._memory: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()
        self.drawn = 0
        """How many pictures were drawn (not found in a cache) so far."""

    def __len__(self) -> int:
        """Pictures held in memory."""
        return len(self._memory)

    @staticmethod
    def accepts(key: str) -> bool:
        """Whether `key` can name a picture here (lower-case letters, digits, '.' and '-')."""
        return bool(_SAFE_KEY.match(key))

    def get(self, key: str, draw: Callable[[], str]) -> str:
        """The picture for `key`: from memory, else from the cache folder, else drawn and kept in both."""
        if not _SAFE_KEY.match(key):
            raise ValueError(f"not a preview key: {key!r}")
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                return self._memory[key]
        path = self.where / f"{key}.svg"
        try:
            picture = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            picture = draw()
            with self._lock:
                self.drawn += 1
            with contextlib.suppress(OSError):  # a read-only workspace still shows previews
                atomic_write(path, picture.encode("utf-8"))
                self._trim()
        self._remember(key, picture)
        return picture

    def _remember(self, key: str, picture: str) -> None:
        with self._lock:
            self._memory[key] = picture
            self._memory.move_to_end(key)
            while len(self._memory) > self.memory_items:
                self._memory.popitem(last=False)

    def _trim(self) -> None:
        files = list(self.where.glob("*.svg"))
        if len(files) <= self.folder_items:
            return
        files.sort(key=lambda p: p.stat().st_mtime)
        for old in files[: len(files) - self.folder_items]:
            old.unlink(missing_ok=True)
