"""The presentation as files: a PowerPoint deck (pptx) and a 16:9 PDF, one page per slide.

Both hold Present's slides (`journeymap.render.slides`): the overview, then each phase and its
stages. The PDF pages are the slides as drawn on the screen. The deck is built for editing: the
titles, stage facts and exit criteria are text, the KPIs a real table, the presenter notes the
speaker notes, and only the diagrams are pictures; every text run names a Japanese font.

    journeymap export design.yaml --to pptx -o deck.pptx
    journeymap export design.yaml --to slides-pdf -o slides.pdf
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Sequence
from typing import Any

from journeymap.export import Format, register
from journeymap.model import Design, Stage
from journeymap.render import labels as L
from journeymap.render.labels import word as diagram_word  # the diagrams' words (diagram.* in the catalogue)
from journeymap.render.slides import Slide, slide_dot, slide_title, slides
from journeymap.text import format as fmt

DECK_FONT = "Meiryo"
"""The deck's font, Latin and East Asian: on every Windows PC and in Office for Mac, so a shared
deck keeps its look; other systems substitute their Japanese sans-serif."""
PAGE_W, PAGE_H = 960, 540
"""A PDF page in points: 13.333 × 7.5 in, PowerPoint's 16:9."""
PICTURE_DPI = 144
FIXED_TIME = datetime.datetime(2000, 1, 1)


# --------------------------------------------------------------------------- drawing slides


def _with_graph(dot: str, **attrs: Any) -> str:
    """DOT text with graph attributes added at the end (later assignments win)."""
    extra = "".join(f'  {k}="{v}";\n' for k, v in attrs.items())
    head, _, _tail = dot.rstrip().rpartition("}")
    return f"{head}{extra}}}\n"


def _drawn(dot: str, fmt_name: str) -> bytes:
    from journeymap.render import run_dot

    return run_dot(dot, fmt_name)


def _size_pt(dot: str) -> tuple[float, float]:
    svg = _drawn(dot, "svg").decode("utf-8")
    found = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', svg)
    if not found:
        raise ValueError("graphviz gave an SVG without a viewBox")
    return float(found.group(1)), float(found.group(2))


def _sixteen_nine(dot: str) -> str:
    """The slide padded to 16:9 (centred), so that each PDF page has a projector's shape."""
    width, height = _size_pt(dot)
    if width / height < 16 / 9:
        pad_x, pad_y = (height * 16 / 9 - width) / 2, 0.0
    else:
        pad_x, pad_y = 0.0, (width * 9 / 16 - height) / 2
    # graphviz pads in inches, on top of the drawing's own 0.15 in
    return _with_graph(dot, pad=f"{0.15 + pad_x / 72:.4f},{0.15 + pad_y / 72:.4f}")


