"""The Design page's stage editor on a projector, measured in Chromium: every column of the editable
table on screen with nothing to scroll sideways (the editor is a data grid: it must stay editable),
its headings among the columns the grid draws, and the description (left out of the table) edited
in ステージの詳細 below it.

At 1280×720 with the sidebar open and collapsed, 1440×900 and 1920×1080, Japanese and English, for
every phase of b2b-standard. Screenshots: tests/artifacts/design-table-*.png.
"""

from __future__ import annotations

import pytest

from journeymap.text.catalogue import text
from tests.test_browser import ARTIFACTS, browser, server, settle  # noqa: F401  (fixtures)
from tests.test_browser_plan import MEASURE, TABLES, sidebar_open

pytestmark = pytest.mark.browser

HEADINGS = ["field.id", "field.name", "field.owner", "field.funnel", "design.col.target_rate", "field.target_days",
            "field.unit_cost", "design.col.probability", "design.col.forecast_category"]


@pytest.mark.parametrize(("width", "height", "with_sidebar"), [
    (1280, 720, True), (1280, 720, False), (1440, 900, True), (1920, 1080, True),
])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_column_of_the_stage_editor_is_on_screen(server, browser, width, height, with_sidebar, lang):  # noqa: F811
    url, _workspace = server
    headings = [text(k, lang) for k in HEADINGS]
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP")
    page = context.new_page()
    wrong = []
    tag = f"{width}x{height}-{'sidebar' if with_sidebar else 'nosidebar'}-{lang}"
    try:
        page.goto(f"{url}/design?design=b2b-standard&lang={lang}")
        settle(page, TABLES)
        sidebar_open(page, with_sidebar)
        phases = page.locator('[data-testid="stMain"] [data-testid="stButtonGroup"]').first.locator("button")
        for i in range(phases.count()):
            phases.nth(i).click()
            settle(page, TABLES)
            editor = page.locator(TABLES).first
            editor.scroll_into_view_if_needed()
            page.wait_for_timeout(300)
            m = page.evaluate(MEASURE, headings)
            table = m["tables"][0]
            assert table["kind"] == "stDataFrame", (tag, table["kind"])  # still an editable grid
            if m["page_scrolls_sideways"]:
                wrong.append((tag, i, "the page scrolls sideways"))
            if table["scrolls"]:
                wrong.append((tag, i, "scrolls", table["scrolls"]))
            if any(state != "drawn" for state in table["headers"].values()):
                wrong.append((tag, i, "headers", table["headers"]))
            page.screenshot(path=str(ARTIFACTS / f"design-table-{tag}-{i}.png"))
        assert page.get_by_text(text("field.description", lang), exact=True).count() >= 1, tag  # in ステージの詳細
        assert page.locator('[data-testid="stException"]').count() == 0, tag
    finally:
        context.close()
    assert wrong == [], wrong
