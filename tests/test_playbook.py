"""Playbook fields (issue 12): typed records, criteria, probability, temperature, owner pricing,
account plan, links between designs, drop-reason checklists — and the plan's use of pricing."""

from __future__ import annotations

import pytest

from journeymap.errors import InputError
from journeymap.model import DesignInvalid, design_to_data, parse_design
from journeymap.planning import plan, stage_probabilities


def seed_004(**teleapo) -> dict:
    """Seed 004's example: 1,000 calls → 40 appointments (4%) → 20 meetings (50%) → 5 wins (25%)."""
    return {
        "schema_version": 1,
        "id": "seed-004",
        "name": "テレアポ代行",
        "owners": [
            {"id": "in-house", "name": "自社営業"},
            {"id": "teleapo", "name": "テレアポ代行", "kind": "agency", "engagement": "outsourced", **teleapo},
        ],
        "phases": [
            {
                "id": "contact",
                "name": "接点",
                "stages": [
                    {"id": "call", "name": "架電", "owner": "teleapo", "funnel": True},
                    {"id": "appointment", "name": "アポ", "owner": "teleapo", "funnel": True, "target_rate": 0.04},
                    {"id": "meeting", "name": "商談", "owner": "in-house", "funnel": True, "target_rate": 0.5},
                    {"id": "won", "name": "受注", "owner": "in-house", "funnel": True, "target_rate": 0.25},
                ],
            }
        ],
        "kgis": [{"id": "wins", "name": "受注件数", "target": 5, "stage": "won"}],
    }


SEED_004_PRICING = [
    {"model": "setup", "amount": 0},
    {"model": "per_call", "amount": 400},
    {"model": "per_appointment", "amount": 10000},
]


def test_seed_004_is_exact_as_owner_pricing_with_default_stages():
    outcome = plan(parse_design(seed_004(pricing=SEED_004_PRICING)))
    assert [s.required for s in outcome.stages] == [1000, 40, 20, 5]
    assert [s.cost for s in outcome.stages] == [400000, 400000, None, None]
    assert (outcome.total_cost, outcome.cpa) == (800000, 160000)
    assert [(o.id, o.variable_cost, o.fixed_cost, o.cost) for o in outcome.owners] == [("teleapo", 800000, 0, 800000)]


def test_retainer_and_setup_are_scaled_to_the_design_period():
    # ¥300,000 a quarter is ¥100,000 a month; a ¥120,000 set-up spread over a year is ¥10,000 a month
    pricing = [{"model": "retainer", "amount": 300000, "period": "quarter"}, {"model": "setup", "amount": 120000, "period": "year"}]
    outcome = plan(parse_design(seed_004(pricing=pricing)))
    assert outcome.fixed_cost == 110000 and outcome.total_cost == 110000
    assert outcome.cpa == 22000


def test_per_win_lands_on_the_kgi_stage_and_counts_for_its_owner():
    data = seed_004(pricing=SEED_004_PRICING)
    data["owners"][0]["pricing"] = [{"model": "per_win", "amount": 50000}]
    outcome = plan(parse_design(data))
    assert outcome.stage("won").cost == 250000
    assert {o.id: o.cost for o in outcome.owners} == {"in-house": 250000, "teleapo": 800000}
    assert outcome.cpa == 210000


def test_a_per_item_price_of_an_owner_without_funnel_stages_names_the_price():
    data = seed_004(pricing=SEED_004_PRICING)
    data["owners"].append({"id": "cs", "name": "CS", "pricing": [{"model": "per_meeting", "amount": 1}]})
    data["phases"][0]["stages"].append({"id": "follow", "name": "フォロー", "owner": "cs"})
    with pytest.raises(InputError) as caught:
        plan(parse_design(data))
    assert caught.value.issues[0].path == ("owners", 2, "pricing", 0, "stage")


def test_pricing_rules_are_checked():
    data = seed_004(pricing=[{"model": "per_call", "amount": 400, "period": "month"}, {"model": "retainer", "amount": 1, "stage": "call"}])
    with pytest.raises(DesignInvalid) as caught:
        parse_design(data)
    assert [(p.path, p.message) for p in caught.value.problems] == [
        (("owners", 1, "pricing", 0, "period"), "a per_call price is paid per item, so it has no period"),
        (("owners", 1, "pricing", 1, "stage"), "a retainer price is paid per period, so it has no stage"),
    ]


