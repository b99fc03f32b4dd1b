"""Widgets the pages share: table editors with inline issues, diagrams, issue lists, guards."""

from __future__ import annotations

import functools
import os
import re
import shutil
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd
import streamlit as st

from journeymap import render
from journeymap.errors import InputError, Issue
from journeymap.library import Template
from journeymap.model import Design, text_of
from journeymap.text.format import DASH
from journeymap.ui import auth, state
from journeymap.ui.messages import localized
from journeymap.ui.strings import field_label, labels, lang, md, shown, t
from journeymap.workspace.facade import Workspace
from journeymap.workspace.index import Entry

# --------------------------------------------------------------------------- guards, notices


def wkey(name: str) -> str:
    """A widget key bound to the open design, its epoch and the language.

    A widget that shows design text must start afresh when the design is replaced or the
    language changes; otherwise it would keep (and write back) text of the other language.
    """
    doc = state.current()
    return f"{name}.{doc.id}.{doc.epoch}.{lang()}" if doc else f"{name}.{lang()}"


def kept(name: str, options: list, value: Any = None) -> Any:
    """Where the user is in the open design (the phase and stage picked in an editor), kept across
    undo, redo and reload: their widget keys change with the epoch, the user's place does not.

    With `value`, remember it and return it; without, the remembered choice when it is still one
    of `options`, else the first option (None when there is none)."""
    doc = state.current()
    slot = f"jm_kept.{name}.{doc.id if doc else ''}"
    if value is not None:
        st.session_state[slot] = value
        return value
    remembered = st.session_state.get(slot)
    return remembered if remembered in options else (options[0] if options else None)


def uploader(label: str, kinds: list[str], key: str, help: str, limit_mb: int):
    """A file uploader that refuses files over `limit_mb` in the browser and speaks the app's language.

    Streamlit draws its button ("Upload"), its limit line and its refusal of a file ("File must be
    50.0MB or smaller.", "application/pdf files are not allowed.": a tooltip on the red file chip,
    decided in the browser, never sent to the app) in English. In Japanese all three are replaced by
    style rules: the button and the limit line read in Japanese, and a refused file gets a Japanese
    sentence under the uploader (and in the chip's tooltip) saying what the uploader takes. The
    browser does not tell the app why it refused, so the sentence names both limits (size and kinds).
    """
    found = st.file_uploader(label, type=kinds, key=key, help=help, max_upload_size=limit_mb)
    if lang() == "ja":
        st.html("<style>" + _uploader_css(key, kinds, limit_mb) + "</style>")
    return found


def _uploader_css(key: str, kinds: list[str], limit_mb: int) -> str:
    widget = f".st-key-{css_class(key)}"
    scope = f"{widget} [data-testid='stFileUploaderDropzone']"
    named = "・".join(k.upper() for k in kinds)
    limit = t("common.upload_limit", mb=limit_mb, kinds=named)
    refused = _css_string(t("common.upload_refused", mb=limit_mb, kinds=named))
    chip = "[data-testid='stFileChip'][aria-invalid='true']"
    return (
        f"{scope} button[kind='secondary'] [data-testid='stMarkdownContainer'] p {{ font-size: 0; }}"
        f"{scope} button[kind='secondary'] [data-testid='stMarkdownContainer'] p::after "
        f"{{ content: {_css_string(t('common.upload_button'))}; font-size: 0.875rem; }}"
        f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] span {{ font-size: 0; }}"
        f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] span::after "
        f"{{ content: {_css_string(limit)}; font-size: 0.875rem; }}"
        # a refused file: the sentence under the uploader, and the chip's tooltip (drawn outside the
        # widget, at the page's end: named by the page holding this uploader's refused chip)
        f"{widget} [data-testid='stFileUploader']:has({chip})::after {{ content: {refused}; display: block; "
        "margin-top: 0.25rem; font-size: 0.875rem; color: var(--st-red-text-color, #bd4043); }"
        f"body:has({widget} {chip}) [data-testid='stTooltipErrorContent'] {{ font-size: 0 !important; }}"
        f"body:has({widget} {chip}) [data-testid='stTooltipErrorContent']::after {{ content: {refused}; font-size: 0.875rem; }}"
    )


