"""The diagrams as DOT text: what each view shows, themes, languages, escaping. No `dot` needed."""

from __future__ import annotations

import json
import re

import pytest

from journeymap import library
from journeymap.designfile.reading import load_design
from journeymap.errors import InputError
from journeymap.export import export
from journeymap.model import design_to_data, parse_design, text_of
from journeymap.render import DETAILS, THEMES, VIEWS, to_dot
from journeymap.render import labels as L
from journeymap.render.dotlang import esc, quote
from journeymap.render.grid import WRAPS
from journeymap.render.themes import THEMES as THEME_DATA
from journeymap.render.themes import contrast
from journeymap.render.volumes import planned_volumes, reverse_funnel
from journeymap.text import format as fmt

from .conftest import DATA
from .render_fixtures import HOSTILE, big_design, hostile_design

FULL = load_design(DATA / "render_full.yaml")
COMPARE = json.loads((DATA / "render_compare.json").read_text(encoding="utf-8"))


def node_statements(dot: str) -> list[str]:
    """Ids of node statements (`id [`) outside labels: what graphviz would create as nodes."""
    ids = re.findall(r"^\s*([A-Za-z_][A-Za-z0-9_]*) \[", _strip_labels(dot), flags=re.M)
    return [i for i in ids if i not in ("graph", "node", "edge")]


def edge_statements(dot: str) -> list[str]:
    return re.findall(r"^\s*[A-Za-z_]\w* -> [A-Za-z_]\w*", _strip_labels(dot), flags=re.M)


def _strip_labels(dot: str) -> str:
    """DOT with HTML labels `<...>` and quoted strings removed (nesting-aware)."""
    out, i, n = [], 0, len(dot)
    while i < n:
        c = dot[i]
        if c == '"':
            i += 1
            while i < n and dot[i] != '"':
                i += 2 if dot[i] == "\\" else 1
            i += 1
            out.append('""')
        elif c == "<":
            depth = 0
            while i < n:
                depth += dot[i] == "<"
                depth -= dot[i] == ">"
                i += 1
                if depth == 0:
                    break
            out.append("<>")
        else:
            out.append(c)
            i += 1
    return "".join(out)


# --------------------------------------------------------------------------- determinism, API


def test_to_dot_is_deterministic_and_independent_of_object_identity():
    again = parse_design(design_to_data(FULL))
    for view in VIEWS:
        assert to_dot(FULL, view=view) == to_dot(again, view=view)


def test_names_of_the_api():
    assert VIEWS == ("process", "journey", "funnel")
    assert set(THEMES) == {"default", "projector", "projector-dark", "print"}
    assert DETAILS == ("compact", "detailed")


@pytest.mark.parametrize("option, value", [("view", "gantt"), ("theme", "neon"), ("lang", "fr"), ("detail", "all")])
def test_unknown_options_say_what_is_known(option, value):
    with pytest.raises(ValueError, match=f"unknown {option} '{value}'"):
        to_dot(FULL, **{option: value})


def test_font_is_set_for_graph_nodes_edges_and_every_html_font():
    dot = to_dot(FULL, view="process")
    for kind in ("graph", "node", "edge"):
        assert re.search(rf'^  {kind} \[[^\n]*fontname="Noto Sans CJK JP"', dot, flags=re.M), kind
    faces = re.findall(r'<FONT FACE="([^"]*)"', dot)
    assert faces and set(faces) == {"Noto Sans CJK JP"}
    assert dot.count("<FONT ") == dot.count('<FONT FACE="Noto Sans CJK JP"') + dot.count("<FONT COLOR=")


def test_node_ids_are_ours_never_the_users():
    dot = to_dot(FULL, view="process")
    ids = node_statements(dot)
    # the stages, and one invisible point above each phase (its top, for aligning the phases)
    assert [i for i in ids if i.startswith("st")] == [f"st{n}" for n in range(1, 11)]
    assert [i for i in ids if not i.startswith("st")] == [f"top{n}" for n in range(1, len(FULL.phases) + 1)]
    assert not any(s.id in ids for s in FULL.stages)


