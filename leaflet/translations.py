"""A project's catalog files: write the templates, start a locale, merge the
English into every catalog (with the translation memory), and count what is
translated.

The file format and the merge are catalogs.py's, the memory memory.py's; this
module knows where the files are (through Project) and writes them atomically.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from . import catalogs, glossary, memory
from .config import SOURCE_LOCALE
from .errors import CatalogError, GlossaryError, LeafletError
from .files import write_atomic
from .model import ERROR, Finding
from .project import Project
from .stats import catalog_stats, source_stats


def extract_all(project: Project) -> list[Path]:
    """Write every .pot whose content changed; returns the files written."""
    written = []
    for domain in project.domains:
        path = project.pot_path(domain)
        if write_atomic(path, catalogs.po_text(project.pot(domain))):
            written.append(path)
    return written


def template(project: Project, domain: str) -> polib.POFile:
    """The .pot on disk (extracted first if it is missing)."""
    path = project.pot_path(domain)
    if not path.is_file():
        extract_all(project)
    return catalogs.read(path)


def read_catalog(project: Project, locale: str, domain: str) -> polib.POFile:
    """A locale's catalog; an error names the file relative to the project."""
    path = project.po_path(locale, domain)
    try:
        return catalogs.read(path)
    except CatalogError as exc:
        exc.path = project.rel(path) if exc.path == str(path) else exc.path
        raise


def init_locale(project: Project, locale: str) -> list[Path]:
    written = []
    for domain in project.domains:   # all checked first: no catalog written, or every one
        path = project.po_path(locale, domain)
        if path.exists():
            raise CatalogError("catalog exists already", path=project.rel(path),
                               hint="use 'leaflet update' to bring it up to date")
    for domain in project.domains:
        path = project.po_path(locale, domain)
        write_atomic(path, catalogs.po_text(catalogs.init(template(project, domain), locale)))
        written.append(path)
    return written


@dataclass
class Updated:
    """What `leaflet update` did: the files it wrote, the catalogs it started (a
    new leaflet in a started locale), the catalogs it refused, untouched, what the
    merges recovered ('path:line: ...') and what the memory filled (a line per
    catalog: 'path: N entries filled ...')."""
    written: list[Path] = field(default_factory=list)
    started: list[Path] = field(default_factory=list)
    errors: list[LeafletError] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)


def update_all(project: Project, locales: list[str]) -> Updated:
    """Extract, then merge templates into catalogs, each locale's empty entries
    filled from its own checked translations (memory.py); a broken or unsafe
    catalog is reported, not touched."""
    done = Updated(extract_all(project))
    pots = {domain: template(project, domain) for domain in project.domains}
    for locale in locales:
        for merged in merge_locale(project, locale, pots, None, done):
            rel = project.rel(merged.path)
            if write_atomic(merged.path, merged.text):
                done.written.append(merged.path)
            done.recovered += [f"{rel}:{line}: {what}" for line, what in merged.result.notes]
            if merged.result.filled:
                n = len(merged.result.filled)
                done.filled.append(
                    f"{rel}: {n} entr{'y' if n == 1 else 'ies'} filled, fuzzy, each with a "
                    "note naming its source (" + "; ".join(
                        f"[{ctx}] {what}" for ctx, what in merged.result.filled[:3])
                    + (f"; {n - 3} more" if n > 3 else "") + ")")
    return done


@dataclass(frozen=True)
class LocaleMerge:
    """One catalog of a locale merged and filled: where, the text to write, the
    merge (with what it recovered and filled)."""
    path: Path
    text: str
    result: catalogs.Merged


def merge_locale(project: Project, locale: str, pots: dict[str, polib.POFile],
                 suggestions: memory.Memory | None, done: Updated) -> list[LocaleMerge]:
    """Every catalog of a locale merged with its template, empty entries filled
    from `suggestions` (a TMX), or else from the locale's translation memory: what
    its catalogs hold, as this merge keeps it. A catalog of a new leaflet is
    started (done.started); one that cannot be read or merged is in done.errors.
    Nothing is written."""
    read: dict[str, polib.POFile] = {}
    for domain in project.domains:
        path = project.po_path(locale, domain)
        try:
            read[domain] = read_catalog(project, locale, domain)
        except CatalogError as exc:
            if path.exists() or not any(project.po_path(locale, d).exists()
                                        for d in project.domains):
                done.errors.append(exc)
                continue
            read[domain] = catalogs.init(pots[domain], locale)   # a new leaflet
            done.started.append(path)
    plain: dict[str, catalogs.Merged] = {}
    for domain, po in read.items():
        try:
            plain[domain] = catalogs.merge(pots[domain], po)
        except CatalogError as exc:
            path = project.po_path(locale, domain)
            exc.path = project.rel(path) if exc.path == str(path) else exc.path
            done.errors.append(exc)
    if suggestions is None:
        suggestions = memory.from_catalogs({d: m.catalog for d, m in plain.items()})
    merged = []
    for domain, first in plain.items():
        result = catalogs.merge(pots[domain], read[domain], fill=suggestions.fill(domain))
        result.notes = first.notes   # what was recovered, on the lines of the file read
        merged.append(LocaleMerge(project.po_path(locale, domain),
                                  catalogs.po_text(result.catalog), result))
    return merged


def progress(project: Project, locales: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """locale -> domain -> catalog_stats of the catalog merged with its template,
    or {"error": message} for a catalog that cannot be read."""
    pots = {domain: template(project, domain) for domain in project.domains}   # read once
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for locale in locales:
        per: dict[str, dict[str, Any]] = {}
        for domain in project.domains:
            if locale == SOURCE_LOCALE:   # the English itself: every string, no catalog
                per[domain] = source_stats(pots[domain])
                continue
            try:
                per[domain] = catalog_stats(catalogs.update(
                    pots[domain], read_catalog(project, locale, domain)))
            except CatalogError as exc:
                per[domain] = {"error": str(exc)}
        result[locale] = per
    return result


def read_glossary(project: Project, locale: str) -> tuple[glossary.Glossary | None, list[Finding]]:
    """The locale's glossary, if it has one. A malformed one is an error of this
    locale alone (its other checks still run), naming the TBX's line."""
    path = project.glossary_path(locale)
    rel = project.rel(path)
    try:
        return glossary.read(path.read_bytes(), rel, locale), []
    except FileNotFoundError:
        return None, []
    except GlossaryError as exc:
        return None, [Finding(ERROR, "glossary-unreadable", locale, rel, exc.line, None,
                              exc.message, exc.hint)]
