"""Slides: the design laid out for a 16:9 screen, one DOT graph per slide.

Not the editing diagram shrunk: each slide has a layout of its own, sized for a wide box of
`SLIDE_W` × `SLIDE_H` units (a unit is a pixel on a 1280×720 projector; larger screens scale
the whole slide up):

- the **overview**: the design's name and KGIs above the whole process, phases as columns of
  compact cards (number and name in the owner's colour);
- a **phase** slide: that phase's stages side by side, large, with KPIs and funnel facts;
- a **stage** slide: the stage's owner, facts, KPIs and exit criteria beside its phase as a
  column with the stage lit.

Type never goes below `MIN_SIZE` on phase and stage slides, nor below `OVERVIEW_MIN_SIZE` on the
overview. `text=False` leaves out the titles and the stage's facts, for decks that set them
as text of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from journeymap.model import Design, Stage
from journeymap.render import labels as L
from journeymap.render.dotlang import Dot, Html, esc
from journeymap.render.frame import Context, font, kgi_text, text_lines
from journeymap.render.themes import FONT, get_theme
from journeymap.render.volumes import planned_volumes
from journeymap.text import format as fmt

SLIDE_W, SLIDE_H = 1240, 640
"""The box a slide is laid out for: the screen of a 1280×720 projector below Present's controls."""
MIN_SIZE = 18
OVERVIEW_MIN_SIZE = 16
KINDS = ("overview", "phase", "stage")


@dataclass(frozen=True)
class Slide:
    kind: str
    """overview | phase | stage"""
    id: str | None = None
    """The phase or stage id (None for the overview)."""


def slides(design: Design) -> list[Slide]:
    """The deck in order: the overview, then each phase followed by its stages."""
    out = [Slide("overview")]
    for phase in design.phases:
        out.append(Slide("phase", phase.id))
        out.extend(Slide("stage", s.id) for s in phase.stages)
    return out


def slide_title(design: Design, slide: Slide, lang: str) -> tuple[str, str]:
    """(kicker, title) of a slide: what it is and its name."""
    if slide.kind == "overview":
        return L.word("overview", lang), L.t(design.name, lang)
    if slide.kind == "phase":
        index = next(i for i, p in enumerate(design.phases) if p.id == slide.id)
        phase = design.phases[index]
        return f"{L.word('phase', lang)} {index + 1}/{len(design.phases)}", L.t(phase.name, lang)
    stage = design.stage(slide.id or "")
    phase = design.phase_of(stage.id)
    return L.t(phase.name, lang), L.t(stage.name, lang)


def slide_dot(design: Design, slide: Slide, theme: str = "projector", lang: str = "ja", text: bool = True) -> str:
    """The DOT of one slide (see the module docstring)."""
    if slide.kind not in KINDS:
        raise ValueError(f"unknown slide kind '{slide.kind}' (known: {', '.join(KINDS)})")
    ctx = Context(design=design, theme=get_theme(theme), lang=lang,
                  highlight=slide.id if slide.kind == "stage" else None, planned=planned_volumes(design))
    if slide.kind == "overview":
        return _overview(ctx, text)
    if slide.kind == "phase":
        return _phase(ctx, slide.id or "", text)
    return _stage(ctx, slide.id or "", text)


# --------------------------------------------------------------------------- frame


def _start(ctx: Context, name: str, nodesep: float, ranksep: float) -> Dot:
    th = ctx.theme
    dot = Dot(name)
    dot.defaults("graph", {
        "charset": "UTF-8", "fontname": FONT, "bgcolor": th.bg, "rankdir": "LR", "newrank": True,
        "nodesep": nodesep, "ranksep": ranksep, "pad": 0.15, "labelloc": "t", "labeljust": "l",
        "outputorder": "edgesfirst",
    })
    dot.defaults("node", {"fontname": FONT, "shape": "plain", "fontsize": MIN_SIZE})
    dot.defaults("edge", {"fontname": FONT, "fontsize": MIN_SIZE, "color": th.edge, "penwidth": 3, "arrowsize": 1.1})
    return dot


