"""Compare books a deal as won where the CRM exports do (`model.deal_pipeline`): b2b-standard's
クロージング stays open, and Closed Won / 受注 values count at the 受注 stage the pipeline adds."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap import library
from journeymap.actuals.reading import read_actuals
from journeymap.compare.funnel import compare
from journeymap.export.pipeline import pipeline_stages
from journeymap.model import deal_pipeline, parse_design, stage_outcome
from journeymap.report.json_output import comparison_json

DATA = Path(__file__).parent / "data"
TEMPLATES = [pytest.param(t.design, id=t.id) for t in library.list_templates()]


def b2b_history():
    design = library.load_template("b2b-standard")
    path = DATA / "actuals_salesforce_won_lost.csv"
    return design, compare(design, read_actuals(path.read_bytes(), path.name, design), as_of="2026-11-30")


def test_b2b_standard_keeps_closing_open_and_counts_closed_won_after_it():
    _design, c = b2b_history()
    ids = [s.id for s in c.stages]
    assert ids == ["lead", "appointment", "hearing", "proposal", "closing", "won"]
    assert c.added_won == {"stage": "won", "after": "closing"}
    assert c.final_stage == "won"
    # 006A and 006D won (006D jumped from Qualification to Closed Won: it passed クロージング), 006B and 006E
    # lost, 006C negotiating at クロージング and 006F at 提案 are open.
    closing, won = c.stage("closing"), c.stage("won")
    assert (closing.reached, won.reached, won.rate) == (4, 2, 0.5)
    assert (c.deals, c.open_deals, c.lost_deals) == (6, 2, 2)
    assert closing.open == 1 and c.stage("proposal").open == 1 and won.open == 0
    assert (closing.stagnant, closing.stagnant_deals) == (1, ["006C"])  # an open stage can stagnate
    assert won.target_rate is None and won.planned_per_period == 6  # the plan of the KGI stage
    kgis = {k["id"]: k for k in c.kgis}
    assert kgis["won-deals"]["stage"] == "won" and kgis["won-deals"]["actual"] == 2
    assert kgis["won-revenue"]["actual"] == 2_000_000  # 006A's 1.2M + 006D's 0.8M, not 006C's
    f = c.forecast
    assert f is not None and f["won"] == 2 and f["pipeline"] == 2
    # 006C at the observed closing→won rate (0.5), 006F at proposal→closing (4/5 = 0.8) × 0.5
    assert f["wins"] == pytest.approx(2 + 0.5 + 0.4)
    assert f["revenue"] == pytest.approx(2_000_000 + 0.5 * 500_000 + 0.4 * 300_000)
    assert c.cost["actual_cpa"] == pytest.approx(c.cost["actual"] / 2)  # per won deal, not per deal at closing
    assert comparison_json(c)["added_won"] == {"stage": "won", "after": "closing"}
    assert c.cohorts is not None and c.cohorts[0]["won"] == 2


def test_report_names_the_added_won_stage():
    from journeymap.report.table import compare_table

    design, c = b2b_history()
    out = compare_table(c, design)
    assert "受注" in out and "クロージング (1): 006C" in out


@pytest.mark.parametrize("design", TEMPLATES)
def test_compare_wins_where_the_crm_export_wins(design):
    """Every template: the stage compare counts wins at is the export's first won stage."""
    crm = pipeline_stages(design)
    won = next(s for s in crm if s.won)
    first = design.funnel_stages[0].id
    rows = ["deal_id,stage,timestamp", "D1,Closed Won,2026-10-01", f"D2,{first},2026-10-01", "D2,Closed Lost,2026-10-02",
            f"D3,{first},2026-10-01"]
    c = compare(design, read_actuals("\n".join(rows).encode(), "log.csv", design))
    final = c.stage(c.final_stage)
    if won.stage_id is None or not design.stage(won.stage_id).funnel:  # the export adds 受注
        assert c.added_won is not None and c.final_stage == c.added_won["stage"]
        kgi_stage = c.added_won["after"]
        assert [s.id for s in c.stages].index(kgi_stage) + 1 == [s.id for s in c.stages].index(c.final_stage)
        assert stage_outcome(design.stage(kgi_stage)) is None  # the KGI stage stays open
    else:
        assert c.added_won is None and c.final_stage == won.stage_id
    assert final.reached == 1 and c.lost_deals == 1 and c.open_deals == 1


