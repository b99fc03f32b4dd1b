"""The real app in a real browser: `journeymap app` serves it, headless Chromium drives it.

Visits every page with the seeded design open, steps through Present mode (light and dark),
switches the language, and checks that no exception box is shown and that diagrams render (an
an SVG drawn by graphviz, decoded and laid out). Screenshots go to tests/artifacts/ for people to look at.
"""

from __future__ import annotations

import datetime
import os
import re
import socket
import sys
from pathlib import Path

import pytest

from tests.app_server import serving_app

ROOT = Path(__file__).parent.parent
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DIAGRAM = '[data-testid="stImage"] img[src^="data:image/svg+xml"]'  # drawn by graphviz on the server
ACTUALS = Path(__file__).parent / "data" / "app_actuals_b2b.csv"

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("browser") / "workspace"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("JOURNEYMAP_LIBRARY", "JOURNEYMAP_WORKSPACE")}
    command = [sys.executable, "-m", "journeymap", "app", "--workspace", str(workspace), "--port", str(port),
               "--host", "127.0.0.1"]
    with serving_app(command, port, tmp_path_factory.mktemp("log") / "streamlit.log", cwd=ROOT, env=env) as url:
        yield url, workspace


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1300}, locale="ja-JP")
    tab = context.new_page()
    yield tab
    context.close()


