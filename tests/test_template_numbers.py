"""A template's own KPI targets agree with its plan.

A KPI that restates a figure of the plan (the count a funnel stage needs, its conversion rate, the
KGI's amount, the CPA) must state the plan's figure, as `journeymap plan` and the diagram show it:
counts rounded up (667 leads, not 670), rates as planned. A KPI is taken to restate the plan when
it is close to the plan's figure (within 10%, or 3 points for a rate); a KPI far from it measures
something else (calls made, people met) and is left alone.
"""

from __future__ import annotations

import math

import pytest

from journeymap.library import load_template, template_paths
from journeymap.model import text_of
from journeymap.planning import plan

TEMPLATE_IDS = [p.stem for p in template_paths()]


def _near(value: float, planned: float, share: float) -> bool:
    return abs(value - planned) <= share * abs(planned)


def _count_kpi(stage, required: float | None):
    """The count KPI of a funnel stage nearest to the plan's count: the one that restates it (the
    others count other things, such as calls or insights shared)."""
    counts = [k for k in stage.kpis if k.unit == "count" and k.direction == "up" and k.target is not None]
    if not required or not counts:
        return None
    return min(counts, key=lambda k: abs(k.target - required))


def disagreements(template_id: str) -> list[str]:
    design = load_template(template_id)
    result = plan(design)
    required = {s.id: s.required_exact for s in result.stages}
    out: list[str] = []
    for stage in design.stages:
        for kpi in stage.kpis:
            if kpi.target is None:
                continue
            name = f"{stage.id}/{kpi.id} ({text_of(kpi.name, 'ja')} {kpi.target:g})"
            if kpi is _count_kpi(stage, required.get(stage.id)):
                planned = math.ceil(required[stage.id] - 1e-6)
                if kpi.target != planned and _near(kpi.target, planned, 0.10):
                    out.append(f"{name}: the plan needs {planned}")
            rate = stage.target_rate if stage.funnel else None
            if kpi.unit == "rate" and rate is not None and kpi.target != rate and abs(kpi.target - rate) <= 0.03:
                out.append(f"{name}: the planned rate is {rate:g}")
            if kpi.unit == "currency" and kpi.direction == "up":
                out += [f"{name}: the KGI says {kgi.target:g}" for kgi in design.kgis
                        if kgi.stage == stage.id and kgi.unit == "currency" and kgi.target
                        and kpi.target != kgi.target and _near(kpi.target, kgi.target, 0.10)]
            is_cpa = kpi.unit == "currency" and "CPA" in text_of(kpi.name, "en").upper()
            if is_cpa and result.cpa is not None and round(kpi.target) != round(result.cpa):
                out.append(f"{name}: the plan's CPA is {result.cpa:g}")
    return out


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_kpi_targets_agree_with_the_plan(template_id):
    assert disagreements(template_id) == []


def test_a_near_miss_is_found(tmp_path, monkeypatch):
    """The check itself: smb-funnel as it was (670 leads, 133 meetings against 667 and 134)."""
    source = (template_paths()[0].parent / "smb-funnel.yaml").read_text(encoding="utf-8")
    old = source.replace("target: 667}", "target: 670}", 1).replace("target: 134}", "target: 133}", 1)
    assert old != source
    (tmp_path / "smb-funnel.yaml").write_text(old, encoding="utf-8")
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(tmp_path))
    found = disagreements("smb-funnel")
    assert any("leads" in f and "667" in f for f in found)
    assert any("meetings" in f and "134" in f for f in found)
