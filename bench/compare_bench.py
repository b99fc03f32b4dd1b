"""Benchmark: `journeymap compare` on a large event log vs a DuckDB query over the same CSV.

    python bench/compare_bench.py [--deals 750000] [--repeat 3] [--keep DIR]

Generates an event log of about two rows per deal (1.5M rows for 750k deals: リード → アポ獲得 →
商談 → 提案 → 受注 with lost markers, amounts and owners, some deals skipping a stage), then, in the
same run and alternating, times

- `journeymap compare DESIGN CSV --format json` as a whole process (start-up, reading, every
  metric, JSON out), with the peak memory (max RSS) of that process, and
- a DuckDB SQL query that computes only reached and entered per stage from the same CSV
  (connect, read the CSV, aggregate, fetch; in this process),

and prints the median of each, the ratio (target ≤ 1.5×) and the peak memory (target < 1 GiB).
DuckDB is a dev dependency only; journeymap itself never uses it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
STAGES = ["リード", "アポ獲得", "商談", "提案", "受注"]
RATES = [0.5, 0.5, 0.5, 0.4]

DESIGN = """schema_version: 1
id: bench
name: ベンチマーク
owners:
  - {id: sales, name: 自社営業}
phases:
  - id: sales
    name: 営業
    stages:
      - {id: lead, name: {ja: リード, en: Lead}, owner: sales, funnel: true, unit_cost: 100}
      - {id: appointment, name: アポ獲得, funnel: true, target_rate: 0.5, target_days: 14}
      - {id: meeting, name: 商談, funnel: true, target_rate: 0.6, target_days: 14}
      - {id: proposal, name: 提案, funnel: true, target_rate: 0.5, target_days: 21}
      - {id: won, name: 受注, funnel: true, target_rate: 0.4}
kgis:
  - {id: wins, name: 受注件数, target: 40000, stage: won}
  - {id: revenue, name: 受注金額, unit: currency, target: 100000000000, stage: won, value_per_item: 2500000}
"""


def generate(path: Path, deals: int, seed: int = 7) -> int:
    """Write the event log; return its number of rows."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T00:00:00", "s") + rng.integers(0, 180 * 86400, deals).astype("timedelta64[s]")
    furthest = np.zeros(deals, dtype=np.int64)
    alive = np.ones(deals, dtype=bool)
    for i, rate in enumerate(RATES):
        alive &= rng.random(deals) < rate
        furthest[alive] = i + 1
    skip = rng.random(deals) < 0.05  # some deals skip アポ獲得
    parts_deal, parts_stage, parts_ts = [], [], []
    for i in range(len(STAGES)):
        rows = np.flatnonzero((furthest >= i) & ~(skip & (i == 1) & (furthest > 1)))
        parts_deal.append(rows)
        parts_stage.append(np.full(len(rows), i))
        offset = (i * 7 * 86400 + rng.integers(0, 5 * 86400, len(rows))).astype("timedelta64[s]")
        parts_ts.append(start[rows] + offset)
    lost = np.flatnonzero((furthest < len(STAGES) - 1) & (rng.random(deals) < 0.15))
    parts_deal.append(lost)
    parts_stage.append(np.full(len(lost), len(STAGES)))
    parts_ts.append(start[lost] + np.timedelta64(40 * 86400, "s"))
    deal = np.concatenate(parts_deal)
    stage = np.concatenate(parts_stage)
    ts = np.concatenate(parts_ts)
    order = np.argsort(ts, kind="stable")
    deal, stage, ts = deal[order], stage[order], ts[order]
    names = np.array(STAGES + ["失注"], dtype=object)
    owners = np.array([f"担当{i:02d}" for i in range(20)], dtype=object)
    amount = rng.integers(10, 500, deals) * 10000
    ids = np.char.add("OPP-", np.char.zfill(deal.astype(str), 7))
    stamps = np.datetime_as_string(ts, unit="s")
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("deal_id,stage,timestamp,amount,owner\n")
        chunk = 200_000
        for lo in range(0, len(deal), chunk):
            hi = lo + chunk
            lines = [
                f"{i},{s},{t.replace('T', ' ')},{a},{o}\n"
                for i, s, t, a, o in zip(ids[lo:hi], names[stage[lo:hi]], stamps[lo:hi], amount[deal[lo:hi]],
                                         owners[deal[lo:hi] % 20])
            ]
            out.writelines(lines)
    return len(deal)


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _query(csv_path: Path) -> str:
    values = ", ".join(f"('{name}', {i})" for i, name in enumerate(STAGES))
    return f"""
        WITH positions(stage, pos) AS (VALUES {values}),
        events AS (SELECT deal_id, pos FROM read_csv('{csv_path}') JOIN positions USING (stage)),
        furthest AS (SELECT deal_id, max(pos) AS pos FROM events GROUP BY deal_id),
        reached AS (SELECT p.pos, count(*) AS reached FROM positions p JOIN furthest f ON f.pos >= p.pos GROUP BY p.pos),
        entered AS (SELECT pos, count(DISTINCT deal_id) AS entered FROM events GROUP BY pos)
        SELECT pos, reached, entered FROM reached JOIN entered USING (pos) ORDER BY pos
    """


