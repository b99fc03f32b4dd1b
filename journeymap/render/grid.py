"""The detailed process view as a grid, sized for print: two A4 landscape pages.

The compact view draws the flow; the detailed one adds every stage's exit criteria, records and
drop reasons, and drawn as the flow's cards it needed a sheet of 1300–2500 × 900–1550 pt (two A4
pages only at 41–60%). Here the stages are columns in flow order and what they say are rows read
across (the sales-process sheet Japanese teams keep in Excel): one row each for the KPIs, the
plan, the exit criteria, the records and the exits, so no card carries white space of its own.
The stages are cut into bands (rows of columns; a phase goes on in the next band only when that
prints clearly larger), and each column's width chosen (one with less to say is narrower, as long
as that makes its band no taller), so that the sheet prints largest on two A4 landscape pages cut
between bands (bench/detailed_print.py measures the PDFs); one text size for all of it: a longer
(English) sheet is wrapped, never set smaller. Each drop reason is said once, in the panel below,
keyed by the numbers in the columns, wrapped at the width that keeps the panel lowest.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

from journeymap.model import Phase, Stage
from journeymap.render import labels as L
from journeymap.render.dotlang import Html, esc
from journeymap.render.frame import Context, LegendItem, font, header, kgi_text, start, text_lines
from journeymap.text import format as fmt

PAD = 4
"""Cell padding in points: the grid lines separate the cells, so the padding stays small."""
WRAPS = tuple(range(12, 37, 2))
"""Display columns a stage column's text may wrap at (a Japanese character takes two): each band
is tried with its fullest column at each of them, the others as narrow as that leaves room for
(`_fit_band`), and the sheet that prints largest is used."""
PANEL_WRAPS = (24, 28, 32, 36, 40)
"""Display columns a drop reason in the panel below the bands may wrap at: the one that makes the
panel lowest across the sheet's width is used (narrower, more reasons side by side)."""
PAGE_W, PAGE_H = 277 / 25.4 * 72, 190 / 25.4 * 72
"""The printable area of an A4 landscape page (10 mm margins), in points."""
MAX_BANDS = 4
"""Bands tried (cut anywhere between stages)."""
ROW_TITLE_WRAP = 14
"""Display columns of a row's title (記録すべき情報 on one line)."""
LINE = 1.1
"""A line of text is this many times its font size high (graphviz with Noto Sans CJK)."""


@dataclass
class Column:
    """One stage's column wrapped at `cols` display columns: its head and cells (lines of text, size,
    colour, bold), its estimated width and the height of its head and of each cell."""

    stage: Stage
    cols: int
    owner: list[str]
    name: list[str]
    rows: dict[str, list[tuple[str, float, str, bool]]]
    width: int
    heights: dict[str, float]


ROWS = ("kpis", "plan", "exit_criteria", "records", "exits")


StageLines = Callable[[Context, Stage], list[str]]


@dataclass(frozen=True)
class Parts:
    """What the process view says about a stage, shared with the compact view's cards."""

    facts: StageLines
    """Planned volume, unit cost, days."""
    actual: Callable[[Context, Stage], tuple[str, str] | None]
    """The actual line and its colour (with a comparison overlay)."""
    exits: Callable[[Stage, int], list[tuple[str, str]]]
    """Lines (text, colour) of where deals leave the stage: drop reasons by number, extra transitions."""
    reason_numbers: dict[str, str]
    legend: list[LegendItem]


