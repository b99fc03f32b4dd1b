"""Possibly stale translations: one language of a text changed after the other."""

from __future__ import annotations

from journeymap.editing.operations import set_meta
from journeymap.editing.tables import apply_stages, stage_rows
from journeymap.editing.translations import StaleText, stale_translations
from tests.app_support import template_design


def rename(design, stage_id: str, name: str, lang: str):
    phase = design.phase_of(stage_id)
    rows = stage_rows(design, phase.id, lang)
    for row in rows:
        if row["_key"] == stage_id:
            row["name"] = name
    return apply_stages(design, phase.id, rows, lang)


def test_a_japanese_rename_marks_the_english_as_possibly_stale():
    v1 = template_design()
    v2 = rename(v1, "analysis", "市場・競合分析", "ja")
    assert stale_translations([v1, v2]) == [
        StaleText("stage", "analysis", "name", "en", "Market and core competence analysis", "市場・競合分析")
    ]


def test_the_mark_stays_over_later_versions_until_the_english_changes():
    v1 = template_design()
    v2 = rename(v1, "analysis", "市場・競合分析", "ja")
    v3 = set_meta(v2, "ja", currency="USD")  # something else changes
    assert [s.item_id for s in stale_translations([v1, v2, v3])] == ["analysis"]
    v4 = rename(v3, "analysis", "Market and competitor analysis", "en")
    assert stale_translations([v1, v2, v3, v4]) == []


def test_an_english_rename_marks_the_japanese():
    v1 = template_design()
    v2 = rename(v1, "hearing", "Discovery call", "en")
    stale = stale_translations([v1, v2])
    assert [(s.item_id, s.stale, s.text) for s in stale] == [("hearing", "ja", "ヒアリング")]


def test_both_languages_changed_together_or_a_first_translation_mark_nothing():
    v1 = template_design()
    v2 = rename(rename(v1, "analysis", "市場分析", "ja"), "analysis", "Market analysis", "en")
    assert stale_translations([v1, v2]) == []
    plain = load_design_with_plain_name()
    translated = rename(plain, "only", "Only stage", "en")  # a first English name
    assert stale_translations([plain, translated]) == []


def test_a_removed_item_is_not_listed():
    v1 = template_design()
    v2 = rename(v1, "analysis", "市場・競合分析", "ja")
    phase = v2.phase_of("analysis")
    rows = [r for r in stage_rows(v2, phase.id, "ja") if r["_key"] != "analysis"]
    v3 = apply_stages(v2, phase.id, rows, "ja")
    assert stale_translations([v1, v2, v3]) == []


def load_design_with_plain_name():
    from journeymap.designfile.reading import parse_design_text

    return parse_design_text(
        "schema_version: 1\nid: x\nname: テスト\nphases:\n  - id: p\n    name: 段階\n    stages:\n      - {id: only, name: 唯一のステージ}\n"
    )


