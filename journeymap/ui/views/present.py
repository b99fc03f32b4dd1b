"""Present: the design on a projector, stage by stage, with the whole diagram and the stage lit."""

import streamlit as st

from journeymap.ui import auth, widgets
from journeymap.ui.panels import present as parts
from journeymap.ui.strings import t

doc = widgets.require_doc()
design = doc.design
dark = st.session_state.get("present_dark", False)
parts.projector_style(dark)

steps = [None, *[s.id for s in design.stages]]
step_key = f"present_step.{doc.id}"
step = min(st.session_state.get(step_key, 0), len(steps) - 1)


def go(delta: int) -> None:
    st.session_state[step_key] = max(0, min(len(steps) - 1, step + delta))


bar = st.columns([1, 1, 4, 2, 1, 1], vertical_alignment="center")
bar[0].page_link(widgets.page_path("design.py" if auth.may("edit") else "library.py"), label=t("present.exit"), icon=":material/close:")
bar[1].toggle(t("present.dark"), key="present_dark")
bar[3].markdown(f"<div class='jm-step'>{step} / {len(steps) - 1}</div>", unsafe_allow_html=True)
bar[4].button("◀", key="present_prev", on_click=go, args=(-1,), disabled=step == 0, help=t("present.prev"), shortcut="Left", width="stretch")
bar[5].button("▶", key="present_next", on_click=go, args=(1,), disabled=step == len(steps) - 1, help=t("present.next"), shortcut="Right", width="stretch")

theme = "projector-dark" if dark else "projector"
if steps[step] is None:
    # The overview: what the design is for, then the whole process as large as the screen allows.
    parts.overview(design)
    widgets.diagram(design, doc.key, "process", theme=theme, detail="compact")
else:
    text, picture = st.columns([2, 3], gap="large")
    with text:
        parts.stage_slide(design, steps[step])
    with picture:
        widgets.diagram(design, doc.key, "process", theme=theme, detail="compact", highlight=steps[step])
        parts.playbook(design, steps[step])
st.caption(t("present.keys"))
