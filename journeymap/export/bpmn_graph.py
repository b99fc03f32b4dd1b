"""The process graph a BPMN export draws: flow nodes in lanes and the sequence flows between them.

Kept apart from geometry (`bpmn_layout`) and XML (`bpmn`). Every id is derived from the design's
ids so that the same design always gives the same file. Slugs never contain '_', so ids built with
'_' and '__' as separators (`Task_<stage>`, `Flow_<stage>__next`, `Lane__unassigned`) never collide.

The shape of the process, written to pass bpmnlint's `recommended` rules:
- a start event, one task per stage in design order, an end event;
- a task that more than one flow enters is entered through a joining exclusive gateway
  (`Join_<stage>`): no implicit joins, and no gateway both joins and forks;
- after a stage with drop reasons or extra transitions, a named forking gateway
  (`Gateway_<stage>`): the branch to the next stage carries the stage's exit criteria (and the
  criteria and required records of a transition to it) as its condition (the default branch when
  there are none); every other branch carries a condition too: the drop reasons of the lost branch
  (to a lost end event, 失注), the transition's criteria and required records (else its label or
  target), the recovery reasons; branches to the same target are merged into one flow whose label
  names them all;
- a transition's criteria and required records are also the `documentation` of its flow (a flow
  out of a task without a gateway has no condition, but keeps them); a task's documentation lists
  its description, exit criteria, key fields and required records;
- outcomes (`journeymap.export.pipeline`): when the KGI stage is not a won outcome, a 受注 / Won
  event follows it (the end event when nothing follows); a lost outcome stage ends in a lost end
  event and is entered from the previous stage's gateway;
- a lane per owner that owns a stage (owners without stages get none), in the design's order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from journeymap.export.common import join_names, kgi_stage_id, word, xml_text
from journeymap.model import Design, Stage, stage_outcome, text_of

UNASSIGNED_LANE = "Lane__unassigned"


@dataclass
class Node:
    id: str
    kind: str
    """start | join | task | gateway | end | won | milestone | lost"""
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
    """main (design order) | lost | jump (a transition or a recovery path, forwards or back)"""
    condition: str = ""
    """The condition of a branch (empty for a default or unconditional flow)."""
    documentation: str = ""
    """The transition's criteria and required records, written on the flow whether or not it branches."""


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

    def node_of_flow_end(self, flow: Flow) -> Node:
        return self.nodes[flow.target]


def task_id(stage_id: str) -> str:
    return f"Task_{stage_id}"


@dataclass
class _Branch:
    target: str
    kind: str
    labels: list[str]
    conditions: list[str]


