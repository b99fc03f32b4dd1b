"""Benchmark: `journeymap compare` on a large event log vs a DuckDB query and pm4py over the same CSV.

    python bench/compare_bench.py [--deals 750000] [--repeat 3] [--keep DIR]
        [--pm4py-python /path/to/venv/bin/python] [--polars-python /path/to/venv/bin/python]
        [--big-rows 10000000] [--xlsx-rows 200000] [--tiny]

Generates an event log of about two rows per deal (1.5M rows for 750k deals: リード → アポ獲得 →
商談 → 提案 → 受注 with lost markers, amounts and owners, some deals skipping a stage), then, in the
same run and alternating, times

- `journeymap compare DESIGN CSV --format json` as a whole process (start-up, reading, every
  metric, JSON out), with the peak memory of that process (its own high-water mark, VmHWM), and
- a DuckDB SQL query that computes only reached and entered per stage from the same CSV
  (connect, read the CSV, aggregate, fetch; in this process; the yardstick the issue set), and
- DuckDB computing the core of what compare computes, by the same definitions (reached, entered,
  days in stage, open and lost, the moves between stages, reached per month, per cohort and per
  owner; in this process): the yardstick of the same work, its figures checked against
  journeymap's,

and prints the median of each, the ratios (target ≤ 1.5×, set against the first query) and the peak
memory (target < 1 GiB). DuckDB is a dev dependency only; journeymap itself never uses it. The
comparison timed is the full one: windows, period table, pace, transitions and the forecast range
included.

Optional parts, each printed beside its baseline:

- `--pm4py-python PY`: pm4py's directly-follows-graph discovery (read the CSV with pandas, format it,
  `discover_dfg`) as a whole process in *another* virtual environment (pm4py is AGPL: it is never
  a dependency of journeymap; make one with `python -m venv /tmp/pm4py && /tmp/pm4py/bin/pip
  install pm4py`); target: journeymap ≥ 4× faster;
- `--polars-python PY`: the same core figures computed with Polars, as a whole process in another venv
  (`python -m venv /tmp/polars && /tmp/polars/bin/pip install polars`), its figures checked too;
- `--big-rows N`: an event log of N rows (10,000,000 is about 560 MB): journeymap compare's time,
  peak memory (target < 2 GiB) and the progress lines it wrote on stderr;
- `--xlsx-rows N`: reading an N-row xlsx export with journeymap's reader (python-calamine) vs
  openpyxl (read-only, values only); target ≥ 5× faster;
- `--tiny`: `journeymap compare` on a 20-row file as a whole process (target < 0.3 s), beside a bare
  `python -c pass`, `journeymap --help`, the libraries compare needs imported and nothing run (the
  floor), and the DuckDB query of the same counts as a whole process.

Before timing anything, the bench compiles journeymap's bytecode (`compileall` into the source tree's
`__pycache__`, which git ignores), so that the processes timed start as an installed package does:
`pip install` compiles a package's bytecode at install time. Without it, an editable checkout run with
PYTHONDONTWRITEBYTECODE set recompiles every module on every start (about 0.06-0.1 s of a tiny run).
"""

from __future__ import annotations

import argparse
import compileall
import io
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
LOST = "失注"
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


def compile_bytecode() -> None:
    """Compile journeymap's modules to bytecode (as `pip install` does), so that no timed process
    recompiles them; the children read it even when PYTHONDONTWRITEBYTECODE is set."""
    if not compileall.compile_dir(ROOT / "journeymap", quiet=1):
        raise SystemExit("compiling journeymap's bytecode failed")
    print("journeymap's bytecode compiled before timing (as an installed package has it)")


def generate(path: Path, deals: int, seed: int = 7) -> int:
    """Write the event log (about two rows per deal); return its number of rows."""
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
    names = np.array(STAGES + [LOST], dtype=object)
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


