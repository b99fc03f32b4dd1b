"""The window a comparison covers, and how many of the design's periods it is long.

A design's targets refer to its `period` (week, month, quarter, year). A comparison over a window
`[start, end]` (whole days, both included) scales them by the window's length in periods, by
calendar: each period the window overlaps counts by the share of its days inside the window
(1 June – 20 November against a monthly plan: June … October are 5 whole months, 20 of
November's 30 days are 0.667 more: 5.667 months). Weeks run Monday to Sunday.

`parse_period("2026-10" | "2026-Q3" | "2026" | "2026-W40")` gives a window's first and last day;
`calendar_periods(start, end, unit)` the periods a window overlaps, for the period-by-period
table; `working_days(start, end)` counts Monday to Friday (no holiday calendar).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from journeymap.actuals.types import DAY
from journeymap.text.problems import refuse

PERIOD_UNITS = ("week", "month", "quarter", "year")
BASES = ("activity", "cohort")
_US_PER_DAY = DAY
"""One day in the unit of event times (`actuals.types.TIME_UNIT`: microseconds, hence the `*_us` names)."""
_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Window:
    """Days `start` … `end` (both included) compared on a `basis`, in the design's `unit`."""

    start: dt.date
    end: dt.date
    unit: str
    basis: str = "activity"
    label: str | None = None
    """The period it was chosen as (`--period 2026-10`), if any."""
    chosen: bool = False
    """False for the default window (first event to the as-of date)."""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def periods(self) -> float:
        """The window's length in the design's periods: the factor planned counts are scaled by."""
        return periods_between(self.start, self.end, self.unit)

    @property
    def start_us(self) -> int:
        return day_us(self.start)

    @property
    def end_us(self) -> int:
        """The end of the last day (exclusive), in the unit of event times."""
        return day_us(self.end) + _US_PER_DAY  # (not end + 1 day: the end may be 9999-12-31)

    def to_json(self) -> dict:
        return {
            "from": self.start.isoformat(), "to": self.end.isoformat(), "days": self.days, "period": self.unit,
            "periods": self.periods, "scale": self.periods, "basis": self.basis, "label": self.label,
            "chosen": self.chosen,
        }


def day_us(day: dt.date) -> int:
    """The start of `day` in microseconds since 1970-01-01 (TIME_UNIT)."""
    return (day - _EPOCH).days * _US_PER_DAY


def period_of(day: dt.date, unit: str) -> tuple[dt.date, dt.date, str]:
    """(first day, last day, label) of the period of `unit` that contains `day`."""
    if unit == "week":
        first = day - dt.timedelta(days=day.weekday())
        year, week, _ = first.isocalendar()
        return first, first + dt.timedelta(days=6), f"{year}-W{week:02d}"
    if unit == "month":
        first = day.replace(day=1)
        return first, _add_months(first, 1) - dt.timedelta(days=1), f"{day.year}-{day.month:02d}"
    if unit == "quarter":
        q = (day.month - 1) // 3
        first = dt.date(day.year, 3 * q + 1, 1)
        return first, _add_months(first, 3) - dt.timedelta(days=1), f"{day.year}-Q{q + 1}"
    if unit == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), str(day.year)
    raise ValueError(f"unknown period unit {unit!r}")


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def calendar_periods(start: dt.date, end: dt.date, unit: str) -> list[tuple[dt.date, dt.date, str]]:
    """The periods of `unit` that the days `start` … `end` overlap, each clipped to them."""
    out = []
    day = start
    while day <= end:
        first, last, label = period_of(day, unit)
        out.append((max(first, start), min(last, end), label))
        day = last + dt.timedelta(days=1)
    return out


def share_of_period(start: dt.date, end: dt.date, unit: str) -> float:
    """The share of its period that `start` … `end` (inside one period) covers."""
    first, last, _ = period_of(start, unit)
    return ((end - start).days + 1) / ((last - first).days + 1)


def periods_between(start: dt.date, end: dt.date, unit: str) -> float:
    """The length of the days `start` … `end` in periods of `unit` (partial periods by their share of days)."""
    if end < start:
        return 0.0
    if unit == "week":
        return ((end - start).days + 1) / 7
    return sum(share_of_period(a, b, unit) for a, b, _ in calendar_periods(start, end, unit))


_PERIOD_FORMS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE), "quarter"),
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE), "week"),
    (re.compile(r"^(\d{4})年(\d{1,2})月$"), "month"),
    (re.compile(r"^(\d{4})年$"), "year"),
)


def parse_period(text: str) -> tuple[dt.date, dt.date, str]:
    """(first day, last day, unit) of `2026-10`, `2026-Q3`, `2026`, `2026-W40`, `2026年10月`;
    raise InputError for anything else."""
    value = text.strip().replace("/", "-")
    for pattern, unit in _PERIOD_FORMS:
        m = pattern.match(value)
        if not m:
            continue
        year = int(m[1])
        try:
            if unit == "month":
                first = dt.date(year, int(m[2]), 1)
                return first, _add_months(first, 1) - dt.timedelta(days=1), unit
            if unit == "quarter":
                first = dt.date(year, 3 * (int(m[2]) - 1) + 1, 1)
                return first, _add_months(first, 3) - dt.timedelta(days=1), unit
            if unit == "year":
                return dt.date(year, 1, 1), dt.date(year, 12, 31), unit
            first = dt.date.fromisocalendar(year, int(m[2]), 1)
            return first, first + dt.timedelta(days=6), unit
        except ValueError:
            break
    raise refuse("problem.not_a_period", value=text)


def parse_day(text: str, option: str) -> dt.date:
    """A --from / --to value: YYYY-MM-DD (or with '/'); raise InputError."""
    value = text.strip().replace("/", "-")
    try:
        day = dt.date.fromisoformat(value) if len(value) == 10 else dt.date(*(int(p) for p in value.split("-")))
    except (ValueError, TypeError):
        raise refuse("problem.not_a_day", option=option, value=text) from None
    return real_day(day, option)


LAST_DAY = dt.date(9998, 12, 31)
"""The last day a window may reach: the year 9999 is where CRMs write "no date" (9999-12-31)."""


def real_day(day: dt.date, option: str) -> dt.date:
    """`day`, unless it is in the year 9999 (a "no date" marker, not a day to compare up to)."""
    if day > LAST_DAY:
        raise refuse("problem.no_date_day", option=option, day=day.isoformat(), last=LAST_DAY.isoformat())
    return day


def working_days(start: dt.date, end: dt.date) -> int:
    """Monday to Friday from `start` to `end`, both included (0 when end < start)."""
    if end < start:
        return 0
    days = (end - start).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for i in range(rest):
        if (start.weekday() + i) % 7 < 5:
            count += 1
    return count
