"""The tools users open our exports in, run from the test suite: bpmnlint, bpmn-js and mermaid-cli
(npm packages that `./dev.sh` installs into tools/node, git-ignored) and LibreOffice (apt).

Each is called once for a batch of files. Nothing downloads at run time: puppeteer and Playwright
drive the system Chromium. A missing tool fails the test with the command that installs it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
NODE_TOOLS = ROOT / "tools" / "node"
NODE_MODULES = NODE_TOOLS / "node_modules"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).parent / "artifacts"
INSTALL = "run `./dev.sh tools` (installs tools/node with npm, LibreOffice with apt-get)"


def node_file(relative: str) -> Path:
    path = NODE_MODULES / relative
    if not path.exists() or shutil.which("node") is None:
        pytest.fail(f"{relative} is not installed: {INSTALL}")
    return path


def bpmnlint(files: list[Path]) -> tuple[int, str]:
    """bpmnlint with the `recommended` rules (tools/node/.bpmnlintrc) over all `files` at once."""
    cli = node_file("bpmnlint/bin/bpmnlint.js")
    result = subprocess.run(
        ["node", str(cli), "--config", str(NODE_TOOLS / ".bpmnlintrc"), *map(str, files)],
        capture_output=True, text=True, timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def mermaid_svgs(diagrams: dict[str, str], out: Path) -> dict[str, Path]:
    """Render each Mermaid diagram to SVG with mermaid-cli, all in one call (a Markdown file with one
    block per diagram). Returns name → SVG path."""
    cli = node_file("@mermaid-js/mermaid-cli/src/cli.js")
    out.mkdir(parents=True, exist_ok=True)
    names = list(diagrams)
    markdown = "\n".join(f"# {name}\n\n```mermaid\n{diagrams[name]}```\n" for name in names)
    source = out / "diagrams.md"
    source.write_text(markdown, encoding="utf-8")
    config = out / "puppeteer.json"
    config.write_text(json.dumps({"executablePath": CHROMIUM, "args": CHROMIUM_ARGS}), encoding="utf-8")
    result = subprocess.run(
        ["node", str(cli), "-i", str(source), "-o", str(out / "out.md"), "-p", str(config), "-q"],
        capture_output=True, text=True, timeout=300, env={"PUPPETEER_SKIP_DOWNLOAD": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {name: out / f"out-{i}.svg" for i, name in enumerate(names, start=1)}


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.fail(f"LibreOffice is not installed: {INSTALL}")
    return path


_BPMN_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="{assets}/diagram-js.css"><link rel="stylesheet" href="{assets}/bpmn-js.css">
<style>html, body, #canvas {{ margin: 0; width: 100%; height: 100%; overflow: hidden; background: #fff; }}</style>
<script src="{dist}"></script></head><body><div id="canvas"></div></body></html>"""

_BPMN_OPEN = """async (xml) => {
  if (window.viewer) { window.viewer.destroy(); }
  window.viewer = new BpmnJS({ container: '#canvas' });
  const { warnings } = await window.viewer.importXML(xml);
  const canvas = window.viewer.get('canvas');
  const zoom = canvas.zoom('fit-viewport');
  const box = canvas.viewbox();
  const registry = window.viewer.get('elementRegistry');
  return { warnings: warnings.map(w => String(w.message)), zoom, width: box.inner.width,
           height: box.inner.height, elements: registry.getAll().length };
}"""


def bpmn_js(diagrams: dict[str, str], size: tuple[int, int], page_dir: Path,
            screenshots: dict[str, Path] | None = None) -> dict[str, dict]:
    """Open each BPMN document in bpmn-js (navigated viewer) in headless Chromium at `size`, fit it
    to the window; per diagram: import warnings, the fit-to-window zoom and the diagram's size."""
    from playwright.sync_api import sync_playwright

    dist = node_file("bpmn-js/dist/bpmn-navigated-viewer.production.min.js")
    page_dir.mkdir(parents=True, exist_ok=True)
    html = page_dir / "bpmn-js.html"
    html.write_text(_BPMN_PAGE.format(assets=(dist.parent / "assets").as_uri(), dist=dist.as_uri()), encoding="utf-8")
    results: dict[str, dict] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": size[0], "height": size[1]})
            page.goto(html.as_uri())
            for name, xml in diagrams.items():
                results[name] = page.evaluate(_BPMN_OPEN, xml)
                if screenshots and name in screenshots:
                    page.screenshot(path=str(screenshots[name]))
        finally:
            browser.close()
    return results
