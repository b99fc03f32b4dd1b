"""The process view as graphviz lays it out (`dot -Tjson`): no edge label covers a card, a phase
title or another label, and the phases' tops line up; every template, both languages, with and
without actuals."""

from __future__ import annotations

import pytest

from journeymap.library import list_templates, load_template
from journeymap.render import to_dot
from tests.layout_geometry import Box, cluster_boxes, collisions, edge_label_boxes, layout
from tests.render_fixtures import template_overlay

pytestmark = pytest.mark.requires_dot

CASES = [
    pytest.param(t.id, lang, actuals, id=f"{t.id}.{lang}{'.actuals' if actuals else ''}")
    for t in list_templates() for lang in ("ja", "en") for actuals in (False, True)
]


@pytest.mark.parametrize(("template_id", "lang", "actuals"), CASES)
def test_edge_labels_cover_no_card_and_no_other_label(template_id, lang, actuals):
    design = load_template(template_id)
    overlay = template_overlay(design) if actuals else None
    graph = layout(to_dot(design, view="process", lang=lang, overlay=overlay))
    assert edge_label_boxes(graph), "the view has rate labels to check"
    assert collisions(graph) == []


@pytest.mark.parametrize("template_id", [t.id for t in list_templates()])
def test_phase_tops_line_up(template_id):
    graph = layout(to_dot(load_template(template_id), view="process"))
    tops = [box.y1 for box in cluster_boxes(graph)]
    assert len(tops) == len(load_template(template_id).phases)
    assert max(tops) - min(tops) < 1.0


def test_the_collision_check_sees_a_label_on_a_card():
    card = Box("node st1", 0, 0, 100, 50)
    assert Box("label", 90, 40, 150, 60).overlap(card)
    assert not Box("label", 101.5, 40, 150, 60).overlap(card)
    graph = {"objects": [{"_gvid": 0, "name": "st1", "pos": "50,25", "width": str(100 / 72), "height": str(50 / 72)},
                         {"_gvid": 1, "name": "st2", "pos": "50,200", "width": "1", "height": "1"}],
             "edges": [{"tail": 0, "head": 1, "_ldraw_": [
                 {"op": "F", "size": 10.0, "face": "x"},
                 {"op": "T", "pt": [60.0, 45.0], "align": "l", "width": 80.0, "text": "計画 20%"}]}]}
    assert collisions(graph) == ["label of st1→st2 covers node st1"]
