"""Won and lost in a comparison follow the CRM pipeline's rule (`model.deal_pipeline`), so that a
deal compare counts as won is the deal the Salesforce / HubSpot export would book as won.

- A deal is **won** only at a won stage (`model.stage_outcome`: `outcome: won`, the `closed`
  forecast category, or a stage named 受注 / Closed Won …).
- A design without a won funnel stage (b2b-standard ends its funnel at クロージング, where the
  contract is still negotiated) gets the won stage the export adds right after its KGI stage: in
  the comparison it is one more funnel stage, 受注 / Won, without a target rate (the design plans
  none), whose plan is the KGI stage's requirement. The actuals' won values (受注, 成約, Closed Won,
  closedwon, won … that name no stage of the design: `actuals.stages.WON`) and the events at a won
  stage outside the funnel count there. The KGIs counted at the KGI stage are counted at it: they
  count won deals, and the KGI stage stays open (its deals are in the pipeline, can stagnate, and
  are forecast at the observed win rate).
- A deal is **lost** at a lost stage or a lost value (失注, Closed Lost …), as before.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from journeymap.actuals.stages import WON
from journeymap.actuals.types import Actuals
from journeymap.model import Design, Localized, Stage, deal_pipeline
from journeymap.text.catalogue import text


@dataclasses.dataclass(frozen=True)
class AddedWon:
    """The won stage a comparison adds: its id, its index in the compared design's stages, and the
    KGI stage it follows."""

    stage: str
    index: int
    after: str

    def to_json(self) -> dict[str, Any]:
        return {"stage": self.stage, "after": self.after}


def with_won_stage(design: Design, actuals: Actuals | None = None) -> tuple[Design, Actuals | None, AddedWon | None]:
    """(the design compare counts with, the actuals in its stage indexes, the added won stage or None)."""
    outline = deal_pipeline(design)
    if outline is None or not outline.adds_won:
        return design, actuals, None
    after = outline.kgi_stage
    taken = {s.id for s in design.stages}
    stage_id, n = "won", 2
    while stage_id in taken:
        stage_id, n = f"won-{n}", n + 1
    name = outline.won[0].name if outline.won else Localized(ja=text("compare.won_stage", "ja"), en=text("compare.won_stage", "en"))
    won = Stage(id=stage_id, name=name, owner=after.owner, funnel=True, outcome="won")
    phases = []
    for phase in design.phases:
        if any(s.id == after.id for s in phase.stages):
            stages: list[Stage] = []
            for stage in phase.stages:
                stages.append(stage)
                if stage.id == after.id:
                    stages.append(won)
            phase = phase.model_copy(update={"stages": stages})
        phases.append(phase)
    kgis = [k.model_copy(update={"stage": stage_id}) if k.stage == after.id else k for k in design.kgis]
    compared = design.model_copy(update={"phases": phases, "kgis": kgis})
    index = [s.id for s in compared.stages].index(stage_id)
    added = AddedWon(stage_id, index, after.id)
    won_ids = {s.id for s in outline.won}
    old_won = [i for i, s in enumerate(design.stages) if s.id in won_ids]
    return compared, _moved(actuals, index, old_won) if actuals is not None else None, added


def _moved(actuals: Actuals, index: int, old_won: list[int]) -> Actuals:
    """The actuals with stage codes in the compared design: stages from `index` on move one up, and
    won values and events at the design's won stages outside the funnel go to the added stage."""
    def move(codes: np.ndarray) -> np.ndarray:
        out = np.where(codes >= index, codes + 1, codes)
        won = codes == WON
        if old_won:
            won |= np.isin(codes, old_won)
        return np.where(won, index, out).astype(codes.dtype)

    if actuals.events is not None:
        log = actuals.events
        return dataclasses.replace(actuals, events=dataclasses.replace(log, stage=move(log.stage)))
    if actuals.counts is not None:
        codes = move(np.asarray(actuals.counts.stage, dtype=np.int64))
        return dataclasses.replace(actuals, counts=dataclasses.replace(actuals.counts, stage=[int(c) for c in codes]))
    return actuals
