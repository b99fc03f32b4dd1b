"""Bad actuals: each gets a clear message naming the file and row, exit 1, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.actuals.reading import read_actuals
from journeymap.cli.main import main
from journeymap.designfile.reading import load_design
from journeymap.errors import InputError

DATA = Path(__file__).parent / "data"
DESIGN = DATA / "actuals_design.yaml"


@pytest.fixture(scope="module")
def design():
    return load_design(DESIGN)


def messages(design, content: str | bytes, name: str = "deals.csv", **options) -> list[str]:
    data = content.encode("utf-8") if isinstance(content, str) else content
    with pytest.raises(InputError) as caught:
        read_actuals(data, name, design, **options)
    return [str(issue) for issue in caught.value.issues]


def test_empty_file(design):
    assert messages(design, "") == ["deals.csv:1: the file is empty: expected a header line and one row per deal event or stage"]
    assert messages(design, "\ufeff\r\n  \n")[0].startswith("deals.csv:1: the file is empty")


def test_header_only(design):
    assert messages(design, "deal_id,stage,timestamp\n") == ["deals.csv:1: the file has a header but no data rows"]


def test_missing_required_columns_lists_found_and_expected(design):
    [message] = messages(design, "deal_id,stage,amount\nD1,リード,100\n")
    assert message.startswith("deals.csv:1: cannot tell what this file holds: columns found: 'deal_id', 'stage', 'amount'")
    assert "An event log needs deal_id, stage, timestamp (missing: timestamp)" in message
    assert "a stage-count table needs stage, count (missing: count)" in message
    assert "--columns" in message


def test_unparseable_timestamps_name_their_lines(design):
    csv = ("deal_id,stage,timestamp\nD1,リード,2024-04-01\nD1,商談,yesterday\n\nD2,リード,2024-13-45\n"
           "D3,リード,2024年4月3日\nD4,リード,\n")
    assert messages(design, csv) == [
        "deals.csv:3: 'yesterday' in column 'timestamp' is not a date/time (use 2024-05-01 or 2024-05-01 10:30)",
        "deals.csv:5: '2024-13-45' in column 'timestamp' is not a date/time (use 2024-05-01 or 2024-05-01 10:30)",
        "deals.csv:7: no date/time in column 'timestamp'",
    ]


def test_many_bad_timestamps_are_summarised(design):
    csv = "deal_id,stage,timestamp\n" + "".join(f"D{i},リード,never\n" for i in range(25))
    found = messages(design, csv)
    assert len(found) == 11
    assert found[0].startswith("deals.csv:2: 'never'") and found[9].startswith("deals.csv:11:")
    assert found[10] == "deals.csv: … and 15 more rows like these in column 'timestamp'"


def test_line_numbers_count_quoted_line_breaks(design):
    csv = 'deal_id,stage,timestamp,memo\nD1,リード,2024-04-01,"two\nlines"\nD1,商談,bad,x\n'
    assert messages(design, csv)[0].startswith("deals.csv:4: 'bad'")


@pytest.mark.parametrize("count, problem", [("-3", "the count -3 is negative"), ("2.5", "the count 2.5 is not a whole number"),
                                            ("many", "'many' in column 'count' is not a number")])
def test_negative_or_non_numeric_counts(design, count, problem):
    csv = f"stage,count\nリード,100\n商談,{count}\n"
    [message] = messages(design, csv)
    assert message.startswith(f"deals.csv:3: {problem}")


def test_counts_accept_thousands_separators_and_full_width_digits(design):
    actuals = read_actuals('ステージ,件数\nリード,"1,200"\n商談,３０\n'.encode(), "c.csv", design)
    assert actuals.counts.count == [1200, 30]


def test_duplicate_event_rows(design):
    csv = ("deal_id,stage,timestamp,owner\nD1,リード,2024-04-01,佐藤\nD1,商談,2024-04-03,佐藤\n"
           "D2,リード,2024-04-01,田中\nD1,リード,2024-04-01,佐藤\n")
    assert messages(design, csv) == ["deals.csv:5: this row repeats line 2 exactly (duplicate rows): remove one of them"]


def test_repeated_stage_entries_are_not_duplicates(design):
    csv = "deal_id,stage,timestamp,amount\nD1,リード,2024-04-01,100\nD1,リード,2024-04-01,200\nD1,リード,2024-04-02,100\n"
    assert len(read_actuals(csv.encode(), "x.csv", design).events.deal) == 3


def test_duplicate_count_rows(design):
    csv = "stage,count,period\nリード,100,2024-04\n商談,10,2024-04\nリード,90,2024-04\nリード,80,2024-05\n"
    assert messages(design, csv) == [
        "deals.csv:4: this row repeats the stage, period and segment of line 2 (duplicate rows): keep one row per stage and period"]


def test_no_stage_value_matches_the_design(design):
    [message] = messages(design, "deal_id,stage,timestamp\nD1,Discovery,2024-04-01\nD2,Discovery,2024-04-02\nD2,Demo,2024-04-03\n")
    assert message.startswith("deals.csv: no stage value in the file matches a stage of design 'actuals-test': "
                              "values found: 'Discovery' (2), 'Demo' (1); the design's stages: lead (リード), ")
    assert "--stage-map" in message


def test_empty_deal_ids_and_wrong_field_counts(design):
    assert messages(design, "deal_id,stage,timestamp\n,リード,2024-04-01\n") == ["deals.csv:2: no deal id in column 'deal_id'"]
    assert messages(design, "deal_id,stage,timestamp\nD1,リード,2024-04-01,extra\n") == [
        "deals.csv:2: this row has 4 fields but the header has 3"]


def test_not_text(design):
    [message] = messages(design, bytes(range(256)) * 4)
    assert "cannot read this file as text" in message


def test_excel_errors_name_the_cell(design, tmp_path):
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "実績"
    sheet.append(["案件ID", "ステージ", "日時"])
    sheet.append(["A-1", "リード", "2024-04-01"])
    sheet.append(["A-1", "商談", "来週"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert messages(design, buffer.getvalue(), "deals.xlsx") == [
        "deals.xlsx:実績!C3: '来週' in column '日時' is not a date/time (use 2024-05-01 or 2024-05-01 10:30)"]


def test_cli_bad_actuals_exit_1_and_write_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("deal_id,stage,timestamp\nD1,リード,someday\n", encoding="utf-8")
    out = tmp_path / "report.html"
    assert main(["compare", str(DESIGN), str(bad), "--format", "html", "-o", str(out)]) == 1
    _, err = capsys.readouterr()
    assert err == f"{bad}:2: 'someday' in column 'timestamp' is not a date/time (use 2024-05-01 or 2024-05-01 10:30)\n"
    assert not out.exists()
    assert main(["compare", str(DESIGN), str(tmp_path / "missing.csv")]) == 1
    assert capsys.readouterr().err == f"{tmp_path / 'missing.csv'}: no such file\n"


NO_FUNNEL = """schema_version: 1
id: workshop
name: 戦略ワークショップ
phases:
  - id: strategy
    name: 戦略設計段階
    stages:
      - {id: analysis, name: 業界状況の分析}
      - {id: targeting, name: ターゲット選定}
