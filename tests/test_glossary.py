"""The glossary check: the matching rule on sentences of the real catalogs, real
mistakes (tests/data/glossary/*-mistakes), broken TBX files, the shipped
glossaries (read by Translate Toolkit, valid TBX), and the real project."""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from lxml import etree
from translate.storage import tbx

from leaflet import catalogs, checks, cli, glossary
from leaflet.errors import GlossaryError

from .conftest import DATA, ROOT

CASES = DATA / "glossary"
LOCALES = ("ar", "de", "es", "fr", "hi", "pl", "pt_BR", "ru", "vi", "zh_Hans")
DOMAINS = ("vertebroplasty", "vertebroplasty-home", "ui")


def shipped(locale: str) -> glossary.Glossary:
    path = ROOT / "locales" / locale / "glossary.tbx"
    return glossary.read(path.read_bytes(), f"locales/{locale}/glossary.tbx", locale)


def found(term: str, text: str, locale: str) -> bool:
    return glossary.in_translation(term, glossary.Text(text), locale)


# --- the matching rule ----------------------------------------------------------
# (term, text, locale): sentences of the real catalogs, an inflected or attached form
FINDS = [
    ("vertébroplastie", "Qu'est-ce que la vertébroplastie ?", "fr"),
    ("vertébroplastie", "Vertébroplastie : un traitement", "fr"),             # capital
    ("fracture", "Il existe d'autres façons de traiter une fracture", "fr"),
    ("fracture", "des fractures récentes", "fr"),                             # plural
    ("vertebroplastia", "A vertebroplastia é um tratamento", "pt_BR"),
    ("вертебропластика", "после вертебропластики", "ru"),                     # genitive
    ("вертебропластика", "очень похожий на вертебропластику", "ru"),          # accusative
    ("вертебропластика", "Вертебропластика — это метод лечения", "ru"),
    ("местный анестетик", "обезболят местным анестетиком", "ru"),            # instrumental
    ("местный анестетик", "уколом местного анестетика", "ru"),               # genitive
    ("снимки", "изучит ваши симптомы и снимки", "ru"),
    ("снимки", "Вам сделают снимков", "ru"),
    ("кость", "лечение перелома кости позвоночника", "ru"),
    ("wertebroplastyka", "wertebroplastykę należy proponować", "pl"),
    ("osteoporoza", "spowodowanych osteoporozą", "pl"),
    ("Zement", "einen speziellen Knochenzement", "de"),                       # compound
    ("Fraktur", "Die meisten Kompressionsfrakturen entstehen", "de"),
    ("Wirbelsäule", "Zeichnung der Wirbelsäule", "de"),
    ("الإسمنت", "تسرّب الإسمنت إلى خارج العظم", "ar"),                        # marks ignored
    ("إسمنت", "يدفع الطبيب إسمنت العظام", "ar"),
    ("الإسمنت", "أحد الأدوية أو تجاه الإسمنت", "ar"),
    ("عظم", "الجزء الضعيف من العظم", "ar"),                                  # article
    ("عظام", "خاصًا للعظام في العظم", "ar"),                                 # لل: ل + ال
    ("كسور", "وكسور جديدة", "ar"),                                        # و attached
    ("هشاشة العظام", "الناتجة عن هشاشة العظام،", "ar"),
    ("हड्डी", "आपकी हड्डियों को मज़बूत बनाने", "hi"),                           # oblique plural
    ("फ्रैक्चर", "कम्प्रेशन फ़्रैक्चर कहते हैं", "hi"),                            # nukta
    ("骨水泥", "把特殊的骨水泥注入骨折的骨头里", "zh_Hans"),                  # no spaces
    ("xi măng", "dị ứng với một trong các loại thuốc hoặc với xi măng", "vi"),
    ("X-quang", "nhờ hình ảnh X-quang", "vi"),
]
MISSES = [
    ("vertébroplastie", "La vertebroplastie est un traitement", "fr"),        # no accent
    ("vertébroplastie", "Qu'est-ce que la cyphoplastie ?", "fr"),
    ("os", "l'ostéoporose", "fr"),                  # a longer word is not an ending
    ("вертебропластика", "Что такое кифопластика?", "ru"),
    ("кость", "сломанный позвонок", "ru"),
    ("Zement", "ein spezieller Kleber", "de"),
    ("xi măng", "xi", "vi"),
    ("kim", "kiểm tra", "vi"),                      # Vietnamese words take no ending
    ("骨水泥", "把特殊的材料注入骨头里", "zh_Hans"),
    ("हड्डी", "रीढ़ का चित्र", "hi"),
]


