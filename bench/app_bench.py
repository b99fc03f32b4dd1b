"""Server-side rerun time of every app page with the largest template (AppTest; not a test).

    python bench/app_bench.py [--runs 10] [--template ID]

Opens the library's largest template (most stages) as a saved design in a temporary workspace,
then for each page measures the first run after switching to it and the median and worst of
`--runs` reruns (what a click costs on the server). Target: every page's median rerun under
300 ms. Prints one line per page and exits 1 when a page misses the target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest

from journeymap import library
from journeymap.ui import PAGES
from journeymap.workspace.facade import Workspace

TARGET_MS = 300
ACTUAL_DEALS = 2000


def synthetic_actuals(design, deals: int = ACTUAL_DEALS) -> bytes:
    """An event log in the design's own stage names: deals walking down the funnel at its rates."""
    import random

    random.seed(1)
    funnel = design.funnel_stages
    rows = ["案件ID,ステージ,日時,金額"]
    for n in range(deals):
        day = random.randint(0, 60)
        for i, stage in enumerate(funnel):
            if i and random.random() > (stage.target_rate or 0.5):
                break
            day += random.randint(1, 10)
            rows.append(f"D{n:05d},{stage.name.ja if hasattr(stage.name, 'ja') else stage.name},2025-{1 + day // 28:02d}-{1 + day % 28:02d},1000000")
    return ("\n".join(rows) + "\n").encode("utf-8")


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--template", help="template id (default: the one with the most stages)")
    args = parser.parse_args()

    templates = library.list_templates()
    template = next((t for t in templates if t.id == args.template), None) if args.template else max(
        templates, key=lambda t: (len(t.design.stages), len(t.design.journey.phases) if t.design.journey else 0)
    )
    design = template.design
    with tempfile.TemporaryDirectory() as folder:
        os.environ["JOURNEYMAP_WORKSPACE"] = folder
        Workspace.open(folder, seed=False).create(design)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        at.button(key=f"open.{design.id}").click().run()
        assert not at.exception, at.exception

        print(f"template {template.id}: {len(design.phases)} phases, {len(design.stages)} stages, "
              f"{len(design.funnel_stages)} funnel stages, "
              f"{len(design.journey.phases) if design.journey else 0} journey phases; {args.runs} reruns per page")
        print(f"{'page':<14}{'first run':>11}{'median':>9}{'worst':>9}  target {TARGET_MS} ms")
        misses = 0
        for file, _title, _icon in PAGES:
            at.switch_page(f"journeymap/ui/views/{file}")
            first = timed(at.run)
            assert not at.exception, (file, [e.value for e in at.exception])
            reruns = [timed(at.run) for _ in range(args.runs)]
            median, worst = statistics.median(reruns), max(reruns)
            verdict = "ok" if median < TARGET_MS else "SLOW"
            misses += verdict != "ok"
            print(f"{file:<14}{first:>9.0f}ms{median:>7.0f}ms{worst:>7.0f}ms  {verdict}")

        # Compare with an uploaded CRM export: reading and comparing happen once per file and mapping.
        at.switch_page("journeymap/ui/views/compare.py").run()
        at.file_uploader(key="actuals_file").upload("crm.csv", synthetic_actuals(design), "text/csv")
        first = timed(at.run)
        assert not at.exception, [e.value for e in at.exception]
        assert at.metric and at.metric[0].value == f"{ACTUAL_DEALS:,}", [m.value for m in at.metric]
        reruns = [timed(at.run) for _ in range(args.runs)]
        print(f"{'compare+file':<14}{first:>9.0f}ms{statistics.median(reruns):>7.0f}ms{max(reruns):>7.0f}ms  "
              f"({ACTUAL_DEALS:,} deals; first run reads, compares and writes the report)")

        # An edit on the Design page: the table applies it, validates, autosaves a draft, reruns.
        at.switch_page("journeymap/ui/views/design.py").run()
        phase = design.phases[0]
        key = next(d.key for d in at.data_editor if d.key.startswith(f"stages.{phase.id}."))
        edits = []
        for i in range(args.runs):
            at.session_state[key] = {"edited_rows": {0: {"target_days": 10 + i}}, "added_rows": [], "deleted_rows": []}
            edits.append(timed(at.run))
            key = next(d.key for d in at.data_editor if d.key.startswith(f"stages.{phase.id}."))
        print(f"{'design edit':<14}{'':>11}{statistics.median(edits):>7.0f}ms{max(edits):>7.0f}ms  "
              "(apply + validate + draft + rerun)")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
