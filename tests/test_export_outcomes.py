"""Won and lost mean the same in every export of every template: Salesforce stage values, the
HubSpot pipeline and the BPMN end events. A deal at a KGI stage that is not an outcome (b2b-standard's
クロージング: the contract is still negotiated) is open everywhere; won comes after it. A design that
counts accounts (enterprise-relationship) has no won deals: the CRMs get an account field."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
import zipfile

import pytest

from journeymap import library
from journeymap.export import export
from journeymap.export.common import kgi_stage_id
from journeymap.export.pipeline import pipeline_stages
from journeymap.model import stage_outcome, text_of

SF = {"sf": "http://soap.sforce.com/2006/04/metadata"}
BPMN = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
TEMPLATES = [pytest.param(t.design, id=t.id) for t in library.list_templates()]
DEAL_TEMPLATES = [pytest.param(t.design, id=t.id) for t in library.list_templates() if t.design.counts == "deals"]
ACCOUNT_TEMPLATES = [pytest.param(t.design, id=t.id) for t in library.list_templates() if t.design.counts == "accounts"]


def salesforce(design) -> list[dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(export(design, "salesforce"))) as archive:
        root = ET.fromstring(archive.read("standardValueSets/OpportunityStage.standardValueSet"))
    return [{c.tag.split("}")[1]: c.text for c in v} for v in root.findall("sf:standardValue", SF)]


def test_the_library_has_both_kinds_of_design():
    assert [p.id for p in ACCOUNT_TEMPLATES] == ["enterprise-relationship"] and len(DEAL_TEMPLATES) == 6


@pytest.mark.parametrize("design", ACCOUNT_TEMPLATES)
def test_a_design_counting_accounts_books_no_deal_as_won_in_any_crm(design):
    """信頼定着 is a relationship level, not a contract: no opportunity stage, no Closed Won, no
    probability; the levels are an Account picklist / a company property, in stage order."""
    levels = [text_of(s.name, "ja") for s in design.funnel_stages]
    with zipfile.ZipFile(io.BytesIO(export(design, "salesforce"))) as archive:
        names = archive.namelist()
        account = ET.fromstring(archive.read("objects/Account.object"))
        package = archive.read("package.xml").decode()
    assert "standardValueSets/OpportunityStage.standardValueSet" not in names and "Opportunity" not in package
    field = account.find("sf:fields", SF)
    assert field.findtext("sf:type", namespaces=SF) == "Picklist"
    assert [v.findtext("sf:label", namespaces=SF) for v in field.iterfind(".//sf:value", SF)] == levels
    assert "Won" not in package and b"won" not in ET.tostring(account).lower()
    hubspot = json.loads(export(design, "hubspot", lang="ja"))
    assert (hubspot["groupName"], hubspot["type"]) == ("companyinformation", "enumeration")
    assert [o["label"] for o in hubspot["options"]] == levels and "stages" not in hubspot
    assert all(p["groupName"] == "companyinformation" for p in json.loads(export(design, "hubspot-properties")))


@pytest.mark.parametrize("design", DEAL_TEMPLATES)
def test_won_and_lost_in_salesforce_and_hubspot(design):
    kgi = design.stage(kgi_stage_id(design))
    kgi_label = text_of(kgi.name, "ja")
    values = salesforce(design)
    hubspot = json.loads(export(design, "hubspot"))["stages"]
    assert [v["label"] for v in values] == [s["label"] for s in hubspot]

    state = [("won" if v["won"] == "true" else "lost" if v["closed"] == "true" else "open") for v in values]
    assert state == sorted(state, key=["open", "won", "lost"].index), "open stages, then won, then lost"
    assert "won" in state and "lost" in state
    for value, stage in zip(values, hubspot):
        probability = float(stage["metadata"]["probability"])
        if value["won"] == "true":
            assert (value["probability"], value["forecastCategory"], probability) == ("100", "Closed", 1.0)
        elif value["closed"] == "true":
            assert (value["probability"], value["forecastCategory"], probability) == ("0", "Omitted", 0.0)
        else:  # open: never at a closed value in either CRM
            assert 1 <= int(value["probability"]) <= 99 and 0.1 <= probability <= 0.9
            assert stage["metadata"]["isClosed"] == "false"
            category = design.stage(next(s.stage_id for s in pipeline_stages(design) if s.label == value["label"])).forecast_category
            expected = {"best_case": "BestCase", "commit": "Forecast", "omitted": "Omitted"}.get(category or "", "Pipeline")
            assert value["forecastCategory"] == expected  # Salesforce's API value for Commit is Forecast

    labels = [v["label"] for v in values]
    if stage_outcome(kgi) == "won":
        assert state[labels.index(kgi_label)] == "won"
    else:  # the KGI stage is open, and the added 受注 follows it
        assert state[labels.index(kgi_label)] == "open"
        assert labels[labels.index(kgi_label) + 1] == "受注" and state[labels.index(kgi_label) + 1] == "won"


@pytest.mark.parametrize("design", TEMPLATES)
def test_won_and_lost_in_bpmn_end_events(design):
    root = ET.fromstring(export(design, "bpmn"))
    process = root.find("bpmn:process", BPMN)
    by_id = {e.get("id"): e for e in process}
    flows = {f.get("id"): f for f in process.findall("bpmn:sequenceFlow", BPMN)}

    def sources(element) -> set[str]:
        return {by_id[flows[i.text].get("sourceRef")].get("id") for i in element.findall("bpmn:incoming", BPMN)}

    ends = process.findall("bpmn:endEvent", BPMN)
    lost = [e for e in ends if e.get("name") == "失注"]
    assert lost and all(s.startswith(("Gateway_", "Task_")) for e in lost for s in sources(e))
    kgi = design.stage(kgi_stage_id(design))
    won = [e for e in process if e.get("name") == "受注" and e.tag.endswith(("endEvent", "intermediateThrowEvent"))]
    if stage_outcome(kgi) == "won":
        assert not won, "the design's own won stage is the win: no second 受注"
        assert process.find(f"bpmn:task[@id='Task_{kgi.id}']", BPMN) is not None
    else:  # a 受注 event right after the KGI stage (its task, or its gateway's way on)
        assert len(won) == 1
        (source,) = sources(won[0])
        assert source in (f"Task_{kgi.id}", f"Gateway_{kgi.id}")
        if source.startswith("Gateway_"):
            (incoming,) = [flows[i.text] for i in won[0].findall("bpmn:incoming", BPMN)]
            assert incoming.get("id") == f"Flow_{kgi.id}__next"  # not a lost or recovery branch
    assert all(e.get("name") in ("失注", "受注", "完了") for e in ends)
