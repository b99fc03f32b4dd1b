"""The app for a team: the Library with hundreds of designs (search, filters, pages) and one conflict
panel when two people save the same design, tested with two AppTest sessions on one workspace."""

from __future__ import annotations

import pytest

from journeymap.designfile.writing import dump_yaml
from journeymap.editing import operations as editing
from journeymap.workspace.facade import Workspace
from tests.app_support import TEMPLATE_ID, template_design
from tests.test_app import doc, errors, no_exception, open_design, show_tab, start

LIBRARY = "journeymap/ui/views/library.py"


def fill(root, n: int) -> None:
    """`n` more designs: even ones B2C, every fifth broken."""
    Workspace.open(root)
    for i in range(n):
        design_id = f"design-{i:03d}"
        if i % 5 == 4:
            (root / f"{design_id}.yaml").write_text("schema_version: 1\nid: x\nname: [\n", "utf-8")
            continue
        design = editing.set_meta(editing.with_id(template_design(), design_id), "ja", name=f"チーム設計 {i:03d}")
        design = design.model_copy(update={"segment": "b2c" if i % 2 == 0 else "b2b"})
        (root / f"{design_id}.yaml").write_text(dump_yaml(design), "utf-8")


def library(at):
    return at.switch_page(LIBRARY).run()


def listed(at) -> list[str]:
    return [b.key.removeprefix("open.") for b in at.button if b.key and b.key.startswith("open.")]


def counts(at) -> list[str]:
    return [c.value for c in at.caption if "件中" in c.value]


# --------------------------------------------------------------------------- the Library


def test_the_library_shows_pages_of_twenty_with_the_count(app_env):
    fill(app_env, 44)
    at = library(start())
    no_exception(at)
    assert counts(at) == ["45件中 45件"]
    assert len(listed(at)) == 20
    at.button(key="jm_library_next").click().run()
    at.button(key="jm_library_next").click().run()
    assert len(listed(at)) == 5
    assert at.button(key="jm_library_next").disabled


def test_search_and_filters_narrow_the_list_and_the_count_says_how_much(app_env):
    fill(app_env, 44)
    at = library(start())
    at.text_input(key="jm_library_search").input("チーム設計 012").run()
    assert counts(at) == ["45件中 1件"] and listed(at) == ["design-012"]
    at.text_input(key="jm_library_search").input("design-03").run()  # ids match, broken files too
    assert counts(at) == ["45件中 10件"]
    assert {b.key for b in at.button if b.key and b.key.startswith("del.")} == {f"del.design-03{i}" for i in range(10)}
    at.text_input(key="jm_library_search").input("").run()
    at.multiselect(key="jm_library_segments.ja").set_value(["b2c"]).run()
    shown_b2c = counts(at)
    at.selectbox(key="jm_library_status.ja").set_value("broken").run()
    assert counts(at) == ["45件中 0件"], shown_b2c  # broken files have no segment
    at.multiselect(key="jm_library_segments.ja").set_value([]).run()
    assert counts(at) == ["45件中 8件"]
    assert len([e for e in at.error if "invalid YAML" in e.value]) == 8


@pytest.mark.requires_dot
def test_a_preview_is_drawn_once_per_design_version_for_every_session(app_env):
    first = library(start())
    previews = Workspace.shared(app_env).previews
    assert previews.drawn == 0, "nothing is drawn before someone asks"
    first.button(key=f"preview.{TEMPLATE_ID}").click().run()
    no_exception(first)
    assert previews.drawn == 1
    second = library(start())
    second.button(key=f"preview.{TEMPLATE_ID}").click().run()
    no_exception(second)
    assert previews.drawn == 1, "the second session got the same picture"
    assert list((app_env / ".cache" / "previews").glob(f"{TEMPLATE_ID}-*.svg"))


@pytest.mark.requires_dot
def test_a_template_preview_is_drawn_only_when_asked_and_once_per_template_version(app_env):
    first = library(start())
    library(first)  # visiting the Library again draws nothing
    previews = Workspace.shared(app_env).previews
    assert previews.drawn == 0, "no template is drawn before someone asks"
    first.button(key=f"template_preview.{TEMPLATE_ID}").click().run()
    no_exception(first)
    assert previews.drawn == 1 and len(first.get("image")) == 1
    library(first)
    second = library(start())
    second.button(key=f"template_preview.{TEMPLATE_ID}").click().run()
    no_exception(second)
    assert previews.drawn == 1, "another visit and another session got the same picture"
    second.button(key=f"template_preview.{TEMPLATE_ID}").click().run()  # closed again
    assert len(second.get("image")) == 0
    cached = list((app_env / ".cache" / "previews").glob(f"template.{TEMPLATE_ID}-*-process-ja.svg"))
    assert len(cached) == 1


# --------------------------------------------------------------------------- one conflict panel


