"""Autosaved drafts: the unsaved edits of one editing session, so that a browser refresh loses nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Drafts:
    """Drafts live in `.drafts/<design id>/<session>.json`, written atomically on every change."""

    folder: Folder

    def save(self, design: Design, session: str, base_version: str | None) -> None:
        """Autosave the unsaved edits of one editing session."""
        payload = {
            "base_version": base_version,
            "saved_at": dt.datetime.now().isoformat(timespec="seconds"),
            "design": editing.to_data(design),
        }
        with self.folder.writing(design.id, "draft"):
            atomic_write(self.path(design.id, session), json_bytes(payload))

    def load(self, design_id: str, session: str) -> Draft | None:
        path = self.path(design_id, session)
        return _read(path, design_id, session) if path.is_file() else None

    def of(self, design_id: str) -> list[Draft]:
        """Every session's unsaved draft of a design, newest first."""
        folder = self.folder.drafts(design_id)
        found = [_read(p, design_id, p.stem) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []
        return sorted((d for d in found if d), key=lambda d: d.saved_at, reverse=True)

    def discard(self, design_id: str, session: str) -> None:
        path = self.path(design_id, session)
        with self.folder.writing(design_id, "draft"):
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()

    def path(self, design_id: str, session: str) -> Path:
        check_id(session, "session")
        return self.folder.drafts(design_id) / f"{session}.json"


def _read(path: Path, design_id: str, session: str) -> Draft | None:
    try:
        payload = json.loads(path.read_text("utf-8"))
        design = parse_design(payload["design"])
        saved_at = dt.datetime.fromisoformat(payload["saved_at"])
    except (OSError, ValueError, KeyError, TypeError, DesignInvalid):
        return None  # a damaged draft is not worth a crash; the saved design is intact
    return Draft(design_id, session, design, payload.get("base_version"), saved_at)
