"""Translation memory: each checked translation offered wherever its English is
used again, and TMX 1.4b, the memory CAT tools and agencies exchange.

A trust's leaflets share sentences (how to contact us, warning signs, "about
this leaflet"). `leaflet update` fills an entry that has no translation from a
checked (not fuzzy) translation of exactly the same English elsewhere in the
locale: another leaflet, another id, the words around the leaflets. The fill
is only a suggestion: fuzzy, with a note naming where it came from, since the
same sentence in another place may need other words. `leaflet import` offers
the units of a TMX file the same way.

Values in, values out: catalogs and bytes; catalogs.merge calls the fill.

- An exact match is the same msgid, character for character (so the same
  placeholders and markup); plural entries are neither filled nor offered
  (no leaflet has one, and the merge keeps none). The id (msgctxt) is not part
  of the match, or no other block's translation could ever be reused; it only
  ranks: the unit of this very id first, then one of the same id in another
  leaflet, then the translation most entries use, then the first in the
  project's order (leaflets as in leaflet.toml, then ui; entries as in the
  template). The note says how many other translations exist.
- Only what the merge would keep as a checked translation is offered: not a
  fuzzy or empty entry, not an obsolete one (the merge keeps no fuzzy flag in
  #~, so an obsolete translation may never have been checked).
- A translator who empties a suggestion (and leaves its note) has rejected it:
  the note becomes one saying so, and the entry is not filled again until its
  English changes or the note is deleted.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import polib
from babel import Locale, UnknownLocaleError
from lxml import etree

from .catalogs import (
    MEMORY_NOTE,
    MEMORY_NOTE_END,
    REJECTED_NOTE,
    REJECTED_NOTE_END,
    Fill,
    split_note,
)
from .config import SOURCE_LOCALE as SOURCE
from .errors import ExchangeError
from .lang import fallbacks, info

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_OTHERS = re.compile(r" \(\d+ other translations? exists?\)$")


@dataclass(frozen=True)
class Unit:
    """One checked translation the memory can offer."""
    english: str
    text: str
    origin: str              # what the note names: "vertebroplasty [after.call]"
    domain: str | None       # the catalog it translates, when known
    context: str | None      # the entry id it translates, when known


@dataclass(frozen=True)
class Suggestion:
    unit: Unit
    others: int              # how many other translations of this English exist

    @property
    def note(self) -> str:
        more = ""
        if self.others:
            more = (" (1 other translation exists)" if self.others == 1
                    else f" ({self.others} other translations exist)")
        return f"{MEMORY_NOTE}{self.unit.origin}{more}{MEMORY_NOTE_END}"


@dataclass
class Memory:
    """The units of one locale, by their English, in the order they were read."""
    units: dict[str, list[Unit]] = field(default_factory=dict)

    @classmethod
    def of(cls, units: Iterable[Unit]) -> Memory:
        memory = cls()
        for unit in units:
            if unit.english and unit.text:
                memory.units.setdefault(unit.english, []).append(unit)
        return memory

    def __len__(self) -> int:
        return sum(len(u) for u in self.units.values())

    def suggest(self, english: str, domain: str, context: str | None) -> Suggestion | None:
        """The translation to offer an entry of `domain` and id `context`, or None.

        Ranked: one of this very entry (a TMX of this project), one of the same
        id elsewhere, the one most entries use, the first read."""
        found = self.units.get(english, [])
        groups: dict[str, list[Unit]] = {}
        for unit in found:
            groups.setdefault(unit.text, []).append(unit)
        if not groups:
            return None

        def rank(unit: Unit) -> tuple[bool, bool]:
            return (unit.domain == domain and unit.context == context,
                    unit.context is not None and unit.context == context)

        first = {text: found.index(units[0]) for text, units in groups.items()}
        text = max(groups, key=lambda t: (max(rank(u) for u in groups[t]), len(groups[t]),
                                          -first[t]))
        unit = max(groups[text], key=lambda u: (rank(u), -found.index(u)))
        return Suggestion(unit, len(groups) - 1)

    def fill(self, domain: str) -> Fill:
        """The fill catalogs.merge calls for each entry of `domain` it left empty."""
        def fill(entry: polib.POEntry, old: polib.POEntry | None) -> str | None:
            return _fill(self, domain, entry, old)
        return fill


def _fill(memory: Memory, domain: str, entry: polib.POEntry,
          old: polib.POEntry | None) -> str | None:
    """Put the memory's suggestion on an empty entry, unless a translator emptied
    one there before; returns where what it filled came from, for the user."""
    if entry.msgid_plural or not entry.msgid:
        return None
    note, rest = split_note(entry.tcomment)   # the merge kept the empty entry's comment
    ours = note is not None and note.startswith((MEMORY_NOTE, REJECTED_NOTE))
    if note is not None and ours and old is not None and old.msgid == entry.msgid:
        if note.startswith(REJECTED_NOTE):
            return None   # said before: not again
        origin = _OTHERS.sub("", note.removeprefix(MEMORY_NOTE).removesuffix(MEMORY_NOTE_END))
        entry.tcomment = "\n".join([rejected_note(origin), *rest])
        return None   # the translator's own doing: the note says it to the next one
    if ours:
        entry.tcomment = "\n".join(rest)   # that was for other English
    found = memory.suggest(entry.msgid, domain, entry.msgctxt)
    if found is None:
        return None
    entry.msgstr = found.unit.text
    entry.flags.insert(0, "fuzzy")
    entry.tcomment = "\n".join([found.note, *split_note(entry.tcomment)[1]])
    return f"from {found.unit.origin}"


def rejected_note(origin: str) -> str:
    return (f"{REJECTED_NOTE}(a translator emptied its suggestion from {origin}): delete "
            f"this comment {REJECTED_NOTE_END}")


def from_catalogs(merged: Mapping[str, polib.POFile]) -> Memory:
    """The memory of one locale: every checked translation of its catalogs, merged
    with their templates (domain -> catalog, in the project's order)."""
    return Memory.of(Unit(e.msgid, e.msgstr, f"{domain} [{e.msgctxt}]", domain, e.msgctxt)
                     for domain, po in merged.items() for e in po if _checked(e))


def _checked(e: polib.POEntry) -> bool:
    return bool(not e.obsolete and e.msgid and e.msgstr and not e.msgid_plural
                and "fuzzy" not in e.flags)


# --- TMX ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class TmxUnit:
    """One <tu>: an entry's English and its checked translations, by BCP 47 tag."""
    tuid: str                            # "<domain>:<msgctxt>": where it comes from
    context: str
    english: str
    targets: tuple[tuple[str, str], ...]


def tmx_units(pots: Mapping[str, polib.POFile],
              merged: Mapping[str, Mapping[str, polib.POFile]]) -> list[TmxUnit]:
    """Every entry with a checked translation in some locale (pots: domain ->
    template; merged: locale -> domain -> catalog merged with it), in the
    project's order, its locales in the configured order."""
    units = []
    for domain, pot in pots.items():
        for tmpl in pot:
            if tmpl.msgid_plural or not tmpl.msgid:
                continue
            targets = []
            for locale, catalogs in merged.items():
                po = catalogs.get(domain)
                entry = po.find(tmpl.msgid, msgctxt=tmpl.msgctxt) if po is not None else None
                if entry is not None and _checked(entry):
                    targets.append((info(locale).tag, entry.msgstr))
            if targets:
                units.append(TmxUnit(f"{domain}:{tmpl.msgctxt}", tmpl.msgctxt, tmpl.msgid,
                                     tuple(targets)))
    return units


def tmx_bytes(units: Sequence[TmxUnit], version: str) -> bytes:
    """A TMX 1.4b document of these units: one <tu> per entry (tuid, the id as
    Translate Toolkit's x-context), English first. The same units give the same
    bytes: no dates."""
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(root, "header")
    for key, value in (("creationtool", "leaflet"), ("creationtoolversion", version),
                       ("segtype", "paragraph"), ("o-tmf", "PO"), ("adminlang", SOURCE),
                       ("srclang", SOURCE), ("datatype", "plaintext")):
        header.set(key, value)
    body = etree.SubElement(root, "body")
    for unit in units:
        tu = etree.SubElement(body, "tu", tuid=unit.tuid, srclang=SOURCE)
        etree.SubElement(tu, "prop", type="x-context").text = unit.context
        for tag, text in ((SOURCE, unit.english), *unit.targets):
            tuv = etree.SubElement(tu, "tuv")
            tuv.set(_XML_LANG, tag)
            etree.SubElement(tuv, "seg").text = text
    etree.indent(root, space="  ")
    data: bytes = etree.tostring(root, encoding="UTF-8",
                                 doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + data + b"\n"


@dataclass
class TmxRead:
    """What a TMX file offers: locale -> memory, and what was left out."""
    memories: dict[str, Memory]
    units: int
    ignored: dict[str, int] = field(default_factory=dict)   # language -> segments not taken
    no_english: int = 0                                      # units without an English segment


def locale_for(tag: str, locales: Sequence[str]) -> str | None:
    """The configured locale a TMX language is, or is a regional variant of
    (pt-BR and pt-br -> pt_BR, fr-FR -> fr, zh-CN -> zh_Hans; pt-PT is no pt_BR)."""
    try:
        name = str(Locale.parse(tag.strip().replace("_", "-"), sep="-"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    return next((x for x in fallbacks(name) if x in locales), None)


def read_tmx(data: bytes, path: str, locales: Sequence[str],
             only: Sequence[str] | None = None) -> TmxRead:
    """The units of a TMX file (Translate Toolkit reads it) as a memory per
    configured locale. A language that is no configured locale refuses the file,
    unless `only` names the locales to take (the rest is then ignored)."""
    from translate.misc.xml_helpers import parse_xml
    from translate.storage.tmx import tmxfile

    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    try:
        root = parse_xml(data)
    except etree.XMLSyntaxError as exc:
        raise ExchangeError(f"not a readable TMX file: {exc.msg}", path=path,
                            line=exc.lineno or None, hint="the file is damaged or cut "
                            "short: ask its sender for it again") from exc
    if etree.QName(root).localname != "tmx":
        raise ExchangeError(f"not a TMX file: its root element is <{etree.QName(root).localname}>"
                            ", not <tmx>", path=path, line=root.sourceline,
                            hint="give a translation memory exported as TMX (.tmx)")
    store = tmxfile(io.BytesIO(data))
    wanted = list(only) if only is not None else list(locales)
    read = TmxRead({}, len(store.units))
    unknown: dict[str, int] = {}
    found: dict[str, list[Unit]] = {}
    languages: set[str] = set()
    for unit in store.units:
        segments = [(n.get(_XML_LANG) or n.get("lang") or "",   # lang: TMX 1.1
                     unit.getNodeText(n, "preserve") or "", n.sourceline)
                    for n in unit.getlanguageNodes()]
        languages.update(tag for tag, _, _ in segments)
        english = next((text for tag, text, _ in segments if _english(tag)), None)
        if not english:
            read.no_english += 1
            continue
        tuid = unit.xmlelement.get("tuid") or ""
        context = unit.getcontext() or tuid.split(":", 1)[-1] or None
        domain = tuid.split(":", 1)[0] if ":" in tuid else None
        for tag, text, line in segments:
            if _english(tag) or not text:
                continue
            locale = locale_for(tag, locales)
            if locale is None and only is None:
                unknown.setdefault(tag, line)
            if locale is None or locale not in wanted:
                read.ignored[tag] = read.ignored.get(tag, 0) + 1
                continue
            origin = f"{name} [{tuid or context}]" if tuid or context else f"{name} line {line}"
            found.setdefault(locale, []).append(Unit(english, text, origin, domain, context))
    if unknown:
        tag, line = next(iter(unknown.items()))
        raise ExchangeError(f"the memory holds {tag!r}, which is none of this project's "
                            f"locales ({', '.join(locales)})", path=path, line=line,
                            hint="start that language first ('leaflet init -l LOCALE', then "
                            "add it to [project] locales), or import only the configured "
                            "ones with -l LOCALE")
    if read.no_english == read.units and read.units:
        raise ExchangeError(f"none of the memory's {read.units} units has an English segment "
                            f"(its languages: {', '.join(sorted(languages))})", path=path,
                            hint="export the memory from English (xml:lang=\"en\" on the "
                            "source segment of every unit)")
    if not found:
        raise ExchangeError("the memory holds no translation from English into "
                            + ("the locale(s) asked for" if only else "a configured locale"),
                            path=path, hint="check the languages of the file (xml:lang) and "
                            "of [project] locales in leaflet.toml")
    read.memories = {locale: Memory.of(found[locale]) for locale in wanted if locale in found}
    return read


def _english(tag: str) -> bool:
    return tag.replace("_", "-").split("-")[0].lower() == SOURCE
