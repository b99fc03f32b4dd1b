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
from journeymap.report.details import estimated_cost, temperature_label
from journeymap.report.html import report_html
from journeymap.report.json_output import comparison_json
from journeymap.report.table import kgi_figure, why_not_counted
from journeymap.text.catalogue import counted
from journeymap.text.format import DASH, money, number, percent, planned_rate, signed
from journeymap.text.glossary import status_mark
from journeymap.ui import widgets
from journeymap.ui.strings import column_label, lang, md, t

# Roles offered for manual mapping (the reader knows more; these are the ones people map).
EVENT_ROLES = ("deal_id", "stage", "timestamp", "amount", "status", "lost_reason", "owner", "channel", "segment",
               "next_action_date", "temperature")
COUNT_ROLES = ("stage", "count", "period", "segment", "cost")


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:16]


# The user's picks (column roles, stage names, window, basis, dates), kept under a key of our own: a
# run that stops early (a file that cannot be read) draws none of these widgets, and the browser
# forgets the state of widgets it was not shown, so the next good file would come back unmapped.
PICKS = "jm_compare_picks"


def picked(key: str, options, fallback):
    """What the widget `key` shows and returns: its own state, else the pick kept from an earlier run,
    else `fallback` — always one of `options`, and passed as the widget's default so that what the
    page shows is what the comparison uses."""
    kept = st.session_state.get(PICKS, {})
    for value in (st.session_state.get(key, kept.get(key, fallback)), kept.get(key, fallback), fallback):
        if value in options:
            return value
    return fallback


def keep(key: str, value) -> None:
    st.session_state.setdefault(PICKS, {})[key] = value


def inspect(content: bytes, source: str, design: Design, columns: dict | None = None, stage_map: dict | None = None):
    """What the file looks like (columns, guessed roles, stage values matched to the design)."""
    key = ("jm_inspect", _digest(content), source, repr(sorted((columns or {}).items())), repr(sorted((stage_map or {}).items())))
    cache = st.session_state.setdefault("jm_inspect_cache", {})
    if key not in cache:
        cache.clear()
        cache[key] = actuals.inspect_actuals(content, source, design, columns=columns, stage_map=stage_map)
    return cache[key]


def shape_line(inspection, design: Design, where: Any = None) -> None:
    """The file's columns, rows and shape as read with the mapping in use (in `where`, a placeholder)."""
    shape = t(counted(f"compare.shape.{inspection.shape}", design.counts)) if inspection.shape else t("compare.shape.unknown")
    (where if where is not None else st).caption(
        t("compare.columns_found", n=number(len(inspection.columns)), rows=number(inspection.rows), shape=shape))


