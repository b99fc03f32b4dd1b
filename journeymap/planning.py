"""The plan: a reverse funnel from the KGIs, with its cost and CPA.

Each KGI gives a required count at its funnel stage — its `target`, or `target / value_per_item`
for a currency KGI — and that count, divided by each planned rate walking upstream, gives what
every earlier funnel stage must produce:

    required(previous) = required(stage) / target_rate(stage)

Rules this module settles (and the README repeats):

- **Several KGIs**: every KGI gives its own requirement; a stage's `required` is the largest of
  them (the binding one). The KGI that sets the top of the funnel is marked `binding` (the first
  in design order among equals).
- **Stages after the last KGI stage** (onboarding, upsell …) are projected forward from the
  requirement before them at their planned rates (`basis: "projected"`); a missing rate there
  ends the projection and leaves the later stages unplanned (`required: null`).
- **Rounding**: deals, calls and meetings are whole, so `required` is the exact requirement
  rounded up (`required_exact` keeps the fraction). Each stage is rounded on its own from the
  exact value, not from the rounded stage below (that would compound the rounding upwards).
- **Cost** = Σ required(stage) × unit_cost(stage) over the funnel stages with a unit cost, plus
  the fixed costs of the owners the design's stages use (an owner no stage refers to costs
  nothing). When no stage has a unit cost and no owner a fixed cost there is no cost: the cost
  and CPA are None ("—"), never 0.
- **CPA** = cost / the required count of the design's acquisition KGI (`acquisition_kgi`, default
  its first count KGI: new customers, not repeat purchases; a design with no count KGI, its first
  KGI: `default_acquisition_kgi`); `cpa_by_kgi` gives cost / required
  for every planned KGI, for designs where more than one applies.
- **Owner pricing** (seed 004): a per-item price (`per_call`, `per_appointment`, `per_meeting`,
  `per_win`) adds its amount to the unit cost of one funnel stage: the price's `stage`, else for
  `per_call` the first funnel stage the owner works, for `per_appointment` and `per_meeting` the
  last one it works, for `per_win` the deepest KGI stage. A `retainer` or `setup` amount covers
  its `period` (default: the design's period) and is scaled to the design's period
  (¥300,000 a quarter is ¥100,000 a month). Cost is also given per owner (`owners`); a stage's own
  `unit_cost` counts for the stage's owner.
- A rate that is missing or zero between the top of the funnel and a KGI stage makes the plan
  impossible: `InputError` names the stage and the KGI (and the path of its `target_rate`, which the
  CLI turns into a line number). `plan(..., partial=True)` (the app) plans what it can instead: the
  stages from that rate down, with the stages before it unplanned and the issue in `Plan.unplanned`.
- Each stage says which KGI its requirement comes from (`PlanStage.kgi`), for designs whose KGIs
  disagree (受注件数 0 with 受注金額 ¥3,000,000 still plans the deals the amount needs).

Pure: `plan(design, targets=..., rates=...)` for the what-if sliders of the app; `Plan.to_json()`
is the `journeymap plan --format json` contract.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from journeymap.errors import InputError, Issue
from journeymap.model import (
    MAX_AMOUNT,
    PER_ITEM_MODELS,
    PERIOD_MODELS,
    Design,
    Text,
    deal_pipeline,
    stage_outcome,
    text_of,
)
from journeymap.text.catalogue import text
from journeymap.text.format import DASH
from journeymap.text.problems import Verbatim, problem, refuse

PLANNABLE_UNITS = ("count", "currency")


@dataclass(frozen=True)
class PlanStage:
    """One funnel stage of the plan."""

    id: str
    name: Text
    owner: str | None
    rate: float | None
    """The planned conversion from the previous funnel stage (after what-if overrides)."""
    required_exact: float | None
    required: int | None
    """Items needed at this stage, rounded up to a whole number; None when unplanned."""
    unit_cost: float | None
    cost: float | None
    """required × unit_cost; None when the stage has no unit cost or no requirement."""
    basis: str | None
    """'kgi' (a KGI is counted here), 'upstream' (walked back from a KGI), 'projected' or None."""
    kgi: str | None = None
    """The KGI whose requirement this stage's `required` is (the largest; the first in design order
    among equals; for a projected stage, the one of the stage it is projected from); None when unplanned."""


@dataclass(frozen=True)
class PlanKGI:
    """What one KGI asks of the funnel on its own."""

    id: str
    name: Text
    unit: str
    target: float
    stage: str
    value_per_item: float | None
    planned: bool
    """False for KGIs that are not counts or currency (rates, days, scores): they set no requirement."""
    required_exact: float | None = None
    required: int | None = None
    top_required: int | None = None
    """What this KGI alone needs at the first funnel stage."""
    cost: float | None = None
    """The plan's cost if this KGI alone set it (its chain of stages plus the fixed costs)."""
    cpa: float | None = None
    binding: bool = False


