"""Mermaid flowchart: a subgraph per phase, a node per stage, planned rates on the edges.

Top to bottom by default (`direction="TB"`): phases are subgraphs stacked vertically and labels are
wrapped, so every template stays under about 1,200 px wide and a wiki's column shows it at a
readable size; `direction="LR"` lays the phases out left to right instead (wide: for a screen).

User text only ever appears inside double-quoted labels, and every character Mermaid could read as
syntax is written as one of Mermaid's entity codes (`#quot;`, `#35;`, …), which Mermaid decodes
after parsing; newlines become `<br>`. Node and subgraph ids come from the design's ids with a
prefix, so a stage called `end` or `graph` cannot clash with a keyword.
"""

from __future__ import annotations

from journeymap.export import Format, register
from journeymap.model import Design, Stage, text_of
from journeymap.text.format import planned_rate
from journeymap.text.width import wrap

DIRECTIONS = ("TB", "LR")
LABEL_COLUMNS = 16  # display columns per label line: 8 Japanese characters
EDGE_LABEL_COLUMNS = 20

# Characters written as entity codes inside labels. '#' goes first so that the codes written for
# the others are not escaped again.
_CODES = {
    "#": "#35;",
    "&": "#amp;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "|": "#124;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "(": "#40;",
    ")": "#41;",
    ";": "#59;",
    ":": "#58;",
    "`": "#96;",
    "\\": "#92;",
}


def escape_label(text: str) -> str:
    """Text for inside a quoted Mermaid label: syntax characters as entity codes, lines as <br>."""
    out = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for index, char in enumerate(text):
        if char == "%" and "%" in text[max(index - 1, 0) : index] + text[index + 1 : index + 2]:
            out.append("#37;")  # '%%' starts a directive or comment anywhere; a lone '%' is fine
        elif char in _CODES:
            out.append(_CODES[char])
        elif char == "\n":
            out.append("<br>")
        elif char == "\t":
            out.append(" ")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            continue
        else:
            out.append(char)
    return "".join(out)


def _id(prefix: str, slug: str) -> str:
    # Slugs have no '_', so turning '-' into '_' keeps distinct ids distinct.
    return f"{prefix}_{slug.replace('-', '_')}"


def _wrapped(text: str, columns: int) -> str:
    """A label escaped line by line and wrapped at `columns` display columns."""
    return "<br>".join(escape_label(line) for line in wrap(text, columns))


def _stage_node(design: Design, stage: Stage, lang: str, columns: int) -> str:
    label = _wrapped(text_of(stage.name, lang), columns)
    if stage.owner:
        label += "<br>" + _wrapped(f"({text_of(design.owner(stage.owner).name, lang)})", columns)
    open_, close = ("(", ")") if stage.funnel else ("[", "]")
    return f'{_id("stage", stage.id)}{open_}"{label}"{close}'


def to_mermaid(design: Design, lang: str = "ja", direction: str = "TB") -> str:
    """The design as a Mermaid flowchart, top to bottom (TB) or left to right (LR); ends with a newline."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not '{direction}'")
    wide = direction == "LR"
    columns = 1000 if wide else LABEL_COLUMNS  # LR keeps names on one line, as before
    lines = [f"flowchart {direction}"]
    for phase in design.phases:
        lines.append(f'  subgraph {_id("phase", phase.id)}["{escape_label(text_of(phase.name, lang))}"]')
        lines.append(f"    direction {direction}")
        for stage in phase.stages:
            lines.append(f"    {_stage_node(design, stage, lang, columns)}")
        lines.append("  end")
    stages = design.stages
    for before, after in zip(stages, stages[1:]):
        arrow = "-->"
        if after.funnel and after.target_rate is not None:
            arrow = f'-->|"{escape_label(planned_rate(after.target_rate))}"|'
        lines.append(f"  {_id('stage', before.id)} {arrow} {_id('stage', after.id)}")
    for transition in design.transitions:
        arrow = "-.->"
        if transition.label:
            label = text_of(transition.label, lang)
            arrow = f'-.->|"{escape_label(label) if wide else _wrapped(label, EDGE_LABEL_COLUMNS)}"|'
        lines.append(f"  {_id('stage', transition.from_)} {arrow} {_id('stage', transition.to)}")
    funnel = [_id("stage", s.id) for s in design.funnel_stages]
    lines.append("  classDef funnel fill:#eef4ff,stroke:#3566c8,stroke-width:2px")
    if funnel:
        lines.append(f"  class {','.join(funnel)} funnel")
    return "\n".join(lines) + "\n"


register(
    Format(
        "mermaid",
        "mmd",
        "text/vnd.mermaid",
        to_mermaid,
        "Mermaid flowchart (wikis, GitHub, Notion); top to bottom, or --direction LR",
        options=("lang", "direction"),
    )
)
