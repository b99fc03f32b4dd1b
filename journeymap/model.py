"""The design model: schema_version 1 of the journeymap design format.

Pure data and its rules. No file I/O and no UI here: `journeymap.io` turns files into the plain
data this module validates, and everything downstream (planning, compare, render, export, the app)
reads the `Design` it returns.

Two layers of checking:
- field-level rules (types, slugs, rates in [0, 1], non-negative costs) live on the fields;
- design-level rules (unique ids per kind, every reference resolves, funnel order) live in
  `find_problems`, which returns every problem with the path of the offending value so that the
  I/O layer can point at the line or cell it came from.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PlainSerializer,
    PlainValidator,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_serializer,
    model_validator,
)

from journeymap.text.problems import Phrase, Refusal, Verbatim, phrase
from journeymap.text.problems import said as said_in

SCHEMA_VERSION = 1
LANGUAGES = ("ja", "en")

MAX_TEXT_CHARS = 5_000
"""Longest text in a design (a description, an activity, a note), in characters."""
MAX_NAME_CHARS = 200
"""Longest name (of a design, phase, stage, owner, KPI, KGI ...): it has to fit a diagram's box."""
MAX_ID_CHARS = 64
MAX_KEY_FIELDS = 5
"""Most key fields (`key: true` records) a stage may have: Salesforce Path shows up to five per step."""
MAX_AMOUNT = 10**15
"""Largest count, amount or target (a thousand trillion): beyond it, sums and ratios lose meaning."""
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)

Path = tuple[str | int, ...]


# --------------------------------------------------------------------------- scalar types


class Localized(BaseModel):
    """A text given per language: `{ja: ..., en: ...}`; at least one language is present."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ja: str | None = None
    en: str | None = None

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to the other language."""
        first = self.ja if lang == "ja" else self.en
        return first if first else (self.en if lang == "ja" else self.ja) or ""


def _scalar_text(value: Any, what: Phrase) -> str:
    # YAML turns `name: 2024` into an int; a number is a perfectly good label, so keep its text.
    if isinstance(value, bool) or value is None:
        raise Refusal("problem.expected", what=what, got=_described(value))
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        raise Refusal("problem.expected", what=what, got=_described(value))
    if not value.strip():
        raise Refusal("problem.text_empty", what=what)
    if len(value) > MAX_TEXT_CHARS:
        raise Refusal("problem.text_too_long", n=len(value), limit=MAX_TEXT_CHARS)
    return value


def _validate_text(value: Any) -> str | Localized:
    if isinstance(value, Localized):
        return value
    if isinstance(value, dict):
        unknown = sorted(str(k) for k in value if k not in LANGUAGES)
        if unknown:
            raise Refusal("problem.localized_keys", keys=", ".join(map(repr, unknown)))
        parts = {k: _scalar_text(v, phrase("problem.what.text_for", code=k)) for k, v in value.items() if v is not None}
        if not parts:
            raise Refusal("problem.localized_empty")
        return Localized(**parts)
    return _scalar_text(value, phrase("problem.what.text"))


def _serialize_text(value: str | Localized) -> Any:
    if isinstance(value, Localized):
        return value.model_dump(exclude_none=True)
    return value


_TEXT_SCHEMA = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "properties": {"ja": {"type": "string"}, "en": {"type": "string"}},
            "additionalProperties": False,
            "minProperties": 1,
        },
    ],
    "description": "A plain string, or a mapping of language code (ja, en) to text.",
}

Text = Annotated[
    str | Localized,
    PlainValidator(_validate_text),
    PlainSerializer(_serialize_text),
    WithJsonSchema(_TEXT_SCHEMA),
]
"""User-visible text: a plain string or `{ja, en}`."""


def _validate_slug(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise Refusal("problem.expected", what=phrase("problem.what.id"), got=_described(value))
    if len(value) > MAX_ID_CHARS:
        raise Refusal("problem.id_too_long", limit=MAX_ID_CHARS, n=len(value))
    if not _SLUG.match(value):
        hint = slugify(value)
        if hint and hint != value:
            raise Refusal("problem.not_slug_hint", id=value, hint=hint)
        raise Refusal("problem.not_slug", id=value)
    return value


Slug = Annotated[
    str,
    PlainValidator(_validate_slug),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN}),
]
"""An id: lowercase ASCII letters, digits and '-' (`b2b-outbound`)."""


def _number_validator(minimum: float | None = None, maximum: float | None = None, what: str = "number"):
    def validate(value: Any) -> int | float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Refusal("problem.expected", what=phrase(f"problem.what.{what}"), got=_described(value))
        if isinstance(value, float) and not math.isfinite(value):
            raise Refusal("problem.expected", what=phrase(f"problem.what.{what}"), got=str(value))
        if abs(value) > MAX_AMOUNT:
            raise Refusal("problem.too_large", got=_described(value), limit=MAX_AMOUNT)
        too_low = minimum is not None and value < minimum
        too_high = maximum is not None and value > maximum
        if too_low or too_high:
            if minimum is not None and maximum is not None:
                raise Refusal("problem.between", low=f"{minimum:g}", high=f"{maximum:g}", value=f"{value:g}")
            if minimum is not None:
                raise Refusal("problem.at_least", low=f"{minimum:g}", value=f"{value:g}")
            raise Refusal("problem.at_most", high=f"{maximum:g}", value=f"{value:g}")
        return value

    return validate


