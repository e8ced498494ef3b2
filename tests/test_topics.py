"""Every topic a patient-information committee asks for (issue 18), mapped to the
blocks that cover it in the shipped leaflets. A block id that disappears, or a
topic left with no block, fails here: rewording a block keeps its id, so this
map changes only when the content's structure does."""
from __future__ import annotations

import pytest

from leaflet import config, content

from .conftest import ROOT

# leaflet -> topic -> (section id, block ids that cover the topic)
TOPICS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "vertebroplasty": {
        "what-is": ("what-is", ("what-is.summary", "what-is.aim", "what-is.small",
                                "what-is.who-does")),
        "why": ("why", ("why.fracture", "why.pain", "why.causes-intro",
                        "why.cause-osteoporosis", "why.cause-cancer", "why.cause-injury")),
        "who-for": ("who", ("who.guidance", "who.rule-recent", "who.rule-pain",
                            "who.rule-confirmed", "who.how-recent", "who.team")),
        "who-not": ("who", ("who.less", "who.not-for", "who.not-undo", "who.decide")),
        "benefits": ("benefits", ("benefits.sham", "benefits.finding", "benefits.recent",
                                  "benefits.other-trial", "benefits.claims",
                                  "benefits.ask")),
        "risks": ("risks", ("risks.overview", "risks.bruise", "risks.infection",
                            "risks.allergy", "risks.cement", "risks.nerve", "risks.ribs",
                            "risks.fever", "risks.pain-worse", "risks.xray",
                            "risks.unknown", "risks.talk")),
        "alternatives": ("alternatives", ("alternatives.options", "alternatives.pain-relief",
                                          "alternatives.brace", "alternatives.kyphoplasty",
                                          "alternatives.surgery")),
        "nothing": ("nothing", ("nothing.heals", "nothing.pain-lasts")),
        "choice": ("choice", ("choice.yours", "choice.say-no")),
        "before": ("before", ("before.scans", "before.check", "before.tell")),
        "blood-thinners": ("before", ("before.tell-blood", "before.blood-thinners")),
        "medicines": ("before", ("before.medicines",)),
        "allergies": ("before", ("before.tell-allergy",)),
        "pregnancy": ("before", ("before.tell-pregnant",)),
        "fasting": ("before", ("before.fasting",)),
        "stay": ("before", ("before.stay",)),
        "anaesthetic": ("during", ("during.awake", "during.asleep", "during.numb")),
        "duration": ("during", ("during.time",)),
        "during": ("during", ("during.steps", "during.position", "during.needle",
                              "during.cement", "during.finish")),
        "after": ("after", ("after.lie-flat", "after.sore", "after.instructions",
                            "after.lifting", "after.activities")),
        "escort": ("after", ("after.escort",)),
        "driving": ("after", ("after.driving",)),
        "urgent": ("urgent", ("urgent.emergency", "urgent.call", "urgent.fever",
                              "urgent.red")),
        "follow-up": ("bones", ("bones.treatment", "bones.ask")),
        "contact": ("contact", ("contact.phone", "contact.worried")),
        "about": ("about", ("about.not-replace", "about.control")),
    },
    "vertebroplasty-home": {
        "needle-site": ("site", ("home.site.dressing", "home.site.sore", "home.site.bruise")),
        "pain-relief": ("pain", ("home.pain.medicines", "home.pain.worse",
                                 "home.pain.weeks")),
        "activity": ("activity", ("home.activity.slowly", "home.activity.lifting")),
        "driving": ("driving", ("home.driving.rule",)),
        "urgent": ("urgent", ("home.urgent.emergency", "home.urgent.call",
                              "home.urgent.fever", "home.urgent.red")),
        "follow-up": ("follow-up", ("home.follow-up.check-up", "home.follow-up.bones",
                                    "home.follow-up.ask")),
        "contact": ("contact", ("home.contact.phone", "home.contact.worried")),
        "about": ("about", ("home.about.not-replace", "home.about.control")),
    },
}

# Blocks of the going-home leaflet that repeat the first leaflet's English word for
# word, so that translation memory reuses their translations.
SAME_AS = {
    "home.site.sore": "after.sore",
    "home.activity.slowly": "after.activities",
    "home.activity.lifting": "after.lifting",
    "home.driving.rule": "after.driving",
    "home.urgent.emergency": "urgent.emergency",
    "home.urgent.call": "urgent.call",
    "home.urgent.fever": "urgent.fever",
    "home.urgent.red": "urgent.red",
    "home.follow-up.bones": "bones.treatment",
    "home.follow-up.ask": "bones.ask",
    "home.contact.phone": "contact.phone",
    "home.contact.worried": "contact.worried",
    "home.about.not-replace": "about.not-replace",
    "home.about.control": "about.control",
}


def load(name: str):
    return content.load(ROOT / "content" / name, config.PLACEHOLDERS)


def test_every_shipped_leaflet_is_mapped() -> None:
    assert set(config.load(ROOT).leaflets) == set(TOPICS)


@pytest.mark.parametrize("name", sorted(TOPICS))
def test_every_topic_is_covered_by_blocks_that_exist(name: str) -> None:
    leaflet = load(name)
    where = {block.id: section.id for section in leaflet.sections for block in section.blocks}
    sections = {section.id for section in leaflet.sections}
    for topic, (section, ids) in TOPICS[name].items():
        assert ids, f"{name}: topic {topic!r} has no block"
        assert section in sections, f"{name}: section {section!r} of {topic!r} is gone"
        for block_id in ids:
            assert block_id in where, f"{name}: block {block_id!r} ({topic}) is gone"
            assert where[block_id] == section, (
                f"{name}: block {block_id!r} ({topic}) moved to section {where[block_id]!r}")


def test_document_control_keeps_its_placeholders() -> None:
    for name, block_id in (("vertebroplasty", "about.control"),
                           ("vertebroplasty-home", "home.about.control")):
        text = next(b.text for _, b in load(name).blocks() if b.id == block_id)
        for placeholder in ("leaflet_reference", "leaflet_version", "publication_date",
                            "review_date"):
            assert f"{{{placeholder}}}" in text, (name, placeholder)


def test_shared_sentences_are_word_for_word_the_same() -> None:
    first = {b.id: b.text for _, b in load("vertebroplasty").blocks()}
    home = {b.id: b for _, b in load("vertebroplasty-home").blocks()}
    for home_id, first_id in SAME_AS.items():
        assert home[home_id].text == first[first_id], (home_id, first_id)
        assert home[home_id].kind in ("paragraph", "item", "warning")


def test_going_home_ids_are_its_own() -> None:
    """Its blocks live under home.*, so no id means two things in the project."""
    first = {b.id for _, b in load("vertebroplasty").blocks()}
    for section, block in load("vertebroplasty-home").blocks():
        if section is not None and block.kind != "heading":
            assert block.id.startswith("home.") and block.id not in first, block.id
