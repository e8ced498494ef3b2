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

from leaflet import config, content, pdftext, render
from leaflet.build import Project
from leaflet.lang import info

from .conftest import ROOT, po_path, real_outputs

PDFS = real_outputs("pdf")
IDS = [path for *_, path in PDFS]
MARGIN = 18 / 25.4 * 72            # the bottom page margin (leaflet.css.j2): the footer
SHARES: dict[str, dict[str, tuple[int, int]]] = {}      # path -> extractor -> (intact, all)
# Bidi controls (pdftotext marks right-to-left runs; the text layer marks
# punctuation in Arabic lines as right-to-left) and soft hyphens are not text.
_INVISIBLE = re.compile(r"[\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_MARKER = re.compile(r"^[ \t]*(?:•|\d{1,2}\.|\.\d{1,2})[ \t]*$", re.M)


def normal(text: str) -> str:
    """Whitespace as one space, none where lines break between CJK characters
    or after a slash or hyphen; a word hyphenated at a line end joined again."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    text = re.sub(r"\u2010\s*\n\s*", "", text)
    text = re.sub(r"(?<=[/\-\u2011])[ \t]*\n\s*", "", text)
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
    page.feed((build / locale / render_name(name, edition)).read_text("utf-8"))
    shown = normal(" ".join(page.parts))
    for key, text in _catalog(locale, "ui").items():
        text = _published(text, values)
        if "{" not in _catalog(config.SOURCE_LOCALE, "ui").get(key, "{") and text in shown:
            want[f"ui:{key}"] = text
    return {key: text for key, text in want.items() if text}


def render_name(name: str, edition: str) -> str:
    from leaflet.build import output_name
    return output_name(name, edition, "html")


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
    page's markers first, and MuPDF reads them so, in the middle of a block
    that runs on from the page before."""
    got = normal(_MARKER.sub("", text))
    return [key for key, block in want.items() if block not in got]


@pytest.mark.parametrize("name, locale, edition, path", PDFS, ids=IDS)
def test_extractors_read_every_block(real_build: Path, name: str, locale: str, edition: str,
                                     path: str) -> None:
    want = expected(real_build, name, locale, edition)
    assert len(want) > 50
    failures = {}
    for label, extract in EXTRACTORS.items():
        bad = broken(want, extract(real_build / path))
        SHARES.setdefault(path, {})[label] = (len(want) - len(bad), len(want))
        if bad:
            failures[label] = [f"{key}: {want[key][:60]}" for key in bad[:5]]
    assert failures == {}


def test_print_shares() -> None:
    """The share of intact blocks per locale, edition and extractor (run with -s)."""
    rows = [f"{'PDF':36} {'poppler':>15} {'MuPDF':>15}"]
    for path, found in sorted(SHARES.items()):
        cells = [f"{100 * a / b:5.1f}% ({a}/{b})" for a, b in (found.get(label, (0, 1))
                                                              for label in EXTRACTORS)]
        rows.append(f"{path:36} {cells[0]:>15} {cells[1]:>15}")
    print("\nintact blocks\n" + "\n".join(rows))


def test_weasyprint_is_the_one_the_hook_was_written_for() -> None:
    """leaflet/pdftext.py relies on internals of one WeasyPrint version; a
    new one (or a changed draw_first_line) must be checked before it is used."""
    assert pdftext.check_weasyprint() == []


@pytest.mark.parametrize("text, lang", [("वर्टेब्रोप्लास्टी किसी विभाग स्थिर", "hi"),
                                        ("يُدخل الطبيب إسمنتًا خاصًا للعظام.", "ar")])
def test_hook_writes_the_text(tmp_path: Path, text: str, lang: str) -> None:
    """A page of shaped text read back by both extractors: the hook works with
    the WeasyPrint installed (the whole suite's PDFs say the same at length)."""
    loc = info(lang)
    page = (f'<html lang="{loc.tag}" dir="{loc.direction}"><head><title>t</title></head>'
            f'<body style="font-family: {loc.fonts}"><p>{text}</p></body></html>')
    pdf = render.render_pdf(page, ROOT / "templates", [ROOT / "templates"]).pdf
    (tmp_path / "t.pdf").write_bytes(pdf)
    assert b"/ActualText" in PdfReader(tmp_path / "t.pdf").pages[0].get_contents().get_data()
    for extract in EXTRACTORS.values():
        assert normal(text) in normal(extract(tmp_path / "t.pdf"))
