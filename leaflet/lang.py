"""What the pipeline needs to know about a locale, from Babel's CLDR data."""
from __future__ import annotations

import datetime as dt
import gettext
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.core import get_global
from babel.dates import format_date
from babel.messages.plurals import get_plural

# Explicit font stack per script: never rely on a generic fallback (Chinese
# text picked Japanese glyphs in a trial). Keys are ISO 15924 script codes.
FONTS = {
    "Latn": '"Noto Sans", "DejaVu Sans", sans-serif',
    "Cyrl": '"Noto Sans", "DejaVu Sans", sans-serif',
    "Arab": '"Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans", sans-serif',
    "Deva": '"Noto Sans Devanagari", "Noto Sans", sans-serif',
    "Hans": '"Noto Sans CJK SC", "Noto Sans", sans-serif',
}
# Text size against Latin at the same point size. Naskh letters are small for
# their body: at 12 pt the Arabic leaflet read smaller than the English line
# under it (seen in the PDFs), so Arabic is set 15 % larger (13.8 pt; 20.7 pt
# in large print) and English text on its pages stays at the Latin size.
TEXT_SCALE = {"Arab": 1.15}
_SCRIPT_OF_LANGUAGE = {"ar": "Arab", "fa": "Arab", "ur": "Arab", "hi": "Deva",
                       "mr": "Deva", "ne": "Deva", "ru": "Cyrl", "uk": "Cyrl",
                       "bg": "Cyrl", "sr": "Cyrl"}


@dataclass(frozen=True)
class LocaleInfo:
    name: str          # catalog name, e.g. zh_Hans
    tag: str           # BCP 47, e.g. zh-Hans
    native: str        # the language named in itself
    english: str
    direction: str     # ltr | rtl
    script: str
    nplurals: int
    plural_expr: str

    @property
    def plural_forms(self) -> str:
        return f"nplurals={self.nplurals}; plural={self.plural_expr};"

    @property
    def fonts(self) -> str:
        return FONTS.get(self.script, FONTS["Latn"])

    @property
    def text_scale(self) -> float:
        return TEXT_SCALE.get(self.script, 1.0)

    def date(self, value: dt.date) -> str:
        return format_date(value, "long", locale=self.name)


@cache
def info(name: str) -> LocaleInfo:
    loc = Locale.parse(name)
    script = loc.script or _SCRIPT_OF_LANGUAGE.get(loc.language, "Latn")
    if loc.language == "zh":
        script = loc.script or ("Hant" if loc.territory in ("TW", "HK", "MO") else "Hans")
    nplurals, expr = _new_plural_forms(name)
    native = loc.get_display_name(loc) or name
    return LocaleInfo(
        name=name, tag=name.replace("_", "-"), native=native[:1].upper() + native[1:],
        english=loc.get_display_name("en") or name, direction=loc.text_direction,
        script=script, nplurals=nplurals, plural_expr=expr)


@cache
def fallbacks(name: str) -> tuple[str, ...]:
    """A locale and the locales it falls back to, most specific first.

    CLDR's parent locales, as Babel loads its own data: ar_EG -> ar, pt_BR ->
    pt, zh_Hans_CN -> zh_Hans -> zh, es_AR -> es_419 -> es; a script other
    than the language's usual one starts afresh (zh_Hant_TW -> zh_Hant, never
    zh, which is Simplified Chinese).
    """
    parents, likely = get_global("parent_exceptions"), get_global("likely_subtags")
    chain = [name]
    while True:
        parts = chain[-1].split("_")
        parent = parents.get(chain[-1])
        if parent is None and len(parts) > 1:
            usual = likely.get(parts[0], "").split("_")
            if len(parts) == 2 and len(parts[1]) == 4 and parts[1] not in usual:
                break
            parent = "_".join(parts[:-1])
        if parent is None or parent == "root" or parent in chain:
            break
        chain.append(parent)
    return tuple(chain)


