"""Library: saved designs (search, filters, sort, pages of 20; preview, open, duplicate, delete), the trash, templates."""

import streamlit as st

from journeymap import library
from journeymap.editing import operations as editing
from journeymap.errors import InputError
from journeymap.model import slugify, text_of
from journeymap.text.format import measure
from journeymap.ui import auth, state, widgets
from journeymap.ui.strings import labels, lang, md, shown, t
from journeymap.workspace import index

st.title(t("page.home"))
st.caption(t("home.intro"))
ws = state.workspace()
doc = state.current()


def open_and_edit(design_id: str) -> None:
    state.open_design(design_id)
    st.switch_page(widgets.page_path("design.py" if auth.may("edit") else "present.py"))


# --------------------------------------------------------------------------- saved designs

PAGE = "jm_library_page"
FILTERS = "jm_library_filters"
PREVIEW = "jm_library_preview"
TEMPLATE_PREVIEW = "jm_library_template_preview"


def kgi_text(entry: index.Entry) -> str:
    if entry.kgi is None:
        return ""
    name, target, unit = entry.kgi
    return t("home.kgi", name=text_of(name, lang()), target=measure(target, unit, entry.currency, lang()))


def saved_entry(entry: index.Entry) -> None:
    # one row: the text takes what the buttons leave; the buttons take their labels' width and wrap
    # onto a second row rather than cut a label (and a row costs fewer elements than columns do)
    box = st.container(border=True)
    with box.container(horizontal=True, vertical_alignment="center", gap="small"):
        with st.container(width="stretch", gap=None):
            if entry.valid:
                st.markdown(f"**{shown(entry.title)}**" + ("　" + t("home.open_now") if doc and doc.id == entry.id else ""))
                meta = t("home.entry_meta", id=entry.id, phases=entry.phases, stages=entry.stages,
                         modified=entry.modified.strftime("%Y-%m-%d %H:%M"))
                extra = " · ".join(x for x in (t(f"segment.{entry.segment}"), kgi_text(entry),
                                               t("home.saved_by", by=entry.saved_by or "—")) if x)
                st.caption(f"{meta} · {md(extra)}")
            else:
                st.markdown(f"**{md(entry.id)}.yaml**")
                st.error("\n".join(f"- {md(auth.redact(str(issue)))}" for issue in entry.issues[:3]), icon=":material/error:")
        with st.container(horizontal=True, horizontal_alignment="right", gap="small", width="content"):
            if st.button(t("common.open"), key=f"open.{entry.id}", icon=":material/edit:", disabled=not entry.valid):
                open_and_edit(entry.id)
            showing = st.session_state.get(PREVIEW) == entry.id
            if st.button(t("common.preview"), key=f"preview.{entry.id}", icon=":material/visibility:", disabled=not entry.valid,
                         type="primary" if showing else "secondary"):
                st.session_state[PREVIEW] = None if showing else entry.id
                st.rerun()
            if auth.may("save") and st.button(t("common.duplicate"), key=f"dup.{entry.id}", icon=":material/content_copy:",
                                              disabled=not entry.valid):
                new_id = ws.duplicate(entry.id)
                state.notice("duplicated", id=new_id)
                st.rerun()
            if auth.may("delete") and st.button(t("common.delete"), key=f"del.{entry.id}", icon=":material/delete:"):
                trashed_entry = ws.delete(entry.id)
                if doc and doc.id == entry.id:
                    state.close()
                state.notice("deleted_unfinished" if trashed_entry.unfinished else "deleted", id=entry.id)
                st.rerun()
    if st.session_state.get(PREVIEW) == entry.id:
        with box:
            widgets.saved_preview(ws, entry)


st.header(t("home.saved"), divider="gray")
entries = ws.entries()
if not entries:
    st.info(t("home.no_saved"), icon=":material/info:")
