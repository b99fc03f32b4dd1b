"""Small inline SVG charts for the HTML report: no script, no network, every label escaped.

Each builder returns an `<svg>` string sized in CSS pixels, with a `<title>` for screen readers.
Text widths are estimated from the display width (Japanese characters count two columns).
"""

from __future__ import annotations

from html import escape

from journeymap.text.format import DASH, number, percent, planned_rate
from journeymap.text.width import display_width

COLORS = {"on_track": "#1b7f3b", "at_risk": "#c77700", "off_track": "#c0392b", None: "#5b6b7b"}
PLAN = "#c9d3dd"
TARGET = "#1f2d3d"
FONT = 13
CHAR = 7.2
"""Estimated pixels per display column at FONT."""


def _text(x: float, y: float, text: str, anchor: str = "start", weight: str = "normal", fill: str = "#1f2d3d",
          size: int = FONT) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" font-weight="{weight}" '
            f'fill="{fill}">{escape(text)}</text>')


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{escape(title)}">'
            f"<title>{escape(title)}</title>" + "".join(body) + "</svg>")


def _label_width(labels: list[str]) -> float:
    return min(260.0, max([display_width(label) for label in labels] + [4]) * CHAR + 12)


def funnel_chart(rows: list[dict], title: str, legend: list[tuple[str, str | None]]) -> str:
    """Per stage: the planned count (light bar) and the reached count (bar coloured by status).

    rows: [{"label", "planned", "reached", "status", "note"}]; legend: [(label, status)], where the
    status None stands for the planned bar."""
    left = _label_width([r["label"] for r in rows])
    width, bar_area, row_h = 760.0, 760.0 - left - 150, 34
    top = 30
    peak = max([r["planned"] or 0 for r in rows] + [r["reached"] or 0 for r in rows] + [1])
    body = []
    x = left
    for label, status in legend:
        color = PLAN if status is None else COLORS[status]
        body.append(f'<rect x="{x:.1f}" y="6" width="12" height="12" fill="{color}" rx="2"/>')
        body.append(_text(x + 16, 16, label, size=12))
        x += 16 + display_width(label) * CHAR + 18
    for i, r in enumerate(rows):
        y = top + i * row_h
        body.append(_text(left - 8, y + 17, r["label"], anchor="end"))
        if r["planned"]:
            body.append(f'<rect x="{left:.1f}" y="{y + 2}" width="{bar_area * r["planned"] / peak:.1f}" height="24" fill="{PLAN}" rx="2"/>')
        if r["reached"]:
            body.append(f'<rect x="{left:.1f}" y="{y + 8}" width="{bar_area * r["reached"] / peak:.1f}" height="12" '
                        f'fill="{COLORS.get(r["status"], COLORS[None])}" rx="2"/>')
        end = left + bar_area * max(r["planned"] or 0, r["reached"] or 0) / peak
        body.append(_text(end + 6, y + 18, r["note"], size=12))
    return _svg(width, top + len(rows) * row_h + 6, title, body)


def rate_chart(rows: list[dict], title: str) -> str:
    """Per stage: the actual conversion rate (bar) against its target (tick). rows: [{"label", "rate", "target", "status"}]."""
    left = _label_width([r["label"] for r in rows])
    width, bar_area, row_h, top = 760.0, 760.0 - left - 170, 28, 10
    peak = max([r["rate"] or 0 for r in rows] + [r["target"] or 0 for r in rows] + [0.01])
    body = []
    for i, r in enumerate(rows):
        y = top + i * row_h
        body.append(_text(left - 8, y + 15, r["label"], anchor="end"))
        if r["rate"] is not None:
            body.append(f'<rect x="{left:.1f}" y="{y + 4}" width="{bar_area * r["rate"] / peak:.1f}" height="14" '
                        f'fill="{COLORS.get(r["status"], COLORS[None])}" rx="2"/>')
        if r["target"] is not None:
            x = left + bar_area * r["target"] / peak
            body.append(f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 22}" stroke="{TARGET}" stroke-width="2"/>')
        note = percent(r["rate"])
        if r["target"] is not None:
            note += f" / {planned_rate(r['target'])}"
        end = left + bar_area * max(r["rate"] or 0, r["target"] or 0) / peak
        body.append(_text(end + 6, y + 16, note, size=12))
    return _svg(width, top + len(rows) * row_h + 4, title, body)


def days_chart(rows: list[dict], title: str) -> str:
    """Per stage: median and p90 days in stage, with the target days as a tick. rows: [{"label", "median", "p90", "target"}]."""
    left = _label_width([r["label"] for r in rows])
    width, bar_area, row_h, top = 760.0, 760.0 - left - 170, 28, 10
    peak = max([r["p90"] or 0 for r in rows] + [r["target"] or 0 for r in rows] + [1])
    body = []
    for i, r in enumerate(rows):
        y = top + i * row_h
        body.append(_text(left - 8, y + 15, r["label"], anchor="end"))
        if r["p90"] is not None:
            body.append(f'<rect x="{left:.1f}" y="{y + 4}" width="{bar_area * r["p90"] / peak:.1f}" height="14" fill="{PLAN}" rx="2"/>')
        if r["median"] is not None:
            body.append(f'<rect x="{left:.1f}" y="{y + 7}" width="{bar_area * r["median"] / peak:.1f}" height="8" fill="{COLORS[None]}" rx="2"/>')
        if r["target"] is not None:
            x = left + bar_area * r["target"] / peak
            body.append(f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 22}" stroke="{COLORS["off_track"]}" stroke-width="2"/>')
        note = DASH if r["median"] is None else f"{number(r['median'], 1)} / {number(r['p90'], 1)}"
        end = left + bar_area * max(r["p90"] or 0, r["target"] or 0) / peak
        body.append(_text(end + 6, y + 16, note, size=12))
    return _svg(width, top + len(rows) * row_h + 4, title, body)


def column_chart(labels: list[str], values: list[float], rates: list[float | None], title: str) -> str:
    """Columns (e.g. deals per cohort month) with a rate printed above each (e.g. win rate)."""
    n = max(len(values), 1)
    width, height, base, top = 760.0, 220.0, 180.0, 30.0
    step = min((width - 40) / n, 90.0)
    peak = max(values + [1])
    body = [f'<line x1="20" y1="{base}" x2="{width - 20}" y2="{base}" stroke="{PLAN}"/>']
    for i, (label, value, rate) in enumerate(zip(labels, values, rates)):
        x = 20 + i * step
        h = (base - top) * value / peak
        body.append(f'<rect x="{x + step * 0.15:.1f}" y="{base - h:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" fill="{COLORS[None]}" rx="2"/>')
        if rate is not None:
            body.append(_text(x + step / 2, base - h - 5, percent(rate), anchor="middle", size=11))
        if n <= 24 or i % max(1, n // 12) == 0:
            body.append(_text(x + step / 2, base + 16, label, anchor="middle", size=11))
    return _svg(width, height, title, body)
