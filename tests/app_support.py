"""Shared helpers for the app, workspace and editing tests (imported explicitly, not a conftest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.designfile.reading import load_design

DATA = Path(__file__).parent / "data"
APP_LIBRARY = DATA / "app_library"
TEMPLATE_ID = "app-b2b-outbound"


def template_design():
    return load_design(APP_LIBRARY / f"{TEMPLATE_ID}.yaml")


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    """A fresh workspace folder and the test template library, set through the environment."""
    root = tmp_path / "workspace"
    monkeypatch.setenv("JOURNEYMAP_WORKSPACE", str(root))
    monkeypatch.setenv("JOURNEYMAP_LIBRARY", str(APP_LIBRARY))
    return root