def write_slides_pdf(design: Design, lang: str = "ja", theme: str = "projector") -> bytes:
    """Every slide on a 16:9 page (960 × 540 pt), in the order Present shows them."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for slide in slides(design):
        page_pdf = _drawn(_sixteen_nine(slide_dot(design, slide, theme=theme, lang=lang)), "pdf")
        page = writer.add_page(PdfReader(io.BytesIO(page_pdf)).pages[0])
        page.scale_to(PAGE_W, PAGE_H)
    writer.add_metadata({"/Title": L.t(design.name, lang), "/Creator": "journeymap"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --------------------------------------------------------------------------- the pptx deck


def write_pptx(design: Design, lang: str = "ja") -> bytes:
    """A PowerPoint deck: title, overview picture, a slide per phase and per stage, notes."""
    from pptx import Presentation
    from pptx.util import Emu

    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 in
    builder = _Deck(deck, design, lang)
    builder.title_slide()
    for slide in slides(design):
        if slide.kind == "overview":
            builder.picture_slide(slide)
        elif slide.kind == "phase":
            builder.picture_slide(slide, subtitle=_phase_description(design, slide, lang))
        else:
            builder.stage_slide(slide)
    props = deck.core_properties
    props.title = L.t(design.name, lang)
    props.author = props.last_modified_by = "journeymap"
    props.created = props.modified = FIXED_TIME  # the same design gives the same file
    props.revision = 1
    out = io.BytesIO()
    deck.save(out)
    return _stable_zip(out.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The package with fixed entry times, so that the same design gives the same bytes."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()


def _phase_description(design: Design, slide: Slide, lang: str) -> str:
    phase = next(p for p in design.phases if p.id == slide.id)
    return L.t(phase.description, lang) if phase.description else ""


class _Deck:
    """Adds slides to a python-pptx presentation with the deck's fonts and layout."""

    MARGIN = 457200  # 0.5 in
    TITLE_H = 1143000  # 1.25 in

    def __init__(self, deck, design: Design, lang: str) -> None:
        self.deck, self.design, self.lang = deck, design, lang
        self.blank = deck.slide_layouts[6]

    # -- text

    def text(self, frame, paragraphs: Sequence[tuple[str, float, bool]], color: str = "111827") -> None:
        """Paragraphs of (text, size in pt, bold) into a text frame, in the deck's font."""
        from pptx.dml.color import RGBColor
        from pptx.util import Pt

        frame.word_wrap = True
        for i, (body, size, bold) in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = body
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = RGBColor.from_string(color)
            set_font(run)

    def box(self, slide, left: int, top: int, width: int, height: int, paragraphs: Sequence[tuple[str, float, bool]],
            color: str = "111827"):
        shape = slide.shapes.add_textbox(left, top, width, height)
        self.text(shape.text_frame, paragraphs, color)
        return shape

    def heading(self, slide, kicker: str, title: str) -> None:
        width = self.deck.slide_width - 2 * self.MARGIN
        self.box(slide, self.MARGIN, self.MARGIN // 2, width, self.TITLE_H, [(kicker, 16, True), (title, 32, True)])

    def notes(self, slide, stage: Stage | None) -> None:
        if stage is not None and stage.notes:
            self.text(slide.notes_slide.notes_text_frame, [(line, 14, False) for line in L.t(stage.notes, self.lang).splitlines() or [""]])

    # -- slides

    def title_slide(self) -> None:
        design, lang = self.design, self.lang
        slide = self.deck.slides.add_slide(self.blank)
        width = self.deck.slide_width - 2 * self.MARGIN
        paragraphs = [(L.t(design.name, lang), 40, True)]
        if design.description:
            paragraphs.append((L.t(design.description, lang), 18, False))
        kgis = [f"{L.t(k.name, lang)}: {fmt.measure(k.target, k.unit, design.currency, lang)}{L.per_period(design, lang)}"
                for k in design.kgis]
        if kgis:
            paragraphs.append((diagram_word("kgi", lang), 20, True))
            paragraphs += [(f"・{k}", 20, False) for k in kgis]
        self.box(slide, self.MARGIN, self.deck.slide_height // 5, width, self.deck.slide_height // 2, paragraphs)

    def picture(self, slide, slide_def: Slide, left: int, top: int, width: int, height: int) -> None:
        """The slide's diagram (without its titles) as large as fits the box, centred."""
        from PIL import Image

        png = _drawn(_with_graph(slide_dot(self.design, slide_def, theme="projector", lang=self.lang, text=False),
                                 dpi=PICTURE_DPI), "png")
        with Image.open(io.BytesIO(png)) as image:
            px_w, px_h = image.size
        scale = min(width / px_w, height / px_h)
        shown_w, shown_h = int(px_w * scale), int(px_h * scale)
        slide.shapes.add_picture(io.BytesIO(png), left + (width - shown_w) // 2, top, shown_w, shown_h)

    def picture_slide(self, slide_def: Slide, subtitle: str = "") -> None:
        slide = self.deck.slides.add_slide(self.blank)
        kicker, title = slide_title(self.design, slide_def, self.lang)
        self.heading(slide, kicker, title)
        top = self.MARGIN // 2 + self.TITLE_H
        if subtitle:
            self.box(slide, self.MARGIN, top, self.deck.slide_width - 2 * self.MARGIN, 500000, [(subtitle, 16, False)], "374151")
            top += 550000
        self.picture(slide, slide_def, self.MARGIN, top, self.deck.slide_width - 2 * self.MARGIN,
                     self.deck.slide_height - top - self.MARGIN // 2)

    def stage_slide(self, slide_def: Slide) -> None:
        design, lang = self.design, self.lang
        stage = design.stage(slide_def.id or "")
        slide = self.deck.slides.add_slide(self.blank)
        kicker, title = slide_title(design, slide_def, lang)
        self.heading(slide, kicker, title)
        top = self.MARGIN // 2 + self.TITLE_H
        left_w = int((self.deck.slide_width - 2 * self.MARGIN) * 0.58)
        right = self.MARGIN + left_w + 228600
        right_w = self.deck.slide_width - right - self.MARGIN
        self.picture(slide, slide_def, right, top, right_w, self.deck.slide_height - top - self.MARGIN // 2)

        facts = [(f"{diagram_word('owner', lang)}: {_owner(design, stage, lang)}", 18, True)]
        figures = _figures(design, stage, lang)
        if figures:
            facts.append(("  ".join(figures), 16, False))
        self.box(slide, self.MARGIN, top, left_w, 700000, facts)
        y = top + 750000
        if stage.kpis:
            y = self.kpi_table(slide, stage, self.MARGIN, y, left_w) + 300000
        if stage.exit_criteria:
            lines = [(diagram_word("exit_criteria", lang), 16, True)] + [(f"✓ {L.t(c, lang)}", 16, False) for c in stage.exit_criteria]
            self.box(slide, self.MARGIN, y, left_w, self.deck.slide_height - y - self.MARGIN // 2, lines)
        self.notes(slide, stage)

    def kpi_table(self, slide, stage: Stage, left: int, top: int, width: int) -> int:
        """The stage's KPIs as a table (name, target, better when); returns the table's bottom."""
        from pptx.util import Pt

        design, lang = self.design, self.lang
        row_h = 370000
        header = [diagram_word("kpi", lang), diagram_word("target", lang), diagram_word("direction", lang)]
        table = slide.shapes.add_table(len(stage.kpis) + 1, 3, left, top, width, row_h * (len(stage.kpis) + 1)).table
        table.columns[0].width = int(width * 0.48)
        table.columns[1].width = int(width * 0.22)
        table.columns[2].width = width - table.columns[0].width - table.columns[1].width
        rows = [header] + [
            [L.t(k.name, lang), fmt.measure(k.target, k.unit, design.currency, lang) if k.target is not None else "—",
             diagram_word("down" if k.direction == "down" else "up", lang)]
            for k in stage.kpis
        ]
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.text = ""
                run = cell.text_frame.paragraphs[0].add_run()
                run.text = value
                run.font.size = Pt(14)
                run.font.bold = r == 0
                set_font(run)
        return top + row_h * len(rows)


def set_font(run) -> None:
    """The deck's font for Latin and East Asian text, and Japanese as the run's language."""
    run.font.name = DECK_FONT
    props = run._r.get_or_add_rPr()
    props.set("lang", "ja-JP")
    props.set("altLang", "en-US")
    for tag in ("a:ea", "a:cs"):
        element = props.find(_qn(tag))
        if element is None:
            element = props.makeelement(_qn(tag), {})
            props.append(element)
        element.set("typeface", DECK_FONT)


def _qn(tag: str) -> str:
    from pptx.oxml.ns import qn

    return qn(tag)


def _owner(design: Design, stage: Stage, lang: str) -> str:
    return L.t(design.owner(stage.owner).name, lang) if stage.owner else diagram_word("no_owner", lang)


def _figures(design: Design, stage: Stage, lang: str) -> list[str]:
    out = []
    if stage.funnel and stage.target_rate is not None:
        out.append(f"{diagram_word('rate', lang)} {fmt.planned_rate(stage.target_rate)}")
    if stage.unit_cost is not None:
        out.append(f"{diagram_word('unit_cost', lang)} {fmt.money(stage.unit_cost, design.currency)}")
    if stage.target_days is not None:
        out.append(f"{diagram_word('days', lang)} ≤{fmt.days(stage.target_days, lang)}")
    return out


register(Format("pptx", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", write_pptx,
                "PowerPoint deck: title, overview, a slide per phase and stage, KPI tables, speaker notes",
                binary=True, options=("lang",)))
register(Format("slides-pdf", "pdf", "application/pdf", write_slides_pdf,
                "The Present slides as a 16:9 PDF, one page per slide", binary=True, options=("lang",)))
