"""XLIFF 1.2, the format agencies' tools (Trados, memoQ, Phrase, Crowdin) read.

`write`: catalogs -> one document, a `<file>` per catalog (`original` is its
path in the project), a `<trans-unit>` per entry whose id is the entry's
msgctxt, `<source>` and `<target>` with a state, the `#.` notes, the `#:`
places, and for a fuzzy entry the English it was translated from
(`<alt-trans alttranstype="previous-version">`).

`read`: a document back -> its files and units, each with the line it is on,
its texts as the catalog writes them, and what is wrong with its target's
inline codes.

Placeholders (`{phone}`) are `<ph>` and `<strong>...</strong>` is a
`<bpt>`/`<ept>` pair, each holding the characters it stands for: a CAT tool
shows them as locked tags, and a reader that only takes the text (Translate
Toolkit's `unit.source`) still gets the catalog's text exactly.

Pure: bytes and catalogs in, bytes and values out. lxml parses with entities,
DTDs and the network turned off.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import polib
from lxml import etree

from .errors import ExchangeError
from .model import PLACEHOLDER

NS = "urn:oasis:names:tc:xliff:document:1.2"
# 1.1 has the same elements (Translate Toolkit writes it); 2.x is another format.
READABLE = (NS, "urn:oasis:names:tc:xliff:document:1.1")
XML_NS = "http://www.w3.org/XML/1998/namespace"
SPACE = f"{{{XML_NS}}}space"
MAX_BYTES = 50 * 1024 * 1024   # a hundred times one locale's export; more is not ours
PLURALS = "x-gettext-plurals"   # po2xliff's group for msgid_plural entries
PLACEHOLDER_CTYPE = "x-placeholder"
TRANSLATED, FUZZY = "translated", "fuzzy"
# Target states (XLIFF 1.2, section 2.5.7.4) that mean the translator is done.
_DONE = ("translated", "signed-off", "final")
# State qualifiers that mean the text is a suggestion nobody has checked.
_SUGGESTION = ("fuzzy-match", "mt-suggestion", "leveraged-mt")
_CODE = re.compile(r"(<strong>|</strong>|" + PLACEHOLDER.pattern + ")")
_STRUCTURE = ("xliff", "file", "header", "body", "group", "trans-unit", "alt-trans",
              "context-group")


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


# --- writing -------------------------------------------------------------------------
def write(catalogs: Sequence[tuple[str, polib.POFile]], source_language: str,
          target_language: str, tool_version: str) -> bytes:
    """One XLIFF 1.2 document of catalogs given as (path in the project, catalog
    merged with the English); languages as BCP 47 tags (`pt-BR`, `zh-Hans`)."""
    root = etree.Element(_q("xliff"), nsmap={None: NS}, version="1.2")
    for original, po in catalogs:
        f = etree.SubElement(root, _q("file"), original=original, datatype="po")
        f.set("source-language", source_language)
        f.set("target-language", target_language)
        f.set("tool-id", "leaflet")
        header = etree.SubElement(f, _q("header"))
        tool = etree.SubElement(header, _q("tool"))
        tool.set("tool-id", "leaflet")
        tool.set("tool-name", "leaflet")
        tool.set("tool-version", tool_version)
        body = etree.SubElement(f, _q("body"))
        for e in po:
            if not e.obsolete:
                _unit(body, e)
    _indent(root, 0)
    data: bytes = etree.tostring(root, xml_declaration=False, encoding="UTF-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + data + b"\n"


def _unit(body: etree._Element, e: polib.POEntry) -> None:
    if e.msgid_plural:   # extract writes none; a leaflet block has one text
        raise ExchangeError(f"[{e.msgctxt}] has plural forms, which leaflet does not "
                            "exchange", line=e.linenum,
                            hint="leaflet texts have no plural forms: remove the entry")
    unit = etree.SubElement(body, _q("trans-unit"), id=e.msgctxt or "")
    unit.set("resname", e.msgctxt or "")
    unit.set(SPACE, "preserve")   # inherited by source, target, notes
    fuzzy = "fuzzy" in e.flags and bool(e.msgstr)
    if e.msgstr:
        unit.set("approved", "no" if fuzzy else "yes")   # what Translate Toolkit reads
    codes = fill(etree.SubElement(unit, _q("source")), e.msgid, None)
    target = etree.SubElement(unit, _q("target"))
    target.set("state", "needs-review-translation" if fuzzy
               else "translated" if e.msgstr else "new")
    fill(target, e.msgstr, codes)
    if e.comment:
        etree.SubElement(unit, _q("note"), {"from": "developer", "annotates": "source"}
                         ).text = e.comment
    if e.tcomment:
        etree.SubElement(unit, _q("note"), {"from": "translator"}).text = e.tcomment
    for where, line in e.occurrences:
        group = etree.SubElement(unit, _q("context-group"), purpose="location")
        etree.SubElement(group, _q("context"), {"context-type": "sourcefile"}).text = where
        if line:
            etree.SubElement(group, _q("context"), {"context-type": "linenumber"}).text = line
    if fuzzy and e.previous_msgid:
        alt = etree.SubElement(unit, _q("alt-trans"), alttranstype="previous-version")
        old = fill(etree.SubElement(alt, _q("source")), e.previous_msgid, None)
        fill(etree.SubElement(alt, _q("target")), e.msgstr, old)


def fill(element: etree._Element, text: str,
         source: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """Write `text` into `element`, each placeholder a `<ph>` and each `<strong>`
    pair a `<bpt>`/`<ept>`. A source (`source` None) numbers its codes; a
    target takes the ids of its source's codes, in order, and writes a code the
    source does not have as plain text, as the translator wrote it (the checks
    say what is wrong with it). Returns the ids by code (`<strong>` -> ids, in
    order), for a target to follow."""
    parts = _CODE.split(text)
    element.text = parts[0]
    numbered = source is None
    ids: dict[str, list[str]] = {}
    wanted = {code: list(found) for code, found in (source or {}).items()}
    pending: list[str] = []   # ids of <strong>s not yet closed, for a source
    last: etree._Element | None = None
    for n, code in enumerate(parts[1::2]):
        tail = parts[2 + 2 * n]
        if numbered:
            if code == "</strong>":
                ident = pending.pop() if pending else str(n + 1)
            else:
                ident = str(n + 1)
                if code == "<strong>":
                    pending.append(ident)
        else:
            ident = wanted[code].pop(0) if wanted.get(code) else ""
        if not ident:   # not in the source: text, so the tool shows it as it is
            if last is None:
                element.text = (element.text or "") + code + tail
            else:
                last.tail = (last.tail or "") + code + tail
            continue
        ids.setdefault(code, []).append(ident)
        tag = {"<strong>": "bpt", "</strong>": "ept"}.get(code, "ph")
        last = etree.SubElement(element, _q(tag), id=ident)
        if tag == "bpt":
            last.set("ctype", "bold")
        elif tag == "ph":
            last.set("ctype", PLACEHOLDER_CTYPE)
        last.text = code
        last.tail = tail
    return ids


def _indent(element: etree._Element, level: int) -> None:
    """Line up the structure, never the mixed content of a source, target, note."""
    children = list(element)
    if not children or etree.QName(element).localname not in _STRUCTURE:
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in children:
        _indent(child, level + 1)
        child.tail = pad
    children[-1].tail = "\n" + "  " * level


# --- reading -------------------------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    """A trans-unit: texts as the catalog writes them (codes back as characters)."""
    id: str
    line: int
    source: str
    target: str          # "" when there is none
    status: str          # TRANSLATED or FUZZY, by the target's state (see _status)
    state: str           # the state as the file says it, for messages
    problems: tuple[str, ...] = ()   # what is wrong with the target's inline codes


@dataclass(frozen=True)
class File:
    original: str
    line: int
    source_language: str
    target_language: str
    units: tuple[Unit, ...] = field(default=())


def read(data: bytes, path: str) -> list[File]:
    """An XLIFF 1.2 (or 1.1) document -> its files; ExchangeError naming path:line
    for what is not XLIFF 1.x, not well-formed, or not one unit per id."""
    if len(data) > MAX_BYTES:
        raise ExchangeError(f"file is {len(data)} bytes, over the {MAX_BYTES} limit",
                            path=path, hint="this is not an export of leaflet")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        msg = re.sub(r",? line \d+(, column \d+)?$", "", exc.msg)   # the line is named
        raise ExchangeError(f"not well-formed XML: {msg}", path=path,
                            line=exc.lineno or None,
                            hint="the file was damaged (cut short, or edited as text): "
                            "ask for it again, saved from the translation tool") from exc
    name = etree.QName(root)
    version = root.get("version", "")
    if name.localname != "xliff" or (version.startswith("2") or "xliff:document:2" in
                                     (name.namespace or "")):
        what = (f"XLIFF {version}" if name.localname == "xliff"
                else f"a <{name.localname}> document")
        raise ExchangeError(f"{what}, not XLIFF 1.2", path=path, line=root.sourceline,
                            hint="ask the agency to deliver XLIFF 1.2 (the version "
                            "'leaflet export' wrote)")
    if name.namespace not in READABLE:
        raise ExchangeError(f"<xliff> in the namespace {name.namespace!r}", path=path,
                            line=root.sourceline, hint=f"XLIFF 1.2 is in {NS!r}")
    ns = name.namespace
    return [_file(f, ns, path) for f in root.iterchildren(f"{{{ns}}}file")]


def _file(f: etree._Element, ns: str, path: str) -> File:
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for node in f.iter(f"{{{ns}}}trans-unit", f"{{{ns}}}group"):
        if etree.QName(node).localname == "group":
            if node.get("restype") == PLURALS:
                raise ExchangeError(
                    f"plural forms (<group restype=\"{PLURALS}\">, id "
                    f"{node.get('id')!r})", path=path, line=node.sourceline,
                    hint="leaflet texts have no plural forms: this file was not made by "
                    "'leaflet export'; export again and translate that file")
            continue
        ident = node.get("id")
        if not ident:
            raise ExchangeError("<trans-unit> without an id", path=path,
                                line=node.sourceline, hint="the translation tool dropped "
                                "the unit ids: export from it as XLIFF 1.2 again")
        if ident in seen:
            raise ExchangeError(f"two units with the id {ident!r} (lines {seen[ident]} "
                                f"and {node.sourceline})", path=path, line=node.sourceline,
                                hint="keep the unit whose translation is right, delete "
                                "the other")
        seen[ident] = node.sourceline or 0
        units.append(_read_unit(node, ns, ident, path))
    return File(f.get("original", ""), f.sourceline or 0, f.get("source-language", ""),
                f.get("target-language", ""), tuple(units))


def _read_unit(node: etree._Element, ns: str, ident: str, path: str) -> Unit:
    source_el = node.find(f"{{{ns}}}source")
    if source_el is None:
        raise ExchangeError(f"unit {ident!r} has no <source>", path=path,
                            line=node.sourceline, hint="export again and translate that file")
    target_el = node.find(f"{{{ns}}}target")
    codes: dict[tuple[str, str], str] = {}
    problems: list[str] = []
    source = _text(source_el, ns, codes, None, problems)
    target, state, qualifier = "", "", ""
    if target_el is not None:
        target = _text(target_el, ns, codes, codes, problems)
        state, qualifier = target_el.get("state", ""), target_el.get("state-qualifier", "")
    if _space(node) != "preserve":   # a tool dropped xml:space: its line breaks are layout
        source, target = " ".join(source.split()), " ".join(target.split())
    if target.strip():
        problems = problems or _code_problems(source, target)   # the cause, not its echo
    else:
        problems, target = [], ""
    return Unit(ident, node.sourceline or 0, source, target,
                _status(state, qualifier, node.get("approved")), state or "(none)",
                tuple(problems))


def _status(state: str, qualifier: str, approved: str | None) -> str:
    """TRANSLATED for a target its translator marked done, FUZZY for one that needs
    review or is a suggestion. Without a state, `approved="no"` means not done."""
    if qualifier in _SUGGESTION:
        return FUZZY
    if not state:
        return FUZZY if approved == "no" else TRANSLATED
    return TRANSLATED if state in _DONE else FUZZY


def _space(node: etree._Element) -> str:
    """The xml:space in force at a node (inherited, 'default' if none says)."""
    for el in (node, *node.iterancestors()):
        value = el.get(SPACE)
        if value:
            return str(value)
    return "default"


def _text(element: etree._Element, ns: str, codes: dict[tuple[str, str], str],
          source: dict[tuple[str, str], str] | None, problems: list[str]) -> str:
    """The text of a source or target, each inline code back as the characters it
    stands for. A source records its codes in `codes`; a target (`source` given)
    may use only those, by id, and says in `problems` where it does not."""
    out = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):   # a comment or processing instruction
            out.append(child.tail or "")
            continue
        tag = etree.QName(child)
        key = (tag.localname, child.get("id", ""))
        if tag.namespace == ns and tag.localname == "mrk":   # a segment or a marker
            out.append(_text(child, ns, codes, source, problems))
        elif tag.namespace == ns and tag.localname in ("ph", "bpt", "ept") and not len(child):
            native = child.text or ""
            if source is None:
                codes[key] = native
            elif key not in source:
                problems.append(f"<{key[0]} id=\"{key[1]}\"> (line {child.sourceline}) "
                                "is not a code of the source")
            elif native and native != source[key]:
                problems.append(f"<{key[0]} id=\"{key[1]}\"> (line {child.sourceline}) "
                                f"holds {native!r}; the source's holds {source[key]!r}")
            else:
                native = source[key]
            out.append(native)
        else:
            problems.append(f"<{tag.localname}> (line {child.sourceline}) is an inline "
                            "element leaflet does not write")
            out.append("".join(child.itertext()))
        out.append(child.tail or "")
    return "".join(out)


def _code_problems(source: str, target: str) -> list[str]:
    """The placeholders and tags a target lost, added or put out of order."""
    want, got = Counter(_CODE.findall(source)), Counter(_CODE.findall(target))
    found = [f"the target lost {code}" + (f" ({n} of {want[code]})" if want[code] > 1 else "")
             for code, n in (want - got).items()]
    found += [f"the target has {code} more often than the source" for code in got - want]
    depth = 0
    for code in _CODE.findall(target):
        depth += {"<strong>": 1, "</strong>": -1}.get(code, 0)
        if depth < 0 or depth > 1:
            found.append("the target's <strong> and </strong> are out of order")
            break
    return found
