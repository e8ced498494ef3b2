"""The glossary check: each locale's agreed terms and do-not-translate terms.

A locale's glossary is `locales/<locale>/glossary.tbx`, in TBX (ISO
30042:2008, the `<martif>` format of TBX-Basic that Weblate, Translate Toolkit
and CAT tools exchange). `read` turns its bytes into a `Glossary` with
Translate Toolkit's TBX storage, and refuses a malformed one with its line;
`check` is pure: a glossary and a catalog's translated entries in, findings
out.

The matching rule (TRANSLATING.md says it for translators):

- Both texts are compared after NFKC normalisation and case folding; curly and
  straight apostrophes are one; Arabic vowel marks and tatweel are ignored and
  its alef forms are one; Russian ё is е.
- Words are runs of letters, marks and digits; a change of script ends a word
  too (`NICE指南` is two), so no term is found inside another word.
- English: a term is found as whole words; its last word may take a simple
  plural (-s, -es, -y/-ies). Other plurals are further English terms of the
  entry (`vertebra`, `vertebrae`). Where terms overlap ("bone cement" and
  "bone"), only the longest counts.
- Translation: any of the entry's terms for the locale (each `<tig>`, but not
  a deprecated one) will do. Each word of a term may take an inflectional
  ending: the term's own ending (from a short list per language, such as
  Russian -а, -ия, Polish -a, -ie, Hindi ी, ा) is taken off and up to four
  letters may follow what is left ("вертебропластика" is found in
  "вертебропластику"). An Arabic word may carry the clitics و ف ب ك ل and the
  article ال before it; German and Chinese terms are found inside words
  (compounds; no spaces); Vietnamese words take no ending. Forms that the rule
  cannot reach (a vowel that drops, Polish ć to ci) are further terms of the
  entry, as TBX allows.
- Do-not-translate terms (`<descrip type="Translation needed">no</descrip>`,
  as Weblate reads it) are matched case-sensitively, as whole words, in both
  texts: where the English has one, the translation must have it unchanged.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import polib

from .errors import GlossaryError
from .model import Finding

# --- the glossary ------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One entry (`<termEntry>`) of a locale's glossary."""
    id: str
    line: int                     # of its <termEntry> in the TBX
    english: tuple[str, ...]      # the English terms (all count)
    agreed: tuple[str, ...]       # the locale's accepted terms, the preferred first
    keep: bool = False            # do not translate: must appear unchanged


@dataclass(frozen=True)
class Glossary:
    path: str                     # the TBX, relative to the project
    locale: str
    terms: tuple[Term, ...]


# --- words -------------------------------------------------------------------
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u0640": None,
                              "\u00ad": None, "\u0623": "\u0627", "\u0625": "\u0627",
                              "\u0622": "\u0627", "\u0671": "\u0627", "\u0451": "\u0435",
                              "\u0401": "\u0415"})
# Arabic vowel marks, and the Devanagari nukta (फ़ and फ are one spelling)
_IGNORED = {chr(c) for c in (*range(0x064B, 0x0660), 0x0670, 0x093C)}


def normalise(text: str, fold: bool = True) -> str:
    """NFKC, apostrophes, Arabic marks, tatweel and alef, the nukta, ё; case-folded
    unless not `fold`."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    text = "".join(c for c in text if c not in _IGNORED)
    return text.casefold() if fold else text


@lru_cache(maxsize=4096)
def _script(c: str) -> str:
    """The script of a letter, roughly: the first word of its Unicode name; the
    scripts written without spaces between words are one."""
    name = unicodedata.name(c, "")
    first = name.split(" ", 1)[0]
    return "CJK" if first in ("CJK", "HIRAGANA", "KATAKANA", "IDEOGRAPHIC") else first


@lru_cache(maxsize=4096)
def _kind(c: str) -> str | None:
    """None for what is not in a word; else the script of a letter, or "" for
    a mark or a digit (of no script of its own)."""
    category = unicodedata.category(c)[0]
    if category not in "LMN":
        return None
    return _script(c) if category == "L" else ""


Word = tuple[int, int]   # start, end in the text


def words(text: str) -> list[Word]:
    """Runs of letters, marks and digits; a letter of another script starts a new one."""
    found: list[Word] = []
    start, script = -1, ""
    for i, c in enumerate(text):
        here = _kind(c)
        if here is None:
            if start >= 0:
                found.append((start, i))
            start, script = -1, ""
            continue
        if start >= 0 and here and script and here != script:
            found.append((start, i))
            start, script = i, here
        elif start < 0:
            start, script = i, here
        elif here:
            script = script or here
    if start >= 0:
        found.append((start, len(text)))
    return found


def _gaps(text: str, spans: list[Word]) -> list[str]:
    """What separates consecutive words: its marks, or one space for any whitespace."""
    gaps = []
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        between = text[end:start]
        gaps.append("".join(between.split()) or " ")
    return gaps


# --- the languages' rules -----------------------------------------------------
@dataclass(frozen=True)
class Rules:
    """How a language writes a term's inflected forms."""
    endings: tuple[str, ...] = ()    # a term's own ending, taken off before matching
    longest: int = 4                 # letters a word may add after the stem
    inside: bool = False             # a term may stand inside a word
    clitics: tuple[str, ...] = ()    # what may be attached before a word