def _same_figures_sql(csv_path: Path) -> list[tuple[str, str]]:
    """DuckDB SQL computing the core of what `journeymap compare` computes, by the same definitions
    (DESIGN.md's Numbers): per stage reached (first reached it or a later stage), entered, median
    and p90 days to the first later-stage entry; deals, open and lost (a lost mark no later funnel
    event reopened); the moves between consecutive funnel events (deals and moves per pair); reached
    per stage and month (the period table's actuals); per cohort month and per owner (the latest
    owner) deals, won, open, lost and won revenue (the latest amount). One row per deal is made in
    a single aggregation (first entry per stage as columns), as a DuckDB user would write it; a tie
    in time takes either row for the latest owner and amount (journeymap takes the later row)."""
    k = len(STAGES)
    values = ", ".join(f"('{name}', {i})" for i, name in enumerate(STAGES))
    firsts = ", ".join(f"min(ts) FILTER (pos = {i}) AS f{i}" for i in range(k))
    reach = ", ".join(f"least({', '.join(f'f{j}' for j in range(i, k))}) AS r{i}" for i in range(k))
    exits = ", ".join(f"least({', '.join(f'CASE WHEN f{j} >= f{i} THEN f{j} END' for j in range(i + 1, k))}) AS x{i}"
                      for i in range(k - 1))
    groups = f"""count(*), count(*) FILTER (furthest = {k - 1}), count(*) FILTER (open), count(*) FILTER (is_lost),
                 coalesce(sum(amount) FILTER (furthest = {k - 1}), 0)"""
    return [
        ("", f"""CREATE TEMP TABLE ev AS
            SELECT row_number() OVER () AS row, hash(deal_id) AS d, pos, stage = '{LOST}' AS lost, timestamp AS ts,
                   amount, owner
            FROM read_csv('{csv_path}') LEFT JOIN (VALUES {values}) p(stage, pos) USING (stage)"""),
        ("", f"""CREATE TEMP TABLE deals AS
            WITH per AS (SELECT d, {firsts}, max(pos) AS furthest, max(ts) FILTER (pos IS NOT NULL) AS last_funnel,
                                max(ts) FILTER (lost) AS lost_at, arg_max(owner, ts) AS owner, arg_max(amount, ts) AS amount
                         FROM ev GROUP BY d)
            SELECT *, {reach}, {exits}, coalesce(lost_at >= last_funnel, false) AS is_lost,
                   furthest < {k - 1} AND NOT coalesce(lost_at >= last_funnel, false) AS open
            FROM per WHERE furthest IS NOT NULL"""),
        ("reached", "SELECT " + ", ".join(f"count(r{i})" for i in range(k)) + " FROM deals"),
        ("entered", "SELECT " + ", ".join(f"count(f{i})" for i in range(k)) + " FROM deals"),
        ("days", "SELECT " + ", ".join(f"quantile_cont(epoch(x{i} - f{i}) / 86400, [0.5, 0.9])" for i in range(k - 1))
         + " FROM deals"),
        ("deals", "SELECT count(*), count(*) FILTER (open), count(*) FILTER (is_lost) FROM deals"),
        ("transitions", """WITH moves AS (SELECT d, lag(pos) OVER (PARTITION BY d ORDER BY ts, row) AS prev, pos
                                         FROM ev WHERE pos IS NOT NULL)
            SELECT prev, pos, count(DISTINCT d), count(*) FROM moves WHERE prev <> pos GROUP BY ALL"""),
        ("periods", " UNION ALL ".join(f"SELECT strftime(r{i}, '%Y-%m'), {i}, count(*) FROM deals "
                                       f"WHERE r{i} IS NOT NULL GROUP BY ALL" for i in range(k))),
        ("cohorts", f"SELECT strftime(r0, '%Y-%m'), {groups} FROM deals GROUP BY ALL"),
        ("owners", f"SELECT owner, {groups} FROM deals GROUP BY ALL"),
    ]


