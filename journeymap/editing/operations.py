"""Editing operations on a design: pure functions from a design to a new, validated design.

The app's editors call these; nothing here knows about widgets. Every operation works on the
design's plain data and validates the result, so an edit either gives a valid design or raises
`InputError` whose issues carry the data `path` of what is wrong (the app shows them at the field
or table row). The design passed in is never changed.

Texts are edited one language at a time: `set_text` changes the chosen language of a
`{ja, en}` text and keeps the other.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterable
from typing import Any

from journeymap.errors import InputError, Issue
from journeymap.model import Design, DesignInvalid, Localized, design_to_data, parse_design, slugify, text_of
from journeymap.text.problems import phrase, refuse

Data = dict[str, Any]

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


# --------------------------------------------------------------------------- data in and out


def to_data(design: Design) -> Data:
    """The design's plain data (a fresh copy the caller may change)."""
    return design_to_data(design)


def validated(data: Data, source: str = "edit") -> Design:
    """A design from edited plain data; InputError with the path of every problem."""
    try:
        return parse_design(data)
    except DesignInvalid as exc:
        raise InputError([Issue(p.message, source=source, path=tuple(p.path), key=p.key, values=p.values)
                          for p in exc.problems]) from None


def fail(key: str, path: tuple = (), /, **values: Any) -> InputError:
    """An edit refused: the problem `key` (`problem.*`) at `path`."""
    return refuse(key, source="edit", path=path, **values)


# --------------------------------------------------------------------------- text values


def text_data(value: Any) -> Any:
    """A text as plain data (`str` or `{ja, en}` dict)."""
    if isinstance(value, Localized):
        return value.model_dump(exclude_none=True)
    return copy.deepcopy(value)


def shown(value: Any, lang: str) -> str:
    """What the editor shows for a text (data or model) in `lang`."""
    if isinstance(value, dict):
        first = value.get(lang) or value.get("en" if lang == "ja" else "ja")
        return first or ""
    return text_of(value, lang)


def set_text(old: Any, lang: str, new: str | None) -> Any:
    """`old` (str, {ja, en} or None) with its `lang` text replaced by `new`.

    A plain string belongs to the language it is written in (Japanese characters or not): edited
    in that language it is replaced, edited in the other it becomes `{ja, en}` with both. An empty
    `new` removes the language; None when nothing is left.
    """
    new = clean_text(new)
    old = text_data(old)
    if isinstance(old, str) and old:
        if new == old:
            return old
        written_in = language_of(old)
        if written_in == lang:
            return new
        return {written_in: old, lang: new} if new else old
    parts = {k: v for k, v in old.items() if v} if isinstance(old, dict) else {}
    if new:
        parts[lang] = new
    else:
        parts.pop(lang, None)
    if not parts:
        return None
    if not isinstance(old, dict):
        return new
    return {k: parts[k] for k in ("ja", "en") if k in parts}


def language_of(text: str) -> str:
    """'ja' for a text with Japanese characters in it, else 'en'."""
    return "ja" if _CJK.search(text) else "en"


def merge_text_list(old: list[Any], new: Iterable[str | None], lang: str) -> list[Any]:
    """A text list after editing its `lang` view: each item keeps its other language.

    An item whose text is unchanged keeps its old value wherever it moved; an edited item is the
    old item at the same place with its `lang` text replaced; anything else is new.
    """
    old = [text_data(v) for v in old]
    new_items = [t for t in (clean_text(v) for v in new) if t]
    before = [shown(v, lang) for v in old]
    used: set[int] = set()
    matched: dict[int, int] = {}
    for j, text in enumerate(new_items):
        i = next((i for i, b in enumerate(before) if b == text and i not in used), None)
        if i is not None:
            used.add(i)
            matched[j] = i
    out: list[Any] = []
    for j, text in enumerate(new_items):
        if j in matched:
            out.append(old[matched[j]])
        elif j < len(old) and j not in used:
            used.add(j)
            out.append(set_text(old[j], lang, text))
        else:
            out.append(text)
    return out


def clean_text(value: Any) -> str | None:
    if value is None or _is_nan(value):
        return None
    text = str(value).strip()
    return text or None


def lines(text: str | None) -> list[str]:
    """The non-empty lines of a text area (one item per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --------------------------------------------------------------------------- numbers


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def number(value: Any) -> int | float | None:
    """A cell's number: None for empty, int when whole (so files read `14`, not `14.0`)."""
    if value is None or _is_nan(value) or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("expected a number")
    if isinstance(value, str):
        value = float(value.replace(",", "").strip())
    value = float(value)
    if math.isfinite(value) and value == int(value) and abs(value) < 2**53:
        return int(value)
    return value


