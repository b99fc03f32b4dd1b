"""The parts of a comparison beyond the per-stage rates: stage details from an event log, count-table
breakdowns, KGIs, forecast and cost (definitions in `compare` and `compare_events`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from journeymap.actuals.tables import normalise
from journeymap.actuals.types import TIME_UNIT, Actuals
from journeymap.compare import deals as ev
from journeymap.limits import GROUPS_KEPT
from journeymap.model import Design, Localized, TemperatureLevel, text_of
from journeymap.planning import Plan, owner_fixed_cost, stage_probabilities, stage_unit_costs

INTERVAL = 0.8
"""The forecast's range covers the middle 80 % of outcomes (10th to 90th percentile)."""
UNSET = None
"""The group value of deals without one (shown as '(未設定)' / '(none)')."""


def add_event_details(result, design: Design, actuals: Actuals, facts: ev.EventFacts, final: int, until: int | None) -> None:
    log, deals = actuals.events, facts.deals
    assert log is not None, "event details need an event log"
    funnel = design.funnel_stages
    k = len(funnel)
    as_of_end = until if until is not None else ev._FAR
    as_of_start = int(np.datetime64(result.as_of, "D").astype(f"datetime64[{TIME_UNIT}]").astype(np.int64)) if result.as_of else as_of_end
    open_at, lost_at = ev.open_by_stage(deals, k), ev.lost_by_stage(deals, k)
    paused_at = ev.paused_by_stage(deals, k)
    reasons = log.attributes.get("lost_reason")
    for i, (stage, row) in enumerate(zip(funnel, result.stages)):
        row.median_days, row.p90_days = facts.median_days[i], facts.p90_days[i]
        row.open, row.lost = open_at[i], lost_at[i]
        row.paused = paused_at[i] if paused_at is not None else 0
        if i < k - 1:
            count, codes = ev.stagnant(deals, i, stage.target_days, as_of_end)
            row.stagnant = count if stage.target_days is not None else None
            row.stagnant_deals = ev.deal_ids(log, codes)
            row.no_next_action, row.overdue_next_action = ev.next_actions(deals, i, as_of_start)
        if reasons is not None:
            row.drop_reasons = [_reason(design, name, n) for name, n in ev.drop_reasons(deals, i, reasons[1])]
        unit_cost = stage_unit_costs(design).get(stage.id)
        if unit_cost is not None:
            row.actual_cost = row.entered * unit_cost
    _records_filled(result, design, log, deals, until)
    in_funnel = deals.furthest >= 0
    result.deals = int(in_funnel.sum())
    result.deals_in_window = int(deals.counted.any(axis=0).sum()) if deals.counted.size else 0
    result.open_deals = int(deals.open.sum())
    result.lost_deals = int((deals.lost & in_funnel).sum())
    result.paused_deals = int((deals.paused & in_funnel).sum()) if deals.paused is not None else 0
    result.recovery = _recovery(design, log, deals, final)
    result.first_event = _iso(facts.first_event)
    result.last_event = _iso(facts.last_event)
    ids = [s.id for s in funnel]
    for role in ("owner", "channel", "segment", "temperature"):
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


def _records_filled(result, design: Design, log, deals: ev.Deals, until: int | None) -> None:
    """Per funnel stage, its key and required records that the export has a column for: of the deals
    that reached the stage, how many have a value in that column (on any of their rows up to the as-of date)."""
    if not log.records:
        return
    n = log.n_deals
    in_time = np.ones(len(log.ts), dtype=bool) if until is None else log.ts < until
    has: dict[str, np.ndarray] = {}
    for record_id, rows in log.records.items():
        filled = np.zeros(n, dtype=bool)
        filled[log.deal[rows & in_time]] = True
        has[record_id] = filled
    for i, (stage, row) in enumerate(zip(design.funnel_stages, result.stages)):
        found = []
        for record in stage.records:
            if record.id in has and (record.key or record.required):
                reached = deals.counted[i]
                found.append({"record": record.id, "name": record.name, "key": record.key, "required": record.required,
                              "column": log.record_columns.get(record.id), "deals": int(reached.sum()),
                              "filled": int((reached & has[record.id]).sum())})
        if found:
            row.records = found


def _reason(design: Design, name: str | None, count: int) -> dict[str, Any]:
    match = _drop_reason(design, name)
    return {"reason": name, "drop_reason": match.id if match else None, "count": count}


