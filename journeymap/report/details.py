"""What both reports show below the stage table, decided once: the terminal table (`table.py`)
and the HTML report (`html.py`) each only lay these sections out.

Sections, in order: stagnant deals, deals without a next action, deals back after a pause or a
loss, the open pipeline by temperature, how many deals have the stages' key and required records
filled (when the export has columns named like them), drop reasons, a table of groups per breakdown (owner,
channel, segment, temperature) and of monthly cohorts, then the stage values of the export that
matched no stage or were ignored. Long lists are cut at the limits in
`journeymap.limits` and say how many were left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from journeymap import limits
from journeymap.compare.types import Comparison
from journeymap.model import text_of
from journeymap.text.catalogue import counted, text
from journeymap.text.format import date, money, number, percent

GROUP_COLUMNS = ("value", "deals", "won", "win_rate", "open", "lost", "revenue")


@dataclass(frozen=True)
class Section:
    """A titled part of a report: a line of text after the title, list items, a table (or some of these)."""

    title: str
    line: str | None = None
    items: list[tuple[str, str]] = field(default_factory=list)
    """(label, text) per item: `("商談 (3)", "D1, D2 ほか 1 件")`."""
    headers: list[str] | None = None
    rows: list[list[str]] = field(default_factory=list)
    """A table's cells, as text; the first column names the row."""
    cohorts: list[dict[str, Any]] | None = None
    """The monthly cohorts the table shows (the HTML report draws them as a chart too)."""


def shown(values: Sequence[str], total: int, limit: int, lang: str) -> str:
    """At most `limit` of `values`, comma-separated, then how many of `total` were left out."""
    out = ", ".join(values[:limit])
    if total > limit:
        out += " " + text("report.more", lang, n=number(total - limit))
    return out


def _record_mark(record: dict[str, Any], lang: str) -> str:
    marks = [text(f"report.records_{k}", lang) for k in ("key", "required") if record.get(k)]
    return f" ({'・'.join(marks)})" if marks else ""


def sections(c: Comparison, names: dict[str, str], lang: str) -> list[Section]:
    out: list[Section] = []
    stuck = [s for s in c.stages if s.stagnant]
    if stuck:
        out.append(Section(text(counted("report.stagnant", c.counts), lang), items=[
            (f"{names[s.id]} ({number(s.stagnant)})", shown(s.stagnant_deals, s.stagnant or 0, limits.STAGNANT_DEALS_SHOWN, lang))
            for s in stuck]))
    nexts = [s for s in c.stages if s.no_next_action]
    if nexts:
        out.append(Section(text("report.next", lang), line=", ".join(f"{names[s.id]} ({number(s.no_next_action)})" for s in nexts)))
    r = c.recovery
    if r and r["deals"]:
        won = text(counted("report.won_after", c.counts), lang)
        none = text("report.none", lang)
        out.append(Section(text(counted("report.recovery", c.counts), lang), line=f"{number(r['deals'])} / {number(r['marked'])} · {won} {number(r['won'])}",
                           items=[(row["reason"] or none, f"{number(row['deals'])} ({won} {number(row['won'])})")
                                  for row in r["by_reason"][: limits.REASONS_SHOWN]]))
    if c.temperature:
        none = text("report.none", lang)
        out.append(Section(text("report.temperature", lang),
                           headers=[text(counted(f"report.temp_col.{key}", c.counts), lang) for key in ("temperature", "open", "expected")],
                           rows=[[temperature_label(t, lang) or none, number(t["open"]),
                                  number(t["expected_wins"], 1)] for t in c.temperature]))
    filled = [(s, r) for s in c.stages for r in (s.records or [])]
    if filled:
        out.append(Section(text(counted("report.records", c.counts), lang), headers=[text(f"report.records_col.{k}", lang) for k in
                                                                  ("stage", "record", "column", "filled", "share")],
                           rows=[[names[s.id], text_of(r["name"], lang) + _record_mark(r, lang), str(r["column"]),
                                  f"{number(r['filled'])} / {number(r['deals'])}",
                                  percent(r["filled"] / r["deals"]) if r["deals"] else "—"] for s, r in filled]))
    drops = [(names[s.id], s.drop_reasons) for s in c.stages if s.drop_reasons]
    if drops:
        none = text("report.none", lang)
        out.append(Section(text(counted("report.drops", c.counts), lang), items=[
            (name, shown([f"{r['reason'] or none} ({number(r['count'])})" for r in reasons], len(reasons),
                         limits.REASONS_SHOWN, lang))
            for name, reasons in drops]))
    for role, b in c.breakdowns.items():
        out.append(Section(text(f"report.by.{role}", lang), headers=group_headers(lang, c.counts, role),
                           rows=[group_cells(g, lang, c.currency) for g in b["groups"]]))
    if c.cohorts:
        out.append(Section(text(counted("report.cohorts", c.counts), lang), headers=group_headers(lang, c.counts, "cohort"),
                           rows=[group_cells(g, lang, c.currency) for g in c.cohorts], cohorts=c.cohorts))
    for key, values in (("report.unmatched", c.unmatched_stages), ("report.ignored", c.ignored_stages)):
        if values:
            none = text("report.none", lang)
            listed = [f"{v.value or none} ({number(v.count)})" for v in values]
            out.append(Section(text(key, lang), line=shown(listed, len(listed), limits.STAGE_VALUES_SHOWN, lang)))
    return out


