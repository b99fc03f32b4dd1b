"""CRM configuration: a deployable Salesforce metadata folder and a HubSpot deal pipeline.

The stages, outcomes and probabilities come from `journeymap.export.pipeline` (one definition for
every CRM); each CRM's rounding is applied there once.

**Salesforce** (`--to salesforce`): a zip of a Metadata API folder, files at the zip's root:
- `package.xml` — the manifest, listing every member the folder holds;
- `standardValueSets/OpportunityStage.standardValueSet` — the Opportunity stage values (label,
  closed, won, forecast category, default probability);
- `objects/Opportunity.object` — a Sales Process (BusinessProcess) listing those stages, which
  record types need.
A design that counts accounts (`counts: accounts`, such as enterprise-relationship) has no deals to
win or lose: it gets `objects/Account.object` instead, with a picklist field of its relationship
levels (and its typed records as Account fields), and no OpportunityStage values at all.
Unzip it into a folder and deploy it with `sf project deploy start --metadata-dir FOLDER`.
A zip, not loose files, because an export is one download in the app and one `-o` file on the
command line. Lengths are checked against Salesforce's documented limits (stage label and API name
255 characters, business process name 80) and a name that is too long is refused with a message
naming it, never cut. New metadata types (paths, fields) are added as more `Member`s: each is a
type, a member name, a path and its content, and `package.xml` is made from the list.

**HubSpot** (`--to hubspot`): the body of `POST /crm/v3/pipelines/deals` (labels unique; for deals
`metadata.probability` is 0.0–1.0 in steps of 0.1, 0.0 meaning closed lost and 1.0 closed won); for
a design that counts accounts, the body of `POST /crm/v3/properties/companies`: an enumeration
property of its relationship levels.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass

from journeymap.export import Format, register
from journeymap.export.common import word, xml_text
from journeymap.export.crm_fields import (
    FIELD_LABEL_LIMIT,
    custom_fields,
    fields,
    hubspot_name,
    path_steps,
    salesforce_field_name,
)
from journeymap.export.pipeline import (
    PipelineStage,
    account_stages,
    hubspot_probability,
    pipeline_stages,
    salesforce_percent,
)
from journeymap.model import Design, text_of
from journeymap.text.problems import phrase, refuse

SALESFORCE_NS = "http://soap.sforce.com/2006/04/metadata"
SALESFORCE_API_VERSION = "60.0"
STAGE_LABEL_LIMIT = 255  # OpportunityStage.MasterLabel
STAGE_API_NAME_LIMIT = 255  # OpportunityStage.ApiName
BUSINESS_PROCESS_NAME_LIMIT = 80  # BusinessProcess.Name
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Member:
    """One component of the Salesforce folder: its metadata type, member name, path and content."""

    type: str
    name: str
    path: str
    content: str


# --------------------------------------------------------------------------- Salesforce


def salesforce_members(design: Design, lang: str = "ja") -> list[Member]:
    """The components of the Salesforce folder (every one is listed in package.xml)."""
    if design.counts == "accounts":
        return _account_object(design, lang)
    stages = salesforce_stages(design, lang)
    members = [_stage_value_set(design, stages, lang), *_opportunity_object(design, stages, lang)]
    path = _path_assistant(design, stages, lang)
    return members + ([path] if path is not None else [])


def salesforce_stages(design: Design, lang: str = "ja") -> list[PipelineStage]:
    """The pipeline, refused when a stage name is longer than Salesforce takes."""
    stages = pipeline_stages(design, lang)
    for stage in stages:
        label = xml_text(stage.label)
        if len(label) > min(STAGE_LABEL_LIMIT, STAGE_API_NAME_LIMIT):
            where = phrase("problem.which_stage", id=stage.stage_id) if stage.stage_id else phrase("problem.added_stage")
            raise refuse("problem.salesforce_stage_name", where=where, name=label[:40], n=len(label), limit=STAGE_LABEL_LIMIT)
    return stages


def business_process_name(design: Design, lang: str = "ja") -> str:
    name = " ".join(xml_text(text_of(design.name, lang)).replace(".", " ").split()) or design.id
    if len(name) > BUSINESS_PROCESS_NAME_LIMIT:
        raise refuse("problem.salesforce_process_name", name=name[:40], n=len(name), limit=BUSINESS_PROCESS_NAME_LIMIT)
    return name


SALESFORCE_FORECAST = {"pipeline": "Pipeline", "best_case": "BestCase", "commit": "Forecast", "omitted": "Omitted"}
"""The design's forecast category → OpportunityStage.ForecastCategory (API values Pipeline, BestCase,
Forecast, MostLikely, Omitted, Closed; 'Forecast' is the one labelled Commit)."""


def _forecast_category(stage: PipelineStage) -> str:
    if stage.won:
        return "Closed"
    if stage.closed:
        return "Omitted"
    return SALESFORCE_FORECAST.get(stage.forecast_category or "pipeline", "Pipeline")


def _stage_value_set(design: Design, stages: list[PipelineStage], lang: str) -> Member:
    root = _element("StandardValueSet")
    _sub(root, "sorted", "false")
    for stage in stages:
        value = _sub(root, "standardValue")
        label = xml_text(stage.label)
        for tag, text in (
            ("fullName", label),
            ("default", "false"),
            ("label", label),
            ("closed", _bool(stage.closed)),
            ("forecastCategory", _forecast_category(stage)),
            ("probability", str(salesforce_percent(stage))),
            ("won", _bool(stage.won)),
        ):
            _sub(value, tag, text)
    return Member("StandardValueSet", "OpportunityStage", "standardValueSets/OpportunityStage.standardValueSet",
                  _xml(root))


def _opportunity_object(design: Design, stages: list[PipelineStage], lang: str) -> list[Member]:
    """objects/Opportunity.object: the Sales Process and the typed records' custom fields (one file,
    several package members)."""
    process = _business_process(design, stages, lang)
    root = ET.fromstring(process.content.split("\n", 1)[1])
    names = custom_fields(root, _sub, design, lang)
    content = _xml(root)
    fields = [Member("CustomField", f"Opportunity.{n}", process.path, content) for n in names]
    return [Member(process.type, process.name, process.path, content), *fields]


def account_field_name(design: Design) -> str:
    """The API name of the Account picklist that holds an account's level in `design` (distinct from
    the typed records' fields)."""
    return _distinct(salesforce_field_name, {salesforce_field_name(r.id) for r in fields(design) if r.id}, design.id)