def build_graph(design: Design, lang: str = "ja") -> Graph:
    stages = [s for s in design.stages if stage_outcome(s) != "lost"]
    lost_stages = [s for s in design.stages if stage_outcome(s) == "lost"]
    if not stages:  # only lost outcomes: draw them in order all the same
        stages, lost_stages = design.stages, []
    won_point = _won_point(design, stages)
    branches = {stage.id: _branches(design, stage, stages, lost_stages, lang) for stage in stages}
    entered = _entered_more_than_once(stages, branches)

    graph = Graph(_lanes(design, lang), {}, [])
    _add(graph, Node("Event_start", "start", word("start", lang), _lane_id(stages[0])))
    for index, stage in enumerate(stages):
        if stage.id in entered:
            _add(graph, Node(f"Join_{stage.id}", "join", "", _lane_id(stage)))
        name = xml_text(text_of(stage.name, lang))
        _add(graph, Node(task_id(stage.id), "task", name, _lane_id(stage), _documentation(stage, lang)))
        if branches[stage.id]:
            question = word("gateway", lang, name=name)
            _add(graph, Node(f"Gateway_{stage.id}", "gateway", question, _lane_id(stage)))
            if any(b.kind == "lost" for b in branches[stage.id]):
                _add(graph, Node(f"Event_lost_{stage.id}", "lost", word("lost", lang), _lane_id(stage)))
        if stage.id == won_point:
            last = index == len(stages) - 1
            kind = "won" if last else "milestone"
            _add(graph, Node("Event_won", kind, word("won", lang), _lane_id(stage)))
    if stages[-1].id != won_point:
        _add(graph, Node("Event_end", "end", word("end", lang), _lane_id(stages[-1])))
    for stage in lost_stages:
        name = xml_text(text_of(stage.name, lang))
        _add(graph, Node(task_id(stage.id), "task", name, _lane_id(stage), _documentation(stage, lang)))
        _add(graph, Node(f"Event_lost_{stage.id}", "lost", word("lost", lang), _lane_id(stage)))

    def entry(stage_id: str) -> str:
        return f"Join_{stage_id}" if stage_id in entered else task_id(stage_id)

    _connect(graph, "Event_start", entry(stages[0].id), "Flow__start")
    for index, stage in enumerate(stages):
        if stage.id in entered:
            _connect(graph, f"Join_{stage.id}", task_id(stage.id), f"Flow_{stage.id}__join")
        following = entry(stages[index + 1].id) if index + 1 < len(stages) else "Event_end"
        exit_id = task_id(stage.id)
        if branches[stage.id]:
            _connect(graph, exit_id, f"Gateway_{stage.id}", f"Flow_{stage.id}__gateway")
            exit_id = f"Gateway_{stage.id}"
        if stage.id == won_point:
            if following == "Event_end" or index + 1 == len(stages):
                following = "Event_won"
            else:
                _connect(graph, "Event_won", following, "Flow__won")
                following = "Event_won"
        onward = _move_text(design, stage.id, stages[index + 1].id, lang) if index + 1 < len(stages) else ""
        if branches[stage.id] and (stage.exit_criteria or onward):
            # The way on is taken when the exit criteria (and the move's own criteria) are met: its condition.
            criteria = [xml_text(text_of(item, lang)) for item in stage.exit_criteria]
            condition = "\n".join(([f"{word('exit_criteria', lang)}: " + join_names(criteria, lang)] if criteria else [])
                                  + ([onward] if onward else []))
            flow = _connect(graph, exit_id, following, f"Flow_{stage.id}__next", word("criteria_met", lang), "main",
                            condition)
        else:
            flow = _connect(graph, exit_id, following, f"Flow_{stage.id}__next")
            if branches[stage.id]:
                graph.nodes[exit_id].default_flow = flow.id
        flow.documentation = xml_text(onward)
        if branches[stage.id]:
            for branch in branches[stage.id]:
                target = entry(branch.target) if branch.kind == "jump" else branch.target
                label = join_names(branch.labels, lang)
                condition = "\n".join(branch.conditions)
                flow = _connect(graph, exit_id, target, f"Flow_{stage.id}__{_suffix(branch)}", label, branch.kind,
                                condition)
                if branch.kind == "jump":
                    flow.documentation = xml_text(_move_text(design, stage.id, branch.target, lang))
    for stage in lost_stages:
        _connect(graph, task_id(stage.id), f"Event_lost_{stage.id}", f"Flow_{stage.id}__lost")
    return graph


def _suffix(branch: _Branch) -> str:
    if branch.kind == "lost" and branch.target.startswith("Event_lost_"):
        return "lost"
    return f"to__{branch.target.removeprefix('Task_')}"


def _won_point(design: Design, stages: list[Stage]) -> str | None:
    """The stage after which a 受注 event is drawn: the KGI stage when it is not a won outcome and
    no won outcome stage comes before it; None when the design names its won stage."""
    if any(stage_outcome(s) == "won" for s in stages):
        return None
    goal = kgi_stage_id(design)
    return goal if goal in {s.id for s in stages} else None


def _branches(design: Design, stage: Stage, stages: list[Stage], lost_stages: list[Stage], lang: str) -> list[_Branch]:
    """The gateway's branches besides 'continue', merged per target, in a fixed order."""
    ids = [s.id for s in stages]
    position = ids.index(stage.id)
    following = ids[position + 1] if position + 1 < len(ids) else None
    merged: dict[tuple[str, str], _Branch] = {}

    def add(target: str, kind: str, label: str, condition: str) -> None:
        key = (target, kind)
        if key not in merged:
            merged[key] = _Branch(target, kind, [], [])
        if label not in merged[key].labels:
            merged[key].labels.append(label)
            merged[key].conditions.append(condition)

    for transition in design.transitions:
        if transition.from_ != stage.id or transition.to not in ids or transition.to == following:
            continue  # a transition to the next stage is the default branch already
        target = design.stage(transition.to)
        label = text_of(transition.label, lang) if transition.label else word("to", lang, name=text_of(target.name, lang))
        add(transition.to, "jump", xml_text(label), xml_text(_move_text(design, stage.id, transition.to, lang) or label))
    recoveries: dict[str, list[str]] = {}
    for reason in design.drop_reasons:
        recovery = reason.recovery_stage
        if stage.id in reason.stages and recovery and recovery in ids and recovery != following:
            recoveries.setdefault(recovery, []).append(xml_text(text_of(reason.name, lang)))
    for target_id, names in recoveries.items():
        shown = names if len(names) <= 2 else names[:2] + [word("more", lang, count=str(len(names) - 2))]
        label = f"{word('recover', lang)}: {join_names(shown, lang)}"
        add(target_id, "jump", label, f"{word('recover', lang)}: {join_names(names, lang)}")
    reasons = [xml_text(text_of(r.name, lang)) for r in design.drop_reasons if stage.id in r.stages]
    if reasons:
        shown = reasons if len(reasons) <= 3 else reasons[:3] + [word("more", lang, count=str(len(reasons) - 3))]
        label = f"{word('lost', lang)}: {join_names(shown, lang)}"
        add(f"Event_lost_{stage.id}", "lost", label, f"{word('lost', lang)}: {join_names(reasons, lang)}")
    at = design.stages.index(stage)
    if lost_stages and at + 1 < len(design.stages):
        after = design.stages[at + 1]
        if stage_outcome(after) == "lost":
            name = xml_text(text_of(after.name, lang))
            add(task_id(after.id), "lost", name, name)
    return list(merged.values())


