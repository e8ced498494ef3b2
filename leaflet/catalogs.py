"""Catalogs: read safely, init, update keyed by msgctxt, compile, write stably.

polib does the file format (it keeps every header a translator's tool adds,
previous msgids and obsolete entries); the merge is ours, because Babel's and
msgmerge's fuzzy matching by msgid text drops a translation after a large edit
and may pre-fill one from an unrelated block.

The merge never writes fewer translations than it read: what another tool
damaged is recovered when exactly one reading is possible, and otherwise the
catalog is refused, untouched, with the line and what to do.
"""
from __future__ import annotations

import codecs
import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .content import ID
from .errors import CatalogError
from .extract import WRAP
from .lang import info, parse_plural_forms

MAX_BYTES = 5 * 1024 * 1024   # ten times our largest catalog; more is not a leaflet
_SYNTAX_LINE = re.compile(r"\(line (\d+)\)")


def now_stamp() -> str:
    """Time stamp for headers; honours SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch
            else dt.datetime.now(dt.UTC))
    return when.strftime("%Y-%m-%d %H:%M+0000")


def parse(data: bytes, path: str) -> polib.POFile:
    """Bytes of a .po/.pot -> POFile, or a CatalogError naming path:line."""
    if not data.strip():
        raise CatalogError("empty catalog", path=path, line=1,
                           hint="restore the file from version control or run 'leaflet init'")
    if len(data) > MAX_BYTES:
        raise CatalogError(f"catalog is {len(data)} bytes, over the {MAX_BYTES} limit",
                           path=path, hint="this is not a leaflet catalog; restore the file")
    data = data.removeprefix(codecs.BOM_UTF8)   # Notepad and some Windows editors add one
    wide = _wide_encoding(data)
    if wide:
        name = Path(path).name
        raise CatalogError(f"catalog is saved as {wide}, not UTF-8", path=path, line=1,
                           hint="save it as UTF-8 (Notepad: Save as, Encoding UTF-8; or: "
                           f"iconv -f {wide.split()[0]} -t UTF-8 {name} > utf8-{name})")
    if b"\0" in data:
        raise CatalogError("binary data in a text catalog", path=path,
                           line=data[:data.index(b"\0")].count(b"\n") + 1,
                           hint="is this a compiled .mo file? send the .po file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError("not UTF-8", path=path, line=data[:exc.start].count(b"\n") + 1,
                           hint="save the file as UTF-8 (Poedit: Catalogue > Properties)") from exc
    text = text.replace("\r\n", "\n")   # Windows line endings: the same catalog
    _lex(text, path)
    try:
        po = polib.pofile(text, wrapwidth=WRAP, encoding="utf-8")
    except (OSError, ValueError) as exc:
        m = _SYNTAX_LINE.search(str(exc))
        raise CatalogError("syntax error: " + str(exc).split(":", 1)[-1].strip(),
                           path=path, line=int(m[1]) if m else None,
                           hint="fix the quoting on that line (every string is "
                           "\"...\" on one line)") from exc
    header = next((n for n, t in enumerate(text.splitlines(), 1) if t.startswith("msgid")), 1)
    if not po.metadata:
        raise CatalogError("catalog has no header entry", path=path, line=header,
                           hint="the first entry must be msgid \"\" with the headers")
    content_type = po.metadata.get("Content-Type", "")
    if "charset=utf-8" not in content_type.lower().replace(" ", ""):
        raise CatalogError(f"charset is not UTF-8 ({content_type or 'no Content-Type'})",
                           path=path, line=header,
                           hint="set 'Content-Type: text/plain; charset=UTF-8'")
    if "Plural-Forms" in po.metadata and not parse_plural_forms(po.metadata["Plural-Forms"]):
        raise CatalogError(f"bad Plural-Forms header {po.metadata['Plural-Forms']!r}",
                           path=path, line=header, hint="see 'leaflet init' for the right value")
    seen: dict[tuple[str | None, str, bool], int] = {}
    for entry in po:
        key = (entry.msgctxt, entry.msgid, entry.obsolete)
        if key in seen:
            raise CatalogError(f"duplicate entry [{entry.msgctxt}] (first on line "
                               f"{seen[key]})", path=path, line=entry.linenum,
                               hint="delete one of the two entries")
        seen[key] = entry.linenum
    _msgstr_lines(po, text)
    po.fpath = path   # errors of the merge name the file too
    return po


def _msgstr_lines(po: polib.POFile, text: str) -> None:
    """Give each entry the line of its msgstr (`msgstr_line`): polib's linenum is
    the entry's first comment, and a finding should point where the editor must
    go."""
    lines = text.splitlines()
    for entry in po:
        for n in range(entry.linenum - 1, len(lines)):
            if re.match(r"\s*(?:#~\s*)?msgstr\b", lines[n]):
                entry.msgstr_line = n + 1
                break
            if not lines[n].strip() and n >= entry.linenum:
                break


_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
         (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 (as Notepad's 'Unicode' or iconv write), by byte order
    mark or by the zero bytes around the ASCII of the first character."""
    for bom, name in _BOMS:   # UTF-32 first: its little-endian mark starts like UTF-16's
        if data.startswith(bom):
            return f"{name} (with a byte order mark)"
    head = data[:4]
    if len(head) == 4 and head[0] and not any(head[1:]):
        return "UTF-32LE (no byte order mark)"
    if len(head) == 4 and head[3] and not any(head[:3]):
        return "UTF-32BE (no byte order mark)"
    if len(head) == 4 and head[0] and head[2] and not head[1] and not head[3]:
        return "UTF-16LE (no byte order mark)"
    if len(head) == 4 and head[1] and head[3] and not head[0] and not head[2]:
        return "UTF-16BE (no byte order mark)"
    return None


