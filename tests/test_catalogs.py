"""Catalog handling: the update rules on golden files, stable bytes, msgfmt."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from leaflet import catalogs, cli

from .conftest import DATA, ROOT, po_path

UPDATE = DATA / "update"


def merged(before: Path = UPDATE / "before.po") -> str:
    return catalogs.po_text(catalogs.update(catalogs.read(UPDATE / "template.pot"),
                                           catalogs.read(before)))


def entries(text: str) -> dict[str, polib.POEntry]:
    return {e.msgctxt: e for e in polib.pofile(text)}


def test_update_matches_golden_file() -> None:
    assert merged() == (UPDATE / "expected-after.po").read_text("utf-8")


def test_update_rules_entry_by_entry() -> None:
    after = entries(merged())
    assert after["same"].msgstr == "Buvez de l'eau." and not after["same"].fuzzy
    assert after["moved"].msgstr == "Reposez-vous à la maison." and not after["moved"].fuzzy
    for key, old in (("small-edit", "You rest for 24 hours."), ("big-edit", "We will call you.")):
        assert after[key].fuzzy and after[key].previous_msgid == old and after[key].msgstr
    assert after["big-edit"].tcomment == "translator: checked with the nurse team"
    assert after["restored"].fuzzy and after["restored"].msgstr.startswith("Appelez-nous")
    assert after["new-block"].msgstr == "" and not after["new-block"].fuzzy
    assert after["removed"].obsolete and after["removed"].msgstr.startswith("Ne soulevez")
    order = [e.msgctxt for e in polib.pofile(merged()) if not e.obsolete]
    assert order == ["moved", "same", "small-edit", "big-edit", "restored", "new-block"]


def test_update_keeps_translator_headers() -> None:
    after = polib.pofile(merged())
    assert after.metadata["Last-Translator"] == "Marie Dupont <marie@example.org>"
    assert after.metadata["X-Generator"] == "Poedit 3.4"
    assert after.metadata["PO-Revision-Date"] == "2026-01-20 14:02+0100"
    assert after.metadata["Project-Id-Version"] == "leaflet demo 2"


def test_update_is_idempotent() -> None:
    assert merged(UPDATE / "expected-after.po") == (UPDATE / "expected-after.po").read_text()


@pytest.mark.parametrize("width", [0, 79])   # no wrapping (Weblate option), Poedit
def test_polib_resave_then_update_is_byte_identical(tmp_path: Path, width: int) -> None:
    """A tool that rewraps the file causes no churn after our update."""
    resaved = tmp_path / "resaved.po"
    polib.pofile(str(UPDATE / "expected-after.po"), wrapwidth=width).save(str(resaved))
    if width == 0:
        assert resaved.read_text() != (UPDATE / "expected-after.po").read_text()
    assert merged(resaved) == (UPDATE / "expected-after.po").read_text()


def test_delete_and_restore_section_brings_translations_back(project_dir: Path) -> None:
    md = project_dir / "content" / "demo" / "leaflet.md"
    original = md.read_text()
    fr = po_path(project_dir, "fr", "demo")
    translated = {e.msgctxt: e.msgstr for e in polib.pofile(str(fr))}
    md.write_text(original.split("## Getting help")[0])
    assert cli.main(["--project", str(project_dir), "update"]) == 0
    gone = {e.msgctxt for e in polib.pofile(str(fr)) if e.obsolete}
    assert gone == {"help", "help.call", "help.figure"}
    md.write_text(original)
    assert cli.main(["--project", str(project_dir), "update"]) == 0
    back = {e.msgctxt: e for e in polib.pofile(str(fr))}
    for key in ("help", "help.call", "help.figure"):
        assert back[key].msgstr == translated[key] and not back[key].obsolete


def test_reword_one_block_changes_exactly_one_entry(tmp_path: Path) -> None:
    """On the real leaflet and every locale: one entry fuzzy, all else byte-identical."""
    root = tmp_path / "repo"
    for part in ("content", "templates", "locales"):
        shutil.copytree(ROOT / part, root / part)
    shutil.copy(ROOT / "leaflet.toml", root / "leaflet.toml")
    assert cli.main(["--project", str(root), "update"]) == 0
    before = {p: p.read_text() for p in (root / "locales").rglob("vertebroplasty.po")}
    assert len(before) >= 10
    md = root / "content" / "vertebroplasty" / "leaflet.md"
    text = md.read_text()
    assert "Please plan this before the day." in text
    md.write_text(text.replace("Please plan this before the day.",
                               "Please plan this well before the day."))
    assert cli.main(["--project", str(root), "update"]) == 0
    for path, old_text in before.items():
        old, new = entries(old_text), entries(path.read_text())
        changed = {k for k in new if (new[k].msgid, new[k].msgstr, new[k].flags)
                   != (old[k].msgid, old[k].msgstr, old[k].flags)}
        assert changed == {"after.escort"}, path
        if old["after.escort"].msgstr:
            assert new["after.escort"].fuzzy
            assert new["after.escort"].previous_msgid == old["after.escort"].msgid
            assert "Please plan this before the day." in old["after.escort"].msgid
        assert new["after.escort"].msgstr == old["after.escort"].msgstr


def test_extract_and_update_twice_change_nothing(project_dir: Path, monkeypatch) -> None:
    args = ["--project", str(project_dir)]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert cli.main(args + ["extract"]) == 0 and cli.main(args + ["update"]) == 0
    files = sorted((project_dir / "locales").rglob("*.po*"))
    snapshot = {p: p.read_bytes() for p in files}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")   # a later run, another minute
    assert cli.main(args + ["extract"]) == 0 and cli.main(args + ["update"]) == 0
    assert {p: p.read_bytes() for p in files} == snapshot


def test_moving_lines_in_a_template_changes_no_catalog(project_dir: Path) -> None:
    """UI strings name their template, not its line: a template edit that only
    moves strings down gives translators no diff."""
    args = ["--project", str(project_dir)]
    assert cli.main(args + ["update"]) == 0
    files = sorted((project_dir / "locales").rglob("*.po*"))
    snapshot = {p: p.read_bytes() for p in files}
    for name in ("leaflet.html.j2", "leaflet.css.j2"):
        template = project_dir / "templates" / name
        template.write_text("{# a comment #}\n" * 5 + template.read_text("utf-8"), "utf-8")
    assert cli.main(args + ["update"]) == 0
    assert {p: p.read_bytes() for p in files} == snapshot


def all_catalogs() -> list[Path]:
    return sorted((ROOT / "locales").rglob("*.po")) + sorted((ROOT / "locales").glob("*.pot"))


@pytest.mark.parametrize("path", all_catalogs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_msgfmt_check_accepts_every_catalog(path: Path) -> None:
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# Translate Toolkit's critical tests, as Weblate and Pootle run them.
POFILTER = ["variables", "printf", "pythonbraceformat", "xmltags", "escapes", "newlines",
            "nplurals"]


def pofilter(source: Path, out: Path) -> list[str]:
    """Files in which pofilter found a problem (it writes one file per such catalog)."""
    tool = Path(sys.executable).parent / "pofilter"
    tests = [arg for name in POFILTER for arg in ("-t", name)]
    subprocess.run([str(tool), "--progress=none", *tests, "-i", str(source), "-o", str(out)],
                   check=True, capture_output=True)
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


@pytest.mark.parametrize("folder", [ROOT / "locales", DATA / "project" / "locales"],
                         ids=["locales", "test-project"])
def test_pofilter_critical_tests_pass_every_catalog(folder: Path, tmp_path: Path) -> None:
    assert pofilter(folder, tmp_path / "out") == []


def test_pofilter_finds_broken_markup_and_placeholders(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("bad-markup-missing.po", "bad-placeholder-renamed.po", "ok-good.po"):
        shutil.copy(DATA / "catalogs" / name, cases)
    assert pofilter(cases, tmp_path / "out") == ["bad-markup-missing.po",
                                                 "bad-placeholder-renamed.po"]


def test_init_writes_headers_from_babel(project_dir: Path) -> None:
    assert cli.main(["--project", str(project_dir), "init", "-l", "ar"]) == 0
    po = polib.pofile(str(po_path(project_dir, "ar", "demo")))
    assert po.metadata["Language"] == "ar"
    assert po.metadata["Plural-Forms"].startswith("nplurals=6;")
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert cli.main(["--project", str(project_dir), "init", "-l", "ar"]) == 4  # exists


@pytest.mark.parametrize("bad", ["../../x", "fr/../../etc", "xx_YY_ZZ", ""])
def test_init_refuses_bad_locale_names(project_dir: Path, bad: str) -> None:
    assert cli.main(["--project", str(project_dir), "init", "-l", bad]) == 2
    assert not (project_dir / "x").exists()