@dataclass(frozen=True)
class FixedCost:
    owner: str
    name: Text
    cost: float


@dataclass(frozen=True)
class OwnerCost:
    """What one owner costs in the plan's period."""

    id: str | None
    """None for the stages without an owner."""
    name: Text | None
    variable_cost: float
    """Items at funnel stages × the owner's per-item prices (and its stages' unit costs)."""
    fixed_cost: float
    """fixed_cost, retainers and set-up fees, per the design's period."""
    cost: float


@dataclass(frozen=True)
class ItemPrice:
    """A per-item amount that lands on a funnel stage, and who is paid it."""

    stage: str
    owner: str | None
    amount: float
    model: str
    """'unit_cost' for a stage's own unit cost, else the owner's pricing model."""


@dataclass(frozen=True)
class Plan:
    design_id: str
    currency: str
    period: str
    stages: tuple[PlanStage, ...]
    kgis: tuple[PlanKGI, ...]
    fixed_costs: tuple[FixedCost, ...]
    owners: tuple[OwnerCost, ...]
    variable_cost: float | None
    """None when no funnel stage has a unit cost."""
    fixed_cost: float
    total_cost: float | None
    """None when the design has no costs at all (no unit cost, no fixed cost)."""
    cpa: float | None
    cpa_stage: str | None
    """The stage whose required count CPA divides by (the acquisition KGI's stage)."""
    acquisition_kgi: str | None = None
    cpa_by_kgi: tuple[tuple[str, str, int | None, float | None], ...] = ()
    """(KGI id, its stage, its required count, cost / required) for every planned KGI."""
    targets: dict[str, float] = field(default_factory=dict)
    rates: dict[str, float] = field(default_factory=dict)
    unplanned: tuple[Issue, ...] = ()
    """With `plan(..., partial=True)`: the missing or zero rates that leave the stages before them
    unplanned (empty for a whole plan)."""

    def stage(self, stage_id: str) -> PlanStage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def required_by_stage(self) -> dict[str, int | None]:
        return {s.id: s.required for s in self.stages}

    def to_json(self, lang: str = "ja") -> dict[str, Any]:
        """The `journeymap plan --format json` document."""
        return {
            "design": self.design_id,
            "currency": self.currency,
            "period": self.period,
            "stages": [
                {
                    "id": s.id,
                    "name": text_of(s.name, lang),
                    "owner": s.owner,
                    "rate": s.rate,
                    "required": s.required,
                    "required_exact": _round(s.required_exact, 6),
                    "unit_cost": s.unit_cost,
                    "cost": s.cost,
                    "basis": s.basis,
                }
                for s in self.stages
            ],
            "fixed_costs": [{"owner": f.owner, "name": text_of(f.name, lang), "cost": f.cost} for f in self.fixed_costs],
            "owners": [
                {
                    "id": o.id,
                    "name": text_of(o.name, lang) if o.name is not None else None,
                    "variable_cost": o.variable_cost,
                    "fixed_cost": o.fixed_cost,
                    "cost": o.cost,
                }
                for o in self.owners
            ],
            "variable_cost": self.variable_cost,
            "fixed_cost": self.fixed_cost,
            "total_cost": self.total_cost,
            "cpa": self.cpa,
            "cpa_stage": self.cpa_stage,
            "acquisition_kgi": self.acquisition_kgi,
            "cpa_by_kgi": [
                {"kgi": kgi_id, "stage": stage, "required": required, "cpa": cpa}
                for kgi_id, stage, required, cpa in self.cpa_by_kgi
            ],
            "kgis": [
                {
                    "id": k.id,
                    "name": text_of(k.name, lang),
                    "unit": k.unit,
                    "target": k.target,
                    "stage": k.stage,
                    "value_per_item": k.value_per_item,
                    "planned": k.planned,
                    "required": k.required,
                    "required_exact": _round(k.required_exact, 6),
                    "top_required": k.top_required,
                    "cost": k.cost,
                    "cpa": _round(k.cpa, 2),
                    "binding": k.binding,
                }
                for k in self.kgis
            ],
        }


