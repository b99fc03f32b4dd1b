"""Regenerate the export golden files: `python tests/golden/export/regenerate.py` from the repo root.

One file per format and design (every template of the library and the interop fixtures), named
`<design id>.<suffix>`; the JSON Schema does not depend on the design and has one file. Review the
diff before committing: a golden file is what users get.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from journeymap import library
from journeymap.export import export  # noqa: E402
from journeymap.designfile.reading import load_design  # noqa: E402
from journeymap.model import Design  # noqa: E402

GOLDEN = Path(__file__).parent
DATA = ROOT / "tests" / "data"
FIXTURES = ("interop_full", "interop_minimal", "interop_hostile")
SUFFIX = {
    "bpmn": "bpmn",
    "mermaid": "mmd",
    "csv": "csv",
    "xlsx": "xlsx",
    "salesforce": "salesforce.zip",
    "hubspot": "hubspot.json",
}
SCHEMA_FILE = "design.schema.json"


def golden_designs() -> dict[str, Design]:
    """Every design with golden files: the templates, then the fixtures."""
    designs = {t.id: t.design for t in library.list_templates()}
    for name in FIXTURES:
        design = load_design(DATA / f"{name}.yaml")
        designs[design.id] = design
    return designs


def applies(fmt: str, design: Design) -> bool:
    """CRM pipelines need funnel stages; every other format applies to every design."""
    return fmt not in ("salesforce", "hubspot") or bool(design.funnel_stages)


def golden_path(design_id: str, fmt: str) -> Path:
    return GOLDEN / f"{design_id}.{SUFFIX[fmt]}"


def xlsx_dump(content: bytes) -> str:
    """What a workbook holds, as text: per sheet the frozen pane, validations and every cell's
    coordinate, type, quote prefix and value. Golden workbooks are compared through this."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    lines: list[str] = []
    for ws in wb.worksheets:
        lines.append(f"== {ws.title} freeze={ws.freeze_panes}")
        for dv in sorted(ws.data_validations.dataValidation, key=lambda d: str(d.sqref)):
            lines.append(f"   validation {dv.sqref} {dv.type} {dv.formula1} {dv.formula2 or ''}".rstrip())
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                prefix = "'" if cell.quotePrefix else ""
                lines.append(f"{cell.coordinate} {cell.data_type} {prefix}{cell.value!r}")
    return "\n".join(lines) + "\n"


def zip_dump(content: bytes) -> str:
    """What a zip holds, as text: each member's path and content (zip bytes depend on zlib)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(f"== {name}\n{archive.read(name).decode('utf-8')}" for name in archive.namelist())


def main() -> None:
    written = 0
    for design_id, design in golden_designs().items():
        for fmt in SUFFIX:
            if not applies(fmt, design):
                continue
            golden_path(design_id, fmt).write_bytes(export(design, fmt))
            written += 1
    (GOLDEN / SCHEMA_FILE).write_bytes(export(next(iter(golden_designs().values())), "json-schema"))
    print(f"wrote {written + 1} golden files to {GOLDEN.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
