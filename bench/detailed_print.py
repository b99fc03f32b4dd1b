"""The detailed process view on paper: every template on two A4 landscape pages, measured from PDFs.

    python bench/detailed_print.py                  # the figures
    python bench/detailed_print.py --pdf OUT_DIR    # also write each template's two-page A4 PDF

For each template and language it renders the detailed view as a PDF with graphviz (as
`journeymap render --detail detailed -o x.pdf` does), reads the drawing's size from the PDF, cuts
it between the sheet's bands into at most two parts (never through a row of text) and scales the
parts to fit A4 landscape pages (277 × 190 mm printable, 10 mm margins). It prints the print scale,
the smallest font of the drawing as it comes out on paper, and the same for the flow-card layout
this grid replaced (measured on main before it, at the scale it fit two pages cut anywhere).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import RectangleObject

from journeymap.library import list_templates
from journeymap.render import run_dot, to_dot
from journeymap.render.grid import PAGE_H, PAGE_W

A4_W, A4_H = 297 / 25.4 * 72, 210 / 25.4 * 72
MARGIN = 10 / 25.4 * 72
BEFORE = {  # the flow cards this grid replaced: bench/layout_bench.py's fit2 on main before it, the scale at
    # which the drawing fit two A4 landscape pages cut anywhere (even through a card)
    "b2b-standard": (0.54, 0.44), "b2c-standard": (0.55, 0.47), "enterprise-buying-process": (0.50, 0.47),
    "enterprise-relationship": (0.53, 0.46), "midsize-phase-stage": (0.46, 0.45), "outsourced-prospecting": (0.59, 0.47),
    "smb-funnel": (0.60, 0.58),
}
BEFORE_SMALLEST = 10  # the cards' smallest font (owner band, legend), in points


def parts(dot_text: str, pdf_width: float, pdf_height: float) -> tuple[float, float, list[tuple[float, float]]]:
    """The drawing's left and right in PDF points (graphviz's blank pad left out: the paper has
    margins) and the (bottom, top) of each stacked block: the header with the first band, each
    further band, the drop-reason panel."""
    graph = json.loads(run_dot(dot_text, "json"))
    x0, y0, x1, y1 = (float(v) for v in graph["bb"].split(","))
    pad_x, pad_y = (pdf_width - (x1 - x0)) / 2, (pdf_height - (y1 - y0)) / 2
    nodes = sorted(((float(o["pos"].split(",")[1]), float(o["height"]) * 72) for o in graph["objects"]
                    if re.fullmatch(r"band\d+|drops", o.get("name", ""))), reverse=True)
    edges = [pad_y + y1 - y0]  # cut points from the top: between one block and the next
    for (y_upper, h_upper), (y_lower, h_lower) in zip(nodes, nodes[1:]):
        edges.append(pad_y + ((y_upper - h_upper / 2) + (y_lower + h_lower / 2)) / 2)
    edges.append(pad_y)
    return pad_x, pad_x + x1 - x0, [(edges[i + 1], edges[i]) for i in range(len(edges) - 1)]


def best_cut(width: float, blocks: list[tuple[float, float]]) -> tuple[float, list[tuple[float, float]]]:
    """The print scale and the page parts (bottom, top) for one or two pages cut between blocks."""
    top, bottom = blocks[0][1], blocks[-1][0]
    options = [(min(1.0, PAGE_W / width, PAGE_H / (top - bottom)), [(bottom, top)])]
    for cut in range(1, len(blocks)):
        y = blocks[cut][1]
        scale = min(1.0, PAGE_W / width, PAGE_H / (top - y), PAGE_H / (y - bottom))
        options.append((scale, [(y, top), (bottom, y)]))
    return max(options, key=lambda o: o[0])


def two_pages(pdf: bytes, left: float, right: float, page_parts: list[tuple[float, float]], scale: float) -> bytes:
    """An A4 landscape page for each part of the drawing, at `scale`, top left in the margins."""
    writer = PdfWriter()
    for bottom, top in page_parts:
        source = PdfReader(io.BytesIO(pdf)).pages[0]
        part = RectangleObject([left, bottom, right, top])
        source.mediabox = source.cropbox = source.trimbox = part  # what a merge clips the page to
        page = PageObject.create_blank_page(width=A4_W, height=A4_H)
        page.merge_transformed_page(source, Transformation().translate(-left, -bottom).scale(scale, scale)
                                    .translate(MARGIN, A4_H - MARGIN - (top - bottom) * scale))
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", type=Path, help="write <template>.<lang>.a4.pdf here")
    args = parser.parse_args()
    print(f"{'template':28} {'lang':4} {'drawing pt':>11} {'pages':>5} {'scale':>5} {'smallest on paper':>17}"
          f"   | before: {'scale':>5} {'smallest':>8}")
    scales = []
    for template in list_templates():
        for lang in ("ja", "en"):
            text = to_dot(template.design, view="process", lang=lang, detail="detailed")
            pdf = run_dot(text, "pdf")
            box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
            left, right, blocks = parts(text, float(box.width), float(box.height))
            width, height = right - left, blocks[0][1] - blocks[-1][0]
            scale, page_parts = best_cut(width, blocks)
            smallest = min(float(v) for v in re.findall(r'POINT-SIZE="([\d.]+)"', text))
            scales.append((scale, smallest * scale))
            before = BEFORE.get(template.id, (None, None))[lang == "en"]
            line = (f"{template.id:28} {lang:4} {width:>5.0f}×{height:<5.0f} {len(page_parts):>5} {scale:>5.2f} "
                    f"{f'{smallest:g} pt → {smallest * scale:.1f} pt':>17}")
            if before:
                line += f"   |         {before:>5.2f} {f'{BEFORE_SMALLEST * before:.1f} pt':>8}"
            print(line)
            if args.pdf:
                args.pdf.mkdir(parents=True, exist_ok=True)
                (args.pdf / f"{template.id}.{lang}.a4.pdf").write_bytes(two_pages(pdf, left, right, page_parts, scale))
    print(f"smallest print scale {min(s for s, _ in scales):.2f}, smallest font on paper {min(f for _, f in scales):.1f} pt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
