"""The data model of a canonical leaflet, and the findings of checks: frozen
values, no I/O."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

# A named placeholder for a setting, `{phone}`, in a block's text and in its
# translations: every stage finds placeholders with this one pattern.
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")

# Block kinds and what a translator is told about each.
KINDS = {
    "title": "the leaflet title (main heading)",
    "heading": "a section heading",
    "paragraph": "a paragraph",
    "item": "one item of a bulleted list",
    "step": "one numbered step of a procedure",
    "warning": "a highlighted warning; keep it as strong as the English",
    "figure": "the caption and text alternative of a drawing",
}


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    audience: str
    line: int
    kind: str = ""     # optional: what sort of source (national guidance, web page...)


@dataclass(frozen=True)
class Block:
    id: str
    kind: str
    text: str
    cites: tuple[str, ...]
    line: int
    figure: str = ""


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    line: int
    blocks: tuple[Block, ...]
    topics: tuple[str, ...] = ()   # house-style topics it covers besides its id (topic=...)


@dataclass(frozen=True)
class Leaflet:
    id: str
    path: str
    title: Block
    sections: tuple[Section, ...]
    sources: tuple[Source, ...] = field(default=())

    def blocks(self) -> list[tuple[Section | None, Block]]:
        """Every translatable unit in reading order, with its section."""
        units: list[tuple[Section | None, Block]] = [(None, self.title)]
        for section in self.sections:
            units.append((section, Block(section.id, "heading", section.title, (),
                                         section.line)))
            units.extend((section, block) for block in section.blocks)
        return units


ERROR, WARNING = "error", "warning"   # an error stops its locale from being published


@dataclass(frozen=True)
class Finding:
    """One problem a check found: where, what, and what to do."""
    severity: str
    code: str
    locale: str
    path: str
    line: int | None
    entry: str | None
    message: str
    hint: str

    def text(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        entry = f" [{self.entry}]" if self.entry else ""
        return f"{where}:{entry} {self.severity}: {self.message} ({self.code})\n  -> {self.hint}"

    def json(self) -> dict[str, Any]:
        return asdict(self)
