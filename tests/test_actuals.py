"""Reading actuals: the three shapes, the common exports' column names, encodings, stage matching."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from journeymap.actuals.columns import guess_roles
from journeymap.actuals.reading import inspect_actuals, read_actuals
from journeymap.actuals.stages import MAP_IGNORE, MAP_LOST
from journeymap.actuals.types import TIME_UNIT
from journeymap.designfile.reading import load_design

DATA = Path(__file__).parent / "data"
JAPANESE = (DATA / "actuals_japanese.csv").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def design():
    return load_design(DATA / "actuals_design.yaml")


def read(design, name: str, **options):
    path = DATA / name
    return read_actuals(path.read_bytes(), str(path), design, **options)


def events_of(actuals) -> list[tuple[str, str, bool]]:
    """(deal id, stage id or 'LOST', lost flag) per event, in file order."""
    log = actuals.events
    ids = log.deal_ids.to_pylist()
    stages = [s.id for s in DESIGN_STAGES]
    return [(ids[d], stages[s] if s >= 0 else "LOST", bool(lost)) for d, s, lost in zip(log.deal, log.stage, log.lost)]


DESIGN_STAGES = load_design(DATA / "actuals_design.yaml").stages


# --------------------------------------------------------------------------- encodings and file types


@pytest.mark.parametrize("encoding, expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp932", "cp932")])
def test_encodings_are_detected_with_japanese_stage_names(design, encoding, expected):
    text = JAPANESE.replace("ｱﾎﾟ獲得", "アポ獲得")  # half-width katakana does not exist in CP932
    actuals = read_actuals(text.encode(encoding), "export.csv", design)
    assert actuals.encoding == expected
    assert events_of(actuals) == [
        ("A-001", "lead", False), ("A-001", "appointment", False), ("A-001", "meeting", False),
        ("A-002", "lead", False), ("A-002", "LOST", True), ("A-003", "lead", False),
    ]
    assert actuals.events.attributes["owner"][1] == ["佐藤", "田中"]
    assert actuals.unmatched_stages == []


def test_other_japanese_encodings_are_guessed(design):
    text = JAPANESE.replace("ｱﾎﾟ獲得", "アポ獲得")
    actuals = read_actuals(text.encode("euc_jp"), "export.csv", design)
    assert actuals.encoding.startswith("euc")
    assert [s for _, s, _ in events_of(actuals)][:3] == ["lead", "appointment", "meeting"]


def test_shift_jis_header_names_are_recognised(design):
    actuals = read_actuals(JAPANESE.replace("ｱﾎﾟ", "アポ").encode("cp932"), "export.csv", design)
    assert actuals.columns == {"deal_id": "案件ID", "stage": "ステージ", "timestamp": "日時", "amount": "金額",
                               "owner": "担当者", "channel": "チャネル", "lost_reason": "失注理由",
                               "next_action_date": "次回アクション日"}


def test_utf16_tab_separated_text_from_excel(design):
    content = JAPANESE.replace(",", "\t").replace('"1\t000\t000"', "1000000").replace('"500\t000"', "500000")
    actuals = read_actuals(content.encode("utf-16"), "export.txt", design)
    assert actuals.encoding == "utf-16"
    assert len(actuals.events.deal) == 6
    assert actuals.events.amount[0] == 1_000_000


def test_tsv_by_extension_and_by_content(design):
    tsv = "deal_id\tstage\ttimestamp\nD1\tリード\t2024-04-01\nD1\t商談\t2024-04-03\n"
    for name in ("log.tsv", "log.csv"):
        actuals = read_actuals(tsv.encode(), name, design)
        assert [(d, s) for d, s, _ in events_of(actuals)] == [("D1", "lead"), ("D1", "meeting")]


def test_excel_sheet_with_a_title_row_and_date_cells(design, tmp_path):
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "商談履歴"
    sheet.append(["2024年4月 商談一覧"])
    sheet.append(["案件ID", "ステージ", "日時", "金額"])
    sheet.append(["A-001", "リード", dt.datetime(2024, 4, 1, 10), 1000000])
    sheet.append(["A-001", "受注", dt.datetime(2024, 4, 20, 10), 1200000])
    sheet.append([None, None, None, None])
    sheet.append(["00123", "リード", dt.datetime(2024, 4, 2), None])
    buffer = io.BytesIO()
    book.save(buffer)
    actuals = read_actuals(buffer.getvalue(), "export.xlsx", design)
    assert events_of(actuals) == [("A-001", "lead", False), ("A-001", "won", False), ("00123", "lead", False)]
    assert list(actuals.events.ts[:1].astype(f"datetime64[{TIME_UNIT}]")) == [np.datetime64("2024-04-01T10:00")]


# --------------------------------------------------------------------------- shapes and column names


def test_salesforce_opportunity_history_in_any_case(design):
    actuals = read(design, "actuals_salesforce_history.csv")
    assert actuals.shape == "events" and actuals.origin == "events"
    assert actuals.columns["deal_id"] == "OPPORTUNITYID" and actuals.columns["timestamp"] == "createddate"
    assert actuals.columns["stage"] == "StageName" and actuals.columns["from_stage"] == "FromOpportunityStageName"
    assert [(s.value, s.count) for s in actuals.unmatched_stages] == [("Negotiation/Review", 1)]
    lost = {d for d, s, lost in events_of(actuals) if lost}
    assert lost == {"006A000002"}  # the Closed Lost row
    # +0000 offsets are read as UTC
    assert actuals.events.ts[0] == np.datetime64("2024-04-01T09:00", TIME_UNIT).astype(np.int64)


def test_salesforce_field_history_keeps_the_stage_changes(design):
    csv = ("OpportunityId,Field,OldValue,NewValue,CreatedDate\n"
           "006X1,created,,,2024-04-01T00:00:00.000+0000\n"
           "006X1,StageName,Prospecting,Qualified To Buy,2024-04-03T00:00:00.000+0000\n"
           "006X1,Amount,100,200,2024-04-04T00:00:00.000+0000\n"
           "006X1,StageName,Qualified To Buy,Closed Won,2024-04-09T00:00:00.000+0000\n")
    actuals = read_actuals(csv.encode(), "field_history.csv", design)
    assert actuals.origin == "field_history"
    assert events_of(actuals) == [("006X1", "meeting", False), ("006X1", "won", False)]


def test_hubspot_wide_export_becomes_an_event_log(design):
    actuals = read(design, "actuals_hubspot_deals.csv")
    assert actuals.shape == "events" and actuals.origin == "wide"
    assert sorted(events_of(actuals)) == sorted([
        ("9001", "appointment", False), ("9002", "appointment", False), ("9003", "appointment", False),
        ("9001", "meeting", False), ("9003", "meeting", False), ("9001", "won", False),
        ("9002", "LOST", True), ("9002", "LOST", True),  # Closed Lost column and the current Deal Stage
    ])
    assert [(s.value, s.count) for s in actuals.unmatched_stages] == [("Contract Sent", 1)]
    assert actuals.columns["deal_id"] == "Record ID" and actuals.columns["owner"] == "Deal owner"


def test_hubspot_internal_property_names(design):
    csv = ("hs_object_id,dealstage,amount,hs_v2_date_entered_appointmentscheduled,hs_v2_date_entered_qualifiedtobuy,"
           "hs_v2_date_exited_appointmentscheduled,hs_v2_date_entered_current_stage\n"
           "1,qualifiedtobuy,100,2024-04-01T00:00:00Z,2024-04-05T00:00:00Z,2024-04-05T00:00:00Z,2024-04-05T00:00:00Z\n")
    actuals = read_actuals(csv.encode(), "deals.csv", design)
    assert actuals.origin == "wide"
    assert events_of(actuals) == [("1", "appointment", False), ("1", "meeting", False)]


def test_xes_style_log(design):
    actuals = read(design, "actuals_xes.csv")
    assert actuals.columns == {"deal_id": "case:concept:name", "stage": "concept:name", "timestamp": "time:timestamp",
                               "owner": "org:resource"}
    assert [(d, s) for d, s, _ in events_of(actuals)] == [
        ("case-1", "lead"), ("case-1", "appointment"), ("case-1", "meeting"), ("case-2", "lead"),
        ("case-2", "meeting"), ("case-3", "lead")]


def test_stage_count_table(design):
    actuals = read(design, "actuals_stage_counts.csv")
    assert actuals.shape == "counts"
    counts = actuals.counts
    assert counts.count == [100, 40, 15, 8, 3, 120, 50, 30, 12, 5]
    assert counts.period[0] == "2024-04" and counts.segment[0] == "SMB" and counts.cost[:2] == [100000.0, None]


def test_columns_option_maps_unknown_headers(design):
    csv = "Vorgang,Phase,Zeit,Wert\nV1,リード,2024-04-01,10\nV1,受注,2024-04-05,10\n"
    with pytest.raises(Exception) as caught:
        read_actuals(csv.encode(), "x.csv", design)
    assert "columns found: 'Vorgang', 'Phase', 'Zeit', 'Wert'" in str(caught.value)
    actuals = read_actuals(csv.encode(), "x.csv", design,
                           columns={"deal_id": "vorgang", "stage": "Phase", "timestamp": "Zeit", "amount": "Wert"})
    assert [(d, s) for d, s, _ in events_of(actuals)] == [("V1", "lead"), ("V1", "won")]
    assert actuals.columns["deal_id"] == "Vorgang"


def test_columns_option_naming_a_missing_column_lists_the_columns(design):
    csv = "deal_id,stage,timestamp\nD1,リード,2024-04-01\n"
    with pytest.raises(Exception, match=r"no column 'owner_name' in the file \(columns: deal_id, stage, timestamp\)"):
        read_actuals(csv.encode(), "x.csv", design, columns={"owner": "owner_name"})


# --------------------------------------------------------------------------- stage matching


def test_stage_values_match_after_nfkc_case_and_spaces(design):
    csv = ("deal_id,stage,timestamp\n"
           "D1,  ＬＥＡＤ ,2024-04-01\nD1,ｱﾎﾟ獲得,2024-04-02\nD1,QUALIFIED   TO BUY,2024-04-03\n"
           "D1,proposal,2024-04-04\nD1,Won,2024-04-05\nD2,アポ 獲得,2024-04-01\n")
    actuals = read_actuals(csv.encode(), "x.csv", design)
    assert [s for _, s, _ in events_of(actuals)] == ["lead", "appointment", "meeting", "proposal", "won"]
    assert [(v.value, v.count) for v in actuals.unmatched_stages] == [("アポ 獲得", 1)]  # an inner space is a different name


def test_unmatched_values_are_counted_not_dropped_silently(design):
    csv = ("deal_id,stage,timestamp\nD1,リード,2024-04-01\nD1,見積提出,2024-04-02\nD2,見積提出,2024-04-02\n"
           "D2,,2024-04-03\nD3,契約書送付,2024-04-04\n")
    actuals = read_actuals(csv.encode(), "x.csv", design)
    assert [(v.value, v.count) for v in actuals.unmatched_stages] == [("見積提出", 2), ("契約書送付", 1), ("", 1)]
    assert len(actuals.events.deal) == 1


@pytest.mark.parametrize("marker", ["失注", "Closed Lost", "closed-lost", "LOST", "不成立"])
def test_lost_markers_mark_the_deal_lost(design, marker):
    csv = f"deal_id,stage,timestamp\nD1,リード,2024-04-01\nD1,{marker},2024-04-02\n"
    assert events_of(read_actuals(csv.encode(), "x.csv", design)) == [("D1", "lead", False), ("D1", "LOST", True)]


def test_status_column_marks_lost_and_won(design):
    """A lost status marks its row lost; a won status (受注) adds a win at the design's won stage."""
    csv = "deal_id,stage,timestamp,status\nD1,リード,2024-04-01,open\nD1,商談,2024-04-03,Closed Lost\nD2,リード,2024-04-01,受注\n"
    assert events_of(read_actuals(csv.encode(), "x.csv", design)) == [
        ("D1", "lead", False), ("D1", "meeting", True), ("D2", "lead", False), ("D2", "won", False)]