def _distinct(name_of, taken: set[str], design_id: str) -> str:
    name, n = name_of(f"{design_id}-stage"), 2
    while name in taken:
        name, n = name_of(f"stage{n}-{design_id}"), n + 1
    return name


def _account_object(design: Design, lang: str) -> list[Member]:
    """objects/Account.object: the relationship levels as a picklist field, then the typed records."""
    values = []
    for stage in account_stages(design, lang):
        label = xml_text(stage.label)
        if len(label) > STAGE_LABEL_LIMIT:  # a picklist value's label and API name: 255 characters, as a stage's
            raise refuse("problem.salesforce_stage_name", where=phrase("problem.which_stage", id=stage.stage_id),
                         name=label[:40], n=len(label), limit=STAGE_LABEL_LIMIT)
        values.append(label)
    root = _element("CustomObject")
    name = account_field_name(design)
    field = _sub(root, "fields")
    _sub(field, "fullName", name)
    _sub(field, "description", xml_text(text_of(design.name, lang))[:1000])
    _sub(field, "label", word("account_stage", lang)[:FIELD_LABEL_LIMIT])
    _sub(field, "type", "Picklist")
    value_set = _sub(field, "valueSet")
    _sub(value_set, "restricted", "true")
    definition = _sub(value_set, "valueSetDefinition")
    _sub(definition, "sorted", "false")
    for label in values:
        value = _sub(definition, "value")
        _sub(value, "fullName", label)
        _sub(value, "default", "false")
        _sub(value, "label", label)
    names = [name, *custom_fields(root, _sub, design, lang)]
    content = _xml(root)
    return [Member("CustomField", f"Account.{n}", "objects/Account.object", content) for n in names]


def _path_assistant(design: Design, stages: list[PipelineStage], lang: str) -> Member | None:
    """pathAssistants/NAME.pathAssistant: key fields and guidance per Opportunity stage."""
    labels = {s.stage_id: xml_text(s.label) for s in stages if s.stage_id}
    steps = path_steps(design, labels, lang)
    if not steps:
        return None
    name = "Journeymap_" + "_".join(p for p in design.id.split("-") if p)
    root = _element("PathAssistant")
    _sub(root, "active", "true")
    _sub(root, "entityName", "Opportunity")
    _sub(root, "fieldName", "StageName")
    _sub(root, "masterLabel", business_process_name(design, lang))
    for label, key_fields, guidance in steps:
        step = _sub(root, "pathAssistantSteps")
        for field in key_fields:
            _sub(step, "fieldNames", field)
        if guidance:
            _sub(step, "info", guidance)
        _sub(step, "picklistValueName", label)
    _sub(root, "recordTypeName", "__MASTER__")
    return Member("PathAssistant", name, f"pathAssistants/{name}.pathAssistant", _xml(root))


