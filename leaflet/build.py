"""The phases of a build, which `leaflet check` and `leaflet compile` share.

    load_sources      the English of every leaflet, and the templates (.pot) extracted
    check_locales     every catalog of every locale, in this process
    release_gate      why each leaflet x locale may not go to patients (policy.py)
    publish_catalogs  the compiled catalogs of the locales that passed, in build/mo/
    render_outputs    the outputs (leaflet x locale x edition) of those locales, in
                      worker processes; each skipped when the key of everything it
                      depends on matches the last successful build; in a release, only
                      what the gate lets through, into build/release/
    write_site_pages  build/index.html (build/release/index.html) and build/status.html

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

from . import catalogs, checks, glossary, policy, render, translations
from .config import SOURCE_LOCALE
from .errors import CatalogError, ContentError, LeafletError
from .files import build_lock, write_atomic
from .jobs import Job, Progress, Workers, key, read_cache, write_cache
from .lang import info
from .model import ERROR, WARNING, Finding
from .options import DEFAULTS, EDITIONS, FORMATS, Options
from .project import UI, Project, output_name
from .readability import readability_findings
from .readability import report as readability_report
from .review import approval_for, approval_state, signoff_for, signoff_state
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
    stale: dict[str, str] = field(default_factory=dict)      # catalog -> what update changes
    inputs: str = ""                                          # hash of the catalogs
    progress: dict[str, Counts] = field(default_factory=dict)  # domain -> catalog_stats

    @property
    def ok(self) -> bool:
        return not any(f.severity == ERROR for f in self.findings)


def check_locale(project: Project, locale: str, pots: Pots) -> LocaleState:
    """Every check of one locale's catalogs, merged with their templates."""
    state = LocaleState(locale)
    digest = hashlib.sha256()
    terms = read_glossary(project, locale, state)
    severity = project.cfg.glossary_severity(locale)
    for domain in project.domains:
        path = project.po_path(locale, domain)
        rel = project.rel(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            state.findings.append(Finding(
                ERROR, "catalog-missing", locale, rel, None, None, "catalog missing",
                f"run 'leaflet update -l {locale}' to start it (a new leaflet), or 'leaflet "
                f"init -l {locale}' for a new language"))
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
        try:
            result = catalogs.merge(pots[domain], po)
        except CatalogError as exc:   # update refuses it too: say so before anyone runs it
            state.findings.append(Finding(
                ERROR, "catalog-unsafe", locale, rel, exc.line, None, exc.message, exc.hint))
            state.progress[domain] = {"error": str(exc)}
            continue
        merged = state.catalogs[domain] = result.catalog
        state.progress[domain] = catalog_stats(merged)
        if catalogs.po_text(merged) != raw.decode("utf-8"):
            state.stale[rel] = catalogs.difference(po, result)
        state.findings += checks.check_catalog(locale, rel, po, pots[domain],
                                               project.cfg.allow_for(locale), terms, severity)
        state.mo[domain] = catalogs.compile_mo(merged)
    state.inputs = digest.hexdigest()
    return state


def read_glossary(project: Project, locale: str, state: LocaleState
                  ) -> glossary.Glossary | None:
    """The locale's glossary, if it has one; a malformed one is a finding."""
    terms, problem = translations.read_glossary(project, locale)
    state.findings += problem
    return terms


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
        paths.append(project.glossary_path(locale))
        allowed = sorted(project.cfg.allow_for(locale))
        now = key(str(project.cfg.root), locale, allowed, project.cfg.glossary_severity(locale), [
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None for p in paths])
        if self._known.get(locale, ("",))[0] != now:
            self._known[locale] = (now, check_locale(project, locale, pots))
        return self._known[locale][1]


def check_source(project: Project, name: str) -> list[Finding]:
    leaflet = project.leaflet(name)
    return (checks.check_sources_used(leaflet) + readability_findings(leaflet)
            + policy.source_findings(leaflet, project.cfg) + approval_findings(project, name))


def approval_findings(project: Project, name: str) -> list[Finding]:
    """A lapsed approval is worth a warning in any build: someone approved, and the
    English changed since. (No approval at all is only a release's business.)"""
    state, who = approval_state(project, name)
    if state != "lapsed" or who is None:
        return []
    return [Finding(WARNING, "approval-lapsed", SOURCE_LOCALE,
                    project.rel(project.approval_path(name)), None, name,
                    f"the clinical approval of {name} by {who['reviewer']} on {who['date']} "
                    "has lapsed: the English changed since",
                    f"leaflet approve {name} --reviewer 'Name, role' once a clinician has "
                    "approved the new text")]


def release_blockers(project: Project, source: Mapping[str, list[Finding]],
                     locales: list[str], errors: Mapping[str, int],
                     signoffs: Mapping[str, tuple[str, dict[str, str] | None]]
                     ) -> policy.Blockers:
    """What a release would refuse, for the leaflets whose English could be read
    (`source`: their source findings) in `locales` (`errors`: check errors of each)."""
    leaflets = {}
    for name, found in source.items():
        state, who = approval_state(project, name)
        leaflets[name] = policy.leaflet_blockers(name, project.rel(project.approval_path(name)),
                                                 found, state, who)
    per_locale: dict[str, list[Finding]] = {}
    for locale in locales:
        if locale == SOURCE_LOCALE:   # the source needs no translator
            per_locale[locale] = []
            continue
        per_locale[locale] = policy.locale_blockers(
            locale, project.rel(project.signoff_path(locale)), signoffs[locale][0],
            errors.get(locale, 0))
    return policy.Blockers(policy.project_blockers(project.cfg), leaflets, per_locale)


def check_all(project: Project, locales: list[str], release: bool = False
              ) -> tuple[list[Finding], dict[str, Any], policy.Gate | None]:
    """`leaflet check`: every finding for the English sources and the given
    locales, and the readability of each leaflet; nothing is written. With
    `release`, also every reason a release would refuse (as errors), and the gate."""
    findings: list[Finding] = []
    readability = {}
    leaflets = []
    source: dict[str, list[Finding]] = {}
    errors: dict[str, int] = {}
    merged: dict[str, dict[str, polib.POFile]] = {}
    for name in project.cfg.leaflets:
        try:
            leaflet = project.leaflet(name)
        except ContentError as exc:
            findings.append(Finding(ERROR, "source", "en", exc.path or name, exc.line, None,
                                    exc.message, exc.hint))
            continue
        leaflets.append(name)
        source[name] = check_source(project, name)
        findings += source[name]
        readability[name] = readability_report(leaflet)
    pots = {d: project.pot(d) for d in [*leaflets, UI]}
    for locale in locales:
        if locale == SOURCE_LOCALE:   # the source: its checks ran above
            continue
        state = check_locale(project, locale, pots)
        findings += state.findings
        errors[locale] = sum(f.severity == ERROR for f in state.findings)
        merged[locale] = state.catalogs
        findings += [Finding(WARNING, "stale", locale, path, None, None, why,
                             "run 'leaflet update'") for path, why in state.stale.items()]
    if not release:
        return findings, readability, None
    gated = list(dict.fromkeys([SOURCE_LOCALE, *locales]))   # the English edition too
    blockers = release_blockers(project, source, gated, errors, {
        loc: signoff_state(project, loc, merged.get(loc)) for loc in gated
        if loc != SOURCE_LOCALE})
    # The release's errors replace the warnings they come from.
    again = policy.RELEASE_BLOCKING | {"approval-lapsed"}
    findings = [f for f in findings if f.code not in again or f.severity == ERROR]
    return findings + blockers.findings(), readability, blockers.gate()


# --- a build ---------------------------------------------------------------------
@dataclass
class Summary:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    refused: dict[str, list[Finding]] = field(default_factory=dict)
    errors: list[LeafletError] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    stale: dict[str, str] = field(default_factory=dict)      # catalog -> what update changes
    outputs: list[Path] = field(default_factory=list)       # written or up to date
    draft: bool = False
    release: bool = False
    gate: policy.Gate = field(default_factory=dict)          # why each is not releasable
    source: dict[str, list[Finding]] = field(default_factory=dict)   # leaflet -> its English's

    @property
    def ok(self) -> bool:
        unreleased = self.release and any(self.gate.values())
        return not self.refused and not self.errors and not unreleased


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
    if options.draft and options.release:
        raise LeafletError("--draft and --release exclude each other",
                           hint="--draft is for translators, --release for patients")
    summary = Summary(draft=options.draft, release=options.release)
    workers = Workers(options.jobs) if pool is None else pool
    if early:
        workers.start()
    with build_lock(project.cfg.build_dir), \
            (workers if pool is None else contextlib.nullcontext()):
        leaflets, pots = load_sources(project, summary)
        states = check_locales(project, leaflets, pots, locales, check, summary)
        published = publishable(project, locales, states, options.draft)
        if not options.draft:   # a translator's draft is never for release
            summary.gate = release_gate(project, leaflets, locales, states, summary)
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
        summary.source[name] = check_source(project, name)
        summary.warnings += summary.source[name]
    states = {SOURCE_LOCALE: LocaleState(SOURCE_LOCALE)}
    for locale in locales:
        if locale == SOURCE_LOCALE:
            continue
        state = states[locale] = check(project, locale, pots)
        summary.stale.update(state.stale)
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


def release_gate(project: Project, leaflets: list[str], locales: list[str],
                 states: Mapping[str, LocaleState], summary: Summary) -> policy.Gate:
    """Every leaflet x checked locale, with the reasons a release refuses it."""
    order = [SOURCE_LOCALE, *project.cfg.locales, *locales]
    checked = [loc for loc in dict.fromkeys(order) if loc in states]
    signoffs = {loc: signoff_state(project, loc, states[loc].catalogs) for loc in checked
                if loc != SOURCE_LOCALE}
    source = {name: summary.source.get(name, []) for name in leaflets}
    return release_blockers(project, source, checked, {
        loc: len(summary.refused.get(loc, [])) for loc in checked}, signoffs).gate()


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
    its checks (in a draft, whatever they find). A release renders only what its
    gate lets through, and first withdraws from build/release/ what it refuses."""
    cache_path = project.cache_path(options.draft, options.release)
    cache = read_cache(cache_path)
    released = _released(summary) if options.release else None
    if options.release:
        _withdraw(project, cache, [pair for pair, why in summary.gate.items() if why])
    pending: list[tuple[Job, list[Path]]] = []
    for job in plan_jobs(project, leaflets, published, states, options, released):
        outputs = [project.output_path(job.locale, job.leaflet.id, job.edition, fmt,
                                       options.draft, options.release)
                   for fmt in job.formats]
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


def _released(summary: Summary) -> Released:
    return lambda name, locale: not summary.gate[(name, locale)]


def _withdraw(project: Project, cache: dict[str, str], refused: list[tuple[str, str]]) -> None:
    """Take out of build/release/ what the gate now refuses: a leaflet past its review,
    or whose approval or sign-off lapsed, must not stay on offer from an older release."""
    for name, locale in refused:
        for edition in EDITIONS:
            for fmt in FORMATS:
                project.output_path(locale, name, edition, fmt, False, True).unlink(
                    missing_ok=True)
            cache.pop(f"{locale}/{name if edition == 'standard' else f'{name}.{edition}'}",
                      None)


# In a release, whether the gate lets a leaflet x locale through.
Released = Callable[[str, str], bool]


def plan_jobs(project: Project, leaflets: list[str], published: list[str],
              states: Mapping[str, LocaleState], options: Options,
              released: Released | None = None) -> list[Job]:
    """One job per leaflet x published locale x edition (English has no
    bilingual edition), with the key of everything its outputs depend on. With
    `released` (a release), only the leaflet x locale it lets through, each
    linking only to the languages released with it."""
    cfg = project.cfg
    signoffs = {locale: _localised(None if locale == SOURCE_LOCALE else signoff_for(
        project, locale, states[locale].catalogs), locale) for locale in published}
    config_bytes = cfg.path.read_bytes()
    todo = []
    for name in leaflets:
        leaflet = project.leaflet(name)
        source_bytes = Path(leaflet.path).read_bytes()
        english = project.placeholder_values(name, SOURCE_LOCALE)
        approved = approval_for(project, name)
        here = [loc for loc in published if released is None or released(name, loc)]
        for locale in here:
            state = states[locale]
            values = project.placeholder_values(name, locale)
            approval = _localised(approved, locale)
            for edition in options.editions:
                if edition == "bilingual" and locale == SOURCE_LOCALE:
                    continue
                others = _languages(name, locale, edition, here)
                job_key = key(project.template_hash, project.environment, source_bytes,
                              config_bytes, leaflet.sources, state.inputs, others,
                              options.formats, options.draft, signoffs[locale], cfg.page_size,
                              approval)
                todo.append(Job(leaflet, locale, edition, options.formats, state.mo.get(name),
                                state.mo.get(UI), values, others, str(cfg.templates_dir),
                                cfg.page_size, options.draft, signoffs[locale], job_key,
                                english if edition == "bilingual" else None, approval))
    return todo


def _localised(found: dict[str, str] | None, locale: str) -> tuple[tuple[str, str], ...] | None:
    """A sign-off or approval as a locale's pages show it: the date as it writes it."""
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
    summary.outputs.append(_write_index(project, leaflets, listed, options,
                                        _released(summary) if options.release else None))
    if set(locales) >= {SOURCE_LOCALE, *project.cfg.locales}:
        summary.outputs.append(_write_status(project, summary, states, leaflets))


def _write_index(project: Project, leaflets: list[str], published: list[str],
                 options: Options, released: Released | None = None) -> Path:
    """index.html of the outputs' folder: build/, or build/release/ listing only
    what the release published."""
    labels = {"standard": "standard", "large": "large print", "bilingual": "with English"}
    rows = []
    for name in leaflets:
        leaflet = project.leaflet(name)
        langs = []
        for locale in published:
            if released is not None and not released(name, locale):
                continue
            loc = info(locale)
            eds = [e for e in options.editions
                   if not (e == "bilingual" and locale == SOURCE_LOCALE)]
            entry: dict[str, Any] = {"tag": loc.tag, "dir": loc.direction,
                                     "native": loc.native, "english": loc.english}
            for fmt in FORMATS:
                entry[fmt] = [{"href": f"{locale}/{output_name(name, e, fmt)}", "label": labels[e]}
                              for e in eds if fmt in options.formats]
            langs.append(entry)
        if langs or released is None:   # a release lists only what it released
            rows.append({"id": name, "title": leaflet.title.text.replace("<strong>", "")
                         .replace("</strong>", ""), "languages": langs})
    path = project.out_dir(False, options.release) / "index.html"
    write_atomic(path, render.render_site_page(render.environment(project.cfg.templates_dir),
                                               "index.html.j2", rows))
    return path


def _write_status(project: Project, summary: Summary,
                  states: Mapping[str, LocaleState], leaflets: list[str]) -> Path:
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
    release = [policy.release_row(project.leaflet(name), project.cfg,
                                  approval_state(project, name), summary.gate)
               for name in leaflets]
    path = project.site_page_path("status.html")
    write_atomic(path, render.render_site_page(render.environment(project.cfg.templates_dir),
                                               "status.html.j2", rows, release=release))
    return path
