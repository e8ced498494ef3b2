"""The canonical English source: parsing, errors with file:line, the real leaflet."""
from __future__ import annotations

import hashlib
import re

import pytest

from leaflet import config, content
from leaflet.errors import ContentError
from leaflet.readability import MAX_GRADE, MAX_SMOG, MAX_WORDS, report, sentences

from .conftest import DATA, ROOT

CASES = DATA / "content"
SOURCES = content.parse_sources((CASES / "sources.toml").read_text(), "sources.toml")


def parse_case(name: str):
    path = CASES / name
    return content.parse(content.read_text(path, ContentError), str(path), "t", SOURCES,
                         config.PLACEHOLDERS)


@pytest.mark.parametrize("name, line, words", [
    ("no-citation.md", 5, "cites no source"),
    ("unknown-source.md", 8, "cites unknown source 'zz'"),
    ("duplicate-id.md", 8, "duplicate id 's.a'"),
    ("heading-without-id.md", 3, "heading without an id"),
    ("text-outside-block.md", 5, "text outside a block"),
    ("unbalanced-strong.md", 5, "unbalanced '**'"),
    ("raw-html.md", 5, "raw '<' or '>'"),
    ("unknown-placeholder.md", 5, "unknown placeholder {fax_number}"),
    ("unknown-attribute.md", 5, "unknown attribute 'colour'"),
    ("empty-section.md", 3, "section 's' is empty"),
    ("no-title.md", 1, "no title line"),
    ("not-utf8.md", 6, "not UTF-8"),
    ("unclosed-comment.md", 3, "comment not closed"),
    ("unknown-figure.md", 5, "unknown figure 'heart'"),
    ("unindented-item.md", 6, "must be indented"),
    ("topic-on-block.md", 5, "topic=... belongs on a section heading"),
    ("topic-on-title.md", 1, "topic=... belongs on a section heading"),
    ("topic-bad-name.md", 3, "bad topic=Do_Nothing"),
])
def test_broken_source_names_file_and_line(name: str, line: int, words: str) -> None:
    with pytest.raises(ContentError) as err:
        parse_case(name)
    assert err.value.line == line
    assert words in err.value.message
    assert str(err.value).startswith(f"{CASES / name}:{line}: ")


@pytest.mark.parametrize("name, line, words", [
    ("sources-bad-toml.toml", 3, "not valid TOML"),
    ("sources-missing-field.toml", 1, "lacks publisher, audience"),
])
def test_broken_source_register(name: str, line: int, words: str) -> None:
    with pytest.raises(ContentError) as err:
        content.parse_sources((CASES / name).read_text(), name)
    assert err.value.line == line and words in err.value.message


def test_source_kind_is_optional_and_kept() -> None:
    text = ('[g]\ntitle = "Cochrane review"\npublisher = "Cochrane"\naudience = "doctors"\n'
            'kind = "systematic review"\n\n[s1]\ntitle = "x"\npublisher = "y"\n'
            'audience = "z"\n')
    g, s1 = content.parse_sources(text, "sources.toml")
    assert (g.id, g.kind, g.line) == ("g", "systematic review", 1)
    assert (s1.id, s1.kind) == ("s1", "")


@pytest.mark.parametrize("value", ["3", '""', '["trial"]'])
def test_source_kind_must_be_text(value: str) -> None:
    text = f'[s1]\ntitle = "x"\npublisher = "y"\naudience = "z"\nkind = {value}\n'
    with pytest.raises(ContentError) as err:
        content.parse_sources(text, "sources.toml")
    assert err.value.line == 1 and "kind must be text" in err.value.message


def test_section_topics_from_the_heading_tag() -> None:
    text = "# T {#title}\n\n## Waiting {#wait topic=do-nothing,risks}\n\n{#wait.a cite=s1}\nX.\n"
    (section,) = content.parse(text, "t.md", "t", SOURCES).sections
    assert (section.id, section.topics) == ("wait", ("do-nothing", "risks"))


def test_model_keeps_order_kinds_and_citations() -> None:
    leaflet = content.load(DATA / "project" / "content" / "demo", config.PLACEHOLDERS)
    assert [s.id for s in leaflet.sections] == ["what", "help"]
    kinds = [(b.id, b.kind) for _, b in leaflet.blocks()]
    assert kinds == [("title", "title"), ("what", "heading"), ("what.intro", "paragraph"),
                     ("what.item-a", "item"), ("what.item-b", "item"), ("help", "heading"),
                     ("help.call", "warning"), ("help.figure", "figure")]
    intro = leaflet.sections[0].blocks[0]
    assert intro.text == "You rest for <strong>24 to 48 hours</strong> after the test."
    assert intro.cites == ("s1",) and intro.line == 5


# --- the shipped leaflets ----------------------------------------------------------
VERTEBROPLASTY = ROOT / "content" / "vertebroplasty"
SHIPPED = config.load(ROOT).leaflets


@pytest.fixture(scope="module")
def vertebroplasty():
    return content.load(VERTEBROPLASTY, config.PLACEHOLDERS)


