"""Present: the design on a projector, slide by slide (overview, each phase, each stage), 16:9."""

import streamlit as st

from journeymap.export import export, formats
from journeymap.render.slides import slides
from journeymap.ui import auth, state, widgets
from journeymap.ui.panels import present as parts
from journeymap.ui.strings import lang, t

doc = widgets.require_doc()
design = doc.design
deck = slides(design)
step_key = f"present_step.{doc.id}"
step = max(0, min(st.session_state.get(step_key, 0), len(deck) - 1))
st.session_state[step_key] = step
state.presenting(doc.id, step)


def go(to: int) -> None:
    st.session_state[step_key] = max(0, min(len(deck) - 1, to))


bar = st.columns([1.3, 1.2, 1.6, 1.6, 1.4, 1.2, 0.7, 0.7, 0.7, 0.7], vertical_alignment="center")
with bar[0].container(key="present_exit"):
    st.page_link(widgets.page_path("design.py" if auth.may("edit") else "library.py"), label=t("present.exit"), icon=":material/close:")
dark = bar[1].toggle(t("present.dark"), key="present_dark", persist_state="session")
bar[2].markdown(
    f"<a href='presenter?{state.SESSION_PARAM}={state.session_token()}&{state.DESIGN_PARAM}={doc.id}' target='_blank'>"
    f"{t('present.presenter_view')}</a>",
    unsafe_allow_html=True,
)
with bar[3].popover(t("present.download"), icon=":material/download:"):
    for name, fmt in formats().items():
        if name in ("pptx", "slides-pdf"):
            st.download_button(
                t(f"format.{name}"), data=lambda name=name, language=lang(): export(design, name, lang=language),  # noqa: B008 (made on click)
                file_name=f"{design.id}{'-slides' if name == 'slides-pdf' else ''}.{fmt.extension}", mime=fmt.media_type,
                key=f"present_export.{name}", on_click="ignore", icon=":material/download:", width="stretch",
            )
bar[5].markdown(f"<div class='jm-step'>{step + 1} / {len(deck)}</div>", unsafe_allow_html=True)
bar[6].button("", icon=":material/first_page:", key="present_first", on_click=go, args=(0,), disabled=step == 0, help=t("present.first"), width="stretch")
bar[7].button("◀", key="present_prev", on_click=go, args=(step - 1,), disabled=step == 0, help=t("present.prev"), width="stretch")
bar[8].button("▶", key="present_next", on_click=go, args=(step + 1,), disabled=step == len(deck) - 1, help=t("present.next"), width="stretch")
bar[9].button("", icon=":material/last_page:", key="present_last", on_click=go, args=(len(deck) - 1,), disabled=step == len(deck) - 1, help=t("present.last"), width="stretch")

parts.projector_style(dark)
parts.keys()
parts.show(design, doc.key, deck[step], dark, lang())
