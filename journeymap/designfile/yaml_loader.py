"""Safe YAML loading with the line of every value: libyaml's C parser when it is installed.

A design file is composed into YAML nodes (which carry line and column), then turned into plain
data by `_Builder`, which refuses what a design never needs: tags beyond plain scalars, merge keys,
duplicate keys, aliases that contain themselves, more than `MAX_NODES` expanded values (an alias
bomb) and nesting deeper than `MAX_DEPTH`.

Composing with libyaml (`yaml.CSafeLoader`) is about ten times faster than PyYAML's pure-Python
composer. When libyaml reports a syntax problem, the file is composed again by the pure-Python loader
so that every message — wording and line — is the one PyYAML gives; what `_Builder` refuses (an
alias bomb, a tag, a duplicate key) is refused once, from libyaml's nodes, and never built again.
Without libyaml the pure-Python loader does all the work.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from journeymap.errors import InputError, Issue
from journeymap.text.catalogue import text as catalogue_text
from journeymap.text.problems import Verbatim, problem, refuse

MAX_NODES = 250_000
"""Expanded YAML nodes allowed in one file: bounds alias bombs ("billion laughs")."""
MAX_DEPTH = 64
"""Nesting allowed in one file (a design needs about eight levels)."""
MAX_EXPANDED_CHARS = 20_000_000
"""Characters of text a file may expand to once aliases are followed: bounds one long string
referred to many times (a file can be at most 20 MB, so plain files never reach it)."""
MAX_DIGITS = 30
"""Longest integer literal read (Python refuses more than 4,300 digits; no design needs more than 16)."""

Positions = dict[tuple, tuple[int, int]]
"""Data path → (line, column), both 1-based."""

PURE_LOADER: type[yaml.SafeLoader] = yaml.SafeLoader


def _fast_loader() -> type | None:
    """libyaml's safe loader with a leaner tag resolver, or None when PyYAML was built without libyaml."""
    base = getattr(yaml, "CSafeLoader", None) if yaml.__with_libyaml__ else None
    if base is None:
        return None
    implicit = base.yaml_implicit_resolvers
    if base.yaml_path_resolvers or None in implicit:
        return base  # someone registered resolvers the lean one does not know: keep PyYAML's own

    class FastSafeLoader(base):  # type: ignore[valid-type,misc]
        """`Resolver.resolve` without the path-resolver machinery a safe loader never has."""

        def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, regexp in implicit_resolvers.get(value[:1], ()):
                        if regexp.match(value):
                            return tag
                return self.DEFAULT_SCALAR_TAG
            return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG

    implicit_resolvers = implicit
    return FastSafeLoader


FAST_LOADER: type | None = _fast_loader()
"""libyaml's loader, or None when PyYAML was built without it."""


def load_yaml(text: str, source: str, loader: type | None = None) -> tuple[Any, Positions]:
    """Plain data and the position of every value, from YAML text; InputError with the line on any problem.

    `loader` forces one composer (the benchmark compares them); by default libyaml is tried first.
    """
    if loader is None and FAST_LOADER is not None and not _NEEDS_PURE.search(text):
        try:
            node = yaml.compose(text, Loader=FAST_LOADER)
        except (yaml.YAMLError, RecursionError):
            node = None  # the pure-Python loader below finds the problem and words it as it always has
        else:
            if not _plain_question_in_flow(node):
                # What `to_data` refuses (an alias bomb, a tag, a duplicate key) is worded by us, not by
                # the composer, at lines libyaml gives as PyYAML does: refused once, never built again.
                return to_data(node, source)
    node = _compose(text, source, loader or PURE_LOADER)
    return to_data(node, source)


_NEEDS_PURE = re.compile("[\t\ufeff]|![^\\s]")
"""Where libyaml and PyYAML read a file differently, PyYAML decides: tabs (PyYAML refuses some that
libyaml allows), a byte-order mark inside the text (columns differ) and tags (PyYAML reads `!tag,`
in a flow mapping as one tag)."""


