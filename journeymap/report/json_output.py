"""`Comparison` → the JSON document of `journeymap compare --format json` (DESIGN.md contract).

Rates and attainments are rounded to 4 decimals, points and days to 2, expected counts and money
to 2; counts are whole numbers. A value that does not apply is null; ordering is fixed.
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
        "deals": c.deals,
        "open_deals": c.open_deals,
        "lost_deals": c.lost_deals,
        "final_stage": c.final_stage,
        "stages": [_stage(s, lang) for s in c.stages],
        "bottleneck": {**c.bottleneck, "added_final": _r(c.bottleneck.get("added_final"), 2)},
        "kgis": [_kgi(k, lang) for k in c.kgis],
        "forecast": _forecast(c.forecast),
        "cost": {key: _r(value, 2) if isinstance(value, float) else value for key, value in c.cost.items()},
        "breakdowns": {role: _groups(b) for role, b in c.breakdowns.items()},
        "cohorts": None if c.cohorts is None else [_group(g) for g in c.cohorts],
        "unmatched_stages": [v.to_json() for v in c.unmatched_stages],
        "ignored_stages": [v.to_json() for v in c.ignored_stages],
        "columns": c.columns,
        "thresholds": {"on_track": ON_TRACK, "at_risk": AT_RISK},
    }


def _stage(s, lang: str) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": text_of(s.name, lang),
        "planned": s.planned,
        "reached": s.reached,
        "entered": s.entered,
        "rate": _r(s.rate, 4),
        "target_rate": s.target_rate,
        "gap_pts": _r(s.gap_pts, 2),
        "attainment": _r(s.attainment, 4),
        "status": s.status,
        "median_days": _r(s.median_days, 2),
        "p90_days": _r(s.p90_days, 2),
        "target_days": s.target_days,
        "stagnant": s.stagnant,
        "stagnant_deals": s.stagnant_deals,
        "open": s.open,
        "lost": s.lost,
        "no_next_action": s.no_next_action,
        "overdue_next_action": s.overdue_next_action,
        "drop_reasons": s.drop_reasons,
        "impact": _r(s.impact, 2),
        "actual_cost": _r(s.actual_cost, 2),
    }


def _kgi(k: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        **k,
        "name": text_of(k["name"], lang),
        "actual": _r(k["actual"], 2),
        "attainment": _r(k["attainment"], 4),
        "forecast": _r(k["forecast"], 2),
        "forecast_attainment": _r(k["forecast_attainment"], 4),
    }


def _forecast(f: dict[str, Any] | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {
        **{key: _r(value, 2) if isinstance(value, float) else value for key, value in f.items() if key != "by_stage"},
        "by_stage": [
            {**row, "probability": _r(row["probability"], 4), "expected": _r(row["expected"], 2)} for row in f["by_stage"]
        ],
    }


def _groups(b: dict[str, Any]) -> dict[str, Any]:
    return {"groups": [_group(g) for g in b["groups"]], "others": b["others"]}


def _group(g: dict[str, Any]) -> dict[str, Any]:
    return {
        **g,
        "rates": {key: _r(value, 4) for key, value in g["rates"].items()},
        "win_rate": _r(g["win_rate"], 4),
        "revenue": _r(g["revenue"], 2),
    }


def _r(value: float | None, digits: int) -> float | int | None:
    if value is None:
        return None
    value = round(float(value), digits)
    return int(value) if value.is_integer() else value
