"""Reading cell values as the design format's types, leniently where a person typed them.

Numbers typed as text ('1,000', '4%', full-width digits) count as numbers, booleans accept the
usual spellings (TRUE, yes, ○, はい); anything else is passed on unchanged so that the model's
message says what is wrong with it, at the cell it came from.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
import unicodedata
from typing import Any

from journeymap.text.problems import phrase

_TRUE = {"true", "yes", "y", "1", "○", "◯", "はい"}
_FALSE = {"false", "no", "n", "0", "×", "いいえ", "-"}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return None if not value.strip() else value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return str(value)


def number(value: Any) -> Any:
    """A number from a cell; text such as '1,000', '4%' or '１０' is read as the number it shows."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
    percent = text.endswith("%")
    text = text.removesuffix("%").strip()
    if not _NUMBER.fullmatch(text):
        return value  # the model reports it: "expected a number, got '...'"
    parsed: int | float = int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)
    return parsed / 100 if percent else parsed


def boolean(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return value  # the model reports it: "'funnel' must be true or false"


def unknown(kind: str, value: Any, known) -> tuple[str, dict[str, Any]]:
    """The problem (key and values) of a cell naming an owner, phase or stage the workbook lacks."""
    if value is None:
        return "problem.cell_missing_ref", {"kind": phrase(f"problem.kind.{kind}")}
    close = difflib.get_close_matches(str(value), [k for k in known if isinstance(k, str)], n=1)
    if close:
        return "problem.unknown_hint", {"kind": phrase(f"problem.kind.{kind}"), "value": str(value), "hint": close[0]}
    return "problem.unknown", {"kind": phrase(f"problem.kind.{kind}"), "value": str(value)}