def test_stage_map_overrides_matching(design):
    csv = "deal_id,stage,timestamp\nD1,初回訪問,2024-04-01\nD1,ボツ,2024-04-02\nD2,テスト,2024-04-01\nD2,リード,2024-04-02\n"
    actuals = read_actuals(csv.encode(), "x.csv", design,
                           stage_map={"初回訪問": "meeting", "ボツ": MAP_LOST, "テスト": MAP_IGNORE})
    assert events_of(actuals) == [("D1", "meeting", False), ("D1", "LOST", True), ("D2", "lead", False)]
    assert [(v.value, v.count) for v in actuals.ignored_stages] == [("テスト", 1)]
    assert actuals.unmatched_stages == []
    with pytest.raises(Exception, match="'初回訪問' is mapped to 'nope'"):
        read_actuals(csv.encode(), "x.csv", design, stage_map={"初回訪問": "nope"})


def test_inspection_lists_columns_roles_and_stage_values(design):
    inspection = inspect_actuals((DATA / "actuals_japanese.csv").read_bytes(), "x.csv", design)
    assert inspection.shape == "events" and inspection.rows == 6
    assert inspection.roles["deal_id"] == "案件ID" and inspection.guessed == inspection.roles
    assert [(v.value, v.count, v.stage) for v in inspection.stage_values] == [
        ("リード", 2, "lead"), ("商談 ", 1, "meeting"), ("失注", 1, ":lost"), ("ＬＥＡＤ", 1, "lead"),
        ("ｱﾎﾟ獲得", 1, "appointment")]
    assert inspection.sample[0]["案件ID"] == "A-001"
    unknown = inspect_actuals(b"a,b\n1,2\n", "x.csv")
    assert (unknown.shape, unknown.columns, unknown.roles) == (None, ["a", "b"], {})


