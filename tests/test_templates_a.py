"""Content of the templates b2b-standard, b2c-standard, midsize-phase-stage, outsourced-prospecting.

Each test reads a template through the library and asserts what its seed defines: the phase and
stage names in order, the funnel, the KPI/KGI figures, the records and criteria the seed lists,
the journey and the drop reasons. Generic checks (validation, round trip, bilingual names) are
covered for every template elsewhere; `test_templates_are_clean` only guards these four.
"""

from __future__ import annotations

import pytest

from journeymap.library import bilingual_gaps, load_template
from journeymap.model import Design, Record, find_problems, text_of
from journeymap.planning import plan

TEMPLATE_IDS = ["b2b-standard", "b2c-standard", "midsize-phase-stage", "outsourced-prospecting"]


class _Designs(dict):
    """Templates loaded on first use, so a test reads only the template it checks."""

    def __missing__(self, template_id: str) -> Design:
        self[template_id] = load_template(template_id)
        return self[template_id]


@pytest.fixture(scope="module")
def designs() -> dict[str, Design]:
    return _Designs()


def ja(value) -> str:
    return text_of(value, "ja")


def stage_names(design: Design) -> list[str]:
    return [ja(stage.name) for stage in design.stages]


def phase_names(design: Design) -> list[str]:
    return [ja(phase.name) for phase in design.phases]


def stage_named(design: Design, name: str):
    matches = [stage for stage in design.stages if ja(stage.name) == name]
    assert len(matches) == 1, f"expected one stage named {name}, found {len(matches)}"
    return matches[0]


def kpi_names(stage) -> list[str]:
    return [ja(kpi.name) for kpi in stage.kpis]


def texts(items) -> str:
    """The Japanese texts of a list of text fields (or records' names), joined for substring checks."""
    return "\n".join(ja(item.name if isinstance(item, Record) else item) for item in items)


def all_text(design: Design) -> str:
    """Every Japanese text in the design (descriptions, activities, records, criteria …)."""
    parts = [ja(design.description)]
    for owner in design.owners:
        parts += [ja(owner.name), ja(owner.description), ja(owner.scope)]
    for phase in design.phases:
        parts += [ja(phase.name), ja(phase.description), texts(phase.entry_criteria), texts(phase.exit_criteria)]
        for stage in phase.stages:
            parts += [ja(stage.name), ja(stage.description)]
            parts += [texts(stage.activities), texts(stage.records), texts(stage.exit_criteria)]
            parts += [ja(kpi.name) for kpi in stage.kpis]
    for reason in design.drop_reasons:
        parts += [ja(reason.name), ja(reason.response), texts(reason.prevention)]
    parts += [texts(design.account_plan)]
    return "\n".join(parts)


def funnel_ids(design: Design) -> list[str]:
    return [stage.id for stage in design.funnel_stages]


def drop_reason_named(design: Design, fragment: str):
    matches = [reason for reason in design.drop_reasons if fragment in ja(reason.name)]
    assert matches, f"no drop reason named like {fragment}"
    return matches[0]


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_templates_are_clean(designs, template_id):
    design = designs[template_id]
    assert design.id == template_id
    assert find_problems(design) == []
    assert bilingual_gaps(design) == []


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_every_stage_is_filled_in(designs, template_id):
    for stage in designs[template_id].stages:
        assert stage.description and stage.owner, stage.id
        assert stage.activities and stage.records and stage.exit_criteria and stage.kpis, stage.id


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_journey_links_resolve_to_stages(designs, template_id):
    design = designs[template_id]
    assert design.journey and design.journey.persona and design.journey.phases
    known = {stage.id for stage in design.stages}
    for phase in design.journey.phases:
        assert phase.stages, phase.id
        assert set(phase.stages) <= known, phase.id


# --------------------------------------------------------------------------- b2b-standard

B2B_PHASES = ["戦略設計段階", "顧客接点創出段階", "商談段階", "成約後対応段階"]
B2B_STAGES = [
    "業界状況・コアコンピタンスの分析",
    "顧客企業・部門策定",
    "営業手法策定",
    "リード獲得",
    "アポイント獲得",
    "ヒアリング",
    "提案",
    "クロージング",
    "アフターフォロー",
    "クロスセル・アップセル提案",
]
CUSTOMER_JOURNEY = ["認知", "購入検討", "購入", "利用", "アフターサービス", "リピート"]