@pytest.mark.parametrize("term,text,locale", FINDS)
def test_a_form_of_the_term_is_found(term: str, text: str, locale: str) -> None:
    assert found(term, text, locale)


@pytest.mark.parametrize("term,text,locale", MISSES)
def test_another_word_is_not_the_term(term: str, text: str, locale: str) -> None:
    assert not found(term, text, locale)


def _gl(*terms: glossary.Term) -> glossary.Glossary:
    return glossary.Glossary("g.tbx", "fr", terms)


BONE = glossary.Term("bone", 1, ("bone",), ("os",))
FRACTURE = glossary.Term("fracture", 2, ("fracture",), ("fracture",))
CEMENT = glossary.Term("bone-cement", 3, ("bone cement",), ("ciment osseux",))
XRAY = glossary.Term("x-ray", 4, ("X-ray",), ("radiographie",))
VERTEBRA = glossary.Term("vertebra", 5, ("vertebra", "vertebrae"), ("vertèbre",))


@pytest.mark.parametrize("english,terms", [
    ("This is called a compression fracture.", [FRACTURE]),
    ("Most compression fractures happen in the upper back", [FRACTURE]),   # plural
    ("You can slowly go back to your usual activities.", []),              # back is no bone
    ("if the fracture is older", [FRACTURE]),
    ("the fractured bone", [BONE]),                          # fractured is another word
    ("a microfracture", []),                                 # not inside a word
    ("Live X-ray pictures show the way.", [XRAY]),
    ("X-rays are used to guide the needle.", [XRAY]),
    ("The bones of the spine are called vertebrae.", [BONE, VERTEBRA]),   # a listed plural
    ("A doctor puts a special bone cement into the broken bone", [CEMENT, BONE]),
    ("The doctor pushes the bone cement through the needle.", [CEMENT]),  # the longest only
    ("the backbone", []),
])
def test_english_terms_are_whole_words_with_simple_plurals(english: str,
                                                           terms: list[glossary.Term]) -> None:
    assert glossary.english_terms(_gl(BONE, FRACTURE, CEMENT, XRAY, VERTEBRA), english) == terms


KEEP = [glossary.Term(f"keep-{t}", 9, (t,), (), True) for t in ("NICE", "T1", "T12")]


def _entry(english: str, translation: str) -> polib.POEntry:
    return polib.POEntry(msgctxt="x", msgid=english, msgstr=translation, linenum=7)


@pytest.mark.parametrize("english,translation,missing", [
    ("guidance (from NICE)", "celles du NICE", []),
    ("guidance (from NICE)", "NICE指南", []),            # a change of script ends a word
    ("guidance (from NICE)", "(от NICE)", []),
    ("guidance (from NICE)", "celles du Nice", ["NICE"]),   # capitals count
    ("guidance (from NICE)", "celles de l'Institut national", ["NICE"]),
    ("the bones called T1 to T12", "от T1 до Т12", ["T12"]),   # a Cyrillic Т
    ("the bones called T1 to T12", "de T1 à T12", []),
    ("the bones called T1 to T12", "de T12 à T12", ["T1"]),    # T1 is not inside T12
    ("a nice day", "une belle journée", []),                  # the English has no NICE
])
def test_do_not_translate_terms_stay_exactly(english: str, translation: str,
                                             missing: list[str]) -> None:
    got = glossary.check(_gl(*KEEP), "p.po", [_entry(english, translation)], "warning")
    assert [f.message.split("\u201d")[0].lstrip("\u201c") for f in got] == missing
    assert all(f.code == "glossary-keep" and f.line == 7 and f.path == "p.po" for f in got)


# --- real mistakes ---------------------------------------------------------------
def _msgstr_line(path: Path, entry: str) -> int:
    """The line of the msgstr of `entry` in a catalog, read from its text."""
    lines = path.read_text("utf-8").splitlines()
    start = lines.index(f'msgctxt "{entry}"')
    return next(i for i in range(start, len(lines)) if lines[i].startswith("msgstr")) + 1


def _check_case(case: str, locale: str, severity: str = "warning") -> set[tuple[str, str, str, int]]:
    folder = CASES / case
    po_path = folder / "vertebroplasty.po"
    po = catalogs.parse(po_path.read_bytes(), str(po_path))
    pot = catalogs.read(folder / "vertebroplasty.pot")
    terms = glossary.read((folder / "glossary.tbx").read_bytes(), "g.tbx", locale)
    got = checks.check_catalog(locale, str(po_path), po, pot, frozenset(), terms, severity)
    return {(f.code, f.severity, f.entry, f.line) for f in got if f.code.startswith("glossary")}


