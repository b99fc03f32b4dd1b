"""The Streamlit app through AppTest: every page, and the flows a sales planner goes through."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from journeymap.editing.operations import with_id
from journeymap.export import export, formats
from journeymap.model import Design
from journeymap.workspace.facade import Workspace
from tests.app_support import TEMPLATE_ID, template_design

APP = Path(__file__).parent.parent / "app.py"
PAGES = ["library.py", "design.py", "journey.py", "plan.py", "compare.py", "present.py", "transfer.py"]


def start(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    if query:
        at.query_params.update(query)
    return at.run()


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def open_design(at: AppTest, design_id: str = TEMPLATE_ID) -> AppTest:
    """Open a design from the library; later runs stay on the Design page it switches to."""
    at.switch_page("journeymap/ui/views/library.py").run()
    at.button(key=f"open.{design_id}").click().run()
    no_exception(at)
    assert doc(at).id == design_id
    return at.switch_page("journeymap/ui/views/design.py")


def doc(at: AppTest):
    return at.session_state["jm_doc"]


def edit_table(at: AppTest, prefix: str, added=(), edited=None, deleted=()) -> AppTest:
    key = next(d.key for d in at.data_editor if d.key.startswith(prefix + "."))
    at.session_state[key] = {"edited_rows": edited or {}, "added_rows": list(added), "deleted_rows": list(deleted)}
    return at.run()


def shown_table(at: AppTest, column: str):
    """The st.table with `column`, as people read it: each cell's text as drawn (the table's own
    formatting applied), a DataFrame of strings."""
    import pyarrow as pa

    for table in at.table:
        if table.proto.arrow_data.HasField("styler"):
            shown = pa.ipc.open_stream(table.proto.arrow_data.styler.display_values).read_pandas()
        else:
            shown = table.value.astype(str)
        if column in shown.columns:
            return shown
    raise AssertionError(f"no table with the column {column!r}")


def show_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["design_tab.ja"] = label
    return at.run()


def errors(at: AppTest) -> str:
    """The error messages as people read them (Markdown escapes and word joiners removed)."""
    return "\n".join(re.sub(r"\\(.)", r"\1", e.value).replace("\u2060", "") for e in at.error)


# --------------------------------------------------------------------------- every page


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_a_design_open(app_env, page):
    at = open_design(start())
    at.switch_page(f"journeymap/ui/views/{page}").run()
    no_exception(at)
    assert not at.error
    assert "法人営業 アウトバウンド" in " ".join(
        [x.value for x in at.title] + [x.value for x in at.caption] + [x.value for x in at.markdown]
    )


@pytest.mark.parametrize("page", PAGES[1:])
def test_pages_without_an_open_design_point_to_the_library(app_env, page):
    at = start()
    at.switch_page(f"journeymap/ui/views/{page}").run()
    no_exception(at)
    shown = " ".join(i.value for i in at.info)
    assert "設計が開かれていません" in shown or "エクスポートするには設計を開いてください" in shown


def test_an_unusable_workspace_folder_is_reported_not_raised(app_env, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("JOURNEYMAP_WORKSPACE", str(blocker / "workspace"))
    at = start()
    no_exception(at)
    assert "ワークスペースのフォルダを作れません" in errors(at) and "cannot" not in errors(at)


def test_the_library_lists_saved_designs_and_templates(app_env):
    at = start()
    no_exception(at)
    assert [h.value for h in at.header] == ["保存した設計", "テンプレートから作成"]
    assert at.button(key=f"open.{TEMPLATE_ID}")  # the starter design seeded on first start
    assert any(s.value == "法人営業 アウトバウンド（テレアポ代行連携）" for s in at.subheader)
    assert "架電 → アポイント獲得 → ヒアリング → 受注" in [m.value for m in at.markdown]


# --------------------------------------------------------------------------- main flow


def test_new_design_from_template_add_stage_change_target_save_reload(app_env):
    at = start()
    at.text_input(key=f"new_name.{TEMPLATE_ID}").input("東京営業部 2025")
    at.text_input(key=f"new_id.{TEMPLATE_ID}").input("tokyo")
    next(b for b in at.button if b.label == "このテンプレートで作成").click().run()
    no_exception(at)
    at.switch_page("journeymap/ui/views/design.py")
    assert [x.value for x in at.title] == ["東京営業部 2025"]

    edit_table(at, "stages.strategy", added=[{"name": "予算計画", "id": "budget-plan"}])
    no_exception(at)
    assert [s.id for s in doc(at).design.phases[0].stages][-1] == "budget-plan"

    show_tab(at, "KGI")
    edit_table(at, "kgis", edited={0: {"target": 8}})
    no_exception(at)
    assert doc(at).design.kgis[0].target == 8 and doc(at).dirty

    at.button(key="sidebar_save").click().run()
    no_exception(at)
    assert not doc(at).dirty

    fresh = open_design(start(), "tokyo")  # another browser session
    reloaded = doc(fresh).design
    assert reloaded.name == "東京営業部 2025"
    assert "budget-plan" in [s.id for s in reloaded.stages]
    assert reloaded.kgis[0].target == 8
    assert Workspace(app_env).load("tokyo").design == reloaded


def test_invalid_input_shows_an_inline_error_and_keeps_the_last_valid_design(app_env):
    at = open_design(start())
    at.session_state["phase_pick.app-b2b-outbound.0.ja"] = "negotiation"
    at.run()
    before = doc(at).design
    edit_table(at, "stages.negotiation", edited={2: {"target_rate": 250}})
    no_exception(at)
    message = errors(at)
    assert "3行目 · 目標転換率 (%)" in message and "0%〜100%" in message and "250%" in message
    assert "between" not in message  # the library's English stays out of the Japanese screen
    assert doc(at).design == before and not doc(at).dirty

    edit_table(at, "stages.negotiation", edited={0: {"id": "Bad Id"}})
    assert "1行目 · ID" in errors(at) and "bad-id" in errors(at)
    assert doc(at).design == before


def test_removing_the_stage_a_kgi_counts_at_is_refused_with_the_reason(app_env):
    at = open_design(start())
    at.session_state["phase_pick.app-b2b-outbound.0.ja"] = "negotiation"  # the stage picker follows the phase
    at.run()
    at.session_state["stage_pick.app-b2b-outbound.0.ja"] = "won"
    at.run()
    at.button(key="stage_remove.won").click().run()
    no_exception(at)
    assert "KGI「受注件数」 › 集計ステージ" in errors(at)
    assert "won" in [s.id for s in doc(at).design.stages]


def test_journey_edits_lanes_and_order(app_env):
    at = open_design(start())
    at.switch_page("journeymap/ui/views/journey.py").run()
    edit_table(at, "journey", edited={1: {"emotion": -2, "touchpoints": ["電話", "展示会"]}})
    no_exception(at)
    research = doc(at).design.journey.phases[1]
    assert research.emotion == -2 and [text if isinstance(text, str) else text.ja for text in research.touchpoints] == ["電話", "展示会"]
    at.selectbox(key=f"journey_move_pick.{TEMPLATE_ID}.0.ja").set_value("contract").run()
    at.button(key="journey_up").click().run()
    assert [p.id for p in doc(at).design.journey.phases] == ["problem", "research", "contract", "evaluation"]


def test_meta_and_text_list_edits(app_env):
    at = open_design(start())
    at.text_area(key=f"exit_criteria.analysis.{TEMPLATE_ID}.0.ja").input("強みが一文で言える\n狙う課題が決まっている").run()
    no_exception(at)
    criteria = doc(at).design.stage("analysis").exit_criteria
    assert [c if isinstance(c, str) else c.ja for c in criteria] == ["強みが一文で言える", "狙う課題が決まっている"]
    show_tab(at, "基本情報")
    at.text_input(key=f"meta_currency.{TEMPLATE_ID}.0.ja").input("JP").run()
    assert "通貨" in errors(at) and doc(at).design.currency == "JPY"


# --------------------------------------------------------------------------- sessions, drafts, conflicts


def test_conflicting_saves_from_two_sessions(app_env):
    first, second = open_design(start()), open_design(start())
    for at, name in ((first, "先に保存"), (second, "後から保存")):
        show_tab(at, "基本情報")
        at.text_input(key=f"meta_name.{TEMPLATE_ID}.0.ja").input(name).run()
        no_exception(at)
    first.button(key="sidebar_save").click().run()
    assert not doc(first).dirty

    second.button(key="sidebar_save").click().run()
    no_exception(second)
    assert "保存できませんでした: 競合" in errors(second)
    assert doc(second).dirty
    ws = Workspace(app_env)
    assert ws.load(TEMPLATE_ID).design.name.ja == "先に保存"  # the first save is not lost

    second.button(key="conflict_copy").click().run()
    no_exception(second)
    copy_id = doc(second).id
    assert copy_id != TEMPLATE_ID
    assert ws.load(copy_id).design.name.ja == "後から保存のコピー"
    assert ws.load(TEMPLATE_ID).design.name.ja == "先に保存"
    assert "保存できませんでした" not in errors(second)


def test_after_a_conflict_reload_takes_the_latest(app_env):
    first, second = open_design(start()), open_design(start())
    show_tab(first, "基本情報")
    first.text_input(key=f"meta_name.{TEMPLATE_ID}.0.ja").input("最新版").run()
    first.button(key="sidebar_save").click().run()
    show_tab(second, "基本情報")
    second.text_input(key=f"meta_name.{TEMPLATE_ID}.0.ja").input("古い版").run()
    second.button(key="sidebar_save").click().run()
    second.button(key="conflict_reload").click().run()
    no_exception(second)
    assert doc(second).design.name.ja == "最新版" and not doc(second).dirty


def test_a_browser_refresh_restores_unsaved_edits_from_the_draft(app_env):
    at = open_design(start())
    show_tab(at, "基本情報")
    at.text_input(key=f"meta_name.{TEMPLATE_ID}.0.ja").input("保存前の名前").run()
    assert doc(at).dirty
    url = dict(at.query_params)
    assert url["design"] == TEMPLATE_ID and url["s"]

    refreshed = start(url)  # a refresh: new session, same URL
    no_exception(refreshed)
    assert any("下書き" in i.value for i in refreshed.info)
    assert doc(refreshed).design.name.ja == "保存前の名前" and doc(refreshed).dirty
    assert Workspace(app_env).load(TEMPLATE_ID).design.name.ja != "保存前の名前"


def test_history_shows_a_diff_and_restores_an_earlier_version(app_env):
    at = open_design(start())
    show_tab(at, "基本情報")
    at.text_input(key=f"meta_name.{TEMPLATE_ID}.0.ja").input("第二版").run()
    at.button(key="sidebar_save").click().run()
    show_tab(at, "履歴")
    at.selectbox(key=f"history_pick.{TEMPLATE_ID}.0.ja").set_value(1).run()
    assert any("第二版" in c.value for c in at.code)
    at.button(key=f"history_restore.{TEMPLATE_ID}").click().run()
    no_exception(at)
    assert doc(at).design.name.ja == "法人営業 アウトバウンド（テレアポ代行連携）"
    assert [r.number for r in Workspace(app_env).history(TEMPLATE_ID)] == [3, 2, 1]
    at.run()
    notes = list(at.dataframe[0].value["メモ"])
    assert notes[0] == "版 1 を復元" and "restored" not in " ".join(map(str, notes)), notes


# --------------------------------------------------------------------------- library actions


def test_duplicate_delete_and_restore_from_the_trash(app_env):
    at = start()
    at.button(key=f"dup.{TEMPLATE_ID}").click().run()
    copy_id = f"{TEMPLATE_ID}-copy"
    assert at.button(key=f"open.{copy_id}")
    at.button(key=f"del.{copy_id}").click().run()
    no_exception(at)
    assert not any(b.key == f"open.{copy_id}" for b in at.button)
    trash = Workspace(app_env).trash()
    assert [t.id for t in trash] == [copy_id]
    at.button(key=f"restore.{trash[0].key}").click().run()
    assert at.button(key=f"open.{copy_id}")


def test_the_language_switch_changes_ui_and_design_text(app_env):
    at = open_design(start())
    at.switch_page("journeymap/ui/views/design.py").run()
    at.session_state["lang"] = "en"
    at.run()
    no_exception(at)
    assert [x.value for x in at.title] == ["B2B outbound with a call agency"]
    assert at.data_editor[0].value["name"].tolist()[:2] == ["Market and core competence analysis", "Target accounts and departments"]
    before = doc(at).design
    for page in PAGES:  # showing the other language must never write it back into the design
        at.switch_page(f"journeymap/ui/views/{page}").run()
        no_exception(at)
        assert doc(at).design == before and not doc(at).dirty, page
    at.switch_page("journeymap/ui/views/design.py").run()
    url = dict(at.query_params)
    assert "lang" in url  # the language rides in the URL, so a refresh keeps it
    refreshed = start(url)
    assert [x.value for x in refreshed.title] == ["Library"]


@pytest.mark.parametrize(("written", "title"), [("en", "Library"), ("English", "Library"), ("ja", "ライブラリ"), ("fr", "ライブラリ")])
def test_a_link_names_the_language_by_its_code_or_the_switch_label(app_env, written, title):
    """?lang=en (the code, as the switch's docstring and shared links write it) opens the app in
    English as ?lang=English (what the switch itself writes into the URL) does; an unknown language
    leaves Japanese, and no warning about a widget's value set twice is shown."""
    at = start({"lang": written})
    no_exception(at)
    assert [x.value for x in at.title] == [title]
    assert not at.warning and not at.error, [w.value for w in at.warning] + [e.value for e in at.error]
    at.run()  # a later run keeps the language the link chose
    assert [x.value for x in at.title] == [title]


# --------------------------------------------------------------------------- present, export, import


def slide_text(at: AppTest) -> str:
    """The SVG of the slide on screen (the page puts it in by script, as a JSON string)."""
    import json
    import re

    for element in at.get("html"):
        found = re.search(r'const svg = ("(?:[^"\\]|\\.)*");', element.value)
        if found:
            return json.loads(found.group(1))
    raise AssertionError("no slide on the page")


def test_present_steps_through_overview_phase_and_stage_slides_with_the_sidebar_hidden(app_env):
    at = open_design(start())
    at.switch_page("journeymap/ui/views/present.py").run()
    no_exception(at)
    assert any('[data-testid="stSidebar"]' in h.value and "display: none" in h.value for h in at.get("html"))
    overview = slide_text(at)
    assert "全体像" in overview and "法人営業 アウトバウンド" in overview and "アポイント獲得" in overview
    at.button(key="present_next").click().run()
    phase = slide_text(at)
    assert "フェーズ 1/4" in phase and "戦略設計段階" in phase and "顧客企業・部門策定" in phase
    at.button(key="present_next").click().run()
    stage = slide_text(at)
    assert "担当" in stage and "移行基準" in stage
    at.button(key="present_last").click().run()
    assert at.button(key="present_next").disabled
    at.button(key="present_first").click().run()
    assert "全体像" in slide_text(at) and at.button(key="present_prev").disabled
    no_exception(at)


def test_export_offers_every_registered_format(app_env):
    at = open_design(start())
    at.switch_page("journeymap/ui/views/transfer.py").run()
    no_exception(at)
    keys = {b.key for b in at.get("download_button")}
    assert {f"export.{name}" for name in formats()} <= keys
    # each format is named in the app's language: in Japanese no English word (the command line's
    # --format names such as checklist or slides-pdf) is left, only names people know (Excel, HubSpot)
    # and file or site names (package.xml, bpmn.io)
    from tests.test_catalogue import ALLOWED_LATIN

    rows = [m.value for m in at.markdown if " — " in m.value and "`." in m.value]
    assert len(rows) == len(formats()), rows
    english = [w for row in rows for w in re.findall(r"[A-Za-z][A-Za-z]+", re.sub(r"`[^`]*`|[\w-]+\.[\w.]+", "", row)) if w not in ALLOWED_LATIN]
    assert english == [], english


def test_export_preview_shows_each_crms_rounding_of_one_probability(app_env):
    at = open_design(start())
    at.switch_page("journeymap/ui/views/transfer.py").run()
    no_exception(at)
    (table,) = at.dataframe
    rows = table.value.to_dict("records")
    assert [r["案件の状態"] for r in rows][-2:] == ["受注（成約）", "失注"]
    assert rows[-1]["Salesforce"] == "0%" and rows[-1]["HubSpot"] == "0.0"
    first = rows[0]  # the planned rate from the first funnel stage to the win, rounded by each CRM
    exact = float(first["確度（丸める前）"].rstrip("%"))
    assert first["確度の出どころ"] == "計画転換率の積"
    assert first["Salesforce"] == f"{min(99, max(1, round(exact)))}%"
    assert first["HubSpot"] == f"{min(0.9, max(0.1, round(exact / 100, 1))):.1f}"


def test_export_preview_names_the_stage_whose_probability_a_planned_one_carries(app_env):
    """A stage's own probability carries to the stages before it (planned rate into it × its probability):
    the preview says so, naming the stage, instead of calling the figure a product of planned rates."""
    data = template_design().model_dump(mode="json", by_alias=True, exclude_none=True)
    for phase in data["phases"]:
        for stage in phase["stages"]:
            if stage["id"] == "hearing":
                stage["probability"] = 0.6
    Workspace(app_env).create(Design.model_validate(data))
    at = open_design(start())
    at.switch_page("journeymap/ui/views/transfer.py").run()
    no_exception(at)
    (table,) = at.dataframe
    rows = {r["ステージ"]: r for r in table.value.to_dict("records")}
    assert rows["ヒアリング"]["確度の出どころ"] == "設計の確度"
    # アポイント獲得 → ヒアリング is planned at 50%: 50% × 60% = 30%; 架電 → アポイント獲得 at 4%: 1.2%
    assert (rows["アポイント獲得"]["確度（丸める前）"], rows["架電"]["確度（丸める前）"]) == ("30%", "1.2%")
    for name in ("アポイント獲得", "架電"):
        assert rows[name]["確度の出どころ"] == "計画転換率 ×「ヒアリング」の確度"


def test_the_cpa_kgi_box_names_the_kgi_its_default_divides_by(app_env):
    """「CPA の分母にする KGI」 unset divides by the first count KGI, else (enterprise-relationship: money
    and a share) the first KGI: the default option names that KGI, not a count KGI the design lacks."""
    design = template_design()
    names = {k.id: k.name if isinstance(k.name, str) else k.name.ja for k in design.kgis}
    assert [k.unit for k in design.kgis] == ["count", "currency"]
    workspace = Workspace(app_env)
    workspace.create(design)
    workspace.create(with_id(design.model_copy(update={"kgis": design.kgis[1:]}), "money-only"))
    at = open_design(start())
    show_tab(at, "基本情報")
    assert at.selectbox(key=f"meta_acquisition.{TEMPLATE_ID}.0.ja").options[0] == f"既定: {names['wins']}"
    at = open_design(start(), "money-only")
    show_tab(at, "基本情報")
    box = at.selectbox(key="meta_acquisition.money-only.0.ja")
    assert box.options == [f"既定: {names['revenue']}", names["revenue"]]
    assert box.value is None  # the design names none: the default stays what is saved


def test_import_a_design_file_and_open_it(app_env, tmp_path):
    source = (Path(__file__).parent / "data" / "app_library" / f"{TEMPLATE_ID}.yaml").read_bytes()
    at = start()
    at.switch_page("journeymap/ui/views/transfer.py").run()
    at.file_uploader(key="import_file").upload("mine.yaml", source.replace(b"id: app-b2b-outbound", b"id: imported"), "application/yaml").run()
    no_exception(at)
    assert any("読み込みました" in s.value for s in at.success)
    at.button(key="import_save").click().run()
    no_exception(at)
    assert doc(at).id == "imported"
    assert Workspace(app_env).exists("imported")


def test_a_broken_import_shows_the_line_not_a_traceback(app_env):
    at = start()
    at.switch_page("journeymap/ui/views/transfer.py").run()
    at.file_uploader(key="import_file").upload("broken.yaml", b"schema_version: 1\nid: x\nname: ok\nphases:\n  - id: Bad\n", "application/yaml").run()
    no_exception(at)
    assert "broken.yaml:5 (フェーズ 1 › ID)" in errors(at)
    assert "broken.yaml:5 (フェーズ 1 › ステージ)" in errors(at)


def test_an_excel_workbook_exported_by_the_app_imports_back(app_env):
    workbook = export(template_design(), "xlsx")
    at = start()
    at.switch_page("journeymap/ui/views/transfer.py").run()
    at.file_uploader(key="import_file").upload("plan.xlsx", workbook, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    no_exception(at)
    assert any("読み込みました" in s.value for s in at.success)
    at.text_input(key="import_id.plan.xlsx").input("from-excel").run()
    at.button(key="import_save").click().run()
    no_exception(at)
    assert Workspace(app_env).load("from-excel").design == with_id(template_design(), "from-excel")


def test_a_design_set_to_count_accounts_previews_an_account_field_not_won_deals(app_env):
    """基本情報 → ファネルで数えるもの: 取引先. The Export page then shows the relationship levels the CRMs
    get as an account field, with no 受注 and no probabilities; the choice and the CPA KGI are saved."""
    at = open_design(start())
    show_tab(at, "基本情報")
    at.selectbox(key=f"meta_counts.{TEMPLATE_ID}.0.ja").select("accounts").run()
    no_exception(at)
    kgi = doc(at).design.kgis[-1].id
    at.selectbox(key=f"meta_acquisition.{TEMPLATE_ID}.0.ja").select(kgi).run()
    no_exception(at)
    assert (doc(at).design.counts, doc(at).design.acquisition_kgi) == ("accounts", kgi)
    at.switch_page("journeymap/ui/views/transfer.py").run()
    no_exception(at)
    (table,) = at.dataframe
    stages = [r["ステージ"] for r in table.value.to_dict("records")]
    assert stages == [s.name if isinstance(s.name, str) else s.name.ja for s in doc(at).design.funnel_stages]
    assert list(table.value.columns) == ["ステージ"]  # no state (受注・失注), no probability, no CRM rounding
    assert any("取引先の選択リスト項目" in c.value for c in at.caption)


def test_the_cpa_kgi_box_offers_only_kgis_cpa_can_divide_by(app_env):
    """A rate or score KGI is tracked, not planned: CPA cannot divide by it, so the box leaves it out
    (a file that names one anyway still shows it, so the screen says what the file holds)."""
    design = template_design()
    share = design.kgis[0].model_copy(update={"id": "share", "name": "シェア", "unit": "rate", "target": 0.3})
    workspace = Workspace(app_env)
    workspace.create(with_id(design.model_copy(update={"kgis": [*design.kgis, share]}), "with-share"))
    workspace.create(with_id(design.model_copy(update={"kgis": [*design.kgis, share], "acquisition_kgi": "share"}), "named-share"))
    at = open_design(start(), "with-share")
    show_tab(at, "基本情報")
    assert "シェア" not in at.selectbox(key="meta_acquisition.with-share.0.ja").options
    at = open_design(start(), "named-share")
    show_tab(at, "基本情報")
    assert at.selectbox(key="meta_acquisition.named-share.0.ja").value == "share"
