"""Drawing with graphviz's `dot`: SVG text, PNG and PDF files, the CLI, and a missing `dot`."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from lxml import etree

from journeymap import library
from journeymap.cli.main import main
from journeymap.designfile.reading import load_design
from journeymap.model import text_of
from journeymap.render import RenderError, render, run_dot, to_dot

from .conftest import DATA
from .render_fixtures import HOSTILE, hostile_design

pytestmark = pytest.mark.requires_dot

FULL = load_design(DATA / "render_full.yaml")
SVG = "{http://www.w3.org/2000/svg}"


def designs():
    return [pytest.param(FULL, id="render_full")] + [pytest.param(t.design, id=t.id) for t in library.list_templates()]


def node_texts(svg: bytes) -> dict[str, str]:
    """Node id → all its text joined (wrapped lines rejoined, whitespace dropped)."""
    root = etree.fromstring(svg)
    out = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "node":
            title = g.find(f"{SVG}title").text
            out[title] = _squash("".join(t.text or "" for t in g.iter(f"{SVG}text")))
    return out


def _squash(text: str) -> str:
    return re.sub(r"[\s\u3000\u2007\u2009\u00a0]+", "", text)


@pytest.mark.parametrize("design", designs())
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_stage_name_appears_in_the_svg_text(design, lang):
    svg = render(design, "svg", view="process", lang=lang, theme="projector")
    texts = node_texts(svg)
    for n, stage in enumerate(design.stages, start=1):
        assert _squash(text_of(stage.name, lang)) in texts[f"st{n}"], stage.id
    svg = render(design, "svg", view="funnel", lang=lang)
    funnel_text = node_texts(svg)["funnel"]
    for stage in design.funnel_stages:
        assert _squash(text_of(stage.name, lang)) in funnel_text, stage.id
    if design.journey and design.journey.phases:
        journey_text = node_texts(render(design, "svg", view="journey", lang=lang))["journey"]
        for phase in design.journey.phases:
            assert _squash(text_of(phase.name, lang)) in journey_text
            for stage_id in phase.stages:
                assert _squash(text_of(design.stage(stage_id).name, lang)) in journey_text


def test_svg_text_uses_the_japanese_font_everywhere_with_a_fallback_chain():
    svg = render(FULL, "svg", view="process")
    families = set(re.findall(rb'font-family="([^"]*)"', svg))
    assert len(families) == 1
    chain = [f.strip().strip("'") for f in families.pop().decode().split(",")]
    # Noto first (what the layout is measured with), then macOS and Windows Japanese fonts, then sans-serif
    assert chain[0] == "Noto Sans CJK JP" and chain[-1] == "sans-serif"
    assert {"Hiragino Sans", "Yu Gothic", "Meiryo"} <= set(chain)


@pytest.mark.parametrize("view", ["process", "journey", "funnel"])
def test_png_is_produced_at_projector_resolution(view):
    png = render(FULL, "png", view=view, theme="projector")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width > 1500 and height > 700 and len(png) > 50_000


@pytest.mark.parametrize("view, lang", [("process", "ja"), ("journey", "ja"), ("funnel", "en")])
def test_pdf_is_produced_with_only_the_japanese_font_embedded(view, lang):
    """Every glyph comes from Noto Sans CJK JP: a missing glyph would pull in a fallback font (or tofu)."""
    pdf = render(FULL, "pdf", view=view, lang=lang, detail="detailed")
    assert pdf[:5] == b"%PDF-" and len(pdf) > 20_000
    fonts = set(re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([A-Za-z0-9-]+)", pdf))
    assert fonts and fonts <= {b"NotoSansCJKjp-Regular", b"NotoSansCJKjp-Bold"}, fonts


@pytest.mark.parametrize("view", ["process", "journey", "funnel"])
def test_injection_attempts_make_no_extra_nodes_in_the_layout(view):
    dot = to_dot(hostile_design(), view=view, detail="detailed")
    layout = json.loads(run_dot_json(dot))
    nodes = sorted(o["name"] for o in layout.get("objects", []) if "nodes" not in o and "subgraphs" not in o)
    expected = {"process": ["band1", "drops"], "journey": ["journey"], "funnel": ["funnel"]}[view]
    assert nodes == expected
    assert len(layout.get("edges", [])) == {"process": 1, "journey": 0, "funnel": 0}[view]
    texts = "".join(node_texts(run_dot(dot, "svg")).values())
    assert _squash('x"]; injected [label="y') in texts
    assert _squash("back\\slash \\N \\G \\L end") in texts or view == "funnel"


def run_dot_json(dot: str) -> bytes:
    import graphviz

    return graphviz.pipe("dot", "json", dot.encode("utf-8"))


# --------------------------------------------------------------------------- graphviz missing


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    """A PATH on which there is no `dot`."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert shutil.which("dot") is None


def test_missing_dot_says_how_to_install_graphviz(no_dot):
    with pytest.raises(RenderError) as caught:
        render(FULL, "svg")
    message = str(caught.value)
    assert "graphviz is not installed" in message
    assert "apt-get install graphviz" in message and "brew install graphviz" in message
    assert render(FULL, "dot").startswith(b"digraph process {")  # DOT needs no graphviz