_STRING = r'"(?:[^"\\]|\\.)*"'
_LINE = re.compile(r'\s*(?:#.*|(?:#~\s*)?(?:#\|\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr'
                   r'(?:\[\d+\])?)\s+)?' + _STRING + r'\s*)?')


def _lex(text: str, path: str) -> None:
    """Every line must be a comment, a keyword with a string, or a string.

    polib skips some malformed lines silently (an unquoted msgctxt, an
    unterminated string at the end of the file); msgfmt rejects them, and so
    must we, with the line.
    """
    for n, line in enumerate(text.splitlines(), 1):
        if not _LINE.fullmatch(line):
            raise CatalogError("syntax error: not a comment, keyword or quoted string "
                               "(unterminated string or unescaped \" ?)", path=path, line=n,
                               hint='every text is written "..." with \\" for a quote inside')


def read(path: Path) -> polib.POFile:
    try:
        return parse(path.read_bytes(), str(path))
    except FileNotFoundError as exc:
        raise CatalogError("catalog missing", path=path,
                           hint="run 'leaflet init -l LOCALE' to start it") from exc


def po_text(po: polib.POFile) -> str:
    """The text of a catalog or template as written to disk (one wrap width)."""
    text = str(po)
    return text if text.endswith("\n") else text + "\n"


def pot_text(pot: polib.POFile, previous: str | None) -> str | None:
    """Text of a template, or None when only its creation date would change."""
    pot.metadata["POT-Creation-Date"] = ""
    stamp = re.compile(r'^"POT-Creation-Date: [^"]*\\n"$', re.M)
    if previous is not None:
        old = stamp.search(previous)
        if old and stamp.sub(lambda _: old[0], po_text(pot)) == previous:
            return None
    pot.metadata["POT-Creation-Date"] = now_stamp()
    return po_text(pot)


def init(pot: polib.POFile, locale: str) -> polib.POFile:
    loc = info(locale)
    po = polib.POFile(wrapwidth=WRAP)
    po.header = f"{loc.english} translation of {pot.metadata['Project-Id-Version']}."
    po.metadata = {
        "Project-Id-Version": pot.metadata["Project-Id-Version"],
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": pot.metadata.get("POT-Creation-Date", ""),
        "PO-Revision-Date": now_stamp(),
        "Last-Translator": "none yet",
        "Language-Team": loc.english,
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": loc.plural_forms,
    }
    return update(pot, po)


