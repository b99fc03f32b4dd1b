"""A process the tests serve from (`journeymap app`, an identity provider), started and stopped the
same way everywhere: wait until it answers, fail with its log when it does not, stop it after."""

from __future__ import annotations

import contextlib
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


def answers(url: str, expected: bytes | None = None) -> bool:
    """Whether `url` answers (with `expected` as its body, when given)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            body = answer.read()
    except OSError:
        return False
    return expected is None or body.strip() == expected


@contextlib.contextmanager
def running(command: list[str], log_path: Path, ready: Callable[[], bool], *, cwd: Path, env: dict | None = None,
            what: str = "the app", seconds: float = 90) -> Iterator[subprocess.Popen]:
    """Start `command`, wait until `ready()` (failing with the process's log), stop it afterwards."""
    with open(log_path, "w+") as log:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + seconds
            while not ready():
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"{what} did not start:\n{log.read()}")
                time.sleep(0.3)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


@contextlib.contextmanager
def serving_app(command: list[str], port: int, log_path: Path, *, cwd: Path, env: dict | None = None,
                seconds: float = 90) -> Iterator[str]:
    """`journeymap app ... --port PORT` until it answers its health check; yields its URL."""
    url = f"http://127.0.0.1:{port}"
    with running(command, log_path, lambda: answers(f"{url}/_stcore/health", b"ok"), cwd=cwd, env=env,
                 seconds=seconds):
        yield url
