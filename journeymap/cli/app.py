"""`journeymap app`: start the Streamlit app on a workspace folder.

The app is `journeymap/ui/main.py` inside the package, so it runs the same from a source checkout
and from an installed package. This module only prepares the workspace and hands over to
`streamlit run` with the app's settings (`STREAMLIT_SETTINGS`, the same as the checkout's
`.streamlit/config.toml`); it never imports Streamlit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from journeymap.workspace.facade import WORKSPACE_ENV, Workspace, default_root

# The app's Streamlit settings, passed on the command line so that an installed package needs no
# config file. `.streamlit/config.toml` in a checkout says the same (a test keeps them equal).
STREAMLIT_SETTINGS: dict[str, str] = {
    "server.headless": "true",
    "server.runOnSave": "false",
    "browser.gatherUsageStats": "false",
    "client.toolbarMode": "minimal",
    "client.showErrorDetails": "type",
    "theme.base": "light",
    "theme.primaryColor": "#1f5fa8",
}


def app_script() -> Path:
    """The Streamlit entry script, `journeymap/ui/main.py`, inside the installed package."""
    return Path(__file__).resolve().parent.parent / "ui" / "main.py"


def streamlit_command(script: Path, port: int | None, host: str | None, extra: tuple[str, ...]) -> list[str]:
    command = [sys.executable, "-m", "streamlit", "run", str(script)]
    for name, value in STREAMLIT_SETTINGS.items():
        command += [f"--{name}", value]
    if port is not None:
        command += ["--server.port", str(port)]
    if host:
        command += ["--server.address", host]
    return command + list(extra)


@click.command(name="app", context_settings={"ignore_unknown_options": True})
@click.option("--workspace", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=f"Folder of saved designs (default: ${WORKSPACE_ENV}, else ./workspace).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port to serve on (default 8501).")
@click.option("--host", default=None, help="Address to listen on (default: all; use 127.0.0.1 for this machine only).")
@click.option("--dry-run", is_flag=True, hidden=True, help="Print the command instead of running it.")
@click.argument("streamlit_args", nargs=-1, type=click.UNPROCESSED)
def app_command(folder: Path | None, port: int | None, host: str | None, dry_run: bool, streamlit_args: tuple[str, ...]) -> None:
    """Start the app in the browser on a workspace folder (extra options go to `streamlit run`)."""
    root = (folder.expanduser().absolute() if folder else default_root())
    seeded = Workspace(root).ensure()  # create and seed now, so problems show here, not in the browser
    command = streamlit_command(app_script(), port, host, streamlit_args)
    env = dict(os.environ, **{WORKSPACE_ENV: str(root)})
    click.echo(f"journeymap: workspace {root}" + (f" (seeded with {', '.join(seeded)})" if seeded else ""), err=True)
    if dry_run:
        click.echo(" ".join(command))
        return
    if hasattr(os, "execve") and os.name == "posix":
        os.execve(sys.executable, command, env)
    raise SystemExit(subprocess.call(command, env=env))
