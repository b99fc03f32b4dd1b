"""The Design page's editors, one function per tab. Every edit goes through `journeymap.editing`
or `journeymap.edit_tables` and reaches the design only when the result is valid."""

from __future__ import annotations

import streamlit as st

from journeymap.editing import operations as editing
from journeymap.editing import tables
from journeymap.errors import InputError
from journeymap.model import Design, text_of
from journeymap.ui import state, widgets
from journeymap.ui.strings import field_label, labels, lang, md, t

cc = st.column_config


def _name(value) -> str:
    return text_of(value, lang())


def _stage_label(design: Design):
    names = {s.id: _name(s.name) for s in design.stages}
    return lambda stage_id: f"{names.get(stage_id, stage_id)} ({stage_id})" if stage_id else "—"


def _common(design: Design) -> dict:
    return {
        "id": cc.TextColumn(field_label("id"), help=t("help.id"), width="small"),
        "name": cc.TextColumn(field_label("name"), required=True, width="medium"),
        "description": cc.TextColumn(field_label("description"), width="large"),
    }


# --------------------------------------------------------------------------- stages


def stages_tab(doc: state.Doc) -> None:
    design = doc.design
    phase_ids = [p.id for p in design.phases]
    names = {p.id: md(_name(p.name)) for p in design.phases}  # (the options of segmented controls read Markdown)
    phase_id = st.segmented_control(
        t("design.phase"), phase_ids, format_func=names.get, default=phase_ids[0], key=widgets.wkey("phase_pick"),
        required=True,
    ) or phase_ids[0]
    if phase_id not in phase_ids:
        phase_id = phase_ids[0]
    pi = phase_ids.index(phase_id)
    owners = {o.id: _name(o.name) for o in design.owners}
    columns = {
        **{k: v for k, v in _common(design).items() if k != "description"},
        "owner": cc.SelectboxColumn(field_label("owner"), options=list(owners), format_func=lambda o: owners.get(o, o)),
        "funnel": cc.CheckboxColumn(field_label("funnel"), help=t("help.funnel"), width="small"),
        "target_rate": cc.NumberColumn(field_label("target_rate"), help=t("help.target_rate"), format="%.1f%%"),
        "target_days": cc.NumberColumn(field_label("target_days"), format="%g"),
        "unit_cost": cc.NumberColumn(field_label("unit_cost"), help=t("help.unit_cost", currency=design.currency), format="localized"),
        "description": _common(design)["description"],
    }
    widgets.table_editor(
        f"stages.{phase_id}",
        tables.stage_rows(design, phase_id, lang()),
        columns,
        lambda rows: tables.apply_stages(state.current().design, phase_id, rows, lang()),
        ("phases", pi, "stages"),
    )
    st.caption(t("design.stages_hint"))
    stage_detail(doc)


def stage_detail(doc: state.Doc) -> None:
    design = doc.design
    stage_ids = [s.id for s in design.stages]
    label = _stage_label(design)
    st.subheader(t("design.stage_detail"))
    stage_id = st.selectbox(t("design.stage"), stage_ids, format_func=label, key=widgets.wkey("stage_pick"))
    if stage_id not in stage_ids:
        return
    stage = design.stage(stage_id)
    pi, si = next((pi, si) for pi, si, _p, s in design.iter_stages() if s.id == stage_id)

    up, down, target, move, remove = st.columns([1, 1, 4, 2, 2], vertical_alignment="bottom")
    if up.button("↑", key=f"stage_up.{stage_id}", help=t("design.move_up"), width="stretch"):
        widgets.attempt(lambda: editing.move_stage(design, stage_id, -1))
    if down.button("↓", key=f"stage_down.{stage_id}", help=t("design.move_down"), width="stretch"):
        widgets.attempt(lambda: editing.move_stage(design, stage_id, 1))
    phases = {p.id: _name(p.name) for p in design.phases}
    to_phase = target.selectbox(t("design.move_to_phase"), list(phases), format_func=phases.get, index=pi, key=widgets.wkey(f"stage_phase.{stage_id}"))
    if move.button(t("design.move"), key=f"stage_move.{stage_id}", width="stretch", disabled=to_phase == design.phases[pi].id):
        widgets.attempt(lambda: editing.move_stage_to_phase(design, stage_id, to_phase))
    if remove.button(t("common.delete"), key=f"stage_remove.{stage_id}", icon=":material/delete:", help=t("design.remove_stage"), width="stretch"):
        widgets.attempt(lambda: editing.remove_stage(design, stage_id))

    st.markdown(f"**{t('design.kpis')}**")
    units = ["count", "rate", "currency", "days", "score"]
    widgets.table_editor(
        f"kpis.{stage_id}",
        tables.kpi_rows(design, stage_id, lang()),
        {
            **{k: v for k, v in _common(design).items() if k != "description"},
            "unit": cc.SelectboxColumn(field_label("unit"), options=units, format_func=labels("unit"), default="count"),
            "target": cc.NumberColumn(field_label("target"), help=t("help.kpi_target")),
            "direction": cc.SelectboxColumn(field_label("direction"), options=["up", "down"], format_func=labels("direction"), default="up"),
        },
        lambda rows: tables.apply_kpis(state.current().design, stage_id, rows, lang()),
        ("phases", pi, "stages", si, "kpis"),
    )
    left, right = st.columns(2)
    for column, fields in ((left, ("activities", "records")), (right, ("exit_criteria", "aliases"))):
        with column:
            for name in fields:
                widgets.text_lines_editor(
                    f"{name}.{stage_id}",
                    field_label(name),
                    getattr(stage, name),
                    lambda lines, name=name: editing.set_stage_texts(state.current().design, stage_id, name, lines, lang()),
                    help=t("help.one_per_line"),
                )


