"""Bad design files: each is refused with FILE:LINE: message, never a traceback, never running code."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from journeymap.designfile.reading import load_design
from journeymap.errors import InputError

VALID = """\
schema_version: 1
id: demo
name: {ja: デモ, en: Demo}
owners:
  - {id: sales, name: 自社営業}
phases:
  - id: contact
    name: 顧客接点創出段階
    stages:
      - id: lead
        name: リード獲得
        owner: sales
        funnel: true
      - id: appointment
        name: アポイント獲得
        owner: sales
        funnel: true
        target_rate: 0.2
kgis:
  - {id: appointments, name: アポ数, target: 10, stage: appointment}
"""


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load_design(path)
    return caught.value


def only_issue(path: Path):
    error = error_of(path)
    assert len(error.issues) >= 1
    return error.issues[0]


def test_the_valid_fixture_loads(write):
    design = load_design(write("ok.yaml", VALID))
    assert [s.id for s in design.stages] == ["lead", "appointment"]


@pytest.mark.parametrize(
    "name, content, line, message",
    [
        ("malformed", "schema_version: 1\nid: [unclosed\nname: x\n", 3, "invalid YAML"),
        ("tab", "schema_version: 1\nphases:\n\t- id: x\n", 3, "tab character is used for indentation"),
        ("duplicate-key", VALID.replace("name: {ja: デモ, en: Demo}", "name: デモ\nname: Demo"), 4, "duplicate key 'name' (first at line 3)"),
        ("unknown-owner", VALID.replace("owner: sales\n        funnel: true\n        target_rate", "owner: salse\n        funnel: true\n        target_rate"), 16, "unknown owner 'salse' (did you mean 'sales'?)"),
        ("unknown-kgi-stage", VALID.replace("stage: appointment}", "stage: meeting}"), 20, "unknown stage 'meeting'"),
        ("wrong-type", VALID.replace("target: 10", "target: ten"), 20, "expected a number, got 'ten'"),
        ("rate-above-one", VALID.replace("target_rate: 0.2", "target_rate: 1.5"), 18, "target_rate must be between 0 and 1, got 1.5"),
        ("rate-below-zero", VALID.replace("target_rate: 0.2", "target_rate: -0.1"), 18, "target_rate must be between 0 and 1, got -0.1"),
        ("duplicate-id", VALID.replace("id: appointment\n", "id: lead\n"), 14, "duplicate stage id 'lead'"),
        ("unknown-field", VALID.replace("target_rate: 0.2", "taget_rate: 0.2"), 18, "unknown field 'taget_rate' (did you mean 'target_rate'?)"),
        ("not-a-slug", VALID.replace("id: demo", "id: Demo Design"), 2, "id 'Demo Design' is not a slug"),
        ("first-funnel-rate", VALID.replace("owner: sales\n        funnel: true\n      - id", "owner: sales\n        funnel: true\n        target_rate: 0.5\n      - id"), 14, "first funnel stage"),
        ("kgi-on-non-funnel", VALID.replace("        owner: sales\n        funnel: true\n        target_rate: 0.2", "        owner: sales"), 18, "not a funnel stage"),
        ("empty", "", 1, "the file is empty"),
        ("only-comments", "# nothing here\n", 1, "holds no data"),
        ("list-top-level", "- schema_version: 1\n", 1, "a design is a mapping at the top level, got a list"),
        ("scalar-top-level", "just words\n", 1, "a design is a mapping at the top level"),
        ("newer-schema", VALID.replace("schema_version: 1", "schema_version: 2"), 1, "schema_version 2 is newer than this journeymap understands"),
        ("missing-schema", VALID.replace("schema_version: 1\n", ""), 1, "missing required field 'schema_version'"),
        ("missing-name", VALID.replace("        name: リード獲得\n", ""), 10, "missing required field 'name'"),
        ("empty-name", VALID.replace("name: リード獲得", "name: '  '"), 11, "must not be empty"),
        ("bad-localized", VALID.replace("{ja: デモ, en: Demo}", "{ja: デモ, fr: Démo}"), 3, "only the keys 'ja' and 'en'"),
        ("bad-enum", VALID.replace("id: demo\n", "id: demo\nsegment: retail\n"), 3, "'segment' must be one of"),
        ("bool-as-number", VALID.replace("target: 10", "target: yes"), 20, "expected a number, got the boolean true"),
        ("python-tag", "schema_version: 1\nid: !!python/object/apply:os.system ['echo hi']\n", 2, "the tag '!!python/object/apply:os.system' is not allowed"),
        ("merge-key", "base: &b {x: 1}\nschema_version: 1\nother:\n  <<: *b\n", 4, "merge keys"),
    ],
)
def test_bad_yaml_is_reported_with_file_line_and_message(write, name, content, line, message):
    path = write(f"{name}.yaml", content)
    error = error_of(path)
    text = str(error)
    assert message in text, text
    assert any(issue.line == line and message in issue.message for issue in error.issues), [str(i) for i in error.issues]
    assert text.startswith(f"{path}:{line}: ") or f"\n{path}:{line}: " in text


def test_binary_file_is_refused_without_a_line(write):
    path = write("random.yaml", bytes(range(256)) * 4)
    issue = only_issue(path)
    assert str(issue) == f"{path}: this is a binary file, not a YAML or JSON design"


def test_text_in_an_unknown_encoding_names_the_line_and_column(write):
    path = write("latin.yaml", b"schema_version: 1\n" + b"name: \xff\xfe\xfd\xfc\n")
    issue = only_issue(path)
    assert (issue.line, issue.column) == (2, 7)
    assert "column 7: the file is not UTF-8 text here" in issue.message


def test_a_cp932_design_is_refused_at_its_first_shift_jis_character(write):
    # Design files are UTF-8: read as CP932, a UTF-8 file with one stray Shift_JIS pair would turn
    # every Japanese name into mojibake without a word.
    path = write("sjis.yaml", VALID.encode("cp932"))
    issue = only_issue(path)
    line = next(i for i, text in enumerate(VALID.splitlines(), start=1) if not text.isascii())
    assert issue.line == line
    assert "looks like Shift_JIS/CP932" in issue.message and "save it as UTF-8" in issue.message


def test_a_utf8_design_with_one_shift_jis_pair_is_refused_not_mojibake(write):
    name = "リード獲得"
    content = VALID.encode("utf-8").replace(name.encode(), name.encode() + "営".encode("cp932"), 1)
    issue = only_issue(write("mixed.yaml", content))
    line_text = next(t for t in VALID.splitlines() if name in t)
    assert issue.line == VALID.splitlines().index(line_text) + 1
    assert issue.column == line_text.index(name) + len(name) + 1  # the first byte that is not UTF-8


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(write, encoding):
    path = write(f"{encoding}.yaml", VALID.encode(encoding))
    assert load_design(path).stages[0].name == "リード獲得"


def test_utf8_bom_is_accepted(write):
    path = write("bom.yaml", "\ufeff" + VALID)
    assert load_design(path).id == "demo"


def test_every_problem_is_reported_not_just_the_first(write):
    content = VALID.replace("owner: sales\n        funnel: true\n        target_rate", "owner: nobody\n        funnel: true\n        target_rate")
    content = content.replace("stage: appointment}", "stage: meeting}")
    error = error_of(write("two.yaml", content))
    assert [(i.line, i.message.split(" '")[0]) for i in error.issues] == [(16, "unknown owner"), (20, "unknown stage")]


def test_python_tags_never_run_code(write, tmp_path):
    marker = tmp_path / "pwned"
    content = f"schema_version: 1\nid: !!python/object/apply:os.system ['touch {marker}']\n"
    for loader_input in (content, f"!!python/object/apply:os.system ['touch {marker}']\n"):
        error_of(write("evil.yaml", loader_input))
    assert not marker.exists()


def test_alias_bomb_is_refused_in_bounded_time(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    # A child process with a deadline: a billion laughs would take minutes and gigabytes.
    script = textwrap.dedent(
        f"""
        from journeymap.designfile.reading import load_design
        from journeymap.errors import InputError
        try:
            load_design({str(path)!r})
        except InputError as e:
            print(e)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=20, cwd=Path(__file__).parents[1]
    )
    assert "expands to more than" in done.stdout
    assert done.stdout.startswith(f"{path}:")


