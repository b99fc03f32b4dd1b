"""Drive a running Streamlit server as browsers do, through its own websocket protocol, without a browser.

Each `Session` is one browser tab: it connects to `/_stcore/stream`, asks for a run of a page with
`BackMsg.rerun_script` (the page's `page_script_hash`, a query string) and reads `ForwardMsg`s until
`script_finished`, noting any exception box the run showed. Used by the load benchmark
(bench/server_bench.py) and by the test that 16 sessions at 200 designs all finish.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from journeymap.designfile.reading import load_design
from journeymap.designfile.writing import dump_yaml
from journeymap.editing import operations as editing

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    page: str
    seconds: float
    finished: bool
    exceptions: list[str] = field(default_factory=list)


class Session:
    """One browser tab on the server."""

    def __init__(self, port: int) -> None:
        self.url = f"ws://127.0.0.1:{port}/_stcore/stream"
        self.pages: dict[str, str] = {}
        """Page URL path → page_script_hash, from the server's navigation message (after the first run)."""
        self.socket: websockets.ClientConnection | None = None

    async def connect(self) -> None:
        self.socket = await websockets.connect(self.url, subprotocols=[websockets.Subprotocol("streamlit")], max_size=None,
                                               open_timeout=60, ping_interval=None)

    async def run(self, page: str = "", query: str = "", timeout: float = 120) -> Run:
        """Run a page (by URL path, '' for the default) and wait for the run to finish."""
        assert self.socket is not None, "connect first"
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_script_hash = self.pages.get(page, "")
        if page and page not in self.pages:
            message.rerun_script.page_name = page
        start = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        exceptions: list[str] = []
        try:
            async with asyncio.timeout(timeout):
                while True:
                    forward = ForwardMsg()
                    forward.ParseFromString(await self.socket.recv())
                    kind = forward.WhichOneof("type")
                    if kind == "navigation":
                        self.pages = {p.url_pathname: p.page_script_hash for p in forward.navigation.app_pages}
                    elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                        element = forward.delta.new_element
                        if element.WhichOneof("type") == "exception":
                            exceptions.append(f"{element.exception.type}: {element.exception.message}")
                    elif kind == "script_finished" and forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        return Run(page, time.perf_counter() - start, True, exceptions)
        except TimeoutError:
            return Run(page, time.perf_counter() - start, False, exceptions)

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()


# --------------------------------------------------------------------------- a server on a generated workspace


def make_workspace(folder: Path, designs: int) -> list[str]:
    """A workspace of `designs` copies of the templates (ids `<template>-<n>`); return the ids."""
    folder.mkdir(parents=True, exist_ok=True)
    templates = sorted((ROOT / "process_library").glob("*.yaml"))
    sources = [load_design(p) for p in templates]
    ids = []
    for n in range(designs):
        source = sources[n % len(sources)]
        design_id = f"{source.id}-{n + 1:03d}"
        copy = editing.copy_of(source, design_id)
        (folder / f"{design_id}.yaml").write_text(dump_yaml(copy), "utf-8")
        ids.append(design_id)
    (folder / ".journeymap-workspace").write_text('{"format": 1, "seeded": []}\n', "utf-8")
    return ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    def cpu_seconds(self) -> float:
        """User + system CPU of the server and of its finished children (`dot`), from /proc."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
        return ticks / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(20)


def start_server(workspace: Path, extra: tuple[str, ...] = (), log: Path | None = None) -> Server:
    """`journeymap app` on `workspace` at a free port, once it answers its health check."""
    port = free_port()
    command = shutil.which("journeymap", path=str(Path(sys.executable).parent)) or "journeymap"
    env = dict(os.environ, JOURNEYMAP_LIBRARY=str(ROOT / "process_library"), PYTHONPATH=str(ROOT))  # this checkout's code
    output = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
    process = subprocess.Popen([command, "app", "--workspace", str(workspace), "--port", str(port),
                                "--host", "127.0.0.1", *extra], stdout=output, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    server = Server(process, port)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {process.returncode})")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
            if answer.status == 200:
                return server
        time.sleep(0.3)
    server.stop()
    raise RuntimeError("the server did not answer within 120 s")