def _number_schema(minimum: float | None = None, maximum: float | None = None) -> WithJsonSchema:
    schema: dict[str, Any] = {"type": "number"}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    return WithJsonSchema(schema)


Number = Annotated[int | float, PlainValidator(_number_validator(None, None, "number")), _number_schema()]
NonNegative = Annotated[int | float, PlainValidator(_number_validator(0, None, "number")), _number_schema(0)]
Rate = Annotated[
    int | float,
    PlainValidator(_number_validator(0, 1, "rate")),
    _number_schema(0, 1),
]
Emotion = Annotated[
    int | float,
    PlainValidator(_number_validator(-2, 2, "emotion")),
    _number_schema(-2, 2),
]

Unit = Literal["count", "rate", "currency", "days", "score"]
Segment = Literal["b2b", "b2c", "smb", "enterprise", "other"]
Period = Literal["week", "month", "quarter", "year"]
OwnerKind = Literal["internal", "agency", "partner"]
Direction = Literal["up", "down"]
RecordType = Literal["text", "number", "currency", "date", "select", "multiselect", "bool"]
RECORD_TYPES: tuple[str, ...] = ("text", "number", "currency", "date", "select", "multiselect", "bool")
ForecastCategory = Literal["pipeline", "best_case", "commit", "closed", "omitted"]
FORECAST_CATEGORIES: tuple[str, ...] = ("pipeline", "best_case", "commit", "closed", "omitted")
Engagement = Literal["outsourced", "dispatched", "in_house"]
ENGAGEMENTS: tuple[str, ...] = ("outsourced", "dispatched", "in_house")
PricingModel = Literal["per_call", "per_appointment", "per_meeting", "per_win", "retainer", "setup"]
PRICING_MODELS: tuple[str, ...] = ("per_call", "per_appointment", "per_meeting", "per_win", "retainer", "setup")
PER_ITEM_MODELS: tuple[str, ...] = ("per_call", "per_appointment", "per_meeting", "per_win")
PERIOD_MODELS: tuple[str, ...] = ("retainer", "setup")
Outcome = Literal["won", "lost"]
Counts = Literal["deals", "accounts"]


def _describe(value: Any) -> str:
    return _described(value).say("en")


def _described(value: Any) -> Phrase:
    """What a value is, in words of a message ("a list", "the number 3", "'abc'")."""
    if value is None:
        return phrase("problem.got.nothing")
    if isinstance(value, bool):
        return phrase("problem.got.boolean", value=str(value).lower())
    if isinstance(value, dict):
        return phrase("problem.got.mapping")
    if isinstance(value, list):
        return phrase("problem.got.list")
    if isinstance(value, int) and abs(value) > MAX_AMOUNT:
        return phrase("problem.got.digits", n=len(str(abs(value)))) if abs(value) < 10**4000 else phrase("problem.got.huge")
    if isinstance(value, (int, float)):
        return phrase("problem.got.number", value=f"{value:g}" if isinstance(value, float) else f"{value}")
    shown = str(value)
    return phrase("problem.got.text", value=f"{shown[:40]}…" if len(shown) > 40 else shown)


