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
from tests.app_support import app_env  # noqa: F401  (fixture)
from tests.test_app import errors, no_exception, open_design, start
from tests.test_app_analysis import library_env  # noqa: F401  (fixture)

LIBRARY = Path(__file__).parent.parent / "journeymap"
WRITTEN_ONCE = [
    *sorted((LIBRARY / "actuals").glob("*.py")), LIBRARY / "archive.py",
    *sorted((LIBRARY / "designfile").glob("*.py")), LIBRARY / "model.py", LIBRARY / "planning.py",
    *sorted((LIBRARY / "editing").glob("*.py")), LIBRARY / "library.py", LIBRARY / "compare" / "funnel.py",
    LIBRARY / "compare" / "window.py", LIBRARY / "render" / "frame.py", LIBRARY / "export" / "crm.py",
    LIBRARY / "export" / "pipeline.py", LIBRARY / "workspace" / "access.py",
]
"""What the app can show problems from (the readers of the Compare upload and of design files, the
design's rules, the plan, the editors): every problem they raise is a catalogue text."""


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
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("Issue", "InputError", "Problem")
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


# ---------------------------------------------------------------- a corpus of broken inputs, in the Japanese app


def _marked(test, index: int = 0) -> list:
    """The cases of a parametrized test (the corpus other tests already keep)."""
    return list(test.pytestmark[index].args[1])


def _broken_inputs():
    """(name, issues) for every broken design, file and plan the tests keep."""
    import copy

    from journeymap.designfile.reading import parse_design_bytes
    from journeymap.editing import operations
    from journeymap.planning import plan
    from tests import test_app_messages, test_io_errors, test_model

    def issues_of(action) -> list:
        try:
            action()
        except InputError as exc:
            return exc.issues
        raise AssertionError("not refused")

    for name, content, _line, _message in _marked(test_io_errors.test_bad_yaml_is_reported_with_file_line_and_message):
        yield f"yaml:{name}", issues_of(lambda c=content, n=name: parse_design_bytes(c.encode("utf-8"), f"{n}.yaml"))
    for name, content, _line, _message in _marked(test_io_errors.test_bad_json_is_reported_with_file_line_and_message):
        yield f"json:{name}", issues_of(lambda c=content, n=name: parse_design_bytes(c.encode("utf-8"), f"{n}.json"))
    for name, content in test_app_messages.BROKEN.items():
        yield f"app:{name}", issues_of(lambda c=content: parse_design_bytes(c.encode("utf-8"), "design.yaml"))
    for i, (mutate, _expected) in enumerate(_marked(test_model.test_design_rules_name_the_path_of_the_problem)):
        data = copy.deepcopy(test_model.BASE)
        mutate(data)
        yield f"rule:{i}", issues_of(lambda d=data: operations.validated(d))
    yield from _every_field_given_every_kind_of_value(test_model.BASE, issues_of)
    valid = test_io_errors.VALID
    files = {
        "binary.yaml": bytes(range(256)) * 4,
        "latin.yaml": b"schema_version: 1\nname: \xff\xfe\xfd\xfc\n",
        "sjis.yaml": valid.encode("cp932"),
        "utf16.yaml": b"\xff\xfe" + b"\x00\xd8",
        "design.txt": valid.encode("utf-8"),
        "colon.yaml": b"schema_version: 1\nid: a: b\n",
        "indent.yaml": b"schema_version: 1\nid: x\n name: y\n",
        "flow.yaml": b"schema_version: 1\nphases: [1, 2\n",
        "quote.yaml": b"schema_version: 1\nname: 'x\n",
        "alias.yaml": b"schema_version: 1\nname: *nope\n",
        "at.yaml": b"schema_version: 1\nname: @x\n",
        "rare.yaml": b"schema_version: 1\nname: !!binary x\n",
        "surrogate.json": b'{"schema_version": 1, "name": "\\ud800"}',
        "digits.yaml": b"schema_version: 1\nid: " + b"9" * 40 + b"\n",
        "json-comma.json": b'{"schema_version": 1 "id": "x"}',
        "json-extra.json": b'{"schema_version": 1}}',
        "not-a-workbook.xlsx": valid.encode("utf-8"),
        "bad-currency.yaml": valid.replace("id: demo", "id: demo\ncurrency: yen\nperiod: day").encode("utf-8"),
        "kinds.yaml": valid.replace("kgis:\n  - {id: appointments, name: アポ数, target: 10, stage: appointment}",
                                    "kgis: {a: 1}\ntransitions: nobody\njourney: [1]\nsegment: 3").encode("utf-8"),
        "long-name.yaml": valid.replace("name: リード獲得", "name: " + "長" * 300).encode("utf-8"),
        "bool-tag.yaml": b"schema_version: 1\nname: !!bool maybe\n",
        "int-tag.yaml": b"schema_version: 1\nname: !!int ''\n",
        "float-tag.yaml": b"schema_version: 1\nname: !!float zz\n",
        "no-phases.yaml": b"schema_version: 1\nid: x\nname: x\n",
        "currency-number.yaml": valid.replace("id: demo", "id: demo\ncurrency: 1.5").encode("utf-8"),
    }
    for name, content in files.items():
        yield f"file:{name}", issues_of(lambda n=name, c=content: parse_design_bytes(c, n))
    for name, content in _broken_workbooks():
        yield f"xlsx:{name}", issues_of(lambda c=content: parse_design_bytes(c, "design.xlsx"))
    design = library.load_template("b2b-standard")
    yield "plan:zero-rate", issues_of(lambda: plan(operations.what_if(design, rates={"appointment": 0})))
    yield "plan:rate", issues_of(lambda: plan(design, rates={"appointment": 1.5, "nowhere": 0.5}))
    yield "plan:target", issues_of(lambda: plan(design, targets={"nothing": 3, design.kgis[0].id: -1}))
    yield "edit:only-stage", issues_of(lambda: operations.remove_stage(
        operations.validated({**test_model.BASE, "phases": [{"id": "p", "name": "P", "stages": [{"id": "s", "name": "S"}]}],
                              "kgis": [], "journey": None, "drop_reasons": [], "transitions": []}), "s"))
    yield "edit:no-stage", issues_of(lambda: operations.remove_stage(design, "nowhere"))
    yield "crm", problems_of(BROKEN)
    yield "crm:long-line", problems_of(LONG_LINE)
    yield "crm:damaged", issues_of(lambda: read_actuals(b"PK\x03\x04 not really a workbook", "crm.xlsx",
                                                        library.load_template("b2b-standard")))
    yield from _broken_comparisons(issues_of)


