"""Saving writes canonical YAML/JSON atomically: a failed save leaves the previous file intact."""

from __future__ import annotations

import os

import pytest

from journeymap.designfile.atomic import atomic_write
from journeymap.designfile.reading import load_design
from journeymap.designfile.writing import save_design

from .test_cli import MINIMAL


def test_save_then_load_is_the_same_design(tmp_path):
    design = load_design(MINIMAL)
    for name in ("d.yaml", "d.json"):
        save_design(design, tmp_path / name)
        assert load_design(tmp_path / name) == design


def test_saved_yaml_is_block_style_japanese_unescaped_in_model_order(tmp_path):
    path = tmp_path / "d.yaml"
    save_design(load_design(MINIMAL), path)
    text = path.read_text(encoding="utf-8")
    assert "\\u" not in text and "顧客接点創出段階" in text
    keys = [line.split(":")[0] for line in text.splitlines() if line and not line.startswith((" ", "-"))]
    assert keys == ["schema_version", "id", "name", "segment", "owners", "phases", "kgis", "transitions", "journey", "drop_reasons"]
    assert "\n  - id: contact\n    name: {ja: 顧客接点創出段階, en: Contact creation}\n    stages:\n" in text


def test_a_failed_write_keeps_the_previous_file_and_leaves_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "d.yaml"
    path.write_text("previous", encoding="utf-8")

    def fail(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        atomic_write(path, b"new content")
    assert path.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["d.yaml"]


def test_atomic_write_keeps_file_permissions(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("x")
    path.chmod(0o600)
    atomic_write(path, b"y")
    assert path.read_bytes() == b"y"
    assert path.stat().st_mode & 0o777 == 0o600
