"""Small helpers shared by the export formats: fixed words per language, safe text, planned rates."""

from __future__ import annotations

import re

from journeymap.model import Design

WORDS = {
    "ja": {
        "start": "開始",
        "end": "完了",
        "lost": "失注",
        "continue": "継続",
        "recover": "再開",
        "unassigned": "未割当",
        "exit_criteria": "移行基準",
        "to": "{name}へ",
        "closed_lost": "失注",
        "closed_won": "受注",
        "won": "受注",
        "gateway": "{name}の判定",
        "more": "ほか{count}件",
    },
    "en": {
        "start": "Start",
        "end": "Done",
        "lost": "Lost",
        "continue": "continue",
        "recover": "recover",
        "unassigned": "Unassigned",
        "exit_criteria": "Exit criteria",
        "to": "to {name}",
        "closed_lost": "Closed Lost",
        "closed_won": "Closed Won",
        "won": "Won",
        "gateway": "{name}: next step?",
        "more": "{count} more",
    },
}
LIST_SEPARATOR = {"ja": "、", "en": ", "}


def word(key: str, lang: str, **values: str) -> str:
    """A fixed word of the exports in `lang` (ja or en)."""
    table = WORDS.get(lang, WORDS["ja"])
    return table[key].format(**values) if values else table[key]


def join_names(names: list[str], lang: str) -> str:
    return LIST_SEPARATOR.get(lang, ", ").join(names)


# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates and
# U+FFFE/U+FFFF; anything else cannot be written at all, escaped or not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text with the characters XML 1.0 cannot carry removed (the library escapes the rest)."""
    return _NOT_XML.sub("", value)


def kgi_stage_id(design: Design) -> str | None:
    """The stage the design's goal is counted at: the first KGI's stage, else the last funnel stage."""
    funnel_ids = [s.id for s in design.funnel_stages]
    for kgi in design.kgis:
        if kgi.stage in funnel_ids:
            return kgi.stage
    return funnel_ids[-1] if funnel_ids else None