def _move_text(design: Design, source: str, target: str, lang: str) -> str:
    """The criteria and required records of the design's transitions from `source` to `target`
    (移行基準 of the move, 必要な記録), one line each; empty when the design gives none."""
    names = {r.id: r.name for s in design.stages for r in s.records if r.id}
    names |= {r.id: r.name for r in design.account_plan if r.id}
    criteria: list[str] = []
    records: list[str] = []
    for transition in design.transitions:
        if transition.from_ == source and transition.to == target:
            criteria += [text_of(c, lang) for c in transition.criteria]
            records += [text_of(names[r], lang) if r in names else r for r in transition.required_records]
    lines = []
    if criteria:
        lines.append(f"{word('move_criteria', lang)}: " + join_names(list(dict.fromkeys(criteria)), lang))
    if records:
        lines.append(f"{word('required_records', lang)}: " + join_names(list(dict.fromkeys(records)), lang))
    return xml_text("\n".join(lines))


def _entered_more_than_once(stages: list[Stage], branches: dict[str, list[_Branch]]) -> set[str]:
    count = {s.id: 1 for s in stages}  # entered from the start or the previous stage
    for stage_branches in branches.values():
        for branch in stage_branches:
            if branch.kind == "jump":
                count[branch.target] += 1
    return {stage_id for stage_id, n in count.items() if n > 1}


def _add(graph: Graph, node: Node) -> Node:
    graph.nodes[node.id] = node
    next(lane for lane in graph.lanes if lane.id == node.lane).nodes.append(node.id)
    return node


def _connect(graph: Graph, source: str, target: str, flow_id: str, name: str = "", kind: str = "main",
             condition: str = "") -> Flow:
    flow = Flow(flow_id, source, target, xml_text(name), kind, xml_text(condition))
    graph.flows.append(flow)
    graph.nodes[source].outgoing.append(flow_id)
    graph.nodes[target].incoming.append(flow_id)
    return flow


def _lane_id(stage: Stage) -> str:
    return f"Lane_{stage.owner}" if stage.owner else UNASSIGNED_LANE


def _lanes(design: Design, lang: str) -> list[Lane]:
    """A lane per owner that owns a stage, and one for stages without an owner."""
    used = {stage.owner for stage in design.stages}
    lanes = [Lane(f"Lane_{o.id}", xml_text(text_of(o.name, lang))) for o in design.owners if o.id in used]
    if None in used:
        lanes.append(Lane(UNASSIGNED_LANE, word("unassigned", lang)))
    return lanes


def _documentation(stage: Stage, lang: str) -> str:
    parts: list[str] = []
    if stage.description:
        parts.append(text_of(stage.description, lang))
    if stage.exit_criteria:
        items = "\n".join(f"- {text_of(item, lang)}" for item in stage.exit_criteria)
        parts.append(f"{word('exit_criteria', lang)}:\n{items}")
    key = [text_of(r.name, lang) for r in stage.records if r.key]
    if key:
        parts.append(f"{word('key_fields', lang)}:\n" + "\n".join(f"- {name}" for name in key))
    required = [text_of(r.name, lang) for r in stage.records if r.required and not r.key]
    if required:
        parts.append(f"{word('required_records', lang)}:\n" + "\n".join(f"- {name}" for name in required))
    return xml_text("\n\n".join(parts))
