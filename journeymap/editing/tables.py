"""Design parts as table rows and back: what the app's table editors show and apply.

`*_rows(design, ..., lang)` give plain dict rows (texts in `lang`, rates in percent: a stage's
rates, and the target of a KPI or KGI whose unit is `rate`) with a hidden
`_key` (the item's id before editing); `apply_*(design, ..., rows, lang)` turn edited rows back
into a new, validated design. Row order is item order, so an issue's path
`(..., row_index, field)` names the table row and column. A changed id is renamed everywhere the
design refers to it; removed stages drop their links (a KGI's stage excepted: that is an error).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from journeymap.editing.operations import (
    Data,
    clean_text,
    drop_record_links,
    drop_stage_links,
    fail,
    merge_text_list,
    new_id,
    number,
    percent,
    rate_from_percent,
    record_ids,
    rename_owner,
    rename_record,
    rename_stage,
    set_text,
    shown,
    stage_ids,
    to_data,
    validated,
)
from journeymap.model import Design
from journeymap.text.problems import Verbatim, phrase

Row = dict[str, Any]

# Field kinds: text (localized, in `lang`), str (plain), number, percent (rate shown as %),
# measure (a KPI's or KGI's target in the row's unit: in % when the unit is rate, like a stage's
# rate), bool, texts (list of localized texts), strs (list of plain strings).
PHASE_FIELDS = {
    "id": "str",
    "name": "text",
    "description": "text",
    "entry_criteria": "texts",
    "exit_criteria": "texts",
}
STAGE_FIELDS = {
    "id": "str",
    "name": "text",
    "owner": "str",
    "funnel": "bool",
    "target_rate": "percent",
    "target_days": "number",
    "unit_cost": "number",
    "probability": "percent",
    "forecast_category": "str",
    "description": "text",
}
OWNER_FIELDS = {
    "id": "str",
    "name": "text",
    "kind": "str",
    "engagement": "str",
    "fixed_cost": "number",
    "scope": "text",
}
RECORD_FIELDS = {
    "id": "str",
    "name": "text",
    "type": "str",
    "options": "texts",
    "required": "bool",
    "key": "bool",
    "help": "text",
}
PRICE_FIELDS = {"owner": "str", "model": "str", "amount": "number", "period": "str", "stage": "str", "note": "text"}
TEMPERATURE_FIELDS = {"id": "str", "name": "text", "description": "text", "criteria": "texts", "aliases": "strs"}
LINK_FIELDS = {"design": "str", "stage": "str", "at_stage": "str", "label": "text"}
KGI_FIELDS = {
    "id": "str",
    "name": "text",
    "unit": "str",
    "target": "measure",
    "stage": "str",
    "value_per_item": "number",
}
KPI_FIELDS = {"id": "str", "name": "text", "unit": "str", "target": "measure", "direction": "str"}
TRANSITION_FIELDS = {
    "from": "str",
    "to": "str",
    "label": "text",
    "criteria": "texts",
    "required_records": "strs",
}
JOURNEY_FIELDS = {
    "id": "str",
    "name": "text",
    "emotion": "number",
    "stages": "strs",
    "customer_actions": "texts",
    "touchpoints": "texts",
    "thoughts": "texts",
    "pain_points": "texts",
    "opportunities": "texts",
    "description": "text",
}
JOURNEY_LANES = ("customer_actions", "touchpoints", "thoughts", "pain_points", "opportunities")
DROP_REASON_FIELDS = {
    "id": "str",
    "name": "text",
    "category": "str",
    "stages": "strs",
    "recovery_stage": "str",
    "response": "text",
    "prevention": "texts",
    "crm_values": "strs",
}
_DEFAULT_FALSE = {"funnel", "required", "key"}
_REQUIRED_TEXT = {"name"}
"""Texts an item cannot go without: emptying one in the table is refused, not replaced by the
other language's text (which the table would then show as if nothing had happened)."""


# --------------------------------------------------------------------------- rows out


# Values a file may leave out, shown in the table as what they mean.
DEFAULTS = {"unit": "count", "direction": "up", "kind": "internal", "type": "text"}


