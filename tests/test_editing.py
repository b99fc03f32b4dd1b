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
