"""The sidebar every page shares (language, the open design, save) and the conflict panel."""

from __future__ import annotations

from typing import Any

import streamlit as st

from journeymap.editing.changes import MISSING, PRESENT, field_changes
from journeymap.errors import InputError
from journeymap.model import Design, Localized, text_of
from journeymap.ui import auth, state, streamlit_words, widgets
from journeymap.ui.strings import LANG_KEY, LANGS, field_label, lang, md, shown, t

_LANG_FROM_URL = "jm_lang_from_url"


def language() -> str:
    """Create the language switch (kept in the URL as ?lang=English, the switch's label) and return
    the language. A link may also say ?lang=en or ?lang=ja (the language's code, as the docs and
    shared links write it): the switch starts there, once per session, rather than in Japanese."""
    code = st.query_params.get(LANG_KEY)
    if code in LANGS and not st.session_state.get(_LANG_FROM_URL):
        st.session_state[_LANG_FROM_URL] = True
        st.session_state[LANG_KEY] = code
    with st.sidebar:
        st.segmented_control(
            t("sidebar.language"), list(LANGS), format_func=LANGS.get, default="ja", required=True,
            key=LANG_KEY, bind="query-params", persist_state="session",
        )
        st.html(f"<style>{widgets.METRIC_FIT_CSS}{widgets.streamlit_words_css() if lang() == 'ja' else ''}</style>")
        streamlit_words.install()
    return lang()


def render(quiet: bool = False) -> bool:
    """The shared part of every page: the open design with its save state and buttons, where the
    workspace is, a conflict to resolve, one-time notices (`quiet` pages such as Present keep the
    notices for later and show no panels). False when the workspace cannot be opened (the reason
    is shown instead of the page)."""
    try:
        state.workspace()
    except InputError as exc:
        widgets.show_issues(exc, edit=False)
        return False
    _design_box()
    auth.sidebar_box()
    if not quiet:
        conflict_panel()
        widgets.show_notice()
    return True


def _design_box() -> None:
    state.sync_url()
    doc = state.current()
    with st.sidebar:
        st.divider()
        st.caption(t("sidebar.open_design"))
        if doc is None:
            st.markdown(t("sidebar.none_open"))
        else:
            st.markdown(f"**{shown(doc.design.name)}**  \n`{doc.id}`")
            st.session_state[_STATUS] = st.empty()
            if not auth.may("save"):
                st.caption(t("auth.read_only", role=t(f"access.{auth.user().role}")))
            elif st.button(t("common.save"), key="sidebar_save", type="primary", icon=":material/save:", disabled=not doc.dirty,
                           width="stretch", shortcut="Mod+S"):
                state.save()
                st.rerun()
            if st.button(t("common.undo"), key="sidebar_undo", icon=":material/undo:", disabled=not doc.undo, width="stretch",
                           shortcut="Mod+Z", help=t("common.undo_help")) and state.undo():
                st.rerun()
            if st.button(t("common.redo"), key="sidebar_redo", icon=":material/redo:", disabled=not doc.redo, width="stretch",
                           shortcut="Mod+Shift+Z", help=t("common.redo_help")) and state.redo():
                st.rerun()
            if st.button(t("common.discard"), key="sidebar_discard", icon=":material/restart_alt:", disabled=not doc.dirty,
                         width="stretch", help=t("common.discard_help")) and state.discard():
                state.notice("discarded")
                st.rerun()
            if auth.may("save") and st.button(t("common.save_copy"), key="sidebar_copy", icon=":material/file_copy:", width="stretch"):
                new = state.save_copy()
                state.notice("copied", id=new.id)
                st.rerun()
        if auth.may("admin"):  # where the workspace lives on the server is for its owners only
            st.caption(t("sidebar.workspace", path=md(state.workspace().root)))


_STATUS = "jm_status_slot"


def status() -> None:
    """The open design's save state, written after the page ran: "saved" only when every editor
    shows what the file holds (an edit an editor refused keeps it from saying so)."""
    slot = st.session_state.pop(_STATUS, None)
    doc = state.current()
    if slot is None or doc is None:
        return
    if state.pending_refused():
        slot.markdown(f":red[● {t('sidebar.refused')}]")
    elif doc.dirty:
        slot.markdown(f":orange[● {t('sidebar.unsaved')}]")
    else:
        slot.markdown(f":green[✓ {t('sidebar.saved')}]")


CONFLICT_SEEN = "jm_conflict_seen"
"""The version of theirs the conflict panel showed in the last run (what "keep mine" may overwrite)."""
CONFLICT_FIELDS_SHOWN = 12
"""Changed fields listed in the conflict panel before "and N more"."""


DRAFTS_SHOWN = 5
"""Other sessions' drafts listed in the conflict panel before "and N more" (all of them can be picked)."""


def conflict_panel() -> None:
    """One panel for the open design, however many saves conflicted and however many drafts other
    sessions left: when a save met a newer version (a later save replaces it), what changed on each
    side, field by field, then keep mine, take theirs, or save mine as a copy; below it, the drafts
    of other sessions, listed, with one choice of which to open or discard."""
    doc = state.current()
    if doc is None:
        return
    conflict = state.conflict()
    if conflict is not None and conflict.design_id != doc.id:
        conflict = None
    ws = state.workspace()
    mine = state.session_token()
    drafts = [d for d in ws.drafts(doc.id) if d.session != mine and d.design != doc.design]
    if conflict is None and not drafts:
        return
    with st.container(border=True, key="conflict_panel"):
        if conflict is not None:
            _conflict(conflict, doc)
        if drafts:
            _other_drafts(doc, drafts)


