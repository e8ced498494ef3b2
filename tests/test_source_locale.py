"""English is the source: it has source checks and word counts, never a catalog."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from leaflet import cli


def run(root: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(["--project", str(root), *args], out), out.getvalue()


def test_check_en_runs_the_source_checks_and_passes(project_dir: Path) -> None:
    code, text = run(project_dir, "check", "-l", "en")
    assert code == 0, text
    assert "readability of demo (English): Flesch-Kincaid grade" in text
    assert "catalog missing" not in text
    assert not (project_dir / "locales" / "en").exists()


def test_check_en_still_reports_a_source_error(project_dir: Path) -> None:
    source = project_dir / "content" / "demo" / "leaflet.md"
    source.write_text(source.read_text().replace("cite=", "cite=nosuch,", 1))
    code, text = run(project_dir, "check", "-l", "en")
    assert code == 1 and "unknown source 'nosuch'" in text


def test_stats_en_counts_the_english(project_dir: Path) -> None:
    code, text = run(project_dir, "stats", "-l", "en", "--json")
    assert code == 0
    demo = json.loads(text)["en"]["demo"]
    assert demo["translated"] > 0 and demo["translated_words"] > demo["translated"]
    assert demo["untranslated"] == demo["fuzzy"] == 0 and demo["percent"] == 100.0


@pytest.mark.parametrize("command", [["init", "-l", "en"],
                                     ["signoff", "-l", "en", "--reviewer", "A. Name, MITI"]])
def test_init_and_signoff_refuse_the_source_language(project_dir: Path, command: list[str],
                                                     capsys) -> None:
    code, _ = run(project_dir, *command)
    assert code == 2
    assert "'en' is the source language" in capsys.readouterr().err
    assert not (project_dir / "locales" / "en").exists()
