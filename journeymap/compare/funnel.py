"""Plan vs actual: per funnel stage conversion, gaps, bottleneck, stagnation and forecast.

`compare(design, actuals, as_of=None) -> Comparison`; `journeymap.report.json_output` writes it as
the `journeymap compare --format json` contract of DESIGN.md (extra keys allowed, null where a value does not
apply). Event-log arithmetic lives in `compare.deals` (definitions in its docstring).

Per funnel stage:
- **planned**: the plan's required count (`planning.plan`, one design period); null when the
  design cannot be planned. **attainment** = reached / planned.
- **rate** = reached / reached(previous funnel stage); **gap_pts** = (rate − target_rate) × 100.
- **status** compares rate with target_rate (the first stage, which has no rate, compares
  reached with planned): `on_track` at 95 % of target or better, `at_risk` from 80 % to 95 %,
  `off_track` below 80 %; null when there is nothing to compare with.
- **impact**: the extra count at the final stage had this stage's rate met its target (rates above
  target stay, every other rate stays as measured): reached(final) × (target_rate / rate − 1).
  When no deal got through the stage (rate 0), the later rates cannot be measured and count at
  their targets: reached(previous) × target_rate × Π later target rates. The **bottleneck** is
  the stage of largest impact (the earlier stage on a tie); null when every rate meets target.
- The **final stage** is the stage of the first KGI that is counted at a funnel stage (usually
  受注 / won), or the last funnel stage when the design has no KGI.

Across stages: KGI actual vs target (count = reached at its stage; currency = the summed amount
of the deals that reached it, from an amount column); a **forecast** of wins and revenue: the
deals already at the final stage plus every open deal before it times the product of the actual
rates between its stage and the final stage (an open deal without an amount counts at the mean
amount of the won deals, else at the KGI's value_per_item); cost (unit costs × entered, plus the
used owners' fixed costs, or the file's cost column); breakdowns by owner / channel / segment
and by monthly cohort when those columns exist.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np

from journeymap.actuals.types import TIME_UNIT, Actuals, StageCounts
from journeymap.compare import deals as ev
from journeymap.compare.details import add_count_details, add_event_details, add_kgis_and_cost
from journeymap.compare.outcomes import with_won_stage
from journeymap.compare.types import Comparison, StageResult, status_of
from journeymap.compare.window import BASES, Window, parse_day, parse_period, real_day
from journeymap.errors import InputError
from journeymap.model import Design, stage_outcome
from journeymap.planning import Plan, plan
from journeymap.text.problems import Verbatim, refuse

# --------------------------------------------------------------------------- entry points


def compare(
    design: Design,
    actuals: Actuals,
    as_of: dt.date | dt.datetime | str | None = None,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    period: str | None = None,
    basis: str | None = None,
) -> Comparison:
    """Compare `actuals` (from `read_actuals` against this design) with the design's plan, over
    the window `start` … `end` (or the calendar `period` 2026-10 / 2026-Q3 / 2026; default: the
    first event to the as-of date) on `basis` 'activity' (default) or 'cohort'."""
    check_comparable(design)
    basis = basis or "activity"
    if basis not in BASES:
        raise refuse("problem.basis", basis=basis, bases=Verbatim(" or ".join(BASES), "、".join(BASES)))
    the_plan = _plan_or_none(design)
    plan_per_period: list[int | None] = [s.required for s in the_plan.stages] if the_plan else [None] * len(design.funnel_stages)
    design, moved, added = with_won_stage(design, actuals)
    assert moved is not None
    actuals = moved
    funnel = design.funnel_stages
    if added is not None:  # the added 受注 is planned at what the design plans for its KGI stage
        at = [s.id for s in funnel].index(added.stage)
        plan_per_period.insert(at, plan_per_period[at - 1])
    k = len(funnel)
    final = _final_position(design)
    as_of_date, until = _as_of(as_of)
    chosen = _chosen_window(start, end, period)
    position = np.full(len(design.stages), -1, dtype=np.int64)
    index = {s.id: i for i, s in enumerate(design.stages)}
    for p, stage in enumerate(funnel):
        position[index[stage.id]] = p

    facts = None
    window: Window | None = None
    if actuals.shape == "events":
        log = actuals.events
        assert log is not None
        if as_of_date is None:
            last = int(log.ts.max()) if len(log.ts) else None
            if last is not None:
                as_of_date = _date_of(last)
                until = _end_of(as_of_date)
        window = _event_window(design, log, chosen, as_of_date, until, basis)
        if window is not None and basis == "activity" and window.end < (as_of_date or window.end):
            as_of_date, until = window.end, window.end_us
        span = (window.start_us, min(window.end_us, until or window.end_us)) if window is not None else None
        facts = ev.event_facts(_with_lost_outcomes(design, log), position, k, until, span, basis, _closed_from(design))
        reached: list[int | None] = list(facts.reached)
        entered: list[int | None] = list(facts.entered)
    else:
        actuals, window = _count_window(design, actuals, chosen, basis)
        reached, entered = _count_reached(actuals, position, k)
    scale = window.periods if window is not None else 1.0
    planned = [None if p is None else p * scale for p in plan_per_period]
    stages = _stage_results(design, planned, reached, entered, final)
    for row, per_period in zip(stages, plan_per_period):
        row.planned_per_period = per_period
    result = Comparison(
        design_id=design.id, design_name=design.name, currency=design.currency, period=design.period, counts=design.counts,
        source=actuals.source, shape=actuals.shape, origin=actuals.origin, as_of=as_of_date, stages=stages,
        bottleneck=_bottleneck(stages, final), kgis=[], forecast=None, cost={}, breakdowns={}, cohorts=None,
        unmatched_stages=actuals.unmatched_stages, ignored_stages=actuals.ignored_stages,
        columns=dict(actuals.columns), final_stage=funnel[final].id,
        window=window, scale=scale, added_won=added.to_json() if added else None,
    )
    if facts is not None:
        add_event_details(result, design, actuals, facts, final, until)
    else:
        add_count_details(result, design, actuals, position, final)
    add_kgis_and_cost(result, design, actuals, facts, final, the_plan)
    from journeymap.compare.periods import add_periods_and_pace

    add_periods_and_pace(result, design, actuals, facts, position, final)
    if facts is not None:
        from journeymap.compare.paths import add_transitions

        assert actuals.events is not None
        add_transitions(result, design, actuals.events, until, window, basis, facts)
    return result


def _chosen_window(start, end, period) -> tuple[dt.date | None, dt.date | None, str | None]:
    """(first day, last day, label) the user chose, each None when not given."""
    label = None
    if period is not None:
        if start is not None or end is not None:
            raise refuse("problem.period_with_dates")
        first, last, _unit = parse_period(period) if isinstance(period, str) else period
        return first, last, period if isinstance(period, str) else None
    first = parse_day(start, "--from") if isinstance(start, str) else start
    last = parse_day(end, "--to") if isinstance(end, str) else end
    if first is not None and last is not None and last < first:
        raise refuse("problem.to_before_from", last=last.isoformat(), first=first.isoformat())
    return first, last, label


def _event_window(design: Design, log, chosen, as_of_date, until, basis: str) -> Window | None:
    if not len(log.ts) or as_of_date is None:
        return None
    first, last, label = chosen
    start = first or _date_of(int(log.ts.min()))
    end = min(last, as_of_date) if last is not None else as_of_date
    if end < start:
        if first is not None:
            raise refuse("problem.window_after_as_of", start=start.isoformat(), as_of=as_of_date.isoformat())
        start = end
    is_chosen = first is not None or last is not None
    return Window(start, end, design.period, basis, label, is_chosen)


def _count_window(design: Design, actuals: Actuals, chosen, basis: str) -> tuple[Actuals, Window | None]:
    """A count table's window: the periods of its `period` column (rows outside a chosen window
    left out); without a period column it is taken as one period of the design."""
    first, last, label = chosen
    counts = actuals.counts
    assert counts is not None
    found = [_row_period(p) for p in counts.period]
    if any(s is None for s in found):
        if first is not None or last is not None:
            raise refuse("problem.counts_need_period", source=actuals.source)
        return actuals, None
    spans = [s for s in found if s is not None]
    keep = [i for i, (a, b) in enumerate(spans) if (first is None or b >= first) and (last is None or a <= last)]
    if not keep:
        raise refuse("problem.no_row_in_window", source=actuals.source)
    if len(keep) < len(spans):
        import dataclasses

        picked = StageCounts(*[[getattr(counts, f.name)[i] for i in keep] for f in dataclasses.fields(counts)])
        actuals = dataclasses.replace(actuals, counts=picked)
    start = min(spans[i][0] for i in keep)
    end = max(spans[i][1] for i in keep)
    return actuals, Window(start, end, design.period, basis, label, first is not None or last is not None)


def _row_period(value: str | None) -> tuple[dt.date, dt.date] | None:
    if value is None:
        return None
    try:
        first, last, _unit = parse_period(value)
    except InputError:
        return None
    return first, last


def check_comparable(design: Design) -> None:
    """Refuse a design without funnel stages (the CLI asks before it reads a large export)."""
    if not design.funnel_stages:
        raise refuse("problem.no_funnel_compare", path=("phases",))


def _plan_or_none(design: Design) -> Plan | None:
    """The design's plan, computed once per comparison; None when the design cannot be planned."""
    try:
        return plan(design)
    except InputError:
        return None


