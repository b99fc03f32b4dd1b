"""The per-stage facts of an event log, computed with numpy over all deals at once.

Definitions (DESIGN.md "Numbers"), as computed here:

- A deal's **furthest** funnel stage is the latest (in design order) funnel stage it has an
  event at. **reached(s)** counts deals whose furthest stage is s or later, so a deal that
  skipped s still passed it; **entered(s)** counts deals with an event at s. Repeated events of
  a deal at a stage count once; the order of rows in the file does not matter.
- A deal is **lost** when a row marks it lost (a lost-marker stage such as 失注 / Closed Lost, or
  a lost status) and no funnel event of the deal comes after that mark (a reopened deal is
  open again). A deal is **open** when it is not lost and has not reached the last funnel stage.
  Its current stage is its furthest stage; a lost deal dropped out at its furthest stage.
- **Days in stage s**: from the deal's first entry into s to its first entry into a later
  funnel stage at or after that moment; deals that have not moved on yet are not counted.
  Median and p90 (linear interpolation between the closest ranks).
- **Stagnant** at s: open deals whose current stage is s and whose first entry into s is more
  than `target_days` days before the end of the as-of day.
- **No next action**: open deals whose latest next-action date is empty; **overdue** ones have
  a next-action date before the as-of day.
- Per-deal attributes (amount, owner, channel, segment, lost reason, next action) are the
  latest non-empty value of the deal by event time.
- **Cohort** of a deal: the month of its first funnel event.

Events after the end of the as-of day are left out, so `--as-of` replays an earlier date.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from journeymap.actuals.types import DAY, TIME_UNIT, EventLog
from journeymap.actuals.values import NAT
from journeymap.limits import DEAL_IDS_KEPT

DAY_US = DAY  # (one day in the unit of event times: microseconds)
_FAR = np.iinfo(np.int64).max


@dataclass
class Deals:
    """Per-deal arrays of the funnel (N deals, K funnel stages)."""

    furthest: np.ndarray
    """Funnel position of the furthest stage, -1 for a deal with no funnel event (or outside the cohort)."""
    first: np.ndarray
    """(K, N) first entry time per funnel stage and deal, _FAR where never entered."""
    lost: np.ndarray
    open: np.ndarray
    amount: np.ndarray | None
    latest: dict[str, np.ndarray] = field(default_factory=dict)
    """role → per-deal code of the latest value (-1 none)."""
    next_action: np.ndarray | None = None
    paused: np.ndarray | None = None
    """Deals whose latest mark is a pause (中断・保留) with no funnel event after it."""
    marked_at: np.ndarray | None = None
    """Per deal, the time of its first lost or paused mark (NAT: none)."""
    reach: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))
    """(K, N) when the deal first reached each funnel stage (entered it or a later one), _FAR: never."""
    counted: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))
    """(K, N) whether the deal counts as having reached each stage in the comparison's window."""
    returned: np.ndarray | None = None
    """Per deal, the funnel position of its first funnel event after its first mark (-1: none)."""

    def restrict(self, member: np.ndarray) -> None:
        """Leave out the deals where `member` is False (a cohort): they count nowhere."""
        self.furthest = np.where(member, self.furthest, -1).astype(np.int16)
        self.first = np.where(member, self.first, _FAR)
        self.lost &= member
        self.open &= member
        if self.paused is not None:
            self.paused &= member
        if self.marked_at is not None:
            self.marked_at = np.where(member, self.marked_at, NAT)
        self.reach = np.where(member, self.reach, _FAR)
        if self.returned is not None:
            self.returned = np.where(member, self.returned, -1)


@dataclass
class EventFacts:
    deals: Deals
    reached: list[int]
    entered: list[int]
    median_days: list[float | None]
    p90_days: list[float | None]
    first_event: int | None
    last_event: int | None
    reach_all: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))
    """(K, N) reach times of every deal up to the as-of date (before a cohort is chosen)."""