# --------------------------------------------------------------------------- planning


def plan(
    design: Design,
    targets: dict[str, float] | None = None,
    rates: dict[str, float] | None = None,
    partial: bool = False,
) -> Plan:
    """The reverse-funnel plan of `design`; `targets` (KGI id → target) and `rates` (funnel
    stage id → planned rate) override the design's values for a what-if. Raise InputError when
    the design cannot be planned.

    With `partial`, a missing or zero rate between the top of the funnel and a KGI stage does not
    refuse the plan (a workshop asks "what if nobody converts here?"): the stages from that rate's
    stage down to the KGI are planned, the stages before it are unplanned (`required` None: the
    requirement would be infinite), and `Plan.unplanned` holds the issues naming those rates. A cost
    that an unplanned stage would take part in is None, and so is the CPA that divides it."""
    funnel = design.funnel_stages
    if not funnel:
        raise refuse("problem.no_funnel", path=("phases",))
    targets = _checked_targets(design, targets or {})
    planned_rates = _planned_rates(design, rates or {})
    kgi_chains, unplanned = _kgi_chains(design, targets, planned_rates, frozenset(rates or {}), partial)
    if not kgi_chains:
        raise InputError(_no_kgi(design))

    index = {s.id: i for i, s in enumerate(funnel)}
    deepest = max(index[kgi.stage] for kgi, _ in kgi_chains)
    exact: list[float | None] = [None] * len(funnel)
    driver: list[str | None] = [None] * len(funnel)
    blocked = [False] * len(funnel)
    basis: list[str | None] = [None] * len(funnel)
    for kgi, chain in kgi_chains:
        for i, value in enumerate(chain):
            current = exact[i]
            if value is None:
                blocked[i] = True
            elif current is None or value > current:
                exact[i], driver[i] = value, kgi.id
        basis[index[kgi.stage]] = "kgi"
    for i in range(len(funnel)):
        if blocked[i]:  # a KGI needs infinitely many here: the stage is unplanned
            exact[i], driver[i], basis[i] = None, None, None
        elif i < deepest:
            basis[i] = basis[i] or "upstream"
    for i in range(deepest + 1, len(funnel)):
        rate = planned_rates[funnel[i].id]
        previous = exact[i - 1]
        if rate is None or previous is None:
            break
        exact[i], driver[i] = previous * rate, driver[i - 1]
        basis[i] = "projected"

    prices = item_prices(design)
    unit_costs = _unit_costs(funnel, prices)
    stages = tuple(
        _plan_stage(stage, planned_rates[stage.id], exact[i], basis[i], unit_costs[stage.id], first=i == 0, kgi=driver[i])
        for i, stage in enumerate(funnel)
    )
    fixed = _fixed_costs(design)
    costed = [s.cost for s in stages if s.cost is not None]
    # an unplanned stage with a price would cost without bound: no total then, not a smaller one
    uncosted = any(blocked[i] and unit_costs[stage.id] is not None for i, stage in enumerate(funnel))
    variable_cost = sum(costed) if costed and not uncosted else None
    fixed_cost = sum(f.cost for f in fixed)
    total = None if uncosted else (variable_cost or 0) + fixed_cost if costed or fixed else None
    binding_id = _binding_kgi(kgi_chains)
    planned_kgis = tuple(
        _plan_kgi(kgi, targets[kgi.id], chain, funnel, unit_costs, fixed_cost, binding_id) for kgi, chain in kgi_chains
    )
    acquisition = _acquisition_kgi(design, planned_kgis)
    cpa_stage = acquisition.stage
    wins = acquisition.required
    cpa_by_kgi = tuple(
        (k.id, k.stage, k.required, total / k.required if total is not None and k.required else None)
        for k in planned_kgis
    )
    kgis = _with_unplanned(design, targets, planned_kgis)
    return Plan(
        design_id=design.id,
        currency=design.currency,
        period=design.period,
        stages=stages,
        kgis=kgis,
        fixed_costs=tuple(fixed),
        owners=_owner_costs(design, stages, prices),
        variable_cost=None if variable_cost is None else _clean(variable_cost),
        fixed_cost=_clean(fixed_cost),
        total_cost=None if total is None else _clean(total),
        cpa=total / wins if total is not None and wins else None,
        cpa_stage=cpa_stage,
        acquisition_kgi=acquisition.id,
        cpa_by_kgi=cpa_by_kgi,
        targets=dict(targets),
        rates={k: v for k, v in planned_rates.items() if v is not None},
        unplanned=tuple(unplanned),
    )


