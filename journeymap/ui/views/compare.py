"""Compare: upload actuals, map columns and stage names, then planned vs actual per stage."""

import contextlib

import streamlit as st

from journeymap import limits
from journeymap.actuals.values import AmbiguousDates
from journeymap.compare.outcomes import with_won_stage
from journeymap.errors import InputError
from journeymap.text.catalogue import counted
from journeymap.ui import widgets
from journeymap.ui.panels import compare as parts
from journeymap.ui.strings import labels, shown, t

doc = widgets.require_doc()
design = doc.design
st.title(t("page.compare"))
st.caption(shown(design.name))

upload = widgets.uploader(t("compare.upload"), ["csv", "tsv", "txt", "xlsx"], "actuals_file", t(counted("help.actuals", design.counts)),
                          limits.ACTUALS_UPLOAD_MB)
if upload is None:
    st.info(t("compare.hint"), icon=":material/upload_file:")
    st.stop()

content, source = upload.getvalue(), upload.name
try:
    inspection = parts.inspect(content, source, design)
except InputError as exc:
    widgets.show_issues(exc, edit=False)
    st.stop()
needs_mapping = inspection.shape is None or bool(inspection.unmatched_stages) or st.session_state.get("jm_compare_open", False)
with st.expander(t("compare.mapping"), icon=":material/tune:", expanded=needs_mapping):
    columns = parts.column_mapping(inspection, design)
    if columns:
        try:
            inspection = parts.inspect(content, source, design, columns=columns)
        except InputError as exc:
            widgets.show_issues(exc, edit=False)
            st.stop()
    stage_map = parts.stage_mapping(inspection, design, columns)
as_of = widgets.date_input(t("compare.as_of"), value=None, key="actuals_as_of", help=t("help.as_of"))
if not parts.known_periods(content):  # the whole file first: its periods are what the window picker offers
    with contextlib.suppress(InputError):  # shown below
        parts.remember_periods(content, parts.comparison(content, source, design, doc.key, columns, stage_map, as_of,
                                                         st.session_state.get(parts.DATE_ORDER))["json"])
window = parts.window_controls(content, as_of, design)

try:
    result = parts.comparison(content, source, design, doc.key, columns, stage_map, as_of,
                              st.session_state.get(parts.DATE_ORDER), window)
except AmbiguousDates as exc:
    parts.ask_date_order(exc)
    st.stop()
except InputError as exc:
    st.session_state["jm_compare_open"] = True
    widgets.show_issues(exc, edit=False)
    st.stop()
data, report = result["json"], result["html"]
parts.remember_periods(content, data)
parts.notes(result.get("notes", []))

parts.window_line(data, design)
parts.summary(data, design)
parts.funnel_chart(data)
# The diagram takes the page's width, below the chart: beside it, at 1280 px (a projector), its
# smallest text was about 5 px high.
view = st.segmented_control(t("transfer.view"), ["funnel", "process"], default="funnel", required=True,
                            format_func=labels("view"), key="compare_view")
drawn = with_won_stage(design)[0] if data.get("added_won") else design  # with the 受注 stage compare counts wins at
widgets.diagram(drawn, f"{doc.key}:{result['key']}", view or "funnel", overlay=data)
parts.period_chart(data, design)
parts.pace(data, design)
parts.stage_table(data)
parts.forecast(data, design)
parts.paths(data, design)
parts.pauses_and_temperature(data, design)
parts.stagnation(data, design)
parts.records_filled(data, design)
parts.owner_costs(data, design)
st.download_button(
    t("compare.report"), data=report.encode("utf-8"), file_name=f"{design.id}-compare.html", mime="text/html",
    icon=":material/download:", key="compare_report", on_click="ignore", type="primary",
)
