"""Reading the canonical English source: a small Markdown dialect with ids.

Why not plain Markdown or YAML: every block needs a stable id and its source
citations next to the prose an author edits, and every error must name the
line. A line-oriented dialect gives both with a parser of one page:

    # Leaflet title {#title}
    ## Section heading {#section-id}
    {#block-id cite=a,b}            a paragraph: attribute line, then text lines
    - {#item-id cite=a} text        a bulleted item (continuation lines indented)
    1. {#step-id cite=a} text       a numbered step
    ! {#warn-id cite=b} text        a highlighted warning
    ## Heading {#id topic=do-nothing}  a section that covers a house-style topic
    {#fig-id cite=c figure=spine}   a paragraph that is the caption of a drawing
    <!-- a comment line -->

Inline markup is `**strong**` only; `{name}` is a placeholder for a setting.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from .errors import ContentError, LeafletError
from .model import PLACEHOLDER, Block, Leaflet, Section, Source

ID = r"[a-z0-9][a-z0-9.-]*"
_TOPIC = r"[a-z0-9][a-z0-9-]*"
_ATTRS = re.compile(r"\{#(?P<id>" + ID + r")(?P<rest>(?:\s+[a-z]+=[^\s}]+)*)\s*\}")
_HEADING = re.compile(r"^(#{1,2})\s+(.*?)\s*" + _ATTRS.pattern + r"\s*$")
_ITEM = re.compile(r"^(?P<mark>-|\d+\.|!)\s+" + _ATTRS.pattern + r"\s*(?P<text>.*)$")
_PARA = re.compile(r"^" + _ATTRS.pattern + r"\s*$")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_KIND = {"-": "item", "!": "warning"}
FIGURES = ("spine",)


def _attrs(match: re.Match[str], path: str, line: int, heading: bool = False
           ) -> dict[str, str]:
    attrs = {"id": match["id"]}
    for pair in match["rest"].split():
        key, _, value = pair.partition("=")
        if key == "topic" and not heading:
            raise ContentError("topic=... belongs on a section heading", path=path, line=line,
                               hint="write it on the '## Heading {#id topic=name}' line")
        if key not in ("cite", "figure", "topic"):
            raise ContentError(f"unknown attribute {key!r}", path=path, line=line,
                               hint="only cite=..., figure=... and (on a heading) topic=... "
                               "are allowed")
        attrs[key] = value
    return attrs


def inline(text: str, path: str, line: int, placeholders: frozenset[str] | None) -> str:
    """Source inline markup -> the msgid form (`**x**` -> `<strong>x</strong>`)."""
    if "<" in text or ">" in text:
        raise ContentError("raw '<' or '>' in text", path=path, line=line,
                           hint="write **words** for emphasis; spell out 'less than'")
    text = _STRONG.sub(r"<strong>\1</strong>", " ".join(text.split()))
    if "**" in text:
        raise ContentError("unbalanced '**'", path=path, line=line,
                           hint="close every **emphasis** on the same block")
    for name in PLACEHOLDER.findall(text):
        if placeholders is not None and name[1:-1] not in placeholders:
            raise ContentError(f"unknown placeholder {name}", path=path, line=line,
                               hint="use one of: " + ", ".join(sorted(placeholders)))
    rest = PLACEHOLDER.sub("", text)
    if "{" in rest or "}" in rest:
        raise ContentError("stray '{' or '}' in text", path=path, line=line,
                           hint="placeholders are written {name}")
    return text


def parse_sources(text: str, path: str) -> tuple[Source, ...]:
    """The source register: a TOML table per source id.

    Each has title, publisher and audience (shown to patients), and may have a
    `kind` (national guidance, trial, clinic web page...): kept for authors and
    reviewers weighing the evidence, not shown in the leaflet.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"source register is not valid TOML: {exc}", path=path,
                           line=toml_line(exc)) from exc
    lines = text.splitlines()
    sources = []
    for sid, entry in data.items():
        line = next((n for n, t in enumerate(lines, 1) if t.strip() == f"[{sid}]"), None)
        if not re.fullmatch(ID, sid) or not isinstance(entry, dict):
            raise ContentError(f"bad source entry {sid!r}", path=path, line=line,
                               hint="each source is a table [id] with lower-case id")
        missing = [k for k in ("title", "publisher", "audience")
                   if not isinstance(entry.get(k), str) or not entry[k].strip()]
        if missing:
            raise ContentError(f"source {sid!r} lacks {', '.join(missing)}", path=path,
                               line=line, hint="give title, publisher and audience")
        kind = entry.get("kind", "")
        if not isinstance(kind, str) or ("kind" in entry and not kind.strip()):
            raise ContentError(f"source {sid!r}: kind must be text", path=path, line=line,
                               hint='write kind = "national guidance" (or leave it out)')
        sources.append(Source(sid, entry["title"], entry["publisher"], entry["audience"],
                              line or 0, kind.strip()))
    return tuple(sources)


