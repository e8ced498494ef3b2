"""Fingerprints of what a build reads, and the stamp of the last complete build.

Imports nothing heavy: `leaflet build` with nothing to do answers from here,
before loading Babel, polib, Jinja2 or WeasyPrint. The digest covers the raw
bytes of the configuration, content, catalogs and templates, leaflet's own
code, and the rendering environment; when it differs from the stamp, the
full build runs and its per-output keys decide what to rebuild.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__
from .files import write_atomic

CODE = Path(__file__).parent
INPUTS = ("leaflet.toml", "content", "locales", "templates")
SITE_FOLDERS = ("site-packages", "dist-packages")
FONTCONFIG = ("/etc/fonts", "~/.config/fontconfig")
# The system libraries WeasyPrint lays out and draws text with.
LIBRARIES = ("libpango-1.0.", "libpangoft2-1.0.", "libharfbuzz.", "libharfbuzz-subset.",
             "libfontconfig.", "libfreetype.")


def _run(*command: str) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout
    except OSError:
        return ""


def _stat(path: str) -> tuple[str, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return os.path.realpath(path), st.st_size, st.st_mtime_ns


@cache   # once per process: the fast path and the output keys both need it
def environment() -> str:
    """Python, every installed Python distribution, the system text libraries,
    every installed font and fontconfig's configuration.

    These count by path, size and modification time: hashing the 160 MB of
    fonts would take longer than a whole build with nothing to do, and a
    package upgrade changes all three.
    """
    parts: list = [sys.version, __version__, *distributions()]
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    for line in sorted(_run(ldconfig, "-p").splitlines()):
        if line.strip().startswith(LIBRARIES) and "=>" in line:
            parts.append(_stat(line.split("=>")[-1].strip()))
    for line in sorted(set(fonts())):
        parts.append([line, _stat(line.split("|")[0])])
    for folder in FONTCONFIG:   # its rules choose among the fonts for each family
        for top, dirs, files in os.walk(os.path.expanduser(folder), followlinks=True):
            dirs.sort()
            parts += [_stat(os.path.join(top, f)) for f in sorted(files)]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def distributions() -> list[tuple[str, str, tuple[str, int, int] | None]]:
    """(folder, name-version, metadata file) of every distribution Python can import.

    All of them, not a list of the ones we think matter: a library that only
    changes a check's verdict (Babel's plural data, say) must end the replay
    of the last build as surely as WeasyPrint does.
    """
    found = []
    # Installed packages live in site-packages; other sys.path entries (the
    # current folder, a test runner's root) hold source trees, not installs.
    for folder in (p for p in sys.path if os.path.basename(p) in SITE_FOLDERS):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                meta = os.path.join(folder, name,
                                    "METADATA" if name.endswith(".dist-info") else "PKG-INFO")
                found.append((folder, name, _stat(meta)))
    return found


def fonts() -> list[str]:
    """Every font fontconfig offers ('file|index|family|style'): any may be a fallback."""
    return _run("fc-list", "--format", "%{file}|%{index}|%{family}|%{style}\n").splitlines()


def input_files(root: Path) -> list[tuple[str, Path]]:
    """(name relative to root, path) of every file under INPUTS, in a stable order."""
    paths = []
    for name in INPUTS:
        if (root / name).is_file():
            paths.append((name, root / name))
        for folder, dirs, files in os.walk(root / name, followlinks=True):
            dirs.sort()
            paths += [(str(Path(folder, f).relative_to(root)), Path(folder, f))
                      for f in sorted(files)]
    return paths


def digest(root: Path, request: object) -> str:
    """One hash of the request and of every byte a build of `root` could read."""
    paths = [(f"code/{name}", CODE / name) for name in sorted(os.listdir(CODE))
             if name.endswith(".py")] + input_files(root)
    h = hashlib.sha256(json.dumps([request, environment()]).encode())
    for name, path in paths:
        h.update(f"\0{name}\0".encode() + path.read_bytes())
    return h.hexdigest()


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Modification time and size of each input an author or translator saves
    (not .pot or .mo files, which tools write, nor editors' hidden and backup files)."""
    found = {}
    for name, path in input_files(root):
        if not any(part.startswith(".") for part in Path(name).parts) and \
                not name.endswith(("~", ".mo", ".pot", ".swp")):
            st = path.stat()
            found[name] = (st.st_mtime_ns, st.st_size)
    return found


def fresh(stamp_path: Path, root: Path, inputs: str) -> dict[str, Any] | None:
    """The summary of the last complete build, if it had these inputs and its
    outputs (relative to root) exist."""
    try:
        stamp = json.loads(stamp_path.read_text("utf-8"))
        if stamp["inputs"] == inputs and all((root / p).is_file() for p in stamp["outputs"]):
            return stamp["summary"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def record(stamp_path: Path, root: Path, inputs: str, outputs: list[Path],
           summary: dict[str, Any]) -> None:
    write_atomic(stamp_path, json.dumps(
        {"inputs": inputs, "outputs": sorted(str(p.relative_to(root)) for p in outputs),
         "summary": summary}, indent=1) + "\n")
