"""Designs built in code for the renderer's tests and benchmark: a large generated design and one
whose every text is an injection attempt."""

from __future__ import annotations

from journeymap.model import Design, parse_design

HOSTILE = [
    'x"]; injected [label="y',
    "</TD></TR></TABLE>> ]; evil [shape=box]; a -> b [label=<",
    "back\\slash \\N \\G \\L end",
    "braces {a} [b] | <c> & d; e=f",
    "line one\nline two\r\nline three\ttab",
    "\x00\x01 control\x1b[31m",
    "subgraph cluster_x { z } // comment /* c */",
    "-> -- => ]] >> <<",
]


def big_design(n_stages: int = 100, per_phase: int = 10) -> Design:
    """A generated design of `n_stages` stages in phases of `per_phase`, every feature used."""
    owners = [{"id": f"owner-{i}", "name": {"ja": f"担当チーム{i}", "en": f"Team {i}"}} for i in range(6)]
    phases = []
    n = 0
    for p in range(0, n_stages, per_phase):
        stages = []
        for _ in range(min(per_phase, n_stages - p)):
            funnel = n % 3 == 0
            stage = {
                "id": f"s{n}",
                "name": {"ja": f"ステージ{n} 顧客との合意形成と次回アクションの確認", "en": f"Stage {n} agreement and next step"},
                "owner": f"owner-{n % 6}",
                "funnel": funnel,
                "kpis": [{"id": f"k{n}", "name": {"ja": f"指標{n}", "en": f"KPI {n}"}, "unit": "count", "target": 100 + n}],
                "records": [{"ja": "顧客の課題と予算", "en": "Needs and budget"}],
                "exit_criteria": [{"ja": "次回の日程が決まった", "en": "Next meeting booked"}],
            }
            if funnel:
                stage["unit_cost"] = 1000
                if n > 0:
                    stage["target_rate"] = 0.8
            stages.append(stage)
            n += 1
        phases.append({"id": f"p{p // per_phase}", "name": {"ja": f"フェーズ{p // per_phase}", "en": f"Phase {p // per_phase}"},
                       "stages": stages})
    last_funnel = max(i for i in range(n_stages) if i % 3 == 0)
    return parse_design({
        "schema_version": 1,
        "id": "big",
        "name": {"ja": f"{n_stages}ステージの設計", "en": f"{n_stages}-stage design"},
        "owners": owners,
        "phases": phases,
        "kgis": [{"id": "wins", "name": "受注", "unit": "count", "target": 10, "stage": f"s{last_funnel}"}],
        "transitions": [{"from": f"s{i + 5}", "to": f"s{i}", "label": "戻り"} for i in range(0, n_stages - 5, 10)],
        "journey": {"phases": [
            {"id": f"j{i}", "name": f"段階{i}", "customer_actions": ["比較する"], "touchpoints": ["Web"],
             "thoughts": ["迷う"], "emotion": (i % 5) - 2, "pain_points": ["情報が多い"],
             "opportunities": ["比較表"], "stages": [f"s{i * 10}"]}
            for i in range(min(8, n_stages // 10 or 1))
        ]},
        "drop_reasons": [{"id": f"d{i}", "name": f"離脱理由{i}", "stages": [f"s{i * 7}"], "recovery_stage": f"s{i * 3}"}
                         for i in range(min(10, n_stages // 7))],
    })


def hostile_design() -> Design:
    """Every user text is an injection attempt; ids stay valid slugs (the model requires them)."""
    h = HOSTILE

    def text(i: int) -> dict:
        return {"ja": h[i % len(h)], "en": h[(i + 1) % len(h)]}

    return parse_design({
        "schema_version": 1,
        "id": "hostile",
        "name": text(0),
        "description": text(1),
        "owners": [{"id": "o1", "name": text(2)}, {"id": "o2", "name": text(3), "kind": "agency"}],
        "phases": [
            {"id": "p1", "name": text(4), "stages": [
                {"id": "a", "name": text(0), "owner": "o1", "funnel": True, "unit_cost": 1,
                 "kpis": [{"id": "k1", "name": text(5), "unit": "count", "target": 10}],
                 "records": [text(6)], "exit_criteria": [text(7)]},
                {"id": "b", "name": text(1), "owner": "o2", "funnel": True, "target_rate": 0.5},
            ]},
            {"id": "p2", "name": text(5), "stages": [
                {"id": "c", "name": text(2), "funnel": True, "target_rate": 0.5},
                {"id": "d", "name": text(3), "owner": "o1"},
            ]},
        ],
        "kgis": [{"id": "g", "name": text(6), "unit": "count", "target": 5, "stage": "c"}],
        "transitions": [{"from": "c", "to": "a", "label": text(7)}],
        "journey": {"persona": text(0), "phases": [
            {"id": "j1", "name": text(1), "customer_actions": [text(2)], "touchpoints": [text(3)],
             "thoughts": [text(4)], "emotion": -1, "pain_points": [text(5)], "opportunities": [text(6)],
             "stages": ["a", "b"]},
        ]},
        "drop_reasons": [{"id": "r", "name": text(7), "stages": ["b"], "response": text(0), "recovery_stage": "a"}],
    })


def template_overlay(design: Design) -> dict:
    """A compare result for `design` made from its plan, as the process view draws it: every funnel
    stage reached, rates a little off target either way (labels as long as real ones: 86.3%)."""
    from journeymap.render.volumes import reverse_funnel

    planned = reverse_funnel(design)
    factors = (1.12, 0.863, 0.931, 0.717)
    rows: list[dict] = []
    previous: float | None = None
    for n, stage in enumerate(design.funnel_stages):
        plan = planned.get(stage.id) or 100.0
        reached = round(plan * factors[n % len(factors)], 1)
        rate = reached / previous if previous else None
        target = stage.target_rate
        status = None
        if rate is not None and target:
            status = "on_track" if rate >= target else ("at_risk" if rate >= 0.9 * target else "off_track")
        rows.append({"id": stage.id, "planned": plan, "reached": reached, "rate": rate, "target_rate": target,
                     "gap_pts": None if rate is None or target is None else (rate - target) * 100,
                     "status": status})
        previous = reached
    return {"stages": rows}