def test_b2b_has_the_four_phases_and_ten_stages_in_order(designs):
    design = designs["b2b-standard"]
    assert phase_names(design) == B2B_PHASES
    assert stage_names(design) == B2B_STAGES
    by_phase = {ja(phase.name): [ja(s.name) for s in phase.stages] for phase in design.phases}
    assert by_phase["戦略設計段階"] == B2B_STAGES[:3]
    assert by_phase["顧客接点創出段階"] == ["リード獲得", "アポイント獲得"]
    assert by_phase["商談段階"] == ["ヒアリング", "提案", "クロージング"]
    assert by_phase["成約後対応段階"] == ["アフターフォロー", "クロスセル・アップセル提案"]


def test_b2b_funnel_runs_from_lead_to_closing(designs):
    design = designs["b2b-standard"]
    assert [ja(stage.name) for stage in design.funnel_stages] == B2B_STAGES[3:8]
    first, *later = design.funnel_stages
    assert first.target_rate is None
    assert all(0 < stage.target_rate < 1 for stage in later)
    for kgi in design.kgis:
        assert kgi.stage == stage_named(design, "クロージング").id


def test_b2b_kgis_are_consistent_count_and_revenue(designs):
    design = designs["b2b-standard"]
    kgis = {ja(kgi.name): kgi for kgi in design.kgis}
    count, revenue = kgis["受注件数"], kgis["受注金額"]
    assert count.unit == "count" and revenue.unit == "currency"
    assert revenue.target == count.target * revenue.value_per_item


@pytest.mark.parametrize(
    "stage, expected",
    [
        ("リード獲得", ["リード数"]),
        ("アポイント獲得", ["アポ獲得数", "アポ獲得率"]),
        ("ヒアリング", ["ヒアリング実施数"]),
        ("提案", ["提案数"]),
        ("クロージング", ["受注数", "受注率", "受注金額"]),
        ("アフターフォロー", ["継続率", "顧客満足度(5段階)"]),
        ("クロスセル・アップセル提案", ["クロスセル・アップセル件数"]),
    ],
)
def test_b2b_kpis_per_stage(designs, stage, expected):
    names = kpi_names(stage_named(designs["b2b-standard"], stage))
    for name in expected:
        assert name in names


def test_b2b_strategy_content(designs):
    design = designs["b2b-standard"]
    analysis = stage_named(design, "業界状況・コアコンピタンスの分析")
    assert "4C" in ja(analysis.description) + texts(analysis.activities)
    assert "ターゲットリスト" in texts(stage_named(design, "顧客企業・部門策定").activities)
    methods = stage_named(design, "営業手法策定")
    described = ja(methods.description) + texts(methods.activities)
    for method in ["テレアポ", "飛び込み営業", "メール営業", "フォーム営業", "SNS", "ホワイトペーパー", "セミナー・イベント"]:
        assert method in described
    for product in ["新商品", "高価格商品", "専門性の高いサービス", "既存商品", "情報商材", "高価な耐久消費財"]:
        assert product in ja(methods.description)


def test_b2b_deal_and_after_sale_practice(designs):
    design = designs["b2b-standard"]
    hearing = texts(stage_named(design, "ヒアリング").activities)
    for tip in ["事前に質問内容を準備", "仮説", "深掘り", "リアクション", "傾聴"]:
        assert tip in hearing
    assert "前日" in hearing and "リマインド" in hearing
    cross = ja(stage_named(design, "クロスセル・アップセル提案").description)
    assert "補完的な製品" in cross and "高価で高機能" in cross
    assert "定期的" in texts(stage_named(design, "アフターフォロー").activities)
    everything = all_text(design)
    for practice in ["日報", "週報", "月報", "SFA/CRM"]:
        assert practice in everything


def test_b2b_journey_has_the_six_customer_phases(designs):
    design = designs["b2b-standard"]
    assert [ja(phase.name) for phase in design.journey.phases] == CUSTOMER_JOURNEY
    links = {ja(phase.name): phase.stages for phase in design.journey.phases}
    assert "lead" in links["認知"]
    assert "closing" in links["購入"]
    assert "cross-upsell" in links["リピート"]