def _drop_reason(design: Design, name: str | None):
    if name is None:
        return None
    key = normalise(name)
    for reason in design.drop_reasons:
        texts = [reason.id, text_of(reason.name, "ja"), text_of(reason.name, "en"), *reason.crm_values, *reason.aliases]
        if key in {normalise(t) for t in texts if t}:
            return reason
    return None


def _recovery(design: Design, log, deals: ev.Deals, final: int) -> dict[str, Any] | None:
    """Deals that came back after a pause or a loss: a funnel event after their first mark.

    Per drop reason (the deal's lost reason, matched to the design) with the design's
    `recovery_stage`, and per stage they re-entered at; `won` = recovered deals that reached the
    final stage after their first mark."""
    if deals.marked_at is None:
        return None
    came_back = ev.recovered(deals)
    if came_back is None:
        return None
    back, reentry = came_back
    funnel = design.funnel_stages
    who = np.flatnonzero(back)  # (the recovered deals, usually few: every count below is among them)
    reentry = reentry[who]
    reach = deals.reach[final, who]
    won = (reach > deals.marked_at[who]) & (reach != ev._FAR)
    by_stage = []
    for i, stage in enumerate(funnel):
        here = reentry == i
        if here.any():
            by_stage.append({"stage": stage.id, "deals": int(here.sum()), "won": int((here & won).sum())})
    by_reason: list[dict[str, Any]] = []
    if "lost_reason" in deals.latest:
        names = log.attributes["lost_reason"][1]
        codes = deals.latest["lost_reason"][who]
        for code in sorted({int(c) for c in codes}):
            here = codes == code
            name = names[code] if code >= 0 else None
            match = _drop_reason(design, name)
            recovery_stage = match.recovery_stage if match else None
            at_designed = None
            if recovery_stage in [s.id for s in funnel]:
                at_designed = int((here & (reentry == [s.id for s in funnel].index(recovery_stage))).sum())
            by_reason.append({
                "reason": name, "drop_reason": match.id if match else None, "recovery_stage": recovery_stage,
                "deals": int(here.sum()), "won": int((here & won).sum()), "at_recovery_stage": at_designed,
            })
        by_reason.sort(key=lambda r: (-r["deals"], r["reason"] is None, r["reason"] or ""))
    marked = int((deals.marked_at != ev.NAT).sum())
    return {"marked": marked, "deals": len(who), "won": int(won.sum()), "by_reason": by_reason,
            "by_stage": by_stage}


def _iso(us: int | None) -> str | None:
    if us is None:
        return None
    return str(np.datetime64(us, TIME_UNIT).astype("datetime64[s]")).replace("T", " ")


def _groups(labels: list[str | None], arrays: dict[str, np.ndarray], revenue, ids: list[str], final: int,
            sort_by_deals: bool) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
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
    if len(rows) > GROUPS_KEPT:
        rest = rows[GROUPS_KEPT :]
        rows = rows[: GROUPS_KEPT]
        others = {"groups": len(rest), "deals": sum(r["deals"] for r in rest), "won": sum(r["won"] for r in rest)}
    return {"groups": rows, "others": others}


# --------------------------------------------------------------------------- stage-count tables


def add_count_details(result, design: Design, actuals: Actuals, position: np.ndarray, final: int) -> None:
    counts = actuals.counts
    assert counts is not None, "count details need a stage-count table"
    funnel = design.funnel_stages
    ids = [s.id for s in funnel]
    k = len(funnel)
    costs: list[float | None] = [None] * k
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


