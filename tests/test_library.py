"""The template library: the seven required templates, each valid, bilingual and round-trip exact."""

from __future__ import annotations

import pytest

from journeymap import library
from journeymap.designfile.reading import parse_design_text
from journeymap.designfile.writing import dump_json, dump_yaml
from journeymap.model import design_to_data

REQUIRED = {
    "b2b-standard",
    "b2c-standard",
    "midsize-phase-stage",
    "enterprise-buying-process",
    "enterprise-relationship",
    "smb-funnel",
    "outsourced-prospecting",
}

TEMPLATES = library.list_templates()


def test_the_library_has_the_required_templates():
    assert {t.id for t in TEMPLATES} >= REQUIRED


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_every_name_is_bilingual(template):
    assert library.bilingual_gaps(template.design) == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_template_survives_yaml_json_yaml_json_exactly(template):
    yaml1 = dump_yaml(template.design)
    json1 = dump_json(parse_design_text(yaml1, "a.yaml", "yaml"))
    yaml2 = dump_yaml(parse_design_text(json1, "a.json", "json"))
    json2 = dump_json(parse_design_text(yaml2, "b.yaml", "yaml"))
    assert (yaml1, json1) == (yaml2, json2)
    assert design_to_data(parse_design_text(json2, "b.json", "json")) == design_to_data(template.design)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_template_file_is_in_canonical_form(template):
    # The shipped file is exactly what journeymap writes, so saving a copy changes nothing.
    assert template.path.read_text(encoding="utf-8") == dump_yaml(template.design)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_template_is_a_plannable_design(template):
    design = template.design
    funnel = design.funnel_stages
    assert len(funnel) >= 3, "a template needs a funnel to plan and compare against"
    assert all(s.target_rate is not None and 0 < s.target_rate <= 1 for s in funnel[1:])
    assert design.kgis, "a template sets at least one KGI"
    assert all(s.exit_criteria and s.description for s in design.stages), "every stage says what it is and when it is done"
    assert design.journey is None or all(p.stages for p in design.journey.phases)


def test_unknown_template_lists_the_known_ones():
    from journeymap.errors import InputError

    with pytest.raises(InputError, match="no template 'nope' in the library"):
        library.load_template("nope")


def test_library_folder_can_be_overridden(tmp_path, monkeypatch):
    source = next(t for t in TEMPLATES)
    (tmp_path / f"{source.id}.yaml").write_text(source.path.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv(library.LIBRARY_ENV, str(tmp_path))
    assert [t.id for t in library.list_templates()] == [source.id]


def test_template_whose_id_differs_from_its_file_name_is_refused(tmp_path, monkeypatch):
    from journeymap.errors import InputError

    source = next(t for t in TEMPLATES)
    (tmp_path / "other-name.yaml").write_text(source.path.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv(library.LIBRARY_ENV, str(tmp_path))
    with pytest.raises(InputError, match="differs from its file name"):
        library.list_templates()


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_links_between_templates_resolve(template):
    assert library.unresolved_links(template.design, {t.id: t.design for t in TEMPLATES}) == []


def test_unresolved_links_name_the_missing_design_and_stage():
    buying = library.load_template("enterprise-buying-process")
    relationship = library.load_template("enterprise-relationship")
    assert library.unresolved_links(buying, {}) == [
        "linked design 'enterprise-relationship' is not in the library or workspace"
    ] * 2
    renamed = relationship.model_copy(update={"phases": relationship.phases[:1]})
    assert library.unresolved_links(buying, {"enterprise-relationship": renamed}) == [
        "design 'enterprise-relationship' has no stage 'contact'",
        "design 'enterprise-relationship' has no stage 'issue-sharing'",
    ]