# --------------------------------------------------------------------------- projector theme


def font_sizes(dot: str) -> list[float]:
    sizes = re.findall(r'(?:fontsize=|POINT-SIZE=")"?([0-9.]+)', dot)
    return [float(s) for s in sizes]


@pytest.mark.parametrize("theme", ["projector", "projector-dark"])
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_projector_has_no_text_under_20pt(theme, view, lang):
    for design in [FULL, big_design(30), hostile_design()] + [t.design for t in library.list_templates()]:
        for detail in DETAILS:
            dot = to_dot(design, view=view, theme=theme, lang=lang, detail=detail, overlay=COMPARE, highlight="s3")
            sizes = font_sizes(dot)
            assert len(sizes) > 5
            assert min(sizes) >= 20, f"{design.id}/{view}/{detail}: {sorted(set(sizes))}"
            # graph, node and edge defaults all declare a size: nothing falls back to graphviz's 14 pt
            for kind in ("graph", "node", "edge"):
                assert re.search(rf"^  {kind} \[[^\n]*fontsize=", dot, flags=re.M)


def test_the_size_check_does_see_small_text():
    assert min(font_sizes(to_dot(FULL, theme="default"))) < 20


@pytest.mark.parametrize("theme", ["projector", "projector-dark"])
def test_projector_strokes_are_thick(theme):
    dot = to_dot(FULL, view="process", theme=theme)
    assert min(float(p) for p in re.findall(r"penwidth=([0-9.]+)", dot)) >= 2.5
    assert min(int(b) for b in re.findall(r'<TABLE BORDER="(\d+)" COLOR', dot)) >= 3


@pytest.mark.parametrize("name", list(THEME_DATA))
def test_every_theme_keeps_text_readable(name):
    th = THEME_DATA[name]
    assert contrast(th.text, th.bg) >= 7
    assert contrast(th.muted, th.bg) >= 4.5
    for sw in th.owners + (th.no_owner,):
        assert contrast(sw.on_strong, sw.strong) >= 4.5, sw
        assert contrast(th.text, th.card_body or sw.tint) >= 7, sw
        if th.header_on_tint:
            assert contrast(sw.strong, sw.tint) >= 4.5, sw
    for color in list(th.status.values()) + [th.drop]:
        assert contrast(color, th.bg) >= 4.5, color
    assert contrast(th.drop, th.drop_fill) >= 4.5


def test_dark_variant_is_dark():
    dot = to_dot(FULL, theme="projector-dark")
    assert 'bgcolor="#0b1220"' in dot
    assert 'fontcolor="#f8fafc"' in dot


# --------------------------------------------------------------------------- process view


def test_process_view_draws_phases_as_clusters_with_stages_in_order():
    dot = to_dot(FULL, view="process", lang="ja")
    clusters = re.findall(r"subgraph (cluster_ph\d+) \{", dot)
    assert clusters == ["cluster_ph1", "cluster_ph2", "cluster_ph3", "cluster_ph4"]
    for phase in FULL.phases:
        assert esc(phase.name.ja) in dot
    positions = [dot.index(f"  st{n} [") for n in range(1, 11)]
    assert positions == sorted(positions)
    # the flow: within a phase (written reversed, dir=back, so it runs downwards), across phases forward
    assert '    st2 -> st1 [dir="back"' in dot
    assert '    st5 -> st4 [dir="back"' in dot
    assert re.search(r"^  st3 -> st4 \[", dot, flags=re.M)


def test_planned_rates_label_the_edges_into_funnel_stages():
    dot = to_dot(FULL, view="process")
    edge_into_appointment = re.search(r'st5 -> st4 \[dir="back"[^\n]*', dot).group(0)
    assert ">4%<" in edge_into_appointment
    edge_into_hearing = re.search(r"st5 -> st6 \[[^\n]*", dot).group(0)
    assert ">50%<" in edge_into_hearing
    edge_into_closing = re.search(r'st8 -> st7 \[dir="back"[^\n]*', dot).group(0)
    assert ">25%<" in edge_into_closing
    no_rate = re.search(r'st7 -> st6 \[dir="back"[^\n]*', dot).group(0)  # proposal is not a funnel stage
    assert "label" not in no_rate


