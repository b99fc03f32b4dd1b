"""The library's input messages in the app: Japanese (or English) in the screen's words, never a
file field's syntax or a command-line option."""

from __future__ import annotations

import pytest

from journeymap.designfile.reading import parse_design_text
from journeymap.editing.operations import what_if
from journeymap.errors import InputError, Issue
from journeymap.planning import plan
from journeymap.ui import messages
from tests.app_support import template_design


def ja(issue: Issue) -> str:
    import streamlit as st

    st.session_state["lang"] = "ja"
    return messages.localized(issue)


def problems(text: str) -> list[Issue]:
    with pytest.raises(InputError) as caught:
        parse_design_text(text)
    return caught.value.issues


BROKEN = {
    "rate over 1": "schema_version: 1\nid: x\nname: x\nphases:\n  - id: p\n    name: p\n    stages:\n      - {id: a, name: a, funnel: true}\n      - {id: b, name: b, funnel: true, target_rate: 1.5}\n",
    "negative days": "schema_version: 1\nid: x\nname: x\nphases:\n  - id: p\n    name: p\n    stages:\n      - {id: a, name: a, target_days: -1}\n",
    "unknown owner": "schema_version: 1\nid: x\nname: x\nphases:\n  - id: p\n    name: p\n    stages:\n      - {id: a, name: a, owner: nobody}\n",
    "duplicate id": "schema_version: 1\nid: x\nname: x\nphases:\n  - id: p\n    name: p\n    stages:\n      - {id: a, name: a}\n      - {id: a, name: b}\n",
    "bad id": "schema_version: 1\nid: x\nname: x\nphases:\n  - id: p\n    name: p\n    stages:\n      - {id: Bad Id, name: a}\n",
    "six key fields": "schema_version: 1\nid: x\nname: x\nphases:\n  - id: p\n    name: p\n    stages:\n      - id: hearing\n        name: hearing\n"
                      "        records:\n" + "".join(f"          - {{id: f{i}, name: f{i}, key: true}}\n" for i in range(6)),
}


@pytest.mark.parametrize("case", BROKEN)
def test_design_problems_read_in_japanese(case):
    for issue in problems(BROKEN[case]):
        text = ja(issue)
        assert any("\u3040" <= ch <= "\u30ff" for ch in text), (case, text)  # kana: a Japanese sentence
        assert "target_rate" not in text and "must" not in text and "--" not in text, text


def test_a_rate_is_told_in_percent():
    issue = next(i for i in problems(BROKEN["rate over 1"]) if i.path[-1] == "target_rate")
    assert "0%〜100%" in ja(issue) and "150%" in ja(issue)


def test_a_zero_rate_in_the_plan_is_explained_without_file_syntax():
    design = what_if(template_design(), rates={"appointment": 0})
    with pytest.raises(InputError) as caught:
        plan(design)
    text = ja(caught.value.issues[0])
    assert "0% のため" in text and "より前の段階では計算できません" in text and "target_rate" not in text
    assert "KGI「受注件数」" in text and "wins" not in text  # the KGI by its name, not its id


def test_no_command_line_option_reaches_the_app():
    from journeymap.actuals.columns import ColumnRoles, missing_columns_issue

    columns = missing_columns_issue(["a", "b"], ColumnRoles({}), {"source": "crm.csv"})
    assert not messages.mentions_cli(ja(columns))
    assert messages.mentions_cli(columns.message)


def test_a_probability_is_told_in_percent_as_the_editor_shows_it():
    content = BROKEN["rate over 1"].replace("target_rate: 1.5", "probability: 1.5")
    issue = next(i for i in problems(content) if i.path[-1] == "probability")
    assert "0%〜100%" in ja(issue) and "150%" in ja(issue)
