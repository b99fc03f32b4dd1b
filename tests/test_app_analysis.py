"""The app's Plan and Compare pages, and the diagrams on every page (AppTest)."""

from __future__ import annotations

import base64
import csv
import io
import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app_support import DATA, TEMPLATE_ID
from tests.test_app import doc, errors, no_exception, open_design, shown_table, start

ACTUALS = DATA / "app_actuals_b2b.csv"


@pytest.fixture
def library_env(tmp_path, monkeypatch):
    """A fresh workspace seeded from the shipped template library (b2b-standard)."""
    monkeypatch.delenv("JOURNEYMAP_LIBRARY", raising=False)
    monkeypatch.setenv("JOURNEYMAP_WORKSPACE", str(tmp_path / "workspace"))
    return tmp_path / "workspace"


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def dots(at: AppTest) -> list[str]:
    """The diagrams on the page: SVG drawn by graphviz on the server (the text of the image), or
    the DOT of a chart laid out in the browser when `dot` is missing."""
    found = [chart.proto.spec for chart in at.get("graphviz_chart")]
    for element in at.get("html"):  # Present's slide: an inline SVG the page puts in by script
        slide = re.search(r'const svg = ("(?:[^"\\]|\\.)*");', element.value)
        if slide:
            found.append(json.loads(slide.group(1)))
    for element in at.get("image"):
        for image in element.proto.imgs:
            prefix = "data:image/svg+xml;base64,"
            if image.url.startswith(prefix):
                found.append(base64.b64decode(image.url[len(prefix):]).decode("utf-8"))
    return found


# --------------------------------------------------------------------------- diagrams


@pytest.mark.parametrize("page", ["design.py", "journey.py", "plan.py", "present.py"])
def test_pages_draw_their_diagram_with_graphviz_on_the_server(app_env, page):
    at = open_design(start())
    at.switch_page(f"journeymap/ui/views/{page}").run()
    no_exception(at)
    specs = dots(at)
    assert len(specs) == 1 and "<svg" in specs[0] and 'font-family="Noto Sans CJK JP' in specs[0]
    assert "アポイント獲得" in specs[0]
    assert not at.get("graphviz_chart")


