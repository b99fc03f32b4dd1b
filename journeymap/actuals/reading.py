"""Actual funnel data in: a CRM export (CSV, TSV or Excel) read against a design.

Two shapes, recognised from the columns (see `columns`):

- an **event log**, one row per deal entering a stage (`deal_id, stage, timestamp[, amount, owner,
  channel, segment, status, lost_reason, next_action_date]`) — Salesforce OpportunityHistory
  (or OpportunityFieldHistory rows of the StageName field), XES-style logs, Japanese exports,
  and HubSpot's wide deal exports (one "Date entered <stage>" column per stage) turned into one;
- a **stage-count table** (`stage, count[, period, segment, cost]`).

Stage values are matched to the design by `stages.StageMatcher`. Values that match nothing
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

import numpy as np

from journeymap.actuals.columns import ColumnRoles, guess_roles, missing_columns_issue
from journeymap.actuals.counts import read_counts
from journeymap.actuals.events import read_events, read_wide, stage_field_rows
from journeymap.actuals.stages import IGNORED, LOST, PAUSED, WON, StageMatcher
from journeymap.actuals.tables import RawTable, read_table
from journeymap.actuals.types import Actuals, Inspection, StageValue
from journeymap.actuals.values import labels
from journeymap.errors import InputError
from journeymap.model import Design
from journeymap.text.problems import refuse

# --------------------------------------------------------------------------- entry points


def read_actuals(
    content: bytes | Callable[[], bytes],
    source: str,
    design: Design,
    columns: dict[str, str] | None = None,
    progress: Callable[[float], None] | None = None,
    stage_map: dict[str, str] | None = None,
    date_order: str | None = None,
) -> Actuals:
    """Read an actuals file against `design`; `columns` maps roles to column names, `stage_map`
    maps stage values to stage ids (or MAP_WON / MAP_LOST / MAP_PAUSED / MAP_IGNORE); `date_order` ('dmy' or 'mdy') reads
    dates such as 03/04/2024 that no value of their column decides (else `AmbiguousDates`);
    `progress(fraction)` is called as the work advances. Raise InputError for anything unusable;
    warnings are in the result's `notes`.

    `content` may be a function that returns the bytes (and can return them again): then the
    bytes are let go once they are parsed, and read again only to find a line number for an
    error; a large file's bytes and its table are not held in memory both at once."""
    step = progress or (lambda fraction: None)
    step(0.0)
    if callable(content):
        load = content
        raw = read_table(load(), source)
        raw.release(load)
    else:
        raw = read_table(content, source)
    raw.date_order = date_order
    step(0.4)
    roles = _roles(raw, columns)
    matcher = StageMatcher(design, stage_map)
    if roles.shape == "counts":
        actuals = read_counts(raw, roles, matcher)
    elif roles.shape == "wide":
        actuals = read_wide(raw, roles, matcher)
    else:
        actuals = read_events(raw, roles, matcher, step)
    actuals.notes = list(raw.notes)
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
            table, _ = stage_field_rows(raw, roles)
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
    code, _lost = matcher.first_match(spellings)
    stage: str | None
    if code >= 0:
        stage = matcher.stages[code].id
    else:
        stage = {LOST: ":lost", IGNORED: ":ignore", PAUSED: ":paused", WON: ":won"}.get(code)
    return StageValue(value, count, stage)


def _roles(raw: RawTable, columns: dict[str, str] | None) -> ColumnRoles:
    roles = guess_roles(raw.table.column_names, columns, raw.source)
    if raw.num_rows == 0:
        raise refuse("problem.header_only", **raw.header_where())
    if roles.shape is None:
        raise InputError(missing_columns_issue(raw.table.column_names, roles, raw.header_where()))
    return roles
