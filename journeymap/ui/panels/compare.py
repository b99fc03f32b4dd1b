"""The Compare page's pieces: inspection and mapping of the upload, the comparison, its views."""

from __future__ import annotations

import hashlib
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from journeymap import limits
from journeymap.actuals import reading as actuals
from journeymap.compare import funnel as compare
from journeymap.model import Design, text_of
from journeymap.report.html import report_html
from journeymap.report.json_output import comparison_json
from journeymap.text.format import DASH, money, number, percent
from journeymap.text.glossary import status_mark
from journeymap.ui.strings import lang, md, t

# Roles offered for manual mapping (the reader knows more; these are the ones people map).
EVENT_ROLES = ("deal_id", "stage", "timestamp", "amount", "status", "lost_reason", "owner", "channel", "segment",
               "next_action_date")
COUNT_ROLES = ("stage", "count", "period", "segment", "cost")


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:16]


def inspect(content: bytes, source: str, design: Design, columns: dict | None = None, stage_map: dict | None = None):
    """What the file looks like (columns, guessed roles, stage values matched to the design)."""
    key = ("jm_inspect", _digest(content), source, repr(sorted((columns or {}).items())), repr(sorted((stage_map or {}).items())))
    cache = st.session_state.setdefault("jm_inspect_cache", {})
    if key not in cache:
        cache.clear()
        cache[key] = actuals.inspect_actuals(content, source, design, columns=columns, stage_map=stage_map)
    return cache[key]


def column_mapping(inspection) -> dict[str, str] | None:
    """Selectboxes role → column, preset with the reader's guesses; the user's choices override."""
    st.caption(t("compare.columns_found", n=len(inspection.columns), rows=inspection.rows,
                 shape=t(f"compare.shape.{inspection.shape}") if inspection.shape else t("compare.shape.unknown")))
    if inspection.sample:
        st.dataframe(pd.DataFrame(inspection.sample), hide_index=True, width="stretch", height=180)
    roles = COUNT_ROLES if inspection.shape == "counts" else EVENT_ROLES
    options = ["", *inspection.columns]
    none = t("compare.none")
    chosen: dict[str, str] = {}
    grid = st.columns(3)
    for i, role in enumerate(roles):
        current = inspection.roles.get(role, "")
        value = grid[i % 3].selectbox(
            t(f"role.{role}"), options, index=options.index(current) if current in options else 0,
            key=f"role.{role}.{_digest(repr(inspection.columns).encode())}",
            format_func=lambda c: c or none,
        )
        if value:
            chosen[role] = value
    changed = {r: c for r, c in chosen.items() if inspection.roles.get(r) != c}
    return changed or None


def stage_mapping(inspection, design: Design, columns: dict | None) -> dict[str, str] | None:
    """For stage values that match no stage: choose the stage, 'lost', or 'ignore'."""
    stage_ids = [s.id for s in design.stages]
    names = {s.id: text_of(s.name, lang()) for s in design.stages}
    unmatched = [v for v in inspection.stage_values if v.stage is None]
    matched = [v for v in inspection.stage_values if v.stage is not None]
    if matched:
        pairs = ", ".join(f"{md(v.value)} → {md(_target_label(v.stage, names))}" for v in matched[:limits.MATCHED_VALUES_SHOWN])
        st.caption(t("compare.matched", values=pairs))
    if not unmatched:
        return None
    st.warning(t("compare.unmatched", n=len(unmatched)), icon=":material/help:")
    options = ["", *stage_ids, ":lost", ":ignore"]

    fixed = {"": t("compare.choose"), ":lost": t("compare.lost"), ":ignore": t("compare.ignore")}

    def label(option: str) -> str:
        return fixed.get(option) or f"{names[option]} ({option})"

    mapping: dict[str, str] = {}
    grid = st.columns(2)
    for i, value in enumerate(unmatched[:limits.UNMATCHED_CHOICES_SHOWN]):
        chosen = grid[i % 2].selectbox(
            t("compare.value_count", value=md(value.value), count=value.count), options, format_func=label,
            key=f"stage_map.{_digest(value.value.encode())}",
        )
        if chosen:
            mapping[value.value] = chosen
    return mapping or None


