"""Paths, jobs and processes: the only stage (with cli.py) that touches files.

A build runs in two phases. Checks first, per locale, in this process; then
the render jobs (leaflet x locale x edition) of the locales that passed, in
worker processes. Each job is skipped when the hash of everything it depends
on matches the last successful build.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterator

import polib

from . import __version__, catalogs, checks, content, extract, fingerprint
from .config import PLACEHOLDERS, SOURCE_LOCALE, Config
from .errors import CatalogError, ContentError, LeafletError
from .files import build_lock, write_atomic
from .lang import info
from .model import Leaflet
from .render import EDITIONS
from .stats import catalog_stats

UI = extract.UI_DOMAIN
FORMATS = ("html", "pdf")
_CODE = Path(__file__).parent


class Project:
    """A configured project: its leaflets, templates and catalogs on disk."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self._leaflets: dict[str, Leaflet] = {}
        self._pots: dict[str, polib.POFile] = {}

    def leaflet(self, name: str) -> Leaflet:
        if name not in self._leaflets:
            leaflet = content.load(self.cfg.content_dir / name, PLACEHOLDERS)
            self.cfg.require(leaflet)   # the hospital rules its text uses are set
            self._leaflets[name] = leaflet
        return self._leaflets[name]

    @property
    def domains(self) -> list[str]:
        return [*self.cfg.leaflets, UI]

    def pot_path(self, domain: str) -> Path:
        return self.cfg.locales_dir / f"{domain}.pot"

    def po_path(self, locale: str, domain: str) -> Path:
        return self.cfg.locales_dir / locale / "LC_MESSAGES" / f"{domain}.po"

    def rel(self, path: Path) -> str:
        return str(path.relative_to(self.cfg.root))

    def pot(self, domain: str) -> polib.POFile:
        """The template as extracted now, in memory; dated as on disk if unchanged."""
        if domain not in self._pots:
            self._pots[domain] = self._extract(domain)
        return self._pots[domain]

    def _extract(self, domain: str) -> polib.POFile:
        project = f"leaflet {domain}"
        if domain == UI:
            pot = extract.ui_pot(self.cfg.templates_dir, self.cfg.root, project)
        else:
            pot = extract.leaflet_pot(self.leaflet(domain), self.cfg.root,
                                      f"{project} {self.cfg.meta[domain].version}")
        path = self.pot_path(domain)
        previous = path.read_text("utf-8") if path.is_file() else None
        if catalogs.pot_text(pot, previous) is None:
            return catalogs.parse(previous.encode("utf-8"), self.rel(path))
        return pot

    def placeholder_values(self, leaflet: str, locale: str) -> dict[str, str]:
        meta, loc = self.cfg.meta[leaflet], info(locale)
        return {**self.cfg.hospital_for(locale), "leaflet_reference": meta.reference,
                "leaflet_version": meta.version, "publication_date": loc.date(meta.published),
                "review_date": loc.date(meta.review)}

    @cached_property
    def template_hash(self) -> str:
        digest = hashlib.sha256(__version__.encode())
        for folder in (self.cfg.templates_dir, _CODE):
            for path in sorted(folder.rglob("*")):
                if path.is_file() and path.suffix in (".j2", ".py", ".css", ".svg"):
                    digest.update(path.name.encode() + path.read_bytes())
        return digest.hexdigest()

    @cached_property
    def environment(self) -> str:
        """Python packages, system text libraries and fonts (see fingerprint)."""
        return fingerprint.environment()


# --- extract / init / update / compile --------------------------------------
def extract_all(project: Project) -> list[Path]:
    """Write every .pot whose content changed; returns the files written."""
    written = []
    for domain in project.domains:
        path = project.pot_path(domain)
        if write_atomic(path, catalogs.render(project.pot(domain))):
            written.append(path)
    return written


def template(project: Project, domain: str) -> polib.POFile:
    """The .pot on disk (extracted first if it is missing)."""
    path = project.pot_path(domain)
    if not path.is_file():
        extract_all(project)
    return catalogs.read(path)


