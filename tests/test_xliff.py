"""XLIFF exchange with agencies (issue 16): `leaflet export` and `leaflet import`.

The export is read by Translate Toolkit, validated against the OASIS XLIFF 1.2
strict schema (libxml2, through lxml) and read again by Python's own expat
parser; the real project's ten locales round-trip byte for byte; the files an
agency's tools send back are under tests/data/xliff/ (see its README), made by
those tools or by hand where a person is the cause.
"""
from __future__ import annotations

import datetime as dt
import difflib
import io
import shutil
from pathlib import Path
from xml.dom import minidom

import pytest
from lxml import etree
from translate.storage import xliff as tt_xliff

from leaflet import catalogs, cli, config, xliff
from leaflet.project import Project
from leaflet.review import current_catalogs, record, signoff_state

from .conftest import DATA, ROOT, po_path

CASES = DATA / "xliff"
SCHEMA = CASES / "schema"
NS = {"x": xliff.NS}
REAL_LOCALES = ["ar", "de", "es", "fr", "hi", "pl", "pt_BR", "ru", "vi", "zh_Hans"]
BCP47 = {"pt_BR": "pt-BR", "zh_Hans": "zh-Hans"}


def run(root: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(["--project", str(root), *args], out)
    return code, out.getvalue()


def catalog_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted((root / "locales").glob("*/LC_MESSAGES/*.po"))}


def export(root: Path, locale: str, tmp: Path) -> Path:
    target = tmp / f"{locale}.xlf"
    code, out = run(root, "export", "-l", locale, "-o", str(target))
    assert code == 0, out
    return target


def active(root: Path, locale: str) -> dict[str, list[tuple[str, str, str, bool]]]:
    """Per catalog path: (msgctxt, msgid, msgstr, fuzzy) of its entries merged
    with the English, as export must write them."""
    project = Project(config.load(root))
    return {project.rel(project.po_path(locale, domain)):
            [(e.msgctxt, e.msgid, e.msgstr, "fuzzy" in e.flags) for e in po if not e.obsolete]
            for domain, po in current_catalogs(project, locale).items()}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    """The OASIS schema, its import of W3C's xml.xsd resolved to the local one."""
    class Local(etree.Resolver):
        def resolve(self, url, pubid, context):
            if url == "http://www.w3.org/2001/xml.xsd":
                return self.resolve_filename(str(SCHEMA / "xml.xsd"), context)
            return None
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Local())
    return etree.XMLSchema(etree.parse(str(SCHEMA / "xliff-core-1.2-strict.xsd"), parser))


@pytest.fixture
def exported(real_project: Path, tmp_path: Path) -> dict[str, Path]:
    return {loc: export(real_project, loc, tmp_path) for loc in REAL_LOCALES}


# --- the export, read by three independent readers --------------------------------------
def test_french_export_has_one_unit_per_entry_whose_id_is_its_msgctxt(real_project: Path,
                                                                       tmp_path: Path) -> None:
    doc = etree.parse(str(export(real_project, "fr", tmp_path)))
    want = active(real_project, "fr")
    files = doc.getroot().findall("x:file", NS)
    assert [f.get("original") for f in files] == list(want) == [
        "locales/fr/LC_MESSAGES/vertebroplasty.po",
        "locales/fr/LC_MESSAGES/vertebroplasty-home.po", "locales/fr/LC_MESSAGES/ui.po"]
    for f in files:
        ids = [u.get("id") for u in f.iter(f"{{{xliff.NS}}}trans-unit")]
        assert ids == [ctx for ctx, *_ in want[f.get("original")]]
    # every active entry of fr's three catalogs, and no obsolete one (#~)
    assert sum(len(v) for v in want.values()) == len(doc.findall(".//x:trans-unit", NS)) == 180


