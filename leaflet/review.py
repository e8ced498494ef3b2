"""Translator sign-off, kept beside each catalog in locales/<locale>/signoff.json.

A file beside the catalog survives any tool that rewrites the .po (Poedit,
Weblate, Lokalize). It records who signed off, when, and a hash of exactly
what they checked: every English text and its translation. When either side
changes, the hash no longer matches and the sign-off lapses by itself.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping

import polib

from . import catalogs
from .errors import CatalogError
from .files import write_atomic
from .project import Project


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


def signoff_for(project: Project, locale: str,
                merged: Mapping[str, polib.POFile] | None = None) -> dict[str, str] | None:
    """The sign-off that still covers the current text, or None. `merged`: the
    locale's catalogs as the checks merged them, when a build has them already."""
    try:
        data = json.loads(project.signoff_path(locale).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("content") != content_hash(
            current_catalogs(project, locale) if merged is None else merged):
        return None
    return {"reviewer": str(data.get("reviewer", "")), "date": str(data.get("date", ""))}


def record(project: Project, locale: str, reviewer: str, date: dt.date) -> dict[str, str]:
    if not re.search(r"\w", reviewer):
        raise CatalogError("reviewer name is empty", hint="give --reviewer 'Name, qualification'")
    data = {"locale": locale, "reviewer": reviewer.strip(), "date": date.isoformat(),
            "content": content_hash(current_catalogs(project, locale))}
    write_atomic(project.signoff_path(locale),
                 json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return data
