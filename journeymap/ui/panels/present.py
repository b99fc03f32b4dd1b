"""The projector's look, its slides and its keys: nothing on screen but the design, 16:9 first.

Every slide is one SVG drawn by graphviz from `journeymap.render.slides` (the same slides the
pptx and PDF exports hold), put into the page inline and scaled to the screen below the controls:
no scrolling at any 16:9 size, and text as large as the screen allows.
"""

from __future__ import annotations

import json
import re

import streamlit as st

from journeymap import render
from journeymap.model import Design
from journeymap.render.slides import Slide, slide_dot
from journeymap.ui import widgets

_LIGHT = {"bg": "#ffffff", "fg": "#000000", "muted": "#333333", "panel": "#f2f2f2"}
_DARK = {"bg": "#0b1220", "fg": "#ffffff", "muted": "#e0e0e0", "panel": "#1a2333"}

BAR_PX = 64
"""Height of the controls above the slide (the slide takes the rest of the screen)."""

# Keys a presenter (or a clicker) presses, and the button each one clicks. Listened for on the
# whole window before anything else sees them, so they work whatever was clicked last (a toggle
# keeps the focus and Streamlit's own shortcuts ignore keys aimed at inputs).
KEYS = {
    "ArrowRight": "present_next", "PageDown": "present_next",
    "ArrowLeft": "present_prev", "PageUp": "present_prev",
    "Home": "present_first", "End": "present_last", "Escape": "present_exit",
}

_KEY_SCRIPT = """<script>
(function () {
  if (window.__jmPresentKeys) return;
  window.__jmPresentKeys = true;
  const keys = %s;
  window.addEventListener("keydown", function (event) {
    const key = keys[event.key];
    if (!key || event.ctrlKey || event.metaKey || event.altKey) return;
    const holder = document.querySelector(".st-key-" + key);
    if (!holder) return;  // not on the Present page
    const target = event.target;
    if (target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type !== "checkbox"))) return;
    event.preventDefault();
    event.stopPropagation();
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    const control = holder.querySelector("button, a");
    if (control && !control.disabled) control.click();
  }, true);
})();
</script>"""


def projector_style(dark: bool) -> None:
    """Full screen: no sidebar, header, toolbar or notices; the slide fills the rest."""
    c = _DARK if dark else _LIGHT
    st.html(
        f"""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stSidebarNav"],
[data-testid="stToastContainer"], [data-testid="stStatusWidget"] {{ display: none !important; }}
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{ background: {c['bg']} !important; }}
[data-testid="stMainBlockContainer"] {{ padding: 8px 16px 0 16px !important; max-width: 100% !important; }}
[data-testid="stMain"] {{ overflow: hidden !important; }}
[data-testid="stMainBlockContainer"] > div {{ gap: 4px !important; }}
.stApp [data-testid="stWidgetLabel"] p, .stApp [data-testid="stPageLink"] p, .stApp [data-testid="stMarkdownContainer"] a,
.stApp [data-testid="stCheckbox"] p {{ color: {c['fg']} !important; font-size: 1.1rem !important; }}
.stApp button {{ background: {c['panel']} !important; color: {c['fg']} !important; border: 2px solid {c['muted']} !important; min-height: 40px; }}
.stApp button p {{ color: {c['fg']} !important; font-size: 1.3rem !important; }}
.stApp button:disabled {{ opacity: .35; }}
.stApp .jm-step {{ font-size: 1.4rem !important; text-align: right; color: {c['fg']} !important; }}
.stApp .jm-slide {{ height: calc(100vh - {BAR_PX + 16}px); width: 100%; display: flex; }}
.stApp .jm-slide svg {{ width: 100%; height: 100%; display: block; }}
</style>"""
    )


def keys() -> None:
    """Listen for the presenter's keys (once per browser tab)."""
    st.html(_KEY_SCRIPT % json.dumps(KEYS), unsafe_allow_javascript=True)


@st.cache_data(max_entries=256, show_spinner=False)
def _slide_svg(key: str, _design: Design, kind: str, item: str | None, theme: str, lang: str) -> str:
    dot = slide_dot(_design, Slide(kind, item), theme=theme, lang=lang)
    return render.run_dot(dot, "svg").decode("utf-8")


def slide_svg(design: Design, key: str, slide: Slide, theme: str, lang: str) -> str:
    """The slide as an inline SVG element that scales to its box (no fixed size)."""
    svg = _slide_svg(key, design, slide.kind, slide.id, theme, lang)
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'<svg width="[^"]*" height="[^"]*"', '<svg class="jm-slide-svg" preserveAspectRatio="xMidYMin meet"', svg, count=1)
    return re.sub(r"<!--.*?-->", "", svg, flags=re.S)


def show(design: Design, key: str, slide: Slide, dark: bool, lang: str, css_class: str = "jm-slide") -> None:
    """The slide in a box of `css_class` (the full screen below the controls by default)."""
    theme = "projector-dark" if dark else "projector"
    if not widgets.server_drawing():  # no graphviz `dot` here: the browser lays the slide out
        st.graphviz_chart(slide_dot(design, slide, theme=theme, lang=lang), width="stretch", height=560)
        return
    # The SVG goes in by script: the sanitizer of st.html and st.markdown removes inline SVG, and
    # an <img> would hide the diagram's text from the page (and from the browser test that
    # measures it). graphviz escapes the design's text inside the SVG; json.dumps quotes the whole.
    svg = slide_svg(design, key, slide, theme, lang)
    slot = f"{css_class}-{abs(hash((key, slide, theme, lang))) % 10**12}"
    # No "<" inside the script: the sanitizer drops a script whose text looks like markup.
    quoted = json.dumps(svg).replace("<", "\\u003c")
    st.html(
        f"<script>(function () {{ const svg = {quoted}; let tries = 0;"
        f" (function put() {{ const el = document.getElementById('{slot}');"
        f" if (el) {{ if (!el.firstChild) el.innerHTML = svg; }} else if (tries++ < 200) setTimeout(put, 10); }})(); }})();</script>"
        f"<div class='{css_class}' id='{slot}' data-slide='{slide.kind}'></div>",
        unsafe_allow_javascript=True,
    )
