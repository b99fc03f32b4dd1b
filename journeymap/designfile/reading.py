"""Design files in and out: YAML and JSON, with errors that point at the line.

Reading never runs code (no Python tags, safe scalars only), rejects duplicate keys, bounds the work
an alias bomb can cause, and reports every problem — YAML syntax or design rule — as
`FILE:LINE: message` at the node it concerns. Writing is canonical (fixed key order, defaults left
out, Japanese unescaped) and atomic.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from journeymap.errors import InputError, Issue
from journeymap.model import SCHEMA_VERSION, Design, DesignInvalid, design_to_data, parse_design
from journeymap.text.width import display_width

MAX_BYTES = 20 * 1024 * 1024
"""A design file larger than this is refused (a 100-stage design is about 100 KB)."""
MAX_NODES = 250_000
"""Expanded YAML nodes allowed in one file: bounds alias bombs ("billion laughs")."""
MAX_EXPANDED_CHARS = 20_000_000
"""Characters of text a file may expand to once aliases are followed: bounds one long string
referred to many times (a file can be at most MAX_BYTES, so plain files never reach it)."""
MAX_DEPTH = 64
MAX_DIGITS = 30
"""Longest integer literal read (Python refuses more than 4,300 digits; no design needs more than 16)."""

Positions = dict[tuple, tuple[int, int]]
"""Data path → (line, column), both 1-based."""

FORMATS = ("yaml", "json")


# --------------------------------------------------------------------------- reading


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
    return _load_yaml(text, source)


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
        raise InputError("this is a binary file, not a YAML or JSON design", source=source)
    try:
        return content.decode(encoding or "utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        if encoding not in (None, "utf-8-sig"):
            raise InputError(f"the file starts with a {encoding.upper()} byte-order mark but is not {encoding.upper()} "
                             "text: save it as UTF-8", source=source) from None
        line_start = content.rfind(b"\n", 0, exc.start) + 1
        line = content.count(b"\n", 0, exc.start) + 1
        column = len(content[line_start : exc.start].decode("utf-8", "replace")) + 1
        hint = " (it looks like Shift_JIS/CP932)" if _is_cp932(content) else ""
        raise InputError(Issue(f"column {column}: the file is not UTF-8 text here{hint}: design files are UTF-8; "
                               "save it as UTF-8 (in Excel or Notepad: 'UTF-8')",
                               source=source, line=line, column=column)) from None


def _is_cp932(content: bytes) -> bool:
    try:
        content.decode("cp932")
    except UnicodeDecodeError:
        return False
    return True


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
        raise InputError(Issue(_too_long(exc.digits), source=source, line=line)) from None
    except json.JSONDecodeError as exc:
        raise InputError(Issue(f"invalid JSON: {exc.msg} (column {exc.colno})", source=source, line=exc.lineno)) from None
    except _DuplicateKey as exc:
        line = None
        try:
            _load_yaml(text, source)
        except InputError as yaml_error:  # the YAML reader finds the duplicate with its line
            line = yaml_error.first.line
        raise InputError(Issue(f"duplicate key '{exc.key}'", source=source, line=line)) from None
    except RecursionError:
        raise InputError(Issue(f"nested deeper than {MAX_DEPTH} levels", source=source)) from None
    # JSON is YAML flow syntax: the YAML composer gives us the line of every value.
    try:
        _, positions = _load_yaml(text, source, check=False)
    except InputError:
        positions = {}
    _check_strings(data, (), positions, source)
    return data, positions


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        self.key = key


class _TooLong(Exception):
    def __init__(self, digits: str):
        self.digits = digits


def _too_long(digits: str) -> str:
    return f"a number with {len(digits.lstrip('-')):,} digits is too large to be a count, rate or amount"


def _check_strings(data: Any, path: tuple, positions: Positions, source: str) -> None:
    """Refuse text that is not text: a lone surrogate (`\\ud800` in JSON or YAML) cannot be
    written to any file format, so every export would fail on it."""
    stack = [(data, path)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise InputError(Issue(_surrogate_message(value), source=source, line=line_of(where, positions)))
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and _SURROGATE.search(key):
                    raise InputError(Issue(_surrogate_message(key), source=source, line=line_of(where, positions)))
                stack.append((item, where + (key,)))
        elif isinstance(value, list):
            stack.extend((item, where + (i,)) for i, item in enumerate(value))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_message(value: str) -> str:
    found = _SURROGATE.search(value)
    code = f"\\u{ord(found.group()):04x}" if found else "?"
    return (f"the text contains {code}, half of a character (an unpaired surrogate), which no file can hold: "
            "remove it or write the whole character")


def _load_yaml(text: str, source: str, check: bool = True) -> tuple[Any, Positions]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise InputError(_yaml_issue(exc, source, text)) from None
    except yaml.YAMLError as exc:
        raise InputError(Issue(f"invalid YAML: {exc}", source=source)) from None
    except RecursionError:
        raise InputError(Issue(f"nested deeper than {MAX_DEPTH} levels", source=source)) from None
    if node is None:
        raise InputError(Issue("the file holds no data: a design starts with 'schema_version: 1'", source=source, line=1))
    builder = _Builder(source)
    data = builder.build(node, (), 0, ())
    if check:
        _check_strings(data, (), builder.positions, source)
    return data, builder.positions


def _yaml_issue(exc: yaml.MarkedYAMLError, source: str, text: str) -> Issue:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    problem = exc.problem or str(exc)
    if "'\\t'" in problem or (mark and _tab_at(text, mark)):
        problem = "a tab character is used for indentation; YAML indents with spaces only"
    elif exc.context and exc.context not in problem:
        problem = f"{exc.context}: {problem}"
    return Issue(f"invalid YAML: {problem}", source=source, line=line)


def _tab_at(text: str, mark: yaml.Mark) -> bool:
    lines = text.splitlines()
    if 0 <= mark.line < len(lines):
        row = lines[mark.line]
        return "\t" in row[: len(row) - len(row.lstrip())]
    return False


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SAFE_SCALARS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


class _Builder:
    """Turns a composed YAML node tree into plain data, recording where every value is."""

    def __init__(self, source: str):
        self.source = source
        self.positions: Positions = {}
        self.visited = 0
        self.expanded = 0
        """Characters of scalar text produced so far, counting a value each time an alias repeats it."""
        self.key_line = 1
        """The line of the key being read: where an alias that repeats too much is used."""
        self.constructor = yaml.SafeLoader("")

    def fail(self, node: Node, message: str) -> InputError:
        return InputError(Issue(message, source=self.source, line=node.start_mark.line + 1))

    def build(self, node: Node, path: tuple, depth: int, stack: tuple[int, ...]) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise self.fail(
                node,
                f"the file expands to more than {MAX_NODES:,} values (anchors and aliases repeated "
                "many times over?); refusing to read it",
            )
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested deeper than {MAX_DEPTH} levels")
        if id(node) in stack:
            raise self.fail(node, "an alias refers to the mapping or list that contains it")
        self.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))

        if isinstance(node, ScalarNode):
            self.expanded += len(node.value)
            if self.expanded > MAX_EXPANDED_CHARS:
                raise InputError(Issue(
                    f"the file expands to more than {MAX_EXPANDED_CHARS:,} characters of text once its aliases "
                    "(*name) are followed: a long text repeated many times over; refusing to read it",
                    source=self.source, line=self.key_line))
            return self.scalar(node)
        if node.tag not in (_MAP, _SEQ):
            raise self.fail(node, f"the tag '{_short_tag(node.tag)}' is not allowed: a design holds plain data only")
        inner = stack + (id(node),)
        if isinstance(node, SequenceNode):
            return [self.build(item, path + (i,), depth + 1, inner) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, "a key must be a plain name, not a list or mapping")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "merge keys ('<<') are not supported in design files")
            key = self.scalar(key_node)
            if isinstance(key, (dict, list)) or key is None:
                raise self.fail(key_node, "a key must be a plain name")
            if key in out:
                first = self.positions.get(path + (key,), (None, None))[0]
                where = f" (first at line {first})" if first else ""
                raise self.fail(key_node, f"duplicate key '{key}'{where}")
            self.positions[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            self.key_line = key_node.start_mark.line + 1
            out[key] = self.build(value_node, path + (key,), depth + 1, inner)
        return out

    def scalar(self, node: ScalarNode) -> Any:
        if node.tag not in _SAFE_SCALARS:
            raise self.fail(node, f"the tag '{_short_tag(node.tag)}' is not allowed: a design holds plain data only")
        if node.tag == _TIMESTAMP:
            return node.value  # dates are text to a design (and 2024-02-30 is text, not an error)
        if node.tag == _INT and len(node.value.lstrip("+-").replace("_", "")) > MAX_DIGITS:
            raise self.fail(node, _too_long(node.value.lstrip("+").replace("_", "")))
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            raise self.fail(node, f"invalid value: {getattr(exc, 'problem', None) or exc}") from None
        return value


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


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


# --------------------------------------------------------------------------- writing


class _Flow(dict):
    """A mapping written on one line: `{ja: 架電, en: Calls}`."""


class _FlowList(list):
    """A list written on one line: `[call, appointment]`."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and value == value.strip() and not any(c in value for c in "\r\x85\u2028\u2029\t"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(
    _Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True)
)
_Dumper.add_representer(_FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))

