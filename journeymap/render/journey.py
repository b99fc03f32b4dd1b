"""The journey view: a swimlane map, one table.

Columns are the journey phases; rows are customer actions, touchpoints, thoughts, emotion (a
five-step scale whose marks, read across the columns, draw the emotion curve), pain points,
opportunities and the process stages that serve each phase (chips in their owner's colour).
"""

from __future__ import annotations

from journeymap.model import JourneyPhase
from journeymap.render import labels as L
from journeymap.render.dotlang import Html, esc
from journeymap.render.frame import Context, font, header, owner_legend, start, text_lines
from journeymap.text import format as fmt

PAD = 8
LANES = ("customer_actions", "touchpoints", "thoughts", "emotion", "pain_points", "opportunities", "stages")


def journey_dot(ctx: Context) -> str:
    dot = start(ctx, "journey", rankdir="LR")
    journey = ctx.design.journey
    extra: list[str] = []
    if journey is not None and journey.persona:
        extra.append(f"{L.word('persona', ctx.lang)}: {L.t(journey.persona, ctx.lang)}")
    if journey is None or not journey.phases:
        dot.node("empty", {"label": Html(font(esc(L.word("no_journey", ctx.lang)), ctx.theme.heading_size,
                                              ctx.theme.muted))})
        dot.set("label", header(ctx, "journey_view", extra))
        return dot.text()
    dot.node("journey", {"label": Html(journey_table(ctx, journey.phases))})
    dot.set("label", header(ctx, "journey_view", extra, legend=owner_legend(ctx)))
    return dot.text()


def journey_table(ctx: Context, phases: list[JourneyPhase]) -> str:
    th, lang = ctx.theme, ctx.lang
    cols = _wrap_cols(ctx)
    col_width = _column_width(ctx, phases, cols)
    head_width = max(round(L.text_width(L.word(k, lang), th.body_size)) for k in LANES) + 2 * PAD + 8
    linked = {p.id for p in phases if ctx.highlight in p.stages}

    corner = f'<TD BGCOLOR="{th.row_header_fill}" WIDTH="{head_width}"> </TD>'
    heads = []
    for n, phase in enumerate(phases, start=1):
        on = phase.id in linked
        fill = th.highlight if on else th.row_header_fill
        color = "#000000" if on else ctx.fade(th.text, bool(linked))
        title = _title_lines(ctx, n, phase, cols)
        heads.append(f'<TD BGCOLOR="{fill}" WIDTH="{col_width}" ALIGN="LEFT" BALIGN="LEFT">'
                     f"{font(text_lines(title), th.heading_size, color, bold=True)}</TD>")
    rows = [f"<TR>{corner}{''.join(heads)}</TR>"]

    for lane in LANES[:-1]:
        cells = [_lane_header(ctx, lane)]
        for phase in phases:
            cells.append(_cell(ctx, lane, phase, col_width))
        rows.append(f"<TR>{''.join(cells)}</TR>")
    rows += _stage_rows(ctx, phases, col_width)
    return (f'<TABLE BORDER="{round(max(th.pen, 1))}" COLOR="{th.grid}" CELLBORDER="1" CELLSPACING="0" '
            f'CELLPADDING="{PAD}" BGCOLOR="{th.bg}">{"".join(rows)}</TABLE>')


def _wrap_cols(ctx: Context) -> int:
    """Display columns of a cell: Latin letters are narrower than their column count says."""
    return ctx.cols(ctx.theme.cell_wrap)


def _title_lines(ctx: Context, n: int, phase: JourneyPhase, cols: int) -> list[str]:
    """The phase title, wrapped to about the width of the body text below it."""
    th = ctx.theme
    return L.lines(f"{n}. {L.t(phase.name, ctx.lang)}", max(8, round(cols * th.body_size / th.heading_size)))


def _lane_lines(ctx: Context, phase: JourneyPhase, lane: str, cols: int) -> list[str]:
    items = getattr(phase, lane)
    return [ln for item in items for ln in L.bulleted(L.t(item, ctx.lang), cols, L.mark(ctx.lang))]


def _chip_lines(ctx: Context, stage, cols: int) -> list[str]:
    return L.lines(f"{ctx.number(stage)}. {L.t(stage.name, ctx.lang)}", cols)


