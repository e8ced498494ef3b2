"""Every check against real broken files under tests/data/catalogs/, named by case."""
from __future__ import annotations

import io
import json
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaflet import catalogs, checks, cli, config, polarity
from leaflet.errors import CatalogError, LeafletError
from leaflet.project import Project
from leaflet.render import inline_html

from .conftest import DATA, ROOT, po_path

CASES = DATA / "catalogs"
POT = catalogs.read(DATA / "project" / "locales" / "demo.pot")

# case -> exactly the (code, severity) pairs it must produce
EXPECTED = {
    "ok-good.po": set(),
    "ok-decimal-and-nbsp.po": set(),
    "bad-number-range.po": {("number", "error")},
    "bad-number-missing.po": {("number", "error"), ("unit", "error")},
    "bad-number-unit.po": {("unit", "error")},
    "bad-placeholder-renamed.po": {("placeholder", "error")},
    "bad-placeholder-missing.po": {("placeholder", "error")},
    "bad-markup-missing.po": {("markup", "error")},
    "bad-markup-nesting.po": {("markup", "error")},
    "bad-markup-new-tag.po": {("markup-forbidden", "error")},
    "bad-link-added.po": {("link", "error")},
    "bad-untranslated.po": {("untranslated", "error")},
    "bad-fuzzy.po": {("fuzzy", "error")},
    "bad-missing-entry.po": {("missing", "error")},
    "bad-obsolete-referenced.po": {("obsolete-referenced", "error")},
    "bad-header-language.po": {("header-language", "error")},
    "bad-header-plural.po": {("header-plural", "error")},
    "bad-header-fuzzy.po": {("header-fuzzy", "error")},
    "bad-header-incomplete.po": {("header-incomplete", "error")},
    "warn-unchanged.po": {("unchanged", "warning")},
    "warn-length.po": {("length", "warning")},
}
HOSTILE = sorted(p.name for p in CASES.glob("hostile-*.po"))
# Mistakes made in a copy of the real French catalog, checked against the
# English it was translated from (kept beside them: the leaflet will change).
REAL_POT = catalogs.read(CASES / "vertebroplasty.pot")
MEANING = {   # case -> exactly the (code, severity, entry) it must produce
    "bad-polarity-after-lifting.po": {("polarity", "error", "after.lifting")},
    "bad-polarity-contact-worried.po": {("polarity", "error", "contact.worried")},
    "bad-misplaced-swapped.po": {
        ("misplaced", "error", "what-is.purpose"), ("misplaced", "error", "what-is.small"),
        ("polarity", "warning", "what-is.purpose"), ("polarity", "warning", "what-is.small")},
    "bad-misplaced-pasted.po": {   # benefits.pain's translation pasted into benefits.movement
        ("number", "error", "benefits.movement"), ("unit", "error", "benefits.movement"),
        ("misplaced", "error", "benefits.movement")},
}


def run(name: str, locale: str = "fr") -> set[tuple[str, str]]:
    po = catalogs.parse((CASES / name).read_bytes(), name)
    found = checks.check_catalog(locale, name, po, POT, frozenset({"patients"}))
    for f in found:
        assert f.path == name and f.hint and f.message
    return {(f.code, f.severity) for f in found}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_case_is_caught_or_passes_exactly(name: str) -> None:
    assert run(name) == EXPECTED[name]


def test_every_file_in_the_corpus_is_tested() -> None:
    tested = set(EXPECTED) | set(HOSTILE) | {n for n, *_ in BROKEN} | set(MEANING)
    assert {p.name for p in CASES.iterdir()} == tested | {"vertebroplasty.pot"}


def _meaning(name: str) -> list[checks.Finding]:
    po = catalogs.parse((CASES / name).read_bytes(), name)
    return checks.check_catalog("fr", name, po, REAL_POT)


@pytest.mark.parametrize("name", sorted(MEANING))
def test_lost_negation_and_swapped_paragraphs_are_caught(name: str) -> None:
    assert {(f.code, f.severity, f.entry) for f in _meaning(name)} == MEANING[name]


