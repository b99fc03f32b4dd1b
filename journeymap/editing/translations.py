"""Translations that may be out of date: one language's text changed, the other's did not.

A design's texts are `{ja, en}` pairs. When a planner renames a stage in Japanese and leaves the
English alone, the English may now say something else. Walking the saved versions of a design
(oldest first, the screen's design last), a text is *possibly stale* in one language when the
other language changed after it and it has not changed since. Adding a first translation marks
nothing; changing both languages together clears the mark.

    stale_translations([v1, v2, v3, on_screen]) -> [StaleText(kind="stage", item_id="hearing",
                                                             field="name", stale="en", ...)]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from journeymap.editing.operations import language_of
from journeymap.model import Design, Localized

Key = tuple[str, str | None, str]
"""(kind, item id, field): the same text across versions, wherever the item moved."""
Pair = tuple[str | None, str | None]


@dataclass(frozen=True)
class StaleText:
    kind: str
    """design | phase | stage | owner | kgi | kpi"""
    item_id: str | None
    field: str
    """name | description"""
    stale: str
    """The language that may be out of date: ja | en."""
    text: str
    """The possibly stale text, in `stale`'s language."""
    changed: str
    """The other language's text, which changed after it."""


def _pair(value: Any) -> Pair:
    if value is None:
        return None, None
    if isinstance(value, Localized):
        return value.ja or None, value.en or None
    text = str(value)
    return (text, None) if language_of(text) == "ja" else (None, text)


def texts(design: Design) -> Iterator[tuple[Key, Pair]]:
    """Every name and description of the design with a key that follows the item across versions."""
    yield ("design", None, "name"), _pair(design.name)
    yield ("design", None, "description"), _pair(design.description)
    for phase in design.phases:
        yield ("phase", phase.id, "name"), _pair(phase.name)
        yield ("phase", phase.id, "description"), _pair(phase.description)
        for stage in phase.stages:
            yield ("stage", stage.id, "name"), _pair(stage.name)
            yield ("stage", stage.id, "description"), _pair(stage.description)
            for kpi in stage.kpis:
                yield ("kpi", f"{stage.id}/{kpi.id}", "name"), _pair(kpi.name)
    for owner in design.owners:
        yield ("owner", owner.id, "name"), _pair(owner.name)
    for kgi in design.kgis:
        yield ("kgi", kgi.id, "name"), _pair(kgi.name)


def stale_translations(versions: Sequence[Design]) -> list[StaleText]:
    """The texts whose one language may be out of date in the last of `versions` (oldest first)."""
    stale: dict[Key, str] = {}
    previous: dict[Key, Pair] = {}
    for design in versions:
        now = dict(texts(design))
        for key, (ja, en) in now.items():
            before = previous.get(key)
            if before is None:
                continue
            ja_changed, en_changed = before[0] != ja, before[1] != en
            mark = stale.get(key)
            if (mark == "en" and en_changed) or (mark == "ja" and ja_changed):
                stale.pop(key)  # the translation was brought up to date
            elif ja_changed and not en_changed and before[0] and ja and en:
                stale[key] = "en"
            elif en_changed and not ja_changed and before[1] and en and ja:
                stale[key] = "ja"
        for key in set(stale) - set(now):
            stale.pop(key)  # the item is gone
        previous = now
    out = []
    for (kind, item_id, field), language in stale.items():
        ja, en = previous[(kind, item_id, field)]
        text, other = (en, ja) if language == "en" else (ja, en)
        if text and other:
            out.append(StaleText(kind, item_id, field, language, text, other))
    return sorted(out, key=lambda s: (s.kind, s.item_id or "", s.field))
