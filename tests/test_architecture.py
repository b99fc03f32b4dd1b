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


PACKAGE = ROOT / "journeymap"


def _journeymap_imports():
    import ast

    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("journeymap"):
                yield path, node


def test_no_private_name_is_imported_across_modules():
    crossing = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {alias.name} from {node.module}"
        for path, node in _journeymap_imports()
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert crossing == []


def test_imports_inside_the_package_are_absolute():
    import ast

    relative = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level > 0
    ]
    assert relative == []


def _architecture_layers() -> list[list[str]]:
    """The layer table of ARCHITECTURE.md: package names per row, top first."""
    rows = []
    for line in (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].isdigit():
            rows.append([name.strip("` ") for name in cells[1].split(",")])
    return rows


def test_architecture_md_lists_every_package_in_the_layers_that_import_linter_enforces():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    enforced = next(c["layers"] for c in config if c["type"] == "layers")
    enforced_rows = [[name.strip().removeprefix("journeymap.") for name in row.split("|")] for row in enforced]
    documented = _architecture_layers()
    assert documented == enforced_rows
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")}
    layered = {name for row in documented for name in row}
    assert packages | modules == layered, "every package and top-level module belongs to one documented layer"
