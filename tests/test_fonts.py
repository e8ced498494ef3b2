"""Every locale's PDF embeds fonts that cover its text; Chinese uses SC glyphs."""
from __future__ import annotations

from pathlib import Path

import pytest

from leaflet import checks
from leaflet.render import render_pdf

from .conftest import ROOT

LOCALES = ["en", "ar", "de", "es", "fr", "hi", "pl", "pt", "ru", "vi", "zh_Hans"]


@pytest.mark.parametrize("locale", LOCALES)
def test_embedded_fonts_cover_every_character(real_build: Path, locale: str) -> None:
    pdf = (real_build / locale / "vertebroplasty.pdf").read_bytes()
    assert checks.check_pdf_fonts(locale, "x.pdf", pdf) == []
    fonts, text = checks.pdf_fonts(pdf)
    assert len(text) > 1500 and fonts


def test_chinese_uses_simplified_chinese_font(real_build: Path) -> None:
    fonts, _ = checks.pdf_fonts((real_build / "zh_Hans" / "vertebroplasty.pdf").read_bytes())
    names = " ".join(fonts)
    assert "CJK-SC" in names and "CJK-JP" not in names


@pytest.mark.parametrize("locale, family", [("ar", "Naskh-Arabic"), ("hi", "Devanagari")])
def test_script_fonts_are_embedded(real_build: Path, locale: str, family: str) -> None:
    fonts, _ = checks.pdf_fonts((real_build / locale / "vertebroplasty.pdf").read_bytes())
    assert any(family in name for name in fonts)


def test_standard_pdfs_are_small(real_build: Path) -> None:
    sizes = {p.parent.name: p.stat().st_size for p in real_build.glob("*/vertebroplasty.pdf")}
    assert len(sizes) == len(LOCALES)
    assert max(sizes.values()) < 600_000, sizes


def test_missing_glyph_is_reported() -> None:
    """A character no installed font has (private use area) is caught."""
    html = ('<html lang="en"><head><title>t</title></head><body><p>A \ue000 B</p>'
            '</body></html>')
    _, notdef = render_pdf(html, ROOT / "templates", [ROOT / "templates"])
    assert notdef and "U+E000" in notdef[0]


def test_font_coverage_check_can_fail() -> None:
    """The cmap check itself: text whose characters no embedded font maps."""
    pdf = (ROOT / "tests" / "data" / "pdf" / "latin-font-with-cjk-text.pdf").read_bytes()
    (finding,) = checks.check_pdf_fonts("zh_Hans", "x.pdf", pdf)
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
    _, text = checks.pdf_fonts((real_build / locale / "vertebroplasty.pdf").read_bytes())
    flat = "".join(text.split())
    assert "Thistranslationisadraft." in flat
