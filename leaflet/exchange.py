"""Files for translation agencies: `leaflet export` and `leaflet import`.

Export writes one file per locale holding every catalog of that locale (each
leaflet and `ui`), merged with the English as it is now, so the agency
translates what patients will read. Import reads such a file back and puts
each target into the entry of its id, through the catalog merge
(`catalogs.merge`) and its writer (`catalogs.po_text`):

- a target whose English (`<source>`) is not the current English is kept,
  marked fuzzy, with that English as `#| msgid`;
- an empty target changes nothing;
- a unit whose id no entry has is reported, never silently dropped;
- a file for another project, locale or leaflet, with a target-language that
  is not its catalog's, or with a new target whose inline codes are broken,
  is refused whole: no catalog is written (a target the catalog holds already
  is no change; the checks name its mistakes).

Nothing is written when nothing changes, so exporting and importing again
leaves every catalog byte-identical. Every change is a draft: the sign-off
hash covers each translation and its fuzzy flag, so it lapses by itself.

A translation memory (TMX) is of every locale at once: `export --format tmx`
writes every checked translation of every catalog; `import FILE.tmx` offers
its translations as update offers the project's own memory (memory.py): to
entries without a translation only, fuzzy, with a note naming the file.

Formats: EXPORTS (one locale) and MEMORY_EXPORTS (every locale) map a
`--format` name to its writer; `import` picks the reader (IMPORTS) by the
file's content, then its suffix.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import polib

from . import __version__, catalogs, checks, glossary, memory, xliff
from .config import SOURCE_LOCALE, not_source, valid_locale_name
from .errors import CatalogError, ConfigError, ExchangeError
from .files import write_atomic
from .lang import info
from .model import Finding
from .project import Project
from .translations import Updated, merge_locale, read_catalog, read_glossary


# --- export ---------------------------------------------------------------------------
def current(project: Project, locale: str, domain: str) -> catalogs.Merged:
    """A locale's catalog merged with the English as it is now (what update writes)."""
    po = read_catalog(project, locale, domain)
    try:
        return catalogs.merge(project.pot(domain), po)
    except CatalogError as exc:
        path = project.po_path(locale, domain)
        exc.path = project.rel(path) if exc.path == str(path) else exc.path
        raise


def export_xliff(project: Project, locale: str) -> bytes:
    """XLIFF 1.2: a <file> per catalog of the locale, a unit per entry."""
    return xliff.write([(project.rel(project.po_path(locale, d)),
                         current(project, locale, d).catalog) for d in project.domains],
                       SOURCE_LOCALE, info(locale).tag, __version__)


def export_tmx(project: Project, locales: list[str]) -> bytes:
    """TMX 1.4b: a unit per entry with a checked translation in any of these
    locales (memory.py), from every catalog merged with the English; a missing
    catalog has nothing to give."""
    pots = {domain: project.pot(domain) for domain in project.domains}
    merged = {locale: {domain: current(project, locale, domain).catalog
                       for domain in project.domains
                       if project.po_path(locale, domain).is_file()} for locale in locales}
    return memory.tmx_bytes(memory.tmx_units(pots, merged), __version__)


Exporter = Callable[[Project, str], bytes]
EXPORTS: dict[str, tuple[str, Exporter]] = {"xliff": (".xlf", export_xliff)}
# Formats of every locale at once (a translation memory); -l narrows them to one.
MEMORY_EXPORTS: dict[str, tuple[str, Callable[[Project, list[str]], bytes]]] = {
    "tmx": (".tmx", export_tmx)}


def project_locale(project: Project, locale: str, doing: str) -> str:
    """A translated locale of this project, or a ConfigError saying which there are."""
    locale = not_source(valid_locale_name(locale), doing)
    if locale not in project.cfg.locales:
        raise ConfigError(f"{locale!r} is not a locale of this project",
                          path=project.cfg.path, hint="choose from " + ", ".join(
                              x for x in project.cfg.locales if x != SOURCE_LOCALE))
    return locale


def export(project: Project, locale: str | None, fmt: str) -> tuple[bytes, str]:
    """The file for an agency of one locale (a memory: of every locale unless one
    is given), and its usual suffix."""
    if fmt in MEMORY_EXPORTS:
        suffix, memory_writer = MEMORY_EXPORTS[fmt]
        locales = ([project_locale(project, locale, "export")] if locale is not None else
                   [x for x in project.cfg.locales if x != SOURCE_LOCALE])
        return memory_writer(project, locales), suffix
    if fmt not in EXPORTS:
        raise ExchangeError(f"unknown exchange format {fmt!r}",
                            hint="choose from " + ", ".join([*EXPORTS, *MEMORY_EXPORTS]))
    if locale is None:
        raise ExchangeError(f"--format {fmt} writes the file of one locale",
                            hint="give -l LOCALE")
    suffix, writer = EXPORTS[fmt]
    return writer(project, project_locale(project, locale, "export")), suffix