def whole(value: float) -> int:
    """Round a requirement up to a whole item, ignoring float noise (40 / 0.04 is 1000, not 1001)."""
    return math.ceil(round(value, 9))


def _checked_targets(design: Design, targets: dict[str, float]) -> dict[str, float]:
    known = {k.id: k for k in design.kgis}
    issues = []
    for kgi_id, value in targets.items():
        if kgi_id not in known:
            listed = ", ".join(known)
            issues.append(problem("problem.unknown_kgi", kgi=kgi_id, listed=Verbatim(listed or "none", listed or DASH)))
        elif (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0
              or value > MAX_AMOUNT):
            issues.append(problem("problem.kgi_target_range", kgi=kgi_id, limit=MAX_AMOUNT, value=repr(value)))
    if issues:
        raise InputError(issues)
    chosen: dict[str, float] = {}
    for k in design.kgis:
        given = targets.get(k.id)
        chosen[k.id] = float(k.target) if given is None else float(given)
    return chosen


def _planned_rates(design: Design, overrides: dict[str, float]) -> dict[str, float | None]:
    funnel_ids = [s.id for s in design.funnel_stages]
    issues = []
    for stage_id, value in overrides.items():
        if stage_id not in funnel_ids:
            issues.append(problem("problem.unknown_funnel_stage", stage=stage_id, stages=", ".join(funnel_ids)))
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            issues.append(problem("problem.stage_rate_between", stage=stage_id, value=repr(value)))
    if issues:
        raise InputError(issues)
    return {s.id: overrides.get(s.id, s.target_rate) for s in design.funnel_stages}


def _kgi_chains(design: Design, targets: dict[str, float], rates: dict[str, float | None],
                what_if: frozenset[str] = frozenset(), partial: bool = False
                ) -> tuple[list[tuple[Any, list[float | None]]], list[Issue]]:
    """For each plannable KGI: the exact requirement at every funnel stage from the top to its stage;
    with `partial`, a missing or zero rate leaves None before its stage, and its issue is returned."""
    funnel = design.funnel_stages
    index = {s.id: i for i, s in enumerate(funnel)}
    chains: list[tuple[Any, list[float | None]]] = []
    issues: list[Issue] = []
    unplanned: list[Issue] = []
    for ki, kgi in enumerate(design.kgis):
        if kgi.unit not in PLANNABLE_UNITS or kgi.stage not in index:
            continue
        target = targets[kgi.id]
        if kgi.unit == "currency":
            if not kgi.value_per_item:
                issues.append(problem("problem.value_per_item_needed", kgi=kgi.id, name=text_of(kgi.name),
                                      path=("kgis", ki, "value_per_item" if kgi.value_per_item is not None else "unit")))
                continue
            count = target / kgi.value_per_item
            if count > MAX_AMOUNT:
                issues.append(problem("problem.too_many_items", kgi=kgi.id, name=text_of(kgi.name), count=f"{count:.3g}",
                                      limit=MAX_AMOUNT, path=("kgis", ki, "value_per_item")))
                continue
        else:
            count = target
        k = index[kgi.stage]
        chain: list[float | None] = [None] * (k + 1)
        chain[k] = float(count)
        for j in range(k, 0, -1):
            rate = rates[funnel[j].id]
            if not rate:
                (unplanned if partial else issues).append(_missing_rate(design, funnel[j].id, kgi, rate))
                if partial:
                    chains.append((kgi, chain))
                break
            below = chain[j]
            assert below is not None
            value = below / rate
            chain[j - 1] = value
            if not value <= MAX_AMOUNT:  # (also catches infinity)
                issues.append(_too_many(design, funnel[j - 1].id, funnel[j].id, rate, kgi.id, funnel[j].id in what_if))
                break
        else:
            chains.append((kgi, chain))
    if issues:
        raise InputError(_unique(issues))
    return chains, _unique(unplanned)