def _final_position(design: Design) -> int:
    funnel_ids = [s.id for s in design.funnel_stages]
    for kgi in design.kgis:
        if kgi.stage in funnel_ids:
            return funnel_ids.index(kgi.stage)
    return len(funnel_ids) - 1


def parse_as_of(value: str) -> dt.date | dt.datetime:
    """A --as-of value: YYYY-MM-DD (or with '/'), or an ISO date and time; raise InputError."""
    text = value.strip().replace("/", "-")
    try:
        day = dt.date(*(int(part) for part in text.split("-"))) if len(text) <= 10 else dt.datetime.fromisoformat(text)
    except (ValueError, TypeError):
        raise refuse("problem.not_a_day", option="--as-of", value=value) from None
    real_day(day if not isinstance(day, dt.datetime) else day.date(), "--as-of")
    return day


def _as_of(value) -> tuple[dt.date | None, int | None]:
    """(the as-of date, the end of that day in microseconds) — or (None, None) to take the latest event."""
    if value is None:
        return None, None
    if isinstance(value, str):
        value = parse_as_of(value)
    real_day(value.date() if isinstance(value, dt.datetime) else value, "as of")
    if isinstance(value, dt.datetime):
        return value.date(), int(np.datetime64(value.replace(tzinfo=None), TIME_UNIT).astype(np.int64))
    return value, _end_of(value)


