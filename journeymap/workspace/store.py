"""Saved designs in a folder: atomic saves, version history, conflict detection, drafts, trash.

The workspace is a plain folder (default `./workspace`, or `$JOURNEYMAP_WORKSPACE`) that a person
can open and put in git: every design is `<id>.yaml` at its top. The machinery lives in hidden
folders beside them:

    <id>.yaml                    the current version of each design
    .history/<id>/000001.yaml    every saved version, numbered; notes.json says where some came from
    .drafts/<id>/<session>.json  unsaved edits of one browser session, autosaved on every change
    .trash/<stamp>-<id>/         deleted designs with their history, until restored or purged
    .locks/<id>.lock             held around check-and-write, so two processes cannot interleave

A save carries the version (a hash of the file's bytes) the editor started from; a save against
a file that changed since raises `Conflict`, so a second session never overwrites the first one's
update unseen. No Streamlit here: the app and the tests drive this module alike.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from journeymap.designfile.reading import atomic_write, dump_yaml, parse_design_text, read_bytes
from journeymap.errors import InputError, Issue
from journeymap.model import Design, slugify, text_of
from journeymap.workspace.drafts import Draft, DraftsMixin
from journeymap.workspace.files import (
    HISTORY,
    LOCKS,
    Conflict,
    WorkspaceError,
    check_id,
    json_bytes,
    lock,
    read_json,
    revision_name,
    revision_numbers,
    unlock,
    version_of,
)
from journeymap.workspace.trash import TrashEntry, TrashMixin

__all__ = ["Conflict", "Draft", "Entry", "Loaded", "Revision", "TrashEntry", "Workspace", "WorkspaceError",
           "default_root", "version_of"]

WORKSPACE_ENV = "JOURNEYMAP_WORKSPACE"
DEFAULT_FOLDER = "workspace"
MARKER = ".journeymap-workspace"


@dataclass(frozen=True)
class Entry:
    """A saved design as listed: its design when the file is valid, its issues when not."""

    id: str
    path: Path
    version: str
    modified: dt.datetime
    design: Design | None
    issues: tuple[Issue, ...] = ()

    def name(self, lang: str = "ja") -> str:
        return text_of(self.design.name, lang) if self.design else self.id


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


def default_root() -> Path:
    """`$JOURNEYMAP_WORKSPACE`, else `./workspace` in the current folder."""
    return Path(os.environ.get(WORKSPACE_ENV) or DEFAULT_FOLDER).expanduser().absolute()


@dataclass
class Workspace(DraftsMixin, TrashMixin):
    root: Path
    _summaries: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.root = Path(self.root).expanduser().absolute()

    # ----------------------------------------------------------------------- set-up

    @classmethod
    def open(cls, root: str | os.PathLike | None = None, seed: bool = True) -> Workspace:
        """The workspace at `root` (default: `default_root()`), created and seeded on first use."""
        workspace = cls(Path(root) if root is not None else default_root())
        workspace.ensure(seed=seed)
        return workspace

    def ensure(self, seed: bool = True) -> list[str]:
        """Create the folder on first use and put a starter design in it; return the seeded ids."""
        marker = self.root / MARKER
        if marker.exists():
            return []
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"cannot create the workspace: {exc.strerror or exc}", source=str(self.root)) from None
        seeded = self._seed() if seed and not self._design_paths() else []
        atomic_write(marker, (json.dumps({"format": 1, "seeded": seeded}, indent=2) + "\n").encode())
        return seeded

    def _seed(self) -> list[str]:
        from journeymap.library import list_templates

        templates = list_templates()
        if not templates:
            return []
        starter = next((t for t in templates if t.segment == "b2b"), templates[0])
        self.create(starter.design, note=f"template {starter.id}")
        return [starter.id]

    # ----------------------------------------------------------------------- paths

    def path(self, design_id: str) -> Path:
        check_id(design_id)
        return self.root / f"{design_id}.yaml"

    def _design_paths(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.glob("*.yaml") if not p.name.startswith("."))

    def exists(self, design_id: str) -> bool:
        return self.path(design_id).is_file()

    def free_id(self, base: str) -> str:
        """`base` if no design has it, else `base-2`, `base-3`, ..."""
        base = slugify(base) or "design"
        candidate, n = base, 2
        while self.exists(candidate):
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    # ----------------------------------------------------------------------- reading

    def list(self) -> list[Entry]:
        """Every saved design, most recently changed first; a broken file is listed with its issues."""
        entries = [self._entry(p) for p in self._design_paths()]
        return sorted(entries, key=lambda e: (-e.modified.timestamp(), e.id))

    def _entry(self, path: Path) -> Entry:
        stat = path.stat()
        key = (path.name, stat.st_mtime_ns, stat.st_size)
        cached = self._summaries.get(path.name)
        if cached and cached[0] == key:
            return cached[1]
        content = path.read_bytes()
        modified = dt.datetime.fromtimestamp(stat.st_mtime)
        try:
            design = parse_design_text(content, str(path), "yaml")
            entry = Entry(path.stem, path, version_of(content), modified, design)
        except InputError as exc:
            entry = Entry(path.stem, path, version_of(content), modified, None, tuple(exc.issues))
        self._summaries[path.name] = (key, entry)
        return entry

    def load(self, design_id: str) -> Loaded:
        """The current design and its version; InputError (with file and line) when it is broken."""
        path = self.path(design_id)
        if not path.is_file():
            raise WorkspaceError(f"no design '{design_id}' in the workspace", source=str(self.root))
        content = read_bytes(path)
        design = parse_design_text(content, str(path), "yaml")
        return Loaded(design_id, design, version_of(content))

    def current_version(self, design_id: str) -> str | None:
        path = self.path(design_id)
        return version_of(path.read_bytes()) if path.is_file() else None

    # ----------------------------------------------------------------------- saving

    def create(self, design: Design, note: str = "") -> str:
        """Save a new design; WorkspaceError if its id is taken."""
        return self.save(design, expected_version=None, note=note)

    def save(self, design: Design, expected_version: str | None, note: str = "") -> str:
        """Save `design` as `<design.id>.yaml` and return the new version.

        `expected_version` is the version the editor loaded (None for a new design). When the file
        changed since, `Conflict` is raised and nothing is written. The earlier content stays in
        the history.
        """
        design_id = design.id
        path = self.path(design_id)
        content = dump_yaml(design).encode("utf-8")
        with self._locked(design_id):
            current = path.read_bytes() if path.is_file() else None
            current_version = version_of(current) if current is not None else None
            if current_version != expected_version:
                raise Conflict(design_id, expected_version, current_version, str(path))
            if current == content:
                return current_version
            if current is not None:
                self._remember(design_id, current, "")
            self._remember(design_id, content, note)
            atomic_write(path, content)
        return version_of(content)

    def _remember(self, design_id: str, content: bytes, note: str) -> None:
        """Add `content` as the newest revision unless it already is (call with the lock held)."""
        folder = self.root / HISTORY / design_id
        numbers = revision_numbers(folder)
        if numbers and (folder / revision_name(numbers[-1])).read_bytes() == content:
            return
        number = (numbers[-1] if numbers else 0) + 1
        atomic_write(folder / revision_name(number), content)
        if note:
            notes = read_json(folder / "notes.json", {})
            notes[str(number)] = note
            atomic_write(folder / "notes.json", json_bytes(notes))

    @contextmanager
    def _locked(self, design_id: str) -> Iterator[None]:
        folder = self.root / LOCKS
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / f"{design_id}.lock", "a+b") as handle:
            lock(handle)
            try:
                yield
            finally:
                unlock(handle)

    # ----------------------------------------------------------------------- history

    def history(self, design_id: str) -> list[Revision]:
        """Every saved version, newest first."""
        check_id(design_id)
        folder = self.root / HISTORY / design_id
        notes = read_json(folder / "notes.json", {})
        revisions = []
        for number in revision_numbers(folder):
            path = folder / revision_name(number)
            revisions.append(
                Revision(
                    number,
                    version_of(path.read_bytes()),
                    dt.datetime.fromtimestamp(path.stat().st_mtime),
                    str(notes.get(str(number), "")),
                )
            )
        return revisions[::-1]

    def revision_text(self, design_id: str, number: int) -> str:
        check_id(design_id)
        path = self.root / HISTORY / design_id / revision_name(number)
        if not path.is_file():
            raise WorkspaceError(f"'{design_id}' has no version {number}", source=str(self.root))
        return path.read_bytes().decode("utf-8")

    def diff(self, design_id: str, old: int, new: int | None = None) -> str:
        """A unified diff from version `old` to version `new` (default: the current file)."""
        before = self.revision_text(design_id, old)
        if new is None:
            after, new_label = self.path(design_id).read_bytes().decode("utf-8"), "current"
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
        path = self.path(design.id)
        saved = path.read_bytes().decode("utf-8") if path.is_file() else ""
        lines = difflib.unified_diff(
            saved.splitlines(keepends=True),
            dump_yaml(design).splitlines(keepends=True),
            fromfile=f"{design.id}.yaml (saved)",
            tofile=f"{design.id}.yaml (yours)",
        )
        return "".join(lines)

    def restore(self, design_id: str, number: int, expected_version: str | None) -> str:
        """Make version `number` the current one again (as a new version); return that version."""
        content = self.revision_text(design_id, number)
        design = parse_design_text(content, f"{design_id} version {number}", "yaml")
        return self.save(design, expected_version, note=f"restored version {number}")
