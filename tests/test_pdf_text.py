"""The text layer of every published PDF is its text (issue 19).

Two independent extractors, poppler's pdftotext and MuPDF (PyMuPDF), must
read every block of every locale and edition intact: the catalogs are the
truth, so this follows whatever translations are shipped. Also the hook
behind it (leaflet/pdftext.py) against the WeasyPrint it was written for, and
what extractors cannot see: the tagged structure.
"""
from __future__ import annotations

import html
import re
import subprocess
import unicodedata
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from pypdf import PdfReader

from leaflet import config, content, pdf, pdftext, render
from leaflet.lang import info
from leaflet.project import Project, output_name

from .conftest import ROOT, po_path, real_outputs

PDFS = real_outputs("pdf")
IDS = [path for *_, path in PDFS]
MARGIN = 18 / 25.4 * 72            # the bottom page margin (leaflet.css.j2): the footer
SHARES: dict[str, dict[str, tuple[int, int]]] = {}      # path -> extractor -> (intact, all)
# Bidi controls (pdftotext marks right-to-left runs; the text layer marks
# punctuation in Arabic lines as right-to-left) and soft hyphens are not text.
_INVISIBLE = re.compile(r"[\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_MARKER = re.compile(r"^[ \t]*(?:•|\d{1,2}\.|\.\d{1,2})[ \t]*$", re.MULTILINE)


def normal(text: str) -> str:
    """Whitespace as one space, none where lines break between CJK characters
    or after a slash or hyphen; no hyphens (poppler drops the one of a word
    hyphenated at a line end, "X-\nrays" -> "Xrays")."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    text = re.sub(r"(?<=[/\-\u2010\u2011])[ \t]*\n\s*", "", text)
    text = re.sub(r"[\-\u2010\u2011]", "", text)
    text = " ".join(text.split())
    return re.sub(rf"(?<=[{_CJK}]) | (?=[{_CJK}])", "", text)


@cache
def _project() -> Project:
    return Project(config.load(ROOT))


@cache
def _catalog(locale: str, domain: str) -> dict[str, str]:
    """msgctxt -> the text as published in this locale (English: the msgid)."""
    if locale == config.SOURCE_LOCALE:
        return {e.msgctxt: e.msgid for e in polib.pofile(str(ROOT / "locales" / f"{domain}.pot"))}
    return {e.msgctxt: e.msgstr for e in polib.pofile(str(po_path(ROOT, locale, domain)))
            if not e.obsolete and e.msgstr}


def _published(text: str, values: dict[str, str]) -> str:
    return normal(html.unescape(render.inline_html(text, values).striptags()))


class _Text(HTMLParser):
    """The text of an HTML page, without what is not drawn (head, attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip += tag in ("head", "script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("head", "script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def expected(build: Path, name: str, locale: str, edition: str) -> dict[str, str]:
    """Every block of the leaflet's catalog as this edition shows it (the
    bilingual edition: each block's English too, figures and sources aside),
    and the interface strings the page shows, by id."""
    project = _project()
    values = project.placeholder_values(name, locale)
    leaflet = content.load(ROOT / "content" / name, config.PLACEHOLDERS)
    want = {key: _published(text, values) for key, text in _catalog(locale, name).items()}
    if edition == "bilingual":
        english = project.placeholder_values(name, config.SOURCE_LOCALE)
        for _, block in leaflet.blocks():
            if block.kind != "figure":
                want[f"en:{block.id}"] = _published(block.text, english)
    page = _Text()
    page.feed((build / locale / output_name(name, edition, "html")).read_text("utf-8"))
    shown = normal(" ".join(page.parts))
    for key, text in _catalog(locale, "ui").items():
        text = _published(text, values)
        if "{" not in _catalog(config.SOURCE_LOCALE, "ui").get(key, "{") and text in shown:
            want[f"ui:{key}"] = text
    return {key: text for key, text in want.items() if text}


def poppler(path: Path) -> str:
    """pdftotext of the pages above the bottom margin, where the footer is."""
    height = PdfReader(path).pages[0].mediabox.height
    width = PdfReader(path).pages[0].mediabox.width
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-x", "0", "-y", "0", "-W", str(int(width)),
         "-H", str(int(float(height) - MARGIN)), str(path), "-"],
        capture_output=True, text=True, check=True).stdout


def mupdf(path: Path) -> str:
    """MuPDF's text of the lines whose baseline is above the bottom margin."""
    import pymupdf
    lines = []
    with pymupdf.open(path) as doc:
        for page in doc:
            bottom = page.rect.height - MARGIN
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", ()):
                    spans = line["spans"]
                    if spans and spans[0]["origin"][1] < bottom:
                        lines.append("".join(span["text"] for span in spans))
    return "\n".join(lines)


EXTRACTORS = {"poppler": poppler, "mupdf": mupdf}


def broken(want: dict[str, str], text: str) -> list[str]:
    """The ids of the blocks not found intact in the extracted text. Lines
    that are only a list marker are labels, not text: WeasyPrint draws a
    page's markers apart from their items (first, or after the page's text),
    and MuPDF reads them so, in the middle of a block that runs on from one
    page to the next. In Arabic a marker's full stop is read between
    right-to-left marks, which are not text either."""
    got = normal(_MARKER.sub("", _INVISIBLE.sub("", text)))
    return [key for key, block in want.items() if block not in got]


@pytest.mark.parametrize("name, locale, edition, path", PDFS, ids=IDS)
def test_extractors_read_every_block(real_build: Path, name: str, locale: str, edition: str,
                                     path: str) -> None:
    """Every block intact, by both extractors, right to left too (MuPDF read
    89.5 to 97.4 % of each Arabic PDF's blocks whole before `_logical_order`
    and the fixes after it); the shares are printed too."""
    want = expected(real_build, name, locale, edition)
    assert len(want) >= len(content.load(ROOT / "content" / name, config.PLACEHOLDERS).blocks())
    failures = {}
    for label, extract in EXTRACTORS.items():
        text = extract(real_build / path)
        bad = broken(want, text)
        SHARES.setdefault(path, {})[label] = (len(want) - len(bad), len(want))
        if bad:
            failures[label] = [f"{key}: {want[key][:60]}" for key in bad[:5]]
    assert failures == {}


@pytest.mark.parametrize("name, locale, edition, path",
                         [p for p in PDFS if info(p[1]).direction == "rtl"],
                         ids=[p[3] for p in PDFS if info(p[1]).direction == "rtl"])
def test_phone_numbers_are_drawn_left_to_right(real_build: Path, name: str, locale: str,
                                                edition: str, path: str) -> None:
    """In right-to-left text the groups of a phone number keep their order on
    the page (poppler reads the glyphs as drawn, left to right, for digits)."""
    phone = _project().placeholder_values(name, locale)["phone"]
    drawn = poppler(real_build / path)
    assert phone in drawn and " ".join(reversed(phone.split())) not in drawn


def test_print_shares() -> None:
    """The share of intact blocks per locale, edition and extractor (run with -s)."""
    columns = list(EXTRACTORS)
    rows = [f"{'PDF':36}" + "".join(f"{c:>18}" for c in columns)]
    for path, found in sorted(SHARES.items()):
        rows.append(f"{path:36}" + "".join(
            f"{f'{100 * found[c][0] / found[c][1]:5.1f}% ({found[c][0]}/{found[c][1]})':>18}"
            if c in found else f"{'':>18}" for c in columns))
    print("\nintact blocks\n" + "\n".join(rows))


def test_weasyprint_is_the_one_the_hook_was_written_for() -> None:
    """leaflet/pdftext.py relies on internals of one WeasyPrint version; a
    new one (or a changed draw_first_line) must be checked before it is used."""
    assert pdftext.check_weasyprint() == []


@pytest.mark.parametrize("text, shaped", [
    ("Vertebroplasty: bone cement, 24 hours (NICE).", False),
    ("Вертебропластика, cement osseux, cemento óseo, xi măng xương, 椎体成形术", False),
    ("xi ma\u0306ng xu\u031bo\u031bng", True),          # Vietnamese typed decomposed (NFD)
    ("رأب الفقرات", True), ("वर्टेब्रोप्लास्टी", True), ("עברית", True), ("ไทย", True),
    ("\U0001f600", True)])
def test_the_hook_stands_aside_only_for_unshaped_text(text: str, shaped: bool) -> None:
    """The lines of a document with no combining mark and no shaped script are
    drawn as WeasyPrint draws them (their glyphs are their characters: the
    extractors read all 52 such PDFs whole); any mark or shaped script, and
    the hook draws every line."""
    assert pdftext.shaped(text) is shaped


@pytest.mark.parametrize("text, lang", [("वर्टेब्रोप्लास्टी किसी विभाग स्थिर", "hi"),
                                        ("يُدخل الطبيب إسمنتًا خاصًا للعظام على الأقل.", "ar")])
def test_hook_writes_the_text(tmp_path: Path, text: str, lang: str) -> None:
    """A page of shaped text read back by both extractors: the hook works with
    the WeasyPrint installed (the whole suite's PDFs say the same at length)."""
    loc = info(lang)
    page = (f'<html lang="{loc.tag}" dir="{loc.direction}"><head><title>t</title></head>'
            f"<body style='font-family: {loc.fonts}'><p>{text}</p></body></html>")
    (tmp_path / "t.pdf").write_bytes(pdf.render_pdf(page, ROOT / "templates",
                                                     [ROOT / "templates"]).pdf)
    assert b"/ActualText" in PdfReader(tmp_path / "t.pdf").pages[0].get_contents().get_data()
    fonts = subprocess.run(["pdffonts", str(tmp_path / "t.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert "Noto" in fonts and "DejaVu" not in fonts, fonts
    for extract in EXTRACTORS.values():
        assert normal(text) in normal(extract(tmp_path / "t.pdf"))


@pytest.mark.parametrize("paragraphs", [
    ["بعد مرور 24 ساعة على الأقل (عن NICE). اتصل بنا على الرقم {phone}، أو اتصل بالطبيب.",
     "في العظام المسماة من T1 إلى T12. ويمكن أن تحدث في العظام المسماة من L1 إلى L5."],
    ["لكن التجارب لا تؤيد ذلك.", "التي استخدمت إجراءً", "والدراسات التي لم تستخدم إجراءً"],
    ["تُسمّى عظام العمود الفقري الفقرات.", "ويُسمّى هذا <strong>كسرًا انضغاطيًا</strong>.",
     "<strong>مهم:</strong> رأب الفقرات ليس مناسبًا للجميع."],
    ["ما هو رأب الفقرات؟", "en:What is vertebroplasty?",
     "يُدخل الطبيب إسمنتًا خاصًا للعظام (إسمنت).", "en:you have a fever (a high temperature)",
     "وهي تنص على أن رأب الفقرات يُعرض فقط إذا تحققت كل هذه الشروط.", "en:(from NICE)."]],
    ids=["numbers-latin-phone", "mark-on-a-line-s-last-letter", "inline-elements",
         "english-in-arabic"])
def test_extractors_read_mixed_directions(tmp_path: Path, paragraphs: list[str]) -> None:
    """Right to left, with digits and Latin in the line: poppler orders a
    line's runs itself, and the spaces and punctuation next to digits and
    Latin, and at the end of English lines on a page read right to left, are
    where the text has them (the marks of `_rtl_neutral` and the
    left-to-right mark after an English line); MuPDF reads the runs in the
    order they are drawn (`_logical_order`), the mark on the letter that
    ends a line where its letter is (`_Line._carried`), a line of several
    text boxes (inline elements) as one (`_draw_inline_level`), and English
    punctuation drawn with glyphs first met in Arabic as English
    (`_Line._follow`)."""
    loc = info("ar")
    values = {"phone": "020 7946 0000"}
    body = "".join(f'<p lang="en" dir="ltr">{p[3:]}</p>' if p.startswith("en:") else
                   f"<p>{render.inline_html(p, values)}</p>" for p in paragraphs)
    page = (f'<html lang="{loc.tag}" dir="{loc.direction}"><head><title>t</title></head>'
            f"<body style='font-family: {loc.fonts}'>{body}</body></html>")
    (tmp_path / "t.pdf").write_bytes(pdf.render_pdf(page, ROOT / "templates",
                                                     [ROOT / "templates"]).pdf)
    for reader, extract in EXTRACTORS.items():
        got = normal(extract(tmp_path / "t.pdf"))
        for paragraph in paragraphs:
            assert _published(paragraph.removeprefix("en:"), values) in got, reader


# --- The tagged structure, read from the PDF ----------------------------------

def _elements(path: Path) -> list[tuple[str, dict, list[str]]]:
    """Every structure element: (role, the element, the roles of its element kids)."""
    root = PdfReader(path).trailer["/Root"]["/StructTreeRoot"].get_object()
    found: list[tuple[str, dict, list[str]]] = []

    def kids(element: dict) -> list[dict]:
        k = element.get("/K", [])
        k = k if isinstance(k, list) else [k]
        objects = [kid.get_object() for kid in k if hasattr(kid, "get_object")]
        return [kid for kid in objects if isinstance(kid, dict) and "/S" in kid]

    def walk(element: dict) -> None:
        children = kids(element)
        found.append((str(element["/S"]), element, [str(kid["/S"]) for kid in children]))
        for kid in children:
            walk(kid)

    for top in kids(root):
        walk(top)
    return found


@pytest.mark.parametrize("name, locale, edition, path", PDFS, ids=IDS)
def test_structure_headings_lists_figure_languages(
        real_build: Path, name: str, locale: str, edition: str, path: str) -> None:
    """One H1, an H2 per section and the sources; lists of items with bodies;
    the drawing a /Figure whose /Alt is its caption in the patient's language;
    passages in English marked so (the bilingual edition's English, the
    sources' titles, the draft notice's English)."""
    leaflet = content.load(ROOT / "content" / name, config.PLACEHOLDERS)
    elements = _elements(real_build / path)
    roles = [role for role, _, _ in elements]
    assert roles[0] == "/Document" and roles.count("/Document") == 1
    assert roles.count("/H1") == 1
    assert roles.count("/H2") == len(leaflet.sections) + 1
    lists = [kids for role, _, kids in elements if role == "/L"]
    groups = sum(1 for section in leaflet.sections
                 for kind, _ in render.group_blocks(section.blocks) if kind in ("item", "step"))
    assert len(lists) >= groups + 1 and all(kids and set(kids) == {"/LI"} for kids in lists)
    assert all("/LBody" in kids for role, _, kids in elements if role == "/LI")
    figures = [element for role, element, _ in elements if role == "/Figure"]
    captions = [block for _, block in leaflet.blocks() if block.kind == "figure"]
    values = _project().placeholder_values(name, locale)
    assert [normal(str(f.get("/Alt", ""))) for f in figures] == [
        _published(_catalog(locale, name)[block.id], values) for block in captions]
    english = [element for _, element, _ in elements
               if str(element.get("/Lang", "")) == "en" and element.get("/P") is not None
               and str(element["/P"].get_object().get("/Lang", "")) != "en"]
    if locale == config.SOURCE_LOCALE:
        assert english == []
    else:
        shown = len(leaflet.sources) + (
            sum(1 for _, b in leaflet.blocks() if b.kind != "figure") if edition == "bilingual"
            else 0)
        assert len(english) >= shown


def test_independent_checker_finds_nothing(real_build: Path) -> None:
    """A second opinion on PDF/UA-1: the `pdfua` package's machine-checkable
    rules (it implements a subset; veraPDF, the reference, needs a JVM and is
    not on PyPI), on every PDF."""
    import json
    import sys
    paths = [str(real_build / path) for path in IDS]
    out = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", *paths],
                         check=False, capture_output=True, text=True)
    reports, at, decoder = [], 0, json.JSONDecoder()   # one JSON object per file
    while out.stdout[at:].strip():
        report, at = decoder.raw_decode(out.stdout, at + len(out.stdout[at:]) -
                                        len(out.stdout[at:].lstrip()))
        reports.append(report)
    assert len(reports) == len(paths)
    findings = [(Path(r["file"]).relative_to(real_build).as_posix(), f["rule_id"], f["message"])
                for r in reports for f in r["findings"]]
    assert findings == []
