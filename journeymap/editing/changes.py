"""What changed in a design, field by field, on each side of a conflict.

When two people edit the same design, the one who saves second sees, for every field either of them
changed since the version both started from: the value they started from, theirs and the other
person's. Items in lists with an `id` (phases, stages, KGIs, KPIs, owners, ...) are matched by id,
so a reordered list is not a change of every item; other lists are compared whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from journeymap.model import Design, design_to_data


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


MISSING = _Marker("MISSING")
"""A field one side does not have (added or removed)."""
PRESENT = _Marker("PRESENT")
"""The value of an item's own path: the item (a stage, a KGI) is there."""


@dataclass(frozen=True)
class FieldChange:
    path: tuple
    """Field names and item ids: ("phases", "contact", "stages", "lead", "target_rate")."""
    base: Any
    mine: Any
    theirs: Any

    @property
    def side(self) -> str:
        """Who changed it: "mine", "theirs", or "both" (to different values)."""
        if self.mine == self.base:
            return "theirs"
        if self.theirs == self.base:
            return "mine"
        return "both"


def flatten(value: Any, path: tuple = ()) -> dict[tuple, Any]:
    """Every leaf value of plain design data by its path (items of id'd lists by their id; a text in
    both languages, `{ja: ..., en: ...}`, is one value)."""
    if isinstance(value, dict) and not (value and set(value) <= {"ja", "en"}):
        out: dict[tuple, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, path + (key,)))
        return out
    if isinstance(value, list) and value and all(isinstance(i, dict) and "id" in i for i in value):
        out = {}
        for item in value:
            out.update(flatten({k: v for k, v in item.items() if k != "id"}, path + (item["id"],)))
            out[path + (item["id"],)] = PRESENT
        return out
    return {path: value}


def field_changes(base: Design | None, mine: Design, theirs: Design) -> list[FieldChange]:
    """The fields that differ between my design and theirs, with what both started from.

    Without `base` (the version both loaded is no longer known) every difference is listed as a
    change on both sides. Fields both sides changed to the same value are not listed.
    """
    mine_fields, theirs_fields = flatten(design_to_data(mine)), flatten(design_to_data(theirs))
    base_fields = flatten(design_to_data(base)) if base is not None else None
    # an item (a stage, a KGI) only one side has is one change, not one per field
    lone_items = {p for p, v in mine_fields.items() if v is PRESENT and p not in theirs_fields}
    lone_items |= {p for p, v in theirs_fields.items() if v is PRESENT and p not in mine_fields}
    changes = []
    for path in dict.fromkeys([*mine_fields, *theirs_fields]):
        mine_value, theirs_value = mine_fields.get(path, MISSING), theirs_fields.get(path, MISSING)
        if mine_value == theirs_value or any(path[: len(item)] == item and path != item for item in lone_items):
            continue
        base_value = base_fields.get(path, MISSING) if base_fields is not None else _UNKNOWN
        changes.append(FieldChange(path, base_value, mine_value, theirs_value))
    return changes


class _Unknown:
    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "unknown"


_UNKNOWN = _Unknown()