def column_mapping(inspection, design: Design) -> dict[str, str] | None:
    """Selectboxes role → column, preset with the reader's guesses; the user's choices override."""
    if inspection.sample:
        st.dataframe(pd.DataFrame(inspection.sample).rename(columns=column_label), hide_index=True, width="stretch", height=180, placeholder=DASH)
    roles = COUNT_ROLES if inspection.shape == "counts" else EVENT_ROLES
    options = ["", *inspection.columns]
    none = t("compare.none")
    chosen: dict[str, str] = {}
    grid = st.columns(3)
    for i, role in enumerate(roles):
        key = f"role.{role}.{_digest(repr(inspection.columns).encode())}"
        guess = inspection.roles.get(role, "")
        current = picked(key, options, guess if guess in options else "")
        value = grid[i % 3].selectbox(
            t(counted(f"role.{role}", design.counts)), options, index=options.index(current), key=key,
            format_func=lambda c: column_label(c) if c else none,
        )
        keep(key, value)
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
        # the values read as won, lost or paused first: they decide what the comparison counts as an outcome
        matched.sort(key=lambda v: _OUTCOME_ORDER.get(v.stage or "", len(_OUTCOME_ORDER)))
        shown = matched[:limits.MATCHED_VALUES_SHOWN]
        pairs = ", ".join(f"{md(v.value)} → {md(_target_label(v.stage, names))}" for v in shown)
        if len(matched) > len(shown):
            pairs += " " + t("report.more", n=number(len(matched) - len(shown)))
        st.caption(t("compare.matched", values=pairs))
        if len(matched) > len(shown):
            with st.popover(t("compare.matched_all", n=number(len(matched))), icon=":material/list:"):
                st.dataframe(pd.DataFrame([{t("compare.matched_value"): v.value, t("compare.matched_to"): _target_label(v.stage, names),
                                            t("compare.matched_rows"): number(v.count)} for v in matched]),
                             hide_index=True, width="stretch")
    if not unmatched:
        return None
    st.warning(t("compare.unmatched", n=len(unmatched)), icon=":material/help:")
    options = ["", *stage_ids, ":won", ":lost", ":paused", ":ignore"]

    fixed = {"": t("compare.choose"), ":won": t(counted("compare.won_value", design.counts)),
             ":lost": t(counted("compare.lost", design.counts)), ":paused": t("compare.paused_value"), ":ignore": t("compare.ignore")}

    def label(option: str) -> str:
        return fixed.get(option) or f"{names[option]} ({option})"

    mapping: dict[str, str] = {}
    grid = st.columns(2)
    for i, value in enumerate(unmatched[:limits.UNMATCHED_CHOICES_SHOWN]):
        key = f"stage_map.{_digest(value.value.encode())}"
        chosen = grid[i % 2].selectbox(
            t("compare.value_count", value=md(value.value), count=number(value.count)), options, format_func=label,
            index=options.index(picked(key, options, "")), key=key,
        )
        keep(key, chosen)
        if chosen:
            mapping[value.value] = chosen
    return mapping or None


_OUTCOME_ORDER = {":won": 0, ":lost": 1, ":paused": 2}


def _target_label(stage: str, names: dict[str, str]) -> str:
    if stage.startswith(":"):
        return t(f"compare.{stage[1:]}")
    return names.get(stage, stage)


def window_controls(content: bytes, as_of_column, design: Design) -> tuple:
    """The window picker: a period of the file (or dates) and the basis; returns (from, to, period, basis).

    The periods offered are those of the whole-file comparison seen last for this file."""
    known = st.session_state.get("jm_compare_periods", {}).get(_digest(content)) or {}
    labels = known.get("periods", [])
    choice_col, range_col, basis_col = st.columns([1, 1, 1])
    options = ["", *labels, ":custom"]
    choice = choice_col.selectbox(
        t("compare.window"), options, key="compare_window", index=options.index(picked("compare_window", options, "")),
        format_func=lambda o: t("compare.window_all") if o == "" else (t("compare.window_custom") if o == ":custom" else o),
        help=t("compare.window_help", per=t(f"period.{known.get('unit', 'month')}")),
    )
    keep("compare_window", choice)
    start = end = period = None
    if choice == ":custom":
        import datetime as dt

        first = dt.date.fromisoformat(known["from"]) if known.get("from") else None
        last = dt.date.fromisoformat(known["to"]) if known.get("to") else None
        span = st.session_state.get("compare_range", st.session_state.get(PICKS, {}).get("compare_range"))
        if not (isinstance(span, (tuple, list)) and len(span) == 2):
            span = (first, last) if first and last else ()
        chosen = widgets.date_input(t("compare.range"), value=span, key="compare_range", where=range_col)
        if isinstance(chosen, (tuple, list)) and len(chosen) == 2:
            keep("compare_range", tuple(chosen))
            start, end = chosen
    elif choice:
        period = choice
    basis = basis_col.segmented_control(
        t("compare.basis"), ["activity", "cohort"], default=picked("compare_basis", ("activity", "cohort"), "activity"),
        required=True, key="compare_basis",
        format_func=lambda b: t(f"compare.basis.{b}"), help=t(counted("compare.basis_help", design.counts)),
    ) or "activity"
    keep("compare_basis", basis)
    return start, end, period, basis


def known_periods(content: bytes) -> bool:
    return _digest(content) in st.session_state.get("jm_compare_periods", {})


