"""A design that counts accounts (`counts: accounts`) reads compare's outputs in accounts: its goal stage
is a relationship level (enterprise-relationship's 信頼定着), not a contract, so no output a person reads
says 案件 / deals or 受注 / won. The JSON keeps its keys and values; a deal design reads as it always has."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from journeymap.actuals.reading import read_actuals
from journeymap.cli.main import main
from journeymap.compare.funnel import compare
from journeymap.library import load_template
from journeymap.report.html import report_html
from journeymap.report.json_output import comparison_json
from journeymap.report.table import compare_table
from journeymap.text import catalogue

ROOT = Path(__file__).parent.parent
LIBRARY = ROOT / "process_library"
ACCOUNT_LOG = (
    "deal_id,stage,timestamp\n"
    "A,ターゲット企業選定,2026-01-05\nA,接点構築,2026-02-01\nA,課題共有,2026-03-01\nA,共創提案,2026-04-01\n"
    "A,経営巻き込み,2026-05-01\nA,信頼定着,2026-06-01\n"
    "B,ターゲット企業選定,2026-01-05\nB,接点構築,2026-03-01\n"
    "C,ターゲット企業選定,2026-02-05\n"
)
AS_OF = "2026-11-30"
DEAL_WORDS_JA = re.compile("案件|受注|失注")
DEAL_WORDS_EN = re.compile(r"\b(?:deals?|won|wins?|win rate|lost)\b", re.IGNORECASE)


@pytest.fixture
def account_log(tmp_path) -> Path:
    path = tmp_path / "accounts.csv"
    path.write_text(ACCOUNT_LOG, encoding="utf-8")
    return path


def cli(capsys, *args: str) -> str:
    assert main(["compare", *args]) == 0
    return capsys.readouterr().out


def account_cli(capsys, log: Path, *args: str) -> str:
    return cli(capsys, str(LIBRARY / "enterprise-relationship.yaml"), str(log), "--as-of", AS_OF, *args)


def test_the_template_counts_accounts():
    assert load_template("enterprise-relationship", LIBRARY).counts == "accounts"
    assert load_template("b2b-standard", LIBRARY).counts == "deals"


def test_the_japanese_table_of_an_account_design_speaks_of_accounts_and_reaching_the_goal(capsys, account_log):
    out = account_cli(capsys, account_log)
    lines = out.splitlines()
    assert lines[0].endswith("· 取引先 3 社 (進行中 2 · 関係終了 0)")
    assert "ボトルネック: 接点構築 — 目標転換率を達成すれば 信頼定着 が +0.4 社" in lines
    forecast = next(line for line in lines if line.startswith("着地見込み:"))
    assert forecast.startswith("着地見込み: 1 社 到達済み + 0.8 社 進行中の取引先から (2) = 1.8 @ 信頼定着")
    assert "設計どおりの経路 100%（2社中）" in out
    assert "停滞している取引先（目標日数超過）" in lines
    assert "  接点構築 (1): B" in lines and "  ターゲット企業選定 (1): C" in lines
    cohorts = lines.index("月次コホート（取引先数と到達率）")
    assert lines[cohorts + 1].split() == ["コホート月", "取引先", "目標到達", "到達率", "進行中", "関係終了", "取引金額"]
    assert lines[cohorts + 3].split()[:4] == ["2026-01", "2", "1", "50%"]
    assert DEAL_WORDS_JA.findall(out) == []


def test_the_english_table_of_an_account_design_speaks_of_accounts_and_reaching_the_goal(capsys, account_log):
    out = account_cli(capsys, account_log, "--lang", "en")
    lines = out.splitlines()
    assert lines[0].endswith("· 3 accounts (open 2 · dropped 0)")
    forecast = next(line for line in lines if line.startswith("Forecast:"))
    assert forecast.startswith("Forecast: 1 reached + 0.8 expected from the open accounts (2) = 1.8 @ Trust established")
    assert "designed path 100% (of 2 accounts)" in out
    assert "Stagnant accounts (over target days)" in lines
    cohorts = lines.index("Monthly cohorts (accounts and rate to the goal)")
    assert "accounts" in lines[cohorts + 1] and "rate to goal" in lines[cohorts + 1]
    assert DEAL_WORDS_EN.findall(out) == []


@pytest.mark.parametrize("lang, words, expected", [
    ("ja", DEAL_WORDS_JA, ["取引先数: 3 (進行中 2 · 関係終了 0)", "停滞している取引先（目標日数超過）", "月次コホート（取引先数と到達率）",
                           "到達＝そのステージ以降まで進んだ取引先"]),
    ("en", DEAL_WORDS_EN, ["Accounts: 3 (open 2 · dropped 0)", "Stagnant accounts (over target days)",
                           "Monthly cohorts (accounts and rate to the goal)", "Reached = accounts that got to the stage"]),
])
def test_the_html_report_of_an_account_design_speaks_of_accounts(capsys, account_log, lang, words, expected):
    html = account_cli(capsys, account_log, "--format", "html", "--lang", lang)
    assert [e for e in expected if e not in html] == []
    assert words.findall(re.sub(r"<[^>]+>", " ", html)) == []


def test_the_json_of_an_account_design_is_the_contract_unchanged(account_log):
    """The words change; the JSON's keys and values do not (it is the same as if the design counted deals)."""
    design = load_template("enterprise-relationship", LIBRARY)
    as_deals = design.model_copy(update={"counts": "deals"})
    content = account_log.read_bytes()
    for lang in ("ja", "en"):
        got = [comparison_json(compare(d, read_actuals(content, "accounts.csv", d), as_of=AS_OF), lang) for d in (design, as_deals)]
        assert json.dumps(got[0], ensure_ascii=False) == json.dumps(got[1], ensure_ascii=False)
        assert got[0]["deals"] == 3 and got[0]["forecast"]["won"] == 1  # the goal stage is the funnel's "won", as before