def _plain_question_in_flow(node: Node | None) -> bool:
    """An unquoted `?` inside `{...}` or `[...]`: PyYAML takes it for a key indicator, libyaml for text."""
    if node is None:
        return False
    pending, seen = [node], set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, SequenceNode):
            children = current.value
        elif isinstance(current, MappingNode):
            children = [part for pair in current.value for part in pair]
        else:
            continue
        if current.flow_style and any(
            isinstance(child, ScalarNode) and not child.style and "?" in child.value for child in children
        ):
            return True
        pending.extend(child for child in children if not isinstance(child, ScalarNode))
    return False


def _compose(text: str, source: str, loader: type) -> Node | None:
    try:
        return yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        raise InputError(_yaml_issue(exc, source, text)) from None
    except yaml.reader.ReaderError as exc:  # a control character: PyYAML gives its offset, not its line
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        character = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise refuse("problem.yaml_control", source=source, line=line, column=column, at=column,
                     character=f"U+{character:04X}") from None
    except yaml.YAMLError as exc:
        raise refuse("problem.invalid_yaml", source=source, detail=yaml_problem(str(exc), None)) from None
    except RecursionError:
        raise refuse("problem.too_deep", source=source, limit=MAX_DEPTH) from None


def to_data(node: Node | None, source: str) -> tuple[Any, Positions]:
    if node is None:
        raise refuse("problem.design_no_data", source=source, line=1)
    builder = _Builder(source)
    data = builder.build(node, (), 0, ())
    return data, builder.positions


def _yaml_issue(exc: yaml.MarkedYAMLError, source: str, text: str) -> Issue:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    said = exc.problem or str(exc)
    if "'\\t'" in said or (mark and _tab_at(text, mark)):
        return problem("problem.yaml_tab", source=source, line=line)
    if exc.context and exc.context not in said:
        said = f"{exc.context}: {said}"
    return problem("problem.invalid_yaml", source=source, line=line, detail=yaml_problem(said, line))


_YAML_PROBLEMS = [
    (re.compile(r"mapping values are not allowed here"), "problem.yaml.mapping_values"),
    (re.compile(r"expected <block end>, but found"), "problem.yaml.block_end"),
    (re.compile(r"expected ',' or '\]', but got"), "problem.yaml.flow_sequence"),
    (re.compile(r"expected ',' or '\}', but got"), "problem.yaml.flow_mapping"),
    (re.compile(r"while scanning a (?:double-)?quoted scalar: found unexpected end of stream"), "problem.yaml.quote_open"),
    (re.compile(r"found unexpected end of stream"), "problem.yaml.stream_end"),
    (re.compile(r"found undefined alias '(?P<name>[^']*)'"), "problem.yaml.undefined_alias"),
    (re.compile(r"found character '(?P<char>[^']*)' that cannot start any token"), "problem.yaml.bad_start"),
    (re.compile(r"found duplicate anchor '(?P<name>[^']*)'"), "problem.yaml.duplicate_anchor"),
    (re.compile(r"found unknown escape character '(?P<char>[^']*)'"), "problem.yaml.unknown_escape"),
    (re.compile(r"expected '<document start>', but found"), "problem.yaml.document_end"),
    (re.compile(r"could not find expected ':'"), "problem.yaml.colon"),
    (re.compile(r"did not find expected key"), "problem.yaml.key"),
    (re.compile(r"did not find expected '-' indicator"), "problem.yaml.dash"),
    (re.compile(r"did not find expected node content"), "problem.yaml.node"),
    (re.compile(r"block sequence entries are not allowed here"), "problem.yaml.sequence_here"),
]
"""PyYAML's commonest problem texts and the catalogue key of their Japanese."""


def yaml_problem(said: str, line: int | None) -> Verbatim:
    """PyYAML's own English problem text, with its Japanese: from the table for the common ones,
    else a general sentence naming the line."""
    for pattern, key in _YAML_PROBLEMS:
        found = pattern.search(said)
        if found:
            return Verbatim(said, catalogue_text(key, "ja", **found.groupdict()))
    if line is None:
        return Verbatim(said, catalogue_text("problem.yaml.other_anywhere", "ja"))
    return Verbatim(said, catalogue_text("problem.yaml.other", "ja", line=line))


def _tab_at(text: str, mark: yaml.Mark) -> bool:
    lines = text.splitlines()
    if 0 <= mark.line < len(lines):
        row = lines[mark.line]
        return "\t" in row[: len(row) - len(row.lstrip())]
    return False