def remember_periods(content: bytes, data: dict) -> None:
    """Keep the periods of a whole-file comparison: they are what the window picker offers."""
    window = data.get("window")
    if not window or window.get("chosen"):
        return
    kept = st.session_state.setdefault("jm_compare_periods", {})
    kept[_digest(content)] = {"periods": [p["period"] for p in data.get("periods") or []], "from": window["from"],
                              "to": window["to"], "unit": window["period"]}


def comparison(content: bytes, source: str, design: Design, design_key: str, columns, stage_map, as_of,
               date_order: str | None = None, window: tuple = (None, None, None, "activity")) -> dict[str, Any]:
    """Read the actuals (with a progress bar) and compare; kept per file, design, mapping, date, date
    order and window."""
    start, end, period, basis = window
    key = _digest(repr((_digest(content), source, design_key, sorted((columns or {}).items()),
                        sorted((stage_map or {}).items()), str(as_of), date_order, lang(), str(start), str(end),
                        period, basis)).encode())
    kept = st.session_state.get("jm_comparison")
    if kept and kept["key"] == key:
        return kept
    text = t("compare.reading", source=source)
    bar = st.progress(0.0, text=text)
    try:
        read = actuals.read_actuals(content, source, design, columns=columns, stage_map=stage_map, date_order=date_order,
                                    progress=lambda f: bar.progress(min(max(float(f), 0.0), 1.0), text=text))
        result = compare.compare(design, read, as_of=as_of, start=start, end=end, period=period, basis=basis)
    finally:
        bar.empty()
    kept = {"key": key, "json": comparison_json(result, lang()), "html": report_html(result, design, lang=lang()),
            "notes": list(read.notes)}
    st.session_state["jm_comparison"] = kept
    return kept


def window_line(data: dict, design: Design) -> None:
    """What every figure below covers: the window, its length in periods and the basis."""
    window = data.get("window")
    per = t(f"period.{design.period}")
    if not window:
        st.info(t("compare.window_counts", per=t(f"period.one.{design.period}")), icon=":material/date_range:")
        return
    first = next((s for s in data["stages"] if s.get("planned_per_period") is not None), None)
    n = number(window["periods"], 2)
    st.info(t("compare.window_line", start=window["from"], end=window["to"], n=n, unit=t(f"compare.unit.{window['period']}"),
              per_period=number(first["planned_per_period"]) if first else DASH, per=per,
              basis=t(f"compare.basis.{window['basis']}")), icon=":material/date_range:")


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
    span = t("compare.period", first=data.get("first_event") or DASH, last=data.get("last_event") or DASH)
    in_window = data.get("deals_in_window")
    if in_window is not None and in_window != data.get("deals") and data.get("as_of"):
        # a chosen window: the deals that moved in it, with all deals to its end (and the open pipeline) below
        cards[0].metric(t(counted("compare.deals_in_window", design.counts)), number(in_window),
                        help=t(counted("compare.deals_in_window_help", design.counts), day=data["as_of"],
                               n=number(data.get("deals")), open=number(data.get("open_deals")),
                               lost=number(data.get("lost_deals"))) + " " + span)
    else:
        cards[0].metric(t(counted("compare.deals", design.counts)), number(data.get("deals")), help=span)
    for column, kgi in zip(cards[1:3], data.get("kgis", [])):
        figure = kgi_figure(kgi.get("unit", "count"), design.currency)  # money, a percentage or a count
        shown = figure(kgi.get("actual"))
        attainment = kgi.get("attainment")
        target_text = figure(kgi.get("target"))
        column.metric(md(kgi["name"]), shown, delta=f"{percent(attainment)} {t('compare.of_target')}" if attainment is not None else None,
                      delta_color="off", delta_arrow="off", help=t("compare.kgi_of", target=target_text))
    stage_names = {s["id"]: s["name"] for s in data.get("stages", [])}
    for kgi in data.get("kgis", []):
        reason = why_not_counted(kgi, data.get("stages", []), data.get("shape", ""))
        if reason is not None:  # nothing to count: say why, not a bare "—"
            st.caption(t(f"compare.kgi_not_counted.{reason}", kgi=md(kgi["name"]),
                         stage=md(stage_names.get(kgi["stage"], kgi["stage"]))))
    bottleneck = data.get("bottleneck") or {}
    if bottleneck.get("stage"):
        name = next((s["name"] for s in data["stages"] if s["id"] == bottleneck["stage"]), bottleneck["stage"])
        cards[3].metric(t("compare.bottleneck"), md(name), delta=t("compare.added", n=number(bottleneck.get('added_final') or 0, 1)),
                        delta_color="off", delta_arrow="off")
    else:
        cards[3].metric(t("compare.bottleneck"), t("compare.no_bottleneck"), delta=t("compare.no_bottleneck_why"),
                        delta_color="off", delta_arrow="off")  # the figure short, the reason below it
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
        tooltip=[alt.Tooltip("stage:N", title=t("chart.stage")), alt.Tooltip("series:N", title=t("chart.series")),
                 alt.Tooltip("count:Q", format=",.0f", title=t("chart.count"))],
    )
    widgets.chart(chart, t("compare.funnel"))


