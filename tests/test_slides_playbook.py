"""Present's stage slide carries the stage's playbook: key fields (with their choices), the other
required records, the criteria and records of the moves out of it, and the phase's 移行基準."""

from __future__ import annotations

from journeymap import library
from journeymap.model import text_of
from journeymap.render.slides import Slide, slide_dot


def test_the_stage_slide_shows_key_fields_required_records_and_the_criteria_to_move_on():
    design = library.load_template("midsize-phase-stage")
    stage = design.stage("negotiation")
    dot = slide_dot(design, Slide("stage", stage.id))
    key = [r for r in stage.records if r.key]
    required = [r for r in stage.records if r.required and not r.key]
    assert key and required
    for word in ("キー項目", "必須の記録項目", "次へ進む条件"):
        assert word in dot
    for record in key:
        assert text_of(record.name, "ja") in dot
        for option in record.options:
            assert text_of(option, "ja") in dot
    for record in required:
        assert text_of(record.name, "ja") in dot
    move = next(t for t in design.transitions if t.from_ == stage.id and t.required_records)
    assert text_of(move.criteria[0], "ja") in dot
    assert "必要な記録: 想定されるハードル" in dot  # the required record by its name, not its id


def test_a_phase_s_last_stage_slide_shows_the_phase_criteria():
    design = library.load_template("b2b-standard")
    phase = next(p for p in design.phases if p.exit_criteria)
    dot = slide_dot(design, Slide("stage", phase.stages[-1].id), lang="en")
    assert "To move to the next phase" in dot
    assert text_of(phase.exit_criteria[0], "en").split()[0] in dot
