"""The process graph a BPMN export draws: flow nodes in lanes and the sequence flows between them.

Kept apart from geometry (`bpmn_layout`) and XML (`bpmn`). Every id is derived from the design's
ids so that the same design always gives the same file. Slugs never contain '_', so ids built with
'_' and '__' as separators (`Task_<stage>`, `Flow_<stage>__next`, `Lane__unassigned`) never collide.

The shape of the process:
- a start event, then one task per stage in design order, then an end event;
- after a stage that has drop reasons or extra transitions, an exclusive gateway whose default
  branch continues to the next stage, whose "lost" branch ends in a lost end event (labelled with
  the drop reasons), and whose other branches are the transitions and the recovery paths of the
  drop reasons (to their recovery stage).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from journeymap.export.common import join_names, word, xml_text
from journeymap.model import Design, Stage, text_of

UNASSIGNED_LANE = "Lane__unassigned"


@dataclass
class Node:
    id: str
    kind: str
    """start | task | gateway | end | lost"""
    name: str
    lane: str
    documentation: str = ""
    default_flow: str | None = None
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)


@dataclass
class Flow:
    id: str
    source: str
    target: str
    name: str = ""
    kind: str = "main"
    """main (design order) | lost | jump (a transition or a recovery path)"""


@dataclass
class Lane:
    id: str
    name: str
    nodes: list[str] = field(default_factory=list)


@dataclass
class Graph:
    lanes: list[Lane]
    nodes: dict[str, Node]
    flows: list[Flow]

    def order(self) -> list[Node]:
        """Flow nodes in the order they are laid out and written."""
        return list(self.nodes.values())


def task_id(stage_id: str) -> str:
    return f"Task_{stage_id}"


def build_graph(design: Design, lang: str = "ja") -> Graph:
    lanes = _lanes(design, lang)
    graph = Graph(lanes, {}, [])
    stages = design.stages
    _add(graph, Node("Event_start", "start", word("start", lang), _lane_id(stages[0])))
    exits: list[str] = []  # per stage, the node its outgoing flows leave from
    for stage in stages:
        name = xml_text(text_of(stage.name, lang))
        _add(graph, Node(task_id(stage.id), "task", name, _lane_id(stage), _documentation(stage, lang)))
        exit_id = task_id(stage.id)
        if _branches(design, stage):
            exit_id = _add(graph, Node(f"Gateway_{stage.id}", "gateway", "", _lane_id(stage))).id
            if _drop_reasons(design, stage, lang):
                _add(graph, Node(f"Event_lost_{stage.id}", "lost", word("lost", lang), _lane_id(stage)))
        exits.append(exit_id)
    _add(graph, Node("Event_end", "end", word("end", lang), _lane_id(stages[-1])))

    _connect(graph, "Event_start", task_id(stages[0].id), "Flow__start")
    for index, stage in enumerate(stages):
        exit_id = exits[index]
        following = task_id(stages[index + 1].id) if index + 1 < len(stages) else "Event_end"
        if exit_id == task_id(stage.id):
            _connect(graph, exit_id, following, f"Flow_{stage.id}__next")
            continue
        _connect(graph, task_id(stage.id), exit_id, f"Flow_{stage.id}__gateway")
        flow = _connect(graph, exit_id, following, f"Flow_{stage.id}__next", word("continue", lang))
        graph.nodes[exit_id].default_flow = flow.id
        _branch_flows(graph, design, stage, exit_id, lang)
    return graph


def _add(graph: Graph, node: Node) -> Node:
    graph.nodes[node.id] = node
    next(lane for lane in graph.lanes if lane.id == node.lane).nodes.append(node.id)
    return node


def _connect(graph: Graph, source: str, target: str, flow_id: str, name: str = "", kind: str = "main") -> Flow:
    flow = Flow(flow_id, source, target, xml_text(name), kind)
    graph.flows.append(flow)
    graph.nodes[source].outgoing.append(flow_id)
    graph.nodes[target].incoming.append(flow_id)
    return flow


def _branch_flows(graph: Graph, design: Design, stage: Stage, gateway: str, lang: str) -> None:
    """The gateway's other branches: transitions, recovery paths, and the lost path."""
    for index, transition in enumerate(design.transitions, start=1):
        if transition.from_ != stage.id:
            continue
        target = design.stage(transition.to)
        if transition.label:
            label = text_of(transition.label, lang)
        else:
            label = word("to", lang, name=text_of(target.name, lang))
        _connect(graph, gateway, task_id(target.id), f"Flow__transition{index}__{stage.id}__{target.id}", label, "jump")
    recoveries: dict[str, list[str]] = {}
    for reason in design.drop_reasons:
        if stage.id in reason.stages and reason.recovery_stage:
            recoveries.setdefault(reason.recovery_stage, []).append(text_of(reason.name, lang))
    for target_id, names in recoveries.items():
        # The lost branch lists every reason; a recovery path names two at most to stay legible.
        shown = names if len(names) <= 2 else names[:2] + [word("more", lang, count=str(len(names) - 2))]
        label = f"{word('recover', lang)}: {join_names(shown, lang)}"
        _connect(graph, gateway, task_id(target_id), f"Flow_{stage.id}__recover__{target_id}", label, "jump")
    reasons = _drop_reasons(design, stage, lang)
    if reasons:
        label = f"{word('lost', lang)}: {join_names(reasons, lang)}"
        _connect(graph, gateway, f"Event_lost_{stage.id}", f"Flow_{stage.id}__lost", label, "lost")


def _drop_reasons(design: Design, stage: Stage, lang: str) -> list[str]:
    return [text_of(reason.name, lang) for reason in design.drop_reasons if stage.id in reason.stages]


def _branches(design: Design, stage: Stage) -> bool:
    return any(t.from_ == stage.id for t in design.transitions) or any(
        stage.id in reason.stages for reason in design.drop_reasons
    )


def _lane_id(stage: Stage) -> str:
    return f"Lane_{stage.owner}" if stage.owner else UNASSIGNED_LANE


def _lanes(design: Design, lang: str) -> list[Lane]:
    lanes = [Lane(f"Lane_{owner.id}", xml_text(text_of(owner.name, lang))) for owner in design.owners]
    if any(stage.owner is None for stage in design.stages):
        lanes.append(Lane(UNASSIGNED_LANE, word("unassigned", lang)))
    return lanes


def _documentation(stage: Stage, lang: str) -> str:
    parts: list[str] = []
    if stage.description:
        parts.append(text_of(stage.description, lang))
    if stage.exit_criteria:
        items = "\n".join(f"- {text_of(item, lang)}" for item in stage.exit_criteria)
        parts.append(f"{word('exit_criteria', lang)}:\n{items}")
    return xml_text("\n\n".join(parts))
