"""Incremental and parallel builds: what is rebuilt, what is imported, what is printed."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from leaflet import cli, fingerprint

from .conftest import DATA, po_path, watching


def build(root: Path, *extra: str, out: io.StringIO | None = None) -> str:
    out = out or io.StringIO()
    assert cli.main(["--project", str(root), "build", *extra], out) == 0, out.getvalue()
    return out.getvalue()


def built(text: str) -> list[str]:
    return re.findall(r"^built (\S+/\S+)$", text, re.M)


def test_editing_one_catalog_rebuilds_only_that_locale(real_project: Path) -> None:
    first = build(real_project, "--format", "html", "--jobs", "1")
    assert len(built(first)) == 64   # 2 leaflets x (11 locales x 3 editions - en bilingual)
    po = po_path(real_project, "es", "vertebroplasty")
    text = po.read_text("utf-8")
    po.write_text(text.replace("dolor de espalda", "dolor en la espalda", 1), "utf-8")
    assert po.read_text("utf-8") != text
    again = build(real_project, "--format", "html", "--jobs", "1")
    # Both es leaflets: a locale's sign-off covers all its catalogs, so its notice may change.
    assert sorted(built(again)) == sorted(f"es/{name}{edition}" for name in
                                    ("vertebroplasty", "vertebroplasty-home")
                                          for edition in ("", ".bilingual", ".large"))
    assert "built 6, up to date 58, refused 0 locale(s)" in again
    assert "dolor en la espalda" in (real_project / "build/es/vertebroplasty.html").read_text()


# Runs the command line, then prints which heavy modules it loaded.
HEAVY = ("import sys; from leaflet.cli import main; code = main(sys.argv[1:]); "
         "print([m for m in ('weasyprint', 'babel', 'polib', 'jinja2') if m in sys.modules]);"
         " sys.exit(code)")


def test_build_with_nothing_to_do_imports_nothing_heavy(project_dir: Path) -> None:
    """Not WeasyPrint, and not Babel, polib or Jinja2 either: the stamp answers."""
    build(project_dir, "--edition", "standard")
    run = subprocess.run([sys.executable, "-c", HEAVY, "--project", str(project_dir), "build",
                          "--edition", "standard"], capture_output=True, text=True, check=True)
    summary, heavy = run.stdout.splitlines()[-2:]
    # How long it took is the benchmark's business (bench/), not a test's: a
    # loaded machine prints 0.1 s.
    assert re.fullmatch(r"built 0, up to date 2, refused 0 locale\(s\), 0 warning\(s\) "
                        r"\[\d+\.\d s\]", summary), summary
    assert heavy == "[]"


def test_a_refused_locale_is_reported_again_without_rechecking(project_dir: Path) -> None:
    fr = po_path(project_dir, "fr", "demo")
    fr.write_text(fr.read_text().replace("24 à 48 heures", "2 à 48 heures"))
    first = io.StringIO()
    args = ["--project", str(project_dir), "build", "--format", "html"]
    assert cli.main(args, first) == 1
    run = subprocess.run([sys.executable, "-c", HEAVY, *args], capture_output=True, text=True)
    assert run.returncode == 1 and run.stdout.splitlines()[-1] == "[]"
    assert "NOT PUBLISHED fr" in first.getvalue()
    notes = [line for line in first.getvalue().splitlines()[:-1] if not built(line)]
    assert notes and run.stdout.splitlines()[:-2] == notes
    assert run.stdout.splitlines()[-2].startswith("built 0, up to date 2, refused 1 locale(s)")


def _edit_catalog(root: Path) -> str:
    po = po_path(root, "fr", "demo")
    po.write_text(po.read_text().replace("Buvez de l'eau.", "Buvez beaucoup d'eau."))
    return "Buvez beaucoup d'eau."


def _edit_template(root: Path) -> str:
    css = root / "templates" / "leaflet.css.j2"
    css.write_text(css.read_text() + "mark.untranslated { color: #000; }\n")
    return "mark.untranslated { color: #000; }"


def _edit_config(root: Path) -> str:
    config = root / "leaflet.toml"
    config.write_text(re.sub(r'phone = "[^"]*"', 'phone = "020 7946 0123"', config.read_text()))
    return "020 7946 0123"


def _edit_content(root: Path) -> str:
    source = root / "content" / "demo" / "leaflet.md"
    source.write_text(source.read_text() + "\n")   # the same text: still rebuilt
    return ""


@pytest.mark.parametrize("edit", [_edit_catalog, _edit_template, _edit_config, _edit_content])
def test_a_changed_input_is_never_missed(project_dir: Path, edit) -> None:
    assert len(built(build(project_dir, "--format", "html"))) == 5
    fingerprint.environment.cache_clear()
    assert "built 0, up to date 5" in build(project_dir, "--format", "html")
    expected = edit(project_dir)
    again = build(project_dir, "--format", "html")
    assert built(again) and "built 0," not in again
    assert expected in unescape((project_dir / "build/fr/demo.bilingual.html").read_text())


def test_a_changed_font_rebuilds(project_dir: Path, monkeypatch) -> None:
    build(project_dir, "--format", "html")
    monkeypatch.setattr(fingerprint, "fonts", lambda: ["/new/Font.ttf|0|New|Regular"])
    fingerprint.environment.cache_clear()   # computed once per process
    assert len(built(build(project_dir, "--format", "html"))) == 5
    fingerprint.environment.cache_clear()


def test_any_installed_package_changing_version_rebuilds(project_dir: Path, tmp_path: Path,
                                                          monkeypatch) -> None:
    """Not only the rendering packages: Babel's plural data, say, changes a verdict."""
    site = tmp_path / "site-packages"
    (site / "somelib-1.0.dist-info").mkdir(parents=True)
    (site / "somelib-1.0.dist-info" / "METADATA").write_text("Name: somelib\nVersion: 1.0\n")
    monkeypatch.syspath_prepend(str(site))
    fingerprint.environment.cache_clear()
    build(project_dir, "--format", "html")
    fingerprint.environment.cache_clear()
    assert "built 0, up to date 5" in build(project_dir, "--format", "html")
    (site / "somelib-1.0.dist-info").rename(site / "somelib-1.1.dist-info")
    fingerprint.environment.cache_clear()
    again = build(project_dir, "--format", "html")
    assert len(built(again)) == 5, again
    fingerprint.environment.cache_clear()


