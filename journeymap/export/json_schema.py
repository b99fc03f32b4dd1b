"""JSON Schema (draft 2020-12) of the design format, from the pydantic model, for other tools.

Refined from `Design.model_json_schema()`: `$schema`, `$id`, a title, and the text and id types
factored into `$defs/Text` and `$defs/Slug` instead of being repeated at every field. Texts must
contain a non-space character, as the loader requires. The design-level rules (every reference
resolves, ids are unique per kind, funnel order) cannot be said in JSON Schema; `journeymap
validate` checks them.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from journeymap.export import Format, register
from journeymap.model import SCHEMA_VERSION, SLUG_PATTERN, Design

SCHEMA_ID = f"urn:journeymap:schema:design:{SCHEMA_VERSION}"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
_NOT_BLANK = r"\S"

_TEXT = {
    "description": "A plain string, or a mapping of language code (ja, en) to text.",
    "anyOf": [
        {"type": "string", "minLength": 1, "pattern": _NOT_BLANK},
        {
            "type": "object",
            "properties": {
                "ja": {"type": "string", "minLength": 1, "pattern": _NOT_BLANK},
                "en": {"type": "string", "minLength": 1, "pattern": _NOT_BLANK},
            },
            "additionalProperties": False,
            "minProperties": 1,
        },
    ],
}
_SLUG = {
    "description": "An id: lowercase ASCII letters, digits and single '-' (b2b-outbound).",
    "type": "string",
    "pattern": SLUG_PATTERN,
}


def design_schema() -> dict[str, Any]:
    """The JSON Schema of a design file, as a dict."""
    generated = Design.model_json_schema(by_alias=True, mode="validation")
    body = _factor(copy.deepcopy(generated))
    defs = dict(sorted(body.pop("$defs", {}).items()))
    defs["Slug"] = _SLUG
    defs["Text"] = _TEXT
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": f"journeymap design (schema_version {SCHEMA_VERSION})",
        "description": (
            "A sales process with its customer journey, as written in journeymap design files "
            "(YAML or JSON). References between items (owners, stages, KGI stages, transitions, "
            "journey links, drop reasons) must resolve and ids must be unique per kind; "
            "`journeymap validate` checks those rules, which JSON Schema cannot express."
        ),
        **{k: v for k, v in body.items() if k not in ("title", "description")},
        "$defs": defs,
    }


def _factor(node: Any) -> Any:
    """Replace inline text and slug schemas with references to `$defs`."""
    if isinstance(node, list):
        return [_factor(item) for item in node]
    if not isinstance(node, dict):
        return node
    if _is_text(node):
        return {"$ref": "#/$defs/Text", **{k: v for k, v in node.items() if k not in ("anyOf", "description")}}
    if node.get("type") == "string" and node.get("pattern") == SLUG_PATTERN:
        return {"$ref": "#/$defs/Slug", **{k: v for k, v in node.items() if k not in ("type", "pattern")}}
    return {key: _factor(value) for key, value in node.items()}


def _is_text(node: dict) -> bool:
    branches = node.get("anyOf")
    if not isinstance(branches, list) or len(branches) != 2:
        return False
    first, second = branches
    return (
        isinstance(first, dict)
        and first.get("type") == "string"
        and isinstance(second, dict)
        and second.get("type") == "object"
        and set(second.get("properties", {})) == {"ja", "en"}
    )


def to_json_schema(design: Design | None = None) -> str:
    """The schema as JSON text. It does not depend on the design (taken for the export interface)."""
    return json.dumps(design_schema(), ensure_ascii=False, indent=2) + "\n"


register(
    Format(
        "json-schema",
        "schema.json",
        "application/schema+json",
        to_json_schema,
        "JSON Schema of the design format (draft 2020-12)",
    )
)
