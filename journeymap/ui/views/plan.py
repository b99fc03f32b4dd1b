"""Plan: the reverse funnel from the KGIs with volumes, costs and CPA; what-if targets and rates."""

import pandas as pd
import streamlit as st

from journeymap import planning
from journeymap.editing import operations as editing
from journeymap.errors import InputError
from journeymap.model import text_of
from journeymap.text.format import money, number
from journeymap.ui import state, widgets
from journeymap.ui.strings import lang, md, shown, t

doc = widgets.require_doc()
design = doc.design
st.title(t("page.plan"))
st.caption(shown(design.name))


@st.cache_data(max_entries=64, show_spinner=False)
def plan_json(key: str, _design):
    """The plan's JSON document, with each stage's driving KGI (`kgi`) and the missing or 0 % rates
    that leave the stages before them unplanned (`unplanned`: a workshop may type 0 % on purpose,
    and the page still shows the stages, KGIs and costs it can)."""
    result = planning.plan(_design, partial=True)
    data = result.to_json()
    for row, stage in zip(data["stages"], result.stages):
        row["kgi"] = stage.kgi
    data["unplanned"] = list(result.unplanned)
    return data


controls, results = st.columns([2, 3], gap="large")
with controls:
    st.subheader(t("plan.what_if"))
    st.caption(t("plan.what_if_hint"))
    # No min/max on the inputs: the browser would clamp what is typed without a word. Values out
    # of range are refused here, at the input, with a message, and the plan keeps the design's.
    targets = {}
    for kgi in design.kgis:
        rate = kgi.unit == "rate"  # typed in percent, like the stage rates below
        label = f"{shown(kgi.name)} ({t('unit.rate_typed' if rate else f'unit.{kgi.unit}')})"
        value = st.number_input(
            label, value=float(editing.percent(kgi.target) if rate else kgi.target), step=0.5 if rate else 1.0,
            format="%.1f" if rate else "%.0f", key=f"plan_target.{kgi.id}.{doc.key}",
        )
        if value is None:
            st.caption(t("plan.empty_kept"))
        elif rate and not 0 <= value <= 100:
            st.error(t("msg.between", field=label, low="0%", high="100%", value=f"{value:g}%"), icon=":material/error:")
        elif value < 0:
            st.error(t("msg.at_least", field=label, low="0", value=f"{value:,g}"), icon=":material/error:")
        else:
            targets[kgi.id] = editing.rate_from_percent(value, kgi.target) if rate else value
    rates = {}
    for stage in design.funnel_stages[1:]:
        label = t("plan.rate_of", stage=shown(stage.name))
        planned = editing.percent(stage.target_rate)
        value = st.number_input(
            label, value=None if planned is None else float(planned), step=0.5, format="%.1f",
            key=f"plan_rate.{stage.id}.{doc.key}",
        )
        if value is None:
            if planned is not None:
                st.caption(t("plan.empty_kept"))
            continue
        if not 0 <= value <= 100:
            st.error(t("msg.between", field=label, low="0%", high="100%", value=f"{value:g}%"), icon=":material/error:")
            continue
        rates[stage.id] = editing.rate_from_percent(value)
    try:
        scenario = editing.what_if(design, targets, rates)
    except InputError as exc:
        widgets.show_issues(exc, design)
        st.stop()
    changed = scenario != design
    if st.button(t("plan.apply"), icon=":material/done_all:", disabled=not changed, type="primary", key="plan_apply"):
        state.replace(scenario)
        state.notice("plan_applied")
        st.rerun()
    if changed:
        st.caption(t("plan.unapplied"))