def test_translate_toolkit_reads_ids_texts_and_fuzziness(real_project: Path,
                                                         tmp_path: Path) -> None:
    # The English of one block reworded after the translation: that entry is fuzzy.
    md = real_project / "content" / "vertebroplasty" / "leaflet.md"
    old = "The aim is to make the bone steadier and to ease the pain."
    assert old in md.read_text("utf-8")
    md.write_text(md.read_text("utf-8").replace(old, "The aim is a steadier bone and less "
                                                "pain."), "utf-8")
    data = export(real_project, "fr", tmp_path).read_bytes()
    store = tt_xliff.xlifffile.parsestring(data)
    got = {}
    for unit in store.units:
        original, ident = unit.getid().split("\x04")
        got[(original, ident)] = (str(unit.source), str(unit.target), unit.isfuzzy())
    want = {(path, ctx): (msgid, msgstr, fuzzy)
            for path, entries in active(real_project, "fr").items()
            for ctx, msgid, msgstr, fuzzy in entries}
    assert got == want
    assert got[("locales/fr/LC_MESSAGES/vertebroplasty.po", "what-is.aim")][2] is True
    assert sum(fuzzy for *_, fuzzy in got.values()) == 1
    # the English it was translated from, as a previous version for the CAT tool
    [alt] = etree.fromstring(data).findall(".//x:trans-unit[@id='what-is.aim']/x:alt-trans", NS)
    assert alt.get("alttranstype") == "previous-version"
    assert alt.findtext("x:source", namespaces=NS) == old
    target = etree.fromstring(data).find(".//x:trans-unit[@id='what-is.aim']/x:target", NS)
    assert target.get("state") == "needs-review-translation"


def test_every_locale_is_schema_valid_and_read_by_expat(exported: dict[str, Path],
                                                        real_project: Path,
                                                        schema: etree.XMLSchema) -> None:
    for locale, path in exported.items():
        doc = etree.parse(str(path))
        assert schema.validate(doc), (locale, [str(e) for e in schema.error_log][:5])
        dom = minidom.parse(str(path))   # Python's expat: another parser altogether
        want = active(real_project, locale)
        units = 0
        for f in dom.getElementsByTagNameNS(xliff.NS, "file"):
            assert f.getAttribute("source-language") == "en"
            assert f.getAttribute("target-language") == BCP47.get(locale, locale)
            entries = want[f.getAttribute("original")]
            found = f.getElementsByTagNameNS(xliff.NS, "trans-unit")
            assert [u.getAttribute("id") for u in found] == [ctx for ctx, *_ in entries]
            for u, (ctx, msgid, msgstr, fuzzy) in zip(found, entries):
                assert u.getAttribute("xml:space") == "preserve"
                source = u.getElementsByTagNameNS(xliff.NS, "source")[0]
                target = u.getElementsByTagNameNS(xliff.NS, "target")[0]
                assert _dom_text(source) == msgid and _dom_text(target) == msgstr
                assert target.getAttribute("state") == (
                    "needs-review-translation" if fuzzy else "translated" if msgstr else "new")
            units += len(found)
        assert units == sum(len(v) for v in want.values()) > 150
    # The schema can fail: a file without its required source-language is refused.
    broken = etree.parse(str(exported["fr"]))
    del broken.getroot()[0].attrib["source-language"]
    assert not schema.validate(broken)


def _dom_text(node: minidom.Node) -> str:
    return "".join(c.data if c.nodeType == c.TEXT_NODE else _dom_text(c)
                   for c in node.childNodes)


def test_the_inline_codes_are_locked_tags_that_hold_their_characters(
        exported: dict[str, Path]) -> None:
    root = etree.parse(str(exported["fr"])).getroot()
    unit = root.find(".//x:trans-unit[@id='why.fracture']", NS)
    for part in ("x:source", "x:target"):
        [bpt] = unit.findall(f"{part}/x:bpt", NS)
        [ept] = unit.findall(f"{part}/x:ept", NS)
        assert (bpt.text, ept.text, bpt.get("id"), bpt.get("ctype")) == (
            "<strong>", "</strong>", ept.get("id"), "bold")
    home = root.find(".//x:trans-unit[@id='before.blood-thinners']", NS)
    [ph] = home.findall("x:target/x:ph", NS)
    assert ph.text == "{blood_thinner_call_days}" and ph.get("id") == home.find(
        "x:source/x:ph", NS).get("id")


# --- round trips -----------------------------------------------------------------------
def test_round_trip_of_every_locale_leaves_every_catalog_byte_identical(
        exported: dict[str, Path], real_project: Path, tmp_path: Path) -> None:
    before = catalog_bytes(real_project)
    assert len(before) == 30
    for locale, path in exported.items():
        code, out = run(real_project, "import", str(path))
        assert code == 0, out
        assert f"into {locale}: 0 entries changed" in out and "wrote 0 catalogs" in out
    assert catalog_bytes(real_project) == before
    again = tmp_path / "again"
    again.mkdir()
    for locale, path in exported.items():   # deterministic: the same bytes again
        assert export(real_project, locale, again).read_bytes() == path.read_bytes()


