"""Graphviz DOT: the process view (or another view) as text any graphviz tool can lay out."""

from __future__ import annotations

from journeymap.export import Format, register
from journeymap.model import Design


def write_dot(design: Design, lang: str = "ja", view: str = "process", theme: str = "default",
              detail: str = "compact") -> str:
    from journeymap.render import to_dot

    return to_dot(design, view=view, theme=theme, lang=lang, detail=detail)


register(
    Format(
        "dot",
        "dot",
        "text/vnd.graphviz",
        write_dot,
        "Graphviz DOT of the process diagram (lay out with `dot -Tsvg`)",
        options=("lang", "view", "theme", "detail"),
    )
)