@pytest.mark.parametrize("page", ["design.py", "present.py"])
def test_without_dot_the_browser_lays_the_diagram_out(app_env, page, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` here
    at = open_design(start())
    at.switch_page(f"journeymap/ui/views/{page}").run()
    no_exception(at)
    charts = [chart.proto.spec for chart in at.get("graphviz_chart")]
    assert len(charts) == 1 and charts[0].lstrip().startswith("digraph") and "アポイント獲得" in charts[0]


def test_the_library_previews_a_template_when_asked(app_env):
    at = start()
    assert dots(at) == [], "no template is drawn on a visit"
    at.button(key=f"template_preview.{TEMPLATE_ID}").click().run()
    assert len(dots(at)) == 1 and "架電" in dots(at)[0]


def test_present_highlights_the_current_stage(app_env):
    at = open_design(start())
    at.switch_page("journeymap/ui/views/present.py").run()
    overview = dots(at)[0]
    for _ in range(5):
        at.button(key="present_next").click().run()
    lit = dots(at)[0]
    assert lit != overview
    at.toggle(key="present_dark").set_value(True).run()
    assert dots(at)[0] != lit  # the dark projector theme


# --------------------------------------------------------------------------- plan


def test_plan_shows_seed_004s_reverse_funnel_and_what_if(app_env):
    at = open_design(start())
    at.switch_page("journeymap/ui/views/plan.py").run()
    no_exception(at)
    assert metric(at, "総費用") == "¥800,000"
    assert metric(at, "CPA（獲得単価）") == "¥160,000"
    kgi = doc(at).design.kgis[0]  # the first count KGI: 5 wins at 受注 (¥800,000 ÷ 5)
    cpa_help = next(m.help for m in at.metric if m.label == "CPA（獲得単価）")
    assert cpa_help == f"総費用 ÷ KGI「{kgi.name.ja}」に必要な受注の件数（5件）。分母にする KGI は設計の基本情報で選べます"
    assert metric(at, "必要な架電") == "1,000"

    at.number_input(key=f"plan_rate.appointment.{doc(at).key}").set_value(8.0).run()
    assert metric(at, "必要な架電") == "500"
    assert metric(at, "総費用") == "¥600,000"
    assert doc(at).design.stage("appointment").target_rate == 0.04  # a what-if is not an edit
    assert not doc(at).dirty

    at.button(key="plan_apply").click().run()
    no_exception(at)
    assert doc(at).design.stage("appointment").target_rate == 0.08 and doc(at).dirty


# --------------------------------------------------------------------------- compare


def expected_counts() -> tuple[int, int]:
    rows = list(csv.DictReader(io.StringIO(ACTUALS.read_bytes().decode("cp932"))))
    deals = {r["案件ID"] for r in rows}
    won = {r["案件ID"] for r in rows if r["ステージ"] == "受注"}
    return len(deals), len(won)


def test_compare_reads_a_cp932_crm_export_maps_an_unknown_stage_and_reports(library_env):
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    no_exception(at)
    at.file_uploader(key="actuals_file").upload("crm.csv", ACTUALS.read_bytes(), "text/csv").run()
    no_exception(at)
    deals, won = expected_counts()
    assert metric(at, "案件数") == f"{deals:,}"
    assert metric(at, "受注件数") == f"{won:,}"
    assert any("社内検討中" in w.value for w in at.warning)  # a stage name the design does not know
    assert {"計画と実績のファネル", "ステージ別の差異", "停滞している案件", "着地見込み"} <= {s.value for s in at.subheader}
    assert "compare_report" in {b.key for b in at.get("download_button")}
    assert len(dots(at)) == 1  # the funnel with the actuals drawn over it

    box = next(s for s in at.selectbox if "社内検討中" in s.label)
    box.set_value("hearing").run()
    no_exception(at)
    assert not any("数えていません" in w.value for w in at.warning)


def test_a_file_that_is_not_actuals_is_reported_not_raised(library_env):
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    at.file_uploader(key="actuals_file").upload("notes.csv", "メモ,日付\nこんにちは,昨日\n".encode(), "text/csv").run()
    no_exception(at)
    assert at.error and "notes.csv" in errors(at)


def test_compare_shows_the_window_periods_pace_forecast_range_and_off_design_moves(library_env):
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    at.file_uploader(key="actuals_file").upload("crm.csv", ACTUALS.read_bytes(), "text/csv").run()
    no_exception(at)
    window = next(i.value for i in at.info if "比較期間" in i.value)
    assert "2025-04" in window and "か月" in window and "活動基準" in window
    headings = {s.value for s in at.subheader}
    assert {"期間別の計画と実績", "今期のペース", "実際の遷移と設計の違い"} <= headings
    assert any("80%範囲" in m.delta for m in at.metric if m.delta)  # the forecast's range
    assert len(at.get("vega_lite_chart")) == 3  # the funnel, the periods, the forecast band
    assert any("設計どおりの経路" in m.value for m in at.markdown)
    assert any("このペースなら期末" in m.value for m in at.markdown)

    months = [o for o in at.selectbox(key="compare_window").options if o.startswith("2025-")]
    assert months, "the window picker offers the file's months"
    at.selectbox(key="compare_window").set_value(months[-1]).run()
    no_exception(at)
    chosen = next(i.value for i in at.info if "比較期間" in i.value)
    assert chosen != window and months[-1] in chosen
    at.segmented_control(key="compare_basis").set_value("cohort").run()
    no_exception(at)
    assert any("コホート基準" in i.value for i in at.info)


def test_compare_tables_show_counts_as_elsewhere_and_stages_by_name(library_env):
    """Planned counts are fractions of a period (846.7742…): the tables show one decimal at most, as
    the CLI and the report do, and the period table names stages as the screen does, not by file id."""
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    at.file_uploader(key="actuals_file").upload("crm.csv", ACTUALS.read_bytes(), "text/csv").run()
    no_exception(at)
    frames = [d.value for d in at.dataframe]
    numbers = [v for frame in frames for column in frame.columns for v in frame[column]
               if isinstance(v, float) and v == v]
    assert all(round(v, 2) == v for v in numbers), [v for v in numbers if round(v, 2) != v][:5]
    # the stage table (two tables: conversion; days, stagnant and paused) and the period table are
    # drawn as HTML tables: every figure as the rest of the app writes it, one decimal at most
    stages = shown_table(at, "目標転換率")
    time = shown_table(at, "滞在日数（90%）")
    periods = shown_table(at, "比較期間")
    assert list(stages.columns) == ["ステージ", "計画（/月）", "計画（期間）", "到達", "流入", "転換率", "目標転換率",
                                    "差（pt）", "達成率", "状況"], list(stages.columns)
    assert list(time.columns) == ["ステージ", "滞在日数（中央値）", "滞在日数（90%）", "停滞", "中断"], list(time.columns)
    assert list(periods.columns) == ["比較期間", "ステージ", "計画", "実績", "達成率"], list(periods.columns)
    assert list(time["ステージ"]) == list(stages["ステージ"])
    figure = re.compile(r"^(—|[+−±]?\d{1,3}(,\d{3})*(\.\d)?(%|pt)?)$")
    for table, columns in ((stages, stages.columns[1:-1]), (time, time.columns[1:]), (periods, periods.columns[2:])):
        cells = [str(v) for c in columns for v in table[c]]
        assert cells and all(figure.match(v) for v in cells), [v for v in cells if not figure.match(v)][:5]
    assert any(v.startswith(("+", "−")) for v in stages["差（pt）"]), list(stages["差（pt）"])
    assert any("." in v for v in periods["計画"]), list(periods["計画"])  # a partial period's share of the plan
    # one row per period and stage, stages by their names in funnel order
    design_stages = list(stages["ステージ"])
    assert design_stages and all(not name.isascii() for name in design_stages), design_stages
    assert len(periods) == len(set(periods["比較期間"])) * len(design_stages)
    for period in set(periods["比較期間"]):
        assert list(periods[periods["比較期間"] == period]["ステージ"]) == design_stages
    # an empty cell (the export's own blanks in the preview, a missing number) is drawn as the
    # placeholder, never as the grid's "None"
    empty = [i for i, frame in enumerate(frames) if frame.isna().to_numpy().any()]
    assert all(at.dataframe[i].proto.placeholder for i in empty), [(i, at.dataframe[i].proto.placeholder) for i in empty]
    assert "—" in list(stages["転換率"]) and "None" not in str(stages.to_numpy().tolist())


SKIPPING = """案件ID,ステージ,日時
S1,リード獲得,2025-04-01
S1,ヒアリング,2025-04-03
S2,リード獲得,2025-04-01
S2,アポイント獲得,2025-04-02
S2,ヒアリング,2025-04-05
"""


def test_compare_lists_and_draws_the_moves_off_the_design(library_env):
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    at.file_uploader(key="actuals_file").upload("skips.csv", SKIPPING.encode("utf-8"), "text/csv").run()
    no_exception(at)
    assert any("設計どおりの経路をたどった案件 50%（2 件中）· スキップ 1" in m.value for m in at.markdown)
    moves = next(d.value for d in at.dataframe if "遷移元" in d.value.columns)
    assert moves.to_dict("records") == [{"遷移元": "リード獲得", "遷移先": "ヒアリング", "案件数": 1, "種類": "スキップ"}]
    at.segmented_control(key="compare_view").set_value("process").run()
    no_exception(at)
    assert "実績 1件" in dots(at)[0] and "設計外の実際の遷移" in dots(at)[0]


def test_compare_counts_closed_won_after_closing_and_shows_records_filled(library_env):
    """b2b-standard's クロージング stays open: the stage table gains the 受注 row the CRM export adds,
    and the export's columns named like the stages' key records get a table of their own."""
    log = ("deal_id,stage,timestamp,リードの流入経路\n"
           "A,Prospecting,2026-10-01,展示会\nA,Negotiation/Review,2026-10-05,\nA,Closed Won,2026-10-09,\n"
           "B,Prospecting,2026-10-02,\nB,Negotiation/Review,2026-10-06,\n")
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    at.file_uploader(key="actuals_file").upload("sf.csv", log.encode(), "text/csv").run()
    no_exception(at)
    assert not any("Closed Won" in w.value for w in at.warning)  # a won value is not an unknown stage
    frames = [d.value for d in at.dataframe]
    stages = shown_table(at, "目標転換率")  # ステージ別の差異, as drawn
    assert list(stages["ステージ"])[-2:] == ["クロージング", "受注"]
    assert "記録項目の入力状況（到達した案件のうち、値がある案件）" in {s.value for s in at.subheader}
    filled = next(f for f in frames if "入力率" in f.columns)
    assert list(filled.iloc[0])[:4] == ["リード獲得", "リードの流入経路 (キー項目)", "リードの流入経路", "1 / 2"]


def test_plan_shows_each_stage_s_probability(library_env):
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/plan.py").run()
    no_exception(at)
    table = shown_table(at, "確度")
    assert list(table["確度"])[-2:] == ["27%", "90%"]  # クロージング its own 0.9; 提案 0.3 into it × 0.9


COUNTS_WITHOUT_WON = "stage,count\nリード獲得,500\nアポイント獲得,100\nヒアリング,80\n提案,40\nクロージング,12\n".encode()
"""A b2b-standard count table that stops at クロージング: no 受注 row, and every stage at or over its target."""


def test_a_count_table_without_the_won_row_says_why_the_kgi_is_empty(library_env):
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    at.file_uploader(key="actuals_file").upload("counts.csv", COUNTS_WITHOUT_WON, "text/csv").run()
    no_exception(at)
    assert metric(at, "受注件数") == "—"
    assert any("集計表に「受注」の行がないため数えられません" in c.value for c in at.caption)
    assert any("計画の1か月分として比較" in i.value for i in at.info)


def _tooltip_titles(at) -> list:
    """The titles of every chart's hover tooltip fields (None where a field has no title: Vega then shows
    the data's column name, an English word)."""
    import json

    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "tooltip":
                    found.extend(f.get("title") if isinstance(f, dict) else None for f in (value if isinstance(value, list) else [value]))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for chart in at.get("vega_lite_chart"):
        walk(json.loads(chart.proto.spec))
    return found


def test_chart_tooltips_name_their_values_in_japanese(library_env):
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    at.file_uploader(key="actuals_file").upload("crm.csv", ACTUALS.read_bytes(), "text/csv").run()
    no_exception(at)
    titles = _tooltip_titles(at)
    at.switch_page("journeymap/ui/views/journey.py").run()
    no_exception(at)
    journey = _tooltip_titles(at)
    assert len(titles) >= 9 and journey, (titles, journey)
    assert [t for t in titles + journey if not t or t.isascii()] == [], titles + journey


def test_plan_shows_no_chance_to_win_for_a_design_that_counts_accounts(library_env):
    from journeymap import library
    from journeymap.workspace.facade import Workspace

    at = start()  # seeds the workspace
    Workspace(library_env).create(library.load_template("enterprise-relationship"))
    at = open_design(at, "enterprise-relationship")
    at.switch_page("journeymap/ui/views/plan.py").run()
    no_exception(at)
    table = shown_table(at, "必要件数")
    assert "確度" not in table.columns and list(table["ステージ"])[-3] == "信頼定着"


def test_no_bottleneck_reads_short_with_its_reason_below(library_env):
    """A metric's value is one line on a projector: 「なし」, and why (全ステージ目標達成) as the line below."""
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    at.file_uploader(key="actuals_file").upload("counts.csv", COUNTS_WITHOUT_WON, "text/csv").run()
    no_exception(at)
    card = next(m for m in at.metric if m.label == "ボトルネック")
    assert (card.value, card.proto.delta) == ("なし", "全ステージ目標達成")


def _renamed_actuals() -> bytes:
    """The CRM export with its date column under a name no reader guesses: it has to be mapped by hand."""
    return ACTUALS.read_bytes().decode("cp932").replace("日時", "いつ", 1).encode("cp932")


def _role_box(at: AppTest, role: str):
    return next(s for s in at.selectbox if s.key and s.key.startswith(f"role.{role}."))


def _forget_widgets(at: AppTest) -> None:
    """What the browser does to the widgets a run did not draw: their state is gone."""
    for key in [k for k in list(at.session_state) if k.startswith(("role.", "stage_map.", "compare_", "actuals_as_of"))]:
        del at.session_state[key]


def test_a_wrong_upload_keeps_the_mapping_window_and_basis_for_the_next_good_file(library_env):
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    at.file_uploader(key="actuals_file").upload("crm.csv", _renamed_actuals(), "text/csv").run()
    assert _role_box(at, "timestamp").value == ""
    _role_box(at, "timestamp").set_value("いつ").run()
    no_exception(at)
    month = [o for o in at.selectbox(key="compare_window").options if o.startswith("2025-")][-1]
    at.selectbox(key="compare_window").set_value(month).run()
    at.segmented_control(key="compare_basis").set_value("cohort").run()
    before = next(i.value for i in at.info if "比較期間" in i.value)
    deals = metric(at, "案件数")

    at.file_uploader(key="actuals_file").upload("empty.csv", b"", "text/csv").run()
    assert "empty.csv" in errors(at) and not at.selectbox
    _forget_widgets(at)
    at.file_uploader(key="actuals_file").upload("crm.csv", _renamed_actuals(), "text/csv").run()
    no_exception(at)
    assert not at.error
    assert _role_box(at, "timestamp").value == "いつ"
    assert at.selectbox(key="compare_window").value == month
    assert at.segmented_control(key="compare_basis").value == "cohort"
    assert next(i.value for i in at.info if "比較期間" in i.value) == before
    assert metric(at, "案件数") == deals


def test_the_mapping_shown_is_the_one_used_after_a_broken_file(library_env):
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    at.file_uploader(key="actuals_file").upload("crm.csv", _renamed_actuals(), "text/csv").run()
    _role_box(at, "timestamp").set_value("いつ").run()
    no_exception(at)
    at.file_uploader(key="actuals_file").upload("broken.csv", b"\x81\x82\x00\xff" * 50, "text/csv").run()
    assert at.error
    _forget_widgets(at)
    # the same columns again, in another file (a few rows fewer): mapped as the user mapped them
    rows = _renamed_actuals().decode("cp932").splitlines()
    at.file_uploader(key="actuals_file").upload("crm2.csv", "\n".join(rows[:-3]).encode("cp932"), "text/csv").run()
    no_exception(at)
    assert _role_box(at, "timestamp").value == "いつ" and not at.error
    # choosing （なし） really unmaps it: the page asks for the column rather than showing results
    _role_box(at, "timestamp").set_value("").run()
    no_exception(at)
    assert _role_box(at, "timestamp").value == ""
    assert at.error and not [m for m in at.metric if m.label == "案件数"]


def test_the_shape_line_tells_how_the_file_is_read_with_the_mapping_in_use(library_env):
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    at.file_uploader(key="actuals_file").upload("crm.csv", _renamed_actuals(), "text/csv").run()
    rows = len(ACTUALS.read_bytes().decode("cp932").splitlines()) - 1
    line = next(c.value for c in at.caption if "形式" in c.value)
    assert "不明" in line and f"{rows:,} 行" in line
    _role_box(at, "timestamp").set_value("いつ").run()
    no_exception(at)
    line = next(c.value for c in at.caption if "形式" in c.value)
    assert "不明" not in line and "案件ごとのステージ履歴" in line


# fifteen names of a Salesforce-style export in two languages, the win values among the rarest
MIXED_NAMES = ["リード獲得", "Lead", "Appointment Scheduled", "アポイント獲得", "ヒアリング", "Needs Analysis", "Closed Lost",
               "失注", "保留", "Proposal/Price Quote", "提案", "クロージング", "Negotiation/Review", "Closed Won", "受注"]


def test_the_matched_names_show_the_outcomes_first_and_say_how_many_are_left_out(library_env):
    lines = ["商談ID,フェーズ,変更日"]
    for i, name in enumerate(MIXED_NAMES):
        lines += [f"D{i}-{k},{name},2026/04/{1 + i:02d}" for k in range(len(MIXED_NAMES) - i)]  # rarer down the list
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    at.file_uploader(key="actuals_file").upload("sf.csv", "\n".join(lines).encode("cp932"), "text/csv").run()
    no_exception(at)
    line = next(c.value for c in at.caption if c.value.startswith("対応済み"))
    assert line.index("Closed Won") < line.index("Closed Lost") < line.index("保留") < line.index("リード獲得")
    assert "受注 → 受注" in line
    assert line.endswith(f"ほか {len(MIXED_NAMES) - 12} 件")
    listed = next(d.value for d in at.dataframe if "対応先" in d.value.columns)
    assert sorted(listed["ファイルのステージ名"]) == sorted(MIXED_NAMES)


def test_compare_tables_write_figures_with_separators_as_elsewhere(library_env):
    """Every numeric column of the Compare page's tables is drawn with thousands separators (21,713,
    1,472.4%) rather than the grid's bare 21713, and the stagnation line counts the same way."""
    big = "\n".join(["案件ID,ステージ,日時"] + [f"D{i},リード獲得,2025-04-01" for i in range(1500)]
                    + [f"D{i},アポイント獲得,2025-04-02" for i in range(1200)])
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    at.file_uploader(key="actuals_file").upload("big.csv", big.encode(), "text/csv").run()
    no_exception(at)
    checked = 0
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        for column in frame.value.columns:
            if frame.value[column].dtype.kind in "iuf":
                kind = config.get(str(column), {}).get("type_config", {}).get("format", "")
                assert kind == "localized" or "," in kind or kind.startswith("%+"), (column, config.get(str(column)))
                checked += 1
    assert checked >= 3  # the forecast, moves and pauses grids (the stage and period tables are HTML, formatted as drawn)
    assert any("1,500 件" in m.value or "1,200 件" in m.value for m in at.markdown), [m.value for m in at.markdown][:8]


def test_a_csv_under_a_report_title_is_read_and_unnamed_columns_are_named_in_japanese(library_env):
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    titled = "商談履歴レポート（2026年度上期）,,,,\n,,,,\n" + ACTUALS.read_bytes().decode("cp932")
    at.file_uploader(key="actuals_file").upload("titled.csv", titled.encode("cp932"), "text/csv").run()
    no_exception(at)
    assert not at.error
    assert metric(at, "案件数") == f"{expected_counts()[0]:,}"

    unnamed = "案件ID,,ステージ\nD1,x,リード獲得\n"  # an empty header cell, and no date column
    at.file_uploader(key="actuals_file").upload("unnamed.csv", unnamed.encode("utf-8"), "text/csv").run()
    no_exception(at)
    shown = errors(at)
    assert "'列 2'" in shown and "column" not in shown, shown
    box = _role_box(at, "timestamp")
    assert "列 2" in [box.format_func(o) for o in box.options if o]
    sample = next(d.value for d in at.dataframe if "案件ID" in d.value.columns)
    assert list(sample.columns) == ["案件ID", "列 2", "ステージ"]


def test_a_chosen_month_says_which_deals_it_counts_and_keeps_the_forecast_off_its_target(library_env):
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    at.file_uploader(key="actuals_file").upload("crm.csv", ACTUALS.read_bytes(), "text/csv").run()
    labels = {m.label for m in at.metric}
    assert "案件数" in labels and "期間中に動いた案件" not in labels  # the whole file: one count
    months = [o for o in at.selectbox(key="compare_window").options if o.startswith("2025-")]
    at.selectbox(key="compare_window").set_value(months[-1]).run()
    no_exception(at)
    card = next(m for m in at.metric if m.label == "期間中に動いた案件")
    assert "までの累計は" in card.help and "進行中" in card.help
    assert any("選んだ期間の目標とは比べません" in c.value for c in at.caption)
    frames = [e.value for e in at.dataframe]
    costs = [f for f in frames if "担当" in f.columns and any(str(c).startswith("計画費用") for c in f.columns)]
    assert costs and any(str(c).startswith("推計費用（実績件数 × 計画の単価・固定費）") for c in costs[0].columns)
