"""compare's core figures against an independent implementation of the same definitions: the SQL
the bench times DuckDB with (`bench/compare_bench.py`), on event logs generated as the bench
generates its 1.5M-row one. Reached, entered, days in stage (median, p90), open and lost deals, the
moves between stages, reached per month, and deals, won, open, lost and won revenue per cohort
month and per owner must all agree; the bench's speed comparison means nothing otherwise."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from journeymap.cli.main import main

BENCH = Path(__file__).resolve().parents[1] / "bench" / "compare_bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("compare_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_compare_agrees_with_duckdb_on_the_bench_log(bench, tmp_path, capsys, seed):
    csv_path, design = tmp_path / "events.csv", tmp_path / "design.yaml"
    design.write_text(bench.DESIGN, encoding="utf-8")
    rows = bench.generate(csv_path, 4000, seed=seed)
    assert main(["compare", str(design), str(csv_path), "--format", "json"]) == 0
    ours = bench._ours(json.loads(capsys.readouterr().out))
    _wall, _cpu, theirs = bench.duckdb_same_figures(csv_path)
    assert rows > 4000 and ours["deals"][0] == 4000
    assert ours["transitions"] and ours["periods"] and len(ours["owners"]) == 20  # the figures are not empty
    assert ours["deals"][2] > 0 and any(to - start > 1 for start, to in ours["transitions"])  # lost deals, a skip
    assert bench.agreement(ours, theirs) == "agree", {k: (ours[k], theirs[k]) for k in ours if ours[k] != theirs[k]}


def test_the_agreement_check_sees_a_difference(bench):
    figures = {"reached": [3, 1], "entered": [3, 1], "days": [[1.0, 2.0]], "deals": [3, 1, 1], "transitions": {(0, 1): (1, 1)},
               "periods": {("2024-01", 0): 3}, "cohorts": {"2024-01": [3, 1, 1, 1, 0]}, "owners": {"a": [3, 1, 1, 1, 0]}}
    assert bench.agreement(figures, dict(figures)) == "agree"
    assert bench.agreement(figures, figures | {"days": [[1.0 + 1e-9, 2.0]]}) == "agree"  # (quantiles as floats)
    assert bench.agreement(figures, figures | {"days": [[1.0, 2.5]]}) == "DISAGREE on days"
    assert bench.agreement(figures, figures | {"owners": {"a": [3, 1, 1, 0, 0]}}) == "DISAGREE on owners"
