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

import datetime as dt
from typing import Any

import numpy as np

from journeymap.actuals.types import TIME_UNIT, Actuals
from journeymap.compare import deals as ev
from journeymap.compare.details import add_count_details, add_event_details, add_kgis_and_cost
from journeymap.compare.types import Comparison, StageResult, status_of
from journeymap.errors import InputError, Issue
from journeymap.model import Design
from journeymap.planning import Plan, plan

# --------------------------------------------------------------------------- entry points


def compare(design: Design, actuals: Actuals, as_of: dt.date | dt.datetime | str | None = None) -> Comparison:
    """Compare `actuals` (from `read_actuals` against this design) with the design's plan."""
    check_comparable(design)
    funnel = design.funnel_stages
    the_plan = _plan_or_none(design)
    planned = [s.required for s in the_plan.stages] if the_plan else [None] * len(funnel)
    k = len(funnel)
    final = _final_position(design)
    as_of_date, until = _as_of(as_of)
    position = np.full(len(design.stages), -1, dtype=np.int64)
    index = {s.id: i for i, s in enumerate(design.stages)}
    for p, stage in enumerate(funnel):
        position[index[stage.id]] = p

    facts = None
    if actuals.shape == "events":
        facts = ev.event_facts(actuals.events, position, k, until)
        if as_of_date is None and facts.last_event is not None:
            as_of_date = _date_of(facts.last_event)
            until = _end_of(as_of_date)
        reached, entered = facts.reached, facts.entered
    else:
        reached, entered = _count_reached(actuals, position, k)
    stages = _stage_results(design, planned, reached, entered, final)
    result = Comparison(
        design_id=design.id, design_name=design.name, currency=design.currency, period=design.period,
        source=actuals.source, shape=actuals.shape, origin=actuals.origin, as_of=as_of_date, stages=stages,
        bottleneck=_bottleneck(stages, final), kgis=[], forecast=None, cost={}, breakdowns={}, cohorts=None,
        unmatched_stages=actuals.unmatched_stages, ignored_stages=actuals.ignored_stages,
        columns=dict(actuals.columns), final_stage=funnel[final].id,
    )
    if facts is not None:
        add_event_details(result, design, actuals, facts, final, until)
    else:
        add_count_details(result, design, actuals, position, final)
    add_kgis_and_cost(result, design, actuals, facts, final, the_plan)
    return result


def check_comparable(design: Design) -> None:
    """Refuse a design without funnel stages (the CLI asks before it reads a large export)."""
    if not design.funnel_stages:
        raise InputError(Issue("the design has no funnel stages to compare with: mark the countable stages "
                               "with 'funnel: true'", path=("phases",)))


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
        if len(text) <= 10:
            return dt.date(*(int(part) for part in text.split("-")))
        return dt.datetime.fromisoformat(text)
    except (ValueError, TypeError):
        raise InputError(f"--as-of: '{value}' is not a date (use YYYY-MM-DD)") from None


def _as_of(value) -> tuple[dt.date | None, int | None]:
    """(the as-of date, the end of that day in ns) — or (None, None) to take the latest event."""
    if value is None:
        return None, None
    if isinstance(value, str):
        value = parse_as_of(value)
    if isinstance(value, dt.datetime):
        return value.date(), int(np.datetime64(value.replace(tzinfo=None), TIME_UNIT).astype(np.int64))
    return value, _end_of(value)


def _end_of(day: dt.date) -> int:
    return int((np.datetime64(day, "D") + np.timedelta64(1, "D")).astype(f"datetime64[{TIME_UNIT}]").astype(np.int64))


def _date_of(time: int) -> dt.date:
    return np.datetime64(time, TIME_UNIT).astype("datetime64[D]").astype(dt.date)


def _count_reached(actuals: Actuals, position: np.ndarray, k: int) -> tuple[list[int | None], list[int | None]]:
    totals: list[int | None] = [None] * k
    for stage, count in zip(actuals.counts.stage, actuals.counts.count):
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
            s.impact = stages[final].reached * (s.target_rate / s.rate - 1)
        else:
            later = [t.rate if t.rate is not None else t.target_rate for t in stages[i + 1 : final + 1]]
            s.impact = None if None in later else stages[i - 1].reached * s.target_rate * float(np.prod(later or [1.0]))


def _bottleneck(stages: list[StageResult], final: int) -> dict[str, Any]:
    scored = [(s.impact, -i, s.id) for i, s in enumerate(stages) if s.impact is not None]
    if not scored:
        return {"stage": None, "added_final": None, "final_stage": stages[final].id}
    impact, _, stage_id = max(scored)
    if impact <= 0:
        return {"stage": None, "added_final": 0.0, "final_stage": stages[final].id}
    return {"stage": stage_id, "added_final": impact, "final_stage": stages[final].id}
