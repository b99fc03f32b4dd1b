"""The library's input messages in the app's language, in the app's words.

The library (model, planning, actuals) writes its messages in English for the command line and
the files it reads (`target_rate: 0.3`, `--columns ...`). The app shows the same problems in
Japanese or English, talking about what the screen shows: rates in percent, the table's
columns, the mapping controls — never a file field or a command-line option.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from journeymap.errors import Issue
from journeymap.text.problems import in_language
from journeymap.ui.strings import field_label, lang, t

PERCENT_FIELDS = {"target_rate"}
"""Fields the app shows as a percentage (the library's 0.04 is the screen's 4%)."""


def _number(text: str, percent: bool) -> str:
    try:
        value = float(text)
    except ValueError:
        return text
    if percent:
        value *= 100
    return f"{value:,.10g}" + ("%" if percent else "")


def _field(issue: Issue) -> str | None:
    names = [p for p in issue.path if isinstance(p, str)]
    return names[-1] if names else None


_Rule = tuple[re.Pattern, Callable[[re.Match, Issue], str]]


def _range(m: re.Match, issue: Issue) -> str:
    field = _field(issue)
    pct = field in PERCENT_FIELDS
    return t("msg.between", field=field_label(field) if field else "", low=_number(m["low"], pct),
             high=_number(m["high"], pct), value=_number(m["value"], pct))


def _at_least(m: re.Match, issue: Issue) -> str:
    field = _field(issue)
    pct = field in PERCENT_FIELDS
    return t("msg.at_least", field=field_label(field) if field else "", low=_number(m["low"], pct), value=_number(m["value"], pct))


def _missing_rate(m: re.Match, issue: Issue) -> str:
    key = "msg.rate_missing" if m["what"] == "has no target_rate" else "msg.rate_zero"
    return t(key, stage=m["name"], kgi=m["kgi"])


_RULES: list[_Rule] = [
    (re.compile(r"must be between (?P<low>\S+) and (?P<high>\S+), got (?P<value>\S+)$"), _range),
    (re.compile(r"must be (?P<low>\S+) or more, got (?P<value>\S+)$"), _at_least),
    (re.compile(r"^a rate must be between 0 and 1, got (?P<value>\S+)$"),
     lambda m, i: t("msg.between", field=field_label("target"), low="0%", high="100%", value=_number(m["value"], True))),
    (re.compile(r"^the rate of '(?P<stage>[^']+)' must be between 0 and 1, got (?P<value>\S+)$"),
     lambda m, i: t("msg.between", field=m["stage"], low="0%", high="100%", value=_number(m["value"], True))),
    (re.compile(r"^the target of KGI '(?P<kgi>[^']+)' must be a number of 0 or more, got (?P<value>.+)$"),
     lambda m, i: t("msg.at_least", field=m["kgi"], low="0", value=m["value"])),
    (re.compile(r"^funnel stage '(?P<stage>[^']+)' \((?P<name>.*)\) (?P<what>has no target_rate|has a target_rate of 0): "
                r"the plan for KGI '(?P<kgi>[^']+)'"), _missing_rate),
    (re.compile(r"^missing required field '(?P<field>[^']+)'$"),
     lambda m, i: t("msg.required", field=field_label(m["field"]))),
    (re.compile(r"^(?:'(?P<field>[^']+)'|(?P<plain>\w+)) must not be empty$"),
     lambda m, i: t("msg.required", field=field_label(m["field"] or m["plain"]))),
    (re.compile(r"must not be empty$"), lambda m, i: t("msg.required", field=field_label(_field(i) or "name"))),
    (re.compile(r"^duplicate (?P<kind>\w+) id '(?P<id>[^']+)'$"), lambda m, i: t("msg.duplicate_id", id=m["id"])),
    (re.compile(r"^id '(?P<id>[^']*)' is not a slug(?:.*for example '(?P<hint>[^']+)')?"),
     lambda m, i: t("msg.slug", id=m["id"]) + (t("msg.for_example", hint=m["hint"]) if m["hint"] else "")),
    (re.compile(r"^expected an id"), lambda m, i: t("msg.slug", id="")),
    (re.compile(r"^unknown (?P<kind>owner|stage) '(?P<value>[^']*)'"),
     lambda m, i: t("msg.unknown", kind=t(f"kind.{m['kind']}", default=m["kind"]), value=m["value"])),
    (re.compile(r"^expected (?:a number|a rate|an emotion score)"), lambda m, i: t("msg.not_a_number")),
    (re.compile(r"is the first funnel stage, so it has no previous stage"), lambda m, i: t("msg.first_funnel_rate")),
    (re.compile(r"^stage '(?P<stage>[^']+)' has (?P<n>\d+) key fields: a stage shows at most (?P<max>\d+)"),
     lambda m, i: t("msg.too_many_key_fields", stage=m["stage"], n=m["n"], max=m["max"])),
    (re.compile(r"is not a funnel stage \(funnel: false\), so it has no (?P<field>\w+)"),
     lambda m, i: t("msg.not_funnel", field=field_label(m["field"]))),
    (re.compile(r"^KGI '(?P<kgi>[^']+)' is counted at '(?P<stage>[^']+)', which is not a funnel stage"),
     lambda m, i: t("msg.kgi_not_funnel", stage=m["stage"])),
    (re.compile(r"value_per_item only applies to a currency KGI"), lambda m, i: t("msg.value_per_item_currency")),
    (re.compile(r"is an amount of money: give it a value_per_item"), lambda m, i: t("msg.value_per_item_needed")),
    (re.compile(r"^the design has no funnel stages"), lambda m, i: t("msg.no_funnel")),
    (re.compile(r"^cannot tell what this file holds"), lambda m, i: t("msg.columns_unknown")),
    (re.compile(r"--columns (?P<role>\w+)=(?P<name>[^:]+): no column"), lambda m, i: t("msg.column_missing", name=m["name"])),
]


def localized(issue: Issue) -> str:
    """The issue's message in the app's language, or the library's message when none fits."""
    written = in_language(issue, lang(), app=True)
    if written is not None:
        return written
    message = re.sub(r"^'[^']+': ", "", issue.message)  # the field is named by the issue's place
    for pattern, say in _RULES:
        m = pattern.search(message)
        if m:
            return say(m, issue)
    return issue.message


def mentions_cli(text: str) -> bool:
    """Whether a text talks about a command-line option (which the app has none of)."""
    return re.search(r"(?<![\w-])--[a-z][a-z-]+", text) is not None