def _target_label(stage: str, names: dict[str, str]) -> str:
    if stage.startswith(":"):
        return t(f"compare.{stage[1:]}")
    return names.get(stage, stage)


def comparison(content: bytes, source: str, design: Design, design_key: str, columns, stage_map, as_of,
               date_order: str | None = None) -> dict[str, Any]:
    """Read the actuals (with a progress bar) and compare; kept per file, design, mapping and date."""
    key = _digest(repr((_digest(content), source, design_key, sorted((columns or {}).items()),
                        sorted((stage_map or {}).items()), str(as_of), date_order, lang())).encode())
    kept = st.session_state.get("jm_comparison")
    if kept and kept["key"] == key:
        return kept
    text = t("compare.reading", source=source)
    bar = st.progress(0.0, text=text)
    try:
        read = actuals.read_actuals(content, source, design, columns=columns, stage_map=stage_map, date_order=date_order,
                                    progress=lambda f: bar.progress(min(max(float(f), 0.0), 1.0), text=text))
        result = compare.compare(design, read, as_of=as_of)
    finally:
        bar.empty()
    kept = {"key": key, "json": comparison_json(result, lang()), "html": report_html(result, design, lang=lang()),
            "notes": list(read.notes)}
    st.session_state["jm_comparison"] = kept
    return kept


DATE_ORDER = "jm_date_order"


def ask_date_order(exc) -> None:
    """Dates such as 03/04/2024 that no value decides: ask whether the day or the month comes first."""
    st.warning(t("compare.date_order_question", column=md(exc.column), examples=md(", ".join(exc.examples))),
               icon=":material/event:")

    def keep() -> None:
        st.session_state[DATE_ORDER] = st.session_state.get("actuals_date_order_pick")

    st.radio(t("compare.date_order"), ["dmy", "mdy"], index=None, horizontal=True, key="actuals_date_order_pick",
             format_func=lambda order: t(f"compare.date_order.{order}"), on_change=keep)


def notes(issues) -> None:
    """Warnings the reading gave without stopping ("no date" markers, mixed encodings)."""
    for issue in issues:
        st.warning(md(str(issue)), icon=":material/warning:")


def summary(data: dict, design: Design) -> None:
    cards = st.columns(4)
    cards[0].metric(t("compare.deals"), number(data.get("deals")),
                    help=t("compare.period", first=data.get("first_event") or DASH, last=data.get("last_event") or DASH))
    for column, kgi in zip(cards[1:3], data.get("kgis", [])):
        actual = kgi.get("actual")
        shown = money(actual, design.currency) if kgi.get("unit") == "currency" else number(actual, 1)
        attainment = kgi.get("attainment")
        column.metric(md(kgi["name"]), shown, delta=f"{percent(attainment)} {t('compare.of_target')}" if attainment is not None else None,
                      delta_color="off", delta_arrow="off")
    bottleneck = data.get("bottleneck") or {}
    if bottleneck.get("stage"):
        name = next((s["name"] for s in data["stages"] if s["id"] == bottleneck["stage"]), bottleneck["stage"])
        cards[3].metric(t("compare.bottleneck"), md(name), delta=t("compare.added", n=number(bottleneck.get('added_final') or 0, 1)),
                        delta_color="off", delta_arrow="off")
    else:
        cards[3].metric(t("compare.bottleneck"), t("compare.no_bottleneck"))
    if data.get("unmatched_stages"):
        st.warning(t("compare.unmatched_left", values=", ".join(md(v["value"]) for v in data["unmatched_stages"][:limits.STAGE_VALUES_SHOWN])), icon=":material/help:")


