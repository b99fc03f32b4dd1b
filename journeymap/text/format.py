"""How numbers read, everywhere: diagrams, terminal tables, the HTML report, exports and the app.

One rendering per kind of figure, in Japanese and English:

| figure | function | ja | en |
|---|---|---|---|
| a plain figure | `number(1234.5, 1)` | 1,234.5 | 1,234.5 |
| a count of items | `count(1234, lang)` | 1,234件 | 1,234 |
| a planned volume (rounded up) | `volume(16.2, lang)` | 17件 | 17 |
| money | `money(1234.5, "USD")` | $1,234.50 | $1,234.50 |
| a measured rate or attainment | `percent(0.3333)` | 33.3% | 33.3% |
| a rate someone set (a target) | `planned_rate(0.0425)` | 4.25% | 4.25% |
| a gap between rates, in points | `points(-0.61)` | −0.6pt | −0.6pt |
| a score that can go either way | `signed(1)` | +1 | +1 |
| days | `days(3.5, lang)` | 3.5日 | 3.5 days |
| a date | `date(d)` | 2025-04-30 | 2025-04-30 |

Decimals are shown only when there are any (`1,000`, not `1,000.0`), except in money, where a
fraction always has the currency's minor-unit digits (`$1,234.50`, never `$1,234.5`). A figure that
does not exist is "—" (`DASH`), never 0 or ¥0: every function here takes None and gives "—".

Money follows CLDR (the Unicode locale data, through Babel): the currency's symbol as English
writes it (`¥` JPY, `$` USD, `€` EUR, `CN¥` CNY, `₩` KRW, `CHF 10`), before the amount, with its
minor-unit digits (0 for JPY and KRW, 3 for BHD). The symbol is the same in ja and en so that one
amount reads the same in both languages (Japanese CLDR would write JPY as the full-width `￥`
and CNY as `元`, which a Japanese reader could take for yen). Babel is imported only for a
currency outside `_COMMON` (checked against Babel by the tests), so the usual commands never load
its locale data.

Signs use the minus sign U+2212 (`−0.6pt`), as the diagrams always have; `±0pt` is a gap of zero.
`exact` is different: it writes a number into a data file (CSV, spreadsheets) without losing a digit.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from functools import lru_cache

DASH = "—"
MINUS = "\u2212"
NBSP = "\u00a0"

# CLDR's English symbol and minor-unit digits of the currencies most designs use (the same data as
# Babel's; tests/test_format.py checks them against it).
_COMMON: dict[str, tuple[str, int]] = {
    "JPY": ("¥", 0),
    "USD": ("$", 2),
    "EUR": ("€", 2),
    "GBP": ("£", 2),
    "CNY": ("CN¥", 2),
    "KRW": ("₩", 0),
}


def number(value: float | None, decimals: int = 0) -> str:
    """`1234567` → `1,234,567`; up to `decimals` places, trailing zeros dropped (`2.50` → `2.5`)."""
    if value is None:
        return DASH
    value = round(float(value), decimals)
    if decimals == 0 or value.is_integer():
        return f"{round(value):,}".replace("-", MINUS)
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".").replace("-", MINUS)


def count(value: float | None, lang: str) -> str:
    """A number of items: `1,234件` in Japanese, `1,234` in English (one decimal where there is one)."""
    if value is None:
        return DASH
    text = number(value, 1)
    return f"{text}件" if lang == "ja" else text


def volume(value: float | None, lang: str) -> str:
    """A planned volume: whole items, rounded up (you cannot make 16.7 calls)."""
    if value is None:
        return DASH
    return count(math.ceil(value - 1e-6), lang)


def percent(value: float | None) -> str:
    """A measured rate, share or attainment: `0.3333` → `33.3%`, `0.5` → `50%`."""
    if value is None:
        return DASH
    return f"{number(value * 100, 1)}%"


def planned_rate(value: float | None) -> str:
    """A rate someone set, shown as written down to 2 decimals: `0.04` → `4%`, `0.0425` → `4.25%`."""
    if value is None:
        return DASH
    return f"{number(value * 100, 2)}%"


def signed(value: float | None, decimals: int = 1) -> str:
    """A figure that can go either way, always with its sign: `+1`, `−0.6`, `±0`."""
    if value is None:
        return DASH
    shown = round(float(value), decimals)
    sign = "+" if shown > 0 else (MINUS if shown < 0 else "±")
    return f"{sign}{number(abs(shown), decimals)}"


def points(value: float | None) -> str:
    """A gap between two rates in percentage points, always signed: `−0.6pt`, `+5.3pt`, `±0pt`."""
    return DASH if value is None else f"{signed(value, 1)}pt"


def days(value: float | None, lang: str) -> str:
    """`3.5日` / `3.5 days`, `1 day`."""
    if value is None:
        return DASH
    shown = number(value, 1)
    if lang == "ja":
        return f"{shown}日"
    return f"{shown} day" if shown == "1" else f"{shown} days"


def date(value: dt.date | None) -> str:
    """A day as ISO 8601 (`2025-04-30`) in both languages: unambiguous, and sorts as text."""
    return DASH if value is None else value.isoformat()[:10]


def money(value: float | None, currency: str) -> str:
    """An amount in `currency` (ISO 4217): `¥800,000`, `$1,234.50`, `$1,234`, `CHF 10`. None → "—"."""
    if value is None:
        return DASH
    symbol, digits = _currency(currency)
    value = float(value)
    if value.is_integer() or digits == 0:
        digits = 0
    amount = f"{abs(value):,.{digits}f}"
    sign = MINUS if value < 0 and float(amount.replace(",", "")) != 0 else ""
    joint = NBSP if unicodedata.category(symbol[-1])[0] != "S" else ""
    return f"{sign}{symbol}{joint}{amount}"


@lru_cache(maxsize=64)
def _currency(code: str) -> tuple[str, int]:
    """(symbol, minor-unit digits) of a currency code, from CLDR; an unknown code is its own symbol."""
    if code in _COMMON:
        return _COMMON[code]
    from babel.numbers import get_currency_precision, get_currency_symbol

    return get_currency_symbol(code, "en"), get_currency_precision(code)


def measure(value: float | None, unit: str, currency: str, lang: str) -> str:
    """A KPI or KGI figure in its unit (count, rate, currency, days or score); "" for none."""
    if value is None:
        return ""
    if unit == "rate":
        return planned_rate(value)
    if unit == "currency":
        return money(value, currency)
    if unit == "days":
        return days(value, lang)
    if unit == "score":
        return number(value, 2)
    return count(value, lang)


def exact(value: int | float) -> str:
    """A number for a data file, without losing anything: 1000, 0.04, 1e-05; whole floats without '.0'."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)
