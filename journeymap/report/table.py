"""Plain-text tables for the terminal: `journeymap plan` and `journeymap compare --format table`.

Columns are aligned by display width (Japanese characters take two columns), numbers to the right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from journeymap import limits
from journeymap.compare.types import Comparison
from journeymap.model import Design, text_of
from journeymap.planning import Plan
from journeymap.report import details
from journeymap.text.catalogue import counted, text
from journeymap.text.format import DASH, date, money, number, percent, planned_rate, points
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


def plan_table(plan: Plan, design: Design, lang: str = "ja") -> str:
    """The reverse-funnel plan as a terminal table with its cost, CPA and KGIs."""
    names = {s.id: text_of(s.name, lang) for s in design.stages}
    rows = [
        [
            text_of(s.name, lang),
            planned_rate(s.rate),
            number(s.required),
            money(s.unit_cost, plan.currency),
            money(s.cost, plan.currency),
            text(f"report.plan.basis.{s.basis}", lang) if s.basis in ("kgi", "projected") else "",  # not "upstream"
        ]
        for s in plan.stages
    ]
    headers = [text(f"report.plan.col.{key}", lang) for key in ("stage", "rate", "required", "unit_cost", "cost")] + [""]
    out = [f"{text_of(design.name, lang)} — {text(f'report.plan.{plan.period}', lang)} ({plan.currency})", ""]
    out.append(table(headers, rows, right=[False, True, True, True, True, False]))
    out.append("")
    summary = []
    for fixed in plan.fixed_costs:
        summary.append((f"{text('report.plan.fixed', lang)} ({text_of(fixed.name, lang)})", money(fixed.cost, plan.currency)))
    for owner in plan.owners:
        who = text_of(owner.name, lang) if owner.name is not None else text("report.plan.no_owner", lang)
        summary.append((f"{text('report.plan.owner_cost', lang)} ({who})", money(owner.cost, plan.currency)))
    summary.append((text("report.plan.total", lang), money(plan.total_cost, plan.currency)))
    stage_name = names.get(plan.cpa_stage or "", "")
    summary.append((f"CPA ({stage_name})", money(plan.cpa, plan.currency)))
    kgi_names = {k.id: text_of(k.name, lang) for k in design.kgis}
    if len({stage for _, stage, _, _ in plan.cpa_by_kgi}) > 1:
        for kgi_id, stage, _required, cpa in plan.cpa_by_kgi:
            if stage != plan.cpa_stage:
                summary.append((f"CPA ({text('report.plan.per', lang)} {kgi_names[kgi_id]})", money(cpa, plan.currency)))
    width = max(display_width(k) for k, _ in summary)
    for key, value in summary:
        out.append(key + " " * (width - display_width(key)) + "  " + value)
    out.append("")
    for kgi in plan.kgis:
        name = text_of(kgi.name, lang)
        target = money(kgi.target, plan.currency) if kgi.unit == "currency" else number(kgi.target, 1)
        if not kgi.planned:
            out.append(f"KGI {name}: {target} ({text('report.plan.unplanned', lang)})")
            continue
        top = names[plan.stages[0].id]
        line = (f"KGI {name}: {target} → {number(kgi.required)} @ {names[kgi.stage]}"
                f" → {number(kgi.top_required)} @ {top}")
        others = [k.top_required for k in plan.kgis if k.planned and k.id != kgi.id and k.top_required is not None]
        if kgi.binding and others and kgi.top_required is not None and kgi.top_required > max(others):
            line += f"  ({text('report.plan.binding', lang)})"
        out.append(line)
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- compare

STAGE_COLUMNS = ("stage", "planned_per_period", "planned_window", "reached", "entered", "rate", "target", "gap",
                 "attainment", "status", "median_days", "p90_days", "stagnant", "paused")


def status_word(status: str | None, lang: str) -> str:
    """The word for a stage's status ("順調", "at risk", …), "—" for none."""
    return text(f"report.status.{status}", lang) if status else DASH