def test_french_mistakes_are_found_at_their_entries() -> None:
    po = CASES / "fr-mistakes" / "vertebroplasty.po"
    assert _check_case("fr-mistakes", "fr") == {
        ("glossary-term", "warning", "what-is.summary", _msgstr_line(po, "what-is.summary")),
        ("glossary-term", "warning", "after.lie-flat", _msgstr_line(po, "after.lie-flat")),
        ("glossary-keep", "warning", "who.guidance", _msgstr_line(po, "who.guidance")),
    }


def test_russian_mistakes_are_found_and_its_inflections_are_not() -> None:
    po = CASES / "ru-mistakes" / "vertebroplasty.po"
    assert _check_case("ru-mistakes", "ru", "error") == {
        ("glossary-term", "error", "benefits.sham", _msgstr_line(po, "benefits.sham")),
        ("glossary-keep", "error", "why.spine-figure", _msgstr_line(po, "why.spine-figure")),
    }


def test_a_finding_says_what_to_do_and_where_the_term_is() -> None:
    folder = CASES / "fr-mistakes"
    po = catalogs.parse((folder / "vertebroplasty.po").read_bytes(), "fr.po")
    terms = glossary.read((folder / "glossary.tbx").read_bytes(), "locales/fr/glossary.tbx", "fr")
    got = [f for f in checks.check_catalog("fr", "fr.po", po,
                                           catalogs.read(folder / "vertebroplasty.pot"),
                                           frozenset(), terms)
           if f.entry == "what-is.summary" and f.code == "glossary-term"]
    tbx_lines = (folder / "glossary.tbx").read_text("utf-8").splitlines()
    entry_line = tbx_lines.index('      <termEntry id="vertebroplasty">') + 1
    assert len(got) == 1
    assert "\u201cvertebroplasty\u201d" in got[0].message
    assert "\u201cvertébroplastie\u201d" in got[0].hint
    assert f"locales/fr/glossary.tbx line {entry_line}" in got[0].hint


# --- broken glossaries ------------------------------------------------------------
def _line_of(path: Path, marker: str, nth: int = 1) -> int:
    lines = path.read_text("utf-8", errors="replace").splitlines()
    return [i + 1 for i, line in enumerate(lines) if marker in line][nth - 1]


# case -> (marker of the line the error names, words the message must contain)
BROKEN = {
    "truncated": (None, "not well-formed XML"),
    "csv2tbx-xx": ('xml:lang="xx"', 'translations are in xml:lang="xx"'),
    "no-english": ("<termEntry", "without English"),
    "no-lang": ("<termEntry", "<langSet> without xml:lang"),
    "duplicate-term": ("<term>bone</term>", "\u201cbone\u201d has two entries"),
    "keep-translated": ('<termEntry id="keep-nice">', "marked not to be translated"),
    "tbx-v3": ("<tbx ", "not <martif>"),
}


def test_every_broken_case_is_tested() -> None:
    folders = {p.name for p in CASES.iterdir() if p.is_dir() and p.name not in (
        "fr-mistakes", "ru-mistakes", "fr-other-term")}
    assert folders == set(BROKEN)


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_glossary_is_refused_with_its_line(case: str) -> None:
    path = CASES / case / "glossary.tbx"
    marker, words = BROKEN[case]
    with pytest.raises(GlossaryError) as caught:
        glossary.read(path.read_bytes(), "locales/fr/glossary.tbx", "fr")
    exc = caught.value
    if marker is None:   # cut short: the error is at the file's last line
        expected = len(path.read_bytes().splitlines())
    elif case == "duplicate-term":   # the second of the two entries
        lines = path.read_text("utf-8").splitlines()
        expected = max(i + 1 for i in range(_line_of(path, marker, 2)) if "<termEntry" in lines[i])
    else:
        expected = _line_of(path, marker)
    assert (exc.path, exc.line) == ("locales/fr/glossary.tbx", expected)
    assert words in exc.message and exc.hint


