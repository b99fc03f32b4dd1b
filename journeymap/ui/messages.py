"""The library's input messages in the app's language, in the app's words.

The library (model, planning, actuals) writes its messages in English for the command line and
the files it reads (`target_rate: 0.3`, `--columns ...`). The app shows the same problems in
Japanese or English, talking about what the screen shows: rates in percent, the table's
columns, the mapping controls — never a file field or a command-line option.
"""

from __future__ import annotations

import re
from dataclasses import replace

from journeymap.errors import Issue
from journeymap.text.problems import in_language
from journeymap.ui.strings import column_label, field_label, lang

PERCENT_FIELDS = {"target_rate", "probability"}
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


_RANGES = {"problem.between", "problem.at_least", "problem.at_most"}
"""Problems of a number out of its range: in percent when the field is shown in percent."""
_RATES = {"problem.rate_between", "problem.stage_rate_between"}
"""Problems of a rate (the library's 0 to 1): always in percent."""


_COLUMN_LISTS = {"problem.columns_unknown", "problem.column_missing"}
"""Problems naming a file's columns: an unnamed one ('column 3') is said in the screen's language."""


def _on_screen(issue: Issue) -> Issue:
    """The issue with its values as the screen shows them: the field by its label (named by the
    problem's place when the text does not name it), rates in percent."""
    values = dict(issue.values)
    named = values.get("field")
    field = named if isinstance(named, str) and named else _field(issue)
    percent = issue.key in _RATES or (issue.key in _RANGES and field in PERCENT_FIELDS)
    if issue.key in _RANGES | _RATES:
        values |= {k: _number(str(v), percent) for k, v in values.items() if k in ("low", "high", "value")}
    values["field"] = field_label(field) if field else ""
    if issue.key in _COLUMN_LISTS:
        values |= {k: column_label(v) for k, v in values.items() if k in ("found", "have", "columns", "name") and isinstance(v, str)}
    return replace(issue, values=tuple(values.items()))


def localized(issue: Issue) -> str:
    """The issue's message in the app's language: from the catalogue when the library wrote it
    from there (every problem of a design, a plan or an upload), else the library's message."""
    written = in_language(_on_screen(issue), lang(), app=True) if issue.key is not None else None
    return written if written is not None else issue.message


def mentions_cli(text: str) -> bool:
    """Whether a text talks about a command-line option (which the app has none of)."""
    return re.search(r"(?<![\w-])--[a-z][a-z-]+", text) is not None
