"""`journeymap app`: workspace option, seeding, the streamlit command it hands over to."""

from __future__ import annotations

from journeymap.cli.app import app_script
from journeymap.cli.main import main
from tests.app_support import APP_LIBRARY, TEMPLATE_ID


def test_app_command_prepares_the_workspace_and_runs_streamlit_on_app_py(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(APP_LIBRARY))
    folder = tmp_path / "team-workspace"
    assert main(["app", "--workspace", str(folder), "--port", "8765", "--dry-run", "--server.maxUploadSize", "50"]) == 0
    out, err = capsys.readouterr()
    assert (folder / f"{TEMPLATE_ID}.yaml").is_file()  # seeded on first start
    assert f"workspace {folder}" in err and f"seeded with {TEMPLATE_ID}" in err
    assert f"-m streamlit run {app_script()}" in out
    assert "--server.port 8765" in out and out.strip().endswith("--server.maxUploadSize 50")


def test_the_workspace_defaults_to_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(APP_LIBRARY))
    monkeypatch.setenv("JOURNEYMAP_WORKSPACE", str(tmp_path / "from-env"))
    assert main(["app", "--dry-run"]) == 0
    assert f"workspace {tmp_path / 'from-env'}" in capsys.readouterr().err


def test_an_unusable_workspace_is_an_input_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["app", "--workspace", str(blocker / "ws"), "--dry-run"]) == 1
    assert "cannot create the workspace" in capsys.readouterr().err


def test_a_bad_port_is_a_usage_error(capsys):
    assert main(["app", "--port", "0", "--dry-run"]) == 2