def duckdb_same_figures(csv_path: Path) -> tuple[float, float, dict]:
    """(wall seconds, CPU seconds, figures) of DuckDB computing compare's core figures, in this process."""
    import duckdb

    statements = _same_figures_sql(csv_path)
    started, cpu = time.perf_counter(), _cpu_self()
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # (a child process's bar would print on the terminal)
    found = {}
    for name, sql in statements:
        rows = con.execute(sql).fetchall()
        if name:
            found[name] = rows
    con.close()
    return time.perf_counter() - started, _cpu_self() - cpu, _figures(found)


def duckdb_same_figures_process(csv_path: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the same statements as a whole process (start-up and import
    included, as journeymap's figure is)."""
    statements = [sql for _name, sql in _same_figures_sql(csv_path)]
    script = ("import json, sys, duckdb\ncon = duckdb.connect()\ncon.execute('SET enable_progress_bar = false')\n"
              "for sql in json.loads(sys.argv[1]):\n    con.execute(sql).fetchall()\n")
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", script, json.dumps(statements)])
    _pid, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("the DuckDB baseline failed")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def _figures(found: dict) -> dict:
    """The rows of either baseline in one comparable form."""
    k = len(STAGES)
    return {
        "reached": list(found["reached"][0]),
        "entered": list(found["entered"][0]),
        "days": [list(pair) for pair in (found["days"][0] if len(found["days"]) == 1 else found["days"])][: k - 1],
        "deals": list(found["deals"][0]),
        "transitions": {(int(a), int(b)): (int(d), int(m)) for a, b, d, m in found["transitions"]},
        "periods": {(str(m), int(i)): int(c) for m, i, c in found["periods"]},
        "cohorts": {str(v): [int(x) for x in rest] for v, *rest in found["cohorts"]},
        "owners": {str(v): [int(x) for x in rest] for v, *rest in found["owners"]},
    }


def _ours(result: dict) -> dict:
    """The same figures from `journeymap compare --format json`."""
    stages = result["stages"]
    position = {s["id"]: i for i, s in enumerate(stages)}
    groups = lambda rows: {g["value"]: [g["deals"], g["won"], g["open"], g["lost"], int(g["revenue"] or 0)]  # noqa: E731
                           for g in rows}
    return {
        "reached": [s["reached"] for s in stages],
        "entered": [s["entered"] for s in stages],
        "days": [[s["median_days"], s["p90_days"]] for s in stages[:-1]],
        "deals": [result["deals"], result["open_deals"], result["lost_deals"]],
        "transitions": {(position[t["from"]], position[t["to"]]): (t["deals"], t["moves"]) for t in result["transitions"]},
        "periods": {(p["period"], position[s["id"]]): s["actual"] for p in result["periods"] for s in p["stages"]
                    if s["actual"]},
        "cohorts": groups(result["cohorts"]),
        "owners": groups(result["breakdowns"]["owner"]["groups"]),
    }


def agreement(ours: dict, theirs: dict) -> str:
    """'agree', or which figures differ."""
    differ = []
    for name, mine in ours.items():
        other = theirs[name]
        if name == "days":
            same = all(abs(a - b) < 1e-6 for x, y in zip(mine, other, strict=True) for a, b in zip(x, y, strict=True))
        else:
            same = mine == other
        if not same:
            differ.append(name)
    return "agree" if not differ else "DISAGREE on " + ", ".join(differ)


# The peak memory of `journeymap compare` is the high-water mark of its own address space (VmHWM),
# which it writes on exit: a forked child's ru_maxrss starts at the size of the parent it was forked
# from (this bench, holding a generated log and DuckDB's buffers), so it would report the bench's size.
MEASURED = """
import atexit, os, runpy, sys
def _peak():
    with open("/proc/self/status") as status, open(os.environ["JOURNEYMAP_BENCH_PEAK"], "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
if os.path.exists("/proc/self/status"):
    atexit.register(_peak)
sys.argv[0] = "journeymap"
runpy.run_module("journeymap", run_name="__main__", alter_sys=True)
"""


def measured_compare(arguments: list[str], stdout) -> tuple[float, float, int, int, str]:
    """(wall seconds, CPU seconds, peak RSS bytes, exit code, stderr) of `journeymap ARGUMENTS` as a child process."""
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak_file:
        env = dict(os.environ, JOURNEYMAP_BENCH_PEAK=peak_file.name)
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", MEASURED, *arguments], cwd=ROOT, stdout=stdout,
                                 stderr=subprocess.PIPE, env=env)
        error = child.stderr.read().decode("utf-8", "replace")
        _pid, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.stderr.close()
        text = peak_file.read().strip()
    peak = int(text) * 1024 if text else usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return elapsed, usage.ru_utime + usage.ru_stime, peak, os.waitstatus_to_exitcode(status), error


def journeymap_compare(design: Path, csv_path: Path, out: Path) -> tuple[float, float, int, str]:
    """(wall seconds, CPU seconds, peak RSS bytes, stdout) of `journeymap compare` as a child process."""
    with out.open("wb") as stdout:
        elapsed, cpu, peak, code, error = measured_compare(
            ["compare", str(design), str(csv_path), "--format", "json"], stdout)
    if code != 0:
        raise SystemExit(f"journeymap compare failed:\n{error}")
    return elapsed, cpu, peak, out.read_text(encoding="utf-8")


PM4PY_SCRIPT = """
import sys, time
started = time.perf_counter()
import pandas as pd
import pm4py
imported = time.perf_counter()
frame = pd.read_csv(sys.argv[1], dtype={"deal_id": str, "stage": str, "owner": str})
frame["timestamp"] = pd.to_datetime(frame["timestamp"])
log = pm4py.format_dataframe(frame, case_id="deal_id", activity_key="stage", timestamp_key="timestamp")
read = time.perf_counter()
dfg, start, end = pm4py.discover_dfg(log)
done = time.perf_counter()
print(f"{imported - started:.3f} {read - imported:.3f} {done - read:.3f} {len(dfg)}")
"""


def pm4py_dfg(python: str, csv_path: Path) -> tuple[float, list[float]]:
    """(wall seconds of the whole pm4py process, [import, read+format, discover_dfg] seconds)."""
    started = time.perf_counter()
    done = subprocess.run([python, "-c", PM4PY_SCRIPT, str(csv_path)], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    parts = [float(x) for x in done.stdout.split()[:3]]
    return wall, parts


POLARS_SCRIPT = """
import json, sys
import polars as pl
stages, lost_value, csv_path = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
k = len(stages)
positions = pl.DataFrame({"stage": stages, "pos": list(range(k))}, schema={"stage": pl.String, "pos": pl.Int8})
ev = (pl.read_csv(csv_path, try_parse_dates=True, schema_overrides={"deal_id": pl.String, "owner": pl.String})
      .with_row_index("row").join(positions, on="stage", how="left", maintain_order="left")
      .with_columns(lost=pl.col("stage") == lost_value))
funnel = pl.col("pos").is_not_null()
per = ev.lazy().group_by("deal_id").agg(
    *[pl.col("timestamp").filter(pl.col("pos") == i).min().alias(f"f{i}") for i in range(k)],
    furthest=pl.col("pos").max(), last_funnel=pl.col("timestamp").filter(funnel).max(),
    lost_at=pl.col("timestamp").filter(pl.col("lost")).max(),
    owner=pl.col("owner").get(pl.col("timestamp").arg_max()), amount=pl.col("amount").get(pl.col("timestamp").arg_max()),
).filter(pl.col("furthest").is_not_null())
is_lost = (pl.col("lost_at") >= pl.col("last_funnel")).fill_null(False)
deals = per.with_columns(
    *[pl.min_horizontal([f"f{j}" for j in range(i, k)]).alias(f"r{i}") for i in range(k)],
    *[pl.min_horizontal([pl.when(pl.col(f"f{j}") >= pl.col(f"f{i}")).then(pl.col(f"f{j}")) for j in range(i + 1, k)])
      .alias(f"x{i}") for i in range(k - 1)],
    is_lost=is_lost, open=(pl.col("furthest") < k - 1) & ~is_lost).collect()
won = pl.col("furthest") == k - 1
groups = [pl.len(), won.sum().alias("won"), pl.col("open").sum(), pl.col("is_lost").sum(),
          pl.col("amount").filter(won).sum().alias("rev")]
moves = (ev.lazy().filter(funnel).sort(["deal_id", "timestamp", "row"])
         .with_columns(prev=pl.col("pos").shift(1).over("deal_id")).filter(pl.col("prev") != pl.col("pos")))
days = deals.select([((pl.col(f"x{i}") - pl.col(f"f{i}")).dt.total_microseconds() / 86400e6).quantile(q, "linear")
                     .alias(f"{i} {q}") for i in range(k - 1) for q in (0.5, 0.9)]).row(0)
found = {
    "reached": deals.select([pl.col(f"r{i}").count() for i in range(k)]).rows(),
    "entered": deals.select([pl.col(f"f{i}").count() for i in range(k)]).rows(),
    "days": [[days[2 * i], days[2 * i + 1]] for i in range(k - 1)],
    "deals": deals.select(pl.len(), pl.col("open").sum(), pl.col("is_lost").sum()).rows(),
    "transitions": moves.group_by("prev", "pos").agg(pl.col("deal_id").n_unique(), pl.len()).collect().rows(),
    "periods": pl.concat([deals.filter(pl.col(f"r{i}").is_not_null())
                          .group_by(pl.col(f"r{i}").dt.strftime("%Y-%m").alias("m")).len()
                          .select("m", pl.lit(i).alias("pos"), "len") for i in range(k)]).rows(),
    "cohorts": deals.group_by(pl.col("r0").dt.strftime("%Y-%m")).agg(groups).rows(),
    "owners": deals.group_by("owner").agg(groups).rows(),
}
print(json.dumps(found))
"""


def polars_same_figures(python: str, csv_path: Path) -> tuple[float, float, dict]:
    """(wall seconds, CPU seconds, figures) of Polars computing compare's core figures (the same as
    `_same_figures_sql`, written as a Polars user would) as a whole process in another venv."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen([python, "-c", POLARS_SCRIPT, json.dumps(STAGES), LOST, str(csv_path)],
                                 stdout=subprocess.PIPE, stderr=errors)
        out = child.stdout.read()
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.stdout.close()
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"the polars baseline failed:\n{errors.read().decode('utf-8', 'replace')}")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, _figures(json.loads(out))


def big_log(design: Path, folder: Path, rows: int) -> None:
    csv_path = folder / "big.csv"
    started = time.perf_counter()
    written = generate(csv_path, max(1, rows // 2))
    size = csv_path.stat().st_size / 2**20
    print(f"big event log: {written:,} rows, {size:.0f} MiB (generated in {time.perf_counter() - started:.1f} s)")
    with (folder / "big.json").open("wb") as stdout:
        elapsed, _cpu, peak, code, error = measured_compare(
            ["compare", str(design), str(csv_path), "--format", "json"], stdout)
    progress = error.strip().splitlines()
    if code != 0:
        raise SystemExit("journeymap compare failed on the big log:\n" + "\n".join(progress))
    print(f"journeymap compare on {written:,} rows: {elapsed:.1f} s wall, peak memory {peak / 2**20:.0f} MiB "
          f"(target < 2048 MiB); progress lines on stderr: {len(progress)}"
          + (f" (first: {progress[0]!r}, last: {progress[-1]!r})" if progress else ""))
    csv_path.unlink()
    (folder / "big.json").unlink()


def xlsx_read(folder: Path, rows: int) -> None:
    from openpyxl import Workbook, load_workbook

    from journeymap.actuals.tables import read_table

    path = folder / "events.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("商談履歴")
    sheet.append(["案件ID", "ステージ", "日時", "金額", "担当者"])
    base = np.datetime64("2024-01-01T09:00:00", "s")
    rng = np.random.default_rng(3)
    offsets = rng.integers(0, 180 * 86400, rows)
    for i in range(rows):
        stamp = (base + np.timedelta64(int(offsets[i]), "s")).astype(object)
        sheet.append([f"OPP-{i // 2:07d}", STAGES[i % 4], stamp, int(rng.integers(10, 500)) * 10000, f"担当{i % 20:02d}"])
    book.save(path)
    content = path.read_bytes()
    print(f"xlsx: {rows:,} rows, {len(content) / 2**20:.1f} MiB")
    times = []
    for _ in range(3):
        started = time.perf_counter()
        table = read_table(content, "events.xlsx")
        times.append(time.perf_counter() - started)
    ours = statistics.median(times)
    started = time.perf_counter()
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    theirs = time.perf_counter() - started
    assert table.num_rows == rows and count == rows + 1
    print(f"reading it: journeymap (python-calamine) {ours:.2f} s vs openpyxl (read-only, values only) "
          f"{theirs:.2f} s: {theirs / ours:.1f}x faster  (target >= 5x)")
    path.unlink()


def _process_times(command: list[str], runs: int = 5) -> tuple[float, float]:
    """(median wall seconds, median CPU seconds) of a whole process, start-up included."""
    walls, cpus = [], []
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(child.pid, 0)
        walls.append(time.perf_counter() - started)
        cpus.append(usage.ru_utime + usage.ru_stime)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"failed: {' '.join(command)}")
    return statistics.median(walls), statistics.median(cpus)


LIBRARIES = "import os; os.environ.setdefault('OPENBLAS_NUM_THREADS', '1'); import click, numpy, pyarrow, pydantic, yaml"
"""What a compare cannot start without (the CLI, the engine, the CSV reader, the design model and file):
imported and nothing else (numpy with one BLAS thread, as compare asks), the floor under the tiny
file's time."""


def tiny(design: Path, folder: Path) -> None:
    """Start-up: a 20-row file as a whole process, beside a bare Python, `journeymap --help` and
    DuckDB's Python package computing reached and entered of the same file (start-up included)."""
    path = folder / "tiny.csv"
    lines = ["deal_id,stage,timestamp"] + [f"D{i},{STAGES[i % 5]},2024-04-{1 + i % 28:02d}" for i in range(20)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    duck = f"import duckdb; duckdb.connect().execute({_query(path)!r}).fetchall()"
    rows = [
        ("python -c pass (bare start-up)", [sys.executable, "-c", "pass"]),
        ("journeymap --help", [sys.executable, "-m", "journeymap", "--help"]),
        ("its libraries imported, nothing run", [sys.executable, "-c", LIBRARIES]),
        ("journeymap compare (table)", [sys.executable, "-m", "journeymap", "compare", str(design), str(path)]),
        ("journeymap compare --format json", [sys.executable, "-m", "journeymap", "compare", str(design), str(path),
                                               "--format", "json"]),
        ("duckdb (python -c, same counts)", [sys.executable, "-c", duck]),
    ]
    print(f"start-up, 20-row file, whole process (median of 5; load average {os.getloadavg()[0]:.2f}):")
    figures = {}
    for label, command in rows:
        wall, cpu = _process_times(command)
        figures[label] = wall
        print(f"  {label:<36} {wall:.3f} s wall, {cpu:.3f} s CPU")
    ours = figures["journeymap compare (table)"]
    print(f"  journeymap compare / duckdb: {ours / figures['duckdb (python -c, same counts)']:.2f}x; "
          f"target < 0.3 s wall")
    path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deals", type=int, default=750_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--pm4py-python", help="the python of a separate venv with pm4py installed (a baseline)")
    parser.add_argument("--polars-python", help="the python of a separate venv with polars installed (a baseline)")
    parser.add_argument("--big-rows", type=int, default=0, help="also run an event log of this many rows")
    parser.add_argument("--xlsx-rows", type=int, default=0, help="also time reading an xlsx of this many rows")
    parser.add_argument("--tiny", action="store_true", help="also time a 20-row file as a whole process")
    parser.add_argument("--skip-main", action="store_true", help="only the optional parts")
    args = parser.parse_args()

    compile_bytecode()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="journeymap-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, design = folder / "events.csv", folder / "design.yaml"
    design.write_text(DESIGN, encoding="utf-8")
    started = time.perf_counter()
    rows = generate(csv_path, args.deals)
    print(f"event log: {rows:,} rows, {args.deals:,} deals, {csv_path.stat().st_size / 2**20:.0f} MiB "
          f"(generated in {time.perf_counter() - started:.1f} s)")

    if args.tiny:
        tiny(design, folder)
    if args.xlsx_rows:
        xlsx_read(folder, args.xlsx_rows)
    if not args.skip_main:
        compare_main(args, design, csv_path)
    if args.big_rows:
        big_log(design, folder, args.big_rows)
    if not args.keep:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


def compare_main(args, design: Path, csv_path: Path) -> None:
    folder = csv_path.parent
    duck_times, duck_cpu, compare_times, compare_cpu, peaks, duck_process = [], [], [], [], [], []
    same_times, same_cpu, polars_times, polars_cpu, same_process, same_process_cpu = [], [], [], [], [], []
    polars_figures: dict = {}
    pm4py_times: list[float] = []
    pm4py_parts: list[list[float]] = []
    for _ in range(args.repeat):
        if args.pm4py_python:
            wall, parts = pm4py_dfg(args.pm4py_python, csv_path)
            pm4py_times.append(wall)
            pm4py_parts.append(parts)
        duck_process.append(duckdb_process(csv_path))
        seconds, cpu, duck_rows = duckdb_query(csv_path)
        duck_times.append(seconds)
        duck_cpu.append(cpu)
        seconds, cpu, same_figures = duckdb_same_figures(csv_path)
        same_times.append(seconds)
        same_cpu.append(cpu)
        seconds, cpu = duckdb_same_figures_process(csv_path)
        same_process.append(seconds)
        same_process_cpu.append(cpu)
        if args.polars_python:
            seconds, cpu, polars_figures = polars_same_figures(args.polars_python, csv_path)
            polars_times.append(seconds)
            polars_cpu.append(cpu)
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
    same = statistics.median(same_times)
    print(f"duckdb, the same core figures as compare (reached, entered, days in stage, open/lost, moves, months, "
          f"cohorts, owners):\n  {same:.3f} s wall, {statistics.median(same_cpu):.3f} s CPU  (runs: {runs(same_times)}); "
          f"journeymap (whole process) / that: {ours_time / same:.2f}x; figures: {agreement(_ours(result), same_figures)}")
    same_whole = statistics.median(same_process)
    print(f"  as a whole process (start-up and import included, as journeymap's): {same_whole:.3f} s wall, "
          f"{statistics.median(same_process_cpu):.3f} s CPU  (runs: {runs(same_process)}); journeymap / that: "
          f"{ours_time / same_whole:.2f}x wall, {statistics.median(compare_cpu) / statistics.median(same_process_cpu):.2f}x CPU")
    if polars_times:
        pol = statistics.median(polars_times)
        print(f"polars, the same core figures (whole process, own venv):\n  {pol:.3f} s wall, "
              f"{statistics.median(polars_cpu):.3f} s CPU  (runs: {runs(polars_times)}); journeymap / that: "
              f"{ours_time / pol:.2f}x wall, {statistics.median(compare_cpu) / statistics.median(polars_cpu):.2f}x CPU; "
              f"figures: {agreement(_ours(result), polars_figures)}")
    if pm4py_times:
        pm = statistics.median(pm4py_times)
        split = [statistics.median(p[i] for p in pm4py_parts) for i in range(3)]
        print(f"pm4py DFG discovery (whole process, own venv): {pm:.3f} s wall (import {split[0]:.2f}, read+format "
              f"{split[1]:.2f}, discover_dfg {split[2]:.2f})  (runs: {runs(pm4py_times)})")
        print(f"journeymap compare is {pm / ours_time:.1f}x faster than pm4py's DFG discovery (target >= 4x); "
              f"discover_dfg alone: {split[2]:.2f} s")


if __name__ == "__main__":
    main()
