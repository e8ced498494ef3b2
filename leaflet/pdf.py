"""PDF: WeasyPrint with a fetcher that serves only the project's own files,
post-processing (compact CJK fonts), and the facts the output checks read.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .errors import RenderError

log = logging.getLogger("leaflet.fetch")


# --- rendering ----------------------------------------------------------------
class ProjectFetcher:
    """Serves files below the allowed folders; refuses and logs everything else."""

    def __init__(self, allowed: list[Path]) -> None:
        from weasyprint.urls import URLFetcher  # imported only when rendering PDF

        class _Fetcher(URLFetcher):
            def fetch(inner, url: str, headers: Any = None):  # noqa: N805
                return self.fetch(url, inner)

        self.allowed = [p.resolve() for p in allowed]
        self.weasy = _Fetcher(allowed_protocols=("file",))

    def fetch(self, url: str, weasy: Any) -> Any:
        from urllib.request import url2pathname

        from weasyprint.urls import URLFetcherResponse
        if url.startswith("file://"):
            path = Path(url2pathname(url.removeprefix("file://").split("?")[0])).resolve()
            if any(path.is_relative_to(root) for root in self.allowed) and path.is_file():
                return URLFetcherResponse(url, path.read_bytes())
        log.warning("refused to fetch %s", url[:200])
        raise ValueError(f"leaflet refuses to fetch {url[:200]}")


class _Notdef(logging.Handler):
    """Collects WeasyPrint's warnings about characters no font could draw."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.missing: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if ".notdef" in record.getMessage():
            self.missing.append(record.getMessage().split(":", 1)[-1].strip())


@cache
def _font_config():
    """One font configuration per process: fontconfig set up and caches warm once."""
    from weasyprint.text.fonts import FontConfiguration
    return FontConfiguration()


@dataclass
class Rendered:
    pdf: bytes
    notdef: list[str]                       # characters no font had (drawn as .notdef)
    bookmarks: list[str] = field(default_factory=list)
    fonts: dict[str, PdfFont] = field(default_factory=dict)


def render_pdf(html: str, base: Path, allowed: list[Path]) -> Rendered:
    """The PDF, with what the checks need to know about it."""
    import weasyprint

    from . import pdftext
    from .cidfonts import compact_cid_fonts
    pdftext.install()
    fetcher = ProjectFetcher(allowed)
    notdef = _Notdef()
    out = Rendered(b"", notdef.missing)

    def finish(document, pdf) -> None:
        compact_cid_fonts(document, pdf)
        pdftext.mark_languages(pdf)
        pdftext.fix_list_items(pdf)
        out.bookmarks, out.fonts = pdf_facts(pdf)

    logger = logging.getLogger("weasyprint")
    logger.addHandler(notdef)
    try:
        doc = weasyprint.HTML(string=html, base_url=str(base), url_fetcher=fetcher.weasy)
        with pdftext.drawing(bool(_RTL.search(html[:2000])),
                             pdftext.shaped(_NOT_PRINTED.sub("", html))):
            out.pdf = doc.write_pdf(pdf_variant="pdf/ua-1", attachments=[],
                                    font_config=_font_config(), finisher=finish)
    except Exception as exc:
        raise RenderError(f"WeasyPrint failed: {exc}") from exc
    finally:
        logger.removeHandler(notdef)
    return out


# --- what the output checks read ------------------------------------------------
@dataclass(frozen=True)
class PdfFont:
    cmap: frozenset[int]   # code points of the embedded program's own character map
    drawn: str             # what its glyphs on the pages stand for (its ToUnicode map)


_RTL = re.compile(r"<html\b[^>]*\sdir=\"rtl\"")    # the document's base direction
# What the print CSS hides (the links to the other languages, each named in its
# own script); should the template change, more text is looked at, no less.
_NOT_PRINTED = re.compile(r'<nav class="languages".*?</nav>', re.S)
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9a-fA-F]*)>")


def _to_unicode(cmap: bytes) -> str:
    """The text of a ToUnicode CMap's entries (bfchar, and bfrange with one start)."""
    text = []
    for block in _BFCHAR.findall(cmap):
        text += [bytes.fromhex(h.decode()).decode("utf-16-be", "replace")
                 for h in _HEX.findall(block)[1::2]]
    for block in _BFRANGE.findall(cmap):
        values = [int(h or b"0", 16) for h in _HEX.findall(block)]
        for lo, hi, first in zip(values[::3], values[1::3], values[2::3], strict=False):
            text += [chr(first + i) for i in range(hi - lo + 1) if first + i < 0x110000]
    return "".join(text)


def pdf_font(to_unicode: bytes, program: bytes | None) -> PdfFont:
    """An embedded font from its ToUnicode CMap and its font program."""
    import uharfbuzz as hb  # reads a cmap 100 times faster than fontTools
    cmap = hb.Face(program).unicodes if program else ()   # a bare CFF program has none
    return PdfFont(frozenset(cmap), _to_unicode(to_unicode))


def pdf_facts(pdf) -> tuple[list[str], dict[str, PdfFont]]:
    """Bookmark titles and embedded fonts (by name) of a PDF WeasyPrint is writing.

    Read from its objects by a finisher, just before they are written: parsing
    the file again (its tagged structure is large) took longer than the checks.
    What the pages draw is each font's ToUnicode map, not the pages' text.
    """
    def get(ref: bytes):                    # pydyf numbers objects by position
        return pdf.objects[int(ref.split()[0])]

    def data(stream) -> bytes:
        return b"\n".join(x if isinstance(x, bytes) else str(x).encode() for x in stream.stream)

    fonts: dict[str, PdfFont] = {}
    for font in pdf.objects:
        if isinstance(font, dict) and font.get("Type") == "/Font" and "ToUnicode" in font:
            desc = get(font["DescendantFonts"][0]) if "DescendantFonts" in font else font
            fd = get(desc["FontDescriptor"]) if "FontDescriptor" in desc else {}
            program = next((data(get(fd[k])) for k in ("FontFile2", "FontFile3", "FontFile")
                            if k in fd), None)
            name = font["BaseFont"]
            fonts[name.decode() if isinstance(name, bytes) else name] = pdf_font(
                data(get(font["ToUnicode"])), program)
    titles = []
    item = get(get(pdf.catalog["Outlines"])["First"]) if "Outlines" in pdf.catalog else None
    while item is not None:
        titles.append(item["Title"].string)
        item = get(item["Next"]) if "Next" in item else None
    return titles, fonts
