"""The golden DOT files of the renderer (tests/golden/render): every template and the fixture, in
every view.

    python -m tests.regen_golden          # rewrite tests/golden/render/*.dot
    python -m tests.regen_golden --check  # exit 1 when a golden file differs or is missing

Run it after changing the renderer or a template, look at the diff (and at the PNGs), commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from journeymap import library
from journeymap.designfile.reading import load_design
from journeymap.render import VIEWS, to_dot

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "render"
DATA = HERE / "data"


def fixture_cases() -> dict[str, str]:
    full = load_design(DATA / "render_full.yaml")
    compare = json.loads((DATA / "render_compare.json").read_text(encoding="utf-8"))
    cases = {f"render_full.{view}": to_dot(full, view=view) for view in VIEWS}
    cases["render_full.process.projector-dark.en.detailed"] = to_dot(
        full, view="process", theme="projector-dark", lang="en", detail="detailed")
    cases["render_full.journey.print.en"] = to_dot(full, view="journey", theme="print", lang="en")
    cases["render_full.funnel.projector.overlay"] = to_dot(full, view="funnel", theme="projector", overlay=compare)
    cases["render_full.process.highlight"] = to_dot(full, view="process", highlight="appointment", overlay=compare)
    return cases


def template_case_names(template_id: str) -> list[str]:
    return [f"{template_id}.{view}" for view in VIEWS]


def template_cases() -> dict[str, str]:
    cases = {}
    for template in library.list_templates():
        for view, name in zip(VIEWS, template_case_names(template.id)):
            cases[name] = to_dot(template.design, view=view)
    return cases


def cases() -> dict[str, str]:
    return {**fixture_cases(), **template_cases()}


def path_of(name: str) -> Path:
    return GOLDEN / f"{name}.dot"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    all_cases = cases()
    stale = sorted(p.name for p in GOLDEN.glob("*.dot") if p.stem not in all_cases)
    differ = [n for n, text in all_cases.items()
              if not path_of(n).exists() or path_of(n).read_text(encoding="utf-8") != text]
    if check:
        for name in differ:
            print(f"differs or missing: {path_of(name)}")
        for name in stale:
            print(f"stale: {GOLDEN / name}")
        return 1 if differ or stale else 0
    GOLDEN.mkdir(exist_ok=True)
    for name in stale:
        (GOLDEN / name).unlink()
    for name, text in all_cases.items():
        path_of(name).write_text(text, encoding="utf-8")
    print(f"{len(all_cases)} golden files in {GOLDEN} ({len(differ)} changed, {len(stale)} removed)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
