"""Exports opened in the tools their users open them in, once per batch of files (see
tests/external_tools.py): bpmnlint's recommended rules and bpmn-js for BPMN, mermaid-cli for
Mermaid, LibreOffice for the workbook. Screenshots of b2b-standard go to tests/artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap import library
from journeymap.designfile.reading import load_design
from journeymap.export import export
from tests.external_tools import ARTIFACTS, bpmn_js, bpmnlint, mermaid_svgs, soffice

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


def test_mermaid_top_to_bottom_fits_a_wiki_column_for_every_template(tmp_path):
    """mermaid-cli renders every template under about 1,200 px wide (a wiki column is ~880 px;
    left to right was 1.7k-5.1k px); LR stays available and is wide, as expected."""
    import re

    diagrams = {name: export(design, "mermaid").decode("utf-8") for name, design in TEMPLATES.items()}
    diagrams["b2b-standard.LR"] = export(TEMPLATES["b2b-standard"], "mermaid", direction="LR").decode("utf-8")
    svgs = mermaid_svgs(diagrams, tmp_path)
    widths = {}
    for name, path in svgs.items():
        svg = path.read_text(encoding="utf-8")
        assert "Syntax error" not in svg, name
        widths[name] = float(re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"', svg).group(1))
    too_wide = {name: w for name, w in widths.items() if w > 1200 and not name.endswith(".LR")}
    assert not too_wide, too_wide
    assert widths["b2b-standard.LR"] > 1200  # the check measures: left to right is wide
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "mermaid-b2b-standard.svg").write_bytes(svgs["b2b-standard"].read_bytes())


def test_the_workbook_opens_in_libreoffice_with_rows_sized_fonts_named_and_alerts_on(tmp_path):
    """LibreOffice converts the workbook to PDF: it opens; landscape fit-to-width keeps b2b-standard
    to a few pages (it was 61), and the PDF embeds a Japanese font. The workbook itself has its rows
    sized to their text, a named font and an error alert on every list."""
    import io
    import subprocess

    from openpyxl import load_workbook

    content = export(TEMPLATES["b2b-standard"], "xlsx")
    source = tmp_path / "b2b-standard.xlsx"
    source.write_bytes(content)
    result = subprocess.run(
        [soffice(), "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=240,
    )
    pdf = tmp_path / "b2b-standard.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages <= 20, f"{pages} pages"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts or "Gothic" in fonts, fonts
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "workbook-b2b-standard.pdf").write_bytes(pdf.read_bytes())

    wb = load_workbook(io.BytesIO(content))
    stages = wb["Stages"]
    assert stages.page_setup.orientation == "landscape" and stages.page_setup.fitToWidth == 1
    assert stages.print_area is not None
    tall = [row for row, dim in stages.row_dimensions.items() if dim.height and dim.height > 16]
    assert tall, "rows with wrapped text are taller than one line"
    assert stages["A1"].font.name == "Yu Gothic" and stages["B2"].font.name == "Yu Gothic"
    for ws in wb.worksheets:
        for rule in ws.data_validations.dataValidation:
            assert rule.showErrorMessage and rule.errorStyle == "stop" and "/" in rule.errorTitle, (ws.title, rule.sqref)
            assert rule.error, (ws.title, rule.sqref)
