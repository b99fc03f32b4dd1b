"""CSV of stages: BOM, one row per stage, numbers as numbers, formula injection neutralised."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from journeymap.designfile.reading import load_design
from journeymap.export import export
from journeymap.export.tabular import neutralize
from journeymap.library import load_template
from journeymap.model import parse_design

DATA = Path(__file__).parent / "data"


def rows(name: str, lang: str = "ja") -> list[list[str]]:
    return rows_of(load_design(DATA / f"{name}.yaml"), lang)


def rows_of(design, lang: str = "ja") -> list[list[str]]:
    content = export(design, "csv", lang=lang)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_one_row_per_stage_with_the_header_in_the_chosen_language():
    table = rows("interop_full")
    assert table[0] == ["フェーズID", "フェーズ", "ステージID", "ステージ", "担当", "ファネル", "目標転換率", "目標日数", "単価", "KPI",
                        "確度", "予測区分", "記録項目", "移行基準"]
    assert len(table) == 1 + 11
    # probability: the planned rates after it to the KGI stage, 0.5 × 0.6 × 0.5 × 0.8
    assert table[5] == ["contact", "顧客接点創出段階", "appointment", "アポイント獲得", "テレアポ代行", "TRUE", "0.04", "14", "10000", "アポイント数 ≥ 40\nアポ単価 ≤ 10000",
                        "0.12", "", "決裁者名\n現場の予算感", "商談日時が確定している"]
    english = rows("interop_full", lang="en")
    assert english[0][:4] == ["phase_id", "phase", "stage_id", "stage"]
    assert english[4][3:6] == ["Calls", "Telemarketing agency", "TRUE"]
    assert english[4][9] == "Calls made ≥ 1000\nConnect rate ≥ 30%"


def test_typed_records_probability_and_owner_pricing_reach_the_csv():
    design = load_template("midsize-phase-stage")
    table = rows_of(design)
    first = next(row for row in table if row[2] == "first-contact")
    assert "顧客の初期反応 (選択: 前向き/検討中/やや慎重/否定的) [必須, キー項目]" in first[12].split("\n")
    contracted = next(row for row in table if row[2] == "contracted")
    assert contracted[10:12] == ["1", "closed"]
    outsourced = rows_of(load_template("outsourced-prospecting"))
    assert [row[8] for row in outsourced if row[2] in ("call", "appointment")] == ["400", "10000"]  # owner pricing per item


def test_utf8_bom_and_crlf_line_ends_for_excel():
    content = export(load_design(DATA / "interop_minimal.yaml"), "csv")
    assert content.startswith("\ufeffフェーズID".encode("utf-8"))
    assert content.endswith(b"\r\n") and b"\r\n" in content


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0", "＝１＋１", "＠x"])
def test_formula_triggers_get_a_leading_quote(text):
    assert neutralize(text) == "'" + text


@pytest.mark.parametrize("text", ["架電", "a=b", "1+1", " =1", "'quoted"])
def test_other_text_is_left_alone(text):
    assert neutralize(text) == text


def test_hostile_cells_are_neutralised_and_numbers_stay_numbers():
    table = rows("interop_hostile", lang="en")
    owners = [row[4] for row in table[1:]]
    assert owners == ["'=cmd|' /C calc'!A0", "'+SUM(1,2)", "'-1+1"]
    assert table[1][8] == "100" and table[2][6] == "0.5"
    design = parse_design(
        {"schema_version": 1, "id": "n", "name": "n", "phases": [{"id": "p", "name": "-p", "stages": [
            {"id": "s", "name": "s", "funnel": True, "kpis": [{"id": "k", "name": "=k", "target": -5}]}]}]}
    )
    content = export(design, "csv").decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(content, newline="")))[1]
    assert row[1] == "'-p" and row[9] == "'=k ≥ -5"
