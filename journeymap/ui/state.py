"""The session's open design: open, change (with autosaved draft), save, reload, save a copy.

One `Doc` per browser session lives in `st.session_state`. Every change goes through `change()`,
which only ever receives a valid design (the editors validate first) and autosaves it as a draft
in the workspace, keyed by design and by this session's token. The token and the design id ride
in the URL (`?s=...&design=...`), so a browser refresh reopens the same design with its draft.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field

import streamlit as st

from journeymap.designfile.writing import dump_yaml
from journeymap.editing import operations as editing
from journeymap.errors import InputError
from journeymap.model import Design
from journeymap.ui import auth
from journeymap.workspace.facade import Workspace, default_root
from journeymap.workspace.folder import Conflict

DOC = "jm_doc"
CONFLICT = "jm_conflict"
NOTICE = "jm_notice"
SESSION_PARAM = "s"
DESIGN_PARAM = "design"


@dataclass
class Doc:
    """The design this session edits."""

    id: str
    design: Design
    version: str | None
    """The workspace version the edits started from (what a save checks against)."""
    dirty: bool = False
    epoch: int = 0
    """Bumped when the design is replaced from outside the editors (reload, restore, apply);
    widget keys include it so that they show the new values."""
    key: str = field(default="")
    """Content hash of the design, for caches."""
    saved: Design | None = None
    """The design as the file holds it at `version` (what "discard changes" goes back to)."""
    undo: list[Design] = field(default_factory=list)
    redo: list[Design] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.key = self.key or content_key(self.design)
        if self.saved is None and not self.dirty:
            self.saved = self.design


UNDO_LIMIT = 100
"""Edits kept for undo per session and design."""
INVALID = "jm_invalid"
"""Editors whose shown content is not in the design (an edit they refused), from the last page run."""


def content_key(design: Design) -> str:
    return hashlib.sha256(dump_yaml(design).encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- workspace, session


def workspace() -> Workspace:
    """The server's workspace, shared by every session (created and seeded on first use).

    Sessions keep nothing of it: its index of designs is one for the whole server. It acts for
    this session's user: the workspace checks their role on every write and records them as the
    author of what they save.
    """
    return Workspace.shared(default_root()).acting(auth.user())


def session_token() -> str:
    """A token for this browser tab, kept in the URL so that a refresh keeps it."""
    token = st.session_state.get("jm_token") or st.query_params.get(SESSION_PARAM)
    if not token or not token.isalnum() or not token.islower():
        token = secrets.token_hex(6)
    st.session_state["jm_token"] = token
    return token


def sync_url() -> None:
    """Put the session token and the open design in the URL (navigation clears query params)."""
    token = session_token()
    if st.query_params.get(SESSION_PARAM) != token:
        st.query_params[SESSION_PARAM] = token
    doc = st.session_state.get(DOC)
    if doc is not None and st.query_params.get(DESIGN_PARAM) != doc.id:
        st.query_params[DESIGN_PARAM] = doc.id


# --------------------------------------------------------------------------- the open design


def current() -> Doc | None:
    """The open design; after a refresh, the one named in the URL (with its draft)."""
    doc = st.session_state.get(DOC)
    if doc is None:
        wanted = st.query_params.get(DESIGN_PARAM)
        if wanted and not st.session_state.get("jm_url_tried"):
            st.session_state["jm_url_tried"] = True
            try:
                doc = open_design(wanted)
            except InputError:
                doc = None
    return doc


def open_design(design_id: str) -> Doc:
    """Open a saved design; this session's unsaved draft of it is restored with a notice."""
    ws = workspace()
    loaded = ws.load(design_id)
    draft = ws.load_draft(design_id, session_token())
    if draft is not None and draft.design != loaded.design:
        saved = loaded.design if draft.base_version == loaded.version else None
        doc = Doc(design_id, draft.design, draft.base_version, dirty=True, saved=saved)
        notice("draft_restored", time=draft.saved_at.strftime("%H:%M"))
    else:
        doc = Doc(design_id, loaded.design, loaded.version)
    previous = st.session_state.get(DOC)
    doc.epoch = (previous.epoch + 1) if previous else 0
    st.session_state[DOC] = doc
    st.session_state.pop(CONFLICT, None)
    st.query_params[DESIGN_PARAM] = design_id
    return doc


def change(design: Design) -> None:
    """Make a (valid) edited design the current one (undoable) and autosave it as a draft."""
    doc = st.session_state[DOC]
    if design == doc.design:
        return
    doc.undo = [*doc.undo, doc.design][-UNDO_LIMIT:]
    doc.redo = []
    _become(doc, design)


