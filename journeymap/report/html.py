"""The comparison as one self-contained HTML page: inline CSS and SVG charts, no script, nothing
fetched from the network. Every text that comes from the design or the data is HTML-escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from journeymap.compare.types import AT_RISK, ON_TRACK, Comparison
from journeymap.model import Design, text_of
from journeymap.report import charts, details
from journeymap.report.table import kgi_figure, pace_lines, path_lines, status_word, window_line
from journeymap.text.catalogue import counted, text
from journeymap.text.format import date, money, number, percent, planned_rate, points

_CSS = """
body{font-family:"Noto Sans CJK JP","Noto Sans JP","Hiragino Sans","Yu Gothic",Meiryo,sans-serif;color:#1f2d3d;
margin:2rem auto;max-width:1100px;padding:0 1rem;line-height:1.5}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:2px solid #c9d3dd}
.meta{color:#5b6b7b}.cards{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
.card{border:1px solid #c9d3dd;border-radius:6px;padding:.7rem 1rem;min-width:220px;flex:1}
.card b{display:block;font-size:.85rem;color:#5b6b7b}.big{font-size:1.25rem;font-weight:bold}
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}th,td{padding:.3rem .6rem;border-bottom:1px solid #e3e8ee}
th{text-align:left;background:#f4f6f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
.on_track{color:#1b7f3b;font-weight:bold}.at_risk{color:#c77700;font-weight:bold}.off_track{color:#c0392b;font-weight:bold}
.mark{display:inline-block;width:.7em;height:.7em;margin-right:.35em;background:currentColor;vertical-align:-.05em}
.on_track .mark{border-radius:50%}.at_risk .mark{clip-path:polygon(50% 0,100% 100%,0 100%)}
.notes{color:#5b6b7b;font-size:.85rem;margin-top:2rem}svg{max-width:100%;height:auto}
"""


STAGE_COLUMNS = ("stage", "planned", "reached", "entered", "rate", "target", "gap", "attainment", "status",
                 "median_days", "p90_days", "stagnant", "impact")


def report_html(comparison: Comparison, design: Design, lang: str = "ja") -> str:
    """The whole report as an HTML document (a string)."""
    c = comparison
    names = comparison.stage_names(design, lang)
    title = f"{text('report.title', lang)} — {text_of(design.name, lang)}"
    meta = [f"{text('report.as_of', lang)}: {date(c.as_of)}", f"{text('report.source', lang)}: {c.source}", window_line(c, lang)]
    if c.deals is not None:
        meta.append(details.deal_counts(c, lang, labelled=True))
    rates, days = text("report.rates", lang), text("report.days", lang)
    parts = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1><p class=\"meta\">{' · '.join(_e(m) for m in meta)}</p>",
        _cards(c, names, lang),
        f"<h2>{_e(text('report.funnel', lang))}</h2>", _funnel(c, names, lang),
        f"<h2>{_e(rates)}</h2>", charts.rate_chart(
            [{"label": names[s.id], "rate": s.rate, "target": s.target_rate, "status": s.status} for s in c.stages[1:]],
            rates),
    ]
    if c.periods:
        heading = text("report.html.periods", lang, stage=names[c.final_stage]) if c.final_stage else ""
        parts += [f"<h2>{_e(heading)}</h2>", _periods(c, heading, lang)]
    paced = pace_lines(c, design, lang) if c.pace else []
    if paced:  # a heading only over something: no KGI can be paced without its actuals
        parts += [f"<h2>{_e(text('report.html.pace', lang))}</h2>"] + [f"<p>{_e(line)}</p>" for line in paced]
    if c.transitions:
        lines = path_lines(c, names, lang)[1:]
        parts += [f"<h2>{_e(text('report.html.paths', lang))}</h2>", f"<p>{_e(lines[0])}</p>",
                  "<ul>" + "".join(f"<li>{_e(line.strip())}</li>" for line in lines[1:]) + "</ul>"]
    if any(s.median_days is not None for s in c.stages):
        parts += [f"<h2>{_e(days)}</h2>", charts.days_chart(
            [{"label": names[s.id], "median": s.median_days, "p90": s.p90_days, "target": s.target_days} for s in c.stages[:-1]],
            days)]
    parts += [f"<h2>{_e(text('report.stage_table', lang))}</h2>", _stage_table(c, names, lang)]
    parts += [_section(section) for section in details.sections(c, names, lang)]
    notes = text(counted("report.notes", c.counts), lang, on=round(ON_TRACK * 100), risk=round(AT_RISK * 100))
    parts.append(f'<p class="notes">{_e(notes)}</p>')
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _cards(c: Comparison, names: dict[str, str], lang: str) -> str:
    cards = []
    b = c.bottleneck
    bottleneck = text("report.bottleneck", lang)
    if b.get("stage"):
        adds = text(counted("report.adds", c.counts), lang, n=number(b["added_final"], 1), stage=names[b["final_stage"]])
        cards.append(_card(bottleneck, names[b["stage"]], adds))
    elif b.get("added_final") == 0:
        cards.append(_card(bottleneck, text("report.no_bottleneck", lang), ""))
    for k in c.kgis:
        fmt = kgi_figure(k["unit"], c.currency)
        detail = f"/ {fmt(k['target'])} ({percent(k['attainment'])})"
        if k["forecast"] is not None:
            detail += f" · {text('report.forecast', lang)} {fmt(k['forecast'])}"
            f = c.forecast
            if k["unit"] == "count" and f is not None and f.get("stage") == k["stage"]:
                detail += f" ({text('report.range', lang)} {number(f['low'])}–{number(f['high'])})"
        cards.append(_card(f"{text('report.kgis', lang)}: {text_of(k['name'], lang)}", fmt(k["actual"]), detail))
    cost = c.cost
    if cost.get("planned") is not None or cost.get("actual") is not None:
        cards.append(_card(text("report.cost", lang), f"{details.actual_cost_word(c, lang)} {money(cost['actual'], c.currency)}",
                           f"CPA {money(cost['actual_cpa'], c.currency)} · {text('report.planned', lang)} "
                           f"{money(cost['planned'], c.currency)} (CPA {money(cost['planned_cpa'], c.currency)})"))
    return '<div class="cards">' + "".join(cards) + "</div>"


def _periods(c: Comparison, title: str, lang: str) -> str:
    rows = []
    for p in c.periods or []:
        stage = next(s for s in p["stages"] if s["id"] == c.final_stage)
        rows.append({"label": p["period"], "planned": stage["planned"], "actual": stage["actual"],
                     "attainment": stage["attainment"]})
    return charts.period_chart(rows, title, (text("report.planned", lang), text("report.actual", lang)))


def _card(label: str, value: str, detail: str) -> str:
    return f'<div class="card"><b>{_e(label)}</b><span class="big">{_e(value)}</span><div>{_e(detail)}</div></div>'


def _funnel(c: Comparison, names: dict[str, str], lang: str) -> str:
    rows = [{"label": names[s.id], "planned": s.planned, "reached": s.reached, "status": s.status,
             "note": f"{number(s.reached)} / {number(s.planned)}"} for s in c.stages]
    reached = text("report.col.reached", lang)
    legend: list[tuple[str, str | None]] = [(text("report.planned", lang), None)]
    legend += [(f"{reached}: {status_word(key, lang)}", key) for key in ("on_track", "at_risk", "off_track")]
    return charts.funnel_chart(rows, text("report.funnel", lang), legend)


def _stage_table(c: Comparison, names: dict[str, str], lang: str) -> str:
    head = "".join(f"<th>{_e(text(f'report.col.{key}', lang))}</th>" for key in STAGE_COLUMNS)
    body = []
    for s in c.stages:
        cells = [number(s.planned), number(s.reached), number(s.entered), percent(s.rate), planned_rate(s.target_rate),
                 points(s.gap_pts), percent(s.attainment)]
        tail = [number(s.median_days, 1), number(s.p90_days, 1), number(s.stagnant), number(s.impact, 1)]
        body.append(f"<tr><td>{_e(names[s.id])}</td>" + "".join(f'<td class="n">{_e(x)}</td>' for x in cells)
                    + f'<td class="{_e(s.status or "")}">{_mark(s.status)}{_e(status_word(s.status, lang))}</td>'
                    + "".join(f'<td class="n">{_e(x)}</td>' for x in tail) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _mark(status: str | None) -> str:
    """A shape drawn in CSS (circle, triangle, square), not an emoji a font may lack."""
    return '<span class="mark" aria-hidden="true"></span>' if status in ("on_track", "at_risk", "off_track") else ""


def _section(section: details.Section) -> str:
    out = f"<h2>{_e(section.title)}</h2>"
    if section.line is not None:
        out += f"<p>{_e(section.line)}</p>"
    if section.items:
        out += "<ul>" + "".join(f"<li><b>{_e(label)}</b>: {_e(body)}</li>" for label, body in section.items) + "</ul>"
    if section.cohorts:
        groups = section.cohorts
        out += charts.column_chart([str(g["value"]) for g in groups], [g["deals"] or 0 for g in groups],
                                   [g["win_rate"] for g in groups], section.title)
    if section.headers is not None:
        head = "".join(f"<th>{_e(h)}</th>" for h in section.headers)
        rows = [f"<tr><td>{_e(name)}</td>" + "".join(f'<td class="n">{_e(x)}</td>' for x in cells) + "</tr>"
                for name, *cells in section.rows]
        out += f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return out
