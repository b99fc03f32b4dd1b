"""The Plan page's table on a projector, measured in Chromium: every column on screen with nothing to
scroll sideways, no figure or header cut, and text as large as the page's own labels.

At 1280×720 with the sidebar open and collapsed, and at 1440×900 and 1920×1080 with it open, in
Japanese and English, for every template of the library (the longest stage names, and the account
design, which has no 確度 column) and a design whose first stage's name is far longer than any
template's (it takes the table's width; the headings must still break between words only, never
必要件 / 数). Screenshots: tests/artifacts/plan-table-*.png.
"""

from __future__ import annotations

import pytest

from journeymap import library
from journeymap.editing.operations import to_data, validated
from journeymap.text.catalogue import text
from journeymap.workspace.facade import Workspace
from tests.test_browser import ARTIFACTS, browser, server, settle  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

TABLES = '[data-testid="stMain"] [data-testid="stTable"], [data-testid="stMain"] [data-testid="stDataFrame"]'

MEASURE = r"""(headers) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const label = document.querySelector('[data-testid="stMain"] [data-testid="stWidgetLabel"] p');
  const out = {page_scrolls_sideways: document.scrollingElement.scrollWidth > innerWidth + 1
                                      || main.scrollWidth > main.clientWidth + 1,
               label_px: parseFloat(getComputedStyle(label).fontSize), tables: []};
  for (const table of document.querySelectorAll('[data-testid="stMain"] [data-testid="stTable"], [data-testid="stMain"] [data-testid="stDataFrame"]')) {
    const box = table.getBoundingClientRect();
    const t = {kind: table.dataset.testid, left: box.left, right: box.right, scrolls: [], outside: [], cut: [],
               headers: {}, smallest_px: null,
               text: table.textContent.slice(0, 4000)};
    // anything inside the table's box that scrolls sideways (the grid's scroller, a table's wrapper)
    for (const e of [table, ...table.querySelectorAll('*')]) {
      if (getComputedStyle(e).overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1)
        t.scrolls.push(`${e.className || e.tagName}: ${e.scrollWidth} > ${e.clientWidth} px`);
    }
    if (t.kind === 'stDataFrame') {
      // a canvas grid: its accessible header row lists the columns it draws
      for (const name of headers) t.headers[name] = [...table.querySelectorAll('th')].some(th => th.textContent.trim() === name) ? 'drawn' : 'not drawn';
    } else {
      const cells = [...table.querySelectorAll('th, td')];
      for (const cell of cells) {
        const r = cell.getBoundingClientRect();
        const words = cell.innerText.trim();
        if (r.left < box.left - 1 || r.right > box.right + 1) t.outside.push(`${words} (${r.left}–${r.right} px)`);
        for (const e of [cell, ...cell.querySelectorAll('*')]) {
          if (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0) t.cut.push(`${words} (${e.scrollWidth} > ${e.clientWidth} px)`);
        }
      }
      for (const th of table.querySelectorAll('th')) {  // a heading breaks between words only
        const bottoms = new Set(), walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(walker.currentNode);
          for (const r of range.getClientRects()) if (r.width > 0) bottoms.add(Math.round(r.bottom));
        }
        const lines = bottoms.size;
        const words = th.innerText.trim().split(/\s+/).length;
        if (lines > words) t.cut.push(`heading ${th.innerText.trim()} on ${lines} lines`);
      }
      for (const name of headers) {
        const th = [...table.querySelectorAll('th')].find(th => th.innerText.trim() === name);
        if (!th) { t.headers[name] = 'missing'; continue; }
        const r = th.getBoundingClientRect();
        th.scrollIntoView({block: 'center'});
        const s = th.getBoundingClientRect();
        const seen = document.elementFromPoint((s.left + s.right) / 2, (s.top + s.bottom) / 2);
        t.headers[name] = r.width > 0 && r.left >= box.left - 1 && r.right <= box.right + 1 && seen && th.contains(seen)
          ? 'drawn' : `not drawn (${r.left}–${r.right} px in ${box.left}–${box.right} px)`;
      }
      t.smallest_px = Math.min(...cells.map(c => parseFloat(getComputedStyle(c.querySelector('p') || c).fontSize)));
    }
    out.tables.push(t);
  }
  return out;
}"""


def long_names():
    """b2b-standard with a first stage named at length, in both languages."""
    data = to_data(library.load_template("b2b-standard"))
    data["id"] = "long-stage-names"
    stage = next(s for p in data["phases"] for s in p["stages"] if s.get("funnel"))
    stage["name"] = {"ja": "展示会・ウェビナー・資料請求・紹介・テレアポから獲得した新規リード（重複除外・名寄せ済み）",
                     "en": "New leads from trade shows, webinars, downloads, referrals and calls (deduplicated)"}
    return validated(data)


def language(page, lang: str) -> None:
    """The app in `lang` (the sidebar's switch), whatever the session had."""
    plan = text("page.plan", lang)
    if page.locator("h1").first.inner_text().strip() == plan:
        return
    sidebar = page.locator('[data-testid="stSidebar"]')
    if not sidebar.is_visible():
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.wait_for_timeout(600)
    sidebar.get_by_text("English" if lang == "en" else "日本語", exact=True).click()
    settle(page, TABLES)
    assert page.locator("h1").first.inner_text().strip() == plan


