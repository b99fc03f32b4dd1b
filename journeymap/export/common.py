"""Small helpers shared by the export formats: fixed words per language, safe text, planned rates."""

from __future__ import annotations

import re

from journeymap.model import kgi_stage_id
from journeymap.text.catalogue import text

__all__ = ["join_names", "kgi_stage_id", "word", "xml_text"]


def word(key: str, lang: str, **values: str) -> str:
    """A fixed word of the exports in `lang` (ja or en): `export.*` in the catalogue."""
    return text(f"export.{key}", lang, **values)


def join_names(names: list[str], lang: str) -> str:
    return word("list_separator", lang).join(names)


# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates and
# U+FFFE/U+FFFF; anything else cannot be written at all, escaped or not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text with the characters XML 1.0 cannot carry removed (the library escapes the rest)."""
    return _NOT_XML.sub("", value)