# --------------------------------------------------------------------------- phases, owners, KGIs


def phases_tab(doc: state.Doc) -> None:
    design = doc.design
    widgets.table_editor(
        "phases",
        tables.phase_rows(design, lang()),
        _common(design),
        lambda rows: tables.apply_phases(state.current().design, rows, lang()),
        ("phases",),
    )
    st.caption(t("design.phases_hint"))
    names = {p.id: _name(p.name) for p in design.phases}
    pick, up, down = st.columns([4, 1, 1], vertical_alignment="bottom")
    phase_id = pick.selectbox(t("design.phase"), list(names), format_func=names.get, key=widgets.wkey("phase_move_pick"))
    if up.button("↑", key="phase_up", help=t("design.move_up"), width="stretch"):
        widgets.attempt(lambda: editing.move_phase(design, phase_id, -1))
    if down.button("↓", key="phase_down", help=t("design.move_down"), width="stretch"):
        widgets.attempt(lambda: editing.move_phase(design, phase_id, 1))


def owners_tab(doc: state.Doc) -> None:
    design = doc.design
    kinds = ["internal", "agency", "partner"]
    widgets.table_editor(
        "owners",
        tables.owner_rows(design, lang()),
        {
            **{k: v for k, v in _common(design).items() if k != "description"},
            "kind": cc.SelectboxColumn(field_label("kind"), options=kinds, format_func=labels("owner_kind"), default="internal"),
            "fixed_cost": cc.NumberColumn(field_label("fixed_cost"), help=t("help.fixed_cost", currency=design.currency), format="localized"),
            "scope": cc.TextColumn(field_label("scope"), width="large"),
        },
        lambda rows: tables.apply_owners(state.current().design, rows, lang()),
        ("owners",),
    )


def kgis_tab(doc: state.Doc) -> None:
    design = doc.design
    funnel = [s.id for s in design.funnel_stages]
    units = ["count", "currency", "rate", "score"]
    widgets.table_editor(
        "kgis",
        tables.kgi_rows(design, lang()),
        {
            **{k: v for k, v in _common(design).items() if k != "description"},
            "unit": cc.SelectboxColumn(field_label("unit"), options=units, format_func=labels("unit"), default="count"),
            "target": cc.NumberColumn(field_label("target"), format="localized"),
            "stage": cc.SelectboxColumn(field_label("stage"), options=funnel, format_func=_stage_label(design), help=t("help.kgi_stage")),
            "value_per_item": cc.NumberColumn(field_label("value_per_item"), help=t("help.value_per_item"), format="localized"),
        },
        lambda rows: tables.apply_kgis(state.current().design, rows, lang()),
        ("kgis",),
    )


def links_tab(doc: state.Doc) -> None:
    design = doc.design
    stage_ids = [s.id for s in design.stages]
    label = _stage_label(design)
    st.markdown(f"**{t('design.transitions')}**")
    st.caption(t("design.transitions_hint"))
    widgets.table_editor(
        "transitions",
        tables.transition_rows(design, lang()),
        {
            "from": cc.SelectboxColumn(field_label("from"), options=stage_ids, format_func=label, required=True),
            "to": cc.SelectboxColumn(field_label("to"), options=stage_ids, format_func=label, required=True),
            "label": cc.TextColumn(field_label("label")),
        },
        lambda rows: tables.apply_transitions(state.current().design, rows, lang()),
        ("transitions",),
    )
    st.markdown(f"**{t('design.drop_reasons')}**")
    categories = ["customer", "competitor", "internal", "external"]
    widgets.table_editor(
        "drop_reasons",
        tables.drop_reason_rows(design, lang()),
        {
            **{k: v for k, v in _common(design).items() if k != "description"},
            "category": cc.SelectboxColumn(field_label("category"), options=categories, format_func=labels("category")),
            "stages": cc.MultiselectColumn(field_label("stages"), options=stage_ids, format_func=label),
            "recovery_stage": cc.SelectboxColumn(field_label("recovery_stage"), options=stage_ids, format_func=label),
            "response": cc.TextColumn(field_label("response"), width="large"),
            "prevention": cc.TextColumn(field_label("prevention"), width="large"),
        },
        lambda rows: tables.apply_drop_reasons(state.current().design, rows, lang()),
        ("drop_reasons",),
    )


