"""16 planners at once on a workspace of 200 designs: every run finishes, and none shows an exception.

The real server (`journeymap app`) is driven through Streamlit's websocket protocol, as browsers
drive it (tests/streamlit_ws.py). Speed is measured by bench/server_bench.py, not here.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.streamlit_ws import Session, make_workspace, start_server

SESSIONS = 16
DESIGNS = 200
PAGES = ["", "design", "plan", "journey", "present", "compare"]


@pytest.mark.requires_dot
def test_sixteen_sessions_on_two_hundred_designs_all_finish_without_an_exception(tmp_path):
    ids = make_workspace(tmp_path / "workspace", DESIGNS)
    server = start_server(tmp_path / "workspace", log=tmp_path / "server.log")

    async def planner(number: int) -> list:
        session = Session(server.port)
        await session.connect()
        query = f"design={ids[number * 7 % DESIGNS]}"
        runs = [await session.run(query=query, timeout=600)]
        for step in range(1, 4):
            runs.append(await session.run(PAGES[(number + step) % len(PAGES)], query, timeout=600))
        await session.close()
        return runs

    async def everyone() -> list:
        return [r for runs in await asyncio.gather(*(planner(n) for n in range(SESSIONS))) for r in runs]

    try:
        runs = asyncio.run(everyone())
    finally:
        server.stop()
    assert len(runs) == SESSIONS * 4
    assert [r for r in runs if not r.finished] == []
    assert [e for r in runs for e in r.exceptions] == []
    assert {r.page for r in runs} == set(PAGES), "the walk covered every page"
