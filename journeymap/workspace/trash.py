"""Delete to the trash, restore from it, purge: nothing a user deletes is gone at once."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass, replace
from pathlib import Path

from journeymap.designfile.atomic import atomic_write, sync_folder
from journeymap.designfile.reading import parse_design_text
from journeymap.designfile.writing import dump_yaml
from journeymap.editing import operations as editing
from journeymap.model import Localized, slugify
from journeymap.workspace.folder import Folder, WorkspaceError, json_bytes, read_json, revision_numbers, version_of
from journeymap.workspace.journal import Journal, move_back_or_on, newest_revision, remove_trash_entry
from journeymap.workspace.store import Store


@dataclass(frozen=True)
class TrashEntry:
    key: str
    id: str
    name: str | Localized
    deleted_at: dt.datetime
    revisions: int = 0
    unfinished: bool = False
    """Its history or drafts are still at their old place: their move was refused (no permission, a
    file held open). They follow the next time the workspace is opened or this id is saved, deleted or
    restored; restoring it before then puts it back with them (nothing is lost or mixed meanwhile)."""


@dataclass(frozen=True)
class Trash:
    """A deleted design moves to `.trash/<stamp>-<id>/` with its history and drafts."""

    folder: Folder
    store: Store

    @property
    def journal(self) -> Journal:
        return self.store.journal

    def put(self, design_id: str) -> TrashEntry:
        """Move a design, its history and drafts to the trash (see `journal` for the order)."""
        with self.folder.writing(design_id, "delete"), self.folder.locked(design_id):
            self.journal.settle(design_id)
            path = self.folder.design(design_id)
            if not path.is_file():
                raise self.folder.error("workspace.no_design", id=design_id)
            self.folder.history(design_id), self.folder.drafts(design_id)  # refused now if linked outside, not half-way
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            target = self.folder.trash / f"{stamp}-{design_id}"
            listed = self.store.index.entry(path)
            name = listed.name("ja") if listed else design_id
            meta = {"id": design_id, "name": name, "deleted_at": dt.datetime.now().isoformat(timespec="seconds")}
            self.journal.begin(design_id, "delete", key=target.name)
            try:
                target.mkdir(parents=True)
                atomic_write(target / "meta.json", json_bytes(meta))
                os.replace(path, target / "design.yaml")  # the commit point
                sync_folder(path.parent)
                sync_folder(target)
            except BaseException:
                with contextlib.suppress(OSError):
                    self.journal.settle(design_id)  # the design stays where it was
                raise
            with contextlib.suppress(OSError):  # deleted; what is left to move is moved by the next to open it
                self.journal.settle(design_id)  # history and drafts follow the design
            entry = self._entry(target)
        self.store.index.forget(design_id)
        return entry

    def entries(self) -> list[TrashEntry]:
        """Deleted designs, most recently deleted first."""
        if not self.folder.trash.is_dir():
            return []
        entries = [self._entry(p) for p in self.folder.trash.iterdir()
                   if not p.name.startswith(".") and (p / "design.yaml").is_file()]
        return sorted(entries, key=lambda e: (e.deleted_at, e.key), reverse=True)

    def finish(self) -> list[str]:
        """Try again to move what unfinished deletes left behind (see `TrashEntry.unfinished`), skipping
        any a live process holds and any still refused; return the ids whose delete is now complete."""
        finished = []
        for design_id in self.journal.pending():
            if self.journal.unfinished_delete(design_id) is None:
                continue
            with self.folder.try_locked(design_id) as held:
                if not held:
                    continue
                try:
                    self.journal.settle(design_id)
                except OSError:
                    continue
                finished.append(design_id)
        return finished

    def free(self, design_id: str, key: str | None = None) -> bool:
        """Whether a design may come back as `design_id`: no design and no history has that id, or
        the history there is the one trash entry `key` left behind (an unfinished delete)."""
        if self.store.exists(design_id):
            return False
        return not self.folder.history(design_id).exists() or (
            key is not None and self.journal.unfinished_delete(design_id) == key)

    def restore(self, key: str, by: str | None = None) -> str:
        """Put a deleted design back; under a new id when its id was taken meanwhile. Return the id."""
        with self.folder.writing(_entry(self.where(key)).id, "restore"), self.folder.locked(key):
            where = self.where(key)  # two people restoring one entry: the second is told it is gone
            entry = _entry(where)
            with self.folder.locked(entry.id), contextlib.suppress(OSError):
                self.journal.settle(entry.id)  # an unfinished delete is finished first, when it can be
            design_id = entry.id
            if not self.free(design_id, key):
                base, n = f"{entry.id}-restored", 2
                design_id = base
                while not self.free(design_id):
                    design_id, n = f"{base}-{n}", n + 1
            with self.folder.locked(design_id):
                if self.journal.unfinished_delete(design_id) != key:  # else it is put back where it still is
                    self.journal.settle(design_id)
                if not self.free(design_id, key):
                    raise self.folder.error("workspace.id_taken_restoring", id=design_id, entry=entry.id)
                content = (where / "design.yaml").read_bytes()
                if design_id != entry.id:
                    design = parse_design_text(content, str(where / "design.yaml"), "yaml")
                    content = dump_yaml(editing.with_id(design, design_id)).encode("utf-8")
                history = self.folder.history(design_id)
                same_id = design_id == entry.id
                number = max(newest_revision(where / "history"), newest_revision(history)) + 1
                self.journal.begin(design_id, "restore", key=key, version=version_of(content), number=number,
                                   drafts=same_id)
                try:
                    move_back_or_on(where / "history", history)
                    if same_id:
                        move_back_or_on(where / "drafts", self.folder.drafts(design_id))
                    self.store.add_revision(design_id, content, "restored from the trash", by)
                    atomic_write(self.folder.design(design_id), content)  # the commit point
                except BaseException:
                    with contextlib.suppress(OSError):
                        self.journal.settle(design_id)  # history and drafts go back to the trash entry
                    raise
                with contextlib.suppress(OSError):
                    self.journal.settle(design_id)  # the trash entry is removed
        return design_id

    def purge(self, key: str) -> None:
        """Delete a trashed design for good."""
        with self.folder.writing(_entry(self.where(key)).id, "purge"), self.folder.locked(key):
            where = self.where(key)
            design_id = _entry(where).id
            if slugify(design_id) == design_id:
                with self.folder.locked(design_id):
                    if self.journal.unfinished_delete(design_id) == key:  # its history goes with it, or it stays
                        self.journal.settle(design_id)
            remove_trash_entry(where)

    def _entry(self, where: Path) -> TrashEntry:
        """The entry in `where`, marked unfinished while the journal holds its delete (see `TrashEntry`)."""
        entry = _entry(where)
        if slugify(entry.id) != entry.id or self.journal.unfinished_delete(entry.id) != where.name:
            return entry
        try:
            history = self.folder.history(entry.id)
        except WorkspaceError:  # linked outside the workspace: not read, not counted
            return replace(entry, unfinished=True)
        return _entry(where, left_behind=history)

    def where(self, key: str) -> Path:
        """The trash folder of `key`; WorkspaceError when there is none."""
        where = self.folder.trash / key
        if "/" in key or "\\" in key or key.startswith(".") or not (where / "design.yaml").is_file():
            raise self.folder.error("workspace.not_in_trash", name=key)
        return where


def _entry(where: Path, left_behind: Path | None = None) -> TrashEntry:
    """The entry in trash folder `where`; `left_behind` is where its history is until an unfinished
    delete moves it (then it is counted from there, and the entry is marked unfinished)."""
    meta = read_json(where / "meta.json", {})
    design_id = str(meta.get("id") or where.name.rsplit("-", 1)[-1])
    try:
        deleted_at = dt.datetime.fromisoformat(meta["deleted_at"])
    except (KeyError, ValueError, TypeError):
        deleted_at = dt.datetime.fromtimestamp(where.stat().st_mtime)
    revisions = len(revision_numbers(where / "history"))
    if left_behind is not None:
        revisions += len(revision_numbers(left_behind))
    return TrashEntry(where.name, design_id, meta.get("name") or design_id, deleted_at, revisions,
                      unfinished=left_behind is not None)