# --------------------------------------------------------------------------- basics, history


def meta_tab(doc: state.Doc) -> None:
    design = doc.design
    name = st.text_input(field_label("name"), _name(design.name), key=widgets.wkey("meta_name"))
    description = st.text_area(field_label("description"), _name(design.description), key=widgets.wkey("meta_description"))
    segments = ["b2b", "b2c", "smb", "enterprise", "other"]
    periods = ["week", "month", "quarter", "year"]
    a, b, c = st.columns(3)
    segment = a.selectbox(field_label("segment"), segments, index=segments.index(design.segment),
                          format_func=labels("segment"), key=widgets.wkey("meta_segment"))
    currency = b.text_input(field_label("currency"), design.currency, key=widgets.wkey("meta_currency"), max_chars=3)
    period = c.selectbox(field_label("period"), periods, index=periods.index(design.period),
                         format_func=labels("period"), key=widgets.wkey("meta_period"))
    st.text_input(field_label("id"), design.id, disabled=True, help=t("help.design_id"), key=widgets.wkey("meta_id"))
    changes = {
        k: v
        for k, v, old in (
            ("name", name, _name(design.name)),
            ("description", description, _name(design.description)),
            ("segment", segment, design.segment),
            ("currency", currency, design.currency),
            ("period", period, design.period),
        )
        if v != old
    }
    if changes:
        widgets.attempt(lambda: editing.set_meta(design, lang(), **changes), editor="meta")
    else:
        state.accept_pending("meta")


def history_tab(doc: state.Doc) -> None:
    ws = state.workspace()
    revisions = ws.history(doc.id)
    if not revisions:
        st.info(t("history.none"))
        return
    st.dataframe(
        [{t("history.version"): r.number, t("history.saved_at"): r.saved_at.strftime("%Y-%m-%d %H:%M:%S"),
          t("history.note"): r.note} for r in revisions],
        hide_index=True, width="stretch",
    )
    numbers = [r.number for r in revisions]
    version_n = t("history.version_n", n="{n}")
    number = st.selectbox(t("history.pick"), numbers, key=widgets.wkey("history_pick"),
                          format_func=lambda n: version_n.format(n=n))
    diff = ws.diff(doc.id, number)
    if diff:
        st.caption(t("history.diff_caption", n=number))
        st.code(diff, language="diff")
    else:
        st.caption(t("history.same"))
    if doc.dirty:
        st.warning(t("history.unsaved_warning"), icon=":material/warning:")
    if st.button(t("history.restore", n=number), key=f"history_restore.{doc.id}", icon=":material/history:", disabled=not diff):
        try:
            ws.restore(doc.id, number, doc.version)
        except InputError as exc:
            if isinstance(exc, state.Conflict):
                st.session_state[state.CONFLICT] = exc
            widgets.show_issues(exc)
            return
        ws.discard_draft(doc.id, state.session_token())
        state.open_design(doc.id)
        state.notice("version_restored", n=number)
        st.rerun()


def other_drafts(doc: state.Doc) -> None:
    """Unsaved drafts of this design left by other sessions (a closed tab, a crashed browser)."""
    if doc.dirty:
        return
    ws = state.workspace()
    mine = state.session_token()
    for draft in ws.drafts(doc.id):
        if draft.session == mine or draft.design == doc.design:
            continue
        with st.container(border=True):
            st.info(t("design.other_draft", time=draft.saved_at.strftime("%Y-%m-%d %H:%M")), icon=":material/restore:")
            use, drop = st.columns(2)
            if use.button(t("design.use_draft"), key=f"use_draft.{draft.session}"):
                state.current().version = draft.base_version
                state.replace(draft.design)
                ws.discard_draft(doc.id, draft.session)
                st.rerun()
            if drop.button(t("design.drop_draft"), key=f"drop_draft.{draft.session}"):
                ws.discard_draft(doc.id, draft.session)
                st.rerun()
