"""Bytes of a CSV, TSV or Excel file into a table of text columns, with the file's row locations.

- **Encodings** are detected, never asked for: a byte-order mark (UTF-8, UTF-16 as Excel's
  "Unicode text" saves it), then UTF-8, then CP932 (Shift_JIS as Japanese Excel saves CSV),
  then charset-normalizer's best guess (EUC-JP and others).
- **Delimiter**: tab for `.tsv`/`.tab`, otherwise whichever of tab, comma and semicolon the header
  line uses most (outside quotes).
- **Excel** (`.xlsx`/`.xlsm`, or any file that is a zip): the first sheet with data; its header is
  the first row with at least two filled cells (a title row above it is skipped). Date cells stay
  timestamps; everything else becomes text.
- Every value is text (or null when empty) so that ids keep their leading zeros; the reader of
  each column decides what it means. CSV is read by pyarrow's multi-threaded reader.

Row locations: `RawTable.where(i, column)` gives the `line` (CSV) or `cell` (Excel) of data row
`i` for an `Issue`, so errors point at the file's own line numbers even past blank lines and
quoted line breaks.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from journeymap.archive import ACTUALS_LIMITS, check_zip, refuse_xml_declarations, too_many_cells
from journeymap.errors import InputError, Issue
from journeymap.limits import ISSUES_LISTED
from journeymap.text.catalogue import text as catalogue_text
from journeymap.text.problems import Verbatim, problem, refuse

MAX_COLUMNS = 1_000
"""A sheet that says it is wider is read row by row as the rows really are (not padded to its claim)."""

_SOMETHING = re.compile(rb"[^\s\x00\xef\xbb\xbf\xff\xfe]")
MAX_ACTUALS_BYTES = 2 * 1024**3
"""Actuals larger than this are refused (1.5M events are about 90 MB)."""
_PREFIX = 1 << 20


@dataclass
class RawTable:
    """A table read from a file: text columns, header names and where each row came from."""

    source: str
    columns: list[str]
    table: Any
    """A pyarrow Table, one column per header (names made unique), values text or null."""
    kind: str
    """'csv', 'tsv' or 'xlsx'."""
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    row_numbers: list[int] | None = None
    """Excel: the sheet row of every data row."""
    text: str | None = None
    """CSV/TSV: the decoded text, kept only when it was decoded anyway (not for plain UTF-8)."""
    content: bytes | None = field(default=None, repr=False)
    reload: Callable[[], bytes] | None = field(default=None, repr=False)
    """Reads the file's bytes again when `content` was released (see `release`)."""
    _lines: list[int] | None = field(default=None, repr=False)
    date_order: str | None = None
    """How to read dates such as 03/04/2024 when a column does not decide: 'dmy' or 'mdy'."""
    notes: list[Issue] = field(default_factory=list)
    """Warnings about the file that do not stop reading it (mixed encodings, "no date" markers)."""
    header_line: int = 1
    """CSV/TSV: the file line of the header (below a report's title lines, if any)."""

    @property
    def num_rows(self) -> int:
        return self.table.num_rows

    def where(self, row: int, column: str | None = None) -> dict[str, Any]:
        """Issue keyword arguments (source, line or cell) for data row `row` (0-based)."""
        if self.kind == "xlsx":
            sheet_row = self.row_numbers[row] if self.row_numbers else row + 2
            col = self.columns.index(column) if column in self.columns else None
            letter = _column_letter(col) if col is not None else "A"
            return {"source": self.source, "cell": f"{self.sheet}!{letter}{sheet_row}"}
        return {"source": self.source, "line": self.line_of(row)}

    def header_where(self) -> dict[str, Any]:
        if self.kind == "xlsx":
            first = (self.row_numbers[0] - 1) if self.row_numbers else 1
            return {"source": self.source, "cell": f"{self.sheet}!A{first}"}
        return {"source": self.source, "line": self.header_line}

    def line_of(self, row: int) -> int:
        """The file line data row `row` starts on (1-based, counting any title lines above the header)."""
        if self._lines is None:
            self._lines = _record_lines(self._text(), self.delimiter or ",", self.header_line)
        if row < len(self._lines):
            return self._lines[row]
        return row + self.header_line + 1

    def release(self, reload: Callable[[], bytes]) -> None:
        """Let the file's bytes go (the table no longer needs them); `reload` reads them again
        should a line number be wanted for an error."""
        self.content, self.reload = None, reload

    def _text(self) -> str:
        if self.text is None:
            content = self.content
            if content is None and self.reload is not None:
                content = self.reload()
            self.text = decode_text(content or b"", self.source)[0]
        return self.text