def test_progress_is_reported_up_to_one(design):
    seen = []
    read(design, "actuals_japanese.csv", progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen) and len(seen) >= 4


def test_per_row_values(design):
    actuals = read(design, "actuals_japanese.csv")
    log = actuals.events
    assert list(log.amount[:3]) == [1_000_000] * 3 and np.isnan(log.amount[5])
    assert log.attributes["lost_reason"][1] == ["予算"]
    assert log.next_action[0] == np.datetime64("2024-04-03", TIME_UNIT).astype(np.int64)


def test_inspection_of_wide_and_field_history_exports(design):
    wide = inspect_actuals((DATA / "actuals_hubspot_deals.csv").read_bytes(), "deals.csv", design)
    assert wide.shape == "wide"
    assert [(v.value, v.count, v.stage) for v in wide.stage_values] == [
        ("Appointment Scheduled", 3, "appointment"), ("Qualified To Buy", 2, "meeting"), ("Contract Sent", 1, None),
        ("Closed Won", 1, "won"), ("Closed Lost", 1, ":lost")]
    history = ("OpportunityId,Field,OldValue,NewValue,CreatedDate\n006X1,Amount,100,200,2024-04-04\n"
               "006X1,StageName,Prospecting,Qualified To Buy,2024-04-05\n")
    inspection = inspect_actuals(history.encode(), "history.csv", design)
    assert [(v.value, v.stage) for v in inspection.stage_values] == [("Qualified To Buy", "meeting")]


