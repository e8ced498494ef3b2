"""The Plural-Forms check: every formula that is right for the language passes
(GNU gettext's and CLDR's, as msginit and any supported Babel write them),
whichever Babel is installed; wrong ones are refused with the number that shows it.

The files under tests/data/plurals/ were written by the tools themselves (see
its README). The verdicts below must not depend on the installed Babel: the
check accepts a formula from either CLDR generation.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from leaflet import catalogs, checks
from leaflet.lang import info, parse_plural_forms, plural_problem

from .conftest import DATA, ROOT

CASES = DATA / "plurals"
FILES = sorted(CASES.glob("*.po"))


def header_findings(path: Path) -> list[checks.Finding]:
    po = catalogs.parse(path.read_bytes(), path.name)
    locale = path.name.split("-")[1]
    return [f for f in checks.check_header(checks.Ctx(locale, path.name), po)
            if f.code == "header-plural"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_real_tools_formulas_pass_and_wrong_ones_are_refused(path: Path) -> None:
    found = header_findings(path)
    if path.name.startswith("ok-"):
        assert found == []
    else:
        assert path.name.startswith("bad-")
        assert len(found) == 1 and found[0].severity == "error"


def test_the_swapped_arabic_formula_names_the_number_that_shows_it() -> None:
    [found] = header_findings(CASES / "bad-ar-babel-2.14-swapped.po")
    assert "n=11 is 'many'" in found.message and "form 5 ('other')" in found.message


def test_a_plural_entry_with_more_forms_than_the_header_is_refused_at_its_line() -> None:
    [found] = header_findings(CASES / "bad-fr-plural-entries-three-forms.po")
    assert found.entry == "after.days" and "3 plural forms" in found.message
    assert found.line is not None and found.line > 10


@pytest.mark.parametrize("locale,header", [
    ("fr", "nplurals=2; plural=(n > 1);"),
    ("fr", "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"),
    ("es", "nplurals=2; plural=(n != 1);"),
    ("es", "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);"),
    ("pt", "nplurals=2; plural=(n > 1);"),
    ("pt", "nplurals=2; plural=(n != 1);"),
    ("hi", "nplurals=2; plural=(n > 1);"),
    ("hi", "nplurals=2; plural=(n != 1);"),
    ("vi", "nplurals=1; plural=0;"),
    ("zh_Hans", "nplurals=1; plural=0;"),
    ("ru", "nplurals=3; plural=n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && "
           "n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2;"),
    ("ar_EG", "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 "
              "? 3 : n%100>=11 ? 4 : 5);"),
])
def test_formulas_of_both_cldr_generations_are_right(locale: str, header: str) -> None:
    assert plural_problem(locale, header) is None


@pytest.mark.parametrize("locale,header,why", [
    ("fr", "nplurals=2; plural=(n != 1);", "n=0 is 'one'"),
    ("de", "nplurals=2; plural=(n > 1);", "n=0 is 'other'"),
    ("pl", "nplurals=2; plural=(n != 1);", "pl has 3 plural forms"),
    ("ru", "nplurals=3; plural=(n%10==1 ? 0 : n%10==2 ? 1 : 2);", "n=3 is 'few'"),
    ("es", "nplurals=2; plural=(n == 1 ? 0 : 2);", "gives form 2 for n=0, but nplurals is 2"),
    ("es", "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000 == 0 ? 1 : 2);",
     "n=1000 is 'other'"),
    ("fr", "nplurals=2; plural=n >>> 1;", "does not parse"),
])
def test_wrong_formulas_are_refused_with_the_reason(locale: str, header: str, why: str) -> None:
    assert why in (plural_problem(locale, header) or "")


@pytest.mark.parametrize("locale", ["ar", "de", "es", "fr", "hi", "pl", "pt", "ru", "vi",
                                    "zh_Hans", "en", "pt_BR", "it", "uk", "tr", "ro"])
def test_new_catalogs_get_a_right_formula(locale: str) -> None:
    header = info(locale).plural_forms
    assert parse_plural_forms(header) is not None
    assert plural_problem(locale, header) is None


def test_every_shipped_catalog_has_a_right_formula() -> None:
    paths = sorted((ROOT / "locales").glob("*/LC_MESSAGES/*.po"))
    assert len(paths) >= 20
    for path in paths:
        po = catalogs.read(path)
        assert plural_problem(path.parts[-3], po.metadata["Plural-Forms"]) is None, path
