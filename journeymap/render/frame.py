"""What every view shares: the render context, graph defaults, the header (title, KGIs, legend)
and small HTML-label builders."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from journeymap.errors import InputError, Issue
from journeymap.model import Design, Stage
from journeymap.render import labels as L
from journeymap.render.dotlang import Dot, Html, esc
from journeymap.render.themes import FONT, Swatch, Theme, blend, ink_on
from journeymap.text import format as fmt
from journeymap.text.problems import Verbatim, problem, refuse


@dataclass
class Context:
    """Everything a view builder needs besides the design."""

    design: Design
    theme: Theme
    lang: str
    detail: str = "compact"
    overlay: dict[str, dict] = field(default_factory=dict)
    """Compare rows by stage id: planned, reached, rate, target_rate, gap_pts, status."""
    highlight: str | None = None
    planned: dict[str, float | None] = field(default_factory=dict)
    dpi: int | None = None
    unit_costs: dict[str, float | None] = field(default_factory=dict)
    """Cost per item at each funnel stage: its unit cost plus the owners' per-item prices."""
    moves: list[dict] = field(default_factory=list)
    """Off-design moves deals actually made (`transitions` of the compare result with designed false)."""
    designed_share: float | None = None
    """The share of deals whose every move followed the design (`conformance.designed_path_share`)."""
    window: dict | None = None
    """The compare result's window (from, to, periods, period): planned volumes are for that window."""

    def per(self) -> str:
        """What a planned volume is per: the design's period, or the compared window."""
        return L.word("in_window", self.lang) if self.window else L.per_period(self.design, self.lang)

    def __post_init__(self) -> None:
        self._owner_index = {o.id: i for i, o in enumerate(self.design.owners)}
        self._number = {s.id: n for n, s in enumerate(self.design.stages, start=1)}
        if self.highlight is not None and self.highlight not in self._number:
            self.highlight = None  # a stale id (stage renamed meanwhile) highlights nothing
        if not self.unit_costs:
            from journeymap.planning import stage_unit_costs

            self.unit_costs = stage_unit_costs(self.design)

    def cols(self, columns: int) -> int:
        """A wrap width in display columns for this language: Latin letters are narrower than
        the column they count as, so English lines get 30% more of them."""
        return columns if self.lang == "ja" else round(columns * 1.3)

    def number(self, stage: Stage) -> int:
        return self._number[stage.id]

    def swatch(self, owner_id: str | None, faded: bool = False) -> Swatch:
        sw = self.theme.swatch(self._owner_index.get(owner_id) if owner_id else None)
        if not faded:
            return sw
        strong = self.fade(sw.strong)
        return Swatch(strong, self.fade(sw.tint), ink_on(strong, "#374151", "#f1f5f9"))

    def faded(self, stage_id: str) -> bool:
        """True when another stage is highlighted: this one steps back."""
        return self.highlight is not None and stage_id != self.highlight

    def fade(self, color: str, on: bool = True) -> str:
        return blend(color, self.theme.bg, self.theme.dim) if on else color

    def owner_name(self, owner_id: str | None) -> str:
        if owner_id is None:
            return L.word("no_owner", self.lang)
        return L.t(self.design.owner(owner_id).name, self.lang)

    def owners_used(self, stages: list[Stage] | None = None) -> list[str | None]:
        """Owners of the stages (all by default), in the order of `owners`; None when a stage has none."""
        used = {s.owner for s in (self.design.stages if stages is None else stages)}
        out: list[str | None] = [o.id for o in self.design.owners if o.id in used]
        if None in used:
            out.append(None)
        return out


_OVERLAY_NUMBERS = ("planned", "reached", "rate", "target_rate", "gap_pts")
_OVERLAY_LIMIT = 1e15