def _design(stages: list[dict]) -> dict:
    return {"schema_version": 1, "id": "d", "name": "d", "phases": [{"id": "p", "name": "p", "stages": stages}],
            "kgis": [{"id": "wins", "name": "wins", "target": 2, "stage": stages[-1]["id"]}]}


def test_a_stage_named_for_a_win_is_the_won_stage_in_export_and_compare():
    """The design's words override: a stage aliased 成約 is the won stage (no 受注 added)."""
    design = parse_design(_design([
        {"id": "lead", "name": "リード", "funnel": True},
        {"id": "contract", "name": "契約", "funnel": True, "target_rate": 0.5, "aliases": ["成約"]},
    ]))
    assert stage_outcome(design.stage("contract")) == "won"
    assert [(s.stage_id, s.outcome) for s in pipeline_stages(design)] == [("lead", None), ("contract", "won"), (None, "lost")]
    log = "deal_id,stage,timestamp\nA,リード,2026-10-01\nA,成約,2026-10-05\nB,リード,2026-10-01\nC,Closed Won,2026-10-02\n"
    c = compare(design, read_actuals(log.encode(), "log.csv", design))
    assert c.added_won is None and [s.reached for s in c.stages] == [3, 2]  # Closed Won → the won stage too
    assert c.open_deals == 1


def test_an_open_category_keeps_a_stage_open_whatever_its_name():
    design = parse_design(_design([
        {"id": "lead", "name": "リード", "funnel": True},
        {"id": "closing", "name": "受注手続き", "funnel": True, "target_rate": 0.5, "aliases": ["受注"],
         "forecast_category": "commit"},
    ]))
    assert stage_outcome(design.stage("closing")) is None
    # the alias keeps its values at the open stage; Closed Won goes to the added 受注
    log = "deal_id,stage,timestamp\nA,リード,2026-10-01\nA,受注,2026-10-03\nA,Closed Won,2026-10-05\nB,受注,2026-10-02\n"
    c = compare(design, read_actuals(log.encode(), "log.csv", design))
    assert [(s.id, s.reached) for s in c.stages] == [("lead", 2), ("closing", 2), ("won", 1)]
    assert c.open_deals == 1


def test_a_stage_count_table_counts_its_won_row_at_the_added_stage():
    design = library.load_template("b2b-standard")
    table = "stage,count\nリード獲得,100\nアポイント獲得,20\nヒアリング,15\n提案,8\nクロージング,5\n受注,3\n"
    c = compare(design, read_actuals(table.encode(), "counts.csv", design))
    assert [s.reached for s in c.stages] == [100, 20, 15, 8, 5, 3]
    assert {k["id"]: k["actual"] for k in c.kgis}["won-deals"] == 3
    assert c.unmatched_stages == []


def test_one_probability_source_for_the_crm_exports_the_plan_and_the_forecast():
    """planning.stage_probabilities is what Salesforce/HubSpot round, and what compare's forecast sets
    beside the observed rates; a stage's own probability replaces the computed one everywhere."""
    from journeymap.planning import stage_probabilities

    design, c = b2b_history()
    probabilities = stage_probabilities(design)
    assert {s.stage_id: s.probability for s in pipeline_stages(design) if s.stage_id} == {
        k: v for k, v in probabilities.items() if k in {"lead", "appointment", "hearing", "proposal", "closing"}}
    f = c.forecast
    by_stage = {r["stage"]: r for r in f["by_stage"]}
    # クロージング: the template's own 0.9 (no rate to the win is planned after it); 提案: 0.3 into it × 0.9
    assert by_stage["closing"]["planned_probability"] == pytest.approx(0.9)
    assert by_stage["proposal"]["planned_probability"] == pytest.approx(0.3 * 0.9)
    assert f["planned_wins"] == pytest.approx(2 + 1 * 0.9 + 1 * 0.27)  # 006C at closing, 006F at proposal

    data = design.model_dump(by_alias=True, exclude_none=True)
    data["phases"][2]["stages"][2]["probability"] = 0.6  # クロージング set by hand
    edited = parse_design(data)
    assert stage_probabilities(edited)["closing"] == 0.6
    assert stage_probabilities(edited)["proposal"] == pytest.approx(0.3 * 0.6)  # carried upstream
    crm = {s.stage_id: s for s in pipeline_stages(edited)}
    assert (crm["closing"].probability, crm["closing"].source) == (0.6, "design")
    assert (crm["proposal"].probability, crm["proposal"].source) == (pytest.approx(0.18), "planned")
    path = DATA / "actuals_salesforce_won_lost.csv"
    c2 = compare(edited, read_actuals(path.read_bytes(), path.name, edited), as_of="2026-11-30")
    assert c2.forecast["planned_wins"] == pytest.approx(2 + 0.6 + 0.18)


