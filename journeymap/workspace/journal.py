"""Operations over several files made recoverable: an intent record, written first and removed last.

Saving writes a revision and the design file; deleting moves the design, its history and drafts
into the trash; restoring moves them back. Each of these first writes `.journal/<id>.json` (under
the design's lock) saying what it is about to do, does its steps in an order with one commit point,
and removes the record at the end:

    save      revision N and its .json → <id>.yaml replaced        committed once <id>.yaml has the new version
    delete    .trash/<key>/meta.json → <id>.yaml moved there →     committed once .trash/<key>/design.yaml exists
              its history and drafts follow
    restore   history and drafts moved back → revision N →         committed once <id>.yaml has the restored version
              <id>.yaml written → the trash entry removed

Whoever finds a record settles it (`settle`): the next operation on that design, or the next
process that opens the workspace (`recover`, which also removes the temporary files of writes that
were killed and the remains of an interrupted purge). Before the commit point the steps taken are
undone; after it the remaining ones are done. A kill -9 at any moment thus leaves every design as
it was before the operation or after it, never lost and never half-moved.

A step after the commit point that the system refuses (the history folder held open, no permission
to move it) leaves the operation done and its record in place, to be finished the same way. For a
delete, what is left at `.history/<id>` and `.drafts/<id>` meanwhile belongs to the trash entry
(`unfinished_delete`): the trash lists it as unfinished, a save under that id is refused rather than
added to that history, restoring the entry puts it back where they still are, and purging it is
refused until they can go with it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeymap.designfile.atomic import atomic_write, stale_temporary, sync_folder
from journeymap.model import slugify
from journeymap.workspace.folder import (
    DRAFTS,
    HISTORY,
    JOURNAL,
    TRASH,
    Folder,
    json_bytes,
    read_json,
    revision_meta_name,
    revision_name,
    revision_numbers,
    version_of,
)

GONE = ".gone-"
"""Prefix of a trash entry being purged: renamed first, so that a half-removed entry is never listed."""


@dataclass(frozen=True)
class Journal:
    """The intent records of `.journal/`, one per design with an operation under way."""

    folder: Folder

    def path(self, design_id: str) -> Path:
        return self.folder.journal / f"{design_id}.json"

    def begin(self, design_id: str, op: str, **details: Any) -> None:
        """Record that `op` is about to change `design_id` (call with the design's lock held)."""
        atomic_write(self.path(design_id), json_bytes({"op": op, "id": design_id, **details}))

    def end(self, design_id: str) -> None:
        path = self.path(design_id)
        path.unlink(missing_ok=True)
        sync_folder(path.parent)

    def pending(self) -> list[str]:
        """The designs with an operation recorded and not finished (by id)."""
        folder = self.folder.journal
        if not folder.is_dir():
            return []
        return sorted(p.stem for p in folder.glob("*.json") if slugify(p.stem) == p.stem)

    def unfinished_delete(self, design_id: str) -> str | None:
        """The trash key of a delete of `design_id` past its commit point whose history or drafts are
        still to follow (their move was refused: no permission, a file held open); None when there is none.

        Until it is settled, what is left at `.history/<id>` and `.drafts/<id>` belongs to that trash entry.
        """
        record = read_json(self.path(design_id), None)
        if not isinstance(record, dict) or record.get("op") != "delete" or not record.get("key"):
            return None
        key = str(record["key"])
        if "/" in key or "\\" in key or key.startswith("."):
            return None  # not a trash entry (a record written by hand)
        return key if (self.folder.trash / key / "design.yaml").is_file() else None

    def settle(self, design_id: str) -> None:
        """Finish or undo the operation recorded for `design_id`, if any (call with its lock held)."""
        path = self.path(design_id)
        if not path.is_file():
            return
        record = read_json(path, None)
        settle = _SETTLE.get(str(record.get("op"))) if isinstance(record, dict) else None
        if settle is not None and isinstance(record, dict):
            settle(self.folder, design_id, record)
        self.end(design_id)  # a record nobody can read (written by hand?) has nothing to settle

    def recover(self) -> list[str]:
        """Settle every recorded operation no live process holds, and remove what killed writes left.

        Returns the ids settled. Called when a workspace is opened.
        """
        settled = []
        for design_id in self.pending():
            with self.folder.try_locked(design_id) as held:
                if not held:  # a live process is in the middle of it and will finish it
                    continue
                try:
                    self.settle(design_id)
                except OSError:  # a step still refused (a history held open): left for later, and
                    continue  # the other records are settled all the same
                settled.append(design_id)
        self._remove_leftovers()
        self._list_orphans()
        return settled

    def _list_orphans(self) -> None:
        """A trash folder without its design (left by versions before this journal) is made listable
        again from the newest revision it holds, so that the trash shows and restores it; an empty one goes."""
        trash = self.folder.trash
        if not trash.is_dir() or self.pending():
            return  # an operation under way may be filling one: leave them to the next opening
        for where in trash.iterdir():
            if where.name.startswith(".") or not where.is_dir() or where.is_symlink() or (where / "design.yaml").exists():
                continue
            newest = newest_revision(where / "history")
            if newest:
                with contextlib.suppress(OSError):
                    atomic_write(where / "design.yaml", (where / "history" / revision_name(newest)).read_bytes())
            elif not any((where / name).exists() for name in ("history", "drafts")):
                shutil.rmtree(where, ignore_errors=True)

    def _remove_leftovers(self) -> None:
        """Temporary files of killed writes (at the top and in the workspace's own folders) and purges cut short."""
        root = self.folder.root
        places = [(root, False)] + [(root / name, True) for name in (HISTORY, DRAFTS, TRASH, JOURNAL)]
        for place, deep in places:
            if place.is_symlink() or not place.is_dir():
                continue
            for folder, subfolders, files in os.walk(place):
                here = Path(folder)
                for name in files:
                    if stale_temporary(here / name):
                        with contextlib.suppress(OSError):
                            (here / name).unlink()
                if here.name == TRASH and here.parent == root:
                    for name in [n for n in subfolders if n.startswith(GONE)]:
                        shutil.rmtree(here / name, ignore_errors=True)
                subfolders[:] = [n for n in subfolders if deep and not n.startswith(GONE) and not (here / n).is_symlink()]


def move_back_or_on(source: Path, target: Path) -> None:
    """Move the folder `source` to `target` unless it is gone already or `target` is taken (idempotent)."""
    if source.is_dir() and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(source, target)
        sync_folder(source.parent)
        sync_folder(target.parent)


def remove_trash_entry(where: Path) -> None:
    """Remove a trash entry: renamed out of the listing first, then deleted."""
    gone = where.parent / f"{GONE}{where.name}"
    if where.exists():
        os.rename(where, gone)
        sync_folder(where.parent)
    shutil.rmtree(gone, ignore_errors=True)


def remove_revision(folder: Folder, design_id: str, number: int, version: str) -> None:
    """Take back revision `number` if it holds `version` (a save that did not reach its commit point)."""
    history = folder.history(design_id)
    revision = history / revision_name(number)
    if revision.is_file() and version_of(revision.read_bytes()) != version:
        return
    revision.unlink(missing_ok=True)
    (history / revision_meta_name(number)).unlink(missing_ok=True)
    sync_folder(history)
    with contextlib.suppress(OSError):
        history.rmdir()  # the history of a design that was never saved


def _committed(folder: Folder, design_id: str, version: str) -> bool:
    path = folder.design(design_id)
    try:
        return path.is_file() and version_of(path.read_bytes()) == version
    except OSError:
        return False


def _settle_save(folder: Folder, design_id: str, record: dict) -> None:
    if not _committed(folder, design_id, str(record.get("version"))):
        remove_revision(folder, design_id, int(record["number"]), str(record["version"]))


def _settle_delete(folder: Folder, design_id: str, record: dict) -> None:
    target = folder.trash / str(record["key"])
    if (target / "design.yaml").is_file():  # committed: history and drafts follow the design
        move_back_or_on(folder.history(design_id), target / "history")
        move_back_or_on(folder.drafts(design_id), target / "drafts")
    else:
        move_back_or_on(target / "history", folder.history(design_id))
        move_back_or_on(target / "drafts", folder.drafts(design_id))
        shutil.rmtree(target, ignore_errors=True)


def _settle_restore(folder: Folder, design_id: str, record: dict) -> None:
    where = folder.trash / str(record["key"])
    if _committed(folder, design_id, str(record["version"])):
        remove_trash_entry(where)
        return
    if not (where / "design.yaml").is_file():
        return  # nothing to go back to (removed by hand meanwhile): keep what was restored so far
    remove_revision(folder, design_id, int(record["number"]), str(record["version"]))
    move_back_or_on(folder.history(design_id), where / "history")
    if record.get("drafts"):
        move_back_or_on(folder.drafts(design_id), where / "drafts")


_SETTLE = {"save": _settle_save, "delete": _settle_delete, "restore": _settle_restore}


def newest_revision(folder: Path) -> int:
    """The number of the newest revision in a history folder (0 when there is none)."""
    numbers = revision_numbers(folder)
    return numbers[-1] if numbers else 0

