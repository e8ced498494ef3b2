"""The phases of a build, which `leaflet check` and `leaflet compile` share.

    load_sources      the English of every leaflet, and the templates (.pot) extracted
    check_locales     every catalog of every locale, in this process
    publish_catalogs  the compiled catalogs of the locales that passed, in build/mo/
    render_outputs    the outputs (leaflet x locale x edition) of those locales, in
                      worker processes; each skipped when the key of everything it
                      depends on matches the last successful build
    write_site_pages  build/index.html and build/status.html

All of it runs holding the build lock.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from . import catalogs, checks, render
from .config import SOURCE_LOCALE
from .errors import CatalogError, ContentError, LeafletError
from .files import build_lock, write_atomic
from .jobs import Job, Progress, Workers, key, read_cache, write_cache
from .lang import info
from .model import ERROR, WARNING, Finding
from .options import DEFAULTS, FORMATS, Options
from .project import UI, Project, output_name
from .readability import readability_findings
from .readability import report as readability_report
from .review import signoff_for
from .stats import Counts, catalog_stats, status_rows
from .translations import extract_all, template

Pots = dict[str, polib.POFile]   # domain -> template


# --- checks ------------------------------------------------------------------------
@dataclass
class LocaleState:
    """What the check phase learnt about one locale."""
    locale: str
    findings: list[Finding] = field(default_factory=list)
    catalogs: dict[str, polib.POFile] = field(default_factory=dict)  # merged with the English
    mo: dict[str, bytes] = field(default_factory=dict)       # domain -> compiled
    stale: list[str] = field(default_factory=list)           # catalogs needing update
    inputs: str = ""                                          # hash of the catalogs
    progress: dict[str, Counts] = field(default_factory=dict)  # domain -> catalog_stats

    @property
    def ok(self) -> bool:
        return not any(f.severity == ERROR for f in self.findings)


def check_locale(project: Project, locale: str, pots: Pots) -> LocaleState:
    """Every check of one locale's catalogs, merged with their templates."""
    state = LocaleState(locale)
    digest = hashlib.sha256()
    for domain in project.domains:
        path = project.po_path(locale, domain)
        rel = project.rel(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            state.findings.append(Finding(
                ERROR, "catalog-missing", locale, rel, None, None, "catalog missing",
                f"run 'leaflet init -l {locale}'"))
            state.progress[domain] = {"error": state.findings[-1].text()}
            continue
        digest.update(raw)
        try:
            po = catalogs.parse(raw, rel)
        except CatalogError as exc:
            state.findings.append(Finding(
                ERROR, "catalog-unreadable", locale, rel, exc.line, None, exc.message,
                exc.hint))
            state.progress[domain] = {"error": str(exc)}
            continue
        merged = state.catalogs[domain] = catalogs.update(pots[domain], po)
        state.progress[domain] = catalog_stats(merged)
        if catalogs.po_text(merged) != raw.decode("utf-8"):
            state.stale.append(rel)
        state.findings += checks.check_catalog(locale, rel, po, pots[domain],
                                               project.cfg.allow_for(locale))
        state.mo[domain] = catalogs.compile_mo(merged)
    state.inputs = digest.hexdigest()
    return state


# check_locale, or RememberedChecks (build --watch).
CheckLocale = Callable[[Project, str, Pots], LocaleState]


class RememberedChecks:
    """check_locale, remembered per locale by the bytes it reads. A watch owns
    one: each of its builds rechecks only the locales whose catalogs or
    templates changed."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[str, LocaleState]] = {}   # locale -> (key, state)

    def __call__(self, project: Project, locale: str, pots: Pots) -> LocaleState:
        paths = [p for d in pots for p in (project.pot_path(d), project.po_path(locale, d))]
        allowed = sorted(project.cfg.allow_for(locale))
        now = key(str(project.cfg.root), locale, allowed, [
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None for p in paths])
        if self._known.get(locale, ("",))[0] != now:
            self._known[locale] = (now, check_locale(project, locale, pots))
        return self._known[locale][1]


def check_source(project: Project, name: str) -> list[Finding]:
    leaflet = project.leaflet(name)
    return checks.check_sources_used(leaflet) + readability_findings(leaflet)


def check_all(project: Project, locales: list[str]) -> tuple[list[Finding], dict[str, Any]]:
    """`leaflet check`: every finding for the English sources and the given
    locales, and the readability of each leaflet; nothing is written."""
    findings: list[Finding] = []
    readability = {}
    leaflets = []
    for name in project.cfg.leaflets:
        try:
            leaflet = project.leaflet(name)
        except ContentError as exc:
            findings.append(Finding(ERROR, "source", "en", exc.path or name, exc.line, None,
                                    exc.message, exc.hint))
            continue
        leaflets.append(name)
        findings += check_source(project, name)
        readability[name] = readability_report(leaflet)
    pots = {d: project.pot(d) for d in [*leaflets, UI]}
    for locale in locales:
        if locale == SOURCE_LOCALE:   # the source: its checks ran above
            continue
        state = check_locale(project, locale, pots)
        findings += state.findings
        findings += [Finding(WARNING, "stale", locale, path, None, None,
                             "catalog is not up to date with the English",
                             "run 'leaflet update'") for path in state.stale]
    return findings, readability


# --- a build ---------------------------------------------------------------------
@dataclass
class Summary:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    refused: dict[str, list[Finding]] = field(default_factory=dict)
    errors: list[LeafletError] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)       # written or up to date
    draft: bool = False

    @property
    def ok(self) -> bool:
        return not self.refused and not self.errors


def _quiet(label: str, done: int, total: int) -> None:
    pass


def build(project: Project, locales: list[str], options: Options = DEFAULTS, *,
          progress: Progress = _quiet, early: bool = False, pool: Workers | None = None,
          check: CheckLocale = check_locale) -> Summary:
    """Check, then render what passed; publish atomically; skip what is up to date.

    With `early`, worker processes start before the checks and import WeasyPrint
    meanwhile; if nothing needs rendering after all, the build ends once they have.
    A `pool` passed in is left running for the next build (`build --watch`).
    """
    summary = Summary(draft=options.draft)
    workers = Workers(options.jobs) if pool is None else pool
    if early:
        workers.start()
    with build_lock(project.cfg.build_dir), \
            (workers if pool is None else contextlib.nullcontext()):
        leaflets, pots = load_sources(project, summary)
        states = check_locales(project, leaflets, pots, locales, check, summary)
        published = publishable(project, locales, states, options.draft)
        publish_catalogs(project, published, states, summary)
        render_outputs(project, leaflets, published, states, options, workers, progress,
                       summary)
        write_site_pages(project, leaflets, published, locales, states, options, summary)
    return summary


def compile_catalogs(project: Project, locales: list[str]) -> Summary:
    """`leaflet compile`: a build's checks and its publishing of catalogs, no more."""
    summary = Summary()
    with build_lock(project.cfg.build_dir):
        leaflets, pots = load_sources(project, summary)
        states = check_locales(project, leaflets, pots, locales, check_locale, summary)
        publish_catalogs(project, publishable(project, locales, states, False), states,
                         summary)
    return summary


# --- the phases --------------------------------------------------------------------
def load_sources(project: Project, summary: Summary) -> tuple[list[str], Pots]:
    """Extract the templates (written when changed); the leaflets whose English
    loads, and the templates of those and of the UI."""
    extract_all(project)
    leaflets = []
    for name in project.cfg.leaflets:
        try:
            project.leaflet(name)
            leaflets.append(name)
        except ContentError as exc:
            summary.errors.append(exc)
    return leaflets, {d: template(project, d) for d in [*leaflets, UI]}


def check_locales(project: Project, leaflets: list[str], pots: Pots, locales: list[str],
                  check: CheckLocale, summary: Summary) -> dict[str, LocaleState]:
    """The English sources' warnings, and every locale's checks; a locale with an
    error is refused."""
    for name in leaflets:
        summary.warnings += check_source(project, name)
    states = {SOURCE_LOCALE: LocaleState(SOURCE_LOCALE)}
    for locale in locales:
        if locale == SOURCE_LOCALE:
            continue
        state = states[locale] = check(project, locale, pots)
        summary.stale += state.stale
        summary.warnings += [f for f in state.findings if f.severity != ERROR]
        if not state.ok:
            summary.refused[locale] = [f for f in state.findings if f.severity == ERROR]
    return states


def publishable(project: Project, locales: list[str], states: Mapping[str, LocaleState],
                draft: bool) -> list[str]:
    """The locales to publish (all checked ones in a draft), English and the
    configured order first."""
    order = [SOURCE_LOCALE, *project.cfg.locales, *(x for x in locales
                                                    if x not in project.cfg.locales)]
    return [loc for loc in dict.fromkeys(order) if loc in states and (states[loc].ok or draft)]


def publish_catalogs(project: Project, published: list[str],
                     states: Mapping[str, LocaleState], summary: Summary) -> None:
    """build/mo/<locale>/LC_MESSAGES/<domain>.mo: each catalog as checked, merged
    with the English."""
    for locale in published:
        for domain, mo in states[locale].mo.items():
            path = project.mo_path(locale, domain)
            write_atomic(path, mo)
            summary.outputs.append(path)


def render_outputs(project: Project, leaflets: list[str], published: list[str],
                   states: Mapping[str, LocaleState], options: Options, workers: Workers,
                   progress: Progress, summary: Summary) -> None:
    """Render each output that is not up to date, and publish it if it passes
    its checks (in a draft, whatever they find)."""
    cache_path = project.cache_path(options.draft)
    cache = read_cache(cache_path)
    pending: list[tuple[Job, list[Path]]] = []
    for job in plan_jobs(project, leaflets, published, states, options):
        outputs = [project.output_path(job.locale, job.leaflet.id, job.edition, fmt,
                                       options.draft) for fmt in job.formats]
        if cache.get(job.label) == job.key and all(p.is_file() for p in outputs):
            summary.skipped.append(job.label)
            summary.outputs += outputs
        else:
            pending.append((job, outputs))
    results = workers.run([job for job, _ in pending], progress)
    for (job, outputs), result in zip(pending, results, strict=True):
        if isinstance(result, LeafletError):
            summary.errors.append(result)
            continue
        bad = [f for f in result["findings"] if f.severity == ERROR]
        if bad and not options.draft:
            summary.refused.setdefault(job.locale, []).extend(bad)
            continue
        for path in outputs:
            write_atomic(path, result[path.suffix[1:]])
        cache[job.label] = job.key
        summary.built.append(job.label)
        summary.outputs += outputs
    write_cache(cache_path, cache)


def plan_jobs(project: Project, leaflets: list[str], published: list[str],
              states: Mapping[str, LocaleState], options: Options) -> list[Job]:
    """One job per leaflet x published locale x edition (English has no
    bilingual edition), with the key of everything its outputs depend on."""
    cfg = project.cfg
    signoffs = {locale: _signoff(project, locale, states[locale]) for locale in published}
    config_bytes = cfg.path.read_bytes()
    todo = []
    for name in leaflets:
        leaflet = project.leaflet(name)
        source_bytes = Path(leaflet.path).read_bytes()
        english = project.placeholder_values(name, SOURCE_LOCALE)
        for locale in published:
            state = states[locale]
            values = project.placeholder_values(name, locale)
            for edition in options.editions:
                if edition == "bilingual" and locale == SOURCE_LOCALE:
                    continue
                others = _languages(name, locale, edition, published)
                job_key = key(project.template_hash, project.environment, source_bytes,
                              config_bytes, leaflet.sources, state.inputs, others,
                              options.formats, options.draft, signoffs[locale], cfg.page_size)
                todo.append(Job(leaflet, locale, edition, options.formats, state.mo.get(name),
                                state.mo.get(UI), values, others, str(cfg.templates_dir),
                                cfg.page_size, options.draft, signoffs[locale], job_key,
                                english if edition == "bilingual" else None))
    return todo


def _signoff(project: Project, locale: str,
             state: LocaleState) -> tuple[tuple[str, str], ...] | None:
    """A locale's sign-off as its pages show it: the date as the locale writes it."""
    found = None if locale == SOURCE_LOCALE else signoff_for(project, locale, state.catalogs)
    if not found:
        return None
    found = {**found, "date": info(locale).date(dt.date.fromisoformat(found["date"]))}
    return tuple(sorted(found.items()))


def _languages(name: str, locale: str, edition: str,
               published: list[str]) -> tuple[tuple[str, str, str, str], ...]:
    """(tag, dir, native name, href) of the same page in each other published
    language; English has no bilingual edition, so its standard one instead."""
    def href(other: str) -> str:
        same = "standard" if other == SOURCE_LOCALE and edition == "bilingual" else edition
        return f"../{other}/{output_name(name, same, 'html')}"
    return tuple((info(o).tag, info(o).direction, info(o).native, href(o))
                 for o in published if o != locale)


def write_site_pages(project: Project, leaflets: list[str], published: list[str],
                     locales: list[str], states: Mapping[str, LocaleState], options: Options,
                     summary: Summary) -> None:
    """build/index.html, and build/status.html after a build of every locale;
    neither for a draft."""
    if options.draft:
        return
    listed = [p for p in published if p not in summary.refused]
    summary.outputs.append(_write_index(project, leaflets, listed, options))
    if set(locales) >= {SOURCE_LOCALE, *project.cfg.locales}:
        summary.outputs.append(_write_status(project, summary, states))


def _write_index(project: Project, leaflets: list[str], published: list[str],
                 options: Options) -> Path:
    labels = {"standard": "standard", "large": "large print", "bilingual": "with English"}
    rows = []
    for name in leaflets:
        leaflet = project.leaflet(name)
        langs = []
        for locale in published:
            loc = info(locale)
            eds = [e for e in options.editions
                   if not (e == "bilingual" and locale == SOURCE_LOCALE)]
            entry: dict[str, Any] = {"tag": loc.tag, "dir": loc.direction,
                                     "native": loc.native, "english": loc.english}
            for fmt in FORMATS:
                entry[fmt] = [{"href": f"{locale}/{output_name(name, e, fmt)}", "label": labels[e]}
                              for e in eds if fmt in options.formats]
            langs.append(entry)
        rows.append({"id": name, "title": leaflet.title.text.replace("<strong>", "")
                     .replace("</strong>", ""), "languages": langs})
    path = project.site_page_path("index.html")
    write_atomic(path, render.render_site_page(render.environment(project.cfg.templates_dir),
                                               "index.html.j2", rows))
    return path


def _write_status(project: Project, summary: Summary,
                  states: Mapping[str, LocaleState]) -> Path:
    """build/status.html: what is ready, for the patient-information lead; the
    counts are the build's own checks'."""
    locales = list(project.cfg.locales)
    errors: dict[str, list[str]] = {}
    for exc in summary.errors:   # a leaflet whose English is broken stops every locale
        for locale in locales:
            errors.setdefault(locale, []).append(str(exc))
    for locale, found in summary.refused.items():
        errors.setdefault(locale, []).extend(f.text() for f in found)
    warnings: dict[str, int] = {}
    for f in summary.warnings:
        warnings[f.locale] = warnings.get(f.locale, 0) + 1
    rows = status_rows({loc: states[loc].progress for loc in locales}, errors, warnings,
                       {loc: signoff_for(project, loc, states[loc].catalogs) for loc in locales})
    path = project.site_page_path("status.html")
    write_atomic(path, render.render_site_page(render.environment(project.cfg.templates_dir),
                                               "status.html.j2", rows))
    return path
