"""Content of the enterprise and SMB templates: what seed 002 (and 003's drop reasons) define.

Each test reads a shipped template through `load_template` and fails if the template loses a piece
of the seed: stage names and order, KPI/KGI names and where they sit, the account plan, the journey
links. Validation, round trips and bilingual names are covered for every template elsewhere.
"""

from __future__ import annotations

import math

import pytest

from journeymap.library import load_template
from journeymap.model import Design, Record, Stage, text_of
from journeymap.planning import plan

BUYING_PROCESS = ["課題認識", "情報収集", "比較・検討", "社内稟議", "意思決定", "交渉", "契約"]
RELATIONSHIP = ["接点構築", "課題共有", "共創提案", "経営巻き込み", "信頼定着", "社内展開", "社外展開"]
SEED_003_DROP_REASONS = {
    "予算見直し": "customer",
    "競合の値引き提案": "competitor",
    "経営方針の変更": "customer",
    "ニーズの変化": "customer",
    "景気悪化": "external",
}


def ja(value) -> str:
    return text_of(value, "ja")


def stage_named(design: Design, name: str) -> Stage:
    matches = [s for s in design.stages if ja(s.name) == name]
    assert len(matches) == 1, f"expected one stage named {name}, found {len(matches)}"
    return matches[0]


def kpi_names(stage: Stage) -> set[str]:
    return {ja(k.name) for k in stage.kpis}


def kpi_named(design: Design, name: str):
    found = [(s, k) for s in design.stages for k in s.kpis if ja(k.name) == name]
    assert len(found) == 1, f"expected one KPI named {name}, found {len(found)}"
    return found[0]


def kgi_named(design: Design, name: str):
    found = [k for k in design.kgis if ja(k.name) == name]
    assert len(found) == 1, f"expected one KGI named {name}, found {len(found)}"
    return found[0]


def texts(items) -> list[str]:
    return [ja(item.name if isinstance(item, Record) else item) for item in items]


def required_at(design: Design, kgi_id: str) -> dict[str, float]:
    """The plan's reverse funnel with only this KGI driving it: items each funnel stage needs."""
    others = {k.id: 0 for k in design.kgis if k.id != kgi_id}
    return {s.id: s.required_exact for s in plan(design, targets=others).stages if s.required_exact is not None}


@pytest.fixture(scope="module")
def buying() -> Design:
    return load_template("enterprise-buying-process")


# --------------------------------------------------------------------------- enterprise buying process


def test_buying_process_stages_are_the_customers_seven_steps_in_order(buying):
    assert [ja(s.name) for s in buying.funnel_stages] == BUYING_PROCESS
    assert buying.segment == "enterprise"
    assert buying.period == "year"  # 単年度の受注額 is a fiscal-year goal


def test_seller_side_step_names_map_onto_buying_stages(buying):
    # アプローチ/ヒアリング/提案/見積 are the seller's view of the customer's first four steps.
    expected = {"アプローチ": "課題認識", "ヒアリング": "情報収集", "提案": "比較・検討", "見積": "社内稟議"}
    for seller_step, buying_stage in expected.items():
        assert seller_step in stage_named(buying, buying_stage).aliases, seller_step
    # 交渉 and 契約 are the same word on both sides.
    assert stage_named(buying, "交渉").funnel and stage_named(buying, "契約").funnel


def test_no_quote_while_the_customer_is_still_gathering_information(buying):
    info = stage_named(buying, "情報収集")
    assert "見積" not in info.aliases
    assert any("見積" in c and "先出し" in c for c in texts(info.exit_criteria))
    stage, kpi = kpi_named(buying, "見積の先出し件数")
    assert stage.id == info.id
    assert kpi.direction == "down" and kpi.target == 0


