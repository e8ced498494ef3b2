"""Property (issue 15): whatever sequence of real tools touches the real French
catalogs, `leaflet update` never writes fewer translations than it read (except
when English was removed) and never puts a translation on an entry of another id,
but for the translation memory's suggestions: fuzzy, on an entry that had none,
a checked translation of exactly its English.

The tools are the real ones: GNU msgcat and msgmerge, polib, Translate Toolkit's
po2xliff and xliff2po (called in this process: the same code as their commands,
without a Python start-up each; tests/data/merge-safety holds their command-line
output, and one test below checks the two agree).
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import polib
from hypothesis import HealthCheck, event, example, given, note, settings
from hypothesis import strategies as st
from translate.convert import po2xliff, xliff2po

from leaflet import catalogs, config, content
from leaflet.errors import CatalogError
from leaflet.project import Project
from leaflet.translations import update_all

from .conftest import DATA, ROOT

LOCALE = "fr"
BLOCK_ID = re.compile(content.ID)
EDITABLE = ("paragraph", "item", "step", "warning")


def xliff_round_trip(data: bytes) -> bytes:
    """po2xliff, then xliff2po of what it wrote, as an agency sends it back."""
    xlf, back = io.BytesIO(), io.BytesIO()
    po2xliff.convertpo(io.BytesIO(data), xlf, None)
    xliff2po.convertxliff(io.BytesIO(xlf.getvalue()), back, None)
    return back.getvalue()


def test_xliff_in_process_is_the_command_line_tool() -> None:
    cases = DATA / "merge-safety"
    assert xliff_round_trip((cases / "real-fr" / "vertebroplasty.po").read_bytes()) == \
        (cases / "xliff-round-trip" / "vertebroplasty.po").read_bytes()


@dataclass
class World:
    """A copy of the real project, its French catalogs, and what is true of them."""
    root: Path
    leaflet: str
    original_md: str
    blocks: list[content.Block]
    sections: dict[str, str]                     # block id -> its section id
    edits: dict[str, str | None] = field(default_factory=dict)   # block -> English, None: gone
    added: dict[str, str] = field(default_factory=dict)   # block -> English of a new one after
    truth: dict[str, set[str]] = field(default_factory=dict)     # id -> its translations

    @property
    def domains(self) -> list[str]:
        return [self.leaflet, "ui"]

    def po(self, domain: str) -> Path:
        return self.root / "locales" / LOCALE / "LC_MESSAGES" / f"{domain}.po"

    def pot(self, domain: str) -> Path:
        return self.root / "locales" / f"{domain}.pot"


def make_world(tmp: Path) -> World:
    root = tmp / "repo"
    for part in ("content", "templates"):
        shutil.copytree(ROOT / part, root / part)
    shutil.copy(ROOT / "leaflet.toml", root / "leaflet.toml")
    (root / "locales" / LOCALE).mkdir(parents=True)
    for pot in (ROOT / "locales").glob("*.pot"):
        shutil.copy(pot, root / "locales")
    shutil.copytree(ROOT / "locales" / LOCALE / "LC_MESSAGES",
                    root / "locales" / LOCALE / "LC_MESSAGES")
    cfg = config.load(root)
    name = cfg.leaflets[0]
    leaflet = content.load(cfg.content_dir / name)
    sections = {b.id: s.id for s in leaflet.sections for b in s.blocks}
    blocks = [b for s in leaflet.sections for b in s.blocks
              if b.kind in EDITABLE and not b.figure]
    world = World(root, name, (cfg.content_dir / name / "leaflet.md").read_text("utf-8"),
                  blocks, sections)
    for domain in world.domains:
        for e in polib.pofile(str(world.po(domain))):
            if e.msgctxt and e.msgstr:
                world.truth.setdefault(e.msgctxt, set()).add(e.msgstr)
    return world


# --- the English side: reword, rewrite, remove, restore one block --------------------
def write_english(world: World) -> None:
    lines = world.original_md.split("\n")
    for block in sorted(world.blocks, key=lambda b: -b.line):
        if block.id not in world.edits and block.id not in world.added:
            continue
        start = block.line - 1
        end = start + 1
        while end < len(lines) and lines[end].strip() and (
                block.kind == "paragraph" or lines[end].startswith((" ", "\t"))):
            end += 1   # a paragraph's text lines, an item's indented continuation
        if block.id in world.added:   # a new paragraph after it, with an id of its own
            lines[end:end] = ["", f"{{#{block.id}-added cite={block.cites[0]}}}",
                              world.added[block.id]]
        if block.id not in world.edits:
            continue
        text = world.edits[block.id]
        if text is None:
            new = []
            if end < len(lines) and not lines[end].strip() and block.kind == "paragraph":
                end += 1
        elif block.kind == "paragraph":
            new = [lines[start], text]
        else:
            new = [lines[start][:lines[start].index("}") + 1] + " " + text]
        lines[start:end] = new
    (world.root / "content" / world.leaflet / "leaflet.md").write_text("\n".join(lines),
                                                                       "utf-8")
    run_leaflet(world, "extract")


def reword(world: World, n: int, how: str) -> None:
    block = world.blocks[n % len(world.blocks)]
    other = world.blocks[(n // len(world.blocks)) % len(world.blocks)]
    if how == "revert":
        world.edits.pop(block.id, None)
    elif how in ("add", "reuse") and block.id in world.added:
        del world.added[block.id]   # the new block's English removed again
    elif how == "reuse":   # another block's English again: the memory offers its translation
        world.added[block.id] = re.sub(r"</?strong>", "**", other.text)
    elif how == "add":   # close to the block's English: msgmerge pre-fills it from there
        world.added[block.id] = re.sub(r"</?strong>", "", block.text).rstrip(".") + " soon."
    elif how == "remove":
        left = [b for b in world.blocks if world.sections[b.id] == world.sections[block.id]
                and world.edits.get(b.id, "") is not None and b is not block]
        if not left:   # a section keeps one block of those we edit (headings stay)
            return
        world.edits[block.id] = None
    else:
        english = re.sub(r"</?strong>", "", block.text)   # back to source markup: none
        world.edits[block.id] = {
            "small": english.rstrip(".") + ", as your team tells you.",
            "rewrite": f"This advice, number {n % 997}, was written again from the start.",
            "like": re.sub(r"</?strong>", "", other.text).rstrip(".") + " today.",
        }[how]
    note(f"reword {block.id} {how}" + (f" ({other.id})" if how in ("like", "reuse") else ""))
    write_english(world)


# --- the tools --------------------------------------------------------------------------
def run_leaflet(world: World, command: str) -> None:
    from leaflet import cli
    assert cli.main(["--project", str(world.root), command], out=io.StringIO()) == 0


def gettext_tool(*args: str) -> None:
    """A GNU gettext command; one that refuses a file (repeated XLIFF round trips
    leave duplicate entries) writes nothing, and the sequence goes on."""
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode:
        assert "duplicate message definition" in done.stderr, done.stderr
        event(f"{args[0]} refused a file")


def msgcat(world: World, width: int) -> None:
    for domain in world.domains:
        wrap = ["--no-wrap"] if width == 0 else [f"--width={width}"]
        gettext_tool("msgcat", *wrap, "-o", str(world.po(domain)), str(world.po(domain)))


def msgmerge(world: World) -> None:
    for domain in world.domains:
        gettext_tool("msgmerge", "--quiet", "--previous", "-o", str(world.po(domain)),
                     str(world.po(domain)), str(world.pot(domain)))


def polib_resave(world: World, width: int) -> None:
    for domain in world.domains:
        po = polib.pofile(str(world.po(domain)), wrapwidth=width)
        po.save(str(world.po(domain)))


def poedit(world: World, n: int) -> None:
    """What Poedit changes on saving: its headers, its wrap width (79)."""
    for domain in world.domains:
        po = polib.pofile(str(world.po(domain)), wrapwidth=79)
        po.metadata.update({"X-Generator": "Poedit 3.4.2",
                            "PO-Revision-Date": f"2026-02-{1 + n % 28:02d} 10:{n % 60:02d}+0100",
                            "Last-Translator": "Marie Dupont <marie@example.org>",
                            "X-Poedit-SourceCharset": "UTF-8"})
        po.save(str(world.po(domain)))


def xliff(world: World) -> None:
    for domain in world.domains:
        world.po(domain).write_bytes(xliff_round_trip(world.po(domain).read_bytes()))


def leaflet_update(world: World) -> None:
    before = {d: world.po(d).read_bytes() for d in world.domains}
    every = {p.stem: p.read_bytes() for p in world.po("ui").parent.glob("*.po")}
    done = update_all(Project(config.load(world.root)), [LOCALE])
    errors = done.errors
    for said in done.recovered:   # which recoveries the examples reach (--hypothesis-show-statistics)
        event("recovered: " + re.sub(r"\[[^]]*\]|\d+", "_", said.split(": ", 1)[1])[:60])
    if done.filled:
        event("filled from the translation memory")
    refused = {Path(e.path).name for e in errors}
    sources = []   # what the memory may offer: checked translations read, by their English
    for data in every.values():
        try:
            sources += [(e.msgid, e.msgstr) for e in catalogs.parse(data, "x.po")
                        if e.msgstr and not e.obsolete and not e.fuzzy]
        except CatalogError:
            pass
    for error in errors:
        event("refused: " + re.sub(r"\[[^]]*\]|\d+|'[^']*'", "_", error.message)[:60])
    for domain in world.domains:
        after = world.po(domain).read_bytes()
        if f"{domain}.po" in refused:
            assert after == before[domain], f"refused but changed: {domain}"
            error = next(e for e in errors if Path(e.path).name == f"{domain}.po")
            assert error.line and error.hint, str(error)   # where, and what to do
            continue
        pot = catalogs.read(world.pot(domain))
        check_merge(world, pot, catalogs.parse(before[domain], domain),
                    catalogs.parse(after, domain), set(sources))


# --- what must hold -------------------------------------------------------------------
def check_merge(world: World, pot: polib.POFile, read: polib.POFile,
                wrote: polib.POFile, sources: set[tuple[str, str]]) -> None:
    ids = {t.msgctxt: t for t in pot}
    out = {e.msgctxt: e for e in wrote if not e.obsolete}
    assert catalogs.translations(read) <= catalogs.translations(wrote), "a translation lost"
    english = {t.msgid for t in pot}
    removed = sum(1 for e in read if e.msgstr and not e.obsolete and e.msgctxt not in ids and (
        e.msgctxt is not None and BLOCK_ID.fullmatch(e.msgctxt)   # its block left the English
        or e.msgid not in english and not (e.comment or e.occurrences)))   # a #~ made active
    active = [e for e in read if e.msgstr and not e.obsolete]
    assert sum(bool(e.msgstr) for e in out.values()) >= len(active) - removed
    for ctx, tmpl in ids.items():
        own = {e.msgstr for e in read if e.msgctxt == ctx and e.msgstr}
        lost_id = {e.msgstr for e in read if e.msgstr and not e.obsolete and e.msgid == tmpl.msgid
                   and (e.msgctxt is None or not BLOCK_ID.fullmatch(e.msgctxt))}
        if own:   # read with its id (active or #~): written translated
            assert out[ctx].msgstr, f"[{ctx}] lost its translation"
        filled = (out[ctx].fuzzy and catalogs.MEMORY_NOTE in out[ctx].tcomment
                  and (tmpl.msgid, out[ctx].msgstr) in sources)   # a checked one, same English
        if out[ctx].msgstr and not filled:   # leaflet moves nothing across ids but by memory
            assert out[ctx].msgstr in own | lost_id, f"[{ctx}] got another entry's text"
    check_attached(world, wrote)


def check_attached(world: World, po: polib.POFile) -> None:
    """No translation on an entry of another id: one that could be published is
    its own; a fuzzy one that names its origin names it right."""
    for e in po:
        if e.obsolete or not e.msgstr or e.msgctxt not in world.truth:
            continue
        note = catalogs.split_note(e.tcomment)[0]
        origins = {e.previous_msgctxt} if e.fuzzy and e.previous_msgctxt else set()
        if note and note.startswith(catalogs.PREFILL_NOTE):
            origins.add(note.removeprefix(catalogs.PREFILL_NOTE).split("]")[0].lstrip("["))
        elif note and note.startswith(catalogs.MEMORY_NOTE):   # "<domain> [<id>]"
            domain, origin = note.removeprefix(catalogs.MEMORY_NOTE).split("]")[0].split(" [")
            if domain in world.domains:
                origins.add(origin)
        if not e.fuzzy:
            assert e.msgstr in world.truth[e.msgctxt], f"[{e.msgctxt}] holds another's text"
        for origin in origins - {e.msgctxt}:
            if origin in world.truth:
                assert e.msgstr in world.truth[origin], f"[{e.msgctxt}] names {origin} wrongly"


OPS = st.one_of(
    st.tuples(st.just("msgcat"), st.sampled_from([0, 40, 79, 100])),
    st.tuples(st.just("polib"), st.sampled_from([0, 60, 79])),
    st.tuples(st.just("poedit"), st.integers(0, 999)),
    st.tuples(st.just("xliff")),
    st.tuples(st.just("reword"), st.integers(0, 10**6),
              st.sampled_from(["small", "rewrite", "like", "add", "reuse", "remove",
                               "revert"])),
    st.tuples(st.just("msgmerge")),
    st.tuples(st.just("update")),
)


# LEAFLET_PROPERTY_EXAMPLES=500 searches longer, with new random examples each run.
EXAMPLES = int(os.environ.get("LEAFLET_PROPERTY_EXAMPLES", "0"))


@settings(max_examples=EXAMPLES or 25, deadline=None, derandomize=not EXAMPLES, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(ops=st.lists(OPS, min_size=1, max_size=6))
# Each recovery and refusal at least once in every run, whatever the random draw:
@example(ops=[("xliff",)])                                   # ids back by their English
@example(ops=[("xliff",), ("msgmerge",)])                    # msgmerge on a file without ids
@example(ops=[("reword", 3, "rewrite"), ("msgmerge",)])      # empty entry, twin in #~
@example(ops=[("reword", 5, "add"), ("msgmerge",), ("polib", 79)])   # pre-fill, noted
@example(ops=[("reword", 7 + 11 * 40, "like"), ("msgmerge",)])       # pre-fill over own #~
@example(ops=[("xliff",), ("reword", 2, "small")])           # refused, file untouched
@example(ops=[("reword", 4 + 9 * 40, "reuse"), ("xliff",)])  # filled from the memory
def test_no_tool_sequence_loses_or_misattaches_a_translation(tmp_path_factory,
                                                             ops: list[tuple]) -> None:
    world = make_world(tmp_path_factory.mktemp("property"))
    for op in [*ops, ("update",)]:   # leaflet has the last word
        name, args = op[0], op[1:]
        if name == "update":
            leaflet_update(world)
        elif name == "reword":
            reword(world, *args)
        else:
            {"msgcat": msgcat, "polib": polib_resave, "poedit": poedit, "xliff": xliff,
             "msgmerge": msgmerge}[name](world, *args)
            for domain in world.domains:
                try:
                    check_attached(world, catalogs.read(world.po(domain)))
                except CatalogError:
                    pass   # a tool's file leaflet cannot read is the next update's business
    settled = {d: world.po(d).read_bytes() for d in world.domains}
    update_all(Project(config.load(world.root)), [LOCALE])
    assert {d: world.po(d).read_bytes() for d in world.domains} == settled, "update churns"
