"""Boxes of a laid-out diagram, read from `dot -Tjson`: nodes, edge labels and cluster labels, in
points. For the tests that labels never cover a node or another label, and for the layout bench."""

from __future__ import annotations

import json
from dataclasses import dataclass

from journeymap.render import run_dot


@dataclass(frozen=True)
class Box:
    what: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: Box, slack: float = 1.0) -> bool:
        return (min(self.x1, other.x1) - max(self.x0, other.x0) > slack
                and min(self.y1, other.y1) - max(self.y0, other.y0) > slack)

    @property
    def area(self) -> float:
        return max(0.0, self.x1 - self.x0) * max(0.0, self.y1 - self.y0)


def layout(dot_text: str) -> dict:
    return json.loads(run_dot(dot_text, "json"))


def _ops_box(what: str, ops: list[dict]) -> Box | None:
    xs: list[float] = []
    ys: list[float] = []
    size = 10.0
    for op in ops:
        if op.get("op") in ("P", "p", "L", "b", "B"):
            for x, y in op["points"]:
                xs.append(x)
                ys.append(y)
        elif op.get("op") == "F":
            size = float(op["size"])
        elif op.get("op") == "T":
            x, y = op["pt"]
            w = float(op["width"])
            left = {"l": x, "c": x - w / 2, "r": x - w}[op.get("align", "c")]
            xs += [left, left + w]
            ys += [y - 0.3 * size, y + 0.9 * size]
    if not xs:
        return None
    return Box(what, min(xs), min(ys), max(xs), max(ys))


def node_boxes(graph: dict) -> list[Box]:
    out = []
    for obj in graph.get("objects", []):
        if "pos" in obj and "width" in obj:
            x, y = (float(v) for v in obj["pos"].split(","))
            w, h = float(obj["width"]) * 36, float(obj["height"]) * 36
            out.append(Box(f"node {obj['name']}", x - w, y - h, x + w, y + h))
    return out


def cluster_label_boxes(graph: dict) -> list[Box]:
    out = []
    for obj in graph.get("objects", []):
        if "bb" in obj and "lp" in obj and "lwidth" in obj:
            x, y = (float(v) for v in obj["lp"].split(","))
            w, h = float(obj["lwidth"]) * 36, float(obj["lheight"]) * 36
            out.append(Box(f"title of {obj['name']}", x - w, y - h, x + w, y + h))
    return out


def cluster_boxes(graph: dict) -> list[Box]:
    out = []
    for obj in graph.get("objects", []):
        if "bb" in obj and obj.get("name", "").startswith("cluster"):
            x0, y0, x1, y1 = (float(v) for v in obj["bb"].split(","))
            out.append(Box(obj["name"], x0, y0, x1, y1))
    return out


def edge_label_boxes(graph: dict) -> list[Box]:
    names = {o["_gvid"]: o.get("name", "?") for o in graph.get("objects", [])}
    out = []
    for edge in graph.get("edges", []):
        for key in ("_ldraw_", "_xldraw_", "_hldraw_", "_tldraw_"):
            box = _ops_box(f"label of {names.get(edge['tail'])}→{names.get(edge['head'])}", edge.get(key) or [])
            if box is not None:
                out.append(box)
    return out


def collisions(graph: dict) -> list[str]:
    """Every edge label that covers a node, a phase title or another edge label."""
    labels = edge_label_boxes(graph)
    solid = node_boxes(graph) + cluster_label_boxes(graph)
    found = [f"{a.what} covers {b.what}" for a in labels for b in solid if a.overlap(b)]
    found += [f"{a.what} covers {b.what}" for i, a in enumerate(labels) for b in labels[i + 1:] if a.overlap(b)]
    return found