def test_one_changed_target_changes_exactly_that_entry_and_lapses_the_signoff(
        real_project: Path, tmp_path: Path) -> None:
    project = Project(config.load(real_project))
    record(project, "fr", "A. Translator, certified", dt.date(2026, 12, 1))
    path = export(real_project, "fr", tmp_path)
    assert run(real_project, "import", str(path))[0] == 0
    assert signoff_state(Project(config.load(real_project)), "fr")[0] == "current"
    before = po_path(real_project, "fr", "vertebroplasty").read_text("utf-8")
    doc = etree.parse(str(path))   # the agency's edit of one target
    target = doc.find(".//x:trans-unit[@id='what-is.aim']/x:target", NS)
    target.text = "Le but est de consolider l'os et de calmer la douleur."
    doc.write(str(path), xml_declaration=True, encoding="UTF-8")
    code, out = run(real_project, "import", str(path))
    assert code == 0, out
    after = po_path(real_project, "fr", "vertebroplasty").read_text("utf-8")
    diff = [x for x in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0,
                                            lineterm="") if x[:1] in "+-"
            and not x.startswith(("+++", "---"))]
    assert diff == ['-msgstr "Le but est de rendre l\'os plus stable et de soulager la douleur."',
                    '+msgstr "Le but est de consolider l\'os et de calmer la douleur."']
    line = after.splitlines().index(diff[1][1:]) + 1
    assert f"locales/fr/LC_MESSAGES/vertebroplasty.po:{line}: [what-is.aim] translation " \
           "changed" in out
    assert "1 entry changed, 179 unchanged; wrote 1 catalog" in out
    others = {k: v for k, v in catalog_bytes(real_project).items() if "vertebroplasty.po" not in k
              or "/fr/" not in k}
    assert others == {k: v for k, v in catalog_bytes(ROOT).items()
                      if k in others}   # no other catalog moved
    assert signoff_state(Project(config.load(real_project)), "fr")[0] == "lapsed"


def test_an_imported_target_is_checked_against_the_glossary(real_project: Path,
                                                            tmp_path: Path) -> None:
    """The agency wrote another word for an agreed term: import says so, as check does."""
    path = export(real_project, "fr", tmp_path)
    doc = etree.parse(str(path))
    target = doc.find(".//x:trans-unit[@id='what-is']/x:target", NS)
    assert "vertébroplastie" in target.text
    target.text = target.text.replace("la vertébroplastie", "ce traitement")
    doc.write(str(path), xml_declaration=True, encoding="UTF-8")
    code, out = run(real_project, "import", str(path))
    assert code == 0, out
    assert "[what-is] translation changed" in out
    assert "(glossary-term)" in out and "vertébroplastie" in out


DRAFTS = ["bad-markup-new-tag.po", "bad-markup-nesting.po", "bad-markup-missing.po",
          "bad-placeholder-renamed.po", "bad-placeholder-missing.po", "bad-link-added.po",
          "bad-untranslated.po", "bad-fuzzy.po"]


@pytest.mark.parametrize("name", DRAFTS)
def test_a_draft_with_a_translator_s_mistakes_round_trips_unchanged(
        project_dir: Path, tmp_path: Path, name: str) -> None:
    """The export writes a target's wrong tags and placeholders as the translator
    wrote them; importing it back is no change, and no refusal."""
    shutil.copy(DATA / "catalogs" / name, po_path(project_dir, "fr", "demo"))
    assert run(project_dir, "update")[0] == 0   # as any catalog before an export
    before = catalog_bytes(project_dir)
    code, out = run(project_dir, "import", str(export(project_dir, "fr", tmp_path)))
    assert code == 0 and "0 entries changed" in out, out
    assert catalog_bytes(project_dir) == before


def test_a_code_the_english_does_not_have_is_exported_as_text(project_dir: Path,
                                                              tmp_path: Path) -> None:
    demo = po_path(project_dir, "fr", "demo")
    demo.write_text(demo.read_text("utf-8").replace('"Buvez de l\'eau."',
                                                    '"Buvez de l\'<strong>eau</strong> {phone}."'),
                    "utf-8")
    before = catalog_bytes(project_dir)
    path = export(project_dir, "fr", tmp_path)
    target = etree.parse(str(path)).find(".//x:trans-unit[@id='what.item-a']/x:target", NS)
    assert (target.text, len(target)) == ("Buvez de l'<strong>eau</strong> {phone}.", 0)
    assert run(project_dir, "import", str(path))[0] == 0
    assert catalog_bytes(project_dir) == before


