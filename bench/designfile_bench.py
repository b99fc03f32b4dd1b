"""Benchmark: reading a design file — PyYAML's pure-Python composer against libyaml's, in one run.

    python bench/designfile_bench.py [--runs 30] [--file process_library/b2b-standard.yaml]

Goal (issues 9 and 17): b2b-standard parsed and validated in ≤ 10 ms (it took 48–57 ms with the
pure-Python composer). Each step is the median of several runs, so a busy machine shows less; both
loaders run the same steps on the same text, side by side. The C loader is what the app uses
whenever libyaml is installed (`yaml.__with_libyaml__`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from journeymap.designfile import yaml_loader
from journeymap.designfile.reading import design_from_data

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 10.0
BEFORE_MS = "48–57"


def median_ms(fn, runs: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--file", type=Path, default=ROOT / "process_library" / "b2b-standard.yaml")
    args = parser.parse_args()
    text = args.file.read_text("utf-8")
    source = str(args.file)
    # label → (composer, what `load_yaml` is told: the pure loader forced, or the app's default path)
    loaders: dict[str, tuple[type, type | None]] = {"pure Python (SafeLoader)": (yaml_loader.PURE_LOADER, yaml_loader.PURE_LOADER)}
    if yaml_loader.FAST_LOADER is not None:
        loaders["libyaml (CSafeLoader)"] = (yaml_loader.FAST_LOADER, None)
    else:
        print("libyaml is not installed: only the pure-Python loader can be measured")

    rows = []
    for label, (loader, chosen) in loaders.items():
        compose = median_ms(lambda loader=loader: yaml.compose(text, Loader=loader), args.runs)
        node = yaml.compose(text, Loader=loader)
        build = median_ms(lambda node=node: yaml_loader.to_data(node, source), args.runs)
        data, positions = yaml_loader.to_data(node, source)
        validate = median_ms(lambda data=data, positions=positions: design_from_data(data, positions, source), args.runs)
        total = median_ms(lambda chosen=chosen: design_from_data(*yaml_loader.load_yaml(text, source, chosen), source), args.runs)
        rows.append((label, compose, build, validate, total))

    print(f"{args.file.name}: {len(text.encode('utf-8')):,} bytes, median of {args.runs} runs (ms);"
          " total = read + validate as the app does it")
    print(f"{'loader':<28}{'compose':>9}{'to data':>9}{'validate':>10}{'total':>8}")
    for label, compose, build, validate, total in rows:
        print(f"{label:<28}{compose:>9.1f}{build:>9.1f}{validate:>10.1f}{total:>8.1f}")
    if len(rows) == 2:
        print(f"speed-up: {rows[0][4] / rows[1][4]:.1f}×")
    best = rows[-1][4]
    verdict = "met" if best <= GOAL_MS else "NOT met"
    print(f"goal: parsed and validated in ≤ {GOAL_MS:.0f} ms (before: {BEFORE_MS} ms) — {best:.1f} ms, {verdict}")
    largest()
    return 0


def largest() -> None:
    """The largest design accepted (MAX_STAGES stages, MAX_TRANSITIONS transitions): read, checked and
    drawn as SVG, against issue 13's bound of 10 s for any accepted input."""
    from journeymap.designfile.reading import parse_design_text
    from journeymap.model import MAX_STAGES, MAX_TRANSITIONS
    from journeymap.render import render
    from tests.test_bounds import _wide_design

    text = _wide_design(MAX_STAGES, MAX_TRANSITIONS)
    start = time.perf_counter()
    design = parse_design_text(text, "largest.yaml")
    read = time.perf_counter() - start
    start = time.perf_counter()
    svg = render(design, "svg")
    drawn = time.perf_counter() - start
    print(f"largest accepted design ({MAX_STAGES} stages, {MAX_TRANSITIONS:,} transitions, "
          f"{len(text.encode('utf-8')) / 1024:,.0f} KB): read and checked {read:.2f} s, drawn as SVG "
          f"{drawn:.2f} s ({len(svg) / 1024:,.0f} KB) — bound 10 s, {'met' if read + drawn <= 10 else 'NOT met'}")


if __name__ == "__main__":
    raise SystemExit(main())
