"""Every design survives save → load in both formats, and YAML ↔ JSON, unchanged."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from journeymap.designfile.reading import parse_design_text
from journeymap.designfile.writing import dump_json, dump_yaml
from journeymap.model import design_to_data

from .strategies import designs


def _yaml_json_yaml_json(design):
    yaml1 = dump_yaml(design)
    from_yaml = parse_design_text(yaml1, "a.yaml", "yaml")
    json1 = dump_json(from_yaml)
    from_json = parse_design_text(json1, "a.json", "json")
    yaml2 = dump_yaml(from_json)
    json2 = dump_json(parse_design_text(yaml2, "b.yaml", "yaml"))
    return yaml1, json1, yaml2, json2


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(designs())
def test_generated_designs_survive_yaml_json_yaml_json_exactly(design):
    yaml1, json1, yaml2, json2 = _yaml_json_yaml_json(design)
    assert yaml1 == yaml2
    assert json1 == json2
    assert design_to_data(parse_design_text(yaml2, "c.yaml", "yaml")) == design_to_data(design)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(designs())
def test_saved_yaml_is_the_canonical_form(design):
    # Loading what we wrote and writing it again changes nothing: git diffs stay quiet.
    text = dump_yaml(design)
    assert dump_yaml(parse_design_text(text, "a.yaml", "yaml")) == text
