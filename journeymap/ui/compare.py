"""Compare: upload actuals, map columns and stage names, then planned vs actual per stage."""

import streamlit as st

from journeymap.model import text_of
from journeymap.ui import widgets
from journeymap.ui.strings import lang, t

actuals = widgets.optional("journeymap.actuals")
compare = widgets.optional("journeymap.compare")
doc = widgets.require_doc()
st.title(t("page.compare"))
st.caption(text_of(doc.design.name, lang()))
if actuals is None or compare is None:
    widgets.missing_part("compare")
    st.stop()