def _too_many(design: Design, stage_id: str, rate_stage_id: str, rate: float, kgi_id: str, what_if: bool) -> Issue:
    for pi, si, _phase, stage in design.iter_stages():
        if stage.id == rate_stage_id:
            return problem("problem.plan_too_large_what_if" if what_if else "problem.plan_too_large", kgi=kgi_id,
                           limit=MAX_AMOUNT, stage=stage_id, rate_stage=rate_stage_id, name=text_of(stage.name),
                           rate=f"{rate:.3g}", path=() if what_if else ("phases", pi, "stages", si, "target_rate"))
    raise KeyError(rate_stage_id)


def _missing_rate(design: Design, stage_id: str, kgi, rate: float | None) -> Issue:
    for pi, si, _phase, stage in design.iter_stages():
        if stage.id == stage_id:
            return problem("problem.rate_missing" if rate is None else "problem.rate_zero", stage=stage_id,
                           name=text_of(stage.name), kgi=kgi.id, kgi_name=text_of(kgi.name),
                           path=("phases", pi, "stages", si, "target_rate"))
    raise KeyError(stage_id)


def _unique(issues: list[Issue]) -> list[Issue]:
    seen, out = set(), []
    for issue in issues:
        key = (issue.path, issue.message.split(": the plan for")[0])
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out


def _no_kgi(design: Design) -> Issue:
    if not design.kgis:
        return problem("problem.no_kgi", path=("kgis",))
    units = sorted({k.unit for k in design.kgis})
    return problem("problem.no_plannable_kgi", path=("kgis",),
                   units=Verbatim(", ".join(units), "、".join(text(f"unit.{u}", "ja") for u in units)))


def _plan_stage(
    stage, rate: float | None, exact: float | None, basis: str | None, unit_cost: float | None, first: bool,
    kgi: str | None = None,
) -> PlanStage:
    required = whole(exact) if exact is not None else None
    cost = None
    if required is not None and unit_cost is not None:
        cost = _clean(required * unit_cost)
    return PlanStage(
        id=stage.id,
        name=stage.name,
        owner=stage.owner,
        rate=None if first else rate,
        required_exact=exact,
        required=required,
        unit_cost=unit_cost,
        cost=cost,
        basis=basis,
        kgi=kgi,
    )


PER_YEAR = {"week": 52, "month": 12, "quarter": 4, "year": 1}


def period_amount(amount: float, covers: str | None, period: str) -> float:
    """An amount that covers `covers` (default: `period`), per `period`: 300,000 a quarter is 100,000 a month."""
    return _clean(amount * PER_YEAR[covers or period] / PER_YEAR[period])


def _used_owners(design: Design) -> set[str]:
    return {stage.owner for stage in design.stages if stage.owner}


def owner_fixed_cost(design: Design, owner) -> float:
    """An owner's fixed cost, retainers and set-up fees per the design's period."""
    total = owner.fixed_cost
    for price in owner.pricing:
        if price.model in PERIOD_MODELS:
            total += period_amount(price.amount, price.period, design.period)
    return _clean(total)


def _fixed_costs(design: Design) -> list[FixedCost]:
    """Fixed costs of the owners the design's stages use, in the design's owner order."""
    used = _used_owners(design)
    out = []
    for owner in design.owners:
        cost = owner_fixed_cost(design, owner) if owner.id in used else 0
        if cost:
            out.append(FixedCost(owner.id, owner.name, cost))
    return out


def design_fixed_cost(design: Design) -> float:
    """The fixed cost per period of the owners the design's stages use."""
    return _clean(sum(f.cost for f in _fixed_costs(design)))


def item_prices(design: Design) -> list[ItemPrice]:
    """Every per-item amount with the funnel stage it lands on (stages' unit costs first);
    InputError when a price's stage cannot be told."""
    prices, issues = _resolve_prices(design)
    if issues:
        raise InputError(issues)
    return prices


