"""Delete to the trash, restore from it, purge: nothing a user deletes is gone at once."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from journeymap.designfile.atomic import atomic_write
from journeymap.designfile.reading import parse_design_text
from journeymap.designfile.writing import dump_yaml
from journeymap.editing import operations as editing
from journeymap.model import Localized
from journeymap.workspace.folder import Folder, json_bytes, read_json, revision_numbers
from journeymap.workspace.store import Store


@dataclass(frozen=True)
class TrashEntry:
    key: str
    id: str
    name: str | Localized
    deleted_at: dt.datetime
    revisions: int = 0


@dataclass(frozen=True)
class Trash:
    """A deleted design moves to `.trash/<stamp>-<id>/` with its history and drafts."""

    folder: Folder
    store: Store

    def put(self, design_id: str) -> TrashEntry:
        """Move a design, its history and drafts to the trash."""
        path = self.folder.design(design_id)
        with self.folder.locked(design_id):
            if not path.is_file():
                raise self.folder.error(f"no design '{design_id}' in the workspace")
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            target = self.folder.trash / f"{stamp}-{design_id}"
            target.mkdir(parents=True)
            listed = self.store.index.entry(path)
            name = listed.name("ja") if listed else design_id
            for source, dest in (
                (self.folder.history(design_id), target / "history"),
                (self.folder.drafts(design_id), target / "drafts"),
            ):
                if source.exists():
                    shutil.move(str(source), str(dest))
            meta = {"id": design_id, "name": name, "deleted_at": dt.datetime.now().isoformat(timespec="seconds")}
            atomic_write(target / "meta.json", json_bytes(meta))
            os.replace(path, target / "design.yaml")
        self.store.index.forget(design_id)
        return _entry(target)

    def entries(self) -> list[TrashEntry]:
        """Deleted designs, most recently deleted first."""
        if not self.folder.trash.is_dir():
            return []
        entries = [_entry(p) for p in self.folder.trash.iterdir() if (p / "design.yaml").is_file()]
        return sorted(entries, key=lambda e: (e.deleted_at, e.key), reverse=True)

    def restore(self, key: str, by: str | None = None) -> str:
        """Put a deleted design back; under a new id when its id was taken meanwhile. Return the id."""
        where = self.where(key)
        entry = _entry(where)
        content = (where / "design.yaml").read_bytes()
        design_id = entry.id if not self.store.exists(entry.id) else self.store.free_id(f"{entry.id}-restored")
        with self.folder.locked(design_id):
            if design_id != entry.id:
                design = parse_design_text(content, str(where / "design.yaml"), "yaml")
                content = dump_yaml(editing.with_id(design, design_id)).encode("utf-8")
            history = self.folder.history(design_id)
            if (where / "history").is_dir() and not history.exists():
                history.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(where / "history"), str(history))
            drafts = self.folder.drafts(design_id)
            if design_id == entry.id and (where / "drafts").is_dir() and not drafts.exists():
                drafts.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(where / "drafts"), str(drafts))
            self.store.add_revision(design_id, content, "restored from the trash", by)
            atomic_write(self.folder.design(design_id), content)
        shutil.rmtree(where)
        return design_id

    def purge(self, key: str) -> None:
        """Delete a trashed design for good."""
        shutil.rmtree(self.where(key))

    def where(self, key: str) -> Path:
        """The trash folder of `key`; WorkspaceError when there is none."""
        where = self.folder.trash / key
        if "/" in key or key.startswith(".") or not (where / "design.yaml").is_file():
            raise self.folder.error(f"nothing called '{key}' in the trash")
        return where


def _entry(where: Path) -> TrashEntry:
    meta = read_json(where / "meta.json", {})
    design_id = str(meta.get("id") or where.name.rsplit("-", 1)[-1])
    try:
        deleted_at = dt.datetime.fromisoformat(meta["deleted_at"])
    except (KeyError, ValueError, TypeError):
        deleted_at = dt.datetime.fromtimestamp(where.stat().st_mtime)
    revisions = len(revision_numbers(where / "history"))
    return TrashEntry(where.name, design_id, meta.get("name") or design_id, deleted_at, revisions)
