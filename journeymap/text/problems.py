"""Problems in a user's input, written once for both languages.

`problem(key, **values)` is an `Issue` whose `message` is the catalogue's English text (what the
command line prints) and which carries the key and values, so that the app shows the same problem
in the reader's language. The texts are the catalogue's `problem.*` entries.
"""

from __future__ import annotations

from typing import Any

from journeymap.errors import InputError, Issue
from journeymap.text.catalogue import CATALOGUE, text


def problem(key: str, /, *, source: str | None = None, line: int | None = None, column: int | None = None,
            cell: str | None = None, path: tuple = (), **values: Any) -> Issue:
    """One problem, where it is, and the values its text names."""
    return Issue(text(key, "en", **values), source=source, line=line, column=column, cell=cell, path=path,
                 key=key, values=tuple(values.items()))


def refuse(key: str, /, **where_and_values: Any) -> InputError:
    """An `InputError` of one problem (`raise refuse("problem.x", source=..., n=3)`)."""
    return InputError(problem(key, **where_and_values))


def in_language(issue: Issue, lang: str, app: bool = False) -> str | None:
    """The issue's message in `lang`, or None when it was not written from the catalogue. With `app`,
    the key's `.app` variant where there is one (the command line's text names its options)."""
    if issue.key is None:
        return None
    key = f"{issue.key}.app" if app and f"{issue.key}.app" in CATALOGUE else issue.key
    return text(key, lang, **dict(issue.values))