def _title(ctx: Context, kicker: str, title: str, lines: Sequence[tuple[str, float, str]] | None = None,
           legend: bool = False) -> Html:
    """The slide's title block (a graph label): a kicker line, the title, further lines, the
    owners' colours."""
    th = ctx.theme
    width = SLIDE_W - 40
    rows = [f'<TR><TD ALIGN="LEFT">{font(esc(kicker), 22, th.muted, bold=True)}</TD></TR>']
    title_lines = L.lines(title, int(width * 2 / 38))[:2]
    rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{font(text_lines(title_lines), 38, th.text, bold=True)}</TD></TR>')
    for line, size, color in lines or []:
        wrapped = L.lines(line, int(width * 2 / size / 1.05))[:2]
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{font(text_lines(wrapped), size, color)}</TD></TR>')
    if legend:
        cells = "".join(
            f'<TD ALIGN="LEFT">{font("■", OVERVIEW_MIN_SIZE, ctx.swatch(o).strong)}'
            f"{font(esc(' ' + ctx.owner_name(o) + '   '), OVERVIEW_MIN_SIZE, th.muted)}</TD>"
            for o in ctx.owners_used()
        )
        rows.append(f'<TR><TD ALIGN="LEFT"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>{cells}</TR></TABLE></TD></TR>')
    rows.append('<TR><TD HEIGHT="8"></TD></TR>')
    return Html(f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{"".join(rows)}</TABLE>')


def _cols(width: float, size: float) -> int:
    """Display columns (a Japanese character takes two) that fit `width` units at `size`."""
    return max(6, int(width * 2 / size / 1.04))


def _flow(dot: Dot, ctx: Context, column: list[tuple[str, Stage]]) -> None:
    """Stages of one rank drawn top to bottom (a rank is a column in a left-to-right graph)."""
    dot.same_rank(node for node, _ in column)
    for (upper_id, upper), (lower_id, lower) in zip(column, column[1:]):
        faded = ctx.highlight is not None and ctx.highlight not in (upper.id, lower.id)
        dot.edge(lower_id, upper_id, {"dir": "back", "color": ctx.fade(ctx.theme.edge, faded), **_rate(ctx, lower, faded)})


def _rate(ctx: Context, stage: Stage, faded: bool = False) -> dict:
    if not (stage.funnel and stage.target_rate is not None):
        return {}
    th = ctx.theme
    text = fmt.planned_rate(stage.target_rate)
    label = (f'<TABLE BORDER="0" CELLPADDING="1" BGCOLOR="{th.bg}"><TR><TD>'
             f"{font(esc(text), MIN_SIZE, ctx.fade(th.text, faded), bold=True)}</TD></TR></TABLE>")
    return {"label": Html(label)}


# --------------------------------------------------------------------------- overview


def _overview(ctx: Context, text: bool) -> str:
    th, design, lang = ctx.theme, ctx.design, ctx.lang
    dot = _start(ctx, "overview", nodesep=0.22, ranksep=0.5)
    n = len(design.phases)
    card_w = int((SLIDE_W - 30 - (n - 1) * 36 - n * 20) / n)
    size = 20 if n <= 4 else OVERVIEW_MIN_SIZE + 2
    ids = {s.id: f"st{i}" for i, s in enumerate(design.stages, start=1)}
    for pi, phase in enumerate(design.phases, start=1):
        title = L.lines(L.t(phase.name, lang), _cols(card_w, size + 2))[:2]
        dot.open(f"cluster_ph{pi}", {
            "label": Html(font(text_lines(title), size + 2, th.cluster_text, bold=True)),
            "labeljust": "l", "style": "rounded,filled", "fillcolor": th.cluster_fill,
            "color": th.cluster_border, "penwidth": 2, "margin": 10,
        })
        for stage in phase.stages:
            dot.node(ids[stage.id], {"label": _compact_card(ctx, stage, card_w, size)})
        _flow(dot, ctx, [(ids[s.id], s) for s in phase.stages])
        dot.close()
    firsts = [ids[p.stages[0].id] for p in design.phases]
    for left, right in zip(firsts, firsts[1:]):
        dot.edge(left, right, {"style": "invis", "weight": 10})
    for prev, nxt in zip(design.phases, design.phases[1:]):
        dot.edge(ids[prev.stages[-1].id], ids[nxt.stages[0].id], {"constraint": False, **_xrate(ctx, nxt.stages[0])})
    if text:
        kgis = "   ".join(kgi_text(ctx, k) for k in design.kgis)
        lines = [(f"{L.word('kgi', lang)}: {kgis}", 24, th.text)] if kgis else []
        dot.set("label", _title(ctx, L.word("overview", lang), L.t(design.name, lang), lines, legend=True))
    return dot.text()


def _xrate(ctx: Context, stage: Stage) -> dict:
    attrs = _rate(ctx, stage)
    return {"xlabel": attrs["label"]} if attrs else {}


def _compact_card(ctx: Context, stage: Stage, width: int, size: float, faded: bool = False) -> Html:
    """Number and name on the owner's tint, a bar of the owner's colour on the left."""
    th = ctx.theme
    sw = ctx.swatch(stage.owner, faded)
    current = stage.id == ctx.highlight
    name = L.lines(f"{ctx.number(stage)}  {L.t(stage.name, ctx.lang)}", _cols(width - 24, size))
    border, pen = (th.highlight, 6) if current else (sw.strong, 2)
    return Html(
        f'<TABLE BORDER="{pen}" COLOR="{border}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="5" BGCOLOR="{sw.tint}">'
        f'<TR><TD BGCOLOR="{sw.strong}" WIDTH="8"></TD>'
        f'<TD ALIGN="LEFT" BALIGN="LEFT" WIDTH="{width - 20}">'
        f"{font(text_lines(name), size, ctx.fade(th.text, faded), bold=True)}</TD></TR></TABLE>"
    )


# --------------------------------------------------------------------------- phase


def _phase(ctx: Context, phase_id: str, text: bool) -> str:
    th, design, lang = ctx.theme, ctx.design, ctx.lang
    phase = next(p for p in design.phases if p.id == phase_id)
    dot = _start(ctx, "phase", nodesep=0.3, ranksep=0.9)
    m = len(phase.stages)
    card_w = int(min(420, (SLIDE_W - 30 - (m - 1) * 66) / m))
    ids = {s.id: f"st{i}" for i, s in enumerate(phase.stages, start=1)}
    for stage in phase.stages:
        dot.node(ids[stage.id], {"label": _large_card(ctx, stage, card_w)})
    for a, b in zip(phase.stages, phase.stages[1:]):
        dot.edge(ids[a.id], ids[b.id], _rate(ctx, b))
    if text:
        lines = []
        if phase.description:
            lines.append((L.t(phase.description, lang), 22, th.muted))
        kicker, title = slide_title(design, Slide("phase", phase_id), lang)
        dot.set("label", _title(ctx, kicker, title, lines))
    return dot.text()


def _large_card(ctx: Context, stage: Stage, width: int) -> Html:
    th, lang, design = ctx.theme, ctx.lang, ctx.design
    sw = ctx.swatch(stage.owner)
    body = th.card_body or sw.tint
    inner = width - 16
    rows = [
        f'<TR><TD ALIGN="LEFT" BGCOLOR="{sw.strong}" WIDTH="{width}">'
        f"{font(esc(f'{ctx.number(stage)}  {ctx.owner_name(stage.owner)}'), MIN_SIZE, sw.on_strong, bold=True)}</TD></TR>",
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">'
        f"{font(text_lines(L.lines(L.t(stage.name, lang), _cols(inner, 26))), 26, th.text, bold=True)}</TD></TR>",
    ]
    kpis = [ln for k in stage.kpis for ln in L.bulleted(L.kpi_line(k, design, lang), _cols(inner, 20), L.mark(lang))]
    if kpis:
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{font(text_lines(kpis), 20, th.text)}</TD></TR>')
    facts = _facts(ctx, stage)
    if facts:
        lines = L.lines("  ".join(facts), _cols(inner, 20))
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{font(text_lines(lines), 20, th.muted)}</TD></TR>')
    return Html(
        f'<TABLE BORDER="3" COLOR="{sw.strong}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="7" BGCOLOR="{body}">'
        f'{"".join(rows)}</TABLE>'
    )


def _facts(ctx: Context, stage: Stage) -> list[str]:
    lang, design = ctx.lang, ctx.design
    facts: list[str] = []
    planned = ctx.planned.get(stage.id) if ctx.planned else None
    if stage.funnel and planned is not None:
        facts.append(f"{L.word('plan', lang)} {fmt.volume(planned, lang)}{L.per_period(design, lang)}")
    if stage.unit_cost is not None:
        facts.append(f"{L.word('unit_cost', lang)} {fmt.money(stage.unit_cost, design.currency)}")
    if stage.target_days is not None:
        facts.append(f"{L.word('days', lang)} ≤{fmt.days(stage.target_days, lang)}")
    return facts


# --------------------------------------------------------------------------- stage


def _stage(ctx: Context, stage_id: str, text: bool) -> str:
    th, design, lang = ctx.theme, ctx.design, ctx.lang
    stage = design.stage(stage_id)
    phase = design.phase_of(stage_id)
    dot = _start(ctx, "stage", nodesep=0.22, ranksep=0.6)
    column_w = 400 if text else 520
    column = [(f"st{i}", s) for i, s in enumerate(phase.stages, start=1)]
    dot.open("cluster_phase", {
        "label": Html(font(text_lines(L.lines(L.t(phase.name, lang), _cols(column_w, 20))[:2]), 20, th.cluster_text, bold=True)),
        "labeljust": "l", "style": "rounded,filled", "fillcolor": th.cluster_fill, "color": th.cluster_border,
        "penwidth": 2, "margin": 10,
    })
    for node, s in column:
        dot.node(node, {"label": _compact_card(ctx, s, column_w, 20, faded=s.id != stage_id)})
    dot.close()
    _flow(dot, ctx, column)
    if text:
        dot.node("facts", {"label": _stage_facts(ctx, stage, SLIDE_W - column_w - 110)})
        dot.edge("facts", column[0][0], {"style": "invis"})
        kicker, title = slide_title(design, Slide("stage", stage_id), lang)
        dot.set("label", _title(ctx, kicker, title))
    return dot.text()


def _playbook(design: Design, stage: Stage, lang: str) -> list[tuple[str, list[str]]]:
    """The stage's playbook for its slide: key fields (with their choices), the other required
    records, the criteria and records of the moves out of it, and on a phase's last stage the
    phase's 移行基準."""
    out: list[tuple[str, list[str]]] = []
    key = [r for r in stage.records if r.key]
    if key:
        out.append(("key_fields", [L.t(r.name, lang) + (f": {' / '.join(L.t(o, lang) for o in r.options)}" if r.options else "")
                                   for r in key]))
    required = [L.t(r.name, lang) for r in stage.records if r.required and not r.key]
    if required:
        out.append(("required_records", required))
    names = {r.id: r.name for s in design.stages for r in s.records if r.id} | {r.id: r.name for r in design.account_plan if r.id}
    moves = []
    for transition in design.transitions:
        if transition.from_ != stage.id or not (transition.criteria or transition.required_records):
            continue
        target = L.t(design.stage(transition.to).name, lang)
        parts = [L.t(c, lang) for c in transition.criteria]
        if transition.required_records:
            parts.append(f"{L.word('needs', lang)}: " + "、".join(L.t(names[r], lang) if r in names else r
                                                               for r in transition.required_records))
        moves.append(f"{target}: " + " / ".join(parts))
    if moves:
        out.append(("move_on", moves))
    phase = design.phase_of(stage.id)
    if phase.stages[-1].id == stage.id and phase.exit_criteria:
        out.append(("phase_exit", [L.t(c, lang) for c in phase.exit_criteria]))
    return out


def _stage_facts(ctx: Context, stage: Stage, width: int) -> Html:
    """Owner, funnel facts, KPIs with targets, exit criteria and the playbook (key fields, required
    records, the criteria to move on): the stage slide's text."""
    th, lang, design = ctx.theme, ctx.lang, ctx.design
    size = 24
    cols = _cols(width - 10, size)
    rows: list[str] = []

    def block(title: str | None, lines: list[str], color: str = th.text, bold: bool = False) -> None:
        if title:
            rows.append(f'<TR><TD ALIGN="LEFT">{font(esc(title), 22, th.muted, bold=True)}</TD></TR>')
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{font(text_lines(lines), size, color, bold)}</TD></TR>')

    owner = f"{L.word('owner', lang)}: {ctx.owner_name(stage.owner)}"
    facts = []
    if stage.funnel and stage.target_rate is not None:
        facts.append(f"{L.word('rate', lang)} {fmt.planned_rate(stage.target_rate)}")
    facts += _facts(ctx, stage)
    block(None, L.lines(owner, cols), bold=True)
    if facts:
        block(None, L.lines("  ".join(facts), cols), color=th.muted)
    if stage.kpis:
        block(L.word("kpi", lang), [ln for k in stage.kpis for ln in L.bulleted(L.kpi_line(k, design, lang), cols, L.mark(lang))])
    if stage.exit_criteria:
        block(L.word("exit_criteria", lang), [ln for c in stage.exit_criteria for ln in L.bulleted(L.t(c, lang), cols, "✓ ")])
    for title, lines in _playbook(design, stage, lang):
        mark = "→ " if title == "move_on" else "✓ " if title == "phase_exit" else "・"
        block(L.word(title, lang), [ln for item in lines for ln in L.bulleted(item, cols, mark)])
    if stage.description and len(rows) < 8:
        block(None, L.lines(L.t(stage.description, lang), cols)[:3], color=th.muted)
    return Html(
        f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="3" WIDTH="{width}">{"".join(rows)}</TABLE>'
    )