def test_the_messages_say_what_changed() -> None:
    (lifting,) = _meaning("bad-polarity-after-lifting.po")
    assert '"soulevez des objets lourds" is not negated' in lifting.message
    assert "after 'et'" in lifting.message
    (worried,) = _meaning("bad-polarity-contact-worried.po")
    assert 'sentence 2' in worried.message and "Attendez votre prochain" in worried.message
    swapped = [f for f in _meaning("bad-misplaced-swapped.po") if f.code == "misplaced"]
    for f in swapped:   # each names both entries
        assert "what-is.purpose" in f.message and "what-is.small" in f.message
    (pasted,) = [f for f in _meaning("bad-misplaced-pasted.po") if f.code == "misplaced"]
    assert "the English of benefits.pain" in pasted.message


def test_the_new_codes_are_documented() -> None:
    readme, translating = ((ROOT / name).read_text("utf-8") for name in ("README.md",
                                                                         "TRANSLATING.md"))
    for code in ("polarity", "misplaced"):
        assert f"`{code}`" in readme and f"{code}" in translating


def test_the_real_french_catalog_passes_the_same_checks() -> None:
    po = catalogs.read(ROOT / "locales" / "fr" / "LC_MESSAGES" / "vertebroplasty.po")
    assert not [f for f in checks.check_catalog("fr", "fr.po", po, REAL_POT)
                if f.code in ("polarity", "misplaced")]


def test_no_false_alarm_on_the_shipped_catalogs() -> None:
    """Whatever is shipped: every locale and catalog of the real project, against
    the English as it is now."""
    project = Project(config.load(ROOT))
    found = []
    for locale in project.cfg.locales:
        assert polarity.markers(locale), f"no negation markers for {locale}"
        for domain in project.domains:
            po = catalogs.read(project.po_path(locale, domain))
            found += [f.text() for f in checks.check_catalog(
                locale, domain, po, project.pot(domain), project.cfg.allow_for(locale))
                if f.code in ("polarity", "misplaced")]
    assert found == []


def test_findings_point_at_the_msgstr_line() -> None:
    """Where an editor should jump, not the entry's first comment."""
    for name in [*EXPECTED, *MEANING]:
        lines = (CASES / name).read_text("utf-8").splitlines()
        po = catalogs.parse((CASES / name).read_bytes(), name)
        pot = REAL_POT if name in MEANING else POT
        for f in checks.check_catalog("fr", name, po, pot):
            if f.line is not None:
                assert lines[f.line - 1].lstrip("#~ ").startswith("msgstr"), (name, f)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_markup_is_an_error(name: str) -> None:
    codes = {code for code, severity in run(name) if severity == "error"}
    assert codes & {"markup-forbidden", "markup-hostile"}


BROKEN = [
    ("broken-empty.po", 1, "empty catalog"),
    ("broken-binary.po", 1, "binary data"),
    ("broken-not-utf8.po", 46, "not UTF-8"),
    ("broken-charset-latin1.po", 2, "charset is not UTF-8"),
    ("broken-no-charset.po", 2, "charset is not UTF-8"),
    ("broken-duplicate.po", 99, "duplicate entry [what.item-a] (first on line 36)"),
    ("broken-plural-header.po", 2, "bad Plural-Forms header"),
    ("broken-syntax.po", 44, "syntax error"),
    ("broken-unterminated.po", 46, "syntax error"),
    ("broken-truncated.po", 45, "syntax error"),
    ("broken-no-header.po", 4, "no header entry"),
]


@pytest.mark.parametrize("name, line, words", BROKEN)
def test_unreadable_catalog_names_file_and_line(name: str, line: int, words: str) -> None:
    with pytest.raises(CatalogError) as err:
        catalogs.parse((CASES / name).read_bytes(), f"x/{name}")
    assert err.value.line == line and words in err.value.message
    assert str(err.value).startswith(f"x/{name}:{line}: ") and err.value.hint


