"""The one number formatter (journeymap.text.format): each kind of figure has one rendering."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.numbers import get_currency_precision, get_currency_symbol

from journeymap.text import format as fmt

NBSP = "\u00a0"


@pytest.mark.parametrize("value, currency, text", [
    (800000, "JPY", "¥800,000"),
    (1234.5, "JPY", "¥1,234"),       # yen have no minor unit
    (1234.5, "USD", "$1,234.50"),    # a fraction always has the currency's digits, never "$1,234.5"
    (1234, "USD", "$1,234"),         # a whole amount has none
    (0.5, "EUR", "€0.50"),
    (99.99, "GBP", "£99.99"),
    (1234.5, "CNY", "CN¥1,234.50"),  # not ¥: that is the yen
    (1234567, "KRW", "₩1,234,567"),
    (1234.4, "KRW", "₩1,234"),
    (10, "CHF", f"CHF{NBSP}10"),     # a letter symbol is kept apart from the digits, and on one line
    (1.25, "BHD", f"BHD{NBSP}1.250"),  # three minor digits
    (1500, "INR", "₹1,500"),
    (-3000, "JPY", "−¥3,000"),
])
def test_money_in_any_currency(value, currency, text):
    assert fmt.money(value, currency) == text


@pytest.mark.parametrize("currency", ["JPY", "USD", "EUR", "GBP", "CNY", "KRW"])
def test_common_currencies_match_cldr(currency):
    """The currencies formatted without loading Babel have exactly Babel's (CLDR's) symbol and digits."""
    assert fmt._COMMON[currency] == (get_currency_symbol(currency, "en"), get_currency_precision(currency))


def test_a_cost_that_does_not_exist_is_a_dash_never_zero():
    assert fmt.money(None, "JPY") == "—"
    assert fmt.money(0, "JPY") == "¥0"  # a real zero stays zero
    for format_none in (fmt.number, fmt.percent, fmt.planned_rate, fmt.points, fmt.signed, fmt.date):
        assert format_none(None) == fmt.DASH
    assert fmt.count(None, "ja") == fmt.days(None, "en") == fmt.volume(None, "ja") == fmt.DASH
    assert fmt.measure(None, "currency", "JPY", "ja") == ""


@pytest.mark.parametrize("value, decimals, text", [
    (1234567, 0, "1,234,567"), (1234.5, 1, "1,234.5"), (12.0, 1, "12"), (2.25, 2, "2.25"), (2.50, 2, "2.5"),
    (0.04, 0, "0"), (-1500, 0, "−1,500"),
])
def test_numbers_group_thousands_and_drop_trailing_zeros(value, decimals, text):
    assert fmt.number(value, decimals) == text


def test_rates_measured_and_planned():
    assert fmt.percent(1 / 3) == "33.3%" and fmt.percent(0.5) == "50%" and fmt.percent(0.034) == "3.4%"
    assert fmt.planned_rate(0.04) == "4%" and fmt.planned_rate(0.0425) == "4.25%" and fmt.planned_rate(0.006) == "0.6%"


def test_points_and_signed_figures():
    assert fmt.points(-0.61) == "−0.6pt" and fmt.points(5.26) == "+5.3pt" and fmt.points(2) == "+2pt"
    assert fmt.points(0) == "±0pt" and fmt.points(-0.04) == "±0pt"  # rounds to zero: no sign
    assert fmt.signed(1) == "+1" and fmt.signed(-1.5) == "−1.5" and fmt.signed(0) == "±0"


def test_counts_days_and_dates_in_both_languages():
    assert fmt.count(1234, "ja") == "1,234件" and fmt.count(1234, "en") == "1,234" and fmt.count(2.5, "ja") == "2.5件"
    assert fmt.volume(16.2, "ja") == "17件" and fmt.volume(1000.0000001, "en") == "1,000"
    assert fmt.days(3.5, "ja") == "3.5日" and fmt.days(14, "en") == "14 days"
    assert fmt.days(1, "en") == "1 day" and fmt.days(1, "ja") == "1日" and fmt.days(0.96, "en") == "1 day"
    assert fmt.date(dt.date(2025, 4, 30)) == "2025-04-30" == fmt.date(dt.datetime(2025, 4, 30, 9, 15))


def test_measure_by_unit():
    assert fmt.measure(1000, "count", "JPY", "ja") == "1,000件"
    assert fmt.measure(0.04, "rate", "JPY", "en") == "4%"
    assert fmt.measure(10000, "currency", "JPY", "en") == "¥10,000"
    assert fmt.measure(7, "days", "JPY", "ja") == "7日"
    assert fmt.measure(4.25, "score", "JPY", "en") == "4.25"


@pytest.mark.parametrize("value, text", [(1000, "1000"), (1000.0, "1000"), (0.04, "0.04"), (1e-05, "1e-05"), (2.5, "2.5")])
def test_exact_numbers_for_data_files_lose_nothing(value, text):
    assert fmt.exact(value) == text
