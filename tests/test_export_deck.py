"""The presentation exports: a PowerPoint deck (checked with python-pptx itself) and a 16:9 PDF.

The deck: a title slide, then Present's slides in order (overview, each phase, its stages); the
diagrams are pictures, the KPIs real tables, presenter notes the speaker notes, and every run of
text names a Japanese font. LibreOffice draws the deck to images for people to look at.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader

from journeymap.designfile.reading import load_design
from journeymap.editing.operations import set_stage_text
from journeymap.export import export
from journeymap.export.deck import DECK_FONT
from journeymap.model import text_of
from journeymap.render.slides import slides

ROOT = Path(__file__).parent.parent
ARTIFACTS = Path(__file__).parent / "artifacts"
DESIGN = ROOT / "process_library" / "b2b-standard.yaml"

pytestmark = pytest.mark.requires_dot

CJK_FONTS = {"Meiryo", "Yu Gothic", "Noto Sans CJK JP", "MS Gothic", "Hiragino Sans"}


@pytest.fixture(scope="module")
def design():
    d = load_design(DESIGN)
    return set_stage_text(d, "hearing", "notes", "予算・決裁者・時期を必ず確認する\n次回アポを取ってから退出", "ja")


@pytest.fixture(scope="module")
def deck(design):
    return Presentation(io.BytesIO(export(design, "pptx", lang="ja")))


def texts(slide) -> str:
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(out)


def test_the_deck_is_16_9_with_a_title_and_a_slide_per_present_slide(design, deck):
    assert (deck.slide_width, deck.slide_height) == (Emu(12192000), Emu(6858000))
    deck_slides = list(deck.slides)
    assert len(deck_slides) == 1 + len(slides(design))  # title + overview + phases + stages
    assert "法人営業 標準プロセス" in texts(deck_slides[0]) and "受注件数" in texts(deck_slides[0])
    overview = deck_slides[1]
    assert "全体像" in texts(overview)
    assert [s.shape_type for s in overview.shapes].count(13) == 1  # one picture: the whole process
    for deck_slide, slide in zip(deck_slides[1:], slides(design)):
        name = text_of(design.stage(slide.id).name if slide.kind == "stage" else
                       next(p for p in design.phases if p.id == slide.id).name if slide.kind == "phase" else design.name, "ja")
        assert name in texts(deck_slide), (slide, texts(deck_slide))
        assert any(s.shape_type == 13 for s in deck_slide.shapes), slide  # the diagram


def test_kpis_are_real_tables_and_exit_criteria_text(design, deck):
    order = slides(design)
    index = next(i for i, s in enumerate(order) if s.kind == "stage" and s.id == "lead") + 1
    slide = list(deck.slides)[index]
    tables = [s.table for s in slide.shapes if s.has_table]
    assert len(tables) == 1
    stage = design.stage("lead")
    rows = [[c.text for c in row.cells] for row in tables[0].rows]
    assert rows[0] == ["KPI", "目標", "評価の向き"]
    assert [r[0] for r in rows[1:]] == [text_of(k.name, "ja") for k in stage.kpis]
    assert "250件" in [r[1] for r in rows[1:]] and "低いほど良い" in [r[2] for r in rows[1:]]
    for criterion in stage.exit_criteria:
        assert text_of(criterion, "ja") in texts(slide)


def test_presenter_notes_are_speaker_notes(design, deck):
    order = slides(design)
    index = next(i for i, s in enumerate(order) if s.kind == "stage" and s.id == "hearing") + 1
    slide = list(deck.slides)[index]
    assert slide.has_notes_slide
    assert slide.notes_slide.notes_text_frame.text == "予算・決裁者・時期を必ず確認する\n次回アポを取ってから退出"
    others = [s for i, s in enumerate(deck.slides) if i != index]
    assert not any(s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip() for s in others)


def test_every_run_of_japanese_text_names_a_cjk_font(deck):
    runs = [run for slide in deck.slides for shape in slide.shapes for frame in _frames(shape)
            for paragraph in frame.paragraphs for run in paragraph.runs if run.text.strip()]
    japanese = [r for r in runs if any("\u3040" <= ch <= "\u9fff" for ch in r.text)]
    assert len(japanese) > 50
    for run in runs:
        props = run._r.rPr
        east_asian = props.find("{http://schemas.openxmlformats.org/drawingml/2006/main}ea")
        assert run.font.name == DECK_FONT and east_asian is not None and east_asian.get("typeface") in CJK_FONTS, run.text
        assert props.get("lang") == "ja-JP"


def _frames(shape):
    if shape.has_text_frame:
        yield shape.text_frame
    if shape.has_table:
        for row in shape.table.rows:
            for cell in row.cells:
                yield cell.text_frame


def test_the_english_deck_is_in_english(design):
    deck = Presentation(io.BytesIO(export(design, "pptx", lang="en")))
    assert "Overview" in texts(list(deck.slides)[1])
    assert "Better when" in "\n".join(texts(s) for s in deck.slides)


def test_slides_pdf_has_a_16_9_page_per_slide_with_the_text(design):
    pdf = PdfReader(io.BytesIO(export(design, "slides-pdf", lang="ja")))
    order = slides(design)
    assert len(pdf.pages) == len(order)
    for page in pdf.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (960.0, 540.0)
    first_stage = next(i for i, s in enumerate(order) if s.kind == "stage")
    text = pdf.pages[first_stage].extract_text()
    assert "業界状況・コアコンピタンスの分析" in text and "移行基準" in text


def test_the_cli_writes_both(tmp_path):
    for to, name in (("pptx", "deck.pptx"), ("slides-pdf", "slides.pdf")):
        out = tmp_path / name
        done = subprocess.run([sys.executable, "-m", "journeymap", "export", str(DESIGN), "--to", to, "-o", str(out)],
                              capture_output=True, text=True, cwd=ROOT, check=False)
        assert done.returncode == 0, done.stderr
        assert out.stat().st_size > 10_000


@pytest.mark.requires_office
def test_libreoffice_draws_the_deck(design, tmp_path):
    """The deck opens in an office suite and draws: pages to look at in tests/artifacts/."""
    deck_file = tmp_path / "deck.pptx"
    deck_file.write_bytes(export(design, "pptx", lang="ja"))
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office, "LibreOffice Impress is needed (./dev.sh installs libreoffice-impress)"
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck_file)],
                   check=True, capture_output=True, timeout=240, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    drawn = PdfReader(tmp_path / "deck.pdf")
    assert len(drawn.pages) == 1 + len(slides(design))
    assert "業界状況・コアコンピタンスの分析" in "".join(p.extract_text() for p in drawn.pages)
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "8", str(tmp_path / "deck.pdf"), str(ARTIFACTS / "deck")],
                   check=True, timeout=120)
    assert list(ARTIFACTS.glob("deck-*.png"))


def test_the_same_design_gives_the_same_files(design):
    assert export(design, "pptx") == export(design, "pptx")
    assert export(design, "slides-pdf") == export(design, "slides-pdf")