def grid_dot(ctx: Context, parts: Parts) -> str:
    """The DOT of the detailed process view: bands of stage columns, then the drop-reason panel."""
    # One size for the text of the sheet (the legend and owner bands too), names and phases a
    # little larger: on paper the smallest text is what decides whether it can be read.
    body = ctx.theme.body_size
    ctx = dataclasses.replace(ctx, theme=dataclasses.replace(ctx.theme, small_size=body, name_size=body + 1, heading_size=body + 2))
    th = ctx.theme
    dot = start(ctx, "process", rankdir="TB")
    dot.set("nodesep", 0.2)
    panels = [Panel(wrap, cells, _panel_width(ctx, wrap)) for wrap in PANEL_WRAPS
              if (cells := _panel_cells(ctx, parts.reason_numbers, wrap))]
    catalog = Columns(ctx, parts)
    used = catalog.used
    head_width = max(L.block_width([(_row_title_lines(ctx, r), th.body_size)]) for r in used) + 2 * PAD + 4 if used else 0
    bands, chosen = _best_bands(ctx, catalog, used, head_width, panels)
    names = []
    # every band as wide as the widest: the sheet's edges line up (a shorter band's columns widen)
    sheet = max(_band_width(band, chosen, head_width) for band in bands)
    for n, band in enumerate(bands, start=1):
        name = f"band{n}"
        dot.node(name, {"label": Html(_band_table(ctx, band, chosen, used, head_width, sheet))})
        names.append(name)
    if panels:
        panel = _lowest_panel(ctx, panels, sheet - 3)
        dot.node("drops", {"label": Html(_panel_table(ctx, panel, sheet - 3))})
        names.append("drops")
    for upper, lower in zip(names, names[1:]):
        dot.edge(upper, lower, {"style": "invis"})
    dot.set("ranksep", round(BAND_GAP / 72, 2))
    dot.set("label", header(ctx, "process_view", legend=parts.legend))
    return dot.text()


Band = list[tuple[Phase, list[Stage]]]
"""A row of the sheet: runs of stages, each with its phase (a phase may go on in the next band)."""


def b_stages(band: Band) -> list[Stage]:
    return [s for _, stages in band for s in stages]


# --------------------------------------------------------------------------- cells


def _column(ctx: Context, stage: Stage, cols: int, parts: Parts) -> Column:
    th, lang = ctx.theme, ctx.lang
    faded = ctx.faded(stage.id)
    text, muted = ctx.fade(th.text, faded), ctx.fade(th.muted, faded)
    body = th.body_size

    def lines(items: list[str], color: str, bold: bool = False) -> list[tuple[str, float, str, bool]]:
        return [(line, body, color, bold) for line in items]

    rows: dict[str, list[tuple[str, float, str, bool]]] = {r: [] for r in ROWS}
    rows["kpis"] = lines([ln for k in stage.kpis for ln in L.bulleted(L.kpi_line(k, ctx.design, lang), cols, L.mark(lang))], text)
    facts = []
    if stage.funnel and stage.target_rate is not None:
        facts.append(f"{L.word('rate', lang)} {fmt.planned_rate(stage.target_rate)}")
    facts += parts.facts(ctx, stage)
    plan = lines([ln for fact in facts for ln in L.lines(fact, cols)], muted)
    plan += lines([ln for k in ctx.design.kgis if k.stage == stage.id for ln in L.lines("★ KGI " + kgi_text(ctx, k), cols)], text, True)
    actual = parts.actual(ctx, stage)
    if actual:
        plan += [(actual[0], body, ctx.fade(actual[1], faded), True)]
    rows["plan"] = plan
    rows["exit_criteria"] = lines([ln for item in stage.exit_criteria for ln in L.bulleted(L.t(item, lang), cols, "✓ ")], muted)
    rows["records"] = lines([ln for r in stage.records for ln in L.bulleted(L.t(r.name, lang), cols, L.mark(lang))], muted)
    rows["exits"] = [(line, body, color, False) for line, color in parts.exits(stage, cols)]
    owner, name = _head_lines(ctx, stage, cols)
    texts = [([line], size) for cells in rows.values() for line, size, _, _ in cells]
    width = max(L.block_width(texts) + 2 * PAD if texts else 0,
                L.block_width([(owner, th.body_size), (name, th.name_size)]) + 2 * PAD)
    heights = {row: _lines_height(cells) for row, cells in rows.items()}
    heights["head"] = th.body_size * LINE * len(owner) + th.name_size * LINE * len(name) + 4 * PAD
    return Column(stage, cols, owner, name, rows, width, heights)