def percent(rate: float | None) -> float | None:
    """A rate (0.04) as the percentage planners type and see (4, never 4.000000000000001).

    The one conversion of the editors: stage rates, probabilities and the targets of KPIs and
    KGIs whose unit is `rate` are shown with this and read back with `rate_from_percent`."""
    return None if rate is None else round(rate * 100, 10)


def rate_from_percent(value: Any, was: float | None = None) -> float | int | None:
    """The rate (0.333) of a percentage typed in an editor (33.3); None for an empty cell.

    `was` is the rate shown before: when the cell still shows it, it is kept as it is, so a
    file's 0.123456789012345 is not rounded by an edit to another cell of the table."""
    pct = number(value)
    if pct is None:
        return None
    if was is not None and not isinstance(was, bool) and percent(was) == pct:
        return was
    return number(round(pct / 100, 12))


# --------------------------------------------------------------------------- ids


def new_id(name: Any, taken: Iterable[str], prefix: str) -> str:
    """An id for a new item: the slug of its name when it has ASCII letters, else `prefix-N`."""
    taken = set(taken)
    base = slugify(shown(name, "en") if name else "") or ""
    if base and base not in taken:
        return base
    base = base or prefix
    n = 2 if base != prefix else len(taken) + 1
    candidate = f"{base}-{n}"
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def stage_ids(data: Data) -> list[str]:
    return [s.get("id") for p in data.get("phases", []) for s in p.get("stages", [])]


def rename_stage(data: Data, old: str, new: str) -> None:
    """Point every reference to stage `old` at `new` (in place)."""
    for kgi in data.get("kgis", []):
        if kgi.get("stage") == old:
            kgi["stage"] = new
    for transition in data.get("transitions", []):
        for end in ("from", "to"):
            if transition.get(end) == old:
                transition[end] = new
    for jphase in (data.get("journey") or {}).get("phases", []):
        jphase["stages"] = [new if s == old else s for s in jphase.get("stages", [])]
    for reason in data.get("drop_reasons", []):
        reason["stages"] = [new if s == old else s for s in reason.get("stages", [])]
        if reason.get("recovery_stage") == old:
            reason["recovery_stage"] = new
    for price in _prices(data):
        if price.get("stage") == old:
            price["stage"] = new
    for link in data.get("linked_designs", []):
        if link.get("at_stage") == old:
            link["at_stage"] = new


def _prices(data: Data) -> list[Data]:
    return [price for owner in data.get("owners", []) for price in owner.get("pricing", [])]


def drop_stage_links(data: Data, removed: set[str]) -> None:
    """Forget links to removed stages (journey links, transitions, drop reasons), in place.

    KGIs keep theirs: a KGI must be counted somewhere, so removing its stage is an error the
    user resolves by choosing another stage first.
    """
    if not removed:
        return
    data["transitions"] = [
        t for t in data.get("transitions", []) if t.get("from") not in removed and t.get("to") not in removed
    ]
    for jphase in (data.get("journey") or {}).get("phases", []):
        jphase["stages"] = [s for s in jphase.get("stages", []) if s not in removed]
    for reason in data.get("drop_reasons", []):
        reason["stages"] = [s for s in reason.get("stages", []) if s not in removed]
        if reason.get("recovery_stage") in removed:
            reason.pop("recovery_stage", None)
    for price in _prices(data):
        if price.get("stage") in removed:
            price.pop("stage", None)
    for link in data.get("linked_designs", []):
        if link.get("at_stage") in removed:
            link.pop("at_stage", None)


def record_ids(data: Data) -> set[str]:
    """Every record id of the design data: the stages' records and the account plan's."""
    records = [r for p in data.get("phases", []) for s in p.get("stages", []) for r in s.get("records", [])]
    records += data.get("account_plan", [])
    return {r["id"] for r in records if isinstance(r, dict) and r.get("id")}


def rename_record(data: Data, old: str, new: str) -> None:
    """Point every reference to record `old` at `new` (in place): the transitions' required records."""
    for transition in data.get("transitions", []):
        required = transition.get("required_records")
        if required:
            renamed = [new if r == old else r for r in required]
            transition["required_records"] = list(dict.fromkeys(renamed))


