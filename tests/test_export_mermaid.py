"""Mermaid flowchart: subgraph per phase, rates on edges, dashed transitions, hostile text escaped."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.designfile.reading import load_design
from journeymap.export import export
from journeymap.export.mermaid import escape_label, to_mermaid

DATA = Path(__file__).parent / "data"
SYNTAX = set('"#&<>|[]{}();:`\\')


def mermaid(name: str, lang: str = "ja", direction: str = "TB") -> str:
    return export(load_design(DATA / f"{name}.yaml"), "mermaid", lang=lang, direction=direction).decode("utf-8")


def decode(label: str) -> str:
    """What Mermaid shows for a label: entity codes decoded, <br> as a line break."""
    text = label.replace("<br>", "\n")
    return re.sub(r"#(\w+);", lambda m: html.unescape(f"&#{m.group(1)};" if m.group(1).isdigit() else f"&{m.group(1)};"), text)


def labels(text: str) -> list[str]:
    return re.findall(r'"([^"]*)"', text)


def test_flowchart_with_a_subgraph_per_phase_and_a_node_per_stage():
    text = mermaid("interop_full")
    assert text.startswith("flowchart TB\n")  # top to bottom: phases stacked, fits a wiki column
    assert re.findall(r"^  subgraph (\w+)\[", text, re.M) == ["phase_strategy", "phase_contact", "phase_negotiation", "phase_after"]
    assert text.count("\n  end\n") == 4
    assert '    stage_appointment("アポイント獲得<br>#40;テレアポ代行#41;")' in text  # funnel stage: rounded
    assert '    stage_upsell["クロスセル・アッ<br>プセル提案"]' in text  # no owner, not funnel; wrapped


def test_edges_in_design_order_carry_planned_rates():
    text = mermaid("interop_full")
    assert '  stage_call -->|"4%"| stage_appointment' in text
    assert '  stage_appointment -->|"50%"| stage_hearing' in text
    assert "  stage_analysis --> stage_targeting" in text
    assert len(re.findall(r"^  stage_\w+ -->", text, re.M)) == 10  # 11 stages in a row


def test_transitions_are_dashed_with_their_label():
    text = mermaid("interop_full")
    assert '  stage_closing -.->|"再提案"| stage_hearing' in text
    assert "  stage_call -.-> stage_hearing" in text
    assert '  stage_closing -.->|"Re-proposal"| stage_hearing' in mermaid("interop_full", lang="en")


def test_hostile_names_are_entity_coded_and_decode_to_the_original():
    text = mermaid("interop_hostile", direction="LR")  # names on one line: compared whole
    for label in labels(text):
        assert not (set(label.replace("<br>", "")) & (SYNTAX - {"#", ";", "&"})), label
        assert not re.search(r"#(?!\w+;)", label), label  # every '#' starts an entity code
    shown = [decode(label) for label in labels(text)]
    assert "A --> B; click A call alert()\n(=cmd|' /C calc'!A0)" in shown
    assert '二行の\n名前 "quote" `back` <b>太字</b>\n(+SUM(1,2))' in shown
    assert "|pipe| -->|edge|" in shown
    # ids come from slugs with a prefix: a stage called 'end' or 'class' cannot end a block
    assert "subgraph phase_style[" in text and "stage_class(" in text and "stage_1st(" in text


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=40))
def test_escaped_labels_hold_no_syntax_and_show_the_text(text):
    label = escape_label(text)
    assert '"' not in label and "\n" not in label and "|" not in label
    assert not re.search(r"#(?!\w+;)", label)
    assert "%%" not in label
    expected = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    assert decode(label) == expected


def test_japanese_text_is_kept_as_is():
    assert escape_label("顧客接点創出段階") == "顧客接点創出段階"


def test_direction_lr_lays_phases_out_left_to_right_with_names_on_one_line():
    text = export(load_design(DATA / "interop_full.yaml"), "mermaid", direction="LR").decode("utf-8")
    assert text.startswith("flowchart LR\n") and "    direction LR" in text
    assert '    stage_analysis["業界状況・コアコンピタンスの分析<br>#40;自社営業#41;"]' in text


def test_top_to_bottom_wraps_long_names_at_eight_japanese_characters():
    text = mermaid("interop_full")
    assert '    stage_analysis["業界状況・コアコ<br>ンピタンスの分析<br>#40;自社営業#41;"]' in text
    with pytest.raises(ValueError, match="direction must be one of TB, LR"):
        to_mermaid(load_design(DATA / "interop_full.yaml"), direction="BT")


def test_cli_direction_option(tmp_path):
    from journeymap.cli.main import main

    out = tmp_path / "d.mmd"
    assert main(["export", str(DATA / "interop_full.yaml"), "--to", "mermaid", "--direction", "LR", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("flowchart LR\n")
    assert main(["export", str(DATA / "interop_full.yaml"), "--to", "csv", "--direction", "LR", "-o", str(out)]) == 2
