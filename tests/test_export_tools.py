"""Exports opened in the tools their users open them in, once per batch of files (see
tests/external_tools.py): bpmnlint's recommended rules and bpmn-js for BPMN, mermaid-cli for
Mermaid, LibreOffice for the workbook. Screenshots of b2b-standard go to tests/artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap import library
from journeymap.designfile.reading import load_design
from journeymap.export import export
from tests.external_tools import ARTIFACTS, bpmn_js, bpmnlint

pytestmark = pytest.mark.external
DATA = Path(__file__).parent / "data"
TEMPLATES = {t.id: t.design for t in library.list_templates()}
FIXTURES = {name: load_design(DATA / f"{name}.yaml") for name in ("interop_full", "interop_minimal", "interop_hostile")}


def test_bpmnlint_recommended_passes_on_every_template_and_fixture(tmp_path):
    files = []
    for name, design in {**TEMPLATES, **FIXTURES}.items():
        for lang in ("ja", "en"):
            path = tmp_path / f"{name}.{lang}.bpmn"
            path.write_bytes(export(design, "bpmn", lang=lang))
            files.append(path)
    code, report = bpmnlint(files)
    assert code == 0, report


def test_bpmnlint_finds_what_it_should(tmp_path):
    """The check can fail: a branch without a condition and an unnamed gateway are reported."""
    xml = export(TEMPLATES["b2b-standard"], "bpmn").decode("utf-8")
    broken = xml.replace('name="クロージングの判定"', "", 1)
    start = broken.index("<bpmn:conditionExpression")
    broken = broken[:start] + broken[broken.index("</bpmn:conditionExpression>") + len("</bpmn:conditionExpression>"):]
    path = tmp_path / "broken.bpmn"
    path.write_text(broken, encoding="utf-8")
    code, report = bpmnlint([path])
    assert code != 0
    assert "label-required" in report and "conditional-flows" in report


def test_bpmn_opens_in_bpmn_js_without_warnings_and_b2b_standard_fits_a_full_hd_screen(tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    diagrams = {name: export(design, "bpmn").decode("utf-8") for name, design in {**TEMPLATES, **FIXTURES}.items()}
    results = bpmn_js(diagrams, (1920, 1080), tmp_path,
                      screenshots={"b2b-standard": ARTIFACTS / "bpmn-js-b2b-standard-1920x1080.png"})
    for name, result in results.items():
        assert result["warnings"] == [], name
        assert result["elements"] > 5, name
    b2b = results["b2b-standard"]
    assert b2b["zoom"] >= 0.7, f"b2b-standard fits 1920×1080 only at zoom {b2b['zoom']:.2f} ({b2b['width']}×{b2b['height']})"
