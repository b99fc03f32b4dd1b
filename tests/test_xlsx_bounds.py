"""Workbooks from users: zip bombs, too many parts or cells, and XML entities (XXE) are refused
with a message before the work grows, for actuals and for designs alike."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from journeymap.actuals.reading import read_actuals
from journeymap.archive import ACTUALS_LIMITS, DESIGN_LIMITS
from journeymap.designfile.reading import load_design, parse_design_bytes
from journeymap.errors import InputError
from tests.test_actuals_dates import DESIGN_PATH

SHEET = "xl/worksheets/sheet1.xml"


def workbook(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewritten(content: bytes, change) -> bytes:
    """The workbook with the XML of its first sheet changed, and maybe more parts added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == SHEET:
                data = change(data)
            target.writestr(item.filename, data)
    return out.getvalue()


GOOD = workbook([["deal_id", "stage", "timestamp"], ["D1", "リード", "2024-04-01"], ["D1", "アポ獲得", "2024-04-03"]])


@pytest.fixture(scope="module")
def design():
    return load_design(DESIGN_PATH)


def test_a_plain_workbook_is_read(design):
    assert read_actuals(GOOD, "crm.xlsx", design).rows == 2


@pytest.mark.parametrize("entity", ['SYSTEM "file:///etc/passwd"', '"lol"'])
def test_xml_entities_in_an_actuals_workbook_are_refused_with_a_message(design, entity):
    def xxe(data: bytes) -> bytes:
        data = f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY e {entity}>]>'.encode() + data
        return data.replace(b"<sheetData>", b'<sheetData><row r="9"><c r="A9" t="inlineStr"><is><t>&e;</t></is></c></row>', 1)

    with pytest.raises(InputError) as caught:
        read_actuals(rewritten(GOOD, xxe), "crm.xlsx", design)
    assert caught.value.first.source == "crm.xlsx" and "cannot read this Excel file" in caught.value.first.message
    assert "root:" not in str(caught.value)


def test_a_zip_bomb_is_refused_from_its_directory_before_any_xml_is_read(design):
    # About 70 MB of rows that compress to well under a megabyte.
    row = b'<row><c t="inlineStr"><is><t>aaaa</t></is></c></row>'
    bomb = rewritten(GOOD, lambda data: data.replace(b"</sheetData>", row * 1_400_000 + b"</sheetData>", 1))
    assert len(bomb) < 2 * 1024**2
    with pytest.raises(InputError, match=r"expands to \d+ MB of data when unpacked; journeymap reads at most 64 MB"):
        read_actuals(bomb, "crm.xlsx", design)


def test_a_workbook_of_too_many_parts_is_refused(design):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(GOOD)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
        for i in range(ACTUALS_LIMITS.entries):
            target.writestr(f"xl/extra/{i}.xml", b"")
    with pytest.raises(InputError, match="parts; journeymap reads at most 2,000"):
        read_actuals(out.getvalue(), "crm.xlsx", design)


def test_a_sheet_with_more_cells_than_the_limit_stops_with_a_message(design, monkeypatch):
    from journeymap.actuals import tables

    monkeypatch.setattr(tables, "ACTUALS_LIMITS", ACTUALS_LIMITS.__class__(2_000, 64 * 1024**2, 30))
    rows = [["deal_id", "stage", "timestamp"]] + [[f"D{i}", "リード", "2024-04-01"] for i in range(20)]
    with pytest.raises(InputError, match=r"more than 30 cells in the sheet \(at Sheet!11\)"):
        read_actuals(workbook(rows), "crm.xlsx", design)


def test_a_sheet_claiming_16384_columns_is_read_by_its_real_rows(design):
    wide = rewritten(GOOD, lambda data: data.replace(b'<dimension ref="A1:C3"/>', b'<dimension ref="A1:XFD1048576"/>'))
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(wide)).read(SHEET)
    assert read_actuals(wide, "crm.xlsx", design).rows == 2


def test_a_design_workbook_bomb_and_entities_are_refused():
    from journeymap.export import export

    good = export(load_design(DESIGN_PATH), "xlsx")
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        sheet = next(n for n in archive.namelist() if n.startswith("xl/worksheets/"))

    def change_sheet(data: bytes, edit) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                part = source.read(item.filename)
                target.writestr(item.filename, edit(part) if item.filename == sheet else part)
        return out.getvalue()

    bomb = change_sheet(good, lambda d: d + b" " * (DESIGN_LIMITS.uncompressed + 1))
    with pytest.raises(InputError, match="journeymap reads at most 40 MB"):
        parse_design_bytes(bomb, "design.xlsx")
    xxe = change_sheet(good, lambda d: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + d)
    with pytest.raises(InputError, match="cannot read this Excel workbook"):
        parse_design_bytes(xxe, "design.xlsx")
