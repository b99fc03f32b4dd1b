"""Reading stage-count tables: `stage, count[, period, segment, cost]`, one row per stage (and period
and segment). Counts are whole numbers of 0 or more; a stage may appear once per period and segment."""

from __future__ import annotations

import numpy as np

from journeymap.actuals.columns import ColumnRoles
from journeymap.actuals.stages import IGNORED, UNMATCHED, WON, StageMatcher, no_match_error
from journeymap.actuals.tables import RawTable, row_place
from journeymap.actuals.types import Actuals, StageCounts, StageValue
from journeymap.actuals.values import numbers
from journeymap.errors import InputError, Issue
from journeymap.limits import ISSUES_LISTED
from journeymap.text.problems import problem


def read_counts(raw: RawTable, roles: ColumnRoles, matcher: StageMatcher) -> Actuals:
    table, r = raw.table, roles.roles
    issues: list[Issue] = []
    stage_texts = table.column(r["stage"]).to_pylist()
    count_values, problems = numbers(table.column(r["count"]), raw, r["count"])
    issues += problems
    for i, value in enumerate(count_values):
        if np.isnan(value):
            if table.column(r["count"])[i].as_py() is None:
                issues.append(problem("problem.no_count", col=r["count"], **raw.where(i, r["count"])))
        elif value < 0 or not float(value).is_integer():
            which = "problem.count_negative" if value < 0 else "problem.count_fraction"
            issues.append(problem(which, value=f"{value:g}", **raw.where(i, r["count"])))
    period = [_label(v) for v in table.column(r["period"]).to_pylist()] if "period" in r else [None] * raw.num_rows
    segment = [_label(v) for v in table.column(r["segment"]).to_pylist()] if "segment" in r else [None] * raw.num_rows
    cost: list[float | None] = [None] * raw.num_rows
    if "cost" in r:
        cost_values, problems = numbers(table.column(r["cost"]), raw, r["cost"])
        issues += problems
        cost = [None if np.isnan(v) else float(v) for v in cost_values]
    matched = [matcher.match(v) for v in stage_texts]
    seen: dict[tuple, int] = {}
    for i, (code, _lost) in enumerate(matched):
        key = (code if code >= 0 or code == WON else stage_texts[i], period[i], segment[i])
        if key in seen:
            kind, other = row_place(raw, seen[key])
            issues.append(problem(f"problem.duplicate_count_row.{kind}", row=other, **raw.where(i, r["stage"])))
        else:
            seen[key] = i
    if issues:
        if len(issues) > ISSUES_LISTED:
            issues = issues[:ISSUES_LISTED] + [problem("problem.more_problems", source=raw.source, n=len(issues) - ISSUES_LISTED)]
        raise InputError(issues)
    unmatched_counts: dict[str, int] = {}
    ignored_counts: dict[str, int] = {}
    keep = []
    for i, (code, _lost) in enumerate(matched):
        if code >= 0 or code == WON:
            keep.append(i)
        elif code == IGNORED:
            ignored_counts[stage_texts[i]] = ignored_counts.get(stage_texts[i], 0) + 1
        elif code == UNMATCHED:
            unmatched_counts[stage_texts[i] or ""] = unmatched_counts.get(stage_texts[i] or "", 0) + 1
    unmatched = sorted((StageValue(k, v) for k, v in unmatched_counts.items()), key=lambda v: (-v.count, v.value))
    ignored = sorted((StageValue(k, v) for k, v in ignored_counts.items()), key=lambda v: (-v.count, v.value))
    if not keep:
        raise no_match_error(matcher, unmatched, raw.source)
    counts = StageCounts(
        stage=[matched[i][0] for i in keep], count=[int(count_values[i]) for i in keep],
        period=[period[i] for i in keep], segment=[segment[i] for i in keep], cost=[cost[i] for i in keep],
    )
    return Actuals(raw.source, "counts", "counts", dict(r), raw.num_rows, raw.encoding, unmatched, ignored, counts=counts)


def _label(value) -> str | None:
    """A period or segment as text: an Excel date cell becomes 2024-04 (first of a month) or 2024-04-15."""
    import datetime as dt

    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m") if value.day == 1 and value.time() == dt.time(0) else value.date().isoformat()
    return str(value)