def sidebar_open(page, open_: bool) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    if sidebar.is_visible() == open_:
        return
    if open_:
        page.locator('[data-testid="stExpandSidebarButton"]').click()
    else:
        sidebar.hover()
        page.locator('[data-testid="stSidebarCollapseButton"] button').click()
    page.wait_for_timeout(800)  # the sidebar's slide
    assert sidebar.is_visible() == open_


@pytest.mark.parametrize(("width", "height", "with_sidebar"), [
    (1280, 720, True), (1280, 720, False), (1440, 900, True), (1920, 1080, True),
])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_column_of_the_plan_table_is_on_screen(server, browser, width, height, with_sidebar, lang):  # noqa: F811
    url, workspace = server
    ws = Workspace(workspace)
    templates = library.list_templates()
    assert len(templates) == 7
    designs = [t.design for t in templates] + [long_names()]
    for design in designs:
        if not ws.exists(design.id):
            ws.create(design)
    headers = [text("plan.col.unit_cost", lang), text("plan.col.cost", lang)]
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP")
    page = context.new_page()
    wrong = []
    try:
        for design in designs:
            page.goto(f"{url}/plan?design={design.id}")
            settle(page, TABLES)
            language(page, lang)
            sidebar_open(page, with_sidebar)
            m = page.evaluate(MEASURE, headers)
            page.locator(TABLES).first.scroll_into_view_if_needed()
            page.wait_for_timeout(200)
            tag = f"{width}x{height}-{'sidebar' if with_sidebar else 'nosidebar'}-{lang}-{design.id}"
            page.screenshot(path=str(ARTIFACTS / f"plan-table-{tag}.png"))
            assert page.locator('[data-testid="stException"]').count() == 0, tag
            assert len(m["tables"]) >= 1, (tag, m)
            if m["page_scrolls_sideways"]:
                wrong.append((tag, "the page scrolls sideways"))
            for table in m["tables"]:
                for problem in ("scrolls", "outside", "cut"):
                    if table[problem]:
                        wrong.append((tag, problem, table[problem]))
                if any(state != "drawn" for state in table["headers"].values()):
                    wrong.append((tag, "headers", table["headers"]))
                # figures as large as the page's labels (Streamlit's grid draws 14 px on a canvas we cannot read)
                if table["smallest_px"] is not None and table["smallest_px"] < max(14, m["label_px"]):
                    wrong.append((tag, "text", table["smallest_px"], m["label_px"]))
            if design.id == "enterprise-relationship":  # counts accounts: no chance to win, no 確度 column
                assert page.locator(TABLES).first.get_by_text(text("plan.col.probability", lang), exact=True).count() == 0
    finally:
        context.close()
    assert wrong == [], wrong


def test_a_zero_rate_shows_the_stages_it_can_with_the_reason_in_japanese(server, browser):  # noqa: F811
    """A workshop's 0 % at アポイント獲得 (b2b-standard): the Plan page warns, naming the stage and the KGI by
    their names, shows the stages from there on with their counts, "—" before it, and no error box."""
    url, workspace = server
    data = to_data(library.load_template("b2b-standard"))
    data["id"] = "zero-rate-workshop"
    funnel = [s for p in data["phases"] for s in p["stages"] if s.get("funnel")]
    zeroed = funnel[1]
    zeroed["target_rate"] = 0
    design = validated(data)
    ws = Workspace(workspace)
    if not ws.exists(design.id):
        ws.create(design)
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{url}/plan?design={design.id}")
        settle(page, TABLES)
        language(page, "ja")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "plan-zero-rate-1280x720-ja.png"))
        assert page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count() == 0
        # (the words, not the icon: Material icons are drawn from ligature text such as "warning")
        warning = page.locator('[data-testid="stAlertContentWarning"] [data-testid="stMarkdownContainer"]').first.inner_text()
        stage_name, kgi_name = zeroed["name"]["ja"], design.kgis[0].name.ja
        assert f"「{stage_name}」の転換率が 0% のため" in warning and f"KGI「{kgi_name}」" in warning, warning
        assert "反映していません" not in warning
        assert not [w for w in warning.replace("KGI", "").split() if w.isascii() and w.isalpha()], warning
        table = page.locator(TABLES).first
        headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
        rows = table.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => [...r.querySelectorAll('th, td')].map(c => c.innerText.trim()))")
        required = {row[0]: row[headers.index(text("plan.col.required", "ja"))] for row in rows}
        assert required[funnel[0]["name"]["ja"]] == "—", required  # before the 0 %: infinitely many, not planned
        assert all(required[s["name"]["ja"]] not in ("—", "") for s in funnel[1:]), required
        table.scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        page.screenshot(path=str(ARTIFACTS / "plan-zero-rate-1280x720-ja-table.png"))
    finally:
        context.close()
