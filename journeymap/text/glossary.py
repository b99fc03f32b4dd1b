"""The glossary (用語集): one Japanese word and one English word for each idea of the method.

Users learn the method through its words, so every place that shows them — the app, the command
line, the reports, the diagrams and the template library — uses the words below, and none of the
variants a term rejects. `docs/glossary.md` is generated from this table
(`python -m journeymap.text.glossary > docs/glossary.md`); tests check that the document is current
and that no rejected variant appears where people read it.

A rejected variant has a scope:
- `all`: wrong everywhere, templates included (深堀, "Hearing", "mail magazine");
- `product`: wrong in the words journeymap itself shows (UI, CLI, reports, diagram labels), while
  a template may still use the word in another sense in its prose (再開 "resume" in a sentence
  is fine; as the name of the recovery path it is not).
`whole=True` rejects the variant only as a whole label (見込み alone, which could mean either
the forecast or a projected stage), not inside longer words (見込み客, 着地見込み).
`paired` rejects an English variant only when its Japanese counterpart matches `paired`
("Negotiation" is right for 交渉 and wrong for 商談段階).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rejected:
    """A word not to use for a term, and why."""

    word: str
    lang: str
    why: str
    scope: str = "product"
    whole: bool = False
    pattern: str | None = None
    """A regular expression for the variant; by default the word itself (case-insensitive in English)."""
    paired: str | None = None
    """Only when the Japanese side of the same text matches this regular expression."""

    def regex(self) -> re.Pattern[str]:
        body = self.pattern or re.escape(self.word)
        if self.lang == "en" and not self.pattern:
            body = rf"\b{body}\b"
        if self.whole:
            body = rf"^\s*(?:{body})\s*$"
        return re.compile(body, re.IGNORECASE if self.lang == "en" else 0)

    def found_in(self, text: str, ja_side: str | None = None) -> bool:
        if self.paired is not None and (ja_side is None or not re.search(self.paired, ja_side)):
            return False
        return bool(self.regex().search(text))


@dataclass(frozen=True)
class Term:
    key: str
    ja: str
    en: str
    ja_meaning: str
    en_meaning: str
    group: str
    rejected: tuple[Rejected, ...] = field(default=())


def _r(word: str, lang: str, why: str, **kw) -> Rejected:
    return Rejected(word, lang, why, **kw)


GROUPS = {
    "design": ("設計の構造", "Structure of a design"),
    "targets": ("目標と計画", "Targets and the plan"),
    "deals": ("案件の状態", "Where a deal is"),
    "actuals": ("実績との比較", "Comparing with actuals"),
    "journey": ("カスタマージャーニー", "Customer journey"),
    "wording": ("テンプレートの言い回し", "Wording in templates"),
}

TERMS: tuple[Term, ...] = (
    # ------------------------------------------------------------------ structure of a design
    Term("design", "設計", "design", "1つの営業プロセス（フェーズ・ステージ・目標・ジャーニー）をまとめたもの。",
         "One sales process: its phases, stages, targets and customer journey.", "design"),
    Term("template", "テンプレート", "template", "設計の出発点として同梱している設計。",
         "A design shipped as a starting point.", "design"),
    Term("phase", "フェーズ", "phase", "ステージをまとめた大きな区切り（戦略設計段階、商談段階など）。名前には「〜段階」も使う。",
         "A group of stages in order (strategy design, sales meetings …). Phase names may end in 段階.",
         "design"),
    Term("stage", "ステージ", "stage", "フェーズの中の1つの段階。担当・活動・移行基準・KPIを持つ。",
         "One step within a phase, with its owner, activities, exit criteria and KPIs.", "design",
         (_r("step", "en", "a stage is a stage in every view", whole=True, pattern=r"steps?"),)),
    Term("funnel_stage", "ファネルステージ", "funnel stage",
         "件数を数えるステージ（リード → アポ → 商談 → 受注 …）。設計の順に並ぶ。",
         "A stage whose deals are counted (lead → appointment → meeting → won …), in design order.",
         "design"),
    Term("owner", "担当", "owner", "ステージを受け持つチームや会社（自社営業、テレアポ代行、インサイドセールス）。",
         "The team or company that runs a stage (in-house sales, a telemarketing agency, inside sales).",
         "design"),
    Term("deal_owner", "担当者", "deal owner", "CRMで案件を受け持つ営業担当者（実績の列）。",
         "The salesperson holding a deal in the CRM (a column of the actuals).", "actuals"),
    Term("agency", "代行会社", "agency", "営業活動を請け負う外部の会社（テレアポ代行など）。",
         "An outside company paid to run part of the selling (a telemarketing agency, for example).",
         "design",
         (_r("代理店", "ja", "代理店 is a reseller that sells on its own account, not an agency we pay"),)),
    Term("activities", "活動", "activities", "ステージで行うこと。", "What is done at a stage.", "design"),
    Term("records", "記録すべき情報", "information to record", "ステージで記録に残す情報（CRMの項目）。",
         "What is written down at a stage (the CRM fields).", "design",
         (_r("記録する情報", "ja", "the field is named 記録すべき情報 everywhere"),)),
    Term("exit_criteria", "移行基準", "exit criteria", "次のステージへ進めてよいと判断する条件。",
         "The rule for moving a deal on to the next stage.", "design",
         (_r("移行条件", "ja", "one word: 移行基準"), _r("遷移条件", "ja", "one word: 移行基準"),
          _r("transition criteria", "en", "one word: exit criteria", scope="all"))),
    Term("transition", "遷移", "transition", "ステージ間のつながり。通常の順番以外（戻り・再提案）は追加の遷移として描く。",
         "A link between stages; links other than the normal order (loops, recovery paths) are extra transitions.",
         "design"),
    Term("drop", "営業中途", "drop", "案件が受注前に止まること（失注または中断）。",
         "A deal stopping before it is won: lost or paused.", "deals",
         (_r("離脱", "ja", "離脱 is a web-analytics word; a B2B deal is lost (失注) or paused (中断)"),
          _r("drop-out", "en", "a deal drops; people drop out"))),
    Term("drop_reason", "失注・中断理由", "drop reason",
         "営業中途の理由（予算見直し、競合の値引き、方針転換、担当者の異動 …）と、その対応・予防策。",
         "Why deals stop (budget review, competitor discount, policy change, personnel change …) with the response and prevention.",
         "deals", (_r("離脱理由", "ja", "離脱 is a web-analytics word"),)),
    Term("lost_reason", "失注理由", "lost reason", "CRMで失注した案件に記録された理由（実績の列）。",
         "The reason recorded in the CRM for a lost deal (a column of the actuals).", "actuals"),
    Term("recovery", "復帰", "recovery", "失注・中断した案件が再びステージに戻ること。戻る先が復帰ステージ。",
         "A lost or paused deal entering a stage again; where it returns is the recovery stage.", "deals",
         (_r("再開", "ja", "the path back is 復帰 (復帰ステージ); 再開 stays a plain verb in prose", whole=True),)),
    # ------------------------------------------------------------------ targets and the plan
    Term("kgi", "KGI", "KGI", "重要目標達成指標。設計の最終目標（受注件数、受注金額 …）。ファネルステージに結びつく。",
         "Key goal indicator: an end goal of the design (won deals, won revenue …), tied to a funnel stage.",
         "targets"),
    Term("kpi", "KPI", "KPI", "重要業績評価指標。ステージごとの指標と目標値。",
         "Key performance indicator: a measure of a stage, with its target.", "targets"),
    Term("target", "目標値", "target", "KPI・KGIの目標とする値。目標の期間（月・四半期 …）あたり。",
         "The value a KPI or KGI aims at, per target period (month, quarter …).", "targets"),
    Term("plan", "計画", "plan", "KGIから転換率で逆算した、各ファネルステージの必要件数と費用。",
         "The count each funnel stage needs, worked back from the KGI through the conversion rates, and its cost.",
         "targets"),
    Term("required", "必要件数", "required", "KGIを達成するために計画上そのステージで必要な件数。",
         "What the plan needs at a stage to meet the KGI.", "targets"),
    Term("conversion_rate", "転換率", "conversion rate", "直前のファネルステージから次へ進んだ割合。",
         "The share of deals that move on from the previous funnel stage.", "targets",
         (_r("移行率", "ja", "one word: 転換率"), _r("遷移率", "ja", "one word: 転換率"),
          _r("通過率", "ja", "one word: 転換率"))),
    Term("target_rate", "目標転換率", "target rate", "計画上の転換率。", "The planned conversion rate.", "targets"),
    Term("target_days", "目標日数", "target days", "1つのステージにとどまってよい計画上の最大日数。",
         "The planned maximum number of days in a stage.", "targets"),
    Term("unit_cost", "単価", "unit cost", "そのステージ1件あたりの費用（架電1件400円、アポ1件1万円）。",
         "Cost per item at a stage (¥400 per call, ¥10,000 per appointment).", "targets"),
    Term("fixed_cost", "固定費", "fixed cost", "件数によらず期間ごとにかかる費用。", "Cost per period that does not depend on counts.",
         "targets"),
    Term("cost", "費用", "cost", "計画件数 × 単価の合計と固定費。", "Planned counts × unit costs, plus fixed costs.", "targets",
         (_r("コスト", "ja", "one word: 費用"),)),
    Term("cpa", "CPA（獲得単価）", "CPA (cost per acquisition)", "費用 ÷ 獲得KGIの必要件数。費用がなければ「—」。",
         "Cost ÷ the required count of the acquisition KGI; “—” when there is no cost.", "targets"),
    # ------------------------------------------------------------------ where a deal is
    Term("deal", "案件", "deal", "1件の商談機会。CRMの1レコード。", "One sales opportunity: one record in the CRM.", "deals"),
    Term("open", "進行中", "open", "受注・失注・中断のどれでもない案件。", "A deal neither won, lost nor paused.", "deals"),
    Term("won", "受注", "won", "契約に至った案件。フェーズ名の「成約」も同じ意味。",
         "A deal that was signed; 成約 in phase names means the same.", "deals"),
    Term("lost", "失注", "lost", "受注に至らず終わった案件。", "A deal that ended without a win.", "deals"),
    Term("paused", "中断", "paused", "止まっているが失注ではない案件（保留）。停滞にも着地見込みにも数えない。",
         "A deal on hold, not lost; neither stagnant nor in the open forecast.", "deals"),
    Term("stagnant", "停滞", "stagnant", "最後のステージに目標日数を超えてとどまっている進行中の案件。",
         "An open deal that has stayed in its last stage longer than the target days.", "deals",
         (_r("滞留", "ja", "one word for stagnation: 停滞", scope="all"),)),
    Term("days_in_stage", "滞在日数", "days in stage", "案件がステージに入ってから次のステージに入るまでの日数（中央値・90%）。",
         "Days from a deal's entry into a stage to its entry into a later one (median, p90).", "deals",
         (_r("中央日数", "ja", "the days are 滞在日数 (中央値), not a 中央日数"),)),
    # ------------------------------------------------------------------ comparing with actuals
    Term("actuals", "実績", "actuals", "CRMから出力した、実際に起きたこと（案件ごとの履歴か件数表）。",
         "What actually happened, exported from the CRM (a stage history per deal or a table of counts).",
         "actuals"),
    Term("reached", "到達", "reached", "そのステージか、それより先まで進んだ案件の数（途中を飛ばした案件も数える）。",
         "Deals whose furthest funnel stage is this one or later (a deal that skipped a stage still passed it).",
         "actuals"),
    Term("entered", "流入", "entered", "そのステージの記録がある案件の数。",
         "Deals with an event at the stage.", "actuals",
         (_r("進入", "ja", "進入 is a traffic word; deals flow into a stage (流入)"),)),
    Term("gap", "差", "gap", "実績の転換率 − 目標転換率（ポイント）。", "Actual rate − target rate, in percentage points.",
         "actuals"),
    Term("attainment", "達成率", "attainment", "実績 ÷ 計画。", "Actual ÷ planned.", "actuals",
         (_r("達成度", "ja", "one word: 達成率"), _r("計画達成率", "ja", "one word: 達成率"))),
    Term("on_track", "順調", "on track", "目標どおりか上回っている。", "At or above target.", "actuals"),
    Term("at_risk", "要注意", "at risk", "目標をやや下回っている。", "Somewhat below target.", "actuals",
         (_r("注意", "ja", "the middle status is 要注意", whole=True),)),
    Term("off_track", "未達", "off track", "目標を大きく下回っている。", "Well below target.", "actuals",
         (_r("要対策", "ja", "the lowest status is 未達", whole=True),)),
    Term("status", "状況", "status", "計画に対するステージの様子（順調・要注意・未達）。",
         "How a stage stands against its plan: on track, at risk or off track.", "actuals",
         (_r("状態", "ja", "a stage's standing against its plan is 状況; 状態 is what a deal or a file is in", whole=True),)),
    Term("bottleneck", "ボトルネック", "bottleneck",
         "転換率が目標に届いていれば最終ステージの件数が最も増えたステージ。",
         "The stage whose rate, had it met its target, would have added most at the KGI stage.", "actuals"),
    Term("forecast", "着地見込み", "forecast",
         "受注済み + 進行中の案件 × この先の実績転換率（80%の幅つき。幅は案件ごとのばらつきと転換率そのものの不確かさを含む）。",
         "Won so far + open deals × the observed rates ahead, with an 80% range that counts both each deal's chance "
         "and the uncertainty of the rates themselves.", "actuals",
         (_r("見込み", "ja", "alone, 見込み could be the forecast or a projected stage", whole=True),
          _r("予測", "ja", "one word: 着地見込み", whole=True))),
    Term("projected", "推計", "projected", "実績にないステージの件数を、計画の転換率で推し量った値。",
         "A count for a stage the actuals lack, estimated with the planned rates.", "actuals"),
    Term("as_of", "基準日", "as-of date", "停滞や進行中を判定する日。", "The date stagnation and open deals are judged at.",
         "actuals"),
    # ------------------------------------------------------------------ customer journey
    Term("journey", "カスタマージャーニー", "customer journey", "顧客の側から見た購買の流れ。プロセスと並行して描く。",
         "The buying path as the customer sees it, drawn beside the process.", "journey"),
    Term("touchpoint", "タッチポイント", "touchpoint", "顧客と自社が接する場所や手段（ジャーニーの列）。",
         "Where and how the customer meets us (a lane of the journey).", "journey",
         (_r("接点", "ja", "the journey lane is タッチポイント; 接点 stays in phase names (顧客接点創出段階)", whole=True),)),
    Term("pain_point", "ペインポイント", "pain point", "顧客がつまずく・不満を感じる点。", "Where the customer struggles.",
         "journey"),
    Term("thoughts", "思考", "thoughts", "その時点で顧客が考えていること。", "What the customer is thinking at that point.",
         "journey"),
    Term("emotion", "感情", "emotion", "−2（不満）〜 +2（満足）の感情スコア。", "An emotion score from −2 (frustrated) to +2 (delighted).",
         "journey"),
    Term("opportunities", "機会", "opportunities", "体験を良くできる点。", "Where the experience can be improved.", "journey"),
    # ------------------------------------------------------------------ wording in templates
    Term("meeting", "商談", "sales meeting", "顧客との商談。フェーズ名「商談段階」は Sales meetings。",
         "A meeting with the customer to sell; the phase 商談段階 is “Sales meetings”.", "wording",
         (_r("Negotiation", "en", "Negotiation is 交渉; 商談段階 is Sales meetings", scope="all",
             paired=r"商談段階"),)),
    Term("negotiation", "交渉", "negotiation", "条件・価格の交渉。", "Bargaining over terms and price.", "wording"),
    Term("discovery", "ヒアリング", "discovery", "顧客の課題・予算・決裁者・時期を聞き取ること。",
         "Finding out the customer's needs, budget, decision-makers and timing.", "wording",
         (_r("Hearing", "en", "“hearing” is wasei-eigo; English sales teams call it discovery", scope="all",
             pattern=r"\bhearings\b|\b(?:the|a|from|after|in|of) hearing\b|^\s*hearing\b"),)),
    Term("probe", "深掘り", "probe deeper", "答えをさらに掘り下げて聞くこと。", "Asking follow-up questions on an answer.",
         "wording", (_r("深堀", "ja", "the word is written 深掘り", scope="all", pattern=r"深堀"),)),
    Term("newsletter", "メルマガ", "newsletter", "定期的に送るメールマガジン。", "A regular e-mail to customers.", "wording",
         (_r("mail magazine", "en", "back-translated; English says newsletter", scope="all",
             pattern=r"\bmail[- ]?magazines?\b"),)),
    Term("giveaway", "ノベルティ", "promotional giveaway", "宣伝のために配る品物。", "An item handed out to promote the brand.",
         "wording", (_r("novelty", "en", "a novelty is a joke item in English; say promotional giveaway", scope="all",
                        pattern=r"\bnovelt(?:y|ies)\b"),)),
    Term("prospect", "見込み客", "prospect", "将来の顧客になりうる相手。", "Someone who may become a customer.", "wording"),
)


STATUS_MARKS: dict[str | None, str] = {"on_track": "●", "at_risk": "▲", "off_track": "■", None: "○"}
"""A shape per status (on track, at risk, off track, none), so that a status reads without its
colour and without an emoji font: plain geometric shapes (U+25A0–U+25FF) that every text font
has, where an emoji (the coloured circles the Compare page used) shows as an empty box without
an emoji font."""


def status_mark(status: str | None) -> str:
    return STATUS_MARKS.get(status, STATUS_MARKS[None])


WHY_JA: dict[str, str] = {
    "step": "画面ではステージと呼ぶ",
    "代理店": "代理店は自ら仕入れて売る販売会社で、費用を払って任せる代行会社とは別",
    "記録する情報": "項目名は「記録すべき情報」で統一",
    "移行条件": "「移行基準」で統一", "遷移条件": "「移行基準」で統一", "transition criteria": "英語は exit criteria で統一",
    "離脱": "Web解析の言葉。法人営業の案件は失注か中断", "drop-out": "英語では人が drop out し、案件は drop する",
    "離脱理由": "Web解析の言葉", "再開": "戻る道筋は「復帰」（復帰ステージ）。文中の動詞としては使ってよい",
    "移行率": "「転換率」で統一", "遷移率": "「転換率」で統一", "通過率": "「転換率」で統一",
    "コスト": "「費用」で統一", "滞留": "停滞は「停滞」で統一", "中央日数": "「滞在日数（中央値）」と書く",
    "進入": "交通の言葉。案件はステージに「流入」する", "達成度": "「達成率」で統一", "計画達成率": "「達成率」で統一",
    "状態": "計画に対するステージの様子は「状況」。「状態」は案件の状態（進行中・受注・失注）やファイルの状態", "注意": "中間の状況は「要注意」", "要対策": "最も悪い状況は「未達」",
    "見込み": "単独では着地見込みか推計か分からない", "予測": "「着地見込み」で統一",
    "接点": "ジャーニーの列は「タッチポイント」。フェーズ名（顧客接点創出段階）では使う",
    "Negotiation": "Negotiation は「交渉」。「商談段階」は Sales meetings",
    "Hearing": "和製英語。英語の営業では discovery", "深堀": "正しくは「深掘り」",
    "mail magazine": "直訳。英語では newsletter", "novelty": "英語の novelty は冗談グッズ。promotional giveaway と書く",
}
"""The reason for each rejected variant in Japanese, for the glossary document."""


def term(key: str) -> Term:
    for t in TERMS:
        if t.key == key:
            return t
    raise KeyError(key)


def word(key: str, lang: str) -> str:
    """The glossary's word for `key` in `lang`."""
    t = term(key)
    return t.ja if lang == "ja" else t.en