def test_buying_process_kgis_are_annual_bookings_and_cross_up_sell_on_the_contract(buying):
    contract = stage_named(buying, "契約")
    annual = kgi_named(buying, "単年度の受注額")
    expansion = kgi_named(buying, "クロスセル・アップセル実績")
    for kgi in (annual, expansion):
        assert kgi.unit == "currency" and kgi.stage == contract.id and kgi.value_per_item > 0
    assert expansion.target < annual.target  # part of the year's bookings
    wins = kgi_named(buying, "受注件数")
    assert wins.unit == "count" and wins.stage == contract.id
    assert math.isclose(annual.target / annual.value_per_item, wins.target)


@pytest.mark.parametrize(
    "kpi, stage",
    [
        ("勉強会開催数", "課題認識"),
        ("商談発生数", "課題認識"),
        ("提案書・見積書提出件数", "比較・検討"),
        ("意思決定者への提案機会数", "意思決定"),
        ("顧客満足度", "導入・活用支援"),
    ],
)
def test_buying_process_seed_kpis_sit_on_their_stage(buying, kpi, stage):
    assert kpi in kpi_names(stage_named(buying, stage))


def test_deals_created_target_matches_the_reverse_funnel_from_the_wins(buying):
    first = buying.funnel_stages[0]
    needed = required_at(buying, "wins")[first.id]
    _, deals_created = kpi_named(buying, "商談発生数")
    assert abs(deals_created.target - needed) / needed < 0.05


def test_poc_is_coordinated_during_comparison(buying):
    compare = stage_named(buying, "比較・検討")
    assert any("PoC" in a and "調整" in a for a in texts(compare.activities))
    assert "実現可能性の検証" in ja(compare.description)


def test_both_kinds_of_activity_are_planned(buying):
    activities = [a for s in buying.stages for a in texts(s.activities)]
    deal_work = [a for a in activities if a.startswith("【案件推進】")]
    relationship_work = [a for a in activities if a.startswith("【関係構築】")]
    for word in ("見積", "提案書", "PoC"):
        assert any(word in a for a in deal_work), word
    for word in ("業界動向", "経営層との1on1", "勉強会"):
        assert any(word in a for a in relationship_work), word


def test_buying_journey_follows_the_buying_process_and_links_its_stages(buying):
    phases = buying.journey.phases
    assert [ja(p.name) for p in phases[: len(BUYING_PROCESS)]] == BUYING_PROCESS
    for phase in phases[: len(BUYING_PROCESS)]:
        assert [ja(buying.stage(link).name) for link in phase.stages] == [ja(phase.name)]
    persona = ja(buying.journey.persona)
    assert "情報システム部門長" in persona and "稟議" in persona
    emotions = [p.emotion for p in phases]
    assert emotions[texts(p.name for p in phases).index("社内稟議")] < 0 < emotions[-1]


# --------------------------------------------------------------------------- enterprise relationship


@pytest.fixture(scope="module")
def relationship() -> Design:
    return load_template("enterprise-relationship")


def test_relationship_funnel_moves_target_accounts_up_the_seven_stages(relationship):
    names = [ja(s.name) for s in relationship.funnel_stages]
    assert names[0] == "ターゲット企業選定"  # the accounts the funnel counts
    assert names[1:] == RELATIONSHIP
    assert relationship.period == "year"


@pytest.mark.parametrize(
    "stage, kpis",
    [
        ("接点構築", {"接触人数", "接触部門数", "顧客からの相談件数", "アカウントプランの更新頻度", "セミナー参加数", "勉強会開催数"}),
        ("課題共有", {"キーパーソンとの定期面談実施数"}),
        ("共創提案", {"提案数"}),
        ("経営巻き込み", {"経営層との接点数"}),
        ("信頼定着", {"顧客満足度", "他部門紹介数"}),
    ],
)
def test_relationship_seed_kpis_sit_on_their_stage(relationship, stage, kpis):
    assert kpis <= kpi_names(stage_named(relationship, stage))


def test_relationship_kgis_are_annual_business_and_share_of_wallet(relationship):
    annual = kgi_named(relationship, "年間取引総額")
    assert annual.unit == "currency" and annual.value_per_item > 0
    assert annual.stage == stage_named(relationship, "信頼定着").id
    share = kgi_named(relationship, "企業内シェア")
    assert share.unit == "rate" and 0 < share.target <= 1
    assert share.stage == stage_named(relationship, "社内展開").id


