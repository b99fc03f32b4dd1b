"""The Design page's editors, one function per tab. Every edit goes through `journeymap.editing`
or `journeymap.edit_tables` and reaches the design only when the result is valid."""

from __future__ import annotations

import streamlit as st

from journeymap.editing import operations as editing
from journeymap.editing import tables
from journeymap.errors import InputError
from journeymap.model import (
    ENGAGEMENTS,
    FORECAST_CATEGORIES,
    PRICING_MODELS,
    RECORD_TYPES,
    Design,
    Record,
    text_of,
)
from journeymap.planning import default_acquisition_kgi, plan, stage_probabilities
from journeymap.ui import state, widgets
from journeymap.ui.strings import field_label, labels, lang, md, t

cc = st.column_config


def _name(value) -> str:
    return text_of(value, lang())


def _stage_label(design: Design):
    names = {s.id: _name(s.name) for s in design.stages}
    return lambda stage_id: f"{names.get(stage_id, stage_id)} ({stage_id})" if stage_id else "—"


def _units():
    """A format_func for the unit of a KPI or KGI: a rate says its target is typed in percent."""
    unit, rate = labels("unit"), t("unit.rate_typed")
    return lambda value: rate if value == "rate" else unit(value)


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
        t("design.phase"), phase_ids, format_func=names.get, default=widgets.kept("phase_pick", phase_ids),
        key=widgets.wkey("phase_pick"), required=True,
    ) or phase_ids[0]
    if phase_id not in phase_ids:
        phase_id = phase_ids[0]
    widgets.kept("phase_pick", phase_ids, phase_id)
    pi = phase_ids.index(phase_id)
    owners = {o.id: _name(o.name) for o in design.owners}
    # Widths in pixels that add up to the editor's width at 1280×720 with the sidebar open (916 px:
    # 34 for the row marker, at most 882 for these), so every column and heading is on screen on a
    # projector; English headings are longer than Japanese ones, names shorter. The rates'
    # headings leave out (%): their cells say it. The description, a sentence, is edited in
    # ステージの詳細 below, where it has room (the table keeps it unseen).
    width = dict(zip(
        ("id", "name", "owner", "funnel", "target_rate", "target_days", "unit_cost", "probability", "forecast_category"),
        (80, 140, 110, 92, 110, 92, 82, 70, 104) if lang() == "ja" else (75, 110, 100, 78, 108, 112, 96, 112, 90),
    ))
    columns = {
        "id": cc.TextColumn(field_label("id"), help=t("help.id"), width=width["id"]),
        "name": cc.TextColumn(field_label("name"), required=True, width=width["name"]),
        "owner": cc.SelectboxColumn(field_label("owner"), options=list(owners), format_func=lambda o: owners.get(o, o),
                                    help=t("help.owner_cell"), width=width["owner"]),
        "funnel": cc.CheckboxColumn(field_label("funnel"), help=t("help.funnel"), width=width["funnel"]),
        "target_rate": cc.NumberColumn(t("design.col.target_rate"), help=t("help.target_rate"), format="%.1f%%", width=width["target_rate"]),
        "target_days": cc.NumberColumn(field_label("target_days"), format="%g", width=width["target_days"]),
        "unit_cost": cc.NumberColumn(field_label("unit_cost"), help=t("help.unit_cost", currency=design.currency), format="localized",
                                     width=width["unit_cost"]),
        "probability": cc.NumberColumn(t("design.col.probability"), help=_probability_help(design, phase_id), format="%.1f%%",
                                       width=width["probability"]),
        "forecast_category": cc.SelectboxColumn(t("design.col.forecast_category"), options=list(FORECAST_CATEGORIES), format_func=labels("forecast"),
                                                help=field_label("forecast_category"), width=width["forecast_category"]),
    }
    widgets.table_editor(
        f"stages.{phase_id}",
        tables.stage_rows(design, phase_id, lang()),
        columns,
        lambda rows: tables.apply_stages(state.current().design, phase_id, rows, lang()),
        ("phases", pi, "stages"),
        hidden=("description",),
    )
    unplanned_rates(state.current().design, phase_id, ("phases", pi, "stages"))
    st.caption(t("design.stages_hint"))
    stage_detail(doc, phase_id)


def unplanned_rates(design: Design, phase_id: str, prefix: tuple) -> None:
    """Say at once, under the phase's stage table, which 0 % (or empty) rate leaves the plan's
    earlier stages without a required count. The rate is kept: "what if nobody converts here?"
    is a fair question in a workshop, and the Plan page shows what can still be planned."""
    try:
        unplanned = plan(design, partial=True).unplanned
    except InputError:  # a design the plan refuses for another reason: the Plan page says why
        return
    here = {s.id for p in design.phases if p.id == phase_id for s in p.stages}
    for issue in unplanned:
        if dict(issue.values).get("stage") in here:
            st.warning(widgets.issue_text(issue, design, prefix), icon=":material/warning:")


