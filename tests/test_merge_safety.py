"""No translation lost or misattached, whatever tool touched the catalog (issue 15).

Each case is a file made by the real tool (tests/data/merge-safety/README.md);
the numbers asserted are those of the real French catalogs.
"""
from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import polib
import pytest

from leaflet import catalogs, cli
from leaflet.errors import CatalogError

from .conftest import DATA, po_path

CASES = DATA / "merge-safety"
REAL = CASES / "real-fr"
LAYOUT = "catalog differs from what 'leaflet update' writes only in its layout"


def read(path: Path) -> polib.POFile:
    return catalogs.read(path)


def by_id(po: polib.POFile) -> dict[str, polib.POEntry]:
    return {e.msgctxt: e for e in po if not e.obsolete}


def translated(po: polib.POFile) -> dict[str, str]:
    return {e.msgctxt: e.msgstr for e in po if e.msgstr and not e.obsolete}


# --- XLIFF round trip (Translate Toolkit drops msgctxt) -------------------------
@pytest.mark.parametrize("domain, kept, lost", [
    ("vertebroplasty", 70, set()),
    # xliff2po merged the two units "Information for patients": the second
    # one's translation never came back from the tool
    ("ui", 12, {"ui.meta.description"}),
])
def test_xliff_round_trip_gets_every_id_back(domain: str, kept: int, lost: set[str]) -> None:
    original = translated(read(REAL / f"{domain}.po"))
    damaged = read(CASES / "xliff-round-trip" / f"{domain}.po")
    assert sum(e.msgctxt in original for e in damaged) < 5   # the ids really are gone
    result = catalogs.merge(read(REAL / f"{domain}.pot"), damaged)
    after = by_id(result.catalog)
    same = {k for k, text in original.items() if after[k].msgstr == text and not after[k].fuzzy}
    assert len(same) == kept and set(original) - same == lost
    assert all(not after[k].msgstr for k in lost)   # empty, never another block's text
    assert f"{kept} entries without their id (msgctxt) got it back" in result.notes[0][1]


def test_xliff_round_trip_of_an_obsolete_entry_puts_it_back_in_obsolete() -> None:
    """xliff2po writes a #~ entry as an active one, without id or notes: its English
    is not in the template, so it goes back to #~, where nothing is published."""
    original = translated(read(REAL / "vertebroplasty.po"))
    result = catalogs.merge(read(CASES / "xliff-round-trip-obsolete" / "vertebroplasty.pot"),
                            read(CASES / "xliff-round-trip-obsolete" / "vertebroplasty.po"))
    after = translated(result.catalog)
    assert len(after) == 69 and all(original[k] == text for k, text in after.items())
    gone = result.catalog.obsolete_entries()
    assert [(e.msgctxt, e.msgstr) for e in gone] == [(None, original["why.cause-injury"])]
    assert result.notes[0][1].startswith("1 entry without an id, notes or English in the "
                                         "template (#~ entries another tool made active again)")


def test_xliff_round_trip_then_reworded_english_is_refused() -> None:
    with pytest.raises(CatalogError) as caught:
        catalogs.merge(read(CASES / "xliff-then-reworded" / "vertebroplasty.pot"),
                       read(CASES / "xliff-round-trip" / "vertebroplasty.po"))
    exc = caught.value
    assert exc.path.endswith("xliff-round-trip/vertebroplasty.po") and exc.line == 52
    assert "entry without an id (msgctxt)" in exc.message
    assert "2 of its 70 translations cannot be merged safely (more on line(s) 519)" in exc.message
    assert "left unchanged" in exc.message and 'write msgctxt "what-is.small"' in exc.hint