def test_a_plain_record_stays_plain_text_and_a_typed_one_keeps_its_fields():
    data = seed_004()
    records = ["顧客の課題", {"id": "first-reaction", "name": "初期反応", "type": "select", "options": ["前向き", "否定的"], "key": True}]
    data["phases"][0]["stages"][1]["records"] = records
    design = parse_design(data)
    assert design.stage("appointment").records[0].type == "text"
    assert design_to_data(design)["phases"][0]["stages"][1]["records"] == records


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"id": "x", "name": "X", "type": "select"}, "a select record needs its options (for example [あり, なし])"),
        ({"id": "x", "name": "X", "options": ["a"]}, "only select and multiselect records have options, not a text record"),
        ({"name": "X", "required": True}, "a required or key record needs an id (the field name in a CRM), for example id: budget"),
        ({"id": "x", "name": "X", "type": "select", "options": ["a", "a"]}, "duplicate option 'a'"),
    ],
)
def test_record_rules(record, message):
    data = seed_004()
    data["phases"][0]["stages"][0]["records"] = [record]
    with pytest.raises(DesignInvalid) as caught:
        parse_design(data)
    assert [p.message for p in caught.value.problems] == [message]


def test_records_sharing_an_id_must_be_the_same_field_and_transitions_name_known_records():
    data = seed_004()
    stages = data["phases"][0]["stages"]
    stages[0]["records"] = [{"id": "next", "name": "次", "type": "select", "options": ["予定あり", "未定"]}]
    stages[1]["records"] = [{"id": "next", "name": "次", "type": "date"}]
    data["transitions"] = [{"from": "meeting", "to": "call", "required_records": ["nxet"]}]
    with pytest.raises(DesignInvalid) as caught:
        parse_design(data)
    messages = [p.message for p in caught.value.problems]
    assert messages[0].startswith("record 'next' is defined again with another type or other options")
    assert messages[1] == "unknown record 'nxet' (did you mean 'next'?)"


def test_probability_defaults_to_the_product_of_planned_rates_and_can_be_set():
    data = seed_004()
    assert stage_probabilities(parse_design(data)) == pytest.approx({"call": 0.005, "appointment": 0.125, "meeting": 0.25, "won": 1.0})
    data["phases"][0]["stages"][2]["probability"] = 0.3
    assert stage_probabilities(parse_design(data))["meeting"] == 0.3


def test_default_temperature_is_hot_warm_cold_and_one_prevention_text_is_a_checklist():
    data = seed_004()
    data["drop_reasons"] = [{"id": "budget", "name": "予算", "prevention": "予算を先に確かめる", "crm_values": ["予算なし"]}]
    design = parse_design(data)
    assert [t.id for t in design.temperature_scale] == ["hot", "warm", "cold"]
    assert design.temperature is None and "temperature" not in design_to_data(design)
    assert design.drop_reasons[0].prevention == ["予算を先に確かめる"]


def test_a_design_cannot_link_to_itself_and_at_stage_must_exist():
    data = seed_004()
    data["linked_designs"] = [{"design": "seed-004", "at_stage": "nowhere"}]
    with pytest.raises(DesignInvalid) as caught:
        parse_design(data)
    assert [p.message for p in caught.value.problems] == ["unknown stage 'nowhere'", "a design cannot link to itself"]