def test_huge_catalog_is_refused_before_parsing() -> None:
    data = (CASES / "ok-good.po").read_bytes()
    huge = data + b"\n#  padding\n" * (catalogs.MAX_BYTES // 10)
    with pytest.raises(CatalogError, match="over the"):
        catalogs.parse(huge, "huge.po")


@pytest.mark.parametrize("name, line, words", BROKEN[:4] + BROKEN[5:8])
def test_broken_catalog_stops_only_its_locale(project_dir: Path, name: str, line: int,
                                              words: str) -> None:
    target = po_path(project_dir, "fr", "demo")
    target.write_bytes((CASES / name).read_bytes())
    out = io.StringIO()
    code = cli.main(["--project", str(project_dir), "build", "--format", "html",
                     "--edition", "standard", "--jobs", "1"], out)
    assert code == 1
    assert f"locales/fr/LC_MESSAGES/demo.po:{line}:" in out.getvalue()
    assert (project_dir / "build" / "en" / "demo.html").is_file()
    assert not (project_dir / "build" / "fr").exists()
    assert target.read_bytes() == (CASES / name).read_bytes()   # never rewritten


@pytest.mark.parametrize("name, line, words", BROKEN)
def test_update_leaves_a_broken_catalog_untouched(project_dir: Path, name: str, line: int,
                                                  words: str, capsys) -> None:
    target = po_path(project_dir, "fr", "demo")
    target.write_bytes((CASES / name).read_bytes())
    ui = po_path(project_dir, "fr", "ui")
    full = ui.read_bytes()
    ui.write_bytes(full[:full.rindex(b"\n\n#")] + b"\n")   # stale: its last entry cut
    code = cli.main(["--project", str(project_dir), "update"], io.StringIO())
    err = capsys.readouterr().err
    assert code == 1 and f"demo.po:{line}: " in err and words in err
    assert target.read_bytes() == (CASES / name).read_bytes()
    assert ui.read_bytes().count(b"msgctxt") == full.count(b"msgctxt")   # still updated


# --- numbers by value -------------------------------------------------------------
@pytest.mark.parametrize("text, values", [
    ("24 to 48 hours", {24.0: 1, 48.0: 1}),
    ("٢٤ إلى ٤٨ ساعة", {24.0: 1, 48.0: 1}),          # Arabic-Indic digits
    ("२४ से ४८ घंटे", {24.0: 1, 48.0: 1}),            # Devanagari digits
    ("90\u00a0%", {90.0: 1}),
    ("1,5 mg", {1.5: 1}), ("1.5 mg", {1.5: 1}),
    ("Call {phone} at 9", {9.0: 1}),                  # placeholders are not numbers
])
def test_numbers_by_value(text: str, values: dict) -> None:
    assert dict(checks.numbers(text)) == values


def test_number_in_words_is_a_warning() -> None:
    entry = polib.POEntry(msgctxt="x", msgid="Rest for five days.", msgstr="Reposez-vous 5 jours.")
    found = checks.check_numbers(checks.Ctx("fr", "x.po"), entry)
    assert [(f.code, f.severity) for f in found] == [("number", "error"),
                                                      ("number-words", "warning")]


# --- the JSON report ----------------------------------------------------------------
def test_check_json_output_is_documented_shape(project_dir: Path) -> None:
    po_path(project_dir, "fr", "demo").write_bytes((CASES / "bad-number-range.po").read_bytes())
    out = io.StringIO()
    assert cli.main(["--project", str(project_dir), "check", "--format", "json"], out) == 1
    report = json.loads(out.getvalue())
    assert report["version"] == 1 and report["locales"] == ["fr"] and report["errors"] == 1
    (finding,) = [f for f in report["findings"] if f["severity"] == "error"]
    assert set(finding) == {"severity", "code", "locale", "path", "line", "entry", "message",
                            "hint"}
    assert finding["code"] == "number" and finding["entry"] == "what.intro"
    assert finding["path"] == "locales/fr/LC_MESSAGES/demo.po" and finding["line"] == 33
    assert set(report["readability"]["demo"]) == {"overall", "sections", "longest"}
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    for key in finding:
        assert f'"{key}"' in readme      # every field is documented


# --- property: arbitrary translations never crash checks or renderer ---------------------
@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_translation_never_crashes(text: str) -> None:
    entry = polib.POEntry(msgctxt="what.intro", msgid=POT[0].msgid, msgstr=text)
    try:
        for check in (checks.check_placeholders, checks.check_markup, checks.check_numbers,
                      checks.check_units, checks.check_links, checks.check_polarity):
            check(checks.Ctx("fr", "x.po"), entry)
        html = str(inline_html(text, {"phone": "1"}))
    except LeafletError:
        return
    assert "<script" not in html and "<img" not in html
