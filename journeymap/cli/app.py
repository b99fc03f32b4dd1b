"""`journeymap app`: start the Streamlit app on a workspace folder.

The app is `journeymap/ui/main.py` inside the package, so it runs the same from a source checkout
and from an installed package. This module only prepares the workspace and hands over to
`streamlit run` with the app's settings (`STREAMLIT_SETTINGS`, the same as the checkout's
`.streamlit/config.toml`); it never imports Streamlit.

Exposure: the app listens on 127.0.0.1 (this machine only) unless `--host` says otherwise. An
address that other machines can reach needs sign-in (Streamlit's `st.login`, configured in
`.streamlit/secrets.toml`, plus the workspace's `access.toml` giving people roles), or an explicit
`--no-auth`, which prints a warning. The app learns which of the three it runs in from
`JOURNEYMAP_AUTH` (`local`, `signin` or `off`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from journeymap import limits
from journeymap.errors import InputError, Issue

AUTH_ENV = "JOURNEYMAP_AUTH"
WORKSPACE_ENV = "JOURNEYMAP_WORKSPACE"
"""(as `workspace.facade` names it: the workspace is imported only when the app starts)"""
AUTH_MODES = ("local", "signin", "off")

UPLOAD_LIMIT_MB = limits.ACTUALS_UPLOAD_MB
"""`server.maxUploadSize`: the largest file the app accepts (the Compare page's CRM export)."""

# The app's Streamlit settings, passed on the command line so that an installed package needs no
# config file. `.streamlit/config.toml` in a checkout says the same (a test keeps them equal).
STREAMLIT_SETTINGS: dict[str, str] = {
    "server.headless": "true",
    "server.runOnSave": "false",
    "server.address": "127.0.0.1",
    "server.maxUploadSize": str(UPLOAD_LIMIT_MB),
    "browser.gatherUsageStats": "false",
    "client.toolbarMode": "minimal",
    "client.showErrorDetails": "type",
    "theme.base": "light",
    "theme.primaryColor": "#1f5fa8",
    # No gc.collect() after every run (Python's collector still runs): a page switch at 10 designs
    # costs 20 ms of server CPU instead of 150 ms (bench/server_bench.py --gc-compare).
    "runner.postScriptGC": "false",
}


def app_script() -> Path:
    """The Streamlit entry script, `journeymap/ui/main.py`, inside the installed package."""
    return Path(__file__).resolve().parent.parent / "ui" / "main.py"


def streamlit_command(script: Path, port: int | None, host: str, extra: tuple[str, ...]) -> list[str]:
    command = [sys.executable, "-m", "streamlit", "run", str(script)]
    settings = dict(STREAMLIT_SETTINGS, **{"server.address": host})
    for name, value in settings.items():
        command += [f"--{name}", value]
    if port is not None:
        command += ["--server.port", str(port)]
    return command + list(extra)


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable from this machine only (127.0.0.0/8, ::1, localhost)."""
    name = host.strip().strip("[]").casefold()
    if name == "localhost":
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def secrets_files(cwd: Path | None = None) -> list[Path]:
    """Where Streamlit reads secrets from, in the order it merges them (later wins)."""
    return [Path.home() / ".streamlit" / "secrets.toml", (cwd or Path.cwd()) / ".streamlit" / "secrets.toml"]


def auth_section(files: list[Path]) -> tuple[dict, str | None]:
    """The merged `[auth]` section of the secrets files, and the last file that has one."""
    import tomllib

    merged: dict = {}
    found = None
    for path in files:
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the secrets: {exc}", source=str(path)) from None
        if isinstance(data.get("auth"), dict):
            merged.update(data["auth"])
            found = str(path)
    return merged, found


def sign_in_problems(auth: dict) -> list[str]:
    """What the `[auth]` section lacks for `st.login` to work (empty when it is complete)."""
    problems = [f"[auth] has no {key}" for key in ("redirect_uri", "cookie_secret") if not auth.get(key)]
    providers = [auth] + [v for v in auth.values() if isinstance(v, dict)]
    if not any(p.get("client_id") and p.get("server_metadata_url") for p in providers):
        problems.append("[auth] names no identity provider (client_id, client_secret, server_metadata_url)")
    if auth.get("redirect_uri") and not str(auth["redirect_uri"]).endswith("/oauth2callback"):
        problems.append("[auth] redirect_uri must end with /oauth2callback")
    return problems


def choose_auth(host: str, no_auth: bool, auth: dict, secrets_source: str | None, root: Path) -> str:
    """The app's sign-in mode for this host; a click error when serving beyond this machine unsafely."""
    from journeymap.workspace.access import access_path, read_access

    if no_auth:
        return "off"
    if not auth:
        if is_loopback(host):
            return "local"
        raise click.UsageError(
            f"--host {host} serves the app beyond this machine, and it has no sign-in: configure sign-in in "
            ".streamlit/secrets.toml ([auth]; see the README, \"Serving a team\") and give people roles in "
            f"{access_path(root)}, or pass --no-auth to serve without sign-in (anyone who can reach the port "
            "can read, change and delete every design)"
        )
    problems = sign_in_problems(auth)
    if problems:
        raise InputError([Issue(p, source=secrets_source) for p in problems])
    access = read_access(access_path(root))
    if not len(access):
        raise InputError("the access file lists nobody: add at least one owner", source=str(access_path(root)))
    return "signin"


@click.command(name="app", context_settings={"ignore_unknown_options": True})
@click.option("--workspace", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=f"Folder of saved designs (default: ${WORKSPACE_ENV}, else ./workspace).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port to serve on (default 8501).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. 127.0.0.1 serves this machine only; any other address (0.0.0.0: every "
                   "network) needs sign-in configured or --no-auth.")
@click.option("--no-auth", "no_auth", is_flag=True,
              help="Serve without sign-in, even beyond this machine: everyone who reaches the port is an owner.")
@click.option("--dry-run", is_flag=True, hidden=True, help="Print the command instead of running it.")
@click.argument("streamlit_args", nargs=-1, type=click.UNPROCESSED)
def app_command(folder: Path | None, port: int | None, host: str, no_auth: bool, dry_run: bool,
                streamlit_args: tuple[str, ...]) -> None:
    """Start the app in the browser on a workspace folder (extra options go to `streamlit run`)."""
    for arg in streamlit_args:
        if arg.split("=", 1)[0] in ("--server.address", "--server.maxUploadSize"):
            raise click.UsageError(f"{arg.split('=', 1)[0]} is set by journeymap app: use --host for the address")
    from journeymap.workspace.access import access_path
    from journeymap.workspace.facade import Workspace, default_root

    root = (folder.expanduser().absolute() if folder else default_root())
    seeded = Workspace(root).ensure()  # create and seed now, so problems show here, not in the browser
    auth, secrets_source = auth_section(secrets_files())
    mode = choose_auth(host, no_auth, auth, secrets_source, root)
    command = streamlit_command(app_script(), port, host, streamlit_args)
    env = dict(os.environ, **{WORKSPACE_ENV: str(root), AUTH_ENV: mode})
    click.echo(f"journeymap: workspace {root}" + (f" (seeded with {', '.join(seeded)})" if seeded else ""), err=True)
    if mode == "signin":
        click.echo(f"journeymap: sign-in on (secrets {secrets_source}); roles from {access_path(root)}", err=True)
    elif mode == "off":
        reach = "this machine only" if is_loopback(host) else f"everyone who can reach {host}"
        click.secho(f"journeymap: WARNING: serving WITHOUT sign-in (--no-auth) to {reach}: they can read, change "
                    "and delete every design in the workspace.", err=True, fg="yellow", bold=True)
    if dry_run:
        click.echo(" ".join(command))
        return
    if hasattr(os, "execve") and os.name == "posix":
        os.execve(sys.executable, command, env)
    import subprocess

    raise SystemExit(subprocess.call(command, env=env))
