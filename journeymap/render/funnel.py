"""The funnel view: one bar per funnel stage, centred, its width following the planned volume;
the planned conversion rate between bars. With an overlay (the compare result) each stage gets a
second bar for what was actually reached, coloured by status, and the actual rate and gap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from journeymap.model import Stage
from journeymap.render import labels as L
from journeymap.render.dotlang import Html, esc
from journeymap.render.frame import Context, LegendItem, font, header, owner_legend, start, text_lines
from journeymap.text import format as fmt
from journeymap.text.glossary import status_mark

PAD = 6


def funnel_dot(ctx: Context) -> str:
    dot = start(ctx, "funnel", rankdir="TB")
    funnel = ctx.design.funnel_stages
    th = ctx.theme
    if not funnel:
        dot.node("empty", {"label": Html(font(esc(L.word("no_funnel", ctx.lang)), th.heading_size, th.muted))})
    else:
        dot.node("funnel", {"label": Html(funnel_table(ctx, funnel))})
    extra = [] if any(v is not None for v in ctx.planned.values()) or not funnel else [L.word("no_plan", ctx.lang)]
    dot.set("label", header(ctx, "funnel_view", extra, legend=_legend(ctx)))
    return dot.text()


def _bar_max(ctx: Context) -> int:
    return 640 if ctx.theme.body_size >= 20 else 380


def funnel_table(ctx: Context, funnel: list[Stage]) -> str:
    th, lang = ctx.theme, ctx.lang
    overlay = bool(ctx.overlay)
    bar_max = _bar_max(ctx)
    scale = _scale(ctx)
    name_width = max(L.block_width([(L.lines(L.t(s.name, lang), ctx.cols(th.wrap + 6)), th.name_size)]) for s in funnel) + 2 * PAD
    size = th.body_size
    num_width = round(L.text_width("計画 1,000,000件/月", size)) + 2 * PAD

    rows = [_head_row(ctx, name_width, bar_max, num_width, overlay, bool(scale and scale.log))]
    for i, stage in enumerate(funnel):
        if i > 0:
            rows.append(_rate_row(ctx, stage, bar_max))
        rows.append(_stage_row(ctx, stage, scale, bar_max, name_width, num_width))
    return (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="{PAD}" BGCOLOR="{th.bg}">'
            f'{"".join(rows)}</TABLE>')


@dataclass(frozen=True)
class Scale:
    """Bar width for a volume: linear, or logarithmic when volumes span more than `LOG_ABOVE`×
    (a 200,000 → 72 funnel drawn linearly shows one bar and four slivers)."""

    top: float
    bottom: float
    width: int
    log: bool

    def __call__(self, value: float | None) -> int:
        if value is None or value <= 0:
            return 0
        if not self.log:
            return max(4, round(self.width * value / self.top))
        low = math.log10(self.bottom) - 0.35
        share = (math.log10(value) - low) / (math.log10(self.top) - low)
        return max(4, round(self.width * share))


LOG_ABOVE = 20


def _scale(ctx: Context) -> Scale | None:
    values = [v for v in ctx.planned.values() if v and v > 0]
    values += [row["reached"] for row in ctx.overlay.values()
               if isinstance(row.get("reached"), (int, float)) and row["reached"] > 0]
    if not values:
        return None
    top, bottom = max(values), min(values)
    return Scale(top, bottom, _bar_max(ctx), log=top / bottom > LOG_ABOVE)


def _head_row(ctx: Context, name_width: int, bar_max: int, num_width: int, overlay: bool, log: bool) -> str:
    th, lang = ctx.theme, ctx.lang
    size = th.small_size if th.small_size >= 20 else th.body_size
    words = [("stage", name_width, "LEFT"), ("log_volume" if log else "volume", bar_max + 2 * PAD, "CENTER"),
             ("plan", num_width, "RIGHT")]
    if overlay:
        words.append(("actual", num_width, "RIGHT"))
    cells = "".join(f'<TD WIDTH="{w}" ALIGN="{a}">{font(esc(L.word(k, lang)), size, th.muted, bold=True)}</TD>'
                    for k, w, a in words)
    return f"<TR>{cells}</TR>"


def _stage_row(ctx: Context, stage: Stage, scale: Scale | None, bar_max: int, name_width: int, num_width: int) -> str:
    th, lang = ctx.theme, ctx.lang
    faded = ctx.faded(stage.id)
    current = stage.id == ctx.highlight
    sw = ctx.swatch(stage.owner, faded)
    text = ctx.fade(th.text, faded)
    name = L.lines(L.t(stage.name, lang), ctx.cols(th.wrap + 6))
    planned = ctx.planned.get(stage.id)
    row = ctx.overlay.get(stage.id) or {}
    reached = row.get("reached")
    bar_h = round(th.name_size * 1.8)

    bars = []
    plan_color = th.neutral_fill if ctx.overlay else sw.strong
    if current:
        plan_color = th.highlight
    bars.append(_bar(scale(planned) if scale else 0, bar_h, ctx.fade(plan_color, faded and not ctx.overlay)))
    if ctx.overlay:
        status_color = th.status.get(row.get("status"), th.status[None])
        bars.append(_bar(scale(reached) if scale else 0, round(bar_h * 0.7), ctx.fade(status_color, faded)))
    bar_cells = "".join(f"<TR><TD>{b}</TD></TR>" for b in bars)
    bar_table = f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="0">{bar_cells}</TABLE>'

    swatch = f'<FONT COLOR="{sw.strong}">■</FONT> '
    name_html = font(swatch + text_lines(name), th.name_size, text, bold=True)
    plan_text = fmt.volume(planned, lang) + ctx.per() if planned is not None else "—"
    cells = [
        f'<TD ALIGN="LEFT" BALIGN="LEFT" WIDTH="{name_width}">{name_html}</TD>',
        f'<TD ALIGN="CENTER" WIDTH="{bar_max + 2 * PAD}">{bar_table}</TD>',
        f'<TD ALIGN="RIGHT" WIDTH="{num_width}">{font(esc(plan_text), th.body_size, text, bold=True)}</TD>',
    ]
    if ctx.overlay:
        status = row.get("status")
        color = ctx.fade(th.status.get(status, th.status[None]), faded)
        actual = fmt.count(reached, lang) if isinstance(reached, (int, float)) else "—"
        word = L.word(status if status in ("on_track", "at_risk", "off_track") else "no_status", lang)
        cells.append(f'<TD ALIGN="RIGHT" BALIGN="RIGHT" WIDTH="{num_width}">'
                     f"{font(esc(actual), th.body_size, color, bold=True)}<BR/>"
                     f"{font(esc(f'{status_mark(status)} {word}'), th.body_size, color)}</TD>")
    return f"<TR>{''.join(cells)}</TR>"


def _bar(width: int, height: int, color: str) -> str:
    if width <= 0:
        return " "
    return (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'
            f'<TR><TD BGCOLOR="{color}" WIDTH="{width}" HEIGHT="{height}" FIXEDSIZE="TRUE"> </TD></TR></TABLE>')


def _rate_row(ctx: Context, stage: Stage, bar_max: int) -> str:
    """Between two bars: ▼ the planned rate (and the actual rate and gap in points)."""
    th, lang = ctx.theme, ctx.lang
    faded = ctx.faded(stage.id)
    size = th.small_size if th.small_size >= 20 else th.body_size
    parts = [f"▼ {L.word('plan', lang)} {fmt.planned_rate(stage.target_rate)}"]
    color = ctx.fade(th.text, faded)
    row = ctx.overlay.get(stage.id) or {}
    if row.get("rate") is not None:
        parts.append(f"{L.word('actual', lang)} {fmt.percent(row['rate'])}")
        if row.get("gap_pts") is not None:
            parts.append(f"({fmt.points(row['gap_pts'])})")
        color = ctx.fade(th.status.get(row.get("status"), th.status[None]), faded)
    text = "  ".join(parts)
    return (f'<TR><TD></TD><TD ALIGN="CENTER">{font(esc(text), size, color, bold=True)}</TD>'
            f"<TD></TD>{'<TD></TD>' if ctx.overlay else ''}</TR>")


def _legend(ctx: Context) -> list[LegendItem]:
    items = owner_legend(ctx, ctx.design.funnel_stages)
    if ctx.overlay:
        th, lang = ctx.theme, ctx.lang
        items = [LegendItem(L.word("plan", lang), th.neutral_fill)]
        for key in ("on_track", "at_risk", "off_track"):
            items.append(LegendItem(f"{L.word('actual', lang)}: {L.word(key, lang)}", th.status[key], status_mark(key)))
    return items
