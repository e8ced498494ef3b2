"""Translation checks: plain functions that return findings; one runner,
check_catalog, collects them all for a catalog. Checks of the English source
are here too; checks of built outputs are verify.py's.

A finding with severity "error" stops its locale from being published.
"""
from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass

import polib

from . import glossary as terms
from . import polarity
from .lang import info, parse_plural_forms, plural_problem
from .model import ERROR, KINDS, PLACEHOLDER, WARNING, Finding, Leaflet


def _f(severity: str, code: str, ctx: Ctx, entry: polib.POEntry | None, message: str,
       hint: str) -> Finding:
    return Finding(severity, code, ctx.locale, ctx.path, entry.linenum if entry else None,
                   entry.msgctxt if entry else None, message, hint)


def _highlighted(e: polib.POEntry) -> bool:
    """A highlighted warning (a `!` block): extract says so in its comment
    (which a catalog may wrap over lines)."""
    return KINDS["warning"] in " ".join((e.comment or "").split())


@dataclass(frozen=True)
class Ctx:
    locale: str
    path: str


# --- numbers -----------------------------------------------------------------
_DIGITS = {ord(c): str(i) for base in (0x0660, 0x06F0, 0x0966, 0xFF10)
           for i, c in enumerate(chr(base + k) for k in range(10))}
_NUMBER = re.compile(r"\d+(?:[.,\u066B]\d+)?")
# A number in words next to a unit ("five days") cannot be checked by value.
_WORD_NUMBERS = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                           r"twelve|twenty|thirty|forty|fifty|hundred|half an?)"
                           r"\s+(seconds?|minutes?|hours?|days?|weeks?|months?|years?|times|"
                           r"mg|ml|tablets?|doses?|injections?)\b", re.I)


def numbers(text: str) -> Counter[float]:
    """Numeric values in a text, whatever digits and decimal mark it uses."""
    text = PLACEHOLDER.sub(" ", unicodedata.normalize("NFKC", text).translate(_DIGITS))
    values: Counter[float] = Counter()
    for raw in _NUMBER.findall(text):
        values[float(raw.replace(",", ".").replace("\u066B", "."))] += 1
    return values


# Unit words by class and language (stems), matched just after a number.
_UNITS: dict[str, dict[str, str]] = {
    "minutes": {"en": "minute", "fr": "minute", "de": "minute", "es": "minuto", "pt": "minuto",
                "pl": "minut", "ru": "минут", "vi": "phút", "zh": "分钟", "ar": "دقيق|دقائق",
                "hi": "मिनट"},
    "hours": {"en": "hour", "fr": "heure", "de": "stunde", "es": "hora", "pt": "hora",
              "pl": "godz", "ru": "час", "vi": "giờ", "zh": "小时|个小时", "ar": "ساع",
              "hi": "घंट"},
    "days": {"en": "day", "fr": "jour", "de": "tag", "es": "día", "pt": "dia",
             "pl": "dni|dzie", "ru": "дн|день", "vi": "ngày", "zh": "天|日", "ar": "يوم|أيام",
             "hi": "दिन"},
    "weeks": {"en": "week", "fr": "semaine", "de": "woche", "es": "semana", "pt": "semana",
              "pl": "tydz|tygod", "ru": "недел", "vi": "tuần", "zh": "周|星期",
              "ar": "أسبوع|أسابيع", "hi": "सप्ताह|हफ़्त|हफ्त"},
    "months": {"en": "month", "fr": "mois", "de": "monat", "es": "mes", "pt": "mês|mes",
               "pl": "miesi", "ru": "месяц", "vi": "tháng", "zh": "个月|月", "ar": "شهر|أشهر",
               "hi": "महीन"},
    "percent": {lang: "%|٪|％|percent|pour cent|prozent|por ciento|por cento|procent|"
                "процент|phần trăm|प्रतिशत|في المائة" for lang in
                ("en", "fr", "de", "es", "pt", "pl", "ru", "vi", "zh", "ar", "hi")},
}
_AFTER = r"\s*(?:(?:to|à|bis|a|do|до|đến|至|到|إلى|से|-|–)\s*\d+\s*)?"


