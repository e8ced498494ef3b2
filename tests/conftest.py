"""Shared fixtures: a copy of the small test project in a temporary folder, and
the real project built once (every leaflet, locale and edition)."""
from __future__ import annotations

import contextlib
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaflet import cli, config
from leaflet.options import EDITIONS
from leaflet.project import Project, output_name

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


def real_outputs(fmt: str) -> list[tuple[str, str, str, str]]:
    """(leaflet, locale, edition, path under build/) of every file the real
    project publishes in this format; English has no bilingual edition."""
    cfg = config.load(ROOT)
    return [(name, locale, edition, f"{locale}/{output_name(name, edition, fmt)}")
            for name in cfg.leaflets for locale in (config.SOURCE_LOCALE, *cfg.locales)
            for edition in EDITIONS
            if not (edition == "bilingual" and locale == config.SOURCE_LOCALE)]


def copy_real_project(root: Path) -> Path:
    """A copy of the real project at `root`: content, templates, catalogs, settings."""
    for part in ("content", "templates", "locales"):
        shutil.copytree(ROOT / part, root / part)
    shutil.copy(ROOT / "leaflet.toml", root / "leaflet.toml")
    return root


@pytest.fixture
def real_project(tmp_path: Path) -> Path:
    """The real vertebroplasty project, all eleven locales."""
    return copy_real_project(tmp_path / "repo")


@pytest.fixture(scope="session")
def real_build(tmp_path_factory) -> Path:
    """build/ of a copy of the real project: every leaflet, locale and edition,
    HTML and PDF."""
    root = copy_real_project(tmp_path_factory.mktemp("real") / "repo")
    assert cli.main(["--project", str(root), "build", "--jobs", "2"]) == 0
    return root / "build"


def po_path(root: Path, locale: str, domain: str) -> Path:
    return root / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"


class Watching:
    """A `leaflet ... --watch` process, read line by line (stderr included)."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc, self.lines = proc, queue.Queue()
        self.reader = threading.Thread(target=lambda: [self.lines.put(x) for x in proc.stdout],
                                       daemon=True)
        self.reader.start()

    def until(self, text: str) -> list[str]:
        """The lines up to the first that holds `text`; the guard only stops a hang,
        nothing is timed."""
        got = [self.lines.get(timeout=120)]
        while text not in got[-1]:
            got.append(self.lines.get(timeout=120))
        return got

    def children(self) -> set[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return {int(x) for x in path.read_text().split()}


@contextlib.contextmanager
def watching(project_dir: Path, *args: str) -> Iterator[Watching]:
    proc = subprocess.Popen([sys.executable, "-m", "leaflet", "--project", str(project_dir),
                             *args, "--watch"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    watch = Watching(proc)
    try:
        yield watch
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        watch.reader.join(timeout=60)   # output ends when the workers have ended too
        assert not watch.reader.is_alive(), "worker processes outlived the watch"
        proc.stdout.close()
