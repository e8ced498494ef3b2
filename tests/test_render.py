"""Rendering is safe with hostile translations; WeasyPrint fetches nothing outside."""
from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

from leaflet import cli
from leaflet.pdf import render_pdf
from leaflet.render import css_counter_text, css_string, inline_html

from .conftest import ROOT, po_path, watching

HOSTILE = {
    "what.item-a": 'Buvez <img src="file:///etc/passwd"> de l\'eau.',
    "what.item-b": "Marchez <script>alert(1)</script> un peu.",
    "help.call": 'Appelez <a href="javascript:alert(1)">le</a> {phone}.',
    "help.figure": "<style>body{background:url(file:///etc/passwd)}</style> Un dessin.",
}


def test_inline_html_escapes_everything_but_strong() -> None:
    html = str(inline_html('<strong>a</strong> <b>x</b> <strong onclick="y">z</strong> {phone}',
                           {"phone": "<i>1</i>"}))
    assert html == ('<strong>a</strong> &lt;b&gt;x&lt;/b&gt; &lt;strong onclick=&#34;y&#34;'
                    '&gt;z&lt;/strong&gt; <bdi>&lt;i&gt;1&lt;/i&gt;</bdi>')
    assert str(inline_html("<strong>open", {})) == "<strong>open</strong>"
    assert str(inline_html("</strong>x", {})) == "&lt;/strong&gt;x"


def test_a_value_without_letters_reads_left_to_right() -> None:
    """A phone number in Arabic text must not show its groups reversed."""
    assert str(inline_html("{phone}", {"phone": "020 7946 0000"})) == \
        '<bdi dir="ltr">020 7946 0000</bdi>'
    assert str(inline_html("{name}", {"name": "مستشفى المثال"})) == "<bdi>مستشفى المثال</bdi>"


def test_css_strings_cannot_escape() -> None:
    assert css_string('a"</style>') == '"a\\22 \\3c \\2f style\\3e "'
    assert css_counter_text("Page {page} of {pages}") == \
        '"Page " counter(page) " of " counter(pages)'


def test_hostile_translations_in_a_draft_build_leak_nothing(project_dir: Path, caplog) -> None:
    path = po_path(project_dir, "fr", "demo")
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgctxt in HOSTILE:
            entry.msgstr = HOSTILE[entry.msgctxt]
    po.save(str(path))
    with caplog.at_level(logging.WARNING, logger="leaflet.fetch"):
        assert cli.main(["--project", str(project_dir), "build", "-l", "fr", "--draft",
                         "--edition", "standard", "--jobs", "1"]) == 0
    out = project_dir / "build" / "drafts" / "fr"
    html = (out / "demo.html").read_text()
    for needle in ("<img", "<script", 'href="javascript', "<style>body{background"):
        assert needle not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html     # shown as inert text
    pdf = (out / "demo.pdf").read_bytes()
    passwd = Path("/etc/passwd").read_bytes()
    first_line = passwd.splitlines()[0]
    assert first_line not in pdf and first_line not in html.encode()
    assert [r for r in caplog.records if r.name == "leaflet.fetch"] == []  # nothing tried


def test_fetcher_refuses_and_logs_everything_outside_assets(tmp_path: Path, caplog) -> None:
    assets = ROOT / "templates"
    html = ('<html lang="en"><head><title>t</title><link rel="stylesheet" '
            'href="https://example.org/x.css"></head><body><h1>x</h1>'
            '<img src="file:///etc/passwd" alt="x"><img src="/dev/zero" alt="y">'
            '<p style="background: url(file:///etc/hostname)">p</p></body></html>')
    with caplog.at_level(logging.WARNING, logger="leaflet.fetch"):
        pdf = render_pdf(html, assets, [assets]).pdf
    refused = " ".join(r.getMessage() for r in caplog.records if r.name == "leaflet.fetch")
    for url in ("https://example.org/x.css", "file:///etc/passwd", "/dev/zero",
                "file:///etc/hostname"):
        assert url in refused
    assert pdf.startswith(b"%PDF")


def test_fetcher_serves_project_assets(tmp_path: Path, caplog) -> None:
    (tmp_path / "dot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" '
                                      'height="4"><rect width="4" height="4"/></svg>')
    html = '<html lang="en"><head><title>t</title></head><body><img src="dot.svg" alt="d"></body></html>'
    with caplog.at_level(logging.WARNING, logger="leaflet.fetch"):
        render_pdf(html, tmp_path, [tmp_path])
    assert not [r for r in caplog.records if r.name == "leaflet.fetch"]


@pytest.mark.parametrize("locale, lang, direction", [("ar", "ar", "rtl"),
                                                     ("zh_Hans", "zh-Hans", "ltr")])