def test_extra_transitions_are_dashed_and_do_not_pull_the_layout():
    dot = to_dot(FULL, view="process")
    loop = re.search(r"^  st8 -> st6 \[[^\n]*", dot, flags=re.M).group(0)
    assert 'style="dashed"' in loop and "constraint=false" in loop and "再提案" in loop


def test_cards_show_owner_kpis_plan_and_kgi():
    dot = to_dot(FULL, view="process", lang="ja")
    card = plain(_node(dot, "st5"))
    assert "5  テレアポ代行" in card
    assert "・アポイント数 40件" in card
    assert "・アポ単価 ≤ ¥10,000" in card
    assert "計画 40件/月" in card and "単価 ¥10,000" in card and "滞在日数 ≤14日" in card
    closing = plain(_node(dot, "st8"))
    assert "★ KGI 受注件数 5件/月" in closing
    assert "↘ 営業中途: 予算見直し、競合の値引き" in closing


def test_compact_and_detailed():
    compact = plain(to_dot(FULL, view="process", detail="compact"))
    detailed = plain(to_dot(FULL, view="process", detail="detailed"))
    for text in ("移行基準", "✓ 決裁者と話せた", "記録すべき情報", "・通話結果", "対応: 次年度予算の時期を確認して",
                 "復帰 → 6 ヒアリング"):
        assert text not in compact
        assert text in detailed


def test_the_detailed_view_shows_each_drop_reason_once_keyed_by_number():
    dot = to_dot(FULL, view="process", detail="detailed")
    panel = plain(_node(dot, "drops"))
    reasons = [r for r in FULL.drop_reasons if r.stages]
    assert "drops [label=<営業中途の理由と対応① " in panel
    for n, reason in enumerate(reasons):
        number = chr(0x2460 + n)
        assert panel.count(f"{number} {text_of(reason.name, 'ja')}") == 1
        at = [s for s in FULL.stages if s.id in reason.stages]
        for stage in FULL.stages:  # the number in the column of its stages, and only there
            assert (number in plain(_cell(dot, f"st{FULL.stages.index(stage) + 1}_exits"))) == (stage in at)
        assert plain(dot).count(text_of(reason.name, "ja")) == 1  # the name once: in the panel
    compact = to_dot(FULL, view="process")
    assert "drops" not in node_statements(compact)


def test_the_detailed_view_is_a_grid_of_stage_columns_in_bands():
    """Stages are columns in flow order, read across by row (KPIs, plan, exit criteria, records,
    exits); the phases are cut into bands, each stage in exactly one of them."""
    dot = to_dot(FULL, view="process", detail="detailed")
    bands = [n for n in node_statements(dot) if n.startswith("band")]
    assert bands and node_statements(dot) == [*bands, "drops"]
    columns = [re.findall(r'PORT="st(\d+)"', _node(dot, band)) for band in bands]
    assert [int(n) for band in columns for n in band] == list(range(1, len(FULL.stages) + 1))
    for n, stage in enumerate(FULL.stages, start=1):
        kpis = plain(_cell(dot, f"st{n}_kpis"))
        assert all(text_of(k.name, "ja") in kpis for k in stage.kpis)
        exits = plain(_cell(dot, f"st{n}_exit_criteria"))
        assert all(text_of(c, "ja") in exits for c in stage.exit_criteria)
    for tr in FULL.transitions:  # extra transitions, in the column they leave from
        source = FULL.stages.index(FULL.stage(tr.from_)) + 1
        target = FULL.stage(tr.to)
        assert f"{FULL.stages.index(target) + 1} {text_of(target.name, 'ja')}" in plain(_cell(dot, f"st{source}_exits"))