_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
_MERGE = "tag:yaml.org,2002:merge"
_CONSTRUCTORS = {
    "tag:yaml.org,2002:int": SafeConstructor.construct_yaml_int,
    "tag:yaml.org,2002:float": SafeConstructor.construct_yaml_float,
    "tag:yaml.org,2002:bool": SafeConstructor.construct_yaml_bool,
    _TIMESTAMP: SafeConstructor.construct_yaml_timestamp,
}
"""The safe scalars besides text and null, with PyYAML's own safe constructors for them."""
_SCALAR_PROBLEMS = {
    "tag:yaml.org,2002:int": "problem.scalar.int",
    "tag:yaml.org,2002:float": "problem.scalar.float",
    "tag:yaml.org,2002:bool": "problem.scalar.bool",
}
"""What a scalar its constructor refused should have been, said for people (the catalogue's texts)."""


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
        self.constructor = SafeConstructor()

    def fail(self, node: Node, key: str, /, **values: Any) -> InputError:
        """The problem `key` at the line of `node`."""
        return refuse(key, source=self.source, line=node.start_mark.line + 1, **values)

    def build(self, node: Node, path: tuple, depth: int, stack: tuple[int, ...]) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise self.fail(node, "problem.yaml_nodes", limit=MAX_NODES)
        if depth > MAX_DEPTH:
            raise self.fail(node, "problem.too_deep", limit=MAX_DEPTH)
        if id(node) in stack:
            raise self.fail(node, "problem.alias_loop")
        mark = node.start_mark
        self.positions.setdefault(path, (mark.line + 1, mark.column + 1))

        if isinstance(node, ScalarNode):
            self.expanded += len(node.value)
            if self.expanded > MAX_EXPANDED_CHARS:
                raise refuse("problem.yaml_expands", source=self.source, line=self.key_line, limit=MAX_EXPANDED_CHARS)
            return self.scalar(node)
        if node.tag not in (_MAP, _SEQ):
            raise self.fail(node, "problem.yaml_tag", tag=_short_tag(node.tag))
        inner = stack + (id(node),)
        if isinstance(node, SequenceNode):
            return [self.build(item, path + (i,), depth + 1, inner) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, "problem.key_collection")
            if key_node.tag == _MERGE:
                raise self.fail(key_node, "problem.merge_key")
            key = self.scalar(key_node)
            if isinstance(key, (dict, list)) or key is None:
                raise self.fail(key_node, "problem.key_not_plain")
            key_path = path + (key,)
            if key in out:
                first = self.positions.get(key_path, (None, None))[0]
                if first:
                    raise self.fail(key_node, "problem.duplicate_key_first", name=key, first=first)
                raise self.fail(key_node, "problem.duplicate_key", name=key)
            key_mark = key_node.start_mark
            self.positions[key_path] = (key_mark.line + 1, key_mark.column + 1)
            self.key_line = key_mark.line + 1
            out[key] = self.build(value_node, key_path, depth + 1, inner)
        return out

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _TIMESTAMP:
            return node.value  # dates are text to a design (and 2024-02-30 is text, not an error)
        construct = _CONSTRUCTORS.get(tag)
        if construct is None:
            raise self.fail(node, "problem.yaml_tag", tag=_short_tag(tag))
        if tag == _INT and len(node.value.lstrip("+-").replace("_", "")) > MAX_DIGITS:
            raise self.fail(node, "problem.too_many_digits", n=digits(node.value.lstrip("+").replace("_", "")))
        try:
            return construct(self.constructor, node)
        except (yaml.YAMLError, ValueError, KeyError, IndexError) as exc:  # "!!bool maybe": KeyError; "!!int ''": IndexError
            value = node.value if len(node.value) <= 40 else node.value[:40] + "…"
            said = (str(getattr(exc, "problem", None) or exc) if isinstance(exc, (yaml.YAMLError, ValueError))
                    else catalogue_text(_SCALAR_PROBLEMS[tag], "en", value=value))
            raise self.fail(node, "problem.invalid_scalar",
                            detail=Verbatim(said, catalogue_text(_SCALAR_PROBLEMS[tag], "ja", value=value))) from None


def digits(literal: str) -> int:
    """The digits of an integer literal (for the problem of one longer than MAX_DIGITS)."""
    return len(literal.lstrip("-"))


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
