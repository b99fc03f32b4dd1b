"""Plain-text tables for the terminal: `journeymap plan` and `journeymap compare --format table`.

Columns are aligned by display width (Japanese characters take two columns), numbers to the right.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from journeymap.text.format import DASH, money, number, percent, planned_rate, points
from journeymap.text.width import display_width


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
            planned_rate(s.rate),
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
    summary.append((label["total"], money(plan.total_cost, plan.currency)))
    stage_name = names.get(plan.cpa_stage or "", "")
    summary.append((f"CPA ({stage_name})", money(plan.cpa, plan.currency)))
    kgi_names = {k.id: text_of(k.name, lang) for k in design.kgis}
    if len({stage for _, stage, _, _ in plan.cpa_by_kgi}) > 1:
        for kgi_id, stage, _required, cpa in plan.cpa_by_kgi:
            if stage != plan.cpa_stage:
                summary.append((f"CPA ({label['per']} {kgi_names[kgi_id]})", money(cpa, plan.currency)))
    width = max(display_width(k) for k, _ in summary)
    for key, value in summary:
        out.append(key + " " * (width - display_width(key)) + "  " + value)
    out.append("")
    for kgi in plan.kgis:
        name = text_of(kgi.name, lang)
        target = money(kgi.target, plan.currency) if kgi.unit == "currency" else number(kgi.target, 1)
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
                "binding": "binding", "per": "per"}
    return {"fixed": "固定費", "total": "総費用", "unplanned": "件数・金額でないため計画対象外", "binding": "最大の必要数",
            "per": "参考:"}


# --------------------------------------------------------------------------- compare

STATUS = {
    "ja": {"on_track": "順調", "at_risk": "要注意", "off_track": "未達"},
    "en": {"on_track": "on track", "at_risk": "at risk", "off_track": "off track"},
}
COMPARE_WORDS: dict[str, dict[str, Any]] = {
    "ja": {
        "headers": ["ステージ", "計画/{per}", "計画(期間)", "到達", "進入", "転換率", "目標", "差", "達成率", "状態",
                    "中央日数", "P90日数", "停滞", "中断"],
        "as_of": "時点", "deals": "件", "open": "進行中", "lost": "失注", "bottleneck": "ボトルネック",
        "adds": "目標転換率なら最終ステージ（{stage}）が +{n} 件", "none": "なし（すべて目標以上）",
        "forecast": "見込み", "won": "件 受注済み", "expected": "件 パイプラインから",
        "cost": "費用", "planned": "計画", "actual": "実績", "stagnant": "停滞案件（目標日数超過）",
        "drops": "失注理由", "unmatched": "一致しないステージ値（集計外）", "ignored": "除外したステージ値",
        "by": {"owner": "担当者別", "channel": "チャネル別", "segment": "セグメント別", "temperature": "温度感別"}, "cohorts": "月次コホート",
        "group": ["値", "案件", "受注", "受注率", "進行中", "失注"], "none_value": "(未設定)", "next": "次回アクション未設定",
        "window": "期間 {start}〜{end}（{n}{unit}・計画をこの期間に換算・{basis}）",
        "no_window": "期間の列がないため、集計表を計画の1{unit}分として比較",
        "basis": {"activity": "活動基準: 期間内のステージ到達", "cohort": "コホート基準: 期間内に始まった案件を時点まで追跡"},
        "units": {"week": ("週", "週"), "month": ("か月", "月"), "quarter": ("四半期", "四半期"), "year": ("年", "年")},
        "range": "80%範囲", "paused": "中断", "recovery": "復活（中断・失注から再開）", "won_after": "受注",
        "temperature": "温度感別パイプライン", "temp_head": ["温度感", "進行中", "見込み受注"],
        "paths": "実際の遷移（設計外）", "conformance": "設計どおりの経路 {share}（{n}件中）· スキップ {skips} · 逆行 {back} · 設計外 {out}",
        "periods": "期間別", "period_head": ["期間", "{stage} 計画", "実績", "達成率", "{kgi} 目標", "実績", "達成率"],
        "pace": "ペース（{period}, {elapsed}/{days}日経過）: {kgi} {actual} → 期末見込み {projected}（目標の {pct}）· "
                "残り営業日 {left}日で 1日あたり {need} 必要",
        "by_owner": "担当別費用", "owner_head": ["担当", "区分", "計画", "実績"],
        "kinds": {"designed": "設計どおり", "skip": "スキップ", "backward": "逆行", "outside": "ファネル外"},
    },
    "en": {
        "headers": ["stage", "plan/{per}", "plan (window)", "reached", "entered", "rate", "target", "gap", "attain.",
                    "status", "median d", "p90 d", "stagnant", "paused"],
        "as_of": "as of", "deals": "deals", "open": "open", "lost": "lost", "bottleneck": "Bottleneck",
        "adds": "meeting its target rate would add {n} at {stage}", "none": "none (every rate meets its target)",
        "forecast": "Forecast", "won": "won", "expected": "expected from the pipeline",
        "cost": "Cost", "planned": "planned", "actual": "actual", "stagnant": "Stagnant deals (over target days)",
        "drops": "Drop reasons", "unmatched": "Stage values that match no stage (not counted)",
        "ignored": "Ignored stage values",
        "by": {"owner": "By owner", "channel": "By channel", "segment": "By segment", "temperature": "By temperature"}, "cohorts": "Monthly cohorts",
        "group": ["value", "deals", "won", "win rate", "open", "lost"], "none_value": "(none)", "next": "no next action",
        "window": "window {start} – {end} ({n} {unit}; plan scaled to it; {basis})",
        "no_window": "no period column: the count table is compared with one {unit} of the plan",
        "basis": {"activity": "activity basis: stage entries in the window",
                  "cohort": "cohort basis: deals started in the window, followed to the as-of date"},
        "units": {"week": ("weeks", "week"), "month": ("months", "month"), "quarter": ("quarters", "quarter"),
                  "year": ("years", "year")},
        "range": "80% range", "paused": "paused", "recovery": "Recovered (back after a pause or a loss)", "won_after": "won",
        "temperature": "Pipeline by temperature", "temp_head": ["temperature", "open", "expected wins"],
        "paths": "Actual moves off the design", "conformance": "designed path {share} (of {n} deals) · skips {skips} · "
                 "backward {back} · outside {out}",
        "periods": "By period", "period_head": ["period", "{stage} plan", "actual", "attain.", "{kgi} target", "actual", "attain."],
        "pace": "Pace ({period}, {elapsed}/{days} days): {kgi} {actual} → {projected} by the period's end ({pct} of target)"
                " · {need} a working day needed over the {left} left",
        "by_owner": "Cost by owner", "owner_head": ["owner", "kind", "planned", "actual"],
        "kinds": {"designed": "designed", "skip": "skip", "backward": "backward", "outside": "outside the funnel"},
    },
}


def compare_table(c, design, lang: str = "ja") -> str:
    """The comparison as terminal text: the window, the stage table, bottleneck, KGIs, forecast,
    pace, cost, periods, paths and details."""
    from journeymap.model import text_of

    w = COMPARE_WORDS[lang]
    names = {s.id: text_of(s.name, lang) for s in design.stages}
    head = f"{text_of(design.name, lang)} — "
    if c.as_of:
        day = c.as_of.isoformat()
        head += (f"{day} {w['as_of']}" if lang == "ja" else f"{w['as_of']} {day}") + " · "
    head += c.source
    if c.deals is not None:
        head += f" · {c.deals:,} {w['deals']} ({w['open']} {c.open_deals:,} · {w['lost']} {c.lost_deals:,}"
        head += f" · {w['paused']} {c.paused_deals:,})" if c.paused_deals else ")"
    per = w["units"][c.period][1]
    headers = [h.format(per=per) for h in w["headers"]]
    rows = [[names[s.id], number(s.planned_per_period), number(s.planned, 1),
             number(s.reached), number(s.entered), percent(s.rate),
             planned_rate(s.target_rate), points(s.gap_pts), percent(s.attainment), STATUS[lang].get(s.status or "", DASH),
             number(s.median_days, 1), number(s.p90_days, 1), number(s.stagnant), number(s.paused)] for s in c.stages]
    out = [head, window_line(c, lang), "",
           table(headers, rows, right=[False] + [True] * 8 + [False] + [True] * 4), ""]
    b = c.bottleneck
    if b.get("stage"):
        out.append(f"{w['bottleneck']}: {names[b['stage']]} — " +
                   w["adds"].format(n=number(b["added_final"], 1), stage=names[b["final_stage"]]))
    elif b.get("added_final") == 0:
        out.append(f"{w['bottleneck']}: {w['none']}")
    for k in c.kgis:
        fmt = _kgi_format(k["unit"], c.currency)
        line = f"KGI {text_of(k['name'], lang)}: {fmt(k['actual'])} / {fmt(k['target'])} ({percent(k['attainment'])})"
        if k.get("target_per_period") is not None and k["target"] != k["target_per_period"]:
            line += f" ← {fmt(k['target_per_period'])}/{per} × {c.scale:.2f}"
        if k["forecast"] is not None:
            line += f" · {w['forecast']} {fmt(k['forecast'])} ({percent(k['forecast_attainment'])})"
        out.append(line)
    f = c.forecast
    if f is not None:
        line = (f"{w['forecast']}: {number(f['won'])} {w['won']} + {number(f['expected_from_pipeline'], 1)} "
                f"{w['expected']} ({number(f['pipeline'])}) = {number(f['wins'], 1)} @ {names[f['stage']]}"
                f" · {w['range']} {number(f['low'])}–{number(f['high'])}")
        if f["revenue"] is not None:
            line += f" · {money(f['revenue'], c.currency)}"
        out.append(line)
    if c.pace:
        out += pace_lines(c, design, w, lang)
    cost = c.cost
    if cost.get("planned") is not None or cost.get("actual") is not None:
        out.append(f"{w['cost']}: {w['planned']} {money(cost['planned'], c.currency)} (CPA {money(cost['planned_cpa'], c.currency)})"
                   f" · {w['actual']} {money(cost['actual'], c.currency)} (CPA {money(cost['actual_cpa'], c.currency)})")
    out += _owner_costs(c, w, lang)
    out += _period_lines(c, design, names, w, lang)
    out += path_lines(c, names, w)
    out += _details(c, names, w)
    return "\n".join(out).rstrip("\n") + "\n"


def window_line(c, lang: str = "ja") -> str:
    """"期間 2026-06-01〜2026-11-20（5.67か月・…）": what every figure of the comparison covers."""
    w = COMPARE_WORDS[lang]
    if c.window is None:
        return w["no_window"].format(unit=w["units"][c.period][1])
    win = c.window
    return w["window"].format(start=win.start.isoformat(), end=win.end.isoformat(), n=f"{win.periods:.2f}",
                              unit=w["units"][win.unit][0], basis=w["basis"][win.basis])


def _kgi_format(unit: str, currency: str):
    if unit == "currency":
        return lambda v: money(v, currency)
    return lambda v: number(v, 1)


def pace_lines(c, design, w: dict, lang: str) -> list[str]:
    from journeymap.model import text_of

    pace = c.pace
    names = {k.id: text_of(k.name, lang) for k in design.kgis}
    out = []
    for k in pace["kgis"]:
        fmt = _kgi_format(k["unit"], c.currency)
        out.append(w["pace"].format(period=pace["period"], elapsed=pace["elapsed_days"], days=pace["days"],
                                    kgi=names.get(k["id"], k["id"]), actual=fmt(k["actual"]), projected=fmt(k["projected"]),
                                    pct=percent(k["projected_attainment"]), left=pace["working_days_left"],
                                    need=fmt(k["needed_per_working_day"]) if k["needed_per_working_day"] is not None else DASH))
    return out


def _owner_costs(c, w: dict, lang: str) -> list[str]:
    from journeymap.model import text_of

    rows = c.cost.get("by_owner") or []
    if len(rows) < 2:
        return []
    body = [[text_of(r["name"], lang), r.get("engagement") or r["kind"], money(r["planned"], c.currency),
             money(r["actual"], c.currency)] for r in rows]
    return ["", w["by_owner"], table(w["owner_head"], body, right=[False, False, True, True])]


def _period_lines(c, design, names: dict, w: dict, lang: str) -> list[str]:
    from journeymap.model import text_of

    if not c.periods or len(c.periods) < 2:
        return []
    final = c.final_stage
    kgi = next((k for k in design.kgis if k.unit == "count"), None)
    head = [h.format(stage=names[final], kgi=text_of(kgi.name, lang) if kgi else "KGI") for h in w["period_head"]]
    rows = []
    for p in c.periods:
        stage = next(s for s in p["stages"] if s["id"] == final)
        k = next((x for x in p["kgis"] if kgi is not None and x["id"] == kgi.id), None)
        rows.append([p["period"], number(stage["planned"], 1), number(stage["actual"]), percent(stage["attainment"]),
                     number(k["target"], 1) if k else DASH, number(k["actual"]) if k else DASH,
                     percent(k["attainment"]) if k else DASH])
    return ["", w["periods"], table(head, rows, right=[False] + [True] * 6)]


def path_lines(c, names: dict, w: dict) -> list[str]:
    if not c.transitions:
        return []
    conf = c.conformance
    out = ["", w["paths"] + ": " + w["conformance"].format(
        share=percent(conf["designed_path_share"]), n=f"{conf['deals']:,}", skips=f"{conf['skips']:,}",
        back=f"{conf['backward']:,}", out=f"{conf['outside']:,}")]
    for t in [t for t in c.transitions if not t["designed"]][:12]:
        out.append(f"  {names[t['from']]} → {names[t['to']]}: {t['deals']:,} ({w['kinds'][t['kind']]})")
    return out


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
    if c.recovery and c.recovery["deals"]:
        r = c.recovery
        out += ["", f"{w['recovery']}: {r['deals']:,} / {r['marked']:,} · {w['won_after']} {r['won']:,}"]
        for row in r["by_reason"][:8]:
            out.append(f"  {row['reason'] or w['none_value']}: {row['deals']:,} ({w['won_after']} {row['won']:,})")
    if c.temperature:
        rows = [[str(t["value"]) if t["value"] is not None else w["none_value"], number(t["open"]),
                 number(t["expected_wins"], 1)] for t in c.temperature]
        out += ["", w["temperature"], table(w["temp_head"], rows, right=[False, True, True])]
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
        out += ["", w["by"].get(role, role), _group_table(b["groups"], w)]
    if c.cohorts:
        out += ["", w["cohorts"], _group_table(c.cohorts, w)]
    return out


def _group_table(groups: list[dict], w: dict) -> str:
    rows = [[clip(str(g["value"]) if g["value"] is not None else w["none_value"], 30), number(g["deals"]), number(g["won"]),
             percent(g["win_rate"]), number(g["open"]), number(g["lost"])] for g in groups]
    return table(w["group"], rows, right=[False, True, True, True, True, True])
