"""Saved designs: atomic saves with every version kept, optimistic version checks, listing, diffs.

A save carries the version (a hash of the file's bytes) the editor started from; a save against a
file that changed since raises `Conflict` and writes nothing, so a second session never overwrites
the first one's update unseen. Check and write happen under the design's lock (`Folder.locked`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
from dataclasses import dataclass, field

from journeymap.designfile.atomic import atomic_write
from journeymap.designfile.reading import parse_design_text, read_bytes
from journeymap.designfile.writing import dump_yaml
from journeymap.editing import operations as editing
from journeymap.errors import InputError
from journeymap.model import Design, slugify
from journeymap.text.problems import Verbatim
from journeymap.workspace.folder import (
    Conflict,
    Folder,
    WorkspaceError,
    json_bytes,
    read_json,
    revision_meta_name,
    revision_name,
    revision_numbers,
    version_of,
)
from journeymap.workspace.index import Entry, Index
from journeymap.workspace.journal import Journal, newest_revision


@dataclass(frozen=True)
class Loaded:
    id: str
    design: Design
    version: str


@dataclass(frozen=True)
class Revision:
    number: int
    version: str
    saved_at: dt.datetime
    note: str = ""
    by: str | None = None
    """Who saved it: an email address, an OS user name or 'local'; None when the history does not say
    (saved before authors were recorded, or a file edited by hand and kept by the next save)."""


@dataclass(frozen=True)
class Store:
    """The designs at the top of the folder and their history in `.history/<id>/`, listed by `index`."""

    folder: Folder
    index: Index
    journal: Journal = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "journal", Journal(self.folder))

    # ----------------------------------------------------------------------- reading

    def exists(self, design_id: str) -> bool:
        return self.folder.design(design_id).is_file()

    def free_id(self, base: str) -> str:
        """`base` if no design has it, else `base-2`, `base-3`, ..."""
        base = slugify(base) or "design"
        candidate, n = base, 2
        while self.exists(candidate):
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def entries(self) -> list[Entry]:
        """Every saved design, most recently changed first; a broken file is listed with its issues."""
        return self.index.entries()

    def load(self, design_id: str) -> Loaded:
        """The current design and its version; InputError (with file and line) when it is broken."""
        path = self.folder.design(design_id)
        if not path.is_file():
            raise self.folder.error("workspace.no_design", id=design_id)
        content = read_bytes(path)
        design = parse_design_text(content, str(path), "yaml")
        return Loaded(design_id, design, version_of(content))

    def current_version(self, design_id: str) -> str | None:
        path = self.folder.design(design_id)
        return version_of(path.read_bytes()) if path.is_file() else None

    # ----------------------------------------------------------------------- saving

    def create(self, design: Design, note: str = "", by: str | None = None) -> str:
        """Save a new design; Conflict if its id is taken."""
        return self.save(design, expected_version=None, note=note, by=by)

    def save(self, design: Design, expected_version: str | None, note: str = "", by: str | None = None) -> str:
        """Save `design` as `<design.id>.yaml` and return the new version.

        `expected_version` is the version the editor loaded (None for a new design). When the file
        changed since, `Conflict` is raised and nothing is written. The earlier content stays in
        the history; the new revision records `by` (who saved it) and `note`. The revision is
        written before the file, under a journal record (`journal`): a save killed half-way is
        taken back, and a write the system refuses leaves the previous version and a message.
        """
        design_id = design.id
        path = self.folder.design(design_id)
        content = dump_yaml(design).encode("utf-8")
        version = version_of(content)
        with self.folder.writing(design_id, "save"), self.folder.locked(design_id):
            try:
                self.settle_before_writing(design_id)
            except WorkspaceError:
                if expected_version is not None and not path.is_file():  # an editor saving what was deleted
                    raise Conflict(design_id, expected_version, None, str(path)) from None
                raise
            current = path.read_bytes() if path.is_file() else None
            current_version = version_of(current) if current is not None else None
            if current_version != expected_version:
                raise Conflict(design_id, expected_version, current_version, str(path))
            if current is not None and current_version is not None and current == content:
                return current_version
            if current is not None:
                self.add_revision(design_id, current, "")  # a file edited by hand is kept before it is replaced
            number = newest_revision(self.folder.history(design_id)) + 1
            self.journal.begin(design_id, "save", version=version, number=number)
            try:
                self.add_revision(design_id, content, note, by)
                atomic_write(path, content)  # the commit point
            except BaseException:
                with contextlib.suppress(OSError):
                    self.journal.settle(design_id)  # the new revision is taken back; the previous version stays
                raise
            self.journal.end(design_id)
            self.index.saved(path, content, design, by)
        return version

    def settle_before_writing(self, design_id: str) -> None:
        """Settle what the journal holds for `design_id` (call with its lock held). A delete whose
        history cannot follow the design into the trash yet refuses the write with its own message:
        a new design under that id would otherwise add its versions to the deleted one's history."""
        try:
            self.journal.settle(design_id)
        except OSError as exc:
            if self.journal.unfinished_delete(design_id) is None:
                raise
            raise self.folder.error("workspace.delete_unfinished", id=design_id,
                                    reason=Verbatim(exc.strerror or str(exc))) from exc

    def add_revision(self, design_id: str, content: bytes, note: str, by: str | None = None) -> None:
        """Add `content` as the newest revision unless it already is (call with the design's lock held).

        Who saved it, when and why go beside it in `<number>.json`, written before the revision itself:
        a revision is never without them, and one left alone by a crash is overwritten by the next.
        """
        folder = self.folder.history(design_id)
        numbers = revision_numbers(folder)
        if numbers and (folder / revision_name(numbers[-1])).read_bytes() == content:
            return
        number = (numbers[-1] if numbers else 0) + 1
        meta = {"saved_at": dt.datetime.now().isoformat(timespec="seconds")}
        if by:
            meta["by"] = by
        if note:
            meta["note"] = note
        atomic_write(folder / revision_meta_name(number), json_bytes(meta))
        atomic_write(folder / revision_name(number), content)

    def duplicate(self, design_id: str, new_id: str | None = None, by: str | None = None) -> str:
        """Save a copy of a design under a new id (default `<id>-copy`); return the new id."""
        source = self.load(design_id).design
        new_id = new_id or self.free_id(f"{design_id}-copy")
        self.create(editing.copy_of(source, new_id), note=f"copy of {design_id}", by=by)
        return new_id

    # ----------------------------------------------------------------------- history

    def history(self, design_id: str) -> list[Revision]:
        """Every saved version, newest first."""
        folder = self.folder.history(design_id)
        notes = read_json(folder / "notes.json", {})  # the notes of histories saved before `<number>.json`
        revisions = []
        for number in revision_numbers(folder):
            path = folder / revision_name(number)
            meta = read_json(folder / revision_meta_name(number), {})
            if not isinstance(meta, dict):
                meta = {}
            revisions.append(
                Revision(
                    number,
                    version_of(path.read_bytes()),
                    _saved_at(meta.get("saved_at")) or dt.datetime.fromtimestamp(path.stat().st_mtime),
                    str(meta.get("note") or notes.get(str(number), "")),
                    str(meta["by"]) if meta.get("by") else None,
                )
            )
        return revisions[::-1]

    def design_at(self, design_id: str, version: str | None) -> Design | None:
        """The design as it was at `version` (from the history), or None when no saved version has it."""
        if version is None:
            return None
        folder = self.folder.history(design_id)
        for number in reversed(revision_numbers(folder)):
            content = (folder / revision_name(number)).read_bytes()
            if version_of(content) == version:
                try:
                    return parse_design_text(content, f"{design_id} version {number}", "yaml")
                except InputError:
                    return None
        return None

    def revision_text(self, design_id: str, number: int) -> str:
        path = self.folder.history(design_id) / revision_name(number)
        if not path.is_file():
            raise self.folder.error("workspace.no_version", id=design_id, number=number)
        return path.read_bytes().decode("utf-8")

    def diff(self, design_id: str, old: int, new: int | None = None) -> str:
        """A unified diff from version `old` to version `new` (default: the current file)."""
        before = self.revision_text(design_id, old)
        if new is None:
            after, new_label = self.folder.design(design_id).read_bytes().decode("utf-8"), "current"
        else:
            after, new_label = self.revision_text(design_id, new), f"version {new}"
        lines = difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"{design_id}.yaml (version {old})",
            tofile=f"{design_id}.yaml ({new_label})",
        )
        return "".join(lines)

    def diff_with(self, design: Design) -> str:
        """A unified diff from the saved file to `design` (what saving it would change)."""
        path = self.folder.design(design.id)
        saved = path.read_bytes().decode("utf-8") if path.is_file() else ""
        lines = difflib.unified_diff(
            saved.splitlines(keepends=True),
            dump_yaml(design).splitlines(keepends=True),
            fromfile=f"{design.id}.yaml (saved)",
            tofile=f"{design.id}.yaml (yours)",
        )
        return "".join(lines)

    def restore(self, design_id: str, number: int, expected_version: str | None, by: str | None = None) -> str:
        """Make version `number` the current one again (as a new version); return that version."""
        content = self.revision_text(design_id, number)
        design = parse_design_text(content, f"{design_id} version {number}", "yaml")
        return self.save(design, expected_version, note=f"restored version {number}", by=by)


def _saved_at(value: object) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