def test_deep_nesting_is_refused(write):
    path = write("deep.yaml", "a: " + "[" * 500 + "]" * 500 + "\n")
    assert "nested deeper than" in str(error_of(path))


def test_missing_file_and_folder(tmp_path):
    assert str(error_of(tmp_path / "nope.yaml")) == f"{tmp_path / 'nope.yaml'}: no such file"
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    assert "is a folder" in str(error_of(folder))


def test_unknown_extension(tmp_path):
    path = tmp_path / "design.txt"
    path.write_text(VALID)
    assert "cannot tell the format" in str(error_of(path))


# ---------------------------------------------------------------- JSON, the same rules


@pytest.mark.parametrize(
    "name, content, line, message",
    [
        ("syntax", '{\n  "schema_version": 1,\n  "id": "x",\n}\n', 4, "invalid JSON"),
        ("duplicate", '{\n  "schema_version": 1,\n  "id": "x",\n  "id": "y"\n}\n', 4, "duplicate key 'id'"),
        ("rate", '{"schema_version": 1, "id": "x", "name": "X",\n "phases": [{"id": "p", "name": "P", "stages": [\n  {"id": "a", "name": "A", "funnel": true},\n  {"id": "b", "name": "B", "funnel": true, "target_rate": 2}]}]}\n', 4, "target_rate must be between 0 and 1, got 2"),
        ("reference", '{"schema_version": 1, "id": "x", "name": "X",\n "phases": [{"id": "p", "name": "P", "stages": [{"id": "a", "name": "A"}]}],\n "transitions": [\n  {"from": "a", "to": "zz"}]}\n', 4, "unknown stage 'zz'"),
        ("newer", '{"schema_version": 7}\n', 1, "schema_version 7 is newer"),
        ("empty", "  \n", 1, "the file is empty"),
        ("array", "[1, 2]\n", 1, "a design is a mapping at the top level, got a list"),
    ],
)
def test_bad_json_is_reported_with_file_line_and_message(write, name, content, line, message):
    path = write(f"{name}.json", content)
    error = error_of(path)
    assert any(i.line == line and message in i.message for i in error.issues), str(error)
    assert str(error).startswith(f"{path}:{line}: ")