def units(text: str, language: str) -> set[str]:
    """Unit classes written right after a number (or after a range's end)."""
    text = unicodedata.normalize("NFKC", text).translate(_DIGITS).lower()
    found = set()
    for cls, words in _UNITS.items():
        stems = words.get(language)
        if stems and re.search(r"\d" + _AFTER + r"\s*(?:" + stems + ")", text):
            found.add(cls)
    return found


def check_units(ctx: Ctx, e: polib.POEntry) -> list[Finding]:
    language = ctx.locale.split("_")[0]
    if language not in _UNITS["hours"]:
        return []
    src, dst = units(e.msgid, "en"), units(e.msgstr, language)
    if src == dst:
        return []
    return [_f(ERROR, "unit", ctx, e, f"units next to numbers differ: English "
               f"{sorted(src) or 'none'}, translation {sorted(dst) or 'none'}",
               "keep the same unit after each number (minutes, hours, days, ...)")]


def check_numbers(ctx: Ctx, e: polib.POEntry) -> list[Finding]:
    src, dst = numbers(e.msgid), numbers(e.msgstr)
    found = []
    if src != dst:
        missing = sorted((src - dst).elements())
        extra = sorted((dst - src).elements())
        parts = []
        if missing:
            parts.append("missing " + ", ".join(f"{v:g}" for v in missing))
        if extra:
            parts.append("not in the English " + ", ".join(f"{v:g}" for v in extra))
        found.append(_f(ERROR, "number", ctx, e, "numbers differ from the English: "
                        + "; ".join(parts), "write every number of the English, with the "
                        "same value, in digits"))
    if _WORD_NUMBERS.search(PLACEHOLDER.sub(" ", e.msgid)):
        found.append(_f(WARNING, "number-words", ctx, e, "the English gives an amount in "
                        "words, which cannot be checked by value",
                        "ask the author to write it in digits"))
    return found