def _table(frame: pd.DataFrame, where: Any = None, *, percents: tuple[str, ...] = (), signed: tuple[str, ...] = (),
           **options: Any) -> None:
    """A table of figures read as everywhere else: counts with separators (21,713, 846.8), rates as
    1,472.4%, gaps signed; the rows stay numbers, so a column still sorts by value."""
    config: dict[str, Any] = {}
    for column in frame.columns:
        if column in percents:
            config[column] = st.column_config.NumberColumn(format="%,.1f%%")
        elif column in signed:
            config[column] = st.column_config.NumberColumn(format="%+.1f")
        elif pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]):
            config[column] = st.column_config.NumberColumn(format="localized")
    (where if where is not None else st).dataframe(frame, hide_index=True, width="stretch", placeholder=DASH,
                                                   column_config=config, **options)


def _stage_names(data: dict, design: Design) -> dict[str, str]:
    """Stage id → name: the design's stages and the compared ones (the 受注 compare adds)."""
    return {s.id: text_of(s.name, lang()) for s in design.stages} | {s["id"]: text_of(s["name"], lang()) for s in data["stages"]}


def _pct(value) -> float | None:
    return None if value is None else round(value * 100, 2)


def _tenth(value) -> float | None:
    """A count, gap or number of days as the CLI and the report show it: one decimal at most (846.8, not 846.7742)."""
    return None if value is None else round(float(value), 1)


def _status(status: str | None) -> str:
    return f"{status_mark(status)} {t(f'status.{status}')}" if status else ""


def stage_table(data: dict) -> None:
    """Planned vs actual per stage, as two tables one under the other (how the stage converts; how
    long deals stay, stall or pause there), each drawn as HTML: at 1280×720 on a projector every
    column is on screen (the one 14-column grid scrolled sideways from 滞在日数 on)."""
    st.subheader(t("compare.by_stage"))
    per = t("compare.planned_per_period", per=t(f"period.{data.get('period', 'month')}"))
    stage = t("plan.col.stage")
    names = [md(s["name"]) for s in data["stages"]]
    tenth = lambda v: number(v, 1)  # noqa: E731  (a count, gap or number of days: one decimal at most, as the CLI and the report)
    flow = {
        per: ("planned_per_period", tenth), t("compare.planned_window"): ("planned", tenth),
        t("compare.reached"): ("reached", number), t("compare.entered"): ("entered", number),
        t("compare.rate"): ("rate", percent), t("compare.target_rate"): ("target_rate", planned_rate),
        t("compare.gap"): ("gap_pts", lambda v: signed(v, 1)), t("compare.attainment"): ("attainment", percent),
    }
    frame = pd.DataFrame({stage: names, **{c: [s.get(f) for s in data["stages"]] for c, (f, _) in flow.items()},
                          t("compare.status"): [_status(s.get("status")) for s in data["stages"]]})
    widgets.figures_table(frame, {c: shown for c, (_, shown) in flow.items()})
    time = {
        t("compare.median_days"): ("median_days", tenth), t("compare.p90_days"): ("p90_days", tenth),
        t("compare.stagnant"): ("stagnant", number), t("compare.paused"): ("paused", number),
    }
    st.caption(t("compare.by_stage_time"))
    frame = pd.DataFrame({stage: names, **{c: [s.get(f) for s in data["stages"]] for c, (f, _) in time.items()}})
    widgets.figures_table(frame, {c: shown for c, (_, shown) in time.items()})