SMALLEST_ON_PAPER = 7.0
"""Points: no text of a template's detailed sheet prints smaller, in either language. It was the
Japanese sheets' smallest (midsize-phase-stage) while the English ones printed at 6.7–7.0 pt, before
each column took its own width and the drop reasons their own wrap."""


def test_the_detailed_view_prints_on_two_a4_pages_at_a_readable_size():
    """Every template, both languages: the sheet estimated for print (bench/detailed_print.py
    measures the PDFs) keeps its body text at 11 pt and is cut into bands that print it at no less
    than `SMALLEST_ON_PAPER` on two A4 landscape pages: an English sheet (longer words) by wrapping
    its columns, not by smaller text."""
    from journeymap.library import list_templates
    from journeymap.render.grid import print_scale
    from tests.layout_geometry import layout

    printed = {}
    for template in list_templates():
        for lang in ("ja", "en"):
            dot = to_dot(template.design, view="process", lang=lang, detail="detailed")
            sizes = {float(v) for v in re.findall(r'POINT-SIZE="([\d.]+)"', dot)}
            assert min(sizes) == 11, (template.id, lang)
            graph = layout(dot)
            x0, y0, x1, y1 = (float(v) for v in graph["bb"].split(","))
            blocks = sorted((float(o["pos"].split(",")[1]), float(o["height"]) * 72) for o in graph["objects"]
                            if re.fullmatch(r"band\d+|drops", o.get("name", "")))
            heights = [h + 18 for _, h in reversed(blocks)]
            heights[0] += (y1 - y0) - sum(heights)  # the header above the first band
            printed[template.id, lang] = round(min(sizes) * print_scale(x1 - x0, heights), 2)
    assert len(printed) >= 14 and {lang for _, lang in printed} == {"ja", "en"}
    small = {key: pt for key, pt in printed.items() if pt < SMALLEST_ON_PAPER}
    assert not small, f"printed smaller than {SMALLEST_ON_PAPER} pt: {small}"


def test_a_column_with_less_to_say_is_narrower():
    """A stage column takes the width its text needs at its band's height, not the widest column's:
    in every band of the English b2b sheet the columns differ in width, and the one with the most
    to record (Industry and core competence analysis) is wider than one with little (Appointment setting)."""
    from journeymap.library import load_template

    dot = to_dot(load_template("b2b-standard"), view="process", lang="en", detail="detailed")
    widths = {}
    for band in [n for n in node_statements(dot) if n.startswith("band")]:
        found = {int(n): int(w) for n, w in re.findall(r'<TD PORT="st(\d+)" WIDTH="(\d+)"', _node(dot, band))}
        assert len(found) >= 2 and len(set(found.values())) >= 2, (band, found)
        widths.update(found)
    assert widths[1] > widths[5]


def _cell(dot: str, port: str) -> str:
    match = re.search(rf'<TD PORT="{port}"[^>]*>(.*?)</TD>', dot)
    assert match, port
    return match.group(1)


def test_legend_lists_only_the_owners_in_use():
    data = design_to_data(FULL)
    data["owners"].append({"id": "unused", "name": "使われない担当"})
    dot = to_dot(parse_design(data), view="process")
    assert "使われない担当" not in dot
    for name in ("営業企画", "テレアポ代行", "自社営業", "カスタマーサクセス", "販売パートナー"):
        assert name in _graph_label(dot)


def test_stages_without_owner_share_a_named_colour():
    data = design_to_data(FULL)
    del data["phases"][0]["stages"][0]["owner"]
    dot = to_dot(parse_design(data), view="process")
    assert "担当未設定" in _graph_label(dot)
    assert "1  担当未設定" in _node(dot, "st1")


def test_owner_colours_follow_the_design_order_and_differ():
    dot = to_dot(FULL, view="process")
    band = re.compile(r'<TD ALIGN="LEFT" BGCOLOR="(#[0-9a-f]{6})"')
    colours = {n: band.search(_node(dot, f"st{n}")).group(1) for n in (1, 4, 6, 9, 10)}
    assert len(set(colours.values())) == 5
    assert band.search(_node(dot, "st2")).group(1) == colours[1]  # same owner, same colour