def test_b2b_drop_reasons_from_interrupted_deals(designs):
    design = designs["b2b-standard"]
    names = " ".join(ja(reason.name) for reason in design.drop_reasons)
    for reason in ["予算見直し", "競合の値引き提案", "経営方針の変更", "人事異動・リソース不足", "ニーズの変化", "景気悪化"]:
        assert reason in names
    budget = drop_reason_named(design, "予算見直し")
    assert "値引き" in ja(budget.response) and budget.recovery_stage
    assert drop_reason_named(design, "競合の値引き").category == "competitor"
    assert drop_reason_named(design, "景気悪化").category == "external"


# --------------------------------------------------------------------------- b2c-standard


def phase_text(design: Design, phase_name: str) -> str:
    phase = next(p for p in design.phases if ja(p.name) == phase_name)
    parts = [ja(phase.description)]
    for stage in phase.stages:
        parts += [ja(stage.name), ja(stage.description), texts(stage.activities), texts(stage.records)]
    return "\n".join(parts)


def test_b2c_keeps_the_four_phases_with_the_seed_consumer_practice(designs):
    design = designs["b2c-standard"]
    assert phase_names(design) == B2B_PHASES
    assert "ペルソナシート" in phase_text(design, "戦略設計段階")
    contact = phase_text(design, "顧客接点創出段階")
    for item in ["広告", "SNS", "インバウンド", "アウトバウンド", "ノベルティ"]:
        assert item in contact
    deal = phase_text(design, "商談段階")
    assert "店頭販売" in deal and "商品見本" in deal
    after = phase_text(design, "成約後対応段階")
    for item in ["メルマガ", "チラシ", "セミナー", "勉強会"]:
        assert item in after


def test_b2c_consumer_funnel_in_order(designs):
    design = designs["b2c-standard"]
    assert [ja(stage.name) for stage in design.funnel_stages] == [
        "広告・SNS接触",
        "来店・問い合わせ",
        "試用・商品見本",
        "購入",
        "リピート購入",
    ]
    first, *later = design.funnel_stages
    assert first.target_rate is None
    assert all(0 < stage.target_rate < 1 for stage in later)


def test_b2c_volumes_and_unit_costs_are_consumer_scale(designs):
    design = designs["b2c-standard"]
    reach = stage_named(design, "広告・SNS接触")
    assert reach.unit_cost is not None and reach.unit_cost < 10
    assert {kpi.id: kpi.target for kpi in reach.kpis}["reach"] >= 100000
    assert stage_named(design, "試用・商品見本").unit_cost > 0
    kgis = {ja(kgi.name): kgi for kgi in design.kgis}
    purchases, revenue = kgis["購入件数"], kgis["売上金額"]
    assert purchases.stage == revenue.stage == stage_named(design, "購入").id
    assert purchases.target >= 100
    assert revenue.target == purchases.target * revenue.value_per_item
    assert revenue.value_per_item < 50000
    # The reach KPI is what the reverse funnel needs for the purchase KGI.
    required = purchases.target
    for stage in reversed(design.funnel_stages[: design.funnel_stages.index(stage_named(design, "購入")) + 1]):
        if stage.target_rate is None:
            break
        required /= stage.target_rate
    assert round(required) == {kpi.id: kpi.target for kpi in reach.kpis}["reach"]


def test_b2c_journey_has_a_consumer_persona_and_the_six_phases(designs):
    design = designs["b2c-standard"]
    assert [ja(phase.name) for phase in design.journey.phases] == CUSTOMER_JOURNEY
    persona = ja(design.journey.persona)
    assert "歳" in persona and "株式会社" not in persona
    links = {ja(phase.name): phase.stages for phase in design.journey.phases}
    assert "trial" in links["購入検討"]
    assert "purchase" in links["購入"]
    assert "repeat" in links["リピート"]
    emotions = [phase.emotion for phase in design.journey.phases]
    assert min(emotions) < 0 < max(emotions)


def test_b2c_drop_reasons_from_interrupted_deals(designs):
    design = designs["b2c-standard"]
    names = " ".join(ja(reason.name) for reason in design.drop_reasons)
    for reason in ["予算見直し", "競合の値引き提案", "経営方針の変更", "人事異動・リソース不足", "ニーズの変化", "景気悪化"]:
        assert reason in names
    assert "キャンペーン" in ja(drop_reason_named(design, "競合の値引き").response)


# --------------------------------------------------------------------------- midsize-phase-stage