def read_overlay(overlay: object) -> dict[str, dict]:
    """The compare result's JSON (`{"stages": [...]}`, as data or text) as rows by stage id.
    Missing fields read as None; a value of the wrong type raises InputError with its data path
    (`('stages', 2, 'rate')`), which the command line turns into a line of the file."""
    if overlay is None:
        return {}
    if isinstance(overlay, (str, bytes)):
        try:
            overlay = json.loads(overlay)
        except ValueError as exc:
            raise refuse("problem.overlay_not_json", detail=Verbatim(str(exc))) from None
    if not isinstance(overlay, Mapping) or not isinstance(overlay.get("stages", []), list):
        raise refuse("problem.overlay_shape", path=())
    rows: dict[str, dict] = {}
    issues: list[Issue] = []
    for i, row in enumerate(overlay.get("stages") or []):
        if not isinstance(row, Mapping) or not isinstance(row.get("id"), str):
            issues.append(problem("problem.overlay_entry", path=("stages", i)))
            continue
        for key in _OVERLAY_NUMBERS:
            value = row.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or not math.isfinite(value) or abs(value) > _OVERLAY_LIMIT):
                issues.append(problem("problem.overlay_number", path=("stages", i, key), name=key,
                                      got=json.dumps(value, ensure_ascii=False)[:40]))
        status = row.get("status")
        if status is not None and not isinstance(status, str):
            issues.append(problem("problem.overlay_status", path=("stages", i, "status")))
        rows[row["id"]] = {k: row.get(k) for k in ("planned", "reached", "rate", "target_rate", "gap_pts", "status")}
    if issues:
        raise InputError(issues[:20])
    return rows


MAX_MOVES = 12
"""At most this many off-design moves are drawn (the most frequent)."""


def read_window(overlay: object) -> dict | None:
    """The `window` of a compare result (from, to, periods, period), when it has one."""
    if isinstance(overlay, (str, bytes)):
        overlay = json.loads(overlay)
    window = overlay.get("window") if isinstance(overlay, Mapping) else None
    if isinstance(window, Mapping) and all(isinstance(window.get(k), str) for k in ("from", "to", "period")) \
            and isinstance(window.get("periods"), (int, float)):
        return dict(window)
    return None


def read_moves(overlay: object, design: Design) -> tuple[list[dict], float | None]:
    """The off-design moves of a compare result (most deals first) and its designed-path share."""
    if overlay is None:
        return [], None
    if isinstance(overlay, (str, bytes)):
        overlay = json.loads(overlay)
    if not isinstance(overlay, Mapping):
        return [], None
    ids = {s.id for s in design.stages}
    moves = [m for m in overlay.get("transitions") or [] if isinstance(m, Mapping) and not m.get("designed")
             and m.get("from") in ids and m.get("to") in ids and isinstance(m.get("deals"), int)]
    moves.sort(key=lambda m: -m["deals"])
    share = (overlay.get("conformance") or {}).get("designed_path_share")
    return [dict(m) for m in moves[:MAX_MOVES]], share if isinstance(share, (int, float)) else None


# --------------------------------------------------------------------------- HTML pieces


def font(body: str, size: float, color: str | None = None, bold: bool = False) -> str:
    """An HTML-label `<FONT>` with our face, a size and a colour around already-escaped `body`."""
    color_attr = f' COLOR="{color}"' if color else ""
    inner = f"<B>{body}</B>" if bold else body
    return f'<FONT FACE="{FONT}" POINT-SIZE="{_pt(size)}"{color_attr}>{inner}</FONT>'


def text_lines(lines: list[str]) -> str:
    """Escaped lines joined by line breaks (alignment comes from the cell's BALIGN)."""
    return "<BR/>".join(esc(line) for line in lines)


def _pt(size: float) -> str:
    return str(int(size)) if float(size).is_integer() else f"{size:g}"


# --------------------------------------------------------------------------- graph frame


def start(ctx: Context, name: str, rankdir: str = "LR") -> Dot:
    """A DOT document with the theme's graph, node and edge defaults."""
    th = ctx.theme
    dot = Dot(name)
    dot.defaults(
        "graph",
        {
            "charset": "UTF-8",
            "fontname": FONT,
            "fontsize": th.body_size,
            "fontcolor": th.text,
            "bgcolor": th.bg,
            "rankdir": rankdir,
            "newrank": True,
            "nodesep": th.nodesep,
            "ranksep": th.ranksep,
            "pad": th.pad,
            "labelloc": "t",
            "labeljust": "l",
            "dpi": int(ctx.dpi) if ctx.dpi else None,
        },
    )
    dot.defaults("node", {"fontname": FONT, "fontsize": th.body_size, "fontcolor": th.text, "shape": "plain"})
    dot.defaults(
        "edge",
        {
            "fontname": FONT,
            "fontsize": th.small_size,
            "fontcolor": th.text,
            "color": th.edge,
            "penwidth": th.edge_pen,
            "arrowsize": 1.0 if th.edge_pen < 3 else 1.3,
        },
    )
    return dot


