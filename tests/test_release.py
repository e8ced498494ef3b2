"""Draft and release builds: clinical approval, translator sign-off, review dates and
the example hospital decide what `leaflet build --release` publishes."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
from html import unescape
from pathlib import Path

import polib
import pytest
from pypdf import PdfReader

from leaflet import cli, config, content

from .conftest import ROOT, real_outputs

NOTICE = ("The hospital's clinical team has not yet approved the medical content of this "
          "leaflet. If anything is unclear, ask your care team.")
HOSPITAL = ('[hospital]\nexample = false\nhospital_name = "St Elsewhere Hospital"\n'
            'department = "Department of Interventional Radiology"\nphone = "020 7946 0123"\n'
            # the hospital's own rules, which the shipped leaflets' text uses
            'fasting_hours = "6"\nblood_thinner_call_days = "7"\nno_driving_hours = "24"\n'
            'stay_hours = "6"\n')


def run(root: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(["--project", str(root), *args], out), out.getvalue()


def fill_hospital(root: Path) -> None:
    """A hospital's own settings in place of the shipped example ones (names per
    language dropped: they are the example hospital's too)."""
    toml = root / "leaflet.toml"
    text = re.sub(r"(?ms)^\[hospital\]\n.*?(?=^\[(?!hospital\]))", HOSPITAL + "\n",
                  toml.read_text("utf-8"))
    text = re.sub(r"(?ms)^\[hospital\.[A-Za-z_]+\]\n.*?(?=^\[)", "", text)
    toml.write_text(text, "utf-8")
    assert not config.load(root).example


def approve_and_sign_off(root: Path) -> None:
    cfg = config.load(root)
    for name in cfg.leaflets:
        assert run(root, "approve", name, "--reviewer", "Dr Ana Silva, consultant radiologist",
                   "--date", "2026-11-30")[0] == 0
    for locale in cfg.locales:
        assert run(root, "signoff", "-l", locale, "--reviewer",
                   "A. Translator, medical translator", "--date", "2026-11-30")[0] == 0


def released(root: Path) -> set[str]:
    folder = root / "build" / "release"
    return {str(p.relative_to(folder)) for p in folder.rglob("*.html") if p.name != "index.html"}


def edit_one_block(root: Path, name: str) -> str:
    """Reword the first paragraph of a leaflet's English; returns its id."""
    leaflet = content.load(root / "content" / name, config.PLACEHOLDERS)
    block = next(b for s in leaflet.sections for b in s.blocks if b.kind == "paragraph")
    md = Path(leaflet.path)
    lines = md.read_text("utf-8").splitlines(keepends=True)
    lines[block.line] = lines[block.line].rstrip("\n") + " Ask us.\n"   # its first text line
    md.write_text("".join(lines), "utf-8")
    return block.id


def meet_house_style(root: Path) -> set[str]:
    """Bring a copy of the shipped English up to the house style where it falls short,
    as its author would be told to, and return the codes that needed it (none once the
    English covers the policy): a source without a kind becomes a "web page", a topic
    it lacks leaves the copy's required topics, and numbers may rest on web pages. The
    rules themselves are tested in test_policy.py; here the subject is the release."""
    report = json.loads(run(root, "check", "-l", "en", "--format", "json")[1])
    found = [f for f in report["findings"]
             if f["code"] in ("topic-missing", "evidence-kind", "source-kind-missing")]
    for f in sorted(found, key=lambda f: -f["line"]):   # last first: lines stay right
        if f["code"] == "source-kind-missing":
            register = Path(f["path"])
            lines = register.read_text("utf-8").splitlines(keepends=True)
            lines.insert(f["line"], 'kind = "web page"\n')   # just below its [id]
            register.write_text("".join(lines), "utf-8")
    toml = root / "leaflet.toml"
    text = toml.read_text("utf-8")
    missing = {f["entry"] for f in found if f["code"] == "topic-missing"}
    if missing:
        topics = [t for t in config.load(root).policy.topics if t not in missing]
        text = re.sub(r"(?ms)^topics = \[.*?\]", "topics = " + json.dumps(topics), text, count=1)
    if any(f["code"] == "evidence-kind" for f in found):
        text = text.replace("evidence_kinds = [", 'evidence_kinds = ["web page", ', 1)
    toml.write_text(text, "utf-8")
    return {f["code"] for f in found}