def settle(page, wait_for: str | None = None) -> None:
    """Wait until the script run is over, the page is drawn (no loading skeletons) and `wait_for` is there."""
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]', timeout=30_000)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')""",
        timeout=30_000,
    )
    if wait_for:
        page.wait_for_selector(wait_for, timeout=30_000)
    page.wait_for_timeout(500)


def check(page, name: str, diagram: bool = True) -> None:
    """No exception box; a rendered diagram where one belongs; a screenshot to look at."""
    settle(page, DIAGRAM if diagram else None)
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator('[data-testid="stException"]').first.inner_text()
    if diagram:
        # The SVG decoded and laid out: it has a real size in the page.
        sizes = page.locator(DIAGRAM).evaluate_all("imgs => imgs.map(i => [i.naturalWidth, i.getBoundingClientRect().width])")
        assert sizes and all(natural > 0 and shown > 100 for natural, shown in sizes), sizes
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def nav(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()


def test_every_page_and_present_mode_in_chromium(server, page):
    url, workspace = server
    page.goto(url)
    check(page, "01-library", diagram=False)
    assert page.get_by_text("保存した設計").count() >= 1
    page.get_by_text("プレビュー").first.click()
    check(page, "01-library-preview")

    page.get_by_role("button", name="開く").first.click()
    check(page, "02-design")
    page.get_by_text("下に大きく").click()
    settle(page, DIAGRAM)
    page.locator(DIAGRAM).first.scroll_into_view_if_needed()
    check(page, "02-design-diagram-below")
    page.get_by_text("横に並べる").click()
    settle(page, DIAGRAM)

    page.get_by_role("tab", name="基本情報").click()
    settle(page)
    name = page.get_by_label("名前", exact=True)
    name.fill("法人営業 *東京* $100")  # Markdown and LaTeX characters must show as typed
    name.press("Tab")
    settle(page)
    assert page.get_by_text("未保存の変更があります").count() == 1
    page.keyboard.press("Control+S")
    settle(page)
    assert page.get_by_text("保存済み").count() >= 1
    assert "法人営業 *東京* $100" in (workspace / "b2b-standard.yaml").read_text("utf-8")
    check(page, "02-design-saved")
    assert page.locator("h1").first.inner_text().strip() == "法人営業 *東京* $100"
    for title, name, diagram in (
        ("カスタマージャーニー", "03-journey", True),
        ("計画", "04-plan", True),
        ("エクスポート・インポート", "06-transfer", False),
        ("実績比較", "05-compare", False),
    ):
        nav(page, title)
        check(page, name, diagram)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(ACTUALS))
    check(page, "05-compare-result")
    assert page.get_by_text("ステージ別の差異").count() >= 1

    nav(page, "プレゼン")
    settle(page, ".jm-slide svg")  # the slide: an inline SVG (measured in test_browser_present.py)
    check(page, "07-present-overview", diagram=False)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    page.keyboard.press("ArrowRight")
    settle(page, ".jm-slide svg")
    check(page, "08-present-phase-1", diagram=False)
    for _ in range(4):
        page.get_by_role("button", name="▶").click()
        settle(page, ".jm-slide svg")
    check(page, "09-present-slide-6", diagram=False)
    page.get_by_text("ダーク").click()
    settle(page, ".jm-slide svg")
    check(page, "10-present-dark", diagram=False)
    page.get_by_text("終了").click()
    check(page, "11-design-after-present")

    page.locator('[data-testid="stSidebar"]').get_by_text("English").click()
    check(page, "12-design-english")
    assert page.get_by_text("Process diagram").count() >= 1

    nav(page, "Export / import")
    check(page, "13-export-english", diagram=False)
    with page.expect_download() as download:
        page.locator(".st-key-export-csv button").click()
    csv_text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    assert "Lead generation" in csv_text  # made on click, in the language chosen


def write_sales_export(path: Path) -> None:
    """Four months of a b2b pipeline with what real exports have: skipped stages, a step back, pauses,
    wins recorded as 受注 after クロージング and a temperature column."""
    import random

    stages = ["リード獲得", "アポイント獲得", "ヒアリング", "提案", "クロージング"]
    rng = random.Random(12)
    rows = ["案件ID,ステージ,日時,金額,担当者,温度感"]
    for i in range(160):
        day = rng.randrange(118)
        amount = rng.choice([800_000, 1_500_000, 2_400_000])
        owner, heat = rng.choice(["佐藤", "田中", "鈴木"]), rng.choice(["Hot", "Warm", "Cold"])
        steps = stages[: 1 + min(4, int(rng.expovariate(0.7)))]
        if len(steps) > 2 and rng.random() < 0.15:
            steps.remove("アポイント獲得")  # a skip
        if len(steps) > 3 and rng.random() < 0.1:
            steps.insert(3, "ヒアリング")  # back to hearing after a proposal
        if len(steps) < 5 and rng.random() < 0.2:
            steps.append("保留")  # paused
        elif len(steps) == 5 and rng.random() < 0.6:
            steps.append("受注")  # won after クロージング (a deal there is still negotiating)
        for stage in steps:
            when = (datetime.date(2025, 4, 1) + datetime.timedelta(days=day)).isoformat()
            rows.append(f"D{i:03d},{stage},{when} 10:00,{amount},{owner},{heat}")
            day = min(day + rng.randrange(2, 12), 120)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


SMALLEST_DIAGRAM_TEXT = """(selector) => {
  // The smallest text of a server-drawn SVG diagram as shown, in CSS px: its font-size (in the SVG's
  // viewBox units) times the image's shown width over the viewBox's width.
  const img = document.querySelector(selector);
  const data = img.src.slice(img.src.indexOf(',') + 1);
  const svg = img.src.includes(';base64,') ? atob(data) : decodeURIComponent(data);
  const box = svg.match(/viewBox="([-\\d.]+) ([-\\d.]+) ([\\d.]+) ([\\d.]+)"/);
  const sizes = [...svg.matchAll(/font-size="([\\d.]+)"/g)].map((m) => parseFloat(m[1]));
  return Math.min(...sizes) * img.getBoundingClientRect().width / parseFloat(box[3]);
}"""


@pytest.mark.parametrize("width, height", [(1280, 720), (1440, 900), (1920, 1080)])
def test_compare_page_shows_window_periods_pace_band_and_moves(server, browser, tmp_path, width, height):
    url, _workspace = server
    export = tmp_path / "sales.csv"
    write_sales_export(export)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(url)
        settle(page)
        page.get_by_role("button", name="開く").first.click()
        settle(page)
        nav(page, "実績比較")
        settle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(export))
        ARTIFACTS.mkdir(exist_ok=True)
        try:
            settle(page, DIAGRAM)
        finally:
            page.screenshot(path=str(ARTIFACTS / f"12-compare-window-{width}x{height}-upload.png"), full_page=True)
        assert page.locator('[data-testid="stException"]').count() == 0
        for text in ("比較期間", "期間別の計画と実績", "今期のペース", "実際の遷移と設計の違い", "80%範囲"):
            assert page.get_by_text(text).count() >= 1, text
        smallest = {"funnel": page.evaluate(SMALLEST_DIAGRAM_TEXT, DIAGRAM)}
        page.get_by_text("プロセス", exact=True).first.click()
        settle(page, DIAGRAM)
        smallest["process"] = page.evaluate(SMALLEST_DIAGRAM_TEXT, DIAGRAM)
        print(f"smallest diagram text at {width}x{height}: {smallest}")
        # The diagram takes the page's width below the chart. Beside it, at 1280×720 its smallest text was
        # 4.7 px (funnel) and 3.2 px (process, a wide drawing; its stage names are 1.1–1.5× its legend).
        assert smallest["funnel"] >= 10 and smallest["process"] >= 6.5, smallest
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"12-compare-window-{width}x{height}.png"), full_page=True)
        assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 3  # funnel, periods, forecast band
        for part, heading in (("periods", "期間別の計画と実績"), ("forecast", "着地見込み"), ("moves", "実際の遷移と設計の違い"),
                              ("temperature", "中断・復活・温度感")):
            page.get_by_text(heading, exact=True).first.scroll_into_view_if_needed()
            page.wait_for_timeout(800)
            page.screenshot(path=str(ARTIFACTS / f"12-compare-{part}-{width}x{height}.png"))
    finally:
        context.close()


UPLOADER_WORDS = """(key) => {
  const zone = document.querySelector(`.st-key-${key} [data-testid="stFileUploaderDropzone"]`);
  const button = zone.querySelector('button[kind="secondary"] [data-testid="stMarkdownContainer"] p');
  const limit = zone.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span');
  const drawn = (e) => ({own: parseFloat(getComputedStyle(e).fontSize), after: getComputedStyle(e, '::after').content,
                         afterSize: parseFloat(getComputedStyle(e, '::after').fontSize)});
  return {button: drawn(button), limit: drawn(limit)};
}"""


def test_the_uploaders_speak_japanese_and_say_their_limit(server, browser):
    """Streamlit draws an uploader's button ("Upload") and limit line ("200MB per file") in English:
    in the Japanese app both read in Japanese with the app's own limits; in English they stay."""
    url, _workspace = server
    for locale, language in (("ja-JP", "ja"), ("en-US", "en")):
        context = browser.new_context(viewport={"width": 1280, "height": 720}, locale=locale)
        page = context.new_page()
        try:
            page.goto(f"{url}/compare?design=b2b-standard" + ("&lang=en" if language == "en" else ""))
            settle(page, '.st-key-actuals_file [data-testid="stFileUploaderDropzone"]')
            if language == "en" and page.get_by_text("English", exact=True).count():
                page.get_by_text("English", exact=True).first.click()
                settle(page, '.st-key-actuals_file [data-testid="stFileUploaderDropzone"]')
            words = page.evaluate(UPLOADER_WORDS, "actuals_file")
            page.screenshot(path=str(ARTIFACTS / f"uploader-{language}.png"))
            if language == "ja":
                assert words["button"]["own"] == 0 and words["button"]["after"] == '"ファイルを選択"', words
                assert words["limit"]["own"] == 0 and words["limit"]["after"] == '"1ファイル50MBまで・CSV・TSV・TXT・XLSX"', words
                assert words["button"]["afterSize"] >= 12 and words["limit"]["afterSize"] >= 12, words
            else:
                assert words["button"]["own"] > 0 and words["button"]["after"] in ("none", "normal"), words
                assert "50MB per file" in page.locator('.st-key-actuals_file').inner_text()
        finally:
            context.close()


