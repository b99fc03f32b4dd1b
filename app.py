"""journeymap — the Streamlit app. Pages live in journeymap/ui/."""

import streamlit as st

st.set_page_config(page_title="journeymap", page_icon="🗺️", layout="wide")

from journeymap import library  # noqa: E402
from journeymap.model import text_of  # noqa: E402

st.title("journeymap")
for template in library.list_templates():
    st.write(f"**{template.name('ja')}** — {template.name('en')}")