def test_the_records_table_round_trips_and_collapses_plain_records():
    from journeymap.editing import tables

    data = seed_004()
    data["phases"][0]["stages"][1]["records"] = ["顧客の課題", {"id": "place", "name": "場所", "type": "select", "options": ["訪問", "オンライン"]}]
    design = parse_design(data)
    rows = tables.record_rows(design, "appointment", "ja")
    assert rows[0] | {} == {"_key": 0, "id": None, "name": "顧客の課題", "type": "text", "options": [], "required": False, "key": False, "help": None}
    rows[0]["required"], rows[0]["id"] = True, "issue"
    rows.append({"_key": None, "name": "予算", "type": "currency", "options": [], "required": False, "key": True, "id": "budget"})
    edited = tables.apply_records(design, "appointment", rows, "ja")
    assert design_to_data(edited)["phases"][0]["stages"][1]["records"] == [
        {"id": "issue", "name": "顧客の課題", "required": True},
        {"id": "place", "name": "場所", "type": "select", "options": ["訪問", "オンライン"]},
        {"id": "budget", "name": "予算", "type": "currency", "key": True},
    ]


def test_the_pricing_table_groups_prices_by_owner():
    from journeymap.editing import tables

    design = parse_design(seed_004(pricing=SEED_004_PRICING))
    rows = tables.pricing_rows(design, "ja")
    assert [(r["owner"], r["model"], r["amount"]) for r in rows] == [("teleapo", "setup", 0), ("teleapo", "per_call", 400), ("teleapo", "per_appointment", 10000)]
    rows.append({"_key": None, "owner": "in-house", "model": "per_win", "amount": 50000})
    edited = tables.apply_pricing(design, rows, "ja")
    assert edited.owner("in-house").pricing[0].model == "per_win" and len(edited.owner("teleapo").pricing) == 3


def test_the_stage_checklist_has_one_page_per_stage_with_boxes_for_the_seed_options():
    from journeymap.export import export
    from journeymap.library import load_template

    design = load_template("midsize-phase-stage")
    html = export(design, "checklist").decode("utf-8")
    assert html.count('<section class="page">') == len(design.stages) == 14
    assert "@page { size: A4" in html and "page-break-after: always" in html
    first = html.split('<section class="page">')[1]
    assert "顧客の初期反応 ★ *" in first
    assert all(f"☐ {option}" in first for option in ("前向き", "検討中", "やや慎重", "否定的"))
    approach_end = html.split('<section class="page">')[2]  # アポ獲得: the approach phase's last stage
    assert "次のフェーズへの移行基準" in approach_end and "ヒアリングの実施が始まっている" in approach_end


def test_the_stage_checklist_escapes_user_text():
    from journeymap.export import export

    data = seed_004()
    data["phases"][0]["stages"][0]["records"] = [{"id": "x", "name": "<script>alert(1)</script>", "type": "select", "options": ["a&b"]}]
    html = export(parse_design(data), "checklist", lang="en").decode("utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "☐ a&amp;b" in html


def test_renaming_a_record_id_moves_the_transitions_required_records_with_it():
    from journeymap import library
    from journeymap.editing import tables

    design = library.load_template("midsize-phase-stage")
    holder = next(s for s in design.stages if any(r.id == "hurdle" for r in s.records))
    rows = tables.record_rows(design, holder.id, "ja")
    row = next(r for r in rows if r["id"] == "hurdle")
    row["id"] = "purchase-hurdle"
    edited = tables.apply_records(design, holder.id, rows, "ja")
    required = [t.required_records for t in edited.transitions if t.required_records]
    assert required and all(r == ["purchase-hurdle"] for r in required)
    # the record removed: the transitions no longer require it (and the design stays valid)
    rows = [r for r in tables.record_rows(edited, holder.id, "ja") if r["id"] != "purchase-hurdle"]
    removed = tables.apply_records(edited, holder.id, rows, "ja")
    assert not any(t.required_records for t in removed.transitions)
    assert len(removed.transitions) == len(design.transitions)


def test_a_stage_has_at_most_five_key_fields():
    data = seed_004()
    stage = data["phases"][0]["stages"][1]
    stage["records"] = [{"id": f"f{i}", "name": f"項目{i}", "key": True} for i in range(5)]
    parse_design(data)  # five: Salesforce Path's limit, accepted
    stage["records"].append({"id": "f5", "name": "項目5", "key": True})
    with pytest.raises(DesignInvalid) as caught:
        parse_design(data)
    (found,) = caught.value.problems
    assert found.path == ("phases", 0, "stages", 1, "records")
    assert found.message.startswith(f"stage '{stage['id']}' has 6 key fields: a stage shows at most 5")
