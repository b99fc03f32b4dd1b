"""The command-line contract: exit 0 / 1 / 2, FILE:LINE: messages, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from journeymap.cli.main import main
from journeymap.designfile.reading import load_design

ROOT = Path(__file__).parents[1]
MINIMAL = ROOT / "tests" / "data" / "core_minimal.yaml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_ok(capsys):
    code, out, _err = run(capsys, "validate", str(MINIMAL))
    assert code == 0
    assert out == f"{MINIMAL}: ok (2 phases, 4 stages, 4 funnel stages)\n"


def test_validate_reports_every_file_and_exits_1(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.read_text(encoding="utf-8").replace("target_rate: 0.04", "target_rate: 4"), encoding="utf-8")
    code, out, err = run(capsys, "validate", str(MINIMAL), str(bad), str(tmp_path / "missing.yaml"))
    assert code == 1
    assert f"{MINIMAL}: ok" in out
    assert err.splitlines() == [
        f"{bad}:22: target_rate must be between 0 and 1, got 4",
        f"{tmp_path / 'missing.yaml'}: no such file",
    ]
    assert "Traceback" not in err


def test_usage_errors_exit_2(capsys):
    assert run(capsys, "validate")[0] == 2
    assert run(capsys, "export", str(MINIMAL), "--to", "pptx")[0] == 2
    assert run(capsys, "no-such-command")[0] == 2


def test_export_json_then_import_gives_the_same_design(capsys, tmp_path):
    out_json = tmp_path / "d.json"
    code, _, err = run(capsys, "export", str(MINIMAL), "--to", "json", "-o", str(out_json))
    assert code == 0, err
    assert json.loads(out_json.read_text(encoding="utf-8"))["name"] == {"ja": "法人営業 アウトバウンド", "en": "B2B outbound"}
    out_yaml = tmp_path / "d.yaml"
    code, _, err = run(capsys, "import", str(out_json), "-o", str(out_yaml))
    assert code == 0, err
    assert load_design(out_yaml) == load_design(MINIMAL)
    assert "法人営業" in out_yaml.read_text(encoding="utf-8")  # Japanese written as is, not escaped


def test_export_to_stdout(capsys):
    code, out, _ = run(capsys, "export", str(MINIMAL), "--to", "yaml")
    assert code == 0
    assert out.startswith("schema_version: 1\nid: b2b-outbound\n")


def test_import_of_a_bad_file_writes_nothing(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1,\n "id": "Bad Id"}', encoding="utf-8")
    target = tmp_path / "out.yaml"
    target.write_text("previous content", encoding="utf-8")
    code, _, err = run(capsys, "import", str(bad), "-o", str(target))
    assert code == 1
    assert err.startswith(f"{bad}:2: ")
    assert target.read_text(encoding="utf-8") == "previous content"


def test_an_unexpected_error_is_a_message_not_a_traceback(capsys, monkeypatch):
    import journeymap.cli.main as cli

    def boom(_ref):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cli, "load_input", boom)
    monkeypatch.delenv("JOURNEYMAP_DEBUG", raising=False)
    code, _, err = run(capsys, "validate", str(MINIMAL))
    assert code == 1
    assert "internal error: RuntimeError: disk on fire" in err
    assert "Traceback" not in err


def test_python_dash_m_entry_point():
    done = subprocess.run(
        [sys.executable, "-m", "journeymap", "validate", str(MINIMAL), "nope.yaml"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == "nope.yaml: no such file\n"


LOADED = """
import sys
from journeymap.cli.main import main
code = main(sys.argv[1:])
print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""


def loaded_modules(*argv: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", LOADED, *argv], capture_output=True, text=True, cwd=ROOT, timeout=60)
    return set(done.stderr.splitlines()[-1].split())


def test_each_command_loads_only_what_it_needs(tmp_path):
    """Start-up is most of a command's time on a small file: `--help` loads no pydantic or numpy,
    compare no renderer, exporter, template library, workspace, pandas or Streamlit, plan no numpy."""
    helped = loaded_modules("--help")
    assert "click" in helped and not helped & {"pydantic", "numpy", "pyarrow", "yaml", "journeymap.model", "journeymap.render",
                                               "journeymap.workspace", "journeymap.library", "journeymap.export"}
    log = tmp_path / "deals.csv"
    log.write_text("deal_id,stage,timestamp\nD1,リード,2024-04-01\nD1,アポ獲得,2024-04-02\n", encoding="utf-8")
    compared = loaded_modules("compare", str(ROOT / "tests" / "data" / "actuals_design.yaml"), str(log))
    assert "journeymap.compare.funnel" in compared and "pyarrow" in compared
    assert not compared & {"journeymap.render", "journeymap.export", "journeymap.library", "journeymap.workspace",
                           "journeymap.workspace.facade", "pandas", "streamlit", "graphviz"}
    # nor what only the app, an xlsx or a large file needs (the second thread, with concurrent.futures
    # and logging; xml.etree; the app's tomllib, subprocess), nor pyarrow.compute's Python wrappers
    assert not compared & {"concurrent.futures", "logging", "xml.etree.ElementTree", "tomllib", "subprocess",
                           "pyarrow.compute", "journeymap.designfile.xlsx", "openpyxl", "python_calamine",
                           "journeymap.report.html", "journeymap.report.json_output"}
    planned = loaded_modules("plan", str(MINIMAL))
    assert "journeymap.planning" in planned and not planned & {"journeymap.render", "journeymap.export", "pyarrow", "numpy",
                                                                "journeymap.workspace.facade", "pandas", "streamlit"}


def test_render_options_still_offer_the_renderer_lists(capsys):
    from journeymap import render

    code, out, _ = run(capsys, "render", "--help")
    assert code == 0 and "[process|journey|funnel]" in out and all(t in out for t in render.THEMES)
    code, _, err = run(capsys, "render", str(MINIMAL), "-o", "x.svg", "--view", "nope")
    assert code == 2 and "'nope' is not one of 'process', 'journey', 'funnel'" in err