"""


def test_cli_design_without_funnel_stages(tmp_path, capsys):
    design = tmp_path / "no_funnel.yaml"
    design.write_text(NO_FUNNEL, encoding="utf-8")
    assert main(["compare", str(design), str(DATA / "actuals_xes.csv"), "--format", "json"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"{design}:4: the design has no funnel stages to compare with: mark the countable stages with "
                   "'funnel: true'\n")


def test_excel_cells_are_named_where_the_table_starts_off_a1_and_hidden_sheets_are_skipped(design):
    import io

    from openpyxl import Workbook

    book = Workbook()
    hidden = book.active
    hidden.title = "メモ"
    hidden.append(["案件ID", "ステージ", "日時"])
    hidden.append(["X1", "リード", "2024-04-01"])
    hidden.sheet_state = "hidden"
    sheet = book.create_sheet("実績")
    sheet["C3"], sheet["D3"], sheet["E3"] = "案件ID", "ステージ", "日時"
    sheet["C4"], sheet["D4"], sheet["E4"] = "D1", "リード", "2024-04-01"
    sheet["C5"], sheet["D5"], sheet["E5"] = "D2", "リード", "いつか"
    buffer = io.BytesIO()
    book.save(buffer)
    assert messages(design, buffer.getvalue(), "deals.xlsx") == [
        "deals.xlsx:実績!E5: 'いつか' in column '日時' is not a date/time (use 2024-05-01 or 2024-05-01 10:30)"]


def test_a_file_read_through_a_loader_is_let_go_and_read_again_only_for_a_line_number(design):
    """The CLI hands a large file over as a loader: its bytes are not kept beside the parsed table,
    so an error's line number (past a quoted line break here) comes from reading it once more."""
    good = "deal_id,stage,timestamp\nD1,リード,2024-04-01\nD1,アポ獲得,2024-04-02\n".encode()
    bad = 'deal_id,stage,timestamp,memo\nD1,リード,2024-04-01,"two\nlines"\nD2,リード,2024-13-45,\n'.encode()
    calls = []

    def loader(content):
        return lambda: calls.append(1) or content

    assert read_actuals(loader(good), "deals.csv", design).events is not None and len(calls) == 1
    calls.clear()
    with pytest.raises(InputError) as caught:
        read_actuals(loader(bad), "deals.csv", design)
    assert [str(i) for i in caught.value.issues] == [str(i) for i in messages_of(design, bad)]
    assert "deals.csv:4:" in str(caught.value.issues[0]) and len(calls) == 2


def messages_of(design, content: bytes):
    with pytest.raises(InputError) as caught:
        read_actuals(content, "deals.csv", design)
    return caught.value.issues


TITLED = "商談履歴レポート（2026年度上期）,,,\n,,,\n\n商談ID,フェーズ,変更日,金額\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_a_csv_with_a_report_title_above_its_header_is_read_from_the_header(design, encoding):
    """The title and blank lines above the header are skipped, as the Excel reader does; every line
    number still counts them (the header is on line 4 here)."""
    good = TITLED + "D1,リード,2024/04/01,100\nD1,商談,2024/04/03,100\n"
    read = read_actuals(good.encode(encoding), "report.csv", design)
    assert read.shape == "events" and read.rows == 2 and read.columns["timestamp"] == "変更日"
    bad = TITLED + "D1,リード,2024/04/01,100\n\nD1,商談,yesterday,100\n"
    assert messages(design, bad.encode(encoding), "report.csv") == [
        "report.csv:7: 'yesterday' in column '変更日' is not a date/time (use 2024-05-01 or 2024-05-01 10:30)"]
    assert messages(design, (TITLED + "D1,リード,2024/04/01,100,extra\n").encode(encoding), "report.csv") == [
        "report.csv:5: this row has 5 fields but the header has 4"]
    assert messages(design, TITLED.encode(encoding), "report.csv") == ["report.csv:4: the file has a header but no data rows"]


def test_a_one_column_file_keeps_its_first_line_as_the_header(design):
    [message] = messages(design, "deal_id\nD1\nD2\n")
    assert message.startswith("deals.csv:1: cannot tell what this file holds: columns found: 'deal_id'")
