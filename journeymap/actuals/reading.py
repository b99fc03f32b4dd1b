"""Actual funnel data in: a CRM export (CSV, TSV or Excel) read against a design.

Two shapes, recognised from the columns (see `actuals_columns`):

- an **event log**, one row per deal entering a stage (`deal_id, stage, timestamp[, amount, owner,
  channel, segment, status, lost_reason, next_action_date]`) — Salesforce OpportunityHistory
  (or OpportunityFieldHistory rows of the StageName field), XES-style logs, Japanese exports,
  and HubSpot's wide deal exports (one "Date entered <stage>" column per stage) turned into one;
- a **stage-count table** (`stage, count[, period, segment, cost]`).

Stage values are matched to the design by `stage_match.StageMatcher`. Values that match nothing
are counted in `unmatched_stages`; lost markers (失注, Closed Lost …, as a stage or a status) mark
the deal lost. Bad input raises `InputError` naming the file and row: empty file, header only,
missing columns, unreadable dates, empty deal ids, negative or non-numeric counts, duplicate
rows, and a file in which no stage value matches the design.

`read_actuals(content, source, design)` for the CLI and the app; `inspect_actuals(content,
source)` lists the columns, the roles guessed for them and the stage values, for the app's
interactive mapping (`columns=` and `stage_map=` then override the guesses).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from journeymap.actuals.columns import ColumnRoles, guess_roles, missing_columns_issue
from journeymap.actuals.tables import RawTable, read_table
from journeymap.actuals.values import labels
from journeymap.errors import InputError, Issue
from journeymap.model import Design
from journeymap.actuals.stages import IGNORED, LOST, StageMatcher

ATTRIBUTES = ("owner", "channel", "segment", "lost_reason")
"""Per-deal text attributes kept from an event log (the latest value of each deal counts)."""


@dataclass(frozen=True)
class StageValue:
    """A stage value of the file with the number of rows (or HubSpot deals) carrying it."""

    value: str
    count: int
    stage: str | None = None
    """The stage id it matched (inspection only); ':lost' for a lost marker."""

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "count": self.count}


@dataclass
class EventLog:
    """One entry per matched event; arrays of equal length, deals as codes into `deal_ids`."""

    deal: np.ndarray
    stage: np.ndarray
    """Index into `design.stages`, or LOST for a row that only marks its deal lost."""
    lost: np.ndarray
    """True where the row marks the deal lost (a lost-marker stage or a lost status)."""
    ts: np.ndarray
    """int64 nanoseconds."""
    deal_ids: Any
    """A pyarrow string array: the id of deal code i is `deal_ids[i]` (see `deal_id`)."""
    attributes: dict[str, tuple[np.ndarray, list[str]]] = field(default_factory=dict)
    """role → (per-event codes, -1 where empty; the distinct values)."""
    amount: np.ndarray | None = None
    next_action: np.ndarray | None = None

    @property
    def n_deals(self) -> int:
        return len(self.deal_ids)

    def deal_id(self, code: int) -> str:
        return self.deal_ids[int(code)].as_py()


@dataclass
class StageCounts:
    """A stage-count table: one entry per row, stages as indexes into `design.stages`."""

    stage: list[int]
    count: list[int]
    period: list[str | None]
    segment: list[str | None]
    cost: list[float | None]


@dataclass
class Actuals:
    source: str
    shape: str
    """'events' or 'counts'."""
    origin: str
    """'events', 'wide' (HubSpot), 'field_history' (Salesforce) or 'counts'."""
    columns: dict[str, str]
    rows: int
    encoding: str | None
    unmatched_stages: list[StageValue]
    ignored_stages: list[StageValue]
    events: EventLog | None = None
    counts: StageCounts | None = None


@dataclass
class Inspection:
    """What a file looks like before it is read against a design (for interactive mapping)."""

    source: str
    kind: str
    encoding: str | None
    sheet: str | None
    columns: list[str]
    roles: dict[str, str]
    guessed: dict[str, str]
    shape: str | None
    rows: int
    sample: list[dict[str, Any]]
    stage_values: list[StageValue]
    wide_columns: list[str]

    @property
    def unmatched_stages(self) -> list[StageValue]:
        return [v for v in self.stage_values if v.stage is None]


# --------------------------------------------------------------------------- entry points


def read_actuals(
    content: bytes,
    source: str,
    design: Design,
    columns: dict[str, str] | None = None,
    progress: Callable[[float], None] | None = None,
    stage_map: dict[str, str] | None = None,
) -> Actuals:
    """Read an actuals file against `design`; `columns` maps roles to column names, `stage_map`
    maps stage values to stage ids (or MAP_LOST / MAP_IGNORE); `progress(fraction)` is called as
    the work advances. Raise InputError for anything unusable."""
    step = progress or (lambda fraction: None)
    step(0.0)
    raw = read_table(content, source)
    step(0.4)
    roles = _roles(raw, columns)
    matcher = StageMatcher(design, stage_map)
    if roles.shape == "counts":
        from journeymap.actuals.counts import read_counts

        actuals = read_counts(raw, roles, matcher)
    elif roles.shape == "wide":
        from journeymap.actuals.events import read_wide

        actuals = read_wide(raw, roles, matcher)
    else:
        from journeymap.actuals.events import read_events

        actuals = read_events(raw, roles, matcher, step)
    step(1.0)
    return actuals


def inspect_actuals(
    content: bytes,
    source: str,
    design: Design | None = None,
    columns: dict[str, str] | None = None,
    stage_map: dict[str, str] | None = None,
) -> Inspection:
    """Columns, guessed roles, shape and stage values (matched against `design` when given)."""
    raw = read_table(content, source)
    names = raw.table.column_names
    roles = guess_roles(names, columns, source)
    matcher = StageMatcher(design, stage_map) if design is not None else None
    values: list[StageValue] = []
    if roles.wide:
        for column, spellings in roles.wide.items():
            filled = raw.num_rows - raw.table.column(column).null_count
            values.append(_inspected(spellings[-1], filled, matcher, spellings))
    elif "stage" in roles.roles or "new_value" in roles.roles:
        table = raw.table
        if "stage" not in roles.roles and "field" in roles.roles:
            from journeymap.actuals.events import _stage_field_rows

            table, _ = _stage_field_rows(raw, roles)
        column = table.column(roles.roles.get("stage") or roles.roles["new_value"])
        stage_codes, found = labels(column)
        counts = np.bincount(stage_codes[stage_codes >= 0], minlength=len(found))
        order = sorted(range(len(found)), key=lambda i: (-counts[i], found[i]))
        values = [_inspected(found[i], int(counts[i]), matcher, [found[i]]) for i in order]
    return Inspection(
        source=source, kind=raw.kind, encoding=raw.encoding, sheet=raw.sheet, columns=list(names),
        roles=dict(roles.roles), guessed=dict(roles.guessed), shape=roles.shape, rows=raw.num_rows,
        sample=raw.table.slice(0, 5).to_pylist(), stage_values=values, wide_columns=list(roles.wide),
    )


def _inspected(value: str, count: int, matcher: StageMatcher | None, spellings: list[str]) -> StageValue:
    if matcher is None:
        return StageValue(value, count, None)
    code, lost = matcher.first_match(spellings)
    if code >= 0:
        stage = matcher.stages[code].id
    else:
        stage = ":lost" if code == LOST else (":ignore" if code == IGNORED else None)
    return StageValue(value, count, stage)


def _roles(raw: RawTable, columns: dict[str, str] | None) -> ColumnRoles:
    roles = guess_roles(raw.table.column_names, columns, raw.source)
    if raw.num_rows == 0:
        raise InputError(Issue("the file has a header but no data rows", **raw.header_where()))
    if roles.shape is None:
        raise InputError(missing_columns_issue(raw.table.column_names, roles, raw.header_where()))
    return roles