def compare_table(c: Comparison, design: Design, lang: str = "ja") -> str:
    """The comparison as terminal text: the window, the stage table, bottleneck, KGIs, forecast,
    pace, cost, periods, paths and details."""
    names = c.stage_names(design, lang)
    head = f"{text_of(design.name, lang)} — "
    if c.as_of:
        head += text("report.as_of_day", lang, day=date(c.as_of)) + " · "
    head += c.source
    if c.deals is not None:
        head += " · " + details.deal_counts(c, lang)
    per = text(f"period.{c.period}", lang)
    headers = [text(f"report.col.{key}", lang, per=per) for key in STAGE_COLUMNS]
    rows = [[names[s.id], number(s.planned_per_period), number(s.planned, 1),
             number(s.reached), number(s.entered), percent(s.rate),
             planned_rate(s.target_rate), points(s.gap_pts), percent(s.attainment), status_word(s.status, lang),
             number(s.median_days, 1), number(s.p90_days, 1), number(s.stagnant), number(s.paused)] for s in c.stages]
    out = [head, window_line(c, lang), "",
           table(headers, rows, right=[False] + [True] * 8 + [False] + [True] * 4), ""]
    b = c.bottleneck
    if b.get("stage"):
        out.append(f"{text('report.bottleneck', lang)}: {names[b['stage']]} — "
                   + text(counted("report.adds", c.counts), lang, n=number(b["added_final"], 1), stage=names[b["final_stage"]]))
    elif b.get("added_final") == 0:
        out.append(f"{text('report.bottleneck', lang)}: {text('report.no_bottleneck', lang)}")
    forecast_word = text("report.forecast", lang)
    for k in c.kgis:
        fmt = kgi_figure(k["unit"], c.currency)
        line = f"KGI {text_of(k['name'], lang)}: {fmt(k['actual'])} / {fmt(k['target'])} ({percent(k['attainment'])})"
        if k.get("target_per_period") is not None and k["target"] != k["target_per_period"]:
            line += f" ← {fmt(k['target_per_period'])}/{per} × {number(c.scale, 2)}"
        if k["forecast"] is not None:
            line += f" · {forecast_word} {fmt(k['forecast'])}"
            if k["forecast_attainment"] is not None:  # (none against a chosen period: the forecast has no end date)
                line += f" ({percent(k['forecast_attainment'])})"
        reason = why_not_counted(k, [{"id": s.id, "reached": s.reached} for s in c.stages], c.shape)
        if reason is not None:  # nothing to count: say why, not a bare "—"
            line += text(f"report.kgi_not_counted.{reason}", lang, stage=names.get(k["stage"], k["stage"]))
        out.append(line)
    f = c.forecast
    if f is not None:
        line = (f"{forecast_word}: {number(f['won'])} {text(counted('report.won', c.counts), lang)}"
                f" + {number(f['expected_from_pipeline'], 1)} {text(counted('report.expected', c.counts), lang)} ({number(f['pipeline'])}) = {number(f['wins'], 1)} @ {names[f['stage']]}"
                f" · {text('report.range', lang)} {number(f['low'])}–{number(f['high'])}")
        if f["revenue"] is not None:
            line += f" · {money(f['revenue'], c.currency)}"
        out.append(line)
    if c.pace:
        out += pace_lines(c, design, lang)
    cost = c.cost
    if cost.get("planned") is not None or cost.get("actual") is not None:
        out.append(f"{text('report.cost', lang)}: {text('report.planned', lang)} {money(cost['planned'], c.currency)}"
                   f" (CPA {money(cost['planned_cpa'], c.currency)})"
                   f" · {details.actual_cost_word(c, lang)} {money(cost['actual'], c.currency)} (CPA {money(cost['actual_cpa'], c.currency)})")
    out += _owner_costs(c, lang)
    out += _period_lines(c, design, names, lang)
    out += path_lines(c, names, lang)
    for section in details.sections(c, names, lang):
        out += ["", *_section(section)]
    return "\n".join(out).rstrip("\n") + "\n"


def window_line(c: Comparison, lang: str = "ja") -> str:
    """"期間 2026-06-01〜2026-11-20（5.67か月・…）": what every figure of the comparison covers."""
    if c.window is None:
        return text("report.no_window", lang, unit=text(f"period.one.{c.period}", lang))
    win = c.window
    return text("report.window", lang, start=date(win.start), end=date(win.end), n=number(win.periods, 2),
                unit=text(f"report.periods_of.{win.unit}", lang),
                basis=text(counted(f"report.basis.{win.basis}", c.counts), lang))


def why_not_counted(kgi: dict, stages: list[dict], shape: str) -> str | None:
    """Why a KGI has no actual: `no_row` (a count table without the KGI stage's row), `no_amounts`
    (a currency KGI from actuals without an amount column), else None (it was counted)."""
    if kgi.get("actual") is not None:
        return None
    reached = next((s.get("reached") for s in stages if s.get("id") == kgi.get("stage")), None)
    if shape == "counts" and reached is None:
        return "no_row"
    return "no_amounts" if kgi.get("unit") == "currency" else None