def _resolve_prices(design: Design) -> tuple[list[ItemPrice], list[Issue]]:
    out = [ItemPrice(s.id, s.owner, float(s.unit_cost), "unit_cost") for s in design.funnel_stages if s.unit_cost is not None]
    used = _used_owners(design)
    issues = []
    for oi, owner in enumerate(design.owners):
        if owner.id not in used:
            continue
        for pi, price in enumerate(owner.pricing):
            if price.model not in PER_ITEM_MODELS:
                continue
            stage = price.stage or _default_price_stage(design, owner.id, price.model)
            if stage is None:
                issues.append(problem("problem.price_stage_unknown", owner=owner.id, model=price.model,
                                      path=("owners", oi, "pricing", pi, "stage")))
                continue
            out.append(ItemPrice(stage, owner.id, price.amount, price.model))
    return out, issues


def _default_price_stage(design: Design, owner_id: str, model: str) -> str | None:
    if model == "per_win":
        counted = [k.stage for k in design.kgis if k.unit in PLANNABLE_UNITS]
        order = [s.id for s in design.funnel_stages]
        counted = [s for s in counted if s in order]
        return max(counted, key=order.index) if counted else (order[-1] if order else None)
    worked = [s.id for s in design.funnel_stages if s.owner == owner_id]
    if not worked:
        return None
    return worked[0] if model == "per_call" else worked[-1]


def stage_unit_costs(design: Design) -> dict[str, float | None]:
    """Each funnel stage's cost per item: its unit cost plus the owners' per-item prices landing
    there (None: nothing is paid per item there). A price whose stage cannot be told is left out."""
    prices, _issues = _resolve_prices(design)
    return _unit_costs(design.funnel_stages, prices)


def _unit_costs(funnel, prices: list[ItemPrice]) -> dict[str, float | None]:
    costs: dict[str, float | None] = {s.id: None for s in funnel}
    for price in prices:
        if price.stage in costs:
            costs[price.stage] = _clean((costs[price.stage] or 0) + price.amount)
    return costs


def _owner_costs(design: Design, stages: tuple[PlanStage, ...], prices: list[ItemPrice]) -> tuple[OwnerCost, ...]:
    required = {s.id: s.required for s in stages}
    variable: dict[str | None, float] = {}
    for price in prices:
        count = required.get(price.stage)
        if count is not None:
            variable[price.owner] = variable.get(price.owner, 0) + count * price.amount
    fixed = {f.owner: f.cost for f in _fixed_costs(design)}
    out = []
    for owner in design.owners:
        if owner.id in variable or owner.id in fixed:
            v, f = _clean(variable.get(owner.id, 0)), _clean(fixed.get(owner.id, 0))
            out.append(OwnerCost(owner.id, owner.name, v, f, _clean(v + f)))
    if None in variable:
        v = _clean(variable[None])
        out.append(OwnerCost(None, None, v, 0, v))
    return tuple(out)


def planned_probabilities(design: Design) -> dict[str, float]:
    """The computed probability of each open pipeline stage (`model.deal_pipeline`): the planned
    rate from it to the win, the product of the target rates of the funnel stages after it up to
    the won stage (or up to and including the KGI stage, when the design has no won stage), a
    missing rate counting as 100%. The last open stage before an added 受注 is 1.0 by this rule.
    A stage whose own `probability` is set carries it upstream: a deal before it wins at the planned
    rate into it × its probability (b2b-standard: 提案 = 0.3 into クロージング × クロージング's 0.9)."""
    return {stage_id: rate for stage_id, (rate, _) in _planned_to_win(design).items()}


def probability_carried_from(design: Design) -> dict[str, str]:
    """For each open pipeline stage whose computed probability carries a later stage's own
    `probability` (b2b-standard: 提案's 27% carries クロージング's 90%), the id of that later stage;
    stages whose probability is the planned rates alone are left out. The export preview names it."""
    return {stage_id: anchor for stage_id, (_, anchor) in _planned_to_win(design).items() if anchor is not None}


def _planned_to_win(design: Design) -> dict[str, tuple[float, str | None]]:
    """`planned_probabilities`, each beside the id of the later stage whose own probability it carries."""
    outline = deal_pipeline(design)
    if outline is None:
        return {}
    funnel = design.funnel_stages
    ids = [s.id for s in funnel]
    won_ids = {s.id for s in outline.won}
    won_at = next((i for i, s in enumerate(funnel) if s.id in won_ids), None)
    last = won_at if won_at is not None else ids.index(outline.kgi_stage.id)
    open_ids = {s.id for s in outline.open}
    out: dict[str, tuple[float, str | None]] = {}
    rate, anchor = 1.0, None
    for stage in reversed(funnel[: last + 1]):
        if stage.id in open_ids:
            out[stage.id] = (rate, anchor)
            if stage.probability is not None:
                rate, anchor = stage.probability, stage.id  # the stage's own chance to win, for the stages before it
        rate *= stage.target_rate if stage.target_rate is not None else 1.0
    return out