def drop_record_links(data: Data, removed: set[str]) -> None:
    """Forget references to records no longer in the design (in place)."""
    if not removed:
        return
    for transition in data.get("transitions", []):
        if transition.get("required_records"):
            transition["required_records"] = [r for r in transition["required_records"] if r not in removed]
            if not transition["required_records"]:
                transition.pop("required_records")


def rename_owner(data: Data, old: str, new: str) -> None:
    for phase in data.get("phases", []):
        for stage in phase.get("stages", []):
            if stage.get("owner") == old:
                stage["owner"] = new


# --------------------------------------------------------------------------- whole designs


def with_id(design: Design, design_id: str) -> Design:
    data = to_data(design)
    data["id"] = design_id
    return validated(data)


def copy_of(design: Design, design_id: str) -> Design:
    """A copy under a new id, its name marked as a copy in each language."""
    data = to_data(design)
    data["id"] = design_id
    name = data["name"]
    if isinstance(name, dict):
        data["name"] = {
            k: (f"{v}のコピー" if k == "ja" else f"Copy of {v}") for k, v in name.items()
        }
    else:
        data["name"] = f"{name}のコピー" if language_of(name) == "ja" else f"Copy of {name}"
    return validated(data)


def from_template(template: Design, design_id: str, name: str | None = None, lang: str = "ja") -> Design:
    """A new design from a template, with its own id and (optionally) its own name.

    A name other than the template's (as shown in `lang`) replaces the name in both languages.
    """
    data = to_data(template)
    data["id"] = design_id
    name = clean_text(name)
    if name and name != shown(data["name"], lang):
        data["name"] = name
    return validated(data)


def set_meta(design: Design, lang: str, **fields: Any) -> Design:
    """Change top-level fields: name/description/persona (texts in `lang`), segment, currency, period,
    counts, acquisition_kgi (None: the default, the first count KGI)."""
    data = to_data(design)
    for key, value in fields.items():
        if key in ("name", "description"):
            changed = set_text(data.get(key), lang, value)
            if changed is not None:
                data[key] = changed
            elif key == "description":
                data.pop(key, None)
            else:
                data[key] = ""  # refused by validation: a design needs a name
        elif key == "persona":
            journey = data.setdefault("journey", {})
            changed = set_text(journey.get("persona"), lang, value)
            if changed is None:
                journey.pop("persona", None)
            else:
                journey["persona"] = changed
        elif key in ("segment", "currency", "period", "counts"):
            data[key] = value.strip().upper() if key == "currency" and isinstance(value, str) else value
        elif key == "acquisition_kgi":
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        else:
            raise ValueError(f"unknown design field '{key}'")
    return validated(data)


def move(items: list, index: int, delta: int) -> list:
    """`items` with the item at `index` moved by `delta` places (clamped to the ends)."""
    out = list(items)
    target = max(0, min(len(out) - 1, index + delta))
    out.insert(target, out.pop(index))
    return out


def move_phase(design: Design, phase_id: str, delta: int) -> Design:
    data = to_data(design)
    index = _index_of(data["phases"], phase_id, "phase")
    data["phases"] = move(data["phases"], index, delta)
    return validated(data)


def move_journey_phase(design: Design, phase_id: str, delta: int) -> Design:
    data = to_data(design)
    phases = (data.get("journey") or {}).get("phases", [])
    index = _index_of(phases, phase_id, "journey phase")
    data["journey"]["phases"] = move(phases, index, delta)
    return validated(data)


def move_stage(design: Design, stage_id: str, delta: int) -> Design:
    """Move a stage up (-1) or down (+1); past the first or last place it changes phase."""
    data = to_data(design)
    pi, si = _locate_stage(data, stage_id)
    stages = data["phases"][pi]["stages"]
    target = si + delta
    if 0 <= target < len(stages):
        data["phases"][pi]["stages"] = move(stages, si, delta)
        return validated(data)
    neighbour = pi + (1 if delta > 0 else -1)
    if not 0 <= neighbour < len(data["phases"]):
        return design
    if len(stages) == 1:
        raise fail("problem.only_stage_move", ("phases", pi, "stages", si), stage=stage_id)
    stage = stages.pop(si)
    if delta > 0:
        data["phases"][neighbour]["stages"].insert(0, stage)
    else:
        data["phases"][neighbour]["stages"].append(stage)
    return validated(data)