def update(pot: polib.POFile, po: polib.POFile) -> polib.POFile:
    """The catalog merged with its template (see merge); refuses what is unsafe."""
    return merge(pot, po).catalog


# The translator comment on a fuzzy entry that another tool (msgmerge) filled
# from a different block; it goes once the entry is checked. polib wraps it over
# two lines when the id is long, so it is found by its first and last words.
PREFILL_NOTE = "Pre-filled by another tool from "
_NOTE_END = ": check it."
# The notes of the translation memory (memory.py writes them): on an entry it
# filled, fuzzy; on an entry whose suggestion a translator emptied. They go,
# like the pre-fill note, once the entry holds a checked translation.
MEMORY_NOTE = "Filled from the translation memory: "
MEMORY_NOTE_END = _NOTE_END
REJECTED_NOTE = "Not filled again from the translation memory "
REJECTED_NOTE_END = "to have it filled again."
_NOTES = ((PREFILL_NOTE, _NOTE_END), (MEMORY_NOTE, MEMORY_NOTE_END),
          (REJECTED_NOTE, REJECTED_NOTE_END))
_BLOCK_ID = re.compile(ID)

# What fills an entry the merge leaves without a translation (memory.py's
# suggestions), given the catalog's entry of that id if there was one; it says
# what it did, for the user, or None.
Fill = Callable[[polib.POEntry, polib.POEntry | None], str | None]


def _line(e: polib.POEntry) -> int:
    """The line a message names: the msgstr's, where an editor should go (as findings)."""
    line: int = getattr(e, "msgstr_line", e.linenum)
    return line


@dataclass
class Merged:
    """A merged catalog, what the merge recovered ((line, what) for the user) and
    what a fill put in ((id, what) for the user)."""
    catalog: polib.POFile
    notes: list[tuple[int, str]] = field(default_factory=list)
    filled: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Problem:
    """An entry that cannot be merged safely."""
    line: int
    what: str
    hint: str
    translations: int


def merge(pot: polib.POFile, po: polib.POFile, fill: Fill | None = None) -> Merged:
    """Merge a template into a catalog, keyed by msgctxt (the block id).

    Same id, same English: translation kept as it is. Same id, new English:
    translation kept, marked fuzzy, old English kept as `#| msgid`. An id gone
    from the template: obsolete, kept; an obsolete id back: translation back,
    fuzzy. Nothing is matched across ids, so no block's translation can be
    pre-filled into another.

    Recovered from other tools, and said in `notes`: an entry without its id
    whose English matches one template entry gets that id (Translate Toolkit's
    XLIFF round trip drops msgctxt); an empty entry whose id has a translated
    obsolete twin gets that translation, fuzzy (msgmerge after a rewrite); a
    fuzzy pre-fill from another block keeps `#| msgctxt` and a comment naming
    it. Anything else ambiguous raises CatalogError before anything is written.

    `fill` (the translation memory) may then put a suggestion, fuzzy, on each
    entry still without a translation; the check that no translation was lost
    comes after it.
    """
    notes: list[tuple[int, str]] = []
    filled: list[tuple[str, str]] = []
    placed, removed = _place(pot, po, notes)
    retired: dict[str | None, list[polib.POEntry]] = {}
    for e in po:
        if e.obsolete:
            retired.setdefault(e.msgctxt, []).append(e)
    out = polib.POFile(wrapwidth=WRAP)
    out.header = po.header
    out.metadata = dict(po.metadata)
    out.metadata_is_fuzzy = po.metadata_is_fuzzy
    for key in ("Project-Id-Version", "POT-Creation-Date"):
        out.metadata[key] = pot.metadata.get(key, "")
    revived: set[int] = set()   # id() of the obsolete entries brought back
    for tmpl in pot:
        entry = polib.POEntry(msgctxt=tmpl.msgctxt, msgid=tmpl.msgid, msgstr="",
                              comment=tmpl.comment, occurrences=list(tmpl.occurrences),
                              flags=[f for f in tmpl.flags if f != "fuzzy"])
        old = placed.get(tmpl.msgctxt)
        twin = _twin(retired.get(tmpl.msgctxt, []), tmpl.msgid)
        restored = twin is not None and (old is None or not old.msgstr
                                         or _prefill_kept_elsewhere(old, po))
        if restored and twin is not None:
            if old is not None:
                notes.append((_line(old), f"[{tmpl.msgctxt}] "
                              + ("was empty" if not old.msgstr else
                                 f"held a pre-fill from [{old.previous_msgctxt}]")
                              + f": its own translation is back from #~ (line "
                              f"{_line(twin)}), marked fuzzy"))
            revived.add(id(twin))
            old = twin
        if old is not None and old.msgstr and _carry(entry, old, tmpl, restored):
            notes.append((_line(old), f"[{tmpl.msgctxt}] is fuzzy with the translation of "
                          f"[{entry.previous_msgctxt}] that another tool put there: kept, "
                          "with a comment naming that block"))
        elif old is not None and not old.msgstr:
            entry.tcomment = old.tcomment   # a translator's note on an entry not yet done
        if fill is not None and not entry.msgstr:
            what = fill(entry, old)
            if what:
                filled.append((tmpl.msgctxt, what))
        out.append(entry)
    gone = [e for e in po if e.obsolete and id(e) not in revived] + removed
    kept: dict[tuple[str | None, str], polib.POEntry] = {}
    for old in gone:   # an active entry outranks an older obsolete one of the same text
        if old.msgstr:
            kept[(old.msgctxt, old.msgid)] = old
    for ctx, msgid in sorted(kept, key=lambda k: (k[0] or "", k[1])):
        old = kept[(ctx, msgid)]
        out.append(polib.POEntry(msgctxt=ctx, msgid=msgid, msgstr=old.msgstr,
                                 tcomment=old.tcomment, obsolete=True))
    _guard(po, out)
    return Merged(out, notes, filled)


