"""CRM pipeline stages: planned cumulative probabilities, won and lost stages, Salesforce and HubSpot shapes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from journeymap.designfile.reading import load_design
from journeymap.errors import InputError
from journeymap.export import export
from journeymap.export.crm import pipeline_stages
from journeymap.model import parse_design

DATA = Path(__file__).parent / "data"
SF = {"sf": "http://soap.sforce.com/2006/04/metadata"}


def full():
    return load_design(DATA / "interop_full.yaml")


def test_probability_is_the_planned_rate_from_the_stage_to_the_kgi_stage():
    stages = pipeline_stages(full())
    # rates: appointment 0.04, hearing 0.5, proposal 0.6, closing 0.5, won 0.8 (KGI stage)
    expected = {
        "架電": 0.04 * 0.5 * 0.6 * 0.5 * 0.8,
        "アポイント獲得": 0.5 * 0.6 * 0.5 * 0.8,
        "ヒアリング": 0.6 * 0.5 * 0.8,
        "提案": 0.5 * 0.8,
        "クロージング": 0.8,
        "受注": 1.0,
        "失注": 0.0,
    }
    assert [s.label for s in stages] == list(expected)
    for stage in stages:
        assert stage.probability == pytest.approx(expected[stage.label])
    won, lost = stages[-2], stages[-1]
    assert (won.closed, won.won, lost.closed, lost.won) == (True, True, True, False)
    assert not any(s.closed for s in stages[:-2])


def test_stages_after_the_kgi_stage_are_not_in_the_pipeline_and_missing_rates_count_as_one():
    design = parse_design(
        {
            "schema_version": 1, "id": "p", "name": "p",
            "phases": [{"id": "x", "name": "x", "stages": [
                {"id": "lead", "name": "リード", "funnel": True},
                {"id": "deal", "name": "商談", "funnel": True},
                {"id": "win", "name": "受注", "funnel": True, "target_rate": 0.25},
                {"id": "renewal", "name": "更新", "funnel": True, "target_rate": 0.9},
            ]}],
            "kgis": [{"id": "wins", "name": "受注件数", "target": 5, "stage": "win"}],
        }
    )
    assert [(s.label, s.probability) for s in pipeline_stages(design)] == [
        ("リード", 0.25), ("商談", 0.25), ("受注", 1.0), ("失注", 0.0)
    ]


def test_salesforce_standard_value_set():
    root = ET.fromstring(export(full(), "salesforce"))
    assert root.tag == "{http://soap.sforce.com/2006/04/metadata}StandardValueSet"
    assert root.find("sf:sorted", SF).text == "false"
    values = root.findall("sf:standardValue", SF)
    table = [
        tuple(v.find(f"sf:{tag}", SF).text for tag in ("fullName", "label", "probability", "closed", "won", "forecastCategory"))
        for v in values
    ]
    assert table == [
        ("架電", "架電", "0", "false", "false", "Pipeline"),
        ("アポイント獲得", "アポイント獲得", "12", "false", "false", "Pipeline"),
        ("ヒアリング", "ヒアリング", "24", "false", "false", "Pipeline"),
        ("提案", "提案", "40", "false", "false", "Pipeline"),
        ("クロージング", "クロージング", "80", "false", "false", "Pipeline"),
        ("受注", "受注", "100", "true", "true", "Closed"),
        ("失注", "失注", "0", "true", "false", "Omitted"),
    ]
    english = ET.fromstring(export(full(), "salesforce", lang="en"))
    assert english.findall("sf:standardValue", SF)[-1].find("sf:label", SF).text == "Closed Lost"


def test_hubspot_pipeline_body():
    body = json.loads(export(full(), "hubspot", lang="en"))
    assert body["label"] == "B2B standard process with outsourced calls" and body["displayOrder"] == 0
    assert [(s["label"], s["displayOrder"], s["metadata"]) for s in body["stages"]] == [
        ("Calls", 0, {"probability": "0.1", "isClosed": "false"}),  # 0.48% kept above closed-lost
        ("Appointment booked", 1, {"probability": "0.1", "isClosed": "false"}),
        ("Hearing", 2, {"probability": "0.2", "isClosed": "false"}),
        ("Proposal", 3, {"probability": "0.4", "isClosed": "false"}),
        ("Closing", 4, {"probability": "0.8", "isClosed": "false"}),
        ("Won", 5, {"probability": "1.0", "isClosed": "true"}),
        ("Closed Lost", 6, {"probability": "0.0", "isClosed": "true"}),
    ]


def test_repeated_labels_are_made_distinct():
    design = parse_design(
        {"schema_version": 1, "id": "d", "name": "d", "phases": [{"id": "x", "name": "x", "stages": [
            {"id": "a", "name": "商談", "funnel": True},
            {"id": "b", "name": "商談", "funnel": True, "target_rate": 0.5},
            {"id": "c", "name": "失注", "funnel": True, "target_rate": 0.5},
        ]}]}
    )
    labels = [s.label for s in pipeline_stages(design)]
    assert labels == ["商談", "商談 (b)", "失注", "失注 (2)"]
    assert len(set(labels)) == len(labels)


def test_a_design_without_funnel_stages_has_no_pipeline():
    design = load_design(DATA / "interop_minimal.yaml")
    for fmt in ("salesforce", "hubspot"):
        with pytest.raises(InputError, match="no funnel stages"):
            export(design, fmt)


def test_hostile_names_are_escaped_in_the_salesforce_xml():
    root = ET.fromstring(export(load_design(DATA / "interop_hostile.yaml"), "salesforce"))
    labels = [v.find("sf:label", SF).text for v in root.findall("sf:standardValue", SF)]
    assert labels[0] == "A --> B; click A call alert()"
    assert labels[1] == '二行の 名前 "quote" `back` <b>太字</b>'  # one line: a picklist value has no line breaks