def reach_times(first: np.ndarray) -> np.ndarray:
    """(K, N): when each deal first reached each stage: its earliest entry into that stage or a later one."""
    reach = first.copy()  # (a running minimum from the last stage up, one row at a time: an accumulate
    for i in range(len(reach) - 2, -1, -1):  # along the reversed axis is several times slower)
        np.minimum(reach[i], reach[i + 1], out=reach[i])
    return reach


def deal_arrays(log: EventLog, stage_position: np.ndarray, k: int, until: int | None,
                closed_from: int | None = None) -> Deals:
    """Per-deal furthest stage, entry times, lost, paused and open flags, from events before `until`.

    A deal is open until it reaches funnel position `closed_from` (the first won outcome stage;
    default: the last funnel stage), or is lost or paused."""
    deal, stage, ts, lost_rows = log.deal, log.stage, log.ts, log.lost
    paused_rows = log.paused
    keep = None
    if until is not None and len(ts) and ts.max() >= until:
        keep = ts < until
        deal, stage, ts, lost_rows = deal[keep], stage[keep], ts[keep], lost_rows[keep]
        paused_rows = None if paused_rows is None else paused_rows[keep]
    n = log.n_deals
    lookup = np.concatenate([np.full(4, -1), stage_position]).astype(np.int16)  # stage codes start at PAUSED = -4
    position = lookup[stage + 4]
    in_funnel = position >= 0
    if in_funnel.all():
        fdeal, fpos, fts = deal, position, ts
    else:
        fdeal, fpos, fts = deal[in_funnel], position[in_funnel], ts[in_funnel]
    first = np.full(k * n, _FAR, dtype=np.int64)
    key = fpos.astype(np.int64) * n + fdeal
    first[key] = fts  # one time per deal and stage (the usual case) needs no minimum:
    if len(key) and not (first[key] == fts).all():  # every event reads back its own time
        first.fill(_FAR)
        np.minimum.at(first, key, fts)
    first_by_stage = first.reshape(k, n)
    furthest = np.full(n, -1, dtype=np.int16)
    for i in range(k):
        furthest[first_by_stage[i] != _FAR] = i
    lost, paused, marked_at = _states(deal, ts, lost_rows, paused_rows, fdeal, fts, n)
    is_open = (furthest >= 0) & ~lost & (furthest < (k - 1 if closed_from is None else closed_from))
    if paused is not None:
        is_open &= ~paused
    latest_any = latest_rows(deal, ts, None, n)
    amount = None
    if log.amount is not None:
        amounts = log.amount if keep is None else log.amount[keep]
        pick = _latest_valid(deal, ts, ~np.isnan(amounts), latest_any, n)
        amount = np.where(pick >= 0, amounts[np.maximum(pick, 0)], np.nan)
    latest = {}
    for role, (values, _names) in log.attributes.items():
        values = values if keep is None else values[keep]
        pick = _latest_valid(deal, ts, values >= 0, latest_any, n)
        latest[role] = np.where(pick >= 0, values[np.maximum(pick, 0)], -1)
    next_action = None
    if log.next_action is not None:
        values = log.next_action if keep is None else log.next_action[keep]
        pick = _latest_valid(deal, ts, values != NAT, latest_any, n)
        next_action = np.where(pick >= 0, values[np.maximum(pick, 0)], NAT)
    deals = Deals(furthest, first_by_stage, lost, is_open, amount, latest, next_action, paused, marked_at)
    deals.reach = reach_times(first_by_stage)
    if marked_at is not None:
        deals.returned = _returned(marked_at, fdeal, fpos, fts, n)
    return deals


def _returned(marked_at, fdeal, fpos, fts, n: int) -> np.ndarray:
    """Per deal, the funnel position of its first funnel event after its first mark (-1: none)."""
    rows = np.flatnonzero((marked_at != NAT)[fdeal])  # the events of marked deals (usually a few)
    rows = rows[fts[rows] > marked_at[fdeal[rows]]]
    out = np.full(n, -1, dtype=np.int64)
    if not len(rows):
        return out
    back_at = np.full(n, _FAR, dtype=np.int64)
    np.minimum.at(back_at, fdeal[rows], fts[rows])
    rows = rows[fts[rows] == back_at[fdeal[rows]]]
    np.maximum.at(out, fdeal[rows], fpos[rows].astype(np.int64))
    return out


