"""A project's catalog files: write the templates, start a locale, merge the
English into every catalog, and count what is translated.

The file format and the merge are catalogs.py's; this module knows where the
files are (through Project) and writes them atomically.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import polib

from . import catalogs
from .config import SOURCE_LOCALE
from .errors import CatalogError, LeafletError
from .files import write_atomic
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


def update_all(project: Project,
               locales: list[str]) -> tuple[list[Path], list[LeafletError], list[str]]:
    """Extract, then merge templates into catalogs; a broken or unsafe catalog is
    reported, not touched. Also returns what the merges recovered ('path:line: ...')."""
    written: list[Path] = extract_all(project)
    errors: list[LeafletError] = []
    notes: list[str] = []
    for domain in project.domains:
        pot = template(project, domain)
        for locale in locales:
            path = project.po_path(locale, domain)
            try:
                result = catalogs.merge(pot, read_catalog(project, locale, domain))
            except CatalogError as exc:
                exc.path = project.rel(path) if exc.path == str(path) else exc.path
                errors.append(exc)
                continue
            if write_atomic(path, catalogs.po_text(result.catalog)):
                written.append(path)
            notes += [f"{project.rel(path)}:{line}: {what}" for line, what in result.notes]
    return written, errors, notes


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
