"""Hypothesis strategies for valid designs: every feature of the format, hostile text included.

`designs()` draws plain data, validates it with `parse_design` and returns the `Design`, so every
example is a design the app could make. Use it for round-trip tests of every format.
"""

from __future__ import annotations

from hypothesis import strategies as st

from journeymap.model import Design, parse_design

SLUG = r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?"

# Text a planner might type: Japanese, Latin, digits, punctuation that matters to DOT, XML, HTML,
# CSV, Mermaid and spreadsheets, plus the odd emoji and full-width form.
_HOSTILE = "\"'<>&{}[]|#;:=+-@\\/%$`~!?*_,.()"
_ALPHABET = st.one_of(
    st.sampled_from("営業プロセス顧客接点創出段階商談提案受注アポイント獲得認知購入検討リピートー・、。（）「」"),
    st.sampled_from("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 "),
    st.sampled_from(_HOSTILE),
    st.sampled_from("ｱｲｳＡＢＣ１２３😀\t\n"),
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn")),
)

plain_text = st.text(_ALPHABET, min_size=1, max_size=24).filter(lambda s: s.strip() != "")
names = st.text(_ALPHABET.filter(lambda c: c not in "\t\n"), min_size=1, max_size=20).filter(
    lambda s: s.strip() != ""
)


def localized(text=plain_text):
    both = st.fixed_dictionaries({"ja": text, "en": text})
    one = st.one_of(st.fixed_dictionaries({"ja": text}), st.fixed_dictionaries({"en": text}))
    return st.one_of(text, both, one)


rates = st.one_of(st.just(0), st.just(1), st.floats(0, 1, allow_nan=False, allow_infinity=False))
money = st.one_of(st.integers(0, 10_000_000), st.floats(0, 1e7, allow_nan=False, allow_infinity=False))
counts = st.integers(0, 100_000)


def _maybe(strategy, p_none: bool = True):
    return st.one_of(st.none(), strategy) if p_none else strategy


def _prune(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not None and v != []}


