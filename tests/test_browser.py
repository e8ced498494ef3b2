"""Every HTML page of the real build in headless Chromium (axe-core, a phone's
width, the print styles) and in the Nu HTML Checker. `make test` installs the
tools (Chromium, Java, tests/browser/node_modules); a missing one is a failure
here, never a skip."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest

from leaflet.lang import info

from .conftest import ROOT, real_outputs

BROWSER = ROOT / "tests" / "browser"
NODE_MODULES = BROWSER / "node_modules"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LEAFLET_PAGES = {path: (locale, edition) for _, locale, edition, path in real_outputs("html")}
PT = 4 / 3                                   # CSS px per point


def _need(present: object, what: str) -> None:
    if not present:
        pytest.fail(f"{what} is missing: 'make test' installs the browser test tools "
                    "(scripts/system-deps.sh --browser, npm ci in tests/browser)", pytrace=False)


@pytest.fixture(scope="module")
def pages(real_build: Path) -> list[Path]:
    """Every HTML page in build/: the leaflets, the index, and any page added later."""
    return sorted(real_build.rglob("*.html"))


@pytest.fixture(scope="module")
def browser(real_build: Path, pages: list[Path]) -> dict[str, dict]:
    """What tests/browser/check_pages.js found on each page, by path under build/."""
    _need(shutil.which("node"), "Node.js (node)")
    _need(Path(CHROMIUM).is_file(), f"Chromium ({CHROMIUM})")
    for package in ("axe-core", "playwright-core"):
        _need((NODE_MODULES / package).is_dir(), f"tests/browser/node_modules/{package}")
    run = subprocess.run(["node", str(BROWSER / "check_pages.js"), *map(str, pages)],
                         check=False, capture_output=True, text=True, timeout=900,
                         env={**os.environ, "CHROMIUM": CHROMIUM})
    if run.returncode:
        pytest.fail(f"check_pages.js failed ({run.returncode}):\n{run.stderr[-4000:]}")
    return {str(Path(r["file"]).relative_to(real_build)): r for r in json.loads(run.stdout)}


def test_every_page_is_checked(pages: list[Path], real_build: Path,
                               browser: dict[str, dict]) -> None:
    found = {str(p.relative_to(real_build)) for p in pages}
    assert {*LEAFLET_PAGES, "index.html"} <= found
    assert set(browser) == found


def test_axe_finds_no_violations(browser: dict[str, dict]) -> None:
    """axe-core's default rules (WCAG 2.0-2.2 A and AA, best practices), any impact."""
    failures = [f"{page}: {v['id']} ({v['impact']}): {v['help']} at "
                + "; ".join(n["target"] for n in v["nodes"][:5])
                for page, result in sorted(browser.items()) for v in result["axe"]]
    assert not failures, "\n".join(failures)


def test_nu_html_checker_finds_no_errors(pages: list[Path]) -> None:
    """No error, and no warning either (an obsolete attribute, say)."""
    _need(shutil.which("java"), "Java (java)")
    _need(VNU.is_file(), "the Nu HTML Checker (tests/browser/node_modules/vnu-jar)")
    run = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--stdout",
                          *map(str, pages)], check=False, capture_output=True, text=True,
                         timeout=900)
    try:
        messages = json.loads(run.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu gave no JSON ({run.returncode}):\n{run.stdout[-2000:]}"
                    f"{run.stderr[-2000:]}")
    failures = [f"{m.get('url', '?').rsplit('/build/', 1)[-1]}:{m.get('lastLine', '?')}: "
                f"{m.get('subType', m['type'])}: {m['message']} {m.get('extract', '')!r}"
                for m in messages if m["type"] != "info" or m.get("subType") == "warning"]
    assert not failures, "\n".join(failures)
    assert run.returncode == 0


def test_language_direction_and_headings(browser: dict[str, dict]) -> None:
    """lang and dir of the page's language; one h1; no heading level skipped."""
    for page, r in browser.items():
        if page in LEAFLET_PAGES:
            loc = info(LEAFLET_PAGES[page][0])
            assert (r["lang"], r["dir"]) == (loc.tag, loc.direction), page
        else:
            assert r["lang"] and r["dir"] in ("ltr", "rtl"), page
        assert r["h1"] == 1, page
        levels = r["headings"]
        assert levels[0] == 1 and all(b <= a + 1 for a, b in pairwise(levels)), \
            (page, levels)


def test_language_switcher_links_every_other_language(real_build: Path,
                                                      browser: dict[str, dict]) -> None:
    locales = {locale for locale, _ in LEAFLET_PAGES.values()}
    for page, (locale, _) in LEAFLET_PAGES.items():
        links = browser[page]["languageLinks"]
        targets = [(real_build / page).parent / link["href"] for link in links]
        assert all(t.is_file() for t in targets), page
        linked = [t.resolve().parent.name for t in targets]
        assert sorted(linked) == sorted(locales - {locale}), page
        assert [(link["hreflang"], link["lang"]) for link in links] == \
            [(info(loc).tag, info(loc).tag) for loc in linked], page


def test_index_lists_every_leaflet_and_language(real_build: Path) -> None:
    index = (real_build / "index.html").read_text("utf-8")
    hrefs = re.findall(r'<a href="([^"]+)"', index)
    assert sorted(hrefs) == sorted([*LEAFLET_PAGES, *(p for *_, p in real_outputs("pdf"))])


def test_no_sideways_scrolling_on_a_phone(browser: dict[str, dict]) -> None:
    """At 375 x 812 CSS px nothing sticks out of the page, left or right."""
    failures = [f"{page}: {r['phone']}" for page, r in sorted(browser.items())
                if r["phone"]["scrollWidth"] > r["phone"]["viewport"] or r["phone"]["outside"]]
    assert not failures, "\n".join(failures)
    assert browser["ar/vertebroplasty.html"]["dir"] == "rtl"


def test_printed_text_is_large_upright_and_not_justified(browser: dict[str, dict]) -> None:
    """With print media (the CSS WeasyPrint uses): every text at least 12 pt (18 pt
    in large print; running footer 9 pt), and Arabic 15 % larger (its letters are
    small for their size); no italics, aligned to the start side."""
    failures = []
    for page, (locale, edition) in LEAFLET_PAGES.items():
        body = (18 if edition == "large" else 12) * PT
        start = "right" if info(locale).direction == "rtl" else "left"
        for s in browser[page]["print"]:
            scale = 1.15 if s["lang"] == "ar" else 1   # English on Arabic pages: 12 pt
            least = 9 * PT if s["furniture"] else body * scale
            if (s["fontSizePx"] < least - 0.01 or s["fontStyle"] != "normal"
                    or s["textAlign"] not in ("start", start)):
                failures.append(f"{page}: {s}")
    assert not failures, "\n".join(failures)


def test_no_text_drawn_over_other_text(browser: dict[str, dict]) -> None:
    """On a desktop, on a phone, and printed (at the width of an A4 page's text)."""
    failures = [f"{page} ({view}): {line}" for page, r in sorted(browser.items())
                for view, lines in r["overlaps"].items() for line in lines]
    assert not failures, "\n".join(failures)
