"""requirements.lock is what users get: every package pinned with hashes, and
the venv `make` builds holds exactly it.

`make test-latest` runs this suite in a venv of the newest versions the
ranges allow (LEAFLET_UNLOCKED=1): there the venv is checked against
pyproject.toml's ranges instead of the lock, on purpose.
"""
from __future__ import annotations

import importlib.metadata
import os
import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import ROOT

LOCK = ROOT / "requirements.lock"
NOT_LOCKED = {"pip", "leaflet"}   # the venv's own installer, and the project itself


def locked() -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$", LOCK.read_text(), re.M)
    return {canonicalize_name(name): version for name, version in pins}


def ranges() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in
            [*project["dependencies"], *project["optional-dependencies"]["test"]]]


def installed() -> dict[str, str]:
    found = {canonicalize_name(d.metadata["Name"]): d.version
             for d in importlib.metadata.distributions()}
    return {k: v for k, v in found.items() if k not in NOT_LOCKED}


def test_every_locked_package_has_an_exact_version_and_hashes() -> None:
    blocks = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text())[1:]
    assert len(blocks) == len(locked()) >= 30
    for block in blocks:
        assert re.match(r"^\S+==\S+ \\", block) and "--hash=sha256:" in block, block[:80]


def test_the_lock_satisfies_the_ranges_of_pyproject() -> None:
    pins = locked()
    for req in ranges():
        name = canonicalize_name(req.name)
        assert name in pins, f"{name} is not in the lock: run 'make lock'"
        assert req.specifier.contains(pins[name], prereleases=True), (name, pins[name])


def test_the_venv_holds_exactly_the_lock() -> None:
    have = installed()
    if os.environ.get("LEAFLET_UNLOCKED"):   # make test-latest: newest within the ranges
        for req in ranges():
            assert req.specifier.contains(have[canonicalize_name(req.name)],
                                          prereleases=True), req
    else:
        assert have == locked(), "the venv differs from requirements.lock: run 'make setup'"