def add_kgis_and_cost(result, design: Design, actuals: Actuals, facts: ev.EventFacts | None, final: int,
                      planned: Plan | None) -> None:
    """KGI actual vs target (both for the window: target = target per period × scale), the
    forecast with its 80 % range, the temperature breakdown of the pipeline, and cost."""
    ids = [s.id for s in design.funnel_stages]
    rates = [s.rate for s in result.stages]
    reached = [s.reached for s in result.stages]
    deals = facts.deals if facts is not None else None
    scale = result.scale
    chosen = result.window is not None and result.window.chosen
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
        scalable = kgi.unit in ("count", "currency")
        target = kgi.target * scale if scalable else kgi.target
        result.kgis.append({
            "id": kgi.id, "name": kgi.name, "unit": kgi.unit, "stage": kgi.stage, "target": target,
            "target_per_period": kgi.target,
            "actual": actual, "attainment": actual / target if actual is not None and target else None,
            "forecast": forecast,
            # The forecast has no end date (open deals close whenever they close): it is set against the
            # target of the default window (the file so far) only, never against a chosen period's.
            "forecast_attainment": forecast / target if forecast is not None and target and not chosen else None,
        })
    if deals is not None:
        result.forecast = _forecast(design, deals, rates, reached, final)
        result.temperature = _temperature(design, actuals, deals, rates, final)
    result.cost = _cost(design, result, final, planned)


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
    """Wins expected: won + open deals × the observed rates ahead (`wins`, with its 80 % range), beside
    `planned_wins`: won + open deals × each stage's probability from the design (`planning.stage_probabilities`,
    the probability the CRM exports carry), None when an open deal sits at a stage without one."""
    k = len(rates)
    open_at = ev.open_by_stage(deals, k)
    by_stage: list[dict[str, Any]] = []
    expected = 0.0
    planned = stage_probabilities(design)  # the design's probability per stage: what the CRMs get
    planned_expected: float | None = 0.0
    for i in range(final):
        probability = ev.expected_from(rates, i, final)
        stage_id = design.funnel_stages[i].id
        by_stage.append({"stage": stage_id, "open": open_at[i], "probability": probability,
                         "expected": open_at[i] * probability, "planned_probability": planned.get(stage_id)})
        expected += open_at[i] * probability
        if planned_expected is not None and open_at[i]:
            planned_expected = None if stage_id not in planned else planned_expected + open_at[i] * planned[stage_id]
    revenue_kgi = next((g for g in design.kgis if g.unit == "currency" and g.stage == design.funnel_stages[final].id), None)
    revenue = won_revenue = None
    if deals.amount is not None:
        won_revenue = ev.revenue_reached(deals, final)
        revenue = _forecast_revenue(deals, rates, final, revenue_kgi.value_per_item if revenue_kgi else None)
    elif revenue_kgi is not None and revenue_kgi.value_per_item:
        revenue = (reached[final] + expected) * revenue_kgi.value_per_item
    known_low, known_high = wins_range([(open_at[i], ev.expected_from(rates, i, final)) for i in range(final)], INTERVAL)
    observed = [(reached[j], reached[j - 1]) if j and reached[j - 1] and reached[j] is not None else None
                for j in range(len(reached))]
    low, high = forecast_range(open_at, observed, final, INTERVAL)
    return {
        "stage": design.funnel_stages[final].id,
        "won": reached[final],
        "pipeline": sum(open_at[:final]),
        "expected_from_pipeline": expected,
        "wins": reached[final] + expected,
        "planned_wins": None if planned_expected is None else reached[final] + planned_expected,
        "low": reached[final] + low,
        "high": reached[final] + high,
        "interval": INTERVAL,
        "method": "beta-binomial simulation",
        "rate_uncertainty": True,
        "draws": DRAWS,
        "known_rates": {"low": reached[final] + known_low, "high": reached[final] + known_high},
        "paused": int(deals.paused.sum()) if deals.paused is not None else 0,
        "won_revenue": won_revenue,
        "revenue": revenue,
        "by_stage": by_stage,
    }


def _cost(design: Design, result, final: int, planned: Plan | None) -> dict[str, Any]:
    """Planned cost for the window (plan per period × scale) and actual cost, in total and per
    owner; CPA divides by the acquisition KGI's count. No cost at all is None ("—"), never 0."""
    scale = result.scale
    used = {s.owner for s in design.stages if s.owner}
    fixed = {o.id: float(owner_fixed_cost(design, o)) for o in design.owners if o.id in used and owner_fixed_cost(design, o)}
    from_column = result.shape == "counts" and "cost" in result.columns
    stage_costs = [s.actual_cost for s in result.stages if s.actual_cost is not None]
    fixed_total = sum(fixed.values()) * scale
    actual = (sum(stage_costs) + (0 if from_column else fixed_total)) if stage_costs or fixed else None
    planned_cost = planned.total_cost * scale if planned is not None and planned.total_cost is not None else None
    ids = [s.id for s in design.funnel_stages]
    cpa_stage = planned.cpa_stage if planned is not None else _acquisition_stage(design, ids, final)
    if result.added_won and cpa_stage == result.added_won["after"]:
        cpa_stage = result.added_won["stage"]  # the plan's wins are the deals won, not those at the KGI stage
    acquired = result.stages[ids.index(cpa_stage)].reached if cpa_stage in ids else None
    return {
        "planned": planned_cost,
        "planned_cpa": planned.cpa if planned is not None else None,
        "actual": actual,
        "actual_cpa": actual / acquired if actual is not None and acquired else None,
        "cpa_stage": cpa_stage,
        "acquisition_kgi": planned.acquisition_kgi if planned is not None else None,
        "basis": "cost column" if from_column else "unit costs",
        "by_owner": _cost_by_owner(design, result, planned, fixed, scale, from_column),
    }