def test_highlight_emphasises_one_stage_and_fades_the_others():
    theme = THEME_DATA["default"]
    plain = to_dot(FULL, view="process")
    dot = to_dot(FULL, view="process", highlight="appointment")
    assert f'COLOR="{theme.highlight}"' in _node(dot, "st5")
    assert f'BORDER="{theme.highlight_pen}"' in _node(dot, "st5")
    assert theme.highlight not in _node(dot, "st4")
    owner_blue = theme.owners[0].strong
    assert owner_blue in _node(plain, "st1") and owner_blue not in _node(dot, "st1")
    assert to_dot(FULL, view="process", highlight="no-such-stage") == plain


def test_overlay_on_the_process_view():
    dot = to_dot(FULL, view="process", overlay=COMPARE)
    assert "▲ 実績 38件  要注意" in _node(dot, "st5")
    # the rate label: the plan on one line, the actual below it in the colour of its status
    assert re.search(r"<B>計画 4%</B></FONT></TD></TR><TR><TD[^>]*><FONT[^>]*COLOR=\"#b45309\"><B>実績 3.4%</B>", dot)
    assert THEME_DATA["default"].status["off_track"] in _node(dot, "st8")


# --------------------------------------------------------------------------- journey view


def test_journey_is_a_swimlane_table_with_every_lane():
    dot = to_dot(FULL, view="journey", lang="ja")
    assert node_statements(dot) == ["journey"]
    for lane in ("顧客の行動", "タッチポイント", "思考", "感情", "ペインポイント", "機会", "対応ステージ"):
        assert f">{lane}<" in dot
    for i, phase in enumerate(FULL.journey.phases, start=1):
        assert f"{i}. {phase.name.ja}" in dot
    assert "ペルソナ: 中堅製造業の営業企画部長（50代・決裁者）" in plain(dot)
    assert "・何が原因なのか分からない" in plain(dot)


def test_emotion_is_a_visual_scale_not_just_a_number():
    dot = to_dot(FULL, view="journey", lang="ja")
    theme = THEME_DATA["default"]
    # one coloured mark per phase, in the colour of its score, with the score's word
    for phase in FULL.journey.phases:
        colour = theme.emotion[int(phase.emotion) + 2]
        assert f'COLOR="{colour}"><B>' in dot or f'COLOR="{colour}">●' in dot
    assert dot.count(">●<") == len(FULL.journey.phases)
    for label in ("−1 やや不満", "±0 普通", "+1 やや満足", "−2 不満", "+2 満足"):
        assert label in dot
    # five levels per phase: the mark's row position is its score
    assert dot.count('HEIGHT="') >= 5 * len(FULL.journey.phases)


def test_journey_links_stages_in_owner_colours():
    dot = to_dot(FULL, view="journey", lang="ja")
    blue = THEME_DATA["default"].owners[2].strong  # in-house is the third owner
    assert re.search(rf'BGCOLOR="{blue}"[^>]*>[^\n]*6\. ヒアリング', dot)


def test_a_design_without_journey_says_so():
    data = design_to_data(FULL)
    del data["journey"]
    dot = to_dot(parse_design(data), view="journey", lang="en")
    assert "This design has no customer journey" in dot


# --------------------------------------------------------------------------- funnel view


def test_funnel_widths_follow_planned_volumes():
    dot = to_dot(FULL, view="funnel")
    widths = [int(w) for w in re.findall(r'WIDTH="(\d+)" HEIGHT="\d+" FIXEDSIZE="TRUE"', dot)]
    assert len(widths) == 5
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[1]
    assert "幅は対数目盛" in dot  # 1,000 → 1 spans more than 20×: log widths, and it says so
    for text in ("1,000件/月", "40件/月", "20件/月", "5件/月", "1件/月", "▼ 計画 4%", "▼ 計画 50%"):
        assert text in dot


