"""Benchmark: the fuzz test of the design readers, run long.

    python bench/fuzz_bench.py [--examples 2000] [--seed 1] [--formats yaml,json,xlsx]

Mutated real templates (`tests/fuzzing.py`) are read by the reader the app and the CLI use. Prints,
per format: how many were read and how many refused, the slowest read, and every example that
raised anything but our InputError or named no place (file and line, or cell) — there should be
none. The suite runs the same check over 60 YAML, 60 JSON and 20 xlsx examples.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from journeymap.errors import InputError
from tests.fuzzing import examples, read
from tests.test_fuzz_readers import placed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--formats", default="yaml,json,xlsx")
    args = parser.parse_args()
    failures = 0
    for fmt in args.formats.split(","):
        read_ok = refused = 0
        slowest = (0.0, "")
        for example in examples(args.seed, args.examples, (fmt,)):
            start = time.perf_counter()
            try:
                answer = read(example)
            except Exception:
                failures += 1
                print(f"TRACEBACK {example.name}:\n{traceback.format_exc()}")
                continue
            took = time.perf_counter() - start
            slowest = max(slowest, (took, example.name))
            if isinstance(answer, InputError):
                refused += 1
                unplaced = [str(i) for i in answer.issues if not placed(i, example)]
                if unplaced:
                    failures += 1
                    print(f"NO PLACE {example.name}: {unplaced}")
            else:
                read_ok += 1
        print(f"{fmt}: {args.examples} examples, {read_ok} read, {refused} refused; "
              f"slowest read {slowest[0] * 1000:.0f} ms ({slowest[1]})")
    print(f"failures (a traceback, or a message without its place): {failures}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
