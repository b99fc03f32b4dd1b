"""Diagrams of a design: the process flow, the customer journey and the funnel plan.

`to_dot(design, ...)` is pure and deterministic: it returns DOT text, ready for
`st.graphviz_chart` (layout in the browser) or for `render`. `render(design, fmt, ...)` is the
one place that runs graphviz's `dot`, for SVG, PNG and PDF.

    to_dot(design, view="process", theme="projector", lang="ja", highlight="appointment")
    render(design, "png", view="funnel", overlay=comparison_json(compare_result))
"""

from __future__ import annotations

from collections.abc import Mapping

from journeymap.errors import InputError
from journeymap.model import Design
from journeymap.render.frame import Context, read_overlay
from journeymap.render.themes import FONT, SVG_FONT_FAMILY, get_theme
from journeymap.render.themes import THEMES as _THEMES
from journeymap.render.volumes import planned_volumes

VIEWS = ("process", "journey", "funnel")
THEMES = tuple(_THEMES)
LANGS = ("ja", "en")
DETAILS = ("compact", "detailed")
FORMATS = ("svg", "png", "pdf", "dot")

PNG_DPI = 144
"""Pixels per inch of PNG output: sharp on a projector and in slides."""

INSTALL_HINT = (
    "graphviz is not installed (the `dot` program was not found): install it with "
    "`sudo apt-get install graphviz` (Debian/Ubuntu) or `brew install graphviz` (macOS), "
    "or export DOT instead (-o OUT.dot)"
)


class RenderError(InputError):
    """A diagram could not be drawn (graphviz missing or failing); the message says what to do."""


def to_dot(
    design: Design,
    view: str = "process",
    theme: str = "default",
    lang: str = "ja",
    detail: str = "compact",
    overlay: Mapping | str | None = None,
    highlight: str | None = None,
    planned: Mapping[str, float | None] | None = None,
    dpi: int | None = None,
) -> str:
    """The DOT text of one view of `design`.

    overlay: the compare result (`{"stages": [{"id", "planned", "reached", "rate", "target_rate",
        "gap_pts", "status"}]}`, or its JSON text) drawn over the funnel and process views.
    highlight: a stage id to emphasise; the other stages fade (Present mode).
    planned: planned volume per funnel stage id; by default the reverse funnel of the design.
    dpi: resolution written into the graph (bitmap output only).
    """
    _check("view", view, VIEWS)
    _check("lang", lang, LANGS)
    _check("detail", detail, DETAILS)
    rows = read_overlay(overlay)
    ctx = Context(
        design=design,
        theme=get_theme(theme),
        lang=lang,
        detail=detail,
        overlay=rows,
        highlight=highlight,
        planned=planned_volumes(design, planned, {"stages": [{"id": k, **v} for k, v in rows.items()]}),
        dpi=dpi,
    )
    if view == "process":
        from journeymap.render.process import process_dot

        text = process_dot(ctx)
    elif view == "journey":
        from journeymap.render.journey import journey_dot

        text = journey_dot(ctx)
    else:
        from journeymap.render.funnel import funnel_dot

        text = funnel_dot(ctx)
    return text


def render(design: Design, fmt: str, **options) -> bytes:
    """The view as `fmt` (svg, png, pdf or dot) bytes. Options are those of `to_dot`.

    Raises RenderError when graphviz is not installed or cannot draw the diagram.
    """
    _check("format", fmt, FORMATS)
    if fmt == "png":
        options.setdefault("dpi", PNG_DPI)
    text = to_dot(design, **options)
    if fmt == "dot":
        return text.encode("utf-8")
    out = run_dot(text, fmt)
    return with_font_fallbacks(out) if fmt == "svg" else out


def with_font_fallbacks(svg: bytes) -> bytes:
    """An SVG whose text names a font fallback chain instead of Noto alone: the layout is measured
    with Noto Sans CJK JP, and a Windows or Mac laptop without it shows Hiragino, Yu Gothic or
    Meiryo (close in width) rather than a serif default."""
    return svg.replace(f'font-family="{FONT}"'.encode(), f'font-family="{SVG_FONT_FAMILY}"'.encode())


def run_dot(text: str, fmt: str) -> bytes:
    """Lay out and draw DOT text with graphviz's `dot` program (`fmt` json: the layout as data)."""
    import graphviz

    # cairo draws PNG/PDF text with the real font; SVG and JSON (the layout: positions and sizes) need none
    renderer = None if fmt in ("svg", "json") else "cairo"
    try:
        return graphviz.pipe("dot", fmt, text.encode("utf-8"), renderer=renderer, quiet=True)
    except graphviz.ExecutableNotFound:
        raise RenderError(INSTALL_HINT) from None
    except graphviz.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1] if detail else f"exit status {exc.returncode}"
        raise RenderError(f"graphviz could not draw the diagram: {reason}") from None


def _check(what: str, value: str, known: tuple[str, ...]) -> None:
    if value not in known:
        raise ValueError(f"unknown {what} '{value}' (known: {', '.join(known)})")


__all__ = ["DETAILS", "FORMATS", "LANGS", "THEMES", "VIEWS", "RenderError", "render", "run_dot", "to_dot"]
