"""The values actuals reading produces: an event log or stage counts, with the stage values
found. A leaf: every reader in this package builds these, and compare reads them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

TIME_UNIT: Final = "us"
"""Event times are int64 microseconds since 1970-01-01: every year from 1 to 9999 fits (nanoseconds
would wrap around after 2262-04-11 and turn 2999-01-10 into 1829)."""
DAY = 86_400 * 10**6
"""One day in TIME_UNIT."""

ATTRIBUTES = ("owner", "channel", "segment", "lost_reason", "temperature")
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
    """Index into `design.stages`, LOST for a row that only marks its deal lost, PAUSED for a pause mark,
    or WON for a row at the won stage the pipeline adds (`actuals.stages.WON`)."""
    lost: np.ndarray
    """True where the row marks the deal lost (a lost-marker stage or a lost status)."""
    ts: np.ndarray
    """int64 microseconds (TIME_UNIT)."""
    deal_ids: Any
    """A pyarrow string array: the id of deal code i is `deal_ids[i]` (see `deal_id`)."""
    attributes: dict[str, tuple[np.ndarray, list[str]]] = field(default_factory=dict)
    """role → (per-event codes, -1 where empty; the distinct values)."""
    amount: np.ndarray | None = None
    next_action: np.ndarray | None = None
    paused: np.ndarray | None = None
    """True where the row marks the deal paused (中断・保留: a paused stage or status); None when no row does.
    A row that only marks a pause has the stage code PAUSED."""
    records: dict[str, np.ndarray] = field(default_factory=dict)
    """Record id → True where the row fills that record: a column named like one of the design's key
    or required records (its id or name), when the export has one."""
    record_columns: dict[str, str] = field(default_factory=dict)
    """Record id → the export's column it was read from."""

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
    notes: list[Any] = field(default_factory=list)
    """Issues worth a warning that did not stop the reading ("no date" markers read as empty, a
    file that mixes encodings), each with its file and line or cell."""


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
