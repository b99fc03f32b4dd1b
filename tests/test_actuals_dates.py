"""Dates in CRM exports that used to come out wrong without a word: after 2262, "no date" markers,
day/month order chosen cell by cell, and files that mix encodings. Tested by behaviour (what the
comparison says), so the tests hold whatever engine computes it."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from journeymap.actuals.reading import read_actuals
from journeymap.actuals.values import AmbiguousDates
from journeymap.cli.main import main
from journeymap.compare.funnel import compare
from journeymap.designfile.reading import load_design
from journeymap.errors import InputError

DATA = Path(__file__).parent / "data"
DESIGN_PATH = DATA / "actuals_design.yaml"


@pytest.fixture(scope="module")
def design():
    return load_design(DESIGN_PATH)


def compared(design, text: str, name: str = "export.csv", **options):
    data = read_actuals(text.encode("utf-8"), name, design, **{k: v for k, v in options.items() if k != "as_of"})
    return data, compare(design, data, as_of=options.get("as_of"))


def stage(result, stage_id: str):
    return next(s for s in result.stages if s.id == stage_id)


def test_dates_after_2262_keep_their_year(design):
    text = "deal_id,stage,timestamp\nD1,リード,2999-01-01\nD1,アポ獲得,2999-01-10\n"
    _, result = compared(design, text)
    assert str(result.as_of) == "2999-01-10"  # nanoseconds wrapped this to 1829
    assert stage(result, "lead").median_days == 9
    assert stage(result, "appointment").reached == 1


def test_as_of_far_ahead_still_counts_what_happened(design):
    text = "deal_id,stage,timestamp\nD1,リード,2024-04-01\nD1,アポ獲得,2024-04-05\nD2,リード,2024-04-02\n"
    _, result = compared(design, text, as_of="2999-12-31")
    assert str(result.as_of) == "2999-12-31"
    assert [stage(result, s).reached for s in ("lead", "appointment")] == [2, 1]  # not 0 everywhere


def test_as_of_the_no_date_marker_is_refused_with_a_reason(design, capsys):
    text = "deal_id,stage,timestamp\nD1,リード,2024-04-01\n"
    with pytest.raises(InputError, match="9999-12-31 is what CRM exports write for \"no date\""):
        compared(design, text, as_of="9999-12-31")
    assert main(["compare", str(DESIGN_PATH), str(DATA / "actuals_japanese.csv"), "--as-of", "9999-12-31"]) == 2
    assert "9999-12-31 is what CRM exports write" in capsys.readouterr().err


@pytest.mark.parametrize("marker", ["9999-12-31", "1900-01-01", "0001-01-01", "9999/12/31", "0000-00-00"])
def test_no_date_markers_read_as_empty_and_are_counted(design, marker):
    text = ("deal_id,stage,timestamp,next_action_date\n"
            f"D1,リード,2024-04-01,{marker}\nD1,アポ獲得,2024-04-05,2024-04-10\nD2,リード,2024-04-02,{marker}\n")
    data, _ = compared(design, text)
    notes = [str(n) for n in data.notes]
    assert len(notes) == 1 and "2 date(s) in column 'next_action_date' are \"no date\" markers" in notes[0]
    assert notes[0].startswith("export.csv:2:")
    assert (data.events.next_action[[0, 2]] == data.events.next_action.min()).all()  # both read as empty (NaT)


def test_a_no_date_marker_where_the_event_time_belongs_is_an_error_with_the_line(design):
    text = "deal_id,stage,timestamp\nD1,リード,2024-04-01\nD1,アポ獲得,9999-12-31\n"
    with pytest.raises(InputError) as caught:
        compared(design, text)
    assert caught.value.first.line == 3 and '"no date" marker, not the time of this event' in caught.value.first.message


def test_day_and_month_are_read_one_way_for_the_whole_column(design):
    # 03/04 and 13/04 in one column: 13 cannot be a month, so the column is day first and 03/04 is 3 April.
    text = "deal_id,stage,timestamp\nD1,リード,03/04/2024\nD1,アポ獲得,13/04/2024\n"
    _, result = compared(design, text)
    assert stage(result, "lead").median_days == 10  # not 40 (4 March to 13 April)
    text = "deal_id,stage,timestamp\nD1,リード,04/03/2024\nD1,アポ獲得,04/13/2024\n"
    _, result = compared(design, text)
    assert stage(result, "lead").median_days == 10  # month first: 3 April to 13 April


def test_a_column_that_cannot_decide_is_refused_unless_told(design):
    text = "deal_id,stage,timestamp\nD1,リード,03/04/2024\nD1,アポ獲得,05/04/2024\n"
    with pytest.raises(AmbiguousDates) as caught:
        compared(design, text)
    assert caught.value.column == "timestamp" and caught.value.first.line == 2
    _, day_first = compared(design, text, date_order="dmy")
    _, month_first = compared(design, text, date_order="mdy")
    assert stage(day_first, "lead").median_days == 2 and str(day_first.as_of) == "2024-04-05"
    assert stage(month_first, "lead").median_days == 61 and str(month_first.as_of) == "2024-05-04"


def test_the_command_line_names_date_format(tmp_path, capsys):
    actuals = tmp_path / "a.csv"
    actuals.write_text("deal_id,stage,timestamp\nD1,リード,03/04/2024\nD1,アポ獲得,05/04/2024\n")
    assert main(["compare", str(DESIGN_PATH), str(actuals)]) == 1
    err = capsys.readouterr().err
    assert f"{actuals}:2:" in err and "give --date-format dmy or --date-format mdy" in err
    assert main(["compare", str(DESIGN_PATH), str(actuals), "--date-format", "dmy", "--format", "json"]) == 0
    assert '"as_of": "2024-04-05"' in capsys.readouterr().out


def test_a_column_that_mixes_both_orders_names_both_lines(design):
    text = "deal_id,stage,timestamp\nD1,リード,13/04/2024\nD1,アポ獲得,04/14/2024\n"
    with pytest.raises(InputError) as caught:
        compared(design, text)
    assert [i.line for i in caught.value.issues] == [2, 3]
    assert "mixes dates written day first" in caught.value.issues[0].message


def test_excel_date_cells_after_2262_keep_their_year(design):
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["deal_id", "stage", "timestamp"])
    sheet.append(["D1", "リード", dt.datetime(2999, 1, 1)])
    sheet.append(["D1", "アポ獲得", dt.datetime(2999, 1, 10)])
    buffer = io.BytesIO()
    book.save(buffer)
    data = read_actuals(buffer.getvalue(), "export.xlsx", design)
    assert str(compare(design, data).as_of) == "2999-01-10"


def test_a_file_that_mixes_utf8_and_cp932_lines_warns_at_the_first_odd_line(design):
    lines = ["deal_id,stage,timestamp", "D1,リード,2024-04-01", "D1,アポ獲得,2024-04-05", "D2,リード,2024-04-02",
             "D3,リード,2024-04-03"]
    content = b"".join((line.encode("cp932") if i == 2 else line.encode("utf-8")) + b"\n" for i, line in enumerate(lines))
    data = read_actuals(content, "mixed.csv", design)
    assert [str(n).split(": ")[0] for n in data.notes] == ["mixed.csv:3"]
    assert "mixes encodings" in str(data.notes[0])
    assert compare(design, data).stages[1].reached == 1  # the CP932 line read right: アポ獲得 matched


def test_a_cp932_file_is_still_read_without_a_warning(design):
    text = "deal_id,stage,timestamp\nD1,リード,2024-04-01\nD1,アポ獲得,2024-04-05\n"
    data = read_actuals(text.encode("cp932"), "sjis.csv", design)
    assert data.encoding == "cp932" and data.notes == []


def test_the_app_asks_which_way_to_read_dates_that_no_value_decides(tmp_path, monkeypatch):
    from tests.test_app import no_exception, open_design, start

    monkeypatch.delenv("JOURNEYMAP_LIBRARY", raising=False)
    monkeypatch.setenv("JOURNEYMAP_WORKSPACE", str(tmp_path / "workspace"))
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    content = "案件ID,ステージ,日時\nD1,リード,03/04/2025\nD1,アポ獲得,05/04/2025\nD2,リード,04/04/2025\n"
    at.file_uploader(key="actuals_file").upload("crm.csv", content.encode("utf-8"), "text/csv").run()
    no_exception(at)
    assert any("日・月のどちらが先か" in w.value for w in at.warning)
    assert not at.metric  # nothing compared yet
    at.radio(key="actuals_date_order_pick").set_value("dmy").run()
    no_exception(at)
    assert next(m.value for m in at.metric if m.label == "案件数") == "2"
    assert at.session_state["jm_comparison"]["json"]["as_of"] == "2025-04-05"