def test_the_same_funnel_counted_as_deals_reads_as_deals(account_log):
    """Only `counts` decides the words: the account template switched to deals reads 案件 and 受注 again."""
    design = load_template("enterprise-relationship", LIBRARY).model_copy(update={"counts": "deals"})
    c = compare(design, read_actuals(account_log.read_bytes(), "accounts.csv", design), as_of=AS_OF)
    out = compare_table(c, design, "ja")
    assert "着地見込み: 1 件 受注済み + 0.8 件 パイプラインから (2)" in out
    assert "停滞案件（目標日数超過）" in out and "月次コホート（案件数と受注率）" in out


def _b2b_outputs() -> list[str]:
    design = load_template("b2b-standard", LIBRARY)
    log = (ROOT / "tests" / "data" / "app_actuals_b2b.csv").read_bytes()
    c = compare(design, read_actuals(log, "crm.csv", design))
    return [render(c, design, lang) for lang in ("ja", "en") for render in (compare_table, report_html)]


def test_a_deal_design_reads_as_it_always_has(monkeypatch):
    """b2b-standard's table and report are the same whether or not the catalogue has account words."""
    with_variants = _b2b_outputs()
    assert "件 受注済み" in with_variants[0] and "月次コホート（案件数と受注率）" in with_variants[0]
    assert " won + " in with_variants[2] and "Monthly cohorts (deals and win rate)" in with_variants[2]
    plain = {k: v for k, v in catalogue.CATALOGUE.items() if not (k.endswith(catalogue.ACCOUNTS) and not k.startswith("counts."))}
    assert len(plain) < len(catalogue.CATALOGUE)
    monkeypatch.setattr(catalogue, "CATALOGUE", plain)
    assert _b2b_outputs() == with_variants


# --------------------------------------------------------------------------- the app's Compare page


@pytest.fixture
def shipped_library(tmp_path, monkeypatch):
    """A fresh workspace seeded from the shipped template library (it has enterprise-relationship)."""
    monkeypatch.delenv("JOURNEYMAP_LIBRARY", raising=False)
    monkeypatch.setenv("JOURNEYMAP_WORKSPACE", str(tmp_path / "workspace"))


def test_the_compare_page_of_an_account_design_speaks_of_accounts(shipped_library):
    from tests.test_app import doc, no_exception, start

    at = start()  # a design made from the template, as a planner would
    at.text_input(key="new_id.enterprise-relationship").input("key-accounts")
    next(b for b in at.button if b.proto.form_id == "new.enterprise-relationship").click().run()
    no_exception(at)
    assert doc(at).design.counts == "accounts"
    at.switch_page("journeymap/ui/views/compare.py").run()
    at.file_uploader(key="actuals_file").upload("accounts.csv", ACCOUNT_LOG.encode("utf-8"), "text/csv").run()
    no_exception(at)
    metrics = {m.label: m for m in at.metric}
    assert metrics["取引先数"].value == "3"  # the summary
    assert {"到達見込み", "進行中の取引先"} <= metrics.keys()  # the forecast
    assert metrics["進行中の取引先"].value == "2"
    headings = [s.value for s in at.subheader]
    assert "停滞している取引先" in headings and "着地見込み" in headings
    forecast_table = next(d.value for d in at.dataframe if "到達確率" in d.value.columns)
    report = at.session_state["jm_comparison"]["html"]  # the cohorts are in the report the page offers for download
    assert "月次コホート（取引先数と到達率）" in report
    read = [*metrics, *(m.proto.help for m in at.metric), *(str(m.delta or "") for m in at.metric), *headings,
            *(c.value for c in at.caption), *(m.value for m in at.markdown), *(i.value for i in at.info),
            *(str(c) for d in at.dataframe for c in d.value.columns), *forecast_table.columns,
            re.sub(r"<[^>]+>", " ", report)]
    assert [line for line in read if DEAL_WORDS_JA.search(line)] == []