def conflicting_sessions(app_env):
    first, second = open_design(start()), open_design(start())
    show_tab(first, "基本情報")
    first.text_input(key=f"meta_name.{TEMPLATE_ID}.0.ja").input("相手の名前").run()
    first.button(key="sidebar_save").click().run()
    show_tab(second, "基本情報")
    second.text_input(key=f"meta_name.{TEMPLATE_ID}.0.ja").input("自分の名前").run()
    second.button(key="sidebar_save").click().run()
    no_exception(second)
    return first, second


def test_the_conflict_panel_lists_each_side_field_by_field(app_env):
    _, second = conflicting_sessions(app_env)
    assert errors(second).count("保存できませんでした: 競合") == 1
    listing = "\n".join(m.value for m in second.markdown)
    assert "あなた 自分の名前" in listing and "相手 相手の名前" in listing


def test_saving_again_replaces_the_panel_never_piles_them_up(app_env):
    _, second = conflicting_sessions(app_env)
    second.button(key="sidebar_save").click().run()
    second.button(key="sidebar_save").click().run()
    no_exception(second)
    assert errors(second).count("保存できませんでした: 競合") == 1


def test_keep_mine_after_seeing_theirs_saves_mine_and_keeps_theirs_in_the_history(app_env):
    _, second = conflicting_sessions(app_env)
    second.button(key="conflict_keep_mine").click().run()
    no_exception(second)
    ws = Workspace(app_env)
    assert ws.load(TEMPLATE_ID).design.name.ja == "自分の名前"
    assert not doc(second).dirty and "保存できませんでした" not in errors(second)
    history = [ws.revision_text(TEMPLATE_ID, r.number) for r in ws.history(TEMPLATE_ID)]
    assert any("相手の名前" in text for text in history), "their save is not lost"


def test_keep_mine_is_refused_again_when_a_third_save_came_in_meanwhile(app_env):
    first, second = conflicting_sessions(app_env)
    first.text_input(key=f"meta_name.{TEMPLATE_ID}.0.ja").input("三度目の名前").run()
    first.button(key="sidebar_save").click().run()
    second.button(key="conflict_keep_mine").click().run()
    no_exception(second)
    assert Workspace(app_env).load(TEMPLATE_ID).design.name.ja == "三度目の名前"
    assert errors(second).count("保存できませんでした: 競合") == 1
    assert "相手 三度目の名前" in "\n".join(m.value for m in second.markdown)


def drafting(name: str):
    """A session with the design open and its name edited, not saved (its draft is autosaved)."""
    at = open_design(start())
    show_tab(at, "基本情報")
    at.text_input(key=f"meta_name.{TEMPLATE_ID}.0.ja").input(name).run()
    no_exception(at)
    return at


def draft_boxes(at) -> list[str]:
    return [w.value for w in at.warning if "下書き" in w.value] + [i.value for i in at.info if "下書き" in i.value]


def test_other_sessions_drafts_share_one_panel_however_many_there_are(app_env):
    for n in range(3):
        drafting(f"下書きの名前 {n}")
    me = open_design(start())
    no_exception(me)
    assert draft_boxes(me) == ["この設計には、別の画面で保存されていない下書きが 3 件あります。"]
    assert len(panels(me)) == 1
    listing = [m.value for m in me.markdown if "の下書き（この画面と" in m.value]
    assert len(listing) == 1 and listing[0].count("1 項目の違い") == 3
    picker = me.selectbox(key=f"conflict_draft_pick.{TEMPLATE_ID}")
    assert len(picker.options) == 3
    me.button(key="conflict_drop_draft").click().run()
    assert draft_boxes(me) == ["この設計には、別の画面で保存されていない下書きが 2 件あります。"]
    me.button(key="conflict_use_draft").click().run()
    no_exception(me)
    assert doc(me).design.name.ja.startswith("下書きの名前") and doc(me).dirty
    assert len(Workspace(app_env).drafts(TEMPLATE_ID)) == 2, "the draft taken over is this session's now, one other is left"
    assert len(panels(me)) == 1


def test_a_conflict_and_other_drafts_are_one_panel(app_env):
    drafting("三人目の下書き")
    _, second = conflicting_sessions(app_env)
    second.button(key="sidebar_save").click().run()
    no_exception(second)
    assert errors(second).count("保存できませんでした: 競合") == 1
    assert draft_boxes(second) == ["この設計には、別の画面で保存されていない下書きが 1 件あります。"]
    assert second.button(key="conflict_use_draft").disabled, "this session's own edits are not saved yet"
    (panel,) = panels(second)
    inside = {type(node).__name__ for node in nodes(panel)}
    assert {"Error", "Warning", "Selectbox"} <= inside, "the conflict and the drafts are in the one panel"
    everywhere = [node for node in nodes(second.main) if type(node).__name__ in ("Error", "Warning")]
    assert len(everywhere) == len([n for n in nodes(panel) if type(n).__name__ in ("Error", "Warning")]), "no box outside it"


def nodes(block):
    """Every element and block under `block`."""
    for child in getattr(block, "children", {}).values():
        yield child
        yield from nodes(child)


def panels(at) -> list:
    return [n for n in nodes(at.main) if getattr(getattr(n, "proto", None), "id", "").endswith("-conflict_panel")]
