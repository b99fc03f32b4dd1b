"""BPMN 2.0 export: valid against the OMG XSD, complete and non-overlapping DI, the process shape."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from journeymap import library
from journeymap.designfile.reading import load_design
from journeymap.export import export
from tests.strategies import designs

XSD = Path(__file__).parent / "data" / "bpmn20" / "BPMN20.xsd"
DATA = Path(__file__).parent / "data"
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
}
FLOW_NODES = ("startEvent", "endEvent", "intermediateThrowEvent", "task", "exclusiveGateway")
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return _schema()


@functools.lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def fixture(name: str):
    return load_design(DATA / f"{name}.yaml")


ALL_DESIGNS = [pytest.param(t.design, id=t.id) for t in library.list_templates()] + [
    pytest.param(fixture(name), id=name) for name in ("interop_full", "interop_minimal", "interop_hostile")
]


def parse(design, lang="ja") -> etree._Element:
    return etree.fromstring(export(design, "bpmn", lang=lang))


def bounds(shape) -> tuple[float, float, float, float]:
    b = shape.find("dc:Bounds", NS)
    return tuple(float(b.get(k)) for k in ("x", "y", "width", "height"))


def overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def check_document(root: etree._Element, schema: etree.XMLSchema) -> None:
    """Everything a BPMN export must satisfy, whatever the design."""
    assert schema.validate(root), schema.error_log
    process = root.find("bpmn:process", NS)
    nodes = {e.get("id"): e for tag in FLOW_NODES for e in process.findall(f"bpmn:{tag}", NS)}
    flows = {e.get("id"): e for e in process.findall("bpmn:sequenceFlow", NS)}
    lanes = {e.get("id"): e for e in process.iterfind(".//bpmn:lane", NS)}
    plane = root.find("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", NS)
    shapes = {s.get("bpmnElement"): s for s in plane.findall("bpmndi:BPMNShape", NS)}
    edges = {e.get("bpmnElement"): e for e in plane.findall("bpmndi:BPMNEdge", NS)}

    # One participant in a collaboration, which the plane shows (how bpmn.io draws lanes).
    participant = root.find("bpmn:collaboration/bpmn:participant", NS)
    assert participant.get("processRef") == process.get("id")
    assert plane.get("bpmnElement") == root.find("bpmn:collaboration", NS).get("id")

    # Ids: valid NCNames, unique over the whole document.
    ids = [e.get("id") for e in root.iter() if e.get("id") is not None]
    assert len(ids) == len(set(ids))
    assert all(NCNAME.match(i) for i in ids)

    # DI completeness: every flow node, lane and the participant has a shape; every flow an edge.
    assert set(nodes) | set(lanes) | {participant.get("id")} == set(shapes)
    assert set(flows) == set(edges)

    # Every flow node sits in exactly one lane, inside that lane's band.
    lane_of = {}
    for lane_id, lane in lanes.items():
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            assert ref.text not in lane_of
            lane_of[ref.text] = lane_id
    assert set(lane_of) == set(nodes)
    for node_id, lane_id in lane_of.items():
        x, y, w, h = bounds(shapes[node_id])
        lx, ly, lw, lh = bounds(shapes[lane_id])
        assert lx <= x and x + w <= lx + lw and ly <= y and y + h <= ly + lh, node_id

    # Lanes: horizontal bands stacked without gaps, filling the pool.
    pool = bounds(shapes[participant.get("id")])
    bands = sorted(bounds(shapes[lane_id]) for lane_id in lanes)
    bands.sort(key=lambda b: b[1])
    assert bands[0][1] == pool[1] and bands[-1][1] + bands[-1][3] == pool[1] + pool[3]
    for upper, lower in zip(bands, bands[1:]):
        assert upper[1] + upper[3] == lower[1]
    for lane_id in lanes:
        assert shapes[lane_id].get("isHorizontal") == "true"

    # No two flow node shapes overlap.
    boxes = [(node_id, bounds(shapes[node_id])) for node_id in nodes]
    for i, (a_id, a) in enumerate(boxes):
        for b_id, b in boxes[i + 1 :]:
            assert not overlap(a, b), (a_id, b_id)

    # Edges: orthogonal, starting on the source shape and ending on the target shape.
    for flow_id, flow in flows.items():
        points = [(float(p.get("x")), float(p.get("y"))) for p in edges[flow_id].findall("di:waypoint", NS)]
        assert len(points) >= 2
        for (x1, y1), (x2, y2) in zip(points, points[1:]):
            assert x1 == x2 or y1 == y2, flow_id
        for point, end in ((points[0], flow.get("sourceRef")), (points[-1], flow.get("targetRef"))):
            x, y, w, h = bounds(shapes[end])
            assert x <= point[0] <= x + w and y <= point[1] <= y + h, (flow_id, end)
        # incoming/outgoing references agree with the flow
        assert flow_id in [e.text for e in nodes[flow.get("sourceRef")].findall("bpmn:outgoing", NS)]
        assert flow_id in [e.text for e in nodes[flow.get("targetRef")].findall("bpmn:incoming", NS)]


@pytest.mark.parametrize("design", ALL_DESIGNS)
def test_every_template_and_fixture_passes_the_xsd_with_complete_di(design, schema):
    check_document(parse(design), schema)
    check_document(parse(design, lang="en"), schema)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs())
def test_generated_designs_pass_the_xsd_with_complete_di(design):
    check_document(parse(design), _schema())


def test_the_xsd_copy_rejects_a_broken_document(schema):
    root = parse(fixture("interop_full"))
    task = root.find("bpmn:process/bpmn:task", NS)
    task.append(etree.Element(f"{{{NS['bpmn']}}}laneSet"))  # not allowed inside a task
    assert not schema.validate(root)


def test_a_lane_per_owner_that_owns_a_stage_and_an_unassigned_lane_for_stages_without_owner():
    root = parse(fixture("interop_full"))
    lanes = root.findall("bpmn:process/bpmn:laneSet/bpmn:lane", NS)
    # 販売パートナー owns no stage: no empty lane for it
    assert [lane.get("name") for lane in lanes] == ["自社営業", "テレアポ代行", "カスタマーサクセス", "未割当"]
    unassigned = [ref.text for ref in lanes[-1].findall("bpmn:flowNodeRef", NS)]
    assert "Task_upsell" in unassigned
    teleapo = [ref.text for ref in lanes[1].findall("bpmn:flowNodeRef", NS)]
    assert teleapo == ["Task_call", "Gateway_call", "Join_appointment", "Task_appointment"]


def test_no_unassigned_lane_when_every_stage_has_an_owner():
    root = parse(fixture("interop_hostile"))
    names = [lane.get("name") for lane in root.findall("bpmn:process/bpmn:laneSet/bpmn:lane", NS)]
    assert "未割当" not in names and len(names) == 3


def test_a_task_per_stage_in_design_order_left_to_right_with_documentation():
    design = fixture("interop_full")
    root = parse(design)
    tasks = root.findall("bpmn:process/bpmn:task", NS)
    assert [t.get("id") for t in tasks] == [f"Task_{s.id}" for s in design.stages]
    plane = root.find("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", NS)
    xs = [bounds(plane.find(f"bpmndi:BPMNShape[@bpmnElement='{t.get('id')}']", NS))[0] for t in tasks]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    analysis = tasks[0].find("bpmn:documentation", NS).text
    assert analysis == "競合の状況と自社商材の強みを分析する\n\n移行基準:\n- 強みが3つ以上言語化されている"
    english = parse(design, lang="en").find("bpmn:process/bpmn:task", NS).find("bpmn:documentation", NS).text
    assert "Exit criteria:\n- At least three strengths are written down" in english


def flows_of(root) -> dict[str, tuple[str, str, str | None]]:
    return {
        f.get("id"): (f.get("sourceRef"), f.get("targetRef"), f.get("name"))
        for f in root.findall("bpmn:process/bpmn:sequenceFlow", NS)
    }


def test_drop_reasons_branch_through_a_gateway_to_a_lost_end_event():
    root = parse(fixture("interop_full"))
    flows = flows_of(root)
    gateway = root.find("bpmn:process/bpmn:exclusiveGateway[@id='Gateway_closing']", NS)
    assert gateway.get("default") is None  # every branch has a condition: the way on, its exit criteria
    assert flows["Flow_closing__gateway"] == ("Task_closing", "Gateway_closing", None)
    assert gateway.get("name") == "クロージングの判定"
    assert flows["Flow_closing__next"] == ("Gateway_closing", "Task_won", "基準達成")
    next_condition = root.find("bpmn:process/bpmn:sequenceFlow[@id='Flow_closing__next']/bpmn:conditionExpression", NS)
    assert next_condition.text == "移行基準: 契約書に押印済み"
    assert flows["Flow_closing__lost"] == ("Gateway_closing", "Event_lost_closing", "失注: 予算見直し、競合の値引き")
    lost = root.find("bpmn:process/bpmn:endEvent[@id='Event_lost_closing']", NS)
    assert lost.get("name") == "失注"
    # a transition and a recovery path to the same stage are one flow naming both, entering through a join
    assert flows["Flow_closing__to__hearing"] == ("Gateway_closing", "Join_hearing", "再提案、復帰: 予算見直し")
    assert flows["Flow_hearing__join"] == ("Join_hearing", "Task_hearing", None)
    # every branch carries its condition
    for flow in root.findall("bpmn:process/bpmn:sequenceFlow[@sourceRef='Gateway_closing']", NS):
        assert flow.find("bpmn:conditionExpression", NS) is not None
    # a stage without exit criteria continues by the default branch
    assert root.find("bpmn:process/bpmn:exclusiveGateway[@id='Gateway_call']", NS).get("default") == "Flow_call__next"
    lost_condition = root.find("bpmn:process/bpmn:sequenceFlow[@id='Flow_closing__lost']/bpmn:conditionExpression", NS)
    assert lost_condition.text == "失注: 予算見直し、競合の値引き"
    # a stage without drop reasons or transitions flows straight on
    assert flows["Flow_analysis__next"] == ("Task_analysis", "Task_targeting", None)


def test_start_and_end_events_and_design_order_flows():
    design = fixture("interop_full")
    root = parse(design)
    flows = flows_of(root)
    assert flows["Flow__start"] == ("Event_start", "Task_analysis", None)
    assert flows["Flow_upsell__next"] == ("Task_upsell", "Event_end", None)
    # an unlabelled transition is named after its target
    assert flows["Flow_call__to__hearing"][2] == "ヒアリングへ"


def test_minimal_design_is_start_task_end():
    root = parse(fixture("interop_minimal"))
    flows = flows_of(root)
    assert flows == {"Flow__start": ("Event_start", "Task_visit", None), "Flow_visit__next": ("Task_visit", "Event_end", None)}


def test_hostile_text_is_escaped_by_the_library_and_survives_parsing():
    design = fixture("interop_hostile")
    root = parse(design)
    names = {t.get("id"): t.get("name") for t in root.findall("bpmn:process/bpmn:task", NS)}
    assert names["Task_default"] == "二行の\n名前 \"quote\" `back` <b>太字</b>"
    assert root.find("bpmn:process/bpmn:task[@id='Task_class']/bpmn:documentation", NS).text.startswith("\tタブ")
    assert root.find("bpmn:collaboration/bpmn:participant", NS).get("name") == design.name.ja
    assert b"<b>" not in export(design, "bpmn")  # markup in names is text, never elements


def test_control_characters_are_dropped_not_written(tmp_path):
    from journeymap.model import parse_design

    design = parse_design(
        {"schema_version": 1, "id": "ctl", "name": "a\x01b", "phases": [{"id": "p", "name": "x", "stages": [{"id": "s", "name": "c\x0bd"}]}]}
    )
    root = parse(design)
    assert root.find("bpmn:process/bpmn:task", NS).get("name") == "cd"


def test_output_is_deterministic_and_has_no_timestamp():
    design = fixture("interop_full")
    first = export(design, "bpmn")
    assert first == export(design, "bpmn")
    assert not re.search(rb"20\d\d-\d\d-\d\dT", first)


def test_transition_criteria_and_required_records_ride_on_their_sequence_flows():
    """midsize-phase-stage: 条件交渉中 → 修正・再提案 requires 想定されるハードル; the flow's condition and
    documentation carry the move's criteria and the required record by name; tasks list their key fields."""
    import xml.etree.ElementTree as ET

    from journeymap import library
    from journeymap.export import export
    from journeymap.model import text_of

    design = library.load_template("midsize-phase-stage")
    ns = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
    process = ET.fromstring(export(design, "bpmn")).find("bpmn:process", ns)
    moves = [t for t in design.transitions if t.criteria or t.required_records]
    assert moves
    for move in moves:
        flow = process.find(f"bpmn:sequenceFlow[@sourceRef='Gateway_{move.from_}'][@targetRef='Join_{move.to}']", ns)
        if flow is None:
            flow = process.find(f"bpmn:sequenceFlow[@sourceRef='Gateway_{move.from_}'][@targetRef='Task_{move.to}']", ns)
        assert flow is not None, move
        condition = flow.find("bpmn:conditionExpression", ns).text
        documentation = flow.find("bpmn:documentation", ns).text
        for criterion in move.criteria:
            assert text_of(criterion, "ja") in condition and text_of(criterion, "ja") in documentation
        if move.required_records:
            assert "必要な記録: 想定されるハードル" in condition and "必要な記録: 想定されるハードル" in documentation
    task = process.find("bpmn:task[@id='Task_negotiation']", ns)
    assert "キー項目:\n- 想定されるハードル" in task.find("bpmn:documentation", ns).text
