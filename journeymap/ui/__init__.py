"""The Streamlit app's pages and widgets. They call the library; the library never imports them.

`app.py` (the entrypoint) sets the page config, draws the shared sidebar and runs
`st.navigation` over the page files listed in `PAGES`; each page file is a thin script.
"""

from __future__ import annotations

from pathlib import Path

PAGES_DIR = Path(__file__).parent / "views"

# (file, UI-strings key of its title, Material icon), in navigation order.
PAGES = (
    ("library.py", "page.home", ":material/library_books:"),
    ("design.py", "page.design", ":material/account_tree:"),
    ("journey.py", "page.journey", ":material/route:"),
    ("plan.py", "page.plan", ":material/calculate:"),
    ("compare.py", "page.compare", ":material/query_stats:"),
    ("present.py", "page.present", ":material/slideshow:"),
    ("transfer.py", "page.transfer", ":material/import_export:"),
)

# Pages reached by a link only (not in the navigation).
HIDDEN_PAGES = (("presenter.py", "presenter.title", ":material/speaker_notes:"),)

QUIET_PAGES = ("present", "presenter")
"""Pages (url paths) that show no notices, banners or conflict panels: nothing over a slide."""
