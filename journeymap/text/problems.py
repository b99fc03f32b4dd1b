"""Problems in a user's input, written once for both languages.

`problem(key, **values)` is an `Issue` whose `message` is the catalogue's English text (what the
command line prints) and which carries the key and values, so that the app shows the same problem
in the reader's language. The texts are the catalogue's `problem.*` entries. A value may itself be
a `Phrase` (`phrase("problem.got.list")`: words such as "a list" inside a message), said in the
message's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from journeymap.errors import InputError, Issue
from journeymap.text.catalogue import CATALOGUE, text


@dataclass(frozen=True)
class Phrase:
    """Catalogue words inside a message (a value of another text), said in the message's language."""

    key: str
    values: tuple = ()

    def say(self, lang: str) -> str:
        return said(self.key, lang, self.values)

    def __str__(self) -> str:
        return self.say("en")


def phrase(key: str, /, **values: Any) -> Phrase:
    return Phrase(key, tuple(values.items()))


@dataclass(frozen=True)
class Verbatim:
    """Words another program wrote in English (a parser's own problem text): the English as it is,
    and `ja`, its Japanese where we know it ('' where we do not: the Japanese text then says it
    in general words)."""

    en: str
    ja: str = ""

    def say(self, lang: str) -> str:
        return self.en if lang == "en" else self.ja

    def __str__(self) -> str:
        return self.en


def said(key: str, lang: str, values: tuple | dict = ()) -> str:
    """The text of `key` in `lang` with its values (a problem text is always formatted: `{{` is a brace)."""
    return text(key, lang, **filled(values, lang)) if values else text(key, lang).format()


def filled(values: tuple | dict, lang: str) -> dict[str, Any]:
    """The values of a text with every `Phrase` among them said in `lang`."""
    pairs = values.items() if isinstance(values, dict) else values
    return {name: value.say(lang) if isinstance(value, (Phrase, Verbatim)) else value for name, value in pairs}


def problem(key: str, /, *, source: str | None = None, line: int | None = None, column: int | None = None,
            cell: str | None = None, path: tuple = (), **values: Any) -> Issue:
    """One problem, where it is, and the values its text names."""
    return Issue(said(key, "en", values), source=source, line=line, column=column, cell=cell,
                 path=path, key=key, values=tuple(values.items()))


def refuse(key: str, /, **where_and_values: Any) -> InputError:
    """An `InputError` of one problem (`raise refuse("problem.x", source=..., n=3)`)."""
    return InputError(problem(key, **where_and_values))


class Refusal(ValueError):
    """A validator's refusal of a value (pydantic reports a ValueError's text): its English is the
    catalogue's, and it keeps the key and values for the app."""

    def __init__(self, key: str, /, **values: Any):
        self.key = key
        self.values = tuple(values.items())
        super().__init__(said(key, "en", values))


def in_language(issue: Issue, lang: str, app: bool = False) -> str | None:
    """The issue's message in `lang`, or None when it was not written from the catalogue. With `app`,
    the key's `.app` variant where there is one (the command line's text names its options)."""
    if issue.key is None:
        return None
    key = f"{issue.key}.app" if app and f"{issue.key}.app" in CATALOGUE else issue.key
    return said(key, lang, issue.values)
