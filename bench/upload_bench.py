"""Upload benchmark: the largest file the app accepts, uploaded on the Compare page of the real server,
while another planner opens the app.

    python bench/upload_bench.py [--mb 200] [--probes 8]

It writes a CRM stage history (deal id, stage, date, amount; b2b-standard's stage names) of `--mb`
megabytes (default: the app's `server.maxUploadSize`), starts `journeymap app`, and drives two
sessions through Streamlit's websocket protocol, as browsers do:
  - session A opens b2b-standard on the Compare page, uploads the file (HTTP PUT to Streamlit's
    upload route, then the uploader's widget state) and waits for the comparison;
  - session B, meanwhile, opens the Library in a new session again and again.
Printed side by side: B's page load on an idle server (the baseline) and while A's file is read,
A's time from upload to comparison, and the server's peak memory (VmHWM) over the run. Issue 13's
goal: the largest accepted upload within 10 s and 1 GiB, and another session's page in under 2 s.
Linux only (/proc).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from journeymap.cli.app import UPLOAD_LIMIT_MB
from tests.streamlit_ws import Server, Session, make_workspace, start_server

STAGES = ["リード獲得", "アポイント獲得", "ヒアリング", "提案", "見積提示", "クロージング", "受注", "失注"]


def write_history(path: Path, megabytes: float) -> int:
    """A stage history of about `megabytes` MB: deals walk the stages, some are lost. Returns rows."""
    rng = random.Random(17)
    target = int(megabytes * 1024 * 1024) - 4096
    start = dt.date(2026, 1, 1)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("案件ID,ステージ,日付,金額\n")
        written = 0
        deal = 0
        while written < target:
            deal += 1
            day = start + dt.timedelta(days=rng.randrange(180))
            amount = rng.randrange(100, 5000) * 1000
            depth = rng.randrange(1, 7)
            lines = []
            for stage in STAGES[:depth]:
                lines.append(f"D{deal:08d},{stage},{day.isoformat()},{amount}\n")
                day += dt.timedelta(days=rng.randrange(1, 20))
            if depth < 6 and rng.random() < 0.4:
                lines.append(f"D{deal:08d},失注,{day.isoformat()},{amount}\n")
            elif depth == 6 and rng.random() < 0.6:
                lines.append(f"D{deal:08d},受注,{day.isoformat()},{amount}\n")
            chunk = "".join(lines)
            out.write(chunk)
            written += len(chunk.encode("utf-8"))
            rows += len(lines)
    return rows


class Uploader(Session):
    """A session that also learns its id, its widgets and uploads files like the browser's uploader."""

    def __init__(self, port: int) -> None:
        super().__init__(port)
        self.session_id = ""
        self.uploader_id = ""

    async def read_until(self, wanted: str, timeout: float = 600) -> ForwardMsg:
        assert self.socket is not None
        async with asyncio.timeout(timeout):
            while True:
                forward = ForwardMsg()
                forward.ParseFromString(await self.socket.recv())
                kind = forward.WhichOneof("type")
                self.note(forward)
                if kind == wanted:
                    return forward

    def note(self, forward: ForwardMsg) -> None:
        kind = forward.WhichOneof("type")
        if kind == "new_session":
            self.session_id = forward.new_session.initialize.session_id or self.session_id
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in forward.navigation.app_pages}
        elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            if element.WhichOneof("type") == "file_uploader":
                self.uploader_id = element.file_uploader.id

    async def open(self, page: str, query: str) -> None:
        """Run `page` (learning the page hashes first) and note the session id and the uploader."""
        for name in ("", page):
            message = BackMsg()
            message.rerun_script.query_string = query
            message.rerun_script.page_script_hash = self.pages.get(name, "")
            assert self.socket is not None
            await self.socket.send(message.SerializeToString())
            while True:
                forward = await self.read_until("script_finished")
                if forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    break

    async def upload(self, path: Path, port: int, cookie: str, query: str, page: str) -> tuple[float, float, dict]:
        """PUT the file, then rerun with the uploader's new state; (upload s, comparison s, what the run showed:
        exception boxes, error boxes, metrics)."""
        request = BackMsg()
        request.file_urls_request.request_id = uuid.uuid4().hex
        request.file_urls_request.file_names.append(path.name)
        request.file_urls_request.session_id = self.session_id
        assert self.socket is not None
        await self.socket.send(request.SerializeToString())
        response = (await self.read_until("file_urls_response")).file_urls_response
        urls = response.file_urls[0]
        started = time.perf_counter()
        await asyncio.to_thread(put_file, f"http://127.0.0.1:{port}{urls.upload_url}" if urls.upload_url.startswith("/")
                                else urls.upload_url, path, cookie)
        uploaded = time.perf_counter() - started
        rerun = BackMsg()
        rerun.rerun_script.query_string = query
        rerun.rerun_script.page_script_hash = self.pages.get(page, "")
        widget = rerun.rerun_script.widget_states.widgets.add()
        widget.id = self.uploader_id
        info = widget.file_uploader_state_value.uploaded_file_info.add()
        info.name = path.name
        info.size = path.stat().st_size
        info.file_id = urls.file_id
        info.file_urls.CopyFrom(urls)
        started = time.perf_counter()
        await self.socket.send(rerun.SerializeToString())
        shown: dict = {"exceptions": [], "errors": [], "metrics": 0}
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await self.socket.recv())
            self.note(forward)
            if forward.WhichOneof("type") == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                kind = element.WhichOneof("type")
                if kind == "exception":
                    shown["exceptions"].append(element.exception.message)
                elif kind == "alert" and element.alert.format == element.alert.ERROR:
                    shown["errors"].append(element.alert.body)
                elif kind == "metric":
                    shown["metrics"] += 1
            if forward.WhichOneof("type") == "script_finished" and forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return uploaded, time.perf_counter() - started, shown


