"""Every published PDF of the real project, each locale and edition: tagged, in
the patient's language, titled, a bookmark per section, fonts embedded, pages
numbered in the patient's language. (Which fonts, and that they cover the
text: test_fonts.py.)"""
from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import polib
import pytest
from pypdf import PdfReader
from pypdf.generic import BooleanObject, DictionaryObject

from leaflet import config, content
from leaflet.lang import info

from .conftest import ROOT, po_path, real_outputs

PDFS = real_outputs("pdf")
IDS = [path for *_, path in PDFS]
# Text pulled out of a PDF is compared without spaces (line breaks and bidi
# runs move them) and bidi controls (pdftotext marks right-to-left runs).
_NOISE = re.compile(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@cache
def _leaflet(name: str):
    return content.load(ROOT / "content" / name, config.PLACEHOLDERS)


@cache
def _catalog(locale: str, domain: str) -> dict[str, str]:
    """msgctxt -> the text as published in this locale (English: the msgid)."""
    if locale == config.SOURCE_LOCALE:
        return {e.msgctxt: e.msgid for e in polib.pofile(str(ROOT / "locales" / f"{domain}.pot"))}
    po = polib.pofile(str(po_path(ROOT, locale, domain)))
    return {e.msgctxt: e.msgstr for e in po if not e.obsolete}


def _text(locale: str, domain: str, context: str) -> str:
    plain = re.sub(r"</?strong>", "", _catalog(locale, domain)[context])
    return " ".join(plain.split())


@cache
def _reader(path: Path) -> PdfReader:
    return PdfReader(path)


def _fonts(resources: DictionaryObject):
    """Every font of these resources and of the forms (XObjects) they use."""
    for ref in resources.get("/Font", {}).values():
        yield ref.get_object()
    for ref in resources.get("/XObject", {}).values():
        form = ref.get_object()
        if "/Resources" in form:
            yield from _fonts(form["/Resources"].get_object())


def _embedded(font: DictionaryObject) -> bool:
    if font["/Subtype"] == "/Type3":      # glyphs drawn in the PDF itself
        return True
    desc = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
    fd = desc.get("/FontDescriptor")
    return fd is not None and any(k in fd.get_object()
                                  for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_every_locale_and_edition_has_a_pdf(real_build: Path) -> None:
    found = sorted(str(p.relative_to(real_build)) for p in real_build.rglob("*.pdf"))
    assert found == sorted(IDS)


@pytest.mark.parametrize("name, locale, edition, path", PDFS, ids=IDS)
def test_pdf_is_tagged_in_the_patients_language_with_a_title(
        real_build: Path, name: str, locale: str, edition: str, path: str) -> None:
    reader = _reader(real_build / path)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, "not a tagged PDF"
    assert root["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert root["/Lang"] == info(locale).tag
    assert reader.metadata.title == _text(locale, name, _leaflet(name).title.id)


@pytest.mark.parametrize("name, locale, edition, path", PDFS, ids=IDS)
def test_pdf_has_one_bookmark_per_section_in_order(
        real_build: Path, name: str, locale: str, edition: str, path: str) -> None:
    wanted = [_text(locale, name, s.id) for s in _leaflet(name).sections]
    wanted.append(_text(locale, "ui", "ui.sources.heading"))
    outline = _reader(real_build / path).outline
    assert [" ".join(o.title.split()) for o in outline] == wanted


@pytest.mark.parametrize("name, locale, edition, path", PDFS, ids=IDS)
def test_pdf_embeds_every_font(real_build: Path, name: str, locale: str, edition: str,
                               path: str) -> None:
    fonts = {str(f["/BaseFont"]): f for page in _reader(real_build / path).pages
             for f in _fonts(page["/Resources"])}
    assert fonts
    assert [n for n, f in fonts.items() if not _embedded(f)] == []


@pytest.mark.parametrize("name, locale, edition, path", PDFS, ids=IDS)
def test_pdf_numbers_pages_in_the_patients_language(
        real_build: Path, name: str, locale: str, edition: str, path: str) -> None:
    """'Page N of M' translated, in the bottom margin on the side where lines end
    (right; left for right-to-left), on every page."""
    reader = _reader(real_build / path)
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    margin = 18 / 25.4 * 72 + 1                # the bottom margin, leaflet.css.j2
    x = 0 if info(locale).direction == "rtl" else width / 2
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-x", str(int(x)),
                          "-y", str(int(height - margin)), "-W", str(int(width / 2)),
                          "-H", str(int(margin) + 1), str(real_build / path), "-"],
                         capture_output=True, text=True, check=True).stdout
    corners = out.split("\f")[:-1]
    assert len(corners) == len(reader.pages) > 1
    footer = _text(locale, "ui", "ui.footer.page")
    for number, text in enumerate(corners, 1):
        expected = footer.format(page=number, pages=len(corners))
        assert _NOISE.sub("", expected) in _NOISE.sub("", text), f"page {number}: {expected}"


def test_font_check_finds_a_font_not_embedded(tmp_path: Path) -> None:
    """The check itself: a PDF naming Helvetica without embedding it."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject
    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    helvetica = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                                  NameObject("/Subtype"): NameObject("/Type1"),
                                  NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): helvetica})})
    writer.write(tmp_path / "x.pdf")
    (font,) = _fonts(PdfReader(tmp_path / "x.pdf").pages[0]["/Resources"])
    assert not _embedded(font)