# --- msgmerge --previous after a rewrite -------------------------------------------
def test_msgmerge_rewrite_gets_the_obsolete_translation_back() -> None:
    original = by_id(read(REAL / "vertebroplasty.po"))
    damaged = read(CASES / "msgmerge-rewritten" / "vertebroplasty.po")
    assert not by_id(damaged)["what-is.small"].msgstr   # what msgmerge left
    result = catalogs.merge(read(CASES / "msgmerge-rewritten" / "vertebroplasty.pot"), damaged)
    after = by_id(result.catalog)
    small = after["what-is.small"]
    assert small.msgstr == original["what-is.small"].msgstr and small.fuzzy
    assert small.previous_msgid == original["what-is.small"].msgid
    assert not result.catalog.obsolete_entries()   # the twin is back, not kept twice
    assert any("[what-is.small] was empty: its own translation is back from #~" in n
               for _, n in result.notes)
    intro = after["why.causes-intro"]
    assert intro.fuzzy and intro.msgstr == original["why.causes-intro"].msgstr
    assert sum(bool(e.msgstr) for e in after.values()) == 71   # 70 own, 1 pre-fill


def test_msgmerge_prefill_from_another_block_keeps_its_origin() -> None:
    original = by_id(read(REAL / "vertebroplasty.po"))
    result = catalogs.merge(read(CASES / "msgmerge-rewritten" / "vertebroplasty.pot"),
                            read(CASES / "msgmerge-rewritten" / "vertebroplasty.po"))
    late = by_id(result.catalog)["after.home-late"]
    assert late.fuzzy and late.msgstr == original["after.home"].msgstr
    assert late.previous_msgctxt == "after.home"
    assert late.tcomment == "Pre-filled by another tool from [after.home]: check it."
    text = catalogs.po_text(result.catalog)
    assert '#| msgctxt "after.home"\n#| msgid "Most people go home on the same day."\n' \
           'msgctxt "after.home-late"' in text
    again = catalogs.merge(read(CASES / "msgmerge-rewritten" / "vertebroplasty.pot"),
                           catalogs.parse(text.encode(), "again.po"))
    assert catalogs.po_text(again.catalog) == text and not again.notes   # said once
    # The translator checks it (Poedit drops the fuzzy flag and the #| lines):
    # the note goes with them.
    checked = text.replace('#, fuzzy\n#| msgctxt "after.home"\n'
                           '#| msgid "Most people go home on the same day."\n', "")
    done = by_id(catalogs.merge(read(CASES / "msgmerge-rewritten" / "vertebroplasty.pot"),
                                catalogs.parse(checked.encode(), "x.po")).catalog)
    assert not done["after.home-late"].fuzzy and done["after.home-late"].tcomment == ""


@pytest.mark.parametrize("origin, wrapped", [
    ("another-rather-long-section.with-another-id", "with-another-\n# id]: check it."),
    ("after-the-procedure.a-long-block-id", "a-long-block-id]:\n# check it."),
])
def test_prefill_note_survives_wrapping_of_a_long_id(origin: str, wrapped: str) -> None:
    pot = polib.POFile()
    pot.append(polib.POEntry(msgctxt="a-rather-long-section.with-a-rather-long-block-id",
                             msgid="New English."))
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgctxt=pot[0].msgctxt, msgid="New English.", msgstr="Traduit.",
                            flags=["fuzzy"], previous_msgid="Old English.",
                            previous_msgctxt=origin))
    text = catalogs.po_text(catalogs.update(pot, po))
    assert wrapped in text   # polib wrapped the note over two lines
    reread = catalogs.parse(text.encode(), "x.po")
    assert catalogs.po_text(catalogs.update(pot, reread)) == text
    assert catalogs.split_note(reread[0].tcomment) == (
        f"Pre-filled by another tool from [{origin}]: check it.", [])


def test_a_context_made_up_by_a_tool_is_not_named_as_an_origin() -> None:
    """msgmerge after an XLIFF round trip: the 'previous context' is xliff2po's
    'file:line', for the same English; it names no block."""
    pot = read(REAL / "vertebroplasty.pot")
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgctxt="source.b.audience", msgid="patients",
                            msgstr="les patients", flags=["fuzzy"], previous_msgid="patients",
                            previous_msgctxt="content/vertebroplasty/sources.toml:10"))
    result = catalogs.merge(pot, po)
    entry = by_id(result.catalog)["source.b.audience"]
    assert entry.fuzzy and entry.previous_msgctxt is None and not entry.tcomment
    assert not result.notes


