"""Columns of text into typed arrays: timestamps, numbers, ids — fast on the common forms, with
the rows of anything unreadable named.

Timestamps: ISO 8601 (`2024-05-01`, `2024-05-01 10:00`, `2024-05-01T10:00:00.000+0000`) take the
fast path; other forms (`2024/5/1 10:00`, `2024年5月1日`, full-width digits) are normalised and
parsed one by one. A time with a zone offset is converted to UTC; one without is taken as it is.
Times are int64 microseconds (years 1 to 9999). `03/04/2024` is read the same way in the whole
column: day first when some value's first number is above 12, month first when some second number
is, and when no value decides, the caller's `date_order` ('dmy' or 'mdy') or `AmbiguousDates`.
The "no date" markers CRMs write (9999-12-31, 1900-01-01, ...) read as empty, and are counted in
the file's notes.
Numbers may carry thousands separators, currency signs and full-width digits (`￥1,200,000`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np

from journeymap.actuals.types import DAY, TIME_UNIT
from journeymap.errors import InputError, Issue
from journeymap.limits import ISSUES_LISTED
from journeymap.text.problems import problem

NAT = np.iinfo(np.int64).min
"""The int64 of a missing timestamp (numpy's NaT)."""

DATE_ORDERS = ("dmy", "mdy")
"""How `03/04/2024` reads when the column does not decide: 3 April (dmy) or 4 March (mdy)."""
NO_DATE_MARKERS = ("9999-12-31", "4712-12-31", "1900-01-01", "1899-12-30", "1899-12-31", "0001-01-01", "1970-01-01")
"""Days CRMs and databases write for "no date" (the end of time, spreadsheet and epoch zeros)."""
_NO_DATE_DAYS = np.array([np.datetime64(day, "D").astype(np.int64) for day in NO_DATE_MARKERS], dtype=np.int64)
_LAST_REAL_DAY = int(np.datetime64("9998-12-31", "D").astype(np.int64))
_NO_DATE_TEXT = {"0000-00-00", "0000-00-00 00:00:00", "00/00/0000"}


class AmbiguousDates(InputError):
    """A column of dates such as 03/04/2024 in which no value shows whether the day or the month
    comes first. The command line asks for --date-format; the app asks."""

    def __init__(self, column: str, examples: list[str], where: dict[str, Any]):
        self.column = column
        self.examples = examples
        shown = ", ".join(examples[:3])
        super().__init__(problem("problem.ambiguous_dates", col=column, examples=shown, **where))


def _pa():
    import pyarrow as pa

    return pa, _Kernels


class _Kernels:
    """The two pyarrow kernels reading needs, called through `pyarrow._compute.call_function`:
    importing `pyarrow.compute` (or a method such as `Array.cast` that imports it) builds a Python
    wrapper for every kernel there is, a tenth of a second of a small file's start-up."""

    @staticmethod
    def cast(values, target):
        try:
            from pyarrow._compute import CastOptions, call_function
        except ImportError:  # (a pyarrow without the module: the public way)
            import pyarrow.compute as pc

            return pc.cast(values, target)
        return call_function("cast", [values], CastOptions.safe(target))

    @staticmethod
    def dictionary_encode(values):
        try:
            from pyarrow._compute import call_function
        except ImportError:
            import pyarrow.compute as pc

            return pc.dictionary_encode(values)
        return call_function("dictionary_encode", [values])


# pyarrow's own `to_numpy`, `fill_null` and `pa.array` import pandas (a quarter of a second): the
# hot path moves data between numpy and pyarrow through buffers instead.


def to_numpy(column, dtype, fill) -> np.ndarray:
    """A primitive pyarrow (chunked) array as a numpy array of `dtype`, nulls replaced by `fill`
    (read-only when it shares the pyarrow buffer)."""
    pa, _ = _pa()
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    parts = []
    for chunk in chunks:
        n, offset = len(chunk), chunk.offset
        buffers = chunk.buffers()
        if buffers[1] is None or n == 0:
            parts.append(np.full(n, fill, dtype=dtype))
            continue
        values = np.frombuffer(buffers[1], dtype=dtype, count=offset + n)[offset:]
        if chunk.null_count:
            bits = np.unpackbits(np.frombuffer(buffers[0], dtype=np.uint8), bitorder="little")
            values = np.where(bits[offset : offset + n].astype(bool), values, np.asarray(fill, dtype=dtype))
        parts.append(values)
    if not parts:
        return np.zeros(0, dtype=dtype)
    return np.concatenate(parts) if len(parts) > 1 else parts[0]


def from_numpy(values: np.ndarray):
    """A numpy int64 array as a pyarrow array (for `take`)."""
    pa, _ = _pa()
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def timestamps(column, raw, name: str, required: bool) -> tuple[np.ndarray, list[Issue]]:
    """int64 microseconds (NAT where empty) and the issues of unreadable (or, if required, empty) rows.
    "No date" markers (NO_DATE_MARKERS) read as empty; how many is added to `raw.notes`."""
    pa, pc = _pa()
    if pa.types.is_timestamp(column.type):
        result = to_numpy(pc.cast(pc.cast(column, pa.timestamp(TIME_UNIT)), pa.int64()), np.int64, NAT)
    else:
        fast = _fast_timestamps(column)
        result = fast if fast is not None else _slow_timestamps(column.to_pylist(), raw, name)
    issues: list[Issue] = []
    markers = no_date_markers(result)
    if (result == NAT).any() and not pa.types.is_timestamp(column.type):  # zero dates (0000-00-00) are no dates too
        markers |= np.array([v is not None and str(v).strip() in _NO_DATE_TEXT for v in column.to_pylist()], dtype=bool)
    if markers.any():
        result = np.where(markers, NAT, result)
        if not required:
            count = int(markers.sum())
            first = int(np.flatnonzero(markers)[0])
            raw.notes.append(problem("problem.no_date_markers_read_empty", n=count, col=name,
                                     example=str(column[first].as_py()), **raw.where(first, name)))
    empty = result == NAT
    if empty.any():
        present = np.array([v is not None for v in column.to_pylist()], dtype=bool)
        bad = np.flatnonzero(empty & present & ~markers)
        issues += _row_issues(raw, bad, name, "problem.not_a_date", lambda i: column[int(i)].as_py())
        if required:
            marked = np.flatnonzero(markers)
            issues += _row_issues(raw, marked, name, "problem.no_date_marker", lambda i: column[int(i)].as_py())
            missing = np.flatnonzero(empty & ~present)
            issues += _row_issues(raw, missing, name, "problem.date_missing")
    return result, issues


def no_date_markers(times: np.ndarray) -> np.ndarray:
    """True where a time falls on one of the "no date" days, or in the year 9999 (by comparing
    times with each day's bounds: no division of every time into days; NAT is below them all)."""
    marked = times >= (_LAST_REAL_DAY + 1) * DAY
    if not len(times):
        return marked
    lo, hi = int(times.min()), int(times.max())
    if lo == NAT:  # (NAT is below every time: the earliest real one, if any)
        lo = int(times[times != NAT].min()) if hi != NAT else 0
    for day in _NO_DATE_DAYS.tolist():
        start = day * DAY
        if start <= hi and start + DAY > lo:  # (most logs lie between two marker days: nothing to compare)
            marked |= (times >= start) & (times < start + DAY)
    return marked


def _fast_timestamps(column) -> np.ndarray | None:
    pa, pc = _pa()
    for target in (pa.timestamp(TIME_UNIT), pa.timestamp(TIME_UNIT, tz="UTC")):
        try:
            cast = pc.cast(column, target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
        return to_numpy(pc.cast(cast, pa.int64()), np.int64, NAT)
    return None


_JP_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?")
_JP_TIME = re.compile(r"(\d{1,2})時(\d{1,2})分(?:(\d{1,2})秒)?")


def _clean_timestamp(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    text = _JP_DATE.sub(lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", text)
    text = _JP_TIME.sub(lambda m: f"{m[1]}:{m[2]}:{m[3] or '00'}", text)
    text = re.sub(r"\((月|火|水|木|金|土|日)\)", " ", text)
    return text.replace("/", "-").replace(".", "-", 2) if re.match(r"^\d{4}[./]\d", text) else text


def _slow_timestamps(values: list[Any], raw=None, name: str = "") -> np.ndarray:
    import pandas as pd

    cleaned = [None if v is None or str(v).strip() in _NO_DATE_TEXT else _clean_timestamp(str(v)) for v in values]
    cleaned = _day_month_in_order(cleaned, raw, name)
    parsed = pd.to_datetime(pd.Series(cleaned, dtype=object), errors="coerce", format="mixed", utc=True)
    return parsed.dt.tz_convert(None).to_numpy(dtype=f"datetime64[{TIME_UNIT}]").view(np.int64).copy()


_DAY_MONTH = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?=$|[ T])(.*)$")


def _day_month_in_order(cleaned: list[str | None], raw, name: str) -> list[str | None]:
    """Dates written `03/04/2024` turned into ISO dates, read the same way in the whole column."""
    found = [(i, m) for i, text in enumerate(cleaned) if text and (m := _DAY_MONTH.match(text))]
    if not found:
        return cleaned

    def where(row: int) -> dict[str, Any]:
        return raw.where(row, name) if raw is not None else {}

    day_first = next(((i, m) for i, m in found if int(m[1]) > 12), None)
    month_first = next(((i, m) for i, m in found if int(m[2]) > 12), None)
    if day_first and month_first:
        (a, ma), (b, mb) = day_first, month_first
        raise InputError([
            problem("problem.mixed_date_order_day", col=name, example=ma[0], **where(a)),
            problem("problem.mixed_date_order_month", example=mb[0], **where(b)),
        ])
    order: str | None
    if day_first:
        order = "dmy"
    elif month_first:
        order = "mdy"
    else:
        order = getattr(raw, "date_order", None)
        if order not in DATE_ORDERS:
            raise AmbiguousDates(name, [m[0] for _, m in found[:3]], where(found[0][0]))
    out = list(cleaned)
    for i, m in found:
        first, second, year = int(m[1]), int(m[2]), m[3]
        day, month = (first, second) if order == "dmy" else (second, first)
        out[i] = f"{year}-{month:02d}-{day:02d}{m[4]}"  # (an impossible one stays unreadable, and is named)
    return out


_NUMBER_JUNK = re.compile(r"[,\s¥￥$€£円]|JPY|USD")


def numbers(column, raw, name: str) -> tuple[np.ndarray, list[Issue]]:
    """float64 (NaN where empty) and the issues of values that are not numbers."""
    pa, pc = _pa()
    try:
        return to_numpy(pc.cast(column, pa.float64()), np.float64, np.nan), []
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    values = column.to_pylist()
    out = np.full(len(values), np.nan)
    bad = []
    for i, value in enumerate(values):
        if value is None:
            continue
        text = _NUMBER_JUNK.sub("", unicodedata.normalize("NFKC", str(value)))
        try:
            out[i] = float(text)
        except ValueError:
            bad.append(i)
        else:
            if not np.isfinite(out[i]):
                bad.append(i)
    issues = _row_issues(raw, np.array(bad, dtype=np.int64), name, "problem.not_a_number", lambda i: values[int(i)])
    return out, issues


def codes(column) -> tuple[np.ndarray, Any]:
    """Dictionary codes (int32, -1 where empty) and the distinct values (a pyarrow array, in
    first-seen order; `.to_pylist()` it when small)."""
    pa, pc = _pa()
    if not isinstance(column, pa.ChunkedArray):
        column = pa.chunked_array([column])
    if pa.types.is_dictionary(column.type):
        encoded = column.unify_dictionaries()  # read as a category: one dictionary for every chunk
    else:
        if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
            column = pc.cast(column, pa.string())
        encoded = pc.dictionary_encode(column)  # one dictionary shared by every chunk
    if encoded.num_chunks == 0:
        return np.zeros(0, dtype=np.int32), pa.array([], type=pa.string())
    indices = to_numpy(pa.chunked_array([chunk.indices for chunk in encoded.chunks]), np.int32, -1)
    return indices, encoded.chunk(0).dictionary


def labels(column) -> tuple[np.ndarray, list[str]]:
    """`codes` with the distinct values as a list (for columns with few distinct values)."""
    indices, dictionary = codes(column)
    return indices, dictionary.to_pylist()


def _row_issues(raw, rows: np.ndarray, column: str, key: str, value=None) -> list[Issue]:
    """One problem `key` per row (the first few), naming the column and, with `value(row)`, the value."""
    def values(i) -> dict[str, Any]:
        return {"col": column} | ({"value": str(value(i))} if value is not None else {})

    issues = [problem(key, **values(i), **raw.where(int(i), column)) for i in rows[:ISSUES_LISTED]]
    if len(rows) > ISSUES_LISTED:
        issues.append(problem("problem.more_rows", source=raw.source, col=column, n=len(rows) - ISSUES_LISTED))
    return issues


def duplicate_rows(parts: list, key: np.ndarray | None = None) -> list[tuple[int, int]]:
    """(row, earlier identical row) for rows equal to an earlier row in every part.

    A part is an int64 numpy array or a pyarrow column (compared by its text). `key`, when given,
    is equal for identical rows (e.g. deal × stage value): only rows whose key occurs more than
    once are compared, which usually leaves few or none."""
    if not parts or len(parts[0]) < 2:
        return []
    rows = None
    if key is not None and len(key) and key.min() >= 0 and key.max() < 8 * len(key) + 1024:
        if not repeats(key):  # (the usual case: no key twice, nothing to compare)
            return []
        counts = np.bincount(key)
        rows = np.flatnonzero(counts[key] > 1)
    arrays = [_part(p, rows) for p in parts]
    found = _identical(arrays)
    if rows is not None:
        found = [(int(rows[a]), int(rows[b])) for a, b in found]
    return found


def repeats(key: np.ndarray) -> bool:
    """Whether some value occurs more than once in `key` (non-negative integers of a small range):
    each row writes its number at its value, and a row that reads back another row's number shares
    its value. (Faster than counting with `np.bincount`: no zeroed int64 table to scan.)"""
    rows = np.arange(len(key), dtype=np.int32 if len(key) < 2**31 else np.int64)
    last = np.empty(int(key.max()) + 1, dtype=rows.dtype)  # (only the cells written are read)
    last[key] = rows
    return bool((last[key] != rows).any())


def _part(part, rows: np.ndarray | None) -> np.ndarray:
    if isinstance(part, np.ndarray):
        part = part if rows is None else part[rows]
        return part.view(np.int64) if part.dtype == np.float64 else part.astype(np.int64, copy=False)
    if rows is not None:
        part = part.take(from_numpy(rows))
    return codes(part)[0].astype(np.int64)


def _identical(parts: list[np.ndarray]) -> list[tuple[int, int]]:
    h = np.full(len(parts[0]), 0x9E3779B97F4A7C15, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for part in parts:
            h ^= part.view(np.uint64)
            h *= np.uint64(0xBF58476D1CE4E5B9)
            h ^= h >> np.uint64(31)
    ordered = np.sort(h)
    if not (ordered[1:] == ordered[:-1]).any():
        return []
    order = np.argsort(h, kind="stable")
    same = np.flatnonzero(h[order][1:] == h[order][:-1])
    found = []
    for k in same:
        first, row = int(order[k]), int(order[k + 1])
        while k > 0 and h[order[k - 1]] == h[order[k]]:
            k -= 1
            first = int(order[k])
        if all(p[row] == p[first] for p in parts):
            found.append((row, first))
    found.sort()
    return found[: ISSUES_LISTED + 1]