def stage_detail(doc: state.Doc, phase_id: str | None = None) -> None:
    """One stage in full: its place, owner, KPIs, texts. The picker lists the stages of the phase
    chosen above (all stages when none is)."""
    design = doc.design
    phase = next((p for p in design.phases if p.id == phase_id), None)
    stage_ids = [s.id for s in (phase.stages if phase else design.stages)]
    label = _stage_label(design)
    st.subheader(t("design.stage_detail"))
    picked = st.session_state.get(widgets.wkey("stage_pick"), widgets.kept("stage_pick", stage_ids))
    stage_id = st.selectbox(t("design.stage"), stage_ids, format_func=label, key=widgets.wkey("stage_pick"),
                            index=stage_ids.index(picked) if picked in stage_ids else 0)
    if stage_id not in stage_ids:
        return
    widgets.kept("stage_pick", stage_ids, stage_id)
    stage = design.stage(stage_id)
    pi, si = next((pi, si) for pi, si, _p, s in design.iter_stages() if s.id == stage_id)

    owners = {o.id: _name(o.name) for o in design.owners}
    choices = [None, *owners]
    owner = st.selectbox(field_label("owner"), choices, index=choices.index(stage.owner) if stage.owner in choices else 0,
                         format_func=lambda o: owners.get(o, t("design.no_owner")) if o else t("design.no_owner"),
                         key=widgets.wkey(f"stage_owner.{stage_id}"), help=t("help.owner_pick"))
    if owner != stage.owner:
        widgets.attempt(lambda: editing.set_stage_owner(state.current().design, stage_id, owner))

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
            "unit": cc.SelectboxColumn(field_label("unit"), options=units, format_func=_units(), default="count"),
            "target": cc.NumberColumn(field_label("target"), help=t("help.target"), format="localized"),
            "direction": cc.SelectboxColumn(field_label("direction"), options=["up", "down"], format_func=labels("direction"), default="up"),
        },
        lambda rows: tables.apply_kpis(state.current().design, stage_id, rows, lang()),
        ("phases", pi, "stages", si, "kpis"),
    )
    description = _name(stage.description) if stage.description else ""
    written = st.text_area(field_label("description"), description, key=widgets.wkey(f"description.{stage_id}"), height=68)
    if written != description:
        widgets.attempt(lambda: editing.set_stage_text(state.current().design, stage_id, "description", written, lang()),
                        editor=f"description.{stage_id}")
    else:
        state.accept_pending(f"description.{stage_id}")
    notes = _name(stage.notes) if stage.notes else ""
    written = st.text_area(field_label("notes"), notes, key=widgets.wkey(f"notes.{stage_id}"), help=t("help.notes"), height=90)
    if written != notes:
        widgets.attempt(lambda: editing.set_stage_text(state.current().design, stage_id, "notes", written, lang()), editor=f"notes.{stage_id}")
    else:
        state.accept_pending(f"notes.{stage_id}")
    st.markdown(f"**{t('design.records')}**")
    st.caption(t("design.records_hint"))
    records_editor(design, stage_id, ("phases", pi, "stages", si, "records"))
    left, right = st.columns(2)
    for column, fields in ((left, ("activities",)), (right, ("exit_criteria", "aliases"))):
        with column:
            for name in fields:
                widgets.text_lines_editor(
                    f"{name}.{stage_id}",
                    field_label(name),
                    getattr(stage, name),
                    lambda lines, name=name: editing.set_stage_texts(state.current().design, stage_id, name, lines, lang()),
                    help=t("help.one_per_line"),
                )


def _probability_help(design: Design, phase_id: str) -> str:
    """The default probabilities of the phase's stages, so an empty cell says what it means."""
    computed = stage_probabilities(design.model_copy(update={"phases": [
        p.model_copy(update={"stages": [s.model_copy(update={"probability": None}) for s in p.stages]}) for p in design.phases
    ]}))
    phase = next(p for p in design.phases if p.id == phase_id)
    shown = [f"{_name(s.name)} {computed[s.id] * 100:.1f}%" for s in phase.stages if s.id in computed]
    return t("help.probability", default=", ".join(shown)) if shown else t("help.probability_plain")


