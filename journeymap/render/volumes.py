"""Planned volumes per funnel stage, for the funnel view.

The funnel view takes a plain mapping `{stage_id: planned_volume}`. It comes, in this order, from
the caller (`planned=`), from an overlay (the compare JSON's `planned`), or from the plan
(`journeymap.planning`, the one definition of the reverse funnel).
"""

from __future__ import annotations

from collections.abc import Mapping

from journeymap.errors import InputError
from journeymap.model import Design
from journeymap.planning import plan


def reverse_funnel(design: Design) -> dict[str, float | None]:
    """Planned volume per funnel stage from `journeymap.planning` (exact, not rounded); None
    for every stage when the design cannot be planned yet (a missing rate or KGI)."""
    try:
        stages = plan(design).stages
    except InputError:
        return {s.id: None for s in design.funnel_stages}
    return {s.id: s.required_exact for s in stages}


def planned_volumes(design: Design, planned: Mapping[str, float | None] | None = None,
                    overlay: Mapping | None = None) -> dict[str, float | None]:
    """The planned volume of each funnel stage, from the first source that has one."""
    own = reverse_funnel(design)
    from_overlay = {row.get("id"): row.get("planned") for row in (overlay or {}).get("stages") or []}
    out: dict[str, float | None] = {}
    for stage in design.funnel_stages:
        for source in (planned or {}, from_overlay, own):
            value = source.get(stage.id)
            if value is not None:
                out[stage.id] = float(value)
                break
        else:
            out[stage.id] = None
    return out
