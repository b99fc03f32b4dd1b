"""The workspace index: one listing of every design, shared by every session of a server.

Each design file is summarised once per file version — its name, size, modification time and inode
(`os.replace` gives a saved file a new inode) — and the summary is reused until the file changes.
Listing 200 designs is then one folder scan and 200 `stat` calls; a design is parsed again only
when it changed, whether the app saved it or someone edited it, pulled it with git or broke it from
outside. A broken file is listed with its first problem and line. Thread-safe: Streamlit runs every
session in its own thread.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from journeymap.designfile.reading import parse_design_text
from journeymap.errors import InputError, Issue
from journeymap.model import Design, Localized, slugify, text_of
from journeymap.workspace.folder import Folder, version_of

FileKey = tuple[int, int, int]
"""(modification time in ns, size, inode) of a design file: a new key means a new version."""


@dataclass(frozen=True)
class Entry:
    """A saved design as listed: a summary of a valid design, or the problems of a broken file."""

    id: str
    path: Path
    version: str
    modified: dt.datetime
    title: str | Localized | None = None
    """The design's name (None when the file is broken)."""
    segment: str | None = None
    phases: int = 0
    stages: int = 0
    kgi: tuple[str | Localized, float, str] | None = None
    """The first KGI: name, target, unit."""
    currency: str = "JPY"
    owners: tuple[str, ...] = ()
    """Names of the design's owners (who does the stages), in both languages (for filtering)."""
    owner_names: tuple[str | Localized, ...] = ()
    """The owners' names as the design gives them (for showing in one language)."""
    search_text: str = ""
    """Id, names and stage names in both languages, lower-cased, for search."""
    issues: tuple[Issue, ...] = ()
    saved_by: str | None = None
    """Who saved it last (an email address, an OS user name or 'local'); None when the file was
    changed outside the app since, or saved before authors were recorded."""

    @property
    def valid(self) -> bool:
        return not self.issues

    def name(self, lang: str = "ja") -> str:
        return text_of(self.title, lang) if self.title is not None else self.id

    def owners_in(self, lang: str) -> list[str]:
        return [text_of(name, lang) for name in self.owner_names]

    def matches(self, query: str) -> bool:
        """Whether every word of `query` occurs in the id, a name or a stage name."""
        return all(word in self.search_text for word in query.lower().split())


def summary(path: Path, content: bytes, modified: dt.datetime, design: Design, saved_by: str | None = None) -> Entry:
    """The listing of a valid design."""
    names = [design.id, *_both(design.name)]
    for phase in design.phases:
        names += _both(phase.name)
        for stage in phase.stages:
            names += [stage.id, *_both(stage.name)]
    first = design.kgis[0] if design.kgis else None
    return Entry(
        id=path.stem,
        path=path,
        version=version_of(content),
        modified=modified,
        title=design.name,
        segment=design.segment,
        phases=len(design.phases),
        stages=len(design.stages),
        kgi=(first.name, float(first.target), first.unit) if first else None,
        currency=design.currency,
        owners=tuple(dict.fromkeys(name for owner in design.owners for name in _both(owner.name))),
        owner_names=tuple(owner.name for owner in design.owners),
        search_text="\n".join(names).lower(),
        saved_by=saved_by,
    )


def _both(text: str | Localized) -> list[str]:
    if isinstance(text, Localized):
        return [t for t in (text.ja, text.en) if t]
    return [text]


class Index:
    """The summaries of the design files in one folder, kept per file version."""

    def __init__(self, folder: Folder) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[FileKey, Entry]] = {}
        self.parsed = 0
        """How many files were parsed so far (tests and the benchmark read it)."""

    def entries(self) -> list[Entry]:
        """Every design file, most recently changed first; files changed since the last call are read again."""
        found: dict[str, Entry] = {}
        for path in self.folder.designs():
            entry = self.entry(path)
            if entry is not None:
                found[path.name] = entry
        with self._lock:
            for gone in set(self._entries) - set(found):
                del self._entries[gone]
        return sorted(found.values(), key=lambda e: (-e.modified.timestamp(), e.id))

    def entry(self, path: Path) -> Entry | None:
        """The listing of one design file (None when it vanished meanwhile)."""
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        key = _key(stat)
        with self._lock:
            cached = self._entries.get(path.name)
        if cached and cached[0] == key:
            return cached[1]
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            return None
        modified = dt.datetime.fromtimestamp(stat.st_mtime)
        by = self.folder.author_of(path.stem, content) if slugify(path.stem) == path.stem else None
        try:
            entry = summary(path, content, modified, parse_design_text(content, str(path), "yaml"), by)
        except InputError as exc:
            entry = Entry(path.stem, path, version_of(content), modified, issues=tuple(exc.issues), search_text=path.stem,
                          saved_by=by)
        with self._lock:
            self.parsed += 1
            self._entries[path.name] = (key, entry)
        return entry

    def saved(self, path: Path, content: bytes, design: Design, by: str | None = None) -> None:
        """Record a design the workspace just wrote, by `by` (no need to read it again)."""
        try:
            stat = path.stat()
        except FileNotFoundError:
            return
        entry = summary(path, content, dt.datetime.fromtimestamp(stat.st_mtime), design, by)
        with self._lock:
            self._entries[path.name] = (_key(stat), entry)

    def forget(self, design_id: str) -> None:
        """Drop the listing of a design that left the folder."""
        with self._lock:
            self._entries.pop(f"{design_id}.yaml", None)


def _key(stat: os.stat_result) -> FileKey:
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


SORTS = ("modified", "name")
STATUSES = ("all", "valid", "broken")
PAGE_SIZE = 20
"""Designs on one page of the Library."""


def select(
    entries: list[Entry],
    query: str = "",
    segments: tuple[str, ...] = (),
    owners: tuple[str, ...] = (),
    status: str = "all",
    sort: str = "modified",
    lang: str = "ja",
) -> list[Entry]:
    """The entries that match a search and filters, in the order asked for.

    `query` matches id, names and stage names (every word); `segments` and `owners` keep entries
    with any of them (none given: no filter); `status` is all, valid or broken; `sort` is modified
    (newest first) or name (by the name in `lang`, then id).
    """
    chosen = [
        e for e in entries
        if (not query or e.matches(query))
        and (not segments or e.segment in segments)
        and (not owners or any(o in e.owners for o in owners))
        and (status == "all" or e.valid == (status == "valid"))
    ]
    if sort == "name":
        return sorted(chosen, key=lambda e: (e.name(lang).casefold(), e.id))
    return sorted(chosen, key=lambda e: (-e.modified.timestamp(), e.id))


def page_of(entries: list[Entry], number: int, size: int = PAGE_SIZE) -> tuple[list[Entry], int, int]:
    """Page `number` (1-based, clamped to the pages there are): its entries, the page shown, the page count."""
    pages = max(1, -(-len(entries) // size))
    number = min(max(1, number), pages)
    return entries[(number - 1) * size : number * size], number, pages
