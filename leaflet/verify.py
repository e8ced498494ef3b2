"""Checks of built outputs: every section in the HTML with text, a PDF bookmark
per section, and a glyph in an embedded font for every character drawn.

A finding with severity "error" keeps that output (and its locale) from being
published, as a translation check's does.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import cache
from html.parser import HTMLParser

from .model import ERROR, Finding, Leaflet
from .pdf import PdfFont, Rendered


class _Sections(HTMLParser):
    """The leaflet's sections in document order, and how much text each holds."""

    def __init__(self, ids: set[str]) -> None:
        super().__init__()
        self.ids = ids
        self.order: list[str] = []
        self.text: Counter[str] = Counter()
        self.stack: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            sid = dict(attrs).get("id")
            self.stack.append(sid if sid in self.ids else None)
            if sid is not None and sid in self.ids:
                self.order.append(sid)

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        current = next((s for s in reversed(self.stack) if s), None)
        if current and data.strip():
            self.text[current] += len(data.strip())


def check_html(locale: str, path: str, html: str, leaflet: Leaflet) -> list[Finding]:
    ids = [s.id for s in leaflet.sections]
    parser = _Sections(set(ids))
    parser.feed(html)
    found: list[Finding] = []
    if parser.order != ids:
        found.append(Finding(ERROR, "structure-html", locale, path, None, None,
                             f"sections in the HTML are {parser.order}, expected {ids}",
                             "this is a template bug: report it"))
    for sid in ids:
        if parser.text[sid] == 0:
            found.append(Finding(ERROR, "structure-empty", locale, path, None, sid,
                                 "section has no text", "translate its entries"))
    return found


def check_pdf_bookmarks(locale: str, path: str, titles: list[str], bookmarks: list[str]
                        ) -> list[Finding]:
    def norm(texts: list[str]) -> list[str]:   # WeasyPrint keeps no-break spaces
        return [" ".join(t.split()) for t in texts]
    if norm(bookmarks) == norm(titles):
        return []
    return [Finding(ERROR, "structure-pdf", locale, path, None, None,
                    f"PDF bookmarks {bookmarks} do not match the sections {titles}",
                    "this is a template bug: report it")]


@cache
def _installed_fonts() -> dict[str, tuple[str, int]]:
    """Installed fonts by normalised name (family + style) -> (file, face index)."""
    import subprocess
    out = subprocess.run(["fc-list", "--format", "%{family[0]}|%{style[0]}|%{file}|%{index}\n"],
                         capture_output=True, text=True, check=False).stdout
    fonts: dict[str, tuple[str, int]] = {}
    for line in out.splitlines():
        family, style, file, index = line.rsplit("|", 3)
        key = re.sub(r"[^a-z0-9]", "", (family + style).lower())
        key = key.removesuffix("regular").removesuffix("book")   # DejaVu's regular is Book
        fonts.setdefault(key, (file, int(index or 0)))
    return fonts


@cache
def _full_cmap(embedded_name: str) -> frozenset[int]:
    """Character map of the installed font an embedded subset was made from.

    A subset's own cmap lacks characters drawn only through shaped forms
    (Arabic joining, Devanagari conjuncts), so those are looked up here.
    """
    import uharfbuzz as hb
    key = re.sub(r"[^a-z0-9]", "", embedded_name.split("+", 1)[-1].lower())
    found = _installed_fonts().get(key)
    if not found:
        return frozenset()
    return frozenset(hb.Face(hb.Blob.from_file_path(found[0]), found[1]).unicodes)


def check_pdf_fonts(locale: str, path: str, fonts: dict[str, PdfFont]) -> list[Finding]:
    """Every character the pages draw has a glyph in an embedded font."""
    covered: set[int] = set().union(*(font.cmap for font in fonts.values()))
    needed = {c for font in fonts.values() for c in font.drawn if not c.isspace()}
    if any(ord(c) not in covered for c in needed):
        for name in fonts:
            covered |= _full_cmap(name)
    missing = sorted(c for c in needed if ord(c) not in covered)
    if not missing:
        return []
    return [Finding(ERROR, "font-coverage", locale, path, None, None,
                    "characters without a glyph in any embedded font: "
                    + " ".join(f"{c} (U+{ord(c):04X})" for c in missing[:10]),
                    "install the Noto font for this script (make build does it on Debian)")]


def check_pdf(locale: str, path: str, rendered: Rendered, titles: list[str]) -> list[Finding]:
    """Every check of one PDF: no character drawn as .notdef, every character
    covered by an embedded font, a bookmark for each of `titles`."""
    found = [Finding(ERROR, "font-notdef", locale, path, None, None,
                     f"no installed font has {text}", "install the Noto font for this script")
             for text in rendered.notdef]
    found += check_pdf_fonts(locale, path, rendered.fonts)
    return found + check_pdf_bookmarks(locale, path, titles, rendered.bookmarks)