def _carry(entry: polib.POEntry, old: polib.POEntry, tmpl: polib.POEntry,
           restored: bool) -> bool:
    """Put a translator's work from `old` on the new entry, fuzzy when it must be
    looked at again; True when it newly notes a pre-fill from another block."""
    entry.msgstr, entry.tcomment = old.msgstr, old.tcomment
    fuzzy = "fuzzy" in old.flags or restored
    origin = None
    if old.msgid != tmpl.msgid:
        fuzzy, entry.previous_msgid = True, old.msgid
    elif "fuzzy" in old.flags:
        entry.previous_msgid = old.previous_msgid
        # Another block's id; a context a tool made up (xliff2po's 'file:line') names none.
        if old.previous_msgctxt not in (None, tmpl.msgctxt) and _BLOCK_ID.fullmatch(
                old.previous_msgctxt):
            origin = entry.previous_msgctxt = old.previous_msgctxt
    note, lines = split_note(entry.tcomment)
    if note is not None and note.startswith(REJECTED_NOTE):
        note = None   # it has a translation now: nothing was refused
    if origin is not None:
        note = f"{PREFILL_NOTE}[{origin}]{_NOTE_END}"
    if fuzzy:
        entry.flags.insert(0, "fuzzy")
        lines = [note, *lines] if note else lines
    entry.tcomment = "\n".join(lines)   # the note goes once the entry is no longer fuzzy
    return origin is not None and split_note(old.tcomment)[0] != note


def split_note(tcomment: str) -> tuple[str | None, list[str]]:
    """A translator comment -> the pre-fill or memory note in it (one line again),
    the rest."""
    lines = tcomment.split("\n") if tcomment else []
    start = next((n for n, x in enumerate(lines) if x.startswith(tuple(p for p, _ in _NOTES))),
                 None)
    if start is None:
        return None, lines
    last = next(e for p, e in _NOTES if lines[start].startswith(p))
    note, end = lines[start], start
    while not note.endswith(last) and end + 1 < min(start + 4, len(lines)):
        end += 1   # polib breaks it at spaces and after hyphens
        note += lines[end] if note.endswith("-") else " " + lines[end]
    if not note.endswith(last):
        note, end = lines[start], start
    return note, lines[:start] + lines[end + 1:]