def duckdb_query(csv_path: Path) -> tuple[float, float, list]:
    """(wall seconds, CPU seconds of all threads, rows) of the DuckDB query, in this process."""
    import duckdb

    query = _query(csv_path)
    started, cpu = time.perf_counter(), _cpu_self()
    con = duckdb.connect()
    rows = con.execute(query).fetchall()
    con.close()
    return time.perf_counter() - started, _cpu_self() - cpu, rows


def duckdb_process(csv_path: Path) -> float:
    """Wall seconds of the same query as a whole process (start-up and import included), for context."""
    script = f"import duckdb; duckdb.connect().execute({_query(csv_path)!r}).fetchall()"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", script], check=True)
    return time.perf_counter() - started


def journeymap_compare(design: Path, csv_path: Path, out: Path) -> tuple[float, float, int, str]:
    """(wall seconds, CPU seconds, peak RSS bytes, stdout) of `python -m journeymap compare` as a child process."""
    command = [sys.executable, "-m", "journeymap", "compare", str(design), str(csv_path), "--format", "json"]
    started = time.perf_counter()
    with out.open("wb") as stdout:
        child = subprocess.Popen(command, cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE)
        _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    error = child.stderr.read().decode("utf-8", "replace")
    child.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"journeymap compare failed:\n{error}")
    peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return elapsed, usage.ru_utime + usage.ru_stime, peak, out.read_text(encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deals", type=int, default=750_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="journeymap-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, design = folder / "events.csv", folder / "design.yaml"
    design.write_text(DESIGN, encoding="utf-8")
    started = time.perf_counter()
    rows = generate(csv_path, args.deals)
    print(f"event log: {rows:,} rows, {args.deals:,} deals, {csv_path.stat().st_size / 2**20:.0f} MiB "
          f"(generated in {time.perf_counter() - started:.1f} s)")

    duck_times, duck_cpu, compare_times, compare_cpu, peaks, duck_process = [], [], [], [], [], []
    for _ in range(args.repeat):
        duck_process.append(duckdb_process(csv_path))
        seconds, cpu, duck_rows = duckdb_query(csv_path)
        duck_times.append(seconds)
        duck_cpu.append(cpu)
        seconds, cpu, peak, output = journeymap_compare(design, csv_path, folder / "compare.json")
        compare_times.append(seconds)
        compare_cpu.append(cpu)
        peaks.append(peak)
    result = json.loads(output)
    ours = [(s["reached"], s["entered"]) for s in result["stages"]]
    theirs = [(r, e) for _pos, r, e in duck_rows]
    agree = "agree" if ours == theirs else f"DISAGREE: journeymap {ours} vs duckdb {theirs}"
    duck, ours_time = statistics.median(duck_times), statistics.median(compare_times)
    runs = lambda values: ", ".join(f"{t:.3f}" for t in values)  # noqa: E731
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other work slows both sides)")
    print(f"duckdb query (reached, entered only):  {duck:.3f} s wall, {statistics.median(duck_cpu):.3f} s CPU"
          f"  (runs: {runs(duck_times)})")
    print(f"journeymap compare (whole process):    {ours_time:.3f} s wall, {statistics.median(compare_cpu):.3f} s CPU"
          f"  (runs: {runs(compare_times)})")
    print(f"ratio: {ours_time / duck:.2f}x  (target <= 1.5x)")
    process = statistics.median(duck_process)
    print(f"for context, the DuckDB query as a whole process (python -c, start-up included): {process:.3f} s wall; "
          f"journeymap / that: {ours_time / process:.2f}x")
    print(f"peak memory of journeymap compare: {max(peaks) / 2**20:.0f} MiB  (target < 1024 MiB)")
    print(f"reached/entered per stage: {agree}")
    if not args.keep:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