# --- import ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """One entry an import changed: the catalog, its msgstr line there, what."""
    path: str
    line: int
    id: str
    what: str


@dataclass
class Imported:
    """What an import did (or, dry, would do)."""
    source: str                                   # the file, as named
    locales: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    not_imported: list[str] = field(default_factory=list)   # 'file:line: [id] why'
    notes: list[str] = field(default_factory=list)          # said, nothing lost
    unchanged: int = 0
    empty: int = 0
    written: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)   # checks of the changed entries
    dry_run: bool = False


@dataclass
class _Applied:
    """What the units of one <file> do to its catalog (pure)."""
    changes: list[tuple[str, str]] = field(default_factory=list)   # (id, what)
    not_imported: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unchanged: int = 0
    empty: int = 0


# States of a target nobody has translated yet (a tool may copy the English into it).
_UNTOUCHED = ("new", "needs-translation")


def apply(po: polib.POFile, units: tuple[xliff.Unit, ...], name: str, rel: str) -> _Applied:
    """Put each unit's target into the active entry of its id, in place.

    The status follows the unit's state, and is fuzzy whatever it says when the
    unit's English is not the entry's (kept as `#| msgid`, for the translator
    to compare). An empty target, or one a tool filled with the English while
    its state says nobody translated it, changes nothing; an id without an
    entry is reported, with its line in `name`.
    """
    done = _Applied()
    active = {e.msgctxt: e for e in po if not e.obsolete}
    retired = {e.msgctxt for e in po if e.obsolete}
    for u in units:
        e = active.get(u.id)
        if e is None:
            if u.id in retired:
                done.notes.append(f"{name}:{u.line}: [{u.id}] its text was removed from "
                                  f"the English since the export: not imported ({rel} "
                                  "keeps its translation as #~)")
            else:
                done.not_imported.append(f"{name}:{u.line}: [{u.id}] {rel} has no entry "
                                         "with this id: not imported")
            continue
        if not u.target or (u.target == u.source and u.state in _UNTOUCHED):
            done.empty += 1   # a CAT tool's copy of the English is no translation
            continue
        moved = u.source != e.msgid
        fuzzy = moved or u.status == xliff.FUZZY
        if u.target == e.msgstr and fuzzy == ("fuzzy" in e.flags):
            done.unchanged += 1
            continue
        what = ("new translation" if not e.msgstr else "translation changed"
                if u.target != e.msgstr else "marked fuzzy" if fuzzy
                else f"fuzzy cleared (its state is {u.state!r})")
        if fuzzy:
            why = ("the unit's English is not the English now (changed since the "
                   "export, or by the agency's tool)" if moved else f"its state is {u.state!r}")
            what += (": " if what == "marked fuzzy" else ", fuzzy: ") + why
        e.msgstr = u.target
        if fuzzy:
            if "fuzzy" not in e.flags:
                e.flags.insert(0, "fuzzy")
            if moved:
                e.previous_msgid = u.source
        else:
            e.flags = [f for f in e.flags if f != "fuzzy"]
            e.previous_msgid = e.previous_msgctxt = None
        done.changes.append((u.id, what))
    return done


def _translated(po: polib.POFile) -> tuple[int, set[str | None]]:
    return (sum(1 for e in po if e.msgstr),
            {e.msgctxt for e in po if e.msgstr and not e.obsolete})


@dataclass(frozen=True)
class _Refusal:
    line: int
    what: str
    hint: str


_FIX = ("fix it in the translation tool (or ask the agency), then import the file "
        "again; nothing was imported")