# --- the shipped project ---------------------------------------------------------------
def test_shipped_project_draft_pages_carry_the_not_approved_notice(real_build: Path) -> None:
    """Built as drafts (the fixture's build passed): every edition in every language
    says, in its language, that the leaflet is not yet clinically approved."""
    for _, locale, _, path in real_outputs("html"):
        html = unescape((real_build / path).read_text("utf-8"))
        if locale != config.SOURCE_LOCALE:
            po = polib.pofile(str(ROOT / "locales" / locale / "LC_MESSAGES" / "ui.po"))
            (entry,) = [e for e in po if e.msgctxt == "ui.approval.draft"]
            assert entry.msgstr and entry.msgstr in html, path
        assert NOTICE in html, path
        assert "Approved by" not in html, path
    text = PdfReader(real_build / "en" / "vertebroplasty.pdf").pages[0].extract_text()
    assert "has not yet approved the medical content" in " ".join(text.split())


def test_shipped_project_status_says_why_not_releasable(real_build: Path) -> None:
    status = unescape(re.sub(r"<[^>]+>", " ", (real_build / "status.html").read_text("utf-8")))
    status = " ".join(status.split())
    assert "Clinical approval: not approved" in status
    assert "0 of 11 languages releasable" in status
    for code in ("approval-missing", "signoff-missing", "example-hospital"):
        assert f"({code})" in status
    assert "Sources by kind" in status


def test_shipped_project_release_refuses_naming_every_reason(real_project: Path) -> None:
    code, out = run(real_project, "build", "--release", "--format", "html", "--jobs", "1")
    assert code == 1
    lines = {line.split(":")[0]: line for line in out.splitlines()
             if line.startswith("NOT RELEASED ")}
    cfg = config.load(real_project)
    for name in cfg.leaflets:
        en, others = lines[f"NOT RELEASED {name} [en]"], lines[
            f"NOT RELEASED {name} [{' '.join(cfg.locales)}]"]
        for reason in ("(approval-missing)", "(example-hospital)"):
            assert reason in en and reason in others
        assert "(signoff-missing)" in others and "signoff" not in en
    assert released(real_project) == set()
    assert "No leaflet has been released yet." in (
        real_project / "build" / "release" / "index.html").read_text()


# --- a hospital's own project ---------------------------------------------------------
def test_approved_and_signed_off_releases_everything_until_the_english_changes(
        real_project: Path) -> None:
    fill_hospital(real_project)
    meet_house_style(real_project)
    approve_and_sign_off(real_project)
    code, out = run(real_project, "build", "--release", "--format", "html", "--jobs", "2")
    assert code == 0, out
    assert "NOT RELEASED" not in out
    assert released(real_project) == {p for *_, p in real_outputs("html")}
    en = unescape((real_project / "build/release/en/vertebroplasty.html").read_text())
    assert NOTICE not in en and "This translation is a draft" not in en
    assert re.sub(r"</?bdi>", "", en).count(
        "Approved by Dr Ana Silva, consultant radiologist on November 30, 2026.") == 2
    index = (real_project / "build" / "release" / "index.html").read_text()
    assert 'href="de/vertebroplasty.large.html"' in index

    name = config.load(real_project).leaflets[0]
    edit_one_block(real_project, name)
    code, out = run(real_project, "build", "--release", "--format", "html", "--jobs", "1")
    assert code == 1
    (en_line,) = [x for x in out.splitlines() if x.startswith(f"NOT RELEASED {name} [en]")]
    assert en_line == (f"NOT RELEASED {name} [en]: the clinical approval of {name} by Dr Ana "
                       "Silva, consultant radiologist on 2026-11-30 has lapsed: the English "
                       "changed since (approval-lapsed)")
    assert not [p for p in released(real_project) if p.split("/")[1].startswith(f"{name}.")]


@pytest.fixture
def hospital_project(project_dir: Path) -> Path:
    """The test project with a real hospital's settings, approved and signed off."""
    fill_hospital(project_dir)
    approve_and_sign_off(project_dir)
    return project_dir


def test_release_publishes_html_and_pdf_with_the_approval(hospital_project: Path) -> None:
    code, out = run(hospital_project, "build", "--release", "--jobs", "1")
    assert code == 0, out
    folder = hospital_project / "build" / "release"
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*.pdf")) == [
        "en/demo.large.pdf", "en/demo.pdf", "fr/demo.bilingual.pdf", "fr/demo.large.pdf",
        "fr/demo.pdf"]
    fr = re.sub(r"</?bdi>", "", (folder / "fr" / "demo.html").read_text())
    assert "Approuvé par Dr Ana Silva, consultant radiologist le 30 novembre 2026." in fr
    assert "Traduction vérifiée par A. Translator" in fr and "pas encore approuvé" not in fr
    text = " ".join(PdfReader(folder / "fr" / "demo.pdf").pages[0].extract_text().split())
    assert "Approuvé par Dr Ana Silva" in text
    assert not (hospital_project / "build" / "fr").exists()   # drafts are not built by it