else:
    # widgets whose options are shown in the session's language are keyed by it (as on every page)
    search, segment_box, owner_box, status_box, sort_box = st.columns([3, 2, 2, 2, 2.5], vertical_alignment="bottom")
    query = search.text_input(t("home.search"), key="jm_library_search", icon=":material/search:")
    segments = segment_box.multiselect(
        t("home.segments"), sorted({e.segment for e in entries if e.segment}), key=f"jm_library_segments.{lang()}", placeholder=t("home.any"),
        format_func=labels("segment"),
    )
    owners = owner_box.multiselect(t("home.owners"), sorted({o for e in entries for o in e.owners_in(lang())}), key=f"jm_library_owners.{lang()}",
                                   placeholder=t("home.any"))
    status = status_box.selectbox(t("home.status"), index.STATUSES, key=f"jm_library_status.{lang()}", format_func=labels("home.status"))
    sort = sort_box.selectbox(t("home.sort"), index.SORTS, key=f"jm_library_sort.{lang()}", format_func=labels("home.sort"))
    chosen = index.select(entries, query, tuple(segments), tuple(owners), status, sort, lang())
    filters = (query, tuple(segments), tuple(owners), status, sort)
    if st.session_state.get(FILTERS) != filters:
        st.session_state[FILTERS] = filters
        st.session_state[PAGE] = 1
    shown_entries, page, pages = index.page_of(chosen, st.session_state.get(PAGE, 1))
    st.caption(t("home.count", shown=len(chosen), total=len(entries)))
    if not chosen:
        st.info(t("home.no_match"), icon=":material/search_off:")
    for entry in shown_entries:
        saved_entry(entry)
    if pages > 1:
        previous, where, following = st.columns([1, 2, 1], vertical_alignment="center")
        if previous.button(t("home.previous"), key="jm_library_previous", icon=":material/chevron_left:", disabled=page <= 1):
            st.session_state[PAGE] = page - 1
            st.rerun()
        where.markdown(f"<div style='text-align:center'>{t('home.page', page=page, pages=pages)}</div>", unsafe_allow_html=True)
        if following.button(t("home.next"), key="jm_library_next", icon=":material/chevron_right:", disabled=page >= pages):
            st.session_state[PAGE] = page + 1
            st.rerun()

trashed = ws.trash() if auth.may("trash") else []
if any(item.unfinished for item in trashed) and ws.finish_deletes():  # a move refused before may work now
    trashed = ws.trash()
if trashed:
    with st.expander(t("home.trash", n=len(trashed)), icon=":material/delete:"):
        for item in trashed:
            info, restore, purge = st.columns([4, 1, 1], vertical_alignment="center")
            info.markdown(f"**{shown(item.name)}** `{item.id}` — {t('home.deleted_at', at=item.deleted_at.strftime('%Y-%m-%d %H:%M'))}")
            if item.unfinished:
                info.caption(t("home.unfinished"))
            if restore.button(t("common.restore"), key=f"restore.{item.key}", icon=":material/restore_from_trash:"):
                restored = ws.restore_from_trash(item.key)
                state.notice("restored", id=restored)
                st.rerun()
            if purge.button(t("common.purge"), key=f"purge.{item.key}", icon=":material/delete_forever:"):
                ws.purge(item.key)
                st.rerun()

# --------------------------------------------------------------------------- templates

st.header(t("home.templates"), divider="gray")
try:
    templates = library.list_templates()
except InputError as exc:
    widgets.show_issues(exc, edit=False)
    templates = []
if not templates:
    st.info(t("home.no_templates"), icon=":material/info:")

for row_start in range(0, len(templates), 2):
    for column, template in zip(st.columns(2), templates[row_start : row_start + 2]):
        design = template.design
        with column.container(border=True):
            st.subheader(shown(design.name))
            st.caption(
                t("home.template_meta", segment=t(f"segment.{design.segment}"), phases=len(design.phases),
                  stages=len(design.stages), funnel=len(design.funnel_stages))
            )
            if design.description:
                st.markdown(shown(design.description))
            st.markdown(" → ".join(shown(s.name) for s in design.funnel_stages) or "—")
            # drawn only when asked for, once per template version for the whole server
            showing = st.session_state.get(TEMPLATE_PREVIEW) == template.id
            if st.button(t("common.preview"), key=f"template_preview.{template.id}", icon=":material/visibility:",
                         type="primary" if showing else "secondary"):
                st.session_state[TEMPLATE_PREVIEW] = None if showing else template.id
                st.rerun()
            if showing:
                widgets.template_preview(ws, template)
            if not auth.may("save"):
                continue
            with st.form(f"new.{template.id}", border=False):
                name = st.text_input(t("home.new_name"), value=template.name(lang()), key=f"new_name.{template.id}")
                wanted = st.text_input(t("home.new_id"), placeholder=ws.free_id(template.id), key=f"new_id.{template.id}",
                                       help=t("help.id"))
                if st.form_submit_button(t("home.create"), icon=":material/add:", type="primary"):
                    design_id = wanted.strip() or ws.free_id(template.id)
                    if slugify(design_id) != design_id:
                        st.error(t("home.bad_id", id=md(design_id), hint=md(slugify(design_id) or "my-design")))
                    elif ws.exists(design_id):
                        st.error(t("home.id_taken", id=md(design_id)))
                    else:
                        try:
                            ws.create(editing.from_template(design, design_id, name, lang()), note=f"template {template.id}")
                        except InputError as exc:
                            widgets.show_issues(exc, edit=False)
                        else:
                            open_and_edit(design_id)
