"""Streamlit's own English in the Japanese app, rewritten in the browser where no setting or style rule reaches it.

Streamlit 1.67 has no language setting for what it draws itself: a table's column menu ("Sort ascending",
"Pin column", …), the message of a typed date outside the allowed range, the keyboard's "Skip to main content"
link, and the labels screen readers read ("Collapse sidebar", "Help for …", "Show password", …). Style rules
(journeymap.ui.widgets) draw over English a person sees, but not over a menu item's text that sits beside its
icon, nor over an `aria-label`. So a small script in the page rewrites these texts, and nothing else:

- only Streamlit's exact English, each from the catalogue's `streamlit.*` and `toolbar.*` texts (their English
  is Streamlit's own words; a `{placeholder}` stands for what Streamlit fills in, e.g. a widget's label);
- labels (`aria-label`, `title`, `placeholder`, `aria-valuetext`, `aria-roledescription`) anywhere, and text
  only inside Streamlit's own parts (`TEXT_SCOPES`): the text of the app's pages and of designs is never touched;
- it only changes a text node's or attribute's value, never adds or removes nodes, so Streamlit (React) keeps
  its page intact and sets its own text again on its next change (which the script then rewrites again);
- in English it puts back what it changed and stops.

When Streamlit changes a word in a later version, that word shows in English again (and the browser test of the
Japanese app names it): it fails towards Streamlit's English, never towards a wrong or broken page.
"""

from __future__ import annotations

import json
import re

import streamlit as st

from journeymap.text.catalogue import CATALOGUE, text
from journeymap.ui.strings import lang

ATTRIBUTES = ("aria-label", "title", "placeholder", "aria-valuetext", "aria-roledescription")
"""The attributes whose Streamlit English is rewritten wherever they are."""

TEXT_SCOPES = (
    "[data-testid='stSkipToContent']",
    "[data-testid='stDataFrameColumnMenu']",
    "[data-testid='stDataFrameColumnFormattingMenu']",
    "[data-testid='stDataFrameStatisticsMenu']",
    "[data-testid='stTooltipContent']",
    "[data-testid='stTooltipErrorContent']",
    "[data-testid='stDateInput'] [role='alert']",
    "[id^='react-aria-description']",
    "[data-testid='stDateInputCalendar'] h2",
    "[data-testid^='stBaseButton'] [data-has-shortcut]",
)
"""The parts of Streamlit whose text (not only labels) is its own: the skip link, a table's column menu and its
format and statistics menus, tooltips (a toolbar button's, a field's error), a date field's error and description
for screen readers and its calendar's hidden heading, the hidden name of a button showing only an icon ("first_page icon")."""

HIDDEN = (
    ("[data-testid='stFileUploaderDropzone'] button[kind='secondary'] [data-testid='stMarkdownContainer'] p", r"^Upload$"),
    ("[data-testid='stFileUploaderDropzoneInstructions'] span", r"^[\d.]+[KMG]?B per file( • .*)?$"),
    ("[data-testid='stDateInputField'] [data-placeholder='true']", r"^(yyyy|mm|dd)$"),
)
"""English a style rule already draws over in Japanese (journeymap.ui.widgets: the uploader's button and limit line,
an empty date's parts): hidden from the eye, it would still be read out before the Japanese ("Upload ファイルを選択"),
so its text is emptied (what is seen is the style rule's Japanese; without the script it is seen all the same)."""

MONTHS = {name: str(n) for n, name in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
     "December"), start=1)}
"""A date Streamlit's date field describes to screen readers in English ("January 01, 2050"): its month's number."""

NESTED = ("message", "date")
"""Placeholders whose value is Streamlit's English too (an error's message, a described date), rewritten in turn."""

_PLACEHOLDER = re.compile(r"{(\w+)}")