def recovered(deals: Deals) -> tuple[np.ndarray, np.ndarray] | None:
    """(deals that came back after a pause or a loss, the funnel position they came back at)."""
    if deals.returned is None:
        return None
    return deals.returned >= 0, deals.returned


def _states(deal, ts, lost_rows, paused_rows, fdeal, fts, n: int):
    """(lost, paused or None, time of the first lost/paused mark or None) per deal.

    Lost: a lost mark that no later funnel event reopened (and no later pause). Paused: a pause
    mark that no later funnel event or lost mark followed (a lost mark at the same moment wins)."""
    any_paused = paused_rows is not None and paused_rows.any()
    if not lost_rows.any() and not any_paused:
        return np.zeros(n, dtype=bool), None, None
    marks = lost_rows | paused_rows if any_paused else lost_rows
    marked = np.zeros(n, dtype=bool)
    marked[deal[marks]] = True
    mine = marked[fdeal]
    last_funnel = np.full(n, NAT, dtype=np.int64)
    np.maximum.at(last_funnel, fdeal[mine], fts[mine])
    lost_at = np.full(n, NAT, dtype=np.int64)
    np.maximum.at(lost_at, deal[lost_rows], ts[lost_rows])
    marked_at = np.full(n, _FAR, dtype=np.int64)
    np.minimum.at(marked_at, deal[marks], ts[marks])
    marked_at[~marked] = NAT
    has_lost = np.zeros(n, dtype=bool)
    has_lost[deal[lost_rows]] = True
    paused = None
    lost = has_lost & (lost_at >= last_funnel)
    if any_paused:
        paused_at = np.full(n, NAT, dtype=np.int64)
        np.maximum.at(paused_at, deal[paused_rows], ts[paused_rows])
        has_paused = np.zeros(n, dtype=bool)
        has_paused[deal[paused_rows]] = True
        paused = has_paused & (paused_at >= last_funnel) & (paused_at > lost_at)
        lost &= ~paused
    return lost, paused, marked_at


def latest_rows(deal: np.ndarray, ts: np.ndarray, valid: np.ndarray | None, n: int) -> np.ndarray:
    """Per deal, the row of its latest valid event (the later row on a tie); -1 when none."""
    if valid is None:
        rows = np.arange(len(deal), dtype=np.int64)
        pick = np.full(n, -1, dtype=np.int64)
        if len(ts) and (ts[1:] >= ts[:-1]).all():  # rows in time order (the usual export): the last row wins
            np.maximum.at(pick, deal, rows)
            return pick
        d, t = deal, ts
    else:
        rows = np.flatnonzero(valid)
        d, t = deal[rows], ts[rows]
    best = np.full(n, NAT, dtype=np.int64)
    np.maximum.at(best, d, t)
    at_best = t == best[d]
    pick = np.full(n, -1, dtype=np.int64)
    np.maximum.at(pick, d[at_best], rows[at_best])
    return pick


def _latest_valid(deal, ts, valid: np.ndarray, latest_any: np.ndarray, n: int) -> np.ndarray:
    """`latest_rows` for `valid` rows, starting from each deal's latest row (usually it has the value)."""
    has_row = latest_any >= 0
    pick = np.where(has_row & valid[np.maximum(latest_any, 0)], latest_any, -1)
    need = has_row & (pick < 0)
    if need.any():
        rows = np.flatnonzero(valid & need[deal])
        if len(rows):
            found = latest_rows(deal[rows], ts[rows], None, n)
            pick = np.where(need & (found >= 0), rows[np.maximum(found, 0)], pick)
    return pick


