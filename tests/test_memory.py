"""Translation memory (issue 16): `leaflet update` fills an entry without a
translation from a checked translation of exactly its English elsewhere, fuzzy,
with a note naming the source; `leaflet export --format tmx` writes every
checked pair as TMX 1.4b; `leaflet import FILE.tmx` offers a memory's units the
same way. On the small project of tests/data/memory/project (a second leaflet
sharing sentences with the first, French and Brazilian Portuguese), on the TMX
files Translate Toolkit made from it (tests/data/memory/make.sh), and on the
real project's second leaflet."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import polib
import pytest
from translate.storage import tmx

from leaflet import catalogs, cli, config
from leaflet.memory import Memory, Unit, locale_for

from .conftest import DATA, po_path

MEM = DATA / "memory"
TMX = MEM / "tmx"
FILLED = "Filled from the translation memory: "


@pytest.fixture
def mem_dir(tmp_path: Path) -> Path:
    """A copy of the memory test project: first (translated), second (French:
    partly translated; Brazilian Portuguese: no catalog yet)."""
    target = tmp_path / "project"
    shutil.copytree(MEM / "project", target, symlinks=False)
    return target


def run(root: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(["--project", str(root), *args], out=out)
    return code, out.getvalue()


def entries(path: Path) -> dict[str, polib.POEntry]:
    return {e.msgctxt: e for e in polib.pofile(str(path)) if not e.obsolete}


def checked_pairs(*paths: Path) -> dict[str, set[str]]:
    """English -> its checked (translated, not fuzzy, not obsolete) translations."""
    pairs: dict[str, set[str]] = {}
    for path in paths:
        for e in polib.pofile(str(path)):
            if e.msgstr and not e.fuzzy and not e.obsolete:
                pairs.setdefault(e.msgid, set()).add(e.msgstr)
    return pairs


def note(e: polib.POEntry) -> str | None:
    """The memory's note on an entry, one line again however polib wrapped it."""
    return catalogs.split_note(e.tcomment)[0]


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.po*"))}


# --- update fills from the memory ----------------------------------------------------
def test_update_fills_the_second_leaflet_from_the_first_as_fuzzy(mem_dir: Path) -> None:
    before_fr = entries(po_path(mem_dir, "fr", "second"))
    sources = {loc: checked_pairs(po_path(mem_dir, loc, "first"), po_path(mem_dir, loc, "ui"))
               for loc in ("fr", "pt_BR")}
    code, out = run(mem_dir, "update")
    assert code == 0
    assert "started locales/pt_BR/LC_MESSAGES/second.po" in out
    assert "memory: locales/fr/LC_MESSAGES/second.po: 4 entries filled, fuzzy" in out
    fr = entries(po_path(mem_dir, "fr", "second"))
    # Two checked translations of "Walk a little each day." in the first leaflet:
    # the first in the template's order is offered, and the note says so.
    assert fr["home.walk"].msgstr == "Marchez un peu chaque jour." and fr["home.walk"].fuzzy
    assert note(fr["home.walk"]) == (f"{FILLED}first [what.walk] (1 other translation "
                                        "exists): check it.")
    assert fr["help"].msgstr == "Obtenir de l'aide" and fr["help"].fuzzy
    assert note(fr["help"]) == f"{FILLED}first [help]: check it."
    # The translator's own work is never replaced, finished or fuzzy.
    assert fr["home.water"].msgstr == "Buvez de l'eau fraîche." and not fr["home.water"].fuzzy
    assert fr["home.call"].msgstr == "Appelez-nous si vous êtes malade."
    assert fr["home.call"].fuzzy and not fr["home.call"].tcomment
    # A fuzzy source (week.work in French) is no memory; no match, no fill.
    assert fr["home.work"].msgstr == "" and fr["home.rest"].msgstr == ""
    pt = entries(po_path(mem_dir, "pt_BR", "second"))
    assert pt["home.water"].msgstr == ""   # "Beba água." is fuzzy in first.po
    assert pt["home.work"].msgstr == "Você pode voltar ao trabalho."
    assert note(pt["home.walk"]) == f"{FILLED}first [what.walk]: check it."   # one text
    for locale, now in (("fr", fr), ("pt_BR", pt)):
        for ctx, e in now.items():
            if FILLED in e.tcomment:   # a suggestion: fuzzy, a checked text of this English
                assert e.fuzzy and e.msgstr in sources[locale][e.msgid], ctx
            elif locale == "fr":
                assert e.msgstr == before_fr[ctx].msgstr, ctx
            else:
                assert e.msgstr == "", ctx


