"""JSON Schema of the design format: a valid 2020-12 schema that accepts designs and rejects broken ones."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

from journeymap import library
from journeymap.designfile.reading import load_data, load_design
from journeymap.export import export
from journeymap.export.json_schema import design_schema
from journeymap.model import design_to_data
from tests.strategies import designs

DATA = Path(__file__).parent / "data"
FIXTURES = ("interop_full", "interop_minimal", "interop_hostile")


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = design_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def raw(path: Path) -> dict:
    data, _ = load_data(path.read_bytes(), str(path), "yaml")
    return data


def test_schema_header():
    schema = json.loads(export(load_design(DATA / "interop_minimal.yaml"), "json-schema"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:journeymap:schema:design:1"
    assert schema["title"] == "journeymap design (schema_version 1)"
    assert schema["properties"]["name"]["$ref"] == "#/$defs/Text"
    assert schema["$defs"]["Stage"]["properties"]["id"]["$ref"] == "#/$defs/Slug"
    assert schema["$defs"]["Transition"]["required"] == ["from", "to"]


@pytest.mark.parametrize("template", library.list_templates(), ids=lambda t: t.id)
def test_every_template_file_validates(template, validator):
    errors = list(validator.iter_errors(raw(template.path)))
    assert errors == []


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_files_validate(name, validator):
    assert list(validator.iter_errors(raw(DATA / f"{name}.yaml"))) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs())
def test_generated_designs_validate(design):
    _validator().validate(design_to_data(design))


@functools.lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(design_schema())


BREAKAGES = {
    "missing phases": lambda d: d.pop("phases"),
    "unknown field": lambda d: d.update(colour="red"),
    "bad slug": lambda d: d.update(id="B2B Outbound"),
    "rate above one": lambda d: d["phases"][1]["stages"][1].update(target_rate=4),
    "blank name": lambda d: d.update(name="   "),
    "unknown language": lambda d: d.update(name={"fr": "x"}),
    "bad unit": lambda d: d["kgis"][0].update(unit="pieces"),
    "schema version 2": lambda d: d.update(schema_version=2),
    "empty stages": lambda d: d["phases"][0].update(stages=[]),
    "bad currency": lambda d: d.update(currency="yen"),
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=list(BREAKAGES))
def test_broken_designs_do_not_validate(breakage, validator):
    data = copy.deepcopy(raw(DATA / "interop_full.yaml"))
    assert validator.is_valid(data)
    BREAKAGES[breakage](data)
    assert not validator.is_valid(data)