def stage_probabilities(design: Design) -> dict[str, float]:
    """The probability of each stage, from one source (the CRM exports, the Plan page and compare's
    forecast use it): its own `probability`, else for an open pipeline stage the planned rate to the
    win (`planned_probabilities`); a won stage is 1.0 and a lost stage 0.0. Stages with none of
    these are left out."""
    out = planned_probabilities(design)
    outline = deal_pipeline(design)
    if outline is not None:
        out |= {s.id: 1.0 for s in outline.won} | {s.id: 0.0 for s in outline.lost}
    for stage in design.stages:
        if stage.probability is not None and stage_outcome(stage) is None:
            out[stage.id] = stage.probability
    return {s.id: out[s.id] for s in design.stages if s.id in out}


def default_acquisition_kgi(design: Design) -> str | None:
    """The KGI CPA divides by when the design names none (`acquisition_kgi` unset): the first planned
    count KGI, else the first planned KGI; None when the design cannot be planned."""
    try:
        return plan(design.model_copy(update={"acquisition_kgi": None}), partial=True).acquisition_kgi
    except InputError:
        return None


def _acquisition_kgi(design: Design, planned: tuple[PlanKGI, ...]) -> PlanKGI:
    """The KGI CPA divides by: the design's `acquisition_kgi` when it is planned, else the first
    planned count KGI, else the first planned KGI."""
    by_id = {k.id: k for k in planned}
    if design.acquisition_kgi in by_id:
        return by_id[design.acquisition_kgi]
    return next((k for k in planned if k.unit == "count"), planned[0])


def _binding_kgi(kgi_chains: list[tuple[Any, list[float | None]]]) -> str | None:
    """The KGI that sets the top of the funnel; None when the top is unplanned (a KGI would need infinitely many)."""
    tops = [chain[0] for _, chain in kgi_chains]
    if any(top is None for top in tops):
        return None
    best = max(top for top in tops if top is not None)
    return next(kgi.id for kgi, chain in kgi_chains if chain[0] == best)


def _plan_kgi(
    kgi, target: float, chain: list[float | None], funnel, unit_costs: dict[str, float | None], fixed_cost: float,
    binding_id: str | None,
) -> PlanKGI:
    last = chain[-1]
    assert last is not None  # a KGI's own stage is always planned
    required = whole(last)
    priced = [(value, unit_costs[funnel[i].id] or 0) for i, value in enumerate(chain) if unit_costs[funnel[i].id] is not None]
    cost = None if any(value is None for value, _ in priced) else fixed_cost + sum(
        whole(value) * price for value, price in priced if value is not None
    )
    top = chain[0]
    return PlanKGI(
        id=kgi.id,
        name=kgi.name,
        unit=kgi.unit,
        target=_clean(target),
        stage=kgi.stage,
        value_per_item=kgi.value_per_item,
        planned=True,
        required_exact=last,
        required=required,
        top_required=None if top is None else whole(top),
        cost=None if cost is None else _clean(cost),
        cpa=cost / required if cost is not None and required else None,
        binding=kgi.id == binding_id,
    )


def _with_unplanned(design: Design, targets: dict[str, float], planned: tuple[PlanKGI, ...]) -> tuple[PlanKGI, ...]:
    by_id = {k.id: k for k in planned}
    out = []
    for kgi in design.kgis:
        if kgi.id in by_id:
            out.append(by_id[kgi.id])
        else:
            out.append(
                PlanKGI(kgi.id, kgi.name, kgi.unit, _clean(targets[kgi.id]), kgi.stage, kgi.value_per_item, planned=False)
            )
    return tuple(out)


def _clean(value: float) -> float | int:
    """Whole numbers as int (800000, not 800000.0) so JSON and tables read naturally."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _round(value: float | None, digits: int) -> float | int | None:
    if value is None:
        return None
    return _clean(round(value, digits))
