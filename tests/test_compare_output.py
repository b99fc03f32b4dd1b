"""compare's outputs: the JSON contract of DESIGN.md, the terminal table, the self-contained HTML report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from journeymap.actuals.reading import read_actuals
from journeymap.cli.main import main
from journeymap.compare.funnel import compare
from journeymap.designfile.reading import load_design, parse_design_text
from journeymap.report.html import report_html
from journeymap.report.json_output import comparison_json
from journeymap.text.width import display_width

DATA = Path(__file__).parent / "data"
DESIGN = DATA / "actuals_design.yaml"
JAPANESE = DATA / "actuals_japanese.csv"

CONTRACT_STAGE_KEYS = {"id", "name", "planned", "reached", "entered", "rate", "target_rate", "gap_pts", "attainment",
                       "status", "median_days", "p90_days", "stagnant"}


def test_json_contract(capsys):
    assert main(["compare", str(DESIGN), str(JAPANESE), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"design", "as_of", "stages", "bottleneck", "kgis", "unmatched_stages"} <= data.keys()
    assert data["design"] == "actuals-test" and data["as_of"] == "2024-04-09"
    for stage in data["stages"]:
        assert stage.keys() >= CONTRACT_STAGE_KEYS
    first, appointment = data["stages"][0], data["stages"][1]
    assert (first["id"], first["name"], first["rate"], first["target_rate"], first["gap_pts"]) == ("lead", "リード", None, None, None)
    assert (appointment["reached"], appointment["rate"], appointment["status"]) == (1, 1 / 3, "off_track")  # full precision
    assert {"stage", "added_final"} <= data["bottleneck"].keys()
    for kgi in data["kgis"]:
        assert {"id", "target", "actual", "attainment"} <= kgi.keys()
    assert data["unmatched_stages"] == []


def test_json_names_follow_the_language(capsys):
    assert main(["compare", str(DESIGN), str(JAPANESE), "--format", "json", "--lang", "en"]) == 0
    assert [s["name"] for s in json.loads(capsys.readouterr().out)["stages"]] == ["Lead", "Appointment", "Meeting", "Proposal", "Won"]


def test_columns_and_stage_map_options(tmp_path, capsys):
    path = tmp_path / "custom.csv"
    path.write_text("Vorgang,Phase,Zeit\nV1,Start,2024-04-01\nV1,受注,2024-04-05\n", encoding="utf-8")
    assert main(["compare", str(DESIGN), str(path), "--format", "json", "--columns", "deal_id=Vorgang,stage=Phase,timestamp=Zeit",
                 "--stage-map", "Start=lead"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["reached"] for s in data["stages"]] == [1, 1, 1, 1, 1]
    assert data["columns"] == {"deal_id": "Vorgang", "stage": "Phase", "timestamp": "Zeit"}


def test_bad_as_of_is_a_usage_error(capsys):
    assert main(["compare", str(DESIGN), str(JAPANESE), "--as-of", "next week"]) == 2
    assert "is not a date" in capsys.readouterr().err


def test_table_aligns_japanese_columns(capsys):
    assert main(["compare", str(DESIGN), str(JAPANESE)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("ステージ"))
    stage_table = lines[start : start + 7]  # header, rule, five stages
    assert len({display_width(line) for line in stage_table}) == 1  # the last column is right-aligned
    assert "2024-04-09 時点" in lines[0]
    assert "失注理由" in out and "予算 (1)" in out  # one rendering of a drop reason in both reports
    assert "担当者別" in out and "月次コホート" in out


XSS = "<script>alert(1)</script>"


def test_html_report_is_self_contained_and_escapes_everything(tmp_path):
    text = DESIGN.read_text(encoding="utf-8").replace("{ja: 商談, en: Meeting}", f"{{ja: '{XSS}', en: Meeting}}")
    design = parse_design_text(text, "xss.yaml")
    log = ("deal_id,stage,timestamp,owner,lost_reason\n"
           f'"D1""><img src=x onerror=alert(2)>",リード,2024-04-01,"<b onmouseover=alert(3)>佐藤</b>",\n'
           f"D1\"><img src=x onerror=alert(2)>,{XSS},2024-04-02,,\n"
           f"D2,リード,2024-04-01,,\n"
           f"D2,失注,2024-04-20,,<iframe src=//evil.example>\n"
           f"D3,<svg onload=alert(4)>,2024-04-03,,\n")
    comparison = compare(design, read_actuals(log.encode(), "xss.csv", design), as_of="2024-06-30")
    html = report_html(comparison, design)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<b " not in html
    assert "onload=alert" not in html.replace("&lt;svg onload=alert(4)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the stage name, escaped, in the table and the charts
    assert "&lt;iframe src=//evil.example&gt;" in html
    # nothing is fetched: no external URL apart from the SVG namespace, no scripts, no links to other files
    assert re.findall(r"https?://[^\s\"'<>]+", html) == ["http://www.w3.org/2000/svg"] * html.count("<svg ")
    assert not re.search(r"<[^>]*\b(src|href)\s*=", html)  # escaped text may say src=, no tag has it
    assert html.count("<svg") >= 3


def test_cli_html_output_is_written_atomically(tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["compare", str(DESIGN), str(JAPANESE), "--format", "html", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="ja">' in html and "リード" in html
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_cli_compare_excel_actuals(tmp_path, capsys):
    import datetime as dt
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["OpportunityId", "StageName", "CreatedDate", "Amount"])
    book.active.append(["006A", "Prospecting", dt.datetime(2024, 4, 1), 100])
    book.active.append(["006A", "Closed Won", dt.datetime(2024, 4, 9), 100])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "history.xlsx"
    path.write_bytes(buffer.getvalue())
    assert main(["compare", str(DESIGN), str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["reached"] for s in data["stages"]] == [1, 1, 1, 1, 1]
    assert data["kgis"][1]["actual"] == 100


@pytest.mark.parametrize("name", ["actuals_salesforce_history.csv", "actuals_hubspot_deals.csv", "actuals_xes.csv",
                                  "actuals_stage_counts.csv"])
def test_every_fixture_compares(name, capsys):
    assert main(["compare", str(DESIGN), str(DATA / name), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stages"][0]["reached"] > 0


def test_funnel_overlay_can_read_the_json(capsys):
    """The render helper's funnel overlay takes the comparison's JSON: ids of the design, plain numbers."""
    design = load_design(DESIGN)
    comparison = compare(design, read_actuals(JAPANESE.read_bytes(), str(JAPANESE), design))
    data = json.loads(json.dumps(comparison_json(comparison)))
    assert [s["id"] for s in data["stages"]] == [s.id for s in design.funnel_stages]
    assert all(isinstance(s["reached"], int) for s in data["stages"])


def _template_ids() -> list[str]:
    from journeymap.library import template_paths

    return [p.stem for p in template_paths()]


@pytest.mark.parametrize("template_id", _template_ids())
def test_every_template_compares_with_a_log_named_after_its_stages(template_id):
    """deal i reaches funnel stage i mod K, the stages spelled as the template names them."""
    from journeymap.library import load_template
    from journeymap.model import text_of
    from journeymap.report.html import report_html as compare_report_html

    design = load_template(template_id)
    funnel = design.funnel_stages
    rows = ["deal_id,stage,timestamp"]
    for deal in range(3 * len(funnel)):
        for position in range(deal % len(funnel) + 1):
            rows.append(f"D{deal},{text_of(funnel[position].name, 'ja')},2024-04-{position + 1:02d}")
    comparison = compare(design, read_actuals("\n".join(rows).encode(), "log.csv", design))
    reached = {s.id: s.reached for s in comparison.stages}
    assert [reached[s.id] for s in funnel] == [3 * (len(funnel) - i) for i in range(len(funnel))]
    if comparison.added_won:  # a design without a won stage (b2b-standard): no value in the log means won
        assert reached[comparison.added_won["stage"]] == 0
        assert len(comparison.stages) == len(funnel) + 1
    else:
        assert len(comparison.stages) == len(funnel)
    assert comparison.unmatched_stages == []
    assert "<svg" in compare_report_html(comparison, design)


def test_a_count_table_without_the_won_row_says_why_the_kgi_is_not_counted(tmp_path, capsys):
    """b2b-standard counts wins at the 受注 stage added after クロージング; a count table that stops at
    クロージング cannot say how many were won. The table says so instead of a bare "—", names one month
    as 1か月 (not 1月, January), and names owner kinds in Japanese."""
    table = tmp_path / "counts.csv"
    table.write_text("stage,count\nリード獲得,500\nアポイント獲得,100\nヒアリング,80\n提案,40\nクロージング,12\n", "utf-8")
    design = Path(__file__).parents[1] / "process_library" / "b2b-standard.yaml"
    assert main(["compare", str(design), str(table)]) == 0
    out = capsys.readouterr().out
    assert "集計表を計画の1か月分として比較" in out
    assert "KGI 受注件数: — / 6 (—)  （集計表に「受注」の行がないため数えられません）" in out
    owners = out.split("担当別費用", 1)[1]
    assert "社内" in owners and "internal" not in owners
    assert main(["compare", str(design), str(table), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "compared with one month of the plan" in out and "(not counted: the count table has no row for Won)" in out


def test_a_kgi_without_amounts_says_so_and_a_rate_kgi_reads_in_percent(capsys):
    """An event log without an amount column: the currency KGI is '—' because there are no amounts
    (not because of a count table's row), and the rate KGI's target reads 30%, not 0.3."""
    design = Path(__file__).parents[1] / "process_library" / "enterprise-relationship.yaml"
    log = DATA / "actuals_accounts.csv"
    assert main(["compare", str(design), str(log), "--as-of", "2026-11-30"]) == 0
    out = capsys.readouterr().out
    (money_line,) = [line for line in out.splitlines() if line.startswith("KGI 年間取引総額")]
    assert money_line.endswith("（実績に金額の列がないため数えられません）") and "集計表" not in money_line
    (rate_line,) = [line for line in out.splitlines() if line.startswith("KGI 企業内シェア")]
    assert rate_line == "KGI 企業内シェア: — / 30% (—)"


def test_the_html_report_has_no_empty_pace_section(tmp_path):
    """enterprise-relationship on a log without amounts: neither KGI can be paced (no amounts, a share
    KGI), so the report has no 今期のペース heading with nothing under it; b2b-standard's has both."""
    out = tmp_path / "r.html"
    design = Path(__file__).parents[1] / "process_library" / "enterprise-relationship.yaml"
    assert main(["compare", str(design), str(DATA / "actuals_accounts.csv"), "--as-of", "2026-11-30",
                 "--format", "html", "-o", str(out)]) == 0
    assert "今期のペース" not in out.read_text("utf-8")
    assert main(["compare", str(DESIGN), str(JAPANESE), "--format", "html", "-o", str(out)]) == 0
    assert re.search(r"<h2>今期のペース</h2>\s*<p>", out.read_text("utf-8"))


def _pace_run(tmp_path, capsys, as_of: str, target: int, lang: str = "ja") -> tuple[str, str]:
    design = tmp_path / "d.yaml"
    design.write_text(DESIGN.read_text("utf-8").replace("unit: count, target: 4,", f"unit: count, target: {target},"), "utf-8")
    log = tmp_path / "log.csv"
    log.write_text("案件ID,ステージ,日時,担当者\nW1,リード,2024/04/01,佐藤\nW1,受注,2024/04/05,佐藤\nW2,リード,2024/04/02,鈴木\n", "utf-8")
    report = tmp_path / "r.html"
    assert main(["compare", str(design), str(log), "--as-of", as_of, "--lang", lang, "--format", "html", "-o", str(report)]) == 0
    capsys.readouterr()
    assert main(["compare", str(design), str(log), "--as-of", as_of, "--lang", lang]) == 0
    return capsys.readouterr().out, report.read_text("utf-8")


def test_the_pace_line_says_the_period_is_over_rather_than_what_zero_days_need(tmp_path, capsys):
    table, html = _pace_run(tmp_path, capsys, "2024-04-30", target=4)
    for out in (table, html):
        pace = next(line for line in out.splitlines() if "ペース（2024-04" in line)
        assert "期間終了（目標まで 3 届かず）" in pace and "残り営業日" not in pace and "1日あたり" not in pace, pace
    table, html = _pace_run(tmp_path, capsys, "2024-04-30", target=4, lang="en")
    assert "period over (3 short of the target)" in table and "a working day needed" not in table


def test_the_pace_line_says_the_target_is_reached_rather_than_zero_a_day(tmp_path, capsys):
    table, html = _pace_run(tmp_path, capsys, "2024-04-10", target=1)
    for out in (table, html):
        pace = next(line for line in out.splitlines() if "ペース（2024-04" in line)
        assert pace.endswith("目標に到達済み") or "目標に到達済み</p>" in pace, pace
        assert "1日あたり" not in pace
    table, _ = _pace_run(tmp_path, capsys, "2024-04-10", target=4)  # not reached, days left: what a day needs
    pace = next(line for line in table.splitlines() if "ペース（2024-04" in line)
    assert "残り営業日 " in pace and "1日あたり " in pace and "到達済み" not in pace, pace


def test_group_tables_name_what_their_rows_are(tmp_path, capsys):
    table, html = _pace_run(tmp_path, capsys, "2024-04-10", target=4)
    assert table.splitlines()[table.splitlines().index("担当者別") + 1].split()[0] == "担当者"
    assert "<th>担当者</th>" in html and "<th>コホート月</th>" in html and "<th>値</th>" not in html
    table, html = _pace_run(tmp_path, capsys, "2024-04-10", target=4, lang="en")
    assert "<th>owner</th>" in html and "<th>cohort month</th>" in html and "<th>value</th>" not in html