def _every_field_given_every_kind_of_value(base, issues_of):
    """Each value of a valid design replaced by a mapping, a list, a text, numbers, a boolean, nothing:
    every check of the model (pydantic's own and ours) says its problem."""
    import copy

    from journeymap.editing import operations

    def paths(node, path=()):
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            yield path + (key,)
            yield from paths(value, path + (key,))

    for path in paths(base):
        for value in ({"a": 1}, {"ja": True}, [1], "x", "", 3, 1.5, -1, True, None):
            data = copy.deepcopy(base)
            node = data
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = value
            try:
                operations.validated(data)
            except InputError as exc:
                yield f"field:{path}={value!r}", exc.issues


def _broken_comparisons(issues_of):
    """A window the Compare page can ask for that the export cannot give, a template that is not there,
    a Salesforce export of a stage name too long for it."""
    import datetime as dt
    from pathlib import Path

    from journeymap.actuals.reading import read_actuals
    from journeymap.compare.funnel import compare
    from journeymap.export import export
    from journeymap.model import Localized

    design = library.load_template("b2b-standard")
    events = read_actuals((Path(__file__).parent / "data" / "app_actuals_b2b.csv").read_bytes(), "crm.csv", design)
    yield "compare:after", issues_of(lambda: compare(design, events, as_of=dt.date(2025, 1, 1), start=dt.date(2025, 4, 1)))
    yield "compare:order", issues_of(lambda: compare(design, events, start=dt.date(2025, 5, 1), end=dt.date(2025, 4, 1)))
    yield "compare:no-date", issues_of(lambda: compare(design, events, as_of=dt.date(9999, 12, 31)))
    yield "library", issues_of(lambda: library.load_template("nothing-here"))
    long_name = design.model_copy(update={"name": Localized(ja="長" * 100, en="x" * 100)})
    yield "salesforce", issues_of(lambda: export(long_name, "salesforce"))
    no_funnel = design.model_copy(update={"phases": [p.model_copy(update={"stages": [
        s.model_copy(update={"funnel": False}) for s in p.stages]}) for p in design.phases]})
    yield "hubspot", issues_of(lambda: export(no_funnel, "hubspot"))