def group_headers(lang: str, counts: str = "deals", by: str | None = None) -> list[str]:
    """The columns of a group table, in the words of what the design counts (`Design.counts`); the
    first names what the rows are grouped by (担当者, コホート月), "value" when that is not known."""
    first = text(f"report.group_by.{by}", lang) if by else text("report.group.value", lang)
    return [first] + [text(counted(f"report.group.{key}", counts), lang) for key in GROUP_COLUMNS[1:]]


def group_cells(group: dict[str, Any], lang: str, currency: str) -> list[str]:
    """A group's row: its value (or "(none)"), deals, won, win rate, open, lost and revenue."""
    value = str(group["value"]) if group["value"] is not None else text("report.none", lang)
    return [value, number(group["deals"]), number(group["won"]), percent(group["win_rate"]), number(group["open"]),
            number(group["lost"]), money(group["revenue"], currency)]


def temperature_label(row: dict[str, Any], lang: str) -> str:
    """A temperature row as a reader knows it: the level's name in the design's scale, with the
    file's own spellings after it when they differ ('ホット (Hot, A)'); a value of no level as it
    is; '' for deals without a value."""
    values = [str(v) for v in row.get("values") or ([row["value"]] if row.get("value") is not None else [])]
    name = row.get("name")
    if name is None:
        return values[0] if values else ""
    label = text_of(name, lang) if not isinstance(name, str) else name
    others = [v for v in values if v != label]
    return f"{label} ({', '.join(others)})" if others else label


def deal_counts(c: Comparison, lang: str, labelled: bool = False) -> str:
    """How many deals, for a report's heading: those that moved in a chosen window (reached a stage
    inside it), then all to the as-of date with how many are open, lost and paused at that date; the
    window's count alone would hide the open pipeline, the total alone reads as the window's."""
    tail = (f"({text('report.open', lang)} {number(c.open_deals)} · {text(counted('report.lost', c.counts), lang)} "
            f"{number(c.lost_deals)}" + (f" · {text('report.paused', lang)} {number(c.paused_deals)})" if c.paused_deals else ")"))
    if c.deals_in_window is not None and c.deals_in_window != c.deals and c.as_of is not None:
        return (f"{text(counted('report.deals_in_window', c.counts), lang, n=number(c.deals_in_window))} · "
                f"{text(counted('report.deals_to_date', c.counts), lang, n=number(c.deals), day=date(c.as_of))} {tail}")
    if labelled:  # 案件数: 120 (…)
        return f"{text(counted('report.deals', c.counts), lang)}: {number(c.deals)} {tail}"
    return f"{text(counted('report.deals_n', c.counts), lang, n=number(c.deals))} {tail}"


def estimated_cost(cost: dict) -> bool:
    """Whether a comparison's actual cost is an estimate: no cost column in the export, so it is the
    plan's unit and fixed costs times what actually happened (`cost.basis` "unit costs")."""
    return cost.get("basis") == "unit costs"


def actual_cost_word(c: Comparison, lang: str) -> str:
    """'actual' for costs from the export's cost column, 'estimated (actual counts × planned prices)' else."""
    return text("report.actual_estimated" if estimated_cost(c.cost) else "report.actual", lang)
