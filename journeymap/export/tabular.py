"""CSV: one row per stage, for spreadsheets. UTF-8 with a BOM so that Excel in Japan opens it.

Text cells are neutralised against formula injection as OWASP recommends: a cell that starts with
`=`, `+`, `-`, `@`, a tab or a carriage return (or their full-width forms, which Japanese input
produces) gets a leading `'`, so a spreadsheet shows it as text instead of running it. Numbers are
written as numbers and are never prefixed.
"""

from __future__ import annotations

import csv
import io

from journeymap.export import Format, register
from journeymap.model import KPI, Design, Record, text_of
from journeymap.planning import stage_probabilities, stage_unit_costs
from journeymap.text.format import exact, planned_rate

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

HEADERS = {
    "en": ["phase_id", "phase", "stage_id", "stage", "owner", "funnel", "target_rate", "target_days", "unit_cost", "kpis",
           "probability", "forecast_category", "records", "exit_criteria"],
    "ja": ["フェーズID", "フェーズ", "ステージID", "ステージ", "担当", "ファネル", "目標転換率", "目標日数", "単価", "KPI",
           "確度", "予測区分", "記録項目", "移行基準"],
}
_TYPE_WORDS = {
    "ja": {"text": "テキスト", "number": "数値", "currency": "金額", "date": "日付", "select": "選択",
           "multiselect": "複数選択", "bool": "はい/いいえ", "required": "必須", "key": "キー項目"},
    "en": {"text": "text", "number": "number", "currency": "amount", "date": "date", "select": "select",
           "multiselect": "multi-select", "bool": "yes/no", "required": "required", "key": "key field"},
}


def record_text(record: Record, lang: str) -> str:
    """`顧客の初期反応 (選択: 前向き/検討中/やや慎重/否定的) [必須, キー項目]`; a plain text record is its name."""
    words = _TYPE_WORDS.get(lang, _TYPE_WORDS["en"])
    text = text_of(record.name, lang)
    if record.type != "text" or record.options:
        kind = words[record.type]
        if record.options:
            kind += ": " + "/".join(text_of(o, lang) for o in record.options)
        text += f" ({kind})"
    marks = [words[m] for m in ("required", "key") if getattr(record, m)]
    return text + (f" [{', '.join(marks)}]" if marks else "")


def neutralize(value: object) -> object:
    """A text cell made safe for spreadsheets (leading `'` before a formula trigger); others as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def kpi_text(kpi: KPI, lang: str) -> str:
    """`架電数 ≥ 1000`, `接続率 ≥ 30%`, `アポ単価 ≤ 10000`: name, direction and target."""
    name = text_of(kpi.name, lang)
    if kpi.target is None:
        return name
    value = planned_rate(kpi.target) if kpi.unit == "rate" else exact(kpi.target)
    return f"{name} {'≤' if kpi.direction == 'down' else '≥'} {value}"


def stage_rows(design: Design, lang: str = "ja") -> list[list[object]]:
    """The table the CSV holds, header first; cells are str, int, float or bool (not yet neutralised)."""
    rows: list[list[object]] = [list(HEADERS.get(lang, HEADERS["en"]))]
    unit_costs = stage_unit_costs(design)
    probabilities = stage_probabilities(design)
    for _pi, _si, phase, stage in design.iter_stages():
        owner = text_of(design.owner(stage.owner).name, lang) if stage.owner else ""
        rows.append(
            [
                phase.id,
                text_of(phase.name, lang),
                stage.id,
                text_of(stage.name, lang),
                owner,
                stage.funnel,
                stage.target_rate,
                stage.target_days,
                unit_costs.get(stage.id),
                "\n".join(kpi_text(kpi, lang) for kpi in stage.kpis),
                _rounded(probabilities.get(stage.id)),
                stage.forecast_category,
                "\n".join(record_text(record, lang) for record in stage.records),
                "\n".join(text_of(item, lang) for item in stage.exit_criteria),
            ]
        )
    return rows


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return neutralize(value)


def to_csv(design: Design, lang: str = "ja") -> str:
    """One row per stage, with a BOM; every text cell neutralised against formula injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in stage_rows(design, lang):
        writer.writerow([_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()


register(
    Format(
        "csv",
        "csv",
        "text/csv",
        to_csv,
        "Stages as CSV (UTF-8 with BOM, opens in Excel)",
        options=("lang",),
    )
)


def _rounded(value: float | None) -> float | None:
    """A computed probability without float noise (0.024000000000000007 → 0.024)."""
    return None if value is None else round(value, 6)