def css_class(key: str) -> str:
    """The part of a widget's `st-key-…` class Streamlit makes of its key (other characters become '-')."""
    return re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


_DATE_PARTS = (("year", "common.date_year"), ("month", "common.date_month"), ("day", "common.date_day"))


def date_input(label: str, *, key: str, where: Any = None, **options: Any) -> Any:
    """`st.date_input` (in `where`, a column, or the page) whose empty parts read in the app's language.

    Streamlit draws the date field in en-US whatever `format` says (the format orders the parts and
    picks the separator; the empty parts always read "yyyy", "mm", "dd"), so in Japanese a style
    rule draws 年・月・日 over them, as Chromium's own date field and the date library's Japanese do.
    """
    place = where if where is not None else st
    value = place.date_input(label, key=key, **options)
    if lang() == "ja":
        scope = f".st-key-{css_class(key)} [data-testid='stDateInputField'] [data-placeholder='true']"
        rules = "".join(
            f"{scope}[data-type='{part}'] {{ font-size: 0; }}"
            f"{scope}[data-type='{part}']::after {{ content: {_css_string(t(word))}; font-size: 0.875rem; }}"
            for part, word in _DATE_PARTS
        )
        place.html(f"<style>{rules}</style>")
    return value


_TOOLBAR = {
    "Show/hide columns": "toolbar.show_hide_columns",
    "Download as CSV": "toolbar.download_csv",
    "Search": "toolbar.search",
    "Fullscreen": "toolbar.fullscreen",
    "Close fullscreen": "toolbar.close_fullscreen",
    "Add row": "toolbar.add_row",
    "Delete row(s)": "toolbar.delete_rows",
    "Show data": "toolbar.show_data",
    "Show chart": "toolbar.show_chart",
    "Download as PNG": "toolbar.download_png",
    "Copy Vega-Lite spec": "toolbar.copy_chart_spec",
}
"""The buttons of Streamlit's table and chart toolbar (their `aria-label`, Streamlit's English) and their words."""


METRIC_FIT_CSS = (
    "[data-testid='stMetric'] { container-type: inline-size; }"
    "[data-testid='stMetricValue'] { font-size: min(2.25rem, 15cqi); }"
    "[data-testid='stMetricValue'] div { white-space: normal; overflow: visible; text-overflow: clip; }"
    "[data-testid='stMetricLabel'] [data-testid='stMarkdownContainer'], [data-testid='stMetricLabel'] p,"
    "[data-testid='stMetricDelta'] [data-testid='stMarkdownContainer'], [data-testid='stMetricDelta'] p"
    " { white-space: normal; overflow: visible; text-overflow: clip; }"
)
"""A metric's figure fits its column: Streamlit draws it at 2.25rem on one line and cuts what does not fit
("¥11,90…" in the Plan page's third of a 1280 px screen); here the figure shrinks with the column (15% of
its width: a 14-character "¥1,234,567,890" fits) and a long label, delta or word (a stage name as the
bottleneck) wraps instead of being cut."""


def streamlit_words_css() -> str:
    """Style rules that draw Streamlit's own English in the app's language where Streamlit offers no setting:
    the hover tooltip of a table's or chart's toolbar button ("Download as CSV", "Fullscreen", …).
    A date range's calendar loses its quick choices ("Date range: Past Week, Past Month, …"): they count
    back from today, which a past CRM export rarely matches, and Streamlit names them only in English
    (the calendar and typing the dates stay).

    A tooltip is drawn at the page's end, away from its button: the rule names it by the button
    the pointer is on (or the keyboard focus is in)."""
    tip = "[data-testid='stTooltipContent'] [data-testid='stMarkdownContainer'] p"
    rules = []
    for label, key in _TOOLBAR.items():
        # named by Streamlit's label, or by its Japanese once the page's script has put that in (streamlit_words)
        buttons = [f"[data-testid='stElementToolbarButton'] button[aria-label={_css_string(said)}]" for said in (label, t(key))]
        on = f"body:has({', '.join(f'{b}:hover, {b}:focus-visible' for b in buttons)})"
        rules.append(f"{on} {tip} {{ font-size: 0 !important; }}"
                     f"{on} {tip}::after {{ content: {_css_string(t(key))}; font-size: 0.875rem; }}")
    rules.append("[data-testid='stDateInputQuickSelect'] { display: none; }")
    return "".join(rules)


