"""Reading event logs (one row per deal entering a stage) and HubSpot's wide deal exports.

Called by `actuals.read_actuals`; the definitions of the shapes are in `actuals` and
`actuals_columns`. Large files take the fast path: every column is decoded once into numpy
arrays (the deal ids on a second thread), duplicate rows are looked for only among rows that
share a deal and a stage value.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

import numpy as np

from journeymap.actuals.columns import ColumnRoles, header_key
from journeymap.actuals.stages import (
    IGNORED,
    LOST,
    PAUSED,
    UNMATCHED,
    WON,
    StageMatcher,
    is_lost_marker,
    is_paused_marker,
    is_won_marker,
    no_match_error,
)
from journeymap.actuals.tables import RawTable, row_place
from journeymap.actuals.types import ATTRIBUTES, Actuals, EventLog, StageValue
from journeymap.actuals.values import NAT, codes, duplicate_rows, from_numpy, labels, numbers, timestamps
from journeymap.errors import InputError, Issue
from journeymap.limits import ISSUES_LISTED, VALUES_IN_MESSAGE
from journeymap.model import Localized
from journeymap.text.problems import problem, refuse

if TYPE_CHECKING:
    from concurrent.futures import Future

_STAGE_FIELDS = {header_key(v) for v in ("StageName", "Stage", "dealstage", "ステージ", "フェーズ")}


def _value_list(names: list[str], counts: np.ndarray) -> list[StageValue]:
    order = sorted(range(len(names)), key=lambda i: (-int(counts[i]), names[i]))
    return [StageValue(names[i], int(counts[i])) for i in order if counts[i] > 0]


def _attributes(table, roles: ColumnRoles, rows: np.ndarray | None = None) -> dict[str, tuple[np.ndarray, list[str]]]:
    out = {}
    for role in ATTRIBUTES:
        if role in roles.roles:
            values, names = labels(table.column(roles.roles[role]))
            out[role] = (values if rows is None else values[rows], names)
    return out


def _optional_values(table, roles: ColumnRoles, raw: RawTable, issues: list[Issue]):
    amount = next_action = None
    if "amount" in roles.roles:
        amount, problems = numbers(table.column(roles.roles["amount"]), raw, roles.roles["amount"])
        issues += problems
    if "next_action_date" in roles.roles:
        column = roles.roles["next_action_date"]
        next_action, problems = timestamps(table.column(column), raw, column, required=False)
        issues += problems
    return amount, next_action


# --------------------------------------------------------------------------- the design's records


def record_columns(column_names: list[str], roles: ColumnRoles, design) -> dict[str, str]:
    """Record id → the export's column named like it (its id, or its name in either language), for
    the design's key and required records; columns that already have a role are not records."""
    used = set(roles.roles.values())
    wanted: dict[str, str] = {}
    for stage in design.stages:
        for record in stage.records:
            if record.id and (record.key or record.required):
                name = record.name
                texts = [record.id, *([name.ja, name.en] if isinstance(name, Localized) else [name])]
                for text in texts:
                    if text:
                        wanted.setdefault(header_key(text), record.id)
    out: dict[str, str] = {}
    for column in column_names:
        record_id = wanted.get(header_key(column))
        if column not in used and record_id is not None and record_id not in out:
            out[record_id] = column
    return out


def filled_rows(table, columns: dict[str, str]) -> dict[str, np.ndarray]:
    """Record id → True where the row has a value (not empty, not only spaces) in the record's column."""
    out = {}
    for record_id, column in columns.items():
        values, names = labels(table.column(column))
        blank = np.array([bool(str(v).strip()) for v in names] + [False], dtype=bool)
        out[record_id] = blank[values]
    return out


# --------------------------------------------------------------------------- event logs

OVERLAP_ROWS = 4_000_000
"""Up to this many rows the deal ids are encoded on a second thread while the other columns are
decoded; above it one after the other, so that a 10M-row log stays under 2 GiB."""
THREAD_ROWS = 50_000
"""From this many rows on the second thread pays for itself (below it, starting the thread and
importing concurrent.futures, which imports logging, take longer than the work they overlap)."""