MIDSIZE_PHASES = ["アプローチ", "ヒアリング", "提案", "クロージング", "成約", "フォロー"]
MIDSIZE_DEFINITIONS = {
    "アプローチ": ["初回接点", "アポ取得", "電話・メール・訪問"],
    "ヒアリング": ["課題、要望、予算、導入時期"],
    "提案": ["提案書・見積書の作成", "プレゼン"],
    "クロージング": ["契約条件のすり合わせ", "価格・スケジュール調整", "稟議対応"],
    "成約": ["契約が締結", "受注処理", "引き継ぎ"],
    "フォロー": ["初回納品", "導入対応", "カスタマーサクセス部門", "関係継続"],
}
# Seed 001's transition criteria, on the last stage of the phase they leave.
MIDSIZE_CRITERIA = {
    "アプローチ": "初回接点が完了し、担当者名・連絡先・会社情報の把握ができた上で、ヒアリングの実施が始まっている。",
    "ヒアリング": "初回打ち合わせを実施し、提案資料または見積書を送付済み。顧客のフィードバックを待っている段階。",
    "提案": "顧客と価格や条件交渉が始まり、導入の具体的な検討に入っている。稟議資料の作成や契約書の調整が進んでいる場合も含む。",
    "クロージング": "契約条件が双方合意に至り、契約書が正式に締結された。社内への引き継ぎ準備が始まっている。",
}
MIDSIZE_RECORDS = {
    "アプローチ": ["流入経路", "初回接点のあった日付・接点の手段", "担当者の基本情報(氏名、役職、連絡先)", "初期反応"],
    "ヒアリング": ["顧客の課題やニーズ", "BANT情報の取得状況", "ヒアリング内容の記録"],
    "提案": ["提案内容の要点", "顧客の反応・質問・評価", "修正依頼の有無とその対応内容"],
    "クロージング": ["稟議・決裁の進捗状況", "調整が必要な契約条件の論点", "成約を阻む要因", "営業側でとるべきフォローアクション"],
    "成約": ["成約の決め手", "契約の最終内容", "顧客の期待値", "引き継ぎ内容", "初回対応のスケジュール"],
    "フォロー": ["初回納品・導入対応の進捗", "サポート体制・連絡先の案内状況", "初期満足度", "継続利用・アップセルの見込み", "トラブルや対応履歴"],
}


def phase_named(design: Design, name: str):
    return next(phase for phase in design.phases if ja(phase.name) == name)


def test_midsize_has_the_six_phases_with_their_definitions(designs):
    design = designs["midsize-phase-stage"]
    assert phase_names(design) == MIDSIZE_PHASES
    for name, fragments in MIDSIZE_DEFINITIONS.items():
        description = ja(phase_named(design, name).description)
        for fragment in fragments:
            assert fragment in description, (name, fragment)


def test_midsize_phases_hold_judgeable_stages(designs):
    design = designs["midsize-phase-stage"]
    for phase in design.phases:
        assert len(phase.stages) >= 2, ja(phase.name)
    proposal = [ja(stage.name) for stage in phase_named(design, "提案").stages]
    assert proposal == ["提案書作成中", "提案済み・反応待ち", "修正・再提案"]
    assert "アポ獲得" in [ja(stage.name) for stage in phase_named(design, "アプローチ").stages]


@pytest.mark.parametrize("phase_name", list(MIDSIZE_CRITERIA))
def test_midsize_transition_criteria_are_the_phases_exit_criteria(designs, phase_name):
    phase = phase_named(designs["midsize-phase-stage"], phase_name)
    assert [ja(criterion) for criterion in phase.exit_criteria] == [MIDSIZE_CRITERIA[phase_name]]
    for stage in phase.stages:  # said once, on the phase, not again on a stage
        assert MIDSIZE_CRITERIA[phase_name] not in [ja(c) for c in stage.exit_criteria]


@pytest.mark.parametrize("phase_name", list(MIDSIZE_RECORDS))
def test_midsize_records_per_phase(designs, phase_name):
    records = "\n".join(texts(stage.records) for stage in phase_named(designs["midsize-phase-stage"], phase_name).stages)
    for item in MIDSIZE_RECORDS[phase_name]:
        assert item in records, item


def test_midsize_appointment_records(designs):
    stage = stage_named(designs["midsize-phase-stage"], "アポ獲得")
    records = texts(stage.records)
    for item in ["アポイント日程", "商談の目的や議題", "参加予定者(顧客側・自社側の関係者)"]:
        assert item in records
    by_id = {r.id: r for r in stage.records if r.id}
    assert by_id["appointment-date"].type == "date"
    assert [ja(o) for o in by_id["meeting-place"].options] == ["オンライン", "訪問"]