def chart(figure: Any, description: str) -> None:
    """An Altair chart across the page (`st.altair_chart`) that screen readers read in the app's language.

    Vega describes a chart to screen readers in its own English ("X-axis for a linear scale with values from 0 to
    900", each bar as "count: 135.48; stage: ヒアリング; …" with the data's column names). In Japanese those
    descriptions are off (Vega-Lite's `aria: false`) and the chart is read by `description` (what its heading
    says); what is drawn (marks, axes, legend, hover tooltips) is the same. In English the chart is as Vega makes it."""
    if lang() == "ja":
        figure = figure.properties(description=description).configure(aria=False)
    st.altair_chart(figure, width="stretch")


def _css_string(text: str) -> str:
    """A CSS string literal of catalogue text (quotes and backslashes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'


_NOTES = (
    (re.compile(r"^template (?P<id>\S+)$"), "history.note.template"),
    (re.compile(r"^copy of (?P<id>\S+)$"), "history.note.copy"),
    (re.compile(r"^restored version (?P<n>\d+)$"), "history.note.restored"),
    (re.compile(r"^imported from (?P<file>.+)$"), "history.note.imported"),
)
"""The notes the library writes into a revision (in English, in the workspace's files, old ones too)."""


def history_note(note: str | None) -> str:
    """A revision's note in the app's language: the library's own notes translated, a person's as written."""
    if not note:
        return ""
    for pattern, key in _NOTES:
        found = pattern.match(note)
        if found:
            return t(key, **found.groupdict())
    return note


def require_doc() -> state.Doc:
    """The open design, or a pointer to the library (and stop the page)."""
    doc = state.current()
    if doc is None:
        st.info(t("common.no_design_open"), icon=":material/folder_open:")
        st.page_link(page_path("library.py"), label=t("common.go_library"), icon=":material/library_books:")
        st.stop()
    return doc


def page_path(file: str) -> str:
    from journeymap.ui import PAGES_DIR

    return str(PAGES_DIR / file)


def show_notice() -> None:
    found = state.pop_notice()
    if found:
        key, values = found
        values = {name: md(value) for name, value in values.items()}  # ids and names from users
        st.toast(t(f"notice.{key}", **values), icon=":material/info:")
        if key == "draft_restored":
            st.info(t(f"notice.{key}", **values), icon=":material/restore:")


# --------------------------------------------------------------------------- issues


def describe_path(path: tuple, design: Design | None) -> str:
    """Where an issue is, in words: 'ステージ「アポイント獲得」 › 目標転換率 (%)'."""
    parts: list[str] = []
    node: Any = design
    i = 0
    while i < len(path):
        part = path[i]
        if isinstance(part, int):
            parts.append(f"#{part + 1}")
            i += 1
            continue
        child = getattr(node, "from_" if part == "from" else part, None) if node is not None else None
        nxt = path[i + 1] if i + 1 < len(path) else None
        if isinstance(nxt, int):
            item = child[nxt] if isinstance(child, list) and nxt < len(child) else None
            name = getattr(item, "name", None)
            label = t(f"kind.{part}", default=field_label(part))
            if name is not None:
                parts.append(f"{label}「{shown(name)}」")
            elif isinstance(item, str):
                parts.append(f"{label}「{md(item)}」")
            else:
                parts.append(f"{label} {nxt + 1}")
            node = item
            i += 2
            continue
        parts.append(field_label(part))
        node = child
        i += 1
    return " › ".join(parts) if parts else t("kind.design")


def issue_text(issue: Issue, design: Design | None, prefix: tuple = ()) -> str:
    """One issue for people: where (file:line, table row, or the design path) and what."""
    rest = issue.path[len(prefix):] if prefix and issue.path[: len(prefix)] == prefix else None
    if rest and isinstance(rest[0], int):
        where = t("common.row_n", n=rest[0] + 1)
        if len(rest) > 1:
            where += f" · {field_label(rest[1])}"
    elif issue.path:
        where = describe_path(issue.path, design)
    else:
        where = ""
    if issue.line is not None or issue.cell:
        where = md(auth.redact(issue.where)) + (f" ({where})" if where else "")
    elif not where:
        where = md(auth.redact(issue.where))
    message = md(auth.redact(localized(issue)))
    return f"**{where}**: {message}" if where else message


def show_issues(error: InputError, design: Design | None = None, prefix: tuple = (), edit: bool = True) -> None:
    """The issues of an input error as one message; for an edit, say that nothing was applied."""
    lines = [f"- {issue_text(issue, design, prefix)}" for issue in error.issues]
    head = t("common.edit_refused") + "\n\n" if edit else ""
    st.error(head + "\n".join(lines), icon=":material/error:")


def attempt(edit: Callable[[], Design], prefix: tuple = (), rerun: bool = True, editor: str | None = None) -> bool:
    """Apply an edit: a valid result becomes the design; an invalid one shows its issues inline.

    `editor` names a widget that keeps showing a refused edit (a table, a text box): until it
    shows the design again, the sidebar says the screen is not saved and Save refuses.
    """
    doc = state.current()
    try:
        design = edit()
    except InputError as exc:
        show_issues(exc, doc.design if doc else None, prefix)
        if editor:
            state.refuse_pending(editor)
        return False
    if editor:
        state.accept_pending(editor)
    if doc is not None and design != doc.design:
        state.change(design)
        if rerun:
            st.rerun()
    return True


# --------------------------------------------------------------------------- table editors


def table_editor(
    key: str,
    rows: list[dict],
    columns: dict[str, Any],
    apply: Callable[[list[dict]], Design],
    prefix: tuple,
    dynamic: bool = True,
    height: int | str = "auto",
    hidden: tuple[str, ...] = (),
) -> None:
    """A data_editor over `rows`; an edit that gives a valid design is applied at once.

    `hidden` columns ride along unseen (edited elsewhere on the page, where a projector has room
    for them): an edit of the shown cells gives them back as they were, so nothing is lost.

    An edit that does not stays visible in the table with its issues below it (by row and
    column), and the design keeps its last valid state. A number column takes decimals, as the
    model does, even when every number in it is whole (a column of whole numbers would take
    whole numbers only: 2.5 typed there would be 2); only a column whose config sets a `step`
    keeps to its steps. Whole numbers go back to the design as whole numbers.
    """
    names = ["_key", *columns, *(h for h in hidden if h not in columns)]
    frame = pd.DataFrame(rows, columns=names) if rows else pd.DataFrame(columns=names)
    frame["_key"] = frame["_key"].astype(object)
    for name in decimal_columns(columns):
        frame[name] = frame[name].astype(float)
    edited = st.data_editor(
        frame,
        key=wkey(key),
        column_order=list(columns),
        column_config=columns,
        num_rows="dynamic" if dynamic else "fixed",
        hide_index=True,
        width="stretch",
        height=height,
        placeholder="",
    )
    records = [_clean_record(r) for r in edited.to_dict("records")]
    if records == [_clean_record(r) for r in frame.to_dict("records")]:
        state.accept_pending(key)
        return
    attempt(lambda: apply(records), prefix, editor=key)


def decimal_columns(columns: dict[str, Any]) -> list[str]:
    """The number columns of an editor's `columns` config that take decimals: those without a `step`."""
    return [name for name, config in columns.items()
            if isinstance(config, dict) and (config.get("type_config") or {}).get("type") == "number"
            and (config.get("type_config") or {}).get("step") is None]


def _clean_record(record: dict) -> dict:
    out = {}
    for name, value in record.items():
        if isinstance(value, float) and value != value:
            value = None
        elif hasattr(value, "tolist") and not isinstance(value, str):
            value = value.tolist()
        out[name] = value
    return out


def text_lines_editor(key: str, label: str, items: Iterable[Any], apply: Callable[[list[str]], Design], help: str | None = None) -> None:
    """A text area with one item per line (activities, exit criteria, aliases ...)."""
    shown = "\n".join(text_of(v, lang()) if not isinstance(v, str) else v for v in items)
    value = st.text_area(label, shown, key=wkey(key), help=help, height=110)
    if value != shown:
        attempt(lambda: apply(value.splitlines()), editor=key)
    else:
        state.accept_pending(key)


# --------------------------------------------------------------------------- diagrams

LAYOUT_KEY = "jm_layout"


def editor_and_preview():
    """The editor with the diagram below it at full width (the default: at 1280–1440 px the tables
    keep all their columns and the diagram stays readable), or side by side (the user's choice)."""
    if st.session_state.get(LAYOUT_KEY, "below") == "side":
        return st.columns([11, 9], gap="medium")
    return st.container(), st.container()


def layout_switch() -> None:
    st.segmented_control(
        t("layout.title"), ["below", "side"], default="below", required=True, format_func=labels("layout"),
        key=LAYOUT_KEY, persist_state="session",
    )


@st.cache_data(max_entries=128, show_spinner=False)
def _dot(key: str, _design: Design, view: str, theme: str, lang: str, detail: str, highlight: str | None, _overlay: Any) -> str:
    return render.to_dot(_design, view=view, theme=theme, lang=lang, detail=detail, overlay=_overlay, highlight=highlight)


def dot_source(design: Design, key: str, view: str = "process", *, theme: str = "default", detail: str = "compact",
               highlight: str | None = None, overlay: Any = None) -> str:
    """The DOT of a view, cached by `key` (the design's content key, plus the overlay's when one is given)."""
    return _dot(key, design, view, theme, lang(), detail, highlight, overlay)


@st.cache_data(max_entries=64, show_spinner=False)
def _svg(dot: str) -> str:
    return render.run_dot(dot, "svg").decode("utf-8")


def server_drawing() -> bool:
    """Whether graphviz's `dot` is here to draw diagrams on the server, with our fonts and sizes.

    Streamlit's st.graphviz_chart lays out in the browser but restyles every label in one small
    font, which loses the projector theme's sizes; it is the fallback when `dot` is missing.
    """
    return _dot_on_path(os.environ.get("PATH", ""))


@functools.lru_cache(maxsize=8)
def _dot_on_path(path: str) -> bool:
    return shutil.which("dot", path=path) is not None


def diagram(design: Design, key: str, view: str = "process", *, height: int | str = "content", **options: Any) -> None:
    """The design drawn as SVG by graphviz on the server, or laid out in the browser without `dot`."""
    try:
        dot = dot_source(design, key, view, **options)
    except InputError as exc:
        show_issues(exc, design, edit=False)
        return
    if server_drawing():
        try:
            st.image(_svg(dot), width="stretch")
            return
        except InputError:  # dot failed on this machine after all: lay out in the browser
            pass
    st.graphviz_chart(dot, width="stretch", height=height, alt=t(f"diagram_alt.{view}"))


def saved_preview(ws: Workspace, entry: Entry) -> None:
    """A saved design's process diagram, drawn once per design version for the whole server (and kept
    in the workspace's cache folder across restarts)."""
    _shared_preview(ws, f"{entry.id}-{entry.version}", lambda: ws.load(entry.id).design, f"saved:{entry.id}:{entry.version}")


def template_preview(ws: Workspace, template: Template) -> None:
    """A template's process diagram, drawn once per template version (its file's content) for the whole
    server, in the same bounded cache as the saved designs' previews."""
    _shared_preview(ws, f"template.{template.id}-{template.version}", lambda: template.design,
                    f"template:{template.id}:{template.version}")


def _shared_preview(ws: Workspace, name: str, design: Callable[[], Design], key: str) -> None:
    """The compact process diagram of `design()` under the preview cache's `name` (plus view and
    language); without `dot` here (or for a name the cache does not take) the browser lays it out."""
    cache_key = f"{name}-process-{lang()}"
    try:
        if not server_drawing() or not ws.previews.accepts(cache_key):
            diagram(design(), key, "process", detail="compact")
            return

        def draw() -> str:
            return render.run_dot(render.to_dot(design(), view="process", lang=lang(), detail="compact"), "svg").decode("utf-8")

        picture = ws.previews.get(cache_key, draw)
    except InputError as exc:
        show_issues(exc, edit=False)
        return
    st.image(picture, width="stretch")


# --------------------------------------------------------------------------- translations


@st.cache_data(max_entries=32, show_spinner=False)
def _saved_versions(design_id: str, numbers: tuple[int, ...], _texts: tuple[str, ...]) -> list[Design]:
    from journeymap.designfile.reading import parse_design_text

    out = []
    for number, text in zip(numbers, _texts):
        try:
            out.append(parse_design_text(text, f"{design_id} v{number}"))
        except InputError:
            continue  # an old version that no longer reads: it says nothing about translations
    return out


def stale_texts(doc: state.Doc) -> list:
    """Texts on screen whose one language may be out of date (see editing.translations)."""
    from journeymap.editing.translations import stale_translations

    ws = state.workspace()
    revisions = sorted(ws.history(doc.id), key=lambda r: r.number)
    numbers = tuple(r.number for r in revisions)
    texts = tuple(ws.revision_text(doc.id, n) for n in numbers)
    return stale_translations([*_saved_versions(doc.id, numbers, texts), doc.design])


def stale_list(items: list) -> None:
    """Each possibly stale text: where, which language, and what the other language says now."""
    languages = {"ja": t("lang.ja"), "en": t("lang.en")}
    for item in items:
        where = t(f"stale.kind.{item.kind}", default=item.kind)
        st.markdown("- " + t("stale.item", where=where, id=md(item.item_id or ""), field=field_label(item.field),
                             stale_lang=languages[item.stale], text=md(item.text), other=languages["en" if item.stale == "ja" else "ja"],
                             changed=md(item.changed)))


# --------------------------------------------------------------------------- read-only tables


def figures_table(frame: pd.DataFrame, shown_as: dict[str, Callable[[Any], str]], where: Any = None) -> None:
    """A read-only table drawn as HTML (st.table), not a data grid: on a projector at 1280×720 every
    column is on screen with nothing to scroll sideways, long names wrap and no figure is cut.

    `frame` holds the columns as headed on screen; those in `shown_as` are figures (kept as numbers,
    drawn with their function, an empty one as —, never broken across lines, right-aligned under a
    right-aligned heading); the others are text the caller has made safe for Markdown (`md`). A
    heading breaks between words only (必要件数, never 必要件 / 数)."""
    figures = [c for c in frame.columns if c in shown_as]
    frame = frame.astype(dict.fromkeys(figures, float))
    right = [{"selector": f"th.col{i}", "props": "text-align: right !important"}
             for i, column in enumerate(frame.columns) if column in shown_as]
    (where if where is not None else st).table(
        frame.style.format({c: shown_as[c] for c in figures}, na_rep=DASH)
        .set_properties(subset=figures, **{"white-space": "nowrap"})
        .set_table_styles(right + [{"selector": "th, th p", "props": "word-break: keep-all !important"}]),
        hide_index=True,
    )