def _row(item: Data, fields: dict[str, str], lang: str, key: Any) -> Row:
    row: Row = {"_key": key}
    for name, kind in fields.items():
        value = item.get(name, DEFAULTS.get(name))
        if kind == "text":
            row[name] = shown(value, lang) if value is not None else None
        elif kind == "texts":
            row[name] = [shown(v, lang) for v in value or []]
        elif kind == "strs":
            row[name] = list(value or [])
        elif kind == "percent" or (kind == "measure" and _in_percent(item)):
            row[name] = percent(value)
        elif kind == "bool":
            row[name] = bool(value)
        else:
            row[name] = value
    return row


def _rows(items: list[Data], fields: dict[str, str], lang: str, keyed: bool = True) -> list[Row]:
    return [_row(item, fields, lang, item.get("id") if keyed else i) for i, item in enumerate(items)]


def phase_rows(design: Design, lang: str) -> list[Row]:
    return _rows(to_data(design)["phases"], PHASE_FIELDS, lang)


def stage_rows(design: Design, phase_id: str, lang: str) -> list[Row]:
    data = to_data(design)
    return _rows(data["phases"][_phase_index(data, phase_id)]["stages"], STAGE_FIELDS, lang)


def owner_rows(design: Design, lang: str) -> list[Row]:
    return _rows(to_data(design).get("owners", []), OWNER_FIELDS, lang)


def kgi_rows(design: Design, lang: str) -> list[Row]:
    return _rows(to_data(design).get("kgis", []), KGI_FIELDS, lang)


def kpi_rows(design: Design, stage_id: str, lang: str) -> list[Row]:
    data = to_data(design)
    pi, si = _stage_index(data, stage_id)
    return _rows(data["phases"][pi]["stages"][si].get("kpis", []), KPI_FIELDS, lang)


def transition_rows(design: Design, lang: str) -> list[Row]:
    return _rows(to_data(design).get("transitions", []), TRANSITION_FIELDS, lang, keyed=False)


def journey_rows(design: Design, lang: str) -> list[Row]:
    journey = to_data(design).get("journey") or {}
    return _rows(journey.get("phases", []), JOURNEY_FIELDS, lang)


def drop_reason_rows(design: Design, lang: str) -> list[Row]:
    return _rows(to_data(design).get("drop_reasons", []), DROP_REASON_FIELDS, lang)


def _record_data(value: Any) -> Data:
    """A record as a mapping, whether the file holds a plain text or a typed record."""
    if isinstance(value, dict) and "name" in value:
        return value
    return {"name": value}


def _record_out(item: Data) -> Any:
    """A record back as the file writes it: plain text when it is nothing but a name."""
    return item["name"] if set(item) == {"name"} else item


def record_rows(design: Design, stage_id: str | None, lang: str) -> list[Row]:
    """The records of a stage (or of the account plan when `stage_id` is None), one row each."""
    data = to_data(design)
    if stage_id is None:
        records = data.get("account_plan", [])
    else:
        pi, si = _stage_index(data, stage_id)
        records = data["phases"][pi]["stages"][si].get("records", [])
    return _rows([_record_data(r) for r in records], RECORD_FIELDS, lang, keyed=False)


def apply_records(design: Design, stage_id: str | None, rows: Iterable[Row], lang: str) -> Design:
    """A stage's records (or the account plan's, `stage_id` None) from the typed table."""
    data = to_data(design)
    path: tuple
    if stage_id is None:
        owner, path = data, ("account_plan",)
        key = "account_plan"
    else:
        pi, si = _stage_index(data, stage_id)
        owner, path, key = data["phases"][pi]["stages"][si], ("phases", pi, "stages", si, "records"), "records"
    old = [_record_data(r) for r in owner.get(key, [])]
    rows = list(rows)
    items, _, _ = _merge(old, rows, RECORD_FIELDS, lang, path, None, keyed=False)
    kept = [r for r in rows if not (_row_key(r) is None and _blank(r, RECORD_FIELDS))]
    for index, (item, row) in enumerate(zip(items, kept)):
        given = clean_text(row.get("id"))  # ids are optional here: a plain text record has none
        item.pop("id", None)
        if given is not None:
            item = items[index] = {"id": given, **item}
        if item.get("type") == "text":
            item.pop("type")
        if "name" not in item:
            raise fail("problem.record_needs_name", path + (index, "name"))
    records = [_record_out(item) for item in items]
    before = record_ids(data)
    if records:
        owner[key] = records
    else:
        owner.pop(key, None)
    _follow_record_ids(data, old, items, before)
    return validated(data)


