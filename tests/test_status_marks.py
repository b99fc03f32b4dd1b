"""Status reads without an emoji font: shapes, not emoji, in Compare, the reports and the diagrams."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from journeymap.actuals.reading import read_actuals
from journeymap.compare.funnel import compare
from journeymap.designfile.reading import load_design
from journeymap.render import to_dot
from journeymap.report.html import report_html
from journeymap.text.glossary import STATUS_MARKS, status_mark

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"

# Emoji shown as pictures by default: everything from U+1F000, the emoji variation selector, and
# the few older symbols with emoji presentation (⌚ ☕ ⚡ ⚪ ⛔ ✅ ❌ ⭐ …).
_BMP_EMOJI = set("⌚⌛⏩⏪⏫⏬⏰⏳◽◾☔☕♈♉♊♋♌♍♎♏♐♑♒♓♿⚓⚡⚪⚫⚽⚾⛄⛅⛎⛔⛪⛲⛳⛵⛺⛽✅✊✋✨❌❎❓❔❕❗➕➖➗➰➿⬛⬜⭐⭕")


def emoji_in(text: str) -> list[str]:
    return sorted({c for c in text if ord(c) >= 0x1F000 or c == "\ufe0f" or c in _BMP_EMOJI})


def test_no_emoji_anywhere_in_the_package_source():
    found = {str(p.relative_to(ROOT)): emoji_in(p.read_text(encoding="utf-8"))
             for p in (ROOT / "journeymap").rglob("*.py")}
    assert {k: v for k, v in found.items() if v} == {}


def test_status_marks_are_distinct_plain_shapes():
    marks = list(STATUS_MARKS.values())
    assert len(set(marks)) == len(marks)
    for mark in marks:
        assert 0x25A0 <= ord(mark) <= 0x25FF, unicodedata.name(mark)  # Geometric Shapes: in every text font
    assert status_mark("unknown") == STATUS_MARKS[None]


def test_the_html_report_draws_status_as_css_shapes():
    design = load_design(DATA / "actuals_design.yaml")
    comparison = compare(design, read_actuals((DATA / "actuals_japanese.csv").read_bytes(), "a.csv", design))
    html = report_html(comparison, design)
    assert emoji_in(html) == []
    cells = re.findall(r'<td class="(on_track|at_risk|off_track)"><span class="mark"', html)
    assert "off_track" in cells
    assert ".at_risk .mark{clip-path" in html and ".on_track .mark{border-radius:50%}" in html


def test_the_compare_page_status_column_uses_the_marks():
    from journeymap.ui.panels.compare import _status

    assert _status("at_risk").startswith("▲ ") and _status("off_track").startswith("■ ")
    assert emoji_in(_status("on_track")) == []


def test_the_diagrams_mark_each_status_with_its_shape():
    design = load_design(DATA / "render_full.yaml")
    overlay = (DATA / "render_compare.json").read_text(encoding="utf-8")
    process = to_dot(design, view="process", overlay=overlay)
    funnel = to_dot(design, view="funnel", overlay=overlay)
    for status in ("on_track", "at_risk", "off_track"):
        assert f"{status_mark(status)} 実績" in process or status_mark(status) in funnel
    assert "▲ 実績" in process and "■ 要対策" not in funnel
    assert emoji_in(process + funnel) == []