# --- two entries with one id ---------------------------------------------------------
def test_duplicate_id_is_refused() -> None:
    with pytest.raises(CatalogError) as caught:
        catalogs.merge(read(CASES / "msgmerge-rewritten" / "vertebroplasty.pot"),
                       read(CASES / "msgcat-duplicate-id" / "vertebroplasty.po"))
    exc = caught.value
    assert exc.line == 656
    assert re.match(r"two entries with the id \[why\.causes-intro\] \(lines 117 and 656\); "
                    r"2 of its \d+ translations cannot be merged safely", exc.message)
    assert "delete the other" in exc.hint


def test_duplicate_id_with_one_empty_entry_keeps_the_translation() -> None:
    po = read(CASES / "msgcat-duplicate-id" / "vertebroplasty.po")
    po.remove(next(e for e in po if e.msgctxt == "why.causes-intro" and e.fuzzy))
    result = catalogs.merge(read(CASES / "msgmerge-rewritten" / "vertebroplasty.pot"), po)
    small = by_id(result.catalog)["what-is.small"]
    assert small.fuzzy and small.msgstr.startswith("Elle ne nécessite pas")
    assert any("a second entry for [what-is.small], empty" in n for _, n in result.notes)


# --- encodings and line endings ---------------------------------------------------------
def content(po: polib.POFile) -> list[tuple]:
    return [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.obsolete) for e in po]


@pytest.mark.parametrize("case", ["utf8-bom", "crlf"])
def test_bom_and_crlf_are_read_as_the_same_catalog(case: str) -> None:
    real = read(REAL / "ui.po")
    po = read(CASES / case / "ui.po")
    assert content(po) == content(real) and po.metadata == real.metadata
    merged = catalogs.merge(read(REAL / "ui.pot"), po)
    assert catalogs.po_text(merged.catalog) == (REAL / "ui.po").read_text("utf-8")
    assert catalogs.difference(po, merged).startswith(LAYOUT)


@pytest.mark.parametrize("case, named", [("utf-16", "UTF-16 (with a byte order mark)"),
                                         ("utf-16le", "UTF-16LE (no byte order mark)"),
                                         ("utf-32", "UTF-32 (with a byte order mark)")])
def test_utf16_and_utf32_are_named_with_the_fix(case: str, named: str) -> None:
    with pytest.raises(CatalogError) as caught:
        read(CASES / case / "ui.po")
    assert caught.value.message == f"catalog is saved as {named}, not UTF-8"
    assert caught.value.line == 1 and caught.value.hint.startswith("save it as UTF-8")
    assert f"iconv -f {named.split()[0]} -t UTF-8 ui.po" in caught.value.hint


def test_another_layout_is_only_a_layout_difference() -> None:
    po = read(CASES / "msgcat-no-wrap" / "vertebroplasty.po")
    merged = catalogs.merge(read(REAL / "vertebroplasty.pot"), po)
    assert catalogs.po_text(merged.catalog) == (REAL / "vertebroplasty.po").read_text("utf-8")
    assert catalogs.difference(po, merged).startswith(LAYOUT)
    stale = catalogs.merge(read(CASES / "msgmerge-rewritten" / "vertebroplasty.pot"),
                           read(REAL / "vertebroplasty.po"))
    assert catalogs.difference(read(REAL / "vertebroplasty.po"), stale) == \
        "catalog is not up to date with the English"


def test_guard_refuses_a_merge_that_would_lose_a_translation() -> None:
    po = read(REAL / "ui.po")
    out = read(REAL / "ui.po")
    out.remove(out[0])
    with pytest.raises(CatalogError, match=r"merging would lose 1 translation\(s\) "
                       r"\(first \[figure\.spine\.lumbar\]\)"):
        catalogs._guard(po, out)


