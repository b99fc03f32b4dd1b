"""Plan: the reverse funnel from the KGIs with volumes, costs and CPA; what-if targets and rates."""

import pandas as pd
import streamlit as st

from journeymap import planning
from journeymap.editing import operations as editing
from journeymap.errors import InputError
from journeymap.model import text_of
from journeymap.text.format import DASH, money, number, percent, planned_rate
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
    # KGIs that disagree (受注件数 0 beside 受注金額 ¥15,000,000): say what each asks and which one the stages
    # are planned for (a sentence, not a table column: the table keeps every column on screen at 1280 px)
    planned_kgis = [k for k in plan.get("kgis", []) if k.get("planned")]
    by_stage: dict[str, set] = {}
    for k in planned_kgis:
        by_stage.setdefault(k["stage"], set()).add(k.get("required"))
    if len(planned_kgis) > 1 and (len({k.get("top_required") for k in planned_kgis}) > 1 or any(len(v) > 1 for v in by_stage.values())):
        drivers = list(dict.fromkeys(s["kgi"] for s in stages if s.get("kgi")))
        each = t("plan.list_sep").join(
            t("plan.kgi_need", kgi=md(kgi_names.get(k["id"], k["id"])), stage=md(names.get(k["stage"], k["stage"])),
              n=number(k.get("required")))
            for k in planned_kgis)
        driver = t("plan.list_sep").join(t("plan.kgi_quoted", kgi=md(kgi_names.get(d, d))) for d in drivers)
        st.info(t("plan.kgis_disagree", each=each, driver=driver), icon=":material/info:")
    probabilities = planning.stage_probabilities(scenario)  # the one source the CRM exports and compare use
    # An HTML table, not a data grid: on a projector at 1280×720 every column is on screen with no
    # sideways scrolling, long stage names wrap and no figure is cut (the grid squeezed its columns:
    # 13,500,000 read 3,500,000). Figures stay numbers (the table aligns them right), shown as the
    # rest of the app writes them; a cost that does not exist is "—".
    columns = ["stage", "required", "rate", *(["probability"] if design.counts != "accounts" else []), "unit_cost", "cost"]
    rows = [
        {
            "stage": md(names.get(s["id"], s["id"])),
            "required": s.get("required"),
            "rate": s.get("rate"),
            "probability": probabilities.get(s["id"]),  # an account is not won: no chance to win
            "unit_cost": s.get("unit_cost"),
            "cost": s.get("cost"),
        }
        for s in stages
    ]
    shown_as = {"required": number, "rate": planned_rate, "probability": percent,
                "unit_cost": lambda v: number(v, 2), "cost": lambda v: number(v, 2)}
    label = {c: t(f"plan.col.{c}") for c in columns}
    figures_of = columns[1:]
    figures = [label[c] for c in figures_of]
    table = pd.DataFrame(rows, columns=columns).astype(dict.fromkeys(figures_of, float)).rename(columns=label)
    st.table(
        table.style.format({label[c]: shown_as[c] for c in figures_of}, na_rep=DASH)
        .set_properties(subset=figures, **{"white-space": "nowrap"})  # a figure never breaks across lines
        # a figure's heading right above it; a heading breaks between words only (必要件数, not 必要件 / 数)
        .set_table_styles([{"selector": f"th.col{i}", "props": "text-align: right !important"}
                           for i in range(1, len(columns))]
                          + [{"selector": "th, th p", "props": "word-break: keep-all !important"}]),
        hide_index=True,
    )
    if "probability" in columns:
        st.caption(t("plan.probability_help"))
    st.subheader(t("plan.funnel_diagram"))
    widgets.diagram(scenario, scenario_key, "funnel")
