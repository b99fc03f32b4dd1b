"""`Comparison` → the JSON document of `journeymap compare --format json` (DESIGN.md contract).

Numbers carry full precision (rounding is for display); whole numbers are written as integers.
A value that does not apply is null; ordering is fixed. Every comparison states its `window`
(from, to, periods = the scale of the plan, basis).
"""

from __future__ import annotations

from typing import Any

from journeymap.compare.types import AT_RISK, ON_TRACK
from journeymap.model import text_of


def comparison_json(c, lang: str = "ja") -> dict[str, Any]:
    return {
        "design": c.design_id,
        "name": text_of(c.design_name, lang),
        "as_of": c.as_of.isoformat() if c.as_of else None,
        "source": c.source,
        "shape": c.shape,
        "origin": c.origin,
        "currency": c.currency,
        "period": c.period,
        "first_event": c.first_event,
        "last_event": c.last_event,
        "window": c.window.to_json() if c.window is not None else None,
        "scale": c.scale,
        "deals": c.deals,
        "deals_in_window": c.deals_in_window,
        "open_deals": c.open_deals,
        "lost_deals": c.lost_deals,
        "paused_deals": c.paused_deals,
        "final_stage": c.final_stage,
        "added_won": c.added_won,
        "stages": [_stage(s, lang) for s in c.stages],
        "bottleneck": {**c.bottleneck, "added_final": _r(c.bottleneck.get("added_final"))},
        "kgis": [_kgi(k, lang) for k in c.kgis],
        "forecast": _forecast(c.forecast),
        "cost": _cost(c.cost, lang),
        "breakdowns": {role: _groups(b) for role, b in c.breakdowns.items()},
        "cohorts": None if c.cohorts is None else [_group(g) for g in c.cohorts],
        "periods": c.periods,
        "pace": c.pace,
        "recovery": c.recovery,
        "temperature": _temperature(c.temperature, lang),
        "transitions": c.transitions,
        "conformance": c.conformance,
        "unmatched_stages": [v.to_json() for v in c.unmatched_stages],
        "ignored_stages": [v.to_json() for v in c.ignored_stages],
        "columns": c.columns,
        "thresholds": {"on_track": ON_TRACK, "at_risk": AT_RISK},
    }


def _temperature(rows: list[dict[str, Any]] | None, lang: str) -> list[dict[str, Any]] | None:
    """The pipeline per temperature level, the level's name in `lang` (null for a value of no level)."""
    if rows is None:
        return None
    return [{**r, "name": text_of(r["name"], lang) if r["name"] is not None else None} for r in rows]


def _stage(s, lang: str) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": text_of(s.name, lang),
        "planned": _r(s.planned),
        "planned_per_period": s.planned_per_period,
        "reached": s.reached,
        "entered": s.entered,
        "rate": _r(s.rate),
        "target_rate": s.target_rate,
        "gap_pts": _r(s.gap_pts),
        "attainment": _r(s.attainment),
        "status": s.status,
        "median_days": _r(s.median_days),
        "p90_days": _r(s.p90_days),
        "target_days": s.target_days,
        "stagnant": s.stagnant,
        "stagnant_deals": s.stagnant_deals,
        "open": s.open,
        "lost": s.lost,
        "paused": s.paused,
        "no_next_action": s.no_next_action,
        "overdue_next_action": s.overdue_next_action,
        "drop_reasons": s.drop_reasons,
        "impact": _r(s.impact),
        "actual_cost": _r(s.actual_cost),
        "records": None if s.records is None else [{**r, "name": text_of(r["name"], lang)} for r in s.records],
    }


def _kgi(k: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        **k,
        "name": text_of(k["name"], lang),
        "target": _r(k["target"]),
        "actual": _r(k["actual"]),
        "attainment": _r(k["attainment"]),
        "forecast": _r(k["forecast"]),
        "forecast_attainment": _r(k["forecast_attainment"]),
    }


def _forecast(f: dict[str, Any] | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {
        **{key: _r(value) if isinstance(value, float) else value for key, value in f.items() if key != "by_stage"},
        "known_rates": {key: _r(value) for key, value in f["known_rates"].items()} if "known_rates" in f else None,
        "by_stage": [
            {**row, "probability": _r(row["probability"]), "expected": _r(row["expected"]),
             "planned_probability": _r(row.get("planned_probability"))} for row in f["by_stage"]
        ],
    }


def _groups(b: dict[str, Any]) -> dict[str, Any]:
    return {"groups": [_group(g) for g in b["groups"]], "others": b["others"]}


def _group(g: dict[str, Any]) -> dict[str, Any]:
    return {
        **g,
        "rates": {key: _r(value) for key, value in g["rates"].items()},
        "win_rate": _r(g["win_rate"]),
        "revenue": _r(g["revenue"]),
    }


def _cost(cost: dict[str, Any], lang: str) -> dict[str, Any]:
    out = {key: _r(value) if isinstance(value, float) else value for key, value in cost.items() if key != "by_owner"}
    out["by_owner"] = [{**row, "name": text_of(row["name"], lang), "planned": _r(row["planned"]), "actual": _r(row["actual"])}
                       for row in cost.get("by_owner", [])]
    return out


def _r(value: float | None) -> float | int | None:
    """Full precision; a whole number as an integer (800000, not 800000.0)."""
    if value is None:
        return None
    value = float(value)
    return int(value) if value.is_integer() and abs(value) < 2**53 else value