def init_locale(project: Project, locale: str) -> list[Path]:
    written = []
    for domain in project.domains:
        path = project.po_path(locale, domain)
        if path.exists():
            raise CatalogError("catalog exists already", path=project.rel(path),
                               hint="use 'leaflet update' to bring it up to date")
        write_atomic(path, catalogs.render(catalogs.init(template(project, domain), locale)))
        written.append(path)
    return written


def update_all(project: Project, locales: list[str]) -> tuple[list[Path], list[LeafletError]]:
    """Extract, then merge templates into catalogs; a broken catalog is reported,
    not touched."""
    written, errors = extract_all(project), []
    for domain in project.domains:
        pot = template(project, domain)
        for locale in locales:
            path = project.po_path(locale, domain)
            try:
                merged = catalogs.render(catalogs.update(pot, catalogs.read(path)))
            except CatalogError as exc:
                exc.path = project.rel(path) if exc.path == str(path) else exc.path
                errors.append(exc)
                continue
            if write_atomic(path, merged):
                written.append(path)
    return written, errors


# --- checks --------------------------------------------------------------------
@dataclass
class LocaleState:
    """What the check phase learnt about one locale."""
    locale: str
    findings: list[checks.Finding] = field(default_factory=list)
    mo: dict[str, bytes] = field(default_factory=dict)       # domain -> compiled
    stale: list[str] = field(default_factory=list)           # catalogs needing update
    inputs: str = ""                                          # hash of the catalogs
    progress: dict[str, dict] = field(default_factory=dict)  # domain -> stats.catalog_stats

    @property
    def ok(self) -> bool:
        return not any(f.severity == checks.ERROR for f in self.findings)


