"""Design rules of the model itself (no files involved)."""

from __future__ import annotations

import copy

import pytest
from pydantic import ValidationError

from journeymap.model import (
    Design,
    DesignInvalid,
    Localized,
    design_to_data,
    find_problems,
    parse_design,
    slugify,
    text_of,
)

BASE = {
    "schema_version": 1,
    "id": "demo",
    "name": {"ja": "デモ", "en": "Demo"},
    "owners": [{"id": "sales", "name": "自社営業"}],
    "phases": [
        {
            "id": "deal",
            "name": "商談段階",
            "stages": [
                {"id": "lead", "name": "リード", "funnel": True, "owner": "sales"},
                {"id": "meeting", "name": "商談", "funnel": True, "target_rate": 0.3,
                 "kpis": [{"id": "meetings", "name": "商談数", "target": 30}]},
                {"id": "won", "name": "受注", "funnel": True, "target_rate": 0.25},
                {"id": "follow", "name": "アフターフォロー"},
            ],
        }
    ],
    "kgis": [{"id": "wins", "name": "受注件数", "target": 5, "stage": "won"}],
    "journey": {"phases": [{"id": "aware", "name": "認知", "stages": ["lead"], "emotion": 1}]},
    "drop_reasons": [{"id": "budget", "name": "予算見直し", "stages": ["meeting"], "recovery_stage": "meeting"}],
    "transitions": [{"from": "won", "to": "meeting", "label": "再提案"}],
}


def problems_of(mutate) -> list[tuple[tuple, str]]:
    data = copy.deepcopy(BASE)
    mutate(data)
    with pytest.raises(DesignInvalid) as caught:
        parse_design(data)
    return [(p.path, p.message) for p in caught.value.problems]


def stage(data, index):
    return data["phases"][0]["stages"][index]


def test_base_design_is_valid_and_navigable():
    design = parse_design(BASE)
    assert [s.id for s in design.funnel_stages] == ["lead", "meeting", "won"]
    assert design.phase_of("won").id == "deal"
    assert design.owner("sales").kind == "internal"
    assert find_problems(design) == []


def test_text_falls_back_to_the_other_language():
    assert text_of(Localized(ja="受注"), "en") == "受注"
    assert text_of(Localized(en="Won"), "ja") == "Won"
    assert text_of(Localized(ja="受注", en="Won"), "en") == "Won"
    assert text_of("受注", "en") == "受注"
    assert text_of(None) == ""


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: stage(d, 1)["kpis"].append({"id": "meetings", "name": "x"}),
         [(("phases", 0, "stages", 1, "kpis", 1, "id"), "duplicate KPI id 'meetings'")]),
        (lambda d: d["journey"]["phases"][0]["stages"].append("nowhere"),
         [(("journey", "phases", 0, "stages", 1), "unknown stage 'nowhere'")]),
        (lambda d: d["drop_reasons"][0].update(recovery_stage="mtg"),
         [(("drop_reasons", 0, "recovery_stage"), "unknown stage 'mtg' (did you mean 'meeting'?)")]),
        (lambda d: stage(d, 1)["kpis"].append({"id": "rate", "name": "率", "unit": "rate", "target": 30}),
         [(("phases", 0, "stages", 1, "kpis", 1, "target"), "a rate must be between 0 and 1, got 30")]),
        (lambda d: d["kgis"][0].update(value_per_item=100),
         [(("kgis", 0, "value_per_item"), "value_per_item only applies to a currency KGI, not 'count'")]),
        (lambda d: d["kgis"][0].update(stage="follow"),
         [(("kgis", 0, "stage"), "KGI 'wins' is counted at 'follow', which is not a funnel stage")]),
        (lambda d: stage(d, 3).update(target_rate=0.5),
         [(("phases", 0, "stages", 3, "target_rate"), "'follow' is not a funnel stage (funnel: false), so it has no target_rate")]),
        (lambda d: d["owners"].append({"id": "sales", "name": "again"}),
         [(("owners", 1, "id"), "duplicate owner id 'sales'")]),
        (lambda d: d["transitions"].append({"from": "won", "to": "lost"}),
         [(("transitions", 1, "to"), "unknown stage 'lost'")]),
    ],
)
def test_design_rules_name_the_path_of_the_problem(mutate, expected):
    assert problems_of(mutate) == expected


def test_stage_ids_are_unique_across_phases():
    def add_phase(d):
        d["phases"].append({"id": "after", "name": "成約後", "stages": [{"id": "lead", "name": "x"}]})

    assert problems_of(add_phase) == [(("phases", 1, "stages", 0, "id"), "duplicate stage id 'lead'")]


def test_constructing_an_invalid_design_directly_also_fails():
    data = copy.deepcopy(BASE)
    data["kgis"][0]["stage"] = "nowhere"
    with pytest.raises(ValidationError, match="unknown stage 'nowhere'"):
        Design.model_validate(data)


def test_numbers_keep_their_type_and_booleans_are_not_numbers():
    design = parse_design(BASE)
    assert design.stage("meeting").kpis[0].target == 30
    assert isinstance(design.stage("meeting").kpis[0].target, int)
    data = copy.deepcopy(BASE)
    data["kgis"][0]["target"] = True
    with pytest.raises(DesignInvalid, match="expected a number, got the boolean true"):
        parse_design(data)


def test_nan_and_infinity_are_not_targets():
    for bad in (float("nan"), float("inf")):
        data = copy.deepcopy(BASE)
        data["kgis"][0]["target"] = bad
        with pytest.raises(DesignInvalid, match="expected a number"):
            parse_design(data)


def test_a_number_is_a_fine_name():
    data = copy.deepcopy(BASE)
    stage(data, 0)["name"] = 2024
    assert parse_design(data).stage("lead").name == "2024"


def test_canonical_data_leaves_defaults_out_and_keeps_field_order():
    data = design_to_data(parse_design(BASE))
    assert list(data)[:3] == ["schema_version", "id", "name"]
    assert "segment" not in data  # default 'other'
    assert data["transitions"] == [{"from": "won", "to": "meeting", "label": "再提案"}]
    assert parse_design(data) == parse_design(BASE)


def test_slugify_suggests_an_id():
    assert slugify("Closed Won!") == "closed-won"
    assert slugify("受注") == ""
