"""Duplicate, delete to the trash, restore from it, purge: nothing a user deletes is gone at once."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from journeymap.designfile.reading import atomic_write, dump_yaml, parse_design_text
from journeymap.editing import operations as editing
from journeymap.model import Localized
from journeymap.workspace.files import DRAFTS, HISTORY, TRASH, WorkspaceError, json_bytes, read_json, revision_numbers


@dataclass(frozen=True)
class TrashEntry:
    key: str
    id: str
    name: str | Localized
    deleted_at: dt.datetime
    revisions: int = 0


class TrashMixin:
    """A deleted design moves to `.trash/<stamp>-<id>/` with its history and drafts."""

    def duplicate(self, design_id: str, new_id: str | None = None) -> str:
        """Save a copy of a design under a new id (default `<id>-copy`); return the new id."""
        source = self.load(design_id).design
        new_id = new_id or self.free_id(f"{design_id}-copy")
        self.create(editing.copy_of(source, new_id), note=f"copy of {design_id}")
        return new_id

    def delete(self, design_id: str) -> TrashEntry:
        """Move a design, its history and drafts to the trash."""
        path = self.path(design_id)
        with self._locked(design_id):
            if not path.is_file():
                raise WorkspaceError(f"no design '{design_id}' in the workspace", source=str(self.root))
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            key = f"{stamp}-{design_id}"
            target = self.root / TRASH / key
            target.mkdir(parents=True)
            name = self._entry(path).name("ja")
            for source, dest in (
                (self.root / HISTORY / design_id, target / "history"),
                (self.root / DRAFTS / design_id, target / "drafts"),
            ):
                if source.exists():
                    shutil.move(str(source), str(dest))
            meta = {"id": design_id, "name": name, "deleted_at": dt.datetime.now().isoformat(timespec="seconds")}
            atomic_write(target / "meta.json", json_bytes(meta))
            os.replace(path, target / "design.yaml")
        self._summaries.pop(path.name, None)
        return self._trash_entry(target)

    def trash(self) -> list[TrashEntry]:
        """Deleted designs, most recently deleted first."""
        folder = self.root / TRASH
        if not folder.is_dir():
            return []
        entries = [self._trash_entry(p) for p in folder.iterdir() if (p / "design.yaml").is_file()]
        return sorted(entries, key=lambda e: (e.deleted_at, e.key), reverse=True)

    def _trash_entry(self, folder: Path) -> TrashEntry:
        meta = read_json(folder / "meta.json", {})
        design_id = str(meta.get("id") or folder.name.rsplit("-", 1)[-1])
        try:
            deleted_at = dt.datetime.fromisoformat(meta["deleted_at"])
        except (KeyError, ValueError, TypeError):
            deleted_at = dt.datetime.fromtimestamp(folder.stat().st_mtime)
        revisions = len(revision_numbers(folder / "history"))
        return TrashEntry(folder.name, design_id, meta.get("name") or design_id, deleted_at, revisions)

    def restore_from_trash(self, key: str) -> str:
        """Put a deleted design back; under a new id when its id was taken meanwhile. Return the id."""
        folder = self._trash_folder(key)
        entry = self._trash_entry(folder)
        content = (folder / "design.yaml").read_bytes()
        design_id = entry.id if not self.exists(entry.id) else self.free_id(f"{entry.id}-restored")
        with self._locked(design_id):
            if design_id != entry.id:
                design = parse_design_text(content, str(folder / "design.yaml"), "yaml")
                content = dump_yaml(editing.with_id(design, design_id)).encode("utf-8")
            history = self.root / HISTORY / design_id
            if (folder / "history").is_dir() and not history.exists():
                history.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(folder / "history"), str(history))
            drafts = self.root / DRAFTS / design_id
            if design_id == entry.id and (folder / "drafts").is_dir() and not drafts.exists():
                drafts.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(folder / "drafts"), str(drafts))
            self._remember(design_id, content, "restored from the trash")
            atomic_write(self.path(design_id), content)
        shutil.rmtree(folder)
        return design_id

    def purge(self, key: str) -> None:
        """Delete a trashed design for good."""
        shutil.rmtree(self._trash_folder(key))

    def _trash_folder(self, key: str) -> Path:
        folder = self.root / TRASH / key
        if "/" in key or key.startswith(".") or not (folder / "design.yaml").is_file():
            raise WorkspaceError(f"nothing called '{key}' in the trash", source=str(self.root))
        return folder