def _end_of(day: dt.date) -> int:
    return int((np.datetime64(day, "D") + np.timedelta64(1, "D")).astype(f"datetime64[{TIME_UNIT}]").astype(np.int64))


def _date_of(time: int) -> dt.date:
    return np.datetime64(time, TIME_UNIT).astype("datetime64[D]").astype(dt.date)


def _count_reached(actuals: Actuals, position: np.ndarray, k: int) -> tuple[list[int | None], list[int | None]]:
    totals: list[int | None] = [None] * k
    counts = actuals.counts
    assert counts is not None, "a stage-count comparison needs a stage-count table"
    for stage, count in zip(counts.stage, counts.count):
        p = int(position[stage])
        if p >= 0:
            totals[p] = (totals[p] or 0) + count
    return totals, list(totals)


def _stage_results(design: Design, planned, reached, entered, final: int) -> list[StageResult]:
    out = []
    for i, stage in enumerate(design.funnel_stages):
        rate = None
        if i > 0 and reached[i] is not None and reached[i - 1]:
            rate = reached[i] / reached[i - 1]
        target = stage.target_rate if i > 0 else None
        gap = (rate - target) * 100 if rate is not None and target is not None else None
        attainment = reached[i] / planned[i] if planned[i] and reached[i] is not None else None
        out.append(StageResult(
            id=stage.id, name=stage.name, planned=planned[i], reached=reached[i], entered=entered[i], rate=rate,
            target_rate=target, gap_pts=gap, attainment=attainment, status=status_of(rate, target, attainment, i),
            target_days=stage.target_days,
        ))
    _impacts(out, final)
    return out


def _impacts(stages: list[StageResult], final: int) -> None:
    for i, s in enumerate(stages):
        if i == 0 or i > final or s.target_rate is None or s.rate is None:
            continue
        if s.rate >= s.target_rate:
            s.impact = 0.0
        elif s.rate > 0:
            won = stages[final].reached
            s.impact = None if won is None else won * (s.target_rate / s.rate - 1)
        else:
            later = [t.rate if t.rate is not None else t.target_rate for t in stages[i + 1 : final + 1]]
            before = stages[i - 1].reached
            known = [r for r in later if r is not None]
            s.impact = (None if len(known) < len(later) or before is None
                        else before * s.target_rate * float(np.prod(known or [1.0])))


def _bottleneck(stages: list[StageResult], final: int) -> dict[str, Any]:
    scored = [(s.impact, -i, s.id) for i, s in enumerate(stages) if s.impact is not None]
    if not scored:
        return {"stage": None, "added_final": None, "final_stage": stages[final].id}
    impact, _, stage_id = max(scored)
    if impact <= 0:
        return {"stage": None, "added_final": 0.0, "final_stage": stages[final].id}
    return {"stage": stage_id, "added_final": impact, "final_stage": stages[final].id}


def _closed_from(design: Design) -> int | None:
    """Reaching an outcome stage closes a deal: the funnel position of the first won outcome stage
    (None: the design names no won stage, and the last funnel stage closes as before)."""
    return next((p for p, s in enumerate(design.funnel_stages) if stage_outcome(s) == "won"), None)


def _with_lost_outcomes(design: Design, log):
    """Events at a lost outcome stage (outcome: lost) mark their deal lost, as a 失注 value does."""
    lost_at = [i for i, s in enumerate(design.stages) if stage_outcome(s) == "lost"]
    if not lost_at:
        return log
    return dataclasses.replace(log, lost=log.lost | np.isin(log.stage, lost_at))