class _Done:
    """A result already computed, with the `result()` of a future."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def _overlap(rows: int):
    """A one-thread pool for the deal ids of a table of `rows` rows, or None to encode them in turn."""
    if not THREAD_ROWS <= rows <= OVERLAP_ROWS:
        return nullcontext(None)
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(1)



def read_events(raw: RawTable, roles: ColumnRoles, matcher: StageMatcher, step) -> Actuals:
    table = raw.table
    origin = "events"
    where = raw
    if "stage" not in roles.roles or ("field" in roles.roles and "new_value" in roles.roles):
        origin = "field_history"
        table, where = stage_field_rows(raw, roles)
    r = roles.roles
    stage_column = r["stage"] if origin == "events" else r["new_value"]
    issues: list[Issue] = []
    with _overlap(table.num_rows) as pool:  # the deal ids take longest to encode: overlap them with the rest
        # (not for a very large table, where encoding the ids alone needs most of the memory to spare)
        deal_job: Future | _Done = pool.submit(codes, table.column(r["deal_id"])) if pool is not None else \
            _Done(codes(table.column(r["deal_id"])))
        value_codes, values = labels(table.column(stage_column))
        matched = [matcher.match(v) for v in values] + [(UNMATCHED, False)]
        code_of = np.array([m[0] for m in matched], dtype=np.int16)
        lost_of = np.array([m[1] for m in matched], dtype=bool)
        stage = code_of[value_codes]
        lost = lost_of[value_codes]
        ts, problems = timestamps(table.column(r["timestamp"]), where, r["timestamp"], required=True)
        issues += problems
        paused = stage == PAUSED
        status_won = None
        if "status" in r:
            status_codes, status_values = labels(table.column(r["status"]))
            status_won = np.array([is_won_marker(v) for v in status_values] + [False], dtype=bool)[status_codes]
            status_lost = np.array([is_lost_marker(v) for v in status_values] + [False], dtype=bool)
            lost |= status_lost[status_codes]
            status_paused = np.array([is_paused_marker(v) for v in status_values] + [False], dtype=bool)
            paused = paused | (status_paused[status_codes] & ~lost)
        attributes = _attributes(table, roles)
        amount, next_action = _optional_values(table, roles, where, issues)
        found = record_columns(table.column_names, roles, matcher.design)
        filled = filled_rows(table, found)
        deal, deal_ids = deal_job.result()
    step(0.6)
    missing = np.flatnonzero(deal < 0)
    issues += [problem("problem.no_deal_id", col=r["deal_id"], **where.where(int(i), r["deal_id"])) for i in missing[:ISSUES_LISTED]]
    parts = _duplicate_parts(table, {r["deal_id"]: deal, stage_column: value_codes, r["timestamp"]: ts},
                             attributes, roles, amount, next_action)
    same_key = deal.astype(np.int64) * (len(values) + 1) + (value_codes + 1)
    issues += [problem("problem.duplicate_event_row." + kind, row=other, **where.where(a))
               for a, b in duplicate_rows(parts, same_key) for kind, other in [row_place(where, b)]]
    step(0.75)
    if issues:
        raise InputError(issues)
    counts = np.bincount(value_codes[value_codes >= 0], minlength=len(values))
    unmatched = _value_list(values, np.where(code_of[:-1] == UNMATCHED, counts, 0))
    empty = int((value_codes < 0).sum())
    if empty:
        unmatched.append(StageValue("", empty))
    ignored = _value_list(values, np.where(code_of[:-1] == IGNORED, counts, 0))
    if not (stage >= 0).any():
        raise no_match_error(matcher, unmatched, raw.source)
    keep = (stage >= 0) | lost | paused | (stage == WON)
    stage = np.where((stage >= 0) | (stage == PAUSED) | (stage == WON), stage, LOST).astype(np.int16)
    step(0.85)
    rows = np.flatnonzero(keep)  # the file rows the events come from
    extra = np.zeros(0, dtype=np.int64)
    if status_won is not None and status_won.any():
        # A won status (Pipedrive's won, 受注 in a 状態 column) is a win at the deal's latest such row:
        # one more event from that row, at the design's won stage (or the one the pipeline adds).
        won_rows = np.flatnonzero(status_won & (deal >= 0))
        won_rows = won_rows[np.lexsort((ts[won_rows], deal[won_rows]))]  # by deal, then time
        last = np.append(deal[won_rows][1:] != deal[won_rows][:-1], True)
        extra = won_rows[last]
    if len(extra):
        rows = np.concatenate([rows, extra])
        more = len(extra)
        stage = np.concatenate([stage[keep], np.full(more, matcher.won_code, dtype=np.int16)])
        lost = np.concatenate([lost[keep], np.zeros(more, dtype=bool)])
        paused = np.concatenate([paused[keep], np.zeros(more, dtype=bool)])
        keep = np.ones(len(stage), dtype=bool)
    pick = (lambda a: a) if keep.all() and len(rows) == len(deal) else (lambda a: a[rows])
    own = (lambda a: a) if len(extra) else pick  # stage, lost, paused are per event already with won rows added
    log = EventLog(
        deal=pick(deal), stage=own(stage), lost=own(lost), ts=pick(ts), deal_ids=deal_ids,
        paused=own(paused) if paused.any() else None,
        attributes={k: (pick(v), names) for k, (v, names) in attributes.items()},
        amount=None if amount is None else pick(amount),
        next_action=None if next_action is None else pick(next_action),
        records={k: pick(v) for k, v in filled.items()}, record_columns=found,
    )
    return Actuals(raw.source, "events", origin, dict(r), raw.num_rows, raw.encoding, unmatched, ignored, events=log)


def stage_field_rows(raw: RawTable, roles: ColumnRoles):
    """Salesforce OpportunityFieldHistory: keep the rows that changed the stage field."""
    values, names = labels(raw.table.column(roles.roles["field"]))
    wanted = np.array([header_key(n) in _STAGE_FIELDS for n in names] + [False], dtype=bool)
    rows = np.flatnonzero(wanted[values])
    if not len(rows):
        found = ", ".join(sorted(set(names))[:VALUES_IN_MESSAGE])
        raise refuse("problem.no_stage_changes", source=raw.source, fields=found)
    return raw.table.take(from_numpy(rows)), _Subset(raw, rows)


class _Subset:
    """Row locations of a filtered table, in terms of the file's rows."""

    def __init__(self, raw: RawTable, rows: np.ndarray):
        self.raw, self.rows, self.kind, self.source = raw, rows, raw.kind, raw.source
        self.date_order, self.notes = raw.date_order, raw.notes

    def where(self, row: int, column: str | None = None) -> dict[str, Any]:
        return self.raw.where(int(self.rows[row]), column)

    def line_of(self, row: int) -> int:
        return self.raw.line_of(int(self.rows[row]))