def _twin(retired: list[polib.POEntry], msgid: str) -> polib.POEntry | None:
    """The translated obsolete entry of an id: the one of this English, else the first."""
    done = [e for e in retired if e.msgstr]
    return next((e for e in done if e.msgid == msgid), done[0] if done else None)


def _prefill_kept_elsewhere(old: polib.POEntry, po: polib.POFile) -> bool:
    """A fuzzy pre-fill from another block whose translation that block still has."""
    origin = old.previous_msgctxt
    return ("fuzzy" in old.flags and origin not in (None, old.msgctxt)
            and any(e.msgctxt == origin and e.msgstr == old.msgstr for e in po))


def _place(pot: polib.POFile, po: polib.POFile,
           notes: list[tuple[int, str]],
           ) -> tuple[dict[str, polib.POEntry], list[polib.POEntry]]:
    """Each template id -> the active entry that holds its translation, and the
    active entries whose English was removed. Raises when that is ambiguous."""
    ids = {t.msgctxt for t in pot}
    by_msgid: dict[str, list[polib.POEntry]] = {}
    by_place: dict[str, list[str]] = {}   # '#.' and '#:' -> ids, for a hint
    for t in pot:
        by_msgid.setdefault(t.msgid, []).append(t)
        by_place.setdefault(_place_of(t), []).append(t.msgctxt)
    claims: dict[str, list[polib.POEntry]] = {}
    removed: list[polib.POEntry] = []
    problems: list[_Problem] = []
    recovered: list[tuple[polib.POEntry, str]] = []
    revived: list[polib.POEntry] = []
    for e in po:
        if e.obsolete:
            continue
        if e.msgctxt in ids:
            claims.setdefault(e.msgctxt, []).append(e)
        elif e.msgctxt is not None and _BLOCK_ID.fullmatch(e.msgctxt):
            removed.append(e)   # its block left the English: to #~, as always
        elif e.msgstr and e.msgid not in by_msgid and not (e.comment or e.occurrences):
            revived.append(e)   # a #~ entry (they carry no notes) a tool made active again
        elif e.msgstr:   # no id, or one no block has (a tool's): find it by the English
            found = _recover(by_msgid, by_place, e, problems)
            if found:
                claims.setdefault(found, []).append(e)
                recovered.append((e, found))
    for ctx, entries in claims.items():
        own = [e for e in entries if e.msgctxt == ctx and e.msgstr]
        texts = {e.msgstr for e in entries if e.msgstr}
        if len(own) > 1:
            problems.append(_Problem(_line(own[1]), f"two entries with the id [{ctx}] (lines "
                                     + " and ".join(str(_line(e)) for e in own) + ")",
                                     "keep the entry whose translation is right, delete "
                                     "the other, then run 'leaflet update'", len(own)))
        elif len(texts) > 1:
            problems.append(_Problem(
                max(_line(e) for e in entries), "entries on lines "
                + ", ".join(str(_line(e)) for e in entries) + f" are all for [{ctx}] "
                "(some lost their id in another tool), with different translations",
                f"keep the entry whose translation is right (with msgctxt \"{ctx}\"), "
                "delete the others, then run 'leaflet update'", len(texts)))
    if problems:
        first = min(problems, key=lambda p: p.line)
        stake = sum(p.translations for p in problems)
        more = [p.line for p in problems if p is not first]
        total = sum(1 for e in po if e.msgstr and not e.obsolete)
        raise CatalogError(
            f"{first.what}; {stake} of its {total} translations cannot be merged safely"
            + (f" (more on line(s) {', '.join(map(str, sorted(more)))})" if more else "")
            + ", so the catalog was left unchanged", path=po.fpath, line=first.line,
            hint=first.hint)
    placed = {}
    for ctx, entries in claims.items():   # at most one translation each, checked above
        placed[ctx] = next((e for e in entries if e.msgstr), entries[0])
        for e in entries:
            if e is not placed[ctx]:
                notes.append((_line(e), f"a second entry for [{ctx}], "
                              + ("with the same translation" if e.msgstr else "empty")
                              + f" as line {_line(placed[ctx])}: dropped"))
    if revived:   # xliff2po makes every #~ entry an active one, without its id
        notes.append((_line(revived[0]), f"{len(revived)} entr"
                      + ("y" if len(revived) == 1 else "ies") + " without an id, notes or "
                      "English in the template (#~ entries another tool made active again): "
                      "back to #~"))
    back = [(e, ctx) for e, ctx in recovered if placed[ctx] is e]
    if back:
        notes.append((_line(back[0][0]), f"{len(back)} entr"
                      + ("y" if len(back) == 1 else "ies") + " without their id "
                      "(msgctxt) got it back from the template, each by its English (this "
                      f"line -> [{back[0][1]}]" + (", ..." if len(back) > 1 else "") + ")"))
    return placed, removed + revived