def _acquisition_stage(design: Design, ids: list[str], final: int) -> str:
    chosen = next((k for k in design.kgis if k.id == design.acquisition_kgi), None)
    chosen = chosen or next((k for k in design.kgis if k.unit == "count" and k.stage in ids), None)
    return chosen.stage if chosen is not None and chosen.stage in ids else ids[final]


def _cost_by_owner(design: Design, result, planned, fixed: dict[str, float], scale: float,
                   from_column: bool) -> list[dict[str, Any]]:
    """Planned and actual cost per owner (agency, in-house …): their stages' costs plus their fixed cost."""
    owner_of = {s.id: s.owner for s in design.stages}
    rows = []
    for owner in design.owners:
        stages = [s for s in result.stages if owner_of.get(s.id) == owner.id]
        plan_stages = [s for s in planned.stages if s.owner == owner.id and s.cost is not None] if planned else []
        has_fixed = owner.id in fixed
        if not stages and not has_fixed:
            continue
        costed = [s.actual_cost for s in stages if s.actual_cost is not None]
        planned_cost = (sum(s.cost for s in plan_stages) + fixed.get(owner.id, 0.0)) * scale \
            if planned is not None and (plan_stages or has_fixed) else None
        actual = sum(costed) + (0.0 if from_column else fixed.get(owner.id, 0.0) * scale) \
            if costed or has_fixed else None
        rows.append({"owner": owner.id, "name": owner.name, "kind": owner.kind,
                     "engagement": getattr(owner, "engagement", None), "planned": planned_cost, "actual": actual})
    return rows


def _temperature(design: Design, actuals: Actuals, deals: ev.Deals, rates, final: int) -> list[dict[str, Any]] | None:
    """The open pipeline and its expected wins per level of the design's temperature scale
    (温度感・確度; `design.temperature_scale`: its own levels, else hot / warm / cold). A value of
    the file belongs to the level whose id, name (either language) or alias it spells; the rows
    follow the scale's order, values of no level come after it (most open deals first), deals
    without a value last."""
    if "temperature" not in deals.latest:
        return None
    assert actuals.events is not None
    names = actuals.events.attributes["temperature"][1]
    codes = deals.latest["temperature"]
    scale = design.temperature_scale
    level_of = temperature_levels(scale, names)
    funnel = design.funnel_stages
    probability = [ev.expected_from(rates, i, final) for i in range(final)]
    groups: list[tuple[int | None, list[int]]] = [(j, [c for c, lv in enumerate(level_of) if lv == j]) for j in range(len(scale))]
    groups += [(None, [c]) for c, lv in enumerate(level_of) if lv is None]
    groups.append((None, [-1]))
    level_rows: list[dict[str, Any]] = []
    other_rows: list[dict[str, Any]] = []
    for level, members in groups:
        member = np.isin(codes, members)
        here = deals.open & member
        if not here.any():
            continue
        by_stage = np.bincount(deals.furthest[here], minlength=len(funnel))
        values = [names[c] for c in members if c >= 0 and (here & (codes == c)).any()]
        (level_rows if level is not None else other_rows).append({
            "level": scale[level].id if level is not None else None,
            "name": scale[level].name if level is not None else None,
            "value": values[0] if values else None,
            "values": values,
            "open": int(here.sum()),
            "by_stage": {funnel[i].id: int(by_stage[i]) for i in range(len(funnel)) if by_stage[i]},
            "expected_wins": float(sum(by_stage[i] * probability[i] for i in range(final))),
            "paused": int((deals.paused & member).sum()) if deals.paused is not None else 0,
        })
    other_rows.sort(key=lambda r: (r["value"] is None, -r["open"], r["value"] or ""))
    return level_rows + other_rows


