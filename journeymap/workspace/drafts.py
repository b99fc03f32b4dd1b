"""Autosaved drafts: the unsaved edits of one editing session, so that a browser refresh loses nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from journeymap.designfile.atomic import atomic_write
from journeymap.editing import operations as editing
from journeymap.model import Design, DesignInvalid, parse_design
from journeymap.workspace.folder import Folder, check_id, json_bytes


@dataclass(frozen=True)
class Draft:
    id: str
    session: str
    design: Design
    base_version: str | None
    saved_at: dt.datetime


READ_ITEMS = 256
"""Drafts kept validated (per content) for every session of the server."""


@dataclass(frozen=True)
class Drafts:
    """Drafts live in `.drafts/<design id>/<session>.json`, written atomically on every change.

    Every page run of a session with a design open lists the other sessions' drafts of it, so a
    draft is validated once per content for the whole server.
    """

    folder: Folder
    _read: OrderedDict[Path, tuple[bytes, Draft | None]] = field(default_factory=OrderedDict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def save(self, design: Design, session: str, base_version: str | None) -> None:
        """Autosave the unsaved edits of one editing session."""
        payload = {
            "base_version": base_version,
            "saved_at": dt.datetime.now().isoformat(timespec="seconds"),
            "design": editing.to_data(design),
        }
        atomic_write(self.path(design.id, session), json_bytes(payload))

    def load(self, design_id: str, session: str) -> Draft | None:
        return self._cached(self.path(design_id, session), design_id, session)

    def of(self, design_id: str) -> list[Draft]:
        """Every session's unsaved draft of a design, newest first."""
        folder = self.folder.drafts(design_id)
        found = [self._cached(p, design_id, p.stem) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []
        return sorted((d for d in found if d), key=lambda d: d.saved_at, reverse=True)

    def _cached(self, path: Path, design_id: str, session: str) -> Draft | None:
        """The draft in `path` (None when there is none or it is damaged), parsed and validated once
        per content (reading the small file is cheap; validating the design is not)."""
        try:
            content = path.read_bytes()
        except OSError:
            return None
        key = hashlib.sha256(content).digest()
        with self._lock:
            known = self._read.get(path)
            if known is not None and known[0] == key:
                self._read.move_to_end(path)
                return known[1]
        draft = _parse(content, design_id, session)
        with self._lock:
            self._read[path] = (key, draft)
            self._read.move_to_end(path)
            while len(self._read) > READ_ITEMS:
                self._read.popitem(last=False)
        return draft

    def discard(self, design_id: str, session: str) -> None:
        path = self.path(design_id, session)
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()

    def path(self, design_id: str, session: str) -> Path:
        check_id(session, "session")
        return self.folder.drafts(design_id) / f"{session}.json"


def _parse(content: bytes, design_id: str, session: str) -> Draft | None:
    try:
        payload = json.loads(content.decode("utf-8"))
        design = parse_design(payload["design"])
        saved_at = dt.datetime.fromisoformat(payload["saved_at"])
    except (ValueError, KeyError, TypeError, DesignInvalid):
        return None  # a damaged draft is not worth a crash; the saved design is intact
    return Draft(design_id, session, design, payload.get("base_version"), saved_at)