def _follow_record_ids(data: Data, old: list[Data], new: list[Data], before: set[str]) -> None:
    """A record id changed in a row (the row's old id gone from the design, the new one not there
    before): references follow it; references to ids no longer in the design are dropped."""
    after = record_ids(data)
    old_ids = {o.get("id") for o in old}
    for was, now in zip(old, new):
        a, b = was.get("id"), now.get("id")
        if a and b and a != b and a not in after and b not in before and b not in old_ids:
            rename_record(data, a, b)
    drop_record_links(data, before - after)


def pricing_rows(design: Design, lang: str) -> list[Row]:
    """Every owner's prices in one table, with the owner's id in the first column."""
    items = [{"owner": o["id"], **p} for o in to_data(design).get("owners", []) for p in o.get("pricing", [])]
    return _rows(items, PRICE_FIELDS, lang, keyed=False)


def apply_pricing(design: Design, rows: Iterable[Row], lang: str) -> Design:
    data = to_data(design)
    owners = data.get("owners", [])
    old = [{"owner": o["id"], **p} for o in owners for p in o.get("pricing", [])]
    items, _, _ = _merge(old, rows, PRICE_FIELDS, lang, ("pricing",), None, keyed=False)
    by_owner: dict[str, list[Data]] = {}
    known = {o["id"] for o in owners}
    for index, item in enumerate(items):
        owner_id = item.pop("owner", None)
        if owner_id not in known:
            raise fail("problem.price_owner", ("pricing", index, "owner"),
                       got=Verbatim(owner_id, owner_id) if owner_id else phrase("problem.got.nothing"))
        if "model" not in item:
            raise fail("problem.price_model", ("pricing", index, "model"))
        item.setdefault("amount", 0)
        by_owner.setdefault(owner_id, []).append(item)
    for owner in owners:
        if owner["id"] in by_owner:
            owner["pricing"] = by_owner[owner["id"]]
        else:
            owner.pop("pricing", None)
    return validated(data)


def temperature_rows(design: Design, lang: str) -> list[Row]:
    """The temperature scale (the default hot / warm / cold when the design sets none)."""
    items = [t.model_dump(mode="json", exclude_defaults=True) for t in design.temperature_scale]
    return _rows(items, TEMPERATURE_FIELDS, lang)


def apply_temperature(design: Design, rows: Iterable[Row], lang: str) -> Design:
    data = to_data(design)
    old = [t.model_dump(mode="json", exclude_defaults=True) for t in design.temperature_scale]
    data["temperature"], _, _ = _merge(old, rows, TEMPERATURE_FIELDS, lang, ("temperature",), "level")
    return validated(data)


def link_rows(design: Design, lang: str) -> list[Row]:
    return _rows(to_data(design).get("linked_designs", []), LINK_FIELDS, lang, keyed=False)


def apply_links(design: Design, rows: Iterable[Row], lang: str) -> Design:
    data = to_data(design)
    links, _, _ = _merge(data.get("linked_designs", []), rows, LINK_FIELDS, lang, ("linked_designs",), None, keyed=False)
    for index, link in enumerate(links):
        if "design" not in link:
            raise fail("problem.link_design", ("linked_designs", index, "design"))
    if links:
        data["linked_designs"] = links
    else:
        data.pop("linked_designs", None)
    return validated(data)


# --------------------------------------------------------------------------- rows in


