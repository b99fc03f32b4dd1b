"""Design: edit phases, stages, owners, KPIs, KGIs and links, with the live process diagram beside."""

import streamlit as st

from journeymap.model import text_of
from journeymap.ui import design_parts as parts
from journeymap.ui import state, widgets
from journeymap.ui.strings import lang, t

doc = widgets.require_doc()
st.title(text_of(doc.design.name, lang()))
parts.other_drafts(doc)

TABS = [
    ("stages", parts.stages_tab),
    ("phases", parts.phases_tab),
    ("owners", parts.owners_tab),
    ("kgis", parts.kgis_tab),
    ("links", parts.links_tab),
    ("meta", parts.meta_tab),
    ("history", parts.history_tab),
]

editor, preview = st.columns([11, 9], gap="medium")
with editor:
    # Only the open tab runs (on_change="rerun"), so a rerun costs one editor, not seven.
    containers = st.tabs([t(f"design.tab.{name}") for name, _ in TABS], key=f"design_tab.{lang()}", on_change="rerun")
    for container, (_name, draw) in zip(containers, TABS):
        if container.open is not False:
            with container:
                draw(doc)

with preview:
    st.subheader(t("design.preview"))
    detail = st.segmented_control(t("design.detail"), ["compact", "detailed"], default="compact", required=True,
                                  format_func=lambda d: t(f"detail.{d}"), key="design_detail")
    doc = state.current()
    widgets.diagram(doc.design, doc.key, "process", detail=detail or "compact")