def import_xliff(project: Project, path: Path, data: bytes, dry_run: bool,
                 locales: list[str] | None = None) -> Imported:
    """Merge the targets of an XLIFF file into the catalogs it names; every catalog
    or none. Raises ExchangeError listing everything that refuses the file (with
    `locales`, -l, also a catalog of another locale)."""
    name = str(path)
    files = xliff.read(data, name)
    if not files:
        raise ExchangeError("no <file> in this XLIFF", path=name,
                            hint="export again with 'leaflet export -l LOCALE'")
    known = {project.rel(project.po_path(locale, domain)): (locale, domain)
             for locale in project.cfg.locales if locale != SOURCE_LOCALE
             for domain in project.domains}
    refusals: list[_Refusal] = []
    chosen: dict[tuple[str, str], xliff.File] = {}
    for f in files:
        key = known.get(f.original)
        if key is None:
            refusals.append(_unknown(project, f))
            continue
        tag = info(key[0]).tag
        if f.target_language.lower() != tag.lower():
            named = key[0] if key[0] == tag else f"{key[0]} ({tag})"
            refusals.append(_Refusal(f.line, f"<file original=\"{f.original}\"> is for "
                                     f"{named}, but its target-language is "
                                     f"{f.target_language or 'missing'!r}",
                                     f"import only a file translated into {tag}; if it "
                                     f"is, set target-language=\"{tag}\""))
        if f.source_language.split("-")[0].lower() != SOURCE_LOCALE:
            refusals.append(_Refusal(f.line, f"source-language is {f.source_language!r}, "
                                     "not English", "the source of every leaflet is "
                                     "English (en): export again and translate that file"))
        if key in chosen:
            refusals.append(_Refusal(f.line, f"a second <file> for {f.original} (the first "
                                     f"on line {chosen[key].line})", "keep one of them"))
        if locales is not None and key[0] not in locales:
            refusals.append(_Refusal(f.line, f"<file original=\"{f.original}\"> is for "
                                     f"{key[0]}, not for -l {', '.join(locales)}",
                                     "leave out -l, or import the file for that locale"))
        chosen[key] = f
    if refusals:
        raise _refused(name, refusals)
    merges = {key: current(project, *key) for key in chosen}
    for key, f in chosen.items():
        held = {e.msgctxt: e.msgstr for e in merges[key].catalog if not e.obsolete}
        # Codes broken in a target the catalog holds already are the checks' to say.
        refusals += [_Refusal(u.line, f"[{u.id}] " + "; ".join(u.problems), _FIX)
                     for u in f.units if u.problems and held.get(u.id) != u.target]
    if refusals:
        raise _refused(name, refusals)
    result = Imported(name, sorted({loc for loc, _ in chosen}), dry_run=dry_run)
    texts: dict[Path, str] = {}
    glossaries: dict[str, glossary.Glossary | None] = {}
    for (locale, domain), f in chosen.items():
        target = project.po_path(locale, domain)
        rel = project.rel(target)
        merged = merges[(locale, domain)]
        count, ids = _translated(merged.catalog)
        done = apply(merged.catalog, f.units, name, rel)
        result.not_imported += done.not_imported
        result.notes += done.notes
        result.unchanged += done.unchanged
        result.empty += done.empty
        if not done.changes:
            continue
        final = catalogs.merge(project.pot(domain), merged.catalog).catalog
        if _translated(final)[0] < count or not ids <= _translated(final)[1]:   # checked
            raise ExchangeError(f"importing would leave {rel} with fewer translations, so "
                                "nothing was imported", path=name, hint="please report "
                                "this to the leaflet maintainers with the file")
        texts[target] = catalogs.po_text(final)
        written = catalogs.parse(texts[target].encode("utf-8"), rel)
        lines = {e.msgctxt: getattr(e, "msgstr_line", e.linenum)
                 for e in written if not e.obsolete}
        result.changes += [Change(rel, lines[ident], ident, what)
                           for ident, what in done.changes]
        result.notes += [f"{rel}:{line}: recovered: {what}" for line, what in merged.notes]
        changed = {ident for ident, _ in done.changes}
        if locale not in glossaries:   # read once a locale (a TBX is parsed whole)
            glossaries[locale], unreadable = read_glossary(project, locale)
            result.findings += unreadable
        terms = glossaries[locale]
        result.findings += [
            x for x in checks.check_catalog(locale, rel, written, project.pot(domain),
                                            project.cfg.allow_for(locale), terms,
                                            project.cfg.glossary_severity(locale))
            if x.entry in changed and x.code != "fuzzy"]   # the change says it is fuzzy
    if not dry_run:   # everything was read and checked above: now every catalog
        result.written = [p for p, text in texts.items() if write_atomic(p, text)]
    return result


def _unknown(project: Project, f: xliff.File) -> _Refusal:
    """Why a <file>'s `original` names no catalog of this project."""
    parts = PurePosixPath(f.original).parts
    locales = [x for x in project.cfg.locales if x != SOURCE_LOCALE]
    if len(parts) >= 3 and parts[-2] == "LC_MESSAGES" and parts[-1].endswith(".po"):
        locale, domain = parts[-3], parts[-1][:-3]
        if locale not in locales:
            return _Refusal(f.line, f"the file is for the locale {locale!r}, which this "
                            f"project does not have ({', '.join(locales)})",
                            f"start it first ('leaflet init -l {locale}', then add it to "
                            "locales in leaflet.toml), or import the file into the project "
                            "it was exported from")
        if domain not in project.domains:
            return _Refusal(f.line, f"the file holds the catalog {domain!r}, which is no "
                            f"leaflet of this project ({', '.join(project.domains)})",
                            "import the file into the project it was exported from")
    return _Refusal(f.line, f"<file original=\"{f.original}\"> is no catalog of this "
                    "project", "import only a file 'leaflet export' wrote for this project "
                    "(Translate Toolkit's po2xliff, for one, numbers the units instead of "
                    "keeping their ids, and names the catalog as it was given)")