def _merge(
    old_items: list[Data],
    rows: Iterable[Row],
    fields: dict[str, str],
    lang: str,
    path: tuple,
    id_prefix: str | None,
    taken: Iterable[str] = (),
    keyed: bool = True,
) -> tuple[list[Data], dict[str, str], set[str]]:
    """New items from edited rows, the ids renamed (old → new), and the ids removed."""
    by_key: dict[Any, Data] = {(item.get("id") if keyed else i): item for i, item in enumerate(old_items)}
    taken = set(taken) | {str(item["id"]) for item in old_items if item.get("id") is not None}
    items: list[Data] = []
    renames: dict[str, str] = {}
    kept: set[Any] = set()
    for index, row in enumerate(rows):
        key: Any = row.get("_key")
        key = None if key is None or (isinstance(key, float) and key != key) else key
        if keyed and key is not None:
            key = str(key)
        elif not keyed and key is not None:
            key = int(key)
        old = by_key.get(key) if key is not None else None
        if old is None and _blank(row, fields):
            continue  # an empty row the table added: not an item yet
        item = copy.deepcopy(old) if old is not None else {}
        for name, kind in fields.items():
            if name == "id":
                continue
            _set(item, name, kind, row.get(name), lang, path + (index, name), old or {})
        if id_prefix is not None:
            given: str | None = clean_text(row.get("id"))
            if given is None:
                given = key if old is not None else new_id(item.get("name"), taken, id_prefix)
            assert given is not None
            item = {"id": given, **{k: v for k, v in item.items() if k != "id"}}
            taken.add(given)
            if old is not None and given != key:
                renames[key] = given
        if old is not None:
            kept.add(key)
        items.append(item)
    removed = {k for k in by_key if k not in kept} if keyed else set()
    return items, renames, removed


def _row_key(row: Row) -> Any:
    key = row.get("_key")
    return None if key is None or (isinstance(key, float) and key != key) else key


def _blank(row: Row, fields: dict[str, str]) -> bool:
    for name, kind in fields.items():
        value = row.get(name)
        if kind == "bool":
            continue
        if kind in ("texts", "strs"):
            if value is not None and not isinstance(value, str) and any(clean_text(v) for v in value):
                return False
        elif clean_text(value) is not None:
            return False
    return True


def _in_percent(item: Data) -> bool:
    """Whether the item's target (a KPI or KGI) is a rate, typed and shown in percent."""
    return item.get("unit", DEFAULTS["unit"]) == "rate"


def _set(item: Data, name: str, kind: str, value: Any, lang: str, path: tuple, old: Data) -> None:
    """Set `name` of `item` from its typed cell; `old` is the item before the edit ({} for a new one).

    A measure is read in the unit the row has now (set before it: `unit` comes first): the number
    on screen keeps what it says, so a count target of 30 changed to a rate is 30 %, and a rate of
    30 % changed to a count is 30; a rate outside 0–100 % is refused at its cell, in percent."""
    rate = kind == "measure" and _in_percent(item)
    if kind == "measure":
        kind = "percent" if rate else "number"
        if rate and not _in_percent(old):
            old = {}  # the old target was not a rate: nothing to keep
    if kind == "text" and name in _REQUIRED_TEXT and clean_text(value) is None:
        raise fail("problem.field_empty", path, field=name)
    try:
        if kind == "text":
            new = set_text(item.get(name), lang, clean_text(value))
        elif kind == "texts":
            new = merge_text_list(item.get(name, []), _list(value), lang) or None
        elif kind == "strs":
            new = [t for t in (clean_text(v) for v in _list(value)) if t] or None
        elif kind == "percent":
            new = rate_from_percent(value, old.get(name))
        elif kind == "number":
            new = number(value)
        elif kind == "bool":
            new = bool(value) if value is not None and value == value else False
        else:
            new = clean_text(value)
    except (TypeError, ValueError):
        raise fail("problem.cell_not_a_number", path, value=str(value)) from None
    if rate and new is not None and not 0 <= new <= 1:
        raise fail("problem.rate_between", path, value=f"{new:g}")
    if new is None or (kind == "bool" and new is False and name in _DEFAULT_FALSE):
        item.pop(name, None)
    else:
        item[name] = new


def _list(value: Any) -> list:
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        return list(value.replace("、", ",").split(","))
    return list(value)