def slugify(text: str) -> str:
    """A slug from free text (ASCII part only); '' when nothing usable remains."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return slug


def text_of(value: str | Localized | None, lang: str = "ja") -> str:
    """Show a text in `lang`, falling back to the other language; '' for None."""
    if value is None:
        return ""
    if isinstance(value, Localized):
        return value.get(lang)
    return value


# --------------------------------------------------------------------------- the design


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_assignment=False)

    @field_validator("name", check_fields=False)
    @classmethod
    def _short_name(cls, value: Any) -> Any:
        """Every name (of a design, phase, stage, owner, KPI, KGI, ...) fits a diagram box."""
        texts = [value] if isinstance(value, str) else [value.ja, value.en] if isinstance(value, Localized) else []
        for text in texts:
            if text is not None and len(text) > MAX_NAME_CHARS:
                raise Refusal("problem.name_too_long", limit=MAX_NAME_CHARS, n=len(text))
        return value


class Price(_Model):
    """One line of an owner's pricing (seed 004: ¥400 per call, ¥10,000 per appointment won).

    Per-item models (`per_call`, `per_appointment`, `per_meeting`, `per_win`) are paid for every
    item at a funnel stage: `stage` names it, or the planner picks it (see `planning`). `retainer`
    and `setup` are paid per `period` (the span the amount covers; default: the design's period).
    """

    model: PricingModel
    amount: NonNegative
    period: Period | None = Field(default=None, description="For retainer and setup: the span the amount covers.")
    stage: Slug | None = Field(default=None, description="For per-item models: the funnel stage whose items are paid for.")
    note: Text | None = None


class Owner(_Model):
    """Who does the work at a stage: an in-house team, an agency, a partner."""

    id: Slug
    name: Text
    kind: OwnerKind = "internal"
    engagement: Engagement | None = Field(
        default=None,
        description="outsourced (代行: the agency directs its staff), dispatched (派遣: we direct them) or in_house.",
    )
    description: Text | None = None
    scope: Text | None = Field(default=None, description="What this owner is contracted or responsible for.")
    fixed_cost: NonNegative = Field(default=0, description="Fixed cost per period (set-up fee, retainer).")
    pricing: list[Price] = Field(default_factory=list, description="How this owner is paid.")


class KPI(_Model):
    """A per-stage measure with a target (重要業績評価指標)."""

    id: Slug
    name: Text
    unit: Unit = "count"
    target: Number | None = None
    direction: Direction = "up"
    description: Text | None = None


class Record(_Model):
    """A piece of information to record (記録すべき情報): a typed field a salesperson fills in.

    A plain text (`顧客の課題やニーズ`) is a text record and is written back as plain text.
    """

    id: Slug | None = Field(default=None, description="The field's id; records with the same id are one CRM field.")
    name: Text
    type: RecordType = "text"
    options: list[Text] = Field(default_factory=list, description="The choices of a select or multiselect record.")
    required: bool = False
    key: bool = Field(default=False, description="A key field, shown first (Salesforce Path shows up to five).")
    help: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return {"name": value}
        if isinstance(value, Localized) or (isinstance(value, dict) and value and set(value) <= set(LANGUAGES)):
            return {"name": value}
        return value

    @model_serializer(mode="wrap")
    def _to_text(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if self.is_plain and isinstance(data, dict) and "name" in data:
            return data["name"]
        return data

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        schema = handler.resolve_ref_schema(handler(core_schema))
        return {"anyOf": [_TEXT_SCHEMA, schema], "description": "A plain text (a text record) or a typed record."}

    @property
    def is_plain(self) -> bool:
        """Nothing but a name: written as plain text."""
        return (
            self.id is None and self.type == "text" and not self.options and not self.required
            and not self.key and self.help is None
        )


class Stage(_Model):
    """A step of the process; funnel stages are the countable ones."""

    id: Slug
    name: Text
    description: Text | None = None
    owner: Slug | None = None
    funnel: bool = False
    target_rate: Rate | None = Field(default=None, description="Planned conversion from the previous funnel stage.")
    target_days: NonNegative | None = Field(default=None, description="Planned maximum days in this stage.")
    unit_cost: NonNegative | None = Field(default=None, description="Cost per item at this stage, in the design's currency.")
    kpis: list[KPI] = Field(default_factory=list)
    activities: list[Text] = Field(default_factory=list)
    records: list[Record] = Field(default_factory=list, description="Information to record at this stage.")
    exit_criteria: list[Text] = Field(default_factory=list, description="The rule for moving on (移行基準).")
    aliases: list[str] = Field(default_factory=list, description="Names used for this stage in CRM exports.")
    probability: Rate | None = Field(
        default=None,
        description="How likely a deal at this stage is won (editable); default: the product of the planned "
        "rates from this stage to the KGI stage, times the probability of the first later stage that sets one.",
    )
    forecast_category: ForecastCategory | None = Field(
        default=None, description="Forecast category of deals at this stage; 'closed' marks a won stage."
    )
    outcome: Outcome | None = Field(
        default=None,
        description="An outcome stage ends the deal: 'won' (受注) or 'lost' (失注). Reaching it closes the deal.",
    )
    notes: Text | None = Field(default=None, description="Presenter notes, shown in the presenter view and as a deck's speaker notes.")


WON_WORDS = ("受注", "受注済", "受注済み", "受注確定", "成約", "成約済", "成約済み", "won", "closed won", "closedwon",
             "closed - won", "closed-won", "closed_won", "win")
"""Stage names that mean the deal is won: seed 000's 受注 / 成約, Salesforce's Closed Won, HubSpot's
closedwon, Pipedrive's won (compared without case, width, spaces, '-' and '_')."""
LOST_WORDS = ("失注", "失注済", "失注済み", "失注確定", "不成立", "見送り", "lost", "closed lost", "closedlost",
              "closed - lost", "closed-lost", "closed_lost", "dead", "loss")
"""Stage names that mean the deal is lost: 失注, Salesforce's Closed Lost, HubSpot's closedlost."""
OPEN_CATEGORIES = ("pipeline", "best_case", "commit")


def word_key(value: str) -> str:
    """How outcome words are compared: NFKC (full and half width alike), case folded, without spaces, '-', '_'."""
    import unicodedata

    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", value).casefold())


_WON_KEYS = frozenset(word_key(w) for w in WON_WORDS)
_LOST_KEYS = frozenset(word_key(w) for w in LOST_WORDS)


def outcome_word(value: str) -> Outcome | None:
    """'won' for 受注, Closed Won, won …; 'lost' for 失注, Closed Lost …; None for any other text."""
    key = word_key(value)
    return "won" if key in _WON_KEYS else "lost" if key in _LOST_KEYS else None


def stage_outcome(stage: Stage) -> Outcome | None:
    """'won' or 'lost' when reaching the stage ends the deal, None for an open stage. The one rule of
    the CRM exports, the BPMN end events and compare:

    1. its `outcome`;
    2. its forecast category: `closed` counts won deals; `pipeline`, `best_case` and `commit` are open;
    3. its words: a stage whose id, name or an alias means won (受注, 成約, Closed Won, won …) is a won
       stage; a stage outside the funnel whose words mean lost (失注, Closed Lost …) is a lost stage.
    """
    if stage.outcome is not None:
        return stage.outcome
    if stage.forecast_category == "closed":
        return "won"
    if stage.forecast_category in OPEN_CATEGORIES:
        return None
    found = {outcome_word(t) for t in _words_of(stage)}
    if "won" in found:
        return "won"
    if "lost" in found and not stage.funnel:
        return "lost"
    return None


def _words_of(stage: Stage) -> list[str]:
    name = stage.name
    names = [t for t in (name.ja, name.en) if t] if isinstance(name, Localized) else [name]
    return [stage.id, *names, *stage.aliases]


def kgi_stage_id(design: Design) -> str | None:
    """The stage the design's goal is counted at: the first KGI's funnel stage, else the last funnel stage."""
    funnel_ids = [s.id for s in design.funnel_stages]
    for kgi in design.kgis:
        if kgi.stage in funnel_ids:
            return kgi.stage
    return funnel_ids[-1] if funnel_ids else None


@dataclass(frozen=True)
class DealPipeline:
    """Where a deal is open, won or lost: the rule the CRM exports, BPMN and compare share."""

    open: tuple[Stage, ...]
    """Funnel stages before the first won funnel stage or, without one, up to and including the KGI
    stage (a KGI stage that is not won, like クロージング, stays open); never outcome stages."""
    won: tuple[Stage, ...]
    """The design's won stages (empty: the pipeline adds 受注 / Closed Won after the open stages)."""
    lost: tuple[Stage, ...]
    """The design's lost stages (empty: the pipeline adds 失注 / Closed Lost)."""
    kgi_stage: Stage

    @property
    def adds_won(self) -> bool:
        """No won funnel stage: a won stage is added after the last open stage (compare counts it too)."""
        return not any(s.funnel for s in self.won)


def deal_pipeline(design: Design) -> DealPipeline | None:
    """The pipeline of `design` (None when it has no funnel stages)."""
    funnel = design.funnel_stages
    goal = kgi_stage_id(design)
    if not funnel or goal is None:
        return None
    won_at = next((i for i, s in enumerate(funnel) if stage_outcome(s) == "won"), None)
    end = won_at if won_at is not None else next(i for i, s in enumerate(funnel) if s.id == goal) + 1
    return DealPipeline(
        open=tuple(s for s in funnel[:end] if stage_outcome(s) is None),
        won=tuple(s for s in design.stages if stage_outcome(s) == "won"),
        lost=tuple(s for s in design.stages if stage_outcome(s) == "lost"),
        kgi_stage=design.stage(goal),
    )


class Phase(_Model):
    """An ordered group of stages (段階/フェーズ)."""

    id: Slug
    name: Text
    description: Text | None = None
    entry_criteria: list[Text] = Field(default_factory=list, description="What must hold for a deal to enter the phase.")
    exit_criteria: list[Text] = Field(default_factory=list, description="The rule for moving to the next phase (移行基準).")
    stages: list[Stage] = Field(min_length=1)


class KGI(_Model):
    """An end goal of the design (重要目標達成指標), counted at a funnel stage."""

    id: Slug
    name: Text
    unit: Unit = "count"
    target: NonNegative
    stage: Slug
    value_per_item: NonNegative | None = Field(
        default=None, description="For a currency KGI: the value of one item at its stage (average deal size)."
    )
    description: Text | None = None


class Transition(_Model):
    """An extra, non-linear edge: a loop back or a recovery path."""

    from_: Slug = Field(alias="from")
    to: Slug
    label: Text | None = None
    criteria: list[Text] = Field(default_factory=list, description="What must hold to take this path.")
    required_records: list[Slug] = Field(default_factory=list, description="Record ids that must be filled first.")


class JourneyPhase(_Model):
    """A phase of the customer journey with its swimlanes."""

    id: Slug
    name: Text
    description: Text | None = None
    customer_actions: list[Text] = Field(default_factory=list)
    touchpoints: list[Text] = Field(default_factory=list)
    thoughts: list[Text] = Field(default_factory=list)
    emotion: Emotion | None = Field(default=None, description="-2 (very negative) … 0 (neutral) … 2 (very positive).")
    pain_points: list[Text] = Field(default_factory=list)
    opportunities: list[Text] = Field(default_factory=list)
    stages: list[Slug] = Field(default_factory=list, description="Process stages that serve this phase.")


class Journey(_Model):
    """The customer journey that runs in parallel to the process."""

    persona: Text | None = None
    phases: list[JourneyPhase] = Field(default_factory=list)


class DropReason(_Model):
    """Why deals stall or die (営業中途) at some stages, and what to do about it."""

    id: Slug
    name: Text
    category: Literal["customer", "competitor", "internal", "external"] | None = None
    stages: list[Slug] = Field(default_factory=list)
    response: Text | None = None
    prevention: Annotated[
        list[Text], WithJsonSchema({"anyOf": [_TEXT_SCHEMA, {"type": "array", "items": _TEXT_SCHEMA}]})
    ] = Field(default_factory=list, description="A checklist that keeps this from happening (one text reads as one item).")
    recovery_stage: Slug | None = Field(default=None, description="Where a recovered deal re-enters the process.")
    aliases: list[str] = Field(default_factory=list, description="Lost-reason values used in CRM exports.")
    crm_values: list[str] = Field(
        default_factory=list, description="The lost-reason values this reason has in the CRM (exports write the first)."
    )

    @field_validator("prevention", mode="before")
    @classmethod
    def _one_text_is_a_checklist(cls, value: Any) -> Any:
        if isinstance(value, (str, dict, Localized)):
            return [value]
        return value


class TemperatureLevel(_Model):
    """One step of the lead temperature scale (温度感: hot / warm / cold)."""

    id: Slug
    name: Text
    description: Text | None = None
    criteria: list[Text] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list, description="Values used for this level in CRM exports.")


