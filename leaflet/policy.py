"""The house style and the release gate: plain functions that return findings.

Checks of the English source against [policy] in leaflet.toml: the topics
every leaflet must cover, the kind of evidence behind a number about benefit
or harm, a kind for every source, and the review date. `leaflet check` and a
draft build report them as warnings (the shipped content may still be being
written); `leaflet build --release` refuses a leaflet with any of those in
RELEASE_BLOCKING, and for the release's own reasons: no clinical approval, no
translator sign-off, check errors, the example hospital's settings.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import ERROR, WARNING, Finding, Leaflet, Source

if TYPE_CHECKING:
    from .config import Config

SOURCE = "en"   # leaflet-wide findings are about the English source
# Findings of the English that a release refuses although a draft build only warns.
RELEASE_BLOCKING = frozenset({"topic-missing", "evidence-kind", "source-kind-missing",
                              "review-passed"})
# A figure: digits ("90%", "1 in 3", "24 to 48 hours"), a rate in words
# ("one in ten"), or per cent written out.
_NUMBER_WORD = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|a hundred|"
                r"hundred|a thousand|thousand)")
_FIGURE = re.compile(r"\d|\b" + _NUMBER_WORD + r"\s+in\s+(?:every\s+)?" + _NUMBER_WORD + r"\b"
                     r"|\bper\s?cent\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def states_figure(text: str) -> bool:
    """Whether a block's text gives a number (placeholders such as dates do not count)."""
    return bool(_FIGURE.search(_PLACEHOLDER.sub(" ", text)))


def covering(leaflet: Leaflet, topic: str, cfg: Config) -> list[str]:
    """Ids of the sections (or blocks) that cover a topic: by id, by the policy's
    [policy.sections], or by a topic= tag on the section heading."""
    ids = {topic, *cfg.policy.sections.get(topic, ())}
    found = []
    for section in leaflet.sections:
        if section.id in ids or topic in section.topics:
            found.append(section.id)
        found += [b.id for b in section.blocks if b.id in ids]
    return found


def topic_findings(leaflet: Leaflet, cfg: Config) -> list[Finding]:
    required = cfg.topics_for(leaflet.id)
    found = []
    for topic in required:
        if covering(leaflet, topic, cfg):
            continue
        ids = [topic, *cfg.policy.sections.get(topic, ())]
        found.append(Finding(
            WARNING, "topic-missing", SOURCE, leaflet.path, leaflet.title.line, topic,
            f"no section on the required topic {topic!r} (looked for ids: {', '.join(ids)})",
            f"add a section '## ... {{#{topic}}}', or tag the section that covers it: "
            f"'## Heading {{#id topic={topic}}}'"))
    known = {*required, *cfg.policy.topics, *cfg.policy.sections, *cfg.policy.evidence_topics}
    for section in leaflet.sections:
        for topic in section.topics:
            if topic not in known:
                found.append(Finding(
                    WARNING, "topic-unknown", SOURCE, leaflet.path, section.line, section.id,
                    f"topic={topic} is not a topic of the policy",
                    "use a name from [policy] topics in leaflet.toml: " + ", ".join(required)))
    return found


def evidence_findings(leaflet: Leaflet, cfg: Config) -> list[Finding]:
    """A number about benefit or harm must rest on a source of an allowed kind."""
    allowed = cfg.policy.evidence_kinds
    about = {sid for topic in cfg.policy.evidence_topics for sid in covering(leaflet, topic, cfg)}
    kind_of = {s.id: s.kind for s in leaflet.sources}
    found = []
    for section in leaflet.sections:
        for block in section.blocks:
            if (section.id not in about and block.id not in about) or not states_figure(
                    block.text):
                continue
            kinds = [kind_of[c] for c in block.cites]
            if any(k in allowed for k in kinds):
                continue
            cited = ", ".join(f"{c} ({k or 'no kind'})"
                              for c, k in zip(block.cites, kinds, strict=True))
            found.append(Finding(
                WARNING, "evidence-kind", SOURCE, leaflet.path, block.line, block.id,
                f"states a number about benefit or harm, but cites only {cited}",
                "cite a source of a kind the policy allows (" + ", ".join(allowed)
                + "), or leave the number out"))
    return found