def test_funnel_widths_are_linear_when_volumes_are_close():
    data = design_to_data(FULL)
    data["phases"][1]["stages"][1]["target_rate"] = 0.5  # call → appointment 50%: 40 / 20 / 5 / 1 … 80
    data["phases"][3]["stages"][1]["funnel"] = False
    del data["phases"][3]["stages"][1]["target_rate"]
    dot = to_dot(parse_design(data), view="funnel")
    widths = [int(w) for w in re.findall(r'WIDTH="(\d+)" HEIGHT="\d+" FIXEDSIZE="TRUE"', dot)]
    assert "対数" not in dot
    assert widths[0] / widths[3] == pytest.approx(80 / 5, rel=0.02)


def test_funnel_overlay_shows_actuals_rates_gaps_and_status():
    dot = to_dot(FULL, view="funnel", overlay=COMPARE)
    status = THEME_DATA["default"].status
    for text in ("1,120件", "38件", "21件", "3件", "順調", "要注意", "未達", "判定なし",
                 "実績 3.4%", "(−0.6pt)", "(+5.3pt)", "(−10.7pt)"):
        assert text in dot, text
    assert status["off_track"] in dot and status["at_risk"] in dot and status["on_track"] in dot
    bars = re.findall(r'BGCOLOR="(#[0-9a-f]{6})" WIDTH="\d+" HEIGHT="\d+" FIXEDSIZE', dot)
    assert bars.count(status["on_track"]) == 2 and bars.count(status["off_track"]) == 1


def test_overlay_accepts_json_text_and_ignores_unknown_stages():
    rows = {"stages": COMPARE["stages"] + [{"id": "not-in-design", "reached": 99, "status": "off_track"}]}
    assert to_dot(FULL, view="funnel", overlay=json.dumps(rows)) == to_dot(FULL, view="funnel", overlay=COMPARE)


def test_overlay_of_the_wrong_shape_is_refused():
    with pytest.raises(InputError, match="journeymap compare --format json"):
        to_dot(FULL, view="funnel", overlay={"stages": "all"})


def test_a_design_without_kgi_says_why_there_are_no_volumes():
    data = design_to_data(FULL)
    data["kgis"] = []
    dot = to_dot(parse_design(data), view="funnel", lang="ja")
    assert "KGIと転換率から計画件数を出せません" in dot
    assert "FIXEDSIZE" not in dot  # no bars without volumes


# --------------------------------------------------------------------------- planned volumes


def test_reverse_funnel_gives_seed_004_exactly():
    volumes = reverse_funnel(FULL)
    assert volumes == {"call": 1000, "appointment": 40, "hearing": 20, "closing": 5, "cross-sell": 1}


def test_a_design_that_cannot_be_planned_yet_has_no_volumes():
    data = design_to_data(FULL)
    del data["phases"][2]["stages"][0]["target_rate"]  # hearing: the plan cannot walk past it
    volumes = reverse_funnel(parse_design(data))
    assert set(volumes.values()) == {None}


def test_planned_volumes_prefer_the_callers_then_the_overlays():
    given = planned_volumes(FULL, {"call": 2000})
    assert given["call"] == 2000 and given["appointment"] == 40
    overlay = {"stages": [{"id": "appointment", "planned": 44}]}
    assert planned_volumes(FULL, None, overlay)["appointment"] == 44


# --------------------------------------------------------------------------- languages, numbers, text


def test_english_with_fallback_to_japanese():
    data = design_to_data(FULL)
    data["phases"][0]["stages"][0]["name"] = "日本語だけの名前"
    dot = to_dot(parse_design(data), view="process", lang="en")
    assert "日本語だけの名前" in _node(dot, "st1")
    assert "Calls" in _node(dot, "st4") and "Plan 1,000/month" in _node(dot, "st4")
    assert "Legend" in dot and "凡例" not in dot


@pytest.mark.parametrize("value, text", [(1000, "1,000件"), (1234567, "1,234,567件"), (2.5, "2.5件")])
def test_counts_have_thousands_separators(value, text):
    assert fmt.count(value, "ja") == text


