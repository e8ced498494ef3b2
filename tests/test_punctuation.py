"""No published page shows doubled punctuation.

A translation can double a mark without any single catalog entry looking
wrong: Russian long dates end in "г." (Babel: "21 ноября 2028 г."), so a
sentence "... {review_date}." shows "г.."; a placeholder or tag at the end of
a sentence can do the same in any language. This reads the visible text of
every HTML page the real project publishes (every leaflet, shipped locale and
edition: standard, large, bilingual) and rejects those sequences.

The English does not use an ellipsis, so "..." is rejected too.
"""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from leaflet import cli

from .conftest import ROOT, real_outputs

# Two marks that never follow each other in running text (whitespace between
# them, ordinary, no-break or narrow no-break, counts as nothing).
DOUBLED = re.compile(r"\.\s*\.|,\s*,|!\s*!|;\s*;|:\s*\.|\.\s*,|,\s*\.|;\s*\.|\?\s*\.|!\s*\.")

# Inline elements: their text runs on with the text around them. Any other tag
# is a boundary (a paragraph, list item, heading, cell ...).
INLINE = {"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "em", "i", "q",
          "small", "span", "strong", "sub", "sup", "time", "u", "wbr"}
HIDDEN = {"head", "script", "style", "template", "noscript"}

PAGES = real_outputs("html")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        elif tag not in INLINE:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag not in INLINE:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text a reader sees, one block per line, whitespace collapsed."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    blocks = (re.sub(r"\s+", " ", b).strip() for b in "".join(parser.parts).split("\n"))
    return "\n".join(b for b in blocks if b)


def doubled(text: str) -> list[str]:
    """Every doubled mark in text, each with some words around it."""
    found = []
    for line in text.splitlines():
        for m in DOUBLED.finditer(line):
            found.append(line[max(0, m.start() - 40):m.end() + 20])
    return found


def test_detector() -> None:
    assert doubled("Мы пересмотрим его до 21 ноября 2028\u202fг..")
    assert doubled("Fin. .") and doubled("a,, b") and doubled("Ja!!") and doubled("x;; y")
    assert doubled("Wichtig:.") and doubled("am 3., dann") and doubled("Suite...")
    assert doubled("rappel , .")
    assert not doubled("Version 1.0, publiée le 21 novembre 2026. Relecture : 2028.")
    assert not doubled("ноября 2028\u202fг. Мы пересмотрим")
    assert not doubled("T1 to T12. L1 to L5.")
    assert visible_text("<p>Fin.</p><p>. Début</p>") == "Fin.\n. Début"
    assert visible_text("<p><strong>Pain relief:</strong> medicines.</p>") == \
        "Pain relief: medicines."
    assert visible_text("<head><title>a..b</title></head><body><p>ok</p></body>") == "ok"


@pytest.fixture(scope="module")
def html_build(tmp_path_factory) -> Path:
    """build/ of a copy of the real project, HTML of every leaflet, locale and
    edition. A locale whose catalogs fail the checks is refused and has no
    pages: its tests fail with "not built"."""
    root = tmp_path_factory.mktemp("punct") / "repo"
    for part in ("content", "templates", "locales"):
        shutil.copytree(ROOT / part, root / part)
    shutil.copy(ROOT / "leaflet.toml", root / "leaflet.toml")
    cli.main(["--project", str(root), "build", "--format", "html", "--jobs", "2"])
    return root / "build"


@pytest.mark.parametrize("leaflet,locale,edition,path", PAGES,
                         ids=[p for *_, p in PAGES])
def test_no_doubled_punctuation(html_build: Path, leaflet: str, locale: str,
                                edition: str, path: str) -> None:
    page = html_build / path
    assert page.is_file(), (f"{path} not built: the {locale} catalogs fail "
                            f"`leaflet check -l {locale}`")
    found = doubled(visible_text(page.read_text(encoding="utf-8")))
    assert not found, f"{path}: doubled punctuation in " + " | ".join(map(repr, found))