class DesignLink(_Model):
    """A reference to another design: a deal design names its relationship design and the stage
    the account must have reached there (seed 002: deals ride on the account relationship)."""

    design: Slug
    stage: Slug | None = Field(default=None, description="The stage of the other design the account must have reached.")
    at_stage: Slug | None = Field(default=None, description="The stage of this design from which that is required.")
    label: Text | None = None


class Design(_Model):
    """One sales process with its customer journey: the whole design file."""

    schema_version: Literal[1]
    id: Slug
    name: Text
    description: Text | None = None
    segment: Segment = "other"
    currency: str = Field(default="JPY", pattern=r"^[A-Z]{3}$")
    period: Period = "month"
    counts: Counts = Field(
        default="deals",
        description="What the funnel counts: deals (a CRM opportunity pipeline) or accounts (a relationship "
        "level per target account; CRM exports make it an account field, never an opportunity stage).",
    )
    owners: list[Owner] = Field(default_factory=list)
    phases: list[Phase] = Field(min_length=1)
    kgis: list[KGI] = Field(default_factory=list)
    acquisition_kgi: Slug | None = Field(
        default=None,
        description="The KGI CPA divides by (default: the first planned count KGI, else the first planned KGI).",
    )
    transitions: list[Transition] = Field(default_factory=list)
    journey: Journey | None = None
    drop_reasons: list[DropReason] = Field(default_factory=list)
    temperature: list[TemperatureLevel] | None = Field(
        default=None, description="The lead temperature scale; absent: hot / warm / cold (DEFAULT_TEMPERATURE)."
    )
    account_plan: list[Record] = Field(
        default_factory=list, description="What is kept per account (アカウントプラン), as typed records."
    )
    linked_designs: list[DesignLink] = Field(default_factory=list)

    @model_validator(mode="after")
    def _design_rules(self, info: ValidationInfo) -> Design:
        if info.context and info.context.get("defer_design_rules"):
            return self
        problems = find_problems(self)
        if problems:
            raise ValueError("; ".join(f"{format_path(p.path)}: {p.message}" for p in problems))
        return self

    # -- navigation -----------------------------------------------------------------------

    def iter_stages(self) -> Iterator[tuple[int, int, Phase, Stage]]:
        for pi, phase in enumerate(self.phases):
            for si, stage in enumerate(phase.stages):
                yield pi, si, phase, stage

    @property
    def stages(self) -> list[Stage]:
        """All stages in design order."""
        return [stage for phase in self.phases for stage in phase.stages]

    @property
    def funnel_stages(self) -> list[Stage]:
        """The countable stages in design order."""
        return [stage for stage in self.stages if stage.funnel]

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def phase_of(self, stage_id: str) -> Phase:
        for phase in self.phases:
            if any(s.id == stage_id for s in phase.stages):
                return phase
        raise KeyError(stage_id)

    def owner(self, owner_id: str) -> Owner:
        for owner in self.owners:
            if owner.id == owner_id:
                return owner
        raise KeyError(owner_id)

    @property
    def temperature_scale(self) -> list[TemperatureLevel]:
        """The design's temperature scale, or the default hot / warm / cold."""
        return list(self.temperature) if self.temperature is not None else list(DEFAULT_TEMPERATURE)

    def record_ids(self) -> dict[str, Record]:
        """Every record with an id (stages, then the account plan): id → its first definition."""
        found: dict[str, Record] = {}
        for stage in self.stages:
            for record in stage.records:
                if record.id is not None:
                    found.setdefault(record.id, record)
        for record in self.account_plan:
            if record.id is not None:
                found.setdefault(record.id, record)
        return found