def check_locale(project: Project, locale: str, pots: dict[str, polib.POFile]) -> LocaleState:
    state = LocaleState(locale)
    digest = hashlib.sha256()
    for domain in project.domains:
        path = project.po_path(locale, domain)
        rel = project.rel(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            state.findings.append(checks.Finding(
                checks.ERROR, "catalog-missing", locale, rel, None, None, "catalog missing",
                f"run 'leaflet init -l {locale}'"))
            state.progress[domain] = {"error": state.findings[-1].text()}
            continue
        digest.update(raw)
        try:
            po = catalogs.parse(raw, rel)
        except CatalogError as exc:
            state.findings.append(checks.Finding(
                checks.ERROR, "catalog-unreadable", locale, rel, exc.line, None, exc.message,
                exc.hint))
            state.progress[domain] = {"error": str(exc)}
            continue
        merged = catalogs.update(pots[domain], po)
        state.progress[domain] = catalog_stats(merged)
        if catalogs.render(merged) != raw.decode("utf-8"):
            state.stale.append(rel)
        state.findings += checks.check_catalog(locale, rel, po, pots[domain],
                                               project.cfg.allow_unchanged.get(locale, frozenset()))
        state.mo[domain] = catalogs.compile_mo(merged)
    state.inputs = digest.hexdigest()
    return state


_CHECKED: dict[str, tuple[str, LocaleState]] = {}   # locale -> (inputs, state)


def _checked(project: Project, locale: str, pots: dict[str, polib.POFile]) -> LocaleState:
    """check_locale, remembered per locale: a watching build rechecks only the
    locales whose catalogs or templates changed."""
    paths = [p for d in pots for p in (project.pot_path(d), project.po_path(locale, d))]
    allowed = sorted(project.cfg.allow_unchanged.get(locale, ()))
    key = _key(str(project.cfg.root), locale, allowed, [
        hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None for p in paths])
    if _CHECKED.get(locale, ("",))[0] != key:
        _CHECKED[locale] = (key, check_locale(project, locale, pots))
    return _CHECKED[locale][1]


def check_source(project: Project, name: str) -> list[checks.Finding]:
    from .readability import readability_findings
    leaflet = project.leaflet(name)
    return checks.check_sources_used(leaflet) + readability_findings(leaflet)


# --- rendering jobs ---------------------------------------------------------------
@dataclass(frozen=True)
class Job:
    leaflet: Leaflet
    locale: str
    edition: str
    formats: tuple[str, ...]
    mo: bytes | None
    ui_mo: bytes | None
    values: dict[str, str]
    languages: tuple[tuple[str, str, str, str], ...]   # (tag, dir, native, href)
    templates: str
    page_size: str
    draft: bool
    signoff: tuple[tuple[str, str], ...] | None
    key: str
    english_values: dict[str, str] | None = None    # bilingual edition only

    def stem(self) -> str:
        return self.leaflet.id if self.edition == "standard" else f"{self.leaflet.id}.{self.edition}"


def output_name(leaflet: str, edition: str, fmt: str) -> str:
    return f"{leaflet}.{fmt}" if edition == "standard" else f"{leaflet}.{edition}.{fmt}"


def run_job(job: Job) -> dict:
    """Render one leaflet x locale x edition (in a worker process)."""
    from . import render
    env = render.environment(Path(job.templates))
    page = render.Page(
        leaflet=job.leaflet, locale=info(job.locale), edition=job.edition, values=job.values,
        text=render.Catalog(job.mo), ui=render.Catalog(job.ui_mo), draft=job.draft,
        signoff=dict(job.signoff) if job.signoff else None,
        languages=[{"tag": t, "dir": d, "native": n, "href": h} for t, d, n, h in job.languages],
        english=render.Catalog(None) if job.edition == "bilingual" else None,
        page_size=job.page_size, english_values=job.english_values)
    html = render.render_html(env, page)
    out: dict = {"html": html, "findings": checks.check_html(
        job.locale, output_name(job.leaflet.id, job.edition, "html"), html, job.leaflet)}
    if "pdf" in job.formats:
        done = render.render_pdf(render.render_html(env, page, paged=True),
                                 Path(job.templates), [Path(job.templates)])
        out["pdf"] = done.pdf
        out["findings"] += [checks.Finding(
            checks.ERROR, "font-notdef", job.locale, output_name(job.leaflet.id, job.edition,
                                                                 "pdf"), None, None,
            f"no installed font has {text}", "install the Noto font for this script")
            for text in done.notdef]
        wanted = [str(page.block(s.id, s.title).striptags()) for s in job.leaflet.sections]
        wanted.append(page.pgettext("ui.sources.heading", "Sources of this information"))
        out["findings"] += checks.check_pdf_fonts(
            job.locale, output_name(job.leaflet.id, job.edition, "pdf"), done.fonts)
        out["findings"] += checks.check_pdf_bookmarks(
            job.locale, output_name(job.leaflet.id, job.edition, "pdf"), wanted, done.bookmarks)
    return out


def _worker_init(parent: int) -> None:
    """Once per worker process: WeasyPrint imported for all its jobs."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl+C is the main process's to handle
    try:   # Linux: end with the main process, even a killed one (not wait on the queue)
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:   # it died before prctl
        os._exit(1)
    import weasyprint  # noqa: F401


@dataclass
class Summary:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    refused: dict[str, list[checks.Finding]] = field(default_factory=dict)
    errors: list[LeafletError] = field(default_factory=list)
    warnings: list[checks.Finding] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)       # written or up to date
    draft: bool = False

    @property
    def ok(self) -> bool:
        return not self.refused and not self.errors


def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def build(project: Project, locales: list[str], formats: tuple[str, ...] = FORMATS,
          editions: tuple[str, ...] = EDITIONS, draft: bool = False, jobs: int = 0,
          progress: Callable[[str, int, int], None] = lambda label, done, total: None,
          early: bool = False, pool: Workers | None = None) -> Summary:
    """Check, then render what passed; publish atomically; skip what is up to date.

    With `early`, worker processes start before the checks and import WeasyPrint
    meanwhile; if nothing needs rendering after all, the build ends once they have.
    A `pool` passed in is left running for the next build (`build --watch`).
    """
    from .review import signoff_for
    cfg = project.cfg
    summary = Summary(draft=draft)
    own = pool is None
    pool = Workers(jobs) if own else pool
    if early:
        pool.start()
    with build_lock(cfg.build_dir), (pool if own else contextlib.nullcontext()):
        extract_all(project)
        leaflets = []
        for name in cfg.leaflets:
            try:
                project.leaflet(name)
                leaflets.append(name)
            except ContentError as exc:
                summary.errors.append(exc)
        pots = {d: template(project, d) for d in [*leaflets, UI]}
        states = {SOURCE_LOCALE: LocaleState(SOURCE_LOCALE)}
        for name in leaflets:
            summary.warnings += check_source(project, name)
        for locale in locales:
            if locale == SOURCE_LOCALE:
                continue
            state = _checked(project, locale, {d: pots[d] for d in [*leaflets, UI]})
            states[locale] = state
            summary.stale += state.stale
            summary.warnings += [f for f in state.findings if f.severity != checks.ERROR]
            if not state.ok:
                summary.refused[locale] = [f for f in state.findings
                                           if f.severity == checks.ERROR]
        order = [SOURCE_LOCALE, *cfg.locales, *(x for x in locales if x not in cfg.locales)]
        published = [loc for loc in dict.fromkeys(order)
                     if loc in states and (states[loc].ok or draft)]
        root_out = cfg.build_dir / "drafts" if draft else cfg.build_dir
        for locale in published:
            if locale != SOURCE_LOCALE:
                for domain, mo in states[locale].mo.items():
                    path = cfg.build_dir / "mo" / locale / "LC_MESSAGES" / f"{domain}.mo"
                    write_atomic(path, mo)
                    summary.outputs.append(path)
        todo = _jobs(project, leaflets, published, states, formats, editions, draft, signoff_for)
        cache_path = root_out / ".cache.json"
        cache = _read_cache(cache_path)
        pending = []
        for job in todo:
            outputs = [root_out / job.locale / output_name(job.leaflet.id, job.edition, f)
                       for f in job.formats]
            label = f"{job.locale}/{job.stem()}"
            if cache.get(label) == job.key and all(p.is_file() for p in outputs):
                summary.skipped.append(label)
                summary.outputs += outputs
            else:
                pending.append((label, job, outputs))
        for (label, job, outputs), result in zip(pending, pool.run(pending, progress)):
            if isinstance(result, LeafletError):
                summary.errors.append(result)
                continue
            bad = [f for f in result["findings"] if f.severity == checks.ERROR]
            if bad and not draft:
                summary.refused.setdefault(job.locale, []).extend(bad)
                continue
            for path in outputs:
                write_atomic(path, result[path.suffix[1:]])
            cache[label] = job.key
            summary.built.append(label)
            summary.outputs += outputs
        write_atomic(cache_path, json.dumps(cache, indent=1, sort_keys=True) + "\n")
        if not draft:
            _write_index(project, leaflets, [p for p in published
                                             if p not in summary.refused], editions, formats)
            summary.outputs.append(cfg.build_dir / "index.html")
        if not draft and set(locales) >= {SOURCE_LOCALE, *cfg.locales}:
            _write_status(project, summary, signoff_for,
                          {loc: states[loc].progress for loc in cfg.locales})
            summary.outputs.append(cfg.build_dir / "status.html")
    return summary


def _write_status(project: Project, summary: Summary, signoff_for: Callable,
                  progress: dict[str, dict]) -> None:
    """build/status.html: what is ready, for the patient-information lead."""
    from . import render
    from .stats import status_rows
    errors: dict[str, list[str]] = {}
    for exc in summary.errors:   # a leaflet whose English is broken stops every locale
        for locale in project.cfg.locales:
            errors.setdefault(locale, []).append(str(exc))
    for locale, found in summary.refused.items():
        errors.setdefault(locale, []).extend(f.text() for f in found)
    warnings: dict[str, int] = {}
    for f in summary.warnings:
        warnings[f.locale] = warnings.get(f.locale, 0) + 1
    locales = list(project.cfg.locales)
    rows = status_rows(progress, errors, warnings,
                       {loc: signoff_for(project, loc) for loc in locales})
    env = render.environment(project.cfg.templates_dir)
    write_atomic(project.cfg.build_dir / "status.html",
                 render.render_site_page(env, "status.html.j2", rows))


def _jobs(project: Project, leaflets: list[str], published: list[str],
          states: dict[str, LocaleState], formats: tuple[str, ...], editions: tuple[str, ...],
          draft: bool, signoff_for: Callable) -> list[Job]:
    cfg = project.cfg
    signoffs = {}   # per locale, once: hashing a sign-off reads every catalog
    for locale in published:
        found = None if locale == SOURCE_LOCALE else signoff_for(project, locale)
        if found:   # the date as the patient's locale writes it
            found = {**found, "date": info(locale).date(dt.date.fromisoformat(found["date"]))}
        signoffs[locale] = tuple(sorted(found.items())) if found else None
    config_bytes = cfg.path.read_bytes()
    todo = []
    for name in leaflets:
        leaflet = project.leaflet(name)
        source_bytes = Path(leaflet.path).read_bytes()
        english = project.placeholder_values(name, SOURCE_LOCALE)
        for locale in published:
            state = states[locale]
            values = project.placeholder_values(name, locale)
            for edition in editions:
                if edition == "bilingual" and locale == SOURCE_LOCALE:
                    continue
                others = tuple(
                    (info(o).tag, info(o).direction, info(o).native,
                     f"../{o}/{output_name(name, edition if o != SOURCE_LOCALE or edition != 'bilingual' else 'standard', 'html')}")
                    for o in published if o != locale)
                key = _key(project.template_hash, project.environment, source_bytes,
                           config_bytes, leaflet.sources,
                           state.inputs, others, formats, draft, signoffs[locale],
                           cfg.page_size)
                todo.append(Job(leaflet, locale, edition, formats, state.mo.get(name),
                                state.mo.get(UI), values, others, str(cfg.templates_dir),
                                cfg.page_size, draft, signoffs[locale], key,
                                english if edition == "bilingual" else None))
    return todo


class Workers:
    """Render jobs, in worker processes when jobs > 1; results always in job order."""

    def __init__(self, jobs: int = 0) -> None:
        self.jobs, self.pool = jobs or os.cpu_count() or 1, None

    def start(self, jobs: int = 0) -> None:
        workers = min(self.jobs, jobs or self.jobs)
        if workers > 1 and self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init,
                                            initargs=(os.getpid(),))
            self.pool.submit(int)   # a first task forks every worker now

    def run(self, pending: list, progress: Callable[[str, int, int], None]) -> Iterator:
        """Results one by one, to be written as they come (not all held at once)."""
        self.start(len(pending))
        if self.pool is None:
            results = (_safe_job(job) for _, job, _ in pending)
        else:   # in windows of 64 jobs, the longest editions first: a short job ends
            # the build, and no more than a window of finished results waits to be written
            order = sorted(range(len(pending)), key=lambda i: (
                i // 64, EDITIONS[::-1].index(pending[i][1].edition)))
            futures = {i: self.pool.submit(_safe_job, pending[i][1]) for i in order}
            results = (futures.pop(i).result() for i in range(len(pending)))   # not kept
        for n, ((label, _, _), result) in enumerate(zip(pending, results), 1):
            progress(label, n, len(pending))
            yield result

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def _safe_job(job: Job):
    try:
        return run_job(job)
    except LeafletError as exc:
        return exc


def _read_cache(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text("utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_index(project: Project, leaflets: list[str], published: list[str],
                 editions: tuple[str, ...], formats: tuple[str, ...]) -> None:
    from . import render
    labels = {"standard": "standard", "large": "large print", "bilingual": "with English"}
    rows = []
    for name in leaflets:
        leaflet = project.leaflet(name)
        langs = []
        for locale in published:
            loc = info(locale)
            eds = [e for e in editions if not (e == "bilingual" and locale == SOURCE_LOCALE)]
            entry = {"tag": loc.tag, "dir": loc.direction, "native": loc.native,
                     "english": loc.english}
            for fmt in FORMATS:
                entry[fmt] = [{"href": f"{locale}/{output_name(name, e, fmt)}", "label": labels[e]}
                              for e in eds if fmt in formats]
            langs.append(entry)
        rows.append({"id": name, "title": leaflet.title.text.replace("<strong>", "")
                     .replace("</strong>", ""), "languages": langs})
    env = render.environment(project.cfg.templates_dir)
    write_atomic(project.cfg.build_dir / "index.html",
                 render.render_site_page(env, "index.html.j2", rows))
