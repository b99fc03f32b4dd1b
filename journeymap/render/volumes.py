"""Planned volumes per funnel stage, for the funnel view.

The funnel view takes a plain mapping `{stage_id: planned_volume}`. It comes, in this order, from
the caller (`planned=`), from an overlay (the compare JSON's `planned`), or from `reverse_funnel`
below — a deliberately tiny copy of the reverse-funnel definition in DESIGN.md ("Numbers") for
volumes only. `journeymap.planning` owns the full plan (costs, CPA); once it is merged this
function should delegate to it so there is one definition.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..model import KGI, Design


def primary_kgi(design: Design) -> KGI | None:
    """The first KGI that counts items: a count, or a currency with a value per item."""
    for kgi in design.kgis:
        if kgi.unit == "count" or (kgi.unit == "currency" and kgi.value_per_item):
            return kgi
    return None


def reverse_funnel(design: Design) -> dict[str, float | None]:
    """Planned volume per funnel stage: the KGI's count divided by each planned rate upstream,
    multiplied by the planned rates downstream. None where a rate is missing or zero."""
    funnel = design.funnel_stages
    volumes: dict[str, float | None] = {s.id: None for s in funnel}
    kgi = primary_kgi(design)
    ids = [s.id for s in funnel]
    if kgi is None or kgi.stage not in ids:
        return volumes
    required = kgi.target if kgi.unit == "count" else kgi.target / kgi.value_per_item
    k = ids.index(kgi.stage)
    volumes[ids[k]] = required
    current: float | None = required
    for i in range(k, 0, -1):
        stage_rate = funnel[i].target_rate
        current = current / stage_rate if current is not None and stage_rate else None
        volumes[ids[i - 1]] = current
    current = required
    for i in range(k + 1, len(funnel)):
        stage_rate = funnel[i].target_rate
        current = current * stage_rate if current is not None and stage_rate is not None else None
        volumes[ids[i]] = current
    return volumes


def planned_volumes(design: Design, planned: Mapping[str, float | None] | None = None,
                    overlay: Mapping | None = None) -> dict[str, float | None]:
    """The planned volume of each funnel stage, from the first source that has one."""
    own = reverse_funnel(design)
    from_overlay = {row.get("id"): row.get("planned") for row in (overlay or {}).get("stages") or []}
    out: dict[str, float | None] = {}
    for stage in design.funnel_stages:
        for source in (planned or {}, from_overlay, own):
            if source.get(stage.id) is not None:
                out[stage.id] = float(source[stage.id])
                break
        else:
            out[stage.id] = None
    return out
