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
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import editing
from .errors import InputError, Issue
from .io import atomic_write, dump_yaml, parse_design_text, read_bytes
from .model import Design, DesignInvalid, Localized, parse_design, slugify

WORKSPACE_ENV = "JOURNEYMAP_WORKSPACE"
DEFAULT_FOLDER = "workspace"
MARKER = ".journeymap-workspace"

_HISTORY = ".history"
_DRAFTS = ".drafts"
_TRASH = ".trash"
_LOCKS = ".locks"


class WorkspaceError(InputError):
    """A workspace operation that cannot be done as asked (no such design, id taken, ...)."""


class Conflict(WorkspaceError):
    """The design changed on disk since this editor loaded it."""

    def __init__(self, design_id: str, expected: str | None, current: str | None, source: str):
        self.design_id = design_id
        self.expected = expected
        self.current = current
        if current is None:
            message = f"'{design_id}' was deleted after you opened it"
        elif expected is None:
            message = f"a design with the id '{design_id}' already exists"
        else:
            message = f"'{design_id}' was saved by someone else after you opened it"
        super().__init__(message, source=source)


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
        from .model import text_of

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


@dataclass(frozen=True)
class Draft:
    id: str
    session: str
    design: Design
    base_version: str | None
    saved_at: dt.datetime


@dataclass(frozen=True)
class TrashEntry:
    key: str
    id: str
    name: str | Localized
    deleted_at: dt.datetime
    revisions: int = 0


def default_root() -> Path:
    """`$JOURNEYMAP_WORKSPACE`, else `./workspace` in the current folder."""
    return Path(os.environ.get(WORKSPACE_ENV) or DEFAULT_FOLDER).expanduser().absolute()


def version_of(content: bytes) -> str:
    """The version token of a file's content."""
    return hashlib.sha256(content).hexdigest()[:16]


