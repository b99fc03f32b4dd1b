"""Hostile and careless inputs: bounded work, and a FILE:LINE message where a crash used to be.

Each class of issue 13's list has a test here: alias amplification, long names and texts, huge
numbers, impossible dates, lone surrogates, wrong overlay types, extreme what-if rates and targets,
control characters on the terminal, and wrapping that stays linear in the length of a text.
"""

from __future__ import annotations

import json

import pytest

from journeymap.cli.main import main
from journeymap.designfile import yaml_loader
from journeymap.designfile.reading import load_design
from journeymap.designfile.yaml_loader import MAX_EXPANDED_CHARS
from journeymap.errors import InputError
from journeymap.model import MAX_NAME_CHARS, MAX_TEXT_CHARS
from journeymap.text import width
from journeymap.text.terminal import json_text, printable
from tests.test_io_errors import VALID


def refused(path) -> InputError:
    with pytest.raises(InputError) as caught:
        load_design(path)
    return caught.value


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


# --------------------------------------------------------------------------- YAML alias amplification


def test_one_long_string_repeated_through_aliases_is_refused_at_the_alias(write):
    # A 1 MB string referred to 30 times: small on disk, 30 MB of text once the aliases are followed.
    big = "x" * 1_000_000
    lines = [f"big: &big '{big}'", "schema_version: 1", "id: demo", "name: demo", "phases:"]
    lines += ["  - id: p", "    name: p", "    stages:"]
    lines += [f"      - {{id: s{i}, name: s, description: *big}}" for i in range(30)]
    text = "\n".join(lines) + "\n"
    error = refused(write("bomb.yaml", text))
    issue = error.first
    assert f"more than {MAX_EXPANDED_CHARS:,} characters of text once its aliases" in issue.message
    assert line_of(text, "- {id: s0,") <= issue.line <= len(lines)  # where an alias is used, not line 1


@pytest.mark.skipif(yaml_loader.FAST_LOADER is None, reason="PyYAML without libyaml composes once anyway")
def test_a_refused_alias_bomb_is_built_once_not_again_for_its_wording(write, monkeypatch):
    big = "x" * 1_000_000
    lines = [f"big: &big '{big}'", "schema_version: 1", "id: demo", "name: demo", "phases:"]
    lines += ["  - id: p", "    name: p", "    stages:"]
    lines += [f"      - {{id: s{i}, name: s, description: *big}}" for i in range(30)]
    builds = []
    real_build = yaml_loader._Builder.build

    def counting(self, node, path, depth, stack):
        if not path:
            builds.append(node)
        return real_build(self, node, path, depth, stack)

    monkeypatch.setattr(yaml_loader._Builder, "build", counting)
    monkeypatch.setattr(yaml_loader, "_compose", lambda *a: pytest.fail("composed again by the pure-Python loader"))
    error = refused(write("bomb.yaml", "\n".join(lines) + "\n"))
    assert "characters of text once its aliases" in error.first.message
    assert len(builds) == 1


def test_aliases_that_expand_to_little_are_still_fine(write):
    text = VALID.replace("owners:", "x-owner: &sales {id: sales, name: 自社営業}\nowners:").replace(
        "  - {id: sales, name: 自社営業}", "  - *sales")
    assert "x-owner" in text
    error = refused(write("alias.yaml", text))
    assert error.first.message.startswith("unknown field 'x-owner'")  # read fine; only the extra key is refused


# --------------------------------------------------------------------------- lengths


def test_a_name_longer_than_a_diagram_box_is_refused_with_its_line(write):
    text = VALID.replace("name: リード獲得", "name: " + "営業活動" * 100)
    issue = refused(write("long.yaml", text)).first
    assert issue.line == line_of(text, "営業活動営業活動")
    assert f"a name may be at most {MAX_NAME_CHARS} characters long, this one is 400" in issue.message


def test_a_description_longer_than_the_limit_is_refused(write):
    text = VALID.replace("        name: リード獲得\n", f"        name: リード獲得\n        description: {'あ' * (MAX_TEXT_CHARS + 1)}\n")
    issue = refused(write("long.yaml", text)).first
    assert issue.line == line_of(text, "description:")
    assert f"{MAX_TEXT_CHARS + 1:,} characters long; a text may be at most {MAX_TEXT_CHARS:,}" in issue.message


