"""Editing that never crashes and never lies: undo, redo, discard, refused edits, numeric edges."""

from __future__ import annotations

import pytest

from journeymap.workspace.facade import Workspace
from tests.app_support import TEMPLATE_ID
from tests.test_app import PAGES, doc, edit_table, errors, no_exception, open_design, show_tab, shown_table, start

PHASE_PICK = f"phase_pick.{TEMPLATE_ID}.{{epoch}}.ja"


def ja(text) -> str:
    return text if isinstance(text, str) else text.ja


def pick_phase(at, phase_id: str):
    at.session_state[PHASE_PICK.format(epoch=doc(at).epoch)] = phase_id
    return at.run()


def test_undo_and_redo_walk_back_and_forth_through_edits(app_env):
    at = open_design(start())
    original = doc(at).design
    assert at.button(key="sidebar_undo").disabled and at.button(key="sidebar_redo").disabled

    edit_table(at, "stages.strategy", edited={0: {"name": "市場分析"}})
    first = doc(at).design
    assert ja(first.phases[0].stages[0].name) == "市場分析"
    pick_phase(at, "strategy")
    edit_table(at, "stages.strategy", edited={1: {"name": "顧客企業の選定"}})
    second = doc(at).design
    assert ja(second.phases[0].stages[1].name) == "顧客企業の選定" and doc(at).dirty

    at.button(key="sidebar_undo").click().run()
    no_exception(at)
    assert doc(at).design == first
    at.button(key="sidebar_undo").click().run()
    assert doc(at).design == original and not doc(at).dirty  # back to what the file holds
    assert at.button(key="sidebar_undo").disabled

    at.button(key="sidebar_redo").click().run()
    assert doc(at).design == first and doc(at).dirty
    at.button(key="sidebar_redo").click().run()
    assert doc(at).design == second
    assert at.button(key="sidebar_redo").disabled
    # the table shows the design it went back to (widgets start afresh after undo/redo)
    pick_phase(at, "strategy")
    table = next(d for d in at.data_editor if d.key.startswith("stages.strategy."))
    assert list(table.value["name"])[:2] == ["市場分析", "顧客企業の選定"]


def test_a_new_edit_after_undo_drops_the_redo(app_env):
    at = open_design(start())
    edit_table(at, "stages.strategy", edited={0: {"name": "A"}})
    at.button(key="sidebar_undo").click().run()
    pick_phase(at, "strategy")
    edit_table(at, "stages.strategy", edited={0: {"name": "B"}})
    assert ja(doc(at).design.phases[0].stages[0].name) == "B"
    assert at.button(key="sidebar_redo").disabled


def test_deleting_a_stage_can_be_undone(app_env):
    at = open_design(start())
    pick_phase(at, "negotiation")
    at.session_state[f"stage_pick.{TEMPLATE_ID}.0.ja"] = "hearing"
    at.run()
    at.button(key="stage_remove.hearing").click().run()
    no_exception(at)
    assert "hearing" not in [s.id for s in doc(at).design.stages]
    at.button(key="sidebar_undo").click().run()
    assert "hearing" in [s.id for s in doc(at).design.stages]


def test_deleting_a_phase_and_an_owner_can_be_undone(app_env):
    at = open_design(start())
    before = doc(at).design
    at.session_state["design_tab.ja"] = "フェーズ"
    at.run()
    edit_table(at, "phases", deleted=[3])
    no_exception(at)
    assert len(doc(at).design.phases) == len(before.phases) - 1
    at.button(key="sidebar_undo").click().run()
    assert doc(at).design == before

    at.session_state["design_tab.ja"] = "担当"
    at.run()
    owners = [o.id for o in before.owners]
    edit_table(at, "owners", added=[{"id": "partner-x", "name": "代理店X"}])
    assert [o.id for o in doc(at).design.owners] == [*owners, "partner-x"]
    at.session_state["design_tab.ja"] = "担当"
    at.run()
    edit_table(at, "owners", deleted=[len(owners)])
    no_exception(at)
    assert [o.id for o in doc(at).design.owners] == owners
    at.button(key="sidebar_undo").click().run()
    assert [o.id for o in doc(at).design.owners] == [*owners, "partner-x"]


def test_discard_goes_back_to_the_saved_version_and_can_be_undone(app_env):
    at = open_design(start())
    saved = doc(at).design
    assert at.button(key="sidebar_discard").disabled
    edit_table(at, "stages.strategy", edited={0: {"name": "市場分析"}})
    edited = doc(at).design
    at.button(key="sidebar_discard").click().run()
    no_exception(at)
    assert doc(at).design == saved and not doc(at).dirty
    assert Workspace(app_env).load_draft(TEMPLATE_ID, at.session_state["jm_token"]) is None
    assert "変更を破棄" in " ".join(str(x.value) for x in at.toast)
    at.button(key="sidebar_undo").click().run()
    assert doc(at).design == edited and doc(at).dirty