@pytest.fixture(scope="module", params=SHIPPED)
def shipped(request):
    return content.load(ROOT / "content" / request.param, config.PLACEHOLDERS)


def test_sections_a_patient_expects(vertebroplasty) -> None:
    assert [s.id for s in vertebroplasty.sections] == [
        "what-is", "why", "who", "benefits", "risks", "alternatives", "nothing", "choice",
        "before", "during", "after", "urgent", "bones", "contact", "about"]
    during = next(s for s in vertebroplasty.sections if s.id == "during")
    assert len([b for b in during.blocks if b.kind == "step"]) >= 5


def test_every_block_cites_a_known_source(shipped) -> None:
    known = {s.id for s in shipped.sources}
    for section, block in shipped.blocks():
        if block.kind not in ("title", "heading"):
            assert block.cites and set(block.cites) <= known, block.id


def test_every_source_has_a_kind(shipped) -> None:
    assert all(s.kind for s in shipped.sources), [s.id for s in shipped.sources if not s.kind]


def test_a_figure_about_benefit_or_harm_cites_strong_evidence(shipped) -> None:
    """A number in the text (other than a setting, a date or a bone's name such as
    T12) rests on national guidance (e), NHS leaflets (f) or the evidence (g)."""
    for _, block in shipped.blocks():
        text = re.sub(r"\{[a-z_]+\}|\b[TL]\d+\b", "", block.text)
        if block.kind not in ("title", "heading") and re.search(r"\d", text):
            assert set(block.cites) & {"e", "f", "g"}, block.id


def test_readability_within_the_committee_limits(shipped) -> None:
    """Issue 18: Flesch-Kincaid grade at most 6, SMOG at most 9, no sentence over 20
    words (the readability module's limits may not be looser)."""
    assert MAX_GRADE <= 6.0 and MAX_SMOG <= 9.0 and MAX_WORDS <= 20
    overall = report(shipped)["overall"]
    assert overall["grade"] <= MAX_GRADE and overall["smog"] <= MAX_SMOG
    longest = max(len(s.split()) for _, _, s in sentences(shipped))
    assert longest <= MAX_WORDS


def words(text: str) -> list[str]:
    text = re.sub(r"</?strong>|\{[a-z_]+\}", " ", text.lower()).replace("’", "'")
    return re.findall(r"[a-z0-9]+", text.replace("'", ""))


def ngram_hashes(tokens: list[str], n: int = 8) -> set[str]:
    return {hashlib.sha1(" ".join(tokens[i:i + n]).encode()).hexdigest()[:16]
            for i in range(len(tokens) - n + 1)}


FINGERPRINT = DATA / "source-8grams.txt"
SHARED = ROOT.parent / "shared" / "sources"


def shared_hashes() -> set[str]:
    return set().union(*(ngram_hashes(words(p.read_text("utf-8")))
                         for p in sorted(SHARED.glob("source-*.txt"))))


def test_fingerprint_matches_shared_sources() -> None:
    """The stored hashes are those of ../shared/sources (a to h) when that folder is
    here; regenerate with `python -m tests.test_content`."""
    stored = set(FINGERPRINT.read_text().split())
    assert len(stored) > 3000
    if SHARED.is_dir():   # present in CI and on developers' machines
        assert len(list(SHARED.glob("source-*.txt"))) >= 8
        assert shared_hashes() == stored, "regenerate tests/data/source-8grams.txt"


# A run of 8 words from each source: the fingerprint must catch every one.
PROBES = {
    "a": "vertebroplasty is a minimally invasive surgical procedure aimed at stabilizing",
    "b": "Vertebroplasty is a minimally invasive medical procedure used to treat vertebral "
         "compression fractures",
    "c": "many patients experience a 90 percent reduction in pain within 24 to 48 hours",
    "d": "the patient is then asked to lie down for a few hours for monitoring",
    "e": "the procedures should be offered only after discussion in a specialist team",
    "f": "contact your GP if the needle site becomes red or tender",
    "g": "high- to moderate-quality evidence shows little or no benefit for pain",
    "h": "arrange for someone to take you home, as you must not drive yourself",
}


@pytest.mark.parametrize("source", sorted(PROBES))
def test_fingerprint_covers_every_source(source: str) -> None:
    stored = set(FINGERPRINT.read_text().split())
    assert ngram_hashes(words(PROBES[source])) & stored, f"source-{source} is not covered"


def test_no_run_of_eight_words_from_any_source(shipped) -> None:
    stored = set(FINGERPRINT.read_text().split())
    for _, block in shipped.blocks():
        copied = ngram_hashes(words(block.text)) & stored
        assert not copied, f"block {block.id} repeats 8 words of a source"


if __name__ == "__main__":   # python -m tests.test_content: rewrite the fingerprint
    FINGERPRINT.write_text("".join(f"{h}\n" for h in sorted(shared_hashes())))
    print(f"wrote {FINGERPRINT}")
