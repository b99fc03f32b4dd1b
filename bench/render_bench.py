"""Benchmark: a generated 100-stage design, DOT generation and SVG rendering.

    python bench/render_bench.py [--runs 7] [--stages 100]

Goals (issue 3): DOT generation under 50 ms, SVG under 2 s. Prints the median of several runs.
DOT is measured cold (text-wrapping cache cleared before each run) and warm (as in Present mode,
which redraws the same design once per step).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from journeymap.render import labels, run_dot, to_dot
from tests.render_fixtures import big_design

DOT_GOAL = 0.050
SVG_GOAL = 2.0


def median_time(fn, runs: int, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--stages", type=int, default=100)
    args = parser.parse_args()
    design = big_design(args.stages)
    print(f"design: {len(design.stages)} stages in {len(design.phases)} phases, "
          f"{len(design.funnel_stages)} funnel stages; median of {args.runs} runs")
    failed = False
    for view in ("process", "journey", "funnel"):
        for detail in ("compact", "detailed"):
            cold = median_time(lambda view=view, detail=detail: to_dot(design, view=view, detail=detail), args.runs, labels._lines.cache_clear)
            warm = median_time(lambda view=view, detail=detail: to_dot(design, view=view, detail=detail), args.runs)
            ok = cold < DOT_GOAL
            failed |= not ok
            print(f"DOT {view:8} {detail:9} cold {cold * 1000:6.1f} ms  warm {warm * 1000:6.1f} ms  "
                  f"(goal < {DOT_GOAL * 1000:.0f} ms) {'ok' if ok else 'SLOW'}")
    for view in ("process", "journey", "funnel"):
        text = to_dot(design, view=view)
        svg_runs = max(3, args.runs // 2)
        seconds = median_time(lambda text=text: run_dot(text, "svg"), svg_runs)
        total = seconds + median_time(lambda view=view: to_dot(design, view=view), svg_runs, labels._lines.cache_clear)
        ok = total < SVG_GOAL
        failed |= not ok
        print(f"SVG {view:8} {total:6.2f} s (dot {seconds:.2f} s, {len(run_dot(text, 'svg')) // 1024} KB)  "
              f"(goal < {SVG_GOAL:.0f} s) {'ok' if ok else 'SLOW'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