class Columns:
    """Every stage's column at each of `WRAPS`, built once, with the heights of its head and used
    rows in that order (`heights`)."""

    def __init__(self, ctx: Context, parts: Parts) -> None:
        self.of = {s.id: [_column(ctx, s, ctx.cols(wrap), parts) for wrap in WRAPS] for s in ctx.design.stages}
        self.used = [row for row in ROWS if any(columns[0].rows[row] for columns in self.of.values())]
        self.heights = {sid: [tuple(c.heights[row] for row in ("head", *self.used)) for c in columns]
                        for sid, columns in self.of.items()}


def _row_title(ctx: Context, row: str) -> str:
    return {"kpis": L.word("kpi", ctx.lang), "plan": L.word("plan", ctx.lang), "exit_criteria": L.word("exit_criteria", ctx.lang),
            "records": L.word("records", ctx.lang),
            "exits": f"{L.word('drop', ctx.lang)}・{L.word('transition', ctx.lang)}"}[row]


def _row_title_lines(ctx: Context, row: str) -> list[str]:
    return L.lines(_row_title(ctx, row), ROW_TITLE_WRAP)


def _lines_height(lines: list[tuple[str, float, str, bool]]) -> float:
    return sum(size * LINE for _, size, _, _ in lines) + 2 * PAD + 1


def _head_lines(ctx: Context, stage: Stage, cols: int) -> tuple[list[str], list[str]]:
    """The owner band and the name of a stage's column, wrapped to the column's width."""
    th = ctx.theme
    owner = L.lines(f"{ctx.number(stage)}  {ctx.owner_name(stage.owner)}", cols)
    return owner, L.lines(L.t(stage.name, ctx.lang), max(8, int(cols * th.body_size / th.name_size)))


# --------------------------------------------------------------------------- bands


def _splits(ctx: Context, bands: int) -> list[list[list[Stage]]]:
    """The cuts of the stages, in order, into `bands` runs that are tried: every cut between phases
    (for designs of up to `MAX_PHASE_CUTS` phases) and the cut into runs of equal length."""
    stages = list(ctx.design.stages)
    phases = [p.stages for p in ctx.design.phases if p.stages]
    out: list[list[list[Stage]]] = []
    if bands <= len(phases) <= MAX_PHASE_CUTS:
        for cuts in itertools.combinations(range(1, len(phases)), bands - 1):
            edges = [0, *cuts, len(phases)]
            out.append([[s for run in phases[a:b] for s in run] for a, b in zip(edges, edges[1:])])
    if bands <= len(stages):
        size = math.ceil(len(stages) / bands)
        equal = [stages[i:i + size] for i in range(0, len(stages), size)]
        if len(equal) == bands and equal not in out:
            out.append(equal)
    return out


MAX_PHASE_CUTS = 12
"""Designs with more phases are cut into bands of equal length only (the cuts tried stay few)."""


def _band(ctx: Context, stages: list[Stage]) -> Band:
    band: Band = []
    for stage in stages:
        phase = ctx.design.phase_of(stage.id)
        if band and band[-1][0].id == phase.id:
            band[-1][1].append(stage)
        else:
            band.append((phase, [stage]))
    return band


SPLIT_PHASE_GAIN = 0.05
"""How much larger a sheet must print for a phase to go on in the next band."""


def _fit_band(band: Band, catalog: Columns, base: int) -> dict[str, Column]:
    """The columns of a band whose fullest column wraps at `WRAPS[base]`: each column takes the
    narrowest wrap at which none of its cells (nor its head) is taller than that row of the band
    already is, so a column with less to say gives its width to the sheet without making the band taller."""
    stages = b_stages(band)
    heights = [catalog.heights[s.id] for s in stages]
    tallest = [max(row) + 0.01 for row in zip(*(h[base] for h in heights))]
    chosen = {}
    for stage, h in zip(stages, heights):
        narrowest = next(i for i in range(base + 1) if all(x <= t for x, t in zip(h[i], tallest)))
        chosen[stage.id] = catalog.of[stage.id][narrowest]
    return chosen


def _band_width(band: Band, chosen: dict[str, Column], head_width: int) -> int:
    """The width of a band's table: its row titles and its columns, each with its grid line."""
    return sum(chosen[s.id].width + 1 for s in b_stages(band)) + head_width + 3


