"""Geometry of the BPMN diagram: a pool of horizontal lane bands, flow nodes left to right.

Every node that is not a lost end event gets a column of its own, in process order, so a vertical
line through a column's centre meets nothing but that column's node (and, below a gateway, its
lost end event). That keeps the edges clear of the shapes:
- design-order flows join neighbouring columns: right, down or up in the gap, right again;
- a lost path drops straight down from its gateway to the lost end event below it;
- transitions and recovery paths (jumps) leave a gateway upwards and run in a **channel**: a
  horizontal track above the main row of a lane (the upper lane of the two they join), then come
  down into their target. Jumps whose spans overlap get tracks of their own, short spans nearest
  the row, so no two share a line; each lane's channel band is as tall as its tracks need.
- Lanes are sized to their content: the tracks above, the main row, lost events and labels below.
All coordinates are whole pixels: tasks 100×80, events 36, gateways 50 (bpmn.io's sizes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from journeymap.export.bpmn_graph import Flow, Graph, Node
from journeymap.text.width import wrap

POOL_X, POOL_Y = 20, 20
POOL_LABEL = 30
LANE_LABEL = 30
LEFT_MARGIN = 30
RIGHT_MARGIN = 30
GAP = 30
GAP_AFTER_GATEWAY = 80  # room for the gateway's name below the flow that continues
SIZES = {
    "task": (100, 80), "gateway": (50, 50), "join": (50, 50),
    "start": (36, 36), "end": (36, 36), "won": (36, 36), "milestone": (36, 36), "lost": (36, 36),
}
EVENTS = ("start", "end", "won", "milestone", "lost")
ROW_HALF = 40  # half the height of the main row (a task)
TOP_PAD, BOTTOM_PAD = 16, 14
LINE = 14  # label line height
PX_PER_COLUMN = 7  # label pixels per display column (a Japanese character is two columns)
EVENT_LABEL_W = 90
GATEWAY_LABEL_W = 72
LOST_LABEL_W = 150
TRACK = 10  # spacing between channel tracks, besides label room
JUMP_LABEL_W = 150


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
    """Label bounds of events, gateways and named flows, by element id."""
    waypoints: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def label_lines(text: str, width_px: int) -> int:
    return len(wrap(text, max(width_px // PX_PER_COLUMN, 2))) if text else 0


def layout(graph: Graph) -> Layout:
    columns = [n for n in graph.order() if n.kind != "lost" or not _gateway_of_lost(graph, n)]
    x_of = _columns(columns)
    lane_index = {node_id: i for i, lane in enumerate(graph.lanes) for node_id in lane.nodes}
    jumps = [f for f in graph.flows if f.kind == "jump"]
    channel_lane = {f.id: min(lane_index[f.source], lane_index[f.target]) for f in jumps}
    tracks = _tracks(jumps, x_of, channel_lane)
    width = max(x_of[n.id] + SIZES[n.kind][0] for n in columns) + RIGHT_MARGIN - POOL_X

    result = Layout(pool=Bounds(POOL_X, POOL_Y, width, 0))
    track_y: dict[str, int] = {}
    top = POOL_Y
    for index, lane in enumerate(graph.lanes):
        # The channel band: one track per level, each with room above its line for its labels.
        levels = sorted({tracks[f.id] for f in jumps if channel_lane[f.id] == index}, reverse=True)
        y = top + TOP_PAD
        level_y: dict[int, int] = {}
        for level in levels:
            tallest = max(label_lines(f.name, JUMP_LABEL_W) for f in jumps
                          if channel_lane[f.id] == index and tracks[f.id] == level)
            y += tallest * LINE + TRACK
            level_y[level] = y
        for flow in jumps:
            if channel_lane[flow.id] == index:
                track_y[flow.id] = level_y[tracks[flow.id]]
        cy = y + (TRACK if levels else 0) + ROW_HALF
        bottom = cy + ROW_HALF
        for node_id in lane.nodes:
            node = graph.nodes[node_id]
            gateway = _gateway_of_lost(graph, node) if node.kind == "lost" else None
            if gateway is not None:
                drop = _lost_flow(graph, node)
                label_h = label_lines(drop.name, LOST_LABEL_W) * LINE if drop and drop.name else 0
                event_top = cy + 25 + 18 + max(label_h, label_lines(graph.nodes[gateway].name, GATEWAY_LABEL_W) * LINE)
                shape = _place(result, node, x_of[gateway] + (50 - 36) // 2, event_top)
            else:
                _w, h = SIZES[node.kind]
                shape = _place(result, node, x_of[node.id], cy - h // 2)
            bottom = max(bottom, shape.bottom, result.labels.get(node.id, shape).bottom)
        height = bottom + BOTTOM_PAD - top
        result.lanes[lane.id] = Bounds(POOL_X + POOL_LABEL, top, width - POOL_LABEL, height)
        top += height
    result.pool = Bounds(POOL_X, POOL_Y, width, top - POOL_Y)
    _route(result, graph, track_y)
    return result


def _gateway_of_lost(graph: Graph, node: Node) -> str | None:
    """The gateway a lost end event hangs below (None for the end of a lost outcome stage)."""
    gateway = f"Gateway_{node.id.removeprefix('Event_lost_')}"
    return gateway if gateway in graph.nodes else None


def _lost_flow(graph: Graph, node: Node) -> Flow | None:
    return next((f for f in graph.flows if f.target == node.id), None)


def _columns(columns: list[Node]) -> dict[str, int]:
    x = POOL_X + POOL_LABEL + LANE_LABEL + LEFT_MARGIN
    out: dict[str, int] = {}
    for node in columns:
        out[node.id] = x
        x += SIZES[node.kind][0] + (GAP_AFTER_GATEWAY if node.kind == "gateway" else GAP)
    return out


def _place(result: Layout, node: Node, x: int, y: int) -> Bounds:
    w, h = SIZES[node.kind]
    shape = Bounds(x, y, w, h)
    result.shapes[node.id] = shape
    if node.kind in EVENTS and node.name:
        lines = label_lines(node.name, EVENT_LABEL_W)
        result.labels[node.id] = Bounds(shape.cx - EVENT_LABEL_W // 2, shape.bottom + 4, EVENT_LABEL_W, lines * LINE)
    elif node.kind == "gateway" and node.name:
        # Below the continuing flow, right of the lost drop: the gap after a gateway is kept for it.
        lines = label_lines(node.name, GATEWAY_LABEL_W)
        result.labels[node.id] = Bounds(shape.cx + 6, shape.bottom - 8, GATEWAY_LABEL_W, lines * LINE)
    return shape


def _tracks(jumps: list[Flow], x_of: dict[str, int], channel_lane: dict[str, int]) -> dict[str, int]:
    """A track level per jump, per lane band: short spans nearest the row, overlapping spans stacked."""

    def span(flow: Flow) -> tuple[int, int]:
        a, b = x_of[flow.source], x_of[flow.target]
        return min(a, b) - 10, max(a, b) + 60

    taken: dict[int, list[list[tuple[int, int]]]] = {}
    levels: dict[str, int] = {}
    for flow in sorted(jumps, key=lambda f: (span(f)[1] - span(f)[0], span(f), f.id)):
        lo, hi = span(flow)
        lane = taken.setdefault(channel_lane[flow.id], [])
        level = 0
        while level < len(lane) and any(lo < b and a < hi for a, b in lane[level]):
            level += 1
        if level == len(lane):
            lane.append([])
        lane[level].append((lo, hi))
        levels[flow.id] = level
    return levels


def _route(result: Layout, graph: Graph, track_y: dict[str, int]) -> None:
    shapes = result.shapes
    entries: dict[str, list[str]] = {}
    for flow in graph.flows:
        if flow.kind == "jump":
            entries.setdefault(flow.target, []).append(flow.id)
    for flow in graph.flows:
        source, target = shapes[flow.source], shapes[flow.target]
        if flow.kind == "lost" and flow.source.startswith("Gateway_") and flow.target.startswith("Event_lost_"):
            points = [(source.cx, source.bottom), (target.cx, target.y)]
            if flow.name:
                lines = label_lines(flow.name, LOST_LABEL_W)
                # Left of the drop, under the stage's own task: nothing else runs there.
                result.labels[flow.id] = Bounds(source.cx - 6 - LOST_LABEL_W, source.bottom + 12, LOST_LABEL_W, lines * LINE)
        elif flow.kind == "jump":
            channel = track_y[flow.id]
            siblings = entries[flow.target]
            offset = (siblings.index(flow.id) * 2 - (len(siblings) - 1)) * 6
            entry_x = target.cx + max(-18, min(18, offset))
            entry_y = target.y + (abs(entry_x - target.cx) if graph.nodes[flow.target].kind == "join" else 0)
            points = [(source.cx, source.y), (source.cx, channel), (entry_x, channel), (entry_x, entry_y)]
            if flow.name:
                # Above the track, starting beside the rising line at the source, towards the target.
                height = label_lines(flow.name, JUMP_LABEL_W) * LINE
                x = source.cx + 4 if entry_x > source.cx else source.cx - 4 - JUMP_LABEL_W
                result.labels[flow.id] = Bounds(x, channel - height - 2, JUMP_LABEL_W, height)
        else:
            start, end = (source.right, source.cy), (target.x, target.cy)
            if start[1] == end[1]:
                points = [start, end]
            else:
                middle = (start[0] + end[0]) // 2
                points = [start, (middle, start[1]), (middle, end[1]), end]
            if flow.name:
                # Above the line, in the gap kept after a gateway (its own name sits below the line).
                width = GAP_AFTER_GATEWAY - 8
                lines = label_lines(flow.name, width)
                result.labels[flow.id] = Bounds(source.right + 4, source.cy - 4 - lines * LINE, width, lines * LINE)
        result.waypoints[flow.id] = points