def event_facts(log: EventLog, stage_position: np.ndarray, k: int, until: int | None,
                window: tuple[int, int] | None = None, basis: str = "activity",
                closed_from: int | None = None) -> EventFacts:
    """The per-stage facts; `window` (start, end exclusive; microseconds) chooses what counts:

    - no window: every deal, by its furthest stage;
    - `activity`: a deal counts at stage s when it first reached s (entered s or a later stage)
      inside the window; entered(s) when its first entry into s is inside it;
    - `cohort`: only the deals whose first funnel event is inside the window, followed to `until`.
    """
    deals = deal_arrays(log, stage_position, k, until, closed_from)
    reach_all = deals.reach
    lo: int | None = None
    if window is not None and basis == "cohort":
        member = (reach_all[0] >= window[0]) & (reach_all[0] < window[1])
        deals.restrict(member)
    if window is not None and basis == "activity":
        lo, hi = window
        deals.counted = (deals.reach >= lo) & (deals.reach < hi)
        entered = ((deals.first >= lo) & (deals.first < hi)).sum(axis=1)
    else:
        deals.counted = deals.reach != _FAR
        entered = (deals.first != _FAR).sum(axis=1)
    reached = deals.counted.sum(axis=1)
    median, p90 = days_in_stage(deals.first, lo)
    ts = log.ts if until is None else log.ts[log.ts < until]
    return EventFacts(
        deals=deals,
        reached=[int(x) for x in reached],
        entered=[int(x) for x in entered],
        median_days=median,
        p90_days=p90,
        first_event=int(ts.min()) if len(ts) else None,
        last_event=int(ts.max()) if len(ts) else None,
        reach_all=reach_all,
    )


def days_in_stage(first: np.ndarray, since: int | None = None) -> tuple[list[float | None], list[float | None]]:
    """Median and p90 days from first entry into each stage to the first later-stage entry after it
    (only entries from `since` on, when given)."""
    k = first.shape[0]
    median: list[float | None] = [None] * k
    p90: list[float | None] = [None] * k
    for i in range(k - 1):
        rows = np.flatnonzero((first[i] != _FAR) & (first[i] >= since) if since is not None else first[i] != _FAR)
        entry = first[i, rows]
        exit_at = np.full(len(rows), _FAR, dtype=np.int64)
        for j in range(i + 1, k):
            later = first[j, rows]
            np.minimum(exit_at, np.where(later >= entry, later, _FAR), out=exit_at)
        done = exit_at != _FAR
        if done.any():
            days = (exit_at[done] - entry[done]) / DAY_US
            median[i], p90[i] = (float(x) for x in np.percentile(days, [50, 90]))
    return median, p90


def stagnant(deals: Deals, i: int, target_days: float | None, as_of_end: int) -> tuple[int, np.ndarray]:
    """(count, deal codes, longest in stage first) of open deals stuck at position i."""
    if target_days is None:
        return 0, np.zeros(0, dtype=np.int64)
    here = np.flatnonzero(deals.open & (deals.furthest == i))
    age = (as_of_end - deals.first[i, here]) / DAY_US
    stuck = age > target_days
    codes, ages = here[stuck], age[stuck]
    order = np.lexsort((codes, -ages))
    return len(codes), codes[order]


def next_actions(deals: Deals, i: int, as_of_start: int) -> tuple[int, int] | tuple[None, None]:
    """(open deals at i without a next action, open deals at i whose next action is overdue)."""
    if deals.next_action is None:
        return None, None
    here = deals.open & (deals.furthest == i)
    values = deals.next_action[here]
    return int((values == NAT).sum()), int(((values != NAT) & (values < as_of_start)).sum())


def paused_by_stage(deals: Deals, k: int) -> list[int] | None:
    if deals.paused is None:
        return None
    return [int(x) for x in np.bincount(deals.furthest[deals.paused & (deals.furthest >= 0)], minlength=k)]


def lost_by_stage(deals: Deals, k: int) -> list[int]:
    where = deals.furthest[deals.lost & (deals.furthest >= 0)]
    return [int(x) for x in np.bincount(where, minlength=k)]