def stagnation(data: dict, design: Design) -> None:
    stuck = [s for s in data["stages"] if s.get("stagnant")]
    st.subheader(t(counted("compare.stagnation", design.counts)))
    if not stuck:
        st.caption(t(counted("compare.no_stagnation", design.counts)))
        return
    for s in stuck:
        deals = s.get("stagnant_deals") or []
        listed = ", ".join(deals[:limits.STAGNANT_DEALS_SHOWN]) + (" …" if len(deals) > limits.STAGNANT_DEALS_SHOWN else "")
        st.markdown(t(counted("compare.stagnant_line", design.counts), stage=md(s["name"]), n=number(s["stagnant"]), days=s.get("target_days") or DASH)
                    + (f"  \n`{listed.replace('`', '')}`" if listed else ""))


def records_filled(data: dict, design: Design) -> None:
    """Per stage, the key and required records the export has a column for: of the deals that reached
    the stage, how many have a value there (shown only when the export has such columns)."""
    rows = [
        {t("report.records_col.stage"): s["name"],
         t("report.records_col.record"): r["name"] + (f" ({t('report.records_key')})" if r.get("key") else ""),
         t("report.records_col.column"): r.get("column"),
         t("report.records_col.filled"): f"{number(r['filled'])} / {number(r['deals'])}",
         t("report.records_col.share"): _pct(r["filled"] / r["deals"]) if r["deals"] else None}
        for s in data["stages"] for r in (s.get("records") or [])
    ]
    if not rows:
        return
    st.subheader(t(counted("report.records", design.counts)))
    _table(pd.DataFrame(rows), percents=(t("report.records_col.share"),))


def forecast(data: dict, design: Design) -> None:
    f = data.get("forecast")
    st.subheader(t("compare.forecast"))
    if not f:
        st.caption(t(counted("compare.no_forecast", design.counts)))
        return
    a, b, c = st.columns(3)
    a.metric(t(counted("compare.forecast_wins", design.counts)), number(f.get('wins') or 0, 1),
             help=t(counted("compare.forecast_help", design.counts)),
             delta=f"{t('compare.range80')} {number(f.get('low'))}–{number(f.get('high'))}", delta_color="off",
             delta_arrow="off")
    b.metric(t(counted("compare.pipeline", design.counts)), number(f.get('pipeline') or 0))
    c.metric(t("compare.forecast_revenue"), money(f.get("revenue"), design.currency))
    forecast_band(data, design)
    names = _stage_names(data, design)
    rows = [
        {t("plan.col.stage"): names.get(r["stage"], r["stage"]), t("compare.open"): r.get("open"),
         t(counted("compare.probability", design.counts)): _pct(r.get("probability")),
         t("compare.planned_probability"): _pct(r.get("planned_probability")),
         t("compare.expected"): _tenth(r.get("expected"))}
        for r in f.get("by_stage", [])
    ]
    if rows:
        _table(pd.DataFrame(rows), percents=(t(counted("compare.probability", design.counts)), t("compare.planned_probability")))
    if f.get("planned_wins") is not None:
        st.caption(t(counted("compare.planned_wins", design.counts), n=number(f["planned_wins"], 1), observed=number(f.get("wins") or 0, 1)))


