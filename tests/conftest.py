"""Shared fixtures: a copy of the small test project in a temporary folder."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from leaflet import config
from leaflet.build import Project

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """The test project (leaflet 'demo', locales en + fr) with the real templates."""
    target = tmp_path / "project"
    shutil.copytree(DATA / "project", target, symlinks=False)
    return target


@pytest.fixture
def project(project_dir: Path) -> Project:
    return Project(config.load(project_dir))


def po_path(root: Path, locale: str, domain: str) -> Path:
    return root / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"