# --- the commands, on the test project --------------------------------------------------
def run(project_dir: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(["--project", str(project_dir), *args], out=out), out.getvalue()


def test_update_recovers_an_xliff_round_trip_and_says_so(project_dir: Path) -> None:
    demo = po_path(project_dir, "fr", "demo")
    original = by_id(polib.pofile(str(demo)))
    shutil.copy(CASES / "demo" / "xliff-round-trip.po", demo)
    code, out = run(project_dir, "update", "-l", "fr")
    assert code == 0
    assert re.search(r"recovered: locales/fr/LC_MESSAGES/demo\.po:\d+: 12 entries without "
                     r"their id \(msgctxt\) got it back from the template", out)
    after = by_id(polib.pofile(str(demo)))
    assert {k: (e.msgid, e.msgstr, e.flags) for k, e in after.items()} == \
           {k: (e.msgid, e.msgstr, e.flags) for k, e in original.items()}
    assert run(project_dir, "update", "-l", "fr") == (0, "catalogs up to date\n")


def unsafe_demo(project_dir: Path) -> Path:
    """The XLIFF round trip copied back, then one block of its English reworded."""
    demo = po_path(project_dir, "fr", "demo")
    shutil.copy(CASES / "demo" / "xliff-round-trip.po", demo)
    md = project_dir / "content" / "demo" / "leaflet.md"
    md.write_text(md.read_text().replace("Walk a little each day.", "Walk every day."))
    return demo


def test_update_refuses_what_it_cannot_place_and_leaves_the_file(
        project_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo = unsafe_demo(project_dir)
    before = demo.read_bytes()
    capsys.readouterr()
    code, _ = run(project_dir, "update", "-l", "fr")
    err = capsys.readouterr().err
    assert code == 1 and demo.read_bytes() == before
    assert re.search(r"error: locales/fr/LC_MESSAGES/demo\.po:\d+: entry without an id "
                     r"\(msgctxt\) whose English \(with its comments\) matches no entry of the "
                     r"template; 1 of its 12 translations cannot be merged safely, so the "
                     r"catalog was left unchanged\n  -> another tool dropped its id", err)
    code, out = run(project_dir, "check", "-l", "fr", "--format", "json")
    unsafe = [f for f in json.loads(out)["findings"] if f["code"] == "catalog-unsafe"]
    assert code == 1 and len(unsafe) == 1 and unsafe[0]["line"] == int(
        re.search(r"demo\.po:(\d+)", err)[1])
    code, out = run(project_dir, "stats", "-l", "fr")   # reported, not a crash
    assert code == 1 and "entry without an id" in out


@pytest.mark.parametrize("case", ["msgcat-no-wrap", "utf8-bom"])
def test_check_says_a_resave_differs_only_in_layout(project_dir: Path, case: str) -> None:
    shutil.copy(CASES / "demo" / f"{case}.po", po_path(project_dir, "fr", "demo"))
    _, out = run(project_dir, "check", "-l", "fr", "--format", "json")
    stale = [f for f in json.loads(out)["findings"] if f["code"] == "stale"]
    assert [f["message"] for f in stale] == [
        LAYOUT + " (line wrapping, header order, line endings or byte order mark), as when "
        "another tool saved it; no translation would change"]


def test_build_says_a_resave_differs_only_in_layout(project_dir: Path) -> None:
    shutil.copy(CASES / "demo" / "msgcat-no-wrap.po", po_path(project_dir, "fr", "demo"))
    code, out = run(project_dir, "build", "-l", "fr", "--format", "html",
                    "--edition", "standard", "--jobs", "1")
    assert code == 0
    assert f"note: locales/fr/LC_MESSAGES/demo.po: {LAYOUT} (" in out
    assert out.count("run 'leaflet update'") == 1


def test_init_writes_every_catalog_or_none(project_dir: Path) -> None:
    ui = po_path(project_dir, "de", "ui")
    ui.parent.mkdir(parents=True)
    ui.write_text("kept as it is\n")
    assert run(project_dir, "init", "-l", "de")[0] == 4
    assert not po_path(project_dir, "de", "demo").exists()
    assert ui.read_text() == "kept as it is\n"


def test_full_build_refuses_an_unsafe_signed_off_catalog(project_dir: Path) -> None:
    assert run(project_dir, "signoff", "-l", "fr", "--reviewer", "A. Translator")[0] == 0
    unsafe_demo(project_dir)
    code, out = run(project_dir, "build", "--format", "html", "--edition", "standard",
                    "--jobs", "1")
    assert code != 0 and "NOT PUBLISHED fr" in out and "entry without an id" in out
    assert "A. Translator" not in (project_dir / "build" / "status.html").read_text()