def _become(doc: Doc, design: Design) -> None:
    """The design on screen becomes `design`; the draft follows (none when it equals the file)."""
    doc.design = design
    doc.key = content_key(design)
    doc.dirty = doc.saved is None or design != doc.saved
    if doc.dirty:
        workspace().save_draft(design, session_token(), doc.version)
    else:
        workspace().discard_draft(doc.id, session_token())


def can_undo() -> bool:
    doc = current()
    return bool(doc and doc.undo)


def can_redo() -> bool:
    doc = current()
    return bool(doc and doc.redo)


def undo() -> bool:
    """Go back one edit (the editors start afresh with the earlier design)."""
    doc = current()
    if doc is None or not doc.undo:
        return False
    doc.redo = [*doc.redo, doc.design]
    design = doc.undo[-1]
    doc.undo = doc.undo[:-1]
    _become(doc, design)
    doc.epoch += 1
    return True


def redo() -> bool:
    """Apply again the edit the last undo took back."""
    doc = current()
    if doc is None or not doc.redo:
        return False
    doc.undo = [*doc.undo, doc.design][-UNDO_LIMIT:]
    design = doc.redo[-1]
    doc.redo = doc.redo[:-1]
    _become(doc, design)
    doc.epoch += 1
    return True


def discard() -> bool:
    """Throw away the unsaved changes: back to the saved version (itself undoable)."""
    doc = current()
    if doc is None or not doc.dirty:
        return False
    saved = doc.saved
    if saved is None:  # a draft restored over an older version: the file is what counts
        saved = workspace().load(doc.id).design
        doc.version = workspace().load(doc.id).version
        doc.saved = saved
    replace(saved)
    return True


def start_page_run() -> None:
    """Forget which editors refused an edit: the page about to run says so again."""
    st.session_state[INVALID] = set()


def refuse_pending(editor: str) -> None:
    """Note that `editor` shows an edit that was refused (so the screen differs from the design)."""
    st.session_state.setdefault(INVALID, set()).add(editor)


def accept_pending(editor: str) -> None:
    st.session_state.setdefault(INVALID, set()).discard(editor)


def pending_refused() -> bool:
    """Whether an editor still shows a refused edit: then the screen is not what a save would write."""
    return bool(st.session_state.get(INVALID))


def replace(design: Design) -> None:
    """Like `change`, for a design replaced from outside the editors (widgets start afresh)."""
    change(design)
    st.session_state[DOC].epoch += 1


def save() -> bool:
    """Save the open design; on a conflict remember it for the sidebar and return False."""
    doc = st.session_state[DOC]
    ws = workspace()
    if pending_refused():
        notice("not_saved_refused")
        return False
    try:
        doc.version = ws.save(doc.design, doc.version)
    except Conflict as exc:
        st.session_state[CONFLICT] = exc
        return False
    doc.saved = doc.design
    doc.dirty = False
    ws.discard_draft(doc.id, session_token())
    st.session_state.pop(CONFLICT, None)
    notice("saved")
    return True


def reload() -> Doc:
    """Drop this session's edits and open the saved design again."""
    doc = st.session_state[DOC]
    workspace().discard_draft(doc.id, session_token())
    return open_design(doc.id)


def save_copy(new_id: str | None = None) -> Doc:
    """Save the open design (with this session's edits) under a new id and open that."""
    doc = st.session_state[DOC]
    ws = workspace()
    new_id = new_id or ws.free_id(f"{doc.id}-copy")
    ws.create(editing.copy_of(doc.design, new_id), note=f"copy of {doc.id}")
    ws.discard_draft(doc.id, session_token())
    return open_design(new_id)


def close() -> None:
    st.session_state.pop(DOC, None)
    st.session_state.pop(CONFLICT, None)
    if DESIGN_PARAM in st.query_params:
        del st.query_params[DESIGN_PARAM]


def conflict() -> Conflict | None:
    return st.session_state.get(CONFLICT)


# --------------------------------------------------------------------------- presenting

_PRESENTING: dict[tuple[str, str], int] = {}
"""The slide each session's Present page shows, by (session token, design id): the presenter view
(another tab of the same session token) follows it. Shared by the sessions of this server."""


def presenting(design_id: str, step: int) -> None:
    _PRESENTING[(session_token(), design_id)] = step


def presented(design_id: str) -> int:
    return _PRESENTING.get((session_token(), design_id), 0)


# --------------------------------------------------------------------------- notices


def notice(key: str, **values) -> None:
    """A message (UI-strings key) shown once at the top of the next page run."""
    st.session_state[NOTICE] = (key, values)


def pop_notice() -> tuple[str, dict] | None:
    return st.session_state.pop(NOTICE, None)