def kind_findings(leaflet: Leaflet) -> list[Finding]:
    register = str(Path(leaflet.path).with_name("sources.toml"))
    return [Finding(WARNING, "source-kind-missing", SOURCE, register, s.line, s.id,
                    f"source {s.id!r} has no kind",
                    'say what sort of source it is: kind = "national guidance", '
                    '"systematic review", "trial", "hospital leaflet", "web page", ...')
            for s in leaflet.sources if not s.kind]


def review_findings(cfg: Config, name: str, today: dt.date) -> list[Finding]:
    review = cfg.meta[name].review
    left = (review - today).days
    where = f"leaflets.{name}.review"
    line = cfg.lines.get(where) or None
    config = cfg.path.name
    if left < 0:
        return [Finding(WARNING, "review-passed", SOURCE, config, line, name,
                        f"the review date {review.isoformat()} of {name} has passed",
                        "review the leaflet with its clinical team, approve it again if it "
                        f"changed, and set the next review date under [leaflets.{name}]")]
    if left <= cfg.policy.review_warning_days:
        return [Finding(WARNING, "review-soon", SOURCE, config, line, name,
                        f"{name} is due for review on {review.isoformat()}, in {left} day(s)",
                        "plan the review with the clinical team before that date: a release "
                        "refuses it after")]
    return []


def source_findings(leaflet: Leaflet, cfg: Config, today: dt.date | None = None
                    ) -> list[Finding]:
    """Every policy finding of one leaflet's English (warnings)."""
    return (topic_findings(leaflet, cfg) + evidence_findings(leaflet, cfg)
            + kind_findings(leaflet) + review_findings(cfg, leaflet.id, today or dt.date.today()))


def sources_by_kind(leaflet: Leaflet) -> list[tuple[str, list[Source]]]:
    """The source register grouped by kind, for status.html ('' last: no kind)."""
    groups: dict[str, list[Source]] = {}
    for source in leaflet.sources:
        groups.setdefault(source.kind, []).append(source)
    return sorted(groups.items(), key=lambda item: (not item[0], item[0]))


# --- the release gate ---------------------------------------------------------------
def _blocking(finding: Finding) -> Finding:
    return dataclasses.replace(finding, severity=ERROR)


def project_blockers(cfg: Config) -> list[Finding]:
    if not cfg.example:
        return []
    return [Finding(ERROR, "example-hospital", SOURCE, cfg.path.name,
                    cfg.lines.get("hospital.example") or None, None,
                    "the hospital settings are the shipped example, not a real hospital's",
                    "put your hospital's name, department and phone under [hospital] in "
                    "leaflet.toml, and set example = false")]


def leaflet_blockers(name: str, path: str, findings: list[Finding], approval: str,
                     approved: dict[str, str] | None) -> list[Finding]:
    """What stops one leaflet in every language: its approval and its policy findings.

    `approval` is review.approval_state's verdict; `approved` the lapsed record."""
    found = [_blocking(f) for f in findings if f.code in RELEASE_BLOCKING]
    hint = f"a clinician reviews the English, then: leaflet approve {name} --reviewer " \
           "'Name, role'"
    if approval == "missing":
        found.insert(0, Finding(ERROR, "approval-missing", SOURCE, path, None, name,
                                f"{name} is not clinically approved", hint))
    elif approval == "lapsed" and approved:
        found.insert(0, Finding(ERROR, "approval-lapsed", SOURCE, path, None, name,
                                f"the clinical approval of {name} by {approved['reviewer']} on "
                                f"{approved['date']} has lapsed: the English changed since",
                                hint))
    return found