def test_review_date_past_release_refuses_and_build_warns(hospital_project: Path) -> None:
    assert run(hospital_project, "build", "--release", "--format", "html", "--jobs", "1")[0] == 0
    assert released(hospital_project)
    toml = hospital_project / "leaflet.toml"
    toml.write_text(toml.read_text().replace("published = 2026-01-15", "published = 2020-01-15")
                    .replace("review = 2036-01-15", "review = 2021-01-15"))
    line = toml.read_text().splitlines().index("review = 2021-01-15") + 1
    code, out = run(hospital_project, "build", "--format", "html", "--jobs", "1")
    assert code == 0
    assert f"warning: leaflet.toml:{line}: the review date 2021-01-15 of demo has passed" in out
    assert "not releasable demo [en fr]: the review date 2021-01-15 of demo has passed " \
           "(review-passed)" in out
    assert (hospital_project / "build" / "fr" / "demo.html").is_file()   # a draft is built

    code, out = run(hospital_project, "build", "--release", "--format", "html", "--jobs", "1")
    assert code == 1
    assert "NOT RELEASED demo [en fr]: the review date 2021-01-15 of demo has passed " \
           "(review-passed)" in out
    assert released(hospital_project) == set()   # withdrawn from the earlier release


def test_review_date_near_warns_and_still_releases(hospital_project: Path) -> None:
    soon = dt.date.today() + dt.timedelta(days=20)
    toml = hospital_project / "leaflet.toml"
    toml.write_text(toml.read_text().replace("published = 2026-01-15", "published = 2020-01-15")
                    .replace("review = 2036-01-15", f"review = {soon.isoformat()}"))
    code, out = run(hospital_project, "build", "--release", "--format", "html", "--jobs", "1")
    assert code == 0 and "NOT RELEASED" not in out
    assert f"demo is due for review on {soon.isoformat()}, in 20 day(s)" in out


def test_a_lapsed_sign_off_refuses_only_its_locale(hospital_project: Path) -> None:
    po = hospital_project / "locales" / "fr" / "LC_MESSAGES" / "demo.po"
    po.write_text(po.read_text().replace("Buvez de l'eau.", "Buvez beaucoup d'eau."))
    code, out = run(hospital_project, "build", "--release", "--format", "html", "--jobs", "1")
    assert code == 1
    assert [x for x in out.splitlines() if x.startswith("NOT RELEASED")] == [
        ("NOT RELEASED demo [fr]: the translator's sign-off has lapsed: the English or the "
         "translation changed since (signoff-lapsed)")]
    assert released(hospital_project) == {"en/demo.html", "en/demo.large.html"}
    index = (hospital_project / "build" / "release" / "index.html").read_text()
    assert 'href="en/demo.html"' in index and 'href="fr/' not in index
    en = (hospital_project / "build" / "release" / "en" / "demo.html").read_text()
    assert 'hreflang="fr"' not in en   # links only to languages released with it


def test_release_check_lists_each_reason_once_and_the_gate(project_dir: Path) -> None:
    code, out = run(project_dir, "check", "--release", "--format", "json")
    assert code == 1
    report = json.loads(out)
    codes = [f["code"] for f in report["findings"] if f["severity"] == "error"]
    assert sorted(codes) == ["approval-missing", "example-hospital", "signoff-missing"]
    assert report["release"] == {"demo": {
        "en": ["example-hospital", "approval-missing"],
        "fr": ["example-hospital", "approval-missing", "signoff-missing"]}}


def test_draft_and_release_exclude_each_other(project_dir: Path, capsys) -> None:
    assert run(project_dir, "build", "--draft", "--release")[0] == 1
    assert "--draft and --release exclude each other" in capsys.readouterr().err


def test_approve_refuses_an_unknown_leaflet_and_an_empty_name(project_dir: Path,
                                                               capsys) -> None:
    assert run(project_dir, "approve", "nosuch", "--reviewer", "Dr A")[0] == 2
    assert "no leaflet 'nosuch'" in capsys.readouterr().err
    assert run(project_dir, "approve", "demo", "--reviewer", " ")[0] == 2
    assert not (project_dir / "content" / "demo" / "approval.json").exists()
