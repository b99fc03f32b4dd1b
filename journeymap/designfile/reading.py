"""Reading design files: bytes from disk, text encodings, YAML and JSON into a validated Design.

Reading never runs code (no Python tags, safe scalars only), rejects duplicate keys, bounds the work
an alias bomb can cause (`yaml_loader`), and reports every problem — YAML syntax or design rule — as
`FILE:LINE: message` at the node it concerns.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from pathlib import Path
from typing import Any

from journeymap.designfile.yaml_loader import MAX_DEPTH, MAX_DIGITS, Positions, digits, load_yaml
from journeymap.errors import InputError, Issue
from journeymap.model import SCHEMA_VERSION, Design, DesignInvalid, parse_design
from journeymap.text.catalogue import text
from journeymap.text.problems import Verbatim, refuse

MAX_BYTES = 20 * 1024 * 1024
"""A design file larger than this is refused (a 100-stage design is about 100 KB)."""
FORMATS = ("yaml", "json")


def format_of(path: str | os.PathLike) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    if suffix == ".xlsx":
        return "xlsx"
    raise refuse("problem.unknown_extension", source=str(path), suffix=Verbatim(suffix or "(none)", suffix or "なし"))


def load_design(path: str | os.PathLike, fmt: str | None = None) -> Design:
    """Read and validate a design file; raise InputError naming file and line."""
    return parse_design_bytes(read_bytes(path), str(path), fmt)


def parse_design_bytes(content: bytes, source: str, fmt: str | None = None) -> Design:
    """A design from the content of a YAML, JSON or Excel file (format from `source`'s extension)."""
    fmt = fmt or format_of(source)
    if fmt == "xlsx":
        from journeymap.designfile.xlsx import read_xlsx_design

        return read_xlsx_design(content, source)
    return parse_design_text(content, source, fmt)


def read_bytes(path: str | os.PathLike, limit: int | None = MAX_BYTES, what: str = "a design file") -> bytes:
    """The bytes of a file, or an InputError saying plainly why not (missing, folder, too large)."""
    source = str(path)
    p = Path(path)
    try:
        if p.is_dir():
            raise refuse("problem.is_folder", source=source)
        size = p.stat().st_size
        if limit is not None and size > limit:
            raise refuse("problem.design_too_big", source=source, size=size, limit=limit,
                         what=Verbatim(what, text("problem.what.file", "ja")))
        return p.read_bytes()
    except FileNotFoundError:
        raise refuse("problem.no_such_file", source=source) from None
    except PermissionError:
        raise refuse("problem.permission_denied", source=source) from None
    except OSError as exc:
        raise refuse("problem.cannot_read", source=source, detail=Verbatim(str(exc.strerror or exc))) from None


def parse_design_text(content: bytes | str, source: str = "<input>", fmt: str = "yaml") -> Design:
    """Validate YAML or JSON content into a Design; raise InputError naming source and line."""
    data, positions = load_data(content, source, fmt)
    return design_from_data(data, positions, source)


def design_from_data(data: Any, positions: Positions, source: str) -> Design:
    _check_schema_version(data, positions, source)
    try:
        return parse_design(data)
    except DesignInvalid as exc:
        raise InputError(
            [Issue(p.message, source=source, line=line_of(p.path, positions), path=p.path, key=p.key, values=p.values)
             for p in exc.problems]
        ) from None


def load_data(content: bytes | str, source: str = "<input>", fmt: str = "yaml") -> tuple[Any, Positions]:
    """Plain data and the line of every node, from YAML or JSON content."""
    text = decode(content, source)
    if not text.strip():
        raise refuse("problem.design_empty", source=source, line=1)
    if fmt == "json":
        data, positions = _load_json(text, source)
    elif fmt == "yaml":
        data, positions = load_yaml(text, source)
    else:
        raise refuse("problem.unknown_format", source=source, format=fmt)
    _check_strings(data, positions, source)
    return data, positions


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # (before UTF-16: its BOM starts the same)
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(content: bytes | str, source: str) -> str:
    """Text from bytes: UTF-8, or UTF-16/32 with a byte-order mark. Anything else is refused at
    the line and column of its first byte that is not UTF-8: a Shift_JIS byte pair read as
    another encoding would turn every Japanese name into mojibake, silently."""
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    encoding = next((name for bom, name in _BOMS if content.startswith(bom)), None)
    if encoding is None and b"\x00" in content[:8192]:
        raise refuse("problem.binary_design", source=source)
    try:
        return content.decode(encoding or "utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        if encoding not in (None, "utf-8-sig"):
            raise refuse("problem.bom_mismatch", source=source, encoding=encoding.upper()) from None
        line_start = content.rfind(b"\n", 0, exc.start) + 1
        line = content.count(b"\n", 0, exc.start) + 1
        column = len(content[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise refuse("problem.not_utf8_cp932" if _is_cp932(content) else "problem.not_utf8", source=source, line=line,
                     column=column, at=column) from None


def _is_cp932(content: bytes) -> bool:
    try:
        content.decode("cp932")
    except UnicodeDecodeError:
        return False
    return True


def _check_strings(data: Any, positions: Positions, source: str) -> None:
    """Refuse text that is not text: a lone surrogate (`\\ud800` in JSON or YAML) cannot be
    written to any file format, so every export would fail on it."""
    stack: list[tuple[Any, tuple]] = [(data, ())]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise refuse("problem.surrogate", source=source, line=line_of(where, positions), code=_surrogate(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and _SURROGATE.search(key):
                    raise refuse("problem.surrogate", source=source, line=line_of(where, positions), code=_surrogate(key))
                stack.append((item, where + (key,)))
        elif isinstance(value, list):
            stack.extend((item, where + (i,)) for i, item in enumerate(value))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate(value: str) -> str:
    """The escape of the first half character in `value` (`\\ud800`)."""
    found = _SURROGATE.search(value)
    return f"\\u{ord(found.group()):04x}" if found else "?"


def _load_json(text: str, source: str) -> tuple[Any, Positions]:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise _DuplicateKey(key)
            out[key] = value
        return out

    def bounded_int(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_DIGITS:
            raise _TooLong(digits)
        return int(digits)

    try:
        data = json.loads(text, object_pairs_hook=no_duplicates, parse_int=bounded_int)
    except _TooLong as exc:
        line = text.count("\n", 0, max(text.find(exc.digits), 0)) + 1
        raise refuse("problem.too_many_digits", source=source, line=line, n=digits(exc.digits)) from None
    except json.JSONDecodeError as exc:
        raise refuse("problem.invalid_json", source=source, line=exc.lineno, detail=json_problem(exc.msg),
                     at=exc.colno) from None
    except _DuplicateKey as exc:
        line = None
        try:
            load_yaml(text, source)
        except InputError as yaml_error:  # the YAML reader finds the duplicate with its line
            line = yaml_error.first.line
        raise refuse("problem.duplicate_key", source=source, line=line, name=exc.key) from None
    except RecursionError:
        raise refuse("problem.too_deep", source=source, limit=MAX_DEPTH) from None
    # JSON is YAML flow syntax: the YAML composer gives us the line of every value.
    try:
        _, positions = load_yaml(text, source)
    except InputError:
        positions = {}
    return data, positions


_JSON_PROBLEMS = {
    "Expecting value": "problem.json.value",
    "Expecting property name enclosed in double quotes": "problem.json.name",
    "Expecting ',' delimiter": "problem.json.comma",
    "Expecting ':' delimiter": "problem.json.colon",
    "Extra data": "problem.json.extra",
    "Unterminated string starting at": "problem.json.string",
    "Invalid control character at": "problem.json.control",
    "Invalid \\escape": "problem.json.escape",
    "Invalid \\uXXXX escape": "problem.json.escape",
}
"""The json module's problem texts and the catalogue key of their Japanese."""


def json_problem(said: str) -> Verbatim:
    """The json module's English problem text, with its Japanese (a general sentence for the rare ones)."""
    key = next((k for prefix, k in _JSON_PROBLEMS.items() if said.startswith(prefix)), "problem.json.other")
    return Verbatim(said, text(key, "ja"))


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        self.key = key


class _TooLong(Exception):
    def __init__(self, digits: str):
        self.digits = digits


def line_of(path: tuple, positions: Positions) -> int | None:
    """The line of the value at `path`, or of its nearest ancestor that is in the file."""
    for end in range(len(path), -1, -1):
        found = positions.get(tuple(path[:end]))
        if found:
            return found[0]
    return None


def _check_schema_version(data: Any, positions: Positions, source: str) -> None:
    if not isinstance(data, dict):
        return
    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise refuse("problem.schema_newer", source=source, line=line_of(("schema_version",), positions), version=version,
                     known=SCHEMA_VERSION)
