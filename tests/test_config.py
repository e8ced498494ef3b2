"""Broken project set-up: leaflet.toml files under tests/data/config/, each with its
exact error, and missing or broken templates."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from leaflet import cli, config

from .conftest import DATA

CASES = DATA / "config"
# case -> (line or None, words the message must contain)
EXPECTED = {
    "syntax-unclosed-list.toml": (5, "not valid TOML"),
    "syntax-duplicate-key.toml": (7, "not valid TOML"),
    "empty.toml": (None, "missing table [project]"),
    "missing-project-table.toml": (None, "missing table [project]"),
    "missing-phone.toml": (8, "missing setting hospital.phone"),
    "phone-not-text.toml": (12, 'hospital.phone must be text in "quotes"'),
    "locale-path-traversal.toml": (4, "invalid locale name '../../etc'"),
    "locale-unknown.toml": (4, "unknown locale 'xx'"),
    "leaflet-name-traversal.toml": (5, "invalid leaflet name '../demo'"),
    "leaflet-settings-missing.toml": (5, "missing table [leaflets.demo]"),
    "review-before-published.toml": (18, "leaflets.demo.review is not after published"),
    "date-as-text.toml": (17, "leaflets.demo.published must be a date"),
    "page-size-unknown.toml": (6, "page_size 'A3' not supported"),
    "allow-unchanged-not-list.toml": (22, "checks.allow_unchanged must map locales"),
    "not-utf8.toml": (11, "not UTF-8 text"),
    "hospital-per-language-phone.toml": (15, "hospital.fr.phone cannot be set per language"),
    "hospital-per-language-unknown-locale.toml": (14, "unknown locale 'xx'"),
    "rule-not-number.toml": (14, "hospital.fasting_hours must be a whole number in quotes"),
    "rule-not-text.toml": (13, 'hospital.no_driving_hours must be text in "quotes"'),
    "hospital-per-language-empty.toml": (16, "missing setting hospital.fr.department"),
    # a second leaflet: its own lines, not the first's
    "two-leaflets-second-review-before-published.toml":
        (24, "leaflets.second.review is not after published"),
    "two-leaflets-second-date-as-text.toml": (23, "leaflets.second.published must be a date"),
    "two-leaflets-second-version-not-text.toml":
        (22, 'leaflets.second.version must be text in "quotes"'),
    "two-leaflets-second-version-missing.toml":   # the line of its table
        (20, "missing setting leaflets.second.version"),
    "two-leaflets-second-inline-review-as-text.toml":   # an inline table
        (15, "leaflets.second.review must be a date"),
    "example-as-text.toml": (9, "hospital.example must be true or false"),
    "leaflet-topics-not-list.toml": (19, "leaflets.demo.topics must be a list"),
    "policy-unknown-setting.toml": (24, "unknown setting policy.review_days"),
    "policy-warning-days-text.toml": (24, "policy.review_warning_days must be a whole number"),
    "policy-topics-not-list.toml": (23, "policy.topics must be a list"),
    "policy-topic-bad-name.toml": (23, "policy.topics: bad topic name 'what happens'"),
    "policy-sections-not-list.toml": (26, "policy.sections.what-happens must be a list"),
    "glossary-severity-unknown.toml":
        (23, 'checks.glossary.severity must be "warning" or "error", not \'fatal\''),
    "glossary-locale-unknown.toml": (26, "unknown locale 'xx'"),
    "glossary-unknown-setting.toml": (23, "unknown setting checks.glossary.level"),
}
GOOD = ["ok-regional-fallback.toml", "ok-glossary-severity.toml"]


def test_every_case_is_tested() -> None:
    assert {p.name for p in CASES.iterdir()} == set(EXPECTED) | set(GOOD)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_config_stops_with_file_line_and_hint(name: str, tmp_path: Path, capsys) -> None:
    root = tmp_path / "project"
    shutil.copytree(DATA / "project", root)
    shutil.copy(CASES / name, root / "leaflet.toml")
    code = cli.main(["--project", str(root), "build", "--jobs", "1"])
    err = capsys.readouterr().err
    line, words = EXPECTED[name]
    where = f"{root / 'leaflet.toml'}:{line}:" if line else f"{root / 'leaflet.toml'}:"
    assert code == 2
    assert err.startswith(f"error: {where}") and words in err
    assert "\n  -> " in err or "must be" in err      # says what to do
    assert not (root / "build").exists()            # nothing written, nothing partial


def test_missing_templates_stop_before_anything_is_extracted(tmp_path: Path, capsys) -> None:
    root = tmp_path / "project"
    shutil.copytree(DATA / "project", root, ignore=shutil.ignore_patterns("templates"))
    ui_pot = (root / "locales" / "ui.pot").read_bytes()
    code = cli.main(["--project", str(root), "update"])
    assert code == 2 and "templates/leaflet.html.j2 not found" in capsys.readouterr().err
    assert (root / "locales" / "ui.pot").read_bytes() == ui_pot   # no UI string retired


def test_broken_template_names_file_and_line(tmp_path: Path, capsys) -> None:
    root = tmp_path / "project"
    shutil.copytree(DATA / "project", root)
    shutil.copy(DATA / "templates" / "index-unclosed-if.html.j2",
                root / "templates" / "index.html.j2")
    code = cli.main(["--project", str(root), "build", "--jobs", "1", "--format", "html"])
    err = capsys.readouterr().err
    assert code == 6
    assert "error: templates/index.html.j2:36: template failed: Encountered unknown tag" in err
    assert not (root / "build" / "index.html").exists()


def test_hospital_names_per_language(tmp_path: Path) -> None:
    path = tmp_path / "leaflet.toml"
    text = (DATA / "project" / "leaflet.toml").read_text("utf-8")
    path.write_text(text + '\n[hospital.fr]\ndepartment = "Consultation de test"\n', "utf-8")
    cfg = config.parse(path.read_text("utf-8"), path)
    assert cfg.hospital_for("fr")["department"] == "Consultation de test"
    assert cfg.hospital_for("fr")["phone"] == cfg.hospital["phone"] == "020 7946 0999"
    assert cfg.hospital_for("de")["department"] == cfg.hospital["department"] == "Test Clinic"


def test_hospital_rules_are_settings(tmp_path: Path) -> None:
    path = tmp_path / "leaflet.toml"
    text = (DATA / "project" / "leaflet.toml").read_text("utf-8")
    path.write_text(text.replace('phone = "020 7946 0999"\n', 'phone = "020 7946 0999"\n'
                                 'fasting_hours = " 6 "\nstay_hours = "24"\n'), "utf-8")
    cfg = config.parse(path.read_text("utf-8"), path)
    assert cfg.hospital_for("fr")["fasting_hours"] == "6"
    assert cfg.hospital["stay_hours"] == "24" and "no_driving_hours" not in cfg.hospital
    assert set(config.RULE_KEYS) <= config.PLACEHOLDERS


def test_rule_a_leaflet_uses_must_be_set(tmp_path: Path, capsys) -> None:
    """The demo sets no rule; once its text uses one, leaflet.toml must set it."""
    root = tmp_path / "project"
    shutil.copytree(DATA / "project", root)
    md = root / "content" / "demo" / "leaflet.md"
    md.write_text(md.read_text("utf-8") + "\n{#help.fasting cite=s1}\n"
                  "Do not eat for {fasting_hours} hours before the test.\n", "utf-8")
    line = md.read_text("utf-8").splitlines().index("{#help.fasting cite=s1}") + 1
    for command in (["check"], ["build", "--jobs", "1"]):
        code = cli.main(["--project", str(root), *command])
        err = capsys.readouterr().err
        assert code == 2
        assert err.startswith(f"error: {root / 'leaflet.toml'}:8: missing setting "
                              "hospital.fasting_hours")
        assert f"under [hospital]: it is used by {md} line {line}" in err
    # nothing written but the build's lock file
    assert [p.name for p in (root / "build").rglob("*")] in ([], [".lock"])
def test_regional_locales_fall_back_to_their_language() -> None:
    path = CASES / "ok-regional-fallback.toml"
    cfg = config.parse(path.read_text("utf-8"), path)
    names = {loc: (cfg.hospital_for(loc)["hospital_name"], cfg.hospital_for(loc)["department"])
             for loc in cfg.locales}
    assert names["ar_EG"] == ("مستشفى الاختبار", "عيادة الاختبار بالقاهرة")   # own, then ar
    assert names["pt_BR"] == ("Hospital de Teste", "Clínica de Teste")
    assert names["zh_Hans_CN"] == ("测试医院", "测试诊所")
    # Traditional Chinese is not zh_Hans's child: the default, never Simplified names
    assert names["zh_Hant_TW"] == names["fr"] == ("Test Hospital (fictional)", "Test Clinic")
    assert cfg.hospital_for("pt_BR")["phone"] == "020 7946 0999"
    assert cfg.allow_for("pt_BR") == {"Vertebroplastia"} and cfg.allow_for("pt") == {
        "Vertebroplastia"}
    assert cfg.allow_for("ar_EG") == frozenset()


def test_a_regional_locale_is_built_with_its_language_s_names(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(DATA / "project", root)
    shutil.copy(CASES / "ok-regional-fallback.toml", root / "leaflet.toml")
    assert cli.main(["--project", str(root), "init", "-l", "pt_BR"]) == 0
    assert cli.main(["--project", str(root), "preview", "-l", "pt_BR"]) == 0
    html = (root / "build" / "drafts" / "pt_BR" / "demo.html").read_text("utf-8")
    assert "Hospital de Teste · Clínica de Teste" in html and "Test Clinic" not in html


def test_glossary_severity_per_locale_falls_back_to_the_language() -> None:
    path = CASES / "ok-glossary-severity.toml"
    cfg = config.parse(path.read_text("utf-8"), path)
    assert cfg.glossary_severity("pt_BR") == "error"     # from [checks.glossary.locales] pt
    assert cfg.glossary_severity("fr") == "warning"      # the project's
    shipped = config.parse((CASES / "ok-regional-fallback.toml").read_text("utf-8"), path)
    assert shipped.glossary_severity("fr") == "warning"  # nothing set: a warning
