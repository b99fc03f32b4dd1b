"""The Compare page's read-only tables on a projector, measured in Chromium as the Plan page's are
(tests/test_browser_plan.py): ステージ別の差異 (its conversion table and its days / stagnant / paused
table) and 期間別の計画と実績 (opened), every heading drawn inside its table with nothing to scroll
sideways, no figure or heading cut, text as large as the page's labels.

At 1280×720 with the sidebar open and collapsed, 1440×900 and 1920×1080, Japanese and English.
Screenshots: tests/artifacts/compare-tables-*.png.
"""

from __future__ import annotations

import pytest

from journeymap.text.catalogue import text
from tests.test_app_analysis import ACTUALS
from tests.test_browser import ARTIFACTS, browser, server, settle  # noqa: F401  (fixtures)
from tests.test_browser_plan import MEASURE, TABLES, language, sidebar_open

pytestmark = pytest.mark.browser

STAGE_KEYS = ["plan.col.stage", "compare.planned_window", "compare.reached", "compare.entered", "compare.rate",
              "compare.target_rate", "compare.gap", "compare.attainment", "compare.status", "compare.median_days",
              "compare.p90_days", "compare.stagnant", "compare.paused"]
PERIOD_KEYS = ["compare.window", "plan.col.stage", "compare.planned", "compare.actual", "compare.attainment"]


@pytest.mark.parametrize(("width", "height", "with_sidebar"), [
    (1280, 720, True), (1280, 720, False), (1440, 900, True), (1920, 1080, True),
])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_column_of_the_compare_tables_is_on_screen(server, browser, width, height, with_sidebar, lang):  # noqa: F811
    url, _workspace = server
    per = text("compare.planned_per_period", lang, per=text("period.month", lang))
    wanted = {
        "stages": [text(k, lang) for k in STAGE_KEYS] + [per],
        "periods": [text(k, lang) for k in PERIOD_KEYS],
    }
    marks = {"stages": (text("compare.target_rate", lang), text("compare.median_days", lang)),
             "periods": (text("compare.window", lang),)}
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP")
    page = context.new_page()
    wrong = []
    tag = f"{width}x{height}-{'sidebar' if with_sidebar else 'nosidebar'}-{lang}"
    try:
        page.goto(f"{url}/plan?design=b2b-standard")
        settle(page, TABLES)
        language(page, lang)
        page.goto(f"{url}/compare?design=b2b-standard&lang={lang}")
        settle(page, '.st-key-actuals_file [data-testid="stFileUploaderDropzone"]')
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(ACTUALS))
        settle(page, TABLES)
        page.wait_for_selector(f'text={text("compare.by_stage", lang)}', timeout=30_000)
        expander = page.locator('[data-testid="stExpander"] summary', has_text=text("compare.periods", lang))
        expander.first.click()
        settle(page)
        sidebar_open(page, with_sidebar)
        m = page.evaluate(MEASURE, sorted({h for hs in wanted.values() for h in hs}))
        assert page.locator('[data-testid="stException"]').count() == 0, tag
        if m["page_scrolls_sideways"]:
            wrong.append((tag, "the page scrolls sideways"))
        for name, headers in wanted.items():
            tables = [tb for tb in m["tables"] if any(mark in tb["text"] for mark in marks[name])]
            assert tables, (tag, name, [tb["text"][:80] for tb in m["tables"]])
            for table in tables:
                for problem in ("scrolls", "outside", "cut"):
                    if table[problem]:
                        wrong.append((tag, name, problem, table[problem]))
                if table["smallest_px"] is not None and table["smallest_px"] < max(14, m["label_px"]):
                    wrong.append((tag, name, "text", table["smallest_px"], m["label_px"]))
            drawn = {h for tb in tables for h, state in tb["headers"].items() if state == "drawn"}
            if set(headers) - drawn:
                wrong.append((tag, name, "headings not drawn", sorted(set(headers) - drawn)))
        for i, heading in enumerate((text("compare.by_stage", lang), text("compare.periods", lang))):
            page.get_by_text(heading, exact=True).last.scroll_into_view_if_needed()
            page.wait_for_timeout(300)
            page.screenshot(path=str(ARTIFACTS / f"compare-tables-{tag}-{i}.png"))
    finally:
        context.close()
    assert wrong == [], wrong