Option = tuple[int, float, dict[str, Column]]
"""A way to draw a band: its width, its height and its columns."""


def _band_options(ctx: Context, band: Band, catalog: Columns, used: list[str], head_width: int) -> list[Option]:
    """The ways to draw a band (`_fit_band` at each wrap), narrowest first, each lower than the one before."""
    options: list[Option] = []
    for base in range(len(WRAPS)):
        chosen = _fit_band(band, catalog, base)
        options.append((_band_width(band, chosen, head_width), _band_height(ctx, band, chosen, used), chosen))
    options.sort(key=lambda o: (o[0], o[1]))
    kept: list[Option] = []
    for option in options:
        if not kept or option[1] < kept[-1][1] - 0.01:
            kept.append(option)
    return kept


def _best_bands(ctx: Context, catalog: Columns, used: list[str], head_width: int,
                panels: list[Panel]) -> tuple[list[Band], dict[str, Column]]:
    """The cut of the stages into bands, and the columns of each, whose sheet prints largest on two
    A4 landscape pages cut between bands (estimated from the lines each cell holds). For each cut
    and each sheet width one of its bands' ways allows, every band takes its lowest way that fits
    that width. A phase goes on in the next band only when that prints clearly larger; fewer bands
    when two cuts print alike."""
    th = ctx.theme
    stages_all = list(ctx.design.stages)
    starts = {p.stages[0].id for p in ctx.design.phases if p.stages}
    best: tuple[float, list[Band], dict[str, Column]] | None = None
    header_h = th.title_size * 1.5 + th.body_size * LINE * 4 + 24
    known: dict[tuple[str, ...], list[Option]] = {}
    for count in range(1, min(MAX_BANDS, len(stages_all)) + 1):
        for runs in _splits(ctx, count):
            split = [_band(ctx, run) for run in runs]
            ways = []
            for band, run in zip(split, runs):
                key = tuple(s.id for s in run)
                if key not in known:
                    known[key] = _band_options(ctx, band, catalog, used, head_width)
                ways.append(known[key])
            for limit in sorted({o[0] for options in ways for o in options}):
                picked = [min((o for o in options if o[0] <= limit), key=lambda o: o[1], default=None) for options in ways]
                if any(o is None for o in picked):
                    continue
                drawn = [o for o in picked if o is not None]
                width = max(o[0] for o in drawn) - 1
                blocks = [o[1] + BAND_GAP for o in drawn]
                blocks[0] += header_h
                if panels:
                    blocks.append(_panel_height(ctx, _lowest_panel(ctx, panels, width), width) + BAND_GAP)
                scale = print_scale(width, blocks)
                if any(run[0].id not in starts for run in runs):
                    scale -= SPLIT_PHASE_GAIN
                if best is None or scale > best[0] + 0.01:
                    best = (scale, split, {sid: c for o in drawn for sid, c in o[2].items()})
    if best is None:
        band = _band(ctx, stages_all)
        return [band], _fit_band(band, catalog, len(WRAPS) - 1)
    return best[1], best[2]


BAND_GAP = 18
"""Points between the bands of the sheet (graphviz's rank separation)."""


def print_scale(width: float, blocks: list[float]) -> float:
    """The scale at which a sheet `width` wide, made of `blocks` stacked (their heights), prints on
    one or two A4 landscape pages, cut only between blocks (at most 1)."""
    total = sum(blocks)
    best = min(PAGE_W / width, PAGE_H / total)
    for cut in range(1, len(blocks)):
        top, bottom = sum(blocks[:cut]), sum(blocks[cut:])
        best = max(best, min(PAGE_W / width, PAGE_H / top, PAGE_H / bottom))
    return min(1.0, best)


def _band_height(ctx: Context, band: Band, chosen: dict[str, Column], used: list[str]) -> float:
    """The estimated height of a band of the columns `chosen`."""
    th = ctx.theme
    stages = b_stages(band)
    titles = max(len(_phase_title(ctx, phase, run, chosen)) for phase, run in band)
    height = th.heading_size * LINE * titles + 2 * PAD + 1
    for row in ("head", *used):
        height += max(chosen[s.id].heights[row] for s in stages)
    return height