DEFAULT_TEMPERATURE: tuple[TemperatureLevel, ...] = (
    TemperatureLevel(
        id="hot",
        name=Localized(ja="ホット", en="Hot"),
        description=Localized(ja="今すぐ注力する案件", en="Focus on it now"),
        criteria=[
            Localized(ja="導入意欲が高く、決裁者と決裁の流れが見えている", en="Keen to buy; the decision maker and approval route are known"),
            Localized(ja="予算と導入時期が確認できている", en="Budget and timing are confirmed"),
        ],
        aliases=["Hot", "ホット", "A"],
    ),
    TemperatureLevel(
        id="warm",
        name=Localized(ja="ウォーム", en="Warm"),
        description=Localized(ja="接点を保ち、決裁状況を確かめる案件", en="Keep in touch and find out where approval stands"),
        criteria=[
            Localized(ja="関心はあるが、決裁状況や導入時期が未確定", en="Interested, but approval status or timing is open"),
        ],
        aliases=["Warm", "ウォーム", "B"],
    ),
    TemperatureLevel(
        id="cold",
        name=Localized(ja="コールド", en="Cold"),
        description=Localized(ja="情報提供を続けて時期を待つ案件", en="Keep informing them and wait for the right time"),
        criteria=[
            Localized(ja="現時点で検討の意思が弱い、または反応がない", en="Little intention to evaluate now, or no response"),
        ],
        aliases=["Cold", "コールド", "C"],
    ),
)
"""Seed 001: deals sorted by the customer's temperature and approval status, to show where to focus."""