def _broken_workbooks():
    """The hand edits of a design workbook that tests/test_export_excel.py shows refused, and a few more."""
    from tests.test_export_excel import col, find_row, fixture, save, workbook

    def edited(change) -> bytes:
        wb = workbook(fixture("interop_full"))
        change(wb)
        return save(wb)

    def formula(wb):
        stages = wb["Stages"]
        stages[f"{col(stages, 'unit_cost')}{find_row(stages, 'id', 'call')}"] = "=200*2"

    def both_texts(wb):
        stages = wb["Stages"]
        extra = stages.max_column + 1
        stages.cell(1, extra, "name")
        stages.cell(find_row(stages, "id", "call"), extra, "電話")

    def continuation(wb):
        stages = wb["Stages"]
        stages[f"{col(stages, 'unit_cost')}{stages.max_row + 1}"] = 5

    yield "sheet", edited(lambda wb: wb.remove(wb["KPIs"]))
    yield "column", edited(lambda wb: wb["Stages"].delete_cols(2))
    yield "unknown-column", edited(lambda wb: wb["Phases"].__setitem__("B1", "name_jp"))
    yield "twice", edited(lambda wb: wb["Phases"].__setitem__("C1", wb["Phases"]["B1"].value))
    yield "number", edited(lambda wb: wb["KGIs"].__setitem__(f"{col(wb['KGIs'], 'target')}2", "四パーセント"))
    yield "negative", edited(lambda wb: wb["KGIs"].__setitem__(f"{col(wb['KGIs'], 'target')}2", -3))
    yield "formula", edited(formula)
    yield "phase", edited(lambda wb: (wb["Stages"].__setitem__("A2", "strategi"), wb["KPIs"].__setitem__("A2", "nowhere")))
    yield "both-texts", edited(both_texts)
    yield "continuation", edited(continuation)
    yield "overview", edited(lambda wb: wb["Overview"].__setitem__("A1", "項目"))


ALLOWED = re.compile(
    r"「[^」]*」|[A-Za-z0-9_./:-]*\d[A-Za-z0-9_./:-]*|[*&][A-Za-z0-9_-]+|(?<![A-Za-z])(?:CSV|UTF-8|UTF-16|UTF-32|Shift_JIS|CP932|Excel|xlsx|YAML|JSON|"
    r"KGI|KPI|ID|ISO|JPY|USD|BOM|CRM|HubSpot|Salesforce|journeymap|schema_version|ja|en|true|false|select|multiselect|yaml|yml|"
    r"json)(?![A-Za-z])")
"""What may stay in Latin letters in Japanese: what the user wrote (quoted 「…」), numbers, ids with
digits, and the names of formats, products and the file's own keywords."""


def _english_left(issue, shown: str) -> bool:
    """Whether `shown` keeps English words beyond the issue's values and the allowed names."""
    left = shown
    for _, value in issue.values:  # the values the user typed: names, ids, columns
        for said in (value, getattr(value, "en", None)):  # (a Verbatim's English: ids the design lists)
            if isinstance(said, str) and said:
                left = left.replace(said, "")
    return re.search(r"[A-Za-z]{3,}", ALLOWED.sub("", left)) is not None or not re.search(r"[ぁ-んァ-ン一-龥]", shown)


def test_no_english_sentence_is_left_in_the_japanese_app_for_any_broken_input():
    import streamlit as st

    from journeymap.ui.messages import localized

    st.session_state["lang"] = "ja"
    english, told, seen = {}, 0, 0
    for name, issues in _broken_inputs():
        for issue in issues:
            seen += 1
            told += _english_left(issue, issue.message)  # the check sees the command line's English
            if _english_left(issue, localized(issue)):
                english[f"{name}: {issue.message}"] = localized(issue)
    assert seen > 90 and told == seen
    assert english == {}


