"""Actual paths against the designed process: the moves deals made between stages.

A **move** is a pair of consecutive stage entries of one deal (by time; events at the same moment
in design order; a repeated entry into the same stage is not a move). Lost and pause marks are
not stages and make no moves. A move is **designed** when the process diagram draws that edge: the
next stage in design order, the next funnel stage, or one of the design's `transitions`. The
others are counted apart:

- **skip**: forward to a funnel stage past the next one;
- **backward**: to an earlier stage;
- **outside**: forward into a stage outside the funnel that the design does not lead to.

Per pair, `deals` counts the deals that made that move (once each) and `moves` every move.
`conformance.designed_path_share` = deals whose every move is designed ÷ deals with at least one
move. On the activity basis the moves that ended inside the window count; on the cohort basis
every move of the cohort's deals up to the as-of date.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from journeymap.actuals.types import EventLog
from journeymap.model import Design

KINDS = ("designed", "skip", "backward", "outside")


def designed_edges(design: Design) -> set[tuple[str, str]]:
    stages = design.stages
    edges = {(a.id, b.id) for a, b in zip(stages, stages[1:])}
    funnel = design.funnel_stages
    edges |= {(a.id, b.id) for a, b in zip(funnel, funnel[1:])}
    edges |= {(t.from_, t.to) for t in design.transitions}
    return edges


def kind_of(design: Design, a: int, b: int, designed: set[tuple[str, str]]) -> str:
    stages = design.stages
    if (stages[a].id, stages[b].id) in designed:
        return "designed"
    if b < a:
        return "backward"
    return "skip" if stages[b].funnel and stages[a].funnel else "outside"


def add_transitions(result, design: Design, log: EventLog, until: int | None, window, basis: str, facts) -> None:
    moves = transitions(design, log, until, window, basis, facts.deals.furthest >= 0 if basis == "cohort" else None)
    result.transitions, result.conformance = moves


def transitions(design: Design, log: EventLog, until: int | None, window=None, basis: str = "activity",
                member: np.ndarray | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    keep = log.stage >= 0
    if until is not None:
        keep &= log.ts < until
    if member is not None:
        keep &= member[log.deal]
    rows = np.flatnonzero(keep)
    deal, stage, ts = log.deal[rows], log.stage[rows].astype(np.int64), log.ts[rows]
    # (a window from the first event on, the usual one, leaves every move in: no times to carry along)
    since = window.start_us if window is not None and basis == "activity" and len(ts) and window.start_us > ts.min() \
        else None
    order = deal_time_order(deal, ts, stage, len(design.stages))
    deal, stage = deal[order], stage[order]
    change = np.ones(len(deal), dtype=bool)
    change[1:] = (deal[1:] != deal[:-1]) | (stage[1:] != stage[:-1])  # a repeated entry is no move
    deal, stage = deal[change], stage[change]
    same = deal[1:] == deal[:-1]
    if since is not None:
        same &= ts[order][change][1:] >= since
    src, dst, who = stage[:-1][same], stage[1:][same], deal[1:][same].astype(np.int64)
    s = len(design.stages)
    pair = src * s + dst
    moves = np.bincount(pair, minlength=s * s)
    unique = _distinct_sorted(np.sort(who * (s * s) + pair, kind="stable"))  # `who` is sorted: runs, cheap to sort
    deals = np.bincount(unique % (s * s), minlength=s * s)
    designed = designed_edges(design)
    stages = design.stages
    kinds: dict[int, str] = {}
    out: list[dict[str, Any]] = []
    for key in np.flatnonzero(moves):
        a, b = divmod(int(key), s)
        kind = kind_of(design, a, b, designed)
        kinds[int(key)] = kind
        out.append({"from": stages[a].id, "to": stages[b].id, "deals": int(deals[key]), "moves": int(moves[key]),
                    "designed": kind == "designed", "kind": kind})
    out.sort(key=lambda r: (-r["deals"], r["from"], r["to"]))
    off = np.array([kinds.get(int(k), "designed") != "designed" for k in range(s * s)], dtype=bool)
    movers = _distinct_sorted(who)
    strays = _distinct_sorted(who[off[pair]]) if len(pair) else movers[:0]
    count = {kind: sum(r["moves"] for r in out if r["kind"] == kind) for kind in KINDS}
    conformance = {
        "deals": len(movers),
        "designed_path_deals": int(len(movers) - len(strays)),
        "designed_path_share": (len(movers) - len(strays)) / len(movers) if len(movers) else None,
        "skips": count["skip"],
        "backward": count["backward"],
        "outside": count["outside"],
    }
    return out, conformance


def deal_time_order(deal: np.ndarray, ts: np.ndarray, stage: np.ndarray, n_stages: int) -> np.ndarray:
    """The order of events by deal, then time, then stage (what `np.lexsort((stage, ts, deal))`
    gives), in two plain sorts: events by (time, stage) — skipped when they already are in that
    order, as an export in time order usually is — then by deal and that rank in one int64 key."""
    n = len(deal)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    lo, hi = int(ts.min()), int(ts.max())
    by_time: np.ndarray | None
    if (hi - lo + 1) * max(n_stages, 1) < 2**62:
        key = (ts - lo) * max(n_stages, 1) + stage
        by_time = None if bool((key[1:] >= key[:-1]).all()) else np.argsort(key, kind="stable")
    else:  # times spread over more than the key can hold next to the stage
        by_time = np.lexsort((stage, ts))
    rank = np.arange(n, dtype=np.int64)
    if by_time is not None:
        rank[by_time] = rank.copy()
    return np.argsort(deal.astype(np.int64) * n + rank)


def _distinct_sorted(values: np.ndarray) -> np.ndarray:
    """`np.unique` of an array already in ascending order."""
    if len(values) == 0:
        return values
    first = np.empty(len(values), dtype=bool)
    first[0] = True
    np.not_equal(values[1:], values[:-1], out=first[1:])
    return values[first]
