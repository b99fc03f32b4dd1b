"""The `journeymap` command line. Exit 0 on success, 1 on invalid input, 2 on usage errors.

Input problems print as `FILE:LINE: message`, one per line, never as a traceback. Set
`JOURNEYMAP_DEBUG=1` to see the traceback of an unexpected error.

Each command imports what it needs when it runs (`journeymap --help` loads neither pydantic nor
numpy; `compare` no renderer, exporter, template library or app): a command on a small file is
mostly Python's start-up. `tests/test_cli.py` checks which modules each one loads.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from journeymap import __version__
from journeymap.errors import InputError, Issue
from journeymap.text.terminal import json_text, printable

if TYPE_CHECKING:
    from journeymap.model import Design


def load_input(ref: str) -> Design:
    """A design from a file path, or from the library by template id when no such file exists."""
    from journeymap.designfile import reading as io

    path = Path(ref)
    if not path.exists() and "/" not in ref and "." not in ref:
        from journeymap import library

        ids = [p.stem for p in library.template_paths()]
        if ref in ids:
            return library.load_template(ref)
    return io.load_design(path)


def echo(text: str, err: bool = False, nl: bool = True) -> None:
    """Print text that may hold file content: control characters never reach the terminal."""
    click.echo(printable(text), err=err, nl=nl)


def echo_json(data: Any) -> None:
    click.echo(json_text(json.dumps(data, ensure_ascii=False, indent=2)))


def write_output(out: str, content: bytes) -> None:
    if out == "-":
        if sys.stdout.isatty():  # on a terminal, not into a pipe: no escape codes from the design
            content = printable(content.decode("utf-8", "replace")).encode("utf-8")
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    from journeymap.designfile.atomic import atomic_write

    try:
        atomic_write(out, content)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", source=out) from None


LANG = click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True, help="Language of names.")


ACTUALS_OPTIONS = [
    click.option("--as-of", "as_of", metavar="DATE",
                 help="Evaluate as of this day (YYYY-MM-DD); default: the latest event."),
    click.option("--columns", "columns", multiple=True, metavar="ROLE=COLUMN,...",
                 help="Map the file's columns: deal_id, stage, timestamp, amount, owner, channel, segment, status, "
                      "lost_reason, next_action_date, count, period, cost."),
    click.option("--stage-map", "stage_map", multiple=True, metavar="VALUE=STAGE_ID",
                 help="Map a stage value of the file to a stage id (or :won, :lost, :paused, :ignore); repeatable."),
    click.option("--from", "date_from", metavar="DATE", default=None,
                 help="First day of the window compared (YYYY-MM-DD); default: the first event."),
    click.option("--to", "date_to", metavar="DATE", default=None,
                 help="Last day of the window compared (YYYY-MM-DD); default: the as-of date."),
    click.option("--period", "period", metavar="PERIOD", default=None,
                 help="Compare one calendar period: 2026-10, 2026-Q3, 2026 or 2026-W40 (instead of --from/--to)."),
    click.option("--basis", "basis", type=click.Choice(["activity", "cohort"]), default="activity", show_default=True,
                 help="activity: stage entries in the window; cohort: deals whose first event is in the window, "
                      "followed to the as-of date."),
    click.option("--date-format", "date_order", type=click.Choice(["dmy", "mdy"], case_sensitive=False), default=None,
                 help="How to read dates such as 03/04/2024 when no value of their column decides: "
                      "dmy (3 April) or mdy (4 March)."),
]


class _RenderChoice(click.Choice):
    """One of the renderer's lists (views, themes, details, formats), looked up only when an option
    is checked or its help shown: `journeymap --help` and the other commands do not load the renderer."""

    def __init__(self, attribute: str):
        self.attribute, self.case_sensitive = attribute, True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        from journeymap import render

        return tuple(getattr(render, self.attribute))


def actuals_options(command):
    for option in reversed(ACTUALS_OPTIONS):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, prog_name="journeymap")
def cli() -> None:
    """Design sales processes and customer journeys; plan, render, export and compare them."""


@cli.command()
@LANG
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def templates(lang: str, fmt: str) -> None:
    """List the template library."""
    from journeymap import library

    entries = library.list_templates()
    if fmt == "json":
        rows = [
            {
                "id": t.id,
                "name": t.name(lang),
                "segment": t.segment,
                "phases": len(t.design.phases),
                "stages": len(t.design.stages),
                "funnel_stages": len(t.design.funnel_stages),
            }
            for t in entries
        ]
        echo_json(rows)
        return
    width = max(len(t.id) for t in entries) if entries else 10
    for t in entries:
        echo(f"{t.id:<{width}}  {t.segment:<10}  {len(t.design.stages):>3} stages  {t.name(lang)}")


@cli.command()
@click.argument("files", nargs=-1, required=True)
def validate(files: tuple[str, ...]) -> None:
    """Check design files (YAML, JSON or Excel); print every problem as FILE:LINE: message."""
    failures: list[InputError] = []
    for ref in files:
        try:
            design = load_input(ref)
        except InputError as exc:
            failures.append(exc)
            continue
        echo(f"{ref}: ok ({len(design.phases)} phases, {len(design.stages)} stages, "
                   f"{len(design.funnel_stages)} funnel stages)")
    if failures:
        raise InputError([issue for exc in failures for issue in exc.issues])


@cli.command(name="export")
@click.argument("file")
@click.option("--to", "to", required=True, help="Output format (see the list below).")
@click.option("-o", "--output", "out", default="-", show_default=True, help="Output file; '-' for standard output.")
@LANG
@click.option("--direction", type=click.Choice(["TB", "LR"]), default=None,
              help="Mermaid: top to bottom (TB, the default: fits a wiki column) or left to right (LR).")
def export_cmd(file: str, to: str, out: str, lang: str, direction: str | None) -> None:
    """Export a design to another format.

    Formats: yaml, json, and those added by installed exporters (see `journeymap export -h`).
    """
    from journeymap.export import export as export_design
    from journeymap.export import formats

    known = formats()
    if to not in known:
        raise click.BadParameter(f"'{to}' is not one of {', '.join(known)}", param_hint="--to")
    fmt = known[to]
    if fmt.binary and out == "-":
        raise click.UsageError(f"{to} is a binary format: give an output file with -o OUT.{fmt.extension}")
    design = load_input(file)
    if direction is not None and "direction" not in fmt.options:
        raise click.BadParameter(f"--direction applies to mermaid, not to {to}", param_hint="--direction")
    write_output(out, export_design(design, to, lang=lang, direction=direction))


@cli.command(name="import")
@click.argument("file")
@click.option("-o", "--output", "out", required=True, help="Design file to write (.yaml or .json).")
def import_cmd(file: str, out: str) -> None:
    """Read a design from YAML, JSON or Excel, validate it and write it as a design file."""
    from journeymap.designfile import reading as io
    from journeymap.designfile.writing import dumps
    from journeymap.model import text_of

    out_format = io.format_of(out)
    if out_format not in io.FORMATS:
        raise click.BadParameter("write the design as .yaml or .json", param_hint="-o")
    design = io.load_design(file)
    write_output(out, dumps(design, out_format).encode("utf-8"))
    echo(f"{out}: {text_of(design.name)} ({len(design.stages)} stages)", err=True)


# --------------------------------------------------------------------------- render (diagrams)


@cli.command()
@click.argument("file")
@click.option("-o", "--output", "out", required=True,
              help="Diagram file: .svg, .png, .pdf or .dot (the extension picks the format); '-' with --format.")
@click.option("--view", type=_RenderChoice("VIEWS"), default="process", show_default=True)
@click.option("--theme", type=_RenderChoice("THEMES"), default="default",
              show_default=True, help="projector: large type and thick lines for a room; print: for paper.")
@LANG
@click.option("--detail", type=_RenderChoice("DETAILS"), default="compact", show_default=True,
              help="detailed adds exit criteria, records and drop-reason responses (process view).")
@click.option("--highlight", "highlight", metavar="STAGE_ID", default=None, help="Emphasise one stage; the others fade.")
@click.option("--actuals", "actuals", metavar="CSV", default=None,
              help="Overlay actual vs plan from a CRM export (CSV, TSV or Excel), as `journeymap compare` reads it.")
@actuals_options
@click.option("--overlay", "overlay_file", metavar="COMPARE.json", default=None,
              help="Overlay actual vs plan from saved `journeymap compare ... --format json` output.")
@click.option("--format", "fmt", type=_RenderChoice("FORMATS"), default=None,
              help="Output format when it cannot be told from the file name.")
def render(file: str, out: str, view: str, theme: str, lang: str, detail: str, highlight: str | None,
           actuals: str | None, as_of: str | None, columns: tuple[str, ...], stage_map: tuple[str, ...],
           date_from: str | None, date_to: str | None, period: str | None, basis: str, date_order: str | None,
           overlay_file: str | None, fmt: str | None) -> None:
    """Draw a design (a file or a template id) as SVG, PNG, PDF or DOT."""
    from journeymap import render as rendering

    fmt = fmt or Path(out).suffix.lower().lstrip(".")
    if fmt not in rendering.FORMATS:
        raise click.BadParameter(
            f"cannot tell the format from '{out}': use .svg, .png, .pdf or .dot, or give --format", param_hint="-o"
        )
    if out == "-" and fmt in ("png", "pdf"):
        raise click.UsageError(f"{fmt} is a binary format: give an output file with -o OUT.{fmt}")
    if actuals and overlay_file:
        raise click.UsageError("give either --actuals or --overlay, not both")
    design = load_input(file)
    overlay = _read_overlay(overlay_file) if overlay_file else None
    if actuals:
        from journeymap.report.json_output import comparison_json

        window = (date_from, date_to, period, basis)
        overlay = comparison_json(_comparison(design, file, actuals, as_of, columns, stage_map, window, date_order), lang)
    if highlight is not None and highlight not in {s.id for s in design.stages}:
        raise click.BadParameter(f"no stage '{highlight}' in {file}", param_hint="--highlight")
    if overlay and isinstance(overlay, dict) and overlay.get("added_won"):
        from journeymap.compare.outcomes import with_won_stage

        design = with_won_stage(design)[0]  # draw the 受注 stage the comparison counts wins at
    content = rendering.render(design, fmt, view=view, theme=theme, lang=lang, detail=detail,
                               highlight=highlight, overlay=overlay)
    write_output(out, content)


def _read_overlay(path: str) -> dict:
    """A saved `journeymap compare --format json`, checked field by field (FILE:LINE for a wrong type)."""
    from journeymap.designfile import reading as io
    from journeymap.render.frame import read_overlay

    raw = io.read_bytes(path, what="an overlay")
    if not io.decode(raw, path).strip():
        raise InputError(Issue("the file is empty: expected the JSON of `journeymap compare --format json`", source=path))
    data, positions = io.load_data(raw, path, "json")
    try:
        read_overlay(data)
    except InputError as exc:
        raise InputError([Issue(i.message, source=path, line=io.line_of(i.path, positions) if i.path else None)
                          for i in exc.issues]) from None
    return data


# --------------------------------------------------------------------------- plan and compare
# (analytics section: journeymap/planning.py, actuals.py, compare.py)


def _pairs(values: tuple[str, ...], option: str, number: bool = True) -> dict[str, Any]:
    """`KEY=VALUE` options (repeatable, or comma-separated) into a dict."""
    out: dict[str, Any] = {}
    for value in values:
        for part in _split_pairs(value):
            key, sep, raw = part.partition("=")
            if not sep or not key.strip() or not raw.strip():
                raise click.BadParameter(f"expected KEY=VALUE, got '{part}'", param_hint=option)
            if number:
                try:
                    out[key.strip()] = float(raw.replace(",", "").replace("_", ""))
                except ValueError:
                    raise click.BadParameter(f"'{raw}' is not a number (in '{part}')", param_hint=option) from None
                if not math.isfinite(out[key.strip()]):
                    raise click.BadParameter(f"'{raw}' is not a finite number (in '{part}')", param_hint=option)
            else:
                out[key.strip()] = raw.strip()
    return out


def _split_pairs(value: str) -> list[str]:
    """Split `a=1,b=2` on the commas that start a new KEY= (a value may itself contain commas)."""
    import re

    parts = re.split(r",(?=[^,=]+=)", value)
    return [p for p in (part.strip() for part in parts) if p]


def _locate(exc: InputError, ref: str) -> InputError:
    """Give design-level issues (which know only a data path) the design file and line."""
    if all(issue.source for issue in exc.issues):
        return exc
    from journeymap import library
    from journeymap.designfile import reading as io

    path = Path(ref)
    source = ref
    positions: dict = {}
    found: Path | None = path
    if not path.exists():
        try:
            found = next(p for p in library.template_paths() if p.stem == ref)
            source = str(found)
        except (StopIteration, InputError):
            found = None
    if found is not None and found.suffix.lower() in (".yaml", ".yml", ".json"):
        try:
            _, positions = io.load_data(found.read_bytes(), source, io.format_of(found))
        except (InputError, OSError):
            positions = {}
    issues = []
    for issue in exc.issues:
        if issue.source:
            issues.append(issue)
            continue
        line = io.line_of(issue.path, positions) if issue.path and positions else None
        issues.append(Issue(issue.message, source=source, line=line, path=issue.path))
    return InputError(issues)


@cli.command(name="plan")
@click.argument("file")
@click.option("--target", "targets", multiple=True, metavar="KGI_ID=VALUE",
              help="Plan for another KGI target (repeatable).")
@click.option("--rate", "rates", multiple=True, metavar="STAGE_ID=RATE",
              help="What-if: another planned conversion rate for a funnel stage (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@LANG
def plan_cmd(file: str, targets: tuple[str, ...], rates: tuple[str, ...], fmt: str, lang: str) -> None:
    """Reverse funnel from the KGIs: required count, cost and CPA per funnel stage."""
    from journeymap.model import MAX_AMOUNT
    from journeymap.planning import plan
    from journeymap.report.table import plan_table

    design = load_input(file)
    target_values = _pairs(targets, "--target")
    rate_values = _pairs(rates, "--rate")
    for key, value in target_values.items():
        if not 0 <= value <= MAX_AMOUNT:
            raise click.BadParameter(f"{key}={value:g}: a target is a number from 0 to {MAX_AMOUNT:,}", param_hint="--target")
    for key, value in rate_values.items():
        if not 0 <= value <= 1:
            raise click.BadParameter(f"{key}={value:g}: a rate is a number from 0 to 1 (0.25 for 25%)", param_hint="--rate")
    known = {k.id for k in design.kgis}
    for kgi_id in target_values:
        if kgi_id not in known:
            raise click.BadParameter(
                f"unknown KGI '{kgi_id}' (the design's KGIs: {', '.join(sorted(known)) or 'none'})", param_hint="--target"
            )
    try:
        result = plan(design, targets=target_values, rates=rate_values)
    except InputError as exc:
        raise _locate(exc, file) from None
    if fmt == "json":
        echo_json(result.to_json(lang))
    else:
        echo(plan_table(result, design, lang), nl=False)


def _large_file_memory_pool() -> None:
    """Prefer pyarrow's jemalloc pool for a one-shot command on a large file: with the default
    (mimalloc) the kernel spends about twice as long on page faults for a 1.5M-row log.
    ARROW_DEFAULT_MEMORY_POOL, when set, is respected."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    import pyarrow as pa

    with contextlib.suppress(NotImplementedError, AttributeError):
        pa.set_memory_pool(pa.jemalloc_memory_pool())


