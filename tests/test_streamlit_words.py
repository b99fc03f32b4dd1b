"""The page script that rewrites Streamlit's own English in the Japanese app (journeymap.ui.streamlit_words):
what it is given in each language. What it does in a real page: tests/test_browser.py."""

from __future__ import annotations

import json
import re

import pytest

from journeymap.text.catalogue import CATALOGUE
from journeymap.ui import streamlit_words


def python_pattern(source: str) -> re.Pattern:
    """A JavaScript pattern of the script as a Python one (named groups are written `(?<name>` there)."""
    return re.compile(source.replace("(?<", "(?P<"), re.S)


def translated(english: str) -> str | None:
    """What the script's rules make of `english` (its exact words, else its first pattern that matches)."""
    exact, patterns = streamlit_words.words("ja")
    if english in exact:
        return exact[english]
    for source, said in patterns:
        found = python_pattern(source).match(english)
        if found:
            return said.format(**found.groupdict())
    return None


def test_in_english_the_script_has_no_words_and_puts_back_what_it_changed():
    exact, patterns = streamlit_words.words("en")
    assert exact == {} and patterns == []
    config = json.loads(re.search(r"const config = (\{.*?\});\n", streamlit_words.script("en")).group(1))
    assert config["exact"] == {} and config["hidden"] == []


def test_every_streamlit_word_of_the_catalogue_is_a_rule_in_japanese():
    exact, patterns = streamlit_words.words("ja")
    keys = [k for k in CATALOGUE if k.startswith(("streamlit.", "toolbar."))]
    assert len(exact) + len(patterns) == len(keys) > 100
    assert exact["Skip to main content"] == CATALOGUE["streamlit.skip_to_content"][0]
    assert exact["Sort ascending"] == "昇順に並べ替え" and exact["Collapse sidebar"] == "サイドバーを閉じる"


@pytest.mark.parametrize("english, japanese", [
    ("Help for 基準日（空欄なら最新の記録日）", "基準日（空欄なら最新の記録日） のヘルプ"),
    ("Shortcut Ctrl + Shift + Z", "ショートカット Ctrl + Shift + Z"),
    ("Remove 実績.csv", "実績.csv を外す"),
    ("year, 基準日", "年、基準日"),
    ("Date set outside allowed range. Please select a date on or before 2036/12/03.",
     "この日付は選べません。2036/12/03 以前の日付を選んでください。"),
    ("Date set outside allowed range. Please select a date between 2016/12/03 and 2036/12/03.",
     "この日付は選べません。2016/12/03〜2036/12/03 の日付を選んでください。"),
    ("01 – January", "01（January月）"),  # the month's name becomes its number in the page (MONTHS)
    ("Choose date, 2036年12月", "日付を選ぶ、2036年12月"),
])
def test_streamlits_english_with_a_value_in_it_keeps_the_value(english, japanese):
    assert translated(english) == japanese


@pytest.mark.parametrize("text", ["ワークスペース: /tmp/x", "Open design", "Search results", "01 – Jan", "year 2050", "Helpful"])
def test_text_that_is_not_exactly_streamlits_is_left_alone(text):
    assert translated(text) is None


def test_a_bare_word_is_its_own_rule_not_a_pattern_with_nothing_in_it():
    assert translated("Help") == "ヘルプ" and translated("Help for ") is None


def test_the_script_survives_streamlits_sanitizer():
    """Streamlit's `st.html` sanitizer drops a script holding "<" before a letter, "/" or "!" (a named group
    "(?<label>" in a pattern did): inside the script there is no "<" at all."""
    for language in ("ja", "en"):
        page = streamlit_words.script(language)
        inside = page.removeprefix("<script data-journeymap-words>").removesuffix("</script>")
        assert page.startswith("<script data-journeymap-words>") and "<" not in inside


def test_the_scopes_and_hidden_texts_are_streamlits_parts():
    """Text is rewritten only inside Streamlit's own parts (named by its test ids, a role or an id), never a page's."""
    for selector in [*streamlit_words.TEXT_SCOPES, *(s for s, _ in streamlit_words.HIDDEN)]:
        assert re.search(r"\[(data-testid|id)\^?='(st|react-aria)", selector), selector
    assert [re.compile(english).match(word) is not None for (_, english), word in
            zip(streamlit_words.HIDDEN, ("Upload", "50MB per file • CSV, TSV, TXT, XLSX", "yyyy"))] == [True] * 3
