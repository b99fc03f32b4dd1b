"""The array engine's shortcuts against plain references on random logs: the event order of the
actual paths (two sorts in place of a three-key lexsort) and the moves counted from it, compared
with a per-deal Python walk of the definition in `compare/paths.py`."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.actuals.types import EventLog
from journeymap.compare.paths import deal_time_order, designed_edges, kind_of, transitions
from journeymap.designfile.reading import load_design

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def design():
    return load_design(DATA / "actuals_design.yaml")


@given(st.integers(0, 2**32 - 1), st.integers(1, 300), st.sampled_from([3, 6, 40]),
       st.sampled_from(["few", "spread", "extreme", "in order"]), st.sampled_from([None, 2**16, 2**31 - 1]))
@settings(max_examples=80, deadline=None)
def test_deal_time_order_is_lexsort_by_deal_time_stage(seed, n, n_stages, times, deal_codes):
    rng = np.random.default_rng(seed)
    deal = rng.integers(0, deal_codes or max(1, n // 3), n).astype(np.int32)  # (codes past 16 bits: two radix passes)
    stage = rng.integers(0, n_stages, n).astype(np.int64)
    if times in ("few", "in order"):  # many ties: the stage and then the row order decide
        ts = rng.integers(0, 4, n).astype(np.int64)
    elif times == "spread":
        ts = rng.integers(-(10**15), 10**15, n).astype(np.int64)
    else:  # year 1 to 9999 in microseconds: too wide to share a key with the stage
        ts = rng.choice(np.array([-62_135_596_800 * 10**6, 0, 253_402_300_799 * 10**6]), n).astype(np.int64)
    if times == "in order":  # rows already by time and stage (an export in time order): the first sort is skipped
        by = np.lexsort((stage, ts))
        ts, stage = ts[by], stage[by]
    assert deal_time_order(deal, ts, stage, n_stages).tolist() == np.lexsort((stage, ts, deal)).tolist()


def reference_moves(design, deal, stage, ts, since=None):
    """Moves per (from, to) counted deal by deal, straight from the definition (on the activity
    basis of a window from `since`: the moves that end at or after it)."""
    events = defaultdict(list)
    for row, (d, s, t) in enumerate(zip(deal.tolist(), stage.tolist(), ts.tolist())):
        if s >= 0:
            events[d].append((t, s, row))
    moves, deals_of = defaultdict(int), defaultdict(set)
    strays, movers = set(), set()
    edges = designed_edges(design)
    for d, rows in events.items():
        path = []  # (stage, time of entry)
        for t, s, _row in sorted(rows):
            if not path or path[-1][0] != s:
                path.append((s, t))
        for (a, _), (b, t) in zip(path, path[1:]):
            if since is not None and t < since:
                continue
            moves[(a, b)] += 1
            deals_of[(a, b)].add(d)
            movers.add(d)
            if kind_of(design, a, b, edges) != "designed":
                strays.add(d)
    stages = design.stages
    return ({(stages[a].id, stages[b].id): (len(deals_of[(a, b)]), n) for (a, b), n in moves.items()},
            len(movers), len(movers) - len(strays))


@given(st.integers(0, 2**32 - 1), st.integers(1, 200))
@settings(max_examples=40, deadline=None)
def test_transitions_match_a_per_deal_walk(design, seed, n):
    rng = np.random.default_rng(seed)
    deal = rng.integers(0, max(1, n // 4), n).astype(np.int32)
    stage = rng.integers(-2, len(design.stages), n).astype(np.int16)  # negative: lost and pause marks
    ts = rng.integers(0, 6, n).astype(np.int64) * 86_400 * 10**6
    log = EventLog(deal=deal, stage=stage, lost=stage < 0, ts=ts, deal_ids=[str(i) for i in range(int(deal.max()) + 1)])
    out, conformance = transitions(design, log, None)
    expected, movers, designed = reference_moves(design, deal, stage, ts)
    assert {(r["from"], r["to"]): (r["deals"], r["moves"]) for r in out} == expected
    assert (conformance["deals"], conformance["designed_path_deals"]) == (movers, designed)


@given(st.integers(0, 2**32 - 1), st.integers(1, 100))
@settings(max_examples=40, deadline=None)
def test_period_slots_are_searchsorted(seed, n_bounds):
    from journeymap.compare.periods import period_slots

    rng = np.random.default_rng(seed)
    bounds = np.sort(rng.choice(np.arange(-50, 50) * 10**6, n_bounds, replace=False))
    times = rng.choice(np.concatenate([bounds, rng.integers(-60, 60, 30) * 10**6, [np.iinfo(np.int64).max]]), (3, 40))
    assert period_slots(bounds, times).tolist() == (np.searchsorted(bounds, times, side="right") - 1).tolist()


@given(st.lists(st.one_of(st.integers(-62_135_596_800 * 10**6, 253_402_300_799 * 10**6),
                          st.sampled_from(["9999-12-31", "1970-01-01", "1900-01-01", "0001-01-01", "9999-01-01", "nat"])),
                max_size=30))
@settings(max_examples=80, deadline=None)
def test_no_date_markers_are_the_days_of_the_markers(values):
    from journeymap.actuals.values import NAT, NO_DATE_MARKERS, no_date_markers

    day = 86_400 * 10**6
    marker_days = {int(np.datetime64(d, "D").astype(np.int64)) for d in NO_DATE_MARKERS}
    year_9999 = int(np.datetime64("9999-01-01", "D").astype(np.int64))
    times = np.array([NAT if v == "nat" else int(np.datetime64(v, "us").astype(np.int64)) + 3_600 * 10**6
                      if isinstance(v, str) else v for v in values], dtype=np.int64)
    expected = [t != NAT and (t // day in marker_days or t // day >= year_9999) for t in times.tolist()]
    assert no_date_markers(times).tolist() == expected


@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(0, 50))
@settings(max_examples=40, deadline=None)
def test_reach_times_are_the_running_minimum_from_the_last_stage(seed, k, n):
    from journeymap.compare.deals import reach_times

    never = np.iinfo(np.int64).max  # (a stage never entered)
    rng = np.random.default_rng(seed)
    first = np.where(rng.random((k, n)) < 0.4, never, rng.integers(0, 100, (k, n))).astype(np.int64)
    expected = [[min(first[j, d] for j in range(i, k)) for d in range(n)] for i in range(k)]
    assert reach_times(first).tolist() == expected


@given(st.integers(0, 2**32 - 1), st.integers(1, 200))
@settings(max_examples=40, deadline=None)
def test_returned_is_the_first_funnel_event_after_the_first_mark(seed, n):
    """`_returned` (the events of marked deals only) against a per-deal walk of its definition."""
    from journeymap.actuals.values import NAT
    from journeymap.compare.deals import _returned

    rng = np.random.default_rng(seed)
    deals = max(1, n // 4)
    fdeal = rng.integers(0, deals, n).astype(np.int32)
    fpos = rng.integers(0, 5, n).astype(np.int16)
    fts = rng.integers(0, 20, n).astype(np.int64)
    marked_at = np.where(rng.random(deals) < 0.5, rng.integers(0, 20, deals), NAT).astype(np.int64)
    expected = []
    for d in range(deals):
        after = [(t, p) for dd, p, t in zip(fdeal.tolist(), fpos.tolist(), fts.tolist())
                 if dd == d and marked_at[d] != NAT and t > marked_at[d]]
        first = min((t for t, _ in after), default=None)
        expected.append(max((p for t, p in after if t == first), default=-1))
    assert _returned(marked_at, fdeal, fpos, fts, deals).tolist() == expected


@given(st.integers(0, 2**32 - 1), st.integers(1, 200), st.sampled_from([1, 3, 1000]))
@settings(max_examples=60, deadline=None)
def test_first_entry_per_deal_and_stage_is_the_earliest_time(seed, n, times):
    """`deal_arrays.first` (a plain write when each deal and stage has one time, a minimum otherwise)
    against the earliest time of each deal at each funnel stage, with repeated rows of equal and of
    different times."""
    from journeymap.compare.deals import deal_arrays

    rng = np.random.default_rng(seed)
    deals, k = max(1, n // 3), 4
    deal = rng.integers(0, deals, n).astype(np.int32)
    stage = rng.integers(0, k, n).astype(np.int16)
    ts = rng.integers(0, times, n).astype(np.int64)
    log = EventLog(deal=deal, stage=stage, lost=np.zeros(n, dtype=bool), ts=ts, deal_ids=[str(i) for i in range(deals)])
    first = deal_arrays(log, np.arange(k), k, None).first
    never = np.iinfo(np.int64).max
    expected = [[min((t for d, s, t in zip(deal.tolist(), stage.tolist(), ts.tolist()) if (d, s) == (who, i)), default=never)
                 for who in range(deals)] for i in range(k)]
    assert first.tolist() == expected


@given(st.lists(st.integers(0, 40), max_size=60))
def test_repeats_tells_a_value_seen_twice(values):
    from journeymap.actuals.values import repeats

    key = np.array(values, dtype=np.int64)
    assert (repeats(key) if len(key) else False) == (len(set(values)) < len(values))


@given(st.integers(0, 2**32 - 1), st.integers(1, 200), st.integers(0, 6))
@settings(max_examples=40, deadline=None)
def test_transitions_in_a_window_count_the_moves_that_end_in_it(design, seed, n, first_day):
    from types import SimpleNamespace

    rng = np.random.default_rng(seed)
    deal = rng.integers(0, max(1, n // 4), n).astype(np.int32)
    stage = rng.integers(-2, len(design.stages), n).astype(np.int16)
    day = 86_400 * 10**6
    ts = rng.integers(0, 6, n).astype(np.int64) * day
    log = EventLog(deal=deal, stage=stage, lost=stage < 0, ts=ts, deal_ids=[str(i) for i in range(int(deal.max()) + 1)])
    window = SimpleNamespace(start_us=first_day * day)  # (from day 0, the first possible event: every move)
    out, conformance = transitions(design, log, None, window, "activity")
    expected, movers, designed = reference_moves(design, deal, stage, ts, since=first_day * day)
    assert {(r["from"], r["to"]): (r["deals"], r["moves"]) for r in out} == expected
    assert (conformance["deals"], conformance["designed_path_deals"]) == (movers, designed)
