"""Plain-text tables for the terminal: `journeymap plan` and `journeymap compare --format table`.

Columns are aligned by display width (Japanese characters take two columns), numbers to the right.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from journeymap.text.width import display_width

DASH = "—"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool] | None = None) -> str:
    """Rows of cells under a header line; `right[i]` right-aligns column i."""
    right = list(right) if right is not None else [False] * len(headers)
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))
    lines = [_line(headers, widths, right), "  ".join("-" * w for w in widths)]
    lines += [_line(row, widths, right) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def _line(cells: Sequence[str], widths: list[int], right: list[bool]) -> str:
    out = []
    for cell, width, r in zip(cells, widths, right):
        pad = " " * (width - display_width(cell))
        out.append(pad + cell if r else cell + pad)
    return "  ".join(out)


def number(value: Any, digits: int = 0) -> str:
    """1,234 / 1,234.5; a dash for None."""
    if value is None:
        return DASH
    if digits == 0:
        return f"{round(value):,}"
    return f"{value:,.{digits}f}"


def money(value: Any, currency: str) -> str:
    if value is None:
        return DASH
    symbol = {"JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£"}.get(currency)
    digits = 0 if currency == "JPY" or float(value).is_integer() else 2
    text = f"{value:,.{digits}f}"
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def percent(value: Any, digits: int = 1) -> str:
    if value is None:
        return DASH
    return f"{value * 100:.{digits}f}%"


def points(value: Any) -> str:
    if value is None:
        return DASH
    return f"{value:+.1f}pt"


def clip(text: str, width: int) -> str:
    """Cut `text` to at most `width` display columns, marking the cut with '…'."""
    if display_width(text) <= width:
        return text
    out, used = "", 0
    for char in text:
        w = display_width(char)
        if used + w > width - 1:
            break
        out += char
        used += w
    return out + "…"


# --------------------------------------------------------------------------- plan


def plan_table(plan, design, lang: str = "ja") -> str:
    """The reverse-funnel plan as a terminal table with its cost, CPA and KGIs."""
    from journeymap.model import text_of

    names = {s.id: text_of(s.name, lang) for s in design.stages}
    rows = [
        [
            text_of(s.name, lang),
            percent(s.rate),
            number(s.required),
            money(s.unit_cost, plan.currency),
            money(s.cost, plan.currency),
            {"kgi": "KGI", "projected": "projected" if lang == "en" else "見込み"}.get(s.basis or "", ""),
        ]
        for s in plan.stages
    ]
    headers = ["stage", "rate", "required", "unit cost", "cost", ""] if lang == "en" else [
        "ステージ", "転換率", "必要数", "単価", "費用", ""]
    out = [f"{text_of(design.name, lang)} — {_period(plan.period, lang)} ({plan.currency})", ""]
    out.append(table(headers, rows, right=[False, True, True, True, True, False]))
    out.append("")
    label = _labels(lang)
    summary = []
    for fixed in plan.fixed_costs:
        summary.append((f"{label['fixed']} ({text_of(fixed.name, lang)})", money(fixed.cost, plan.currency)))
    for owner in plan.owners:
        who = text_of(owner.name, lang) if owner.name is not None else label["no_owner"]
        summary.append((f"{label['owner_cost']} ({who})", money(owner.cost, plan.currency)))
    summary.append((label["total"], money(plan.total_cost, plan.currency)))
    stage_name = names.get(plan.cpa_stage or "", "")
    summary.append((f"CPA ({stage_name})", money(plan.cpa, plan.currency)))
    width = max(display_width(k) for k, _ in summary)
    for key, value in summary:
        out.append(key + " " * (width - display_width(key)) + "  " + value)
    out.append("")
    for kgi in plan.kgis:
        name = text_of(kgi.name, lang)
        target = money(kgi.target, plan.currency) if kgi.unit == "currency" else number(kgi.target, 0 if float(kgi.target).is_integer() else 1)
        if not kgi.planned:
            out.append(f"KGI {name}: {target} ({label['unplanned']})")
            continue
        top = names[plan.stages[0].id]
        line = (f"KGI {name}: {target} → {number(kgi.required)} @ {names[kgi.stage]}"
                f" → {number(kgi.top_required)} @ {top}")
        others = [k.top_required for k in plan.kgis if k.planned and k.id != kgi.id]
        if kgi.binding and others and kgi.top_required > max(others):
            line += f"  ({label['binding']})"
        out.append(line)
    return "\n".join(out) + "\n"


def _period(period: str, lang: str) -> str:
    if lang == "en":
        return f"plan per {period}"
    return {"week": "週次計画", "month": "月次計画", "quarter": "四半期計画", "year": "年次計画"}.get(period, period)


def _labels(lang: str) -> dict[str, str]:
    if lang == "en":
        return {"fixed": "fixed cost", "total": "total cost", "unplanned": "not a count: sets no requirement",
                "binding": "binding", "owner_cost": "cost of", "no_owner": "no owner"}
    return {"fixed": "固定費", "total": "総費用", "unplanned": "件数・金額でないため計画対象外", "binding": "最大の必要数",
            "owner_cost": "担当別費用", "no_owner": "担当なし"}


# --------------------------------------------------------------------------- compare

STATUS = {
    "ja": {"on_track": "順調", "at_risk": "要注意", "off_track": "未達"},
    "en": {"on_track": "on track", "at_risk": "at risk", "off_track": "off track"},
}
_WORDS = {
    "ja": {
        "headers": ["ステージ", "計画", "到達", "進入", "転換率", "目標", "差", "達成率", "状態", "中央日数", "P90日数", "停滞"],
        "as_of": "時点", "deals": "件", "open": "進行中", "lost": "失注", "bottleneck": "ボトルネック",
        "adds": "目標転換率なら最終ステージ（{stage}）が +{n} 件", "none": "なし（すべて目標以上）",
        "forecast": "見込み", "won": "件 受注済み", "expected": "件 パイプラインから",
        "cost": "費用", "planned": "計画", "actual": "実績", "stagnant": "停滞案件（目標日数超過）",
        "drops": "失注理由", "unmatched": "一致しないステージ値（集計外）", "ignored": "除外したステージ値",
        "by": {"owner": "担当者別", "channel": "チャネル別", "segment": "セグメント別"}, "cohorts": "月次コホート",
        "group": ["値", "案件", "受注", "受注率", "進行中", "失注"], "none_value": "(未設定)", "next": "次回アクション未設定",
    },
    "en": {
        "headers": ["stage", "planned", "reached", "entered", "rate", "target", "gap", "attain.", "status",
                    "median d", "p90 d", "stagnant"],
        "as_of": "as of", "deals": "deals", "open": "open", "lost": "lost", "bottleneck": "Bottleneck",
        "adds": "meeting its target rate would add {n} at {stage}", "none": "none (every rate meets its target)",
        "forecast": "Forecast", "won": "won", "expected": "expected from the pipeline",
        "cost": "Cost", "planned": "planned", "actual": "actual", "stagnant": "Stagnant deals (over target days)",
        "drops": "Drop reasons", "unmatched": "Stage values that match no stage (not counted)",
        "ignored": "Ignored stage values",
        "by": {"owner": "By owner", "channel": "By channel", "segment": "By segment"}, "cohorts": "Monthly cohorts",
        "group": ["value", "deals", "won", "win rate", "open", "lost"], "none_value": "(none)", "next": "no next action",
    },
}


def compare_table(c, design, lang: str = "ja") -> str:
    """The comparison as terminal text: the stage table, bottleneck, KGIs, forecast, cost, details."""
    from journeymap.model import text_of

    w = _WORDS[lang]
    names = {s.id: text_of(s.name, lang) for s in design.stages}
    head = f"{text_of(design.name, lang)} — "
    if c.as_of:
        day = c.as_of.isoformat()
        head += (f"{day} {w['as_of']}" if lang == "ja" else f"{w['as_of']} {day}") + " · "
    head += c.source
    if c.deals is not None:
        head += f" · {c.deals:,} {w['deals']} ({w['open']} {c.open_deals:,} · {w['lost']} {c.lost_deals:,})"
    rows = [[names[s.id], number(s.planned), number(s.reached), number(s.entered), percent(s.rate),
             percent(s.target_rate), points(s.gap_pts), percent(s.attainment), STATUS[lang].get(s.status or "", DASH),
             number(s.median_days, 1), number(s.p90_days, 1), number(s.stagnant)] for s in c.stages]
    out = [head, "", table(w["headers"], rows, right=[False] + [True] * 7 + [False] + [True] * 3), ""]
    b = c.bottleneck
    if b.get("stage"):
        out.append(f"{w['bottleneck']}: {names[b['stage']]} — " +
                   w["adds"].format(n=number(b["added_final"], 1), stage=names[b["final_stage"]]))
    elif b.get("added_final") == 0:
        out.append(f"{w['bottleneck']}: {w['none']}")
    for k in c.kgis:
        fmt = (lambda v: money(v, c.currency)) if k["unit"] == "currency" else (lambda v: number(v, 0 if v is None or float(v).is_integer() else 1))
        line = f"KGI {text_of(k['name'], lang)}: {fmt(k['actual'])} / {fmt(k['target'])} ({percent(k['attainment'])})"
        if k["forecast"] is not None:
            line += f" · {w['forecast']} {fmt(k['forecast'])} ({percent(k['forecast_attainment'])})"
        out.append(line)
    f = c.forecast
    if f is not None:
        line = (f"{w['forecast']}: {number(f['won'])} {w['won']} + {number(f['expected_from_pipeline'], 1)} "
                f"{w['expected']} ({number(f['pipeline'])}) = {number(f['wins'], 1)} @ {names[f['stage']]}")
        if f["revenue"] is not None:
            line += f" · {money(f['revenue'], c.currency)}"
        out.append(line)
    cost = c.cost
    if cost.get("planned") is not None or cost.get("actual") is not None:
        out.append(f"{w['cost']}: {w['planned']} {money(cost['planned'], c.currency)} (CPA {money(cost['planned_cpa'], c.currency)})"
                   f" · {w['actual']} {money(cost['actual'], c.currency)} (CPA {money(cost['actual_cpa'], c.currency)})")
    out += _details(c, names, w)
    return "\n".join(out).rstrip("\n") + "\n"


def _details(c, names: dict[str, str], w: dict) -> list[str]:
    out: list[str] = []
    stuck = [s for s in c.stages if s.stagnant]
    if stuck:
        out += ["", w["stagnant"]]
        for s in stuck:
            ids = ", ".join(s.stagnant_deals[:8]) + (", …" if s.stagnant > 8 else "")
            out.append(f"  {names[s.id]} {s.stagnant:,}: {ids}")
    nexts = [s for s in c.stages if s.no_next_action]
    if nexts:
        out += ["", w["next"] + ": " + ", ".join(f"{names[s.id]} {s.no_next_action:,}" for s in nexts)]
    drops = [s for s in c.stages if s.drop_reasons]
    if drops:
        out += ["", w["drops"]]
        for s in drops:
            reasons = ", ".join(f"{r['reason'] or w['none_value']} {r['count']:,}" for r in s.drop_reasons[:6])
            out.append(f"  {names[s.id]}: {reasons}")
    for label, values in ((w["unmatched"], c.unmatched_stages), (w["ignored"], c.ignored_stages)):
        if values:
            out += ["", label + ": " + ", ".join(f"'{v.value}' ({v.count:,})" for v in values[:20])]
    for role, b in c.breakdowns.items():
        out += ["", w["by"][role], _group_table(b["groups"], w)]
    if c.cohorts:
        out += ["", w["cohorts"], _group_table(c.cohorts, w)]
    return out


def _group_table(groups: list[dict], w: dict) -> str:
    rows = [[clip(str(g["value"]) if g["value"] is not None else w["none_value"], 30), number(g["deals"]), number(g["won"]),
             percent(g["win_rate"]), number(g["open"]), number(g["lost"])] for g in groups]
    return table(w["group"], rows, right=[False, True, True, True, True, True])