# --- plural forms ------------------------------------------------------------
# A Plural-Forms formula is right when it puts every number in the CLDR
# category the language uses for it, numbered in CLDR's order (zero, one, two,
# few, many, other), as GNU gettext, Weblate and Poedit do. More than one
# formula is right: CLDR 42 added a "many" form for large round numbers in
# French, Spanish and Portuguese (Babel 2.19 writes nplurals=3 there, GNU
# gettext and older Babels nplurals=2), so a category that only large numbers
# reach may be present or merged into "other", whichever Babel is installed.
_TAGS = ("zero", "one", "two", "few", "many", "other")
_EVERYDAY = range(1001)   # where every category of every language shows
_LARGE = (10_000, 100_000, 1_000_000, 1_000_001, 2_000_000, 10_000_000, 10**9)
# GNU gettext's traditional formulas where they differ from CLDR's: catalogs
# made with msginit, Poedit or a Babel before 2.18 carry them, and they are
# right too. From Babel 2.14's table (taken from gettext), except Arabic, where
# that table numbers "many" and "other" the wrong way round (python-babel
# #816); cv and kok as Babel 2.19 writes them from a newer CLDR.
_GETTEXT: dict[str, tuple[tuple[int, str], ...]] = {
    "ar": ((6, "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
               ": n%100>=11 ? 4 : 5)"),),
    "bn": ((2, "(n != 1)"),), "hi": ((2, "(n != 1)"),), "pa": ((2, "(n != 1)"),),
    "pt": ((2, "(n != 1)"),), "he": ((2, "(n != 1)"),), "fur": ((2, "(n > 1)"),),
    "fa": ((1, "0"),), "hu": ((1, "0"),), "hy": ((1, "0"),), "ka": ((1, "0"),),
    "tr": ((1, "0"),), "vi": ((1, "0"),),
    "cv": ((1, "0"), (3, "(n == 0 ? 0 : n == 1 ? 1 : 2)")), "kok": ((2, "(n > 1)"),),
    "lv": ((3, "(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2)"),),
    "cy": ((5, "(n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 0)"),),
    "mt": ((4, "(n==1 ? 0 : n==0 || ( n%100>=1 && n%100<=10) ? 1 : "
               "(n%100>10 && n%100<20 ) ? 2 : 3)"),),
    "br": ((6, "(n==1 ? 0 : n%10==1 && n%100!=11 && n%100!=71 && n%100!=91 ? 1 : "
               "n%10==2 && n%100!=12 && n%100!=72 && n%100!=92 ? 2 : (n%10==3 || n%10==4 "
               "|| n%10==9) && n%100!=13 && n%100!=14 && n%100!=19 && n%100!=73 && "
               "n%100!=74 && n%100!=79 && n%100!=93 && n%100!=94 && n%100!=99 ? 3 : "
               "n%1000000==0 ? 4 : 5)"),),
}


def parse_plural_forms(header: str) -> tuple[int, str] | None:
    """(nplurals, formula) of a Plural-Forms header, or None if it does not parse."""
    m = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*", header or "")
    if not m or int(m[1]) < 1 or _compile(m[2]) is None:
        return None
    return int(m[1]), m[2]


@cache
def _compile(expr: str) -> Callable[[int], int] | None:
    try:   # the standard library's own parser of C plural formulas: no eval of ours
        return gettext.c2py(expr)
    except (ValueError, SyntaxError, RecursionError):
        return None


@cache
def plural_problem(locale: str, header: str) -> str | None:
    """Why a Plural-Forms header is wrong for a language, or None when it is right."""
    parsed = parse_plural_forms(header)
    if parsed is None:
        return "the formula does not parse"
    nplurals, formula = parsed
    forms = _compile(formula)
    assert forms is not None
    numbers = [*_EVERYDAY, *_LARGE]
    got = {n: forms(n) for n in numbers}
    bad = next((n for n in numbers if not 0 <= got[n] < nplurals), None)
    if bad is not None:
        return f"it gives form {got[bad]} for n={bad}, but nplurals is {nplurals}"
    for count, expr in _GETTEXT.get(Locale.parse(locale).language, ()):
        gettext_forms = _compile(expr)
        assert gettext_forms is not None
        if count == nplurals and all(gettext_forms(n) == got[n] for n in numbers):
            return None
    rule = Locale.parse(locale).plural_form
    want = {n: rule(n) for n in numbers}
    known = {want[n] for n in numbers}
    everyday = [t for t in _TAGS if t in {want[n] for n in _EVERYDAY}]
    spare = [t for t in _TAGS if t not in everyday]
    if nplurals < len(everyday):
        return f"{locale} has {len(everyday)} plural forms ({', '.join(everyday)}), " \
               f"not {nplurals}"
    best: tuple[int, list[str]] | None = None   # the reading that holds longest
    for extra in itertools.combinations(spare, nplurals - len(everyday)):
        tags = [t for t in _TAGS if t in everyday or t in extra]
        wrong = next((i for i, n in enumerate(numbers) if not (
            tags[got[n]] == want[n] if n in _EVERYDAY
            else _large_ok(tags[got[n]], want[n], tags, known))), None)
        if wrong is None:
            return None
        if best is None or wrong > best[0]:
            best = (wrong, tags)
    assert best is not None
    n, tags = numbers[best[0]], best[1]
    return f"n={n} is {want[n]!r} in {locale}, but the formula gives form {got[n]} " \
           f"({tags[got[n]]!r})"


def _large_ok(tag: str, want: str, tags: list[str], known: set[str]) -> bool:
    """A large round number may sit in a category one CLDR version has and
    another has not: in 'other' if the formula lacks the category, or in a
    category the installed CLDR lacks where it says 'other'."""
    return tag == want or (want not in tags and tag == "other") or \
        (want == "other" and tag not in known)


@cache
def _new_plural_forms(locale: str) -> tuple[int, str]:
    """The formula new catalogs get: Babel's, unless it is wrong for the language."""
    plural = get_plural(locale)
    nplurals, expr = plural.num_plurals, plural.plural_expr
    if plural_problem(locale, f"nplurals={nplurals}; plural={expr};"):
        nplurals, expr = _GETTEXT[Locale.parse(locale).language][0]
    return nplurals, expr
