"""Matching the stage values of a CRM export to the stages of a design.

A value matches a stage when, after NFKC normalisation (full-width and half-width alike), case
folding and trimming (inner runs of spaces count as one), it equals the stage's id, its name in
either language, or one of its aliases. An explicit `stage_map` (value → stage id, or
`MAP_LOST` / `MAP_IGNORE`) is applied first, for the app's interactive mapping and `--stage-map`.

Won markers (受注, 成約, Closed Won, closedwon, won …: `model.WON_WORDS`) that name no stage of the
design go to its won stage (`model.stage_outcome`), else to `WON`: the 受注 / Closed Won stage the
CRM pipeline adds after the KGI stage (`model.deal_pipeline`), which compare counts as won. A design
stage named or aliased so keeps its values (its words say what it means). A won status (Pipedrive's
`won`) adds one such event at the deal's latest row with it (`actuals.events`).

Lost markers (失注, Closed Lost, lost, 不成立, 見送り …) mark the deal lost wherever they appear: as
a stage value, or in a status column. Paused markers (中断, 保留, On Hold, Paused …) mark it
paused (中断: it may come back, unlike 失注), as a stage value or a status; a design stage whose id,
name or alias is a paused marker is a paused stage, and its aliases are paused markers too. Values that match nothing are counted and reported in
`unmatched_stages`, never dropped silently.
"""

from __future__ import annotations

import re

from journeymap.actuals.tables import normalise
from journeymap.actuals.types import StageValue
from journeymap.errors import InputError
from journeymap.limits import VALUES_IN_MESSAGE
from journeymap.model import LOST_WORDS, WON_WORDS, Design, Localized, stage_outcome, text_of
from journeymap.text.format import DASH
from journeymap.text.problems import problem, refuse

UNMATCHED = -1
LOST = -2
IGNORED = -3
PAUSED = -4
WON = -5
"""A row at the won stage the pipeline adds after the KGI stage (a design without a won funnel stage)."""
MAP_LOST = ":lost"
"""stage_map target: the value marks a deal lost."""
MAP_IGNORE = ":ignore"
"""stage_map target: the value is known and deliberately not counted (reported as ignored)."""
MAP_PAUSED = ":paused"
"""stage_map target: the value marks a deal paused (中断・保留)."""
MAP_WON = ":won"
"""stage_map target: the value marks a deal won (the design's won stage, or the one the pipeline adds)."""

_PAUSED = ("中断", "中断中", "保留", "保留中", "一時停止", "一時中断", "休眠", "on hold", "onhold", "hold", "paused",
           "pause", "suspended", "dormant")


def marker_key(value: str) -> str:
    return re.sub(r"[\s_\-]+", "", normalise(value))


LOST_MARKERS = frozenset(marker_key(v) for v in LOST_WORDS)
WON_MARKERS = frozenset(marker_key(v) for v in WON_WORDS)
PAUSED_MARKERS = frozenset(marker_key(v) for v in _PAUSED)


def is_lost_marker(value: str) -> bool:
    return marker_key(value) in LOST_MARKERS


def is_won_marker(value: str) -> bool:
    return marker_key(value) in WON_MARKERS


def is_paused_marker(value: str) -> bool:
    return marker_key(value) in PAUSED_MARKERS


class StageMatcher:
    """value → stage index in `design.stages` (or LOST / IGNORED / UNMATCHED)."""

    def __init__(self, design: Design, stage_map: dict[str, str] | None = None):
        self.design = design
        self.stages = design.stages
        index = {s.id: i for i, s in enumerate(self.stages)}
        self._keys: dict[str, int] = {}
        for i, stage in enumerate(self.stages):
            texts = _stage_texts(stage)
            paused = not stage.funnel and any(is_paused_marker(t) for t in texts)
            for text in texts:
                self._keys.setdefault(normalise(text), PAUSED if paused else i)
        won_stage = next((i for i, s in enumerate(self.stages) if stage_outcome(s) == "won"), None)
        self.won_code = won_stage if won_stage is not None else WON
        """Where a won value (受注, Closed Won …) that names no stage of the design goes."""
        self._overrides: dict[str, int] = {}
        issues = []
        for value, target in (stage_map or {}).items():
            if target == MAP_LOST:
                code = LOST
            elif target == MAP_IGNORE:
                code = IGNORED
            elif target == MAP_PAUSED:
                code = PAUSED
            elif target == MAP_WON:
                code = self.won_code
            elif target in index:
                code = index[target]
            else:
                issues.append(problem("problem.stage_map_target", value=value, target=target, stages=", ".join(index),
                                      won=MAP_WON, lost=MAP_LOST, paused=MAP_PAUSED, ignore=MAP_IGNORE))
                continue
            self._overrides[normalise(value)] = code
        if issues:
            raise InputError(issues)

    def match(self, value: str | None) -> tuple[int, bool]:
        """(code, lost): the stage index or a marker code, and whether the value marks the deal lost."""
        if value is None:
            return UNMATCHED, False
        key = normalise(value)
        if key in self._overrides:
            code = self._overrides[key]
            return code, code == LOST
        lost = marker_key(value) in LOST_MARKERS
        if key in self._keys:
            return self._keys[key], lost
        if marker_key(value) in PAUSED_MARKERS:
            return PAUSED, False
        if marker_key(value) in WON_MARKERS:
            return self.won_code, False
        return (LOST if lost else UNMATCHED), lost

    def first_match(self, values: list[str]) -> tuple[int, bool]:
        """The first of several spellings that matches (a HubSpot label with and without its pipeline)."""
        result = (UNMATCHED, False)
        for value in values:
            result = self.match(value)
            if result[0] != UNMATCHED:
                return result
        return result


def _stage_texts(stage) -> list[str]:
    texts = [stage.id]
    name = stage.name
    if isinstance(name, Localized):
        texts += [t for t in (name.ja, name.en) if t]
    else:
        texts.append(name)
    texts += list(stage.aliases)
    return texts


def no_match_error(matcher: StageMatcher, values: list[StageValue], source: str) -> InputError:
    found = ", ".join(f"'{v.value}' ({v.count})" for v in values[:VALUES_IN_MESSAGE]) or DASH
    names = ", ".join(f"{s.id} ({text_of(s.name)})" for s in matcher.stages)
    return refuse("problem.no_stage_match", source=source, design=matcher.design.id, found=found, stages=names)