# --------------------------------------------------------------------------- design rules


@dataclass(frozen=True)
class Problem:
    """A broken design rule at `path` (keys and list indexes from the top of the file)."""

    path: Path
    message: str
    key: str | None = None
    """The catalogue key of the message (`problem.*`, see text/problems.py). Where the message names
    its field first (`owner must not be empty`), the key's text is the rest: the app names the
    field by the problem's place."""
    values: tuple = ()


def _problem(path: Path, key: str, /, **values: Any) -> Problem:
    """A broken rule written from the catalogue: the English message, with key and values for the app."""
    said = phrase(key, **values)
    return Problem(path, said.say("en"), key, said.values)


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


MAX_STAGES = 500
"""Stages in one design. A process a room can follow has tens; past this, drawing and checking it
would take more than seconds (bench/designfile_bench.py draws a design of this size): split it
into designs linked at a stage (`linked_designs`)."""

MAX_TRANSITIONS = 2_000
"""Extra transitions (loop-backs, skips) in one design, for the same reason."""


def _size_problems(design: Design) -> list[Problem]:
    stages = sum(len(p.stages) for p in design.phases)
    problems = []
    if stages > MAX_STAGES:
        problems.append(Problem(("phases",), f"the design has {stages:,} stages; a design may have at most "
                                             f"{MAX_STAGES:,}: split it into designs linked at a stage"))
    if len(design.transitions) > MAX_TRANSITIONS:
        problems.append(Problem(("transitions",), f"the design has {len(design.transitions):,} transitions; a design "
                                                  f"may have at most {MAX_TRANSITIONS:,}"))
    return problems


def find_problems(design: Design) -> list[Problem]:
    """Every design-level rule the design breaks, in file order."""
    too_big = _size_problems(design)
    if too_big:
        return too_big  # nothing else is checked (or drawn) in a design this size
    problems: list[Problem] = []
    problems += _duplicate_ids(design)

    owners = {o.id for o in design.owners}
    stage_ids = [s.id for s in design.stages]
    known_stages = set(stage_ids)
    funnel = design.funnel_stages
    funnel_ids = {s.id for s in funnel}

    for pi, si, _phase, stage in design.iter_stages():
        here: Path = ("phases", pi, "stages", si)
        if stage.owner is not None and stage.owner not in owners:
            problems.append(_unknown(here + ("owner",), "owner", stage.owner, owners))
        if stage.funnel and funnel and stage.id == funnel[0].id and stage.target_rate is not None:
            problems.append(
                _problem(here + ("target_rate",), "problem.first_funnel_rate", stage=stage.id)
            )
        if not stage.funnel and stage.target_rate is not None:
            problems.append(
                _problem(here + ("target_rate",), "problem.not_funnel_rate", stage=stage.id)
            )
        if stage.outcome == "lost" and stage.funnel:
            problems.append(
                _problem(here + ("funnel",), "problem.lost_in_funnel", stage=stage.id)
            )
        if stage.outcome == "lost" and stage.forecast_category == "closed":
            problems.append(
                _problem(here + ("forecast_category",), "problem.lost_closed", stage=stage.id)
            )
        if stage.outcome == "won" and stage.forecast_category not in (None, "closed"):
            problems.append(
                _problem(here + ("forecast_category",), "problem.won_category", stage=stage.id,
                         category=stage.forecast_category)
            )
        for ki, kpi in enumerate(stage.kpis):
            if kpi.unit == "rate" and kpi.target is not None and not 0 <= kpi.target <= 1:
                problems.append(
                    _problem(here + ("kpis", ki, "target"), "problem.rate_between", value=f"{kpi.target:g}")
                )

        problems += _record_problems(stage.records, here + ("records",))
        key_fields = [r for r in stage.records if r.key]
        if len(key_fields) > MAX_KEY_FIELDS:
            problems.append(_problem(here + ("records",), "problem.too_many_key_fields", stage=stage.id,
                                     n=str(len(key_fields)), max=str(MAX_KEY_FIELDS)))

    problems += _record_problems(design.account_plan, ("account_plan",))
    problems += _shared_record_problems(design)
    problems += _pricing_problems(design, known_stages, funnel_ids)

    for ki, kgi in enumerate(design.kgis):
        here = ("kgis", ki)
        if kgi.stage not in known_stages:
            problems.append(_unknown(here + ("stage",), "stage", kgi.stage, known_stages))
        elif kgi.stage not in funnel_ids:
            problems.append(
                _problem(here + ("stage",), "problem.kgi_not_funnel", kgi=kgi.id, stage=kgi.stage)
            )
        if kgi.unit == "rate" and not 0 <= kgi.target <= 1:
            problems.append(_problem(here + ("target",), "problem.rate_between", value=f"{kgi.target:g}"))
        if kgi.value_per_item is not None and kgi.unit != "currency":
            problems.append(
                _problem(here + ("value_per_item",), "problem.value_per_item_currency", unit=kgi.unit)
            )

    record_ids = set(design.record_ids())
    if design.acquisition_kgi is not None:
        kgi_ids = [k.id for k in design.kgis]
        if design.acquisition_kgi not in kgi_ids:
            problems.append(_unknown(("acquisition_kgi",), "KGI", design.acquisition_kgi, set(kgi_ids)))

    for ti, transition in enumerate(design.transitions):
        for end, key in ((transition.from_, "from"), (transition.to, "to")):
            if end not in known_stages:
                problems.append(_unknown(("transitions", ti, key), "stage", end, known_stages))
        for ri, record_id in enumerate(transition.required_records):
            if record_id not in record_ids:
                problems.append(
                    _unknown(("transitions", ti, "required_records", ri), "record", record_id, record_ids)
                )

    for li, design_link in enumerate(design.linked_designs):
        at_stage = design_link.at_stage
        if at_stage is not None and at_stage not in known_stages:
            problems.append(_unknown(("linked_designs", li, "at_stage"), "stage", at_stage, known_stages))
        if design_link.design == design.id:
            problems.append(_problem(("linked_designs", li, "design"), "problem.link_self"))

    if design.journey is not None:
        for ji, jphase in enumerate(design.journey.phases):
            for li, link in enumerate(jphase.stages):
                if link not in known_stages:
                    problems.append(
                        _unknown(("journey", "phases", ji, "stages", li), "stage", link, known_stages)
                    )

    for di, reason in enumerate(design.drop_reasons):
        for li, link in enumerate(reason.stages):
            if link not in known_stages:
                problems.append(_unknown(("drop_reasons", di, "stages", li), "stage", link, known_stages))
        if reason.recovery_stage is not None and reason.recovery_stage not in known_stages:
            problems.append(
                _unknown(("drop_reasons", di, "recovery_stage"), "stage", reason.recovery_stage, known_stages)
            )

    problems.sort(key=lambda p: _path_sort_key(design, p.path))
    return problems


