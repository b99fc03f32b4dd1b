"""Which column of an actuals file means what: roles, their names in common exports, the shapes.

A **role** is what journeymap needs from a column (`deal_id`, `stage`, `timestamp`, `count` …).
Headers are recognised case-insensitively after NFKC normalisation, ignoring spaces, `_`, `-`
and `.`, from the exports sales teams actually have:

- Salesforce OpportunityHistory / OpportunityFieldHistory API names (OpportunityId, StageName,
  FromOpportunityStageName, CreatedDate, Amount, CloseDate, Probability, …) and their labels;
- HubSpot deal exports (Record ID, Deal Stage, Amount, Deal owner, Closed lost reason, …) with
  the stage calculated properties `Date entered "<stage> (<pipeline>)"` or, by internal name,
  `hs_v2_date_entered_<stageId>` (also the older `hs_date_entered_<stageId>`): one column per
  stage, turned into an event log;
- XES-style event logs (`case:concept:name`, `concept:name`, `time:timestamp`, `org:resource`);
- Japanese headers (案件ID, ステージ, 日時, 金額, 担当者, チャネル, 失注理由, 次回アクション日 …).

`--columns role=COLUMN,...` (the `columns` argument) maps anything else and wins over guessing.

Shapes, recognised from the roles found:
- `events`: deal_id + stage + timestamp (one row per deal entering a stage);
- `wide`: deal_id + date-entered columns (HubSpot), turned into events;
- `counts`: stage + count, without deal_id (a stage-count table, optional period/segment/cost).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from journeymap.errors import InputError, Issue
from journeymap.text.format import DASH
from journeymap.text.problems import problem

ROLES = {
    "deal_id": "the deal (案件) each row belongs to",
    "stage": "the stage the deal entered",
    "timestamp": "when it entered the stage",
    "from_stage": "the stage before (Salesforce FromOpportunityStageName; read but not needed)",
    "amount": "the deal's amount (受注金額 for revenue KGIs)",
    "owner": "who owns the deal (担当者)",
    "channel": "where the deal came from (チャネル, lead source)",
    "segment": "customer segment (セグメント)",
    "status": "open / won / lost (失注 marks a deal lost)",
    "lost_reason": "why the deal was lost (失注理由)",
    "temperature": "lead temperature or certainty (温度感, 確度: Hot/Warm/Cold, A/B/C)",
    "next_action_date": "the date of the next action (次回アクション日)",
    "close_date": "expected or actual close date (read but not needed)",
    "probability": "win probability (read but not needed)",
    "count": "how many items reached the stage (stage-count table)",
    "period": "the period of a stage-count row (month, 期間)",
    "cost": "what the stage cost in that period (stage-count table)",
    "field": "OpportunityFieldHistory: the field that changed",
    "new_value": "OpportunityFieldHistory: the new value",
}

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "deal_id": (
        "deal_id", "dealid", "deal", "opportunityid", "opportunity_id", "opportunity id", "opportunity",
        "case:concept:name", "case_id", "caseid", "case", "record id", "hs_object_id", "deal record id",
        "案件id", "案件番号", "案件no", "案件コード", "商談id", "商談番号", "商談no", "取引id", "取引番号", "オポチュニティid",
    ),
    "stage": (
        "stage", "stagename", "stage_name", "deal stage", "dealstage", "to stage", "tostage", "concept:name",
        "activity", "ステージ", "商談ステージ", "営業ステージ", "フェーズ", "段階", "フェーズ名", "ステージ名", "到達ステージ",
    ),
    "from_stage": ("fromopportunitystagename", "from stage", "fromstage", "previous stage", "変更前ステージ", "前ステージ"),
    "timestamp": (
        "timestamp", "time:timestamp", "createddate", "created date", "date", "datetime", "time", "entered_at",
        "entered at", "entered", "event time", "event_time", "changed at", "changedate", "stage date", "stage_date",
        "日時", "日付", "登録日時", "作成日時", "変更日時", "更新日時", "移行日", "移行日時", "発生日時", "ステージ変更日", "到達日",
        # Japanese CRM exports (Salesforce, kintone, HubSpot and others in Japanese)
        "変更日", "更新日", "編集日", "編集日時", "最終更新日", "最終更新日時", "登録日", "作成日", "発生日",
        "ステージ変更日時", "フェーズ変更日", "フェーズ変更日時", "ステージ移行日", "フェーズ移行日",
    ),
    "amount": (
        "amount", "deal amount", "dealamount", "value", "deal value", "revenue", "金額", "受注金額", "見込金額",
        "商談金額", "売上", "売上金額", "契約金額",
    ),
    "owner": (
        "owner", "owner name", "ownername", "ownerid", "owner id", "deal owner", "opportunity owner",
        "hubspot_owner_id", "org:resource", "assignee", "sales rep", "salesrep", "rep",
        "担当者", "担当", "営業担当", "担当営業", "担当者名", "所有者",
    ),
    "channel": (
        "channel", "lead source", "leadsource", "source", "original source", "hs_analytics_source",
        "original source type", "チャネル", "流入経路", "リードソース", "獲得経路", "媒体", "流入元",
    ),
    "segment": ("segment", "customer segment", "deal type", "dealtype", "type", "セグメント", "顧客区分", "区分", "顧客セグメント"),
    "status": ("status", "state", "deal status", "result", "outcome", "ステータス", "状態", "結果", "商談結果"),
    "lost_reason": (
        "lost_reason", "lost reason", "closed lost reason", "closed_lost_reason", "loss reason", "reason lost",
        "drop reason", "drop_reason", "失注理由", "中断理由", "失注要因", "離脱理由",
    ),
    "next_action_date": (
        "next_action_date", "next action date", "next step date", "next activity date", "notes_next_activity_date",
        "次回アクション日", "次回アクション予定日", "次回予定日", "次回接触日", "次回アクション",
    ),
    "close_date": ("closedate", "close date", "完了予定日", "受注予定日", "成約予定日", "クローズ日"),
    "probability": ("probability", "hs_deal_stage_probability", "deal probability"),
    "temperature": (
        "temperature", "lead temperature", "deal temperature", "rating", "lead rating", "certainty", "hs_lead_status",
        "温度感", "温度", "確度", "受注確度", "確度ランク", "ヨミ", "見込み度", "ホット度",
    ),
    "count": ("count", "件数", "数", "number", "deals", "n", "人数", "社数"),
    "period": ("period", "month", "期間", "月", "年月", "対象月", "対象期間"),
    "cost": ("cost", "費用", "コスト", "spend", "支出"),
    "field": ("field", "項目", "変更項目"),
    "new_value": ("newvalue", "new value", "新しい値", "変更後"),
}


def header_key(name: str) -> str:
    """The form headers are compared in: NFKC, case folded, without spaces, '_', '-' and '.'."""
    text = unicodedata.normalize("NFKC", str(name)).casefold().strip()
    return re.sub(r"[\s_\-.]+", "", text)


_BY_KEY: dict[str, str] = {}
for _role, _names in _SYNONYMS.items():
    for _name in _names:
        _BY_KEY.setdefault(header_key(_name), _role)

# When the record was made, not when it changed: the timestamp only when no change date is there
# (a history export's own rows are made when the stage changes; a deal's creation date is not its stage's).
_WEAK = {header_key(n) for n in ("createddate", "created date", "作成日", "作成日時", "登録日", "登録日時")}

_WIDE_PATTERNS = (
    re.compile(r'^date entered\s*[:"“「]?\s*(?P<stage>.+?)\s*["”」]?$', re.IGNORECASE),
    re.compile(r"^hs_v2_date_entered_(?P<stage>.+)$", re.IGNORECASE),
    re.compile(r"^hs_date_entered_(?P<stage>.+)$", re.IGNORECASE),
    re.compile(r"^[「\"]?(?P<stage>.+?)[」\"]?\s*に入った日(付|時)?$"),
    re.compile(r"^(?P<stage>.+?)\s*(到達日|到達日時)$"),
)
_NOT_A_STAGE = {"current stage", "currentstage", "current_stage"}
_PIPELINE_SUFFIX = re.compile(r"^(?P<stage>.+?)\s*[(（][^()（）]+[)）]$")


@dataclass
class ColumnRoles:
    """Role → column, the shape they make, and the date-entered columns of a wide export."""

    roles: dict[str, str] = field(default_factory=dict)
    wide: dict[str, list[str]] = field(default_factory=dict)
    """Column → stage values to try (the label with and without its '(pipeline)' suffix)."""
    guessed: dict[str, str] = field(default_factory=dict)
    """The roles found by name (not given in `columns`)."""

    @property
    def shape(self) -> str | None:
        r = self.roles
        if "deal_id" in r and self.wide:
            return "wide"
        if {"deal_id", "stage", "timestamp"} <= r.keys():
            return "events"
        if {"field", "new_value", "deal_id", "timestamp"} <= r.keys():
            return "events"
        if {"stage", "count"} <= r.keys() and "deal_id" not in r:
            return "counts"
        return None


def wide_stage(column: str) -> list[str] | None:
    """The stage values a HubSpot date-entered column stands for, or None."""
    for pattern in _WIDE_PATTERNS:
        match = pattern.match(column.strip())
        if match:
            stage = match.group("stage").strip().strip('"“”「」')
            if not stage or header_key(stage) in {header_key(n) for n in _NOT_A_STAGE}:
                return None
            values = [stage]
            bare = _PIPELINE_SUFFIX.match(stage)
            if bare:
                values.append(bare.group("stage"))
            return values
    return None


def guess_roles(columns: list[str], given: dict[str, str] | None = None, source: str | None = None) -> ColumnRoles:
    """Roles from the header names; `given` (role → column name) overrides. Raise InputError when a
    given role or column does not exist."""
    given = dict(given or {})
    _check_given(columns, given, source)
    lookup = {header_key(c): c for c in reversed(columns)}
    roles: dict[str, str] = {role: lookup[header_key(name)] for role, name in given.items()}
    taken = set(roles.values())
    result = ColumnRoles(roles=roles)
    weak: list[str] = []
    for column in columns:
        if column in taken:
            continue
        stages = wide_stage(column)
        if stages is not None:
            result.wide[column] = stages
            continue
        if header_key(column) in _WEAK:
            weak.append(column)
            continue
        role = _BY_KEY.get(header_key(column))
        if role and role not in roles:
            roles[role] = column
            result.guessed[role] = column
            taken.add(column)
    for column in weak:
        role = _BY_KEY[header_key(column)]
        if role not in roles:
            roles[role] = column
            result.guessed[role] = column
    return result


def _check_given(columns: list[str], given: dict[str, str], source: str | None) -> None:
    keys = {header_key(c) for c in columns}
    issues = []
    for role, name in given.items():
        if role not in ROLES:
            issues.append(problem("problem.unknown_column_role", source=source, role=role, roles=", ".join(ROLES)))
        elif header_key(name) not in keys:
            issues.append(problem("problem.column_missing", source=source, role=role, name=name, columns=", ".join(columns)))
    if issues:
        raise InputError(issues)


def missing_columns_issue(columns: list[str], roles: ColumnRoles, where: dict) -> Issue:
    """Say which columns were found and which each shape expects."""
    found = ", ".join(f"'{c}'" for c in columns) or DASH
    have = ", ".join(f"{r}='{c}'" for r, c in roles.roles.items()) or DASH
    events = ", ".join(r for r in ("deal_id", "stage", "timestamp") if r not in roles.roles) or DASH
    counts = ", ".join(r for r in ("stage", "count") if r not in roles.roles) or DASH
    return problem("problem.columns_unknown", found=found, have=have, events=events, counts=counts, **where)
