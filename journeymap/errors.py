"""The one exception type for bad user input, shared by the CLI and the app.

An `InputError` carries one or more `Issue`s, each saying where (file, line or spreadsheet cell)
and what is wrong. `str(issue)` is the `FILE:LINE: message` form the command line prints.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One thing wrong with an input, and where it is."""

    message: str
    source: str | None = None
    line: int | None = None
    column: int | None = None
    cell: str | None = None
    """A spreadsheet location such as `Stages!C7`."""
    path: tuple = ()
    """The data path inside the design (`('phases', 0, 'stages', 1, 'owner')`), when known."""
    key: str | None = None
    """The catalogue key of the message (`problem.*`, `access.refused`, `workspace.*`), when it was written with `text.problems.problem`:
    the app shows the message in its own language from it; `message` is the English (the CLI's)."""
    values: tuple = ()
    """The (name, value) pairs that fill the key's placeholders (a `text.problems.Phrase` value is itself a
    catalogue text, said in the same language)."""

    @property
    def where(self) -> str:
        parts = [self.source] if self.source else []
        if self.cell:
            parts.append(self.cell)
        elif self.line is not None:
            parts.append(str(self.line))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.where
        return f"{where}: {self.message}" if where else self.message


class InputError(Exception):
    """Input that journeymap cannot use. Never shown as a traceback."""

    def __init__(self, issues: list[Issue] | Issue | str, source: str | None = None):
        if isinstance(issues, str):
            issues = [Issue(issues, source=source)]
        elif isinstance(issues, Issue):
            issues = [issues]
        self.issues: list[Issue] = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))

    @property
    def first(self) -> Issue:
        return self.issues[0]
