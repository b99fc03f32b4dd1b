"""Every compare definition pinned on small hand-computed logs (DESIGN.md "Numbers").

The log below has six deals (design: リード → アポ獲得 → 商談 → 提案 → 受注, target rates 0.5):
  D1 goes all the way (its amount rises from 1.0M to 1.2M on a later row);
  D2 skips アポ獲得 and waits at 提案;
  D3 enters アポ獲得 twice and is lost there (失注, reason 予算 = drop reason 'budget');
  D4 waits at リード; D5 waits at アポ獲得 since 04-06;
  D6 is marked lost and then reopened by a later 商談 event.
The rows are deliberately out of order.

The log runs from 04-01 to 04-20: the default window is those 20 days, 20/30 of the design's month,
so the plan per month (64 leads … 4 wins) is scaled by 2/3 for the window.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from journeymap.actuals.reading import read_actuals
from journeymap.compare.funnel import compare
from journeymap.compare.types import status_of
from journeymap.designfile.reading import load_design
from journeymap.errors import InputError
from journeymap.report.json_output import comparison_json

DATA = Path(__file__).parent / "data"

LOG = """deal_id,stage,timestamp,amount,owner,lost_reason,next_action_date
D1,受注,2024-04-20,1200000,佐藤,,
D2,提案,2024-04-08,800000,佐藤,,2024-04-25
D1,リード,2024-04-01,1000000,佐藤,,
D3,アポ獲得,2024-04-06,500000,田中,,
D6,商談,2024-04-10,600000,,,
D1,アポ獲得,2024-04-03,1000000,佐藤,,
D3,失注,2024-04-09,500000,田中,予算,
D4,リード,2024-04-03,,田中,,
D1,商談,2024-04-10,1200000,佐藤,,
D2,リード,2024-04-01,800000,佐藤,,
D5,リード,2024-04-05,300000,鈴木,,
D1,提案,2024-04-15,1200000,佐藤,,
D3,リード,2024-04-02,500000,田中,,
D6,リード,2024-04-01,600000,,,
D5,アポ獲得,2024-04-06,300000,鈴木,,2024-04-15
D2,商談,2024-04-05,800000,佐藤,,2024-04-25
D3,アポ獲得,2024-04-04,500000,田中,,
D6,アポ獲得,2024-04-02,600000,,,
D6,失注,2024-04-03,600000,,,
"""


@pytest.fixture(scope="module")
def design():
    return load_design(DATA / "actuals_design.yaml")


def run(design, text: str = LOG, as_of=None, name: str = "log.csv"):
    return compare(design, read_actuals(text.encode("utf-8"), name, design), as_of=as_of)


@pytest.fixture(scope="module")
def result(design):
    return run(design)


def column(result, key):
    return [getattr(s, key) for s in result.stages]


def test_reached_counts_skipped_stages_and_entered_counts_events(result):
    assert column(result, "reached") == [6, 5, 3, 2, 1]
    assert column(result, "entered") == [6, 4, 3, 2, 1]  # D2 skipped アポ獲得; D3's second entry counts once


def test_rates_gaps_and_attainment(result):
    assert column(result, "rate") == [None, pytest.approx(5 / 6), pytest.approx(3 / 5), pytest.approx(2 / 3), 0.5]
    assert column(result, "gap_pts") == [None, pytest.approx(100 / 3), pytest.approx(10), pytest.approx(50 / 3), 0]
    assert column(result, "planned_per_period") == [64, 32, 16, 8, 4]
    assert result.scale == pytest.approx(20 / 30)
    assert column(result, "planned") == pytest.approx([64 * 2 / 3, 32 * 2 / 3, 16 * 2 / 3, 8 * 2 / 3, 4 * 2 / 3])
    assert column(result, "attainment") == pytest.approx([6 / 64 * 1.5, 5 / 32 * 1.5, 3 / 16 * 1.5, 2 / 8 * 1.5, 1 / 4 * 1.5])
    assert column(result, "status") == ["off_track", "on_track", "on_track", "on_track", "on_track"]


def test_lost_open_and_reopened_deals(result):
    assert column(result, "lost") == [0, 1, 0, 0, 0]  # D3 dropped out at アポ獲得
    assert column(result, "open") == [1, 1, 1, 1, 0]  # D4, D5, D6 (reopened), D2
    assert (result.deals, result.open_deals, result.lost_deals) == (6, 4, 1)


def test_days_in_stage_median_and_p90(result):
    # リード: D1 2, D2 4 (to 商談), D3 2, D5 1, D6 1 → median 2, p90 3.2; アポ獲得: D1 7, D6 8; 商談: D1 5, D2 3; 提案: D1 5.
    assert column(result, "median_days") == [2, 7.5, 4, 5, None]
    assert column(result, "p90_days") == [pytest.approx(3.2), pytest.approx(7.9), pytest.approx(4.8), 5, None]


def test_stagnant_open_deals_at_the_as_of_date(design, result):
    assert result.as_of.isoformat() == "2024-04-20"  # the latest event
    # Ages at the end of 04-20: D5 15 days at アポ獲得 (> 10); D6 11 at 商談 (≤ 14); D2 13 at 提案 (≤ 14).
    assert column(result, "stagnant") == [None, 1, 0, 0, None]
    assert result.stage("appointment").stagnant_deals == ["D5"]
    later = run(design, as_of="2024-04-25")
    assert column(later, "stagnant") == [None, 1, 1, 1, None]
    assert [s.stagnant_deals for s in later.stages[1:4]] == [["D5"], ["D6"], ["D2"]]


def test_as_of_replays_an_earlier_day(design):
    earlier = run(design, as_of="2024-04-09")
    # Without the events from 04-10 on, D1 waits at アポ獲得 and D6 stays lost (its reopening comes later).
    assert column(earlier, "reached") == [6, 5, 1, 1, 0]
    assert column(earlier, "lost") == [0, 2, 0, 0, 0]
    assert earlier.as_of.isoformat() == "2024-04-09"


def test_out_of_order_rows_give_the_same_result(design, result):
    header, *rows = LOG.strip().splitlines()
    random.Random(4).shuffle(rows)
    shuffled = run(design, "\n".join([header, *rows]) + "\n")
    assert comparison_json(shuffled) == comparison_json(result)
    in_time_order = sorted(rows, key=lambda row: row.split(",")[2])  # the fast path for time-ordered exports
    assert comparison_json(run(design, "\n".join([header, *in_time_order]) + "\n")) == comparison_json(result)


def test_next_actions(result):
    assert column(result, "no_next_action") == [1, 0, 1, 0, None]  # D4, D6
    assert column(result, "overdue_next_action") == [0, 1, 0, 0, None]  # D5's 04-15 is before 04-20


def test_drop_reasons_per_stage_matched_to_the_design(result):
    assert result.stage("appointment").drop_reasons == [{"reason": "予算", "drop_reason": "budget", "count": 1}]
    assert result.stage("proposal").drop_reasons == []


def test_kgis_from_counts_and_amounts(result):
    wins, revenue = result.kgis
    # Targets per month (4 wins, ¥4M) × 2/3 for the 20-day window.
    assert (wins["actual"], wins["target_per_period"]) == (1, 4)
    assert (wins["target"], wins["attainment"]) == (pytest.approx(8 / 3), pytest.approx(3 / 8))
    assert (revenue["actual"], revenue["attainment"]) == (1_200_000, pytest.approx(0.45))  # D1's latest amount


def test_forecast_from_the_open_pipeline_at_actual_rates(result):
    f = result.forecast
    # Open deals reach 受注 with: リード 5/6·3/5·2/3·1/2 = 1/6, アポ獲得 1/5, 商談 1/3, 提案 1/2.
    assert [(row["stage"], row["open"], row["probability"]) for row in f["by_stage"]] == [
        ("lead", 1, pytest.approx(1 / 6)), ("appointment", 1, pytest.approx(1 / 5)),
        ("meeting", 1, pytest.approx(1 / 3)), ("proposal", 1, pytest.approx(1 / 2))]
    assert (f["won"], f["pipeline"]) == (1, 4)
    assert f["wins"] == pytest.approx(2.2)
    # Revenue: 1.2M won + D4 (no amount: the mean won amount 1.2M)/6 + 300k/5 + 600k/3 + 800k/2.
    assert f["revenue"] == pytest.approx(1_200_000 + 200_000 + 60_000 + 200_000 + 400_000)
    assert result.kgis[0]["forecast"] == pytest.approx(2.2)


def test_cost_and_cpa(result):
    # Planned per month: 64 leads × ¥1,000 + the sales team's fixed ¥100,000 (the unused partner's is left
    # out) = ¥164,000, × 2/3 for the window; CPA ¥164,000 / 4 wins. Actual: 6 leads × ¥1,000 + ¥100,000 × 2/3.
    cost = result.cost
    assert cost["planned"] == pytest.approx(164_000 * 2 / 3) and cost["planned_cpa"] == 41_000
    assert cost["actual"] == pytest.approx(6_000 + 100_000 * 2 / 3)
    assert cost["actual_cpa"] == pytest.approx(6_000 + 100_000 * 2 / 3)  # one win
    assert (cost["basis"], cost["cpa_stage"], cost["acquisition_kgi"]) == ("unit costs", "won", "wins")
    assert cost["by_owner"] == [{"owner": "sales", "name": "自社営業", "kind": "internal", "engagement": None,
                                 "planned": pytest.approx(164_000 * 2 / 3), "actual": pytest.approx(6_000 + 100_000 * 2 / 3)}]


def test_breakdown_by_owner(result):
    groups = result.breakdowns["owner"]["groups"]
    assert [(g["value"], g["deals"], g["won"], g["open"], g["lost"], g["revenue"]) for g in groups] == [
        ("佐藤", 2, 1, 1, 0, 1_200_000), ("田中", 2, 0, 1, 1, 0), ("鈴木", 1, 0, 1, 0, 0), (None, 1, 0, 1, 0, 0)]
    assert groups[0]["reached"] == {"lead": 2, "appointment": 2, "meeting": 2, "proposal": 2, "won": 1}
    assert groups[1]["rates"]["appointment"] == 0.5


def test_monthly_cohorts(design, result):
    assert [(c["value"], c["deals"], c["won"]) for c in result.cohorts] == [("2024-04", 6, 1)]
    may = LOG + "D7,リード,2024-05-02,,,,\nD7,アポ獲得,2024-05-09,,,,\n"
    cohorts = run(design, may).cohorts
    assert [(c["value"], c["deals"], c["reached"]["appointment"]) for c in cohorts] == [("2024-04", 6, 5), ("2024-05", 1, 1)]


def test_no_bottleneck_when_every_rate_meets_target(result):
    assert result.bottleneck == {"stage": None, "added_final": 0.0, "final_stage": "won"}
    assert column(result, "impact") == [None, 0, 0, 0, 0]


COUNTS = "stage,count\nリード,1000\nアポ獲得,400\n商談,190\n提案,70\n受注,35\n"


def test_bottleneck_is_the_stage_of_largest_impact(design):
    result = run(design, COUNTS)
    # 受注 35; fixing アポ獲得 (0.4 → 0.5) adds 35 × (0.5/0.4 − 1) = 8.75; 商談 1.84; 提案 (0.368 → 0.5) 12.5.
    assert column(result, "impact") == [None, pytest.approx(8.75), pytest.approx(35 * (0.5 / 0.475 - 1)), pytest.approx(12.5), 0]
    assert result.bottleneck["stage"] == "proposal"
    assert result.bottleneck["added_final"] == pytest.approx(12.5)


def test_status_thresholds_at_their_boundaries(design):
    result = run(design, COUNTS)
    # アポ獲得 at exactly 80 % of target: at risk; 商談 at exactly 95 %: on track; 提案 at 74 %: off track.
    assert column(result, "status") == ["on_track", "at_risk", "on_track", "off_track", "on_track"]
    assert status_of(0.79, 1.0, None, 1) == "off_track"
    assert status_of(None, 0.5, None, 2) is None


def test_a_stage_nobody_passed_counts_later_rates_at_target(design):
    result = run(design, "stage,count\nリード,100\nアポ獲得,0\n")
    # 100 leads × 0.5 × 0.5 × 0.5 × 0.5 (later rates cannot be measured: at target) = 6.25.
    assert result.bottleneck == {"stage": "appointment", "added_final": 6.25, "final_stage": "won"}
    assert column(result, "reached") == [100, 0, None, None, None]


def test_stage_count_table_with_periods_segments_and_cost(design):
    path = DATA / "actuals_stage_counts.csv"
    result = compare(design, read_actuals(path.read_bytes(), str(path), design))
    assert column(result, "reached") == [220, 90, 45, 20, 8]
    assert column(result, "median_days") == [None] * 5 and result.forecast is None
    assert result.cost["actual"] == 220_000 and result.cost["actual_cpa"] == 27_500
    assert result.cost["basis"] == "cost column"
    assert [(c["value"], c["deals"], c["won"], c["win_rate"]) for c in result.cohorts] == [
        ("2024-04", 100, 3, 0.03), ("2024-05", 120, 5, 5 / 120)]
    assert result.breakdowns["segment"]["groups"][0]["reached"]["won"] == 8
    assert result.kgis[0]["actual"] == 8 and result.kgis[1]["actual"] is None  # no amounts in a count table


def test_design_without_funnel_stages_is_an_error(design):
    actuals = read_actuals(COUNTS.encode(), "c.csv", design)
    flat = design.model_copy(deep=True)
    flat.kgis = []
    for stage in flat.stages:
        stage.funnel, stage.target_rate = False, None
    with pytest.raises(InputError, match="no funnel stages"):
        compare(flat, actuals)


def test_unmatched_stages_are_reported(design):
    result = run(design, "deal_id,stage,timestamp\nD1,リード,2024-04-01\nD1,見積,2024-04-02\nD2,見積,2024-04-03\n")
    assert comparison_json(result)["unmatched_stages"] == [{"value": "見積", "count": 2}]


def test_a_log_with_one_event_per_deal_and_stage_gives_the_same_figures(design, result):
    """Without D3's second アポ獲得 row every deal has at most one event per stage (a faster path)."""
    single = run(design, LOG.replace("D3,アポ獲得,2024-04-06,500000,田中,,\n", ""))
    for key in ("reached", "entered", "median_days", "p90_days", "stagnant", "lost", "open"):
        assert column(single, key) == column(result, key), key