def _duplicate_parts(table, known: dict[str, np.ndarray], attributes, roles, amount, next_action) -> list:
    """Every column of the file, as the arrays already decoded where there are some."""
    r = roles.roles
    for role, (values, _names) in attributes.items():
        known[r[role]] = values
    if amount is not None:
        known[r["amount"]] = amount
    if next_action is not None:
        known[r["next_action_date"]] = next_action
    return [known.get(name, table.column(name)) for name in table.column_names]


# --------------------------------------------------------------------------- HubSpot wide exports


def read_wide(raw: RawTable, roles: ColumnRoles, matcher: StageMatcher) -> Actuals:
    table, r = raw.table, roles.roles
    issues: list[Issue] = []
    deal, deal_ids = codes(table.column(r["deal_id"]))
    issues += [problem("problem.no_deal_id", col=r["deal_id"], **raw.where(int(i), r["deal_id"]))
               for i in np.flatnonzero(deal < 0)[:ISSUES_LISTED]]
    rows_parts, stage_parts, lost_parts, ts_parts, paused_parts = [], [], [], [], []
    unmatched, ignored = [], []
    dated = {}
    for column, spellings in roles.wide.items():
        ts, problems = timestamps(table.column(column), raw, column, required=False)
        issues += problems
        dated[column] = ts
        present = np.flatnonzero(ts != NAT)
        code, lost = matcher.first_match(spellings)
        if code == UNMATCHED and not lost:
            unmatched.append(StageValue(spellings[-1], len(present)))
            continue
        if code == IGNORED:
            ignored.append(StageValue(spellings[-1], len(present)))
            continue
        rows_parts.append(present)
        stage_parts.append(np.full(len(present), code, dtype=np.int16))
        lost_parts.append(np.full(len(present), lost, dtype=bool))
        paused_parts.append(np.full(len(present), code == PAUSED, dtype=bool))
        ts_parts.append(ts[present])
    amount, next_action = _optional_values(table, roles, raw, issues)
    attributes = _attributes(table, roles)
    found = record_columns(table.column_names, roles, matcher.design)
    found = {k: c for k, c in found.items() if c not in roles.wide}
    filled = filled_rows(table, found)
    parts = _duplicate_parts(table, {r["deal_id"]: deal, **dated}, attributes, roles, amount, next_action)
    issues += [problem("problem.duplicate_deal_row." + kind, row=other, **raw.where(a))
               for a, b in duplicate_rows(parts) for kind, other in [row_place(raw, b)]]
    if issues:
        raise InputError(issues)
    if "stage" in r:  # the current stage: a lost marker there marks the deal lost at its latest date
        _add_current_lost(table.column(r["stage"]), dated, rows_parts, stage_parts, lost_parts, ts_parts)
        paused_parts += [s == PAUSED for s in stage_parts[len(paused_parts):]]
    if not any((s >= 0).any() for s in stage_parts):
        raise no_match_error(matcher, sorted(unmatched, key=lambda v: (-v.count, v.value)), raw.source)
    rows = np.concatenate(rows_parts)
    stage = np.concatenate(stage_parts)
    paused = np.concatenate(paused_parts)
    log = EventLog(
        deal=deal[rows], stage=np.where((stage >= 0) | (stage == PAUSED) | (stage == WON), stage, LOST).astype(np.int16),
        lost=np.concatenate(lost_parts), paused=paused if paused.any() else None,
        ts=np.concatenate(ts_parts), deal_ids=deal_ids,
        attributes={k: (v[rows], names) for k, (v, names) in attributes.items()},
        amount=None if amount is None else amount[rows],
        next_action=None if next_action is None else next_action[rows],
        records={k: v[rows] for k, v in filled.items()}, record_columns=found,
    )
    unmatched.sort(key=lambda v: (-v.count, v.value))
    return Actuals(raw.source, "events", "wide", dict(r), raw.num_rows, raw.encoding, unmatched, ignored, events=log)


def _add_current_lost(column, dated, rows_parts, stage_parts, lost_parts, ts_parts) -> None:
    """A lost (or paused) current stage marks the deal lost (paused) at its latest date."""
    values, names = labels(column)
    for marks, code in ((is_lost_marker, LOST), (is_paused_marker, PAUSED)):
        marked = np.array([marks(n) for n in names] + [False], dtype=bool)
        rows = np.flatnonzero(marked[values])
        if not len(rows) or not dated:
            continue
        latest = np.max(np.vstack([ts[rows] for ts in dated.values()]), axis=0)
        rows, latest = rows[latest != NAT], latest[latest != NAT]
        rows_parts.append(rows)
        stage_parts.append(np.full(len(rows), code, dtype=np.int16))
        lost_parts.append(np.full(len(rows), code == LOST, dtype=bool))
        ts_parts.append(latest)
