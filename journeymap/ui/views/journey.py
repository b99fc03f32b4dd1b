"""Journey: the customer journey's phases and lanes, the emotion curve, links to stages."""

import altair as alt
import pandas as pd
import streamlit as st

from journeymap.editing import operations as editing
from journeymap.editing import tables
from journeymap.model import text_of
from journeymap.ui import state, widgets
from journeymap.ui.strings import field_label, lang, shown, t

cc = st.column_config
doc = widgets.require_doc()
design = doc.design
st.title(t("page.journey"))
st.caption(shown(design.name))

editor, preview = widgets.editor_and_preview()
with editor:
    persona_shown = text_of(design.journey.persona if design.journey else None, lang())
    persona = st.text_input(field_label("persona"), persona_shown, key=widgets.wkey("persona"), help=t("help.persona"))
    if persona != persona_shown:
        widgets.attempt(lambda: editing.set_meta(design, lang(), persona=persona))

    stage_ids = [s.id for s in design.stages]
    names = {s.id: text_of(s.name, lang()) for s in design.stages}
    columns = {
        "id": cc.TextColumn(field_label("id"), help=t("help.id"), width="small"),
        "name": cc.TextColumn(field_label("name"), required=True, width="medium"),
        "emotion": cc.NumberColumn(field_label("emotion"), help=t("help.emotion"), min_value=-2, max_value=2, step=1, format="%d"),
        "stages": cc.MultiselectColumn(field_label("stages"), options=stage_ids, format_func=lambda s: names.get(s, s), help=t("help.journey_stages")),
        **{lane: cc.ListColumn(field_label(lane), help=t("help.lane"), width="medium") for lane in tables.JOURNEY_LANES},
        "description": cc.TextColumn(field_label("description"), width="large"),
    }
    st.subheader(t("journey.phases"))
    widgets.table_editor(
        "journey",
        tables.journey_rows(design, lang()),
        columns,
        lambda rows: tables.apply_journey(state.current().design, rows, lang()),
        ("journey", "phases"),
    )
    st.caption(t("journey.hint"))
    if design.journey and len(design.journey.phases) > 1:
        jnames = {p.id: text_of(p.name, lang()) for p in design.journey.phases}
        pick, up, down = st.columns([4, 1, 1], vertical_alignment="bottom")
        moving = pick.selectbox(t("journey.reorder"), list(jnames), format_func=jnames.get, key=widgets.wkey("journey_move_pick"))
        if up.button("↑", key="journey_up", help=t("design.move_up"), width="stretch"):
            widgets.attempt(lambda: editing.move_journey_phase(design, moving, -1))
        if down.button("↓", key="journey_down", help=t("design.move_down"), width="stretch"):
            widgets.attempt(lambda: editing.move_journey_phase(design, moving, 1))

    st.subheader(t("journey.emotion_curve"))
    phases = design.journey.phases if design.journey else []
    points = pd.DataFrame(
        [{"order": i, "phase": text_of(p.name, lang()), "emotion": p.emotion} for i, p in enumerate(phases)],
        columns=["order", "phase", "emotion"],
    )
    if points["emotion"].notna().any():
        order = list(points["phase"])
        x = alt.X("phase:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=160))
        y = alt.Y("emotion:Q", scale=alt.Scale(domain=[-2, 2]), title=field_label("emotion"), axis=alt.Axis(values=[-2, -1, 0, 1, 2], format="d"))
        line = alt.Chart(points.dropna()).mark_line(interpolate="monotone", strokeWidth=3, point=alt.OverlayMarkDef(size=120)).encode(
            x=x, y=y, tooltip=[alt.Tooltip("phase:N", title=t("chart.phase")), alt.Tooltip("emotion:Q", title=field_label("emotion"))]
        )
        zero = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(strokeDash=[4, 4], color="#888").encode(y="zero:Q")
        widgets.chart(line + zero, t("journey.emotion_curve"))
    else:
        st.info(t("journey.no_emotion"), icon=":material/info:")

with preview:
    st.subheader(t("journey.diagram"))
    widgets.layout_switch()
    doc = state.current()
    widgets.diagram(doc.design, doc.key, "journey")