def test_saved_only_when_the_screen_is_what_the_file_holds(app_env):
    at = open_design(start())
    edit_table(at, "stages.strategy", edited={0: {"name": "市場分析"}})
    pick_phase(at, "strategy")
    edit_table(at, "stages.strategy", edited={1: {"name": None}})  # an empty name: refused
    no_exception(at)
    assert "名前を入力してください" in errors(at)
    sidebar = " ".join(m.value for m in at.sidebar.markdown)
    assert "反映できない入力があります" in sidebar and "保存済み" not in sidebar

    at.button(key="sidebar_save").click().run()
    no_exception(at)
    assert doc(at).dirty  # nothing was saved
    assert "保存しました" not in " ".join(str(x.value) for x in at.toast)
    assert ja(Workspace(app_env).load(TEMPLATE_ID).design.phases[0].stages[0].name) != "市場分析"


def test_a_valid_edit_then_save_says_saved(app_env):
    at = open_design(start())
    edit_table(at, "stages.strategy", edited={0: {"name": "市場分析"}})
    at.button(key="sidebar_save").click().run()
    no_exception(at)
    assert "保存しました" in " ".join(str(x.value) for x in at.toast)
    assert "保存済み" in " ".join(m.value for m in at.sidebar.markdown)
    assert Workspace(app_env).load(TEMPLATE_ID).design == doc(at).design


# --------------------------------------------------------------------------- Plan's edges


@pytest.mark.parametrize(("percent", "shown"), [(0, "0%"), (100, None), (150, "0%〜100%")])
def test_plan_rates_at_and_past_the_edges(app_env, percent, shown):
    at = open_design(start())
    at.switch_page("journeymap/ui/views/plan.py").run()
    rate = next(n for n in at.number_input if n.key.startswith("plan_rate.hearing."))
    rate.set_value(percent).run()
    no_exception(at)
    text = errors(at)
    if percent == 0:  # a what-if of 0 %: the stages from ヒアリング on are planned, the rest are "—" with the reason
        assert not text, text
        said = " ".join(w.value.replace("\\", "") for w in at.warning)
        assert "0% のため" in said and "より前の段階では計算できません" in said and "受注件数" in said, said
        assert "反映していません" not in said
    elif percent == 100:
        assert not text  # a correct plan: as many meetings as appointments
        table = shown_table(at, "必要件数")
        required = dict(zip(table["ステージ"], table["必要件数"]))
        assert required["アポイント獲得"] == required["ヒアリング"]
    else:
        assert shown in text and "150%" in text
    assert "Streamlit" not in text and "--" not in text


# --------------------------------------------------------------------------- every numeric widget


def _numeric_edges(widget) -> list:
    top = widget.max if widget.max is not None and widget.max < 1e12 else 100
    return [0, top, top + 50, None]


@pytest.mark.parametrize("page", PAGES)
def test_every_numeric_input_of_every_page_takes_the_edges(app_env, page):
    """0, the maximum, above the maximum and empty in every number input: no exception box."""
    at = open_design(start())
    at.switch_page(f"journeymap/ui/views/{page}").run()
    keys = [n.key for n in at.number_input]
    for key in keys:
        for value in _numeric_edges(at.number_input(key=key)):

            at.session_state[key] = value
            at.run()
            no_exception(at)
            assert not [e for e in at.error if "Error" in e.value], (key, value, errors(at))
        at.session_state[key] = None
    assert page not in ("plan.py",) or keys  # the Plan page has inputs to walk


@pytest.mark.parametrize(
    ("table", "column", "edges"),
    [
        ("stages.negotiation", "target_rate", [0, 100, 150, None]),
        ("stages.negotiation", "target_days", [0, 365, -1, None]),
        ("stages.negotiation", "unit_cost", [0, 10**9, -1, None]),
    ],
)
def test_every_numeric_column_of_the_stage_table_takes_the_edges(app_env, table, column, edges):
    at = open_design(start())
    pick_phase(at, "negotiation")
    for value in edges:
        before = doc(at).design
        edit_table(at, table, edited={2: {column: value}})
        no_exception(at)
        refused = (column == "target_rate" and value == 150) or value == -1
        if refused:
            assert "反映していません" in errors(at) and doc(at).design == before  # refused, never clamped
        else:
            assert not errors(at), (column, value, errors(at))
            stage = doc(at).design.phases[2].stages[2]
            got = getattr(stage, column)
            expected = None if value is None else (value / 100 if column == "target_rate" else value)
            assert got == expected
        pick_phase(at, "negotiation")