def test_a_broken_glossary_stops_only_its_locale(real_project: Path) -> None:
    shutil.copy(CASES / "truncated" / "glossary.tbx", real_project / "locales/de/glossary.tbx")
    out = io.StringIO()
    assert cli.main(["--project", str(real_project), "check", "--format", "json"], out) == 1
    report = json.loads(out.getvalue())
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    size = len((CASES / "truncated" / "glossary.tbx").read_bytes().splitlines())
    assert [(f["code"], f["locale"], f["path"], f["line"]) for f in errors] == [
        ("glossary-unreadable", "de", "locales/de/glossary.tbx", size)]


def test_the_configured_severity_refuses_a_locale_that_breaks_its_glossary(
        real_project: Path) -> None:
    """The real French catalog against a glossary that now says "colle" for cement:
    a warning per entry by default, an error (French refused) once configured."""
    shutil.copy(CASES / "fr-other-term" / "glossary.tbx", real_project / "locales/fr/glossary.tbx")
    pot = polib.pofile(str(ROOT / "locales" / "vertebroplasty.pot"))
    cement = sorted(e.msgctxt for e in pot if " cement" in e.msgid.replace("bone cement", ""))

    def run() -> tuple[int, list[dict]]:
        out = io.StringIO()
        code = cli.main(["--project", str(real_project), "check", "-l", "fr", "-l", "de",
                         "--format", "json"], out)
        return code, [f for f in json.loads(out.getvalue())["findings"]
                      if f["code"].startswith("glossary")]

    code, found = run()
    assert code == 0 and sorted(f["entry"] for f in found) == cement
    assert {(f["severity"], f["locale"]) for f in found} == {("warning", "fr")}
    toml = real_project / "leaflet.toml"
    toml.write_text(toml.read_text("utf-8") + '\n[checks.glossary.locales]\nfr = "error"\n',
                    "utf-8")
    code, found = run()
    assert code == 1 and sorted(f["entry"] for f in found) == cement
    assert {(f["severity"], f["locale"]) for f in found} == {("error", "fr")}


# --- the shipped glossaries -------------------------------------------------------
DTD = etree.DTD(str(CASES / "tbx-core-subset.dtd"))


@pytest.mark.parametrize("locale", LOCALES)
def test_shipped_glossary_is_tbx_that_translate_toolkit_reads(locale: str) -> None:
    path = ROOT / "locales" / locale / "glossary.tbx"
    data = path.read_bytes()
    assert DTD.validate(etree.fromstring(data)), DTD.error_log.filter_from_errors()
    store = tbx.tbxfile.parsestring(data, sourcelanguage="en", targetlanguage=locale)
    ours = shipped(locale)
    assert len(store.units) == len(ours.terms) >= 30
    # every agreed term is a target term Translate Toolkit reads for this locale
    by_id = {u.xmlelement.get("id"): u for u in store.units}
    for term in ours.terms:
        assert [t.text for t in by_id[term.id].get_target_terms(locale)] == list(term.agreed)
        assert by_id[term.id].istranslatable() != term.keep
    keep = {t.english[0] for t in ours.terms if t.keep}
    assert keep >= {"NICE", "NHS", "T1", "T12", "L1", "L5"}


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_tbx2po_converts_a_shipped_glossary(locale: str, tmp_path: Path) -> None:
    """What an agency's tool chain does with it: Translate Toolkit's tbx2po."""
    out = tmp_path / "glossary.po"
    tool = Path(sys.executable).parent / "tbx2po"
    subprocess.run([str(tool), "--progress=none", str(ROOT / "locales" / locale / "glossary.tbx"),
                    str(out)], check=True)
    entries = {e.msgid: e.msgstr for e in polib.pofile(str(out)) if e.msgid}
    for term in shipped(locale).terms:
        if not term.keep:
            assert entries[term.english[0]] == term.agreed[0]


def test_the_real_project_has_no_glossary_finding_and_uses_its_terms() -> None:
    """Every locale's catalogs against its glossary; each glossary term is met."""
    for locale in LOCALES:
        terms = shipped(locale)
        met: set[str] = set()
        for domain in DOMAINS:
            po = catalogs.read(ROOT / "locales" / locale / "LC_MESSAGES" / f"{domain}.po")
            entries = [e for e in po if not e.obsolete and e.msgstr and "fuzzy" not in e.flags]
            assert glossary.check(terms, domain, entries, "error") == []
            for e in entries:
                met |= {t.id for t in glossary.english_terms(terms, e.msgid)}
                met |= {t.id for t in terms.terms if t.keep and glossary.find(
                    t.english[0], glossary.Text(e.msgid, False), lambda w, x, last: w == x,
                    fold=False)}
        assert met == {t.id for t in terms.terms}, locale
