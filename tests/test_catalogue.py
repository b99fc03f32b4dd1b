"""The one ja/en catalogue (journeymap.text.catalogue): every text in both languages, and every key
the library asks for is there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from journeymap.text.catalogue import ACCOUNTS, CATALOGUE, counted, text

LIBRARY = Path(__file__).parent.parent / "journeymap"
PLACEHOLDER = re.compile(r"{(\w+)}")
JAPANESE = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")
# text("report.title", lang), t("page.home"), counted("report.won", counts): a key written out in the code.
STATIC_KEY = re.compile(r"""\b(?:text|t|counted)\(\s*["']([a-z_][a-z0-9_.\-]*)["']""")
NAMESPACES = {
    # the app
    "page", "common", "sidebar", "conflict", "notice", "home", "design", "layout", "detail", "history", "journey",
    "plan", "present", "compare", "help", "status", "role", "transfer", "format", "field", "kind", "unit",
    "direction", "owner_kind", "category", "segment", "period", "view", "theme", "diagram_alt", "msg", "crm", "auth", "access",
    "engagement", "forecast", "record_type", "pricing_model", "problem", "counts",
    "presenter", "stale", "lang", "workspace", "format_name", "chart", "toolbar", "streamlit",
    # diagrams, reports, exports
    "diagram", "report", "export",
}


def test_every_text_has_japanese_and_english_with_the_same_placeholders():
    empty = [k for k, (ja, en) in CATALOGUE.items() if not ja.strip() or not en.strip()]
    mismatched = [k for k, (ja, en) in CATALOGUE.items() if sorted(PLACEHOLDER.findall(ja)) != sorted(PLACEHOLDER.findall(en))]
    assert empty == [] and mismatched == []


def test_keys_are_namespaced():
    assert sorted(k for k in CATALOGUE if k.split(".")[0] not in NAMESPACES or "." not in k) == []


def test_the_japanese_text_is_japanese():
    latin_only = [k for k, (ja, _en) in CATALOGUE.items() if not JAPANESE.search(ja)]
    # Ids, units, signs and product names may stay in Latin letters; sentences may not.
    assert [k for k in latin_only if len(CATALOGUE[k][0]) > 12] == []


# word("legend", lang) in the diagrams is diagram.legend; in the exports, export.start.
WORD = re.compile(r"""\bword\(\s*["']([a-z_]+)["']""")


def test_every_key_written_in_the_library_exists():
    used = {key for path in LIBRARY.rglob("*.py") for key in STATIC_KEY.findall(path.read_text("utf-8"))}
    for package, namespace in (("render", "diagram"), ("export", "export")):
        used |= {f"{namespace}.{w}" for path in (LIBRARY / package).glob("*.py") for w in WORD.findall(path.read_text("utf-8"))}
    assert len(used) > 200 and "diagram.legend" in used and "export.start" in used and "report.title" in used
    assert sorted(k for k in used if k not in CATALOGUE) == []


@pytest.mark.parametrize("prefix, values", [
    ("status", ["on_track", "at_risk", "off_track"]),
    ("report.status", ["on_track", "at_risk", "off_track"]),
    ("diagram", ["on_track", "at_risk", "off_track", "no_status", "process_view", "journey_view", "funnel_view",
                 "customer_actions", "touchpoints", "thoughts", "emotion", "pain_points", "opportunities", "stages"]),
    ("diagram.emotion_level", ["-2", "-1", "0", "1", "2"]),
    ("period", ["week", "month", "quarter", "year"]),
    ("report.plan", ["week", "month", "quarter", "year"]),
    ("report.plan.basis", ["kgi", "projected"]),
    ("report.by", ["owner", "channel", "segment", "temperature"]),
    ("report.periods_of", ["week", "month", "quarter", "year"]),
    ("report.basis", ["activity", "cohort"]),
    ("report.move", ["designed", "skip", "backward", "outside"]),
])
def test_keys_built_from_values_exist(prefix, values):
    assert [v for v in values if f"{prefix}.{v}" not in CATALOGUE] == []


def test_an_account_variant_says_the_same_thing_as_its_key_in_account_words():
    """`key.accounts` is what `key` says for a design that counts accounts: the key exists, takes the
    same placeholders, and `counted` picks the variant for an account design only (`counts.accounts`
    is the choice of what a design counts, not a variant)."""
    variants = [k for k in CATALOGUE if k.endswith(ACCOUNTS) and not k.startswith("counts.")]
    assert len(variants) > 40
    base = {v: v[: -len(ACCOUNTS)] for v in variants}
    assert [v for v in variants if base[v] not in CATALOGUE] == []
    assert [v for v in variants if any(sorted(PLACEHOLDER.findall(CATALOGUE[v][i])) != sorted(PLACEHOLDER.findall(CATALOGUE[base[v]][i]))
                                       for i in (0, 1))] == []
    assert all(counted(base[v], "accounts") == v and counted(base[v], "deals") == base[v] for v in variants)
    assert counted("report.title", "accounts") == "report.title"  # no variant: the key's own text
    assert text(counted("report.won", "accounts"), "ja") == "社 到達済み" and text(counted("report.won", "deals"), "ja") == "件 受注済み"


def test_account_words_say_no_deal_and_no_win():
    """A variant exists to drop 案件 / 受注 / 失注 and deals / won / lost: none may bring them back."""
    variants = [k for k in CATALOGUE if k.endswith(ACCOUNTS) and not k.startswith("counts.")]
    ja = [k for k in variants if re.search("案件|受注|失注", CATALOGUE[k][0])]
    en = [k for k in variants if re.search(r"\b(?:deals?|won|wins?|lost)\b", PLACEHOLDER.sub("", CATALOGUE[k][1]), re.IGNORECASE)]
    assert ja == [] and en == []


def test_text_fills_placeholders_in_the_language_asked():
    assert text("report.more", "ja", n=3) == "ほか 3 件"
    assert text("report.more", "en", n=3) == "and 3 more"
    assert text("diagram.legend", "en") == "Legend" and text("diagram.legend", "ja") == "凡例"


ALLOWED_LATIN = {
    # formats, tools and products people know by these names; units and acronyms of the method
    "CSV", "TSV", "TXT", "XLSX", "YAML", "YML", "JSON", "BPMN", "Mermaid", "Excel", "PowerPoint", "PDF", "PNG", "SVG", "DOT",
    "HTML", "Markdown", "UTF", "BOM", "Salesforce", "HubSpot", "Pipedrive", "Zoho", "Camunda", "Modeler", "GitHub",
    "Notion", "Wiki", "API", "CRM", "SFA", "KGI", "KPI", "CPA", "BANT", "PoC", "SNS", "SMB", "ID", "URL", "OIDC",
    "Ctrl", "Shift", "Enter", "Esc", "Home", "End", "PageUp", "PageDown", "journeymap", "access", "toml", "Language",
    "English", "MB", "pt", "px", "hot", "warm", "cold", "won", "lost", "dmy", "mdy", "yaml", "json", "xlsx", "csv",
    "svg", "png", "pdf", "pptx", "md", "mmd", "zip", "bpmn", "dot", "html", "columns", "stage", "map", "paused",
    "ignore", "deal", "timestamp", "count", "Date", "entered", "StageName", "Field", "Closed", "Won", "Lost",
    "Shift_JIS", "JIS", "CP", "Graphviz", "Schema", "XML", "package", "Debian", "Ubuntu", "id",
    "appointment",  # an example id: ids are Latin slugs
    "TOML", "owners", "editors", "viewers",  # the access file's format and its keys, written as they are
}


def test_the_japanese_texts_use_no_english_words():
    """The Japanese app shows no English: a Latin word in a Japanese text is a name people know it by
    (a format, a tool, an acronym of the method) or a placeholder, nothing else."""
    found = {}
    for key, (ja, _en) in CATALOGUE.items():
        bare = re.sub(r"{\w+(?:[:!][^}]*)?}", "", ja)
        bare = re.sub(r"(?:\./dev\.sh|sudo) [\w ./-]+", "", bare)  # a command to type
        bare = re.sub(r"--[a-z-]+|\w+=\S+|\.[a-z]+\b|'[^']*'|\"[^\"]*\"", "", bare)  # options, VALUE=STAGE, .ext, quoted
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z]+", bare) if w not in ALLOWED_LATIN]
        if words:
            found[key] = words
    assert found == {}


def test_every_export_format_has_a_name_and_a_description_in_both_languages():
    from journeymap.export import formats

    assert [n for n in formats() if f"format_name.{n}" not in CATALOGUE or f"format.{n}" not in CATALOGUE] == []
    assert all(CATALOGUE[f"format_name.{n}"][1] == n for n in formats())  # English: the command line's --format name
