"""A workshop types 0 %, 100 % or 0 into the design: the editor takes them and says at once what
they do to the plan, the Plan page shows what it can and why the rest is "—", and undo/redo keeps
the user's place in the editor."""

from __future__ import annotations

import re

from tests.app_support import TEMPLATE_ID
from tests.test_app import doc, edit_table, errors, no_exception, open_design, show_tab, shown_table, start


def warnings(at) -> str:
    return "\n".join(re.sub(r"\\(.)", r"\1", w.value).replace("\u2060", "") for w in at.warning)


def pick_phase(at, phase_id: str):
    at.session_state[f"phase_pick.{TEMPLATE_ID}.{doc(at).epoch}.ja"] = phase_id
    return at.run()


def phase_picked(at) -> str:
    return next(s.value for s in at.segmented_control if s.key.startswith("phase_pick."))


def set_rate(at, stage_row: int, percent):
    """Type `percent` into the 目標転換率 cell of row `stage_row` of the 顧客接点創出段階 table."""
    pick_phase(at, "contact")
    return edit_table(at, "stages.contact", edited={stage_row: {"target_rate": percent}})


def plan_page(at):
    at.switch_page("journeymap/ui/views/plan.py").run()
    no_exception(at)
    return at


def required(at) -> dict:
    """Each stage's required count as the Plan page's table shows it."""
    table = shown_table(at, "必要件数")
    return dict(zip(table["ステージ"], table["必要件数"]))


def test_a_zero_rate_is_kept_and_the_editor_says_at_once_what_it_leaves_unplanned(app_env):
    at = set_rate(open_design(start()), 1, 0)  # アポイント獲得 0 %
    no_exception(at)
    assert not errors(at), errors(at)
    assert doc(at).design.stage("appointment").target_rate == 0  # accepted: a fair workshop question
    text = warnings(at)
    assert "「アポイント獲得」の転換率が 0% のため" in text and "KGI「受注件数」" in text, text
    assert "より前の段階では計算できません" in text and "無限" in text and "2行目" in text, text
    assert "wins" not in text and not re.search(r"[A-Za-z]", text.replace("KGI", "")), text
    at = set_rate(at, 1, 4)  # back to 4 %: the warning goes
    assert doc(at).design.stage("appointment").target_rate == 0.04 and not warnings(at)


def test_the_plan_page_with_a_zero_rate_shows_the_stages_after_it_and_says_why_the_rest_is_a_dash(app_env):
    at = plan_page(set_rate(open_design(start()), 1, 0))
    assert not errors(at), errors(at)  # nothing was refused: no "this change was not applied"
    text = warnings(at)
    assert "「アポイント獲得」の転換率が 0% のため" in text and "KGI「受注件数」" in text, text
    assert "反映していません" not in text and "wins" not in text, text
    assert not re.search(r"[A-Za-z]", text.replace("KGI", "")), text
    counts = required(at)
    assert (counts["架電"], counts["アポイント獲得"], counts["ヒアリング"], counts["受注"]) == ("—", "40", "20", "5")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["総費用"] == "—" and metrics["CPA（獲得単価）"] == "—" and metrics["必要な架電"] == "—"
    captions = " ".join(c.value for c in at.caption)
    assert "単価のあるステージの必要件数が計算できないため" in captions, captions


def test_a_100_percent_rate_is_accepted_and_plans_as_many_before_as_after(app_env):
    at = open_design(start())
    pick_phase(at, "negotiation")
    edit_table(at, "stages.negotiation", edited={0: {"target_rate": 100}})  # ヒアリング 100 %
    no_exception(at)
    assert not errors(at) and not warnings(at), (errors(at), warnings(at))
    assert doc(at).design.stage("hearing").target_rate == 1
    at = plan_page(at)
    assert not errors(at) and not warnings(at)
    counts = required(at)
    assert counts["アポイント獲得"] == counts["ヒアリング"] == "20" and counts["架電"] == "500"
    assert not [i for i in at.info if "KGI ごとに" in i.value]  # the two KGIs agree: nothing to explain


def test_a_kgi_target_of_0_plans_for_the_other_kgi_and_the_page_says_so(app_env):
    at = show_tab(open_design(start()), "KGI")
    edit_table(at, "kgis", edited={0: {"target": 0}})  # 受注件数 0; 受注金額 ¥15,000,000 stays
    no_exception(at)
    assert not errors(at) and doc(at).design.kgis[0].target == 0
    at = plan_page(at)
    said = " ".join(re.sub(r"\\(.)", r"\1", i.value) for i in at.info)
    assert "KGI ごとに必要な件数が違います（「受注件数」は受注 0件、「受注金額」は受注 5件）" in said, said
    assert said.endswith("合わせて計画しています: 「受注金額」。"), said
    assert required(at)["受注"] == "5"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["CPA（獲得単価）"] == "—" and metrics["総費用"] != "—"
    captions = " ".join(re.sub(r"\\(.)", r"\1", c.value) for c in at.caption)
    assert "KGI「受注件数」の目標が 0 のため" in captions, captions


def test_undo_and_redo_keep_the_picked_phase_and_stage(app_env):
    at = pick_phase(open_design(start()), "negotiation")
    at.session_state[f"stage_pick.{TEMPLATE_ID}.{doc(at).epoch}.ja"] = "won"
    at.run()
    edit_table(at, "stages.negotiation", edited={0: {"target_rate": 60}})
    assert doc(at).design.stage("hearing").target_rate == 0.6
    for button, rate in (("sidebar_undo", 0.5), ("sidebar_redo", 0.6)):
        epoch = doc(at).epoch
        at.button(key=button).click().run()
        no_exception(at)
        assert doc(at).epoch == epoch + 1 and doc(at).design.stage("hearing").target_rate == rate
        assert phase_picked(at) == "negotiation", button
        assert next(s.value for s in at.selectbox if s.key.startswith("stage_pick.")) == "won", button
        assert any(d.key.startswith("stages.negotiation.") for d in at.data_editor)