def _column_width(ctx: Context, phases: list[JourneyPhase], cols: int) -> int:
    """One width for every phase column: the widest content, so no column looks cramped."""
    th = ctx.theme
    texts: list[tuple[list[str], float]] = []
    for n, phase in enumerate(phases, start=1):
        texts.append((_title_lines(ctx, n, phase, cols), th.heading_size))
        for lane in LANES:
            if lane not in ("emotion", "stages"):
                texts.append((_lane_lines(ctx, phase, lane, cols), th.body_size))
        for stage_id in phase.stages:
            texts.append((_chip_lines(ctx, ctx.design.stage(stage_id), cols), th.body_size))
    scores = [p.emotion for p in phases if p.emotion is not None]
    texts.append(([f"● {_emotion_label(ctx, score)}" for score in scores], th.body_size * 1.15))
    return L.block_width(texts) + 2 * PAD + 4


def _lane_header(ctx: Context, lane: str, rowspan: int = 1) -> str:
    th = ctx.theme
    title = L.lines(L.word(lane, ctx.lang), 14 if ctx.lang == "ja" else 12)
    span = f' ROWSPAN="{rowspan}"' if rowspan > 1 else ""
    return (f'<TD BGCOLOR="{th.row_header_fill}"{span} ALIGN="LEFT" BALIGN="LEFT" VALIGN="MIDDLE">'
            f"{font(text_lines(title), th.body_size, th.text, bold=True)}</TD>")


def _cell(ctx: Context, lane: str, phase: JourneyPhase, width: int) -> str:
    th = ctx.theme
    if lane == "emotion":
        return f'<TD WIDTH="{width}" CELLPADDING="2">{_emotion_scale(ctx, phase.emotion, width)}</TD>'
    fill = {"pain_points": th.pain_fill, "opportunities": th.opportunity_fill}.get(lane, th.bg)
    lines = _lane_lines(ctx, phase, lane, _wrap_cols(ctx))
    body = font(text_lines(lines), th.body_size, th.text) if lines else " "
    return f'<TD WIDTH="{width}" BGCOLOR="{fill}" ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">{body}</TD>'


def _emotion_scale(ctx: Context, emotion: float | None, width: int) -> str:
    """Five stacked cells, +2 at the top: a coloured mark sits at the phase's score."""
    th = ctx.theme
    size = th.body_size
    step = round(size * 1.5)
    level = None if emotion is None else max(-2, min(2, round(emotion)))
    rows = []
    for value in (2, 1, 0, -1, -2):
        fill = f' BGCOLOR="{th.neutral_fill}"' if value == 0 else ""
        body = " "
        if emotion is not None and value == level:
            color = th.emotion[value + 2]
            label = _emotion_label(ctx, emotion)
            body = f"{font('●', size * 1.3, color)} {font(esc(label), size, color, bold=True)}"
        rows.append(f'<TR><TD{fill} HEIGHT="{step}" WIDTH="{width - 8}" ALIGN="LEFT">{body}</TD></TR>')
    if level is None:
        rows[2] = f'<TR><TD BGCOLOR="{th.neutral_fill}" HEIGHT="{step}" ALIGN="LEFT">{font("—", size, th.muted)}</TD></TR>'
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{"".join(rows)}</TABLE>'


def _emotion_label(ctx: Context, emotion: float) -> str:
    """`+1 やや満足`: the score and its word."""
    level = max(-2, min(2, round(emotion)))
    return f"{fmt.signed(emotion)} {L.emotion_word(level, ctx.lang)}"


def _stage_rows(ctx: Context, phases: list[JourneyPhase], width: int) -> list[str]:
    """The linked process stages: one row per link, each link a cell in its owner's colour.

    (Separate rows, not a nested table: graphviz stretches a nested table to fill its cell.)
    """
    th = ctx.theme
    depth = max(1, max(len(p.stages) for p in phases))
    rows = []
    for i in range(depth):
        cells = [_lane_header(ctx, "stages", depth)] if i == 0 else []
        for phase in phases:
            if i >= len(phase.stages):
                cells.append(f'<TD WIDTH="{width}"> </TD>')
                continue
            stage = ctx.design.stage(phase.stages[i])
            sw = ctx.swatch(stage.owner, ctx.faded(stage.id))
            name = _chip_lines(ctx, stage, _wrap_cols(ctx))
            border = f' COLOR="{th.highlight}" BORDER="{round(th.highlight_pen)}"' if stage.id == ctx.highlight else ""
            cells.append(f'<TD BGCOLOR="{sw.strong}"{border} WIDTH="{width}" ALIGN="LEFT" BALIGN="LEFT">'
                         f"{font(text_lines(name), th.body_size, sw.on_strong, bold=True)}</TD>")
        rows.append(f"<TR>{''.join(cells)}</TR>")
    return rows
