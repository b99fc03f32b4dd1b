"""The app's side of the text: the session's language, `t()` bound to it, Markdown escaping.

The texts themselves are in the catalogue (`journeymap.text.catalogue`). `t(key, **values)` gives
the text for the session's language (`{name}` placeholders filled in); `field_label(name)` the
label of a design field. Design text itself is shown with `journeymap.model.text_of(value, lang())`.
"""

from __future__ import annotations

import re

import streamlit as st

from journeymap.model import text_of
from journeymap.text.catalogue import CATALOGUE, text

LANGS = {"ja": "日本語", "en": "English"}
LANG_KEY = "lang"


def lang() -> str:
    """The session's language: 'ja' (default) or 'en'."""
    value = st.session_state.get(LANG_KEY)
    return value if value in LANGS else "ja"


def t(key: str, default: str | None = None, *, language: str | None = None, **values) -> str:
    """The UI text for `key` in the session's language, with `{placeholders}` filled in."""
    if key in CATALOGUE:
        return text(key, language or lang(), **values)
    fallback = default if default is not None else key
    return fallback.format(**values) if values else fallback


def labels(prefix: str):
    """A format_func for choices: `labels("unit")("count")` is t("unit.count"), in the language of
    now (a widget may call it later, outside the script run, where the session is not at hand)."""
    language = lang()
    return lambda value: t(f"{prefix}.{value}", default=str(value), language=language)


_MARKDOWN = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
"""Every ASCII punctuation character: CommonMark lets each be escaped, and escaping them all leaves
no syntax to user text (emphasis, links, images, HTML, lists, headings, tables, LaTeX, Streamlit's
:colour[] and :emoji: directives, and autolinks, whose `://`, `www.` and `@` are broken up)."""


_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www)(?=[:.])|(?<=[\w.+-])(?=@)")
"""Where GFM would start a link in plain text (`http:`, `www.`, `name@domain`), which escaping does
not stop: a word joiner (U+2060, invisible) goes in between."""


def md(text) -> str:
    """User text made safe to show where Streamlit reads Markdown: it shows as written, and
    nothing in it becomes a link, an image, LaTeX, colour, an emoji or markup."""
    text = _AUTOLINK.sub(lambda m: (m.group(1) or "") + "\u2060", str(text))
    return _MARKDOWN.sub(r"\\\1", text)


def shown(value) -> str:
    """A design text in the session's language, ready for a Markdown element."""
    return md(text_of(value, lang()))


def field_label(name) -> str:
    return t(f"field.{name}", default=str(name))


_UNNAMED_COLUMN = re.compile(r"(?<![\w])column (\d+)(?![\w])")
"""The name the reader gives a column with an empty header ('column 3': actuals/tables.unique_names)."""


def column_label(name) -> str:
    """A file's column name as the screen shows it: an unnamed column ('column 3') in the session's
    language (「列 3」); any other name as it is."""
    return _UNNAMED_COLUMN.sub(lambda m: t("compare.unnamed_column", n=m.group(1)), str(name))