def _business_process(design: Design, stages: list[PipelineStage], lang: str) -> Member:
    name = business_process_name(design, lang)
    root = _element("CustomObject")
    process = _sub(root, "businessProcesses")
    _sub(process, "fullName", name)
    if design.description:
        _sub(process, "description", xml_text(text_of(design.description, lang))[:255])
    _sub(process, "isActive", "true")
    for stage in stages:
        value = _sub(process, "values")
        _sub(value, "fullName", xml_text(stage.label))
        _sub(value, "default", "false")
    return Member("BusinessProcess", f"Opportunity.{name}", "objects/Opportunity.object", _xml(root))


def package_xml(members: list[Member]) -> str:
    """The manifest: every member, grouped by type (types and members sorted)."""
    root = _element("Package")
    by_type: dict[str, list[str]] = {}
    for member in members:
        by_type.setdefault(member.type, []).append(member.name)
    for type_name in sorted(by_type):
        types = _sub(root, "types")
        for name in sorted(by_type[type_name]):
            _sub(types, "members", name)
        _sub(types, "name", type_name)
    _sub(root, "version", SALESFORCE_API_VERSION)
    return _xml(root)


def to_salesforce(design: Design, lang: str = "ja") -> bytes:
    """The Salesforce metadata folder as a zip (deterministic bytes: fixed timestamps, fixed order)."""
    members = salesforce_members(design, lang)
    files = {"package.xml": package_xml(members)}
    for member in members:
        files[member.path] = member.content
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            entry = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, files[path].encode("utf-8"))
    return out.getvalue()


def _element(tag: str) -> ET.Element:
    return ET.Element(f"{{{SALESFORCE_NS}}}{tag}")


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{SALESFORCE_NS}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _xml(root: ET.Element) -> str:
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode", default_namespace=SALESFORCE_NS)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _bool(value: bool) -> str:
    return "true" if value else "false"


# --------------------------------------------------------------------------- HubSpot


def hubspot_account_property(design: Design, lang: str = "ja") -> dict:
    """For a design that counts accounts: the company property that holds an account's level."""
    return {
        "name": _distinct(hubspot_name, {hubspot_name(r.id) for r in fields(design) if r.id}, design.id),
        "label": word("account_stage", lang),
        "description": text_of(design.name, lang),
        "groupName": "companyinformation",
        "type": "enumeration",
        "fieldType": "select",
        "displayOrder": 0,
        "formField": True,
        "options": [
            {"label": label, "value": label, "displayOrder": i, "hidden": False}
            for i, label in enumerate(s.label for s in account_stages(design, lang))
        ],
    }


def hubspot_pipeline(design: Design, lang: str = "ja") -> dict:
    """The request body that creates the design's deal pipeline in HubSpot."""
    return {
        "label": text_of(design.name, lang),
        "displayOrder": 0,
        "stages": [
            {
                "label": stage.label,
                "displayOrder": index,
                "metadata": {"probability": hubspot_probability(stage), "isClosed": _bool(stage.closed)},
            }
            for index, stage in enumerate(pipeline_stages(design, lang))
        ],
    }


def to_hubspot(design: Design, lang: str = "ja") -> str:
    body = hubspot_account_property(design, lang) if design.counts == "accounts" else hubspot_pipeline(design, lang)
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


register(
    Format(
        "salesforce",
        "zip",
        "application/zip",
        to_salesforce,
        "Salesforce metadata folder (zip): package.xml, OpportunityStage values, a Sales Process"
        " (a design that counts accounts: an Account picklist field instead)",
        binary=True,
        options=("lang",),
    )
)
register(
    Format(
        "hubspot",
        "json",
        "application/json",
        to_hubspot,
        "HubSpot deal pipeline (body of POST /crm/v3/pipelines/deals; a design that counts accounts: a"
        " company property, body of POST /crm/v3/properties/companies)",
        options=("lang",),
    )
)
