"""A printable stage checklist: one A4 page per stage for the salespeople (HTML; print it or save it
as PDF from the browser).

Each page has the stage's place (phase, number, owner), what it takes to move on (the stage's
exit criteria, and on a phase's last stage the phase's 移行基準), the records to fill in as a
paper form (select options as boxes to tick, required and key fields marked), and the other paths
out of the stage with their criteria and the records they need. Every user text is HTML-escaped.
Deterministic: no dates or versions in the output.
"""

from __future__ import annotations

from html import escape

from journeymap.export import Format, register
from journeymap.model import Design, Record, Stage, Text, text_of

WORDS = {
    "ja": {
        "title": "ステージ別チェックリスト", "owner": "担当", "exit": "次へ進む基準", "phase_exit": "次のフェーズへの移行基準",
        "entry": "このフェーズの開始基準", "records": "記録する項目", "required": "必須", "key": "キー項目",
        "paths": "ほかの進み先", "needs": "必要な記録", "none": "（なし）", "yes": "はい", "no": "いいえ",
        "date": "　　年　　月　　日", "legend": "★ キー項目　* 必須", "stage": "ステージ",
    },
    "en": {
        "title": "Stage checklist", "owner": "Owner", "exit": "To move on", "phase_exit": "To move to the next phase",
        "entry": "To enter this phase", "records": "Fields to record", "required": "required", "key": "key field",
        "paths": "Other paths", "needs": "needs", "none": "(none)", "yes": "yes", "no": "no",
        "date": "____ / ____ / ____", "legend": "★ key field  * required", "stage": "Stage",
    },
}

CSS = """
@page { size: A4; margin: 14mm; }
body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; color: #111827; margin: 0; }
section.page { page-break-after: always; break-after: page; padding: 4mm 0; }
section.page:last-child { page-break-after: auto; break-after: auto; }
.kicker { color: #475569; font-size: 11pt; margin: 0; }
h1 { font-size: 20pt; margin: 2mm 0 1mm; }
.meta { color: #334155; font-size: 11pt; margin-bottom: 4mm; }
h2 { font-size: 13pt; border-bottom: 1.5pt solid #1e3a8a; color: #1e3a8a; margin: 5mm 0 2mm; padding-bottom: 1mm; }
ul.check { list-style: none; padding-left: 0; margin: 0; }
ul.check li { font-size: 11.5pt; margin: 1.5mm 0; padding-left: 7mm; text-indent: -7mm; }
ul.check li::before { content: "☐"; display: inline-block; width: 7mm; text-indent: 0; }
table.form { width: 100%; border-collapse: collapse; font-size: 11pt; }
table.form th { text-align: left; width: 38%; vertical-align: top; padding: 2mm 2mm 2mm 0; font-weight: 600; }
table.form td { border-bottom: 0.6pt solid #94a3b8; padding: 2mm 0; vertical-align: top; }
.help { color: #64748b; font-size: 9pt; font-weight: normal; display: block; }
.opt { margin-right: 5mm; white-space: nowrap; }
.legend { color: #64748b; font-size: 9pt; margin-top: 3mm; }
"""


def to_checklist_html(design: Design, lang: str = "ja") -> str:
    """The checklist document: one `<section class="page">` per stage, in design order."""
    words = WORDS.get(lang, WORDS["ja"])
    pages = [_page(design, number, stage, lang, words) for number, stage in enumerate(design.stages, start=1)]
    title = f"{escape(text_of(design.name, lang))} — {words['title']}"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(pages) + "\n</body>\n</html>\n"
    )


def _page(design: Design, number: int, stage: Stage, lang: str, words: dict[str, str]) -> str:
    phase = design.phase_of(stage.id)
    last_in_phase = phase.stages[-1].id == stage.id
    first_in_phase = phase.stages[0].id == stage.id
    parts = [
        '<section class="page">',
        f'<p class="kicker">{_t(phase.name, lang)} · {words["stage"]} {number}</p>',
        f"<h1>{_t(stage.name, lang)}</h1>",
    ]
    if stage.owner:
        parts.append(f'<div class="meta">{words["owner"]}: {_t(design.owner(stage.owner).name, lang)}</div>')
    if first_in_phase and phase.entry_criteria:
        parts += [f'<h2>{words["entry"]}</h2>', _checks(phase.entry_criteria, lang)]
    parts += [f'<h2>{words["exit"]}</h2>', _checks(stage.exit_criteria, lang) if stage.exit_criteria else words["none"]]
    if last_in_phase and phase.exit_criteria:
        parts += [f'<h2>{words["phase_exit"]}</h2>', _checks(phase.exit_criteria, lang)]
    if stage.records:
        rows = "".join(_record_row(record, lang, words) for record in sorted(stage.records, key=lambda r: not r.key))
        parts += [f'<h2>{words["records"]}</h2>', f'<table class="form">{rows}</table>', f'<p class="legend">{words["legend"]}</p>']
    paths = [t for t in design.transitions if t.from_ == stage.id]
    if paths:
        parts.append(f'<h2>{words["paths"]}</h2>')
        items = []
        names = {r_id: r.name for r_id, r in design.record_ids().items()}
        for path in paths:
            target = _t(design.stage(path.to).name, lang)
            label = f"{_t(path.label, lang)} → " if path.label else "→ "
            detail = [_t(c, lang) for c in path.criteria]
            if path.required_records:
                detail.append(f'{words["needs"]}: ' + "、".join(_t(names[r], lang) for r in path.required_records))
            items.append(f"<li>{label}{target}" + (f"<br>{'<br>'.join(detail)}" if detail else "") + "</li>")
        parts.append(f'<ul class="check">{"".join(items)}</ul>')
    parts.append("</section>")
    return "\n".join(parts)


def _record_row(record: Record, lang: str, words: dict[str, str]) -> str:
    mark = (" ★" if record.key else "") + (" *" if record.required else "")
    help_text = f'<span class="help">{_t(record.help, lang)}</span>' if record.help else ""
    if record.type in ("select", "multiselect"):
        cell = "".join(f'<span class="opt">☐ {_t(option, lang)}</span>' for option in record.options)
    elif record.type == "bool":
        cell = f'<span class="opt">☐ {words["yes"]}</span><span class="opt">☐ {words["no"]}</span>'
    elif record.type == "date":
        cell = words["date"]
    else:
        cell = "&nbsp;"
    return f"<tr><th>{_t(record.name, lang)}{mark}{help_text}</th><td>{cell}</td></tr>"


def _checks(items: list[Text], lang: str) -> str:
    return '<ul class="check">' + "".join(f"<li>{_t(item, lang)}</li>" for item in items) + "</ul>"


def _t(value: Text | None, lang: str) -> str:
    return escape(text_of(value, lang))


register(
    Format(
        "checklist",
        "html",
        "text/html",
        to_checklist_html,
        "Printable stage checklist (HTML, one A4 page per stage)",
        options=("lang",),
    )
)