def funnel_chart(data: dict) -> None:
    st.subheader(t("compare.funnel"))
    rows = []
    for stage in data["stages"]:
        for series, value in ((t("compare.planned"), stage.get("planned")), (t("compare.actual"), stage.get("reached"))):
            if value is not None:
                rows.append({"stage": stage["name"], "series": series, "count": value})
    if not rows:
        st.info(t("compare.no_counts"))
        return
    frame = pd.DataFrame(rows)
    order = [s["name"] for s in data["stages"]]
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("stage:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
        yOffset=alt.YOffset("series:N", sort=[t("compare.planned"), t("compare.actual")]),
        x=alt.X("count:Q", title=None),
        color=alt.Color("series:N", sort=[t("compare.planned"), t("compare.actual")],
                        scale=alt.Scale(range=["#9db4d3", "#1f5fa8"]), legend=alt.Legend(orient="bottom", title=None)),
        tooltip=["stage", "series", alt.Tooltip("count:Q", format=",.0f")],
    )
    st.altair_chart(chart, width="stretch")


def _pct(value) -> float | None:
    return None if value is None else round(value * 100, 2)


def _status(status: str | None) -> str:
    return f"{status_mark(status)} {t(f'status.{status}')}" if status else ""


def stage_table(data: dict) -> None:
    st.subheader(t("compare.by_stage"))
    frame = pd.DataFrame(
        [
            {
                t("plan.col.stage"): s["name"],
                t("compare.planned"): s.get("planned"),
                t("compare.reached"): s.get("reached"),
                t("compare.entered"): s.get("entered"),
                t("compare.rate"): _pct(s.get("rate")),
                t("compare.target_rate"): _pct(s.get("target_rate")),
                t("compare.gap"): s.get("gap_pts"),
                t("compare.attainment"): _pct(s.get("attainment")),
                t("compare.status"): _status(s.get("status")),
                t("compare.median_days"): s.get("median_days"),
                t("compare.p90_days"): s.get("p90_days"),
                t("compare.stagnant"): s.get("stagnant"),
            }
            for s in data["stages"]
        ]
    )
    pct = st.column_config.NumberColumn(format="%.1f%%")
    st.dataframe(frame, hide_index=True, width="stretch", placeholder=DASH, column_config={
        t("compare.rate"): pct, t("compare.target_rate"): pct, t("compare.attainment"): pct,
        t("compare.gap"): st.column_config.NumberColumn(format="%+.1f"),
    })


def stagnation(data: dict) -> None:
    stuck = [s for s in data["stages"] if s.get("stagnant")]
    st.subheader(t("compare.stagnation"))
    if not stuck:
        st.caption(t("compare.no_stagnation"))
        return
    for s in stuck:
        deals = s.get("stagnant_deals") or []
        listed = ", ".join(deals[:limits.STAGNANT_DEALS_SHOWN]) + (" …" if len(deals) > limits.STAGNANT_DEALS_SHOWN else "")
        st.markdown(t("compare.stagnant_line", stage=md(s["name"]), n=s["stagnant"], days=s.get("target_days") or DASH)
                    + (f"  \n`{listed.replace('`', '')}`" if listed else ""))


def forecast(data: dict, design: Design) -> None:
    f = data.get("forecast")
    st.subheader(t("compare.forecast"))
    if not f:
        st.caption(t("compare.no_forecast"))
        return
    a, b, c = st.columns(3)
    a.metric(t("compare.forecast_wins"), number(f.get('wins') or 0, 1), help=t("compare.forecast_help"))
    b.metric(t("compare.pipeline"), number(f.get('pipeline') or 0))
    c.metric(t("compare.forecast_revenue"), money(f.get("revenue"), design.currency))
    names = {s.id: text_of(s.name, lang()) for s in design.stages}
    rows = [
        {t("plan.col.stage"): names.get(r["stage"], r["stage"]), t("compare.open"): r.get("open"),
         t("compare.probability"): _pct(r.get("probability")), t("compare.expected"): r.get("expected")}
        for r in f.get("by_stage", [])
    ]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", placeholder=DASH,
                     column_config={t("compare.probability"): st.column_config.NumberColumn(format="%.1f%%")})
