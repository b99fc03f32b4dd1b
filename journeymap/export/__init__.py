"""Export formats: one registry shared by `journeymap export` and the app's Export page.

Each format module registers a `Format` when imported. A writer is pure: it takes a design and
returns bytes or text; only the CLI and the workspace write files.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from journeymap.model import Design


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    """File extension without the dot."""
    media_type: str
    write: Callable[..., bytes | str]
    """`write(design, lang=...) -> bytes | str`."""
    description: str = ""
    binary: bool = False
    options: tuple[str, ...] = field(default=())
    """Keyword options `write` accepts besides the design (e.g. 'lang')."""


FORMATS: dict[str, Format] = {}

# Modules that register formats, in the order formats are listed.
_MODULES = [
    "design_files",
    "bpmn",
    "mermaid",
    "tabular",
    "excel",
    "json_schema",
    "crm",
    "crm_fields",
    "dot",
    "checklist",
]


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


def formats() -> dict[str, Format]:
    for module in _MODULES:
        importlib.import_module(f"{__name__}.{module}")
    return FORMATS


def export(design: Design, name: str, **options) -> bytes:
    """The design in format `name`, as bytes ready to be written or downloaded."""
    fmt = formats().get(name)
    if fmt is None:
        raise ValueError(f"unknown export format '{name}' (known: {', '.join(formats())})")
    accepted = {k: v for k, v in options.items() if k in fmt.options and v is not None}
    out = fmt.write(design, **accepted)
    return out.encode("utf-8") if isinstance(out, str) else out
