"""The design's typed records as CRM fields: HubSpot deal properties, and Salesforce custom fields
with a Path (key fields and guidance per stage).

A record with an id is one field (records that share an id across stages are the same field);
plain text records without an id are notes, not fields, and are left out.

**HubSpot** (`--to hubspot-properties`): a JSON list, each item the body of one
`POST /crm/v3/properties/deals` request (type and fieldType from the record type; select and
multiselect records become enumeration properties with their options, in design order).

**Salesforce**: `CustomField` elements for the Opportunity object (the Account object for a design
that counts accounts) (picklists with their values)
and a `PathAssistant` for the Opportunity stage path: per stage up to five key fields (Salesforce
Path shows no more) and guidance of at most 1,000 characters (the stage's exit criteria, its
required records and, on a phase's last stage, the phase's criteria). `journeymap.export.crm`
puts them in the deployable folder.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from journeymap.export import Format, register
from journeymap.export.common import xml_text
from journeymap.model import Design, Record, text_of

HUBSPOT_GROUP = "dealinformation"
HUBSPOT_TYPES = {
    # record type: (type, fieldType)
    "text": ("string", "text"),
    "number": ("number", "number"),
    "currency": ("number", "number"),
    "date": ("date", "date"),
    "select": ("enumeration", "select"),
    "multiselect": ("enumeration", "checkbox"),
    "bool": ("bool", "booleancheckbox"),
}
SALESFORCE_TYPES = {
    "text": "Text",
    "number": "Number",
    "currency": "Currency",
    "date": "Date",
    "select": "Picklist",
    "multiselect": "MultiselectPicklist",
    "bool": "Checkbox",
}
PATH_KEY_FIELDS = 5  # Salesforce Path: up to five key fields per step
PATH_GUIDANCE_LIMIT = 1000  # characters of guidance per step
FIELD_LABEL_LIMIT = 40  # CustomField.label
HELP_LIMIT = 510  # CustomField.inlineHelpText
API_NAME_LIMIT = 40  # custom field API name, without __c


def fields(design: Design) -> list[Record]:
    """The design's fields: records with an id, first definition of each, stages then account plan."""
    return list(design.record_ids().values())


# --------------------------------------------------------------------------- HubSpot


def hubspot_name(record_id: str) -> str:
    """A HubSpot internal name: lowercase, digits and '_', starting with a letter."""
    name = record_id.replace("-", "_")
    return name if name[:1].isalpha() else f"jm_{name}"


def hubspot_properties(design: Design, lang: str = "ja") -> list[dict]:
    """One `POST /crm/v3/properties/deals` body per field, in design order (for a design that counts
    accounts, `POST /crm/v3/properties/companies` bodies in the company information group)."""
    group = "companyinformation" if design.counts == "accounts" else HUBSPOT_GROUP
    bodies = []
    for order, record in enumerate(fields(design)):
        assert record.id is not None
        kind, field_type = HUBSPOT_TYPES[record.type]
        body: dict = {
            "name": hubspot_name(record.id),
            "label": text_of(record.name, lang),
            "groupName": group,
            "type": kind,
            "fieldType": field_type,
            "displayOrder": order,
            "formField": True,
        }
        if record.help:
            body["description"] = text_of(record.help, lang)
        if record.type in ("select", "multiselect"):
            body["options"] = [
                {"label": text_of(o, lang), "value": text_of(o, lang), "displayOrder": i, "hidden": False}
                for i, o in enumerate(record.options)
            ]
        elif record.type == "bool":
            yes, no = ("はい", "いいえ") if lang == "ja" else ("Yes", "No")
            body["options"] = [
                {"label": yes, "value": "true", "displayOrder": 0, "hidden": False},
                {"label": no, "value": "false", "displayOrder": 1, "hidden": False},
            ]
        bodies.append(body)
    return bodies


def to_hubspot_properties(design: Design, lang: str = "ja") -> str:
    return json.dumps(hubspot_properties(design, lang), ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- Salesforce


def salesforce_field_name(record_id: str) -> str:
    """A custom field API name: `first-reaction` → `First_Reaction__c` (letters first, single '_')."""
    parts = [p for p in re.split(r"[-_]+", record_id) if p]
    name = "_".join(p[:1].upper() + p[1:] for p in parts)
    if not name[:1].isalpha():
        name = f"F_{name}"
    return name[:API_NAME_LIMIT].rstrip("_") + "__c"


def custom_fields(parent: ET.Element, sub, design: Design, lang: str) -> list[str]:
    """Append a `<fields>` element per field to the CustomObject `parent`; return the API names."""
    names = []
    for record in fields(design):
        assert record.id is not None
        api_name = salesforce_field_name(record.id)
        names.append(api_name)
        field = sub(parent, "fields")
        sub(field, "fullName", api_name)
        if record.type == "bool":
            sub(field, "defaultValue", "false")
        if record.help:
            sub(field, "inlineHelpText", xml_text(text_of(record.help, lang))[:HELP_LIMIT])
        sub(field, "label", xml_text(text_of(record.name, lang))[:FIELD_LABEL_LIMIT])
        if record.type == "text":
            sub(field, "length", "255")
        if record.type in ("number", "currency"):
            sub(field, "precision", "18")
            sub(field, "scale", "0")
        sub(field, "type", SALESFORCE_TYPES[record.type])
        if record.type in ("select", "multiselect"):
            value_set = sub(field, "valueSet")
            sub(value_set, "restricted", "true")
            definition = sub(value_set, "valueSetDefinition")
            sub(definition, "sorted", "false")
            for option in record.options:
                value = sub(definition, "value")
                label = xml_text(text_of(option, lang))
                sub(value, "fullName", label)
                sub(value, "default", "false")
                sub(value, "label", label)
        if record.type == "multiselect":
            sub(field, "visibleLines", "4")
    return names


def path_steps(design: Design, stage_labels: dict[str, str], lang: str) -> list[tuple[str, list[str], str]]:
    """Per pipeline stage (design stage id → its picklist value): the key fields' API names (at
    most five) and the guidance text (at most 1,000 characters)."""
    steps = []
    for stage in design.stages:
        label = stage_labels.get(stage.id)
        if label is None:
            continue
        key = [salesforce_field_name(r.id) for r in stage.records if r.key and r.id][:PATH_KEY_FIELDS]
        lines = [f"・{text_of(c, lang)}" for c in stage.exit_criteria]
        required = [text_of(r.name, lang) for r in stage.records if r.required]
        if required:
            lines.append(("必須: " if lang == "ja" else "Required: ") + "、".join(required))
        phase = design.phase_of(stage.id)
        if phase.stages[-1].id == stage.id:
            lines += [f"・{text_of(c, lang)}" for c in phase.exit_criteria]
        guidance = xml_text("\n".join(lines))
        if len(guidance) > PATH_GUIDANCE_LIMIT:
            guidance = guidance[: PATH_GUIDANCE_LIMIT - 1] + "…"
        if key or guidance:
            steps.append((label, key, guidance))
    return steps


register(
    Format(
        "hubspot-properties",
        "json",
        "application/json",
        to_hubspot_properties,
        "HubSpot deal properties for the typed records (bodies of POST /crm/v3/properties/deals; company"
        " properties for a design that counts accounts)",
        options=("lang",),
    )
)
