"""The sidebar every page shares (language, the open design, save) and the conflict panel."""

from __future__ import annotations

import streamlit as st

from journeymap.errors import InputError
from journeymap.ui import auth, state, widgets
from journeymap.ui.strings import LANG_KEY, LANGS, lang, md, shown, t


def language() -> str:
    """Create the language switch (kept in the URL as ?lang=en) and return the language."""
    with st.sidebar:
        st.segmented_control(
            t("sidebar.language"), list(LANGS), format_func=LANGS.get, default="ja", required=True,
            key=LANG_KEY, bind="query-params", persist_state="session",
        )
    return lang()


def render() -> bool:
    """The shared part of every page: the open design with its save state and buttons, where the
    workspace is, a conflict to resolve, one-time notices. False when the workspace cannot be
    opened (the reason is shown instead of the page)."""
    try:
        state.workspace()
    except InputError as exc:
        widgets.show_issues(exc, edit=False)
        return False
    _design_box()
    auth.sidebar_box()
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
            elif st.button(t("save"), key="sidebar_save", type="primary", icon=":material/save:", disabled=not doc.dirty,
                           width="stretch", shortcut="Mod+S"):
                state.save()
                st.rerun()
            undo, redo = st.columns(2)
            if undo.button(t("undo"), key="sidebar_undo", icon=":material/undo:", disabled=not doc.undo, width="stretch",
                           shortcut="Mod+Z", help=t("undo_help")) and state.undo():
                st.rerun()
            if redo.button(t("redo"), key="sidebar_redo", icon=":material/redo:", disabled=not doc.redo, width="stretch",
                           shortcut="Mod+Shift+Z", help=t("redo_help")) and state.redo():
                st.rerun()
            if st.button(t("discard"), key="sidebar_discard", icon=":material/restart_alt:", disabled=not doc.dirty,
                         width="stretch", help=t("discard_help")) and state.discard():
                state.notice("discarded")
                st.rerun()
            if auth.may("save") and st.button(t("save_copy"), key="sidebar_copy", icon=":material/file_copy:", width="stretch"):
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


def conflict_panel() -> None:
    """What to do when a save met a newer version: reload theirs, or keep mine as a copy."""
    conflict = state.conflict()
    doc = state.current()
    if conflict is None or doc is None:
        return
    with st.container(border=True):
        st.error(f"**{t('conflict.title')}**  \n" + t("conflict.deleted" if conflict.current is None else "conflict.changed", id=md(conflict.design_id)),
                 icon=":material/sync_problem:")
        reload, copy, diff = st.columns(3)
        if conflict.current is None:
            if reload.button(t("conflict.resave"), key="conflict_resave", width="stretch"):
                doc.version = None
                if state.save():
                    st.rerun()
        elif reload.button(t("conflict.reload"), key="conflict_reload", icon=":material/refresh:", width="stretch"):
            state.reload()
            state.notice("reloaded")
            st.rerun()
        if copy.button(t("conflict.copy"), key="conflict_copy", icon=":material/file_copy:", type="primary", width="stretch"):
            new = state.save_copy()
            state.notice("copied", id=new.id)
            st.rerun()
        with diff.popover(t("conflict.diff"), width="stretch"):
            st.caption(t("conflict.diff_caption"))
            st.code(state.workspace().diff_with(doc.design) or "—", language="diff")


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
