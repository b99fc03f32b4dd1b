"""Benchmark of the process view's layout: for every template, its size, area, ink ratio, how the
phase titles line up, label collisions, and the detailed view on A4 paper.

    python bench/layout_bench.py                              # print the figures
    python bench/layout_bench.py --save bench/layout_baseline.json   # keep them as the baseline
    python bench/layout_bench.py --baseline bench/layout_baseline.json  # print them beside the baseline

Figures (compact process view, default theme, no actuals, per language):
- size: the drawing in points (1/72 inch) as graphviz lays it out;
- area: width × height in square inches (less is tighter);
- ink: the share of the drawing's pixels that are not background (more is denser), from a 36 dpi PNG;
- tops: the spread in points between the highest and lowest phase-title top (0 = aligned);
- hits: edge labels that cover a node, a phase title or another label (with actuals);
- detailed: the detailed view in points, the A4 landscape pages it needs at 100% scale
  (10 mm margins, 277 × 190 mm printable, tiled in a grid), and fit2: the scale at which it fits
  two such pages (1.0 = at full size; 0.7 prints 11 pt body text at 7.7 pt).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image

from journeymap.library import list_templates
from journeymap.render import run_dot, to_dot
from tests.layout_geometry import cluster_boxes, collisions, layout
from tests.render_fixtures import template_overlay

PAGE_W, PAGE_H = 277 / 25.4 * 72, 190 / 25.4 * 72  # printable A4 landscape in points


def a4_pages(width: float, height: float) -> int:
    """A4 landscape pages needed at 100% scale, tiled in a grid."""
    across = math.ceil(width / PAGE_W) * math.ceil(height / PAGE_H)
    return across


def fit_two_pages(width: float, height: float) -> float:
    """The scale at which the drawing fits two A4 landscape pages (side by side or one above the
    other), at most 1: body text prints at this share of its size."""
    return min(1.0, max(min(2 * PAGE_W / width, PAGE_H / height), min(PAGE_W / width, 2 * PAGE_H / height)))


def ink_ratio(dot_text: str) -> float:
    png = run_dot(dot_text.replace("digraph process {", 'digraph process {\n  dpi=36;', 1), "png")
    img = Image.open(io.BytesIO(png)).convert("L")
    hist = img.histogram()
    background = max(range(256), key=lambda v: hist[v])
    total = img.width * img.height
    return 1 - sum(hist[max(0, background - 8):background + 9]) / total


def measure(template_id: str, design, lang: str) -> dict:
    text = to_dot(design, view="process", lang=lang)
    graph = layout(text)
    x0, y0, x1, y1 = (float(v) for v in graph["bb"].split(","))
    tops = [b.y1 for b in cluster_boxes(graph)]
    with_actuals = layout(to_dot(design, view="process", lang=lang, overlay=template_overlay(design)))
    detailed = layout(to_dot(design, view="process", lang=lang, detail="detailed"))
    dx0, dy0, dx1, dy1 = (float(v) for v in detailed["bb"].split(","))
    return {
        "width": round(x1 - x0), "height": round(y1 - y0),
        "area": round((x1 - x0) * (y1 - y0) / 72 / 72, 1),
        "ink": round(ink_ratio(text), 3),
        "tops": round(max(tops) - min(tops), 1) if tops else 0.0,
        "hits": len(collisions(with_actuals)),
        "detailed": [round(dx1 - dx0), round(dy1 - dy0)],
        "pages": a4_pages(dx1 - dx0, dy1 - dy0),
        "fit2": round(fit_two_pages(dx1 - dx0, dy1 - dy0), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write the figures as JSON (a baseline)")
    parser.add_argument("--baseline", type=Path, help="print the figures beside this baseline")
    args = parser.parse_args()
    base = json.loads(args.baseline.read_text(encoding="utf-8")) if args.baseline else {}
    figures: dict[str, dict] = {}
    head = f"{'template':28} {'lang':4} {'size pt':>11} {'area in²':>9} {'ink':>6} {'tops':>5} {'hits':>4} {'detailed pt':>11} {'A4':>3} {'fit2':>4}"
    print(head + ("   | baseline" if base else ""))
    for template in list_templates():
        for lang in ("ja", "en"):
            key = f"{template.id}.{lang}"
            f = figures[key] = measure(template.id, template.design, lang)
            line = (f"{template.id:28} {lang:4} {f['width']:>5}×{f['height']:<5} {f['area']:>9} {f['ink']:>6} "
                    f"{f['tops']:>5} {f['hits']:>4} {f['detailed'][0]:>5}×{f['detailed'][1]:<5} {f['pages']:>3} {f['fit2']:>4}")
            b = base.get(key)
            if b:
                line += (f"   | {b['width']:>5}×{b['height']:<5} {b['area']:>9} {b['ink']:>6} {b['tops']:>5} "
                         f"{b['hits']:>4} {b['detailed'][0]:>5}×{b['detailed'][1]:<5} {b['pages']:>3} {b.get('fit2', fit_two_pages(*b['detailed'])):>4.2f}")
            print(line)
    if base:
        for name in ("area", "ink", "hits", "pages"):
            now = sum(f[name] for f in figures.values())
            was = sum(b[name] for k, b in base.items() if k in figures)
            print(f"total {name}: {was:g} → {now:g}")
    if args.save:
        args.save.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
