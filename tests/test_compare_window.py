"""Windows, scaled plans, bases, the period table, pace, paused deals, recovery, temperature, actual
paths and the forecast range — each on a small log computed by hand (DESIGN.md "Numbers")."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from journeymap.actuals.reading import read_actuals
from journeymap.cli.main import main
from journeymap.compare.details import wins_range
from journeymap.compare.funnel import compare
from journeymap.compare.window import parse_period, periods_between, working_days
from journeymap.designfile.reading import load_design, parse_design_text
from journeymap.errors import InputError
from journeymap.report.table import compare_table

DATA = Path(__file__).parent / "data"

MONTHLY = """schema_version: 1
id: monthly
name: 月次
period: month
phases:
  - id: sales
    name: 営業
    stages:
      - {id: lead, name: リード, funnel: true}
      - {id: appointment, name: アポ獲得, funnel: true, target_rate: 0.5}
      - {id: won, name: 受注, funnel: true, target_rate: 0.5}
kgis:
  - {id: wins, name: 成約件数, target: 30, stage: won}
"""


@pytest.fixture(scope="module")
def monthly():
    return parse_design_text(MONTHLY, "monthly.yaml")


@pytest.fixture(scope="module")
def design():
    return load_design(DATA / "actuals_design.yaml")


def run(design, text: str, **options):
    return compare(design, read_actuals(text.encode("utf-8"), "log.csv", design), **options)


# --------------------------------------------------------------------------- windows and scale


def june_to_november() -> str:
    """102 deals won between 1 June and 20 November 2026, one every ~1.7 days."""
    rows = ["deal_id,stage,timestamp"]
    start = dt.date(2026, 6, 1)
    days = (dt.date(2026, 11, 20) - start).days
    for i in range(102):
        day = start + dt.timedelta(days=round(i * days / 101))
        rows += [f"W{i:03d},リード,{day}", f"W{i:03d},アポ獲得,{day}", f"W{i:03d},受注,{day}"]
    return "\n".join(rows) + "\n"


def test_june_to_november_against_30_wins_a_month_is_60_percent_not_340(monthly):
    result = run(monthly, june_to_november())
    window = result.window
    assert (window.start, window.end, window.basis) == (dt.date(2026, 6, 1), dt.date(2026, 11, 20), "activity")
    assert result.scale == pytest.approx(5 + 20 / 30)  # June … October whole, 20 of November's 30 days
    wins = result.kgis[0]
    assert wins["actual"] == 102 and wins["target_per_period"] == 30
    assert wins["target"] == pytest.approx(30 * (5 + 20 / 30))
    assert wins["attainment"] == pytest.approx(102 / 170)  # 0.6
    assert result.stages[-1].attainment == pytest.approx(0.6)
    text = compare_table(result, monthly, "ja")
    assert "2026-06-01〜2026-11-20" in text and "5.67か月" in text and "(60%)" in text
    assert "340%" not in text and "383" not in text


def test_the_json_states_the_window_and_the_scale(capsys, tmp_path, monthly):
    path = tmp_path / "wins.csv"
    path.write_text(june_to_november(), encoding="utf-8")
    design = tmp_path / "monthly.yaml"
    design.write_text(MONTHLY, encoding="utf-8")
    assert main(["compare", str(design), str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["window"]["from"] == "2026-06-01" and data["window"]["to"] == "2026-11-20"
    assert data["window"]["basis"] == "activity" and data["scale"] == pytest.approx(17 / 3)
    assert data["kgis"][0]["attainment"] == pytest.approx(0.6)  # full precision
    assert data["stages"][0]["planned_per_period"] == 120 and data["stages"][0]["planned"] == pytest.approx(680)


@pytest.mark.parametrize("start, end, unit, periods", [
    ("2026-06-01", "2026-11-20", "month", 5 + 20 / 30),
    ("2026-06-15", "2026-06-30", "month", 16 / 30),
    ("2026-02-01", "2026-02-28", "month", 1.0),
    ("2026-01-01", "2026-03-31", "quarter", 1.0),
    ("2026-03-01", "2026-04-30", "quarter", 31 / 90 + 30 / 91),  # Q1 has 90 days, Q2 91
    ("2026-01-01", "2026-12-31", "year", 1.0),
    ("2026-10-05", "2026-10-18", "week", 2.0),
])
def test_a_window_in_periods_by_calendar(start, end, unit, periods):
    assert periods_between(dt.date.fromisoformat(start), dt.date.fromisoformat(end), unit) == pytest.approx(periods)


def test_period_forms():
    assert parse_period("2026-10") == (dt.date(2026, 10, 1), dt.date(2026, 10, 31), "month")
    assert parse_period("2026-Q3") == (dt.date(2026, 7, 1), dt.date(2026, 9, 30), "quarter")
    assert parse_period("2026") == (dt.date(2026, 1, 1), dt.date(2026, 12, 31), "year")
    assert parse_period("2026-W40")[:2] == (dt.date(2026, 9, 28), dt.date(2026, 10, 4))
    with pytest.raises(InputError, match="not a period"):
        parse_period("October")


# Four deals around October 2026 (design lead → appointment → won):
#   A: lead 09-28, appointment 10-03, won 10-20     B: lead 10-05, appointment 10-25
#   C: lead 10-30, appointment 11-02                D: lead 09-10
AROUND_OCTOBER = """deal_id,stage,timestamp
A,リード,2026-09-28
A,アポ獲得,2026-10-03
A,受注,2026-10-20
B,リード,2026-10-05
B,アポ獲得,2026-10-25
C,リード,2026-10-30
C,アポ獲得,2026-11-02
D,リード,2026-09-10
"""


def test_activity_basis_counts_what_happened_in_the_period(monthly):
    result = run(monthly, AROUND_OCTOBER, period="2026-10")
    # Leads in October: B, C; appointments: A, B (C's is in November); wins: A.
    assert [s.reached for s in result.stages] == [2, 2, 1]
    assert result.scale == 1.0 and result.window.label == "2026-10"
    assert result.as_of == dt.date(2026, 10, 31)  # the state is taken at the window's end
    assert [s.planned for s in result.stages] == [120, 60, 30]


def test_cohort_basis_follows_the_deals_created_in_the_window_to_the_as_of_date(monthly):
    result = run(monthly, AROUND_OCTOBER, period="2026-10", basis="cohort")
    # Deals whose first event is in October: B and C, followed to 11-02 (C's appointment counts).
    assert [s.reached for s in result.stages] == [2, 2, 0]
    assert result.as_of == dt.date(2026, 11, 2) and result.window.basis == "cohort"


def test_from_and_to_choose_a_window(monthly):
    result = run(monthly, AROUND_OCTOBER, start="2026-10-01", end="2026-10-15")
    assert result.scale == pytest.approx(15 / 31)
    assert [s.reached for s in result.stages] == [1, 1, 0]  # B's lead; A's appointment
    with pytest.raises(InputError, match="before --from"):
        run(monthly, AROUND_OCTOBER, start="2026-10-15", end="2026-10-01")


def test_period_table_plans_each_period_by_its_share(monthly):
    result = run(monthly, AROUND_OCTOBER)
    # The window is 09-10 … 11-02: 21/30 of September, October, 2/30 of November.
    assert [(p["period"], p["share"]) for p in result.periods] == [
        ("2026-09", pytest.approx(0.7)), ("2026-10", 1.0), ("2026-11", pytest.approx(2 / 30))]
    leads = [p["stages"][0] for p in result.periods]
    assert [(r["planned"], r["actual"]) for r in leads] == [
        (pytest.approx(84), 2), (120, 2), (pytest.approx(8), 0)]  # A and D in September, B and C in October
    assert [p["stages"][1]["actual"] for p in result.periods] == [0, 2, 1]
    wins = [p["kgis"][0] for p in result.periods]
    assert [(w["target"], w["actual"]) for w in wins] == [(pytest.approx(21), 0), (30, 1), (pytest.approx(2), 0)]
    assert wins[1]["attainment"] == pytest.approx(1 / 30)


def test_count_table_is_compared_period_by_period(design):
    path = DATA / "actuals_stage_counts.csv"
    result = compare(design, read_actuals(path.read_bytes(), str(path), design))
    assert (result.window.start, result.window.end, result.scale) == (dt.date(2024, 4, 1), dt.date(2024, 5, 31), 2.0)
    assert [(p["period"], p["stages"][0]["planned"], p["stages"][0]["actual"]) for p in result.periods] == [
        ("2024-04", 64, 100), ("2024-05", 64, 120)]
    assert [p["kgis"][0]["attainment"] for p in result.periods] == [0.75, 1.25]  # 3 and 5 wins of 4
    may = compare(design, read_actuals(path.read_bytes(), str(path), design), period="2024-05")
    assert [s.reached for s in may.stages] == [120, 50, 30, 12, 5] and may.scale == 1.0


def test_pace_of_the_current_period(monthly):
    result = run(monthly, AROUND_OCTOBER, as_of="2026-10-20")
    pace = result.pace
    # October, as of the 20th: 20 of 31 days; one win (A on 10-20) → 1 / (20/31) = 1.55 wins by the 31st.
    assert (pace["period"], pace["elapsed_days"], pace["days"]) == ("2026-10", 20, 31)
    wins = pace["kgis"][0]
    assert wins["actual"] == 1 and wins["projected"] == pytest.approx(31 / 20)
    assert wins["projected_attainment"] == pytest.approx(31 / 20 / 30)
    # 29 wins still needed over 10-21 … 10-31: Wed–Fri, then Mon–Fri = 8 working days.
    assert pace["working_days_left"] == 8 and wins["needed_per_working_day"] == pytest.approx(29 / 8)


def test_working_days():
    assert working_days(dt.date(2026, 10, 21), dt.date(2026, 10, 31)) == 8
    assert working_days(dt.date(2026, 10, 31), dt.date(2026, 10, 30)) == 0


# --------------------------------------------------------------------------- paused deals and recovery

PAUSES = """deal_id,stage,timestamp,lost_reason
P1,リード,2024-04-01,
P1,アポ獲得,2024-04-02,
P1,保留,2024-04-05,
P2,リード,2024-04-01,
P2,中断,2024-04-03,
P2,アポ獲得,2024-04-10,
P2,受注,2024-04-15,
P3,リード,2024-04-01,
P3,失注,2024-04-02,予算
P3,リード,2024-04-08,
P4,リード,2024-04-01,
P4,アポ獲得,2024-04-03,
"""


def test_paused_deals_are_neither_open_nor_lost_nor_stagnant(design):
    result = run(design, PAUSES)
    assert [s.paused for s in result.stages] == [0, 1, 0, 0, 0]  # P1 at アポ獲得
    assert [s.open for s in result.stages] == [1, 1, 0, 0, 0]  # P3 (back at リード), P4
    assert [s.lost for s in result.stages] == [0, 0, 0, 0, 0]
    assert (result.paused_deals, result.open_deals) == (1, 2)
    # As of 04-15: P4 has waited at アポ獲得 since 04-03 (13 days > 10); P1 since 04-02 but is paused.
    assert result.stage("appointment").stagnant_deals == ["P4"]
    assert result.forecast["paused"] == 1 and result.forecast["pipeline"] == 2


def test_deals_that_came_back_after_a_pause_or_a_loss(design):
    recovery = run(design, PAUSES).recovery
    # Marked: P1 (paused), P2 (paused, back at アポ獲得 and won), P3 (lost for 予算, back at リード).
    assert (recovery["marked"], recovery["deals"], recovery["won"]) == (3, 2, 1)
    assert recovery["by_stage"] == [{"stage": "lead", "deals": 1, "won": 0}, {"stage": "appointment", "deals": 1, "won": 1}]
    assert [(r["reason"], r["drop_reason"], r["deals"], r["won"]) for r in recovery["by_reason"]] == [
        ("予算", "budget", 1, 0), (None, None, 1, 1)]


def test_a_status_column_can_pause_and_a_stage_map_can_name_a_pause(design):
    text = "deal_id,stage,timestamp,status\nS1,リード,2024-04-01,\nS1,アポ獲得,2024-04-02,On Hold\nS2,リード,2024-04-01,\nS2,待機,2024-04-02,\n"
    assert run(design, text.replace(",待機,", ",リード,")).paused_deals == 1
    actuals = read_actuals(text.encode(), "log.csv", design, stage_map={"待機": ":paused"})
    assert [s.paused for s in compare(design, actuals).stages] == [1, 1, 0, 0, 0]


# --------------------------------------------------------------------------- temperature

TEMPERATURE = """deal_id,stage,timestamp,温度感
T1,リード,2024-04-01,Hot
T2,リード,2024-04-01,Cold
T3,リード,2024-04-01,
T3,アポ獲得,2024-04-02,Hot
T4,リード,2024-04-01,Warm
T4,アポ獲得,2024-04-02,
T4,商談,2024-04-03,
T4,提案,2024-04-04,
T4,受注,2024-04-05,
"""


def test_pipeline_and_forecast_by_temperature(design):
    result = run(design, TEMPERATURE)
    # Rates: アポ獲得 2/4, 商談 1/2, 提案 1/1, 受注 1/1 → a lead wins with 1/4, an appointment with 1/2.
    hot, cold = (next(level for level in design.temperature_scale if level.id == i) for i in ("hot", "cold"))
    assert design.temperature is None  # no scale of its own: the default hot / warm / cold
    assert result.temperature == [
        {"level": "hot", "name": hot.name, "value": "Hot", "values": ["Hot"], "open": 2,
         "by_stage": {"lead": 1, "appointment": 1}, "expected_wins": pytest.approx(0.75), "paused": 0},
        {"level": "cold", "name": cold.name, "value": "Cold", "values": ["Cold"], "open": 1, "by_stage": {"lead": 1},
         "expected_wins": pytest.approx(0.25), "paused": 0},
    ]  # T4 (Warm) is won: not in the pipeline
    assert [g["value"] for g in result.breakdowns["temperature"]["groups"]] == ["Hot", "Cold", "Warm"]


SCALED = """deal_id,stage,timestamp,確度
S1,リード,2024-04-01,ヨミ外
S2,リード,2024-04-01,Ａ
S3,リード,2024-04-01,確度A
S4,リード,2024-04-01,b
S5,リード,2024-04-01,
S6,リード,2024-04-01,ヨミ外
S6,アポ獲得,2024-04-02,
S7,リード,2024-04-01,hot
"""


def test_temperature_rows_follow_the_designs_own_scale(design):
    """A design's scale (ids, names, aliases) decides the levels, their order and their names; a value of
    no level (ヨミ外, and `hot`, which is not this design's word) comes after the scale, an empty one last."""
    from journeymap.model import Localized, TemperatureLevel

    scaled = design.model_copy(deep=True)
    scaled.temperature = [
        TemperatureLevel(id="a", name=Localized(ja="確度A", en="Likely"), aliases=["A"]),
        TemperatureLevel(id="b", name="確度B"),
        TemperatureLevel(id="c", name="確度C"),
    ]
    result = run(scaled, SCALED)
    rows = [(r["level"], r["values"], r["open"]) for r in result.temperature]
    assert rows == [("a", ["Ａ", "確度A"], 2), ("b", ["b"], 1), (None, ["ヨミ外"], 2), (None, ["hot"], 1), (None, [], 1)]
    assert [r["name"] for r in result.temperature][:2] == [Localized(ja="確度A", en="Likely"), "確度B"]
    from journeymap.report.json_output import comparison_json

    shown = comparison_json(result, "en")["temperature"]
    assert [r["name"] for r in shown] == ["Likely", "確度B", None, None, None]
    from journeymap.report.details import temperature_label

    assert [temperature_label(r, "ja") for r in comparison_json(result, "ja")["temperature"]] == [
        "確度A (Ａ)", "確度B (b)", "ヨミ外", "hot", ""]


# --------------------------------------------------------------------------- actual paths

PATHS = """deal_id,stage,timestamp
D1,リード,2024-04-01
D1,アポ獲得,2024-04-02
D1,商談,2024-04-03
D2,リード,2024-04-01
D2,商談,2024-04-02
D2,アポ獲得,2024-04-03
D3,リード,2024-04-01
D3,導入支援,2024-04-02
D3,リード,2024-04-03
D3,リード,2024-04-04
"""


def test_transitions_against_the_designed_process(design):
    result = run(design, PATHS)
    moves = {(t["from"], t["to"]): (t["deals"], t["moves"], t["kind"]) for t in result.transitions}
    assert moves == {
        ("lead", "appointment"): (1, 1, "designed"),  # D1
        ("appointment", "meeting"): (1, 1, "designed"),  # D1
        ("lead", "meeting"): (1, 1, "skip"),  # D2 skips アポ獲得
        ("meeting", "appointment"): (1, 1, "backward"),  # D2 goes back
        ("lead", "onboarding"): (1, 1, "outside"),  # D3 jumps to 導入支援, outside the funnel
        ("onboarding", "lead"): (1, 1, "backward"),  # and back (its repeated リード is no move)
    }
    assert result.conformance == {"deals": 3, "designed_path_deals": 1, "designed_path_share": pytest.approx(1 / 3),
                                  "skips": 1, "backward": 2, "outside": 1}


def test_a_transition_of_the_design_is_designed(design):
    from journeymap.model import Transition

    looped = design.model_copy(deep=True)
    looped.transitions = [Transition(**{"from": "meeting", "to": "appointment"})]
    result = run(looped, PATHS)
    kinds = {(t["from"], t["to"]): t["designed"] for t in result.transitions}
    assert kinds[("meeting", "appointment")] is True and kinds[("lead", "meeting")] is False


# --------------------------------------------------------------------------- forecast range

def test_forecast_range_is_the_middle_80_percent_of_the_poisson_binomial():
    # Four open deals winning with 1/6, 1/5, 1/3, 1/2: P(0) = 40/180, P(1) = 78/180, P(2) = 49/180,
    # so the CDF is 0.222, 0.656, 0.928: the 10th percentile is 0 and the 90th is 2.
    assert wins_range([(1, 1 / 6), (1, 1 / 5), (1, 1 / 3), (1, 1 / 2)], 0.8) == (0, 2)
    assert wins_range([(2, 0.5)], 0.8) == (0, 2)  # 1/4, 1/2, 1/4
    assert wins_range([(10, 1.0), (5, 0.0)], 0.8) == (10, 10)
    assert wins_range([], 0.8) == (0, 0)


def test_forecast_range_counts_the_uncertainty_of_the_rates():
    """20 open deals one stage before the won stage, whose rate was measured as 2 of 4: the rate is
    Beta(2.5, 2.5) (Jeffreys), so the wins are beta-binomial(20, 2.5, 2.5). Its CDF, worked out from
    the formula C(20, k) B(k + 2.5, 22.5 − k) / B(2.5, 2.5), is 0.085 at 3 and 0.131 at 4, 0.869 at
    15 and 0.915 at 16: the range is 4–16, where a rate taken as exactly 0.5 gives 7–13."""
    from journeymap.compare.details import forecast_range

    assert forecast_range([20, 0], [None, (2, 4)], 1, 0.8) == (4, 16)
    assert wins_range([(20, 0.5)], 0.8) == (7, 13)
    # 10 of 20: beta-binomial(20, 10.5, 10.5), CDF 0.072 at 5, 0.130 at 6, 0.870 at 13, 0.928 at 14.
    assert forecast_range([20, 0], [None, (10, 20)], 1, 0.8) == (6, 14)
    # A rate measured on 100,000 deals is all but known: the range is chance alone again.
    assert forecast_range([20, 0], [None, (50_000, 100_000)], 1, 0.8) == (7, 13)
    # No open deal, or a rate that could not be measured (no deal reached the stage before): nothing to come.
    assert forecast_range([0, 0], [None, (2, 4)], 1, 0.8) == (0, 0)
    assert forecast_range([5, 0, 0], [None, None, (1, 2)], 2, 0.8) == (0, 0)


def test_forecast_carries_its_range(design):
    from tests.test_compare import LOG

    f = run(design, LOG).forecast
    assert (f["won"], f["wins"], f["low"], f["high"], f["interval"]) == (1, pytest.approx(2.2), 1, 3, 0.8)
    assert (f["method"], f["rate_uncertainty"], f["known_rates"]) == ("beta-binomial simulation", True, {"low": 1, "high": 3})


def test_the_process_diagram_draws_off_design_moves_and_the_window(design):
    from journeymap.render import to_dot
    from journeymap.report.json_output import comparison_json

    dot = to_dot(design, "process", overlay=comparison_json(run(design, PATHS)))
    assert dot.count('style="dashed"') >= 4  # lead → meeting, meeting → appointment, lead → onboarding and back
    assert "実績 1件" in dot and "設計どおりの経路 33.3%" in dot
    assert "比較期間: 2024-04-01〜2024-04-04" in dot and "（期間）" in dot
    plain = to_dot(design, "process")
    assert "実績 1件" not in plain and "比較期間" not in plain


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_report_shows_the_temperature_breakdown(design, lang):
    from journeymap.report.html import report_html

    result = run(design, TEMPERATURE)
    html = report_html(result, design, lang=lang)
    assert ("温度感別" if lang == "ja" else "By temperature") in html and "Hot" in html
    assert ("温度感別パイプライン" if lang == "ja" else "Pipeline by temperature") in compare_table(result, design, lang)


# --------------------------------------------------------------------------- what a chosen month says (QA walk)

OCTOBER_LOG = """deal_id,stage,timestamp
A,リード,2026-09-05
A,アポ獲得,2026-10-03
B,リード,2026-09-10
C,リード,2026-10-02
C,アポ獲得,2026-10-10
C,受注,2026-10-20
D,リード,2026-08-01
D,失注,2026-09-01
E,リード,2026-11-05
E,アポ獲得,2026-11-06
"""
"""A moved in October (アポ獲得), B did not (リード in September, still open), C was won in October,
D was lost in September, E started in November, after the window."""


def test_a_chosen_month_counts_the_deals_that_moved_in_it_beside_all_to_its_end(monthly):
    result = run(monthly, OCTOBER_LOG, period="2026-10")
    assert result.as_of == dt.date(2026, 10, 31)  # (activity: the window's end)
    assert result.deals_in_window == 2  # A and C reached a stage in October
    assert (result.deals, result.open_deals, result.lost_deals) == (4, 2, 1)  # A B C D to 31 October; A B open; D lost
    text = compare_table(result, monthly, "ja")
    assert "期間中に動いた案件 2 件 · 2026-10-31までの累計 4 件 (進行中 2 · 失注 1)" in text
    english = compare_table(result, monthly, "en")
    assert "2 deals moved in the window · 4 deals to 2026-10-31 (open 2 · lost 1)" in english
    whole = run(monthly, OCTOBER_LOG)  # the default window: one count, as before
    assert whole.deals_in_window == whole.deals == 5
    assert "期間中に動いた" not in compare_table(whole, monthly, "ja")


def test_the_forecast_is_not_set_against_a_chosen_months_target(monthly):
    chosen = run(monthly, OCTOBER_LOG, period="2026-10").kgis[0]
    assert chosen["actual"] == 1 and chosen["target"] == 30  # C, won in October, against October's 30
    assert chosen["forecast"] is not None and chosen["forecast"] > 1  # won + the open pipeline, whenever it closes
    assert chosen["forecast_attainment"] is None
    whole = run(monthly, OCTOBER_LOG).kgis[0]
    assert whole["forecast_attainment"] == pytest.approx(whole["forecast"] / whole["target"])


def test_pace_belongs_to_a_window_that_holds_the_as_of_date(monthly):
    activity = run(monthly, OCTOBER_LOG, period="2026-10")
    assert activity.pace is not None and activity.pace["period"] == "2026-10"
    cohort = run(monthly, OCTOBER_LOG, period="2026-10", basis="cohort")  # followed to 6 November
    assert cohort.as_of == dt.date(2026, 11, 6) and cohort.pace is None  # November's pace is not October's cohort's
    assert cohort.deals == cohort.deals_in_window == 1  # C, the October cohort
    assert run(monthly, OCTOBER_LOG).pace["period"] == "2026-11"  # the default window: the as-of date's month


def test_an_actual_cost_without_a_cost_column_says_it_is_an_estimate(capsys, tmp_path):
    design = tmp_path / "costed.yaml"
    design.write_text(MONTHLY.replace("{id: lead, name: リード, funnel: true}",
                                      "{id: lead, name: リード, funnel: true, unit_cost: 1000}"), encoding="utf-8")
    log = tmp_path / "log.csv"
    log.write_text(OCTOBER_LOG, encoding="utf-8")
    assert main(["compare", str(design), str(log), "--period", "2026-10"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("費用:"))
    assert "推計（実績件数 × 計画の単価・固定費） ¥1,000" in line and "実績 ¥" not in line  # C's lead at ¥1,000
    assert main(["compare", str(design), str(log), "--period", "2026-10", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["cost"]["basis"] == "unit costs"