def test_a_second_update_changes_nothing(mem_dir: Path) -> None:
    assert run(mem_dir, "update")[0] == 0
    done = snapshot(mem_dir)
    code, out = run(mem_dir, "update")
    assert code == 0 and out.strip() == "catalogs up to date"
    assert snapshot(mem_dir) == done


def test_check_names_a_suggestion_and_finds_nothing_stale(mem_dir: Path) -> None:
    run(mem_dir, "update")
    _, out = run(mem_dir, "check", "-l", "fr", "--format", "json")
    findings = json.loads(out)["findings"]
    walk = next(f for f in findings if f["entry"] == "home.walk")
    assert walk["code"] == "fuzzy" and "translation memory" in walk["message"]
    assert not [f for f in findings if f["code"] == "stale"]


def test_an_obsolete_translation_is_not_offered(mem_dir: Path) -> None:
    md = mem_dir / "content" / "first" / "leaflet.md"
    md.write_text(md.read_text().replace("- {#week.work cite=s1} You can go back to work.\n",
                                         ""))
    run(mem_dir, "update")
    first = polib.pofile(str(po_path(mem_dir, "pt_BR", "first")))
    assert any(e.obsolete and e.msgctxt == "week.work" for e in first)
    assert entries(po_path(mem_dir, "pt_BR", "second"))["home.work"].msgstr == ""


@pytest.mark.parametrize("keep_fuzzy", [True, False])   # Poedit may leave the flag or not
def test_a_rejected_suggestion_is_not_filled_again(mem_dir: Path, keep_fuzzy: bool) -> None:
    run(mem_dir, "update")
    path = po_path(mem_dir, "fr", "second")
    po = polib.pofile(str(path), wrapwidth=79)   # the translator empties it in their tool
    walk = next(e for e in po if e.msgctxt == "home.walk")
    walk.msgstr = ""
    if not keep_fuzzy:
        walk.flags.remove("fuzzy")
    po.save(str(path))
    assert run(mem_dir, "update")[0] == 0
    walk = entries(path)["home.walk"]
    assert walk.msgstr == "" and not walk.fuzzy
    assert walk.tcomment.startswith(catalogs.REJECTED_NOTE) and "first [what.walk]" in \
        walk.tcomment.replace("\n", " ")
    done = snapshot(mem_dir)
    code, out = run(mem_dir, "update")   # and it stays so
    assert snapshot(mem_dir) == done and out.strip() == "catalogs up to date"
    _, out = run(mem_dir, "check", "-l", "fr", "--format", "json")
    assert not [f for f in json.loads(out)["findings"] if f["code"] == "stale"]
    # New English: the refusal was of the old one; then a new suggestion.
    md = mem_dir / "content" / "second" / "leaflet.md"
    text = md.read_text()
    md.write_text(text.replace("Walk a little each day.", "Walk a lot each day."))
    run(mem_dir, "update")
    assert (entries(path)["home.walk"].msgstr, entries(path)["home.walk"].tcomment) == ("", "")
    md.write_text(text.replace("Walk a little each day.", "Drink water."))
    run(mem_dir, "update")
    walk = entries(path)["home.walk"]
    assert walk.msgstr == "Buvez de l'eau." and walk.fuzzy   # home.water's is the other
    assert note(walk) == f"{FILLED}first [what.water] (1 other translation exists): check it."


def test_deleting_the_rejection_note_has_it_filled_again(mem_dir: Path) -> None:
    run(mem_dir, "update")
    path = po_path(mem_dir, "fr", "second")
    po = polib.pofile(str(path))
    next(e for e in po if e.msgctxt == "home.walk").msgstr = ""
    po.save(str(path))
    run(mem_dir, "update")
    po = polib.pofile(str(path))
    walk = next(e for e in po if e.msgctxt == "home.walk")
    assert walk.tcomment.startswith(catalogs.REJECTED_NOTE)
    walk.tcomment = ""
    po.save(str(path))
    run(mem_dir, "update")
    assert entries(path)["home.walk"].msgstr == "Marchez un peu chaque jour."


def test_an_accepted_suggestion_loses_its_note(mem_dir: Path) -> None:
    run(mem_dir, "update")
    path = po_path(mem_dir, "fr", "second")
    po = polib.pofile(str(path))
    next(e for e in po if e.msgctxt == "help").flags.remove("fuzzy")   # checked: right
    po.save(str(path))
    run(mem_dir, "update")
    help_ = entries(path)["help"]
    assert help_.msgstr == "Obtenir de l'aide" and not help_.fuzzy and help_.tcomment == ""


