"""The Streamlit entry: page config, shared sidebar, navigation over the pages in `views/`.

`streamlit run` runs this file as a script (that is what `journeymap app` does, from a source
checkout or an installed package); the top-level `app.py` of a checkout calls `run()` too.
"""

from pathlib import Path

import streamlit as st

from journeymap.ui import HIDDEN_PAGES, PAGES, PAGES_DIR, QUIET_PAGES, auth, sidebar
from journeymap.ui.strings import t


def run() -> None:
    # The icon is served by the app itself: a Material icon would be fetched from another host.
    st.set_page_config(page_title="journeymap", page_icon=str(Path(__file__).parent / "icon.svg"), layout="wide")
    sidebar.language()
    user = auth.gate()  # sign-in first: nothing of the workspace is shown before it
    if user is None:
        return
    allowed = auth.pages_for(user, PAGES)
    pages = [
        st.Page(PAGES_DIR / file, title=t(title), icon=icon, default=(i == 0))
        for i, (file, title, icon) in enumerate(allowed)
    ]
    # The addresses of the pages this role does not open say so, in the app's language.
    pages += [st.Page(auth.closed_page(title), title=t(title), icon=icon, url_path=Path(file).stem, visibility="hidden")
              for file, title, icon in PAGES if (file, title, icon) not in allowed]
    pages += [st.Page(PAGES_DIR / file, title=t(title), icon=icon, visibility="hidden") for file, title, icon in HIDDEN_PAGES]
    page = st.navigation(pages)
    if sidebar.render(quiet=page.url_path in QUIET_PAGES):
        sidebar.guard(page.run)


if __name__ == "__main__":
    run()
