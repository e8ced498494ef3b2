"""The house style of [policy]: required topics, the evidence behind numbers, a kind
for every source, review dates. tests/data/policy/ holds a complete leaflet and
broken copies of it, each with the finding it must give (file, line, entry)."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from leaflet import cli, policy

from .conftest import DATA

CASES = DATA / "policy"
CODES = {"topic-missing", "topic-unknown", "evidence-kind", "source-kind-missing",
         "review-soon", "review-passed", "approval-lapsed"}


@pytest.fixture
def policy_project(project_dir: Path) -> Path:
    """The test project on the default policy (no [policy] table), with the complete
    leaflet of tests/data/policy/ as its English."""
    toml = project_dir / "leaflet.toml"
    text = toml.read_text("utf-8")
    toml.write_text(text[:text.index("[policy]")] + text[text.index("[checks."):], "utf-8")
    use(project_dir, "leaflet.md", "sources.toml")
    return project_dir


def use(root: Path, md: str, sources: str = "sources.toml") -> None:
    shutil.copy(CASES / md, root / "content" / "demo" / "leaflet.md")
    shutil.copy(CASES / sources, root / "content" / "demo" / "sources.toml")


def check(root: Path, *extra: str) -> tuple[int, list[dict]]:
    out = io.StringIO()
    code = cli.main(["--project", str(root), "check", "-l", "en", "--format", "json", *extra],
                    out)
    return code, json.loads(out.getvalue())["findings"]


def policy_findings(root: Path, *extra: str) -> tuple[int, list[tuple]]:
    """(code, severity, file name, line, entry) of each policy finding."""
    code, found = check(root, *extra)
    return code, [(f["code"], f["severity"], Path(f["path"]).name, f["line"], f["entry"])
                  for f in found if f["code"] in CODES]


def line_of(name: str, text: str) -> int:
    """The line of `text` in a case file: the test need not count lines."""
    lines = (CASES / name).read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def set_review(root: Path, published: dt.date, review: dt.date) -> None:
    toml = root / "leaflet.toml"
    text = re.sub(r"published = \S+", f"published = {published.isoformat()}",
                  toml.read_text("utf-8"))
    toml.write_text(re.sub(r"review = \S+", f"review = {review.isoformat()}", text), "utf-8")


def test_the_complete_leaflet_has_no_policy_finding(policy_project: Path) -> None:
    assert policy_findings(policy_project) == (0, [])


@pytest.mark.parametrize("case, expected", [
    ("no-risks.md", [("topic-missing", "warning", "leaflet.md", 2, "risks")]),
    ("no-do-nothing.md", [("topic-missing", "warning", "leaflet.md", 2, "do-nothing")]),
    ("do-nothing-tagged.md", []),
    ("tag-unknown-topic.md", [
        ("topic-missing", "warning", "leaflet.md", 2, "do-nothing"),
        ("topic-unknown", "warning", "leaflet.md",
         line_of("tag-unknown-topic.md", "topic=do-nothin"), "waiting")]),
    ("benefit-figure-from-web-page.md", [
        ("evidence-kind", "warning", "leaflet.md",
         line_of("benefit-figure-from-web-page.md", "{#benefits.relief"), "benefits.relief")]),
    ("harm-figure-in-words.md", [
        ("evidence-kind", "warning", "leaflet.md",
         line_of("harm-figure-in-words.md", "{#risks.bruise"), "risks.bruise")]),
    ("do-nothing-figure-from-web-page.md", [
        ("evidence-kind", "warning", "leaflet.md",
         line_of("do-nothing-figure-from-web-page.md", "{#nothing.heals"), "nothing.heals")]),
])
def test_each_broken_leaflet_gives_its_finding(policy_project: Path, case: str,
                                               expected: list[tuple]) -> None:
    use(policy_project, case)
    assert policy_findings(policy_project) == (0, expected)   # warnings: check passes


def test_a_source_without_kind_is_named_with_its_line(policy_project: Path) -> None:
    use(policy_project, "leaflet.md", "sources-without-kind.toml")
    _, found = policy_findings(policy_project)
    line = line_of("sources-without-kind.toml", "[web]")
    # The web page backs no number, so only its missing kind is reported.
    assert found == [("source-kind-missing", "warning", "sources.toml", line, "web")]


def test_missing_topic_is_printed_with_file_and_line(policy_project: Path) -> None:
    use(policy_project, "no-risks.md")
    out = io.StringIO()
    assert cli.main(["--project", str(policy_project), "check", "-l", "en"], out) == 0
    md = policy_project / "content" / "demo" / "leaflet.md"
    assert (f"{md}:2: [risks] warning: no section on the required topic 'risks' "
            "(looked for ids: risks) (topic-missing)") in out.getvalue()
    assert "topic=risks" in out.getvalue()      # the hint says how to tag a section


def test_release_check_makes_policy_findings_errors(policy_project: Path) -> None:
    use(policy_project, "no-risks.md")
    code, found = policy_findings(policy_project, "--release")
    assert code == 1
    assert ("topic-missing", "error", "leaflet.md", 2, "risks") in found
    assert not [f for f in found if f[0] == "topic-missing" and f[1] == "warning"]


def test_a_leaflet_may_list_its_own_topics(policy_project: Path) -> None:
    use(policy_project, "no-risks.md")
    toml = policy_project / "leaflet.toml"
    toml.write_text(toml.read_text().replace('version = "2.1"\n', 'version = "2.1"\n'
                                             'topics = ["what-is", "contact"]\n'))
    assert policy_findings(policy_project) == (0, [])


def test_the_allowed_kinds_are_the_policy_s(policy_project: Path) -> None:
    use(policy_project, "benefit-figure-from-web-page.md")
    toml = policy_project / "leaflet.toml"
    toml.write_text(toml.read_text() + '\n[policy]\nevidence_kinds = ["clinic web page"]\n')
    _, found = policy_findings(policy_project)
    # The web page now counts; the review and the hospital leaflets no longer do.
    assert [entry for *_, entry in found] == ["risks.bruise", "nothing.heals"]


@pytest.mark.parametrize("text, figure", [
    ("About 90% have less pain.", True), ("More than 1 in 3 still do.", True),
    ("One in ten people get a bruise.", True), ("Rest for 24 to 48 hours.", True),
    ("Fifty per cent of people.", True), ("We will review it by {review_date}.", False),
    ("Most people go home on the same day.", False), ("It is one of the options.", False),
])
def test_what_counts_as_a_number(text: str, figure: bool) -> None:
    assert policy.states_figure(text) is figure


# --- review dates ----------------------------------------------------------------------
def test_review_date_near_warns_with_the_line_of_the_setting(project_dir: Path) -> None:
    today = dt.date.today()
    set_review(project_dir, today - dt.timedelta(days=300), today + dt.timedelta(days=30))
    code, found = policy_findings(project_dir)
    assert (code, found) == (0, [("review-soon", "warning", "leaflet.toml", 18, "demo")])
    toml = project_dir / "leaflet.toml"   # the window is a setting
    toml.write_text(toml.read_text().replace("[policy]\n", "[policy]\nreview_warning_days = 7\n"))
    assert policy_findings(project_dir) == (0, [])


def test_review_date_past_warns_in_check_and_refuses_in_release_check(
        project_dir: Path) -> None:
    set_review(project_dir, dt.date(2020, 1, 15), dt.date(2021, 1, 15))
    assert policy_findings(project_dir) == (
        0, [("review-passed", "warning", "leaflet.toml", 18, "demo")])
    code, found = policy_findings(project_dir, "--release")
    assert code == 1 and ("review-passed", "error", "leaflet.toml", 18, "demo") in found
