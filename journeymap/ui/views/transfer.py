"""Export / import: download the design in every registered format; import a design file."""

from pathlib import PurePath

import streamlit as st

from journeymap import limits
from journeymap.editing import operations as editing
from journeymap.errors import InputError
from journeymap.export import export, formats
from journeymap.model import slugify
from journeymap.ui import auth, state, widgets
from journeymap.ui.panels import transfer as parts
from journeymap.ui.strings import lang, md, shown, t

st.title(t("page.transfer"))
doc = state.current()

st.header(t("transfer.export"), divider="gray")
if doc is None:
    st.info(t("transfer.open_first"), icon=":material/info:")
else:
    design = doc.design
    st.caption(t("transfer.export_hint", name=shown(design.name)))
    for name, fmt in formats().items():
        info, button = st.columns([4, 1], vertical_alignment="center")
        info.markdown(f"**{t(f'format_name.{name}', default=name)}** · `.{fmt.extension}` — "
                      f"{t(f'format.{name}', default=fmt.description)}")
        button.download_button(
            t("common.download"), data=lambda name=name, language=lang(): export(design, name, lang=language),  # made on click, outside the run  # noqa: B008 (the run's language, bound now)
            file_name=f"{design.id}.{fmt.extension}", mime=fmt.media_type, key=f"export.{name}",
            icon=":material/download:", on_click="ignore", width="stretch",
        )
    parts.crm_preview(design)
    parts.diagram_downloads(design)
    st.subheader(t("stale.export"))
    stale = widgets.stale_texts(doc)
    if stale:
        st.warning(t("stale.title", n=len(stale)) + "  \n" + t("stale.hint"), icon=":material/translate:")
        widgets.stale_list(stale)
    else:
        st.caption(t("stale.none"))

if not auth.may("save"):
    st.stop()  # importing makes a design: editors and owners only
st.header(t("transfer.import"), divider="gray")
upload = widgets.uploader(t("transfer.upload"), ["yaml", "yml", "json", "xlsx"], "import_file", t("help.import"),
                          limits.DESIGN_UPLOAD_MB)
if upload is not None:
    try:
        imported = parts.read_design(upload.getvalue(), upload.name)
    except InputError as exc:
        widgets.show_issues(exc, edit=False)
        st.stop()
    ws = state.workspace()
    st.success(t("transfer.read_ok", name=shown(imported.name), stages=len(imported.stages)), icon=":material/check:")
    suggested = imported.id if not ws.exists(imported.id) else ws.free_id(imported.id)
    wanted = st.text_input(t("transfer.save_as"), suggested, key=f"import_id.{upload.name}", help=t("help.id"))
    if ws.exists(wanted):
        st.warning(t("home.id_taken", id=md(wanted)), icon=":material/warning:")
    elif slugify(wanted) != wanted:
        st.error(t("home.bad_id", id=md(wanted), hint=md(slugify(wanted) or PurePath(upload.name).stem)), icon=":material/error:")
    elif st.button(t("transfer.save_open"), type="primary", icon=":material/save:", key="import_save"):
        ws.create(editing.with_id(imported, wanted), note=f"imported from {upload.name}")
        state.open_design(wanted)
        st.switch_page(widgets.page_path("design.py"))
