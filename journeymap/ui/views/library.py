"""Library: saved designs (open, duplicate, delete to the trash), templates (preview, new design)."""

import streamlit as st

from journeymap import library
from journeymap.editing import operations as editing
from journeymap.errors import InputError
from journeymap.model import slugify
from journeymap.ui import auth, state, widgets
from journeymap.ui.strings import lang, md, shown, t

st.title(t("page.home"))
st.caption(t("home.intro"))
ws = state.workspace()
doc = state.current()


def open_and_edit(design_id: str) -> None:
    state.open_design(design_id)
    st.switch_page(widgets.page_path("design.py" if auth.may("edit") else "present.py"))


# --------------------------------------------------------------------------- saved designs

st.header(t("home.saved"), divider="gray")
entries = ws.entries()
if not entries:
    st.info(t("home.no_saved"), icon=":material/info:")
for entry in entries:
    with st.container(border=True):
        info, actions = st.columns([4, 3], vertical_alignment="center")
        with info:
            if entry.design is not None:
                design = entry.design
                st.markdown(f"**{shown(design.name)}**" + ("　" + t("home.open_now") if doc and doc.id == entry.id else ""))
                st.caption(
                    t(
                        "home.entry_meta",
                        id=entry.id,
                        phases=len(design.phases),
                        stages=len(design.stages),
                        modified=entry.modified.strftime("%Y-%m-%d %H:%M"),
                    )
                )
            else:
                st.markdown(f"**{md(entry.id)}.yaml**")
                st.error("\n".join(f"- {md(auth.redact(str(issue)))}" for issue in entry.issues), icon=":material/error:")
        with actions:
            left, middle, right = st.columns(3)
            if left.button(t("open"), key=f"open.{entry.id}", icon=":material/edit:", disabled=entry.design is None, width="stretch"):
                open_and_edit(entry.id)
            if auth.may("save") and middle.button(t("duplicate"), key=f"dup.{entry.id}", icon=":material/content_copy:",
                                                  disabled=entry.design is None, width="stretch"):
                new_id = ws.duplicate(entry.id)
                state.notice("duplicated", id=new_id)
                st.rerun()
            if auth.may("delete") and right.button(t("delete"), key=f"del.{entry.id}", icon=":material/delete:", width="stretch"):
                ws.delete(entry.id)
                if doc and doc.id == entry.id:
                    state.close()
                state.notice("deleted", id=entry.id)
                st.rerun()

trashed = ws.trash() if auth.may("trash") else []
if trashed:
    with st.expander(t("home.trash", n=len(trashed)), icon=":material/delete:"):
        for item in trashed:
            info, restore, purge = st.columns([4, 1, 1], vertical_alignment="center")
            info.markdown(f"**{shown(item.name)}** `{item.id}` — {t('home.deleted_at', at=item.deleted_at.strftime('%Y-%m-%d %H:%M'))}")
            if restore.button(t("restore"), key=f"restore.{item.key}", icon=":material/restore_from_trash:"):
                restored = ws.restore_from_trash(item.key)
                state.notice("restored", id=restored)
                st.rerun()
            if purge.button(t("purge"), key=f"purge.{item.key}", icon=":material/delete_forever:"):
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
            with st.expander(t("preview"), icon=":material/visibility:"):
                widgets.diagram(design, f"template:{template.id}:{template.path.stat().st_mtime_ns}", "process", detail="compact")
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