# --- what agencies' tools send back (tests/data/xliff) ------------------------------------
def test_a_file_resaved_by_translate_toolkit_changes_exactly_the_retyped_target(
        project_dir: Path) -> None:
    before = po_path(project_dir, "fr", "demo").read_text("utf-8")
    code, out = run(project_dir, "import", str(CASES / "tt-target-changed" / "fr.xlf"))
    assert code == 0, out
    after = po_path(project_dir, "fr", "demo").read_text("utf-8")
    assert after == before.replace('msgstr "Buvez de l\'eau."', 'msgstr "Buvez beaucoup d\'eau."')
    assert after != before and "[what.item-a] translation changed" in out


def test_a_file_a_cat_tool_laid_out_again_imports_without_a_change(project_dir: Path) -> None:
    before = catalog_bytes(project_dir)
    data = (CASES / "cat-tool-layout" / "fr.xlf").read_bytes()
    assert data.startswith(b"\xff\xfe") and "\r\n".encode("utf-16-le") in data
    code, out = run(project_dir, "import", str(CASES / "cat-tool-layout" / "fr.xlf"))
    assert code == 0, out
    assert "0 entries changed, 27 unchanged" in out and catalog_bytes(project_dir) == before


def test_an_agency_that_changed_the_english_keeps_its_target_fuzzy(project_dir: Path) -> None:
    code, out = run(project_dir, "import", str(CASES / "tt-source-changed" / "fr.xlf"))
    assert code == 0, out
    assert "[what.item-b] marked fuzzy: the unit's English is not the English now" in out
    po = catalogs.read(po_path(project_dir, "fr", "demo"))
    [entry] = [e for e in po if e.msgctxt == "what.item-b"]
    assert "fuzzy" in entry.flags and entry.msgstr
    assert entry.previous_msgid == "Rest at home for one day."
    assert entry.msgid != entry.previous_msgid   # the English stays the project's


def test_an_empty_target_erases_nothing(project_dir: Path) -> None:
    before = catalog_bytes(project_dir)
    code, out = run(project_dir, "import", str(CASES / "tt-target-emptied" / "fr.xlf"))
    assert code == 0, out
    assert "1 without a target (kept as they were)" in out
    assert catalog_bytes(project_dir) == before


def test_the_english_a_cat_tool_copied_into_an_untranslated_target_is_no_translation(
        project_dir: Path, tmp_path: Path) -> None:
    before = catalog_bytes(project_dir)
    for state in ("new", "needs-translation"):
        code, out = run(project_dir, "import", str(_with_state(tmp_path, "what.item-a", state,
                                                               "Drink water.")))
        assert code == 0 and "1 without a target (kept as they were)" in out, out
    assert catalog_bytes(project_dir) == before
    code, out = run(project_dir, "import", str(_with_state(tmp_path, "what.item-a",
                                                           "translated", "Drink water.")))
    assert "[what.item-a] translation changed" in out   # the agency says: the same


def test_a_unit_id_no_entry_has_is_reported_and_the_rest_imported(project_dir: Path) -> None:
    before = catalog_bytes(project_dir)
    code, out = run(project_dir, "import", str(CASES / "unknown-id" / "fr.xlf"))
    assert code == 1
    assert (f"not imported: {CASES / 'unknown-id' / 'fr.xlf'}:45: [what.item-c] "
            "locales/fr/LC_MESSAGES/demo.po has no entry with this id") in out
    assert "26 unchanged, 1 not imported" in out and catalog_bytes(project_dir) == before


REFUSED = [
    ("target-lost-code", "fr.xlf", 63, "[help.call] the target lost {phone}"),
    ("target-code-edited", "fr.xlf", 63,
     "[help.call] <ph id=\"1\"> (line 65) holds '{telephone}'; the source's holds '{phone}'"),
    ("wrong-language", "fr.xlf", 3, "is for fr, but its target-language is 'de'"),
    ("unknown-locale", "ro.xlf", 3, "the locale 'ro', which this project does not have"),
    ("unknown-leaflet", "fr.xlf", 3, "the catalog 'other', which is no leaflet of this project"),
    ("truncated", "fr.xlf", 31, "not well-formed XML"),
    ("po2xliff", "fr.xlf", 3, "is no catalog of this project"),
    ("po2xliff-plurals", "fr.xlf", 37, "plural forms (<group restype=\"x-gettext-plurals\">"),
]