def kgi_figure(unit: str, currency: str) -> Callable[[float | None], str]:
    """How a KGI's actual, target and forecast read: money for a currency KGI, a percentage for a
    rate KGI (0.3 is 30%), else a number."""
    if unit == "currency":
        return lambda v: money(v, currency)
    if unit == "rate":
        return lambda v: percent(v)
    return lambda v: number(v, 1)


def pace_lines(c: Comparison, design: Design, lang: str) -> list[str]:
    pace = c.pace or {}
    names = {k.id: text_of(k.name, lang) for k in design.kgis}
    out = []
    for k in pace["kgis"]:
        fmt = kgi_figure(k["unit"], c.currency)
        line = text("report.pace", lang, period=pace["period"], elapsed=pace["elapsed_days"], days=pace["days"],
                    kgi=names.get(k["id"], k["id"]), actual=fmt(k["actual"]), projected=fmt(k["projected"]),
                    pct=percent(k["projected_attainment"]))
        out.append(line + " · " + pace_outlook(k, pace, fmt, lang))
    return out


def pace_outlook(kgi: dict, pace: dict, fmt: Callable[[Any], str], lang: str) -> str:
    """What is left to do: reached already, the period over, or so much a working day over the days left."""
    if not kgi.get("remaining"):
        return text("report.pace_done", lang)
    if not pace.get("working_days_left") or kgi.get("needed_per_working_day") is None:
        return text("report.pace_over", lang, remaining=fmt(kgi["remaining"]))
    return text("report.pace_need", lang, left=number(pace["working_days_left"]), need=fmt(kgi["needed_per_working_day"]))


def _owner_costs(c: Comparison, lang: str) -> list[str]:
    rows = c.cost.get("by_owner") or []
    if len(rows) < 2:
        return []
    body = [[text_of(r["name"], lang),
             text(f"engagement.{r['engagement']}", lang) if r.get("engagement") else text(f"owner_kind.{r['kind']}", lang),
             money(r["planned"], c.currency),
             money(r["actual"], c.currency)] for r in rows]
    actual = "estimated" if details.estimated_cost(c.cost) else "actual"
    head = [text(f"report.owner_col.{key}", lang) for key in ("owner", "kind", "planned", actual)]
    return ["", text("report.by_owner_cost", lang), table(head, body, right=[False, False, True, True])]


def _period_lines(c: Comparison, design: Design, names: dict[str, str], lang: str) -> list[str]:
    if not c.periods or len(c.periods) < 2:
        return []
    final = c.final_stage or ""
    kgi = next((k for k in design.kgis if k.unit == "count"), None)
    values = {"stage": names[final], "kgi": text_of(kgi.name, lang) if kgi else "KGI"}
    head = [text(f"report.period_col.{key}", lang, **values)
            for key in ("period", "stage_plan", "actual", "attainment", "kgi_target", "actual", "attainment")]
    rows = []
    for p in c.periods:
        stage = next(s for s in p["stages"] if s["id"] == final)
        k = next((x for x in p["kgis"] if kgi is not None and x["id"] == kgi.id), None)
        rows.append([p["period"], number(stage["planned"], 1), number(stage["actual"]), percent(stage["attainment"]),
                     number(k["target"], 1) if k else DASH, number(k["actual"]) if k else DASH,
                     percent(k["attainment"]) if k else DASH])
    return ["", text("report.periods", lang), table(head, rows, right=[False] + [True] * 6)]


def path_lines(c: Comparison, names: dict[str, str], lang: str) -> list[str]:
    if not c.transitions:
        return []
    conf = c.conformance or {}
    out = ["", text("report.paths", lang) + ": " + text(
        counted("report.conformance", c.counts), lang, share=percent(conf["designed_path_share"]), n=number(conf["deals"]),
        skips=number(conf["skips"]), back=number(conf["backward"]), out=number(conf["outside"]))]
    for move in [t for t in c.transitions if not t["designed"]][: limits.OFF_DESIGN_MOVES_SHOWN]:
        kind = text(f"report.move.{move['kind']}", lang)
        out.append(f"  {names[move['from']]} → {names[move['to']]}: {number(move['deals'])} ({kind})")
    return out


def _section(section: details.Section) -> list[str]:
    out = [f"{section.title}: {section.line}" if section.line is not None else section.title]
    out += [f"  {label}: {body}" for label, body in section.items]
    if section.headers is not None:
        rows = [[clip(row[0], limits.TERMINAL_CELL_WIDTH), *row[1:]] for row in section.rows]
        out.append(table(section.headers, rows, right=[False] + [True] * (len(section.headers) - 1)))
    return out