def _arabic_clitics() -> tuple[str, ...]:
    """و/ف, then ب/ك/ل, then the article ال (ل + ال is written لل)."""
    found = set()
    for conj in ("", "\u0648", "\u0641"):
        for prep in ("", "\u0628", "\u0643", "\u0644"):
            for art in ("", "\u0627\u0644"):
                found.add(conj + ("\u0644\u0644" if prep == "\u0644" and art else prep + art))
    return tuple(sorted(found - {""}, key=len, reverse=True))


_RU = ("ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "ией", "ия", "ие", "ий", "ый",
       "ой", "ая", "яя", "ое", "ее", "ые", "ов", "ев", "ам", "ям", "ах", "ях", "ом", "ем", "ей",
       "а", "я", "о", "е", "и", "ы", "у", "ю", "ь", "й")
_PL = ("ami", "ach", "owi", "ego", "emu", "ymi", "imi", "ów", "om", "em", "ie", "ia", "iu", "ią",
       "ię", "ym", "im", "ej", "ą", "ę", "a", "e", "i", "o", "u", "y")
_HI = ("ियों", "ियाँ", "ियां", "ाओं", "ों", "ें", "ाँ", "ां", "ी", "ा", "े", "ो", "ि")
_AR = ("ات", "ان", "ين", "ون", "ة", "ي")
RULES: dict[str, Rules] = {
    "ru": Rules(_RU), "uk": Rules(_RU), "pl": Rules(_PL), "hi": Rules(_HI),
    "ar": Rules(_AR, clitics=_arabic_clitics()),
    "de": Rules(inside=True), "zh": Rules(inside=True), "ja": Rules(inside=True),
    "vi": Rules(longest=0),
}
_SHORTEST_STEM = 3


def rules(locale: str) -> Rules:
    return RULES.get(locale.split("_")[0], Rules())


def _stem(word: str, r: Rules) -> str:
    if r.clitics and word.startswith("\u0627\u0644") and len(word) > 4:   # the article
        word = word[2:]
    for ending in r.endings:   # longest first
        if word.endswith(ending) and len(word) - len(ending) >= _SHORTEST_STEM:
            return word[:-len(ending)]
    return word


def _fits(stem: str, word: str, r: Rules) -> bool:
    """Whether a word of the text is a form of a term's word (given its stem)."""
    if r.inside:
        return stem in word
    for clitic in ("", *r.clitics):
        if word.startswith(clitic):
            rest = word[len(clitic):]
            if rest.startswith(stem) and len(rest) - len(stem) <= r.longest:
                return True
    return False


def _english_fits(term: str, word: str, last: bool) -> bool:
    if word == term:
        return True
    return last and (word in (term + "s", term + "es")
                     or (term.endswith("y") and word == term[:-1] + "ies"))


class Text:
    """A text made ready for matching: normalised (folded or not) and cut into words."""

    def __init__(self, text: str, fold: bool = True) -> None:
        # Markup and placeholders are not words of the text.
        clean = []
        depth = 0
        for c in text:
            if c in "<{":
                depth += 1
                clean.append(" ")
            elif c in ">}" and depth:
                depth -= 1
                clean.append(" ")
            else:
                clean.append(" " if depth else c)
        self.text = normalise("".join(clean), fold)
        self.spans = words(self.text)
        self.words = [self.text[a:b] for a, b in self.spans]
        self.gaps = _gaps(self.text, self.spans)


@lru_cache(maxsize=8192)
def text_of(text: str, fold: bool = True) -> Text:
    """Text(text, fold), once per process: the English of an entry is the same
    in every locale, and each term is matched against every entry."""
    return Text(text, fold)


