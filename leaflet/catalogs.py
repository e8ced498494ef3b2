"""Catalogs: read safely, init, update keyed by msgctxt, compile, write stably.

polib does the file format (it keeps every header a translator's tool adds,
previous msgids and obsolete entries); the merge is ours, because Babel's and
msgmerge's fuzzy matching by msgid text drops a translation after a large edit
and may pre-fill one from an unrelated block.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import polib

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
    if b"\0" in data:
        raise CatalogError("binary data in a text catalog", path=path,
                           line=data[:data.index(b"\0")].count(b"\n") + 1,
                           hint="is this a compiled .mo file? send the .po file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError("not UTF-8", path=path, line=data[:exc.start].count(b"\n") + 1,
                           hint="save the file as UTF-8 (Poedit: Catalogue > Properties)") from exc
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
    """Merge a template into a catalog, keyed by msgctxt (the block id).

    Same id, same English: translation kept as it is. Same id, new English:
    translation kept, marked fuzzy, old English kept as `#| msgid`. An id gone
    from the template: obsolete, kept; an obsolete id back: translation back,
    fuzzy. Nothing is matched across ids, so no block's translation can be
    pre-filled into another.
    """
    active = {e.msgctxt: e for e in po if not e.obsolete}
    retired = {e.msgctxt: e for e in po if e.obsolete}
    out = polib.POFile(wrapwidth=WRAP)
    out.header = po.header
    out.metadata = dict(po.metadata)
    out.metadata_is_fuzzy = po.metadata_is_fuzzy
    for key in ("Project-Id-Version", "POT-Creation-Date"):
        out.metadata[key] = pot.metadata.get(key, "")
    for tmpl in pot:
        entry = polib.POEntry(msgctxt=tmpl.msgctxt, msgid=tmpl.msgid, msgstr="",
                              comment=tmpl.comment, occurrences=list(tmpl.occurrences),
                              flags=[f for f in tmpl.flags if f != "fuzzy"])
        old = active.pop(tmpl.msgctxt, None)
        restored = old is None and tmpl.msgctxt in retired
        old = old or retired.pop(tmpl.msgctxt, None)
        if old is not None and old.msgstr:
            entry.msgstr, entry.tcomment = old.msgstr, old.tcomment
            fuzzy = "fuzzy" in old.flags or restored
            if old.msgid != tmpl.msgid:
                fuzzy, entry.previous_msgid = True, old.msgid
            elif "fuzzy" in old.flags:
                entry.previous_msgid = old.previous_msgid
            if fuzzy:
                entry.flags.insert(0, "fuzzy")
        out.append(entry)
    gone = {**retired, **active}   # an active entry outranks an older obsolete one
    for ctx in sorted(gone, key=lambda c: c or ""):
        old = gone[ctx]
        if not old.msgstr:
            continue   # nothing of a translator's to keep
        out.append(polib.POEntry(msgctxt=old.msgctxt, msgid=old.msgid, msgstr=old.msgstr,
                                 tcomment=old.tcomment, obsolete=True))
    return out


def compile_mo(po: polib.POFile) -> bytes:
    """Binary .mo of the translated, non-fuzzy entries (as msgfmt does)."""
    mo: bytes = po.to_binary()
    return mo
