"""The deal pipeline a CRM gets from a design: open stages, won and lost outcomes, probabilities.

One definition, shared by the Salesforce and HubSpot exports, the BPMN outcome events and the
export preview:
- **Outcome stages** end a deal: a stage with `outcome: won|lost` (or the `closed` forecast
  category, which counts won deals). Reaching one closes the deal.
- **Open stages** are the funnel stages before the first won funnel stage or, when the design has
  none, up to and including the KGI stage (the first KGI's stage, else the last funnel stage). A KGI
  stage that is not an outcome (クロージング: the contract is still being negotiated) stays open.
- **Won and lost**: the design's won stages, else an added 受注 / Closed Won after the open stages;
  the design's lost stages, else an added 失注 / Closed Lost.
- **Probability** of an open stage comes from one source, `planning.stage_probabilities` (also used
  by the Plan page and compare's forecast): the stage's `probability` when the design sets it, else
  the planned rate from it to the win: the product of the target rates of the funnel stages after
  it, up to the won stage (or the KGI stage), a missing rate counting as 100%, times the set
  `probability` of the first later stage that has one (提案 = 0.3 into クロージング × its 0.9).
  Won is 1, lost is 0.
- **Rounding** happens once per CRM, from that exact value, following the CRM's documented
  constraints (`salesforce_percent`, `hubspot_probability`); the export preview shows both.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from journeymap.export.common import word, xml_text
from journeymap.model import Design, Stage, deal_pipeline, text_of
from journeymap.planning import probability_carried_from, stage_probabilities
from journeymap.text.problems import refuse
from journeymap.text.terminal import printable

Source = Literal["design", "planned", "outcome"]


@dataclass(frozen=True)
class PipelineStage:
    label: str
    probability: float
    """How likely a deal at this stage is won, 0.0 … 1.0, unrounded."""
    outcome: Literal["won", "lost"] | None
    stage_id: str | None
    """The design's stage id; None for an added Closed Won / Closed Lost stage."""
    source: Source
    """Where the probability comes from: the design's `probability`, the planned rates, or the outcome."""
    forecast_category: str | None = None
    """The design's forecast category of an open stage (pipeline | best_case | commit | omitted), if set."""

    @property
    def closed(self) -> bool:
        return self.outcome is not None

    @property
    def won(self) -> bool:
        return self.outcome == "won"


def account_stages(design: Design, lang: str = "ja") -> list[PipelineStage]:
    """For a design that counts accounts (`counts: accounts`): the relationship levels a CRM keeps on
    the account, labels made distinct, in stage order (the funnel stages, else every stage). No
    won, lost or probability (the field is unused): an account at its goal level is not a won deal."""
    stages = design.funnel_stages or design.stages
    return _unique_labels([PipelineStage(_label(s, lang), 0.0, None, s.id, "design") for s in stages])


def pipeline_stages(design: Design, lang: str = "ja") -> list[PipelineStage]:
    """The pipeline in order: open stages, won stage(s), lost stage(s); labels made distinct."""
    outline = deal_pipeline(design)
    if outline is None:
        raise refuse("problem.no_funnel_pipeline", id=design.id)
    open_stages, won, lost = outline.open, outline.won, outline.lost
    probabilities = stage_probabilities(design)  # the one source: the stage's own, else the planned rate

    stages: list[PipelineStage] = []
    for stage in open_stages:
        source: Source = "design" if stage.probability is not None else "planned"
        stages.append(PipelineStage(_label(stage, lang), probabilities[stage.id], None, stage.id, source,
                                    stage.forecast_category))
    if won:
        stages += [PipelineStage(_label(s, lang), 1.0, "won", s.id, "outcome") for s in won]
    else:
        stages.append(PipelineStage(word("closed_won", lang), 1.0, "won", None, "outcome"))
    if lost:
        stages += [PipelineStage(_label(s, lang), 0.0, "lost", s.id, "outcome") for s in lost]
    else:
        stages.append(PipelineStage(word("closed_lost", lang), 0.0, "lost", None, "outcome"))
    return _unique_labels(stages)


def _label(stage: Stage, lang: str) -> str:
    """The CRM label of a stage: its name with runs of white space made one space and control characters
    removed (before labels are made unique, so that two names differing only in those stay distinct)."""
    return " ".join(printable(xml_text(text_of(stage.name, lang))).split()) or stage.id


def _unique_labels(stages: list[PipelineStage]) -> list[PipelineStage]:
    """CRMs need distinct stage labels: a repeated label gets its stage id (or a number) appended."""
    seen: set[str] = set()
    out: list[PipelineStage] = []
    for stage in stages:
        label = stage.label or (stage.stage_id or "stage")
        candidate, n = label, 2
        while candidate in seen:
            suffix = stage.stage_id if n == 2 and stage.stage_id else str(n)
            candidate = f"{label} ({suffix})"
            n += 1
        seen.add(candidate)
        out.append(PipelineStage(candidate, stage.probability, stage.outcome, stage.stage_id, stage.source,
                                 stage.forecast_category))
    return out


# --------------------------------------------------------------------------- rounding per CRM


def _half_up(value: float, places: int) -> Decimal:
    # Decimal from the shortest repr, so 0.125 rounds to 0.13 and 0.15 to 0.2 as a person expects.
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def salesforce_percent(stage: PipelineStage) -> int:
    """OpportunityStage.DefaultProbability: a whole percentage, 0–100 (percent, 3 digits, scale 0).

    Won is 100 and lost 0; an open stage is rounded half up and kept within 1–99, so that an open
    stage never reads as lost (0%) or won (100%) in a forecast (HubSpot does the same by rule)."""
    if stage.closed:
        return 100 if stage.won else 0
    percent = int(_half_up(stage.probability * 100, 0))
    return min(99, max(1, percent))


def hubspot_probability(stage: PipelineStage) -> str:
    """A HubSpot deal stage's `metadata.probability`: 0.0 … 1.0 in steps of 0.1, where 0.0 means
    closed lost and 1.0 closed won; an open stage is rounded half up and kept within 0.1–0.9."""
    if stage.closed:
        return "1.0" if stage.won else "0.0"
    return str(min(Decimal("0.9"), max(Decimal("0.1"), _half_up(stage.probability, 1))))


def preview_rows(design: Design, lang: str = "ja") -> list[dict]:
    """What each CRM gets, beside the exact probability it was rounded from (for the export preview)."""
    stages = pipeline_stages(design, lang)
    labels = {s.stage_id: s.label for s in stages if s.stage_id}
    carried = probability_carried_from(design)
    rows = []
    for stage in stages:
        rows.append({
            "stage": stage.label,
            "stage_id": stage.stage_id,
            "outcome": stage.outcome,
            "probability": stage.probability,
            "source": stage.source,
            # the later stage whose own probability a planned value carries (提案 27% = 0.3 × クロージング's 90%)
            "carried_from": labels.get(carried.get(stage.stage_id or "", ""))
            if stage.source == "planned" else None,
            "salesforce": salesforce_percent(stage),
            "hubspot": hubspot_probability(stage),
        })
    return rows
