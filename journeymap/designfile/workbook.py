"""The layout of the Excel workbook, shared by its writer (`excel`) and its reader (`excel_import`).

One sheet per kind of item, one item per row, the header row holding the field names of the design
format. Conventions the reader relies on:
- a text field `name` takes up to three columns: `name_ja` and `name_en` for a text given per
  language, and `name` for a text that is the same in every language (written only when needed);
- a list field (`activities`, `aliases`, …) holds one item per row: the item's first entry sits on
  its own row, further entries on the rows below, whose id cell is left empty (continuation rows);
- cells hold values, not formulas; texts are stored as text cells, so nothing typed evaluates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = ("count", "rate", "currency", "days", "score")
DIRECTIONS = ("up", "down")
OWNER_KINDS = ("internal", "agency", "partner")
SEGMENTS = ("b2b", "b2c", "smb", "enterprise", "other")
PERIODS = ("week", "month", "quarter", "year")
COUNTS = ("deals", "accounts")
CATEGORIES = ("customer", "competitor", "internal", "external")
ENGAGEMENTS = ("outsourced", "dispatched", "in_house")
RECORD_TYPES = ("text", "number", "currency", "date", "select", "multiselect", "bool")
FORECAST_CATEGORIES = ("pipeline", "best_case", "commit", "closed", "omitted")
PRICING_MODELS = ("per_call", "per_appointment", "per_meeting", "per_win", "retainer", "setup")
LANGS = ("ja", "en")
OUTCOMES = ("won", "lost")


@dataclass(frozen=True)
class Column:
    key: str
    kind: str
    """slug | ref | text | number | bool | enum | texts (list of text) | strings | slugs"""
    values: tuple[str, ...] = ()
    ref: str | None = None
    """For refs and slug lists: the sheet whose ids it names (for drop-down lists)."""
    required: bool = False
    legacy: bool = False
    """Read from older workbooks, no longer written (the Stages sheet's `records`: see Records)."""

    @property
    def is_list(self) -> bool:
        return self.kind in ("texts", "strings", "slugs")

    @property
    def is_text(self) -> bool:
        return self.kind in ("text", "texts")


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    freeze: str = "B2"
    anchor: str | None = "id"
    """The column whose empty cell marks a continuation row (further list entries of the item above)."""
    optional: bool = False
    """A sheet added after the first workbooks: a workbook without it reads as before."""

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _text(key: str) -> Column:
    return Column(key, "text")


OWNERS = Sheet(
    "Owners",
    (
        Column("id", "slug", required=True),
        _text("name"),
        Column("kind", "enum", OWNER_KINDS),
        _text("description"),
        _text("scope"),
        Column("fixed_cost", "number"),
        Column("engagement", "enum", ENGAGEMENTS),
    ),
)
PRICING = Sheet(
    "Pricing",
    (
        Column("owner", "ref", ref="Owners", required=True),
        Column("model", "enum", PRICING_MODELS, required=True),
        Column("amount", "number"),
        Column("period", "enum", PERIODS),
        Column("stage", "ref", ref="Stages"),
        _text("note"),
    ),
    anchor="owner",
    optional=True,
)
PHASES = Sheet(
    "Phases",
    (
        Column("id", "slug", required=True),
        _text("name"),
        _text("description"),
        Column("entry_criteria", "texts"),
        Column("exit_criteria", "texts"),
    ),
)
STAGES = Sheet(
    "Stages",
    (
        Column("phase", "ref", ref="Phases", required=True),
        Column("id", "slug", required=True),
        _text("name"),
        _text("description"),
        Column("owner", "ref", ref="Owners"),
        Column("funnel", "bool"),
        Column("target_rate", "number"),
        Column("target_days", "number"),
        Column("unit_cost", "number"),
        Column("activities", "texts"),
        Column("records", "texts", legacy=True),
        Column("exit_criteria", "texts"),
        Column("aliases", "strings"),
        Column("outcome", "enum", OUTCOMES),
        Column("probability", "number"),
        Column("forecast_category", "enum", FORECAST_CATEGORIES),
    ),
    freeze="C2",
)
_RECORD_COLUMNS = (
    Column("id", "slug"),
    _text("name"),
    Column("type", "enum", RECORD_TYPES, required=True),
    Column("options", "texts"),
    Column("required", "bool"),
    Column("key", "bool"),
    _text("help"),
)
RECORDS = Sheet("Records", (Column("stage", "ref", ref="Stages", required=True), *_RECORD_COLUMNS), freeze="C2", anchor="stage", optional=True)
ACCOUNT_PLAN = Sheet("Account plan", _RECORD_COLUMNS, anchor="type", optional=True)
KPIS = Sheet(
    "KPIs",
    (
        Column("stage", "ref", ref="Stages", required=True),
        Column("id", "slug", required=True),
        _text("name"),
        Column("unit", "enum", UNITS),
        Column("target", "number"),
        Column("direction", "enum", DIRECTIONS),
        _text("description"),
    ),
    freeze="C2",
)
KGIS = Sheet(
    "KGIs",
    (
        Column("id", "slug", required=True),
        _text("name"),
        Column("unit", "enum", UNITS),
        Column("target", "number"),
        Column("stage", "ref", ref="Stages"),
        Column("value_per_item", "number"),
        _text("description"),
    ),
)
JOURNEY = Sheet(
    "Journey",
    (
        Column("id", "slug", required=True),
        _text("name"),
        _text("description"),
        Column("emotion", "number"),
        Column("stages", "slugs", ref="Stages"),
        Column("customer_actions", "texts"),
        Column("touchpoints", "texts"),
        Column("thoughts", "texts"),
        Column("pain_points", "texts"),
        Column("opportunities", "texts"),
    ),
)
DROP_REASONS = Sheet(
    "Drop reasons",
    (
        Column("id", "slug", required=True),
        _text("name"),
        Column("category", "enum", CATEGORIES),
        Column("stages", "slugs", ref="Stages"),
        _text("response"),
        Column("prevention", "texts"),
        Column("recovery_stage", "ref", ref="Stages"),
        Column("aliases", "strings"),
        Column("crm_values", "strings"),
    ),
)
TRANSITIONS = Sheet(
    "Transitions",
    (
        Column("from", "ref", ref="Stages", required=True),
        Column("to", "ref", ref="Stages", required=True),
        _text("label"),
        Column("criteria", "texts"),
        Column("required_records", "slugs"),
    ),
    freeze="C2",
    anchor="from",
)
TEMPERATURE = Sheet(
    "Temperature",
    (
        Column("id", "slug", required=True),
        _text("name"),
        _text("description"),
        Column("criteria", "texts"),
        Column("aliases", "strings"),
    ),
    optional=True,
)
LINKED_DESIGNS = Sheet(
    "Linked designs",
    (
        Column("design", "slug", required=True),
        Column("stage", "slug"),
        Column("at_stage", "ref", ref="Stages"),
        _text("label"),
    ),
    anchor="design",
    optional=True,
)
OVERVIEW_NAME = "Overview"
OVERVIEW_FIELDS = (
    Column("schema_version", "number"),
    Column("id", "slug", required=True),
    _text("name"),
    _text("description"),
    Column("segment", "enum", SEGMENTS),
    Column("currency", "enum"),
    Column("period", "enum", PERIODS),
    Column("counts", "enum", COUNTS),
    Column("acquisition_kgi", "slug"),
    _text("persona"),
    Column("journey", "bool"),
)
OVERVIEW_HEADER = ("field", "value", "value_ja", "value_en")
HELP_NAME = "Help"

ITEM_SHEETS = (
    OWNERS,
    PHASES,
    STAGES,
    KPIS,
    KGIS,
    JOURNEY,
    DROP_REASONS,
    TRANSITIONS,
    RECORDS,
    PRICING,
    TEMPERATURE,
    ACCOUNT_PLAN,
    LINKED_DESIGNS,
)


def text_keys(key: str) -> tuple[str, str, str]:
    """The header names of a text field: plain, Japanese, English."""
    return key, f"{key}_ja", f"{key}_en"


def cell_ref(sheet: str, coordinate: str) -> str:
    """`Stages!C7`, or `'Drop reasons'!C7` where Excel needs the sheet name quoted."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet):
        return f"{sheet}!{coordinate}"
    return "'" + sheet.replace("'", "''") + f"'!{coordinate}"


# --------------------------------------------------------------------------- cell text codec
# Cells cannot hold most control characters; Excel writes them as `_xHHHH_` and reads `_x005F_`
# as a literal underscore before such a sequence. The writer and reader use the same convention.

_CELL_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def encode_cell_text(text: str) -> str:
    text = _ESCAPE_LIKE.sub("_x005F_", text)
    return _CELL_UNSAFE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def decode_cell_text(text: str) -> str:
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
