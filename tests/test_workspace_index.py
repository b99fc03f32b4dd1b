"""The shared workspace index: one summary per file version, changes from outside, Library search and
paging, previews drawn once per design version."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from journeymap.designfile.writing import dump_yaml
from journeymap.editing import operations as editing
from journeymap.errors import Issue
from journeymap.workspace import index
from journeymap.workspace.facade import Workspace
from journeymap.workspace.previews import Previews
from tests.app_support import APP_LIBRARY, TEMPLATE_ID, template_design


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(APP_LIBRARY))
    return Workspace.open(tmp_path / "ws")


def write_design(ws: Workspace, design_id: str, name: str, segment: str = "b2b") -> Path:
    design = editing.set_meta(editing.with_id(template_design(), design_id), "ja", name=name)
    design = design.model_copy(update={"segment": segment})
    path = ws.root / f"{design_id}.yaml"
    path.write_text(dump_yaml(design), "utf-8")
    return path


def touch_later(path: Path, seconds: int = 5) -> None:
    later = path.stat().st_mtime + seconds
    os.utime(path, (later, later))


# --------------------------------------------------------------------------- one summary per file version


def test_a_design_is_read_once_per_file_version(ws):
    ws.entries()
    parsed = ws.index.parsed
    ws.entries()
    ws.entries()
    assert ws.index.parsed == parsed


def test_every_session_shares_the_servers_index(tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(APP_LIBRARY))
    first = Workspace.shared(tmp_path / "team")
    assert Workspace.shared(tmp_path / "team") is first
    first.entries()
    parsed = first.index.parsed
    assert [e.id for e in Workspace.shared(tmp_path / "team").entries()] == [TEMPLATE_ID]
    assert first.index.parsed == parsed


def test_a_file_changed_from_outside_shows_its_new_content(ws):
    before = ws.entries()[0].name("ja")
    assert before == template_design().name.ja
    path = ws.path(TEMPLATE_ID)
    path.write_text(path.read_text("utf-8").replace(before, "外で直した名前"), "utf-8")
    touch_later(path)
    assert [e.name("ja") for e in ws.entries()] == ["外で直した名前"]


def test_files_added_and_deleted_from_outside_come_and_go(ws):
    write_design(ws, "pulled", "git pull で来た設計")
    assert {e.id for e in ws.entries()} == {TEMPLATE_ID, "pulled"}
    (ws.root / "pulled.yaml").unlink()
    assert [e.id for e in ws.entries()] == [TEMPLATE_ID]


def test_a_file_broken_from_outside_is_listed_as_broken_with_its_line(ws):
    path = ws.path(TEMPLATE_ID)
    path.write_text("schema_version: 1\nid: app-b2b-outbound\nname: [\n", "utf-8")
    touch_later(path)
    entry = ws.entries()[0]
    assert not entry.valid
    assert entry.issues[0].line == 4 and "invalid YAML" in entry.issues[0].message
    assert entry.name("ja") == TEMPLATE_ID


def test_save_delete_and_restore_update_the_index(ws):
    loaded = ws.load(TEMPLATE_ID)
    ws.entries()
    parsed = ws.index.parsed
    ws.save(editing.set_meta(loaded.design, "ja", name="保存した名前"), loaded.version)
    assert [e.name("ja") for e in ws.entries()] == ["保存した名前"]
    assert ws.index.parsed == parsed, "a design the workspace wrote is not read again"
    trashed = ws.delete(TEMPLATE_ID)
    assert ws.entries() == []
    ws.restore_from_trash(trashed.key)
    assert [e.name("ja") for e in ws.entries()] == ["保存した名前"]


def test_an_entry_summarises_the_design(ws):
    entry = ws.entries()[0]
    design = template_design()
    assert entry.valid and entry.segment == design.segment
    assert (entry.phases, entry.stages) == (len(design.phases), len(design.stages))
    assert entry.kgi is not None and entry.kgi[1] == design.kgis[0].target
    assert entry.version == ws.load(TEMPLATE_ID).version


# --------------------------------------------------------------------------- search, filters, sort, pages


def library_of(n: int) -> list[index.Entry]:
    base = dt.datetime(2026, 1, 1)
    return [
        index.Entry(
            id=f"design-{i:03d}",
            path=Path(f"design-{i:03d}.yaml"),
            version=str(i),
            modified=base + dt.timedelta(minutes=i),
            title=f"設計 {i:03d}",
            segment="b2b" if i % 2 else "b2c",
            owners=("テレアポ代行",) if i % 3 == 0 else ("自社営業",),
            search_text=f"design-{i:03d}\n設計 {i:03d}\n{'ウェビナー' if i % 10 == 0 else '架電'}".lower(),
            issues=() if i % 7 else (Issue("invalid YAML", source="x", line=2),),
        )
        for i in range(n)
    ]


def test_search_matches_name_id_and_stage_text():
    entries = library_of(212)
    assert [e.id for e in index.select(entries, "design-042")] == ["design-042"]
    assert [e.id for e in index.select(entries, "設計 105")] == ["design-105"]
    assert len(index.select(entries, "ウェビナー")) == 22
    assert len(index.select(entries, "ウェビナー design-02")) == 1


def test_filters_for_segment_owner_and_validity():
    entries = library_of(212)
    assert {e.segment for e in index.select(entries, segments=("b2c",))} == {"b2c"}
    assert len(index.select(entries, segments=("b2c",))) == 106
    assert all(o == ("テレアポ代行",) for o in (e.owners for e in index.select(entries, owners=("テレアポ代行",))))
    broken = index.select(entries, status="broken")
    assert len(broken) == 31 and not any(e.valid for e in broken)
    assert len(index.select(entries, status="valid")) == 212 - 31


def test_sort_by_modified_or_name():
    entries = library_of(30)
    assert index.select(entries)[0].id == "design-029"
    assert [e.id for e in index.select(entries, sort="name")][:2] == ["design-000", "design-001"]


def test_pages_of_twenty_with_the_count():
    chosen = index.select(library_of(212), segments=("b2b",))
    first, number, pages = index.page_of(chosen, 1)
    assert (len(chosen), len(first), number, pages) == (106, 20, 1, 6)
    last, number, _ = index.page_of(chosen, 99)
    assert (len(last), number) == (6, 6)
    assert index.page_of([], 3) == ([], 1, 1)


# --------------------------------------------------------------------------- previews


def test_a_preview_is_drawn_once_per_key_and_a_restart_reuses_the_cache_folder(ws):
    drawn = []

    def draw() -> str:
        drawn.append(1)
        return "<svg>1</svg>"

    previews = Previews(ws.folder)
    assert previews.get("demo-abc-process-ja", draw) == "<svg>1</svg>"
    assert previews.get("demo-abc-process-ja", draw) == "<svg>1</svg>"
    assert len(drawn) == 1
    restarted = Previews(ws.folder)
    assert restarted.get("demo-abc-process-ja", draw) == "<svg>1</svg>"
    assert len(drawn) == 1 and restarted.drawn == 0
    assert (ws.root / ".cache" / "previews" / "demo-abc-process-ja.svg").is_file()
    assert [e.id for e in ws.entries()] == [TEMPLATE_ID], "the cache folder is not a design"


def test_previews_are_bounded_in_memory_and_in_the_folder(ws):
    previews = Previews(ws.folder, memory_items=3, folder_items=5)
    for i in range(8):
        previews.get(f"d-{i}-process-ja", lambda i=i: f"<svg>{i}</svg>")
    assert len(previews) == 3
    assert len(list((ws.root / ".cache" / "previews").glob("*.svg"))) == 5


def test_a_preview_key_cannot_leave_the_cache_folder(ws):
    with pytest.raises(ValueError):
        Previews(ws.folder).get("../../etc/passwd", lambda: "")
