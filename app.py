"""journeymap — the Streamlit app: page config, shared sidebar, navigation. Pages live in journeymap/ui/."""

import streamlit as st

from journeymap.ui import PAGES, PAGES_DIR, sidebar
from journeymap.ui.strings import t

st.set_page_config(page_title="journeymap", page_icon="🗺️", layout="wide")
sidebar.language()
pages = [
    st.Page(PAGES_DIR / file, title=t(title), icon=icon, default=(i == 0))
    for i, (file, title, icon) in enumerate(PAGES)
]
page = st.navigation(pages)
if sidebar.render():
    sidebar.guard(page.run)
