"""Sign-off and clinical approval: recorded beside the catalog or the content, shown
in the output, lapse on any change."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from leaflet import cli, config
from leaflet.project import Project
from leaflet.review import approval_for, approval_state, signoff_for


def build_fr(root: Path) -> str:
    assert cli.main(["--project", str(root), "build", "-l", "fr", "--format", "html",
                     "--edition", "standard,large", "--jobs", "1"]) == 0
    return re.sub(r"</?bdi>", "", (root / "build" / "fr" / "demo.html").read_text())


def test_signoff_replaces_notice_then_lapses_when_english_changes(project_dir: Path) -> None:
    assert "Cette traduction est une ébauche" in build_fr(project_dir)
    assert cli.main(["--project", str(project_dir), "signoff", "-l", "fr", "--reviewer",
                     "Claire Martin, traductrice médicale", "--date", "2026-03-02"]) == 0
    assert (project_dir / "locales" / "fr" / "signoff.json").is_file()
    signed = build_fr(project_dir)
    assert "Traduction vérifiée par Claire Martin, traductrice médicale le 2 mars 2026." in signed
    assert "ébauche" not in signed and "This translation is a draft" not in signed

    md = project_dir / "content" / "demo" / "leaflet.md"
    md.write_text(md.read_text().replace("Drink water.", "Drink plenty of water."))
    assert signoff_for(Project(config.load(project_dir)), "fr") is None
    assert cli.main(["--project", str(project_dir), "update"]) == 0
    assert signoff_for(Project(config.load(project_dir)), "fr") is None


def test_signoff_lapses_when_a_translation_changes(project_dir: Path) -> None:
    assert cli.main(["--project", str(project_dir), "signoff", "-l", "fr", "--reviewer",
                     "C. Martin", "--date", "2026-03-02"]) == 0
    project = Project(config.load(project_dir))
    assert signoff_for(project, "fr") == {"reviewer": "C. Martin", "date": "2026-03-02"}
    po = project_dir / "locales" / "fr" / "LC_MESSAGES" / "demo.po"
    po.write_text(po.read_text().replace("Buvez de l'eau.", "Buvez beaucoup d'eau."))
    assert signoff_for(project, "fr") is None


def test_signoff_needs_a_reviewer_name(project_dir: Path) -> None:
    assert cli.main(["--project", str(project_dir), "signoff", "-l", "fr",
                     "--reviewer", "  "]) == 4


# --- clinical approval of the English ----------------------------------------------------
def approve(root: Path) -> None:
    assert cli.main(["--project", str(root), "approve", "demo", "--reviewer",
                     "Dr Ana Silva, consultant radiologist", "--date", "2026-11-30"]) == 0


def approval(root: Path) -> dict | None:
    return approval_for(Project(config.load(root)), "demo")


def test_approval_is_recorded_beside_the_content(project_dir: Path) -> None:
    approve(project_dir)
    data = json.loads((project_dir / "content" / "demo" / "approval.json").read_text())
    assert set(data) == {"leaflet", "reviewer", "date", "version", "content"}
    assert (data["leaflet"], data["reviewer"], data["date"], data["version"]) == (
        "demo", "Dr Ana Silva, consultant radiologist", "2026-11-30", "2.1")
    assert approval(project_dir) == {"reviewer": "Dr Ana Silva, consultant radiologist",
                                     "date": "2026-11-30"}


def test_approval_survives_a_comment_and_rewrapping(project_dir: Path) -> None:
    approve(project_dir)
    md = project_dir / "content" / "demo" / "leaflet.md"
    md.write_text("<!-- reviewed by the committee -->\n" + md.read_text().replace(
        "You rest for **24 to 48 hours** after the test.",
        "You rest for **24 to 48 hours**\nafter the test."))
    assert approval(project_dir) is not None


@pytest.mark.parametrize("path, old, new", [
    ("leaflet.md", "Drink water.", "Drink plenty of water."),           # a text
    ("leaflet.md", "{#what.item-b cite=s2}", "{#what.item-b cite=s1}"),  # a citation
    ("sources.toml", 'kind = "trial"', 'kind = "web page"'),             # the evidence
    ("sources.toml", 'publisher = "test publisher"', 'publisher = "a publisher"'),
])
def test_approval_lapses_when_the_english_or_its_sources_change(project_dir: Path, path: str,
                                                                 old: str, new: str) -> None:
    approve(project_dir)
    target = project_dir / "content" / "demo" / path
    assert old in target.read_text()
    target.write_text(target.read_text().replace(old, new))
    assert approval(project_dir) is None
    state, who = approval_state(Project(config.load(project_dir)), "demo")
    assert state == "lapsed" and who == {"reviewer": "Dr Ana Silva, consultant radiologist",
                                         "date": "2026-11-30"}


def test_a_lapsed_approval_is_a_warning_in_check(project_dir: Path) -> None:
    approve(project_dir)
    md = project_dir / "content" / "demo" / "leaflet.md"
    md.write_text(md.read_text().replace("Drink water.", "Drink plenty of water."))
    out = io.StringIO()
    assert cli.main(["--project", str(project_dir), "check", "-l", "en"], out) == 0
    assert ("content/demo/approval.json: [demo] warning: the clinical approval of demo by "
            "Dr Ana Silva, consultant radiologist on 2026-11-30 has lapsed") in out.getvalue()