def move_stage_to_phase(design: Design, stage_id: str, phase_id: str) -> Design:
    data = to_data(design)
    pi, si = _locate_stage(data, stage_id)
    target = _index_of(data["phases"], phase_id, "phase")
    if target == pi:
        return design
    if len(data["phases"][pi]["stages"]) == 1:
        raise fail("problem.only_stage_move", ("phases", pi, "stages", si), stage=stage_id)
    stage = data["phases"][pi]["stages"].pop(si)
    data["phases"][target]["stages"].append(stage)
    return validated(data)


def add_stage(design: Design, phase_id: str, name: str, lang: str = "ja", **fields: Any) -> Design:
    """Append a new stage to a phase; its id comes from its name (or `stage-N`)."""
    data = to_data(design)
    pi = _index_of(data["phases"], phase_id, "phase")
    cleaned = clean_text(name)
    if not cleaned:
        raise fail("problem.stage_needs_name", ("phases", pi, "stages"))
    stage = {"id": fields.pop("id", None) or new_id(cleaned, stage_ids(data), "stage"), "name": cleaned}
    stage.update({k: v for k, v in fields.items() if v is not None})
    data["phases"][pi]["stages"].append(stage)
    return validated(data)


def remove_stage(design: Design, stage_id: str) -> Design:
    data = to_data(design)
    pi, si = _locate_stage(data, stage_id)
    if len(data["phases"][pi]["stages"]) == 1:
        raise fail("problem.only_stage_remove", ("phases", pi, "stages", si), stage=stage_id)
    del data["phases"][pi]["stages"][si]
    drop_stage_links(data, {stage_id})
    return validated(data)


def set_stage_texts(design: Design, stage_id: str, field: str, items: Iterable[str], lang: str) -> Design:
    """Replace a stage's activities, exit criteria (texts in `lang`) or aliases (typed records: see
    `tables.apply_records`)."""
    data = to_data(design)
    pi, si = _locate_stage(data, stage_id)
    stage = data["phases"][pi]["stages"][si]
    if field == "aliases":
        values = [t for t in (clean_text(v) for v in items) if t]
    elif field in ("activities", "exit_criteria"):
        values = merge_text_list(stage.get(field, []), items, lang)
    else:
        raise ValueError(f"'{field}' is not a list of texts on a stage")
    if values:
        stage[field] = values
    else:
        stage.pop(field, None)
    return validated(data)


def set_stage_owner(design: Design, stage_id: str, owner_id: str | None) -> Design:
    """Give a stage to an owner (None: no owner)."""
    data = to_data(design)
    pi, si = _locate_stage(data, stage_id)
    stage = data["phases"][pi]["stages"][si]
    if owner_id:
        stage["owner"] = owner_id
    else:
        stage.pop("owner", None)
    return validated(data)


def set_stage_text(design: Design, stage_id: str, field: str, value: str | None, lang: str) -> Design:
    """Set a stage's description or presenter notes in `lang` (the other language is kept)."""
    if field not in ("description", "notes"):
        raise ValueError(f"'{field}' is not a text of a stage")
    data = to_data(design)
    pi, si = _locate_stage(data, stage_id)
    stage = data["phases"][pi]["stages"][si]
    new = set_text(stage.get(field), lang, value)
    if new is None:
        stage.pop(field, None)
    else:
        stage[field] = new
    return validated(data)


def what_if(design: Design, targets: dict[str, float] | None = None, rates: dict[str, float] | None = None) -> Design:
    """The design with other KGI targets and funnel rates (for the Plan page's what-if controls)."""
    data = to_data(design)
    for kgi in data.get("kgis", []):
        if targets and kgi["id"] in targets:
            kgi["target"] = number(targets[kgi["id"]])
    if rates:
        for phase in data["phases"]:
            for stage in phase["stages"]:
                if stage["id"] in rates:
                    stage["target_rate"] = number(rates[stage["id"]])
    return validated(data)


# --------------------------------------------------------------------------- helpers


def _index_of(items: list[Data], item_id: str, kind: str) -> int:
    for i, item in enumerate(items):
        if item.get("id") == item_id:
            return i
    raise fail("problem.no_such_item", (), kind=phrase(f"problem.kind.{kind.replace(' ', '_')}"), id=item_id)


def _locate_stage(data: Data, stage_id: str) -> tuple[int, int]:
    for pi, phase in enumerate(data["phases"]):
        for si, stage in enumerate(phase["stages"]):
            if stage.get("id") == stage_id:
                return pi, si
    raise fail("problem.no_such_item", (), kind=phrase("problem.kind.stage"), id=stage_id)