def parse(text: str, path: str, leaflet_id: str, sources: tuple[Source, ...],
          placeholders: frozenset[str] | None = None) -> Leaflet:
    """Parse a leaflet source; every error names path:line."""
    known = {s.id for s in sources}
    title: Block | None = None
    sections: list[Section] = []
    blocks: list[Block] = []
    current: tuple[str, str, int, tuple[str, ...]] | None = None
    pending: dict[str, Any] | None = None   # block being collected: attrs, kind, lines, line
    seen: dict[str, int] = {}

    def claim(block_id: str, line: int) -> None:
        if block_id in seen:
            raise ContentError(f"duplicate id {block_id!r} (first used on line "
                               f"{seen[block_id]})", path=path, line=line,
                               hint="every heading and block needs its own id")
        seen[block_id] = line

    def flush() -> None:
        nonlocal pending
        if pending is None:
            return
        attrs, kind = pending["attrs"], pending["kind"]
        parts, line = pending["lines"], pending["line"]
        pending = None
        if current is None:
            raise ContentError("block before the first section heading", path=path,
                               line=line, hint="start a section with '## Title {#id}'")
        body = " ".join(parts).strip()
        if not body:
            raise ContentError(f"block {attrs['id']!r} has no text", path=path, line=line)
        cites = tuple(c for c in attrs.get("cite", "").split(",") if c)
        if not cites:
            raise ContentError(f"block {attrs['id']!r} cites no source", path=path,
                               line=line, hint="add cite=ID[,ID] naming the sources "
                               "that support it")
        for cite in cites:
            if cite not in known:
                raise ContentError(f"block {attrs['id']!r} cites unknown source {cite!r}",
                                   path=path, line=line,
                                   hint="known sources: " + ", ".join(sorted(known)))
        figure = attrs.get("figure", "")
        if figure and figure not in FIGURES:
            raise ContentError(f"unknown figure {figure!r}", path=path, line=line,
                               hint="known figures: " + ", ".join(FIGURES))
        blocks.append(Block(attrs["id"], "figure" if figure else kind,
                            inline(body, path, line, placeholders), cites, line, figure))

    def close_section() -> None:
        flush()
        if current is not None:
            if not blocks:
                raise ContentError(f"section {current[0]!r} is empty", path=path,
                                   line=current[2])
            sections.append(Section(current[0], current[1], current[2], tuple(blocks),
                                    current[3]))
            blocks.clear()

    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("<!--"):
            if not stripped.endswith("-->"):
                raise ContentError("comment not closed on its line", path=path, line=n)
            continue
        if not stripped:
            flush()
            continue
        if m := _HEADING.match(line):
            attrs = _attrs(m, path, n, heading=True)
            claim(attrs["id"], n)
            heading = inline(m[2], path, n, placeholders)
            topics = tuple(t for t in attrs.get("topic", "").split(",") if t)
            if not all(re.fullmatch(_TOPIC, t) for t in topics):
                raise ContentError(f"bad topic={attrs['topic']}", path=path, line=n,
                                   hint="name topics in lower case with '-', comma-separated: "
                                   "topic=do-nothing,risks")
            if len(m[1]) == 1:
                if topics:
                    raise ContentError("topic=... belongs on a section heading", path=path,
                                       line=n, hint="the title covers no topic; tag a '##' "
                                       "section")
                if title is not None:
                    raise ContentError("second '# title' line", path=path, line=n,
                                       hint="a leaflet has one title; sections use '##'")
                title = Block(attrs["id"], "title", heading, (), n)
            else:
                close_section()
                current = (attrs["id"], heading, n, topics)
            continue
        if line.startswith("#"):
            raise ContentError("heading without an id", path=path, line=n,
                               hint="write '## Heading text {#some-id}'")
        if m := _ITEM.match(line):
            flush()
            attrs = _attrs(m, path, n)
            claim(attrs["id"], n)
            kind = _KIND.get(m["mark"], "step")
            pending = {"attrs": attrs, "kind": kind, "lines": [m["text"]], "line": n}
            continue
        if m := _PARA.match(line):
            flush()
            attrs = _attrs(m, path, n)
            claim(attrs["id"], n)
            pending = {"attrs": attrs, "kind": "paragraph", "lines": [], "line": n}
            continue
        if pending is None:
            raise ContentError("text outside a block", path=path, line=n,
                               hint="start a paragraph with a line '{#id cite=...}'")
        if pending["kind"] != "paragraph" and not raw.startswith((" ", "\t")):
            raise ContentError("list continuation must be indented", path=path, line=n)
        pending["lines"].append(stripped)
    close_section()
    if title is None:
        raise ContentError("no title line", path=path, line=1,
                           hint="the first heading is '# Title {#title}'")
    if not sections:
        raise ContentError("no sections", path=path, line=1)
    return Leaflet(leaflet_id, path, title, tuple(sections), sources)


def load(folder: Path, placeholders: frozenset[str] | None = None) -> Leaflet:
    """Read content/<id>/leaflet.md and its sources.toml."""
    md, reg = folder / "leaflet.md", folder / "sources.toml"
    for f in (md, reg):
        if not f.is_file():
            raise ContentError("file missing", path=f,
                               hint="a leaflet folder holds leaflet.md and sources.toml")
    sources = parse_sources(read_text(reg, ContentError), str(reg))
    return parse(read_text(md, ContentError), str(md), folder.name, sources, placeholders)


def toml_line(exc: tomllib.TOMLDecodeError) -> int | None:
    """Line of a TOML error (Python < 3.14 has it only in the message)."""
    m = re.search(r"at line (\d+)", str(exc))
    return int(m[1]) if m else None


def read_text(path: Path, error: type[LeafletError]) -> str:
    """Read a UTF-8 text file; a wrong encoding names the line it is on."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise error("not UTF-8 text", path=path, line=line,
                    hint="save the file as UTF-8") from exc