def test_the_real_second_leaflet_is_filled_from_the_first(real_project: Path) -> None:
    cfg = config.load(real_project)
    for locale in cfg.locales:
        po_path(real_project, locale, "vertebroplasty-home").unlink()
    code, out = run(real_project, "update")
    assert code == 0, out
    home_pot = polib.pofile(str(real_project / "locales" / "vertebroplasty-home.pot"))
    for locale in cfg.locales:
        sources = checked_pairs(po_path(real_project, locale, "vertebroplasty"),
                                po_path(real_project, locale, "ui"))
        first = entries(po_path(real_project, locale, "vertebroplasty"))
        home = entries(po_path(real_project, locale, "vertebroplasty-home"))
        expected = {t.msgctxt for t in home_pot if t.msgid in sources}
        filled = {ctx for ctx, e in home.items() if e.msgstr}
        assert filled == expected and len(expected) >= 15, locale   # 15 shared sentences
        for ctx in filled:
            e = home[ctx]
            assert e.fuzzy and e.msgstr in sources[e.msgid], (locale, ctx)
            said = note(e)
            assert said is not None and said.startswith(FILLED), (locale, ctx)
            domain, origin = said.removeprefix(FILLED).split("]")[0].split(" [")
            if domain == "vertebroplasty":   # the entry it names has this English and text
                assert first[origin].msgid == e.msgid and first[origin].msgstr == e.msgstr
    done = snapshot(real_project / "locales")
    assert run(real_project, "update")[1].strip() == "catalogs up to date"
    assert snapshot(real_project / "locales") == done


def test_update_leaves_the_real_catalogs_as_they_are(real_project: Path) -> None:
    before = snapshot(real_project / "locales")
    code, out = run(real_project, "update")
    assert code == 0 and out.strip() == "catalogs up to date"
    assert snapshot(real_project / "locales") == before


# --- how the memory chooses ---------------------------------------------------------
def unit(text: str, domain: str, context: str) -> Unit:
    return Unit("Drink water.", text, f"{domain} [{context}]", domain, context)


def test_the_most_used_translation_is_offered_then_the_first() -> None:
    memory = Memory.of([unit("A", "one", "a"), unit("B", "two", "b"), unit("B", "three", "c")])
    found = memory.suggest("Drink water.", "four", "d")
    assert found is not None and found.unit.text == "B" and found.unit.origin == "two [b]"
    assert found.others == 1 and "(1 other translation exists)" in found.note
    tie = Memory.of([unit("A", "one", "a"), unit("B", "two", "b")]).suggest(
        "Drink water.", "four", "d")
    assert tie is not None and tie.unit.text == "A"


def test_the_same_id_comes_before_the_most_used() -> None:
    units = [unit("B", "two", "b"), unit("B", "three", "c"), unit("A", "one", "d"),
             unit("C", "four", "d")]
    found = Memory.of(units).suggest("Drink water.", "four", "d")   # this very entry first
    assert found is not None and found.unit.text == "C" and found.others == 2
    found = Memory.of(units).suggest("Drink water.", "five", "d")   # then its id elsewhere
    assert found is not None and found.unit.text == "A"
    assert Memory.of(units).suggest("Rest.", "five", "d") is None


@pytest.mark.parametrize("tag, locale", [
    ("pt-BR", "pt_BR"), ("pt-br", "pt_BR"), ("PT_BR", "pt_BR"), ("fr", "fr"), ("fr-FR", "fr"),
    ("fr-CA", "fr"), ("zh-Hans", "zh_Hans"), ("zh-CN", "zh_Hans"), ("zh-Hans-CN", "zh_Hans"),
    ("zh-TW", None), ("zh-Hant", None), ("pt-PT", None), ("pt", None), ("it", None),
    ("x-klingon", None), ("", None),
])
def test_a_tmx_language_is_a_configured_locale_or_a_variant_of_one(tag: str,
                                                                   locale: str | None) -> None:
    assert locale_for(tag, ["fr", "pt_BR", "zh_Hans"]) == locale


