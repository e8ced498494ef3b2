"""End to end: English and French of the test project, and the publishing policy."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from pypdf import PdfReader

from leaflet import cli, config, content

from .conftest import DATA, po_path


class Sections(HTMLParser):
    """Section ids in document order, with the text inside each."""

    def __init__(self) -> None:
        super().__init__()
        self.order: list[str] = []
        self.text: dict[str, str] = {}
        self.html_attrs: dict[str, str | None] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_attrs = a
        if tag == "section":
            self._open.append(a.get("id"))
            if a.get("id"):
                self.order.append(a["id"])
                self.text[a["id"]] = ""

    def handle_endtag(self, tag):
        if tag == "section":
            self._open.pop()

    def handle_data(self, data):
        for sid in self._open:
            if sid:
                self.text[sid] += data


def parse_html(path: Path) -> Sections:
    parser = Sections()
    parser.feed(path.read_text("utf-8"))
    return parser


def build(root: Path, *extra: str) -> int:
    return cli.main(["--project", str(root), "build", "--jobs", "1", *extra])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    import shutil
    root = tmp_path_factory.mktemp("e2e") / "project"
    shutil.copytree(DATA / "project", root)
    assert build(root, "--edition", "standard") == 0
    return root


@pytest.mark.parametrize("locale, lang, heading", [("en", "en", "What happens"),
                                                   ("fr", "fr", "Ce qui se passe")])
def test_every_section_in_order_with_text(built: Path, locale: str, lang: str,
                                          heading: str) -> None:
    leaflet = content.load(built / "content" / "demo", config.PLACEHOLDERS)
    page = parse_html(built / "build" / locale / "demo.html")
    ids = [s.id for s in leaflet.sections]
    assert [s for s in page.order if s in ids] == ids
    assert all(page.text[s].strip() for s in ids)
    assert page.html_attrs["lang"] == lang and page.html_attrs["dir"] == "ltr"
    assert heading in page.text["what"]


@pytest.mark.parametrize("locale, titles", [
    ("en", ["What happens", "Getting help", "Sources of this information"]),
    ("fr", ["Ce qui se passe", "Obtenir de l'aide", "Sources de ces informations"])])
def test_pdf_bookmark_per_section(built: Path, locale: str, titles: list[str]) -> None:
    reader = PdfReader(built / "build" / locale / "demo.pdf")
    assert [o.title for o in reader.outline] == titles      # tagging, /Lang: test_pdf.py


def test_index_lists_languages_by_native_name(built: Path) -> None:
    index = (built / "build" / "index.html").read_text()
    assert 'href="fr/demo.html"' in index and 'href="en/demo.pdf"' in index
    assert ">Français</span>" in index


def status_row(root: Path, locale: str) -> str:
    """The text of one language's row of build/status.html."""
    page = (root / "build" / "status.html").read_text("utf-8")
    row = page[page.index(f'<tr id="{locale}">'):]
    return re.sub(r"<[^>]+>", " ", row[:row.index("</tr>")])


def test_status_page_shows_progress_and_publication(built: Path) -> None:
    row = " ".join(status_row(built, "fr").split())
    assert "Français (French) fr" in row
    strings = sum(len(polib.pofile(str(p))) for p in (built / "locales").glob("*.pot"))
    assert f"100 %: {strings}/{strings} strings" in row and "0 errors" in row
    assert "Yes" in row and "Draft: not reviewed" in row


def test_placeholders_filled_and_dates_localised(built: Path) -> None:
    fr = (built / "build" / "fr" / "demo.html").read_text()
    assert '<bdi dir="ltr">020 7946 0999</bdi>' in fr
    assert "15 janvier 2036" in fr           # review date, formatted by Babel for fr
    assert "{phone}" not in fr


def test_draft_notice_in_patient_language_and_english(built: Path) -> None:
    fr = (built / "build" / "fr" / "demo.html").read_text()
    assert "Cette traduction est une ébauche" in fr
    assert "This translation is a draft" in fr
    en = (built / "build" / "en" / "demo.html").read_text()
    assert "This translation is a draft" not in en


