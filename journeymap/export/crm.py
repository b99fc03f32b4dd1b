"""CRM pipeline stages: Salesforce OpportunityStage values and a HubSpot deal pipeline.

The pipeline is the funnel stages up to the KGI stage (the first KGI's stage, else the last funnel
stage), then a closed-lost stage. The probability of a stage is the planned rate from it to the KGI
stage: the product of the target rates of the funnel stages after it, up to and including the KGI
stage (a stage without a target rate counts as 100%). The KGI stage is closed and won (100%).

- Salesforce: the metadata file `standardValueSets/OpportunityStage.standardValueSet-meta.xml`
  (deploy it with the Salesforce CLI or the Metadata API; OpportunityStage records themselves cannot
  be inserted with Data Loader). Probability is a whole percentage; forecast categories follow
  Salesforce's defaults (open: Pipeline, won: Closed, lost: Omitted).
- HubSpot: the body of `POST /crm/v3/pipelines/deals`. HubSpot takes probabilities as strings from
  "0.0" to "1.0" in steps of 0.1, and reads 0.0 as closed lost and 1.0 as closed won, so open stages
  are rounded to one decimal and kept within 0.1–0.9.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from journeymap.errors import InputError
from journeymap.export import Format, register
from journeymap.export.common import cumulative_rates, word, xml_text
from journeymap.model import Design, text_of

SALESFORCE_NS = "http://soap.sforce.com/2006/04/metadata"
_LABEL_LIMIT = {"salesforce": 255, "hubspot": 255}


@dataclass(frozen=True)
class PipelineStage:
    label: str
    probability: float
    """Planned probability of reaching the KGI stage, 0.0 … 1.0."""
    closed: bool
    won: bool
    stage_id: str | None
    """The design's stage id (None for the closed-lost stage)."""


def pipeline_stages(design: Design, lang: str = "ja") -> list[PipelineStage]:
    """The pipeline in order: open funnel stages, the won (KGI) stage, then closed lost."""
    rates = cumulative_rates(design)
    if not rates:
        raise InputError(
            f"design '{design.id}' has no funnel stages: a CRM pipeline is made of funnel stages "
            "(set funnel: true on the countable stages)"
        )
    stages: list[PipelineStage] = []
    for index, (stage, rate) in enumerate(rates):
        won = index == len(rates) - 1
        stages.append(PipelineStage(text_of(stage.name, lang), 1.0 if won else rate, won, won, stage.id))
    stages.append(PipelineStage(word("closed_lost", lang), 0.0, True, False, None))
    return _unique_labels(stages)


def _unique_labels(stages: list[PipelineStage]) -> list[PipelineStage]:
    """CRMs need distinct stage labels: a repeated label gets its stage id (or a number) appended."""
    seen: set[str] = set()
    out: list[PipelineStage] = []
    for stage in stages:
        label = " ".join(stage.label.split()) or (stage.stage_id or "stage")
        candidate, n = label, 2
        while candidate in seen:
            suffix = stage.stage_id if n == 2 and stage.stage_id else str(n)
            candidate = f"{label} ({suffix})"
            n += 1
        seen.add(candidate)
        out.append(PipelineStage(candidate, stage.probability, stage.closed, stage.won, stage.stage_id))
    return out


def _forecast_category(stage: PipelineStage) -> str:
    if stage.won:
        return "Closed"
    return "Omitted" if stage.closed else "Pipeline"


def to_salesforce(design: Design, lang: str = "ja") -> str:
    """OpportunityStage values as a Salesforce StandardValueSet metadata file."""
    root = ET.Element(f"{{{SALESFORCE_NS}}}StandardValueSet")
    ET.SubElement(root, f"{{{SALESFORCE_NS}}}sorted").text = "false"
    for stage in pipeline_stages(design, lang):
        value = ET.SubElement(root, f"{{{SALESFORCE_NS}}}standardValue")
        label = xml_text(stage.label)[: _LABEL_LIMIT["salesforce"]]
        for tag, text in (
            ("fullName", label),
            ("default", "false"),
            ("label", label),
            ("closed", _bool(stage.closed)),
            ("forecastCategory", _forecast_category(stage)),
            ("probability", str(round(stage.probability * 100))),
            ("won", _bool(stage.won)),
        ):
            ET.SubElement(value, f"{{{SALESFORCE_NS}}}{tag}").text = text
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode", default_namespace=SALESFORCE_NS)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _bool(value: bool) -> str:
    return "true" if value else "false"


def hubspot_probability(stage: PipelineStage) -> str:
    if stage.closed:
        return "1.0" if stage.won else "0.0"
    return f"{min(0.9, max(0.1, round(stage.probability, 1))):.1f}"


def hubspot_pipeline(design: Design, lang: str = "ja") -> dict:
    """The request body that creates the design's deal pipeline in HubSpot."""
    return {
        "label": text_of(design.name, lang)[:_LABEL_LIMIT["hubspot"]],
        "displayOrder": 0,
        "stages": [
            {
                "label": stage.label[: _LABEL_LIMIT["hubspot"]],
                "displayOrder": index,
                "metadata": {"probability": hubspot_probability(stage), "isClosed": _bool(stage.closed)},
            }
            for index, stage in enumerate(pipeline_stages(design, lang))
        ],
    }


def to_hubspot(design: Design, lang: str = "ja") -> str:
    return json.dumps(hubspot_pipeline(design, lang), ensure_ascii=False, indent=2) + "\n"


register(
    Format(
        "salesforce",
        "xml",
        "application/xml",
        to_salesforce,
        "Salesforce OpportunityStage values (StandardValueSet metadata)",
        options=("lang",),
    )
)
register(
    Format(
        "hubspot",
        "json",
        "application/json",
        to_hubspot,
        "HubSpot deal pipeline (body of POST /crm/v3/pipelines/deals)",
        options=("lang",),
    )
)