def _split(term: str, fold: bool = True) -> tuple[list[str], list[str]]:
    t = text_of(term, fold)
    return t.words, t.gaps


Fits = Callable[[str, str, bool], bool]   # term's word, text's word, is it the last


def find(term: str, text: Text, fits: Fits, fold: bool = True) -> list[Word]:
    """Where `term` stands in `text`: (first, last) word of each place, each word
    of the term fitting one of the text's by `fits`, with the same marks between."""
    want, gaps = _split(term, fold)
    if not want:
        return []
    found = []
    n, first, words = len(want), want[0], text.words
    for i in range(len(words) - n + 1):
        if fits(first, words[i], n == 1) and \
                all(fits(want[k], words[i + k], k == n - 1) for k in range(1, n)) and \
                text.gaps[i:i + n - 1] == gaps:
            found.append((i, i + n - 1))
    return found


def in_translation(term: str, text: Text, locale: str) -> bool:
    r = rules(locale)
    stems = {w: _stem(w, r) for w in _split(term)[0]}
    # Every word _fits lets stand for a term's word holds its stem: most
    # translations of an entry with a term lack the stems of the other forms.
    if not all(stem in text.text for stem in stems.values()):
        return False
    return bool(find(term, text, lambda w, t, last: _fits(stems[w], t, r)))


def _kept(term: str, text: Text) -> bool:
    # Most entries have none of the words of a do-not-translate term.
    if not all(w in text.text for w in _split(term, False)[0]):
        return False
    return bool(find(term, text, lambda w, t, last: w == t, fold=False))


def english_terms(glossary: Glossary, english: str) -> list[Term]:
    """The agreed (not do-not-translate) terms an English text has, in its order.
    The longest match wins: a shorter term inside a longer one's does not count."""
    text = text_of(english)
    hits: list[tuple[int, int, int, Term]] = []   # (-length, start, end, term)
    for term in glossary.terms:
        if term.keep:
            continue
        for form in term.english:
            first = _split(form)[0][:1]
            # Every word _english_fits lets stand for a term's word begins with
            # all of it but its last letter: most terms are not in the text at all.
            if first and first[0][:-1] not in text.text:
                continue
            for start, end in find(form, text, _english_fits):
                hits.append((-(text.spans[end][1] - text.spans[start][0]), start, end, term))
    taken: set[int] = set()
    kept: list[tuple[int, Term]] = []
    for _, start, end, term in sorted(hits, key=lambda h: (h[0], h[1])):
        if taken.isdisjoint(range(start, end + 1)):
            taken.update(range(start, end + 1))
            kept.append((start, term))
    # in the order the text has them
    return list(dict.fromkeys(term for _, term in sorted(kept, key=lambda k: k[0])))


# --- the check -----------------------------------------------------------------
def check(glossary: Glossary, path: str, entries: list[polib.POEntry],
          severity: str) -> list[Finding]:
    """Every translated entry whose English has a glossary term: the agreed term
    must be in the translation; a do-not-translate term must be there unchanged.
    Findings point at the entry's line in the catalog at `path`."""
    where = f"{glossary.path} line"
    found: list[Finding] = []
    for e in entries:
        if not e.msgstr.strip():
            continue
        strict_en = text_of(e.msgid, False)
        # The translation is cut into words only if a term asks (most entries
        # have none), and not cached: each is read once, unlike the English.
        target: Text | None = None
        strict_tr: Text | None = None
        for term in english_terms(glossary, e.msgid):
            target = target or Text(e.msgstr)
            if not any(in_translation(form, target, glossary.locale) for form in term.agreed):
                agreed = " or ".join(f"\u201c{a}\u201d" for a in term.agreed)
                found.append(Finding(
                    severity, "glossary-term", glossary.locale, path, e.linenum, e.msgctxt,
                    f"the English has \u201c{term.english[0]}\u201d but the translation has "
                    f"none of the glossary's terms for it: {agreed}",
                    f"use \u201c{term.agreed[0]}\u201d (or a form of it), as the glossary says "
                    f"({where} {term.line}); if it cannot stand here, ask the glossary's "
                    "keeper to add the form you need"))
        for term in glossary.terms:
            if not term.keep:
                continue
            for form in term.english:
                if not _kept(form, strict_en):
                    continue
                strict_tr = strict_tr or Text(e.msgstr, False)
                if not _kept(form, strict_tr):
                    found.append(Finding(
                        severity, "glossary-keep", glossary.locale, path, e.linenum, e.msgctxt,
                        f"\u201c{form}\u201d is in the English but not, unchanged, in the "
                        "translation: the glossary says not to translate it",
                        f"write \u201c{form}\u201d exactly as in the English, in Latin letters "
                        f"and the same capitals ({where} {term.line})"))
                    break
    return found


