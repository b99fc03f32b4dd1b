"""Design: edit phases, stages, owners, KPIs, KGIs and links, with the live process diagram beside."""

import streamlit as st

from journeymap.ui import state, widgets
from journeymap.ui.panels import design as parts
from journeymap.ui.strings import labels, lang, shown, t

doc = widgets.require_doc()
# Narrower page margins than Streamlit's wide layout: the tables keep all their columns at 1280 px.
st.html("<style>[data-testid='stMainBlockContainer'] { padding-left: 2rem !important; padding-right: 2rem !important; }</style>")
st.title(shown(doc.design.name))
stale = widgets.stale_texts(doc)
if stale:
    with st.expander(f":orange[⚠ {t('stale.title', n=len(stale))}]", expanded=False):
        st.caption(t("stale.hint"))
        widgets.stale_list(stale)

TABS = [
    ("stages", parts.stages_tab),
    ("phases", parts.phases_tab),
    ("owners", parts.owners_tab),
    ("kgis", parts.kgis_tab),
    ("links", parts.links_tab),
    ("playbook", parts.playbook_tab),
    ("meta", parts.meta_tab),
    ("history", parts.history_tab),
]

editor, preview = widgets.editor_and_preview()
with editor:
    # Only the open tab runs (on_change="rerun"), so a rerun costs one editor, not seven.
    containers = st.tabs([t(f"design.tab.{name}") for name, _ in TABS], key=f"design_tab.{lang()}", on_change="rerun")
    for container, (_name, draw) in zip(containers, TABS):
        if container.open is not False:
            with container:
                draw(doc)

with preview:
    st.subheader(t("design.preview"))
    left, right = st.columns(2)
    with left:
        detail = st.segmented_control(t("design.detail"), ["compact", "detailed"], default="compact", required=True,
                                      format_func=labels("detail"), key="design_detail")
    with right:
        widgets.layout_switch()
    doc = state.current()
    widgets.diagram(doc.design, doc.key, "process", detail=detail or "compact")