def _phase_title(ctx: Context, phase: Phase, stages: list[Stage], chosen: dict[str, Column]) -> list[str]:
    """A phase's name wrapped over the columns of its stages in the band."""
    return L.lines(L.t(phase.name, ctx.lang), max(10, sum(chosen[s.id].cols for s in stages)))


@dataclass
class Panel:
    """The drop reasons' cells, each wrapped at `wrap` display columns (as counted for Japanese),
    and the width of a cell in points."""

    wrap: int
    cells: list[list[tuple[str, float, str, bool]]]
    width: int
    heights: dict[int, float] = dataclasses.field(default_factory=dict)
    """The panel's height by the number of reasons side by side (filled as they are asked for)."""


def _panel_height(ctx: Context, panel: Panel, width: float) -> float:
    per_row = _panel_per_row(panel, width)
    if per_row not in panel.heights:
        rows = [panel.cells[i:i + per_row] for i in range(0, len(panel.cells), per_row)]
        panel.heights[per_row] = ctx.theme.heading_size * LINE + 2 * PAD + sum(max(_lines_height(c) for c in row) for row in rows)
    return panel.heights[per_row]


def _lowest_panel(ctx: Context, panels: list[Panel], width: float) -> Panel:
    """The panel that is lowest across `width` (of two alike, the one with the longer lines)."""
    return min(reversed(panels), key=lambda panel: round(_panel_height(ctx, panel, width)))


