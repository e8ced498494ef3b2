"""Sign-off: recorded beside the catalog, shown in the output, lapses on any change."""
from __future__ import annotations

import re
from pathlib import Path

from leaflet import cli, config
from leaflet.project import Project
from leaflet.review import signoff_for


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
