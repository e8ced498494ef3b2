"""Every locale's PDF embeds fonts that cover its text; Chinese uses SC glyphs."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from leaflet.pdf import PdfFont, pdf_font, render_pdf
from leaflet.verify import check_pdf_fonts

from .conftest import ROOT

LOCALES = ["en", "ar", "de", "es", "fr", "hi", "pl", "pt_BR", "ru", "vi", "zh_Hans"]


def paged_html(build: Path, locale: str) -> str:
    """The published HTML with the PDF-only CSS added, as the build gives WeasyPrint."""
    from leaflet.lang import info
    from leaflet.render import environment
    css = environment(ROOT / "templates").get_template("paged.css.j2").render(loc=info(locale))
    html = (build / locale / "vertebroplasty.html").read_text()
    return html.replace("</style>", css + "</style>", 1)


def pdf_text(pdf: Path) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def read_pdf(pdf: bytes) -> tuple[list[str], dict[str, PdfFont]]:
    """What the build's checks see, read back from the written file with pypdf."""
    reader = PdfReader(io.BytesIO(pdf))
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            desc = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            fd = desc["/FontDescriptor"].get_object()
            program = next((fd[k].get_object().get_data() for k in ("/FontFile2", "/FontFile3")
                            if k in fd), None)
            fonts[str(font["/BaseFont"])] = pdf_font(
                font["/ToUnicode"].get_object().get_data(), program)
    return [item.title for item in reader.outline if not isinstance(item, list)], fonts


@pytest.mark.parametrize("locale", LOCALES)
def test_embedded_fonts_cover_every_character(real_build: Path, locale: str) -> None:
    pdf = real_build / locale / "vertebroplasty.pdf"
    _, fonts = read_pdf(pdf.read_bytes())
    assert check_pdf_fonts(locale, "x.pdf", fonts) == []
    drawn = {c for font in fonts.values() for c in font.drawn}
    assert set(pdf_text(pdf)) - {"\n", " "} <= drawn and len(pdf_text(pdf)) > 1500


def test_chinese_uses_simplified_chinese_font(real_build: Path) -> None:
    _, fonts = read_pdf((real_build / "zh_Hans" / "vertebroplasty.pdf").read_bytes())
    names = " ".join(fonts)
    assert "CJK-SC" in names and "CJK-JP" not in names


@pytest.mark.parametrize("locale, family", [("ar", "Naskh-Arabic"), ("hi", "Devanagari")])
def test_script_fonts_are_embedded(real_build: Path, locale: str, family: str) -> None:
    _, fonts = read_pdf((real_build / locale / "vertebroplasty.pdf").read_bytes())
    assert any(family in name for name in fonts)


def test_standard_pdfs_are_small(real_build: Path) -> None:
    sizes = {p.parent.name: p.stat().st_size for p in real_build.glob("*/vertebroplasty.pdf")}
    assert len(sizes) == len(LOCALES)
    assert max(sizes.values()) < 200_000, sizes


@pytest.mark.parametrize("locale", ["zh_Hans", "ar", "hi"])
def test_checks_see_what_the_file_holds(real_build: Path, locale: str) -> None:
    """The facts the checks take from WeasyPrint's objects, and the written file, agree."""
    done = render_pdf(paged_html(real_build, locale), ROOT / "templates", [ROOT / "templates"])
    assert (done.bookmarks, done.fonts) == read_pdf(done.pdf)
    assert len(done.bookmarks) > 5 and len(done.fonts) > 2


def test_compact_chinese_fonts_draw_the_same_glyphs(real_build: Path, tmp_path: Path) -> None:
    """The compact CJK embedding (bare CFF, glyphs renumbered, CIDs kept) looks the
    same in poppler as WeasyPrint's own embedding (every glyph at its old id)."""
    import subprocess

    import weasyprint
    html = paged_html(real_build, "zh_Hans")
    plain = weasyprint.HTML(string=html, base_url=str(ROOT / "templates")).write_pdf(
        pdf_variant="pdf/ua-1")
    pages = {}
    built = render_pdf(html, ROOT / "templates", [ROOT / "templates"]).pdf
    for name, pdf in (("plain", plain), ("built", built)):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "40", "-gray", f"{name}.pdf", name], cwd=tmp_path,
                       check=True)
        pages[name] = [p.read_bytes() for p in sorted(tmp_path.glob(f"{name}-*.pgm"))]
    assert len(plain) > 300_000 and pages["built"] and pages["built"] == pages["plain"]


def test_missing_glyph_is_reported() -> None:
    """A character no installed font has (private use area) is caught."""
    html = ('<html lang="en"><head><title>t</title></head><body><p>A \ue000 B</p>'
            '</body></html>')
    notdef = render_pdf(html, ROOT / "templates", [ROOT / "templates"]).notdef
    assert notdef and "U+E000" in notdef[0]


def test_font_coverage_check_can_fail() -> None:
    """The cmap check itself: text whose characters no embedded font maps."""
    pdf = (ROOT / "tests" / "data" / "pdf" / "latin-font-with-cjk-text.pdf").read_bytes()
    (finding,) = check_pdf_fonts("zh_Hans", "x.pdf", read_pdf(pdf)[1])
    assert finding.code == "font-coverage"


@pytest.mark.parametrize("locale", LOCALES[1:])
def test_unreviewed_translation_shows_draft_notice(real_build: Path, locale: str) -> None:
    """Every unsigned locale says so in HTML and PDF, in its language and English."""
    import polib
    notice = next(e.msgstr for e in polib.pofile(str(
        ROOT / "locales" / locale / "LC_MESSAGES" / "ui.po")) if e.msgctxt == "ui.review.draft")
    from html import unescape
    html = unescape((real_build / locale / "vertebroplasty.html").read_text())
    assert notice in html and "This translation is a draft." in html
    flat = "".join(pdf_text(real_build / locale / "vertebroplasty.pdf").split())
    assert "Thistranslationisadraft." in flat