SEED_001_SELECTS = {
    # record id: (stage, name, the seed's options)
    "first-reaction": ("初回接点", "顧客の初期反応", ["前向き", "検討中", "やや慎重", "否定的"]),
    "competitor-comparison": ("提案済み・反応待ち", "競合比較の有無", ["あり", "なし"]),
    "hurdle": ("条件交渉中", "想定されるハードル", ["稟議", "導入リスク", "価格", "不明"]),
    "next-action": ("提案済み・反応待ち", "次のアクション", ["予定あり", "未定"]),
}


@pytest.mark.parametrize("record_id", list(SEED_001_SELECTS))
def test_midsize_select_type_inputs_have_the_seed_options(designs, record_id):
    stage_name, name, options = SEED_001_SELECTS[record_id]
    stage = stage_named(designs["midsize-phase-stage"], stage_name)
    record = next(r for r in stage.records if r.id == record_id)
    assert (ja(record.name), record.type, [ja(o) for o in record.options]) == (name, "select", options)
    assert record.required and record.key


def test_midsize_select_inputs_keep_a_free_text_note(designs):
    notes = {r.id: r for s in designs["midsize-phase-stage"].stages for r in s.records if r.id}
    assert "課長は前向きだが、決裁者の反応は未確認" in ja(notes["first-reaction-note"].help)
    assert "A社、重視する点:サポート体制、初期費用" in ja(notes["competitor-note"].help)
    assert "稟議が2段階必要" in ja(notes["hurdle-note"].help)
    assert notes["next-action-date"].type == "date"


def test_midsize_temperature_is_hot_warm_cold(designs):
    design = designs["midsize-phase-stage"]
    assert [t.id for t in design.temperature_scale] == ["hot", "warm", "cold"]
    assert [ja(t.name) for t in design.temperature_scale] == ["ホット", "ウォーム", "コールド"]
    temperature = next(r for s in design.stages for r in s.records if r.id == "temperature")
    assert [ja(o) for o in temperature.options] == ["ホット", "ウォーム", "コールド"]


def test_midsize_follow_is_owned_by_customer_success(designs):
    design = designs["midsize-phase-stage"]
    for stage in phase_named(design, "フォロー").stages:
        assert "カスタマーサクセス" in ja(design.owner(stage.owner).name)


def test_midsize_funnel_and_kgis(designs):
    design = designs["midsize-phase-stage"]
    funnel = design.funnel_stages
    assert funnel[0].target_rate is None
    assert all(0 < stage.target_rate <= 1 for stage in funnel[1:])
    won = stage_named(design, "契約締結・受注処理")
    assert won.funnel and {kgi.stage for kgi in design.kgis} == {won.id}
    assert design.phase_of(won.id) == phase_named(design, "成約")


def test_midsize_drop_reasons_from_interrupted_deals(designs):
    names = " ".join(ja(reason.name) for reason in designs["midsize-phase-stage"].drop_reasons)
    for reason in ["予算見直し", "競合の値引き提案", "経営方針の変更", "人事異動・リソース不足", "ニーズの変化", "景気悪化"]:
        assert reason in names


# --------------------------------------------------------------------------- outsourced-prospecting

AGENCY_TYPES = {
    "テレアポ代行": ("架電からアポイント獲得まで", "アポイントまたは商談の獲得"),
    "手紙営業代行": ("企画、営業手紙の作成・送付、顧客のリアクションの確認まで", None),
    "営業DM発送代行": ("営業DMの印刷から発送まで", None),
    "問い合わせフォーム営業代行": ("営業メッセージの作成から送信まで", None),
    "インサイドセールス代行": ("新規開拓から商談の成立まで", "受注支援"),
    "フィールドセールス代行": ("訪問営業から商談の成立まで", "新規開拓・既存顧客の関係構築・商談の獲得など"),
    "商談代行": ("商談の準備から契約成立まで", "契約締結"),
}


