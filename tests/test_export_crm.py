"""CRM configuration: one pipeline definition (outcomes, probabilities), each CRM's rounding, the
deployable Salesforce folder and the HubSpot body."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from journeymap import library
from journeymap.designfile.reading import load_design
from journeymap.errors import InputError
from journeymap.export import export
from journeymap.export.crm import account_field_name, to_salesforce
from journeymap.export.pipeline import hubspot_probability, pipeline_stages, preview_rows, salesforce_percent
from journeymap.model import Record, parse_design

DATA = Path(__file__).parent / "data"
SF = {"sf": "http://soap.sforce.com/2006/04/metadata"}


def full():
    return load_design(DATA / "interop_full.yaml")


def design(stages, **extra):
    return parse_design({"schema_version": 1, "id": "d", "name": "d",
                         "phases": [{"id": "x", "name": "x", "stages": stages}], **extra})


def salesforce_files(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def stage_values(content: bytes) -> list[dict[str, str]]:
    root = ET.fromstring(salesforce_files(content)["standardValueSets/OpportunityStage.standardValueSet"])
    return [{child.tag.split("}")[1]: child.text for child in value} for value in root.findall("sf:standardValue", SF)]


def test_probability_is_the_planned_rate_to_the_won_stage():
    stages = pipeline_stages(full())
    # rates: appointment 0.04, hearing 0.5, proposal 0.6, closing 0.5, won 0.8 (the won outcome stage)
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
    assert [(s.outcome, s.source) for s in stages[-2:]] == [("won", "outcome"), ("lost", "outcome")]
    assert stages[-2].stage_id == "won" and stages[-1].stage_id is None  # the design's won stage; an added lost one


def test_a_kgi_stage_that_is_not_an_outcome_stays_open_and_closed_won_is_added_after_it():
    d = design([
        {"id": "lead", "name": "リード", "funnel": True},
        {"id": "deal", "name": "商談", "funnel": True, "target_rate": 0.25},
        {"id": "closing", "name": "クロージング", "funnel": True, "target_rate": 0.5},
        {"id": "renewal", "name": "更新", "funnel": True, "target_rate": 0.9},
    ], kgis=[{"id": "wins", "name": "受注件数", "target": 5, "stage": "closing"}])
    assert [(s.label, s.probability, s.outcome) for s in pipeline_stages(d)] == [
        ("リード", 0.125, None), ("商談", 0.5, None), ("クロージング", 1.0, None),
        ("受注", 1.0, "won"), ("失注", 0.0, "lost"),
    ]
    assert [(s.label, s.outcome) for s in pipeline_stages(d, "en")][-2:] == [("Closed Won", "won"), ("Closed Lost", "lost")]
    closing = pipeline_stages(d)[2]
    assert (salesforce_percent(closing), hubspot_probability(closing)) == (99, "0.9")  # open, never read as won


def test_a_set_probability_is_the_one_source_for_both_crms():
    d = design([
        {"id": "lead", "name": "リード", "funnel": True, "probability": 0.004},
        {"id": "deal", "name": "商談", "funnel": True, "target_rate": 0.25, "probability": 0.125},
        {"id": "won", "name": "受注", "funnel": True, "target_rate": 0.5, "outcome": "won"},
        {"id": "lost", "name": "失注", "outcome": "lost"},
    ])
    rows = preview_rows(d)
    assert [(r["stage"], r["source"], r["probability"], r["salesforce"], r["hubspot"]) for r in rows] == [
        ("リード", "design", 0.004, 1, "0.1"),  # kept above closed lost in both
        ("商談", "design", 0.125, 13, "0.1"),  # half up, once, from the exact value
        ("受注", "outcome", 1.0, 100, "1.0"),
        ("失注", "outcome", 0.0, 0, "0.0"),
    ]


@pytest.mark.parametrize("value, percent, hubspot", [
    (0.0049, 1, "0.1"), (0.005, 1, "0.1"), (0.015, 2, "0.1"), (0.15, 15, "0.2"), (0.25, 25, "0.3"),
    (0.845, 85, "0.8"), (0.95, 95, "0.9"), (0.995, 99, "0.9"),
])
def test_rounding_half_up_within_the_open_range(value, percent, hubspot):
    from journeymap.export.pipeline import PipelineStage

    stage = PipelineStage("s", value, None, "s", "design")
    assert (salesforce_percent(stage), hubspot_probability(stage)) == (percent, hubspot)


def test_salesforce_folder_is_deployable_metadata():
    files = salesforce_files(export(full(), "salesforce"))
    assert set(files) == {"package.xml", "standardValueSets/OpportunityStage.standardValueSet", "objects/Opportunity.object",
                          "pathAssistants/Journeymap_interop_full.pathAssistant"}  # the path carries the exit criteria
    package = ET.fromstring(files["package.xml"])
    members = {(t.find("sf:name", SF).text, m.text) for t in package.findall("sf:types", SF) for m in t.findall("sf:members", SF)}
    assert members == {("StandardValueSet", "OpportunityStage"),
                       ("BusinessProcess", "Opportunity.法人営業 標準プロセス（テレアポ代行併用）"),
                       ("PathAssistant", "Journeymap_interop_full")}
    assert package.find("sf:version", SF).text == "60.0"
    values = stage_values(export(full(), "salesforce"))
    assert [(v["label"], v["probability"], v["closed"], v["won"], v["forecastCategory"]) for v in values] == [
        ("架電", "1", "false", "false", "Pipeline"),
        ("アポイント獲得", "12", "false", "false", "Pipeline"),
        ("ヒアリング", "24", "false", "false", "Pipeline"),
        ("提案", "40", "false", "false", "Pipeline"),
        ("クロージング", "80", "false", "false", "Pipeline"),
        ("受注", "100", "true", "true", "Closed"),
        ("失注", "0", "true", "false", "Omitted"),
    ]
    process = ET.fromstring(files["objects/Opportunity.object"]).find("sf:businessProcesses", SF)
    assert [v.find("sf:fullName", SF).text for v in process.findall("sf:values", SF)] == [v["fullName"] for v in values]
    english = stage_values(export(full(), "salesforce", lang="en"))
    assert english[-1]["label"] == "Closed Lost"


def test_package_xml_lists_every_member_of_every_template():
    from journeymap import library

    for template in library.list_templates():
        files = salesforce_files(export(template.design, "salesforce"))
        package = ET.fromstring(files.pop("package.xml"))
        listed = {t.find("sf:name", SF).text: [m.text for m in t.findall("sf:members", SF)] for t in package.findall("sf:types", SF)}
        if template.design.counts == "accounts":  # one object file, every field of it listed
            assert list(files) == ["objects/Account.object"] and list(listed) == ["CustomField"]
            fields = ET.fromstring(files["objects/Account.object"]).findall("sf:fields", SF)
            assert sorted(listed["CustomField"]) == sorted(f"Account.{f.find('sf:fullName', SF).text}" for f in fields)
            continue
        folders = {"StandardValueSet": "standardValueSets", "BusinessProcess": "objects", "PathAssistant": "pathAssistants"}
        # custom fields live in the object's file (objects/Opportunity.object) beside the sales process
        assert sorted(folders[t] for t, names in listed.items() if t != "CustomField" for _ in names) == sorted(p.split("/")[0] for p in files)
        fields = ET.fromstring(files["objects/Opportunity.object"]).findall("sf:fields", SF)
        assert sorted(listed.get("CustomField", [])) == sorted(f"Opportunity.{f.find('sf:fullName', SF).text}" for f in fields)
        assert listed["StandardValueSet"] == ["OpportunityStage"]


def test_a_stage_name_too_long_for_salesforce_is_refused_naming_the_stage():
    # A name is at most 200 characters (the model's cap); the label of a repeated name gets its stage id
    # appended, which can take it past Salesforce's 255.
    long_id = "deal-" + "x" * 55
    d = design([{"id": "lead", "name": "商" * 200, "funnel": True},
                {"id": long_id, "name": "商" * 200, "funnel": True, "target_rate": 0.5}])
    with pytest.raises(InputError, match=rf"stage '{long_id}' .*263 characters.*at most 255"):
        export(d, "salesforce")
    assert json.loads(export(d, "hubspot"))["stages"][1]["label"] == "商" * 200 + f" ({long_id})"


def test_a_design_name_too_long_for_a_sales_process_is_refused():
    d = parse_design({"schema_version": 1, "id": "d", "name": "n" * 81,
                      "phases": [{"id": "x", "name": "x", "stages": [{"id": "a", "name": "a", "funnel": True}]}]})
    with pytest.raises(InputError, match=r"81 characters.*at most 80"):
        export(d, "salesforce")


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
    d = design([
        {"id": "a", "name": "商談", "funnel": True},
        {"id": "b", "name": "商談", "funnel": True, "target_rate": 0.5},
        {"id": "c", "name": "失注", "funnel": True, "target_rate": 0.5},
    ])
    labels = [s.label for s in pipeline_stages(d)]
    assert labels == ["商談", "商談 (b)", "失注", "受注", "失注 (2)"]


def test_a_design_without_funnel_stages_has_no_pipeline():
    d = load_design(DATA / "interop_minimal.yaml")
    for fmt in ("salesforce", "hubspot"):
        with pytest.raises(InputError, match="no funnel stages"):
            export(d, fmt)


def test_hostile_names_are_escaped_in_the_salesforce_xml():
    values = stage_values(export(load_design(DATA / "interop_hostile.yaml"), "salesforce"))
    labels = [v["label"] for v in values]
    assert labels[0] == "A --> B; click A call alert()"
    assert labels[1] == '二行の 名前 "quote" `back` <b>太字</b>'  # one line: a picklist value has no line breaks


def test_the_design_rules_of_outcomes():
    from journeymap.model import DesignInvalid

    with pytest.raises(DesignInvalid, match=r"lost outcome.*not a funnel stage"):
        design([{"id": "a", "name": "a", "funnel": True}, {"id": "l", "name": "l", "funnel": True, "outcome": "lost"}])
    with pytest.raises(DesignInvalid, match="won outcome: its forecast category is 'closed'"):
        design([{"id": "a", "name": "a", "funnel": True, "outcome": "won", "forecast_category": "pipeline"}])


def test_labels_differing_only_in_control_characters_stay_distinct():
    # Control characters are removed from labels before they are made unique: "提案\x07" and "提案" must
    # not both come out as "提案" (Salesforce refuses the duplicate value; HubSpot shows two alike).
    d = design([{"id": "lead", "name": "リード", "funnel": True},
                {"id": "proposal", "name": "提案", "funnel": True, "target_rate": 0.5},
                {"id": "proposal-2", "name": "提案\x07\x1b", "funnel": True, "target_rate": 0.5}])
    hubspot = [s["label"] for s in json.loads(export(d, "hubspot"))["stages"]]
    with zipfile.ZipFile(io.BytesIO(export(d, "salesforce"))) as folder:
        values = ET.fromstring(folder.read("standardValueSets/OpportunityStage.standardValueSet"))
    salesforce = [e.text for e in values.findall("sf:standardValue/sf:label", SF)]
    for labels in (hubspot, salesforce):
        assert labels[1:3] == ["提案", "提案 (proposal-2)"]
        assert len(set(labels)) == len(labels)


def test_b2b_standard_closing_is_open_at_its_own_probability_in_both_crms():
    """クロージング (the contract is still negotiated) is open at the template's 0.9, the defaults both CRMs
    ship for their matching stages (Salesforce Negotiation/Review 90 %, HubSpot Contract Sent 0.9), not the
    99 % / 0.9 clamp of an unplanned 100 %."""
    rows = preview_rows(library.load_template("b2b-standard"), "ja")
    (closing,) = [r for r in rows if r["stage_id"] == "closing"]
    assert (closing["outcome"], closing["source"], closing["salesforce"], closing["hubspot"]) == (None, "design", 90, "0.9")
    assert [r["stage"] for r in rows if r["outcome"] == "won"] == ["受注"]  # added after クロージング


def test_a_design_counting_accounts_names_its_field_apart_from_record_fields():
    design = library.load_template("enterprise-relationship")
    clash = design.model_copy(update={"account_plan": [*design.account_plan, Record(id=f"{design.id}-stage", name="x")]})
    assert account_field_name(design) == "Enterprise_Relationship_Stage__c"
    assert account_field_name(clash) != "Enterprise_Relationship_Stage__c"
    with zipfile.ZipFile(io.BytesIO(to_salesforce(clash))) as archive:
        members = re.findall(r"<members>([^<]+)</members>", archive.read("package.xml").decode())
    assert len(members) == len(set(members))