@st.composite
def design_data(draw, max_phases: int = 3, max_stages: int = 4) -> dict:
    ids = draw(st.lists(st.from_regex(SLUG, fullmatch=True), min_size=40, max_size=40, unique=True))
    pool = iter(ids)

    owners = [
        _prune(
            {
                "id": next(pool),
                "name": draw(localized(names)),
                "kind": draw(st.sampled_from(["internal", "agency", "partner"])),
                "scope": draw(_maybe(localized())),
                "fixed_cost": draw(_maybe(money)),
                "engagement": draw(_maybe(st.sampled_from(["outsourced", "dispatched", "in_house"]))),
                "pricing": draw(st.lists(price(), max_size=2)),
            }
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    owner_ids = [o["id"] for o in owners]
    record_ids = iter(draw(st.lists(st.from_regex(SLUG, fullmatch=True), min_size=30, max_size=30, unique=True)))

    phases = []
    stage_ids: list[str] = []
    funnel_ids: list[str] = []
    for _ in range(draw(st.integers(1, max_phases))):
        stages = []
        for _ in range(draw(st.integers(1, max_stages))):
            stage_id = next(pool)
            funnel = draw(st.booleans())
            stage = {
                "id": stage_id,
                "name": draw(localized(names)),
                "description": draw(_maybe(localized())),
                "owner": draw(_maybe(st.sampled_from(owner_ids))) if owner_ids else None,
                "funnel": funnel or None,
                "target_rate": draw(_maybe(rates)) if funnel and funnel_ids else None,
                "target_days": draw(_maybe(st.integers(0, 120))),
                "unit_cost": draw(_maybe(money)),
                "kpis": [
                    _prune(
                        {
                            "id": next(pool),
                            "name": draw(localized(names)),
                            "unit": unit,
                            "target": draw(_maybe(rates if unit == "rate" else counts)),
                            "direction": draw(st.sampled_from(["up", "down"])),
                        }
                    )
                    for unit in draw(st.lists(st.sampled_from(["count", "rate", "currency", "days", "score"]), max_size=2))
                ],
                "activities": draw(st.lists(localized(), max_size=2)),
                "records": [
                    draw(st.one_of(localized(), typed_record(next(record_ids)))) for _ in range(draw(st.integers(0, 2)))
                ],
                "exit_criteria": draw(st.lists(localized(), max_size=2)),
                "aliases": draw(st.lists(names, max_size=2)),
                "probability": draw(_maybe(rates)),
                "forecast_category": draw(_maybe(st.sampled_from(["pipeline", "best_case", "commit", "closed", "omitted"]))),
            }
            stages.append(_prune(stage))
            stage_ids.append(stage_id)
            if funnel:
                funnel_ids.append(stage_id)
        phases.append(
            _prune(
                {
                    "id": next(pool),
                    "name": draw(localized(names)),
                    "description": draw(_maybe(localized())),
                    "entry_criteria": draw(st.lists(localized(), max_size=1)),
                    "exit_criteria": draw(st.lists(localized(), max_size=2)),
                    "stages": stages,
                }
            )
        )

    kgis = []
    if funnel_ids:
        for _ in range(draw(st.integers(0, 2))):
            unit = draw(st.sampled_from(["count", "currency"]))
            kgis.append(
                _prune(
                    {
                        "id": next(pool),
                        "name": draw(localized(names)),
                        "unit": unit,
                        "target": draw(counts),
                        "stage": draw(st.sampled_from(funnel_ids)),
                        "value_per_item": draw(_maybe(st.integers(1, 5_000_000))) if unit == "currency" else None,
                    }
                )
            )

    known_records = [r["id"] for p in phases for s in p["stages"] for r in s.get("records", []) if isinstance(r, dict) and "id" in r]
    transitions = [
        _prune(
            {
                "from": draw(st.sampled_from(stage_ids)),
                "to": draw(st.sampled_from(stage_ids)),
                "label": draw(_maybe(localized(names))),
                "criteria": draw(st.lists(localized(), max_size=2)),
                "required_records": draw(st.lists(st.sampled_from(known_records), max_size=2, unique=True)) if known_records else None,
            }
        )
        for _ in range(draw(st.integers(0, 2)))
    ]

    journey = None
    if draw(st.booleans()):
        journey = _prune(
            {
                "persona": draw(_maybe(localized())),
                "phases": [
                    _prune(
                        {
                            "id": next(pool),
                            "name": draw(localized(names)),
                            "customer_actions": draw(st.lists(localized(), max_size=2)),
                            "touchpoints": draw(st.lists(localized(), max_size=2)),
                            "thoughts": draw(st.lists(localized(), max_size=1)),
                            "emotion": draw(_maybe(st.integers(-2, 2))),
                            "pain_points": draw(st.lists(localized(), max_size=1)),
                            "opportunities": draw(st.lists(localized(), max_size=1)),
                            "stages": draw(st.lists(st.sampled_from(stage_ids), max_size=2, unique=True)),
                        }
                    )
                    for _ in range(draw(st.integers(0, 3)))
                ],
            }
        )

    drop_reasons = [
        _prune(
            {
                "id": next(pool),
                "name": draw(localized(names)),
                "category": draw(_maybe(st.sampled_from(["customer", "competitor", "internal", "external"]))),
                "stages": draw(st.lists(st.sampled_from(stage_ids), max_size=2, unique=True)),
                "response": draw(_maybe(localized())),
                "prevention": draw(st.lists(localized(), max_size=2)),
                "recovery_stage": draw(_maybe(st.sampled_from(stage_ids))),
                "aliases": draw(st.lists(names, max_size=2)),
                "crm_values": draw(st.lists(names, max_size=2)),
            }
        )
        for _ in range(draw(st.integers(0, 2)))
    ]

    return _prune(
        {
            "schema_version": 1,
            "id": next(pool),
            "name": draw(localized(names)),
            "description": draw(_maybe(localized())),
            "segment": draw(st.sampled_from(["b2b", "b2c", "smb", "enterprise", "other"])),
            "currency": draw(st.sampled_from(["JPY", "USD", "EUR"])),
            "period": draw(st.sampled_from(["week", "month", "quarter", "year"])),
            "counts": draw(_maybe(st.sampled_from(["deals", "accounts"]))),
            "acquisition_kgi": draw(_maybe(st.sampled_from([k["id"] for k in kgis]))) if kgis else None,
            "owners": owners,
            "phases": phases,
            "kgis": kgis,
            "transitions": transitions,
            "journey": journey,
            "drop_reasons": drop_reasons,
            "temperature": draw(
                _maybe(
                    st.lists(
                        st.builds(
                            lambda i, n, c, a: _prune({"id": i, "name": n, "criteria": c, "aliases": a}),
                            st.sampled_from(["hot", "warm", "cold", "a", "b"]),
                            localized(names),
                            st.lists(localized(), max_size=2),
                            st.lists(names, max_size=1),
                        ),
                        min_size=1,
                        max_size=3,
                        unique_by=lambda t: t["id"],
                    )
                )
            ),
            "account_plan": [draw(typed_record(next(record_ids))) for _ in range(draw(st.integers(0, 2)))],
            "linked_designs": [
                _prune(
                    {
                        "design": "other-design",
                        "stage": draw(_maybe(st.from_regex(SLUG, fullmatch=True))),
                        "at_stage": draw(_maybe(st.sampled_from(stage_ids))),
                        "label": draw(_maybe(localized(names))),
                    }
                )
                for _ in range(draw(st.integers(0, 1)))
            ],
        }
    )


def _option_label(option) -> str:
    return option if isinstance(option, str) else (option.get("ja") or option.get("en"))


@st.composite
def typed_record(draw, record_id: str) -> dict:
    kind = draw(st.sampled_from(["text", "number", "currency", "date", "select", "multiselect", "bool"]))
    options = None
    if kind in ("select", "multiselect"):
        options = draw(st.lists(localized(names), min_size=1, max_size=3, unique_by=_option_label))
    return _prune(
        {
            "id": record_id,
            "name": draw(localized(names)),
            "type": kind,
            "options": options,
            "required": draw(st.booleans()) or None,
            "key": draw(st.booleans()) or None,
            "help": draw(_maybe(localized())),
        }
    )


@st.composite
def price(draw) -> dict:
    model = draw(st.sampled_from(["per_call", "per_appointment", "per_meeting", "per_win", "retainer", "setup"]))
    periodic = model in ("retainer", "setup")
    return _prune(
        {
            "model": model,
            "amount": draw(money),
            "period": draw(_maybe(st.sampled_from(["week", "month", "quarter", "year"]))) if periodic else None,
        }
    )


def designs(max_phases: int = 3, max_stages: int = 4) -> st.SearchStrategy[Design]:
    """Valid designs covering every field of schema_version 1."""
    return design_data(max_phases, max_stages).map(parse_design)