@dataclass(frozen=True)
class LegendItem:
    text: str
    color: str
    symbol: str | None = None
    """A line sample such as `──▶`; None draws a colour swatch."""


def owner_legend(ctx: Context, stages: list[Stage] | None = None) -> list[LegendItem]:
    return [LegendItem(ctx.owner_name(o), ctx.swatch(o).strong) for o in ctx.owners_used(stages)]


def header(ctx: Context, view_key: str, extra: list[str] | None = None,
           legend: list[LegendItem] | None = None) -> Html:
    """The graph label: design name, view, KGIs (and persona etc. via `extra`), legend."""
    th, lang, design = ctx.theme, ctx.lang, ctx.design
    title = f"{L.t(design.name, lang)}"
    rows = [f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{font(esc(title), th.title_size, th.text, bold=True)}'
            f"{font(esc('  ' + L.word(view_key, lang)), th.heading_size, th.muted)}</TD></TR>"]
    facts = [kgi_text(ctx, k) for k in design.kgis]
    if facts:
        line = f"{L.word('kgi', lang)}: " + "   ".join(facts)
        rows.append(_header_row(line, th.body_size, th.text, width=110))
    if ctx.window:
        w = ctx.window
        unit = L.period_unit(w["period"], lang)
        line = (f"{L.word('window', lang)}: {w['from']}〜{w['to']}（{fmt.number(w['periods'], 2)}{unit}・"
                f"{L.word('plan_scaled', lang)}）")
        rows.append(_header_row(line, th.body_size, th.text, width=110))
    for text in extra or []:
        rows.append(_header_row(text, th.body_size, th.muted, width=110))
    if legend:
        rows.append(f'<TR><TD ALIGN="LEFT">{_legend_table(ctx, legend)}</TD></TR>')
    return Html(f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2">{"".join(rows)}</TABLE>')


def _header_row(text: str, size: float, color: str, width: int) -> str:
    return f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{font(text_lines(L.lines(text, width)), size, color)}</TD></TR>'


def kgi_text(ctx: Context, kgi) -> str:
    figure = fmt.measure(kgi.target, kgi.unit, ctx.design.currency, ctx.lang)
    return f"{L.t(kgi.name, ctx.lang)} {figure}{L.per_period(ctx.design, ctx.lang)}"


def _legend_table(ctx: Context, items: list[LegendItem]) -> str:
    """Owners on the first row(s), line styles on the next; at most five items a row."""
    th = ctx.theme
    size = th.small_size
    rows: list[list[str]] = [[f'<TD ALIGN="LEFT">{font(esc(L.word("legend", ctx.lang)), size, th.muted, bold=True)}</TD>']]
    count = 0
    for n, item in enumerate(items):
        new_kind = n > 0 and (item.symbol is None) != (items[n - 1].symbol is None)
        if count == 5 or new_kind:
            rows.append(["<TD></TD>"])
            count = 0
        # A coloured ■ rather than a coloured cell: cells stretch to their column in the browser.
        symbol = "■" if item.symbol is None else item.symbol
        rows[-1].append(f'<TD ALIGN="RIGHT">{font(esc(symbol), size, item.color, bold=True)}</TD>')
        rows[-1].append(f'<TD ALIGN="LEFT" WIDTH="{round(L.text_width(item.text, size)) + 8}">'
                        f"{font(esc(item.text), size, th.text)}</TD>")
        count += 1
    body = "".join("<TR>" + "".join(r) + "</TR>" for r in rows)
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="6" CELLPADDING="2">{body}</TABLE>'