def temperature_levels(scale: list[TemperatureLevel], values: list[str]) -> list[int | None]:
    """For each value of a temperature column, the index of the scale's level it spells (its id,
    its name in either language or one of its aliases; compared as stage values are: width, case
    and spaces do not matter), or None."""
    spelled: dict[str, int] = {}
    for j, level in enumerate(scale):
        name = level.name
        texts = [name.ja, name.en] if isinstance(name, Localized) else [name]
        for text in [level.id, *texts, *level.aliases]:
            if text:
                spelled.setdefault(normalise(text), j)
    return [spelled.get(normalise(v)) for v in values]


DRAWS = 20_000
"""Draws of the forecast range's simulation (its 10th and 90th percentiles move by well under one win)."""


def forecast_range(open_at: list[int], observed: list[tuple[int, int] | None], final: int, interval: float,
                   draws: int = DRAWS) -> tuple[float, float]:
    """The central `interval` range of the wins still to come from the open deals, counting both
    sources of doubt: whether each open deal wins, and what the conversion rates really are.

    Each rate j (deals that reached stage j of those that reached the stage before: `observed[j]`
    = (x, n), None when n is 0) is uncertain with its Jeffreys posterior Beta(x + ½, n − x + ½): the
    fewer deals it was measured on, the wider. One draw takes every rate from its posterior, then
    the wins of the open deals at each stage i from a binomial with the product of the drawn rates
    from i to the final stage; the range is the percentiles of `draws` such draws (a fixed seed:
    the same on every run). A stage whose next rate is unknown adds nothing, as in the point
    forecast. Returns (low, high) wins from the pipeline."""
    if not any(open_at[:final]):
        return 0.0, 0.0
    rng = np.random.default_rng(0)
    chance = np.ones(draws)
    wins = np.zeros(draws, dtype=np.int64)
    for i in range(final - 1, -1, -1):
        rate = observed[i + 1]
        if rate is None:
            chance = np.zeros(draws)
        else:
            x, n = min(rate[0], rate[1]), rate[1]
            chance = chance * rng.beta(x + 0.5, n - x + 0.5, draws)
        if open_at[i]:
            wins += rng.binomial(open_at[i], chance)
    tail = (1 - interval) / 2
    low, high = np.quantile(wins, [tail, 1 - tail], method="inverted_cdf")
    return float(low), float(high)


def wins_range(groups: list[tuple[int, float]], interval: float) -> tuple[float, float]:
    """The central `interval` range of wins from open deals were the observed rates exactly right:
    each deal wins on its own with its stage's probability, (n deals at probability p) groups, so
    the count is a sum of binomials (a Poisson binomial). Exact up to 20,000 open deals, normal
    approximation above. (`forecast.known_rates`: the part of the range that chance alone makes.)"""
    groups = [(int(n), float(p)) for n, p in groups if n]
    tail = (1 - interval) / 2
    if not groups:
        return 0.0, 0.0
    total = sum(n for n, _ in groups)
    if total > 20_000:
        mean = sum(n * p for n, p in groups)
        sd = sum(n * p * (1 - p) for n, p in groups) ** 0.5
        z = 1.2815515655446004  # the 90th percentile of the standard normal
        return max(0.0, float(round(mean - z * sd))), float(round(mean + z * sd))
    pmf = np.ones(1)
    for n, p in groups:
        pmf = np.convolve(pmf, _binomial(n, p))
    cdf = np.cumsum(pmf)
    low = int(np.searchsorted(cdf, tail - 1e-12))
    high = int(np.searchsorted(cdf, 1 - tail - 1e-12))
    return float(low), float(min(high, total))


def _binomial(n: int, p: float) -> np.ndarray:
    """P(k wins of n) for k = 0 … n."""
    if p <= 0:
        out = np.zeros(n + 1)
        out[0] = 1.0
        return out
    if p >= 1:
        out = np.zeros(n + 1)
        out[n] = 1.0
        return out
    k = np.arange(n + 1)
    log_choose = np.concatenate([[0.0], np.cumsum(np.log(np.arange(n, 0, -1)) - np.log(np.arange(1, n + 1)))])
    return np.exp(log_choose + k * np.log(p) + (n - k) * np.log1p(-p))
