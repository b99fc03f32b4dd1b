"""Data flows one way: the library never imports Streamlit; only the UI does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]

SCRIPT = """
import importlib, pkgutil, sys
import journeymap
names = []
for info in pkgutil.walk_packages(journeymap.__path__, "journeymap."):
    if info.name.startswith("journeymap.ui") or info.name == "journeymap.__main__":
        continue
    importlib.import_module(info.name)
    names.append(info.name)
print(len(names))
print("streamlit" in sys.modules)
"""


def test_library_modules_do_not_import_streamlit():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    count, streamlit_loaded = done.stdout.split()
    assert int(count) >= 8  # model, io, errors, library, cli, export, ... all imported
    assert streamlit_loaded == "False"
