"""Present on a projector, measured in Chromium at 1280×720 and 1920×1080, light and dark.

For the overview, a phase slide and a stage slide: the slide is inside the screen with nothing to
scroll, and the smallest diagram text, as drawn on the screen (font size × the SVG's scale), is
at least 18 px on phase and stage slides and 14 px on the overview. The presenter's keys
(→ ← PageDown PageUp End Home Esc) work after the dark switch was clicked, dark mode stays on for
the session, and no notice, toast or sidebar shows over a slide. Screenshots: tests/artifacts/.
"""

from __future__ import annotations

import pytest

from tests.test_browser import ARTIFACTS, browser, server, settle  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

SLIDE = ".jm-slide svg"
MEASURE = """() => {
  const svg = document.querySelector('.jm-slide svg');
  const drawn = svg.querySelector('g').getBoundingClientRect();
  const scale = svg.getScreenCTM().a;
  const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale);
  const scroller = document.querySelector('[data-testid="stMain"]');
  return {left: drawn.left, top: drawn.top, right: drawn.right, bottom: drawn.bottom,
          width: innerWidth, height: innerHeight, smallest: Math.min(...sizes), texts: sizes.length,
          page_scrolls: document.scrollingElement.scrollHeight > innerHeight + 1,
          main_scrolls: scroller.scrollHeight > scroller.clientHeight + 1,
          kind: document.querySelector('.jm-slide').dataset.slide};
}"""


def step(page) -> tuple[int, int]:
    now, total = page.locator(".jm-step").inner_text().split("/")
    return int(now), int(total)


def press(page, key: str) -> None:
    page.keyboard.press(key)
    settle(page, SLIDE)


def measure(page, name: str) -> dict:
    settle(page, SLIDE)
    m = page.evaluate(MEASURE)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    assert m["texts"] > 3, m
    assert m["left"] >= 0 and m["right"] <= m["width"] and m["top"] >= 0 and m["bottom"] <= m["height"], m
    assert not m["page_scrolls"] and not m["main_scrolls"], m
    assert page.locator('[data-testid="stException"]').count() == 0
    # nothing over the slide: no sidebar, toast or notice
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert page.locator('[data-testid="stToast"]').count() == 0
    assert page.locator('[data-testid="stAlert"]').count() == 0
    return m


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_present_fits_16_9_with_large_text_and_keys_that_always_work(server, browser, width, height):  # noqa: F811
    url, _workspace = server
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(url)
        settle(page)
        page.get_by_role("button", name="開く").first.click()
        settle(page)
        page.locator('[data-testid="stSidebarNav"] a', has_text="プレゼン").first.click()
        for dark in (False, True):
            tag = f"present-{width}x{height}-{'dark' if dark else 'light'}"
            settle(page, SLIDE)
            if dark:
                page.get_by_text("ダーク").click()  # the toggle keeps the focus ...
                settle(page, SLIDE)
            press(page, "Home")  # ... and the keys still work
            assert step(page)[0] == 1
            overview = measure(page, f"{tag}-1-overview")
            assert overview["kind"] == "overview" and overview["smallest"] >= 14, overview
            press(page, "ArrowRight")
            phase = measure(page, f"{tag}-2-phase")
            assert phase["kind"] == "phase" and phase["smallest"] >= 18, phase
            press(page, "PageDown")
            stage = measure(page, f"{tag}-3-stage")
            assert stage["kind"] == "stage" and stage["smallest"] >= 18, stage
            assert step(page)[0] == 3
            press(page, "PageUp")
            press(page, "ArrowLeft")
            assert step(page)[0] == 1
            press(page, "End")
            now, total = step(page)
            assert now == total
            measure(page, f"{tag}-4-last")
            # a bigger screen draws the same slide bigger
            if width == 1920:
                assert overview["smallest"] >= 20 and stage["smallest"] >= 27, (overview, stage)

        # Esc leaves Present; dark mode is still on when coming back
        page.keyboard.press("Escape")
        settle(page)
        assert page.locator(".jm-slide").count() == 0
        assert page.locator('[data-testid="stSidebar"]').is_visible()
        page.locator('[data-testid="stSidebarNav"] a', has_text="プレゼン").first.click()
        settle(page, SLIDE)
        assert page.locator('[data-testid="stCheckbox"] input').first.is_checked()
        background = page.evaluate("() => getComputedStyle(document.querySelector('.stApp')).backgroundColor")
        assert background == "rgb(11, 18, 32)", background
    finally:
        context.close()


def test_the_presenter_view_follows_the_slide_and_shows_its_notes(server, browser):  # noqa: F811
    url, workspace = server
    design_file = workspace / "b2b-standard.yaml"
    text = design_file.read_text("utf-8")
    if "notes:" not in text:  # presenter notes on the first stage, as a planner would write them
        text = text.replace("      - id: market-analysis\n", "      - id: market-analysis\n        notes: 競合3社の比較表を見せる\n", 1)
        design_file.write_text(text, "utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(url)
        settle(page)
        page.get_by_role("button", name="開く").first.click()
        settle(page)
        page.locator('[data-testid="stSidebarNav"] a', has_text="プレゼン").first.click()
        settle(page, SLIDE)
        press(page, "Home")
        with context.expect_page() as opened:
            page.get_by_text("発表者ビュー").click()
        presenter = opened.value
        # not settle(): the view redraws every three seconds, so the app is often running
        presenter.wait_for_selector("text=発表者メモ", timeout=60_000)
        press(page, "ArrowRight")
        press(page, "ArrowRight")  # the first stage
        presenter.wait_for_selector("text=競合3社の比較表を見せる", timeout=120_000)
        assert presenter.get_by_text("次のスライド").count() >= 1
        presenter.screenshot(path=str(ARTIFACTS / "presenter-view.png"))
    finally:
        context.close()
