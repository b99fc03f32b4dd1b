"""The detailed process view as a grid, sized for print: two A4 landscape pages.

The compact view draws the flow; the detailed one adds every stage's exit criteria, records and
drop reasons, and drawn as the flow's cards it needed a sheet of 1300–2500 × 900–1550 pt (two A4
pages only at 41–60%). Here the stages are columns in flow order and what they say are rows read
across (the sales-process sheet Japanese teams keep in Excel): one row each for the KPIs, the
plan, the exit criteria, the records and the exits, so no card carries white space of its own.
The stages are cut into bands (rows of columns; a phase goes on in the next band only when that
prints clearly larger), and the column width chosen, so that the sheet prints largest on two A4
landscape pages cut between bands (bench/detailed_print.py measures the PDFs); one text size for
all of it. Each drop reason is said once, in the panel below, keyed by the numbers in the columns.
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
COLUMN_WRAPS = (20, 24, 28, 32, 36)
"""Display columns a stage column's text may wrap at (a Japanese character takes two): the one
whose sheet prints largest is used."""
PANEL_WRAP = 40
"""Display columns of a drop reason in the panel below the bands."""
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
    """One stage's cells, as lines of (text, size, colour, bold)."""

    stage: Stage
    rows: dict[str, list[tuple[str, float, str, bool]]]


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
    panel = _panel_cells(ctx, parts.reason_numbers)
    best = None
    for wrap in COLUMN_WRAPS:
        cols = ctx.cols(wrap)
        columns = {s.id: _column(ctx, s, cols, parts) for s in ctx.design.stages}
        used = [row for row in ROWS if any(c.rows[row] for c in columns.values())]
        col_width = max(max(_cells_width(c, cols), _head_width(ctx, c.stage, cols)) for c in columns.values())
        head_width = max(L.block_width([(_row_title_lines(ctx, r), th.body_size)]) for r in used) + 2 * PAD + 4 if used else 0
        scale, bands = _best_bands(ctx, columns, used, col_width, head_width, panel, cols)
        if best is None or scale > best[0] + 0.01:
            best = (scale, bands, cols, columns, used, col_width, head_width)
    assert best is not None
    _, bands, cols, columns, used, col_width, head_width = best
    names = []
    # every band as wide as the widest: the sheet's edges line up (a shorter band's columns widen)
    sheet = max(len(b_stages(b)) for b in bands) * (col_width + 1) + head_width + 3
    for n, band in enumerate(bands, start=1):
        name = f"band{n}"
        dot.node(name, {"label": Html(_band_table(ctx, band, columns, used, col_width, head_width, cols, sheet))})
        names.append(name)
    if panel:
        width = max(len(b_stages(b)) for b in bands) * (col_width + 1) + head_width
        dot.node("drops", {"label": Html(_panel_table(ctx, panel, width))})
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
    return Column(stage, rows)


def _row_title(ctx: Context, row: str) -> str:
    return {"kpis": L.word("kpi", ctx.lang), "plan": L.word("plan", ctx.lang), "exit_criteria": L.word("exit_criteria", ctx.lang),
            "records": L.word("records", ctx.lang),
            "exits": f"{L.word('drop', ctx.lang)}・{L.word('transition', ctx.lang)}"}[row]


def _row_title_lines(ctx: Context, row: str) -> list[str]:
    return L.lines(_row_title(ctx, row), ROW_TITLE_WRAP)


def _cells_width(column: Column, cols: int) -> int:
    texts = [([line], size) for cells in column.rows.values() for line, size, _, _ in cells]
    return L.block_width(texts) + 2 * PAD if texts else 0


def _head_width(ctx: Context, stage: Stage, cols: int) -> int:
    owner, name = _head_lines(ctx, stage, cols)
    return L.block_width([(owner, ctx.theme.body_size), (name, ctx.theme.name_size)]) + 2 * PAD


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


def _best_bands(ctx: Context, columns: dict[str, Column], used: list[str], col_width: int, head_width: int,
                panel: list, cols: int) -> tuple[float, list[Band]]:
    """The cut of the stages into bands whose sheet prints largest on two A4 landscape pages, the
    pages cut between bands (estimated from the lines each cell holds; a phase goes on in the next
    band only when that prints clearly larger; fewer bands when two cuts print alike)."""
    th = ctx.theme
    stages_all = list(ctx.design.stages)
    starts = {p.stages[0].id for p in ctx.design.phases if p.stages}
    best: tuple[float, list[Band]] | None = None
    header_h = th.title_size * 1.5 + th.body_size * LINE * 4 + 24
    known: dict = {}
    for count in range(1, min(MAX_BANDS, len(stages_all)) + 1):
        for runs in _splits(ctx, count):
            split = [_band(ctx, run) for run in runs]
            width = max(len(b_stages(b)) for b in split) * (col_width + 1) + head_width + 2
            blocks = [_band_height(ctx, band, columns, used, cols, known) + BAND_GAP for band in split]
            blocks[0] += header_h
            if panel:
                blocks.append(_panel_height(ctx, panel, width) + BAND_GAP)
            scale = print_scale(width, blocks)
            if any(run[0].id not in starts for run in runs):
                scale -= SPLIT_PHASE_GAIN
            if best is None or scale > best[0] + 0.01:
                best = (scale, split)
    return best if best else (0.0, [_band(ctx, stages_all)])


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