def _record_problems(records: list[Record], here: Path) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for ri, record in enumerate(records):
        at = here + (ri,)
        if record.id is not None:
            if record.id in seen:
                problems.append(_problem(at + ("id",), "problem.duplicate_id", kind=phrase("problem.kind.record"), id=record.id))
            seen.add(record.id)
        if record.type in ("select", "multiselect"):
            if not record.options:
                problems.append(
                    _problem(at + ("options",), "problem.options_needed", type=record.type)
                )
        elif record.options:
            problems.append(
                _problem(at + ("options",), "problem.options_not_allowed", type=record.type)
            )
        labels = Counter(text_of(option, "ja") for option in record.options)
        for oi, option in enumerate(record.options):
            if labels[text_of(option, "ja")] > 1:
                problems.append(_problem(at + ("options", oi), "problem.duplicate_option", option=text_of(option, "ja")))
                labels[text_of(option, "ja")] = 1
        if (record.required or record.key) and record.id is None:
            problems.append(
                _problem(at, "problem.record_needs_id")
            )
    return problems


def _shared_record_problems(design: Design) -> list[Problem]:
    """Records with the same id are one CRM field: they must agree on type and options."""
    problems: list[Problem] = []
    first: dict[str, Record] = {}
    for pi, si, _phase, stage in design.iter_stages():
        for ri, record in enumerate(stage.records):
            if record.id is None:
                continue
            if record.id not in first:
                first[record.id] = record
                continue
            original = first[record.id]
            if record.type != original.type or record.options != original.options:
                problems.append(
                    _problem(("phases", pi, "stages", si, "records", ri), "problem.record_redefined", id=record.id)
                )
    return problems