# --- TMX export ---------------------------------------------------------------------
def test_tmx_export_holds_every_checked_pair_and_translate_toolkit_reads_it(
        real_project: Path) -> None:
    cfg = config.load(real_project)
    out_file = real_project / "memory.tmx"
    code, out = run(real_project, "export", "--format", "tmx", "-o", str(out_file))
    assert code == 0
    expected: set[tuple[str, str, str, str]] = set()   # tuid, English, language, text
    for locale in cfg.locales:
        for domain in (*cfg.leaflets, "ui"):
            for e in polib.pofile(str(po_path(real_project, locale, domain))):
                if e.msgstr and not e.fuzzy and not e.obsolete:
                    expected.add((f"{domain}:{e.msgctxt}", e.msgid, locale.replace("_", "-"),
                                  e.msgstr))
    store = tmx.tmxfile(io.BytesIO(out_file.read_bytes()))
    assert store.sourcelanguage == "en"
    found = set()
    for u in store.units:
        nodes = u.getlanguageNodes()
        assert nodes[0].get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
        assert u.getcontext() == u.getid().split(":", 1)[1]
        for node in nodes[1:]:
            lang = node.get("{http://www.w3.org/XML/1998/namespace}lang")
            found.add((u.getid(), u.source, lang, u.gettarget(lang)))
    assert found == expected
    assert {x[2] for x in found} >= {"pt-BR", "zh-Hans"}
    assert f"wrote {out_file} (tmx, every locale" in out
    first = out_file.read_bytes()
    stamp = out_file.stat().st_mtime_ns
    run(real_project, "export", "--format", "tmx", "-o", str(out_file))
    assert out_file.read_bytes() == first and out_file.stat().st_mtime_ns == stamp


def test_tmx_round_trip_gives_a_new_leaflet_its_own_translations(real_project: Path) -> None:
    cfg = config.load(real_project)
    memory_file = real_project / "all.tmx"
    run(real_project, "export", "--format", "tmx", "-o", str(memory_file))
    had = {loc: entries(po_path(real_project, loc, "vertebroplasty-home")) for loc in cfg.locales}
    for locale in cfg.locales:
        po_path(real_project, locale, "vertebroplasty-home").unlink()
    code, out = run(real_project, "import", str(memory_file))
    assert code == 0, out
    back = 0
    for locale in cfg.locales:
        home = entries(po_path(real_project, locale, "vertebroplasty-home"))
        for ctx, e in home.items():
            if not had[locale][ctx].msgstr or had[locale][ctx].fuzzy:
                continue
            # Its own unit (the tuid names it) before any other of the same English.
            assert e.msgstr == had[locale][ctx].msgstr and e.fuzzy, (locale, ctx)
            assert (note(e) or "").startswith(
                f"{FILLED}all.tmx [vertebroplasty-home:{ctx}]"), (locale, ctx)
            back += 1
    assert back == sum(1 for h in had.values() for e in h.values() if e.msgstr and not e.fuzzy)
    assert f": {back} entries changed" in out


# --- TMX import ---------------------------------------------------------------------
def test_import_of_a_po2tmx_memory_fills_only_empty_entries(mem_dir: Path) -> None:
    before = snapshot(mem_dir)
    code, out = run(mem_dir, "import", str(TMX / "po2tmx-fr.tmx"))
    assert code == 0, out
    fr = entries(po_path(mem_dir, "fr", "second"))
    assert fr["home.walk"].msgstr == "Marchez un peu chaque jour." and fr["home.walk"].fuzzy
    assert note(fr["home.walk"]) == (f"{FILLED}po2tmx-fr.tmx [what.walk] (1 other "
                                        "translation exists): check it.")
    assert note(fr["help"]) == f"{FILLED}po2tmx-fr.tmx [help]: check it."
    assert fr["home.water"].msgstr == "Buvez de l'eau fraîche." and not fr["home.water"].fuzzy
    assert fr["home.call"].msgstr == "Appelez-nous si vous êtes malade."
    assert fr["home.work"].msgstr == ""   # po2tmx leaves fuzzy entries out
    assert ": 4 entries changed" in out and "wrote 1 catalog" in out
    line = next(e.msgstr_line for e in catalogs.read(po_path(mem_dir, "fr", "second"))
                if e.msgctxt == "home.walk")   # where an editor goes
    assert (f"locales/fr/LC_MESSAGES/second.po:{line}: [home.walk] suggestion from "
            "po2tmx-fr.tmx [what.walk], fuzzy: check it") in out
    after = snapshot(mem_dir)
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {"locales/fr/LC_MESSAGES/second.po"}   # French only, no pt_BR start
    code, out = run(mem_dir, "import", str(TMX / "po2tmx-fr.tmx"))
    assert code == 0 and ": 0 entries changed" in out and snapshot(mem_dir) == after


