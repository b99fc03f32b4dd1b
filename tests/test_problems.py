"""Problems in a CRM export, written once for both languages: the command line prints the English,
the Japanese app shows the same problem in Japanese, with the same place (file, line, cell)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from journeymap import library
from journeymap.actuals.reading import read_actuals
from journeymap.errors import InputError
from journeymap.text.catalogue import CATALOGUE
from journeymap.text.problems import in_language
from tests.test_app import errors, no_exception, open_design, start
from tests.test_app_analysis import library_env  # noqa: F401  (fixture)

LIBRARY = Path(__file__).parent.parent / "journeymap"
WRITTEN_ONCE = [*sorted((LIBRARY / "actuals").glob("*.py")), LIBRARY / "archive.py"]
"""The readers of what users upload on the Compare page: every problem they raise is a catalogue text."""


def _is_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.BinOp) and (_is_text(node.left) or _is_text(node.right))


@pytest.mark.parametrize("path", WRITTEN_ONCE, ids=lambda p: p.relative_to(LIBRARY).as_posix())
def test_the_upload_readers_write_no_message_outside_the_catalogue(path):
    tree = ast.parse(path.read_text("utf-8"))
    written = [
        f"{path.name}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("Issue", "InputError")
        and node.args and _is_text(node.args[0])
    ]
    assert written == []


# A CP932 export from a Japanese CRM with one of each row problem.
BROKEN = (
    "案件ID,ステージ,日時,金額\n"
    "A1,リード獲得,2025-04-01,100\n"
    "A1,リード獲得,2025-04-01,100\n"        # the same row twice
    "A2,アポイント獲得,来週,200\n"          # not a date
    ",ヒアリング,2025-04-03,300\n"          # no deal id
    "A3,ヒアリング,2025-04-04\n"            # a field short
).encode("cp932")


def problems_of(content: bytes) -> list:
    with pytest.raises(InputError) as caught:
        read_actuals(content, "crm.csv", library.load_template("b2b-standard"))
    return caught.value.issues


def test_each_problem_reads_in_japanese_and_in_the_clis_english():
    issues = problems_of(BROKEN)
    assert issues and all(i.key and i.key.startswith("problem.") for i in issues), issues
    for issue in issues:
        assert in_language(issue, "en") == issue.message
        japanese = in_language(issue, "ja")
        assert japanese and re.search(r"[ぁ-んァ-ン一-龥]", japanese), japanese
        # nothing English is left but what the file itself says (its values and column names) and file kinds
        left = re.sub(r"「[^」]*」|[\w.-]*\d[\w:.-]*|CSV|UTF-8|Shift_JIS|CP932|Excel|xlsx", "", japanese)
        assert not re.search(r"[A-Za-z]{3,}", left), japanese
    assert {i.key for i in issues} >= {"problem.field_count"}


def test_the_app_talks_about_its_controls_where_the_command_line_names_options():
    from journeymap.actuals.columns import ColumnRoles, missing_columns_issue

    issue = missing_columns_issue(["メモ", "日付"], ColumnRoles({}), {"source": "notes.csv"})
    assert "--columns" in issue.message
    for lang in ("ja", "en"):
        assert "--" not in in_language(issue, lang, app=True)
    assert "'メモ', '日付'" in in_language(issue, "ja", app=True)


def test_the_row_problems_of_one_file_each_name_their_place():
    issues = problems_of(BROKEN.replace(b"A3,\x83q\x83A\x83\x8a\x83\x93\x83O,2025-04-04\n", b""))
    by_key = {i.key: i for i in issues}
    assert {"problem.duplicate_event_row.line", "problem.not_a_date", "problem.no_deal_id"} <= set(by_key), by_key
    assert by_key["problem.duplicate_event_row.line"].line == 3
    assert "2行目とまったく同じ" in in_language(by_key["problem.duplicate_event_row.line"], "ja")
    assert by_key["problem.not_a_date"].line == 4 and "「来週」" in in_language(by_key["problem.not_a_date"], "ja")


def test_every_problem_text_is_japanese_in_japanese():
    keys = [k for k in CATALOGUE if k.startswith("problem.")]
    assert len(keys) > 30
    english_words = {k: ja for k in keys if (ja := CATALOGUE[k][0])
                     and re.search(r"(?<![A-Za-z_{])(?:the|this|is|not|and|or|of|in|column|row|file)(?![A-Za-z_}])", ja)}
    assert english_words == {}


def test_the_compare_page_shows_an_exports_problems_in_japanese(library_env):  # noqa: F811
    at = open_design(start(), "b2b-standard")
    at.switch_page("journeymap/ui/views/compare.py").run()
    at.file_uploader(key="actuals_file").upload("crm.csv", BROKEN, "text/csv").run()
    no_exception(at)
    shown = errors(at)
    assert "crm.csv:6" in shown and "項目数" in shown, shown
    assert "fields but the header" not in shown and "this row" not in shown, shown
