"""The parts of a comparison beyond the per-stage rates: stage details from an event log, count-table
breakdowns, KGIs, forecast and cost (definitions in `compare` and `compare_events`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from journeymap.actuals.tables import normalise
from journeymap.actuals.types import Actuals
from journeymap.compare import deals as ev
from journeymap.model import Design, text_of
from journeymap.planning import stage_unit_costs

UNSET = None
"""The group value of deals without one (shown as '(未設定)' / '(none)')."""


def add_event_details(result, design: Design, actuals: Actuals, facts: ev.EventFacts, final: int, until: int | None) -> None:
    log, deals = actuals.events, facts.deals
    funnel = design.funnel_stages
    k = len(funnel)
    as_of_end = until if until is not None else ev._FAR
    as_of_start = int(np.datetime64(result.as_of, "D").astype("datetime64[ns]").astype(np.int64)) if result.as_of else as_of_end
    open_at, lost_at = ev.open_by_stage(deals, k), ev.lost_by_stage(deals, k)
    reasons = log.attributes.get("lost_reason")
    for i, (stage, row) in enumerate(zip(funnel, result.stages)):
        row.median_days, row.p90_days = facts.median_days[i], facts.p90_days[i]
        row.open, row.lost = open_at[i], lost_at[i]
        if i < k - 1:
            count, codes, _ages = ev.stagnant(deals, i, stage.target_days, as_of_end)
            row.stagnant = count if stage.target_days is not None else None
            row.stagnant_deals = ev.deal_ids(log, codes)
            row.no_next_action, row.overdue_next_action = ev.next_actions(deals, i, as_of_start)
        if reasons is not None:
            row.drop_reasons = [_reason(design, name, n) for name, n in ev.drop_reasons(deals, i, reasons[1])]
        unit_cost = stage_unit_costs(design).get(stage.id)
        if unit_cost is not None:
            row.actual_cost = row.entered * unit_cost
    in_funnel = deals.furthest >= 0
    result.deals = int(in_funnel.sum())
    result.open_deals = int(deals.open.sum())
    result.lost_deals = int((deals.lost & in_funnel).sum())
    result.first_event = _iso(facts.first_event)
    result.last_event = _iso(facts.last_event)
    ids = [s.id for s in funnel]
    for role in ("owner", "channel", "segment"):
        if role in deals.latest:
            names = log.attributes[role][1]
            arrays = ev.grouped(deals, deals.latest[role], len(names), k)
            revenue = ev.revenue_by_group(deals, deals.latest[role], len(names), final)
            result.breakdowns[role] = _groups(names + [UNSET], arrays, revenue, ids, final, sort_by_deals=True)
    months, labels = ev.cohort_codes(deals)
    if labels:
        arrays = ev.grouped(deals, months, len(labels), k)
        revenue = ev.revenue_by_group(deals, months, len(labels), final)
        result.cohorts = _groups(labels + [UNSET], arrays, revenue, ids, final, sort_by_deals=False)["groups"]


def _reason(design: Design, name: str | None, count: int) -> dict[str, Any]:
    match = None
    if name is not None:
        key = normalise(name)
        for reason in design.drop_reasons:
            texts = [reason.id, text_of(reason.name, "ja"), text_of(reason.name, "en"), *reason.crm_values, *reason.aliases]
            if key in {normalise(t) for t in texts if t}:
                match = reason.id
                break
    return {"reason": name, "drop_reason": match, "count": count}


def _iso(ns: int | None) -> str | None:
    if ns is None:
        return None
    return str(np.datetime64(ns, "ns").astype("datetime64[s]")).replace("T", " ")


def _groups(labels: list[str | None], arrays: dict[str, np.ndarray], revenue, ids: list[str], final: int,
            sort_by_deals: bool) -> dict[str, Any]:
    rows = []
    for g, label in enumerate(labels):
        deals = int(arrays["deals"][g])
        if not deals:
            continue
        reached = [int(x) for x in arrays["reached"][g]]
        rows.append({
            "value": label,
            "deals": deals,
            "reached": dict(zip(ids, reached)),
            "rates": {ids[i]: (reached[i] / reached[i - 1] if reached[i - 1] else None) for i in range(1, len(ids))},
            "won": reached[final],
            "win_rate": reached[final] / deals,
            "open": int(arrays["open"][g]),
            "lost": int(arrays["lost"][g]),
            "revenue": None if revenue is None else float(revenue[g]),
        })
    if sort_by_deals:
        rows.sort(key=lambda r: (-r["deals"], r["value"] is None, str(r["value"] or "")))
    others = None
    if len(rows) > ev.MAX_GROUPS:
        rest = rows[ev.MAX_GROUPS :]
        rows = rows[: ev.MAX_GROUPS]
        others = {"groups": len(rest), "deals": sum(r["deals"] for r in rest), "won": sum(r["won"] for r in rest)}
    return {"groups": rows, "others": others}


# --------------------------------------------------------------------------- stage-count tables


def add_count_details(result, design: Design, actuals: Actuals, position: np.ndarray, final: int) -> None:
    counts = actuals.counts
    funnel = design.funnel_stages
    ids = [s.id for s in funnel]
    k = len(funnel)
    costs = [None] * k
    unit_costs = stage_unit_costs(design)
    for stage, cost in zip(counts.stage, counts.cost):
        p = int(position[stage])
        if p >= 0 and cost is not None:
            costs[p] = (costs[p] or 0.0) + cost
    for i, row in enumerate(result.stages):
        if costs[i] is not None:
            row.actual_cost = costs[i]
        elif unit_costs.get(funnel[i].id) is not None and row.entered is not None:
            row.actual_cost = row.entered * unit_costs[funnel[i].id]
    if "segment" in actuals.columns:
        result.breakdowns["segment"] = _count_groups(counts.segment, counts, position, ids, final)
    if "period" in actuals.columns:
        result.cohorts = _count_groups(counts.period, counts, position, ids, final)["groups"]


def _count_groups(keys: list, counts, position: np.ndarray, ids: list[str], final: int) -> dict[str, Any]:
    order: list = []
    table: dict = {}
    for key, stage, count in zip(keys, counts.stage, counts.count):
        p = int(position[stage])
        if p < 0:
            continue
        if key not in table:
            table[key] = [None] * len(ids)
            order.append(key)
        table[key][p] = (table[key][p] or 0) + count
    rows = []
    for key in sorted(order, key=lambda v: (v is None, str(v or ""))):
        reached = table[key]
        rows.append({
            "value": key,
            "deals": reached[0],
            "reached": dict(zip(ids, reached)),
            "rates": {ids[i]: (reached[i] / reached[i - 1] if reached[i] is not None and reached[i - 1] else None)
                      for i in range(1, len(ids))},
            "won": reached[final],
            "win_rate": reached[final] / reached[0] if reached[final] is not None and reached[0] else None,
            "open": None, "lost": None, "revenue": None,
        })
    return {"groups": rows, "others": None}


# --------------------------------------------------------------------------- KGIs, forecast, cost


def add_kgis_and_cost(result, design: Design, actuals: Actuals, facts: ev.EventFacts | None, final: int) -> None:
    ids = [s.id for s in design.funnel_stages]
    rates = [s.rate for s in result.stages]
    reached = [s.reached for s in result.stages]
    deals = facts.deals if facts is not None else None
    for kgi in design.kgis:
        p = ids.index(kgi.stage) if kgi.stage in ids else None
        actual = forecast = None
        if p is not None and kgi.unit == "count":
            actual = reached[p]
            if deals is not None:
                forecast = _forecast_count(deals, rates, reached, p)
        elif p is not None and kgi.unit == "currency" and deals is not None and deals.amount is not None:
            actual = ev.revenue_reached(deals, p)
            forecast = _forecast_revenue(deals, rates, p, kgi.value_per_item)
        result.kgis.append({
            "id": kgi.id, "name": kgi.name, "unit": kgi.unit, "stage": kgi.stage, "target": kgi.target,
            "actual": actual, "attainment": actual / kgi.target if actual is not None and kgi.target else None,
            "forecast": forecast,
            "forecast_attainment": forecast / kgi.target if forecast is not None and kgi.target else None,
        })
    if deals is not None:
        result.forecast = _forecast(design, deals, rates, reached, final)
    result.cost = _cost(design, result, final)


def _forecast_count(deals: ev.Deals, rates, reached, p: int) -> float:
    open_at = ev.open_by_stage(deals, len(rates))
    return reached[p] + sum(open_at[i] * ev.expected_from(rates, i, p) for i in range(p))


def _forecast_revenue(deals: ev.Deals, rates, p: int, value_per_item: float | None) -> float:
    won = ev.revenue_reached(deals, p) or 0.0
    totals, missing = ev.open_amounts(deals, len(rates))
    fallback = _fallback_amount(deals, p, value_per_item)
    return won + sum(ev.expected_from(rates, i, p) * (totals[i] + missing[i] * fallback) for i in range(p))


def _fallback_amount(deals: ev.Deals, p: int, value_per_item: float | None) -> float:
    if deals.amount is not None:
        won = (deals.furthest >= p) & ~np.isnan(deals.amount)
        if won.any():
            return float(deals.amount[won].mean())
    return float(value_per_item or 0.0)


def _forecast(design: Design, deals: ev.Deals, rates, reached, final: int) -> dict[str, Any]:
    k = len(rates)
    open_at = ev.open_by_stage(deals, k)
    by_stage = []
    for i in range(final):
        probability = ev.expected_from(rates, i, final)
        by_stage.append({"stage": design.funnel_stages[i].id, "open": open_at[i], "probability": probability,
                         "expected": open_at[i] * probability})
    expected = sum(row["expected"] for row in by_stage)
    revenue_kgi = next((g for g in design.kgis if g.unit == "currency" and g.stage == design.funnel_stages[final].id), None)
    revenue = won_revenue = None
    if deals.amount is not None:
        won_revenue = ev.revenue_reached(deals, final)
        revenue = _forecast_revenue(deals, rates, final, revenue_kgi.value_per_item if revenue_kgi else None)
    elif revenue_kgi is not None and revenue_kgi.value_per_item:
        revenue = (reached[final] + expected) * revenue_kgi.value_per_item
    return {
        "stage": design.funnel_stages[final].id,
        "won": reached[final],
        "pipeline": sum(open_at[:final]),
        "expected_from_pipeline": expected,
        "wins": reached[final] + expected,
        "won_revenue": won_revenue,
        "revenue": revenue,
        "by_stage": by_stage,
    }


def _cost(design: Design, result, final: int) -> dict[str, Any]:
    from journeymap.errors import InputError
    from journeymap.planning import design_fixed_cost, plan

    try:
        planned = plan(design)
        planned_cost, planned_cpa = planned.total_cost, planned.cpa
        fixed = planned.fixed_cost
    except InputError:
        planned_cost = planned_cpa = None
        fixed = design_fixed_cost(design)
    stage_costs = [s.actual_cost for s in result.stages if s.actual_cost is not None]
    from_column = result.shape == "counts" and "cost" in result.columns
    actual = (sum(stage_costs) + (0 if from_column else fixed)) if stage_costs or fixed else None
    wins = result.stages[final].reached
    return {
        "planned": planned_cost,
        "planned_cpa": planned_cpa,
        "actual": actual,
        "actual_cpa": actual / wins if actual is not None and wins else None,
        "basis": "cost column" if from_column else "unit costs",
    }