@dataclass
class Workspace:
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
        from .library import list_templates

        templates = list_templates()
        if not templates:
            return []
        starter = next((t for t in templates if t.segment == "b2b"), templates[0])
        self.create(starter.design, note=f"template {starter.id}")
        return [starter.id]

    # ----------------------------------------------------------------------- paths

    def path(self, design_id: str) -> Path:
        _check_id(design_id)
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
        folder = self.root / _HISTORY / design_id
        numbers = _revision_numbers(folder)
        if numbers and (folder / _revision_name(numbers[-1])).read_bytes() == content:
            return
        number = (numbers[-1] if numbers else 0) + 1
        atomic_write(folder / _revision_name(number), content)
        if note:
            notes = _read_json(folder / "notes.json", {})
            notes[str(number)] = note
            atomic_write(folder / "notes.json", _json_bytes(notes))

    @contextmanager
    def _locked(self, design_id: str) -> Iterator[None]:
        folder = self.root / _LOCKS
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / f"{design_id}.lock", "a+b") as handle:
            _lock(handle)
            try:
                yield
            finally:
                _unlock(handle)

    # ----------------------------------------------------------------------- history

    def history(self, design_id: str) -> list[Revision]:
        """Every saved version, newest first."""
        _check_id(design_id)
        folder = self.root / _HISTORY / design_id
        notes = _read_json(folder / "notes.json", {})
        revisions = []
        for number in _revision_numbers(folder):
            path = folder / _revision_name(number)
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
        _check_id(design_id)
        path = self.root / _HISTORY / design_id / _revision_name(number)
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

    # ----------------------------------------------------------------------- drafts

    def save_draft(self, design: Design, session: str, base_version: str | None) -> None:
        """Autosave the unsaved edits of one editing session."""
        payload = {
            "base_version": base_version,
            "saved_at": dt.datetime.now().isoformat(timespec="seconds"),
            "design": editing.to_data(design),
        }
        atomic_write(self._draft_path(design.id, session), _json_bytes(payload))

    def load_draft(self, design_id: str, session: str) -> Draft | None:
        path = self._draft_path(design_id, session)
        return self._read_draft(path, design_id, session) if path.is_file() else None

    def drafts(self, design_id: str) -> list[Draft]:
        """Every session's unsaved draft of a design, newest first."""
        _check_id(design_id)
        folder = self.root / _DRAFTS / design_id
        found = [self._read_draft(p, design_id, p.stem) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []
        return sorted((d for d in found if d), key=lambda d: d.saved_at, reverse=True)

    def discard_draft(self, design_id: str, session: str) -> None:
        path = self._draft_path(design_id, session)
        path.unlink(missing_ok=True)
        try:
            path.parent.rmdir()
        except OSError:
            pass

    def _draft_path(self, design_id: str, session: str) -> Path:
        _check_id(design_id)
        _check_id(session, "session")
        return self.root / _DRAFTS / design_id / f"{session}.json"

    def _read_draft(self, path: Path, design_id: str, session: str) -> Draft | None:
        try:
            payload = json.loads(path.read_text("utf-8"))
            design = parse_design(payload["design"])
            saved_at = dt.datetime.fromisoformat(payload["saved_at"])
        except (OSError, ValueError, KeyError, TypeError, DesignInvalid):
            return None  # a damaged draft is not worth a crash; the saved design is intact
        return Draft(design_id, session, design, payload.get("base_version"), saved_at)

    # ----------------------------------------------------------------------- duplicate, trash

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
            target = self.root / _TRASH / key
            target.mkdir(parents=True)
            name = self._entry(path).name("ja")
            for source, dest in (
                (self.root / _HISTORY / design_id, target / "history"),
                (self.root / _DRAFTS / design_id, target / "drafts"),
            ):
                if source.exists():
                    shutil.move(str(source), str(dest))
            meta = {"id": design_id, "name": name, "deleted_at": dt.datetime.now().isoformat(timespec="seconds")}
            atomic_write(target / "meta.json", _json_bytes(meta))
            os.replace(path, target / "design.yaml")
        self._summaries.pop(path.name, None)
        return self._trash_entry(target)

    def trash(self) -> list[TrashEntry]:
        """Deleted designs, most recently deleted first."""
        folder = self.root / _TRASH
        if not folder.is_dir():
            return []
        entries = [self._trash_entry(p) for p in folder.iterdir() if (p / "design.yaml").is_file()]
        return sorted(entries, key=lambda e: (e.deleted_at, e.key), reverse=True)

    def _trash_entry(self, folder: Path) -> TrashEntry:
        meta = _read_json(folder / "meta.json", {})
        design_id = str(meta.get("id") or folder.name.rsplit("-", 1)[-1])
        try:
            deleted_at = dt.datetime.fromisoformat(meta["deleted_at"])
        except (KeyError, ValueError, TypeError):
            deleted_at = dt.datetime.fromtimestamp(folder.stat().st_mtime)
        revisions = len(_revision_numbers(folder / "history"))
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
            history = self.root / _HISTORY / design_id
            if (folder / "history").is_dir() and not history.exists():
                history.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(folder / "history"), str(history))
            drafts = self.root / _DRAFTS / design_id
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
        folder = self.root / _TRASH / key
        if "/" in key or key.startswith(".") or not (folder / "design.yaml").is_file():
            raise WorkspaceError(f"nothing called '{key}' in the trash", source=str(self.root))
        return folder


# --------------------------------------------------------------------------- helpers


def _check_id(value: str, what: str = "design id") -> None:
    if not isinstance(value, str) or not value or slugify(value) != value:
        raise WorkspaceError(f"'{value}' is not a valid {what}: use lowercase letters, digits and '-'")


def _revision_name(number: int) -> str:
    return f"{number:06d}.yaml"


def _revision_numbers(folder: Path) -> list[int]:
    if not folder.is_dir():
        return []
    return sorted(int(p.stem) for p in folder.glob("*.yaml") if p.stem.isdigit())


def _read_json(path: Path, default):
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return default


def _json_bytes(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


try:  # POSIX
    import fcntl

    def _lock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)

    def _unlock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

except ImportError:  # Windows
    import msvcrt

    def _lock(handle) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)

    def _unlock(handle) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