@pytest.mark.parametrize("case,name,line,what", REFUSED, ids=[c[0] for c in REFUSED])
def test_a_refused_file_writes_nothing_and_says_where(project_dir: Path, case: str, name: str,
                                                      line: int, what: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    before = catalog_bytes(project_dir)
    path = CASES / case / name
    code, out = run(project_dir, "import", str(path))
    err = capsys.readouterr().err
    assert code == 5 and out == ""
    assert err.startswith(f"error: {path}:{line}: ") and what in err, err
    assert "\n  -> " in err   # and what to do
    assert catalog_bytes(project_dir) == before


def test_every_problem_of_a_refused_file_is_named_with_its_line(project_dir: Path,
                                                                tmp_path: Path,
                                                                capsys) -> None:
    data = (CASES / "target-lost-code" / "fr.xlf").read_text("utf-8")
    broken = tmp_path / "two.xlf"   # one more unit whose strong tag is gone
    broken.write_text(data.replace(
        '<bpt id="1" ctype="bold">&lt;strong&gt;</bpt>24 à 48 heures', "24 à 48 heures"), "utf-8")
    assert run(project_dir, "import", str(broken))[0] == 5
    err = capsys.readouterr().err
    assert f"{broken}:26: [what.intro] the target lost <strong>" in err
    assert "line 63: [help.call] the target lost {phone}" in err


# --- states, dry runs, refusals of export -------------------------------------------------
def _with_state(tmp_path: Path, ident: str, state: str, text: str | None = None) -> Path:
    doc = etree.parse(str(CASES / "export" / "fr.xlf"))
    target = doc.find(f".//x:trans-unit[@id='{ident}']/x:target", NS)
    target.set("state", state)
    if text is not None:
        target.text = text
    path = tmp_path / f"{ident}-{state}.xlf"
    doc.write(str(path), xml_declaration=True, encoding="UTF-8")
    return path


def test_the_state_of_a_target_sets_or_clears_fuzzy(project_dir: Path, tmp_path: Path) -> None:
    code, out = run(project_dir, "import", str(_with_state(tmp_path, "what.item-a",
                                                           "needs-review-translation")))
    assert code == 0 and "[what.item-a] marked fuzzy: its state is " \
                         "'needs-review-translation'" in out
    entry = next(e for e in catalogs.read(po_path(project_dir, "fr", "demo"))
                 if e.msgctxt == "what.item-a")
    assert "fuzzy" in entry.flags and entry.msgstr == "Buvez de l'eau."
    code, out = run(project_dir, "import", str(_with_state(tmp_path, "what.item-a",
                                                           "translated")))
    assert code == 0 and "[what.item-a] fuzzy cleared (its state is 'translated')" in out
    assert po_path(project_dir, "fr", "demo").read_bytes() == (
        DATA / "project" / "locales" / "fr" / "LC_MESSAGES" / "demo.po").read_bytes()


def test_a_new_translation_is_checked_as_it_is_imported(project_dir: Path,
                                                        tmp_path: Path) -> None:
    path = _with_state(tmp_path, "what.item-a", "translated", "Ne buvez pas d'eau.")
    code, out = run(project_dir, "import", str(path))
    assert code == 0, out
    assert "[what.item-a] translation changed" in out
    assert "[what.item-a] warning: " in out or "[what.item-a] error: " in out
    assert "(polarity)" in out   # a "not" the English does not have


def test_a_dry_run_says_what_would_change_and_writes_nothing(project_dir: Path) -> None:
    before = catalog_bytes(project_dir)
    code, out = run(project_dir, "import", "--dry-run",
                    str(CASES / "tt-target-changed" / "fr.xlf"))
    assert code == 0 and "[what.item-a] translation changed" in out
    assert "1 entry would change" in out and "nothing written (--dry-run)" in out
    assert catalog_bytes(project_dir) == before


def test_the_committed_export_is_what_export_writes_now(project_dir: Path,
                                                        tmp_path: Path) -> None:
    """tests/data/xliff/ follows the test project: else run its make.sh."""
    assert export(project_dir, "fr", tmp_path).read_bytes() == (
        CASES / "export" / "fr.xlf").read_bytes()


@pytest.mark.parametrize("args,code,what", [
    (["-l", "en"], 2, "en"), (["-l", "ro"], 2, "'ro' is not a locale of this project"),
    (["-l", "fr", "--format", "tmy"], 5, "unknown exchange format 'tmy'")])
def test_export_refuses_the_source_an_unknown_locale_and_format(
        project_dir: Path, tmp_path: Path, args: list[str], code: int, what: str,
        capsys) -> None:
    assert run(project_dir, "export", *args, "-o", str(tmp_path / "x.xlf"))[0] == code
    assert what in capsys.readouterr().err and not (tmp_path / "x.xlf").exists()


def test_export_writes_to_build_exchange_by_default(project_dir: Path) -> None:
    code, out = run(project_dir, "export", "-l", "fr")
    assert code == 0 and (project_dir / "build" / "exchange" / "fr.xlf").is_file()
    shutil.rmtree(project_dir / "build")
