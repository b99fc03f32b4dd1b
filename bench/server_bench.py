"""Load benchmark: the real server (`journeymap app`) driven through Streamlit's websocket protocol.

    python bench/server_bench.py [--designs 10 200] [--sessions 16] [--switches 6] [--gc-compare]

For each workspace size it generates a workspace of copies of the templates, starts `journeymap app`
on it and measures the server's CPU time (process and finished children such as `dot`, from /proc):
  - a new session's first run of each page (the Library, and a design page with a design open);
  - a page switch inside a session (median over a walk through the pages);
  - M sessions opening the app at once, then switching pages at once: runs finished, exception
    boxes, p50 and p95 run time of the switches (and p95 of the opening runs);
  - server memory per extra open session (RSS growth while M sessions stay open, divided by M).
With --gc-compare it also measures page switches with Streamlit's `runner.postScriptGC` on and off.
Figures are printed beside issue 17's targets and its first measurements. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.streamlit_ws import Server, Session, make_workspace, start_server

PAGES = ["", "design", "plan", "journey", "present", "compare"]
"""The walk of a planner: Library, then a design's pages (with a design open)."""

FIRST = {  # issue 17's first measurements, before this work
    "library_new": {10: "0.59–0.60 s", 200: "10.1–10.3 s"},
    "switch": {10: "30–40 ms", 200: "90–100 ms"},
    "concurrent": {10: "all finished, p95 1.5–1.8 s", 200: "0 of 96 runs finished within 120 s"},
    "memory": {10: "+3.6–3.7 MB", 200: "—"},
    "none": {},
}


async def new_session_cpu(server: Server, page: str, query: str, repeat: int) -> float:
    """Median server CPU of a new session's first run of `page` (it first learns the page hashes)."""
    costs = []
    for _ in range(repeat):
        session = Session(server.port)
        await session.connect()
        if page:
            probe = Session(server.port)  # learn the page hashes without charging this session's run
            await probe.connect()
            await probe.run(query=query)
            session.pages = probe.pages
            await probe.close()
        before = server.cpu_seconds()
        await session.run(page, query)
        costs.append(server.cpu_seconds() - before)
        await session.close()
    return statistics.median(costs)


async def switch_cpu(server: Server, query: str, rounds: int, by_page: dict | None = None) -> float:
    """Median server CPU of one page switch inside a session, walking through PAGES (per page into `by_page`)."""
    session = Session(server.port)
    await session.connect()
    await session.run(query=query)
    for page in PAGES:  # every page once before measuring (its first run in a session costs more)
        await session.run(page, query)
    costs = []
    pages: dict[str, list[float]] = {}
    for _ in range(rounds):
        for page in PAGES:
            before = server.cpu_seconds()
            await session.run(page, query)
            costs.append(server.cpu_seconds() - before)
            pages.setdefault(page or "library", []).append(costs[-1])
    await session.close()
    if by_page is not None:
        by_page.update({page: statistics.median(values) for page, values in pages.items()})
    return statistics.median(costs)


async def concurrent(server: Server, sessions: int, switches: int, query: str) -> dict:
    """M sessions at once, each opening the app and switching pages; memory per open session."""
    rss_before = server.rss_mb()
    opened = [Session(server.port) for _ in range(sessions)]
    for session in opened:
        await session.connect()
    first = await asyncio.gather(*(s.run(query=query) for s in opened))

    async def walk(session: Session, offset: int) -> list:
        runs = []
        for i in range(switches):
            runs.append(await session.run(PAGES[(offset + i + 1) % len(PAGES)], query))
        return runs

    cpu_before = server.cpu_seconds()
    walks = await asyncio.gather(*(walk(s, i) for i, s in enumerate(opened)))
    cpu = server.cpu_seconds() - cpu_before
    rss_after = server.rss_mb()
    for session in opened:
        await session.close()
    switching = [r for w in walks for r in w]
    runs = switching + list(first)
    return {
        "runs": len(runs),
        "finished": len([r for r in runs if r.finished]),
        "exceptions": sum(len(r.exceptions) for r in runs),
        "examples": sorted({e for r in runs for e in r.exceptions})[:3],
        "p50": quantile(switching, 0.5),
        "p95": quantile(switching, 0.95),
        "open_p95": quantile(list(first), 0.95),
        "cpu_per_run": cpu / max(1, sessions * switches),
        "memory_per_session": (rss_after - rss_before) / sessions,
        "load": os.getloadavg()[0],
    }


def quantile(runs: list, q: float) -> float:
    """The q-quantile of the finished runs' times (nearest rank)."""
    times = sorted(r.seconds for r in runs if r.finished)
    return times[min(len(times) - 1, int(q * len(times)))] if times else float("nan")