@dataclass(frozen=True)
class Finding:
    """A rejected variant found in a text."""

    where: str
    text: str
    term: Term
    variant: Rejected

    def __str__(self) -> str:
        use = self.term.ja if self.variant.lang == "ja" else self.term.en
        return f"{self.where}: '{self.variant.word}' in {self.text!r} — use '{use}' ({self.variant.why})"


def rejected_in(text: str, lang: str, where: str = "", scope: str = "product",
                ja_side: str | None = None) -> list[Finding]:
    """The rejected variants of `lang` that `text` uses. `scope='all'` checks only the variants
    rejected everywhere (for templates); `'product'` checks every variant (for journeymap's own words)."""
    out: list[Finding] = []
    for t in TERMS:
        for v in t.rejected:
            if v.lang != lang or (scope == "all" and v.scope != "all"):
                continue
            if v.found_in(text, ja_side):
                out.append(Finding(where, text, t, v))
    return out


# --------------------------------------------------------------------------- the document


def markdown() -> str:
    """docs/glossary.md: the terms by group, each with its words, meaning and rejected variants."""
    out = [
        "# 用語集 / Glossary",
        "",
        "<!-- Generated from journeymap/text/glossary.py: python -m journeymap.text.glossary > docs/glossary.md -->",
        "",
        "journeymap は1つの考えに1つの言葉を使います。アプリ、コマンドライン、レポート、図、テンプレートはすべてこの用語集に従います。",
        "「使わない語」はその意味では使わない言い回しです（テストで検査しています）。",
        "",
        "journeymap uses one word for one idea. The app, the command line, the reports, the diagrams and the",
        "templates all follow this glossary. “Not used” lists the variants we do not use for the idea (a test checks them).",
        "",
    ]
    for group, (ja_title, en_title) in GROUPS.items():
        out += [f"## {ja_title} / {en_title}", "",
                "| 日本語 | English | 意味 | Meaning | 使わない語 / Not used |",
                "|---|---|---|---|---|"]
        for t in TERMS:
            if t.group != group:
                continue
            rejected = "<br>".join(f"~~{_cell(v.word)}~~ — {_cell(WHY_JA.get(v.word, ''))} / {_cell(v.why)}"
                                   for v in t.rejected)
            out.append(f"| **{_cell(t.ja)}** | **{_cell(t.en)}** | {_cell(t.ja_meaning)} | {_cell(t.en_meaning)} | {rejected} |")
        out.append("")
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    import sys

    sys.stdout.write(markdown())