# --------------------------------------------------------------------------- the Design page's layout


def test_the_stage_picker_follows_the_phase_and_the_owner_is_a_plain_choice(app_env):
    at = open_design(start())
    picker = at.selectbox(key=f"stage_pick.{TEMPLATE_ID}.0.ja")
    strategy = [s.id for s in doc(at).design.phases[0].stages]
    assert len(picker.options) == len(strategy)
    pick_phase(at, "negotiation")
    picker = at.selectbox(key=f"stage_pick.{TEMPLATE_ID}.0.ja")
    negotiation = doc(at).design.phases[2].stages
    assert len(picker.options) == len(negotiation) and picker.value == negotiation[0].id

    owner = at.selectbox(key=f"stage_owner.{negotiation[0].id}.{TEMPLATE_ID}.0.ja")
    other = next(o.id for o in doc(at).design.owners if o.id != negotiation[0].owner)
    owner.set_value(other).run()
    no_exception(at)
    assert doc(at).design.stage(negotiation[0].id).owner == other
    at.button(key="sidebar_undo").click().run()
    assert doc(at).design.stage(negotiation[0].id).owner == negotiation[0].owner


def test_the_diagram_sits_below_the_editor_by_default(app_env):
    at = open_design(start())
    assert at.session_state["jm_layout"] == "below"
    assert at.segmented_control(key="jm_layout").value == "below"


# --------------------------------------------------------------------------- stale translations


def test_a_name_changed_in_one_language_marks_the_other_in_the_editor_and_on_export(app_env):
    at = open_design(start())
    assert not [e for e in at.expander if "翻訳が古い可能性" in e.label]
    edit_table(at, "stages.strategy", edited={0: {"name": "市場・競合分析"}})
    no_exception(at)
    marks = [e for e in at.expander if "翻訳が古い可能性" in e.label]
    assert len(marks) == 1 and "（1件）" in marks[0].label
    listed = " ".join(m.value for m in at.markdown)
    assert "ステージ「analysis」の名前" in listed and "英語「Market and core competence analysis」が古い可能性" in listed

    at.switch_page("journeymap/ui/views/transfer.py").run()
    no_exception(at)
    assert "翻訳が古い可能性があります（1件）" in " ".join(w.value for w in at.warning)
    assert "市場・競合分析" in " ".join(m.value for m in at.markdown)


def _kpi_stage(design):
    """The first stage with KPIs, and its phase."""
    return next((p.id, s.id) for p in design.phases for s in p.stages if s.kpis)


def pick_kpi_stage(at):
    phase_id, stage_id = _kpi_stage(doc(at).design)
    pick_phase(at, phase_id)
    at.session_state[f"stage_pick.{TEMPLATE_ID}.{doc(at).epoch}.ja"] = stage_id
    return at.run()


# (tab, table, column, edges, the values refused, the design's value after an accepted edit of row 0).
# A KPI's target may be negative (an NPS of −10 is a target); an emptied fixed cost is no fixed cost
# (the model's 0, which the plan leaves out: never shown as ¥0).
MORE_NUMBERS = {
    "kgi target": ("KGI", "kgis", "target", [0, 10**9, -1, None], {-1, None},
                   lambda at, d: d.kgis[0].target),
    "kpi target": ("ステージ", "kpis", "target", [0, 10**9, -1, None], set(),
                   lambda at, d: next(s for s in d.stages if s.id == _kpi_stage(d)[1]).kpis[0].target),
    "fixed cost": ("担当", "owners", "fixed_cost", [0, 10**9, -1, None], {-1},
                   lambda at, d: d.owners[0].fixed_cost),
    "probability": ("ステージ", "stages.negotiation", "probability", [0, 100, 150, None], {150},
                    lambda at, d: d.phases[2].stages[0].probability),
}


@pytest.mark.parametrize("case", MORE_NUMBERS)
def test_kgi_kpi_cost_and_probability_columns_take_the_edges(app_env, case):
    """0, a large value, a value out of range and an emptied cell in the other numeric columns: an
    accepted value is stored as typed (percent / 100), a refused one leaves the design as it was and
    says so; never an exception box."""
    tab, table, column, edges, refused, stored = MORE_NUMBERS[case]
    at = open_design(start())
    for value in edges:
        if table.startswith("stages."):
            pick_phase(at, "negotiation")
        elif table == "kpis":
            pick_kpi_stage(at)
        else:
            show_tab(at, tab)
        before = doc(at).design
        edit_table(at, table, edited={0: {column: value}})
        no_exception(at)
        if value in refused:
            assert "反映していません" in errors(at) and doc(at).design == before, (value, errors(at))
        else:
            assert not errors(at), (column, value, errors(at))
            empty = 0 if column == "fixed_cost" else None
            expected = empty if value is None else (value / 100 if column == "probability" else value)
            assert stored(at, doc(at).design) == expected, (value, stored(at, doc(at).design))