def _single_threaded_blas() -> None:
    """numpy's OpenBLAS starts a thread per core when numpy is imported, about 50 ms of CPU that a
    comparison (no linear algebra) never uses: ask for one, unless the user set a number. Called
    before numpy is imported; no result changes."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _comparison(design: Design, file: str, actuals: str, as_of: str | None, columns: tuple[str, ...],
                stage_map: tuple[str, ...], window: tuple = (None, None, None, "activity"), date_order: str | None = None):
    """Read an actuals file and compare it with the design (shared by compare and render --actuals);
    `window` is (--from, --to, --period, --basis), `date_order` --date-format."""
    _single_threaded_blas()
    from journeymap.actuals.reading import read_actuals
    from journeymap.actuals.values import AmbiguousDates
    from journeymap.compare.funnel import check_comparable, compare, parse_as_of
    from journeymap.compare.window import parse_day, parse_period
    from journeymap.designfile import reading as io

    date_from, date_to, period, basis = window
    if as_of is not None:
        try:
            parse_as_of(as_of)
        except InputError as exc:
            raise click.BadParameter(exc.first.message.removeprefix("--as-of: "), param_hint="--as-of") from None
    if period is not None and (date_from is not None or date_to is not None):
        raise click.UsageError("give either --period or --from/--to, not both")
    for value, hint, check in ((date_from, "--from", parse_day), (date_to, "--to", parse_day),
                               (period, "--period", None)):
        if value is None:
            continue
        try:
            check(value, hint) if check is not None else parse_period(value)
        except InputError as exc:
            raise click.BadParameter(exc.first.message.removeprefix(f"{hint}: "), param_hint=hint) from None
    try:
        check_comparable(design)  # before reading what may be a large export
    except InputError as exc:
        raise _locate(exc, file) from None
    progress = None
    content: bytes | Callable[[], bytes]
    if _file_size(actuals) > 1 << 24:  # large: progress on stderr, and the bytes let go once parsed
        _large_file_memory_pool()
        progress = _Progress(actuals)
        content = _reader(actuals)
    else:
        content = io.read_bytes(actuals, limit=None)
    try:
        data = read_actuals(content, actuals, design, columns=_pairs(columns, "--columns", number=False) or None,
                            stage_map=_pairs(stage_map, "--stage-map", number=False) or None, progress=progress,
                            date_order=date_order.lower() if date_order else None)
    except AmbiguousDates as exc:
        issue = exc.first
        raise InputError(Issue(issue.message.replace("say which", "give --date-format dmy or --date-format mdy"),
                               source=issue.source, line=issue.line, cell=issue.cell)) from None
    del content
    for note in data.notes:
        echo(f"warning: {note}", err=True)
    try:
        result = compare(design, data, as_of=as_of, start=date_from, end=date_to, period=period, basis=basis)
    except InputError as exc:
        if exc.first.source is None and exc.first.path:
            raise _locate(exc, file) from None
        raise
    finally:
        if progress is not None:
            progress.done()
    return result


def _file_size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0  # reading it says why not


def _reader(path: str) -> Callable[[], bytes]:
    """The bytes of `path` each time it is called: a large actuals file, which `read_actuals`
    lets go once parsed (and reads again only for the line number of an error)."""
    from journeymap.designfile import reading as io

    return lambda: io.read_bytes(path, limit=None)


class _Progress:
    """Progress of reading and comparing a large file, on stderr (one line, redrawn on a terminal)."""

    def __init__(self, name: str):
        self.name, self.shown, self.tty = name, -1, sys.stderr.isatty()
        self.started = __import__("time").perf_counter()

    def __call__(self, fraction: float) -> None:
        percent = int(fraction * 90)  # the comparison after reading is the last tenth
        if percent // 10 == self.shown // 10 and percent < 90:
            return
        self.shown = percent
        self._show(f"journeymap: reading {self.name} … {percent}%")

    def done(self) -> None:
        import time

        self._show(f"journeymap: {self.name} compared in {time.perf_counter() - self.started:.1f} s", end="\n")

    def _show(self, text: str, end: str | None = None) -> None:
        if self.tty:
            click.echo("\r" + text + "\033[K", err=True, nl=end is not None)
        else:
            click.echo(text, err=True)


@cli.command(name="compare")
@click.argument("file")
@click.argument("actuals")
@actuals_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "html"]), default="table", show_default=True)
@click.option("-o", "--output", "out", default="-", show_default=True, help="Output file; '-' for standard output.")
@LANG
def compare_cmd(file: str, actuals: str, as_of: str | None, columns: tuple[str, ...], stage_map: tuple[str, ...],
                date_from: str | None, date_to: str | None, period: str | None, basis: str, date_order: str | None,
                fmt: str, out: str, lang: str) -> None:
    """Planned vs actual per funnel stage from a CRM export (CSV, TSV or Excel), over a window:
    the plan (per the design's period) is scaled to the window's length."""
    design = load_input(file)
    comparison = _comparison(design, file, actuals, as_of, columns, stage_map, (date_from, date_to, period, basis),
                             date_order)
    if fmt == "json":
        from journeymap.report.json_output import comparison_json

        text = json_text(json.dumps(comparison_json(comparison, lang), ensure_ascii=False, indent=2)) + "\n"
    elif fmt == "table":
        from journeymap.report.table import compare_table

        text = compare_table(comparison, design, lang)
    else:
        from journeymap.report.html import report_html

        text = report_html(comparison, design, lang=lang)
    if out == "-":
        echo(text, nl=False)
    else:
        write_output(out, text.encode("utf-8"))


# --------------------------------------------------------------------------- app (the Streamlit UI)

from journeymap.cli.app import app_command  # noqa: E402

cli.add_command(app_command)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (0 ok, 1 invalid input, 2 usage)."""
    try:
        cli.main(args=argv, prog_name="journeymap", standalone_mode=False)
        return 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except InputError as exc:
        for issue in exc.issues:
            echo(str(issue), err=True)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except Exception as exc:  # an error of ours, not of the input: say so without a traceback
        if os.environ.get("JOURNEYMAP_DEBUG"):
            raise
        echo(
            f"journeymap: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in journeymap; run again with JOURNEYMAP_DEBUG=1 to see the traceback.",
            err=True,
        )
        return 1


def run() -> None:
    sys.exit(main())