def measure(designs: int, args: argparse.Namespace, folder: Path, extra: tuple[str, ...] = ()) -> dict:
    workspace = folder / f"workspace-{designs}"
    ids = make_workspace(workspace, designs)
    query = f"design={ids[0]}"
    server = start_server(workspace, extra, log=folder / f"server-{designs}.log")
    try:
        async def all_of_it() -> dict:
            # The server's first run imports and caches what every session shares. This session stays
            # connected, as on a team's server someone always is: Streamlit drops its compiled page
            # scripts whenever the last session leaves, and a new session would pay for compiling them.
            resident = Session(server.port)
            await resident.connect()
            await resident.run(query=query)
            for page in PAGES:
                await resident.run(page, query)
            by_page: dict[str, float] = {}
            result = {
                "library_new": await new_session_cpu(server, "", "", args.repeat),
                "design_new": await new_session_cpu(server, "design", query, args.repeat),
                "switch": await switch_cpu(server, query, args.rounds, by_page),
                "by_page": by_page,
            }
            result.update(await concurrent(server, args.sessions, args.switches, query))
            await resident.close()
            return result

        return asyncio.run(all_of_it())
    finally:
        server.stop()


def gc_compare(args: argparse.Namespace, folder: Path) -> dict[str, float]:
    workspace = folder / "workspace-gc"
    ids = make_workspace(workspace, 10)
    out = {}
    for setting in ("true", "false"):
        server = start_server(workspace, ("--runner.postScriptGC", setting), log=folder / f"server-gc-{setting}.log")
        try:
            async def walk(server: Server = server) -> float:
                warm = Session(server.port)
                await warm.connect()
                await warm.run(query=f"design={ids[0]}")
                await warm.close()
                return await switch_cpu(server, f"design={ids[0]}", args.rounds)

            out[setting] = asyncio.run(walk())
        finally:
            server.stop()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--designs", type=int, nargs="+", default=[10, 200])
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--switches", type=int, default=6, help="page switches per session under load")
    parser.add_argument("--repeat", type=int, default=3, help="new sessions per page")
    parser.add_argument("--rounds", type=int, default=3, help="walks through the pages for the switch median")
    parser.add_argument("--gc-compare", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the generated workspaces and server logs")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="journeymap-bench-"))
    try:
        if args.gc_compare:
            gc = gc_compare(args, folder)
            print(f"runner.postScriptGC (page switch at 10 designs, median server CPU): "
                  f"on {gc['true'] * 1000:.0f} ms, off {gc['false'] * 1000:.0f} ms")
        results = {n: measure(n, args, folder) for n in args.designs}
    finally:
        if args.keep:
            print(f"kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    sizes = list(results)
    m = args.sessions
    print()
    print(f"{'server CPU on 2 cores':<44}" + "".join(f"{f'{n} designs':>16}{'first':>36}" for n in sizes) + "   target")
    def row(label: str, key: str, fmt, target: str, first_key: str | None = None) -> None:
        cells = "".join(f"{fmt(results[n][key]):>16}{FIRST.get(first_key or key, {}).get(n, '—'):>36}" for n in sizes)
        print(f"{label:<44}{cells}   {target}")
    seconds = lambda v: f"{v:.2f} s"  # noqa: E731
    millis = lambda v: f"{v * 1000:.0f} ms"  # noqa: E731
    row("Library, new session", "library_new", seconds, "≤ 0.4 s at 200, ≤ 1.5× the cost at 10")
    row("Design page, new session (design open)", "design_new", seconds, "—", "design_new")
    row("page switch inside a session (median)", "switch", millis, "≤ 90 ms at 10")
    row(f"{m} sessions switching: runs finished", "finished", lambda v: f"{v}", "every run", "concurrent")
    row(f"{m} sessions switching: exception boxes", "exceptions", lambda v: f"{v}", "none", "none")
    row(f"{m} sessions switching: p50 run time", "p50", seconds, "—", "none")
    row(f"{m} sessions switching: p95 run time", "p95", seconds, "≤ 2 s at 200", "none")
    row(f"{m} sessions opening at once: p95 run time", "open_p95", seconds, "—", "none")
    row(f"{m} sessions switching: CPU per run", "cpu_per_run", millis, "—", "none")
    row("memory per extra open session", "memory_per_session", lambda v: f"{v:+.1f} MB", "≤ 2.5 MB", "memory")
    row("machine load (1 min) after the sessions", "load", lambda v: f"{v:.1f}", "run times need an otherwise idle machine", "none")
    for n in sizes:
        r = results[n]
        print(f"{n} designs: {r['finished']} of {r['runs']} runs finished; exceptions: {r['examples'] or 'none'}; "
              "page switch by page: " + ", ".join(f"{page} {cpu * 1000:.0f} ms" for page, cpu in r["by_page"].items()))
    if len(sizes) >= 2 and sizes[0] < sizes[-1]:
        small, large = results[sizes[0]]["library_new"], results[sizes[-1]]["library_new"]
        print(f"Library new session at {sizes[-1]} vs {sizes[0]} designs: {large / small:.2f}× (target ≤ 1.5×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