def test_second_build_rebuilds_nothing(built: Path) -> None:
    out = io.StringIO()
    files = {p: p.stat().st_mtime_ns for p in (built / "build").rglob("*") if p.is_file()}
    assert cli.main(["--project", str(built), "build", "--edition", "standard"], out) == 0
    assert re.search(r"built 0, up to date 2,", out.getvalue())
    after = {p: p.stat().st_mtime_ns for p in (built / "build").rglob("*") if p.is_file()
             and p.name != ".lock"}
    assert after == {p: t for p, t in files.items() if p.name != ".lock"}


def test_broken_locale_is_not_published_and_old_output_kept(project_dir: Path) -> None:
    assert build(project_dir, "--edition", "standard", "--format", "html") == 0
    published = project_dir / "build" / "fr" / "demo.html"
    good = published.read_bytes()
    fr = po_path(project_dir, "fr", "demo")
    fr.write_text(fr.read_text().replace("24 à 48 heures", "2 à 48 heures"))
    out = io.StringIO()
    code = cli.main(["--project", str(project_dir), "build", "--edition", "standard",
                     "--format", "html", "--jobs", "1"], out)
    assert code == 1
    assert "NOT PUBLISHED fr" in out.getvalue() and "numbers differ" in out.getvalue()
    assert published.read_bytes() == good                       # earlier good one stays
    assert (project_dir / "build" / "en" / "demo.html").is_file()  # others still built
    assert 'href="fr/' not in (project_dir / "build" / "index.html").read_text()
    row = " ".join(status_row(project_dir, "fr").split())
    assert "1 error" in row and "No" in row and "numbers differ from the English" in row


def test_draft_build_goes_to_drafts_with_watermark(project_dir: Path) -> None:
    fr = po_path(project_dir, "fr", "demo")
    fr.write_text(fr.read_text().replace('msgstr "Buvez de l\'eau."', 'msgstr ""'))
    assert build(project_dir, "--edition", "standard", "--format", "html", "-l", "fr") == 1
    assert not (project_dir / "build" / "fr" / "demo.html").exists()
    assert build(project_dir, "--edition", "standard", "--format", "html", "-l", "fr",
                 "--draft") == 0
    draft = (project_dir / "build" / "drafts" / "fr" / "demo.html").read_text()
    assert 'class="watermark"' in draft
    assert '<mark class="untranslated" lang="en">Drink water.</mark>' in draft


def test_hospital_names_per_language_and_english_side_in_english(project_dir: Path) -> None:
    def edit(path: Path, old: str, new: str) -> None:
        text = path.read_text("utf-8")
        assert old in text
        path.write_text(text.replace(old, new), "utf-8")
    edit(project_dir / "content" / "demo" / "leaflet.md", "Call {phone} if",
         "Call {department} on {phone} if")
    fr = po_path(project_dir, "fr", "demo")
    edit(fr, 'msgid "Call {phone} if', 'msgid "Call {department} on {phone} if')
    edit(fr, '"Appelez le {phone}', '"Appelez {department} au {phone}')
    (project_dir / "leaflet.toml").write_text(
        (project_dir / "leaflet.toml").read_text("utf-8")
        + '\n[hospital.fr]\ndepartment = "la consultation de test"\n', "utf-8")
    assert build(project_dir, "--edition", "standard,bilingual", "--format", "html") == 0
    out = project_dir / "build"
    assert "Appelez <bdi>la consultation de test</bdi> au" in (out / "fr/demo.html").read_text()
    bilingual = (out / "fr" / "demo.bilingual.html").read_text()
    assert "Appelez <bdi>la consultation de test</bdi>" in bilingual
    assert "Call <bdi>Test Clinic</bdi> on" in bilingual
    assert "Call <bdi>Test Clinic</bdi> on" in (out / "en" / "demo.html").read_text()