def test_jobs_1_and_2_give_the_same_outputs_in_the_same_order(project_dir: Path,
                                                              tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(project_dir, other)
    one = build(project_dir, "--jobs", "1")
    two = build(other, "--jobs", "2")
    assert built(one) == built(two) and len(built(one)) == 5
    files = sorted(p.relative_to(project_dir) for p in (project_dir / "build").rglob("*")
                   if p.is_file() and p.name != ".lock")
    assert [f.suffix for f in files].count(".pdf") == 5
    for name in files:
        assert (project_dir / name).read_bytes() == (other / name).read_bytes(), name


def test_progress_is_plain_lines_when_not_a_terminal(project_dir: Path) -> None:
    lines = [line for line in build(project_dir, "--edition", "standard", "--format", "html")
             .splitlines() if not line.startswith("not releasable ")]   # test_release.py
    assert lines[:2] == ["built en/demo", "built fr/demo"] and len(lines) == 3
    assert re.fullmatch(r"built 2, up to date 0, refused 0 locale\(s\), 0 warning\(s\) "
                        r"\[\d+\.\d s\]", lines[2])


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal(project_dir: Path) -> None:
    text = build(project_dir, "--edition", "standard", "--format", "html", out=Terminal())
    assert "\r" in text and "2/2" in text and not built(text)
    assert "built 2, up to date 0, refused 0 locale(s)" in text


def test_build_watch_rebuilds_a_saved_catalog_on_the_same_warm_workers(
        project_dir: Path) -> None:
    po = po_path(project_dir, "fr", "demo")
    page = project_dir / "build" / "fr" / "demo.html"
    with watching(project_dir, "build", "--jobs", "2", "--format", "html") as watch:
        assert len(built("".join(watch.until("watching")))) == 5
        workers = watch.children()
        assert len(workers) == 2
        po.write_text(po.read_text("utf-8").replace("un peu chaque jour", "un peu tous les jours"),
                      "utf-8")
        again = "".join(watch.until("watching"))
        assert sorted(built(again)) == ["fr/demo", "fr/demo.bilingual", "fr/demo.large"]
        assert "built 3, up to date 2, refused 0 locale(s)" in again
        assert "Marchez un peu tous les jours." in page.read_text("utf-8")
        assert watch.children() == workers   # WeasyPrint was not imported again
    # The watch stamped what it built: the same build from the command line has nothing to do.
    assert "built 0, up to date 5" in build(project_dir, "--jobs", "2", "--format", "html")


def test_build_watch_names_a_broken_input_and_builds_once_it_is_fixed(
        project_dir: Path) -> None:
    toml = project_dir / "leaflet.toml"
    good = toml.read_text("utf-8")
    with watching(project_dir, "build", "--jobs", "1", "--format", "html") as watch:
        watch.until("watching")
        toml.write_text(good.replace("[hospital]", "[hospital", 1), "utf-8")
        broken = watch.until("watching")
        assert [x for x in broken if x.startswith("error: ") and "leaflet.toml:8: " in x], broken
        assert not built("".join(broken))
        toml.write_text(good + "\n", "utf-8")
        fixed = "".join(watch.until("watching"))
        assert "built 5, up to date 0, refused 0 locale(s)" in fixed   # the config is an input
        index = project_dir / "templates" / "index.html.j2"
        good = index.read_text("utf-8")
        shutil.copy(DATA / "templates" / "index-unclosed-if.html.j2", index)
        broken = watch.until("watching")
        assert [x for x in broken if x.startswith("error: ") and "index.html.j2:" in x], broken
        (project_dir / "build" / "index.html").unlink()
        index.write_text(good, "utf-8")
        fixed = "".join(watch.until("watching"))
        assert "error" not in fixed and ", refused 0 locale(s)" in fixed
        assert (project_dir / "build" / "index.html").is_file()