SEEN_TEXT = """(selector) => {
  // What a person sees inside `selector`: the text of drawn text nodes and of drawn ::before/::after.
  const root = document.querySelector(selector);
  if (!root) return null;
  const drawn = (e) => { const s = getComputedStyle(e), r = e.getBoundingClientRect();
    return s.visibility === 'visible' && s.display !== 'none' && r.width > 1 && r.height > 1 &&
           !/Material Symbols|Material Icons/.test(s.fontFamily) && !e.closest('[data-testid="stIconMaterial"]'); };
  const seen = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, e = node.parentElement;
    if (node.textContent.trim() && e && drawn(e) && parseFloat(getComputedStyle(e).fontSize) >= 1) seen.push(node.textContent.trim());
  }
  for (const e of [root, ...root.querySelectorAll('*')]) {
    for (const pseudo of ['::before', '::after']) {
      const s = getComputedStyle(e, pseudo);
      if (drawn(e) && s.content.startsWith('"') && parseFloat(s.fontSize) >= 1) seen.push(JSON.parse(s.content));
    }
  }
  return seen;
}"""


def english_words(seen: list[str]) -> list[str]:
    """The Latin words in `seen` that are not names people know (the catalogue check's list)."""
    from tests.test_catalogue import ALLOWED_LATIN

    return [w for text in seen for w in re.findall(r"[A-Za-z][A-Za-z]+", text) if w not in ALLOWED_LATIN]