def test_target_account_count_matches_the_reverse_funnel_from_annual_business(relationship):
    needed = required_at(relationship, "annual-business")[relationship.funnel_stages[0].id]
    _, targets = kpi_named(relationship, "ターゲット企業数")
    assert abs(targets.target - needed) / needed < 0.05


@pytest.mark.parametrize(
    "part, stage",
    [
        ("顧客企業概要", "ターゲット企業選定"),
        ("顧客の戦略と課題の仮説", "ターゲット企業選定"),
        ("グループ企業と組織図", "ターゲット企業選定"),
        ("ポテンシャルマップ", "ターゲット企業選定"),
        ("アクションプラン(中長期)", "ターゲット企業選定"),
        ("バイヤー相関図", "接点構築"),
        ("アクションプラン(短期)", "課題共有"),
    ],
)
def test_account_plan_parts_are_built_at_their_stage(relationship, part, stage):
    found = stage_named(relationship, stage)
    assert any(part in text for text in texts(found.records) + texts(found.activities))


def test_contact_building_refines_the_hypothesis_and_finds_the_key_person(relationship):
    activities = texts(stage_named(relationship, "接点構築").activities)
    assert any("戦略と課題の仮説" in a and "内部情報" in a for a in activities)
    assert any("バイヤー相関図" in a and "キーパーソン" in a and "課題共有" in a for a in activities)


@pytest.mark.parametrize(
    "stage, owner_words",
    [
        ("接点構築", ("インサイドセールス", "マーケティング")),
        ("経営巻き込み", ("上位職",)),
        ("信頼定着", ("カスタマーサクセス",)),
    ],
)
def test_resources_follow_the_depth_of_the_relationship(relationship, stage, owner_words):
    owner = relationship.owner(stage_named(relationship, stage).owner)
    for word in owner_words:
        assert word in ja(owner.name)


def test_relationship_journey_walks_the_seven_stages(relationship):
    linked = [ja(relationship.stage(link).name) for p in relationship.journey.phases for link in p.stages]
    assert linked == RELATIONSHIP


# --------------------------------------------------------------------------- SMB funnel


@pytest.fixture(scope="module")
def smb() -> Design:
    return load_template("smb-funnel")


def test_smb_funnel_narrows_leads_down_to_wins(smb):
    assert [ja(s.name) for s in smb.funnel_stages] == ["リード", "商談", "案件化", "受注"]
    assert smb.segment == "smb" and smb.period == "month"


@pytest.mark.parametrize(
    "kpi, stage, unit",
    [("リード数", "リード", "count"), ("商談数", "商談", "count"), ("案件化率", "案件化", "rate"), ("受注率", "受注", "rate")],
)
def test_smb_is_managed_on_the_four_quantity_indicators(smb, kpi, stage, unit):
    found_stage, found = kpi_named(smb, kpi)
    assert ja(found_stage.name) == stage and found.unit == unit
    if unit == "rate":  # the KPI and the planned conversion are the same number
        assert found.target == found_stage.target_rate


def test_smb_volume_kpis_match_the_reverse_funnel_from_the_wins(smb):
    required = required_at(smb, "wins")
    for kpi, stage in (("リード数", "リード"), ("商談数", "商談")):
        needed = required[stage_named(smb, stage).id]
        assert abs(kpi_named(smb, kpi)[1].target - needed) / needed < 0.05, kpi


def test_smb_cost_per_win_stays_below_the_average_deal(smb):
    required = required_at(smb, "wins")
    cost = sum(n * (smb.stage(s).unit_cost or 0) for s, n in required.items())
    cost += sum(o.fixed_cost for o in smb.owners)
    wins = kgi_named(smb, "受注件数").target
    revenue = kgi_named(smb, "受注金額")
    assert all(smb.stage(s).unit_cost for s in required if s != revenue.stage)
    assert cost / wins < revenue.value_per_item
    assert math.isclose(revenue.target / revenue.value_per_item, wins)