@pytest.mark.parametrize(("value", "accepted"), [(-2, True), (2, True), (0, True), (3, False), (-3, False), (None, True)])
def test_the_journeys_emotion_column_takes_the_edges(app_env, value, accepted):
    at = open_design(start())
    at.switch_page("journeymap/ui/views/journey.py").run()
    before = doc(at).design
    assert before.journey and before.journey.phases, "the app's test design has a journey"
    edit_table(at, "journey", edited={0: {"emotion": value}})
    no_exception(at)
    if accepted:
        assert not errors(at), errors(at)
        assert doc(at).design.journey.phases[0].emotion == value
    else:
        assert "反映していません" in errors(at) and doc(at).design == before


# --------------------------------------------------------------------------- decimals in columns of whole numbers


# (tab, table, phase picked, the edit that leaves the column full of whole numbers, row, column, decimal
# typed, the design's value after the edit). A column whose every value is whole once took whole numbers
# only (2.5 typed there became 2); an empty cell made it a column of decimals, so each case fills it first.
DECIMALS = {
    "target days": (None, "stages.negotiation", "negotiation", {"edited": {1: {"target_days": 10}}}, 0, "target_days", 2.5,
                    lambda d: d.phases[2].stages[0].target_days),
    "half a day": (None, "stages.contact", "contact", {"edited": {0: {"target_days": 7}}}, 1, "target_days", 0.5,
                   lambda d: d.phases[1].stages[1].target_days),
    "unit cost": (None, "stages.contact", "contact", {}, 1, "unit_cost", 12500.5,
                  lambda d: d.phases[1].stages[1].unit_cost),
    # a count KGI has no value per item: the column is full when the revenue KGI is the only one
    "value per item": ("KGI", "kgis", None, {"deleted": [0]}, 0, "value_per_item", 12500.5,
                       lambda d: d.kgis[0].value_per_item),
}


@pytest.mark.parametrize("case", DECIMALS)
def test_a_decimal_typed_in_a_column_of_whole_numbers_is_kept_and_saved(app_env, case):
    """The model takes non-negative decimals for days and amounts: the editor keeps 2.5 as 2.5
    (not 2), the file holds it after saving, and loading gives it back."""
    tab, table, phase, fill, row, column, typed, stored = DECIMALS[case]

    def show():
        if phase:
            pick_phase(at, phase)
        else:
            show_tab(at, tab)

    at = open_design(start())
    show()
    if fill:
        edit_table(at, table, **fill)
        no_exception(at)
        assert not errors(at), errors(at)
        at.button(key="sidebar_save").click().run()  # a new editor, over the filled column
        show()
    editor = next(d for d in at.data_editor if d.key.startswith(table + "."))
    values = list(editor.value[column])
    assert all(v is not None and v == v and float(v).is_integer() for v in values), values  # full of whole numbers
    edit_table(at, table, edited={row: {column: typed}})
    no_exception(at)
    assert not errors(at), errors(at)
    assert stored(doc(at).design) == typed
    at.button(key="sidebar_save").click().run()
    no_exception(at)
    assert "保存しました" in " ".join(str(x.value) for x in at.toast)
    assert stored(Workspace(app_env).load(TEMPLATE_ID).design) == typed


def test_the_stage_description_is_edited_in_the_detail_and_kept_by_the_table(app_env):
    """The stage table leaves the description out (so its other columns fit a projector at 1280×720):
    ステージの詳細 edits it, and an edit of the table keeps every stage's description."""
    at = open_design(start())
    table = next(d for d in at.data_editor if d.key.startswith("stages.strategy."))
    assert "description" not in table.proto.column_order  # hidden in the table, carried along
    stages = doc(at).design.phases[0].stages
    written = {}
    for stage, words in zip(stages[:2], ("市場規模と自社の強みを整理する", "狙う企業と部門を決める")):
        at.selectbox(key=next(s.key for s in at.selectbox if s.key.startswith("stage_pick."))).set_value(stage.id).run()
        box = next(a for a in at.text_area if a.key.startswith(f"description.{stage.id}."))
        assert box.label == "説明" and box.value == ""
        box.set_value(words).run()
        no_exception(at)
        assert ja(doc(at).design.stage(stage.id).description) == words
        written[stage.id] = words
    edit_table(at, "stages.strategy", edited={0: {"name": "市場分析"}})
    no_exception(at)
    after = doc(at).design.phases[0].stages
    assert ja(after[0].name) == "市場分析"
    assert {s.id: ja(s.description) for s in after if s.description} == written