def _band_table(ctx: Context, band: Band, chosen: dict[str, Column], used: list[str], head_width: int,
                sheet: int) -> str:
    th = ctx.theme
    stages = b_stages(band)
    spare = sheet - _band_width(band, chosen, head_width)  # a narrower band's columns share what the sheet has over
    widths = {s.id: chosen[s.id].width + spare // len(stages) + (i < spare % len(stages)) for i, s in enumerate(stages)}
    corner = f'<TD BGCOLOR="{th.row_header_fill}" WIDTH="{head_width}" ROWSPAN="3"> </TD>' if used else ""
    heads = []
    for phase, run in band:
        faded = ctx.highlight is not None and all(ctx.faded(s.id) for s in run)
        title = _phase_title(ctx, phase, run, chosen)
        heads.append(f'<TD COLSPAN="{len(run)}" BGCOLOR="{th.cluster_fill}" ALIGN="LEFT" BALIGN="LEFT">'
                     f"{font(text_lines(title), th.heading_size, ctx.fade(th.cluster_text, faded), bold=True)}</TD>")
    rows = [f"<TR>{corner}{''.join(heads)}</TR>"]
    owners, names = [], []
    for stage in stages:
        faded = ctx.faded(stage.id)
        sw = ctx.swatch(stage.owner, faded)
        band_fill, band_text = (sw.tint, sw.strong) if th.header_on_tint else (sw.strong, sw.on_strong)
        owner, name = chosen[stage.id].owner, chosen[stage.id].name
        current = stage.id == ctx.highlight
        fill = th.highlight if current else (ctx.fade(th.card_body, faded) if th.card_body else sw.tint)
        owners.append(f'<TD PORT="st{ctx.number(stage)}" WIDTH="{widths[stage.id]}" ALIGN="LEFT" BALIGN="LEFT" BGCOLOR="{band_fill}">'
                      f"{font(text_lines(owner), th.body_size, band_text, bold=True)}</TD>")
        names.append(f'<TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP" BGCOLOR="{fill}">'
                     f"{font(text_lines(name), th.name_size, ctx.fade(th.text, faded), bold=True)}</TD>")
    rows.append(f"<TR>{''.join(owners)}</TR>")
    rows.append(f"<TR>{''.join(names)}</TR>")
    for row in used:
        row_head = (f'<TD BGCOLOR="{th.row_header_fill}" ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">'
                    f"{font(text_lines(_row_title_lines(ctx, row)), th.body_size, th.text, bold=True)}</TD>")
        body = []
        for stage in stages:
            lines = chosen[stage.id].rows[row]
            body.append(f'<TD PORT="st{ctx.number(stage)}_{row}" ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">'
                        f'{_lines_html(lines) if lines else " "}</TD>')
        rows.append(f"<TR>{row_head}{''.join(body)}</TR>")
    return (f'<TABLE BORDER="{round(max(th.pen, 1))}" COLOR="{th.grid}" CELLBORDER="1" CELLSPACING="0" '
            f'CELLPADDING="{PAD}" BGCOLOR="{th.bg}" WIDTH="{sheet}">{"".join(rows)}</TABLE>')


def _lines_html(lines: list[tuple[str, float, str, bool]]) -> str:
    """Runs of lines with one size, colour and weight as one FONT each, joined by line breaks."""
    runs: list[tuple[tuple[float, str, bool], list[str]]] = []
    for text, size, color, bold in lines:
        if runs and runs[-1][0] == (size, color, bold):
            runs[-1][1].append(text)
        else:
            runs.append(((size, color, bold), [text]))
    return "<BR/>".join(font(text_lines(texts), size, color, bold) for (size, color, bold), texts in runs)


# --------------------------------------------------------------------------- drop reasons


def _panel_width(ctx: Context, wrap: int) -> int:
    return round(L.text_width("あ" * (ctx.cols(wrap) // 2), ctx.theme.body_size)) + 2 * PAD


def _panel_per_row(panel: Panel, width: float) -> int:
    """Drop reasons side by side in the panel: as many as the sheet's width holds, rows as even as
    they can be."""
    count = len(panel.cells)
    per_row = max(1, min(count, int(width // (panel.width + 1))))
    return max(1, math.ceil(count / math.ceil(count / per_row)))


def _panel_cells(ctx: Context, numbers: dict[str, str], wrap: int) -> list[list[tuple[str, float, str, bool]]]:
    """Each drop reason that occurs at some stage, once: number and name, its stages, the response
    and the stage a recovered deal re-enters."""
    th, lang = ctx.theme, ctx.lang
    wrap = ctx.cols(wrap)
    cells: list[list[tuple[str, float, str, bool]]] = []
    for r in (r for r in ctx.design.drop_reasons if r.id in numbers):
        cell: list[tuple[str, float, str, bool]] = [(ln, th.body_size, th.drop, True) for ln in L.lines(f"{numbers[r.id]} {L.t(r.name, lang)}", wrap)]
        where = "・".join(str(ctx.number(ctx.design.stage(s))) for s in r.stages)
        body = L.lines(f"{L.word('stage', lang)} {where}", wrap)
        if r.response:
            body += L.bulleted(f"{L.word('response', lang)}: {L.t(r.response, lang)}", wrap, "\u3000")
        if r.recovery_stage:
            target = ctx.design.stage(r.recovery_stage)
            body += L.bulleted(f"{L.word('recovery', lang)} → {ctx.number(target)} {L.t(target.name, lang)}", wrap, "\u3000")
        cells.append(cell + [(ln, th.body_size, th.muted, False) for ln in body])
    return cells


def _panel_table(ctx: Context, panel: Panel, width: int) -> str:
    """The drop reasons in as many columns as the bands' width holds."""
    th = ctx.theme
    cells = panel.cells
    cell_width = panel.width
    per_row = _panel_per_row(panel, width)
    rows = [f'<TR><TD COLSPAN="{per_row}" ALIGN="LEFT" BGCOLOR="{th.drop_fill}">'
            f'{font(esc(L.word("drop_reasons", ctx.lang)), th.heading_size, th.drop, bold=True)}</TD></TR>']
    for first in range(0, len(cells), per_row):
        row = cells[first:first + per_row]
        tds = [f'<TD WIDTH="{cell_width}" ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">{_lines_html(c)}</TD>' for c in row]
        tds += ["<TD> </TD>"] * (per_row - len(row))
        rows.append(f"<TR>{''.join(tds)}</TR>")
    return (f'<TABLE BORDER="1" COLOR="{th.drop}" CELLBORDER="1" CELLSPACING="0" CELLPADDING="{PAD}" '
            f'BGCOLOR="{th.drop_fill}">{"".join(rows)}</TABLE>')
