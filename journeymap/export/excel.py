"""Excel workbook of a design: readable and editable by hand, and importable back exactly.

Sheets: Overview, Owners, Phases, Stages, KPIs, KGIs, Journey, Drop reasons, Transitions, and a
Help sheet (ignored on import). `journeymap.designfile.workbook` describes the sheets and columns
that this writer and the reader (`journeymap.designfile.xlsx`) share.

Safety: every user text is stored as a text cell (never a formula), and text that starts like a
formula also carries Excel's quote-prefix style, so Excel keeps it as text even when the cell is
edited. Output is byte-for-byte deterministic: fixed document properties and zip timestamps.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from journeymap.designfile.workbook import (
    HELP_NAME,
    ITEM_SHEETS,
    OVERVIEW_FIELDS,
    OVERVIEW_HEADER,
    OVERVIEW_NAME,
    Column,
    Sheet,
    cell_ref,
    encode_cell_text,
    text_keys,
)
from journeymap.export import Format, register
from journeymap.export.tabular import FORMULA_TRIGGERS
from journeymap.model import Design, design_to_data
from journeymap.text.width import display_width

__all__ = ["to_xlsx"]

_FIXED_TIME = _dt.datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FONT_NAME = "Yu Gothic"  # 游ゴシック (Windows, macOS Office); LibreOffice falls back to Noto Sans CJK
_FONT = Font(name=FONT_NAME, size=11)
_HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True)
_LINE_PT = 16  # points per line of 11-pt Japanese text
_ERROR_TITLE = "入力できない値 / Value not allowed"
_ERRORS = {
    "list": "一覧にある値を選んでください。 Choose a value from the list.",
    "ref": "このブックにある ID を一覧から選んでください。 Choose an id defined in this workbook.",
    "rate": "0〜1 の数値を入れてください（25% は 0.25）。 Enter a number from 0 to 1 (25% is 0.25).",
    "emotion": "-2〜2 の数値を入れてください。 Enter a number from -2 to 2.",
}
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="7F8FA6"))
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)
_VALIDATION_ROWS = 1000
_RATE_COLUMNS = ("target_rate", "probability")
_MIN_WIDTH, _MAX_WIDTH = 8, 60
# Defaults are left out of design files but shown in the workbook, where an empty cell would hide
# what the value is; reading them back gives the same design.
_DEFAULTS: dict[str, dict[str, Any]] = {
    "Overview": {"segment": "other", "currency": "JPY", "period": "month", "counts": "deals"},
    "Owners": {"kind": "internal", "fixed_cost": 0},
    "Stages": {"funnel": False},
    "Records": {"type": "text", "required": False, "key": False},
    "Account plan": {"type": "text", "required": False, "key": False},
    "KPIs": {"unit": "count", "direction": "up"},
    "KGIs": {"unit": "count"},
}


class _Book:
    """A workbook being written, with the numbers openpyxl would round (patched after saving)."""

    def __init__(self) -> None:
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.numbers: dict[int, dict[str, str]] = {}

    def sheet(self, title: str) -> Worksheet:
        return self.wb.create_sheet(title)

    def put(self, ws: Worksheet, row: int, column: int, value: Any) -> None:
        if value is None:
            return
        cell = ws.cell(row=row, column=column)
        cell.font = _FONT
        if isinstance(value, str):
            cell.value = encode_cell_text(value)
            cell.data_type = "s"  # text, even when it looks like a formula or an error code
            if value.startswith(FORMULA_TRIGGERS):
                cell.quotePrefix = True
            return
        cell.value = value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            exact = repr(value) if isinstance(value, float) else str(value)
            if exact != f"{value:.16g}":  # openpyxl writes 16 significant digits, and 1.0 as 1
                self.numbers.setdefault(self.wb.worksheets.index(ws), {})[cell.coordinate] = exact


def to_xlsx(design: Design) -> bytes:
    """The design as an .xlsx workbook (bytes)."""
    data = design_to_data(design)
    book = _Book()
    _overview(book, data)
    for sheet in ITEM_SHEETS:
        _item_sheet(book, sheet, _items(sheet.name, data))
    _help(book)
    return _save(book)


# --------------------------------------------------------------------------- data → rows


def _items(sheet: str, data: dict) -> list[dict]:
    phases = data.get("phases", [])
    if sheet == "Owners":
        return [{k: v for k, v in o.items() if k != "pricing"} for o in data.get("owners", [])]
    if sheet == "Phases":
        return [{k: v for k, v in p.items() if k != "stages"} for p in phases]
    if sheet == "Stages":
        return [
            {"phase": p["id"], **{k: v for k, v in s.items() if k not in ("kpis", "records")}}
            for p in phases
            for s in p["stages"]
        ]
    if sheet == "KPIs":
        return [{"stage": s["id"], **k} for p in phases for s in p["stages"] for k in s.get("kpis", [])]
    if sheet == "KGIs":
        return data.get("kgis", [])
    if sheet == "Journey":
        return (data.get("journey") or {}).get("phases", [])
    if sheet == "Drop reasons":
        return data.get("drop_reasons", [])
    if sheet == "Transitions":
        return data.get("transitions", [])
    if sheet == "Pricing":
        return [{"owner": o["id"], **p} for o in data.get("owners", []) for p in o.get("pricing", [])]
    if sheet == "Records":
        return [{"stage": s["id"], **_record(r)} for p in phases for s in p["stages"] for r in s.get("records", [])]
    if sheet == "Temperature":
        return data.get("temperature") or []
    if sheet == "Account plan":
        return [_record(r) for r in data.get("account_plan", [])]
    if sheet == "Linked designs":
        return data.get("linked_designs", [])
    raise ValueError(sheet)


def _record(value: Any) -> dict:
    """A record as a row: a plain text record is a text record with only its name."""
    return value if isinstance(value, dict) and "name" in value else {"name": value}


def _headers(sheet: Sheet, items: list[dict]) -> list[tuple[str, Column, str | None]]:
    """Physical columns: (header, column, language or None) — the plain text column only if used."""
    out: list[tuple[str, Column, str | None]] = []
    for column in sheet.columns:
        if column.legacy:
            continue
        if not column.is_text:
            out.append((column.key, column, None))
            continue
        plain, ja, en = text_keys(column.key)
        values = [item.get(column.key) for item in items]
        if column.kind == "texts":
            values = [v for lst in values if lst for v in lst]
        if any(isinstance(v, str) for v in values):
            out.append((plain, column, ""))
        out.append((ja, column, "ja"))
        out.append((en, column, "en"))
    return out


def _part(value: Any, lang: str | None) -> Any:
    """The cell value of one physical column for a field value."""
    if lang is None:
        return value
    if lang == "":
        return value if isinstance(value, str) else None
    return value.get(lang) if isinstance(value, dict) else None


def _item_sheet(book: _Book, sheet: Sheet, items: list[dict]) -> None:
    ws = book.sheet(sheet.name)
    headers = _headers(sheet, items)
    _header_row(book, ws, [h for h, _, _ in headers])
    row = 2
    for item in items:
        item = {**_DEFAULTS.get(sheet.name, {}), **item}
        depth = max([1] + [len(item.get(c.key) or []) for c in sheet.columns if c.is_list])
        for offset in range(depth):
            for index, (_header, column, lang) in enumerate(headers, start=1):
                value = item.get(column.key)
                if column.is_list:
                    value = value[offset] if value and offset < len(value) else None
                elif offset:
                    continue
                book.put(ws, row + offset, index, _part(value, lang))
        row += depth
    _finish(ws, sheet, headers, row - 1)


def _overview(book: _Book, data: dict) -> None:
    ws = book.sheet(OVERVIEW_NAME)
    _header_row(book, ws, list(OVERVIEW_HEADER))
    journey = data.get("journey")
    values = {**_DEFAULTS["Overview"], **{k: v for k, v in data.items() if k != "journey"}}
    if journey is not None:
        if "persona" in journey:
            values["persona"] = journey["persona"]
        if not journey:  # an empty journey section: keep it through the round trip
            values["journey"] = True
    row = 2
    for column in OVERVIEW_FIELDS:
        value = values.get(column.key)
        if column.key == "journey" and value is None:
            continue
        book.put(ws, row, 1, column.key)
        if column.is_text:
            book.put(ws, row, 2, _part(value, ""))
            book.put(ws, row, 3, _part(value, "ja"))
            book.put(ws, row, 4, _part(value, "en"))
        else:
            book.put(ws, row, 2, value)
        row += 1
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = _WRAP
    ws.freeze_panes = "B2"
    _fit_widths(ws)
    _fit_heights(ws)
    _print_setup(ws)


def _help(book: _Book) -> None:
    ws = book.sheet(HELP_NAME)
    lines = [
        "この表の使い方 / How to edit this workbook",
        "",
        "・1行に1項目。見出し行（1行目）は設計ファイルの項目名です。見出しは変えないでください。",
        "  One item per row; the header row holds the field names of the design format: keep it as it is.",
        "・name_ja / name_en に日本語と英語。言語によらない文は name 列（ある場合）に書きます。",
        "  name_ja / name_en hold Japanese and English; a text that is the same in every language goes in 'name'.",
        "・リスト項目（activities, exit_criteria, aliases など）は1セルに1件。2件目以降は下の行に書き、その行の id は空けます。",
        "  List fields take one entry per cell; further entries go on the rows below, with the id cell left empty.",
        "  （Records は stage、Transitions は from、Pricing は owner、Account plan は type、Linked designs は design の列を空けます。）",
        "  (Records: leave stage empty; Transitions: from; Pricing: owner; Account plan: type; Linked designs: design.)",
        "・Records: ステージごとの記録項目。type は text / number / currency / date / select / multiselect / bool、select の選択肢は options に1行1件。",
        "  Records: what to record per stage; select options go in 'options', one per row.",
        "・各シートの id は英小文字・数字・'-'。ステージ・担当は id で参照します（プルダウンから選べます）。",
        "  Ids are lowercase letters, digits and '-'; stages and owners are referred to by id (drop-down lists).",
        "・読み込み: journeymap import この表.xlsx -o design.yaml",
        "  Import: journeymap import this.xlsx -o design.yaml",
        "・このシート（Help）は読み込み時に無視されます。 This sheet is ignored on import.",
    ]
    for row, line in enumerate(lines, start=1):
        book.put(ws, row, 1, line)
    ws["A1"].font = Font(name=FONT_NAME, bold=True, size=13)
    ws.column_dimensions["A"].width = 110
    _print_setup(ws)


# --------------------------------------------------------------------------- formatting


def _header_row(book: _Book, ws: Worksheet, headers: list[str]) -> None:
    for index, header in enumerate(headers, start=1):
        book.put(ws, 1, index, header)
        cell = ws.cell(row=1, column=index)
        cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _HEADER_BORDER


def _finish(ws: Worksheet, sheet: Sheet, headers: list[tuple[str, Column, str | None]], last_row: int) -> None:
    ws.freeze_panes = sheet.freeze
    for index, (_header, column, _lang) in enumerate(headers, start=1):
        letter = get_column_letter(index)
        alignment = _WRAP if column.is_text or column.kind == "strings" else _TOP
        for row in range(2, last_row + 1):
            cell = ws.cell(row=row, column=index)
            cell.alignment = alignment
            if column.key in _RATE_COLUMNS and isinstance(cell.value, (int, float)):
                cell.number_format = "0.0#%"
        _validation(ws, column, letter)
    _fit_widths(ws)
    _fit_heights(ws)
    _print_setup(ws)


def _validation(ws: Worksheet, column: Column, letter: str) -> None:
    area = f"{letter}2:{letter}{_VALIDATION_ROWS}"
    if column.kind == "enum" and column.values:
        rule = DataValidation(type="list", formula1='"' + ",".join(column.values) + '"', allow_blank=True)
        message = _ERRORS["list"]
    elif column.kind == "bool":
        rule = DataValidation(type="list", formula1='"TRUE,FALSE"', allow_blank=True)
        message = _ERRORS["list"]
    elif column.ref:
        id_column = "B" if column.ref == "Stages" else "A"
        target = cell_ref(column.ref, f"${id_column}$2:${id_column}${_VALIDATION_ROWS}")
        rule = DataValidation(type="list", formula1=f"={target}", allow_blank=True)
        message = _ERRORS["ref"]
    elif column.key in _RATE_COLUMNS or column.key == "emotion":
        low, high = ("-2", "2") if column.key == "emotion" else ("0", "1")
        rule = DataValidation(type="decimal", operator="between", formula1=low, formula2=high, allow_blank=True)
        message = _ERRORS["emotion" if column.key == "emotion" else "rate"]
    else:
        return
    # A typo is refused where it is typed, with a message in both languages of the workbook.
    rule.showErrorMessage = True
    rule.errorStyle = "stop"
    rule.errorTitle = _ERROR_TITLE
    rule.error = message
    rule.add(area)
    ws.add_data_validation(rule)


def _fit_widths(ws: Worksheet) -> None:
    widths: dict[int, int] = {}
    for cells in ws.iter_rows():
        for cell in cells:
            if cell.value is None:
                continue
            text = str(cell.value)
            width = max(display_width(line) for line in text.splitlines() or [""])
            widths[cell.column] = max(widths.get(cell.column, 0), width)
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = max(_MIN_WIDTH, min(_MAX_WIDTH, width + 2))


def _fit_heights(ws: Worksheet) -> None:
    """Rows as tall as their wrapped text: Excel and LibreOffice keep 15 pt otherwise and cut it."""
    widths = {letter: dim.width for letter, dim in ws.column_dimensions.items() if dim.width}
    for cells in ws.iter_rows(min_row=1):
        lines = 1
        for cell in cells:
            if cell.value is None:
                continue
            usable = max(int(widths.get(cell.column_letter, _MIN_WIDTH)) - 1, 1)
            count = sum(max(1, -(-display_width(line) // usable)) for line in str(cell.value).splitlines() or [""])
            lines = max(lines, count)
        if lines > 1:
            ws.row_dimensions[cells[0].row].height = lines * _LINE_PT


def _print_setup(ws: Worksheet) -> None:
    """Print the used range, landscape on A4, as wide as one page, header row on every page."""
    if ws.max_row >= 1 and ws.max_column >= 1:
        ws.print_area = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if ws.title != HELP_NAME:
        ws.print_title_rows = "1:1"


# --------------------------------------------------------------------------- saving


def _save(book: _Book) -> bytes:
    book.wb.properties.creator = "journeymap"
    book.wb.properties.created = book.wb.properties.modified = _FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book.wb, archive).write_data()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if match and int(match.group(1)) - 1 in book.numbers:
                content = _patch_numbers(content, book.numbers[int(match.group(1)) - 1])
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


def _patch_numbers(xml: bytes, numbers: dict[str, str]) -> bytes:
    """Write each listed number cell's value in full (round-trip exact) instead of openpyxl's 16 digits."""
    text = xml.decode("utf-8")
    for coordinate, exact in numbers.items():
        pattern = re.compile(rf'(<c r="{coordinate}"[^>]*><v>)[^<]*(</v>)')
        text, count = pattern.subn(rf"\g<1>{exact}\g<2>", text, count=1)
        if count != 1:
            raise RuntimeError(f"number cell {coordinate} not found while writing the workbook")
    return text.encode("utf-8")


register(
    Format(
        "xlsx",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        to_xlsx,
        "Excel workbook (editable; import it back with `journeymap import`)",
        binary=True,
    )
)