def test_number_formats():
    assert fmt.planned_rate(0.04) == "4%" and fmt.planned_rate(0.125) == "12.5%" and fmt.percent(1 / 3) == "33.3%"
    assert fmt.money(15000000, "JPY") == "¥15,000,000"
    assert fmt.money(1234.5, "USD") == "$1,234.50"
    assert fmt.money(10, "CHF") == "CHF\u00a010"
    assert fmt.volume(16.67, "ja") == "17件" and fmt.volume(1000.0000001, "en") == "1,000"
    assert fmt.points(-0.61) == "−0.6pt" and fmt.points(5.26) == "+5.3pt"


def test_labels_wrap_by_display_width_at_natural_breaks():
    assert L.lines("クロスセル・アップセル提案", 24) == ["クロスセル・", "アップセル提案"]
    assert L.lines("Market and core competence analysis", 20) == ["Market and core", "competence analysis"]
    assert all(L.display_width(x) <= 20 for x in L.lines("業界状況・コアコンピタンスの分析", 20))
    assert L.bulleted("課題と予算が確認できた", 14) == ["・課題と予算が", "\u3000確認できた"]


# --------------------------------------------------------------------------- escaping


def test_escape_for_html_labels():
    assert esc('a<b>&"c"') == "a&lt;b&gt;&amp;&quot;c&quot;"
    assert esc("x\ny") == "x<BR/>y"
    assert esc("\\N") == "\\\\N"  # graphviz would replace \N by the node name
    assert esc("bell\x07 esc\x1b") == "bell esc"


def test_escape_for_quoted_strings():
    assert quote('x"]; injected [label="y') == '"x\\"]; injected [label=\\"y"'
    assert quote("a\\b\nc") == '"a\\\\b\\nc"'


@pytest.mark.parametrize("view", VIEWS)
def test_injection_attempts_add_no_nodes_or_edges(view):
    design = hostile_design()
    dot = to_dot(design, view=view, detail="detailed", lang="ja")
    expected_nodes = {"process": ["band1", "drops"], "journey": ["journey"], "funnel": ["funnel"]}[view]
    assert node_statements(dot) == expected_nodes
    assert len(edge_statements(dot)) == {"process": 1, "journey": 0, "funnel": 0}[view]
    assert "evil" not in node_statements(dot) and "injected" not in node_statements(dot)
    for text in HOSTILE[:2]:  # escaped, whole or wrapped at one of the widths a column may take
        assert esc(text) in dot or any(esc(L.lines(text, width)[0]) in dot for width in (20, *WRAPS))
    if view == "process":  # the flow of the compact view: cards, phase titles, edges
        compact = to_dot(design, view=view, lang="ja")
        assert node_statements(compact) == ["top1", "st1", "st2", "top2", "st3", "st4"]
        assert len(edge_statements(compact)) == 7


def test_export_registry_has_dot():
    assert export(FULL, "dot", lang="en").decode("utf-8") == to_dot(FULL, lang="en")


# --------------------------------------------------------------------------- helpers


def plain(dot: str) -> str:
    """The text a reader sees: tags dropped, wrapped lines joined, entities decoded."""
    text = re.sub(r"<BR/>[\u3000\u2009\u2007]*", "", dot)
    text = re.sub(r"<[^<>]*>", "", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _node(dot: str, node_id: str) -> str:
    match = re.search(rf"^\s*{node_id} \[[^\n]*", dot, flags=re.M)
    assert match, node_id
    return match.group(0)


def _graph_label(dot: str) -> str:
    return re.search(r"^  label=<[^\n]*", dot, flags=re.M).group(0)


def test_a_design_without_funnel_stages_says_so():
    data = design_to_data(FULL)
    data["kgis"] = []
    for phase in data["phases"]:
        for stage in phase["stages"]:
            stage.pop("funnel", None)
            stage.pop("target_rate", None)
    dot = to_dot(parse_design(data), view="funnel", lang="en")
    assert "This design has no funnel stages" in dot
    assert node_statements(dot) == ["empty"]