def test_lang_and_dir_from_babel(project_dir: Path, locale: str, lang: str,
                                 direction: str) -> None:
    assert cli.main(["--project", str(project_dir), "init", "-l", locale]) == 0
    assert cli.main(["--project", str(project_dir), "preview", "-l", locale]) == 0
    html = (project_dir / "build" / "drafts" / locale / "demo.html").read_text()
    assert f'<html lang="{lang}" dir="{direction}">' in html


def test_preview_watch_rebuilds_when_the_catalog_is_saved(project_dir: Path) -> None:
    page = project_dir / "build" / "drafts" / "fr" / "demo.html"
    po = project_dir / "locales" / "fr" / "LC_MESSAGES" / "demo.po"
    with watching(project_dir, "preview", "-l", "fr") as watch:
        assert not [x for x in watch.until("watching") if "error" in x]
        assert "Marchez un peu chaque jour." in page.read_text("utf-8")
        po.write_text(po.read_text("utf-8").replace("un peu chaque jour", "un peu tous les jours"),
                      "utf-8")
        assert not [x for x in watch.until("watching") if "error" in x]   # rebuilt, watching
        assert "Marchez un peu tous les jours." in page.read_text("utf-8")


class _Lang(HTMLParser):
    """Each text and attribute of a page with its language and whether it is
    inside a <mark class="untranslated">."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None, bool]] = []   # (tag, lang, marked)
        self.texts: list[tuple[str, str | None, bool]] = []
        self.attrs: list[tuple[str, str, str | None]] = []      # (tag, value, lang)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        lang = a.get("lang", self.stack[-1][1] if self.stack else None)
        marked = (tag == "mark" and "untranslated" in (a.get("class") or "")) or bool(
            self.stack and self.stack[-1][2])
        for key in ("content", "aria-label"):
            if a.get(key):
                self.attrs.append((tag, a[key], lang))
        if tag not in ("meta", "link", "br", "img"):   # void: never closed
            self.stack.append((tag, lang, marked))

    def handle_startendtag(self, tag: str, attrs: list) -> None:   # <rect ... />
        self.handle_starttag("br", attrs)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if data.strip() and self.stack[-1][0] not in ("style", "script"):
            self.texts.append((" ".join(data.split()), *self.stack[-1][1:]))


def test_a_preview_marks_every_untranslated_string_as_english(project_dir: Path) -> None:
    """UI strings and the sources' descriptions as well as leaflet blocks: the
    English of each untranslated entry is inside lang="en" wherever it is, with
    the visible mark where it shows; in an attribute, the element is lang="en"
    and the page lists it."""
    drafts = Path(__file__).parent / "data" / "drafts"
    for domain in ("demo", "ui"):
        po_path(project_dir, "fr", domain).write_bytes(
            (drafts / f"fr-{domain}-partial.po").read_bytes())
    assert cli.main(["--project", str(project_dir), "preview", "-l", "fr"]) == 0
    html = (project_dir / "build" / "drafts" / "fr" / "demo.html").read_text("utf-8")
    page = _Lang()
    page.feed(html)
    assert '<html lang="fr"' in html and not page.stack   # every element closed
    gaps = [e for domain in ("demo", "ui")   # a draft notice, not a sign-off
            for e in polib.pofile(str(drafts / f"fr-{domain}-partial.po"))
            if not e.msgstr and e.msgctxt != "ui.review.signed"]
    assert len(gaps) == 18
    for e in gaps:
        # the English without its placeholders: what the page shows of it
        parts = [p for p in re.split(r"\{[a-z_]+\}|</?strong>", e.msgid) if len(p.strip()) > 2]
        shown = [(t, lang, marked) for t, lang, marked in page.texts
                 if any(p.strip() in t for p in parts)]
        attrs = [(tag, lang) for tag, value, lang in page.attrs if value == e.msgid]
        assert shown or attrs or e.msgctxt == "ui.footer.page", e.msgctxt   # in the PDF only
        for text, lang, _ in shown:
            assert lang == "en", (e.msgctxt, text)
        assert not shown or any(marked for *_, marked in shown), e.msgctxt   # visibly
        for tag, lang in attrs:
            assert lang == "en", (e.msgctxt, tag)
    listed = html[html.index('<aside class="untranslated-list"'):]
    for e in gaps:
        if e.msgctxt.startswith(("ui.", "figure.")):
            assert f"({e.msgctxt})" in listed
    for e in polib.pofile(str(drafts / "fr-ui-partial.po")):   # translated: not listed
        if e.msgstr:
            assert f"({e.msgctxt})" not in listed
