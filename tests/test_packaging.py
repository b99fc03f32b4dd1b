"""Packaging: every imported distribution is declared, the version lives in one place, the app's
Streamlit settings agree with the checkout's config, and an installed package serves the app."""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from journeymap import __version__
from journeymap.cli.app import STREAMLIT_SETTINGS
from tests.app_server import serving_app
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, free_port

ROOT = Path(__file__).parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _requirement_name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _imported_top_level_modules(folder: Path) -> set[str]:
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"journeymap", "process_library", "__future__"}


def test_every_distribution_the_package_imports_is_a_declared_dependency():
    declared = {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    providers = metadata.packages_distributions()
    undeclared = {}
    for module in sorted(_imported_top_level_modules(ROOT / "journeymap")):
        distributions = {d.lower().replace("_", "-") for d in providers.get(module, [module])}
        if not distributions & declared:
            undeclared[module] = sorted(distributions)
    assert undeclared == {}, f"imported but not declared in [project.dependencies]: {undeclared}"


def test_the_version_is_written_once_and_installed_metadata_agrees():
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert metadata.version("journeymap") == __version__


def test_the_checkout_config_says_what_journeymap_app_passes_on_the_command_line():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    flat = {f"{section}.{key}": value for section, values in config.items() for key, value in values.items()}
    as_text = {name: (str(value).lower() if isinstance(value, bool) else str(value)) for name, value in flat.items()}
    assert as_text == STREAMLIT_SETTINGS


@pytest.mark.browser
def test_an_installed_package_serves_the_app_outside_the_checkout(tmp_path):
    """`pip install .` into a clean venv, then `journeymap app --workspace DIR` from another folder."""
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # The dependencies come from the test environment (no downloads); journeymap itself from the wheel.
    dependencies = subprocess.run([sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "test-dependencies.pth").write_text(dependencies + "\n")
    wheel = next(wheels.glob("journeymap-*.whl"))
    installed = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                               capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("JOURNEYMAP_LIBRARY", "JOURNEYMAP_WORKSPACE", "PYTHONPATH")}
    where = subprocess.run([str(python), "-c", "import journeymap; print(journeymap.__file__)"],
                           capture_output=True, text=True, cwd=elsewhere, env=env, check=True).stdout
    assert where.startswith(site), where  # the installed copy, not the checkout
    templates = subprocess.run([str(venv / "bin" / "journeymap"), "templates", "--format", "json"],
                               capture_output=True, text=True, cwd=elsewhere, env=env, timeout=60)
    assert templates.returncode == 0 and "b2b-standard" in templates.stdout, templates.stderr

    port = free_port()
    command = [str(venv / "bin" / "journeymap"), "app", "--workspace", str(tmp_path / "x"), "--port", str(port),
               "--host", "127.0.0.1"]
    with serving_app(command, port, tmp_path / "streamlit.log", cwd=elsewhere, env=env) as url:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(f"{url}/")
            page.get_by_role("heading", name="ライブラリ").first.wait_for(timeout=60_000)
            assert page.locator('[data-testid="stException"]').count() == 0
            browser.close()
    assert (tmp_path / "x").is_dir()
