"""The comparison as one self-contained HTML page: inline CSS and SVG charts, no script, nothing
fetched from the network. Every text that comes from the design or the data is HTML-escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from journeymap.compare.types import AT_RISK, ON_TRACK
from journeymap.model import Design, text_of
from journeymap.report import charts
from journeymap.report.table import COMPARE_WORDS, STATUS, pace_lines, path_lines, window_line
from journeymap.text.format import money, number, percent, planned_rate, points

MAX_DEALS_SHOWN = 50

_T: dict[str, dict[str, Any]] = {
    "ja": {
        "title": "計画と実績の比較", "as_of": "基準日", "source": "実績データ", "deals": "案件数", "open": "進行中", "lost": "失注",
        "bottleneck": "ボトルネック", "adds": "目標転換率を達成すれば {stage} が +{n} 件", "no_bottleneck": "なし（すべて目標以上）",
        "kgis": "KGI", "forecast": "見込み", "cost": "費用", "planned": "計画", "actual": "実績",
        "funnel": "ファネル：計画と到達", "rates": "転換率と目標", "days": "ステージ滞在日数（中央値 / P90）",
        "stage_table": "ステージ別", "stagnant": "停滞案件（目標日数超過）", "drops": "失注理由", "next": "次回アクション未設定",
        "unmatched": "一致しないステージ値（集計外）", "ignored": "除外したステージ値",
        "by": {"owner": "担当者別", "channel": "チャネル別", "segment": "セグメント別", "temperature": "温度感別"}, "cohorts": "月次コホート（案件数と受注率）",
        "headers": ["ステージ", "計画", "到達", "進入", "転換率", "目標", "差", "達成率", "状態", "中央日数", "P90日数", "停滞", "影響"],
        "group": ["値", "案件", "受注", "受注率", "進行中", "失注", "受注金額"], "none": "(未設定)",
        "legend": ("計画", "到達"), "more": "ほか {n} 件", "periods": "期間別：{stage}の計画と実績（活動基準）",
        "pace": "今期のペース", "paths": "実際の遷移と設計", "range": "80%範囲",
        "notes": "到達＝そのステージ以降まで進んだ案件（飛ばしたステージも通過扱い）。転換率＝到達 ÷ 前ステージの到達。"
                 "状態：目標の{on}%以上＝順調、{risk}%以上＝要注意、それ未満＝未達。影響＝そのステージが目標転換率だった場合に最終ステージで増える件数。",
    },
    "en": {
        "title": "Plan vs actual", "as_of": "As of", "source": "Actuals", "deals": "Deals", "open": "open", "lost": "lost",
        "bottleneck": "Bottleneck", "adds": "meeting its target rate would add {n} at {stage}",
        "no_bottleneck": "none (every rate meets its target)", "kgis": "KGIs", "forecast": "Forecast", "cost": "Cost",
        "planned": "planned", "actual": "actual", "funnel": "Funnel: planned and reached", "rates": "Conversion rate vs target",
        "days": "Days in stage (median / p90)", "stage_table": "By stage", "stagnant": "Stagnant deals (over target days)",
        "drops": "Drop reasons", "next": "No next action", "unmatched": "Stage values that match no stage (not counted)",
        "ignored": "Ignored stage values", "by": {"owner": "By owner", "channel": "By channel", "segment": "By segment",
               "temperature": "By temperature"},
        "cohorts": "Monthly cohorts (deals and win rate)",
        "headers": ["stage", "planned", "reached", "entered", "rate", "target", "gap", "attain.", "status", "median d",
                    "p90 d", "stagnant", "impact"],
        "group": ["value", "deals", "won", "win rate", "open", "lost", "revenue"], "none": "(none)",
        "legend": ("planned", "reached"), "more": "and {n} more",
        "periods": "By period: {stage} planned and actual (activity basis)", "pace": "Pace this period",
        "paths": "Actual moves against the design", "range": "80% range",
        "notes": "Reached = deals that got to the stage or later (a skipped stage counts as passed). Rate = reached ÷ "
                 "reached at the previous stage. Status: {on}% of target or better = on track, {risk}% or better = at "
                 "risk, below = off track. Impact = extra deals at the final stage had the stage met its target rate.",
    },
}

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


def report_html(comparison, design: Design, lang: str = "ja") -> str:
    """The whole report as an HTML document (a string)."""
    c, t = comparison, _T[lang]
    names = {s.id: text_of(s.name, lang) for s in design.stages}
    title = f"{t['title']} — {text_of(design.name, lang)}"
    meta = [f"{t['as_of']}: {c.as_of.isoformat() if c.as_of else '—'}", f"{t['source']}: {c.source}", window_line(c, lang)]
    if c.deals is not None:
        meta.append(f"{t['deals']}: {c.deals:,} ({t['open']} {c.open_deals:,} · {t['lost']} {c.lost_deals:,})")
    parts = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1><p class=\"meta\">{' · '.join(_e(m) for m in meta)}</p>",
        _cards(c, names, t),
        f"<h2>{_e(t['funnel'])}</h2>", _funnel(c, names, t),
        f"<h2>{_e(t['rates'])}</h2>", charts.rate_chart(
            [{"label": names[s.id], "rate": s.rate, "target": s.target_rate, "status": s.status} for s in c.stages[1:]],
            t["rates"]),
    ]
    if c.periods:
        parts += [f"<h2>{_e(t['periods'].format(stage=names[c.final_stage]))}</h2>", _periods(c, t)]
    if c.pace:
        parts += [f"<h2>{_e(t['pace'])}</h2>"] + [f"<p>{_e(line)}</p>" for line in pace_lines(c, design, COMPARE_WORDS[lang], lang)]
    if c.transitions:
        lines = path_lines(c, names, COMPARE_WORDS[lang])[1:]
        parts += [f"<h2>{_e(t['paths'])}</h2>", f"<p>{_e(lines[0])}</p>",
                  "<ul>" + "".join(f"<li>{_e(line.strip())}</li>" for line in lines[1:]) + "</ul>"]
    if any(s.median_days is not None for s in c.stages):
        parts += [f"<h2>{_e(t['days'])}</h2>", charts.days_chart(
            [{"label": names[s.id], "median": s.median_days, "p90": s.p90_days, "target": s.target_days} for s in c.stages[:-1]],
            t["days"])]
    parts += [f"<h2>{_e(t['stage_table'])}</h2>", _stage_table(c, names, t, lang)]
    parts += _details(c, names, t)
    parts.append(f'<p class="notes">{_e(t["notes"].format(on=round(ON_TRACK * 100), risk=round(AT_RISK * 100)))}</p>')
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _cards(c, names: dict[str, str], t: dict) -> str:
    cards = []
    b = c.bottleneck
    if b.get("stage"):
        text = t["adds"].format(n=number(b["added_final"], 1), stage=names[b["final_stage"]])
        cards.append(_card(t["bottleneck"], names[b["stage"]], text))
    elif b.get("added_final") == 0:
        cards.append(_card(t["bottleneck"], t["no_bottleneck"], ""))
    for k in c.kgis:
        fmt = (lambda v: money(v, c.currency)) if k["unit"] == "currency" else (lambda v: number(v))
        detail = f"/ {fmt(k['target'])} ({percent(k['attainment'])})"
        if k["forecast"] is not None:
            detail += f" · {t['forecast']} {fmt(k['forecast'])}"
            f = c.forecast
            if k["unit"] == "count" and f is not None and f.get("stage") == k["stage"]:
                detail += f" ({t['range']} {number(f['low'])}–{number(f['high'])})"
        cards.append(_card(f"{t['kgis']}: {text_of(k['name'])}", fmt(k["actual"]), detail))
    cost = c.cost
    if cost.get("planned") is not None or cost.get("actual") is not None:
        cards.append(_card(t["cost"], f"{t['actual']} {money(cost['actual'], c.currency)}",
                           f"CPA {money(cost['actual_cpa'], c.currency)} · {t['planned']} {money(cost['planned'], c.currency)}"
                           f" (CPA {money(cost['planned_cpa'], c.currency)})"))
    return '<div class="cards">' + "".join(cards) + "</div>"


def _card(label: str, value: str, detail: str) -> str:
    return f'<div class="card"><b>{_e(label)}</b><span class="big">{_e(value)}</span><div>{_e(detail)}</div></div>'


def _funnel(c, names: dict[str, str], t: dict) -> str:
    rows = [{"label": names[s.id], "planned": s.planned, "reached": s.reached, "status": s.status,
             "note": f"{number(s.reached)} / {number(s.planned)}"} for s in c.stages]
    status = STATUS["ja" if t is _T["ja"] else "en"]
    legend = [(t["legend"][0], None)] + [(f"{t['legend'][1]}: {status[key]}", key) for key in ("on_track", "at_risk", "off_track")]
    return charts.funnel_chart(rows, t["funnel"], legend)


def _periods(c, t: dict) -> str:
    rows = []
    for p in c.periods:
        stage = next(s for s in p["stages"] if s["id"] == c.final_stage)
        rows.append({"label": p["period"], "planned": stage["planned"], "actual": stage["actual"],
                     "attainment": stage["attainment"]})
    return charts.period_chart(rows, t["periods"].format(stage=""), (t["legend"][0], t["actual"]))


def _stage_table(c, names: dict[str, str], t: dict, lang: str) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in t["headers"])
    body = []
    for s in c.stages:
        status = STATUS[lang].get(s.status or "", "—")
        cells = [number(s.planned), number(s.reached), number(s.entered), percent(s.rate), planned_rate(s.target_rate),
                 points(s.gap_pts), percent(s.attainment)]
        tail = [number(s.median_days, 1), number(s.p90_days, 1), number(s.stagnant), number(s.impact, 1)]
        body.append(f"<tr><td>{_e(names[s.id])}</td>" + "".join(f'<td class="n">{_e(x)}</td>' for x in cells)
                    + f'<td class="{_e(s.status or "")}">{_mark(s.status)}{_e(status)}</td>'
                    + "".join(f'<td class="n">{_e(x)}</td>' for x in tail) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _mark(status: str | None) -> str:
    """A shape drawn in CSS (circle, triangle, square), not an emoji a font may lack."""
    return '<span class="mark" aria-hidden="true"></span>' if status in STATUS["en"] else ""


def _details(c, names: dict[str, str], t: dict) -> list[str]:
    out = []
    stuck = [s for s in c.stages if s.stagnant]
    if stuck:
        out.append(f"<h2>{_e(t['stagnant'])}</h2><ul>")
        for s in stuck:
            shown = ", ".join(_e(d) for d in s.stagnant_deals[:MAX_DEALS_SHOWN])
            more = f" {_e(t['more'].format(n=f'{s.stagnant - MAX_DEALS_SHOWN:,}'))}" if s.stagnant > MAX_DEALS_SHOWN else ""
            out.append(f"<li><b>{_e(names[s.id])}</b> ({s.stagnant:,}): {shown}{more}</li>")
        out.append("</ul>")
    nexts = [s for s in c.stages if s.no_next_action]
    if nexts:
        out.append(f"<h2>{_e(t['next'])}</h2><p>" + " · ".join(f"{_e(names[s.id])}: {s.no_next_action:,}" for s in nexts) + "</p>")
    drops = [s for s in c.stages if s.drop_reasons]
    if drops:
        out.append(f"<h2>{_e(t['drops'])}</h2><ul>")
        for s in drops:
            reasons = ", ".join(f"{_e(r['reason'] or t['none'])} ({r['count']:,})" for r in s.drop_reasons)
            out.append(f"<li><b>{_e(names[s.id])}</b>: {reasons}</li>")
        out.append("</ul>")
    for role, b in c.breakdowns.items():
        out += [f"<h2>{_e(t['by'][role])}</h2>", _group_table(b["groups"], t, c.currency)]
    if c.cohorts:
        labels = [str(g["value"]) for g in c.cohorts]
        out += [f"<h2>{_e(t['cohorts'])}</h2>",
                charts.column_chart(labels, [g["deals"] or 0 for g in c.cohorts], [g["win_rate"] for g in c.cohorts], t["cohorts"]),
                _group_table(c.cohorts, t, c.currency)]
    for label, values in ((t["unmatched"], c.unmatched_stages), (t["ignored"], c.ignored_stages)):
        if values:
            items = "".join(f"<li>{_e(v.value or t['none'])} ({v.count:,})</li>" for v in values)
            out.append(f"<h2>{_e(label)}</h2><ul>{items}</ul>")
    return out


def _group_table(groups: list[dict], t: dict, currency: str) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in t["group"])
    rows = []
    for g in groups:
        cells = [number(g["deals"]), number(g["won"]), percent(g["win_rate"]), number(g["open"]), number(g["lost"]),
                 money(g["revenue"], currency)]
        value = g["value"] if g["value"] is not None else t["none"]
        rows.append(f"<tr><td>{_e(value)}</td>" + "".join(f'<td class="n">{_e(x)}</td>' for x in cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