# --------------------------------------------------------------------------- entry point


def read_table(content: bytes, source: str) -> RawTable:
    """Read CSV/TSV/Excel bytes; raise InputError for empty, binary or malformed files."""
    if len(content) > MAX_ACTUALS_BYTES:
        raise refuse("problem.file_too_big", source=source, size=len(content), limit=MAX_ACTUALS_BYTES)
    if content[:4] == b"PK\x03\x04" or source.lower().endswith((".xlsx", ".xlsm")):
        return read_excel(content, source)
    if source.lower().endswith(".xls"):
        raise refuse("problem.old_xls", source=source)
    if not _SOMETHING.search(content):  # (a search, not strip(): no copy of a large file)
        raise refuse("problem.empty_file", source=source, line=1)
    return read_csv(content, source)


# --------------------------------------------------------------------------- text files


def decode_text(content: bytes, source: str) -> tuple[str, str]:
    """(text, encoding name): BOM, then UTF-8, CP932, then charset-normalizer's guess."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if content.startswith(bom):
            try:
                return content.decode(name), name
            except UnicodeDecodeError:
                break
    for name in ("utf-8", "cp932"):
        try:
            return content.decode(name), name
        except UnicodeDecodeError:
            pass
    if b"\x00" not in content[:8192]:
        from charset_normalizer import from_bytes

        best = from_bytes(content[: 4 * _PREFIX]).best()
        if best is not None and best.encoding:
            try:
                return content.decode(best.encoding), best.encoding
            except (UnicodeDecodeError, LookupError):
                pass
    raise refuse("problem.unknown_encoding", source=source)


def _utf8_prefix_ok(content) -> bool:
    """True when the start of the file is UTF-8 (a character cut at the end of the prefix is fine)."""
    try:
        bytes(content[:_PREFIX]).decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        return exc.start >= min(len(content), _PREFIX) - 3 and exc.reason == "unexpected end of data"


def mixed_encoding(content: bytes) -> tuple[str, int] | None:
    """A file whose lines are partly UTF-8 and partly CP932 (pasted together from two tools): the
    text with each line read in its own encoding, and the first line not in the file's main one.
    None when the file is in one encoding."""
    utf8_lines = other_lines = 0
    first_other = first_utf8 = 0
    parts = []
    for number, line in enumerate(content.split(b"\n"), start=1):
        if line.isascii():
            parts.append(line.decode("ascii"))
            continue
        try:
            parts.append(line.decode("utf-8"))
            utf8_lines += 1
            first_utf8 = first_utf8 or number
        except UnicodeDecodeError:
            try:
                parts.append(line.decode("cp932"))
            except UnicodeDecodeError:
                return None
            other_lines += 1
            first_other = first_other or number
    if not utf8_lines or not other_lines:
        return None
    return "\n".join(parts).removeprefix("\ufeff"), (first_other if utf8_lines >= other_lines else first_utf8)


def _decode_csv(content: bytes, source: str) -> tuple[str, str, Issue | None]:
    """Text, encoding and a warning for a file that mixes UTF-8 and CP932 lines."""
    if not content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        mixed = mixed_encoding(content)
        if mixed is not None:
            text, line = mixed
            note = problem("problem.mixed_encodings", source=source, line=line)
            return text, "utf-8+cp932", note
    text, encoding = decode_text(content, source)
    return text, encoding, None


def read_csv(content: bytes, source: str) -> RawTable:
    # pyarrow reads UTF-8 bytes as they are (and skips a UTF-8 BOM): no copy of a large file.
    note = None
    if content.startswith(codecs.BOM_UTF8) and _utf8_prefix_ok(memoryview(content)[3:]):
        data, encoding, text = content, "utf-8-sig", None
    elif not content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and _utf8_prefix_ok(content):
        data, encoding, text = content, "utf-8", None
    else:
        text, encoding, note = _decode_csv(content, source)
        data = text.encode("utf-8")
    above = _title_lines(data, source)
    delimiter = _delimiter(_line(data, above), source)
    try:
        raw = _parse_csv(data, source, encoding, delimiter, text, content, above)
    except _NotUtf8:
        text, encoding, note = _decode_csv(content, source)
        raw = _parse_csv(text.encode("utf-8"), source, encoding, delimiter, text, content, above)
    if note is not None:
        raw.notes.append(note)
    return raw


def _line(data: bytes, index: int = 0) -> str:
    """Line `index` (0-based) of `data`, as text."""
    start = 0
    for _ in range(index):
        start = data.find(b"\n", start) + 1
        if start == 0:
            return ""
    end = data.find(b"\n", start)
    line = data[start: end if end >= 0 else len(data)]
    return line.decode("utf-8", "replace").removeprefix("\ufeff").rstrip("\r")


TITLE_LINES = 10
"""At most this many lines above a CSV's header are taken for a report's title and skipped."""


def _title_lines(data: bytes, source: str) -> int:
    """How many lines come before the header: a report's title and blank lines, each with fewer than
    two filled fields (as the Excel reader takes the first row with two filled cells for the header).
    0 when none of the first lines has two filled fields (the first line is then the header)."""
    delimiters = ("\t",) if source.lower().endswith((".tsv", ".tab")) else ("\t", ",", ";")
    for index in range(TITLE_LINES + 1):
        line = _line(data, index)
        if any(sum(1 for f in next(csv.reader([line], delimiter=d), []) if f.strip()) >= 2 for d in delimiters):
            return index
    return 0


class _NotUtf8(Exception):
    pass


def _delimiter(header: str, source: str) -> str:
    if source.lower().endswith((".tsv", ".tab")):
        return "\t"
    counts = {d: _count_outside_quotes(header, d) for d in ("\t", ",", ";")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            count += 1
    return count


def _parse_csv(data: bytes, source: str, encoding: str, delimiter: str, text: str | None, content: bytes,
               above: int = 0) -> RawTable:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    header = next(csv.reader([_line(data, above)], delimiter=delimiter), [])
    names = unique_names(header)
    bad_rows: list[str] = []

    def invalid(row) -> str:
        bad_rows.append(row.text or "")
        return "skip"

    def attempt(newlines: bool):
        return pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=above + 1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=newlines, invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=True, null_values=[""]
            ),
        )

    try:
        try:
            table = attempt(False)
        except pa.ArrowInvalid:
            bad_rows.clear()
            table = attempt(True)
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc) and text is None:
            raise _NotUtf8() from None
        said = str(exc).splitlines()[0]
        if "straddl" in said:  # a row longer than the reader's block: name the line, say the limit
            line = _longest_line(data)
            raise refuse("problem.csv_unreadable", source=source, line=line,
                         detail=Verbatim(said, catalogue_text("problem.csv_detail.long_line", "ja", line=line,
                                                    mb=CSV_BLOCK // 1024**2))) from None
        raise refuse("problem.csv_unreadable", source=source, detail=Verbatim(said)) from None
    raw = RawTable(source, header, table, "tsv" if delimiter == "\t" else "csv", encoding, delimiter, text=text, content=content,
                   header_line=above + 1)
    if bad_rows:
        raise InputError(_field_count_issues(raw, bad_rows, len(header)))
    return raw


CSV_BLOCK = 1 << 20
"""The CSV reader's block (pyarrow's default): a row longer than it cannot be read."""


def _longest_line(data: bytes) -> int:
    """The number of the longest line of `data` (the one a reader refused as longer than its block)."""
    longest, number = -1, 1
    for n, line in enumerate(data.split(b"\n"), start=1):
        if len(line) > longest:
            longest, number = len(line), n
    return number


def _field_count_issues(raw: RawTable, bad_rows: list[str], expected: int) -> list[Issue]:
    lines = raw._text().splitlines()
    issues = []
    for row_text in bad_rows[:ISSUES_LISTED]:
        line = next((i + 1 for i, text in enumerate(lines) if text == row_text), None)
        found = len(next(csv.reader([row_text], delimiter=raw.delimiter or ","), []))
        issues.append(problem("problem.field_count", source=raw.source, line=line, found=found, expected=expected))
    if len(bad_rows) > ISSUES_LISTED:
        issues.append(problem("problem.more_field_counts", source=raw.source, n=len(bad_rows) - ISSUES_LISTED))
    return issues


def _record_lines(text: str, delimiter: str, header_line: int = 1) -> list[int]:
    """The line each data record starts on (below the header on `header_line`), skipping blank lines
    as the CSV reader does."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    starts: list[int] = []
    previous_end = 0
    for record in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        if start <= header_line or not record or record == [""]:
            continue
        starts.append(start)
    return starts


