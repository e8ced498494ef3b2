"""The PDF's text layer is its text: /ActualText where glyphs are not the text.

Why this exists. A PDF reader gets text back from glyphs through each font's
ToUnicode map, one glyph at a time, in drawing order. That works when every
glyph stands for its own characters, in order. Shaped scripts break it:
Devanagari draws the vowel sign of "कि" before its consonant and fuses
conjuncts into one glyph, Arabic draws its marks as glyphs of their own over
their letter. WeasyPrint 70 maps each glyph to the text of the first cluster it
met it in, so pdftotext read "वर्टेब्रोप्लास्टी" as "वटर्टे ब्रोप्लास्टी" and
Arabic marks landed on other letters: screen readers, search and copy got
garbled text.

What it does. At draw time Pango's glyph strings say which glyphs make one
cluster (log_clusters: glyph -> byte offset in the text); clusters are joined
into graphemes (a letter with its marks). A grapheme drawn as one glyph whose
ToUnicode entry is its text needs nothing. The glyphs of any other grapheme
are drawn inside a marked-content span carrying the real text,
`/Span <</ActualText (text)>> BDC ... EMC` (PDF 32000-1, 14.9.4), which
poppler, MuPDF, pdf.js and Acrobat read instead of the glyphs, as they do in
Chromium's PDFs. Glyphs met for the first time get the ToUnicode entry of
their own character where the font's cmap has one.

How. `install()` wraps WeasyPrint's `draw.text.draw_first_line`, which turns
one Pango line into TJ operators. During a call the wrapper sees the line that
function draws (through the layout's `get_first_line`) and the TJ strings it
writes (through the stream's `show_text`), and splits those strings where a
span starts or ends. Nothing else of WeasyPrint changes. It relies on the
internals of WeasyPrint 70.0: `check_weasyprint()` (run by
tests/test_pdf_text.py) fails when their source changes, and a line drawn
otherwise than planned raises TextLayerError.
"""
from __future__ import annotations

import hashlib
import inspect
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable

# The WeasyPrint this hook was written for, and the source (sha256) of the
# functions whose behaviour it relies on: draw_first_line (the order of the
# glyphs it writes, the glyphs it skips, the form of its TJ strings) and the
# layout's get_first_line (the line it draws).
WEASYPRINT = "70.0"
SOURCES = {
    "weasyprint.draw.text.draw_first_line":
        "1bb8eae6d88e71b17096a034656f3be17da8f1f513c78536c1c38d971927638b",
    "weasyprint.text.line_break.Layout.get_first_line":
        "bb65cbda0e27f1350376bc345c82093c5a3d00b8ac6d8dd9d7303f7693db9254",
}
_TOKEN = re.compile(rb"<([0-9a-f]*)>|[^<>]+")    # glyph codes, or a move
_EMPTY = 0x0FFFFFFF          # pango.PANGO_GLYPH_EMPTY: written as a move only
_UNKNOWN = 0x10000000        # pango.PANGO_GLYPH_UNKNOWN_FLAG: .notdef
_original: Callable[..., Any] | None = None


class TextLayerError(RuntimeError):
    """WeasyPrint drew a line otherwise than this hook planned."""


def _watched() -> dict[str, Any]:
    from weasyprint.draw import text
    from weasyprint.text.line_break import Layout
    return {"weasyprint.draw.text.draw_first_line": _original or text.draw_first_line,
            "weasyprint.text.line_break.Layout.get_first_line": Layout.get_first_line}


def check_weasyprint() -> list[str]:
    """What differs from the WeasyPrint this hook was written for (empty: nothing)."""
    from importlib.metadata import version
    found = [] if version("weasyprint") == WEASYPRINT else [
        f"WeasyPrint {version('weasyprint')} is installed; leaflet/pdftext.py is for "
        f"{WEASYPRINT}"]
    for name, function in _watched().items():
        digest = hashlib.sha256(inspect.getsource(function).encode()).hexdigest()
        if digest != SOURCES[name]:
            found.append(f"{name} changed (source sha256 {digest}): check what "
                         f"leaflet/pdftext.py relies on, then update SOURCES")
    return found


def install() -> None:
    """Wrap WeasyPrint's line drawing (once per process)."""
    global _original
    from weasyprint.draw import text
    if _original is None:
        _original = text.draw_first_line
        text.draw_first_line = _draw_first_line


def _draw_first_line(stream: Any, textbox: Any, text_overflow: str, block_ellipsis: str,
                     matrix: Any) -> Any:
    """WeasyPrint's draw_first_line, with ActualText spans where they are needed."""
    assert _original is not None
    layout = textbox.pango_layout
    line = _Line(stream)
    get_first_line = layout.get_first_line

    def first_line() -> Any:      # called once the line's text is final
        found = get_first_line()
        line.plan(found[0], layout.text.encode())
        return found

    layout.get_first_line = first_line
    stream.show_text = line.show_text
    try:
        result = _original(stream, textbox, text_overflow, block_ellipsis, matrix)
    finally:
        del layout.get_first_line
        del stream.show_text
    if line.span or line.at != len(line.glyphs):
        raise TextLayerError(f"WeasyPrint wrote {line.at} of the {len(line.glyphs)} glyphs "
                             f"of the line {layout.text[:40]!r}")
    return result


