"""Presenter view: the slide the Present tab shows, its notes and what comes next (for a second screen)."""

import streamlit as st

from journeymap.model import text_of
from journeymap.render.slides import slide_title, slides
from journeymap.ui import state, widgets
from journeymap.ui.panels import present as parts
from journeymap.ui.strings import lang, md, t

doc = widgets.require_doc()
st.title(t("presenter.title"))
st.caption(t("presenter.hint"))


@st.fragment(run_every=3)
def follow() -> None:
    """Redrawn every three seconds: follows the slide of the Present tab."""
    design = state.current().design
    deck = slides(design)
    step = min(state.presented(doc.id), len(deck) - 1)
    slide = deck[step]
    kicker, title = slide_title(design, slide, lang())
    now, notes = st.columns([3, 2], gap="large")
    with now:
        st.markdown(f"**{t('presenter.now', n=step + 1, total=len(deck))}** · {md(kicker)} — {md(title)}")
        st.html("<style>.jm-preview { height: 55vh; display: flex; } .jm-preview svg { width: 100%; height: 100%; }</style>")
        parts.show(design, doc.key, slide, False, lang(), css_class="jm-preview")
    with notes:
        st.subheader(t("presenter.notes"))
        stage = design.stage(slide.id) if slide.kind == "stage" and slide.id else None
        text = text_of(stage.notes, lang()) if stage is not None and stage.notes else ""
        if text:
            st.markdown(f"<div style='font-size:1.4rem;line-height:1.6'>{md(text)}</div>".replace("\n", "<br>"), unsafe_allow_html=True)
        else:
            st.caption(t("presenter.no_notes"))
        st.subheader(t("presenter.next"))
        if step + 1 < len(deck):
            nxt_kicker, nxt_title = slide_title(design, deck[step + 1], lang())
            st.markdown(f"{md(nxt_kicker)} — **{md(nxt_title)}**")
        else:
            st.caption(t("presenter.end"))


follow()