# --- markup, placeholders, links -------------------------------------------------
_TAG = re.compile(r"<[^>]*>?")
_ALLOWED_TAGS = ("<strong>", "</strong>")
_DANGER = re.compile(r"javascript:|file:|data:|url\s*\(|&[#a-z0-9]+;|\bon[a-z]+\s*=", re.I)
_URL = re.compile(r"https?://[^\s<>\"]+|www\.[^\s<>\"]+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def _tags_nested(tags: list[str]) -> bool:
    depth = 0
    for tag in tags:
        depth += 1 if tag == "<strong>" else -1
        if depth < 0:
            return False
    return depth == 0


def check_markup(ctx: Ctx, e: polib.POEntry) -> list[Finding]:
    found = []
    src, dst = _TAG.findall(e.msgid), _TAG.findall(e.msgstr)
    bad = [t for t in dst if t not in _ALLOWED_TAGS]
    if bad:
        found.append(_f(ERROR, "markup-forbidden", ctx, e, f"markup not allowed: {bad[0][:40]}",
                        "a translation may use only the tags of its English text"))
    elif Counter(src) != Counter(dst) or not _tags_nested(dst):
        found.append(_f(ERROR, "markup", ctx, e, f"tags differ from the English "
                        f"({len(src)} in English, {len(dst)} here) or are not nested",
                        "keep <strong>...</strong> exactly as often as the English"))
    if _DANGER.search(e.msgstr):
        found.append(_f(ERROR, "markup-hostile", ctx, e, "script, file link, CSS url() or "
                        "HTML entity in the translation",
                        "remove it: a leaflet translation is plain text"))
    return found


def check_placeholders(ctx: Ctx, e: polib.POEntry) -> list[Finding]:
    src, dst = Counter(PLACEHOLDER.findall(e.msgid)), Counter(PLACEHOLDER.findall(e.msgstr))
    if src == dst and e.msgstr.count("{") == e.msgid.count("{"):
        return []
    return [_f(ERROR, "placeholder", ctx, e, "placeholders differ: English has "
               f"{sorted(src.elements()) or 'none'}, translation "
               f"{sorted(dst.elements()) or 'none'}",
               "copy each {name} unchanged; it is filled in from the hospital's settings")]


def check_links(ctx: Ctx, e: polib.POEntry) -> list[Finding]:
    if Counter(_URL.findall(e.msgid) + _EMAIL.findall(e.msgid)) == Counter(
            _URL.findall(e.msgstr) + _EMAIL.findall(e.msgstr)):
        return []
    return [_f(ERROR, "link", ctx, e, "web addresses or e-mail addresses differ from the "
               "English", "copy every address exactly")]


# --- whole-text heuristics -----------------------------------------------------
ALLOW_UNCHANGED = frozenset({"PMMA", "T1", "T12", "L1", "L5"})
_RATIO = {"Hans": (0.12, 1.0), "Hant": (0.12, 1.0)}


def check_unchanged(ctx: Ctx, e: polib.POEntry, allow: frozenset[str]) -> list[Finding]:
    words = set(re.findall(r"\w+", e.msgid))
    if e.msgstr != e.msgid or not re.search(r"[A-Za-z]{3}", e.msgid) or words <= allow:
        return []
    return [_f(WARNING, "unchanged", ctx, e, "translation is identical to the English",
               "translate it, or add the term to the locale's allow list")]


def check_length(ctx: Ctx, e: polib.POEntry, script: str) -> list[Finding]:
    if len(e.msgid) < 30:
        return []
    low, high = _RATIO.get(script, (0.45, 2.6))
    ratio = len(e.msgstr) / len(e.msgid)
    if low <= ratio <= high:
        return []
    return [_f(WARNING, "length", ctx, e, f"translation is {ratio:.1f} times the length of "
               "the English", "check that nothing is missing or added")]


# --- meaning: polarity, misplaced translations -----------------------------------
def check_polarity(ctx: Ctx, e: polib.POEntry) -> list[Finding]:
    """A "not" lost or added: an error in a highlighted warning, else a warning."""
    found = polarity.mismatch(e.msgid, e.msgstr, ctx.locale)
    if found is None:
        return []
    hint = ("keep the negation: without it the sentence tells the patient the opposite"
            if found.lost else "check that the translation does not deny what the English "
            "says")
    return [_f(ERROR if _highlighted(e) else WARNING, "polarity", ctx, e, found.message, hint)]


@dataclass(frozen=True)
class _Facts:
    """What a text says that another language keeps: numbers, placeholders,
    polarity, sentences, length."""
    numbers: Counter[float]
    placeholders: Counter[str]
    polarity: int | None
    sentences: int
    length: int


def _facts(text: str, language: str) -> _Facts:
    return _Facts(numbers(text), Counter(PLACEHOLDER.findall(text)),
                  polarity.polarity(text, language), len(polarity.sentences(text)),
                  max(len(text), 1))


def _hard(t: _Facts, e: _Facts) -> int:
    """Facts a translation must keep that it does not keep."""
    return ((t.numbers != e.numbers) + (t.placeholders != e.placeholders)
            + ({t.polarity, e.polarity} == {polarity.NONE, polarity.STRONG}))


_MISPLACED_MARGIN = 3.0   # one fact kept (3) better, or several soft ones


def check_misplaced(ctx: Ctx, entries: list[polib.POEntry]) -> list[Finding]:
    """A translation that fits another entry's English clearly better than its own.

    Only a translation that breaks a fact of its own English (a number, a
    placeholder, its polarity) is looked at: one that keeps them all is where
    it belongs, whatever its length. It is misplaced when another English has
    all its facts, and sentence count and length (against this catalog's usual
    ratio) fit no worse: two such translations fitting each other's English
    were swapped; one whose numbers or placeholders only another English has
    was pasted into the wrong entry.
    """
    units = [e for e in entries if e.msgstr and not e.msgid_plural and len(e.msgid) >= 20]
    language = ctx.locale.split("_")[0]
    src = [_facts(e.msgid, "en") for e in units]
    dst = [_facts(e.msgstr, language) for e in units]
    ratios = [math.log(t.length / s.length) for s, t in zip(src, dst, strict=True)]
    if len(ratios) < 2:
        return []
    usual = statistics.median(ratios)
    spread = max(1.4826 * statistics.median(abs(r - usual) for r in ratios), 0.08)

    def cost(i: int, j: int) -> float:   # translation i read as the English of j
        t, s = dst[i], src[j]
        soft = min(abs(t.sentences - s.sentences), 2) + 0.5 * min(
            abs(math.log(t.length / s.length) - usual) / spread, 4)
        return 3 * _hard(t, s) + soft

    found: list[Finding] = []
    done: set[int] = set()
    for i in (i for i in range(len(units)) if _hard(dst[i], src[i])):
        if i in done:
            continue
        best: tuple[bool, float, int] | None = None   # (swapped, gain, j): a swap first
        for j in range(len(units)):
            if j == i or j in done or units[j].msgid == units[i].msgid or \
                    _hard(dst[i], src[j]):
                continue
            gain, back = cost(i, i) - cost(i, j), cost(j, j) - cost(j, i)
            if not _hard(dst[j], src[i]) and gain > 0 and back > 0 and \
                    gain + back >= _MISPLACED_MARGIN:
                candidate = (True, gain + back, j)
            elif gain >= _MISPLACED_MARGIN and (
                    (dst[i].numbers and dst[i].numbers == src[j].numbers)
                    or (dst[i].placeholders and dst[i].placeholders == src[j].placeholders)):
                candidate = (False, gain, j)
            else:
                continue
            best = max(best or candidate, candidate)
        if best is None:
            continue
        swapped, _, j = best
        a, b = units[i], units[j]
        if swapped:
            done |= {i, j}
            for x, y in ((a, b), (b, a)):
                found.append(_f(ERROR, "misplaced", ctx, x, f"the translations of {x.msgctxt} "
                                f"and {y.msgctxt} look swapped: each fits the other's English "
                                "(numbers, placeholders, negation, sentences, length)",
                                f"exchange the translations of {x.msgctxt} and {y.msgctxt}, "
                                "then compare each with its English"))
        else:
            done.add(i)
            found.append(_f(ERROR, "misplaced", ctx, a, f"the translation fits the English of "
                            f"{b.msgctxt} (its numbers or placeholders), not its own",
                            f"translate {a.msgctxt} from its own English; compare with "
                            f"{b.msgctxt}"))
    return found


# --- catalog level -----------------------------------------------------------
def check_header(ctx: Ctx, po: polib.POFile) -> list[Finding]:
    found = []
    loc = info(ctx.locale)
    if po.metadata.get("Language") != ctx.locale:
        found.append(_f(ERROR, "header-language", ctx, None,
                        f"Language header is {po.metadata.get('Language')!r}, folder says "
                        f"{ctx.locale!r}", f"set 'Language: {ctx.locale}'"))
    header = po.metadata.get("Plural-Forms", "")
    problem = plural_problem(ctx.locale, header)
    if problem:
        found.append(_f(ERROR, "header-plural", ctx, None,
                        f"Plural-Forms is {header!r}: {problem}",
                        f"set 'Plural-Forms: {loc.plural_forms}'"))
    else:
        nplurals = parse_plural_forms(header)[0]   # type: ignore[index]
        for e in po:
            if e.msgid_plural and not e.obsolete and len(e.msgstr_plural) != nplurals:
                found.append(_f(ERROR, "header-plural", ctx, e,
                                f"entry has {len(e.msgstr_plural)} plural forms, the header "
                                f"says nplurals={nplurals}",
                                "give every plural form of the header, or fix the header"))
    for key in ("Project-Id-Version", "Content-Type", "Language-Team", "Last-Translator"):
        if not po.metadata.get(key):
            found.append(_f(ERROR, "header-incomplete", ctx, None, f"header {key} missing",
                            "restore the header from 'leaflet init'"))
    if po.metadata_is_fuzzy and "fuzzy" in po.metadata_is_fuzzy:
        found.append(_f(ERROR, "header-fuzzy", ctx, None, "the header is marked fuzzy",
                        "remove '#, fuzzy' above the header entry"))
    return found


def check_catalog(locale: str, path: str, po: polib.POFile, pot: polib.POFile,
                  allow: frozenset[str] = frozenset(), glossary: terms.Glossary | None = None,
                  glossary_severity: str = WARNING) -> list[Finding]:
    """Every check of one catalog, as it will be published: merged with its template.

    Checking the merge (not only the file) catches a translation whose English
    changed since it was written; findings point at the file's own lines. With
    the locale's `glossary`, its terms too (findings of `glossary_severity`).
    """
    from .catalogs import MEMORY_NOTE, split_note, update
    ctx = Ctx(locale, path)
    found = check_header(ctx, po)
    # Findings point where an editor should jump: the msgstr line (catalogs.parse).
    lines = {e.msgctxt: _line(e) for e in po if not e.obsolete}
    # An entry hidden as obsolete while the English still uses it would vanish
    # from the leaflet; its own line is where the translator must look.
    retired = {e.msgctxt: _line(e) for e in po if e.obsolete and e.msgctxt not in lines}
    script = info(locale).script
    translated = []
    for e in update(pot, po):
        if e.obsolete:
            continue
        if e.msgctxt in retired:
            found.append(Finding(ERROR, "obsolete-referenced", locale, path,
                                 retired[e.msgctxt], e.msgctxt,
                                 "entry marked obsolete (#~) but the English leaflet still "
                                 "uses it", "run 'leaflet update' to bring it back (fuzzy), "
                                 "check it against the English, then clear the fuzzy flag"))
            continue
        if e.msgctxt not in lines:
            found.append(Finding(ERROR, "missing", locale, path, None, e.msgctxt,
                                 "entry missing from the catalog",
                                 "run 'leaflet update' to add it"))
            continue
        e.linenum = lines[e.msgctxt]
        if "fuzzy" in e.flags and (split_note(e.tcomment)[0] or "").startswith(MEMORY_NOTE):
            found.append(_f(ERROR, "fuzzy", ctx, e, "suggestion from the translation memory, "
                            "not checked yet", "check it against this English and "
                            "its place (the # note says where it came from), correct it, then "
                            "clear the fuzzy flag; empty it to refuse it"))
            continue
        if "fuzzy" in e.flags:
            found.append(_f(ERROR, "fuzzy", ctx, e, "translation marked fuzzy (the English "
                            "changed)", "compare with the previous English (#| msgid), "
                            "correct the translation, then clear the fuzzy flag"))
            continue
        if not e.msgstr.strip():
            found.append(_f(ERROR, "untranslated", ctx, e, "not translated",
                            "translate it; the English is never shown in its place"))
            continue
        for check in (check_placeholders, check_markup, check_numbers, check_units,
                      check_links, check_polarity):
            found += check(ctx, e)
        found += check_unchanged(ctx, e, ALLOW_UNCHANGED | allow)
        found += check_length(ctx, e, script)
        translated.append(e)
    if glossary is not None:
        found += terms.check(glossary, path, translated, glossary_severity)
    return found + check_misplaced(ctx, translated)


def _line(e: polib.POEntry) -> int:
    return int(getattr(e, "msgstr_line", None) or e.linenum)


# --- English source ----------------------------------------------------------
def check_sources_used(leaflet: Leaflet) -> list[Finding]:
    cited = {c for _, b in leaflet.blocks() for c in b.cites}
    return [Finding(WARNING, "source-unused", "en", leaflet.path, s.line, s.id,
                    f"source {s.id!r} is in the register but no block cites it",
                    "cite it or remove it from sources.toml")
            for s in leaflet.sources if s.id not in cited]
