"""The template library: designs shipped with journeymap (`process_library/*.yaml`).

A template is an ordinary design file whose file name is its id. `JOURNEYMAP_LIBRARY` points at
another folder of templates (a team's own library) instead of the shipped one.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from journeymap.designfile.reading import load_design
from journeymap.model import Design, Localized, text_of
from journeymap.text.problems import Verbatim, refuse

LIBRARY_ENV = "JOURNEYMAP_LIBRARY"


@dataclass(frozen=True)
class Template:
    """A library entry: where it is and what it is, without loading every stage."""

    id: str
    path: Path
    design: Design
    version: str = ""
    """The file's content hash (what a preview of this template is drawn once for)."""

    def name(self, lang: str = "ja") -> str:
        return text_of(self.design.name, lang)

    def description(self, lang: str = "ja") -> str:
        return text_of(self.design.description, lang)

    @property
    def segment(self) -> str:
        return self.design.segment


def library_dir() -> Path:
    """The folder templates are read from."""
    override = os.environ.get(LIBRARY_ENV)
    if override:
        return Path(override)
    import process_library

    return Path(process_library.__file__).parent


def template_paths(folder: Path | None = None) -> list[Path]:
    folder = folder or library_dir()
    if not folder.is_dir():
        raise refuse("problem.no_library_folder", source=str(folder))
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def list_templates(folder: Path | None = None) -> list[Template]:
    """Every template, validated, in file-name order. A broken template raises InputError."""
    return [_load(path, path.stat().st_mtime_ns) for path in template_paths(folder)]


def load_template(template_id: str, folder: Path | None = None) -> Design:
    """The design of one template, by id."""
    for path in template_paths(folder):
        if path.stem == template_id:
            return _load(path, path.stat().st_mtime_ns).design
    known = ", ".join(p.stem for p in template_paths(folder))
    raise refuse("problem.no_template", id=template_id, known=known)


@lru_cache(maxsize=64)
def _load(path: Path, _mtime: int) -> Template:
    design = load_design(path)
    if design.id != path.stem:
        raise refuse("problem.template_id", source=str(path), id=design.id, stem=path.stem)
    try:
        version = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError as exc:
        raise refuse("problem.cannot_read_template", source=str(path), detail=Verbatim(str(exc.strerror or exc))) from None
    return Template(id=design.id, path=path, design=design, version=version)


def bilingual_gaps(design: Design) -> list[str]:
    """Names that lack a Japanese or an English text (templates must have both)."""
    gaps: list[str] = []

    def check(where: str, value) -> None:
        if not (isinstance(value, Localized) and value.ja and value.en):
            gaps.append(where)

    check("name", design.name)
    for owner in design.owners:
        check(f"owner {owner.id}", owner.name)
    for phase in design.phases:
        check(f"phase {phase.id}", phase.name)
        for stage in phase.stages:
            check(f"stage {stage.id}", stage.name)
            for kpi in stage.kpis:
                check(f"kpi {kpi.id}", kpi.name)
    for kgi in design.kgis:
        check(f"kgi {kgi.id}", kgi.name)
    if design.journey:
        for jp in design.journey.phases:
            check(f"journey phase {jp.id}", jp.name)
    for reason in design.drop_reasons:
        check(f"drop reason {reason.id}", reason.name)
    for stage in design.stages:
        for record in stage.records:
            if record.id:
                check(f"record {record.id} of {stage.id}", record.name)
                for option in record.options:
                    check(f"option of {record.id}", option)
    for record in design.account_plan:
        check(f"account plan {record.id or text_of(record.name)}", record.name)
    for level in design.temperature or []:
        check(f"temperature {level.id}", level.name)
    return gaps


def unresolved_links(design: Design, designs: dict[str, Design]) -> list[str]:
    """The design's links to other designs that do not resolve among `designs` (by id), each said
    in a sentence: a missing design, or a stage it does not have."""
    problems = []
    for link in design.linked_designs:
        other = designs.get(link.design)
        if other is None:
            problems.append(f"linked design '{link.design}' is not in the library or workspace")
        elif link.stage is not None and link.stage not in {s.id for s in other.stages}:
            problems.append(f"design '{link.design}' has no stage '{link.stage}'")
    return problems