@dataclass
class _Glyph:
    """One glyph as draw_first_line writes it, and the span marks around it."""
    digits: int                   # hex digits of its code (2: bitmap font, 4)
    open: str | None = None       # ActualText of a span that starts here
    close: bool = False           # a span ends after it


@dataclass
class _Line:
    """The glyphs of one line in drawing order, and where spans start and end."""
    stream: Any
    glyphs: list[_Glyph] = field(default_factory=list)
    at: int = 0                   # the next glyph to be written
    span: bool = False            # inside a span

    def plan(self, line: Any, utf8: bytes) -> None:
        from weasyprint.text.ffi import ffi
        self.glyphs, self.at = [], 0
        run = line.runs
        while run != ffi.NULL:
            self._run(run.data, utf8)
            run = run.next

    def _run(self, glyph_item: Any, utf8: bytes) -> None:
        """One run: one font, one direction, glyphs in drawing order."""
        item, glyphs = glyph_item.item, glyph_item.glyphs
        font, _ = self.stream.add_font(item.analysis.font)
        digits = 2 if font.bitmap else 4
        count = glyphs.num_glyphs
        starts = [glyphs.log_clusters[i] for i in range(count)]
        bounds = sorted(set(starts)) + [item.length]
        texts = {a: utf8[item.offset + a:item.offset + b].decode()
                 for a, b in zip(bounds, bounds[1:])}
        # Pango keeps some marks apart from their letter (Devanagari vowel
        # signs, Arabic harakat); they are drawn over it, and extractors that
        # take them for letters of their own set a space before or after them.
        # Not in right-to-left runs: there both extractors read a span's text
        # in the wrong order when it is more than letters (a letter and its
        # mark), and a mark drawn apart is read right (see _Line.show_text).
        rtl = item.analysis.level % 2
        grapheme: dict[int, int] = {}     # cluster start -> its grapheme's start
        previous = 0
        for a in bounds[:-1]:
            joins = not rtl and grapheme and texts[a] and _joins(texts[a][0])
            grapheme[a] = grapheme[previous] if joins else a
            previous = a
        words: dict[int, str] = {}
        for a in bounds[:-1]:
            words[grapheme[a]] = words.get(grapheme[a], "") + texts[a]
        groups: list[tuple[int, list[tuple[int, bool]]]] = []   # (glyph, no advance)
        for i in range(count):
            key, info = grapheme[starts[i]], glyphs.glyphs[i]
            if not groups or groups[-1][0] != key:
                groups.append((key, []))
            if info.glyph != _EMPTY:
                groups[-1][1].append((info.glyph, info.geometry.width == 0))
        for key, drawn in groups:
            if drawn:
                self._grapheme(font, digits, drawn, words[key], bool(rtl))

    def _grapheme(self, font: Any, digits: int, drawn: list[tuple[int, bool]],
                  text: str, rtl: bool) -> None:
        ids = [glyph for glyph, _ in drawn]
        _map_new_glyphs(font, ids, text)
        mapped = ["" if glyph & _UNKNOWN else font.to_unicode[glyph] for glyph in ids]
        if len(ids) == 1 and (ids[0] & _UNKNOWN or mapped[0] == text):
            self.glyphs.append(_Glyph(digits))
            return
        # Several glyphs get a span even when their entries spell the text in
        # order: poppler sets a space after a mark drawn over its letter
        # ("टूटी" -> "टू टी") unless one span holds both.
        for first, end, actual in _spans(mapped, [flat for _, flat in drawn], text, rtl):
            group = [_Glyph(digits) for _ in range(first, end)]
            group[0].open, group[-1].close = actual, True
            self.glyphs.extend(group)

    def show_text(self, text: bytes | str) -> None:
        """Write a TJ string of draw_first_line, split where spans start and end."""
        import pydyf
        data = text.encode() if isinstance(text, str) else text
        parts: list[bytes] = []

        def flush() -> None:
            if parts:
                pydyf.Stream.show_text(self.stream, b"".join(parts))
                parts.clear()

        for match in _TOKEN.finditer(data):
            codes = match.group(1)
            if codes is None:
                parts.append(match.group(0))
                continue
            i, run = 0, b""
            while i < len(codes):
                if self.at >= len(self.glyphs):
                    raise TextLayerError("WeasyPrint wrote more glyphs than Pango's line has")
                glyph = self.glyphs[self.at]
                self.at += 1
                if glyph.open is not None:
                    if run:
                        parts.append(b"<" + run + b">")
                    run = b""
                    flush()
                    self.stream.begin_marked_content("Span", pydyf.Dictionary(
                        {"ActualText": pydyf.String(glyph.open)}))
                    self.span = True
                run += codes[i:i + glyph.digits]
                i += glyph.digits
                if glyph.close:
                    parts.append(b"<" + run + b">")
                    run = b""
                    flush()
                    self.stream.end_marked_content()
                    self.span = False
            if run:
                parts.append(b"<" + run + b">")
        flush()