def test_import_of_an_agency_memory_never_replaces_a_suggestion(mem_dir: Path) -> None:
    run(mem_dir, "update")
    path = po_path(mem_dir, "pt_BR", "second")
    had = entries(path)
    code, out = run(mem_dir, "import", str(TMX / "agency-pt-br.tmx"))   # xml:lang="pt-br"
    assert code == 0, out
    now = entries(path)
    for ctx, e in now.items():
        if had[ctx].msgstr:
            assert (e.msgstr, e.tcomment) == (had[ctx].msgstr, had[ctx].tcomment), ctx
        else:
            assert e.fuzzy and note(e) == f"{FILLED}agency-pt-br.tmx [{ctx}]: check it."
    assert now["home.water"].msgstr == "Tome água."
    assert now["home.walk"].msgstr == "Caminhe um pouco todos os dias."   # the memory's
    assert f": {sum(not e.msgstr for e in had.values())} entries changed" in out


@pytest.mark.parametrize("case, only, says", [
    ("unconfigured-it.tmx", [], "holds 'it', which is none of this project's locales"),
    ("unconfigured-it.tmx", ["-l", "fr"], "no translation from English into the locale"),
    ("source-de.tmx", [], "none of the memory's 11 units has an English segment (its "
                          "languages: de, fr)"),
    ("truncated.tmx", [], "not a readable TMX file"),
    ("tbx-as-tmx.tmx", [], "not a TMX file: its root element is <martif>"),
])
def test_import_refuses_a_file_that_does_not_fit_and_changes_nothing(
        mem_dir: Path, capsys, case: str, only: list[str], says: str) -> None:
    before = snapshot(mem_dir)
    code, _ = run(mem_dir, "import", *only, str(TMX / case))
    err = capsys.readouterr().err
    assert code == 5 and says in err and f"{TMX / case}" in err
    assert snapshot(mem_dir) == before
    if case == "truncated.tmx":   # the line where the file stops
        line = (TMX / case).read_text("utf-8").count("\n") + 1
        assert f"{TMX / case}:{line}:" in err


def test_import_refuses_a_file_of_no_known_format(mem_dir: Path, capsys) -> None:
    code, _ = run(mem_dir, "import", str(mem_dir / "content" / "first" / "sources.toml"))
    assert code == 5 and "not a file leaflet can import" in capsys.readouterr().err


def test_a_dry_run_import_says_what_it_would_fill_and_writes_nothing(mem_dir: Path) -> None:
    before = snapshot(mem_dir)
    code, out = run(mem_dir, "import", "--dry-run", str(TMX / "po2tmx-fr.tmx"))
    assert code == 0 and ": 4 entries would change" in out and "[home.walk] suggestion" in out
    assert snapshot(mem_dir) == before


def test_import_l_takes_only_that_locale_of_a_memory(real_project: Path) -> None:
    memory_file = real_project / "all.tmx"
    run(real_project, "export", "--format", "tmx", "-o", str(memory_file))
    for locale in ("fr", "de"):
        po_path(real_project, locale, "vertebroplasty-home").unlink()
    code, out = run(real_project, "import", "-l", "fr", str(memory_file))
    assert code == 0 and "segment(s) in 'de' not taken (-l)" in out
    assert po_path(real_project, "fr", "vertebroplasty-home").is_file()
    assert not po_path(real_project, "de", "vertebroplasty-home").exists()


def test_export_l_gives_a_memory_of_one_locale_and_xliff_needs_one(real_project: Path,
                                                                   capsys) -> None:
    out_file = real_project / "fr.tmx"
    assert run(real_project, "export", "--format", "tmx", "-l", "fr", "-o", str(out_file))[0] == 0
    store = tmx.tmxfile(io.BytesIO(out_file.read_bytes()))
    assert {n.get("{http://www.w3.org/XML/1998/namespace}lang") for u in store.units
            for n in u.getlanguageNodes()} == {"en", "fr"}
    assert run(real_project, "export", "-o", str(real_project / "x.xlf"))[0] == 5
    assert "--format xliff writes the file of one locale" in capsys.readouterr().err


def test_import_l_refuses_an_xliff_of_another_locale(real_project: Path, capsys) -> None:
    xlf = real_project / "fr.xlf"
    assert run(real_project, "export", "-l", "fr", "-o", str(xlf))[0] == 0
    before = snapshot(real_project / "locales")
    assert run(real_project, "import", "-l", "de", str(xlf))[0] == 5
    assert "is for fr, not for -l de" in capsys.readouterr().err
    assert snapshot(real_project / "locales") == before