def records_editor(design: Design, stage_id: str | None, prefix: tuple) -> None:
    """The typed records of a stage (or the account plan, `stage_id` None), with the form preview."""
    key = f"records.{stage_id or '_account'}"
    widgets.table_editor(
        key,
        tables.record_rows(design, stage_id, lang()),
        {
            "name": cc.TextColumn(field_label("name"), required=True, width="medium"),
            "type": cc.SelectboxColumn(field_label("type"), options=list(RECORD_TYPES), format_func=labels("record_type"), default="text", required=True),
            "options": cc.ListColumn(field_label("options"), width="medium"),
            "required": cc.CheckboxColumn(field_label("required"), width="small"),
            "key": cc.CheckboxColumn(field_label("key"), width="small"),
            "id": cc.TextColumn(field_label("id"), help=t("help.id"), width="small"),
            "help": cc.TextColumn(field_label("help"), width="medium"),
        },
        lambda rows: tables.apply_records(state.current().design, stage_id, rows, lang()),
        prefix,
    )
    records = design.stage(stage_id).records if stage_id else design.account_plan
    with st.expander(t("design.form_preview"), expanded=False):
        form_preview(records, design.currency, key)


def form_preview(records: list[Record], currency: str, key: str) -> None:
    """The form a salesperson would fill in: one disabled input per record, key fields first."""
    if not records:
        st.caption(t("design.form_empty"))
        return
    ordered = sorted(records, key=lambda r: not r.key)
    for index, record in enumerate(ordered):
        label = _name(record.name) + (" ★" if record.key else "") + (" *" if record.required else "")
        help_text = _name(record.help) if record.help else None
        wkey = f"preview.{key}.{index}"
        options = [_name(o) for o in record.options]
        if record.type == "select":
            st.selectbox(label, options, index=None, disabled=True, help=help_text, key=wkey, placeholder=t("design.choose"))
        elif record.type == "multiselect":
            st.multiselect(label, options, disabled=True, help=help_text, key=wkey, placeholder=t("design.choose"))
        elif record.type == "bool":
            st.checkbox(label, disabled=True, help=help_text, key=wkey)
        elif record.type == "date":
            widgets.date_input(label, value=None, disabled=True, help=help_text, key=wkey)
        elif record.type in ("number", "currency"):
            suffix = f" ({currency})" if record.type == "currency" else ""
            st.number_input(label + suffix, value=None, disabled=True, help=help_text, key=wkey)
        else:
            st.text_input(label, disabled=True, help=help_text, key=wkey)


# --------------------------------------------------------------------------- phases, owners, KGIs