def test_wrapping_is_linear_in_the_length_of_the_text(monkeypatch):
    from journeymap.render import labels

    calls = 0
    original = width.char_width

    def counting(char: str) -> int:
        nonlocal calls
        calls += 1
        return original(char)

    monkeypatch.setattr(width, "char_width", counting)
    monkeypatch.setattr(labels, "char_width", counting)
    per_char = []
    for n in (2_000, 8_000):
        calls = 0
        labels._lines.cache_clear()
        labels.lines("営業活動" * (n // 4), 18)
        per_char.append(calls / n)
    # A quadratic wrap measures each character about n/width times: 100× at 2,000, 400× at 8,000.
    assert per_char[1] < 1.5 * per_char[0] + 5, per_char
    assert per_char[1] < 60, per_char


# --------------------------------------------------------------------------- numbers, dates, text that is not text


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_an_integer_of_5000_digits_is_refused_with_its_line(write, fmt):
    digits = "9" * 5000
    if fmt == "yaml":
        text = VALID.replace("target: 10,", f"target: {digits},")
    else:
        text = '{\n  "schema_version": 1,\n  "id": "demo",\n  "x": ' + digits + "\n}\n"
    issue = refused(write(f"big.{fmt}", text)).first
    assert issue.line == line_of(text, digits[:50])
    assert "a number with 5,000 digits is too large" in issue.message


def test_a_400_digit_target_is_refused_not_planned(write, capsys):
    path = write("big.yaml", VALID.replace("target: 10,", f"target: {'9' * 400},"))
    assert main(["plan", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:{line_of(VALID, 'target: 10,')}: a number with 400 digits is too large" in err
    assert "internal error" not in err


def test_a_target_beyond_a_thousand_trillion_is_refused(write):
    path = write("big.yaml", VALID.replace("target: 10,", "target: 10000000000000000,"))
    issue = refused(path).first
    assert issue.line == line_of(VALID, "target: 10,") and "is too large: at most 1,000,000,000,000,000" in issue.message


@pytest.mark.parametrize("date", ["2024-13-45", "2024-02-30", "2023-02-29"])
def test_a_date_that_does_not_exist_is_text_where_text_is_expected(write, date):
    design = load_design(write("date.yaml", VALID.replace("name: リード獲得", f"name: {date}")))
    assert design.stages[0].name == date


def test_an_impossible_date_where_a_number_is_expected_names_the_line(write):
    text = VALID.replace("target: 10,", "target: 2024-02-30,")
    issue = refused(write("date.yaml", text)).first
    assert issue.line == line_of(text, "2024-02-30") and "expected a number" in issue.message


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_a_lone_surrogate_is_refused_at_its_line_so_no_export_meets_it(write, fmt):
    if fmt == "json":
        text = json.dumps({"schema_version": 1, "id": "demo", "name": {"ja": "デモ", "en": "\ud800x"}}, indent=2)
    else:
        text = VALID.replace("name: {ja: デモ, en: Demo}", 'name: {ja: デモ, en: "\\ud800x"}')
    issue = refused(write(f"surrogate.{fmt}", text)).first
    assert issue.line == line_of(text, "800x")
    assert "\\ud800, half of a character (an unpaired surrogate)" in issue.message


@pytest.mark.parametrize("to", ["yaml", "json", "csv", "mermaid", "dot", "bpmn", "salesforce", "hubspot"])
def test_no_export_meets_a_lone_surrogate(write, capsys, to):
    path = write("s.json", json.dumps({"schema_version": 1, "id": "demo", "name": "\udc80"}))
    assert main(["export", str(path), "--to", to, "-o", str(path.with_suffix(".out"))]) == 1
    err = capsys.readouterr().err
    assert "unpaired surrogate" in err and "internal error" not in err
    assert not path.with_suffix(".out").exists()


# --------------------------------------------------------------------------- the command line's own inputs


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--rate", "appointment=1e-300"], 1, "needs more than 1,000,000,000,000,000 at 'lead': the what-if rate given "
                                              "for 'appointment'"),
        (["--target", "appointments=1e308"], 2, "appointments=1e+308: a target is a number from 0 to 1,000,000,000,000,000"),
        (["--target", "appointments=inf"], 2, "'inf' is not a finite number"),
        (["--rate", "appointment=1.5"], 2, "a rate is a number from 0 to 1"),
    ],
)
def test_extreme_what_if_values_get_a_message(write, capsys, args, code, message):
    path = write("ok.yaml", VALID)
    assert main(["plan", str(path), *args]) == code
    err = capsys.readouterr().err
    assert message in err and "internal error" not in err


def test_a_tiny_planned_rate_in_the_file_names_its_line(write, capsys):
    path = write("tiny.yaml", VALID.replace("target_rate: 0.2", "target_rate: 1.0e-300"))
    assert main(["plan", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:{line_of(VALID, 'target_rate: 0.2')}: the plan for KGI 'appointments' needs more than" in err


@pytest.mark.parametrize(
    ("overlay", "needle", "message"),
    [
        ({"stages": [{"id": "lead", "reached": "many"}]}, '"many"', "'reached' must be a number (or null), got \"many\""),
        ({"stages": [{"id": "lead", "planned": [1]}]}, '"planned"', "'planned' must be a number"),
        ({"stages": [{"id": "lead", "rate": 1e308}]}, '"rate"', "'rate' must be a number"),
        ({"stages": [{"id": "lead", "status": 7}]}, '"status"', "'status' must be a text"),
        ({"stages": [1]}, "1", "each entry of 'stages' is an object with the stage's 'id'"),
        ({"stages": "lead"}, '"stages"', "expected the JSON of `journeymap compare --format json`"),
    ],
)
def test_wrong_types_in_an_overlay_name_the_line(write, capsys, overlay, needle, message):
    design = write("ok.yaml", VALID)
    text = json.dumps(overlay, indent=2)
    path = write("overlay.json", text)
    assert main(["render", str(design), "-o", str(design.with_suffix(".dot")), "--overlay", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err and "internal error" not in err
    if overlay["stages"] != "lead":
        assert f"{path}:{line_of(text, needle)}:" in err


# --------------------------------------------------------------------------- the terminal


def test_control_characters_never_reach_the_terminal():
    hostile = "ok\x1b]0;pwned\x07\x1b[2J\r\x9b31m\u202eevil\u2066 tab\tand\nline"
    assert printable(hostile) == "ok]0;pwned[2J31mevil tab\tand\nline"
    assert json.loads(json_text(json.dumps(hostile, ensure_ascii=False))) == hostile  # lossless
    assert not any(0x7F <= ord(c) <= 0x9F for c in json_text(json.dumps(hostile, ensure_ascii=False)))


def test_a_stage_value_cannot_set_the_title_or_clear_the_screen(write, capsys):
    design = write("ok.yaml", VALID)
    actuals = write("actuals.csv", "deal_id,stage,timestamp\nD1,リード獲得,2024-04-01\n"
                                    "D1,\"\x1b]0;pwned\x07\x1b[2J\x9b\",2024-04-02\nD2,リード獲得,2024-04-03\n")
    for fmt in ("table", "json"):
        assert main(["compare", str(design), str(actuals), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "pwned" in out
        assert not any((ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in out), fmt


def _wide_design(stages: int, transitions: int = 0) -> str:
    """A design of `stages` funnel stages in 10 phases (and `transitions` loop-backs), as YAML."""
    import yaml

    items = [{"id": f"s{i}", "name": f"ステージ{i}", "funnel": True, **({"target_rate": 0.99} if i else {})}
             for i in range(stages)]
    data = {"schema_version": 1, "id": "wide", "name": "大きな設計",
            "phases": [{"id": f"p{j}", "name": f"フェーズ{j}", "stages": items[j * stages // 10:(j + 1) * stages // 10]}
                       for j in range(10)],
            "transitions": [{"from": f"s{(i % (stages - 1)) + 1}", "to": "s0"} for i in range(transitions)],
            "kgis": [{"id": "wins", "name": "受注", "unit": "count", "target": 10, "stage": f"s{stages - 1}"}]}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_a_design_has_at_most_500_stages_and_2000_transitions(tmp_path):
    """Past these, checking and drawing a design takes more than seconds (a room follows tens of
    stages): the design is refused at its `phases` (or `transitions`) line, nothing else is checked."""
    from journeymap.model import MAX_STAGES, MAX_TRANSITIONS

    at_limit = tmp_path / "at_limit.yaml"
    at_limit.write_text(_wide_design(MAX_STAGES, MAX_TRANSITIONS), encoding="utf-8")
    assert len(load_design(at_limit).stages) == MAX_STAGES
    over = tmp_path / "over.yaml"
    over.write_text(_wide_design(MAX_STAGES + 1, MAX_TRANSITIONS + 1), encoding="utf-8")
    issues = refused(over).issues
    assert [i.message for i in issues] == [
        f"the design has {MAX_STAGES + 1} stages; a design may have at most {MAX_STAGES}: split it into designs "
        "linked at a stage",
        f"the design has {MAX_TRANSITIONS + 1:,} transitions; a design may have at most {MAX_TRANSITIONS:,}",
    ]
    assert issues[0].line == over.read_text(encoding="utf-8").splitlines().index("phases:") + 1