_FLOW_WIDTH = 90


def _flowable_scalar(value: Any) -> bool:
    if isinstance(value, str):
        return "\n" not in value and len(value) <= 60
    return value is None or isinstance(value, (int, float, bool))


def _styled(value: Any) -> Any:
    """Mark short mappings and lists for one-line (flow) style, the rest block style."""
    if isinstance(value, dict):
        items = {k: _styled(v) for k, v in value.items()}
        simple = all(_flowable_scalar(v) or isinstance(v, (_Flow, _FlowList)) for v in items.values())
        if simple and items and _width(items) <= _FLOW_WIDTH and not _is_container_key_set(items):
            return _Flow(items)
        return items
    if isinstance(value, list):
        items = [_styled(v) for v in value]
        short = all(_flowable_scalar(v) and not isinstance(v, bool) and _width(v) <= 26 for v in items)
        if items and short and _width(items) <= _FLOW_WIDTH - 20:
            return _FlowList(items)
        return items
    return value


def _is_container_key_set(items: dict) -> bool:
    # Keep structural sections (phases, stages, journey) in block style even when short.
    return any(k in items for k in ("phases", "stages") if isinstance(items.get(k), list) and not isinstance(items.get(k), _FlowList))


def _width(value: Any) -> int:
    return display_width(json.dumps(value, ensure_ascii=False, default=str))


def dump_yaml(design: Design) -> str:
    """Canonical, readable YAML of a design (block style, short items on one line)."""
    return dump_yaml_data(design_to_data(design))


def dump_yaml_data(data: Any) -> str:
    return yaml.dump(
        _styled(data),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=4096,
        indent=2,
    )


def dump_json(design: Design) -> str:
    return json.dumps(design_to_data(design), ensure_ascii=False, indent=2) + "\n"


def dumps(design: Design, fmt: str) -> str:
    if fmt == "yaml":
        return dump_yaml(design)
    if fmt == "json":
        return dump_json(design)
    raise ValueError(f"unknown design format '{fmt}'")


def save_design(design: Design, path: str | os.PathLike, fmt: str | None = None) -> None:
    """Write a design file atomically (YAML or JSON by extension)."""
    fmt = fmt or format_of(path)
    atomic_write(path, dumps(design, fmt).encode("utf-8"))


def atomic_write(path: str | os.PathLike, content: bytes) -> None:
    """Replace `path` with `content` so that a reader sees the old file or the new one, never half."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass
