"""The glossary (用語集): one word per idea, its document current, and no rejected variant in the
template library."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from journeymap.library import template_paths
from journeymap.text.glossary import GROUPS, TERMS, Rejected, markdown, rejected_in

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "glossary.md"

# Fields that hold what a CRM calls things, not our wording: aliases match CRM exports as they are.
NOT_WORDING = {"id", "aliases", "crm_values", "stage", "stages", "from", "to", "owner", "recovery_stage"}


def test_the_document_is_generated_from_the_glossary():
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "docs/glossary.md is out of date: python -m journeymap.text.glossary > docs/glossary.md")


def test_the_readme_links_the_glossary():
    assert "(docs/glossary.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_one_word_per_idea_in_each_language():
    for lang in ("ja", "en"):
        words = [getattr(t, lang) for t in TERMS]
        assert len(words) == len(set(words)), f"two terms share a {lang} word"
    assert len({t.key for t in TERMS}) == len(TERMS)
    assert {t.group for t in TERMS} <= set(GROUPS)


def test_no_term_uses_a_variant_the_glossary_rejects():
    for t in TERMS:
        for lang, own in (("ja", t.ja), ("en", t.en)):
            found = [str(f) for f in rejected_in(own, lang, t.key)]
            assert not found, found


@pytest.mark.parametrize(("text", "lang", "ja_side", "rejected"), [
    ("期限を過ぎて滞留している案件数", "ja", None, ["滞留"]),
    ("見込み", "ja", None, ["見込み"]),
    ("見込み客を集める", "ja", None, []),  # a prospect, not the forecast
    ("着地見込み", "ja", None, []),
    ("聞いた内容を深堀する", "ja", None, ["深堀"]),
    ("聞いた内容を深掘りする", "ja", None, []),
    ("Hearing held", "en", None, ["Hearing"]),
    ("Send the mail magazine", "en", None, ["mail magazine"]),
    ("Novelties handed out", "en", None, ["novelty"]),
    ("Negotiation", "en", "商談段階", ["Negotiation"]),
    ("Negotiation", "en", "交渉", []),  # right for 交渉
    ("離脱: 予算見直し", "ja", None, ["離脱"]),
    ("状態", "ja", None, ["状態"]),  # the header of on track / at risk / off track is 状況
    ("案件の状態", "ja", None, []),
])
def test_rejected_variants_are_found_where_they_are_used(text, lang, ja_side, rejected):
    assert [f.variant.word for f in rejected_in(text, lang, ja_side=ja_side)] == rejected


def test_a_prose_word_is_rejected_only_as_a_whole_label():
    resume = Rejected("再開", "ja", "", whole=True)
    assert resume.found_in("再開") and not resume.found_in("投資が再開する時期")


def _texts(node, path: str = ""):
    """(where, ja, en) for every text of a template; a plain string counts for both languages."""
    if isinstance(node, dict):
        if set(node) <= {"ja", "en"} and node and all(isinstance(v, str) for v in node.values()):
            yield path, node.get("ja"), node.get("en")
            return
        for key, value in node.items():
            if key not in NOT_WORDING:
                yield from _texts(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node, node


@pytest.mark.parametrize("path", template_paths(), ids=lambda p: p.stem)
def test_templates_use_no_word_the_glossary_rejects(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for where, ja, en in _texts(data):
        if ja:
            found += [str(f) for f in rejected_in(ja, "ja", f"{path.name}: {where}", scope="all")]
        if en:
            found += [str(f) for f in rejected_in(en, "en", f"{path.name}: {where}", scope="all", ja_side=ja)]
    assert not found, "\n".join(found)


def test_diagram_words_use_no_variant_the_glossary_rejects():
    from journeymap.text.catalogue import CATALOGUE

    words = {key: pair for key, pair in CATALOGUE.items() if key.startswith("diagram.")}
    found = [str(f) for key, (ja, en) in words.items()
             for f in rejected_in(ja, "ja", str(key)) + rejected_in(en, "en", str(key), ja_side=ja)]
    assert found == []


def _outputs() -> dict[str, str]:
    """What people read that journeymap words: every view of a template in both languages, detailed,
    with actuals."""
    from journeymap.library import load_template
    from journeymap.render import to_dot
    from tests.render_fixtures import template_overlay

    out: dict[str, str] = {}
    for lang in ("ja", "en"):
        design = load_template("b2b-standard")
        for view in ("process", "journey", "funnel"):
            out[f"{view}.{lang}"] = to_dot(design, view=view, lang=lang, detail="detailed", overlay=template_overlay(design))
    return out


def test_diagrams_use_no_variant_the_glossary_rejects():
    import re

    found = []
    for where, text in _outputs().items():
        lang = where.rsplit(".", 1)[1]
        # our words only: the design's own texts are checked with the templates
        for line in re.sub(r"<[^>]+>", "\n", text).splitlines():
            found += [str(f) for f in rejected_in(line.strip(), lang, where) if f.variant.whole or f.variant.scope == "product"]
    assert found == []


def test_every_rejected_variant_says_why_in_both_languages():
    from journeymap.text.glossary import WHY_JA

    for t in TERMS:
        for v in t.rejected:
            assert v.why and WHY_JA.get(v.word), f"{t.key}: {v.word}"


def test_the_catalogue_uses_no_variant_the_glossary_rejects():
    from journeymap.text.catalogue import CATALOGUE

    found = [str(f) for key, (ja, en) in CATALOGUE.items()
             for f in rejected_in(ja, "ja", key) + rejected_in(en, "en", key, ja_side=ja)]
    assert found == []


# Catalogue entries that name a glossary term say the glossary's word (ja exactly; en ignoring case
# and a plural s).
NAMES = {
    "compare.reached": "reached", "compare.entered": "entered", "compare.stagnant": "stagnant",
    "compare.attainment": "attainment", "compare.bottleneck": "bottleneck", "compare.forecast": "forecast",
    "status.on_track": "on_track", "status.at_risk": "at_risk", "status.off_track": "off_track",
    "compare.status": "status", "diagram.status": "status", "report.col.status": "status",
    "field.exit_criteria": "exit_criteria", "field.records": "records", "field.owner": "owner",
    "field.touchpoints": "touchpoint", "field.target_days": "target_days", "field.unit_cost": "unit_cost",
    "field.fixed_cost": "fixed_cost", "plan.col.cost": "cost", "report.col.reached": "reached",
    "report.col.entered": "entered", "report.col.attainment": "attainment", "report.forecast": "forecast",
}


def test_catalogue_entries_that_name_a_term_use_its_words():
    from journeymap.text.catalogue import CATALOGUE
    from journeymap.text.glossary import term

    wrong = []
    for key, term_key in NAMES.items():
        if key not in CATALOGUE:
            wrong.append(f"{key}: not in the catalogue")
            continue
        ja, en = CATALOGUE[key]
        t = term(term_key)
        if ja != t.ja:
            wrong.append(f"{key}: {ja} (glossary: {t.ja})")
        if key.startswith(("report.col.",)):
            continue  # terminal columns abbreviate English (attain., …)
        if en.lower().rstrip("s") != t.en.lower().rstrip("s"):
            wrong.append(f"{key}: {en} (glossary: {t.en})")
    assert wrong == []


def test_command_line_and_reports_use_no_variant_the_glossary_rejects():
    import io
    import re
    from contextlib import redirect_stdout

    from journeymap.cli.main import main

    data = Path(__file__).parent / "data"
    found = []
    for lang in ("ja", "en"):
        for name, args in (
            ("plan", ["plan", "b2b-standard", "--format", "table", "--lang", lang]),
            ("compare", ["compare", str(data / "actuals_design.yaml"), str(data / "actuals_japanese.csv"),
                         "--format", "table", "--lang", lang]),
            ("report", ["compare", str(data / "actuals_design.yaml"), str(data / "actuals_japanese.csv"),
                        "--format", "html", "--lang", lang]),
        ):
            buffer = io.StringIO()
            with redirect_stdout(buffer):
                assert main(args) == 0, name
            for line in re.sub(r"<[^>]+>", "\n", buffer.getvalue()).splitlines():
                found += [str(f) for f in rejected_in(line.strip(), lang, f"{name}.{lang}")]
    assert found == []