def open_by_stage(deals: Deals, k: int) -> list[int]:
    return [int(x) for x in np.bincount(deals.furthest[deals.open], minlength=k)]


def drop_reasons(deals: Deals, i: int, names: list[str]) -> list[tuple[str | None, int]]:
    """(reason or None when empty, lost deals) for lost deals that dropped out at position i."""
    codes = deals.latest["lost_reason"][deals.lost & (deals.furthest == i)]
    counts = np.bincount(codes + 1, minlength=len(names) + 1)
    out = [(names[j - 1] if j else None, int(c)) for j, c in enumerate(counts) if c]
    return sorted(out, key=lambda x: (-x[1], x[0] is None, x[0] or ""))


def grouped(deals: Deals, group: np.ndarray, n_groups: int, k: int) -> dict[str, np.ndarray]:
    """Per group (codes 0..n_groups-1, -1 = none → last row): deals, reached per stage, lost, open
    (revenue per group is `revenue_by_group`)."""
    g = np.where(group >= 0, group, n_groups)
    counted = deals.counted
    member = counted.any(axis=0)
    reached = np.stack([np.bincount(g[counted[i]], minlength=n_groups + 1) for i in range(k)], axis=1)
    return {
        "deals": np.bincount(g[member], minlength=n_groups + 1),
        "reached": reached,
        "lost": np.bincount(g[deals.lost & member], minlength=n_groups + 1),
        "open": np.bincount(g[deals.open & member], minlength=n_groups + 1),
    }


def revenue_by_group(deals: Deals, group: np.ndarray, n_groups: int, kgi_position: int) -> np.ndarray | None:
    if deals.amount is None:
        return None
    g = np.where(group >= 0, group, n_groups)
    won = deals.counted[kgi_position] & ~np.isnan(deals.amount)
    return np.bincount(g[won], weights=deals.amount[won], minlength=n_groups + 1)


def cohort_codes(deals: Deals) -> tuple[np.ndarray, list[str]]:
    """Per deal, the index of the month of its first funnel event (-1 none), and the month labels."""
    start = deals.first.min(axis=0)
    has = start != _FAR
    months = np.full(len(start), -1, dtype=np.int64)
    months[has] = start[has].astype(f"datetime64[{TIME_UNIT}]").astype("datetime64[M]").astype(np.int64)
    if not has.any():
        return months, []
    low = int(months[has].min())
    codes = np.where(has, months - low, -1)
    labels = [str(np.datetime64(low + j, "M")) for j in range(int(months[has].max()) - low + 1)]
    return codes, labels


def deal_ids(log: EventLog, codes: np.ndarray, limit: int = DEAL_IDS_KEPT) -> list[str]:
    # (one by one, not `take`: a handful of ids, and `take` would import pyarrow.compute)
    return [log.deal_id(int(code)) for code in codes[:limit]]


def expected_from(rates: list[float | None], i: int, k: int) -> float:
    """The chance an open deal at position i reaches position k at the actual rates (0 if unknown)."""
    p = 1.0
    for j in range(i + 1, k + 1):
        rate = rates[j]
        if rate is None:
            return 0.0
        p *= rate
    return p


def open_amounts(deals: Deals, k: int) -> tuple[list[float], list[int]]:
    """Per position: the summed amount of open deals and how many open deals have no amount."""
    if deals.amount is None:
        return [0.0] * k, open_by_stage(deals, k)
    has = ~np.isnan(deals.amount)
    total = np.bincount(deals.furthest[deals.open & has], weights=deals.amount[deals.open & has], minlength=k)
    missing = np.bincount(deals.furthest[deals.open & ~has], minlength=k)
    return [float(x) for x in total], [int(x) for x in missing]


def revenue_reached(deals: Deals, position: int) -> float | None:
    if deals.amount is None:
        return None
    won = deals.counted[position] & ~np.isnan(deals.amount)
    return float(deals.amount[won].sum())