def unique_names(header: list[str]) -> list[str]:
    """Header names made unique and non-empty: 'amount', 'amount (2)', 'column 3'."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(header):
        name = (name or "").strip() or f"column {i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


# --------------------------------------------------------------------------- Excel


def read_excel(content: bytes, source: str) -> RawTable:
    """The first visible worksheet with a header row and data, read with python-calamine (a Rust
    reader, many times faster than openpyxl on large exports), its zip directory checked first (sizes,
    entries) and its cells counted as they are read."""
    check_zip(content, source, ACTUALS_LIMITS)
    refuse_xml_declarations(content, source)
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except (CalamineError, ValueError, OSError) as exc:
        raise refuse("problem.excel_unreadable", source=source, detail=Verbatim(str(exc))) from None
    try:
        for meta in book.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible or meta.typ != SheetTypeEnum.WorkSheet:
                continue
            try:
                sheet = book.get_sheet_by_name(meta.name)
                first_col = (sheet.start or (0, 0))[1]
                rows = sheet.iter_rows()  # from the sheet's first row, but from its first used column
            except (CalamineError, ValueError) as exc:
                raise refuse("problem.sheet_unreadable", source=source, sheet=meta.name, detail=Verbatim(str(exc))) from None
            found = _sheet_table(_numbered(rows, first_col), meta.name, source)
            if found is not None:
                return found
    finally:
        book.close()
    raise refuse("problem.no_data_sheet", source=source)


def _numbered(rows, first_col: int):
    """(sheet row number, values from column A) with empty cells as None."""
    pad = (None,) * first_col
    for number, values in enumerate(rows, start=1):
        yield number, pad + tuple(None if v == "" else v for v in values)


def _sheet_table(rows, title: str, source: str) -> RawTable | None:
    header: list[str] | None = None
    header_row = 0
    data: list[tuple] = []
    numbers: list[int] = []
    cells = 0
    for number, values in rows:
        cells += len(values)
        if cells > ACTUALS_LIMITS.cells:
            raise too_many_cells(source, ACTUALS_LIMITS, f"{title}!{number}")
        filled = [v for v in values if v is not None and str(v).strip() != ""]
        if header is None:
            if len(filled) >= 2 or (len(filled) == 1 and len(values) == 1):
                header = [_cell_text(v) or "" for v in values]
                header_row = number
            continue
        if filled:
            data.append(values)
            numbers.append(number)
    if header is None:
        return None
    while header and not header[-1]:
        header.pop()
    names = unique_names(header)
    columns = [[row[i] if i < len(row) else None for row in data] for i in range(len(names))]
    table = _arrow_table(names, columns)
    raw = RawTable(source, header, table, "xlsx", sheet=title, row_numbers=numbers or [header_row + 1])
    if not data:
        raw.row_numbers = []
    return raw


def _arrow_table(names: list[str], columns: list[list[Any]]):
    import datetime as dt

    import pyarrow as pa

    arrays = []
    for values in columns:
        present = [v for v in values if v is not None and not (isinstance(v, str) and not v.strip())]
        if present and all(isinstance(v, (dt.datetime, dt.date)) for v in present):
            stamps = [_as_datetime(v) if v is not None and not isinstance(v, str) else None for v in values]
            arrays.append(pa.array(stamps, type=pa.timestamp("us")))
        else:
            arrays.append(pa.array([_cell_text(v) for v in values], type=pa.string()))
    return pa.table(arrays, names=names) if names else pa.table({})


def _as_datetime(value):
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(dt.UTC).replace(tzinfo=None)
    return dt.datetime(value.year, value.month, value.day)


def _cell_text(value: Any) -> str | None:
    import datetime as dt

    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    text = str(value).strip()
    return text or None


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), case folded, surrounding spaces removed, inner runs of
    spaces collapsed: the form stage values and headers are compared in."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def row_place(where, row: int) -> tuple[str, int]:
    """How a message refers to another row: ('line', 7) in a CSV, ('row', 7) in a workbook (the
    suffix of the message's catalogue key, and the number)."""
    if where.kind == "xlsx":
        return "row", int("".join(c for c in where.where(row)["cell"].rsplit("!", 1)[-1] if c.isdigit()))
    return "line", where.line_of(row)
