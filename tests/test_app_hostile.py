"""User and file text in the app shows as written: no Markdown element turns it into a link, an
image, LaTeX, colour or HTML (AppTest over every page, with a hostile design open). The browser
test beside it (`test_browser_hostile.py`) checks what Chromium renders and fetches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from journeymap.designfile.reading import load_design
from journeymap.workspace.facade import Workspace

HOSTILE = Path(__file__).parent / "data" / "hostile_markdown.yaml"
APP = Path(__file__).parent.parent / "app.py"
PAGES = ["library.py", "design.py", "journey.py", "plan.py", "present.py", "transfer.py", "compare.py"]

# Markdown that would become a link, an image, HTML, LaTeX or a Streamlit directive if left unescaped.
LIVE = [
    re.compile(r"(?<!\\)\]\((?:https?|javascript):"),  # [text](url) or ![alt](url)
    re.compile(r"(?<![\\&#\w])<(?:img|a|script)\b", re.I),  # raw HTML
    re.compile(r"(?<!\\):red\["),
    re.compile(r"(?<!\\)\$\\href"),
]
# GFM links plain URLs and addresses even when their punctuation is escaped: looked for with escapes removed.
AUTOLINKS = re.compile(r"(?i)https?://|www\.|\w@\w")
# The app's own markup, not made from design or file text: Present's link to the presenter view
# (its query holds the session token and the design's id, a slug).
OWN_MARKUP = re.compile(r"^<a href='presenter\?s=[0-9a-f]+&design=[a-z0-9-]+' target='_blank'>[^<>]*</a>$")


@pytest.fixture
def hostile_workspace(tmp_path, monkeypatch):
    root = tmp_path / "workspace"
    monkeypatch.setenv("JOURNEYMAP_WORKSPACE", str(root))
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(Path(__file__).parent / "data" / "app_library"))
    workspace = Workspace.open(root, seed=False)
    workspace.create(load_design(HOSTILE))
    (root / "broken.yaml").write_text(  # a broken file whose error message carries hostile text
        "schema_version: 1\nid: broken\nname: x\nphases: [{id: p, name: p, stages: [{id: s, name: s, owner: "
        "'![x](http://evil.example/err.png)'}]}]\n", encoding="utf-8")
    return root


def markdown_texts(at: AppTest) -> list[str]:
    """Every text the page hands to Streamlit's Markdown renderer."""
    found = [e.value for kind in ("markdown", "caption", "error", "warning", "info", "success", "title",
                                  "header", "subheader") for e in at.get(kind)]
    found += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    found += [str(option) for control in at.get("button_group") for option in getattr(control, "options", [])]
    found += [w.label for kind in ("button", "number_input", "text_input", "selectbox", "text_area", "radio",
                                   "expander", "toggle", "checkbox") for w in at.get(kind) if getattr(w, "label", None)]
    return found


@pytest.mark.parametrize("page", PAGES)
def test_no_page_turns_design_or_file_text_into_markup(hostile_workspace, page):
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.query_params["design"] = "hostile"
    at.run()
    at.switch_page(f"journeymap/ui/views/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    texts = [text for text in markdown_texts(at) if not OWN_MARKUP.match(text)]
    assert texts
    live = [(pattern.pattern, text) for text in texts for pattern in LIVE if pattern.search(text)]
    live += [("autolink", text) for text in texts if AUTOLINKS.search(re.sub(r"\\(.)", r"\1", text))]
    assert live == []
    if page in ("design.py", "present.py"):
        assert any("evil" in text for text in texts)  # the hostile text is shown (escaped), not dropped