def forecast_band(data: dict, design: Design) -> None:
    """The forecast as a band: won so far, the 80 % range, the point forecast and the window's target."""
    f = data.get("forecast") or {}
    kgi = next((k for k in data.get("kgis", []) if k.get("unit") == "count" and k.get("stage") == f.get("stage")), None)
    if f.get("low") is None or f.get("high") is None:
        return
    rows = [
        {"what": t(counted("compare.band_won", design.counts)), "from": 0, "to": f["won"], "mark": "bar"},
        {"what": t("compare.range80"), "from": f["low"], "to": f["high"], "mark": "band"},
        {"what": t("compare.band_forecast"), "from": f["wins"], "to": f["wins"], "mark": "point"},
    ]
    if kgi is not None and kgi.get("target") is not None and kgi.get("forecast_attainment") is not None:
        rows.append({"what": t("compare.series_target"), "from": kgi["target"], "to": kgi["target"], "mark": "target"})
    frame = pd.DataFrame(rows)
    order = [r["what"] for r in rows]
    colors = ["#1f5fa8", "#9db4d3", "#0b2f5b", "#b3261e"][: len(rows)]
    base = alt.Chart(frame).encode(
        y=alt.Y("what:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
        color=alt.Color("what:N", sort=order, scale=alt.Scale(domain=order, range=colors), legend=None),
        tooltip=[alt.Tooltip("what:N", title=t("chart.what")), alt.Tooltip("from:Q", format=",.1f", title=t("chart.from")),
                 alt.Tooltip("to:Q", format=",.1f", title=t("chart.to"))],
    )
    bars = base.transform_filter("datum.mark == 'bar' || datum.mark == 'band'").mark_bar(height=18).encode(
        x=alt.X("from:Q", title=None), x2="to:Q")
    points = base.transform_filter("datum.mark == 'point' || datum.mark == 'target'").mark_point(
        filled=True, size=180, shape="diamond").encode(x="from:Q")
    st.caption(t("compare.forecast_band") + " — " + t(counted("compare.forecast_range_help", design.counts)))
    if kgi is not None and kgi.get("forecast") is not None and kgi.get("forecast_attainment") is None:
        st.caption(t("compare.forecast_no_target"))  # a chosen period: no target beside a forecast without an end date
    widgets.chart(alt.layer(bars, points).properties(height=38 * len(rows)), t("compare.forecast_band"))


def period_chart(data: dict, design: Design) -> None:
    """Planned vs actual per period, at the final stage (and the first count KGI's target)."""
    periods = data.get("periods") or []
    if len(periods) < 1:
        return
    st.subheader(t("compare.periods"))
    st.caption(t("compare.periods_help"))
    final = data.get("final_stage")
    rows = []
    for p in periods:
        stage = next((x for x in p["stages"] if x["id"] == final), None)
        if stage is None:
            continue
        for series, value in ((t("compare.planned"), stage.get("planned")), (t("compare.actual"), stage.get("actual"))):
            if value is not None:
                rows.append({"period": p["period"], "series": series, "count": value,
                             "attainment": stage.get("attainment")})
    if not rows:
        return
    name = next((s["name"] for s in data["stages"] if s["id"] == final), final)
    order = [t("compare.planned"), t("compare.actual")]
    chart = alt.Chart(pd.DataFrame(rows)).mark_bar().encode(
        x=alt.X("period:N", title=None, sort=[p["period"] for p in periods]),
        xOffset=alt.XOffset("series:N", sort=order),
        y=alt.Y("count:Q", title=name),
        color=alt.Color("series:N", sort=order, scale=alt.Scale(range=["#9db4d3", "#1f5fa8"]),
                        legend=alt.Legend(orient="bottom", title=None)),
        tooltip=[alt.Tooltip("period:N", title=t("chart.period")), alt.Tooltip("series:N", title=t("chart.series")),
                 alt.Tooltip("count:Q", format=",.1f", title=t("chart.count")),
                 alt.Tooltip("attainment:Q", format=".0%", title=t("chart.attainment"))],
    )
    widgets.chart(chart.properties(height=260), t("compare.periods"))
    # one row per period and stage (stages by name, in funnel order): 計画 / 実績 / 達成率 side by side
    # fit a projector however many stages the design has (a column per stage and series did not)
    stage_names = {s["id"]: s["name"] for s in data["stages"]}
    columns = {t("compare.planned"): ("planned", lambda v: number(v, 1)), t("compare.actual"): ("actual", number),
               t("compare.attainment"): ("attainment", percent)}
    table = pd.DataFrame(
        [{t("compare.window"): p["period"], t("plan.col.stage"): md(stage_names.get(s["id"], s["id"])),
          **{c: s.get(f) for c, (f, _) in columns.items()}} for p in periods for s in p["stages"]],
        columns=[t("compare.window"), t("plan.col.stage"), *columns])
    with st.expander(t("compare.periods"), icon=":material/table:"):
        widgets.figures_table(table, {c: shown for c, (_, shown) in columns.items()})


def pace(data: dict, design: Design) -> None:
    p = data.get("pace")
    if not p or not p.get("kgis"):
        return
    st.subheader(t("compare.pace"))
    names = {k.id: text_of(k.name, lang()) for k in design.kgis}
    for k in p["kgis"]:
        currency = k.get("unit") == "currency"
        show = (lambda v: money(v, design.currency)) if currency else (lambda v: number(v, 1))
        pct = percent(k.get("projected_attainment"))
        line = t("compare.pace_line", period=p["period"], elapsed=p["elapsed_days"], days=p["days"],
                 kgi=md(names.get(k["id"], k["id"])), actual=show(k["actual"]), projected=show(k["projected"]),
                 target=show(k["target"]), pct=pct)
        if k.get("remaining") and (not p.get("working_days_left") or k.get("needed_per_working_day") is None):
            line += " · " + t("report.pace_over", remaining=show(k["remaining"]))  # the period is over, short of the target
        elif k.get("remaining"):
            line += " · " + t("compare.pace_need", remaining=show(k["remaining"]), left=number(p["working_days_left"]),
                              need=show(k["needed_per_working_day"]))
        else:
            line += " · " + t("compare.pace_done")
        st.markdown(line)


def paths(data: dict, design: Design) -> None:
    """Moves deals actually made that the design does not draw (the process diagram shows them dashed)."""
    conformance = data.get("conformance")
    if not conformance:
        return
    st.subheader(t("compare.paths"))
    share = conformance.get("designed_path_share")
    st.markdown(t(counted("compare.paths_line", design.counts), share=percent(share), n=number(conformance["deals"]),
                  skips=number(conformance["skips"]), back=number(conformance["backward"]),
                  out=number(conformance["outside"])))
    names = _stage_names(data, design)
    off = [m for m in data.get("transitions") or [] if not m["designed"]]
    if not off:
        st.caption(t("compare.no_paths"))
        return
    _table(pd.DataFrame([{t("compare.move_from"): names.get(m["from"], m["from"]), t("compare.move_to"): names.get(m["to"], m["to"]),
                          t(counted("compare.move_deals", design.counts)): m["deals"], t("compare.move_kind"): t(f"compare.kind.{m['kind']}")}
                         for m in off[:50]]))


def pauses_and_temperature(data: dict, design: Design) -> None:
    recovery = data.get("recovery") or {}
    temperature = data.get("temperature") or []
    if not data.get("paused_deals") and not recovery.get("deals") and not temperature:
        return
    st.subheader(t("compare.pauses"))
    st.markdown(t(counted("compare.paused_line", design.counts), n=number(data.get("paused_deals") or 0), back=number(recovery.get("deals") or 0),
                  won=number(recovery.get("won") or 0)))
    left, right = st.columns(2)
    if recovery.get("by_reason"):
        _table(pd.DataFrame([{t("compare.reason"): r["reason"] or t("compare.none"), t("compare.recovered"): r["deals"],
                              t(counted("compare.won", design.counts)): r["won"]} for r in recovery["by_reason"]]), left)
    if temperature:
        _table(pd.DataFrame([{t("compare.temperature"): temperature_label(r, lang()) or t("compare.none"), t("compare.open"): r["open"],
                              t(counted("compare.expected_wins", design.counts)): _tenth(r["expected_wins"])} for r in temperature]), right)


def owner_costs(data: dict, design: Design) -> None:
    rows = (data.get("cost") or {}).get("by_owner") or []
    if len(rows) < 2:
        return
    st.subheader(t("compare.cost_by_owner"))
    # no cost column in the export: what it "cost" is the actual counts at the plan's prices, and says so
    actual_header = t("compare.cost_estimated" if estimated_cost(data.get("cost") or {}) else "compare.cost_actual")
    st.dataframe(pd.DataFrame([{t("compare.owner"): r["name"], t("compare.cost_planned"): money(r["planned"], design.currency),
                                actual_header: money(r["actual"], design.currency)} for r in rows]),
                 hide_index=True, width="stretch")
