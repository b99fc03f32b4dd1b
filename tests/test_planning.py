"""The reverse-funnel plan: seed 004's example exactly, re-planning, rounding, several KGIs, errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from journeymap.cli.main import main
from journeymap.designfile.reading import load_design, parse_design_text
from journeymap.errors import InputError
from journeymap.planning import plan, whole
from journeymap.report.table import plan_table

DATA = Path(__file__).parent / "data"
LIBRARY = Path(__file__).parents[1] / "process_library"
SEED_004 = DATA / "plan_outsourced.yaml"


@pytest.fixture(scope="module")
def outsourced():
    return load_design(SEED_004)


def test_seed_004_example_is_exact(outsourced):
    result = plan(outsourced)
    assert [(s.id, s.required) for s in result.stages] == [("call", 1000), ("appointment", 40), ("meeting", 20), ("won", 5)]
    assert [s.cost for s in result.stages] == [400_000, 400_000, None, None]
    assert result.total_cost == 800_000
    assert result.cpa == 160_000
    assert result.cpa_stage == "won"


def test_outsourced_prospecting_template_gives_the_seed_004_figures():
    from journeymap.library import load_template

    result = plan(load_template("outsourced-prospecting"))
    assert [s.required for s in result.stages if s.id in ("call", "appointment", "meeting", "won")] == [1000, 40, 20, 5]
    assert (result.total_cost, result.cpa) == (800_000, 160_000)


def test_seed_004_json_contract(outsourced):
    data = plan(outsourced).to_json()
    assert {"stages", "total_cost", "cpa", "kgis"} <= data.keys()
    assert [{k: s[k] for k in ("id", "required", "cost")} for s in data["stages"]] == [
        {"id": "call", "required": 1000, "cost": 400000},
        {"id": "appointment", "required": 40, "cost": 400000},
        {"id": "meeting", "required": 20, "cost": None},
        {"id": "won", "required": 5, "cost": None},
    ]
    assert data["total_cost"] == 800000 and data["cpa"] == 160000
    assert data["kgis"][0] == {
        "id": "wins", "name": "受注件数", "unit": "count", "target": 5, "stage": "won", "value_per_item": None,
        "planned": True, "required": 5, "required_exact": 5, "top_required": 1000, "cost": 800000, "cpa": 160000,
        "binding": True,
    }
    json.dumps(data)  # plain JSON types only


def test_fixed_costs_count_only_for_owners_the_stages_use(outsourced):
    design = outsourced.model_copy(deep=True)
    design.owners[0].fixed_cost = 30_000  # teleapo: used by call and appointment
    result = plan(design)
    assert [(f.owner, f.cost) for f in result.fixed_costs] == [("teleapo", 30_000)]  # unused-partner (50,000) left out
    assert result.total_cost == 830_000
    assert result.cpa == 166_000


def test_another_target_replans_the_whole_funnel(outsourced):
    result = plan(outsourced, targets={"wins": 10})
    assert [s.required for s in result.stages] == [2000, 80, 40, 10]
    assert result.total_cost == 1_600_000
    assert result.cpa == 160_000


def test_what_if_rates_override_the_design(outsourced):
    result = plan(outsourced, rates={"appointment": 0.05})
    assert [s.required for s in result.stages] == [800, 40, 20, 5]
    assert result.total_cost == 720_000
    assert result.stage("appointment").rate == 0.05


def test_required_counts_are_rounded_up_from_the_exact_value_at_each_stage(outsourced):
    # 1 win at 25 % → 4 meetings; at 50 % → 8 appointments; at 3 % → 266.67 calls → 267 (not 267 from a rounded chain).
    result = plan(outsourced, targets={"wins": 1}, rates={"appointment": 0.03})
    assert [s.required for s in result.stages] == [267, 8, 4, 1]
    assert result.stage("call").required_exact == pytest.approx(800 / 3)
    # Rounding each stage from the rounded stage below would compound: 0.3 × 0.3 from 1 gives 3.33 → 4 → 13.3 → 14.
    compounding = plan(outsourced, targets={"wins": 1}, rates={"won": 0.3, "meeting": 0.3, "appointment": 1.0})
    assert [s.required for s in compounding.stages] == [12, 12, 4, 1]


def test_float_noise_does_not_add_an_item():
    assert whole(40 / 0.04) == 1000
    assert whole(0.1 * 3 / 0.1) == 3
    assert whole(1000.000001) == 1001


def test_currency_kgi_is_divided_by_its_value_per_item(outsourced):
    design = outsourced.model_copy(deep=True)
    design.kgis = [design.kgis[0].model_copy(update={"id": "revenue", "unit": "currency", "target": 15_000_000,
                                                      "value_per_item": 3_000_000})]
    result = plan(design)
    assert result.stage("won").required == 5
    assert result.total_cost == 800_000
    assert plan(design, targets={"revenue": 30_000_000}).stage("call").required == 2000


def test_currency_kgi_without_value_per_item_is_an_error(outsourced):
    design = outsourced.model_copy(deep=True)
    design.kgis = [design.kgis[0].model_copy(update={"unit": "currency", "target": 15_000_000})]
    with pytest.raises(InputError) as caught:
        plan(design)
    assert "value_per_item" in str(caught.value) and "'wins'" in str(caught.value)


def test_several_kgis_take_the_largest_requirement_per_stage(outsourced):
    design = outsourced.model_copy(deep=True)
    extra = design.kgis[0].model_copy(update={"id": "meetings", "name": "商談数", "target": 30, "stage": "meeting"})
    design.kgis = [design.kgis[0], extra]
    result = plan(design)
    # wins needs 20 meetings, the meetings KGI 30: 30 meetings → 60 appointments → 1,500 calls; wins stays 5.
    assert [s.required for s in result.stages] == [1500, 60, 30, 5]
    by_id = {k.id: k for k in result.kgis}
    assert by_id["meetings"].binding and not by_id["wins"].binding
    assert by_id["wins"].top_required == 1000 and by_id["meetings"].top_required == 1500
    assert by_id["wins"].cost == 800_000  # what wins alone would cost
    assert result.total_cost == 1500 * 400 + 60 * 10_000
    assert result.cpa == result.total_cost / 5  # CPA divides by the deepest KGI stage (the wins)


def test_stages_after_the_last_kgi_are_projected_forward(outsourced):
    text = SEED_004.read_text(encoding="utf-8").replace(
        "target_rate: 0.25}",
        "target_rate: 0.25}\n      - {id: upsell, name: アップセル, owner: in-house, funnel: true, target_rate: 0.4, unit_cost: 1000}",
    )
    result = plan(parse_design_text(text, "upsell.yaml"))
    upsell = result.stage("upsell")
    assert (upsell.required_exact, upsell.required, upsell.basis, upsell.cost) == (2.0, 2, "projected", 2000)
    assert result.total_cost == 802_000
    assert result.cpa == 802_000 / 5


@pytest.mark.parametrize("rate, wording", [("", "has no target_rate"), ("target_rate: 0", "has a target_rate of 0")])
def test_missing_or_zero_rate_names_the_stage_and_its_line(tmp_path, capsys, rate, wording):
    text = SEED_004.read_text(encoding="utf-8").replace("target_rate: 0.5", rate).replace("funnel: true, ,", "funnel: true,")
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        plan(load_design(path))
    assert "'meeting'" in str(caught.value) and wording in str(caught.value)
    assert main(["plan", str(path), "--format", "json"]) == 1
    out, err = capsys.readouterr()
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "id: meeting" in row)
    assert err.startswith(f"{path}:{line}: funnel stage 'meeting' (商談) {wording}")
    assert out == ""


def test_design_without_funnel_stages_or_kgis_cannot_be_planned(outsourced):
    no_funnel = outsourced.model_copy(deep=True)
    no_funnel.kgis = []
    for stage in no_funnel.stages:
        stage.funnel = False
        stage.target_rate = None
    with pytest.raises(InputError, match="no funnel stages"):
        plan(no_funnel)
    no_kgi = outsourced.model_copy(update={"kgis": []})
    with pytest.raises(InputError, match="no KGI"):
        plan(no_kgi)


def test_unknown_target_or_rate_is_an_error(outsourced):
    with pytest.raises(InputError, match="unknown KGI 'nope'"):
        plan(outsourced, targets={"nope": 3})
    with pytest.raises(InputError, match="between 0 and 1"):
        plan(outsourced, rates={"meeting": 1.5})


def test_cli_plan_json_and_target(capsys):
    assert main(["plan", str(SEED_004), "--format", "json", "--target", "wins=10"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["required"] for s in data["stages"]] == [2000, 80, 40, 10]
    assert (data["total_cost"], data["cpa"]) == (1_600_000, 160_000)


def test_cli_plan_table_is_aligned_in_japanese(capsys):
    from journeymap.text.width import display_width

    assert main(["plan", str(SEED_004)]) == 0
    out = capsys.readouterr().out
    assert "¥800,000" in out and "CPA (受注)" in out and "¥160,000" in out
    rows = [line for line in out.splitlines() if line.startswith(("架電", "アポイント獲得", "商談", "受注  "))]
    assert len(rows) == 4
    cost_column_end = {display_width(line.split("¥400,000")[0] + "¥400,000") for line in rows if "¥400,000" in line}
    assert len(cost_column_end) == 1  # both cost cells end in the same column


def test_cli_plan_unknown_target_is_a_usage_error(capsys):
    assert main(["plan", str(SEED_004), "--target", "nope=3"]) == 2
    assert "unknown KGI 'nope'" in capsys.readouterr().err


def test_cpa_divides_by_the_acquisition_kgi_not_the_deepest():
    design = load_design(LIBRARY / "b2c-standard.yaml")
    result = plan(design)
    # ¥760,000 (200,000 × ¥2 + 1,200 × ¥150 + 600 × ¥300) for 240 new customers, not 72 repeat purchases.
    assert (result.acquisition_kgi, result.cpa_stage) == ("purchase-count", "purchase")
    assert result.total_cost == 760_000 and result.cpa == pytest.approx(760_000 / 240)
    assert {k: cpa for k, _stage, _required, cpa in result.cpa_by_kgi}["repeat-count"] == pytest.approx(760_000 / 72)
    chosen = design.model_copy(update={"acquisition_kgi": "repeat-count"})
    assert plan(chosen).cpa == pytest.approx(760_000 / 72)


def test_plan_b2c_prints_cpa_per_new_customer(capsys):
    assert main(["plan", "b2c-standard"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"CPA \(購入\) +¥3,167\n", out) and re.search(r"リピート購入件数\) +¥10,556\n", out)


def test_an_unknown_acquisition_kgi_is_a_design_error():
    text = SEED_004.read_text(encoding="utf-8") + "acquisition_kgi: winz\n"
    with pytest.raises(InputError, match="unknown KGI 'winz'"):
        parse_design_text(text, "seed.yaml")


def test_no_costs_means_no_cost_and_no_cpa(capsys):
    text = SEED_004.read_text(encoding="utf-8")


    text = re.sub(r",? ?unit_cost: \d+", "", text)  # the used owners have no fixed cost either
    result = plan(parse_design_text(text, "free.yaml"))
    assert (result.total_cost, result.variable_cost, result.cpa) == (None, None, None)
    assert result.to_json()["cpa"] is None
    assert "¥0" not in plan_table(result, parse_design_text(text, "free.yaml"))


# --------------------------------------------------------------------------- 0 % and 100 % rates, KGIs that disagree


def _workshop_design(**rates):
    """The app's test template (架電 → アポイント獲得 4% → ヒアリング 50% → 受注 25%; KGIs 受注件数 5 and
    受注金額 ¥15,000,000 at ¥3,000,000 a deal) with some planned rates changed."""
    from tests.app_support import template_design

    design = template_design().model_copy(deep=True)
    for stage in design.stages:
        if stage.id in rates:
            stage.target_rate = rates[stage.id]
    return design


def test_a_zero_rate_refuses_the_whole_plan_but_a_partial_plan_keeps_the_stages_after_it():
    design = _workshop_design(appointment=0)
    with pytest.raises(InputError) as caught:
        plan(design)
    assert "'appointment'" in str(caught.value) and "KGI 'wins' (受注件数)" in str(caught.value)

    result = plan(design, partial=True)
    assert [(s.id, s.required, s.basis) for s in result.stages] == [
        ("call", None, None), ("appointment", 40, "upstream"), ("hearing", 20, "upstream"), ("won", 5, "kgi")]
    (issue,) = result.unplanned  # one zero rate, named once though both KGIs walk through it
    assert issue.key == "problem.rate_zero" and issue.path[-1] == "target_rate"
    assert dict(issue.values)["kgi_name"] == "受注件数"
    # 架電 costs ¥400 a call and would need infinitely many calls: no total, no CPA (never a smaller sum)
    assert result.stage("call").cost is None and result.stage("appointment").cost == 400_000
    assert (result.variable_cost, result.total_cost, result.cpa) == (None, None, None)
    assert all(not k.binding for k in result.kgis) and result.kgis[0].top_required is None
    assert result.kgis[0].required == 5 and result.kgis[0].cost is None


def test_a_partial_plan_of_a_plannable_design_is_the_whole_plan():
    design = _workshop_design()
    assert plan(design, partial=True) == plan(design)


def test_a_zero_rate_without_a_price_before_it_keeps_the_cost():
    design = _workshop_design(hearing=0)
    for stage in design.stages:
        if stage.id in ("call", "appointment"):
            stage.unit_cost = None
    result = plan(design, partial=True)
    assert [s.required for s in result.stages] == [None, None, 20, 5]
    assert result.total_cost is None  # no stage has a price and no owner a fixed cost: "—", never ¥0
    design.stage("won").unit_cost = 1000
    result = plan(design, partial=True)
    assert (result.total_cost, result.cpa) == (5000, 1000)


def test_a_100_percent_rate_plans_the_same_count_before_it():
    result = plan(_workshop_design(hearing=1))
    assert [s.required for s in result.stages] == [500, 20, 20, 5]  # as many ヒアリング as アポイント
    assert result.stage("hearing").rate == 1


def test_each_stage_names_the_kgi_its_requirement_comes_from():
    design = _workshop_design()
    assert [s.kgi for s in plan(design).stages] == ["wins"] * 4  # equal needs: the first KGI in design order
    zero_wins = plan(design, targets={"wins": 0})  # 受注件数 0, but 受注金額 still asks for 5 deals
    assert [(s.required, s.kgi) for s in zero_wins.stages] == [(1000, "revenue"), (40, "revenue"), (20, "revenue"), (5, "revenue")]
    assert zero_wins.acquisition_kgi == "wins" and zero_wins.cpa is None  # CPA divides by 受注件数's 0 deals
    assert plan(design, targets={"revenue": 6_000_000}).stage("won").kgi == "wins"