def _joins(char: str) -> bool:
    """Characters that belong to the grapheme before them: marks, joiners."""
    return unicodedata.category(char)[0] == "M" or char in "\u200c\u200d"


def _spans(mapped: list[str], flat: list[bool], text: str,
           rtl: bool = False) -> list[tuple[int, int, str]]:
    """ActualText spans (first glyph, end glyph, text) for the glyphs of a
    grapheme whose ToUnicode entries are `mapped` (`flat`: of no advance).

    What the two extractors need:
    - Poppler places a span's text between its first glyph's origin and its
      last glyph's end: a mark of no advance drawn back over its letter at
      the end of a span shortens that box and a space follows ("फ्रै क्चर").
      Marks of no advance at the end get a span of no text of their own.
    - MuPDF (1.28, stext-device.c) matches a span's glyphs against its
      ActualText: a prefix, then from the end, then glyph by glyph; a glyph
      given a non-spacing mark does not advance, and a shortfall of 0.8 em
      breaks the line ("स्थि\nर"); when the end matches but the middle does
      not it writes the end twice (it counts in bytes, not characters):
      "किं" -> "किंं".
    So a grapheme whose entries spell its text in drawing order is one span;
    otherwise each glyph that advances gets a span of its own carrying the
    next letter of the text with its marks.
    """
    count = len(mapped)
    if "".join(mapped) == text or rtl:
        end = count
        while end > 1 and flat[end - 1]:
            end -= 1
        return [(0, end, text)] + ([(end, count, "")] if end < count else [])
    units: list[str] = []            # a letter (or spacing mark) and its marks
    for char in text:
        if units and unicodedata.category(char) == "Mn":
            units[-1] += char
        else:
            units.append(char)
    wide = [k for k in range(count) if not flat[k]]
    for cuts in itertools.combinations(range(1, len(units)), len(wide) - 1):
        bounds = (0, *cuts, len(units))
        pieces = {k: "".join(units[a:b]) for k, a, b in zip(wide, bounds, bounds[1:])}
        if all(_mupdf_reads([mapped[k]], piece) for k, piece in pieces.items()):
            return [(k, k + 1, pieces.get(k, "")) for k in range(count)]
    return [(0, count, text)]


def _mupdf_reads(mapped: list[str], text: str) -> bool:
    """Whether MuPDF reads `text` from one span of glyphs mapped so."""
    runes = "".join(mapped)
    prefix = 0
    while prefix < min(len(runes), len(text)) and runes[prefix] == text[prefix]:
        prefix += 1
    if prefix == len(runes):
        return True                   # all matched; the rest of the text follows
    rest = text[prefix:]
    return bool(rest) and runes[-1] != rest[-1]


def _map_new_glyphs(font: Any, glyphs: list[int], text: str) -> None:
    """ToUnicode for the glyphs of a grapheme met for the first time. A
    grapheme of one glyph: its text. Otherwise the character whose glyph it is
    in the font's cmap; a glyph that is no character's (a conjunct, a
    contextual form) gets one of the characters no glyph here stands for (one:
    its entry is seen wherever the glyph is drawn, inside spans or not)."""
    new = [glyph for glyph in glyphs if not glyph & _UNKNOWN and glyph not in font.to_unicode]
    if not new:
        return
    if len(glyphs) == 1:
        font.to_unicode[glyphs[0]] = text
        return
    cmap = _cmap(font)
    left = [char for char in text if cmap[char] not in glyphs] or [text[0]]
    for glyph in new:
        own = next((char for char in text if cmap[char] == glyph), None)
        if own is None:
            own = left.pop(0) if len(left) > 1 else left[0]
        font.to_unicode[glyph] = own


_CMAPS: dict[tuple[str, int, int], "_Cmap"] = {}


def _cmap(font: Any) -> "_Cmap":
    """The font's cmap (character -> nominal glyph), one per font and process."""
    key = (font.hash, font.index, len(font.file_content))
    if key not in _CMAPS:
        import uharfbuzz as hb
        _CMAPS[key] = _Cmap(hb.Font(hb.Face(hb.Blob(font.file_content), font.index)))
    return _CMAPS[key]


class _Cmap(dict):
    """char -> nominal glyph id, looked up on first use."""

    def __init__(self, hb_font: Any) -> None:
        super().__init__()
        self._font = hb_font

    def __missing__(self, char: str) -> int | None:
        glyph = self._font.get_nominal_glyph(ord(char))
        self[char] = glyph
        return glyph
