"""Reading design files: bytes from disk, text encodings, YAML and JSON into a validated Design.

Reading never runs code (no Python tags, safe scalars only), rejects duplicate keys, bounds the work
an alias bomb can cause (`yaml_loader`), and reports every problem — YAML syntax or design rule — as
`FILE:LINE: message` at the node it concerns.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from journeymap.designfile.yaml_loader import MAX_DEPTH, Positions, load_yaml
from journeymap.errors import InputError, Issue
from journeymap.model import SCHEMA_VERSION, Design, DesignInvalid, parse_design

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
    raise InputError(
        f"cannot tell the format from the extension '{suffix or '(none)'}': use .yaml, .yml, .json or .xlsx",
        source=str(path),
    )


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
            raise InputError("is a folder, not a file", source=source)
        size = p.stat().st_size
        if limit is not None and size > limit:
            raise InputError(f"file is {size:,} bytes; {what} may be at most {limit:,}", source=source)
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", source=source) from None
    except PermissionError:
        raise InputError("permission denied", source=source) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=source) from None


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
            [Issue(p.message, source=source, line=line_of(p.path, positions), path=p.path) for p in exc.problems]
        ) from None


def load_data(content: bytes | str, source: str = "<input>", fmt: str = "yaml") -> tuple[Any, Positions]:
    """Plain data and the line of every node, from YAML or JSON content."""
    text = decode(content, source)
    if not text.strip():
        raise InputError(Issue("the file is empty: a design starts with 'schema_version: 1'", source=source, line=1))
    if fmt == "json":
        return _load_json(text, source)
    if fmt != "yaml":
        raise InputError(f"unknown design format '{fmt}' (expected yaml or json)", source=source)
    return load_yaml(text, source)


def decode(content: bytes | str, source: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), or CP932 as Windows tools in Japan save it."""
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    if b"\x00" in content[:8192]:
        raise InputError("this is a binary file, not a YAML or JSON design", source=source)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return content.decode("cp932")
    except UnicodeDecodeError:
        line = content[: utf8_error.start].count(b"\n") + 1
        raise InputError(
            Issue("the file is neither UTF-8 nor Shift_JIS (CP932) text: save it as UTF-8", source=source, line=line)
        ) from None


def _load_json(text: str, source: str) -> tuple[Any, Positions]:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise _DuplicateKey(key)
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError(Issue(f"invalid JSON: {exc.msg} (column {exc.colno})", source=source, line=exc.lineno)) from None
    except _DuplicateKey as exc:
        line = None
        try:
            load_yaml(text, source)
        except InputError as yaml_error:  # the YAML reader finds the duplicate with its line
            line = yaml_error.first.line
        raise InputError(Issue(f"duplicate key '{exc.key}'", source=source, line=line)) from None
    except RecursionError:
        raise InputError(Issue(f"nested deeper than {MAX_DEPTH} levels", source=source)) from None
    # JSON is YAML flow syntax: the YAML composer gives us the line of every value.
    try:
        _, positions = load_yaml(text, source)
    except InputError:
        positions = {}
    return data, positions


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        self.key = key


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
        raise InputError(
            Issue(
                f"schema_version {version} is newer than this journeymap understands "
                f"(up to {SCHEMA_VERSION}): upgrade journeymap to read this file",
                source=source,
                line=line_of(("schema_version",), positions),
            )
        )
