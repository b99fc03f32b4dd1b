"""Reading a design back from its Excel workbook, with errors that name the sheet and cell.

The workbook's layout is in `excel_sheets`. Reading builds the same plain data a YAML file gives,
remembering the cell every value came from; the design rules then run as for YAML, and each problem
is reported at the cell its data path leads to (`design.xlsx:Stages!H4: unknown owner 'x'`).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from journeymap.archive import DESIGN_LIMITS, check_zip, too_many_cells
from journeymap.designfile.workbook import (
    ITEM_SHEETS,
    OVERVIEW_FIELDS,
    OVERVIEW_HEADER,
    OVERVIEW_NAME,
    Column,
    Sheet,
    cell_ref,
    decode_cell_text,
    text_keys,
)
from journeymap.designfile.xlsx_cells import as_text, blank, boolean, number, unknown
from journeymap.errors import InputError, Issue
from journeymap.model import SCHEMA_VERSION, Design, DesignInvalid, parse_design
from journeymap.text.problems import Verbatim, problem, refuse


def read_xlsx_design(content: bytes, source: str = "<input>.xlsx") -> Design:
    """A design from the bytes of a workbook written by `to_xlsx` (and edited by hand)."""
    reader = _Reader(_open(content, source), content, source)
    data = reader.read()
    if reader.issues:
        raise InputError(reader.issues)
    try:
        return parse_design(data)
    except DesignInvalid as exc:
        raise InputError(
            [Issue(p.message, source=source, cell=reader.cell_of(p.path), path=p.path, key=p.key, values=p.values)
             for p in exc.problems]
        ) from None


def _open(content: bytes, source: str):
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise refuse("problem.not_xlsx", source=source)
    check_zip(content, source, DESIGN_LIMITS)
    try:
        book = load_workbook(io.BytesIO(content), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for damaged files (entities: defusedxml's errors)
        raise refuse("problem.xlsx_unreadable", source=source, detail=Verbatim(str(exc))) from None
    cells = sum(ws.max_row * ws.max_column for ws in book.worksheets)
    if cells > DESIGN_LIMITS.cells:
        raise too_many_cells(source, DESIGN_LIMITS, None)
    return book


@dataclass
class _Cell:
    value: Any
    ref: str


@dataclass
class _Item:
    row_ref: str
    cells: dict[str, list[_Cell | None]] = field(default_factory=dict)
    """Header → the cells of that column, one per row of the item (first row, continuation rows)."""


class _Reader:
    def __init__(self, wb, content: bytes, source: str):
        self.wb = wb
        self.content = content
        self.source = source
        self.issues: list[Issue] = []
        self.positions: dict[tuple, str] = {}
        self._cached = None

    # -- entry --------------------------------------------------------------------------

    def read(self) -> dict:
        data = self._overview()
        tables = {sheet.name: self._table(sheet) for sheet in ITEM_SHEETS}
        if self.issues:
            return data
        self._assemble(data, tables)
        return data

    def cell_of(self, path: tuple) -> str | None:
        for end in range(len(path), 0, -1):
            found = self.positions.get(tuple(path[:end]))
            if found:
                return found
        return None

    def issue(self, key: str, ref: str | None, /, **values: Any) -> None:
        """A problem (`problem.*`) at the cell `ref`."""
        self.issues.append(problem(key, source=self.source, cell=ref, **values))

    def unknown(self, kind: str, value: Any, known, ref: str | None) -> None:
        key, values = unknown(kind, value, known)
        self.issue(key, ref, **values)

    # -- cells --------------------------------------------------------------------------

    def _value(self, sheet: str, cell) -> Any:
        """The value of a cell; a formula gives its saved result; errors become issues."""
        if cell.data_type == "f":
            cached = self._cached_value(sheet, cell.coordinate)
            if cached is None:
                self.issue("problem.formula_unsaved", cell_ref(sheet, cell.coordinate), formula=str(cell.value))
            return cached
        if cell.data_type == "e":
            self.issue("problem.cell_error", cell_ref(sheet, cell.coordinate), error=str(cell.value))
            return None
        value = cell.value
        if isinstance(value, str):
            return decode_cell_text(value)
        return value

    def _cached_value(self, sheet: str, coordinate: str) -> Any:
        cached = self._cached
        if cached is None:
            from openpyxl import load_workbook

            cached = self._cached = load_workbook(io.BytesIO(self.content), data_only=True)
        value = cached[sheet][coordinate].value
        return decode_cell_text(value) if isinstance(value, str) else value

    # -- overview -----------------------------------------------------------------------

    def _overview(self) -> dict:
        data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        ws = self._sheet(OVERVIEW_NAME)
        if ws is None:
            return data
        header = [self._value(OVERVIEW_NAME, c) for c in ws[1]] if ws.max_row >= 1 else []
        if [str(h).strip() if h is not None else "" for h in header[:4]] != list(OVERVIEW_HEADER):
            self.issue("problem.overview_header", cell_ref(OVERVIEW_NAME, "A1:D1"), header=", ".join(OVERVIEW_HEADER))
            return data
        known = {c.key: c for c in OVERVIEW_FIELDS}
        seen: dict[str, str] = {}
        journey: dict[str, Any] = {}
        for cells in ws.iter_rows(min_row=2, max_col=4):
            values = [self._value(OVERVIEW_NAME, c) for c in cells]
            refs = [cell_ref(OVERVIEW_NAME, c.coordinate) for c in cells]
            if all(blank(v) for v in values):
                continue
            name = str(values[0]).strip() if not blank(values[0]) else ""
            if name not in known:
                close = difflib.get_close_matches(name, list(known), n=1)
                if close:
                    self.issue("problem.unknown_field_hint", refs[0], field=name, hint=close[0])
                else:
                    self.issue("problem.unknown_field_known", refs[0], field=name, known=", ".join(known))
                continue
            if name in seen:
                self.issue("problem.field_twice", refs[0], field=name, first=seen[name])
                continue
            seen[name] = refs[0]
            column = known[name]
            path = ("journey", "persona") if name == "persona" else (name,)
            if column.is_text:
                cells_: dict[str, _Cell | None] = {
                    "": _Cell(values[1], refs[1]), "ja": _Cell(values[2], refs[2]), "en": _Cell(values[3], refs[3])
                }
                value = self._text(cells_, path)
            else:
                value = self._scalar(column, _Cell(values[1], refs[1]))
                self.positions[path] = refs[1]
            if value is None:
                continue
            if name == "persona":
                journey["persona"] = value
            elif name == "journey":
                if value is True:
                    data.setdefault("journey", {})
            else:
                data[name] = value
        if journey:
            data["journey"] = {**data.get("journey", {}), **journey}
        self._check_version(data)
        return data

    def _check_version(self, data: dict) -> None:
        version = data.get("schema_version")
        if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
            self.issue("problem.schema_newer", self.positions.get(("schema_version",)), version=version, known=SCHEMA_VERSION)

    # -- item sheets --------------------------------------------------------------------

    def _sheet(self, name: str, optional: bool = False):
        if name in self.wb.sheetnames:
            return self.wb[name]
        if optional:
            return None
        close = difflib.get_close_matches(name, self.wb.sheetnames, n=1, cutoff=0.5)
        if close:
            self.issue("problem.sheet_missing_hint", None, sheet=name, found=close[0])
        else:
            self.issue("problem.sheet_missing", None, sheet=name)
        return None

    def _table(self, sheet: Sheet) -> list[_Item]:
        ws = self._sheet(sheet.name, sheet.optional)
        if ws is None:
            return []
        columns = self._header(sheet, ws)
        if columns is None:
            return []
        list_headers = {h for h, (c, _) in columns.items() if c.is_list}
        id_header = sheet.anchor
        items: list[_Item] = []
        for cells in ws.iter_rows(min_row=2, max_col=ws.max_column):
            row: dict[str, _Cell] = {}
            for cell in cells:
                header = self._headers_by_index.get(cell.column)
                if header is None:
                    continue
                value = self._value(sheet.name, cell)
                row[header] = _Cell(None if blank(value) else value, cell_ref(sheet.name, cell.coordinate))
            if all(c.value is None for c in row.values()):
                continue
            continuation = id_header is not None and list_headers and row.get(id_header, _Cell(None, "")).value is None
            if continuation:
                filled = [h for h, c in row.items() if c.value is not None and h not in list_headers]
                if not items or filled:
                    where = row[id_header].ref if id_header in row else None
                    self.issue("problem.row_missing_id" if id_header == "id" else "problem.row_missing_anchor", where,
                               anchor=str(id_header), lists=", ".join(sorted(list_headers)))
                    continue
                for header in list_headers:
                    items[-1].cells.setdefault(header, []).append(row.get(header))
                continue
            first = next(iter(row.values())).ref
            items.append(_Item(first, {h: [c] for h, c in row.items()}))
        return items

    def _header(self, sheet: Sheet, ws) -> dict[str, tuple[Column, str | None]] | None:
        allowed: dict[str, tuple[Column, str | None]] = {}
        for column in sheet.columns:
            if column.is_text:
                for header, lang in zip(text_keys(column.key), ("", "ja", "en")):
                    allowed[header] = (column, lang)
            else:
                allowed[column.key] = (column, None)
        found: dict[str, tuple[Column, str | None]] = {}
        self._headers_by_index: dict[int, str] = {}
        ok = True
        for cell in ws[1] if ws.max_row >= 1 else []:
            value = self._value(sheet.name, cell)
            if blank(value):
                continue
            header = str(value).strip()
            ref = cell_ref(sheet.name, cell.coordinate)
            if header not in allowed:
                close = difflib.get_close_matches(header, list(allowed), n=1)
                if close:
                    self.issue("problem.unknown_column_hint", ref, header=header, hint=close[0])
                else:
                    self.issue("problem.unknown_column", ref, header=header)
                ok = False
            elif header in found:
                self.issue("problem.column_twice", ref, header=header)
                ok = False
            else:
                found[header] = allowed[header]
                self._headers_by_index[cell.column] = header
        for column in sheet.columns:
            if column.required and column.key not in found:
                self.issue("problem.column_missing_header", cell_ref(sheet.name, "1:1"), header=column.key)
                ok = False
        return found if ok else None

    # -- building the data ----------------------------------------------------------------

    def _fields(self, sheet: Sheet, item: _Item, path: tuple, skip: tuple[str, ...] = ()) -> dict:
        """The plain data of one item, registering the cell of each value under its path."""
        self.positions[path] = item.row_ref
        out: dict[str, Any] = {}
        for column in sheet.columns:
            if column.key in skip:
                continue
            if column.is_text:
                headers = text_keys(column.key)
                rows = max((len(item.cells.get(h, [])) for h in headers), default=1)
                per_row = [{lang: _cell_at(item, h, i) for h, lang in zip(headers, ("", "ja", "en"))} for i in range(rows)]
                if column.kind == "text":
                    value = self._text(per_row[0], path + (column.key,))
                else:
                    entries: list[Any] = []
                    for cells in per_row:
                        entry = self._text(cells, path + (column.key, len(entries)))
                        if entry is not None:
                            entries.append(entry)
                    value = entries or None
            elif column.is_list:
                listed = [c for c in item.cells.get(column.key, []) if c is not None and c.value is not None]
                value = [self._list_entry(column, c, path + (column.key, i)) for i, c in enumerate(listed)] or None
            else:
                cell = (item.cells.get(column.key) or [None])[0]
                if cell is not None:
                    self.positions[path + (column.key,)] = cell.ref
                value = self._scalar(column, cell) if cell is not None else None
            if value is not None:
                out[column.key] = value
        return out

    def _text(self, cells: dict[str, _Cell | None], path: tuple) -> Any:
        parts = {lang: as_text(c.value) for lang, c in cells.items() if c is not None}
        refs = {lang: c.ref for lang, c in cells.items() if c is not None}
        anchor = refs.get("ja") or refs.get("") or refs.get("en")
        if anchor:
            self.positions.setdefault(path, anchor)
        for lang in ("ja", "en"):
            if lang in refs:
                self.positions[path + (lang,)] = refs[lang]
        plain, ja, en = parts.get(""), parts.get("ja"), parts.get("en")
        if plain is not None and ja is not None:
            self.issue("problem.text_twice", refs[""], header=str(path[-1] if isinstance(path[-1], str) else path[-2]))
            return None
        if plain is not None:
            return {"ja": plain, "en": en} if en is not None else plain
        localized = {k: v for k, v in (("ja", ja), ("en", en)) if v is not None}
        return localized or None

    def _list_entry(self, column: Column, cell: _Cell, path: tuple) -> Any:
        self.positions[path] = cell.ref
        if column.kind == "strings":
            value = cell.value
            return value if isinstance(value, str) else as_text(value)
        return self._scalar(column, cell)

    def _scalar(self, column: Column, cell: _Cell | None) -> Any:
        if cell is None or cell.value is None:
            return None
        value = cell.value
        if column.kind == "number":
            return number(value)
        if column.kind == "bool":
            return boolean(value)
        if isinstance(value, bool):
            return value  # the model says what is wrong with it
        if isinstance(value, (int, float)):
            return str(int(value)) if float(value).is_integer() else str(value)
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()
        return str(value).strip()

    # -- assembling -----------------------------------------------------------------------

    def _assemble(self, data: dict, tables: dict[str, list[_Item]]) -> None:
        from journeymap.designfile.workbook import (
            ACCOUNT_PLAN,
            DROP_REASONS,
            JOURNEY,
            KGIS,
            KPIS,
            LINKED_DESIGNS,
            OWNERS,
            PHASES,
            PRICING,
            RECORDS,
            STAGES,
            TEMPERATURE,
            TRANSITIONS,
        )

        simple = (
            ("owners", OWNERS),
            ("kgis", KGIS),
            ("drop_reasons", DROP_REASONS),
            ("transitions", TRANSITIONS),
            ("temperature", TEMPERATURE),
            ("account_plan", ACCOUNT_PLAN),
            ("linked_designs", LINKED_DESIGNS),
        )
        for key, sheet in simple:
            items = [self._fields(sheet, item, (key, i)) for i, item in enumerate(tables[sheet.name])]
            if items:
                data[key] = items
        owner_at = {o.get("id"): i for i, o in reversed(list(enumerate(data.get("owners", []))))}
        for item in tables["Pricing"]:
            cell = item.cells["owner"][0]
            owner_id = self._scalar(PRICING.column("owner"), cell)
            if owner_id not in owner_at:
                self.unknown("owner", owner_id, owner_at, cell.ref if cell else item.row_ref)
                continue
            owner = data["owners"][owner_at[owner_id]]
            pi = len(owner.setdefault("pricing", []))
            owner["pricing"].append(self._fields(PRICING, item, ("owners", owner_at[owner_id], "pricing", pi), skip=("owner",)))
        phases = [self._fields(PHASES, item, ("phases", i)) for i, item in enumerate(tables["Phases"])]
        phase_index: dict[str, int] = {}
        for i, phase in enumerate(phases):  # a repeated id is the model's to report; stages go to the first
            if isinstance(phase.get("id"), str):
                phase_index.setdefault(phase["id"], i)
        for phase in phases:
            phase["stages"] = []
        stage_at: dict[str, tuple[int, int]] = {}
        for item in tables["Stages"]:
            cell = item.cells["phase"][0]
            phase_id = self._scalar(STAGES.column("phase"), cell)
            if phase_id not in phase_index:
                self.unknown("phase", phase_id, phase_index, cell.ref if cell else item.row_ref)
                continue
            pi = phase_index[phase_id]
            si = len(phases[pi]["stages"])
            stage = self._fields(STAGES, item, ("phases", pi, "stages", si), skip=("phase",))
            phases[pi]["stages"].append(stage)
            if isinstance(stage.get("id"), str):
                stage_at.setdefault(stage["id"], (pi, si))
        for item in tables["KPIs"]:
            cell = item.cells["stage"][0]
            stage_id = self._scalar(KPIS.column("stage"), cell)
            if stage_id not in stage_at:
                self.unknown("stage", stage_id, stage_at, cell.ref if cell else item.row_ref)
                continue
            pi, si = stage_at[stage_id]
            stage = phases[pi]["stages"][si]
            ki = len(stage.setdefault("kpis", []))
            stage["kpis"].append(self._fields(KPIS, item, ("phases", pi, "stages", si, "kpis", ki), skip=("stage",)))
        for item in tables["Records"]:
            cell = item.cells["stage"][0]
            stage_id = self._scalar(RECORDS.column("stage"), cell)
            if stage_id not in stage_at:
                self.unknown("stage", stage_id, stage_at, cell.ref if cell else item.row_ref)
                continue
            pi, si = stage_at[stage_id]
            stage = phases[pi]["stages"][si]
            ri = len(stage.setdefault("records", []))
            stage["records"].append(self._fields(RECORDS, item, ("phases", pi, "stages", si, "records", ri), skip=("stage",)))
        data["phases"] = phases
        journey_phases = [self._fields(JOURNEY, item, ("journey", "phases", i)) for i, item in enumerate(tables["Journey"])]
        if journey_phases:
            data.setdefault("journey", {})["phases"] = journey_phases


def _cell_at(item: _Item, header: str, row: int) -> _Cell | None:
    cells = item.cells.get(header) or []
    return cells[row] if row < len(cells) else None
