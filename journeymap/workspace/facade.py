"""`Workspace`: one object for the app and the CLI, composed of the folder's parts.

The workspace is a plain folder (default `./workspace`, or `$JOURNEYMAP_WORKSPACE`) that a person
can open and put in git: every design is `<id>.yaml` at its top, the machinery lives in hidden
folders beside them (see `folder`). `Workspace` hands each call to the part that owns it — `Store`
(designs, history, versions) with its `Index`, `Drafts`, `Trash` — which all share one `Folder`. No Streamlit here:
the app and the tests drive it alike.
"""

from __future__ import annotations

import copy
import json
import os
import threading
from pathlib import Path

from journeymap.designfile.atomic import atomic_write
from journeymap.model import Design
from journeymap.text.problems import Verbatim
from journeymap.workspace.access import LOCAL_OWNER, User
from journeymap.workspace.drafts import Draft, Drafts
from journeymap.workspace.folder import Folder, keyed_error
from journeymap.workspace.index import Entry, Index
from journeymap.workspace.previews import Previews
from journeymap.workspace.store import Loaded, Revision, Store
from journeymap.workspace.trash import Trash, TrashEntry

WORKSPACE_ENV = "JOURNEYMAP_WORKSPACE"
DEFAULT_FOLDER = "workspace"
MARKER = ".journeymap-workspace"


def default_root() -> Path:
    """`$JOURNEYMAP_WORKSPACE`, else `./workspace` in the current folder."""
    return Path(os.environ.get(WORKSPACE_ENV) or DEFAULT_FOLDER).expanduser().absolute()


_SHARED: dict[Path, Workspace] = {}
_SHARED_LOCK = threading.Lock()


class Workspace:
    """Saved designs in a folder: store with history and optimistic versions, drafts, the trash.

    Every operation that writes checks the role of the user it acts for (`acting`; the local owner
    unless told otherwise: the CLI and an app without sign-in) and raises `access.Forbidden` when
    the role does not allow it: viewers read and export, editors also save, import and keep drafts,
    owners also delete and handle the trash. Each saved revision records that user as its author.
    """

    user: User = LOCAL_OWNER

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root).expanduser().absolute()
        self.folder = Folder(self.root)
        self.index = Index(self.folder)
        self.store = Store(self.folder, self.index)
        self.draft_store = Drafts(self.folder)
        self.trash_bin = Trash(self.folder, self.store)
        self.previews = Previews(self.folder)

    def __repr__(self) -> str:
        return f"Workspace({str(self.root)!r})"

    def acting(self, user: User) -> Workspace:
        """This workspace acting for `user`: the same folder, index and parts, with that user's role
        checked by every write and recorded as the author of every revision."""
        if user == self.user:
            return self
        view = copy.copy(self)
        view.user = user
        return view

    # ----------------------------------------------------------------------- set-up

    @classmethod
    def shared(cls, root: str | os.PathLike | None = None) -> Workspace:
        """This process's one Workspace for `root` (default: `default_root()`), opened on first use.

        Every session of the app asks for it, so they share one index: a design is read once per
        file version for the whole server, not once per session.
        """
        path = Path(root if root is not None else default_root()).expanduser().absolute()
        with _SHARED_LOCK:
            workspace = _SHARED.get(path)
            if workspace is None or not (path / MARKER).exists():
                workspace = cls.open(path)
                _SHARED[path] = workspace
            return workspace

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
            self.recover()
            return []
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise keyed_error("workspace.cannot_create", source=str(self.root),
                              detail=Verbatim(str(exc.strerror or exc))) from None
        seeded = self._seed() if seed and not self.folder.designs() else []
        atomic_write(marker, (json.dumps({"format": 1, "seeded": seeded}, indent=2) + "\n").encode())
        return seeded

    def recover(self) -> list[str]:
        """Finish or undo the operations a killed process left half-done, and remove what its writes
        left behind (see `journal`); return the ids of the designs settled."""
        try:
            return self.store.journal.recover()
        except OSError:  # a read-only workspace can still be read; its writes will say what is wrong
            return []

    def _seed(self) -> list[str]:
        from journeymap.library import list_templates

        templates = list_templates()
        if not templates:
            return []
        starter = next((t for t in templates if t.segment == "b2b"), templates[0])
        self.store.create(starter.design, note=f"template {starter.id}")
        return [starter.id]

    # ----------------------------------------------------------------------- designs (Store)

    def path(self, design_id: str) -> Path:
        return self.folder.design(design_id)

    def exists(self, design_id: str) -> bool:
        return self.store.exists(design_id)

    def free_id(self, base: str) -> str:
        return self.store.free_id(base)

    def entries(self) -> list[Entry]:
        """Every saved design, most recently changed first; a broken file is listed with its issues."""
        return self.store.entries()

    def load(self, design_id: str) -> Loaded:
        return self.store.load(design_id)

    def current_version(self, design_id: str) -> str | None:
        return self.store.current_version(design_id)

    def create(self, design: Design, note: str = "") -> str:
        self.user.require("save", design.id)
        return self.store.create(design, note, by=self.user.label)

    def save(self, design: Design, expected_version: str | None, note: str = "") -> str:
        self.user.require("save", design.id)
        return self.store.save(design, expected_version, note, by=self.user.label)

    def duplicate(self, design_id: str, new_id: str | None = None) -> str:
        self.user.require("save", new_id or design_id)
        return self.store.duplicate(design_id, new_id, by=self.user.label)

    def history(self, design_id: str) -> list[Revision]:
        return self.store.history(design_id)

    def design_at(self, design_id: str, version: str | None) -> Design | None:
        return self.store.design_at(design_id, version)

    def revision_text(self, design_id: str, number: int) -> str:
        return self.store.revision_text(design_id, number)

    def diff(self, design_id: str, old: int, new: int | None = None) -> str:
        return self.store.diff(design_id, old, new)

    def diff_with(self, design: Design) -> str:
        return self.store.diff_with(design)

    def restore(self, design_id: str, number: int, expected_version: str | None) -> str:
        self.user.require("save", design_id)
        return self.store.restore(design_id, number, expected_version, by=self.user.label)

    # ----------------------------------------------------------------------- trash

    def delete(self, design_id: str) -> TrashEntry:
        self.user.require("delete", design_id)
        return self.trash_bin.put(design_id)

    def trash(self) -> list[TrashEntry]:
        return self.trash_bin.entries()

    def finish_deletes(self) -> list[str]:
        """Move again what deletes left behind when their history or drafts could not follow the design
        into the trash (`TrashEntry.unfinished`); return the ids now deleted completely."""
        if not self.user.may("delete"):
            return []
        return self.trash_bin.finish()

    def restore_from_trash(self, key: str) -> str:
        self.user.require("trash", key)
        return self.trash_bin.restore(key, by=self.user.label)

    def purge(self, key: str) -> None:
        self.user.require("trash", key)
        self.trash_bin.purge(key)

    # ----------------------------------------------------------------------- drafts

    def save_draft(self, design: Design, session: str, base_version: str | None) -> None:
        self.user.require("edit", design.id)
        self.draft_store.save(design, session, base_version)

    def load_draft(self, design_id: str, session: str) -> Draft | None:
        return self.draft_store.load(design_id, session)

    def drafts(self, design_id: str) -> list[Draft]:
        return self.draft_store.of(design_id)

    def discard_draft(self, design_id: str, session: str) -> None:
        self.user.require("edit", design_id)
        self.draft_store.discard(design_id, session)
