"""CRM configuration from the typed records: Salesforce custom fields and Path, HubSpot properties.

The Salesforce check is structural, written from the Metadata API reference (PathAssistant,
PathAssistantStep, CustomField, ValueSet, ValueSetValuesDefinition, CustomValue, CustomObject,
BusinessProcess, Package): every element has a documented name for its parent, and the required
ones are there. The HubSpot bodies validate against tests/schemas/hubspot-property-create.schema.json,
written from the properties API reference.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import jsonschema
import pytest

from journeymap import library
from journeymap.export import export
from journeymap.export.crm_fields import hubspot_properties, salesforce_field_name

NS = "{http://soap.sforce.com/2006/04/metadata}"
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "hubspot-property-create.schema.json").read_text("utf-8"))
TEMPLATES = library.list_templates()

# Element names per metadata type, from the Metadata API reference (the subset a field or a path
# can hold); (allowed children, required children).
METADATA = {
    "PathAssistant": ({"fullName", "active", "entityName", "fieldName", "masterLabel", "pathAssistantSteps", "recordTypeName"},
                      {"entityName", "fieldName", "masterLabel", "recordTypeName"}),
    "pathAssistantSteps": ({"fieldNames", "info", "picklistValueName"}, {"picklistValueName"}),
    "CustomObject": ({"businessProcesses", "fields", "recordTypes", "listViews", "validationRules"}, set()),
    "businessProcesses": ({"fullName", "description", "isActive", "namespacePrefix", "values"}, {"fullName"}),
    "values": ({"fullName", "default", "color", "description"}, {"fullName"}),
    "fields": ({"fullName", "defaultValue", "description", "inlineHelpText", "label", "length", "precision", "required",
                "scale", "type", "valueSet", "visibleLines", "unique", "externalId", "trackHistory"},
               {"fullName", "label", "type"}),
    "valueSet": ({"controllingField", "restricted", "valueSetDefinition", "valueSetName", "valueSettings"}, set()),
    "valueSetDefinition": ({"sorted", "value"}, {"value"}),
    "value": ({"fullName", "default", "label", "color", "description", "isActive"}, {"fullName", "label"}),
    "Package": ({"types", "version", "fullName", "description"}, {"types", "version"}),
    "StandardValueSet": ({"fullName", "groupingStringEnum", "sorted", "standardValue"}, {"sorted"}),
    "standardValue": ({"fullName", "color", "default", "description", "isActive", "label", "allowEmail", "closed",
                       "converted", "cssExposed", "forecastCategory", "groupingString", "highPriority", "probability",
                       "reverseRole", "reviewed", "won"}, {"fullName"}),
    "types": ({"members", "name"}, {"members", "name"}),
}
FIELD_TYPES = {"Text", "Number", "Currency", "Date", "Picklist", "MultiselectPicklist", "Checkbox"}
# The Metadata API's XSD declares each type's elements as a sequence: they must come in this order.
ORDER = {
    "standardValue": ["fullName", "color", "default", "description", "isActive", "label", "allowEmail", "closed",
                      "converted", "cssExposed", "forecastCategory", "groupingString", "highPriority", "probability",
                      "reverseRole", "reviewed", "won"],
    "PathAssistant": ["fullName", "active", "entityName", "fieldName", "masterLabel", "pathAssistantSteps", "recordTypeName"],
    "pathAssistantSteps": ["fieldNames", "info", "picklistValueName"],
    "businessProcesses": ["fullName", "description", "isActive", "namespacePrefix", "values"],
    "fields": ["fullName", "defaultValue", "description", "externalId", "inlineHelpText", "label", "length", "precision",
               "required", "scale", "trackHistory", "type", "unique", "valueSet", "visibleLines"],
    "valueSet": ["controllingField", "restricted", "valueSetDefinition", "valueSetName", "valueSettings"],
    "CustomObject": ["businessProcesses", "fields", "listViews", "recordTypes", "validationRules"],
    "types": ["members", "name"],
}
FORECAST_CATEGORIES = {"BestCase", "Closed", "Forecast", "MostLikely", "Omitted", "Pipeline"}  # OpportunityStage.ForecastCategory


def local(tag: str) -> str:
    return tag.removeprefix(NS)


def check_structure(element: ET.Element, path: str) -> list[str]:
    problems = []
    name = local(element.tag)
    if name in METADATA:
        allowed, required = METADATA[name]
        children = [local(c.tag) for c in element]
        problems += [f"{path}: <{c}> is not a {name} element" for c in children if c not in allowed]
        problems += [f"{path}: <{name}> needs <{r}>" for r in sorted(required - set(children))]
        if name in ORDER:
            rank = [ORDER[name].index(c) for c in children if c in ORDER[name]]
            if rank != sorted(rank):
                problems.append(f"{path}: <{name}>'s elements are out of the documented order: {children}")
    for child in element:
        if len(child):
            problems += check_structure(child, f"{path}/{local(child.tag)}")
    return problems


def salesforce_files(design) -> dict[str, ET.Element]:
    archive = zipfile.ZipFile(io.BytesIO(export(design, "salesforce")))
    return {name: ET.fromstring(archive.read(name)) for name in archive.namelist()}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_salesforce_metadata_uses_only_documented_elements(template):
    files = salesforce_files(template.design)
    problems = [p for name, root in files.items() for p in check_structure(root, name)]
    assert problems == []
    obj = "Account" if template.design.counts == "accounts" else "Opportunity"
    for field in files[f"objects/{obj}.object"].iter(f"{NS}fields"):
        assert field.find(f"{NS}type").text in FIELD_TYPES
    stages = files.get("standardValueSets/OpportunityStage.standardValueSet")
    assert (stages is None) == (obj == "Account")  # an account design has no opportunity stages
    for value in stages.iter(f"{NS}standardValue") if stages is not None else ():
        assert value.find(f"{NS}forecastCategory").text in FORECAST_CATEGORIES
        assert 0 <= int(value.find(f"{NS}probability").text) <= 100  # DefaultProbability: percent, 3 digits, scale 0
    members = {(t.find(f"{NS}name").text, m.text) for t in files["package.xml"].iter(f"{NS}types") for m in t.findall(f"{NS}members")}
    assert {t for t, _ in members} <= {"StandardValueSet", "BusinessProcess", "CustomField", "PathAssistant"}
    path = files.get(next((n for n in files if n.startswith("pathAssistants/")), ""))
    if path is not None:
        assert path.find(f"{NS}recordTypeName").text == "__MASTER__"
        for step in path.iter(f"{NS}pathAssistantSteps"):
            assert len(step.findall(f"{NS}fieldNames")) <= 5


def test_midsize_fields_are_picklists_with_the_seed_values_and_a_path_with_key_fields():
    design = library.load_template("midsize-phase-stage")
    files = salesforce_files(design)
    fields = {f.find(f"{NS}fullName").text: f for f in files["objects/Opportunity.object"].iter(f"{NS}fields")}
    reaction = fields["First_Reaction__c"]
    assert reaction.find(f"{NS}type").text == "Picklist"
    values = [v.find(f"{NS}label").text for v in reaction.iter(f"{NS}value")]
    assert values == ["前向き", "検討中", "やや慎重", "否定的"]
    assert fields["Bant__c"].find(f"{NS}type").text == "MultiselectPicklist"
    (path_name,) = [n for n in files if n.startswith("pathAssistants/")]
    path = files[path_name]
    steps = {s.find(f"{NS}picklistValueName").text: s for s in path.iter(f"{NS}pathAssistantSteps")}
    proposal = steps["提案済み・反応待ち"]
    assert [f.text for f in proposal.findall(f"{NS}fieldNames")] == ["Competitor_Comparison__c", "Next_Action__c"]
    assert len(proposal.find(f"{NS}info").text) <= 1000 and "修正依頼があれば" in proposal.find(f"{NS}info").text
    assert all(len(s.findall(f"{NS}fieldNames")) <= 5 for s in steps.values())
    members = {(t.find(f"{NS}name").text, m.text) for t in files["package.xml"].iter(f"{NS}types") for m in t.findall(f"{NS}members")}
    assert ("CustomField", "Opportunity.First_Reaction__c") in members
    assert ("PathAssistant", path_name.removeprefix("pathAssistants/").removesuffix(".pathAssistant")) in members


def test_the_structure_check_catches_an_undocumented_element():
    root = ET.fromstring(f'<PathAssistant xmlns="{NS[1:-1]}"><entityName>Opportunity</entityName><pathAssistantSteps><keyFields>X</keyFields></pathAssistantSteps></PathAssistant>')
    problems = check_structure(root, "p")
    assert "p/pathAssistantSteps: <keyFields> is not a pathAssistantSteps element" in problems
    assert "p: <PathAssistant> needs <masterLabel>" in problems


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_hubspot_property_bodies_validate_against_the_api_schema(template):
    bodies = json.loads(export(template.design, "hubspot-properties"))
    assert len(bodies) == len(template.design.record_ids())
    for body in bodies:
        jsonschema.validate(body, SCHEMA)


def test_hubspot_enumerations_carry_the_seed_options():
    bodies = {b["name"]: b for b in hubspot_properties(library.load_template("midsize-phase-stage"))}
    hurdle = bodies["hurdle"]
    assert (hurdle["type"], hurdle["fieldType"]) == ("enumeration", "select")
    assert [o["label"] for o in hurdle["options"]] == ["稟議", "導入リスク", "価格", "不明"]
    assert (bodies["bant"]["type"], bodies["bant"]["fieldType"]) == ("enumeration", "checkbox")
    assert (bodies["quote_submitted"]["type"], bodies["quote_submitted"]["fieldType"]) == ("bool", "booleancheckbox")


def test_the_schema_refuses_a_wrong_body():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "x", "label": "X", "groupName": "g", "type": "enumeration", "fieldType": "text", "options": []}, SCHEMA)


@pytest.mark.parametrize(("record_id", "api_name"), [("first-reaction", "First_Reaction__c"), ("1st", "F_1st__c"), ("bant", "Bant__c")])
def test_salesforce_field_names(record_id, api_name):
    assert salesforce_field_name(record_id) == api_name


def test_the_structure_check_catches_elements_out_of_order():
    root = ET.fromstring(f'<StandardValueSet xmlns="{NS[1:-1]}"><sorted>false</sorted><standardValue>'
                         '<fullName>A</fullName><won>true</won><closed>true</closed></standardValue></StandardValueSet>')
    assert check_structure(root, "x") == ["x/standardValue: <standardValue>'s elements are out of the documented order: "
                                          "['fullName', 'won', 'closed']"]
