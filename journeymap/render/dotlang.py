r"""Writing DOT text safely: quoting, HTML-like labels and deterministic statements.

User text never reaches DOT unescaped. Two escapes exist because DOT has two kinds of strings:
- `quote(text)` for a double-quoted string (tooltips, plain labels): backslashes and quotes are
  escaped, line breaks become `\n`, control characters are dropped;
- `esc(text)` for text inside an HTML-like label `<...>`: `& < > "` become entities and
  backslashes are doubled (graphviz expands `\N` even there), so a stage named `</TD></TR>` or
  `x"]; injected [label="y` stays text.
Node ids are always our own (`st3`, `ph1`), never the user's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Html:
    """An HTML-like label body, written as `<...>`; build it only from `esc`aped text."""

    body: str


def clean(text: str) -> str:
    """Text without control characters; tabs become spaces, line breaks become `\\n`."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text)


def quote(text: str) -> str:
    """A DOT double-quoted string holding `text` literally."""
    text = clean(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def esc(text: str) -> str:
    """`text` for an HTML-like label: entities for `& < > "`, line breaks as `<BR/>`."""
    # Graphviz expands `\N`, `\G`, ... inside HTML labels too; a doubled backslash stays literal.
    text = clean(text).replace("\\", "\\\\")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return text.replace("\n", "<BR/>")


def value(v: object) -> str:
    """One attribute value in DOT syntax."""
    if isinstance(v, Html):
        return f"<{v.body}>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _number(v)
    return quote(str(v))


def _number(x: float) -> str:
    text = f"{x:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def attrs(items: Mapping[str, object]) -> str:
    """`[a=1, b="x"]` in the given order; None values are left out; '' when nothing is left."""
    parts = [f"{k}={value(v)}" for k, v in items.items() if v is not None]
    return f" [{', '.join(parts)}]" if parts else ""


class Dot:
    """A DOT document assembled statement by statement, in the order they are added."""

    def __init__(self, name: str = "journeymap", directed: bool = True):
        self.name = name
        self.directed = directed
        self.lines: list[str] = []
        self._depth = 1

    def _add(self, line: str) -> None:
        self.lines.append("  " * self._depth + line)

    def comment(self, text: str) -> None:
        self._add("// " + clean(text).replace("\n", " "))

    def defaults(self, kind: str, items: Mapping[str, object]) -> None:
        """`graph [...]`, `node [...]` or `edge [...]`."""
        self._add(f"{kind}{attrs(items)};")

    def set(self, key: str, v: object) -> None:
        self._add(f"{key}={value(v)};")

    def node(self, node_id: str, items: Mapping[str, object]) -> None:
        self._add(f"{_safe_id(node_id)}{attrs(items)};")

    def edge(self, tail: str, head: str, items: Mapping[str, object] | None = None) -> None:
        arrow = "->" if self.directed else "--"
        self._add(f"{_safe_id(tail)} {arrow} {_safe_id(head)}{attrs(items or {})};")

    def open(self, name: str | None = None, items: Mapping[str, object] | None = None) -> None:
        """Start a subgraph (a cluster when its name starts with `cluster`); close it with `close`."""
        self._add(f"subgraph {_safe_id(name)} {{" if name else "{")
        self._depth += 1
        for k, v in (items or {}).items():
            if v is not None:
                self.set(k, v)

    def close(self) -> None:
        self._depth -= 1
        self._add("}")

    def same_rank(self, node_ids: Iterable[str]) -> None:
        self._add("{rank=same; " + " ".join(f"{_safe_id(n)};" for n in node_ids) + "}")

    def text(self) -> str:
        kind = "digraph" if self.directed else "graph"
        return f"{kind} {_safe_id(self.name)} {{\n" + "\n".join(self.lines) + "\n}\n"


def _safe_id(node_id: str) -> str:
    if not _ID.match(node_id):
        raise ValueError(f"not a safe DOT id: {node_id!r}")
    return node_id