def test_outsourced_funnel_matches_the_cpa_example(designs):
    design = designs["outsourced-prospecting"]
    funnel = design.funnel_stages
    assert [ja(stage.name) for stage in funnel] == ["架電", "アポイント獲得", "商談", "受注"]
    assert [stage.target_rate for stage in funnel] == [None, 0.04, 0.5, 0.25]
    teleapo = design.owner("teleapo")
    assert teleapo.engagement == "outsourced"
    prices = {p.model: (p.amount, p.stage) for p in teleapo.pricing}
    assert prices == {"setup": (0, None), "per_call": (400, "call"), "per_appointment": (10000, "appointment")}
    assert all(stage.unit_cost is None for stage in funnel)  # the agency's pricing sets the cost
    assert [design.owner(stage.owner).name.ja for stage in funnel] == ["テレアポ代行", "テレアポ代行", "自社営業", "自社営業"]


def test_outsourced_kgi_gives_the_seed_volumes_cost_and_cpa(designs):
    design = designs["outsourced-prospecting"]
    wins = next(kgi for kgi in design.kgis if ja(kgi.name) == "受注件数")
    assert (wins.unit, wins.target, wins.stage) == ("count", 5, "won")
    outcome = plan(design)
    assert {s.id: s.required for s in outcome.stages} == {"call": 1000, "appointment": 40, "meeting": 20, "won": 5}
    assert {s.id: s.cost for s in outcome.stages} == {"call": 400000, "appointment": 400000, "meeting": None, "won": None}
    assert outcome.total_cost == 800000
    assert outcome.cpa == 160000
    assert [(o.id, o.variable_cost, o.fixed_cost, o.cost) for o in outcome.owners] == [("teleapo", 800000, 0, 800000)]
    revenue = next(kgi for kgi in design.kgis if kgi.unit == "currency")
    assert revenue.stage == "won" and revenue.target / revenue.value_per_item == wins.target


def test_outsourced_cpa_kpi(designs):
    design = designs["outsourced-prospecting"]
    cpa = [kpi for stage in design.stages for kpi in stage.kpis if kpi.name.ja.startswith("CPA")]
    assert len(cpa) == 1
    assert (cpa[0].unit, cpa[0].target, cpa[0].direction) == ("currency", 160000, "down")
    assert "営業代行にかかったコスト÷顧客獲得件数" in ja(cpa[0].description)


def test_outsourced_owners_are_the_seven_agency_types_and_in_house(designs):
    design = designs["outsourced-prospecting"]
    agencies = {ja(owner.name): owner for owner in design.owners if owner.engagement == "outsourced"}
    assert set(agencies) == set(AGENCY_TYPES)
    assert all(owner.kind == "agency" for owner in agencies.values())
    dispatched = [owner for owner in design.owners if owner.engagement == "dispatched"]
    assert [ja(o.name) for o in dispatched] == ["営業派遣スタッフ"] and "指揮命令権は自社" in ja(dispatched[0].description)
    for name, (scope, outcome) in AGENCY_TYPES.items():
        assert ja(agencies[name].scope) == scope
        if outcome:
            assert outcome in ja(agencies[name].description)
    assert agencies["テレアポ代行"].fixed_cost == 0
    in_house = [owner for owner in design.owners if ja(owner.name) == "自社営業"]
    assert len(in_house) == 1 and in_house[0].kind == "internal"


def test_outsourced_information_shared_both_ways(designs):
    design = designs["outsourced-prospecting"]
    to_agency = texts(stage_named(design, "役割分担と情報共有(キックオフ)").records)
    for item in ["ターゲットの詳細", "キーマン", "商材の情報", "営業のやり方"]:
        assert item in to_agency
    to_in_house = texts(stage_named(design, "アポイント獲得").records)
    for item in ["課題ニーズ", "現場レベルでの予算感", "他のサービスの検討状況"]:
        assert item in to_in_house


def test_outsourced_failure_patterns_and_complaint(designs):
    design = designs["outsourced-prospecting"]
    names = [ja(reason.name) for reason in design.drop_reasons]
    for pattern in ["決裁権のない人物へのアプローチ", "商材への不正確な回答", "顧客の不信感", "役割分担の曖昧さ", "トンマナの不一致"]:
        assert pattern in names
    complaint = drop_reason_named(design, "しつこい・強引")
    assert "事実" in ja(complaint.response) and "いち早く連絡" in ja(complaint.response)
    assert set(complaint.stages) <= {"call", "appointment"}
    joined = " ".join(names)
    for reason in ["予算見直し", "競合の値引き提案", "経営方針の変更", "人事異動・リソース不足", "ニーズの変化", "景気悪化"]:
        assert reason in joined