def locale_blockers(locale: str, path: str, signoff: str, errors: int) -> list[Finding]:
    """What stops one language in every leaflet: its sign-off and its checks."""
    found = []
    hint = f"a qualified translator checks it, then: leaflet signoff -l {locale} --reviewer " \
           "'Name, qualification'"
    if signoff == "missing":
        found.append(Finding(ERROR, "signoff-missing", locale, path, None, None,
                             "the translation is not signed off by a qualified translator",
                             hint))
    elif signoff == "lapsed":
        found.append(Finding(ERROR, "signoff-lapsed", locale, path, None, None,
                             "the translator's sign-off has lapsed: the English or the "
                             "translation changed since", hint))
    if errors:
        found.append(Finding(ERROR, "checks-failed", locale, path, None, None,
                             f"the translation fails {errors} check(s)",
                             f"run 'leaflet check -l {locale}' and fix every error"))
    return found


Gate = dict[tuple[str, str], list[Finding]]   # (leaflet, locale) -> why not releasable


@dataclasses.dataclass
class Blockers:
    """Why a release refuses: for the whole project, per leaflet, per locale."""
    project: list[Finding]
    leaflets: dict[str, list[Finding]]
    locales: dict[str, list[Finding]]

    def gate(self) -> Gate:
        """Every leaflet x locale with the reasons it may not be released (none: it may)."""
        return {(name, locale): [*self.project, *found, *why]
                for name, found in self.leaflets.items() for locale, why in self.locales.items()}

    def findings(self) -> list[Finding]:
        """Each reason once (not once per leaflet x locale), for `leaflet check --release`."""
        return [*self.project, *(f for found in self.leaflets.values() for f in found),
                *(f for found in self.locales.values() for f in found)]


def reasons(found: list[Finding]) -> list[str]:
    """One line per kind of reason: "source 'a' has no kind (and 4 more) (code)"."""
    by_code: dict[str, list[Finding]] = {}
    for f in found:
        by_code.setdefault(f.code, []).append(f)
    return [f"{same[0].message}{f' (and {len(same) - 1} more)' if len(same) > 1 else ''} "
            f"({code})" for code, same in by_code.items()]


def reason_lines(gate: Gate, verb: str) -> list[str]:
    """The build summary: per leaflet, its refused locales grouped by the same reasons."""
    lines = []
    for name in dict.fromkeys(n for n, _ in gate):
        groups: dict[tuple[str, ...], list[str]] = {}
        for (leaflet, locale), found in gate.items():
            if leaflet == name and found:
                groups.setdefault(tuple(reasons(found)), []).append(locale)
        for why, locales in groups.items():
            lines.append(f"{verb} {name} [{' '.join(locales)}]: " + "; ".join(why))
    return lines


def release_row(leaflet: Leaflet, cfg: Config, approval: tuple[str, dict[str, str] | None],
                gate: Gate, today: dt.date | None = None) -> dict[str, Any]:
    """One leaflet's part of build/status.html: approval, review date, whether each
    locale is releasable and why not, and its sources by kind."""
    from .lang import info
    state, who = approval
    review = cfg.meta[leaflet.id].review
    locales = []
    for (name, locale), found in gate.items():
        if name != leaflet.id:
            continue
        loc = info(locale)
        locales.append({"locale": locale, "tag": loc.tag, "dir": loc.direction,
                        "native": loc.native, "english": loc.english,
                        "releasable": not found, "reasons": reasons(found)})
    return {"id": leaflet.id, "title": re.sub(r"</?strong>", "", leaflet.title.text),
            "approval": state, "approved": who, "review": review.isoformat(),
            "review_days": (review - (today or dt.date.today())).days,
            "warn_days": cfg.policy.review_warning_days, "locales": locales,
            "kinds": [(kind or "no kind given", sources)
                      for kind, sources in sources_by_kind(leaflet)]}
