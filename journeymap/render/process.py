"""The process view: phases as clusters left to right, each phase's stages top to bottom.

Each stage is a card in its owner's colour: owner band, name, KPI targets and funnel facts (planned
volume, unit cost, days). Edges into funnel stages carry the planned conversion rate; extra
transitions are dashed; drop reasons are exits shown on the card of each stage where they occur
(↘). (Drawn as separate nodes they turned real templates into a web of crossing lines.) The
detailed view is a grid for print, drawn by `grid.py` from this module's parts.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeymap.model import Stage
from journeymap.render import labels as L
from journeymap.render.dotlang import Html, esc
from journeymap.render.frame import Context, LegendItem, font, header, kgi_text, owner_legend, start, text_lines
from journeymap.render.grid import Parts, grid_dot
from journeymap.text import format as fmt
from journeymap.text.glossary import status_mark

PAD = 6
LABEL_WRAP = 24
"""Display columns an edge label wraps at: long labels widen the gap between phase columns."""


def process_dot(ctx: Context) -> str:
    if ctx.detail == "detailed":
        return grid_dot(ctx, Parts(facts=_funnel_facts, actual=_actual_line, exits=lambda stage, cols: _grid_exits(ctx, stage, cols),
                                   reason_numbers=_reason_numbers(ctx), legend=_grid_legend(ctx)))
    th = ctx.theme
    dot = start(ctx, "process", rankdir="LR")
    ids = {s.id: f"st{n}" for n, s in enumerate(ctx.design.stages, start=1)}

    # One card width for the whole diagram: columns line up and the eye reads a grid.
    cards = {s.id: card_content(ctx, s) for s in ctx.design.stages}
    width = max(card.width(ctx) for card in cards.values())
    for pi, phase in enumerate(ctx.design.phases):
        faded = ctx.highlight is not None and all(ctx.faded(s.id) for s in phase.stages)
        title = esc(L.t(phase.name, ctx.lang))
        dot.open(
            f"cluster_ph{pi + 1}",
            {
                "label": "",
                "style": "rounded,filled",
                "fillcolor": th.cluster_fill,
                "color": ctx.fade(th.cluster_border, faded),
                "penwidth": th.cluster_pen,
                "margin": 14 if th.name_size < 20 else 24,
            },
        )
        # The phase's title is a node above the first card: graphviz lines up node centres, so the
        # phases' tops line up when their titles do, whatever the height of each first card.
        heading = font(title, th.heading_size, ctx.fade(th.cluster_text, faded), bold=True)
        dot.node(f"top{pi + 1}", {"label": Html(
            f'<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="0" CELLSPACING="0">'
            f'<TR><TD ALIGN="LEFT" WIDTH="{width + 2}">{heading}</TD></TR></TABLE>')})
        for stage in phase.stages:
            dot.node(ids[stage.id], {"label": stage_card(ctx, stage, width, cards[stage.id]), "tooltip": _tooltip(ctx, stage)})
        dot.same_rank([f"top{pi + 1}"] + [ids[s.id] for s in phase.stages])
        dot.edge(ids[phase.stages[0].id], f"top{pi + 1}", {"style": "invis", "minlen": 0})
        # Within a phase the flow runs downwards. In a left-to-right graph a rank is a column, and
        # the first node of a flat edge sits lowest, so each edge is written reversed (dir=back).
        for upper, lower in zip(phase.stages, phase.stages[1:]):
            pair = [tr for tr in ctx.design.transitions if {tr.from_, tr.to} == {lower.id, upper.id}]
            dot.edge(ids[lower.id], ids[upper.id], {"dir": "back", **_flow_attrs(ctx, upper, lower, pair=pair)})
        dot.close()

    # Phases side by side with their tops level; the edge between phases bends freely.
    tops = [f"top{pi + 1}" for pi in range(len(ctx.design.phases))]
    for left, right in zip(tops, tops[1:]):
        dot.edge(left, right, {"style": "invis", "weight": 100})
    for prev, nxt in zip(ctx.design.phases, ctx.design.phases[1:]):
        a, b = prev.stages[-1], nxt.stages[0]
        dot.edge(ids[a.id], ids[b.id], _flow_attrs(ctx, a, b))

    _transitions(ctx, dot, ids)
    _actual_moves(ctx, dot, ids)
    dot.set("label", header(ctx, "process_view", legend=_legend(ctx)))
    return dot.text()


# --------------------------------------------------------------------------- the stage card


@dataclass
class Section:
    lines: list[str]
    size: float
    color: str
    bold: bool = False
    title: str | None = None
    fill: str | None = None


@dataclass
class Card:
    """What a stage card says, before it is drawn."""

    owner_line: str
    name_lines: list[str]
    sections: list[Section]

    def width(self, ctx: Context) -> int:
        th = ctx.theme
        texts: list[tuple[list[str], float]] = [(self.name_lines, th.name_size), ([self.owner_line], th.small_size)]
        texts += [(([s.title] if s.title else []) + s.lines, s.size) for s in self.sections]
        return L.block_width(texts) + 2 * PAD + 4


def card_content(ctx: Context, stage: Stage) -> Card:
    th, lang = ctx.theme, ctx.lang
    faded = ctx.faded(stage.id)
    text, muted = ctx.fade(th.text, faded), ctx.fade(th.muted, faded)
    wrap = ctx.cols(th.wrap + 6)
    sections: list[Section] = []

    kpis = [ln for k in stage.kpis for ln in L.bulleted(L.kpi_line(k, ctx.design, lang), wrap, L.mark(lang))]
    if kpis:
        sections.append(Section(kpis, th.body_size, text))
    facts = _funnel_facts(ctx, stage)
    if facts:
        sections.append(Section(L.lines("  ".join(facts), wrap), th.body_size, muted))
    kgis = [ln for k in ctx.design.kgis if k.stage == stage.id for ln in L.lines("★ KGI " + kgi_text(ctx, k), wrap)]
    if kgis:
        sections.append(Section(kgis, th.body_size, text, bold=True))
    actual = _actual_line(ctx, stage)
    if actual:
        sections.append(Section([actual[0]], th.body_size, ctx.fade(actual[1], faded), bold=True))
    exits = _exits(ctx, stage, wrap)
    if exits:
        sections.append(Section(exits, th.body_size, ctx.fade(th.drop, faded), bold=False,
                                fill=ctx.fade(th.drop_fill, faded)))
    return Card(
        owner_line=f"{ctx.number(stage)}  {ctx.owner_name(stage.owner)}",
        name_lines=L.lines(L.t(stage.name, lang), ctx.cols(th.wrap)),
        sections=sections,
    )


def stage_card(ctx: Context, stage: Stage, width: int | None = None, card: Card | None = None) -> Html:
    """The card as an HTML-like label: owner band, name, then its sections."""
    th = ctx.theme
    card = card or card_content(ctx, stage)
    width = max(card.width(ctx), width or 0)
    faded = ctx.faded(stage.id)
    sw = ctx.swatch(stage.owner, faded)
    header_fill, header_text = (sw.tint, sw.strong) if th.header_on_tint else (sw.strong, sw.on_strong)
    current = stage.id == ctx.highlight
    border = th.highlight if current else sw.strong
    pen = round(th.highlight_pen if current else max(th.pen, 1))
    body = ctx.fade(th.card_body, faded) if th.card_body else sw.tint

    rows = [
        f'<TR><TD ALIGN="LEFT" BGCOLOR="{header_fill}" WIDTH="{width}">'
        f"{font(esc(card.owner_line), th.small_size, header_text, bold=True)}</TD></TR>",
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">'
        f"{font(text_lines(card.name_lines), th.name_size, ctx.fade(th.text, faded), bold=True)}</TD></TR>",
    ]
    for sec in card.sections:
        head = f"{font(esc(sec.title), sec.size, sec.color, bold=True)}<BR/>" if sec.title else ""
        fill = f' BGCOLOR="{sec.fill}"' if sec.fill else ""
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"{fill}>{head}'
                    f"{font(text_lines(sec.lines), sec.size, sec.color, sec.bold)}</TD></TR>")
    return Html(
        f'<TABLE BORDER="{pen}" COLOR="{border}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="{PAD}" '
        f'BGCOLOR="{body}">{"".join(rows)}</TABLE>'
    )


def _funnel_facts(ctx: Context, stage: Stage) -> list[str]:
    lang, design = ctx.lang, ctx.design
    facts: list[str] = []
    planned = ctx.planned.get(stage.id)
    if stage.funnel and planned is not None:
        facts.append(f"{L.word('plan', lang)} {fmt.volume(planned, lang)}{ctx.per()}")
    unit_cost = ctx.unit_costs.get(stage.id)
    if unit_cost is not None:
        facts.append(f"{L.word('unit_cost', lang)} {fmt.money(unit_cost, design.currency)}")
    if stage.target_days is not None:
        facts.append(f"{L.word('days', lang)} ≤{fmt.days(stage.target_days, lang)}")
    return facts


def _actual_line(ctx: Context, stage: Stage) -> tuple[str, str] | None:
    row = ctx.overlay.get(stage.id)
    if not stage.funnel or not row or row.get("reached") is None:
        return None
    status = row.get("status")
    word = L.word(status if status in ("on_track", "at_risk", "off_track") else "no_status", ctx.lang)
    line = f"{status_mark(status)} {L.word('actual', ctx.lang)} {fmt.count(row['reached'], ctx.lang)}  {word}"
    return line, ctx.theme.status.get(status, ctx.theme.status[None])


def _tooltip(ctx: Context, stage: Stage) -> str:
    return L.t(stage.description, ctx.lang) or L.t(stage.name, ctx.lang)


# --------------------------------------------------------------------------- edges


def _flow_attrs(ctx: Context, a: Stage, b: Stage, pair: list | None = None) -> dict:
    """Attributes of the flow edge a → b: the planned (and actual) rate when b is a funnel stage.

    Every label is a layout label, so graphviz keeps room for it and it never lands on a card or
    on another label (an `xlabel`, placed after layout, did both). `pair`: transitions between a and
    b, either way; their labels join this one (two labels between the same two cards collided).
    """
    th = ctx.theme
    faded = ctx.highlight is not None and ctx.highlight not in (a.id, b.id)
    attrs: dict = {"color": ctx.fade(th.edge, faded)}
    lines: list[tuple[str, str]] = []
    if b.funnel and b.target_rate is not None:
        text = fmt.planned_rate(b.target_rate)
        color = ctx.fade(th.text, faded)
        row = ctx.overlay.get(b.id) or {}
        if row.get("rate") is not None:
            # two short lines rather than one long one: the gap between columns stays narrow
            lines.append((f"{L.word('plan', ctx.lang)} {text}", color))
            text = f"{L.word('actual', ctx.lang)} {fmt.percent(row['rate'])}"
            color = ctx.fade(th.status.get(row.get("status"), th.status[None]), faded)
        lines.append((text, color))
    for tr in pair or []:
        text = L.t(tr.label, ctx.lang)
        if text:
            dim = ctx.highlight is not None and ctx.highlight not in (tr.from_, tr.to)
            mark = "↺ " if tr.from_ == b.id else ""
            lines += [(line, ctx.fade(th.transition, dim)) for line in L.lines(mark + text, ctx.cols(LABEL_WRAP))]
    if lines:
        attrs["label"] = Html(_edge_label(ctx, lines))
    return attrs


def _edge_label(ctx: Context, lines: list[tuple[str, str]]) -> str:
    """A label of one or more lines, each `(text, colour)`, on the background colour."""
    th = ctx.theme
    size = th.body_size if th.small_size < 20 else th.small_size
    width = max(round(L.text_width(text, size)) for text, _ in lines) + 8
    rows = "".join(f'<TR><TD WIDTH="{width}" ALIGN="LEFT">{font(esc(text), size, color, bold=True)}</TD></TR>'
                   for text, color in lines)
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="2" CELLSPACING="0" BGCOLOR="{th.bg}">{rows}</TABLE>'


def _transitions(ctx: Context, dot, ids: dict[str, str]) -> None:
    """Extra transitions: dashed, free of the layout (constraint=false).

    A transition between two neighbouring stages of a phase has its label on the flow edge between
    them (see `_flow_attrs`); every other label is a layout label with room of its own.
    """
    th = ctx.theme
    order = [s.id for s in ctx.design.stages]
    for tr in ctx.design.transitions:
        faded = ctx.highlight is not None and ctx.highlight not in (tr.from_, tr.to)
        color = ctx.fade(th.transition, faded)
        text = L.t(tr.label, ctx.lang)
        same_phase = ctx.design.phase_of(tr.from_).id == ctx.design.phase_of(tr.to).id
        steps = order.index(tr.to) - order.index(tr.from_)
        skips = same_phase and abs(steps) > 1
        joined = same_phase and abs(steps) == 1
        label = Html(_edge_label(ctx, [(line, color) for line in L.lines(text, ctx.cols(LABEL_WRAP))])) if text and not joined else None
        dot.edge(ids[tr.from_], ids[tr.to], {
            "style": "dashed",
            "color": color,
            # One step back along the flow: a constraint like the flow edge, so graphviz draws the
            # pair as two separate curves instead of one line over the other.
            "constraint": steps == -1,
            # past the stages in between, not through them: leave and enter on the right side
            "tailport": "e" if skips else None,
            "headport": "e" if skips else None,
            "label": label,
        })


def _actual_moves(ctx: Context, dot, ids: dict[str, str]) -> None:
    """Moves deals actually made that the design does not draw (compare overlay): dashed, in the
    off-track colour, labelled with the number of deals; they do not change the layout."""
    th = ctx.theme
    color = th.status.get("off_track", th.transition)
    for move in ctx.moves:
        faded = ctx.highlight is not None and ctx.highlight not in (move["from"], move["to"])
        text = f"{L.word('actual', ctx.lang)} {fmt.count(move['deals'], ctx.lang)}"
        dot.edge(ids[move["from"]], ids[move["to"]], {
            "style": "dashed",
            "color": ctx.fade(color, faded),
            "penwidth": 1.5,
            "constraint": False,
            "xlabel": Html(_edge_label(ctx, [(text, ctx.fade(color, faded))])),
        })


def _exits(ctx: Context, stage: Stage, wrap: int) -> list[str]:
    """The drop reasons that occur at this stage: where deals leave the flow (↘)."""
    lang = ctx.lang
    reasons = [r for r in ctx.design.drop_reasons if stage.id in r.stages]
    if not reasons:
        return []
    if ctx.detail == "detailed":
        # each reason once, in the grid's panel; the stage keeps only its numbers
        numbers = _reason_numbers(ctx)
        return L.bulleted(f"{L.word('drop', lang)}: " + " ".join(numbers[r.id] for r in reasons), wrap, "↘ ")
    names = "、".join(L.t(r.name, lang) for r in reasons) if lang == "ja" else ", ".join(L.t(r.name, lang) for r in reasons)
    return L.bulleted(f"{L.word('drop', lang)}: {names}", wrap, "↘ ")


def _reason_numbers(ctx: Context) -> dict[str, str]:
    """The drop reasons that occur at some stage, numbered in design order: ①, ②, … (20) …"""
    reasons = [r for r in ctx.design.drop_reasons if r.stages]
    return {r.id: chr(0x2460 + n) if n < 20 else f"({n + 1})" for n, r in enumerate(reasons)}


def _grid_exits(ctx: Context, stage: Stage, cols: int) -> list[tuple[str, str]]:
    """Where deals leave a stage in the detailed grid: its drop reasons by number, the extra
    transitions from it and (with actuals) the moves off the design deals made from it."""
    th, lang = ctx.theme, ctx.lang
    faded = ctx.faded(stage.id)
    out = [(line, ctx.fade(th.drop, faded)) for line in _exits(ctx, stage, cols)]
    for tr in ctx.design.transitions:
        if tr.from_ != stage.id:
            continue
        target = ctx.design.stage(tr.to)
        text = f"{ctx.number(target)} {L.t(target.name, lang)}"
        if L.t(tr.label, lang):
            text += f": {L.t(tr.label, lang)}"
        out += [(line, ctx.fade(th.transition, faded)) for line in L.bulleted(text, cols, "← " if tr.to in _before(ctx, stage) else "→ ")]
    color = th.status.get("off_track", th.transition)
    for move in ctx.moves:
        if move["from"] == stage.id:
            target = ctx.design.stage(move["to"])
            text = f"{L.word('actual', lang)} {fmt.count(move['deals'], lang)} → {ctx.number(target)} {L.t(target.name, lang)}"
            out += [(line, ctx.fade(color, faded)) for line in L.bulleted(text, cols, "→ ")]
    return out


def _before(ctx: Context, stage: Stage) -> set[str]:
    order = [s.id for s in ctx.design.stages]
    return set(order[: order.index(stage.id)])


def _grid_legend(ctx: Context) -> list[LegendItem]:
    th, lang = ctx.theme, ctx.lang
    items = owner_legend(ctx)
    if ctx.design.transitions:
        items.append(LegendItem(L.word("transition", lang), th.transition, "→ ←"))
    if any(r.stages for r in ctx.design.drop_reasons):
        items.append(LegendItem(L.word("drop", lang), th.drop, "↘"))
    return items


def _legend(ctx: Context) -> list[LegendItem]:
    th, lang = ctx.theme, ctx.lang
    items = owner_legend(ctx)
    items.append(LegendItem(L.word("flow", lang) + " / " + L.word("rate", lang), th.edge, "──▶"))
    if ctx.design.transitions:
        items.append(LegendItem(L.word("transition", lang), th.transition, "- - ▶"))
    if ctx.moves:
        label = L.word("actual_move", lang)
        if ctx.designed_share is not None:
            label += f" · {L.word('designed_share', lang)} {fmt.percent(ctx.designed_share)}"
        items.append(LegendItem(label, th.status.get("off_track", th.transition), "- - ▶"))
    if any(r.stages for r in ctx.design.drop_reasons):
        items.append(LegendItem(L.word("drop", lang), th.drop, "↘"))
    return items