def test_cli_without_dot_exits_1_with_the_hint(no_dot, capsys, tmp_path):
    out = tmp_path / "x.png"
    assert main(["render", str(DATA / "render_full.yaml"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "apt-get install graphviz" in err and "Traceback" not in err
    assert not out.exists()


# --------------------------------------------------------------------------- the command line


@pytest.mark.parametrize("ext, magic", [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF-"), ("dot", b"digraph")])
def test_cli_render_writes_each_format(tmp_path, capsys, ext, magic):
    out = tmp_path / f"map.{ext}"
    code = main(["render", str(DATA / "render_full.yaml"), "-o", str(out), "--view", "journey",
                 "--theme", "projector-dark", "--lang", "en"])
    assert code == 0, capsys.readouterr().err
    assert out.read_bytes().startswith(magic)


def test_cli_render_takes_a_template_id_and_an_overlay(tmp_path, monkeypatch, capsys):
    lib = tmp_path / "lib"
    lib.mkdir()
    shutil.copy(DATA / "render_full.yaml", lib / "render-full.yaml")
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(lib))
    out = tmp_path / "funnel.svg"
    code = main(["render", "render-full", "-o", str(out), "--view", "funnel",
                 "--overlay", str(DATA / "render_compare.json"), "--highlight", "closing"])
    assert code == 0, capsys.readouterr().err
    assert "1,120件".encode() in out.read_bytes()


def test_cli_render_refuses_what_it_cannot_do(tmp_path, capsys):
    src = str(DATA / "render_full.yaml")
    assert main(["render", src, "-o", str(tmp_path / "x.gif")]) == 2
    assert "use .svg, .png, .pdf or .dot" in capsys.readouterr().err
    assert main(["render", src, "-o", str(tmp_path / "x.svg"), "--highlight", "nope"]) == 2
    assert main(["render", src, "-o", str(tmp_path / "x.svg"), "--theme", "neon"]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text('{"stages": [', encoding="utf-8")
    assert main(["render", src, "-o", str(tmp_path / "x.svg"), "--overlay", str(bad)]) == 1
    assert re.search(rf"{re.escape(str(bad))}:1: invalid JSON", capsys.readouterr().err)
    assert not (tmp_path / "x.svg").exists()


def test_cli_export_to_dot(tmp_path, capsys):
    out = tmp_path / "p.dot"
    assert main(["export", str(DATA / "render_full.yaml"), "--to", "dot", "-o", str(out), "--lang", "en"]) == 0
    assert out.read_text(encoding="utf-8") == to_dot(FULL, lang="en")
    assert "Calls" in out.read_text(encoding="utf-8")


def test_hostile_text_survives_as_text(tmp_path):
    svg = render(hostile_design(), "svg", view="journey")
    assert _squash(HOSTILE[1]) in "".join(node_texts(svg).values())


@pytest.mark.parametrize("design", designs())
def test_flow_within_a_phase_runs_down_with_the_arrow_on_the_later_stage(design):
    """Each phase is a column read top to bottom: earlier stage above, arrowhead at the later one."""
    layout = json.loads(run_dot_json(to_dot(design, view="process")))
    names = {o["_gvid"]: o["name"] for o in layout["objects"]}
    pos = {o["name"]: tuple(float(x) for x in o["pos"].split(",")) for o in layout["objects"] if "pos" in o}
    half = {o["name"]: float(o["height"]) * 36 for o in layout["objects"] if "height" in o}  # inches → pt / 2
    number = {f"st{n}": n for n in range(1, len(design.stages) + 1)}
    checked = 0
    for edge in layout["edges"]:
        if edge.get("dir") != "back" or edge.get("style") in ("dashed", "invis"):
            continue
        later, earlier = names[edge["tail"]], names[edge["head"]]  # written reversed: later -> earlier
        assert number[later] == number[earlier] + 1
        assert pos[later][1] < pos[earlier][1], "later stage must sit lower (graphviz y grows upwards)"
        arrow = next(op for op in edge["_tdraw_"] if op["op"] in ("P", "p"))
        arrow_y = sum(p[1] for p in arrow["points"]) / len(arrow["points"])
        gap_middle = ((pos[earlier][1] - half[earlier]) + (pos[later][1] + half[later])) / 2
        assert arrow_y < gap_middle, "the arrowhead must touch the later (lower) stage"
        checked += 1
    assert checked == sum(len(p.stages) - 1 for p in design.phases)


def test_cli_render_with_actuals_draws_the_same_overlay_as_compare_json(tmp_path, capsys):
    design, actuals = str(DATA / "actuals_design.yaml"), str(DATA / "actuals_japanese.csv")
    compare_json = tmp_path / "compare.json"
    assert main(["compare", design, actuals, "--format", "json", "-o", str(compare_json)]) == 0
    from_actuals, from_overlay = tmp_path / "a.dot", tmp_path / "b.dot"
    assert main(["render", design, "-o", str(from_actuals), "--view", "funnel", "--actuals", actuals]) == 0
    assert main(["render", design, "-o", str(from_overlay), "--view", "funnel", "--overlay", str(compare_json)]) == 0
    assert from_actuals.read_text(encoding="utf-8") == from_overlay.read_text(encoding="utf-8")
    assert "実績" in from_actuals.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["render", design, "-o", str(tmp_path / "c.dot"), "--actuals", str(tmp_path / "missing.csv")]) == 1
    assert capsys.readouterr().err == f"{tmp_path / 'missing.csv'}: no such file\n"