def _conflict(conflict: state.Conflict, doc: state.Doc) -> None:
    """A save that met a newer version: each side's changes, keep mine, take theirs, or a copy."""
    ws = state.workspace()
    st.error(f"**{t('conflict.title')}**  \n" + t("conflict.deleted" if conflict.current is None else "conflict.changed", id=md(conflict.design_id)),
             icon=":material/sync_problem:")
    theirs = None
    if conflict.current is not None:
        try:
            theirs = ws.load(doc.id)
        except InputError as exc:
            widgets.show_issues(exc, edit=False)
    if theirs is not None:
        changes = field_changes(ws.design_at(doc.id, doc.version), doc.design, theirs.design)
        st.caption(t("conflict.fields"))
        lines = [
            t("conflict.change", field=md(_field_name(c.path, doc.design, theirs.design)),
              **{side: md(_value(getattr(c, side), c.path)) for side in ("base", "mine", "theirs")})
            for c in changes[:CONFLICT_FIELDS_SHOWN]
        ]
        if len(changes) > CONFLICT_FIELDS_SHOWN:
            lines.append(t("conflict.more", n=len(changes) - CONFLICT_FIELDS_SHOWN))
        st.markdown("\n".join(f"- {line}" for line in lines) if lines else t("conflict.same_fields"))
        seen = st.session_state.get(CONFLICT_SEEN)
        st.session_state[CONFLICT_SEEN] = theirs.version
        if st.button(t("conflict.keep_mine"), key="conflict_keep_mine", icon=":material/save:", width="stretch"):
            # overwrite only the version the user saw in this panel: a newer one is a new conflict
            doc.version = seen or theirs.version
            if state.save():
                st.rerun()
    if conflict.current is None:
        if st.button(t("conflict.resave"), key="conflict_resave", width="stretch"):
            doc.version = None
            if state.save():
                st.rerun()
    elif st.button(t("conflict.reload"), key="conflict_reload", icon=":material/refresh:", width="stretch"):
        state.reload()
        state.notice("reloaded")
        st.rerun()
    if st.button(t("conflict.copy"), key="conflict_copy", icon=":material/file_copy:", type="primary", width="stretch"):
        new = state.save_copy()
        state.notice("copied", id=new.id)
        st.rerun()
    with st.popover(t("conflict.diff"), width="stretch"):
        st.caption(t("conflict.diff_caption"))
        st.code(ws.diff_with(doc.design) or "—", language="diff")


def _other_drafts(doc: state.Doc, drafts: list) -> None:
    """Other sessions' unsaved drafts of the open design (a closed tab, a crashed browser, a colleague
    editing now), newest first: one line each, one picker, open or discard the picked one."""
    ws = state.workspace()
    st.warning(t("design.other_drafts", n=len(drafts)), icon=":material/restore:")
    lines = [t("design.draft_line", time=d.saved_at.strftime("%m-%d %H:%M"),
               n=len(field_changes(doc.design, doc.design, d.design))) for d in drafts[:DRAFTS_SHOWN]]
    if len(drafts) > DRAFTS_SHOWN:
        lines.append(t("design.drafts_more", n=len(drafts) - DRAFTS_SHOWN))
    st.markdown("\n".join(f"- {line}" for line in lines))
    by_session = {d.session: d for d in drafts}
    pick_key = f"conflict_draft_pick.{doc.id}"
    if st.session_state.get(pick_key) not in by_session:
        st.session_state.pop(pick_key, None)  # the picked draft was opened or discarded (here or elsewhere)
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        picked = st.selectbox(t("design.draft_pick"), list(by_session), key=pick_key, width=220,
                              format_func=lambda s: by_session[s].saved_at.strftime("%m-%d %H:%M:%S") if s in by_session else s)
        draft = by_session.get(picked) if picked else None
        if draft is None:
            return
        if st.button(t("design.use_draft"), key="conflict_use_draft", icon=":material/restore:", disabled=doc.dirty):
            doc.version = draft.base_version
            state.replace(draft.design)
            ws.discard_draft(doc.id, draft.session)
            st.rerun()
        if st.button(t("design.drop_draft"), key="conflict_drop_draft", icon=":material/delete:"):
            ws.discard_draft(doc.id, draft.session)
            st.rerun()
    if doc.dirty:
        st.caption(t("design.draft_dirty"))


def _field_name(path: tuple, *designs: Design) -> str:
    """A changed field for people: the names of the items on its path, then the field's label."""
    names: dict[str, str] = {}
    for design in designs:
        items: list[Any] = [*design.owners, *design.phases, *design.stages, *design.kgis, *design.drop_reasons,
                            *(kpi for stage in design.stages for kpi in stage.kpis),
                            *(design.journey.phases if design.journey else [])]
        for item in items:
            names.setdefault(item.id, text_of(item.name, lang()))
    parts = []
    for part in path:
        if isinstance(part, str) and part in names:
            parts.append(f"「{names[part]}」" if lang() == "ja" else f"'{names[part]}'")
        else:
            parts.append(field_label(part))
    return " › ".join(parts)


def _value(value: object, path: tuple) -> str:
    if value is MISSING:
        return t("conflict.absent")
    if value is PRESENT:
        return t("conflict.present")
    if value is None or value == []:
        return "—"
    if path and path[-1] == "target_rate" and isinstance(value, (int, float)):
        return f"{value * 100:g}%"
    if isinstance(value, dict):  # a text in both languages
        value = text_of(Localized(**value), lang())
    if isinstance(value, list):
        return "、".join(text_of(Localized(**v), lang()) if isinstance(v, dict) else str(v) for v in value)
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def guard(run) -> None:
    """Run the page; a user-input problem that escaped a page is shown as a message, not a traceback.
    The save state in the sidebar is written afterwards, from what the page's editors showed."""
    state.start_page_run()
    try:
        run()
    except InputError as exc:
        widgets.show_issues(exc, edit=False)
    finally:
        status()