def words(language: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Streamlit's exact English and its words in `language`, and its English with a placeholder as
    (a JavaScript pattern, the words with the same placeholders); nothing in English."""
    if language == "en":
        return {}, []
    exact: dict[str, str] = {}
    patterns: list[tuple[str, str]] = []
    for key, (_ja, english) in CATALOGUE.items():
        if not key.startswith(("streamlit.", "toolbar.")):
            continue
        said = text(key, language)
        if _PLACEHOLDER.search(english):
            patterns.append((_pattern(english), said))
        else:
            exact[english] = said
    return exact, patterns


def _pattern(english: str) -> str:
    """A JavaScript pattern matching the whole of `english` with each `{name}` as a named group."""
    parts = _PLACEHOLDER.split(english)  # literal, name, literal, name, …
    out = "".join(re.sub(r"[.*+?^${}()|[\]\\/]", r"\\\g<0>", part) if i % 2 == 0 else f"(?<{part}>{_GROUPS.get(part, '.+?')})"
                  for i, part in enumerate(parts))
    return f"^{out}$"


_GROUPS = {"month": "|".join(MONTHS), "nn": r"\d{1,2}", "day": r"\d{1,2}", "year": r"\d{1,6}"}
"""What a date's parts match (any other placeholder matches any text)."""


def script(language: str) -> str:
    """The page script that rewrites Streamlit's English in `language` (and puts it back in English)."""
    exact, patterns = words(language)
    hidden = [list(rule) for rule in HIDDEN] if exact else []
    config = {"exact": exact, "patterns": patterns, "hidden": hidden, "attributes": ATTRIBUTES,
              "scopes": ", ".join([*TEXT_SCOPES, *(selector for selector, _ in HIDDEN)]),
              "months": MONTHS, "nested": NESTED}
    # no "<" inside: Streamlit's sanitizer drops a script with "<" before a letter or "/" ("(?<label>" in a pattern)
    data = json.dumps(config, ensure_ascii=True).replace("<", "\\u003c")
    return f"<script data-journeymap-words>{_SCRIPT.replace('__CONFIG__', data)}</script>"


def install() -> None:
    """Put the script on the page (once per language: Streamlit runs an unchanged `st.html` only once)."""
    st.html(script(lang()), unsafe_allow_javascript=True)
    st.html("<style>[data-testid='stElementContainer']:has(script[data-journeymap-words]) { display: none; }</style>")


_SCRIPT = r"""
(() => {
  const config = __CONFIG__;
  const state = window.journeymapWords || (window.journeymapWords = {observer: null, texts: new Map()});
  const MARK = 'data-journeymap-was-';
  const compiled = config.patterns.map(([source, words]) => [new RegExp(source, 's'), words]);
  const hidden = config.hidden.map(([selector, source]) => [selector, new RegExp(source)]);

  function translate(value, depth) {
    const parts = /^([\s:：]*)([\s\S]*?)(\s*)$/.exec(value);
    const core = parts[2];
    if (!core) return null;
    let said = Object.prototype.hasOwnProperty.call(config.exact, core) ? config.exact[core] : null;
    for (let i = 0; said === null && compiled.length > i; i++) {
      const found = compiled[i][0].exec(core);
      if (!found) continue;
      said = compiled[i][1].replace(/\{(\w+)\}/g, (_, name) => {
        const got = found.groups[name];
        if (name === 'month' && config.months[got]) return config.months[got];
        if (name === 'day' || name === 'year') return String(parseInt(got, 10) || got);
        return config.nested.includes(name) && 2 > depth ? (translate(got, depth + 1) ?? got) : got;
      });
    }
    return said === null ? null : parts[1] + said + parts[3];
  }

  function fixAttributes(element) {
    for (const name of config.attributes) {
      const value = element.getAttribute(name);
      if (!value) continue;
      const said = translate(value, 0);
      if (said === null || said === value) continue;
      element.setAttribute(MARK + name, value);
      element.setAttribute(name, said);
    }
  }

  function fixText(node) {
    const drawn = hidden.some(([selector, english]) => english.test(node.nodeValue.trim()) && node.parentElement.closest(selector));
    const said = drawn ? '' : translate(node.nodeValue, 0);
    if (said === null || said === node.nodeValue) return;
    state.texts.set(node, [node.nodeValue, said]);
    node.nodeValue = said;
  }

  const labelled = config.attributes.map((name) => `[${name}]`).join(',');

  function fixTree(node) {
    if (node.nodeType === Node.TEXT_NODE) {
      if (node.parentElement && node.parentElement.closest(config.scopes)) fixText(node);
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches(labelled)) fixAttributes(node);
    node.querySelectorAll(labelled).forEach(fixAttributes);
    const scopes = node.closest(config.scopes) ? [node] : node.querySelectorAll(config.scopes);
    for (const scope of scopes) {
      const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) fixText(walker.currentNode);
    }
  }

  function putBack() {
    for (const name of config.attributes) {
      document.querySelectorAll(`[${MARK}${name}]`).forEach((element) => {
        element.setAttribute(name, element.getAttribute(MARK + name));
        element.removeAttribute(MARK + name);
      });
    }
    for (const [node, [english, said]] of state.texts) if (node.nodeValue === said) node.nodeValue = english;
    state.texts.clear();
  }

  if (state.observer) state.observer.disconnect();
  state.observer = null;
  if (Object.keys(config.exact).length === 0) { putBack(); return; }
  state.observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') fixAttributes(record.target);
      else if (record.type === 'characterData') fixTree(record.target);
      else record.addedNodes.forEach(fixTree);
    }
    if (state.texts.size > 500) for (const node of state.texts.keys()) if (!node.isConnected) state.texts.delete(node);
  });
  state.observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                                         attributeFilter: config.attributes});
  fixTree(document.body);
})();
"""