def test_a_refused_file_an_empty_date_and_the_table_toolbar_read_in_japanese(server, browser, tmp_path):
    """Streamlit refuses a file over an uploader's limit in the browser with an English tooltip, draws
    an empty date as "yyyy/mm/dd" and names its table toolbar's buttons in English: in the Japanese app
    what the screen shows of all three is Japanese."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from journeymap import limits
    from journeymap.text.catalogue import text

    url, _workspace = server
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="ja-JP")
    page = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        for path, key, mb, kinds in (("compare", "actuals_file", limits.ACTUALS_UPLOAD_MB, "CSV・TSV・TXT・XLSX"),
                                     ("transfer", "import_file", limits.DESIGN_UPLOAD_MB, "YAML・YML・JSON・XLSX")):
            page.goto(f"{url}/{path}?design=b2b-standard")
            widget = f".st-key-{key}"
            settle(page, f'{widget} [data-testid="stFileUploaderDropzone"]')
            big = tmp_path / f"大きすぎる.{'csv' if key == 'actuals_file' else 'yaml'}"
            with open(big, "wb") as sparse:  # one byte over the limit in either unit (no disk blocks written)
                sparse.truncate(mb * 1024 * 1024 + 1)
            page.locator(f'{widget} [data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(big))
            page.wait_for_selector(f'{widget} [data-testid="stFileChip"][aria-invalid="true"]', timeout=10_000)
            page.locator(widget).scroll_into_view_if_needed()
            refused = text("common.upload_refused", "ja", mb=mb, kinds=kinds)
            seen = page.evaluate(SEEN_TEXT, widget)
            page.screenshot(path=str(ARTIFACTS / f"refused-{key}.png"))
            assert refused in seen and english_words(seen) == [], seen
            page.locator(f'{widget} [data-testid="stFileChip"]').hover()
            page.wait_for_selector('[data-testid="stTooltipErrorContent"]', timeout=10_000)
            page.wait_for_timeout(400)
            tooltip = page.evaluate(SEEN_TEXT, '[data-testid="stTooltipErrorContent"]')
            page.screenshot(path=str(ARTIFACTS / f"refused-{key}-tooltip.png"))
            assert tooltip == [refused], tooltip  # Streamlit's "File must be … or smaller." is not drawn

        page.goto(f"{url}/compare?design=b2b-standard")
        settle(page, '.st-key-actuals_file [data-testid="stFileUploaderDropzone"]')
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(ACTUALS))
        settle(page, '.st-key-actuals_as_of [data-testid="stDateInputField"]')
        page.locator(".st-key-actuals_as_of").scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "date-empty-ja.png"))
        seen = page.evaluate(SEEN_TEXT, '.st-key-actuals_as_of [data-testid="stDateInputField"]')
        assert seen == ["/", "/", "年", "月", "日"], seen  # the separators, then the parts drawn over "yyyy/mm/dd"
        sizes = page.locator('.st-key-actuals_as_of [data-placeholder="true"]').evaluate_all(
            "parts => parts.map(p => parseFloat(getComputedStyle(p, '::after').fontSize))")
        assert len(sizes) == 3 and all(size >= 12 for size in sizes), sizes
        page.locator('.st-key-actuals_as_of [data-type="year"]').click()
        page.keyboard.type("2025")  # a typed part is drawn as typed; the parts still empty keep their Japanese
        page.wait_for_timeout(300)
        seen = page.evaluate(SEEN_TEXT, '.st-key-actuals_as_of [data-testid="stDateInputField"]')
        assert seen == ["2025", "/", "/", "月", "日"], seen

        # a table's toolbar: Streamlit's hover tooltips ("Download as CSV", "Fullscreen") read in Japanese
        table = page.locator('[data-testid="stDataFrame"]').first
        table.scroll_into_view_if_needed()
        table.hover()
        for label, said in (("Download as CSV", "CSV でダウンロード"), ("Fullscreen", "全画面表示")):
            page.locator(f'[data-testid="stElementToolbarButton"] button[aria-label="{said}"]').first.hover()
            page.wait_for_selector('[data-testid="stTooltipContent"]', timeout=10_000)
            page.wait_for_timeout(400)
            tooltip = page.evaluate(SEEN_TEXT, '[data-testid="stTooltipContent"]')
            page.screenshot(path=str(ARTIFACTS / f"toolbar-tooltip-{label.split()[-1].lower()}.png"))
            assert tooltip == [said], tooltip

        # a range of dates: its calendar shows months and weekdays in Japanese and no English quick choices
        page.locator(".st-key-compare_window").scroll_into_view_if_needed()
        page.locator("h1").first.click()  # leave the half-typed date (its field lets go of it)
        settle(page)
        custom = page.locator("[role='option']", has_text=text("compare.window_custom", "ja")).first
        for _ in range(3):  # a rerun finishing just then can close the list again
            page.locator(".st-key-compare_window input").first.click()
            try:
                custom.wait_for(state="visible", timeout=3_000)
                break
            except PlaywrightTimeout:
                page.keyboard.press("Escape")
                settle(page)
        custom.click()
        settle(page, ".st-key-compare_range [data-testid='stDateInputCalendarButton']")
        page.locator(".st-key-compare_range [data-testid='stDateInputCalendarButton']").click()
        page.wait_for_selector("[data-testid='stDateInputCalendar']", timeout=10_000)
        page.wait_for_timeout(400)
        page.screenshot(path=str(ARTIFACTS / "date-range-calendar-ja.png"))
        seen = page.evaluate(SEEN_TEXT, "[data-testid='stDateInputCalendar']")
        assert "月" in seen and english_words(seen) == [], seen
    finally:
        context.close()


LABELS = """() => [...document.querySelectorAll('[aria-label], [title], [placeholder], [aria-valuetext], [aria-roledescription]')]
  .flatMap(e => ['aria-label', 'title', 'placeholder', 'aria-valuetext', 'aria-roledescription'].map(a => e.getAttribute(a)))
  .filter(Boolean)"""
"""Every label of the page that is read out or shown on hover, drawn or not."""

SNAPSHOT_LINE = re.compile(r"""^\s*- ['"]?(?P<role>[\w/-]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?(?: \[[^\]]*\])*:?(?: (?P<text>.*))?$""")


def read_out(snapshot: str) -> list[str]:
    """The names and texts of Playwright's ARIA snapshot (what a screen reader reads), without roles and addresses."""
    said = []
    for line in snapshot.splitlines():
        found = SNAPSHOT_LINE.match(line)
        assert found, line
        if found["role"] != "/url":
            said += [part for part in (found["name"], found["text"]) if part]
    return said


def not_data(texts: list[str], *data: str) -> list[str]:
    """`texts` without the data they show (an id, a file name, a size, a path): what is left is the app's words."""
    out = []
    for text in texts:
        for value in data:
            text = text.replace(value, "")
        out.append(re.sub(r"\d+(?:\.\d+)?[KMG]?B\b", "", text))
    return out


def test_streamlits_own_menus_messages_and_labels_read_in_japanese(server, browser):
    """Streamlit 1.67 has no language setting for what it draws itself: a table's column menu ("Sort ascending"),
    the message of a typed date more than 10 years away, the keyboard's "Skip to main content" link and the
    labels screen readers read ("Collapse sidebar", "Help for …"). In the Japanese app all read in Japanese;
    switched to English, Streamlit's English is back."""
    from journeymap.text.catalogue import CATALOGUE, text

    url, workspace = server
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="ja-JP")
    page = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.goto(f"{url}/plan?design=b2b-standard")
        settle(page)
        # the keyboard's first stop: the link past the sidebar
        page.locator("body").focus()
        page.keyboard.press("Tab")
        skip = page.locator('[data-testid="stSkipToContent"]')
        assert skip.evaluate("e => e === document.activeElement")
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "skip-link-ja.png"))
        assert page.evaluate(SEEN_TEXT, '[data-testid="stSkipToContent"]') == [text("streamlit.skip_to_content", "ja")]
        page.keyboard.press("Escape")

        # what a screen reader reads of the page, and every label (hover titles, placeholders) drawn or not
        said = read_out(page.locator("body").aria_snapshot()) + page.evaluate(LABELS)
        left = not_data(said, "b2b-standard", str(workspace))
        assert "サイドバーを閉じる" in said and english_words(left) == [], [text for text in left if english_words([text])]

        # the Compare page with a file
        page.goto(f"{url}/compare?design=b2b-standard")
        settle(page, '.st-key-actuals_file [data-testid="stFileUploaderDropzone"]')
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(ACTUALS))
        settle(page, '.st-key-actuals_as_of [data-testid="stDateInputField"]')

        # a table's column menu and its statistics (the file's first rows: its last column, 失注理由)
        table = page.locator('[data-testid="stDataFrame"]').first
        table.scroll_into_view_if_needed()
        box = table.bounding_box()
        menu_button = (box["x"] + box["width"] - 16, box["y"] + 18)  # the last column header's ⋮ (drawn when pointed at)
        page.mouse.move(*menu_button)
        page.wait_for_timeout(300)
        page.mouse.click(*menu_button)
        menu = '[data-testid="stDataFrameColumnMenu"]'
        page.wait_for_selector(menu, timeout=10_000)
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "column-menu-ja.png"))
        seen = page.evaluate(SEEN_TEXT, menu)
        assert text("streamlit.sort_ascending", "ja") in seen and english_words(seen) == [], seen
        said = read_out(page.locator(menu).aria_snapshot()) + page.locator(menu).evaluate(
            "m => [...m.querySelectorAll('[aria-label], [title]')].flatMap(e => [e.getAttribute('aria-label'), e.getAttribute('title')])"
            ".concat([m.firstElementChild.getAttribute('aria-label')]).filter(Boolean)")
        assert text("streamlit.column_menu", "ja") in said and english_words(said) == [], said
        page.locator(menu).get_by_text(text("streamlit.statistics", "ja")).hover()
        page.wait_for_selector('[data-testid="stDataFrameStatisticsMenu"]', timeout=10_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "column-statistics-ja.png"))
        seen = page.evaluate(SEEN_TEXT, '[data-testid="stDataFrameStatisticsMenu"]')
        assert text("streamlit.stat_values", "ja") in seen and english_words(seen) == [], seen
        page.keyboard.press("Escape")

        # a typed date more than 10 years away: its error (a tooltip, and a hidden alert read out at once)
        field = page.locator(".st-key-actuals_as_of")
        field.scroll_into_view_if_needed()
        field.locator('[data-type="year"]').click()
        page.keyboard.type("20500101")
        page.wait_for_selector('.st-key-actuals_as_of [data-testid="stTooltipErrorHoverTarget"]', timeout=10_000)
        field.locator('[data-testid="stTooltipErrorHoverTarget"]').hover()
        page.wait_for_selector('[data-testid="stTooltipErrorContent"]', timeout=10_000)
        page.wait_for_timeout(400)
        page.screenshot(path=str(ARTIFACTS / "date-out-of-range-ja.png"))
        refusal = text("streamlit.date_after_max", "ja", date="{date}").split("{date}")[0]
        tooltip = page.evaluate(SEEN_TEXT, '[data-testid="stTooltipErrorContent"]')
        assert any(refusal in part for part in tooltip) and english_words(tooltip) == [], tooltip
        said = read_out(field.aria_snapshot()) + field.evaluate(
            "f => [...f.querySelectorAll('[id]')].filter(e => /^react-aria-description/.test(e.id)).map(e => e.textContent)")
        said += page.evaluate("() => [...document.querySelectorAll('[id^=react-aria-description]')].map(e => e.textContent)")
        assert any(refusal in part for part in said) and english_words(said) == [], said
        said = read_out(page.locator("body").aria_snapshot()) + page.evaluate(LABELS)
        left = not_data(said, "b2b-standard", "app_actuals_b2b.csv", str(workspace))
        assert english_words(left) == [], "\n".join(sorted({text for text in left if english_words([text])}))

        # in English, Streamlit's own words are back
        page.locator("h1").first.click()
        page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
        settle(page)
        assert skip.inner_text() == "Skip to main content"
        labels = page.evaluate(LABELS)
        japanese = {text(key, "ja") for key in CATALOGUE if key.startswith(("streamlit.", "toolbar."))}
        assert "Collapse sidebar" in labels and "Choose date" in labels and japanese.isdisjoint(labels), labels
        page.screenshot(path=str(ARTIFACTS / "streamlit-words-en.png"))
    finally:
        context.close()


def test_plan_figures_fit_their_columns_at_1280(server, browser):
    """Streamlit draws a metric's figure at 2.25rem on one line and cuts what does not fit: the Plan page's
    three metrics share a third of a 1280 px screen, and enterprise-relationship's total cost read '¥11,90…'."""
    from journeymap import library
    from journeymap.workspace.facade import Workspace

    url, workspace = server
    template = next(t for t in library.list_templates() if t.id == "enterprise-relationship")
    if not Workspace(workspace).exists(template.id):
        Workspace(workspace).create(template.design)
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{url}/plan?design={template.id}")
        settle(page, '[data-testid="stMetricValue"]')
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "plan-metrics-1280x720.png"))
        shown = page.locator('[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"], '
                             '[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"]').evaluate_all(
            "parts => parts.map(p => [p.innerText, p.scrollWidth, p.clientWidth])")
        assert len(shown) >= 6 and "¥11,900,000" in [text for text, _, _ in shown], shown
        assert [s for s in shown if s[1] > s[2] + 1] == [], shown  # nothing cut with an ellipsis
    finally:
        context.close()
