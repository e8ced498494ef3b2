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

from . import catalogs
from .errors import CatalogError

SIGNOFF = "signoff.json"


def content_hash(project, locale: str) -> str:
    """Hash of the English and translation of every current entry of a locale."""
    digest = hashlib.sha256()
    for domain in project.domains:   # the English as it is now, not the last .pot
        merged = catalogs.update(project.pot(domain),
                                 catalogs.read(project.po_path(locale, domain)))
        for e in merged:
            if not e.obsolete:
                digest.update(json.dumps([domain, e.msgctxt, e.msgid, e.msgstr,
                                          "fuzzy" in e.flags]).encode())
    return digest.hexdigest()


def signoff_for(project, locale: str) -> dict[str, str] | None:
    """The sign-off that still covers the current text, or None."""
    path = project.cfg.locales_dir / locale / SIGNOFF
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("content") != content_hash(project, locale):
        return None
    return {"reviewer": str(data.get("reviewer", "")), "date": str(data.get("date", ""))}


def record(project, locale: str, reviewer: str, date: dt.date) -> dict[str, str]:
    from .files import write_atomic
    if not re.search(r"\w", reviewer):
        raise CatalogError("reviewer name is empty", hint="give --reviewer 'Name, qualification'")
    data = {"locale": locale, "reviewer": reviewer.strip(), "date": date.isoformat(),
            "content": content_hash(project, locale)}
    write_atomic(project.cfg.locales_dir / locale / SIGNOFF,
                 json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return data