def apply_phases(design: Design, rows: Iterable[Row], lang: str) -> Design:
    data = to_data(design)
    phases, _renames, removed = _merge(data["phases"], rows, PHASE_FIELDS, lang, ("phases",), "phase")
    taken = set(stage_ids(data))
    for phase in phases:
        if not phase.get("stages"):
            stage_id = new_id(None, taken, "stage")
            taken.add(stage_id)
            phase["stages"] = [{"id": stage_id, "name": "新しいステージ" if lang == "ja" else "New stage"}]
    gone = {s["id"] for p in data["phases"] if p["id"] in removed for s in p["stages"]}
    data["phases"] = phases
    drop_stage_links(data, gone)
    return validated(data)


def apply_stages(design: Design, phase_id: str, rows: Iterable[Row], lang: str) -> Design:
    data = to_data(design)
    pi = _phase_index(data, phase_id)
    others = [s for p in data["phases"] if p["id"] != phase_id for s in stage_ids({"phases": [p]})]
    stages, renames, removed = _merge(
        data["phases"][pi]["stages"], rows, STAGE_FIELDS, lang, ("phases", pi, "stages"), "stage", taken=others
    )
    if not stages:
        raise fail("problem.phase_needs_stage", ("phases", pi, "stages"))
    data["phases"][pi]["stages"] = stages
    for old, new in renames.items():
        rename_stage(data, old, new)
    drop_stage_links(data, removed - set(stage_ids(data)))
    return validated(data)


def apply_owners(design: Design, rows: Iterable[Row], lang: str) -> Design:
    data = to_data(design)
    owners, renames, _removed = _merge(data.get("owners", []), rows, OWNER_FIELDS, lang, ("owners",), "owner")
    data["owners"] = owners
    for old, new in renames.items():
        rename_owner(data, old, new)
    return validated(data)


def apply_kgis(design: Design, rows: Iterable[Row], lang: str) -> Design:
    data = to_data(design)
    data["kgis"], _, _ = _merge(data.get("kgis", []), rows, KGI_FIELDS, lang, ("kgis",), "kgi")
    return validated(data)


def apply_kpis(design: Design, stage_id: str, rows: Iterable[Row], lang: str) -> Design:
    data = to_data(design)
    pi, si = _stage_index(data, stage_id)
    stage = data["phases"][pi]["stages"][si]
    all_kpis = [k["id"] for p in data["phases"] for s in p["stages"] if s is not stage for k in s.get("kpis", [])]
    kpis, _, _ = _merge(
        stage.get("kpis", []), rows, KPI_FIELDS, lang, ("phases", pi, "stages", si, "kpis"), "kpi", taken=all_kpis
    )
    if kpis:
        stage["kpis"] = kpis
    else:
        stage.pop("kpis", None)
    return validated(data)


def apply_transitions(design: Design, rows: Iterable[Row], lang: str) -> Design:
    data = to_data(design)
    data["transitions"], _, _ = _merge(
        data.get("transitions", []), rows, TRANSITION_FIELDS, lang, ("transitions",), None, keyed=False
    )
    return validated(data)


def apply_journey(design: Design, rows: Iterable[Row], lang: str) -> Design:
    data = to_data(design)
    journey = data.setdefault("journey", {})
    journey["phases"], _, _ = _merge(
        journey.get("phases", []), rows, JOURNEY_FIELDS, lang, ("journey", "phases"), "phase"
    )
    return validated(data)


def apply_drop_reasons(design: Design, rows: Iterable[Row], lang: str) -> Design:
    data = to_data(design)
    data["drop_reasons"], _, _ = _merge(
        data.get("drop_reasons", []), rows, DROP_REASON_FIELDS, lang, ("drop_reasons",), "reason"
    )
    return validated(data)


# --------------------------------------------------------------------------- helpers


def _phase_index(data: Data, phase_id: str) -> int:
    for i, phase in enumerate(data["phases"]):
        if phase["id"] == phase_id:
            return i
    raise fail("problem.no_such_item", (), kind=phrase("problem.kind.phase"), id=phase_id)


def _stage_index(data: Data, stage_id: str) -> tuple[int, int]:
    for pi, phase in enumerate(data["phases"]):
        for si, stage in enumerate(phase["stages"]):
            if stage["id"] == stage_id:
                return pi, si
    raise fail("problem.no_such_item", (), kind=phrase("problem.kind.stage"), id=stage_id)