def test_excel_count_table_with_date_periods(design):
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["ステージ", "件数", "期間"])
    book.active.append(["リード", 10, dt.datetime(2024, 4, 1)])
    book.active.append(["受注", 2, dt.datetime(2024, 4, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    actuals = read_actuals(buffer.getvalue(), "counts.xlsx", design)
    assert (actuals.counts.count, actuals.counts.period) == ([10, 2], ["2024-04", "2024-04"])


@pytest.mark.parametrize("name", ["actuals_japanese.csv", "actuals_salesforce_history.csv"])
def test_deal_ids_on_a_second_thread_read_the_same_log(design, name, monkeypatch):
    """A large table encodes its deal ids on a second thread, a small one in turn: the log is the same."""
    from journeymap.actuals import events

    monkeypatch.setattr(events, "THREAD_ROWS", 10**9)
    alone = read(design, name).events
    monkeypatch.setattr(events, "THREAD_ROWS", 0)
    threaded = read(design, name).events
    for field in ("deal", "stage", "lost", "ts"):
        assert np.array_equal(getattr(alone, field), getattr(threaded, field))
    assert alone.deal_ids.to_pylist() == threaded.deal_ids.to_pylist()


@pytest.mark.parametrize("header", ["変更日", "更新日", "最終更新日時", "編集日", "フェーズ変更日", "日付", "作成日"])
def test_japanese_crm_date_headers_are_the_timestamp(header):
    roles = guess_roles(["商談ID", "商談名", "フェーズ", header, "金額", "所有者", "取引先名"]).roles
    assert roles == {"deal_id": "商談ID", "stage": "フェーズ", "timestamp": header, "amount": "金額", "owner": "所有者"}


def test_a_change_date_is_the_timestamp_rather_than_a_creation_date_before_it():
    roles = guess_roles(["案件ID", "作成日", "ステージ", "変更日"]).roles
    assert roles["timestamp"] == "変更日"
    assert "作成日" not in roles.values()  # one column, one role

