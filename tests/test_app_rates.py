"""A KPI's or KGI's rate target is typed in percent on every page, like a stage's rate: 30 is
30 % on screen and 0.3 in the file; out of range is refused in the user's language at its row."""

from __future__ import annotations

import re

import yaml

from tests.app_support import TEMPLATE_ID
from tests.test_app import doc, edit_table, errors, no_exception, open_design, show_tab, start
from tests.test_app_analysis import dots


def open_kpis(at, phase_id: str = "contact", stage_id: str = "appointment"):
    """The Design page with the stage detail (its KPI table) of `stage_id`."""
    at.session_state[f"phase_pick.{TEMPLATE_ID}.{doc(at).epoch}.ja"] = phase_id
    at.run()
    at.session_state[f"stage_pick.{TEMPLATE_ID}.{doc(at).epoch}.ja"] = stage_id
    return at.run()


def kpi_table(at, stage_id: str = "appointment"):
    return next(d for d in at.data_editor if d.key.startswith(f"kpis.{stage_id}."))


def saved_kpi_target(root, stage_id: str, kpi_id: str):
    """The target the saved YAML file holds (read as text, not through the model)."""
    (path,) = [p for p in root.rglob(f"{TEMPLATE_ID}.yaml") if ".history" not in p.parts and "versions" not in p.parts]
    data = yaml.safe_load(path.read_text("utf-8"))
    stage = next(s for p in data["phases"] for s in p["stages"] if s["id"] == stage_id)
    return next(k for k in stage["kpis"] if k["id"] == kpi_id)["target"]


def test_typing_30_in_a_rate_kpi_saves_0_3_and_the_diagram_says_30_percent(app_env):
    at = open_kpis(open_design(start()))
    table = kpi_table(at)
    assert list(table.value["unit"]) == ["rate"] and list(table.value["target"]) == [4]  # the file's 0.04
    edit_table(at, "kpis.appointment", edited={0: {"target": 30}})
    no_exception(at)
    assert not errors(at), errors(at)
    assert doc(at).design.stage("appointment").kpis[0].target == 0.3
    open_kpis(at)
    assert list(kpi_table(at).value["target"]) == [30]  # shown back as typed
    at.button(key="sidebar_save").click().run()
    no_exception(at)
    assert saved_kpi_target(app_env, "appointment", "appointment-rate") == 0.3
    (svg,) = dots(at)
    assert re.search(r"アポ獲得率(\s|&#160;)30%", svg), "the diagram shows the KPI in percent"
    assert "アポ獲得率 0.3" not in svg and "3,000%" not in svg


def test_150_percent_in_a_rate_kpi_is_refused_in_japanese_at_its_row(app_env):
    at = open_kpis(open_design(start()))
    before = doc(at).design
    edit_table(at, "kpis.appointment", edited={0: {"target": 150}})
    no_exception(at)
    text = errors(at)
    assert "1行目 · 目標値" in text and "0%〜100%" in text and "（入力値: 150%）" in text, text
    assert "反映していません" in text and "3,000" not in text and "15,000" not in text
    assert not re.search(r"[A-Za-z]", text.replace("KPI", "")), text  # a Japanese screen shows no English
    assert doc(at).design == before  # refused, never clamped


def test_0_and_100_percent_are_accepted(app_env):
    at = open_kpis(open_design(start()))
    for typed, stored in ((0, 0), (100, 1)):
        edit_table(at, "kpis.appointment", edited={0: {"target": typed}})
        no_exception(at)
        assert not errors(at), (typed, errors(at))
        assert doc(at).design.stage("appointment").kpis[0].target == stored
        open_kpis(at)


def test_a_count_kpi_changed_to_a_rate_keeps_the_number_on_screen(app_env):
    """1000 calls changed to a rate is refused (no 100,000 %), 30 calls changed to a rate is 30 %."""
    at = open_kpis(open_design(start()), "contact", "call")
    before = doc(at).design
    edit_table(at, "kpis.call", edited={0: {"unit": "rate"}})
    no_exception(at)
    assert "（入力値: 1,000%）" in errors(at) and doc(at).design == before, errors(at)
    open_kpis(at, "contact", "call")
    edit_table(at, "kpis.call", edited={0: {"unit": "rate", "target": 30}})
    assert not errors(at), errors(at)
    kpi = doc(at).design.stage("call").kpis[0]
    assert (kpi.unit, kpi.target) == ("rate", 0.3)


def test_a_rate_kgi_is_typed_in_percent_on_the_kgi_tab_and_the_plan_page(app_env):
    at = open_design(start())
    show_tab(at, "KGI")
    added = {"id": "appointment-share", "name": "アポ率", "unit": "rate", "target": 12.5, "stage": "won"}
    edit_table(at, "kgis", added=[added])
    no_exception(at)
    assert not errors(at), errors(at)
    kgi = doc(at).design.kgis[-1]
    assert (kgi.unit, kgi.target) == ("rate", 0.125)

    at.switch_page("journeymap/ui/views/plan.py").run()
    no_exception(at)
    target = next(n for n in at.number_input if n.key.startswith("plan_target.appointment-share."))
    assert target.value == 12.5 and "率（%）" in target.label
    target.set_value(150).run()
    no_exception(at)
    text = errors(at)
    assert "0%〜100%" in text and "150%" in text and not re.search(r"[A-Za-z]", text), text