with results:
    scenario_key = state.content_key(scenario) if changed else doc.key
    try:
        plan = plan_json(scenario_key, scenario)
    except InputError as exc:
        widgets.show_issues(exc, scenario, edit=False)  # nothing was edited here: the design is as it was
        st.stop()
    stages = plan.get("stages", [])
    names = {s.id: text_of(s.name, lang()) for s in design.stages}
    if plan.get("unplanned"):
        lines = "\n".join(f"- {widgets.issue_text(issue, scenario)}" for issue in plan["unplanned"])
        st.warning(f"{lines}\n\n{t('plan.partial')}", icon=":material/warning:")
    a, b, c = st.columns(3)
    a.metric(t("plan.total_cost"), money(plan.get("total_cost"), design.currency))
    # what CPA divides by: the acquisition KGI's required count at its stage (the design's choice, else its default)
    acquisition_kgi = next((k for k in plan.get("kgis", []) if k["id"] == plan.get("acquisition_kgi")), None)
    acquisition = acquisition_kgi if acquisition_kgi and acquisition_kgi.get("required") else None
    kgi_names = {k.id: text_of(k.name, lang()) for k in design.kgis}
    b.metric(t("plan.cpa"), money(plan.get("cpa"), design.currency), help=None if acquisition is None else t(
        "plan.cpa_help", kgi=md(kgi_names.get(acquisition["id"], acquisition["id"])),
        stage=md(names.get(acquisition["stage"], acquisition["stage"])), n=number(acquisition["required"])))
    if stages:
        c.metric(t("plan.top_required", stage=md(names.get(stages[0]["id"], stages[0]["id"]))), number(stages[0].get("required")))
    if plan.get("cpa") is None:  # say why CPA is "—"
        if plan.get("total_cost") is None:
            st.caption(t("plan.cpa_none_unplanned" if plan.get("unplanned") else "plan.cpa_none_no_cost"))
        elif acquisition_kgi is not None:
            st.caption(t("plan.cpa_none_zero", kgi=md(kgi_names.get(acquisition_kgi["id"], acquisition_kgi["id"])),
                         stage=md(names.get(acquisition_kgi["stage"], acquisition_kgi["stage"]))))
    # when KGIs disagree (受注件数 0 beside 受注金額 ¥15,000,000), each stage says which one it plans for
    several = len({s.get("kgi") for s in stages if s.get("kgi")}) > 1 or sum(1 for k in plan.get("kgis", []) if k.get("planned")) > 1
    probabilities = planning.stage_probabilities(scenario)  # the one source the CRM exports and compare use
    table = pd.DataFrame(
        [
            {
                t("plan.col.stage"): names.get(s["id"], s["id"]),
                t("plan.col.required"): s.get("required"),
                t("plan.col.kgi"): kgi_names.get(s["kgi"], s["kgi"]) if s.get("kgi") else None,
                t("plan.col.rate"): editing.percent(s.get("rate")) if s.get("rate") is not None else None,
                t("plan.col.probability"): editing.percent(probabilities[s["id"]]) if s["id"] in probabilities else None,
                t("plan.col.unit_cost"): s.get("unit_cost"),
                t("plan.col.cost"): s.get("cost"),
            }
            for s in stages
        ]
    )
    if design.counts == "accounts":  # an account is not won: no chance to win, and no CRM gets one
        table = table.drop(columns=[t("plan.col.probability")])
    if not several:
        table = table.drop(columns=[t("plan.col.kgi")])
    st.dataframe(
        table, hide_index=True, width="stretch", placeholder="—",
        column_config={
            t("plan.col.required"): st.column_config.NumberColumn(format="localized"),
            t("plan.col.kgi"): st.column_config.TextColumn(help=t("plan.kgi_help")),
            t("plan.col.rate"): st.column_config.NumberColumn(format="%.1f%%"),
            t("plan.col.probability"): st.column_config.NumberColumn(format="%.1f%%", help=t("plan.probability_help")),
            t("plan.col.unit_cost"): st.column_config.NumberColumn(format="localized"),
            t("plan.col.cost"): st.column_config.NumberColumn(format="localized"),
        },
    )
    st.subheader(t("plan.funnel_diagram"))
    widgets.diagram(scenario, scenario_key, "funnel")
