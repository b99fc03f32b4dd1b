"""Zip-based files from users (.xlsx) opened with their work bounded, before any XML is parsed.

A 2 MB workbook can hold gigabytes of XML (a zip bomb), thousands of entries, or a sheet that
claims 16,384 columns. `check_zip` reads only the zip's directory and refuses a file whose entries
are too many or expand to too much; the readers then stream the sheets and stop at `MAX_CELLS`.
XML is parsed by openpyxl through defusedxml (installed with journeymap), so entity declarations
(XXE, "billion laughs") are refused rather than expanded; `XML_ERRORS` are the exceptions a
damaged or hostile workbook raises while it is read, for the readers to turn into messages.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from journeymap.errors import InputError
from journeymap.text.problems import Verbatim, refuse


@dataclass(frozen=True)
class ZipLimits:
    entries: int
    uncompressed: int
    """Bytes all entries may expand to together."""
    cells: int
    """Cells a reader takes from the sheets before it stops with a message."""


ACTUALS_LIMITS = ZipLimits(entries=2_000, uncompressed=64 * 1024**2, cells=200_000)
"""A CRM export as a workbook: 33,000 rows of six columns (openpyxl streams 20,000–35,000 cells a
second here, so the limit keeps a workbook under 10 s); larger exports are CSV, which reads a
million rows in a few seconds (bench/bounds_bench.py measures both)."""
DESIGN_LIMITS = ZipLimits(entries=500, uncompressed=40 * 1024**2, cells=300_000)
"""A design workbook: a few sheets of a few hundred rows."""


def check_zip(content: bytes, source: str, limits: ZipLimits) -> None:
    """Refuse a zip whose entries are too many, or expand to more than `limits.uncompressed` bytes.

    Only the central directory is read. The sizes it declares are the ones the zip reader holds
    each entry to when it is read (an entry longer than it says fails its check), so they bound the work."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise refuse("problem.zip_damaged", source=source, detail=Verbatim(str(exc))) from None
    if len(entries) > limits.entries:
        raise refuse("problem.zip_entries", source=source, n=len(entries), limit=limits.entries)
    expanded = sum(max(e.file_size, 0) for e in entries)
    if expanded > limits.uncompressed:
        raise refuse("problem.zip_expands", source=source, size=round(expanded / 1024**2),
                     limit=round(limits.uncompressed / 1024**2))


def refuse_xml_declarations(content: bytes, source: str) -> None:
    """Refuse a workbook whose XML parts declare a document type or entities (XXE, entity expansion).

    Excel never writes them; a reader that does not expand them would still read the rest, so they
    are refused before any part is parsed. Call after `check_zip`, which bounds what is unpacked here."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for entry in archive.infolist():
            if not entry.filename.endswith((".xml", ".rels")):
                continue
            with archive.open(entry) as part:
                head = part.read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise refuse("problem.xml_entities", source=source, part=entry.filename)


def too_many_cells(source: str, limits: ZipLimits, where: str | None) -> InputError:
    """More cells than `limits` allows, at the cell `where` (`Sheet!A1`), or in the sheets together (None)."""
    if where is None:
        return refuse("problem.too_many_cells_book", source=source, limit=limits.cells)
    return refuse("problem.too_many_cells", source=source, limit=limits.cells, where=where)


def _xml_errors() -> tuple[type[BaseException], ...]:
    import xml.etree.ElementTree as ET

    # SyntaxError: lxml's XMLSyntaxError is one (openpyxl parses with lxml where it is installed).
    return (ET.ParseError, SyntaxError, zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError,
            AttributeError, OSError, EOFError, UnicodeError)


def __getattr__(name: str) -> tuple[type[BaseException], ...]:
    """`XML_ERRORS`: what openpyxl raises for a damaged workbook or refused XML (defusedxml's errors
    are ValueErrors); built on first use, so that reading a CSV does not import xml.etree."""
    if name == "XML_ERRORS":
        return _xml_errors()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