def _place_of(e: polib.POEntry) -> str:
    return repr((e.comment, e.occurrences))


def _recover(by_msgid: dict[str, list[polib.POEntry]], by_place: dict[str, list[str]],
             e: polib.POEntry, problems: list[_Problem]) -> str | None:
    """The id of an entry that lost it: the one template entry of its English, told
    apart, if several share it, by the comments and references the tool kept."""
    found = by_msgid.get(e.msgid, [])
    if len(found) > 1:
        score = {t.msgctxt: (t.comment == e.comment) + (t.occurrences == e.occurrences)
                 for t in found}
        best = max(score.values())
        if not best and (e.comment or e.occurrences):
            found = []   # the tool kept its notes and they fit none: its English changed
        found = [t for t in found if score[t.msgctxt] == best] if best else found
    if len(found) == 1:
        ctx: str = found[0].msgctxt
        return ctx
    what = ("entry without an id (msgctxt)" if e.msgctxt is None
            else f"entry with an id no block has ({e.msgctxt!r}, written by another tool)")
    if found:
        ids = ", ".join(t.msgctxt for t in found)
        problems.append(_Problem(_line(e), f"{what} whose English is that of {len(found)} "
                                 f"entries ({ids})", "write the right one of "
                                 f"{ids} as msgctxt \"...\" above its msgid", 1))
    else:
        there = by_place.get(_place_of(e), [])
        fix = (f"if it translates [{there[0]}], the block now at its place (#. and #:), "
               f"write msgctxt \"{there[0]}\" above its msgid"
               if len(there) == 1 and (e.comment or e.occurrences)
               else "write its block id (see the .pot) as msgctxt \"...\" above its msgid")
        problems.append(_Problem(_line(e), f"{what} whose English (with its comments) "
                                 "matches no entry of the template",
                                 "another tool dropped its id (an XLIFF round trip does) and "
                                 f"its English changed since: {fix}, or take the catalog "
                                 "back from version control", 1))
    return None


def difference(po: polib.POFile, merged: Merged) -> str:
    """What 'leaflet update' would change in a catalog that is not as it writes it."""
    if merged.notes:
        line, what = merged.notes[0]
        return (f"catalog needs 'leaflet update' to recover: line {line}: {what}"
                + (f" (and {len(merged.notes) - 1} more)" if len(merged.notes) > 1 else ""))
    if po_text(merged.catalog) == po_text(po):
        return ("catalog differs from what 'leaflet update' writes only in its layout (line "
                "wrapping, header order, line endings or byte order mark), as when another "
                "tool saved it; no translation would change")
    return "catalog is not up to date with the English"


def translations(po: polib.POFile) -> set[str]:
    """Every translation a catalog holds, active or obsolete."""
    return {e.msgstr for e in po if e.msgstr}


def _guard(po: polib.POFile, out: polib.POFile) -> None:
    """The promise of the merge, checked: every translation read is written."""
    kept = translations(out)
    lost = [e for e in po if e.msgstr and e.msgstr not in kept]
    if lost:
        raise CatalogError(f"merging would lose {len(lost)} translation(s) (first "
                           f"[{lost[0].msgctxt}]), so the catalog was left unchanged",
                           path=po.fpath,
                           line=_line(lost[0]), hint="please report this to the leaflet "
                           "maintainers with the catalog; translate with the file as it is")


def compile_mo(po: polib.POFile) -> bytes:
    """Binary .mo of the translated, non-fuzzy entries (as msgfmt does)."""
    mo: bytes = po.to_binary()
    return mo