def _refused(name: str, refusals: list[_Refusal]) -> ExchangeError:
    """One error for all: the first problem at path:line, then every other, each
    problem once with all its lines."""
    lines: dict[str, list[int]] = {}
    for r in refusals:
        lines.setdefault(r.what, []).append(r.line)
    (first, at), *rest = lines.items()

    def also(at: list[int]) -> str:
        return f" (also on line {', '.join(map(str, at))})" if at else ""
    more = "".join(f"\n  line {at[0]}: {what}{also(at[1:])}" for what, at in rest)
    return ExchangeError(first + also(at[1:]) + (f"; and {len(rest)} more:{more}" if rest
                                                  else ""),
                         path=name, line=at[0], hint=refusals[0].hint)


def import_tmx(project: Project, path: Path, data: bytes, dry_run: bool,
               locales: list[str] | None = None) -> Imported:
    """Offer a TMX memory's translations to every entry without one, as update
    offers its own memory's (memory.py): fuzzy, with a note naming the file, never
    over a translation; `locales` (-l): only these. Every catalog or none: one
    that cannot be read or merged refuses the import."""
    name = str(path)
    only = [project_locale(project, x, "import into") for x in locales] if locales else None
    tmx = memory.read_tmx(data, name, [x for x in project.cfg.locales if x != SOURCE_LOCALE],
                          only)
    result = Imported(name, sorted(tmx.memories), dry_run=dry_run)
    pots = {domain: project.pot(domain) for domain in project.domains}
    done = Updated()
    merges = [(suggestions, merged) for locale, suggestions in tmx.memories.items()
              for merged in merge_locale(project, locale, pots, suggestions, done)]
    if done.errors:
        raise done.errors[0]
    texts: dict[Path, str] = {}
    for suggestions, merged in merges:
        rel = project.rel(merged.path)
        filled = dict(merged.result.filled)
        result.unchanged += sum(1 for e in merged.result.catalog if e.msgstr   # kept as it was
                                and not e.obsolete and e.msgctxt not in filled
                                and e.msgid in suggestions.units)
        if not filled:
            continue
        texts[merged.path] = merged.text
        written = catalogs.parse(merged.text.encode("utf-8"), rel)
        lines = {e.msgctxt: getattr(e, "msgstr_line", e.linenum)
                 for e in written if not e.obsolete}
        result.changes += [Change(rel, lines[ctx], ctx, f"suggestion {what}, fuzzy: check it")
                           for ctx, what in filled.items()]
        result.notes += [f"{rel}:{line}: recovered: {what}"
                         for line, what in merged.result.notes]
        if merged.path in done.started:
            result.notes.append(f"{rel}: started (a leaflet new to this locale)")
    result.notes += [f"{n} segment(s) in {tag!r} not taken (-l)" for tag, n in
                     tmx.ignored.items()]
    if tmx.no_english:
        result.notes.append(f"{tmx.no_english} unit(s) without an English segment: skipped")
    if not dry_run:
        result.written = [p for p, text in texts.items() if write_atomic(p, text)]
    return result


Importer = Callable[[Project, Path, bytes, bool, list[str] | None], Imported]


def _is_xliff(path: Path, data: bytes) -> bool:
    return path.suffix.lower() in (".xlf", ".xliff") or b"<xliff" in data[:2000]


def _is_tmx(path: Path, data: bytes) -> bool:
    return path.suffix.lower() == ".tmx" or b"<tmx" in data[:2000]


# By content first (an XLIFF named .tmx is an XLIFF), then by suffix.
IMPORTS: list[tuple[Callable[[Path, bytes], bool], Importer]] = [
    (lambda _, data: b"<xliff" in data[:2000], import_xliff),
    (lambda _, data: b"<tmx" in data[:2000], import_tmx),
    (_is_xliff, import_xliff), (_is_tmx, import_tmx)]


def import_file(project: Project, path: Path, dry_run: bool = False,
                locales: list[str] | None = None) -> Imported:
    """Import an agency's file into this project's catalogs (see the module's text)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExchangeError(f"cannot read the file: {exc.strerror}", path=path,
                            hint="give the path of the file the agency sent") from exc
    for fits, run in IMPORTS:
        if fits(path, data):
            return run(project, path, data, dry_run, locales)
    raise ExchangeError("not a file leaflet can import", path=path,
                        hint="leaflet imports XLIFF 1.2 (.xlf, .xliff) and TMX memories "
                        "(.tmx)")
