"""What a build makes unless told otherwise: one place for the defaults that the
command line and the code share (as WeasyPrint's DEFAULT_OPTIONS)."""
from __future__ import annotations

from dataclasses import dataclass

FORMATS = ("html", "pdf")
EDITIONS = ("standard", "large", "bilingual")   # large: 18 pt; bilingual: with the English


@dataclass(frozen=True)
class Options:
    formats: tuple[str, ...] = FORMATS
    editions: tuple[str, ...] = EDITIONS
    draft: bool = False    # also render locales that fail checks, into build/drafts/
    jobs: int = 0          # worker processes; 0: one per core
    release: bool = False  # only what the release gate lets through, into build/release/


DEFAULTS = Options()
# `leaflet preview`: one locale's standard HTML, at once, for its translator.
PREVIEW = Options(formats=("html",), editions=("standard",), draft=True, jobs=1)