def phases_tab(doc: state.Doc) -> None:
    design = doc.design
    widgets.table_editor(
        "phases",
        tables.phase_rows(design, lang()),
        {
            **_common(design),
            "entry_criteria": cc.ListColumn(field_label("entry_criteria"), width="medium"),
            "exit_criteria": cc.ListColumn(field_label("phase_exit_criteria"), help=t("design.phase_criteria_hint"), width="large"),
        },
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
            "engagement": cc.SelectboxColumn(field_label("engagement"), options=list(ENGAGEMENTS), format_func=labels("engagement")),
            "fixed_cost": cc.NumberColumn(field_label("fixed_cost"), help=t("help.fixed_cost", currency=design.currency), format="localized"),
            "scope": cc.TextColumn(field_label("scope"), width="large"),
        },
        lambda rows: tables.apply_owners(state.current().design, rows, lang()),
        ("owners",),
    )
    st.markdown(f"**{t('design.pricing')}**")
    st.caption(t("design.pricing_hint"))
    owners = {o.id: _name(o.name) for o in design.owners}
    funnel = [s.id for s in design.funnel_stages]
    widgets.table_editor(
        "pricing",
        tables.pricing_rows(design, lang()),
        {
            "owner": cc.SelectboxColumn(field_label("owner"), options=list(owners), format_func=lambda o: owners.get(o, o), required=True),
            "model": cc.SelectboxColumn(field_label("model"), options=list(PRICING_MODELS), format_func=labels("pricing_model"), required=True),
            "amount": cc.NumberColumn(field_label("amount"), min_value=0, format="localized", help=design.currency),
            "stage": cc.SelectboxColumn(field_label("price_stage"), options=funnel, format_func=_stage_label(design), help=t("help.pricing_stage")),
            "period": cc.SelectboxColumn(field_label("price_period"), options=["week", "month", "quarter", "year"], format_func=labels("period"), help=t("help.pricing_period")),
            "note": cc.TextColumn(field_label("note")),
        },
        lambda rows: tables.apply_pricing(state.current().design, rows, lang()),
        ("pricing",),
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
            "unit": cc.SelectboxColumn(field_label("unit"), options=units, format_func=_units(), default="count"),
            "target": cc.NumberColumn(field_label("target"), help=t("help.target"), format="localized"),
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
    record_names = {k: _name(v.name) for k, v in design.record_ids().items()}
    st.markdown(f"**{t('design.transitions')}**")
    st.caption(t("design.transitions_hint"))
    widgets.table_editor(
        "transitions",
        tables.transition_rows(design, lang()),
        {
            "from": cc.SelectboxColumn(field_label("from"), options=stage_ids, format_func=label, required=True),
            "to": cc.SelectboxColumn(field_label("to"), options=stage_ids, format_func=label, required=True),
            "label": cc.TextColumn(field_label("label")),
            "criteria": cc.ListColumn(field_label("criteria"), width="medium"),
            "required_records": cc.MultiselectColumn(
                field_label("required_records"), options=list(record_names), help=t("help.required_records"),
                format_func=lambda r: record_names.get(r, r),
            ),
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
            "prevention": cc.ListColumn(field_label("prevention"), width="large"),
            "crm_values": cc.ListColumn(field_label("crm_values"), help=t("help.crm_values"), width="medium"),
        },
        lambda rows: tables.apply_drop_reasons(state.current().design, rows, lang()),
        ("drop_reasons",),
    )


def playbook_tab(doc: state.Doc) -> None:
    """The temperature scale, the account plan and the links to other designs."""
    design = doc.design
    st.markdown(f"**{t('design.temperature')}**")
    st.caption(t("design.temperature_hint"))
    widgets.table_editor(
        "temperature",
        tables.temperature_rows(design, lang()),
        {
            "id": cc.TextColumn(field_label("id"), help=t("help.id"), width="small"),
            "name": cc.TextColumn(field_label("name"), required=True, width="small"),
            "criteria": cc.ListColumn(field_label("criteria"), width="large"),
            "description": cc.TextColumn(field_label("description"), width="medium"),
            "aliases": cc.ListColumn(field_label("aliases"), width="small"),
        },
        lambda rows: tables.apply_temperature(state.current().design, rows, lang()),
        ("temperature",),
    )
    st.markdown(f"**{t('design.account_plan')}**")
    records_editor(design, None, ("account_plan",))
    st.markdown(f"**{t('design.linked_designs')}**")
    st.caption(t("design.linked_designs_hint"))
    others = _other_designs(design.id)
    widgets.table_editor(
        "linked_designs",
        tables.link_rows(design, lang()),
        {
            "design": cc.SelectboxColumn(field_label("design"), options=list(others), format_func=lambda d: others.get(d, d), required=True),
            "stage": cc.TextColumn(field_label("linked_stage"), help=t("help.id")),
            "at_stage": cc.SelectboxColumn(field_label("at_stage"), options=[s.id for s in design.stages], format_func=_stage_label(design)),
            "label": cc.TextColumn(field_label("label"), width="large"),
        },
        lambda rows: tables.apply_links(state.current().design, rows, lang()),
        ("linked_designs",),
    )


def _other_designs(own_id: str) -> dict[str, str]:
    """Designs this one may link to: the workspace's and the library's, by id."""
    from journeymap.library import list_templates

    found = {tpl.id: _name(tpl.design.name) for tpl in list_templates()}
    for item in state.workspace().entries():
        found.setdefault(item.id, item.name(lang()))
    found.pop(own_id, None)
    return found


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
    d, e = st.columns(2)
    counts_options = ["deals", "accounts"]
    counts = d.selectbox(field_label("counts"), counts_options, index=counts_options.index(design.counts),
                         format_func=labels("counts"), help=t("help.counts"), key=widgets.wkey("meta_counts"))
    kgi_names = {k.id: _name(k.name) for k in design.kgis  # CPA divides by a count or an amount, never a rate or score
                 if k.unit in ("count", "currency") or k.id == design.acquisition_kgi}
    acquisition_options: list[str | None] = [None, *kgi_names]
    default_kgi = kgi_names.get(default_acquisition_kgi(design) or "")  # what "unset" means for this design
    acquisition = e.selectbox(
        field_label("acquisition_kgi"), acquisition_options,
        index=acquisition_options.index(design.acquisition_kgi) if design.acquisition_kgi in kgi_names else 0,
        format_func=lambda k: kgi_names[k] if k is not None else (
            t("design.acquisition_default_is", name=default_kgi) if default_kgi else t("design.acquisition_default")),
        help=t("help.acquisition_kgi"), key=widgets.wkey("meta_acquisition"),
    )
    st.text_input(field_label("id"), design.id, disabled=True, help=t("help.design_id"), key=widgets.wkey("meta_id"))
    changes = {
        k: v
        for k, v, old in (
            ("name", name, _name(design.name)),
            ("description", description, _name(design.description)),
            ("segment", segment, design.segment),
            ("currency", currency, design.currency),
            ("period", period, design.period),
            ("counts", counts, design.counts),
            ("acquisition_kgi", acquisition, design.acquisition_kgi),
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
          t("history.by"): r.by or "—", t("history.note"): widgets.history_note(r.note)} for r in revisions],
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
