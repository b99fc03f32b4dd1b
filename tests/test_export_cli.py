"""`journeymap export --to FORMAT` for the interop formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.cli.main import main

DATA = Path(__file__).parent / "data"
FULL = str(DATA / "interop_full.yaml")


@pytest.mark.parametrize(
    "fmt, start",
    [
        ("bpmn", b'<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions'),
        ("mermaid", b"flowchart TB\n"),
        ("csv", "\ufeffフェーズID".encode("utf-8")),
        ("xlsx", b"PK\x03\x04"),
        ("json-schema", b'{\n  "$schema"'),
        ("salesforce", b"PK\x03\x04"),  # a zip: the Salesforce metadata folder
        ("hubspot", b'{\n  "label"'),
    ],
)
def test_export_writes_each_format(tmp_path, fmt, start):
    out = tmp_path / f"out.{fmt}"
    assert main(["export", FULL, "--to", fmt, "-o", str(out)]) == 0
    assert out.read_bytes().startswith(start)


def test_lang_option_reaches_the_writer(tmp_path):
    out = tmp_path / "out.mmd"
    assert main(["export", FULL, "--to", "mermaid", "--lang", "en", "-o", str(out)]) == 0
    assert "Contact creation" in out.read_text(encoding="utf-8")


def test_xlsx_to_standard_output_is_a_usage_error(capsys):
    assert main(["export", FULL, "--to", "xlsx"]) == 2


def test_crm_export_of_a_design_without_funnel_is_an_input_error(tmp_path, capsys):
    out = tmp_path / "out.xml"
    assert main(["export", str(DATA / "interop_minimal.yaml"), "--to", "salesforce", "-o", str(out)]) == 1
    assert "no funnel stages" in capsys.readouterr().err
    assert not out.exists()
