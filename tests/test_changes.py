"""Field-by-field changes on each side of a conflict."""

from __future__ import annotations

from journeymap.editing import operations as editing
from journeymap.editing.changes import MISSING, PRESENT, field_changes
from tests.app_support import template_design


def renamed_stage(design, index: int, name: str):
    stages = [s.model_copy(update={"name": name}) if i == index else s for i, s in enumerate(design.phases[0].stages)]
    phases = [design.phases[0].model_copy(update={"stages": stages}), *design.phases[1:]]
    return design.model_copy(update={"phases": phases})


def test_each_side_s_changes_are_listed_with_the_value_both_started_from():
    base = template_design()
    mine = renamed_stage(base, 0, "市場分析")
    theirs = editing.set_meta(base, "ja", name="相手が付けた名前")
    changes = {c.path: c for c in field_changes(base, mine, theirs)}
    stage = base.phases[0].stages[0]
    phase = base.phases[0]
    mine_change = changes[("phases", phase.id, "stages", stage.id, "name")]
    assert (mine_change.side, mine_change.mine, mine_change.theirs) == ("mine", "市場分析", stage.name.model_dump())
    theirs_change = changes[("name",)]
    assert theirs_change.side == "theirs"
    assert theirs_change.base == base.name.model_dump(exclude_none=True)
    assert theirs_change.theirs["ja"] == "相手が付けた名前"
    assert len(changes) == 2


def test_the_same_change_on_both_sides_is_not_listed_and_different_ones_are_both():
    base = template_design()
    both_same = editing.set_meta(base, "ja", name="同じ")
    assert field_changes(base, both_same, both_same) == []
    changes = field_changes(base, editing.set_meta(base, "ja", name="A"), editing.set_meta(base, "ja", name="B"))
    assert [(c.path, c.side) for c in changes] == [(("name",), "both")]


def test_an_added_stage_is_one_change_not_one_per_field():
    base = template_design()
    first = base.phases[0]
    extra = first.stages[0].model_copy(update={"id": "extra-stage", "name": "追加したステージ"})
    mine = base.model_copy(update={"phases": [first.model_copy(update={"stages": [*first.stages, extra]}), *base.phases[1:]]})
    changes = field_changes(base, mine, base)
    assert [(c.path, c.base, c.mine, c.theirs) for c in changes] == [
        (("phases", first.id, "stages", "extra-stage"), MISSING, PRESENT, MISSING)
    ]


def test_without_the_starting_version_every_difference_counts_as_both_sides():
    base = template_design()
    changes = field_changes(None, editing.set_meta(base, "ja", name="A"), base)
    assert [c.side for c in changes] == ["both"]
