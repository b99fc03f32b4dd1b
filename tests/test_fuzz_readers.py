"""Fuzz: mutated real templates, in every format a design is read from, are read or refused with a place.

The examples come from `tests/fuzzing.py` (a seeded mutator: the same files on every run). Every
reader must return a Design or raise our InputError — never another exception — whose issues name
the file and the line (YAML, JSON) or the cell (xlsx); a workbook that cannot be opened as one, or
that lacks a sheet, is named as a whole. The count is modest here; `bench/fuzz_bench.py` runs many
more (`--examples 5000`).
"""

from __future__ import annotations

import os
import re
import time

import pytest

from journeymap.errors import InputError
from journeymap.model import Design
from tests.fuzzing import examples, read

EXAMPLES = int(os.environ.get("JOURNEYMAP_FUZZ_EXAMPLES", "60"))
SECONDS = 10.0
"""The issue's bound on any input the product accepts; a reader that takes longer is hanging."""

WHOLE_WORKBOOK = re.compile(
    r"^(this is not an Excel workbook|cannot read this Excel workbook|this workbook is damaged|the sheet '[^']+' is missing"
    r"|the workbook (unpacks|holds))"
)
"""What is wrong with a workbook as a whole has no one cell to name."""


def placed(issue, example) -> bool:
    if issue.source != example.name:
        return False
    if example.fmt == "xlsx":
        return issue.cell is not None or (issue.line is None and bool(WHOLE_WORKBOOK.match(issue.message)))
    return issue.line is not None


@pytest.mark.parametrize(("fmt", "seed"), [("yaml", 11), ("json", 12), ("xlsx", 13)])
def test_every_mutated_file_is_read_or_refused_with_its_file_and_place(fmt, seed):
    count = EXAMPLES if fmt != "xlsx" else max(10, EXAMPLES // 3)
    outcomes = {"read": 0, "refused": 0}
    for example in examples(seed, count, (fmt,)):
        start = time.perf_counter()
        answer = read(example)  # any exception but InputError propagates and fails the test
        assert time.perf_counter() - start < SECONDS, f"{example.name} took {time.perf_counter() - start:.1f} s"
        if isinstance(answer, InputError):
            outcomes["refused"] += 1
            unplaced = [str(i) for i in answer.issues if not placed(i, example)]
            assert unplaced == [], f"{example.name}: {unplaced}"
        else:
            assert isinstance(answer, Design)
            outcomes["read"] += 1
    assert outcomes["refused"] > count // 2  # the mutations break most files...
    assert outcomes["read"] >= 1  # ...and leave some readable: both answers were exercised


def test_a_control_character_in_yaml_is_refused_at_its_line_and_column():
    from journeymap.designfile.reading import parse_design_text

    with pytest.raises(InputError) as refused:
        parse_design_text(b"schema_version: 1\nid: a\nname: x\x04y\n", "f.yaml")
    issue = refused.value.first
    assert (issue.line, issue.column) == (3, 8) and "control character (U+0004)" in issue.message