def _band_height(ctx: Context, band: Band, columns: dict[str, Column], used: list[str], cols: int,
                 known: dict | None = None) -> float:
    """The estimated height of a band (`known`: heights of its stages' heads and cells, by stage id
    and row, when the caller keeps them)."""
    th = ctx.theme
    known = known if known is not None else {}
    stages = b_stages(band)

    def title(phase: Phase, count: int) -> int:
        if (phase.id, count) not in known:
            known[phase.id, count] = len(L.lines(L.t(phase.name, ctx.lang), max(10, cols * count)))
        return known[phase.id, count]

    height = th.heading_size * LINE * max(title(phase, len(run)) for phase, run in band) + 2 * PAD + 1

    def head(stage: Stage) -> float:
        if (stage.id, "") not in known:
            owner, name = _head_lines(ctx, stage, cols)
            known[stage.id, ""] = th.body_size * LINE * len(owner) + th.name_size * LINE * len(name) + 4 * PAD
        return known[stage.id, ""]

    def cell(stage: Stage, row: str) -> float:
        if (stage.id, row) not in known:
            known[stage.id, row] = _lines_height(columns[stage.id].rows[row])
        return known[stage.id, row]

    height += max(head(s) for s in stages)
    for row in used:
        height += max(cell(s, row) for s in stages)
    return height


def _panel_height(ctx: Context, panel: list, width: float) -> float:
    per_row = _panel_per_row(ctx, len(panel), width)
    rows = [panel[i:i + per_row] for i in range(0, len(panel), per_row)]
    return ctx.theme.heading_size * LINE + 2 * PAD + sum(max(_lines_height(c) for c in row) for row in rows)


def _band_table(ctx: Context, band: Band, columns: dict[str, Column], used: list[str], col_width: int,
                head_width: int, cols: int, sheet: int) -> str:
    th = ctx.theme
    col_width = (sheet - head_width - 3) // len(b_stages(band)) - 1  # a shorter band's columns share the width
    corner = f'<TD BGCOLOR="{th.row_header_fill}" WIDTH="{head_width}" ROWSPAN="3"> </TD>' if used else ""
    heads = []
    for phase, stages in band:
        faded = ctx.highlight is not None and all(ctx.faded(s.id) for s in stages)
        title = L.lines(L.t(phase.name, ctx.lang), max(10, cols * len(stages)))
        heads.append(f'<TD COLSPAN="{len(stages)}" BGCOLOR="{th.cluster_fill}" ALIGN="LEFT" BALIGN="LEFT">'
                     f"{font(text_lines(title), th.heading_size, ctx.fade(th.cluster_text, faded), bold=True)}</TD>")
    rows = [f"<TR>{corner}{''.join(heads)}</TR>"]
    owners, names = [], []
    for stage in b_stages(band):
        faded = ctx.faded(stage.id)
        sw = ctx.swatch(stage.owner, faded)
        band_fill, band_text = (sw.tint, sw.strong) if th.header_on_tint else (sw.strong, sw.on_strong)
        owner, name = _head_lines(ctx, stage, cols)
        current = stage.id == ctx.highlight
        fill = th.highlight if current else (ctx.fade(th.card_body, faded) if th.card_body else sw.tint)
        owners.append(f'<TD PORT="st{ctx.number(stage)}" WIDTH="{col_width}" ALIGN="LEFT" BALIGN="LEFT" BGCOLOR="{band_fill}">'
                      f"{font(text_lines(owner), th.body_size, band_text, bold=True)}</TD>")
        names.append(f'<TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP" BGCOLOR="{fill}">'
                     f"{font(text_lines(name), th.name_size, ctx.fade(th.text, faded), bold=True)}</TD>")
    rows.append(f"<TR>{''.join(owners)}</TR>")
    rows.append(f"<TR>{''.join(names)}</TR>")
    for row in used:
        row_head = (f'<TD BGCOLOR="{th.row_header_fill}" ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">'
                    f"{font(text_lines(_row_title_lines(ctx, row)), th.body_size, th.text, bold=True)}</TD>")
        body = []
        for stage in b_stages(band):
            lines = columns[stage.id].rows[row]
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


def _panel_width(ctx: Context) -> int:
    return round(L.text_width("あ" * (ctx.cols(PANEL_WRAP) // 2), ctx.theme.body_size)) + 2 * PAD


def _panel_per_row(ctx: Context, count: int, width: float) -> int:
    """Drop reasons side by side in the panel: as many as the sheet's width holds, rows as even as
    they can be."""
    per_row = max(1, min(count, int(width // (_panel_width(ctx) + 1))))
    return max(1, math.ceil(count / math.ceil(count / per_row)))


def _panel_cells(ctx: Context, numbers: dict[str, str]) -> list[list[tuple[str, float, str, bool]]]:
    """Each drop reason that occurs at some stage, once: number and name, its stages, the response
    and the stage a recovered deal re-enters."""
    th, lang = ctx.theme, ctx.lang
    wrap = ctx.cols(PANEL_WRAP)
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


def _panel_table(ctx: Context, cells: list, width: int) -> str:
    """The drop reasons in as many columns as the bands' width holds."""
    th = ctx.theme
    cell_width = _panel_width(ctx)
    per_row = _panel_per_row(ctx, len(cells), width)
    rows = [f'<TR><TD COLSPAN="{per_row}" ALIGN="LEFT" BGCOLOR="{th.drop_fill}">'
            f'{font(esc(L.word("drop_reasons", ctx.lang)), th.heading_size, th.drop, bold=True)}</TD></TR>']
    for first in range(0, len(cells), per_row):
        row = cells[first:first + per_row]
        tds = [f'<TD WIDTH="{cell_width}" ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">{_lines_html(c)}</TD>' for c in row]
        tds += ["<TD> </TD>"] * (per_row - len(row))
        rows.append(f"<TR>{''.join(tds)}</TR>")
    return (f'<TABLE BORDER="1" COLOR="{th.drop}" CELLBORDER="1" CELLSPACING="0" CELLPADDING="{PAD}" '
            f'BGCOLOR="{th.drop_fill}">{"".join(rows)}</TABLE>')