def test_per_stage_how_many_deals_have_the_key_and_required_records_filled():
    """Columns named like a design's key or required records (by name or id) are counted per stage:
    of the deals that reached the stage, those with a value; other columns are not records."""
    from journeymap.report.details import sections

    design = library.load_template("b2b-standard")
    log = ("deal_id,stage,timestamp,リードの流入経路,quote-amount,メモ\n"
           "A,リード獲得,2026-10-01,展示会,,x\n"
           "A,提案,2026-10-05,,1000000,\n"
           "B,リード獲得,2026-10-01,,,\n"
           "B,提案,2026-10-06,, ,\n"
           "C,リード獲得,2026-10-02,Web,,\n")
    c = compare(design, read_actuals(log.encode(), "log.csv", design))
    lead = {r["record"]: r for r in c.stage("lead").records}
    assert set(lead) == {"lead-source"}  # registered-on has no column
    assert (lead["lead-source"]["filled"], lead["lead-source"]["deals"], lead["lead-source"]["column"]) == (2, 3, "リードの流入経路")
    proposal = {r["record"]: r for r in c.stage("proposal").records}
    assert (proposal["quote-amount"]["filled"], proposal["quote-amount"]["deals"]) == (1, 2)  # " " is not a value
    assert c.stage("hearing").records is None
    assert comparison_json(c)["stages"][0]["records"][0]["name"] == "リードの流入経路"
    (section,) = [s for s in sections(c, c.stage_names(design, "ja"), "ja") if s.title.startswith("記録項目")]
    assert section.rows[0] == ["リード獲得", "リードの流入経路 (キー項目・必須)", "リードの流入経路", "2 / 3", "66.7%"]


def test_the_funnel_drawn_with_the_actuals_has_the_added_won_stage(tmp_path):
    from click.testing import CliRunner

    from journeymap.cli.main import cli

    out = tmp_path / "funnel.dot"
    result = CliRunner().invoke(cli, ["render", "b2b-standard", "--view", "funnel",
                                      "--actuals", str(DATA / "actuals_salesforce_won_lost.csv"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    dot = out.read_text("utf-8")
    assert dot.index("</FONT> クロージング</B>") < dot.index("</FONT> 受注</B>")  # the 受注 bar follows クロージング


@pytest.mark.parametrize("template_id", ["b2b-standard", "smb-funnel"])
def test_a_won_status_wins_the_deal_at_its_latest_such_row(template_id):
    """Pipedrive keeps a won deal at its last stage with status won: the deal is won there (at the
    design's won stage, or the 受注 the pipeline adds), a lost status still loses it."""
    design = library.load_template(template_id)
    first, last_open = design.funnel_stages[0].id, next(s for s in reversed(deal_pipeline(design).open)).id
    log = ("deal_id,stage,timestamp,status\n"
           f"P1,{first},2026-10-01,open\nP1,{last_open},2026-10-08,won\n"
           f"P2,{first},2026-10-01,open\nP2,{last_open},2026-10-04,lost\n"
           f"P3,{first},2026-10-02,open\nP3,{last_open},2026-10-05,open\n")
    c = compare(design, read_actuals(log.encode(), "pipedrive.csv", design))
    final = c.stage(c.final_stage)
    assert (final.reached, c.open_deals, c.lost_deals) == (1, 1, 1)
    assert c.stage(last_open).open == 1
