"""Editing operations and table rows: every edit gives a valid design or an issue with its path."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.editing import operations as editing
from journeymap.editing import tables
from journeymap.errors import InputError
from journeymap.model import Localized
from tests.app_support import template_design


@pytest.fixture
def design():
    return template_design()


def issue_paths(exc: InputError) -> list[tuple]:
    return [issue.path for issue in exc.issues]


# --------------------------------------------------------------------------- texts


@pytest.mark.parametrize(
    ("old", "lang", "new", "expected"),
    [
        ({"ja": "架電", "en": "Calls"}, "en", "Dials", {"ja": "架電", "en": "Dials"}),
        ({"ja": "架電", "en": "Calls"}, "ja", "  テレコール ", {"ja": "テレコール", "en": "Calls"}),
        ("架電", "en", "Calls", {"ja": "架電", "en": "Calls"}),
        ("架電", "ja", "架電", "架電"),
        ("架電", "ja", "電話", "電話"),
        (None, "en", "Calls", "Calls"),
        ({"ja": "架電", "en": "Calls"}, "en", "", {"ja": "架電"}),
        ("架電", "ja", "", None),
        ("架電", "en", "", "架電"),
        ("Calls", "ja", "架電", {"ja": "架電", "en": "Calls"}),
        ("Calls", "en", "Dials", "Dials"),
    ],
)
def test_set_text_changes_one_language_and_keeps_the_other(old, lang, new, expected):
    assert editing.set_text(old, lang, new) == expected


def test_set_text_accepts_a_localized_model():
    assert editing.set_text(Localized(ja="受注", en="Won"), "en", "Closed") == {"ja": "受注", "en": "Closed"}


def test_merge_text_list_keeps_the_other_language_of_unchanged_and_edited_items():
    old = [{"ja": "一", "en": "one"}, {"ja": "二", "en": "two"}, {"ja": "三", "en": "three"}]
    merged = editing.merge_text_list(old, ["one", "TWO", "four"], "en")
    assert merged == [{"ja": "一", "en": "one"}, {"ja": "二", "en": "TWO"}, {"ja": "三", "en": "four"}]
    assert editing.merge_text_list(old, ["three", "one"], "en")[0] == {"ja": "三", "en": "three"}
    assert editing.merge_text_list(old, ["one", "", "  "], "en") == [{"ja": "一", "en": "one"}]


# --------------------------------------------------------------------------- numbers


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_rates_survive_the_percent_round_trip(basis_points):
    rate = basis_points / 10_000
    assert editing.rate_from_percent(editing.percent(rate)) == pytest.approx(rate, abs=0)


@pytest.mark.parametrize(("cell", "expected"), [(14.0, 14), ("1,000", 1000), (None, None), (float("nan"), None), (2.5, 2.5)])
def test_numbers_from_cells(cell, expected):
    assert editing.number(cell) == expected


# --------------------------------------------------------------------------- structure


def test_move_stage_within_and_across_phases(design):
    moved = editing.move_stage(design, "proposal", -1)
    assert [s.id for s in moved.phase_of("won").stages] == ["proposal", "hearing", "won"]
    across = editing.move_stage(design, "appointment", 1)
    assert [s.id for s in across.phases[2].stages][:2] == ["appointment", "hearing"]
    with pytest.raises(InputError) as caught:  # 'appointment' would become the first funnel stage
        editing.move_stage(design, "call", 1)
    assert caught.value.first.path == ("phases", 1, "stages", 0, "target_rate")
    assert editing.move_stage(design, "analysis", -1) == design  # already first: nothing to do


def test_the_only_stage_of_a_phase_cannot_leave_it(design):
    single = tables.apply_stages(design, "contact", tables.stage_rows(design, "contact", "ja")[:1], "ja")
    with pytest.raises(InputError) as caught:
        editing.move_stage(single, "call", 1)
    assert caught.value.first.path == ("phases", 1, "stages", 0)


def test_move_journey_phase(design):
    moved = editing.move_journey_phase(design, "contract", -1)
    assert [p.id for p in moved.journey.phases] == ["problem", "research", "contract", "evaluation"]


def test_move_phase(design):
    assert [p.id for p in editing.move_phase(design, "after-sale", -1).phases][-2:] == ["after-sale", "negotiation"]


def test_add_stage_makes_an_id_from_the_name_or_a_numbered_one(design):
    added = editing.add_stage(design, "negotiation", "Contract review", "en")
    assert added.phases[2].stages[-1].id == "contract-review"
    japanese = editing.add_stage(design, "negotiation", "契約確認", "ja")
    assert japanese.phases[2].stages[-1].id.startswith("stage-")
    with pytest.raises(InputError):
        editing.add_stage(design, "negotiation", "  ", "ja")


def test_remove_stage_drops_its_links_but_a_kgi_stage_is_an_error(design):
    removed = editing.remove_stage(design, "proposal")
    assert all("proposal" not in jp.stages for jp in removed.journey.phases)
    assert removed.drop_reasons[0].stages == []
    with pytest.raises(InputError) as caught:
        editing.remove_stage(design, "won")
    assert ("kgis", 0, "stage") in issue_paths(caught.value)


def test_set_stage_texts_edits_one_language(design):
    edited = editing.set_stage_texts(design, "appointment", "exit_criteria", ["Date fixed with the decision maker", "Budget confirmed"], "en")
    criteria = edited.stage("appointment").exit_criteria
    assert criteria[0].ja == "決裁者または起案者との日程が確定している"
    assert criteria[0].en == "Date fixed with the decision maker"
    assert criteria[1] == "Budget confirmed"
    aliases = editing.set_stage_texts(design, "appointment", "aliases", ["Appt", " ", "アポ"], "ja")
    assert aliases.stage("appointment").aliases == ["Appt", "アポ"]


def test_copy_and_template_and_meta(design):
    assert editing.copy_of(design, "x").name == Localized(ja=f"{design.name.ja}のコピー", en=f"Copy of {design.name.en}")
    new = editing.from_template(design, "tokyo-sales", "東京営業部")
    assert (new.id, new.name) == ("tokyo-sales", "東京営業部")
    meta = editing.set_meta(design, "en", name="Outbound", currency="usd", persona="CFO")
    assert meta.name.en == "Outbound" and meta.currency == "USD" and meta.journey.persona.en == "CFO"
    with pytest.raises(InputError) as caught:
        editing.set_meta(design, "ja", currency="JP")
    assert caught.value.first.path == ("currency",)


def test_what_if_changes_targets_and_rates_only_in_the_copy(design):
    changed = editing.what_if(design, targets={"wins": 8}, rates={"appointment": 0.05})
    assert changed.kgis[0].target == 8 and changed.stage("appointment").target_rate == 0.05
    assert design.kgis[0].target == 5


# --------------------------------------------------------------------------- tables


def test_stage_rows_show_language_and_percent(design):
    rows = tables.stage_rows(design, "contact", "en")
    assert rows[1] | {} == {
        "_key": "appointment",
        "id": "appointment",
        "name": "Appointment",
        "owner": "teleapo",
        "funnel": True,
        "target_rate": 4.0,
        "target_days": 14,
        "unit_cost": 10000,
        "probability": None,
        "forecast_category": None,
        "description": None,
    }


def test_unchanged_rows_give_the_same_design(design):
    for phase in design.phases:
        assert tables.apply_stages(design, phase.id, tables.stage_rows(design, phase.id, "ja"), "ja") == design
    assert tables.apply_phases(design, tables.phase_rows(design, "en"), "en") == design
    assert tables.apply_owners(design, tables.owner_rows(design, "ja"), "ja") == design
    assert tables.apply_kgis(design, tables.kgi_rows(design, "ja"), "ja") == design
    assert tables.apply_kpis(design, "call", tables.kpi_rows(design, "call", "en"), "en") == design
    assert tables.apply_transitions(design, tables.transition_rows(design, "ja"), "ja") == design
    assert tables.apply_journey(design, tables.journey_rows(design, "en"), "en") == design
    assert tables.apply_drop_reasons(design, tables.drop_reason_rows(design, "ja"), "ja") == design


def test_editing_a_rate_in_percent(design):
    rows = tables.stage_rows(design, "contact", "ja")
    rows[1]["target_rate"] = 5
    assert tables.apply_stages(design, "contact", rows, "ja").stage("appointment").target_rate == 0.05


# --------------------------------------------------------------------------- rate targets in percent


def kpi(design, stage_id: str, index: int = 0):
    return design.stage(stage_id).kpis[index]


def test_a_rate_kpi_is_shown_and_typed_in_percent_like_a_stage_rate(design):
    rows = tables.kpi_rows(design, "appointment", "ja")
    assert (rows[0]["unit"], rows[0]["target"]) == ("rate", 4)  # the file's 0.04
    assert tables.stage_rows(design, "contact", "ja")[1]["target_rate"] == 4  # the same convention
    rows[0]["target"] = 30
    assert kpi(tables.apply_kpis(design, "appointment", rows, "ja"), "appointment").target == 0.3
    count_rows = tables.kpi_rows(design, "call", "ja")
    assert count_rows[0]["target"] == 1000  # a count stays as it is
    count_rows[0]["target"] = 30
    assert kpi(tables.apply_kpis(design, "call", count_rows, "ja"), "call").target == 30


def test_a_rate_kgi_is_shown_and_typed_in_percent(design):
    rows = tables.kgi_rows(design, "en")
    rows.append({"_key": None, "id": "meeting-rate", "name": "Meeting rate", "unit": "rate", "target": 12.5,
                 "stage": "won"})
    grown = tables.apply_kgis(design, rows, "en")
    assert [(k.unit, k.target) for k in grown.kgis] == [("count", 5), ("currency", 15000000), ("rate", 0.125)]
    assert [r["target"] for r in tables.kgi_rows(grown, "en")] == [5, 15000000, 12.5]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(33.3, 0.333), (7, 0.07), (0.1, 0.001), (14.000000000000002, 0.14), (57.99999999999999, 0.58), (0, 0), (100, 1)],
)
def test_typed_percent_is_stored_exactly(design, typed, stored):
    """Values float arithmetic gets wrong (33.3 / 100 is 0.33299999999999996, 0.07 * 100 is
    7.000000000000001): the file holds what was meant, and shows it back as typed."""
    rows = tables.kpi_rows(design, "appointment", "ja")
    rows[0]["target"] = typed
    edited = tables.apply_kpis(design, "appointment", rows, "ja")
    assert repr(kpi(edited, "appointment").target) == repr(stored)
    shown = tables.kpi_rows(edited, "appointment", "ja")[0]["target"]
    assert repr(float(shown)) == repr(float(round(typed, 10)))  # 33.3, 7.0, 14.0, 58.0: no float noise


@pytest.mark.parametrize("rate", [0.07, 0.29, 0.57, 0.333, 0.123456789012345])
def test_a_stored_rate_shows_without_float_noise_and_survives_an_edit_elsewhere(design, rate):
    """0.07 shows as 7 (not 7.000000000000001); a row left alone keeps the file's value to the last
    digit when another row of the table is edited."""
    rows = tables.kpi_rows(design, "appointment", "ja")
    rows[0]["target"] = rate * 100
    design = tables.apply_kpis(design, "appointment", rows, "ja")
    data = editing.to_data(design)
    data["phases"][1]["stages"][1]["kpis"][0]["target"] = rate  # as a file may hold it
    design = editing.validated(data)
    rows = tables.kpi_rows(design, "appointment", "ja")
    assert rows[0]["target"] == round(rate * 100, 10)
    if rate == 0.07:
        assert repr(rows[0]["target"]) == "7.0"
    rows.append({"_key": None, "id": None, "name": "接続率", "unit": "rate", "target": 35})
    edited = tables.apply_kpis(design, "appointment", rows, "ja")
    assert repr(kpi(edited, "appointment").target) == repr(rate)
    assert kpi(edited, "appointment", 1).target == 0.35


def test_a_stage_rate_left_alone_keeps_its_digits_when_another_row_is_edited(design):
    data = editing.to_data(design)
    data["phases"][1]["stages"][1]["target_rate"] = 0.0412345678901234
    design = editing.validated(data)
    rows = tables.stage_rows(design, "contact", "ja")
    rows[0]["target_days"] = 7
    edited = tables.apply_stages(design, "contact", rows, "ja")
    assert edited.stage("appointment").target_rate == 0.0412345678901234
    rows[1]["target_rate"] = 4.5  # typed: read as typed
    assert tables.apply_stages(design, "contact", rows, "ja").stage("appointment").target_rate == 0.045


@pytest.mark.parametrize(("typed", "value"), [(150, "1.5"), (100.5, "1.005"), (-5, "-0.05")])
def test_a_rate_target_out_of_range_is_refused_at_its_row_in_percent(design, typed, value):
    from journeymap.ui.messages import localized

    rows = tables.kpi_rows(design, "call", "ja") + [
        {"_key": None, "id": None, "name": "接続率", "unit": "rate", "target": typed}
    ]
    with pytest.raises(InputError) as caught:
        tables.apply_kpis(design, "call", rows, "ja")
    issue = caught.value.first
    assert issue.path == ("phases", 1, "stages", 0, "kpis", 1, "target")
    assert (issue.key, dict(issue.values)) == ("problem.rate_between", {"value": value})
    text = localized(issue)  # the app's language is Japanese without a session
    assert f"（入力値: {typed:g}%）" in text and "0%〜100%" in text and "目標値" in text, text
    assert not any("a" <= ch.lower() <= "z" for ch in text), text


def test_a_negative_rate_kgi_is_told_in_percent_not_as_a_count(design):
    rows = tables.kgi_rows(design, "ja")
    rows[0]["unit"], rows[0]["target"] = "rate", -5
    with pytest.raises(InputError) as caught:
        tables.apply_kgis(design, rows, "ja")
    assert caught.value.first.path == ("kgis", 0, "target")
    assert dict(caught.value.first.values) == {"value": "-0.05"}


@pytest.mark.parametrize("table", ["kpi", "kgi"])
def test_changing_the_unit_keeps_the_number_on_screen(design, table):
    """Count 30 changed to a rate is 30 % (0.3 in the file), a rate of 30 % changed to a count is
    30: the number the user sees keeps what it says; a count too large for a percentage is refused
    at its row rather than read as something else."""
    if table == "kpi":
        rows_of = lambda d: tables.kpi_rows(d, "call", "ja")  # noqa: E731
        apply = lambda d, rows: tables.apply_kpis(d, "call", rows, "ja")  # noqa: E731
        stored = lambda d: kpi(d, "call").target  # noqa: E731
    else:
        rows_of = lambda d: tables.kgi_rows(d, "ja")  # noqa: E731
        apply = lambda d, rows: tables.apply_kgis(d, rows, "ja")  # noqa: E731
        stored = lambda d: d.kgis[0].target  # noqa: E731
    rows = rows_of(design)
    rows[0]["target"] = 30
    counted = apply(design, rows)
    rows = rows_of(counted)
    rows[0]["unit"] = "rate"
    as_rate = apply(counted, rows)
    assert stored(as_rate) == 0.3 and rows_of(as_rate)[0]["target"] == 30
    rows = rows_of(as_rate)
    rows[0]["unit"] = "count"
    back = apply(as_rate, rows)
    assert stored(back) == 30 and rows_of(back)[0]["target"] == 30
    rows = rows_of(design)  # 1000 calls / 5 wins is no percentage of anything
    rows[0]["unit"], rows[0]["target"] = "rate", 1000
    with pytest.raises(InputError) as caught:
        apply(design, rows)
    assert caught.value.first.path[-1] == "target" and caught.value.first.key == "problem.rate_between"


def test_the_edges_of_a_rate_target_are_accepted(design):
    rows = tables.kpi_rows(design, "appointment", "ja")
    for typed, stored in ((0, 0), (100, 1)):
        rows[0]["target"] = typed
        assert kpi(tables.apply_kpis(design, "appointment", rows, "ja"), "appointment").target == stored


def test_an_invalid_rate_points_at_its_row_and_column(design):
    rows = tables.stage_rows(design, "negotiation", "ja")
    rows[2]["target_rate"] = 250
    with pytest.raises(InputError) as caught:
        tables.apply_stages(design, "negotiation", rows, "ja")
    assert issue_paths(caught.value) == [("phases", 2, "stages", 2, "target_rate")]
    assert "between 0 and 1" in caught.value.first.message


def test_renaming_a_stage_id_updates_every_reference(design):
    rows = tables.stage_rows(design, "negotiation", "ja")
    rows[2]["id"] = "closed-won"
    renamed = tables.apply_stages(design, "negotiation", rows, "ja")
    assert [k.stage for k in renamed.kgis] == ["closed-won", "closed-won"]
    assert "closed-won" in renamed.journey.phases[3].stages


def test_renaming_an_owner_id_updates_its_stages(design):
    rows = tables.owner_rows(design, "ja")
    rows[1]["id"] = "agency"
    renamed = tables.apply_owners(design, rows, "ja")
    assert renamed.stage("call").owner == "agency"


def test_a_new_row_gets_an_id_and_an_empty_row_is_ignored(design):
    rows = tables.stage_rows(design, "negotiation", "ja")
    rows.append({"_key": None, "id": None, "name": "契約書送付", "funnel": False})
    rows.append({"_key": None, "id": None, "name": None, "funnel": False})
    added = tables.apply_stages(design, "negotiation", rows, "ja")
    assert len(added.phases[2].stages) == 4 and added.phases[2].stages[-1].name == "契約書送付"


def test_a_bad_id_and_a_duplicate_id_are_reported_at_their_rows(design):
    rows = tables.stage_rows(design, "contact", "ja")
    rows[0]["id"] = "Bad Id"
    with pytest.raises(InputError) as caught:
        tables.apply_stages(design, "contact", rows, "ja")
    assert caught.value.first.path == ("phases", 1, "stages", 0, "id")
    assert "bad-id" in caught.value.first.message
    rows = tables.stage_rows(design, "contact", "ja")
    rows[0]["id"] = "hearing"
    with pytest.raises(InputError) as caught:
        tables.apply_stages(design, "contact", rows, "ja")
    assert "duplicate stage id 'hearing'" in str(caught.value)


def test_text_in_a_number_cell_is_an_issue_not_a_crash(design):
    rows = tables.kgi_rows(design, "ja")
    rows[0]["target"] = "たくさん"
    with pytest.raises(InputError) as caught:
        tables.apply_kgis(design, rows, "ja")
    assert caught.value.first.path == ("kgis", 0, "target")


def test_removing_a_phase_removes_its_stages_links(design):
    rows = [r for r in tables.phase_rows(design, "ja") if r["id"] != "after-sale"]
    fewer = tables.apply_phases(design, rows, "ja")
    assert [p.id for p in fewer.phases] == ["strategy", "contact", "negotiation"]
    assert fewer.transitions == []


def test_a_new_phase_gets_a_first_stage(design):
    rows = tables.phase_rows(design, "en") + [{"_key": None, "id": None, "name": "Renewal"}]
    grown = tables.apply_phases(design, rows, "en")
    assert grown.phases[-1].id == "renewal" and grown.phases[-1].stages[0].name == "New stage"


def test_journey_rows_edit_lanes_and_links(design):
    rows = tables.journey_rows(design, "en")
    rows[2]["pain_points"] = ["Heavy internal approval", "Unclear ROI"]
    rows[2]["stages"] = ["hearing"]
    rows[0]["emotion"] = -2
    edited = tables.apply_journey(design, rows, "en")
    phase = edited.journey.phases[2]
    assert phase.pain_points[0] == Localized(ja="社内稟議が重い", en="Heavy internal approval")
    assert phase.pain_points[1] == "Unclear ROI"
    assert phase.stages == ["hearing"] and edited.journey.phases[0].emotion == -2
    rows[1]["stages"] = ["nowhere"]
    with pytest.raises(InputError) as caught:
        tables.apply_journey(design, rows, "en")
    assert caught.value.first.path == ("journey", "phases", 1, "stages", 0)