def xsrf_cookie(port: int) -> str:
    """The XSRF cookie the health check sets (the upload route checks it against the header)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=30) as answer:
        for header in answer.headers.get_all("Set-Cookie") or []:
            if header.startswith("_streamlit_xsrf="):
                return header.split(";", 1)[0].split("=", 1)[1]
    return ""


def put_file(url: str, path: Path, cookie: str) -> None:
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path.name}\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode()
    body = head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(url, data=body, method="PUT", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "X-Xsrftoken": cookie, "Cookie": f"_streamlit_xsrf={cookie}"})
    with urllib.request.urlopen(request, timeout=600) as answer:
        answer.read()


def peak_mb(server: Server) -> float:
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def library_loads(port: int, stop: asyncio.Event | None, probes: int) -> list[float]:
    """Seconds for a new session's Library run, `probes` times (or until `stop`)."""
    times = []
    while len(times) < probes and not (stop is not None and stop.is_set()):
        session = Session(port)
        started = time.perf_counter()
        await session.connect()
        run = await session.run("", "")
        times.append(time.perf_counter() - started if run.finished else float("inf"))
        await session.close()
    return times


async def measure(server: Server, csv: Path, probes: int) -> dict:
    idle = await library_loads(server.port, None, probes)
    query = "design=b2b-standard-001"
    uploader = Uploader(server.port)
    await uploader.connect()
    await uploader.open("compare", query)
    assert uploader.uploader_id and uploader.session_id, "the Compare page showed no uploader"
    cookie = xsrf_cookie(server.port)
    stop = asyncio.Event()

    async def upload_then_stop():
        try:
            return await uploader.upload(csv, server.port, cookie, query, "compare")
        finally:
            stop.set()

    (uploaded, compared, shown), busy = await asyncio.gather(upload_then_stop(),
                                                                  library_loads(server.port, stop, 10_000))
    await uploader.close()
    return {"idle": idle, "busy": busy, "uploaded": uploaded, "compared": compared, "shown": shown,
            "peak": peak_mb(server)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=UPLOAD_LIMIT_MB * 0.98, help="size of the upload (MB)")
    parser.add_argument("--probes", type=int, default=8, help="Library loads on the idle server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv = folder / "crm_history.csv"
        rows = write_history(csv, args.mb)
        size = csv.stat().st_size / 1024**2
        make_workspace(folder / "workspace", 10)
        server = start_server(folder / "workspace", log=folder / "server.log")
        try:
            result = asyncio.run(measure(server, csv, args.probes))
        finally:
            server.stop()
    busy = [t for t in result["busy"] if t != float("inf")]

    def p(values: list[float], q: float) -> str:
        if not values:
            return "—"
        ordered = sorted(values)
        return f"{ordered[min(len(ordered) - 1, int(q * len(ordered)))]:.2f} s"

    print(f"upload: {size:,.0f} MB, {rows:,} rows (limit {UPLOAD_LIMIT_MB} MB)")
    print(f"{'':44}{'measured':>22}{'goal (issue 13)':>20}")
    print(f"{'A: file sent to the server (HTTP PUT)':44}{result['uploaded']:>20.1f} s{'':>20}")
    print(f"{'A: comparison shown after the upload':44}{result['compared']:>20.1f} s{'≤ 10 s':>20}")
    print(f"{'server peak memory (VmHWM)':44}{result['peak']:>19,.0f} MB{'≤ 1,024 MB':>20}")
    print(f"{'B: Library, idle server (baseline) median':44}{statistics.median(result['idle']):>20.2f} s{'':>20}")
    print(f"{'B: Library while A is read, median':44}{p(busy, 0.5):>22}{'':>20}")
    print(f"{'B: Library while A is read, worst':44}{p(busy, 1.0):>22}{'< 2 s':>20}")
    unfinished = len(result["busy"]) - len(busy)
    shown = result["shown"]
    print(f"B: {len(result['busy'])} loads while A was read ({unfinished} did not finish)")
    print(f"A showed {shown['metrics']} metrics, {len(shown['errors'])} error boxes, {len(shown['exceptions'])} exception boxes")
    for message in (shown["exceptions"] + shown["errors"])[:3]:
        print("   ", message[:300])


if __name__ == "__main__":
    main()
