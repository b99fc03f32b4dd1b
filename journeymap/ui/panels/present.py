"""The projector's look and its slides: large type, high contrast, nothing but the design."""

from __future__ import annotations

import re

import streamlit as st

from journeymap.model import Design, text_of
from journeymap.text.format import measure, money, planned_rate
from journeymap.ui.strings import field_label, lang, t

_LIGHT = {"bg": "#ffffff", "fg": "#000000", "muted": "#333333", "accent": "#0b3d91", "panel": "#f2f2f2"}
_DARK = {"bg": "#000000", "fg": "#ffffff", "muted": "#e0e0e0", "accent": "#ffd23f", "panel": "#1a1a1a"}


def projector_style(dark: bool) -> None:
    """Full screen: no sidebar, no header or toolbar; very large type; high contrast colours."""
    c = _DARK if dark else _LIGHT
    st.html(
        f"""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stSidebarNav"] {{ display: none !important; }}
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{ background: {c['bg']} !important; }}
[data-testid="stMainBlockContainer"] {{ padding: 1rem 2.5rem !important; max-width: 100% !important; }}
.stApp [data-testid="stWidgetLabel"] p, .stApp [data-testid="stPageLink"] p,
.stApp [data-testid="stCheckbox"] p {{ color: {c['fg']} !important; font-size: 1.3rem !important; }}
.stApp [data-testid="stCaptionContainer"] p {{ color: {c['muted']} !important; font-size: 1.1rem !important; }}
.stApp button {{ background: {c['panel']} !important; color: {c['fg']} !important; border: 2px solid {c['muted']} !important; }}
.stApp button p {{ color: {c['fg']} !important; font-size: 1.6rem !important; }}
.stApp button:disabled {{ opacity: .35; }}
.stApp .jm-kicker {{ font-size: 1.9rem !important; color: {c['muted']} !important; margin: 0 !important; }}
.stApp .jm-title {{ font-size: 3.8rem !important; font-weight: 800; line-height: 1.15; margin: .2rem 0 1rem 0; color: {c['fg']} !important; }}
.stApp .jm-facts, .stApp .jm-facts * {{ font-size: 2rem !important; line-height: 1.5; color: {c['fg']} !important; }}
.stApp .jm-facts b {{ color: {c['accent']} !important; }}
.stApp .jm-text {{ font-size: 1.6rem !important; line-height: 1.55; color: {c['fg']} !important; margin-top: .6rem; }}
.stApp .jm-section {{ font-size: 1.7rem !important; font-weight: 700; color: {c['accent']} !important; margin-top: 1.4rem; }}
.stApp ul.jm-list, .stApp ol.jm-list {{ padding-left: 2rem; margin: .3rem 0; }}
.stApp .jm-list li, .stApp .jm-list li * {{ font-size: 2rem !important; line-height: 1.45; color: {c['fg']} !important; }}
.stApp .jm-list li b {{ color: {c['accent']} !important; }}
.stApp .jm-title, .stApp .jm-kicker, .stApp .jm-section, .stApp .jm-list li {{ word-break: auto-phrase; }}
.stApp .jm-step {{ font-size: 1.8rem !important; text-align: right; color: {c['fg']} !important; }}
</style>"""
    )


_MARKDOWN_CHARS = re.compile(r"""[!"#$%&'()*+\-./:;<=>?@\[\\\]^_`{|}~]""")


def escape(text: str) -> str:
    """Text for the slides' HTML: HTML-escaped, and every ASCII punctuation character and line break
    written as a character reference, so that Markdown finds nothing to turn into a link, an image
    or LaTeX (a blank line would otherwise end the HTML block and let Markdown read the rest)."""
    return _MARKDOWN_CHARS.sub(lambda m: f"&#{ord(m.group())};", str(text)).replace("\n", "<br>")


def _html(body: str) -> None:
    # Texts in `body` are HTML-escaped; '$' would still start LaTeX in Markdown.
    st.markdown(body.replace("$", "&#36;"), unsafe_allow_html=True)


def _items(values) -> str:
    return "".join(f"<li>{escape(text_of(v, lang()) if not isinstance(v, str) else v)}</li>" for v in values)


def overview(design: Design) -> None:
    """The first slide: name and purpose beside the KGIs; the phases are in the diagram below."""
    about, goals = st.columns([3, 2], gap="large")
    with about:
        _html(f"<p class='jm-kicker'>{escape(t('present.overview'))}</p>")
        _html(f"<div class='jm-title'>{escape(text_of(design.name, lang()))}</div>")
        if design.description:
            _html(f"<div class='jm-text'>{escape(text_of(design.description, lang()))}</div>")
    with goals:
        if design.kgis:
            _html(f"<div class='jm-section'>{escape(t('present.kgis'))}</div>")
            rows = []
            for kgi in design.kgis:
                target = measure(kgi.target, kgi.unit, design.currency, lang())
                rows.append(f"<li>{escape(text_of(kgi.name, lang()))}: <b>{escape(target)}</b> / {escape(t(f'period.{design.period}'))}</li>")
            _html(f"<ul class='jm-list'>{''.join(rows)}</ul>")


def stage_slide(design: Design, stage_id: str) -> None:
    stage = design.stage(stage_id)
    phase = design.phase_of(stage_id)
    _html(f"<p class='jm-kicker'>{escape(text_of(phase.name, lang()))}</p>")
    _html(f"<div class='jm-title'>{escape(text_of(stage.name, lang()))}</div>")
    facts = []
    if stage.owner:
        facts.append(f"{escape(field_label('owner'))}: <b>{escape(text_of(design.owner(stage.owner).name, lang()))}</b>")
    if stage.target_rate is not None:
        facts.append(f"{escape(field_label('target_rate'))}: <b>{planned_rate(stage.target_rate)}</b>")
    if stage.target_days is not None:
        facts.append(f"{escape(field_label('target_days'))}: <b>{stage.target_days:g}</b>")
    if stage.unit_cost is not None:
        facts.append(f"{escape(field_label('unit_cost'))}: <b>{escape(money(stage.unit_cost, design.currency))}</b>")
    if facts:
        _html("<div class='jm-facts'>" + "<br>".join(facts) + "</div>")
    if stage.description:
        _html(f"<div class='jm-text'>{escape(text_of(stage.description, lang()))}</div>")
    if stage.kpis:
        _html(f"<div class='jm-section'>{escape(field_label('kpis'))}</div>")
        rows = []
        for kpi in stage.kpis:
            target = measure(kpi.target, kpi.unit, design.currency, lang())
            arrow = "↓" if kpi.direction == "down" else "↑"
            rows.append(f"<li>{escape(text_of(kpi.name, lang()))}" + (f": <b>{escape(target)}</b> {arrow}" if target else "") + "</li>")
        _html(f"<ul class='jm-list'>{''.join(rows)}</ul>")
    if stage.exit_criteria:
        _html(f"<div class='jm-section'>{escape(field_label('exit_criteria'))}</div>")
        _html(f"<ul class='jm-list'>{_items(stage.exit_criteria)}</ul>")
