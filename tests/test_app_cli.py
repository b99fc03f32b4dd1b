"""`journeymap app`: workspace option, seeding, the streamlit command it hands over to."""

from __future__ import annotations

import pytest

from journeymap.cli.app import app_script
from journeymap.cli.main import main
from tests.app_support import APP_LIBRARY, TEMPLATE_ID


def test_app_command_prepares_the_workspace_and_runs_streamlit_on_app_py(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(APP_LIBRARY))
    folder = tmp_path / "team-workspace"
    assert main(["app", "--workspace", str(folder), "--port", "8765", "--dry-run", "--theme.base", "dark"]) == 0
    out, err = capsys.readouterr()
    assert (folder / f"{TEMPLATE_ID}.yaml").is_file()  # seeded on first start
    assert f"workspace {folder}" in err and f"seeded with {TEMPLATE_ID}" in err
    assert f"-m streamlit run {app_script()}" in out
    assert "--server.port 8765" in out and out.strip().endswith("--theme.base dark")


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


# --------------------------------------------------------------------------- exposure: host and sign-in

SIGN_IN = """[auth]
redirect_uri = "http://team.example:8501/oauth2callback"
cookie_secret = "a long random secret for signing the cookie"
client_id = "journeymap"
client_secret = "secret"
server_metadata_url = "https://idp.example/.well-known/openid-configuration"
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A folder to start the app from (its .streamlit/ holds the secrets), a workspace, no home secrets."""
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(APP_LIBRARY))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    folder = tmp_path / "project"
    (folder / ".streamlit").mkdir(parents=True)
    monkeypatch.chdir(folder)
    return folder


def dry_run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["app", "--dry-run", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_app_listens_on_this_machine_only_by_default(project, capsys):
    code, out, err = dry_run(capsys, "--workspace", str(project / "ws"))
    assert code == 0
    assert "--server.address 127.0.0.1" in out
    assert "--server.address 0.0.0.0" not in out and "WARNING" not in err


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "team-server"])
def test_serving_beyond_this_machine_without_sign_in_is_refused(project, capsys, host):
    code, out, err = dry_run(capsys, "--workspace", str(project / "ws"), "--host", host)
    assert code == 2
    assert out == ""
    assert f"--host {host} serves the app beyond this machine" in err and "--no-auth" in err


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1"])
def test_loopback_addresses_need_no_sign_in(project, capsys, host):
    code, out, _ = dry_run(capsys, "--workspace", str(project / "ws"), "--host", host)
    assert code == 0 and f"--server.address {host}" in out


def test_no_auth_serves_beyond_this_machine_with_a_warning(project, capsys):
    code, out, err = dry_run(capsys, "--workspace", str(project / "ws"), "--host", "0.0.0.0", "--no-auth")
    assert code == 0
    assert "--server.address 0.0.0.0" in out
    assert "WARNING: serving WITHOUT sign-in" in err and "everyone who can reach 0.0.0.0" in err


def test_sign_in_needs_an_access_file_naming_someone(project, capsys):
    (project / ".streamlit" / "secrets.toml").write_text(SIGN_IN)
    workspace = project / "ws"
    code, _, err = dry_run(capsys, "--workspace", str(workspace), "--host", "0.0.0.0")
    assert code == 1
    assert f"{workspace / 'access.toml'}: no access file" in err and 'owners = ["you@example.co.jp"]' in err
    (workspace / "access.toml").write_text('owners = ["sato@example.co.jp"]\neditors = ["@example.co.jp"]\n')
    code, out, err = dry_run(capsys, "--workspace", str(workspace), "--host", "0.0.0.0")
    assert code == 0
    assert "--server.address 0.0.0.0" in out and "sign-in on" in err


def test_incomplete_sign_in_settings_are_named(project, capsys):
    (project / ".streamlit" / "secrets.toml").write_text('[auth]\nredirect_uri = "http://x/callback"\n')
    code, _, err = dry_run(capsys, "--workspace", str(project / "ws"), "--host", "0.0.0.0")
    assert code == 1
    assert "[auth] has no cookie_secret" in err
    assert "[auth] names no identity provider" in err
    assert "redirect_uri must end with /oauth2callback" in err


def test_the_address_is_set_with_host_not_streamlit_options(project, capsys):
    code, _, err = dry_run(capsys, "--workspace", str(project / "ws"), "--server.address", "0.0.0.0")
    assert code == 2 and "use --host" in err


def test_the_checkout_config_says_what_journeymap_app_passes():
    import tomllib
    from pathlib import Path

    from journeymap.cli.app import STREAMLIT_SETTINGS

    config = tomllib.loads((Path(__file__).parent.parent / ".streamlit" / "config.toml").read_text("utf-8"))
    flat = {f"{section}.{key}": value for section, values in config.items() for key, value in values.items()}
    assert {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in flat.items()} == STREAMLIT_SETTINGS
