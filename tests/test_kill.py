"""Builds killed at random moments leave every output old, new or absent."""
from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import DATA

KILLS = 20
PHONES = ("020 7946 0998", "020 7946 0999")   # fictional numbers


def snapshot(build: Path) -> dict[str, str]:
    return {str(p.relative_to(build)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(build.rglob("*")) if p.is_file() and p.name != ".lock"}


def set_phone(root: Path, phone: str) -> None:
    """A setting that changes every leaflet but no catalog or template."""
    path = root / "leaflet.toml"
    text = path.read_text("utf-8")
    start = text.index('phone = "') + len('phone = "')
    path.write_text(text[:start] + phone + text[text.index('"', start):], "utf-8")


# A slow disk: every fsync waits, so that many kills land in the middle of a write.
SLOW_DISK = """
import os, sys, time
fsync = os.fsync
os.fsync = lambda fd: (time.sleep(0.04), fsync(fd))[1]
from leaflet.cli import main
sys.exit(main(sys.argv[1:]))
"""


def start(root: Path, *args: str) -> subprocess.Popen:
    # One fixed time stamp: a template's POT-Creation-Date has minute resolution,
    # so an update that ran in the next minute wrote other (correct) bytes.
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795000000"}
    return subprocess.Popen([sys.executable, "-c", SLOW_DISK, "--project", str(root), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, env=env)


def start_build(root: Path) -> subprocess.Popen:
    return start(root, "build", "--jobs", "2")


def kill_at_random(proc: subprocess.Popen, rng: random.Random, longest: float) -> None:
    time.sleep(rng.uniform(0.0, longest))   # a moment, not a measurement
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def test_builds_killed_at_random_moments_leave_old_or_new_outputs(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(DATA / "project", root)
    build = root / "build"
    # The two complete states every output may be in.
    known: dict[str, set[str]] = {}
    durations = []
    for phone in PHONES:
        set_phone(root, phone)
        shutil.rmtree(build, ignore_errors=True)
        started = time.monotonic()
        assert start_build(root).wait() == 0
        durations.append(time.monotonic() - started)
        for name, digest in snapshot(build).items():
            known.setdefault(name, set()).add(digest)
    assert len(known["fr/demo.pdf"]) == 2           # the two states really differ
    rng = random.Random(20261121)
    for i in range(KILLS):
        set_phone(root, PHONES[i % 2])
        kill_at_random(start_build(root), rng, max(durations))
        for name, digest in snapshot(build).items():
            if name.endswith(".tmp"):     # an unfinished write, never under an output name
                assert Path(name).name.startswith(".")
                continue
            assert digest in known.get(name, set()), f"kill {i}: {name} is neither old nor new"
    # The next build finishes the job and removes what the killed ones left.
    assert start_build(root).wait() == 0
    final = snapshot(build)
    assert not [n for n in final if n.endswith(".tmp")]
    assert all(digest in known[name] for name, digest in final.items())


def test_update_killed_at_random_moments_never_loses_the_catalog(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(DATA / "project", root)
    source = root / "content" / "demo" / "leaflet.md"
    source.write_text(source.read_text("utf-8").replace("Drink water.", "Drink some water."),
                      "utf-8")
    files = [root / "locales" / "demo.pot", root / "locales" / "fr" / "LC_MESSAGES" / "demo.po"]
    before = [p.read_bytes() for p in files]
    started = time.monotonic()
    assert start(root, "update").wait() == 0
    longest = time.monotonic() - started
    after = [p.read_bytes() for p in files]
    assert b'#| msgid "Drink water."' in after[1]
    rng = random.Random(7)
    for i in range(KILLS // 2):
        for path, data in zip(files, before):
            path.write_bytes(data)
        kill_at_random(start(root, "update"), rng, longest)
        for path, old, new in zip(files, before, after):
            assert path.read_bytes() in (old, new), f"kill {i}: {path.name} damaged"
