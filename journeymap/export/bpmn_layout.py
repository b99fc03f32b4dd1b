"""Geometry of the BPMN diagram: a pool of horizontal lane bands, flow nodes left to right.

Every node that is not a lost end event gets a column of its own, in process order, so a vertical
line through a column's centre meets nothing but that column's node (and, below a gateway, its
lost end event). That is what keeps the edges clear of the shapes:
- design-order flows join neighbouring columns: right, down or up inside the gap, right again;
- a lost path drops straight down from its gateway to the lost end event below it (its label
  sits to the left, under the stage's task, where no edge runs);
- transitions and recovery paths (jumps) leave a gateway upwards, run along a channel above the
  top lane, and come down into the target task; overlapping channels are stacked.
All coordinates are whole pixels, in the usual bpmn.io sizes (tasks 120×80, events 36, gateways 50).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from journeymap.export.bpmn_graph import Flow, Graph, Node
from journeymap.text.width import wrap

POOL_X, POOL_Y = 20, 20
POOL_LABEL = 30
LANE_LABEL = 30
LEFT_MARGIN = 40
RIGHT_MARGIN = 50
GAP = 70
SIZES = {"task": (120, 80), "gateway": (50, 50), "start": (36, 36), "end": (36, 36), "lost": (36, 36)}
ROW_HALF = 40  # half the height of the main row (a task)
TOP_PAD, BOTTOM_PAD, MIN_LANE = 30, 30, 140
LINE = 14  # label line height
PX_PER_COLUMN = 7  # label pixels per display column (a Japanese character is two columns)
EVENT_LABEL_W = 90
LOST_LABEL_W = 110
CHANNEL_PAD = 12
JUMP_LABEL_W = 90  # bpmn.io wraps external labels at 90 px


@dataclass(frozen=True)
class Bounds:
    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    @property
    def cx(self) -> int:
        return self.x + self.width // 2

    @property
    def cy(self) -> int:
        return self.y + self.height // 2

    def overlaps(self, other: Bounds) -> bool:
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom


@dataclass
class Layout:
    pool: Bounds
    lanes: dict[str, Bounds] = field(default_factory=dict)
    shapes: dict[str, Bounds] = field(default_factory=dict)
    labels: dict[str, Bounds] = field(default_factory=dict)
    """Label bounds of events and named flows, by element id."""
    waypoints: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def label_lines(text: str, width_px: int) -> int:
    return len(wrap(text, max(width_px // PX_PER_COLUMN, 2))) if text else 0


def layout(graph: Graph) -> Layout:
    nodes = graph.order()
    columns = [n for n in nodes if n.kind != "lost"]
    jumps = [f for f in graph.flows if f.kind == "jump"]
    x_of = _columns(columns)
    levels = _channel_levels(jumps, graph, x_of)
    channels = channel_heights(jumps, levels)
    band = channels[-1] + 8 + CHANNEL_PAD if channels else 0
    width = max(x_of[n.id] + SIZES[n.kind][0] for n in columns) + RIGHT_MARGIN - POOL_X

    result = Layout(pool=Bounds(POOL_X, POOL_Y, width, 0))
    lost_label_h = {f.source: label_lines(f.name, LOST_LABEL_W) * LINE for f in graph.flows if f.kind == "lost"}
    top = POOL_Y
    for index, lane in enumerate(graph.lanes):
        pad = TOP_PAD + (band if index == 0 else 0)
        cy = top + pad + ROW_HALF
        bottom = cy + ROW_HALF
        for node_id in lane.nodes:
            node = graph.nodes[node_id]
            if node.kind == "lost":
                gateway = f"Gateway_{node.id.removeprefix('Event_lost_')}"
                event_top = cy + 25 + 20 + lost_label_h.get(gateway, 0) + 8
                shape = _place(result, node, x_of[gateway] + (50 - 36) // 2, event_top)
            else:
                _w, h = SIZES[node.kind]
                shape = _place(result, node, x_of[node.id], cy - h // 2)
            bottom = max(bottom, shape.bottom, result.labels.get(node.id, shape).bottom)
        height = max(MIN_LANE, bottom + BOTTOM_PAD - top)
        result.lanes[lane.id] = Bounds(POOL_X + POOL_LABEL, top, width - POOL_LABEL, height)
        top += height
    result.pool = Bounds(POOL_X, POOL_Y, width, top - POOL_Y)
    _route(result, graph, levels, channels)
    return result


def channel_heights(jumps: list[Flow], levels: dict[str, int]) -> list[int]:
    """The y of each channel level, relative to the band's top: the highest level first in the
    band, each level leaving room above its line for the tallest label on it."""
    count = max(levels.values()) + 1 if levels else 0
    tallest = [1] * count
    for flow in jumps:
        tallest[levels[flow.id]] = max(tallest[levels[flow.id]], label_lines(flow.name, JUMP_LABEL_W))
    ys: dict[int, int] = {}
    y = CHANNEL_PAD
    for level in range(count - 1, -1, -1):
        y += tallest[level] * LINE + 10
        ys[level] = y - 8
    return [ys[level] for level in range(count - 1, -1, -1)] if count else []


def _columns(columns: list[Node]) -> dict[str, int]:
    x = POOL_X + POOL_LABEL + LANE_LABEL + LEFT_MARGIN
    out: dict[str, int] = {}
    for node in columns:
        out[node.id] = x
        x += SIZES[node.kind][0] + GAP
    return out


def _place(result: Layout, node: Node, x: int, y: int) -> Bounds:
    w, h = SIZES[node.kind]
    shape = Bounds(x, y, w, h)
    result.shapes[node.id] = shape
    if node.kind in ("start", "end", "lost") and node.name:
        lines = label_lines(node.name, EVENT_LABEL_W)
        result.labels[node.id] = Bounds(shape.cx - EVENT_LABEL_W // 2, shape.bottom + 4, EVENT_LABEL_W, lines * LINE)
    return result.shapes[node.id]


def _channel_levels(jumps: list[Flow], graph: Graph, x_of: dict[str, int]) -> dict[str, int]:
    """A channel level per jump: short spans nearest the nodes, overlapping spans stacked."""

    def span(flow: Flow) -> tuple[int, int]:
        a, b = x_of[flow.source], x_of[flow.target]
        return min(a, b) - 20, max(a, b) + SIZES["task"][0] + 20

    taken: list[list[tuple[int, int]]] = []
    levels: dict[str, int] = {}
    for flow in sorted(jumps, key=lambda f: (span(f)[1] - span(f)[0], span(f))):
        lo, hi = span(flow)
        level = 0
        while level < len(taken) and any(lo < b and a < hi for a, b in taken[level]):
            level += 1
        if level == len(taken):
            taken.append([])
        taken[level].append((lo, hi))
        levels[flow.id] = level
    return levels


def _route(result: Layout, graph: Graph, levels: dict[str, int], channels: list[int]) -> None:
    shapes = result.shapes
    top_levels = max(levels.values()) + 1 if levels else 0
    entries: dict[str, list[str]] = {}
    for flow in graph.flows:
        if flow.kind == "jump":
            entries.setdefault(flow.target, []).append(flow.id)
    for flow in graph.flows:
        source, target = shapes[flow.source], shapes[flow.target]
        if flow.kind == "lost":
            points = [(source.cx, source.bottom), (target.cx, target.y)]
            if flow.name:
                lines = label_lines(flow.name, LOST_LABEL_W)
                # Left of the drop, under the stage's own task: nothing else runs there.
                result.labels[flow.id] = Bounds(source.cx - 6 - LOST_LABEL_W, source.bottom + 20, LOST_LABEL_W, lines * LINE)
        elif flow.kind == "jump":
            channel = POOL_Y + channels[top_levels - 1 - levels[flow.id]]
            siblings = entries[flow.target]
            offset = (siblings.index(flow.id) * 2 - (len(siblings) - 1)) * 12
            entry_x = target.cx + max(-50, min(50, offset))
            points = [(source.cx, source.y), (source.cx, channel), (entry_x, channel), (entry_x, target.y)]
            if flow.name:
                # Beside the rising line at the source, on the side the channel runs to.
                height = label_lines(flow.name, JUMP_LABEL_W) * LINE
                x = source.cx + 6 if entry_x > source.cx else source.cx - 6 - JUMP_LABEL_W
                result.labels[flow.id] = Bounds(x, channel - height - 2, JUMP_LABEL_W, height)
        else:
            start, end = (source.right, source.cy), (target.x, target.cy)
            if start[1] == end[1]:
                points = [start, end]
            else:
                middle = (start[0] + end[0]) // 2
                points = [start, (middle, start[1]), (middle, end[1]), end]
            if flow.name:
                lines = label_lines(flow.name, GAP - 10)
                result.labels[flow.id] = Bounds(source.right + 4, source.cy - 4 - lines * LINE, GAP - 10, lines * LINE)
        result.waypoints[flow.id] = points
