"""`journeymap app`: start the Streamlit app on a workspace folder.

The app itself is `app.py` next to the package (a source checkout, as `./dev.sh app` uses). This
module only prepares the workspace and hands over to `streamlit run`; it never imports Streamlit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from .errors import InputError
from .workspace import WORKSPACE_ENV, Workspace, default_root


def app_script() -> Path:
    """The Streamlit entrypoint, `app.py`, beside the `journeymap` package."""
    script = Path(__file__).resolve().parent.parent / "app.py"
    if not script.is_file():
        raise InputError(
            "app.py is not next to the journeymap package: run `journeymap app` from a source checkout "
            "(./dev.sh app sets one up)",
            source=str(script),
        )
    return script


def streamlit_command(script: Path, port: int | None, host: str | None, extra: tuple[str, ...]) -> list[str]:
    command = [sys.executable, "-m", "streamlit", "run", str(script),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
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
    os.chdir(app_script().parent)  # Streamlit reads the project's .streamlit/config.toml from here
    if hasattr(os, "execve") and os.name == "posix":
        os.execve(sys.executable, command, env)
    raise SystemExit(subprocess.call(command, env=env))
