"""Golden DOT: the exact text of every template and the fixture in every view.

A change to the renderer or a template shows up here as a diff; regenerate with
`python -m tests.regen_golden`, read the diff, look at the pictures, commit.
"""

from __future__ import annotations

import pytest

from journeymap import library

from . import regen_golden as golden

HINT = "regenerate with `python -m tests.regen_golden`, review the diff and the PNGs, and commit"


def _compare(name: str, text: str) -> None:
    path = golden.path_of(name)
    assert path.exists(), f"no golden file {path}: {HINT}"
    assert text == path.read_text(encoding="utf-8"), f"{path} differs: {HINT}"


@pytest.mark.parametrize("name", sorted(golden.fixture_cases()))
def test_fixture_golden(name):
    _compare(name, golden.fixture_cases()[name])


def test_every_template_has_a_golden_per_view():
    """A template without golden files fails here, never skips; all differences are listed."""
    cases = golden.template_cases()
    assert len(cases) == 3 * len(library.list_templates())
    problems = []
    for name, text in sorted(cases.items()):
        path = golden.path_of(name)
        if not path.exists():
            problems.append(f"missing {path}")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"differs {path}")
    assert not problems, "\n".join(problems) + f"\n{HINT}"


def test_no_stale_golden_files():
    known = set(golden.cases())
    stale = sorted(p.name for p in golden.GOLDEN.glob("*.dot") if p.stem not in known)
    assert not stale, f"golden files without a case: {stale}: {HINT}"
