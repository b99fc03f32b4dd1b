"""BPMN 2.0 XML: the design as one process in a pool, with a lane per owner and BPMN DI.

The file opens laid out in bpmn.io and Camunda Modeler: like those tools, it wraps the process in
a collaboration with one participant (that is how lanes are shown), and the diagram plane refers
to the collaboration. The XML is built with ElementTree, which escapes all user text; characters
XML cannot carry at all are dropped. Ids come from the design's ids; there is no timestamp.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from journeymap.export import Format, register
from journeymap.export.bpmn_graph import Graph, build_graph
from journeymap.export.bpmn_layout import Bounds, Layout, layout
from journeymap.export.common import xml_text
from journeymap.model import Design, text_of

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
for _prefix, _uri in (("bpmn", BPMN), ("bpmndi", BPMNDI), ("dc", DC), ("di", DI)):
    ET.register_namespace(_prefix, _uri)

XSI = "http://www.w3.org/2001/XMLSchema-instance"
ET.register_namespace("xsi", XSI)

_ELEMENT = {
    "start": "startEvent", "task": "task", "gateway": "exclusiveGateway", "join": "exclusiveGateway",
    "end": "endEvent", "won": "endEvent", "milestone": "intermediateThrowEvent", "lost": "endEvent",
}
_DIRECTION = {"gateway": "Diverging", "join": "Converging"}


def _q(namespace: str, tag: str) -> str:
    return f"{{{namespace}}}{tag}"


def to_bpmn(design: Design, lang: str = "ja") -> str:
    """The design as a BPMN 2.0 XML document (process, lanes and diagram)."""
    graph = build_graph(design, lang)
    geometry = layout(graph)
    name = xml_text(text_of(design.name, lang))
    root = ET.Element(
        _q(BPMN, "definitions"),
        {
            "id": f"Definitions_{design.id}",
            "targetNamespace": f"urn:journeymap:design:{design.id}",
            "exporter": "journeymap",
        },
    )
    collaboration = ET.SubElement(root, _q(BPMN, "collaboration"), {"id": f"Collaboration_{design.id}"})
    ET.SubElement(
        collaboration,
        _q(BPMN, "participant"),
        {"id": f"Participant_{design.id}", "name": name, "processRef": f"Process_{design.id}"},
    )
    _process(root, design, graph, name)
    _diagram(root, design, graph, geometry)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _process(root: ET.Element, design: Design, graph: Graph, name: str) -> None:
    process = ET.SubElement(
        root, _q(BPMN, "process"), {"id": f"Process_{design.id}", "name": name, "isExecutable": "false"}
    )
    if design.description:
        _documentation(process, xml_text(text_of(design.description)))
    lane_set = ET.SubElement(process, _q(BPMN, "laneSet"), {"id": f"LaneSet_{design.id}"})
    for lane in graph.lanes:
        element = ET.SubElement(lane_set, _q(BPMN, "lane"), {"id": lane.id, "name": lane.name})
        for node_id in lane.nodes:
            ET.SubElement(element, _q(BPMN, "flowNodeRef")).text = node_id
    for node in graph.order():
        attributes = {"id": node.id}
        if node.name:
            attributes["name"] = node.name
        if node.kind in _DIRECTION:
            attributes["gatewayDirection"] = _DIRECTION[node.kind]
        if node.default_flow:
            attributes["default"] = node.default_flow
        element = ET.SubElement(process, _q(BPMN, _ELEMENT[node.kind]), attributes)
        if node.documentation:
            _documentation(element, node.documentation)
        for flow_id in node.incoming:
            ET.SubElement(element, _q(BPMN, "incoming")).text = flow_id
        for flow_id in node.outgoing:
            ET.SubElement(element, _q(BPMN, "outgoing")).text = flow_id
    for flow in graph.flows:
        attributes = {"id": flow.id}
        if flow.name:
            attributes["name"] = flow.name
        attributes.update(sourceRef=flow.source, targetRef=flow.target)
        element = ET.SubElement(process, _q(BPMN, "sequenceFlow"), attributes)
        if flow.documentation:
            _documentation(element, flow.documentation)
        if flow.condition:
            condition = ET.SubElement(
                element, _q(BPMN, "conditionExpression"), {_q(XSI, "type"): "bpmn:tFormalExpression"}
            )
            condition.text = flow.condition


def _documentation(parent: ET.Element, text: str) -> None:
    ET.SubElement(parent, _q(BPMN, "documentation"), {"textFormat": "text/plain"}).text = text


def _diagram(root: ET.Element, design: Design, graph: Graph, geometry: Layout) -> None:
    diagram = ET.SubElement(root, _q(BPMNDI, "BPMNDiagram"), {"id": f"Diagram_{design.id}"})
    plane = ET.SubElement(
        diagram, _q(BPMNDI, "BPMNPlane"), {"id": f"Plane_{design.id}", "bpmnElement": f"Collaboration_{design.id}"}
    )
    _shape(plane, f"Participant_{design.id}", geometry.pool, horizontal=True)
    for lane in graph.lanes:
        _shape(plane, lane.id, geometry.lanes[lane.id], horizontal=True)
    for node in graph.order():
        extra = {"isMarkerVisible": "true"} if node.kind in _DIRECTION else {}
        _shape(plane, node.id, geometry.shapes[node.id], label=geometry.labels.get(node.id), extra=extra)
    for flow in graph.flows:
        edge = ET.SubElement(plane, _q(BPMNDI, "BPMNEdge"), {"id": f"{flow.id}_di", "bpmnElement": flow.id})
        for x, y in geometry.waypoints[flow.id]:
            ET.SubElement(edge, _q(DI, "waypoint"), {"x": str(x), "y": str(y)})
        if flow.id in geometry.labels:
            _label(edge, geometry.labels[flow.id])


def _shape(plane: ET.Element, element_id: str, bounds: Bounds, horizontal: bool = False,
           label: Bounds | None = None, extra: dict[str, str] | None = None) -> None:
    attributes = {"id": f"{element_id}_di", "bpmnElement": element_id}
    if horizontal:
        attributes["isHorizontal"] = "true"
    attributes.update(extra or {})
    shape = ET.SubElement(plane, _q(BPMNDI, "BPMNShape"), attributes)
    _bounds(shape, bounds)
    if label is not None:
        _label(shape, label)


def _label(parent: ET.Element, bounds: Bounds) -> None:
    _bounds(ET.SubElement(parent, _q(BPMNDI, "BPMNLabel")), bounds)


def _bounds(parent: ET.Element, bounds: Bounds) -> None:
    ET.SubElement(
        parent,
        _q(DC, "Bounds"),
        {"x": str(bounds.x), "y": str(bounds.y), "width": str(bounds.width), "height": str(bounds.height)},
    )


register(
    Format(
        "bpmn",
        "bpmn",
        "application/xml",
        to_bpmn,
        "BPMN 2.0 XML with diagram (bpmn.io, Camunda Modeler)",
        options=("lang",),
    )
)