# --- reading a TBX -------------------------------------------------------------
SOURCE = "en"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _lang(tag: str | None) -> str:
    return (tag or "").replace("-", "_").casefold()


def read(data: bytes, path: str, locale: str) -> Glossary:
    """A locale's glossary from the bytes of its TBX; GlossaryError, with the
    line, for anything malformed."""
    from lxml import etree
    from translate.misc.xml_helpers import get_safe_xml_parser
    from translate.storage import tbx

    try:
        root = etree.fromstring(data, parser=get_safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else None)
        raise GlossaryError(f"not well-formed XML: {exc.msg}", path=path, line=line,
                            hint="fix the XML near that line (an unclosed or misspelt tag, a "
                            "bare '&' or '<'), or export the glossary again from your tool"
                            ) from exc
    if etree.QName(root).localname != "martif":
        raise GlossaryError(
            f"the root element is <{etree.QName(root).localname}>, not <martif>: not a TBX "
            "2008 (TBX-Basic) file", path=path, line=root.sourceline,
            hint="export the glossary as TBX-Basic / TBX 2008 (ISO 30042:2008), the TBX "
            "Weblate and Translate Toolkit read; TBX v3 (<tbx>) is not read")
    store = tbx.tbxfile.parsestring(  # type: ignore[no-untyped-call]
        data, sourcelanguage=SOURCE, targetlanguage=locale)
    want = _lang(locale)
    terms: list[Term] = []
    seen: dict[str, int] = {}
    other: tuple[str, int] | None = None   # the first other language, and its line
    ours = False
    for unit in store.units:
        element = unit.xmlelement
        line = int(element.sourceline or 0)
        langs = [_lang(n.get(_XML_LANG))
                 for n in unit.getlanguageNodes()]
        if "" in langs:
            raise GlossaryError("a <langSet> without xml:lang", path=path, line=line,
                                hint='give every <langSet> its language: xml:lang="en"')
        if SOURCE not in langs:
            raise GlossaryError("a <termEntry> without English (<langSet xml:lang=\"en\">)",
                                path=path, line=line,
                                hint="every entry needs the English term it is about")
        english = tuple(t.text.strip() for t in unit.get_source_terms() if t.text.strip())
        if not english:
            raise GlossaryError("a <termEntry> whose English term is empty", path=path,
                                line=line, hint="write the English term in <term>...</term>")
        ours = ours or want in langs
        if other is None:
            other = next(((n.get(_XML_LANG) or "", int(n.sourceline or line))
                          for n in unit.getlanguageNodes()
                          if _lang(n.get(_XML_LANG)) not in (SOURCE, want)), None)
        keep = not unit.istranslatable()
        agreed: tuple[str, ...] = ()
        if want in langs:
            agreed = tuple(t.text.strip() for t in unit.get_target_terms(locale)
                           if t.text.strip() and not t.deprecated)
        if keep and any(normalise(a, False) not in
                        {normalise(x, False) for x in english} for a in agreed):
            raise GlossaryError(
                f"\u201c{english[0]}\u201d is marked not to be translated but has a "
                f"translation \u201c{agreed[0]}\u201d", path=path, line=line,
                hint='remove the translation, or the <descrip type="Translation needed">no'
                "</descrip> mark")
        if not keep and not agreed:
            continue   # not translated in this locale yet: nothing to hold it to
        for form in english:
            key = normalise(form, not keep)
            if key in seen:
                raise GlossaryError(
                    f"\u201c{form}\u201d has two entries, at lines {seen[key]} and {line}",
                    path=path, line=line,
                    hint="merge them into one <termEntry>, with every accepted term as its "
                    "own <tig>")
            seen[key] = line
        terms.append(Term(str(element.get("id") or english[0]), line, english, agreed, keep))
    if other is not None and not ours:
        # csv2tbx, for one, writes xml:lang="xx": every term would be skipped unseen
        raise GlossaryError(
            f"no term is in this folder's language ({locale}): the translations are in "
            f"xml:lang=\"{other[0]}\"", path=path, line=other[1],
            hint=f'set xml:lang="{locale.replace("_", "-")}" on each translation\'s <langSet>')
    return Glossary(path, locale, tuple(terms))
