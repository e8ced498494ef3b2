"""Rendering is safe with hostile translations; WeasyPrint fetches nothing outside."""
from __future__ import annotations

import logging
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
