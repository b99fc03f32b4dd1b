"""Writing design files: canonical YAML (fixed key order, defaults left out, Japanese unescaped,
short items on one line) and JSON, saved atomically."""

from __future__ import annotations

import json
import os
from typing import Any

import yaml

from journeymap.designfile.atomic import atomic_write
from journeymap.designfile.reading import format_of
from journeymap.model import Design, design_to_data
from journeymap.text.width import display_width


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
        elements = [_styled(v) for v in value]
        short = all(_flowable_scalar(v) and not isinstance(v, bool) and _width(v) <= 26 for v in elements)
        if elements and short and _width(elements) <= _FLOW_WIDTH - 20:
            return _FlowList(elements)
        return elements
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
