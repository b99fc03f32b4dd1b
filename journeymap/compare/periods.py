"""Period by period, and the pace of the current period.

**Period table** (`Comparison.periods`): for each of the design's periods the window overlaps
(a count table: each value of its `period` column), planned vs actual per funnel stage and per
count or currency KGI. Actuals are on the activity basis whatever the comparison's basis: a deal
counts at stage s in the period in which it first reached s. The plan of a period is the plan
per period × the share of the period inside the window (the first and last periods may be partial).

**Pace** (`Comparison.pace`, event logs only; none when the window does not hold the as-of date, as a
cohort window before it does not): in the period that contains the as-of date, the
KGI's actual from the period's first day to the as-of date, divided by the share of the period's
days elapsed, is where the KGI lands at this pace by the period's end; `needed_per_working_day`
= what is still missing to the target ÷ the working days (Monday to Friday, no holidays) after
the as-of date up to the period's end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from journeymap.compare import deals as ev
from journeymap.compare.window import (
    calendar_periods,
    day_us,
    parse_period,
    period_of,
    periods_between,
    working_days,
)
from journeymap.limits import PERIODS_KEPT
from journeymap.model import Design


def add_periods_and_pace(result, design: Design, actuals, facts: ev.EventFacts | None, position: np.ndarray,
                         final: int) -> None:
    per_period = [s.planned_per_period for s in result.stages]
    if facts is not None and result.window is not None:
        result.periods = _event_periods(result, design, facts, per_period)
        result.pace = _pace(result, design, facts)
    elif facts is None and result.window is not None and "period" in actuals.columns:
        result.periods = _count_periods(result, design, actuals, position, per_period)


def _kgi_plan(design: Design, ids: list[str]) -> list[tuple[Any, int]]:
    return [(k, ids.index(k.stage)) for k in design.kgis if k.unit in ("count", "currency") and k.stage in ids]


def _row(label: str, start: dt.date, end: dt.date, share: float, design: Design, per_period,
         actual: list[int | None], kgi_actual: list[Any]) -> dict[str, Any]:
    ids = [s.id for s in design.funnel_stages]
    stages = []
    for i, stage_id in enumerate(ids):
        planned = per_period[i] * share if per_period[i] is not None else None
        stages.append({"id": stage_id, "planned": planned, "actual": actual[i],
                       "attainment": actual[i] / planned if planned and actual[i] is not None else None})
    kgis = []
    for (kgi, _p), value in zip(_kgi_plan(design, ids), kgi_actual):
        target = kgi.target * share
        kgis.append({"id": kgi.id, "target": target, "actual": value,
                     "attainment": value / target if target and value is not None else None})
    return {"period": label, "from": start.isoformat(), "to": end.isoformat(), "share": share,
            "stages": stages, "kgis": kgis}


def _event_periods(result, design: Design, facts: ev.EventFacts, per_period) -> list[dict[str, Any]]:
    window = result.window
    spans = calendar_periods(window.start, window.end, design.period)[-PERIODS_KEPT:]
    bounds = np.array([day_us(a) for a, _b, _l in spans] + [day_us(spans[-1][1] + dt.timedelta(days=1))],
                      dtype=np.int64)
    reach = facts.reach_all
    k = reach.shape[0]
    n_periods = len(spans)
    slot = period_slots(bounds, reach)  # (K, N): the period each reach time falls in
    inside = (slot >= 0) & (slot < n_periods)
    counts = [np.bincount(slot[i][inside[i]], minlength=n_periods) for i in range(k)]
    amount = facts.deals.amount
    ids = [s.id for s in design.funnel_stages]
    kgi_counts: list[list[Any]] = []
    for kgi, p in _kgi_plan(design, ids):
        if kgi.unit == "count":
            kgi_counts.append([int(x) for x in counts[p]])
        elif amount is not None:
            valid = inside[p] & ~np.isnan(amount)
            kgi_counts.append([float(x) for x in np.bincount(slot[p][valid], weights=amount[valid], minlength=n_periods)])
        else:
            kgi_counts.append([None] * n_periods)
    rows = []
    for j, (start, end, label) in enumerate(spans):
        share = periods_between(start, end, design.period)
        rows.append(_row(label, start, end, share, design, per_period, [int(c[j]) for c in counts],
                         [values[j] for values in kgi_counts]))
    return rows


def period_slots(bounds: np.ndarray, times: np.ndarray) -> np.ndarray:
    """`np.searchsorted(bounds, times, side="right") - 1` (the period each time falls in; -1 before
    the first bound). Against a few bounds, counting the bounds at or before each time is several
    times faster than numpy's binary search over millions of unsorted times."""
    if len(bounds) > 64:
        return np.searchsorted(bounds, times, side="right") - 1
    slot = np.full(times.shape, -1, dtype=np.int16)
    for bound in bounds:
        slot += times >= bound
    return slot


def _count_periods(result, design: Design, actuals, position: np.ndarray, per_period) -> list[dict[str, Any]]:
    counts = actuals.counts
    ids = [s.id for s in design.funnel_stages]
    table: dict[str, list[int | None]] = {}
    for label, stage, count in zip(counts.period, counts.stage, counts.count):
        p = int(position[stage])
        if p < 0:
            continue
        row = table.setdefault(label, [None] * len(ids))
        row[p] = (row[p] or 0) + count
    rows = []
    for label in sorted(table, key=lambda v: parse_period(v)[0]):
        start, end, _unit = parse_period(label)
        share = periods_between(start, end, design.period)
        actual = table[label]
        kgi_actual = [actual[p] if kgi.unit == "count" else None for kgi, p in _kgi_plan(design, ids)]
        rows.append(_row(label, start, end, share, design, per_period, actual, kgi_actual))
    return rows[-PERIODS_KEPT:]


def _pace(result, design: Design, facts: ev.EventFacts) -> dict[str, Any] | None:
    day = result.as_of
    window = result.window
    if day is None or (window is not None and not window.start <= day <= window.end):
        return None  # (a cohort window before the as-of date: its pace would be another period's)
    start, end, label = period_of(day, design.period)
    elapsed = (day - start).days + 1
    days = (end - start).days + 1
    share = elapsed / days
    lo, hi = day_us(start), day_us(day + dt.timedelta(days=1))
    ids = [s.id for s in design.funnel_stages]
    left = working_days(day + dt.timedelta(days=1), end)
    amount = facts.deals.amount
    kgis = []
    for kgi, p in _kgi_plan(design, ids):
        here = (facts.reach_all[p] >= lo) & (facts.reach_all[p] < hi)
        if kgi.unit == "count":
            actual: float | None = float(here.sum())
        elif amount is not None:
            actual = float(np.nansum(amount[here]))
        else:
            actual = None
        if actual is None:
            continue
        projected = actual / share
        remaining = max(kgi.target - actual, 0.0)
        kgis.append({
            "id": kgi.id, "unit": kgi.unit, "target": kgi.target, "actual": actual, "projected": projected,
            "projected_attainment": projected / kgi.target if kgi.target else None,
            "remaining": remaining,
            "needed_per_working_day": remaining / left if left else None,
        })
    return {"period": label, "from": start.isoformat(), "to": end.isoformat(), "as_of": day.isoformat(),
            "elapsed_days": elapsed, "days": days, "elapsed_share": share, "working_days_left": left, "kgis": kgis}