def test_the_transfer_page_shows_a_broken_designs_problems_in_japanese(app_env):  # noqa: F811
    at = start()
    at.switch_page("journeymap/ui/views/transfer.py").run()
    broken = "schema_version: 1\nid: x\nname: ok\nphases:\n  - id: p\n    name: p\n    stages:\n      - {id: a, name: a, funnel: maybe}\n"
    at.file_uploader(key="import_file").upload("broken.yaml", broken.encode("utf-8"), "application/yaml").run()
    no_exception(at)
    shown = errors(at)
    assert "broken.yaml:8" in shown and "'true' か 'false' にしてください" in shown, shown
    assert "must be" not in shown, shown
    at.file_uploader(key="import_file").upload("syntax.yaml", b"schema_version: 1\nid: a: b\n", "application/yaml").run()
    no_exception(at)
    shown = errors(at)
    assert "syntax.yaml:2" in shown and "ここには「キー: 値」を書けません" in shown, shown
    assert "mapping values" not in shown, shown


def test_no_problem_text_names_a_placeholder_that_text_takes_itself():
    # text(key, lang, **values): a value named key or lang would be a TypeError where the problem is said
    named = {k for k, (ja, en) in CATALOGUE.items() if k.startswith("problem.") and re.search(r"{(?:key|lang)\b", ja + en)}
    assert named == set()


LONG_LINE = b"deal_id,stage,timestamp\nA1,lead,2025-04-01\nA2,lead," + b"x" * (2 << 20) + b"\n"
"""A CSV whose third line is longer than the reader's block (a cell of pasted text, a lost newline)."""


def test_a_csv_row_longer_than_the_readers_block_is_named_by_its_line():
    issues = problems_of(LONG_LINE)
    assert [(i.key, i.line) for i in issues] == [("problem.csv_unreadable", 3)], issues
    japanese = in_language(issues[0], "ja")
    assert "3行目が長すぎます" in japanese and "1行は1MBまで" in japanese, japanese
    assert issues[0].message.startswith("cannot read this CSV: straddling object")  # the command line: the reader's English


@pytest.mark.parametrize("scalar, value, said", [
    ("!!bool maybe", "maybe", "真偽値として読めません"),  # PyYAML's constructor: KeyError
    ("!!int ''", "", "整数として読めません"),  # IndexError
    ("!!int abc", "abc", "整数として読めません"),  # ValueError
    ("!!float zz", "zz", "数として読めません"),
])
def test_a_tagged_value_its_reader_refuses_is_a_problem_on_its_line_said_in_japanese(scalar, value, said):
    from journeymap.designfile.reading import parse_design_bytes

    with pytest.raises(InputError) as caught:  # not a KeyError or IndexError out of PyYAML
        parse_design_bytes(f"schema_version: 1\nid: x\nname: {scalar}\n".encode(), "design.yaml")
    issue = caught.value.issues[0]
    assert (issue.key, issue.source, issue.line) == ("problem.invalid_scalar", "design.yaml", 3)
    japanese = in_language(issue, "ja")
    assert japanese.startswith(f"「{value}」を{said}"), japanese
    assert not re.search(r"[A-Za-z]{3,}", japanese.replace(f"「{value}」", "").replace("'true'", "").replace("'false'", ""))
    assert issue.message.startswith("invalid value: ")  # the command line's English


def test_a_check_pydantic_makes_itself_says_in_japanese_what_to_write():
    from journeymap.designfile.reading import parse_design_bytes
    from tests.test_io_errors import VALID

    with pytest.raises(InputError) as caught:
        parse_design_bytes(VALID.replace("id: demo", "id: demo\ncurrency: 1.5").encode("utf-8"), "design.yaml")
    issue = next(i for i in caught.value.issues if i.path == ("currency",))
    assert in_language(issue, "ja") == "文字で書いてください（入力: 数値 1.5）"
    assert issue.message == "'currency': Input should be a valid string"  # the command line's English, as before


@pytest.mark.parametrize("part, label", [("phases", "フェーズ"), ("kgis", "KGI"), ("owners", "担当"), ("transitions", "遷移")])
def test_every_part_of_a_design_a_message_names_has_a_japanese_name(part, label):
    import streamlit as st

    from journeymap.errors import Issue
    from journeymap.text.problems import problem
    from journeymap.ui.messages import localized

    st.session_state["lang"] = "ja"
    issue: Issue = problem("problem.missing_field", source="design.yaml", line=1, path=(part,), field=part)
    assert localized(issue).startswith(label) and part not in localized(issue), localized(issue)
