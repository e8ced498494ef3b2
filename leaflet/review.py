"""Reviews that lapse by themselves: translator sign-off and clinical approval.

Translator sign-off is kept beside each catalog in locales/<locale>/signoff.json.
A file beside the catalog survives any tool that rewrites the .po (Poedit,
Weblate, Lokalize). It records who signed off, when, and a hash of exactly
what they checked: every English text and its translation. When either side
changes, the hash no longer matches and the sign-off lapses by itself.

Clinical approval of the English is kept beside the content, in
content/<leaflet>/approval.json, the same way: who approved, when, and a hash
of the leaflet as patients read it and of its source register (ids, texts,
citations, sources and their kinds; not line numbers or comments, so moving
a line or rewrapping a paragraph changes nothing). Any edit to a text, a
citation or a source lapses it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polib

from . import catalogs
from .errors import CatalogError, ConfigError
from .files import write_atomic
from .model import Leaflet
from .project import Project

Who = dict[str, str]   # {"reviewer": ..., "date": "YYYY-MM-DD"}


def current_catalogs(project: Project, locale: str) -> dict[str, polib.POFile]:
    """domain -> the locale's catalog merged with the English as it is now (not
    the last .pot)."""
    return {domain: catalogs.update(project.pot(domain),
                                    catalogs.read(project.po_path(locale, domain)))
            for domain in project.domains}


def content_hash(merged: Mapping[str, polib.POFile]) -> str:
    """Hash of the English and translation of every current entry of a locale,
    from its catalogs merged with the English (domain -> catalog, in the
    project's order)."""
    digest = hashlib.sha256()
    for domain, po in merged.items():
        for e in po:
            if not e.obsolete:
                digest.update(json.dumps([domain, e.msgctxt, e.msgid, e.msgstr,
                                          "fuzzy" in e.flags]).encode())
    return digest.hexdigest()


def _record(path: Path) -> dict[str, Any] | None:
    """A review file, or None when there is none (or it is not a JSON object)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _verdict(data: dict[str, Any] | None, current: str) -> tuple[str, Who | None]:
    """("current", who) when the record covers `current`; ("lapsed", who) when it
    covers something else; ("missing", None) without one."""
    if data is None:
        return "missing", None
    who = {"reviewer": str(data.get("reviewer", "")), "date": str(data.get("date", ""))}
    return ("current" if data.get("content") == current else "lapsed"), who


def signoff_state(project: Project, locale: str,
                  merged: Mapping[str, polib.POFile] | None = None) -> tuple[str, Who | None]:
    """("current" | "lapsed" | "missing", reviewer and date) of a locale's sign-off.
    `merged`: the locale's catalogs as the checks merged them, when a build has
    them already."""
    data = _record(project.signoff_path(locale))
    if data is None:
        return _verdict(None, "")
    try:
        current = content_hash(current_catalogs(project, locale) if merged is None else merged)
    except CatalogError:   # a catalog that cannot be read is covered by no sign-off
        current = ""
    return _verdict(data, current)


def signoff_for(project: Project, locale: str,
                merged: Mapping[str, polib.POFile] | None = None) -> Who | None:
    """The sign-off that still covers the current text, or None."""
    state, who = signoff_state(project, locale, merged)
    return who if state == "current" else None


def record(project: Project, locale: str, reviewer: str, date: dt.date) -> dict[str, str]:
    if not re.search(r"\w", reviewer):
        raise CatalogError("reviewer name is empty", hint="give --reviewer 'Name, qualification'")
    data = {"locale": locale, "reviewer": reviewer.strip(), "date": date.isoformat(),
            "content": content_hash(current_catalogs(project, locale))}
    write_atomic(project.signoff_path(locale),
                 json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return data


# --- clinical approval of the English -----------------------------------------------
def english_hash(leaflet: Leaflet) -> str:
    """Hash of what a clinician approves: every text, citation and source, in order."""
    parts = [leaflet.title.id, leaflet.title.text,
             [[s.id, s.title, list(s.topics),
               [[b.id, b.kind, b.text, list(b.cites), b.figure] for b in s.blocks]]
              for s in leaflet.sections],
             [[s.id, s.title, s.publisher, s.audience, s.kind] for s in leaflet.sources]]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def approval_state(project: Project, name: str) -> tuple[str, Who | None]:
    """("current" | "lapsed" | "missing", reviewer and date) of a leaflet's approval."""
    return _verdict(_record(project.approval_path(name)), english_hash(project.leaflet(name)))


def approval_for(project: Project, name: str) -> Who | None:
    """The clinical approval that still covers the current English, or None."""
    state, who = approval_state(project, name)
    return who if state == "current" else None


def approve(project: Project, name: str, reviewer: str, date: dt.date) -> dict[str, str]:
    """Record that a clinician approved the English of a leaflet as it is now."""
    if name not in project.cfg.leaflets:
        raise ConfigError(f"no leaflet {name!r} in this project", path=project.cfg.path,
                          hint="choose from " + ", ".join(project.cfg.leaflets))
    if not re.search(r"\w", reviewer):
        raise ConfigError("reviewer name is empty", hint="give --reviewer 'Name, role'")
    leaflet = project.leaflet(name)   # a broken source stops here, with its line
    data = {"leaflet": name, "reviewer": reviewer.strip(), "date": date.isoformat(),
            "version": project.cfg.meta[name].version, "content": english_hash(leaflet)}
    write_atomic(project.approval_path(name),
                 json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return data
