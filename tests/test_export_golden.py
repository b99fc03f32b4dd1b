"""Golden files for every export format on every template and fixture.

Regenerate with `python tests/golden/export/regenerate.py` after a deliberate change, and review
the diff. A golden file that does not exist fails the test: a new template needs its golden files.
"""

from __future__ import annotations

import pytest

from journeymap.export import export, formats
from tests.golden.export.regenerate import (
    GOLDEN,
    SCHEMA_FILE,
    SUFFIX,
    applies,
    golden_designs,
    golden_path,
    xlsx_dump,
    zip_dump,
)

DESIGNS = golden_designs()
CASES = [
    pytest.param(design_id, fmt, id=f"{design_id}.{fmt}")
    for design_id, design in DESIGNS.items()
    for fmt in SUFFIX
    if applies(fmt, design)
]
HINT = "run `python tests/golden/export/regenerate.py` and review the diff"


@pytest.mark.parametrize("design_id, fmt", CASES)
def test_export_matches_its_golden_file(design_id, fmt):
    path = golden_path(design_id, fmt)
    assert path.exists(), f"missing golden file {path.name}: {HINT}"
    produced = export(DESIGNS[design_id], fmt)
    expected = path.read_bytes()
    if fmt == "xlsx":  # compared by content: zip bytes depend on the openpyxl version
        assert xlsx_dump(produced) == xlsx_dump(expected), HINT
    elif fmt == "salesforce":  # compared by content: zip bytes depend on zlib
        assert zip_dump(produced) == zip_dump(expected), HINT
    else:
        assert produced.decode("utf-8") == expected.decode("utf-8"), HINT


def test_json_schema_matches_its_golden_file():
    produced = export(next(iter(DESIGNS.values())), "json-schema").decode("utf-8")
    assert produced == (GOLDEN / SCHEMA_FILE).read_text(encoding="utf-8"), HINT


def test_every_template_is_covered():
    from journeymap import library

    assert {t.id for t in library.list_templates()} <= set(DESIGNS)


def test_no_stale_golden_files():
    expected = {golden_path(design_id, fmt).name for design_id, fmt in ((c.values[0], c.values[1]) for c in CASES)}
    present = {p.name for p in GOLDEN.iterdir() if p.is_file() and p.suffix != ".py"} - {SCHEMA_FILE}
    assert present <= expected, f"golden files without a design: {sorted(present - expected)}"


def test_every_interop_format_is_registered_for_cli_and_app():
    names = set(formats())
    assert {"bpmn", "mermaid", "csv", "xlsx", "json-schema", "salesforce", "hubspot"} <= names
    assert formats()["xlsx"].binary and not formats()["csv"].binary
