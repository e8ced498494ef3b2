"""The data model of a canonical leaflet: frozen values, no I/O."""
from __future__ import annotations

from dataclasses import dataclass, field

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

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)
