"""What a comparison holds, and the thresholds of its statuses (a leaf: the funnel computes these
types, the reports read them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journeymap.model import Design, text_of

if TYPE_CHECKING:  # (annotations only: `plan`, which prints through the reports, needs no numpy)
    from journeymap.actuals.types import StageValue

ON_TRACK = 0.95
"""A rate at 95 % of its target or better is on track."""
AT_RISK = 0.80
"""From 80 % up to 95 % of target: at risk; below 80 %: off track."""


@dataclass
class StageResult:
    id: str
    name: Any
    planned: float | None
    """The plan for the comparison's window: the plan per period × the window's length in periods."""
    reached: int | None
    entered: int | None
    rate: float | None
    target_rate: float | None
    gap_pts: float | None
    attainment: float | None
    status: str | None
    median_days: float | None = None
    p90_days: float | None = None
    target_days: float | None = None
    stagnant: int | None = None
    stagnant_deals: list[str] = field(default_factory=list)
    open: int | None = None
    lost: int | None = None
    no_next_action: int | None = None
    overdue_next_action: int | None = None
    drop_reasons: list[dict[str, Any]] | None = None
    impact: float | None = None
    actual_cost: float | None = None
    planned_per_period: int | None = None
    paused: int | None = None
    records: list[dict[str, Any]] | None = None
    """The stage's key and required records the export has a column for: {record, name, key, required,
    column, filled, deals}: of the deals that reached the stage, how many have a value in that column."""


@dataclass
class Comparison:
    design_id: str
    design_name: Any
    currency: str
    period: str
    source: str
    shape: str
    origin: str
    as_of: dt.date | None
    stages: list[StageResult]
    bottleneck: dict[str, Any]
    kgis: list[dict[str, Any]]
    forecast: dict[str, Any] | None
    cost: dict[str, Any]
    breakdowns: dict[str, Any]
    cohorts: list[dict[str, Any]] | None
    unmatched_stages: list[StageValue]
    ignored_stages: list[StageValue]
    columns: dict[str, str]
    deals: int | None = None
    """Deals with a funnel event up to the as-of date (the window's end on the activity basis): all so far."""
    deals_in_window: int | None = None
    """Deals counted at some funnel stage in the window (activity: reached a stage inside it; cohort:
    the cohort). Equal to `deals` for the default window."""
    open_deals: int | None = None
    lost_deals: int | None = None
    first_event: str | None = None
    last_event: str | None = None
    final_stage: str | None = None
    window: Any = None
    """The `compare.window.Window` compared (None for a count table without periods: one period)."""
    scale: float = 1.0
    """The window's length in the design's periods: planned counts and KGI targets are multiplied by it."""
    paused_deals: int | None = None
    recovery: dict[str, Any] | None = None
    temperature: list[dict[str, Any]] | None = None
    periods: list[dict[str, Any]] | None = None
    pace: dict[str, Any] | None = None
    transitions: list[dict[str, Any]] | None = None
    conformance: dict[str, Any] | None = None
    counts: str = "deals"
    """What the design's funnel counts (`Design.counts`): the reports word it with `counted`; not in the JSON."""
    added_won: dict[str, Any] | None = None
    """The won stage compare added after the KGI stage (`compare.outcomes`): {stage, after}; None when
    the design has a won funnel stage."""

    def stage(self, stage_id: str) -> StageResult:
        return next(s for s in self.stages if s.id == stage_id)

    def stage_names(self, design: Design, lang: str) -> dict[str, str]:
        """Stage id → name in `lang`: the design's stages and the compared ones (an added 受注)."""
        return {s.id: text_of(s.name, lang) for s in design.stages} | {s.id: text_of(s.name, lang) for s in self.stages}


def status_of(rate: float | None, target: float | None, attainment: float | None, i: int) -> str | None:
    if i == 0 or target is None:
        ratio = attainment
    elif rate is None:
        return None
    else:
        ratio = rate / target if target > 0 else 1.0
    if ratio is None:
        return None
    if ratio >= ON_TRACK:
        return "on_track"
    return "at_risk" if ratio >= AT_RISK else "off_track"