def _pricing_problems(design: Design, known_stages: set[str], funnel_ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    for oi, owner in enumerate(design.owners):
        for pi, price in enumerate(owner.pricing):
            here: Path = ("owners", oi, "pricing", pi)
            if price.period is not None and price.model not in PERIOD_MODELS:
                problems.append(
                    _problem(here + ("period",), "problem.price_no_period", model=price.model)
                )
            if price.stage is not None:
                if price.model not in PER_ITEM_MODELS:
                    problems.append(
                        _problem(here + ("stage",), "problem.price_no_stage", model=price.model)
                    )
                elif price.stage not in known_stages:
                    problems.append(_unknown(here + ("stage",), "stage", price.stage, known_stages))
                elif price.stage not in funnel_ids:
                    problems.append(
                        _problem(here + ("stage",), "problem.price_not_funnel", stage=price.stage)
                    )
    return problems


def _path_sort_key(design: Design, path: Path) -> tuple:
    order = list(Design.model_fields)
    head = order.index(path[0]) if path and path[0] in order else len(order)
    return (head, tuple((0, p) if isinstance(p, int) else (1, str(p)) for p in path[1:]))


def _duplicate_ids(design: Design) -> list[Problem]:
    problems: list[Problem] = []

    def check(kind: str, items: list[tuple[Path, str]]) -> None:
        counts = Counter(item_id for _, item_id in items)
        seen: set[str] = set()
        for path, item_id in items:
            if counts[item_id] > 1:
                if item_id in seen:
                    problems.append(_problem(path + ("id",), "problem.duplicate_id", kind=phrase(f"problem.kind.{kind}"), id=item_id))
                seen.add(item_id)

    check("owner", [(("owners", i), o.id) for i, o in enumerate(design.owners)])
    check("phase", [(("phases", i), p.id) for i, p in enumerate(design.phases)])
    check("stage", [(("phases", pi, "stages", si), s.id) for pi, si, _, s in design.iter_stages()])
    check(
        "KPI",
        [
            (("phases", pi, "stages", si, "kpis", ki), k.id)
            for pi, si, _, s in design.iter_stages()
            for ki, k in enumerate(s.kpis)
        ],
    )
    check("KGI", [(("kgis", i), k.id) for i, k in enumerate(design.kgis)])
    if design.journey is not None:
        check("journey_phase", [(("journey", "phases", i), p.id) for i, p in enumerate(design.journey.phases)])
    check("drop_reason", [(("drop_reasons", i), d.id) for i, d in enumerate(design.drop_reasons)])
    if design.temperature is not None:
        check("temperature_level", [(("temperature", i), t.id) for i, t in enumerate(design.temperature)])
    return problems


def _unknown(path: Path, kind: str, value: str, known: set[str]) -> Problem:
    import difflib

    close = difflib.get_close_matches(value, sorted(known), n=1)
    if not known:
        return _problem(path, "problem.unknown_none", kind=phrase(f"problem.kind.{kind}"),
                        kinds=phrase(f"problem.kinds.{kind}"), value=value)
    if close:
        return _problem(path, "problem.unknown_hint", kind=phrase(f"problem.kind.{kind}"), value=value, hint=close[0])
    return _problem(path, "problem.unknown", kind=phrase(f"problem.kind.{kind}"), value=value)


# --------------------------------------------------------------------------- entry points


class DesignInvalid(ValueError):
    """The data is not a valid design; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{format_path(p.path)}: {p.message}" for p in problems))


def parse_design(data: Any) -> Design:
    """Validate plain data (as loaded from YAML/JSON) into a Design; raise DesignInvalid."""
    if not isinstance(data, dict):
        raise DesignInvalid([_problem((), "problem.top_level", got=_described(data))])
    try:
        design = Design.model_validate(data, context={"defer_design_rules": True})
    except ValidationError as exc:
        raise DesignInvalid(_problems_from_validation(exc, data)) from None
    problems = find_problems(design)
    if problems:
        raise DesignInvalid(problems)
    return design


def design_to_data(design: Design) -> dict[str, Any]:
    """The canonical plain data of a design: defaults left out, field order fixed."""
    data = design.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data = {"schema_version": SCHEMA_VERSION, **data}
    return data


def _problems_from_validation(exc: ValidationError, data: Any) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Path, str]] = set()
    for error in exc.errors(include_url=False):
        path = _data_path(error["loc"], data)
        problem = _message(error, path, data)
        if (path, problem.message) not in seen:
            seen.add((path, problem.message))
            problems.append(problem)
    return problems


def _data_path(loc: tuple, data: Any) -> Path:
    """Keep the parts of a pydantic location that walk the actual data (drop union branch names)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part not in node:
            # A missing or unknown key: point at the key name inside its parent.
            path.append(part)
            break
    return tuple(path)


_PYDANTIC_PROBLEMS = {
    "string_type": "problem.value.text", "string_unicode": "problem.value.text",
    "int_type": "problem.value.integer", "int_parsing": "problem.value.integer", "int_from_float": "problem.value.integer",
    "float_type": "problem.value.number", "float_parsing": "problem.value.number", "finite_number": "problem.value.number",
}
"""Pydantic's own checks (the few the model does not make itself) and the catalogue text saying what to write."""


def _message(error: Mapping[str, Any], path: Path, data: Any) -> Problem:
    kind = error["type"]
    field = path[-1] if path else ""
    got = _described(error.get("input"))
    if kind == "missing":
        return _problem(path, "problem.missing_field", field=field)
    if kind == "extra_forbidden":
        parent = _parent_fields(path)
        import difflib

        close = difflib.get_close_matches(str(field), parent, n=1)
        if close:
            return _problem(path, "problem.unknown_field_hint", field=field, hint=close[0])
        return _problem(path, "problem.unknown_field", field=field)
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        choices = "、".join(f"「{c}」" for c in re.findall(r"'([^']*)'", expected)) or expected
        return _problem(path, "problem.not_one_of", field=field, expected=Verbatim(expected, choices), got=got)
    if kind in ("list_type",):
        return _problem(path, "problem.not_a_list", field=field, got=got)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _problem(path, "problem.not_a_mapping", field=field, got=got)
    if kind == "too_short":
        return _problem(path, "problem.field_empty", field=field)
    if kind == "bool_type" or kind == "bool_parsing":
        return _problem(path, "problem.not_bool", field=field, got=got)
    if kind == "string_pattern_mismatch" and field == "currency":
        return _problem(path, "problem.currency", got=got)
    refusal = error.get("ctx", {}).get("error")
    if isinstance(refusal, Refusal):
        message = str(refusal)
        key, values = refusal.key, refusal.values
    else:  # a check of pydantic's own: its English, and in Japanese a general sentence
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        kind_key = _PYDANTIC_PROBLEMS.get(kind, "problem.value.other")
        key, values = "problem.invalid_value", (("detail", Verbatim(message, said_in(kind_key, "ja", {"got": got}))),)
    if field and not isinstance(field, int):
        message = f"{field} {message}" if message.startswith("must") else f"'{field}': {message}"
    return Problem(path, message, key, values)


def _parent_fields(path: Path) -> list[str]:
    """Field names allowed beside the last element of `path` (for 'did you mean' hints)."""
    model: type[BaseModel] | None = Design
    for part in path[:-1]:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(part)
        model = _inner_model(field.annotation) if field else None
    if model is None:
        return []
    names = []
    for name, field in model.model_fields.items():
        names.append(field.alias or name)
    return names


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