@pytest.mark.parametrize(
    "stage, owner", [("リード", "マーケティング"), ("商談", "インサイドセールス"), ("案件化", "フィールドセールス"), ("受注", "フィールドセールス")]
)
def test_smb_stages_are_split_between_marketing_inside_and_field_sales(smb, stage, owner):
    assert ja(smb.owner(stage_named(smb, stage).owner).name) == owner


def test_smb_journey_runs_from_awareness_to_repeat_and_links_the_funnel(smb):
    phases = smb.journey.phases
    assert [ja(p.name) for p in phases] == ["認知", "購入検討", "購入", "利用", "アフターサービス", "リピート"]
    linked = {ja(smb.stage(link).name) for p in phases for link in p.stages}
    assert {"リード", "商談", "案件化", "受注"} <= linked
    purchase = next(p for p in phases if ja(p.name) == "購入")
    assert [ja(smb.stage(link).name) for link in purchase.stages] == ["受注"]
    assert "社長" in ja(smb.journey.persona)


# --------------------------------------------------------------------------- drop reasons (seed 003)


@pytest.mark.parametrize("template_id", ["enterprise-buying-process", "enterprise-relationship", "smb-funnel"])
def test_seed_003_drop_reasons_with_their_recovery(template_id):
    design = load_template(template_id)
    by_name = {ja(r.name): r for r in design.drop_reasons}
    for name, category in SEED_003_DROP_REASONS.items():
        reason = by_name[name]
        assert reason.category == category, name
        assert reason.stages and reason.recovery_stage and reason.crm_values and reason.prevention, name
    assert "割引" in ja(by_name["予算見直し"].response)
    assert "再提案" in ja(by_name["ニーズの変化"].response)
    assert "段階的" in ja(by_name["景気悪化"].response)
    internal = [r for r in design.drop_reasons if r.category == "internal"]
    assert any("人事異動" in ja(r.name) and "リソース不足" in ja(r.name) for r in internal)
    assert any("共有" in ja(r.response) for r in internal)  # sharing within the team


# --------------------------------------------------------------------------- playbook structures

SEED_002_ACCOUNT_PLAN = [
    "顧客企業概要", "顧客の戦略と課題の仮説", "グループ企業と組織図", "ポテンシャルマップ", "バイヤー相関図",
    "アクションプラン(中長期・短期)",
    "顧客の課題整理", "意思決定者リスト", "個別商談の状況", "導入・活用計画", "展開シナリオ",
]


def test_relationship_account_plan_holds_the_seed_items_as_records(relationship):
    names = [ja(r.name) for r in relationship.account_plan]
    assert names[: len(SEED_002_ACCOUNT_PLAN)] == SEED_002_ACCOUNT_PLAN
    by_id = {r.id: r for r in relationship.account_plan}
    assert by_id["plan-updated"].type == "date" and by_id["plan-updated"].required
    deals = by_id["deal-status"]
    assert deals.type == "select" and [ja(o) for o in deals.options] == [ja(s.name) for s in load_template("enterprise-buying-process").stages[:7]]


def test_buying_process_links_to_the_relationship_design(buying, relationship):
    links = [(link.design, link.stage, link.at_stage) for link in buying.linked_designs]
    assert links == [("enterprise-relationship", "contact", "recognition"), ("enterprise-relationship", "issue-sharing", "compare")]
    stage_record = next(r for r in buying.stage("recognition").records if r.id == "relationship-stage")
    assert [ja(o) for o in stage_record.options] == [ja(s.name) for s in relationship.stages]


def test_b2b_phases_carry_their_transition_criteria():
    design = load_template("b2b-standard")
    criteria = {p.id: [ja(c) for c in p.exit_criteria] for p in design.phases}
    assert criteria["contact"] == ["初回接点が完了し、担当者名・連絡先・会社情報の把握ができた上で、ヒアリングの実施が始まっている。"]
    assert criteria["deal"] == ["契約条件が双方合意に至り、契約書が正式に締結された。社内への引き継ぎ準備が始まっている。"]
    assert criteria["strategy"] and criteria["after-sale"] == []
