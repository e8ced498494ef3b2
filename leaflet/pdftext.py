"""The PDF's text layer is its text: /ActualText where glyphs are not the text.

Why this exists. A PDF reader gets text back from glyphs through each font's
ToUnicode map, one glyph at a time, in drawing order. That works when every
glyph stands for its own characters, in order. Shaped scripts break it:
Devanagari draws the vowel sign of "कि" before its consonant and fuses
conjuncts into one glyph, Arabic draws its marks as glyphs of their own above
or below their letter. WeasyPrint 70 maps each glyph to the text of the first
cluster it met it in, so pdftotext read "वर्टेब्रोप्लास्टी" as "वटर्टे ब्रोप्लास्टी"
and Arabic marks landed on other letters, or lines: screen readers, search and
copy got garbled text.

What it does, at draw time, where Pango's glyph strings say which glyphs make
one cluster (log_clusters: glyph -> byte offset in the text):
- Clusters are joined into graphemes (a letter with its marks). A grapheme
  drawn as one glyph whose ToUnicode entry is its text needs nothing; the
  glyphs of any other are drawn inside marked-content spans carrying the real
  text, `/Span <</ActualText (text)>> BDC ... EMC` (PDF 32000-1, 14.9.4), which
  poppler, MuPDF, pdf.js and Acrobat read instead of the glyphs (Chromium's
  PDFs do the same). How the spans are cut so that both poppler and MuPDF
  read them right: `_spans`.
- Glyphs met for the first time get the ToUnicode entry of their own
  character where the font's cmap has one.
- Right to left (Arabic): a mark drawn off the baseline is read from an
  invisible copy on it (`_Line._raised`), or, on the letter drawn first on a
  line, from that letter's span (`_Line._carried`); punctuation and spaces
  are mapped between right-to-left marks (`_rtl_neutral`); a left-to-right
  line in a right-to-left document ends in a left-to-right mark
  (`_Line.plan`); a line with runs of both directions draws them in the order
  of the text (`_logical_order`); a line of several right-to-left text boxes
  is drawn from the left (`_draw_inline_level`).
After tagging (finisher steps): /Lang on passages in another language than
the document (`mark_languages`), an /LBody for list items continued on a new
page (`fix_list_items`).

How. `install()` wraps WeasyPrint's `draw.text.draw_first_line`, which turns
one Pango line into TJ operators: during a call the wrapper sees the line it
draws (through the layout's `get_first_line`) and the TJ strings and text rise
it writes (through the stream's `show_text` and `set_text_rise`), and splits
those strings where a span, or a run of the other direction, starts or ends
(and after the call puts those runs in order); `draw.draw_inline_level`, to
order a line's text boxes; and `pdf.stream.Stream.marked`, to note each text
box's language and where its marked content is. It relies on the internals of
WeasyPrint 70.0: `check_weasyprint()` (run by tests/test_pdf_text.py) fails
when their source changes, and a line drawn otherwise than planned raises
TextLayerError.
"""
from __future__ import annotations

import bisect
import hashlib
import inspect
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .errors import TextLayerError

# The WeasyPrint this hook was written for, and the source (sha256) of the
# functions whose behaviour it relies on: draw_first_line (the order of the
# glyphs it writes, the glyphs it skips, the form of its TJ strings, a raised
# glyph alone between two Ts, how it moves the pen after it), the layout's
# get_first_line (the line it draws), Stream.marked (one MCID per text box),
# add_tags (the parent tree: per page, one element per MCID, in order) and
# draw_inline_level (a line's text boxes, each in marked content of its own).
WEASYPRINT = "70.0"
SOURCES = {
    "weasyprint.draw.text.draw_first_line":
        "1bb8eae6d88e71b17096a034656f3be17da8f1f513c78536c1c38d971927638b",
    "weasyprint.text.line_break.Layout.get_first_line":
        "bb65cbda0e27f1350376bc345c82093c5a3d00b8ac6d8dd9d7303f7693db9254",
    "weasyprint.pdf.stream.Stream.marked":
        "3fa3acacbbf66422e7b0de4346b6eaf638657280a0f62c73172e3c445b888692",
    "weasyprint.pdf.tags.add_tags":
        "f0e74575b0bafaf36458eaac27874e3b80457fba3694058153da514a68933f22",
    "weasyprint.draw.draw_inline_level":
        "068162a401d00efd3bc23a37df12a1c743cd8958cdbf4f03960a777760b1e01c",
}
_TOKEN = re.compile(rb"<([0-9a-f]*)>|[^<>]+")    # glyph codes, or a move
_RAISED = re.compile(rb"(-?[0-9.e+-]+)?<([0-9a-f]+)>")   # one glyph after a move
_EMPTY = 0x0FFFFFFF          # pango.PANGO_GLYPH_EMPTY: written as a move only
_UNKNOWN = 0x10000000        # pango.PANGO_GLYPH_UNKNOWN_FLAG: .notdef
_original: Callable[..., Any] | None = None
_marked: Callable[..., Any] | None = None
_inline: Callable[..., Any] | None = None
_rtl_document = False        # the document being drawn is right to left (`drawing`)
_shaped_document = True      # it has text whose glyphs may not be its characters
# Text whose glyphs may not be one per character, in order: combining marks,
# the scripts from Hebrew to Mongolian and their extensions (Arabic, Indic,
# Thai, Tibetan, Myanmar, Khmer...), presentation forms, and everything
# beyond the BMP. Latin, Greek, Cyrillic and CJK text without marks is drawn
# one glyph a character (or a ligature WeasyPrint maps right), as the text
# of the first PDFs, before this hook, already showed.
_SHAPED = re.compile("[\u0300-\u036f\u0483-\u0489\u0590-\u1cff\u1dc0-\u1dff"
                     "\u20d0-\u20ff\u302a-\u302f\u3099\u309a\ua640-\uabff"
                     "\ufb1d-\ufdff\ufe00-\ufe0f\ufe20-\ufe2f\ufe70-\ufeff"
                     "\U00010000-\U0010ffff]")


def shaped(text: str) -> bool:
    """Whether a document's text has characters whose glyphs the hook may
    have to explain (else its lines are drawn as WeasyPrint draws them)."""
    return bool(_SHAPED.search(text))


@contextmanager
def drawing(rtl: bool, shaped: bool = True) -> Iterator[None]:
    """Draw a document whose base direction is right to left (or not), and
    whose text has shaped characters (or not: the hook then stands aside)."""
    global _rtl_document, _shaped_document
    before = _rtl_document, _shaped_document
    _rtl_document, _shaped_document = rtl, shaped
    try:
        yield
    finally:
        _rtl_document, _shaped_document = before


def _watched() -> dict[str, Any]:
    from weasyprint import draw
    from weasyprint.draw import text
    from weasyprint.pdf import tags
    from weasyprint.pdf.stream import Stream
    from weasyprint.text.line_break import Layout
    return {"weasyprint.draw.text.draw_first_line": _original or text.draw_first_line,
            "weasyprint.text.line_break.Layout.get_first_line": Layout.get_first_line,
            "weasyprint.pdf.stream.Stream.marked": _marked or Stream.marked,
            "weasyprint.pdf.tags.add_tags": tags.add_tags,
            "weasyprint.draw.draw_inline_level": _inline or draw.draw_inline_level}


def check_weasyprint() -> list[str]:
    """What differs from the WeasyPrint this hook was written for (empty: nothing)."""
    from importlib.metadata import version
    found = [] if version("weasyprint") == WEASYPRINT else [
        (f"WeasyPrint {version('weasyprint')} is installed; leaflet/pdftext.py is for "
         f"{WEASYPRINT}")]
    for name, function in _watched().items():
        digest = hashlib.sha256(inspect.getsource(function).encode()).hexdigest()
        if digest != SOURCES[name]:
            found.append(f"{name} changed (source sha256 {digest}): check what "
                         f"leaflet/pdftext.py relies on, then update SOURCES")
    return found


def install() -> None:
    """Wrap WeasyPrint's line drawing and marked content (once per process)."""
    global _original, _marked, _inline
    from weasyprint import draw
    from weasyprint.draw import text
    from weasyprint.pdf.stream import Stream
    if _original is None:
        _original = text.draw_first_line
        text.draw_first_line = _draw_first_line
    if _marked is None:
        _marked = Stream.marked
        Stream.marked = _marked_with_language
    if _inline is None:
        _inline = draw.draw_inline_level
        draw.draw_inline_level = _draw_inline_level


def _draw_first_line(stream: Any, textbox: Any, text_overflow: str, block_ellipsis: str,
                     matrix: Any) -> Any:
    """WeasyPrint's draw_first_line, with ActualText spans where they are needed."""
    assert _original is not None
    if not _shaped_document and not _rtl_document:
        return _original(stream, textbox, text_overflow, block_ellipsis, matrix)
    layout = textbox.pango_layout
    line = _Line(stream, textbox.style["font_size"],
                 ltr_in_rtl=_rtl_document and textbox.style["direction"] == "ltr")
    get_first_line = layout.get_first_line

    def first_line() -> Any:      # called once the line's text is final
        found = get_first_line()
        line.plan(found[0], layout.text.encode())
        return found

    layout.get_first_line = first_line
    stream.show_text, stream.set_text_rise = line.show_text, line.set_text_rise
    begin = len(stream.stream)
    try:
        result = _original(stream, textbox, text_overflow, block_ellipsis, matrix)
    finally:
        del layout.get_first_line
        del stream.show_text, stream.set_text_rise
    if line.span or line.at != line.count or line.pending:
        raise TextLayerError(f"WeasyPrint wrote {line.at} of the {line.count} glyphs "
                             f"of the line {layout.text[:40]!r}")
    if line.cuts:
        stream.stream[begin:] = _logical_order(
            stream.stream[begin:], [at - begin for at in line.cuts], line)
    if _rtl_document:                         # for `_draw_inline_level`
        rtl = [level % 2 for _, level in line.groups]
        stream.__dict__.setdefault("leaflet_rtl", {})[id(textbox)] = (
            None if not rtl else rtl == [1])  # no glyphs, all right to left, or not
    return result


# The operators a text box's marked content may hold for `_draw_inline_level`
# to move it: text only (a colour or graphics state set inside would be in
# force, after the move, where WeasyPrint does not expect it).
_TEXT_OPS = frozenset((b"BT", b"ET", b"Tm", b"Tf", b"TJ", b"Ts", b"Tr", b"BDC", b"EMC"))


def _draw_inline_level(stream: Any, page: Any, box: Any, *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint's draw_inline_level; a line of a right-to-left document
    whose text boxes are all right to left has them drawn from the left.

    Why: WeasyPrint draws a line's text boxes (one per inline element) in the
    order of the text, each left to right. MuPDF (1.28, stext-device.c) starts
    a new line where the pen jumps back to the left, so the full stop after
    "<strong>انضغاطيًا</strong>" (a text box of its own, drawn after, at the
    left) was read as a line of its own: "انضغاطيًا\n.". Drawn from the left,
    the boxes are one run to it, turned around whole. poppler orders glyphs
    by position, and the page is the same."""
    assert _inline is not None
    if not _rtl_document:
        return _inline(stream, page, box, *args, **kwargs)
    from weasyprint.formatting_structure import boxes
    if not isinstance(box, boxes.LineBox):
        return _inline(stream, page, box, *args, **kwargs)
    begin, before = len(stream.stream), stream.__dict__.get("leaflet_boxes")
    drawn: list[tuple[int, int, Any]] = []
    stream.leaflet_boxes = drawn
    try:
        result = _inline(stream, page, box, *args, **kwargs)
    finally:
        stream.leaflet_boxes = before
    kinds = stream.__dict__.get("leaflet_rtl", {})
    edges = [begin, *(k for start, end, _ in drawn for k in (start, end)), len(stream.stream)]
    if len(drawn) > 1 and all(a == b for a, b in zip(edges[::2], edges[1::2], strict=True)) \
            and sum(kinds.get(id(b)) is True for _, _, b in drawn) > 1 \
            and not any(kinds.get(id(b)) is False for _, _, b in drawn) \
            and all(_text_only(stream.stream[start:end]) for start, end, _ in drawn):
        parts = sorted(drawn, key=lambda d: d[2].position_x)
        stream.stream[begin:] = [op for start, end, _ in parts for op in stream.stream[start:end]]
    return result


def _text_only(items: list[Any]) -> bool:
    import pydyf
    return all(isinstance(item, (str, pydyf.Dictionary)) or
               isinstance(item, bytes) and item.rsplit(b" ", 1)[-1] in _TEXT_OPS
               for item in items)


Run = tuple[Any, Any, float]      # (Pango font, WeasyPrint Font, size) of a glyph run


@dataclass
class _Line:
    """The plan of one line, by glyph index in drawing order: where spans
    start (with their text) and end, which plain glyphs are marks (for
    `_raised`), which runs use 2-digit codes; then where WeasyPrint is."""
    stream: Any
    style_size: float             # the text's font-size (WeasyPrint's size for some fonts)
    ltr_in_rtl: bool = False      # a left-to-right paragraph in a right-to-left document
    count: int = 0                # glyphs planned
    opens: dict[int, str] = field(default_factory=dict)
    closes: set[int] = field(default_factory=set)
    marks: dict[int, Run] = field(default_factory=dict)
    narrow: list[tuple[int, int]] = field(default_factory=list)   # bitmap fonts' glyphs
    at: int = 0                   # the next glyph to be written
    span: bool = False            # inside a span
    rise: float = 0               # the text rise in force (Ts)
    # Groups drawn in logical order (`_logical_order`): the first glyph and
    # bidi level of each group of runs of one direction, left to right; the
    # starts of groups not yet written; where in the stream those written start.
    groups: list[tuple[int, int]] = field(default_factory=list)
    pending: set[int] = field(default_factory=set)
    cuts: list[int] = field(default_factory=list)
    events: list[int] = field(default_factory=list)   # glyphs where a string is split, sorted
    lead: int = 0                 # the glyph drawn first once the groups are in order
    ids: dict[int, int] = field(default_factory=dict)  # glyph ids, right to left
    follow: dict[int, bytes] = field(default_factory=dict)  # glyph -> code drawn after it
    fonts: dict[bytes, Any] = field(default_factory=dict)    # Tf name -> Font

    def plan(self, line: Any, utf8: bytes) -> None:
        from weasyprint.text.ffi import ffi
        self.count = self.at = 0
        self.opens, self.closes, self.marks, self.narrow = {}, set(), {}, []
        self.groups, self.cuts, self.ids, self.follow = [], [], {}, {}
        run, last = line.runs, None
        while run != ffi.NULL:
            # WeasyPrint's cdef reads PangoAnalysis's four guint8 (level,
            # gravity, flags, script) as one number: the level is its low byte.
            first, level = self.count, run.data.item.analysis.level & 0xFF
            last = self._run(run.data, utf8)
            if self.count > first and (not self.groups or self.groups[-1][1] % 2 != level % 2):
                self.groups.append((first, level))
            run = run.next
        order = _logical([level for _, level in self.groups])
        self.pending = {g for g, _ in self.groups[1:]} if order != sorted(order) else set()
        self.lead = self.groups[order[0]][0] if self.groups else 0
        # poppler reads a page with more right-to-left letters than left-to-right
        # ones right to left, and then takes the neutral character at the right
        # end of a left-to-right line ("?", ")") for the start of a right-to-left
        # run: a left-to-right mark after it keeps it in its line.
        if self.ltr_in_rtl and last and (last[0] not in self.opens or last[0] in self.closes) \
                and unicodedata.bidirectional(last[1]) in ("ON", "CS", "ES", "ET"):
            self.opens[last[0]] = self.opens.get(last[0], last[1]) + "\u200e"
            self.closes.add(last[0])
        self.events = sorted({*self.opens, *self.closes, *self.pending, *self.follow})

    def _run(self, glyph_item: Any, utf8: bytes) -> tuple[int, str] | None:
        """One run: one font, one direction, glyphs in drawing order; its last
        glyph, when it is one character: (its index, its text)."""
        from weasyprint.text.ffi import ffi, pango
        item, glyphs = glyph_item.item, glyph_item.glyphs
        font, size = self.stream.add_font(item.analysis.font)
        if pango.pango_version() < 14802 or font.png:    # as draw_first_line does
            size = self.style_size
        run: Run = (item.analysis.font, font, size)
        self.fonts[font.hash.encode()] = font
        count = glyphs.num_glyphs
        if font.bitmap:
            self.narrow.append((self.count, self.count + count))
        starts = ffi.unpack(glyphs.log_clusters, count)
        # PangoGlyphInfo: glyph, geometry (width, x_offset, y_offset), attr.
        info = memoryview(ffi.buffer(glyphs.glyphs, 20 * count)).cast("i")
        ids, widths = info[0::5].tolist(), info[1::5].tolist()
        text = utf8[item.offset:item.offset + item.length]
        rtl = item.analysis.level % 2
        if not rtl and _one_to_one(font, starts, ids, text):
            self.count += count       # most text: nothing to plan
            return (self.count - 1, text[starts[-1]:].decode()) if count else None
        bounds = sorted(set(starts)) + [item.length]
        texts = {a: text[a:b].decode() for a, b in itertools.pairwise(bounds)}
        # Pango keeps some marks apart from their letter (Devanagari vowel
        # signs); they are drawn over it, and extractors that take them for
        # letters of their own set a space before or after them. Not right to
        # left: there both extractors read a span's text in the wrong order
        # when it is more than letters (a letter and its mark), and a mark
        # drawn apart is read right (see `_raised`).
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
        for start, glyph, width in zip(starts, ids, widths, strict=True):
            key = grapheme[start]
            if not groups or groups[-1][0] != key:
                groups.append((key, []))
            if glyph != _EMPTY:
                groups[-1][1].append((glyph, width == 0))
        for key, drawn in groups:
            if drawn:
                self._grapheme(run, drawn, words[key], bool(rtl))
        last = texts[starts[-1]] if count and ids[-1] != _EMPTY else ""
        return (self.count - 1, last) if len(last) == 1 else None

    def _grapheme(self, run: Run, drawn: list[tuple[int, bool]], text: str, rtl: bool) -> None:
        font, first = run[1], self.count
        ids = [glyph for glyph, _ in drawn]
        plain = _rtl_neutral(text) if rtl else text
        _map_new_glyphs(font, drawn, plain)
        mapped = ["" if glyph & _UNKNOWN else font.to_unicode[glyph] for glyph in ids]
        if rtl:
            self.ids.update((first + k, glyph) for k, glyph in enumerate(ids))
        elif self.ltr_in_rtl and len(ids) == 1 and mapped[0].startswith("\u200f") \
                and unicodedata.bidirectional(text) in ("ON", "CS") and not font.bitmap:
            self._follow(font, first)
        self.count += len(ids)
        one = len(ids) == 1 and (ids[0] & _UNKNOWN or mapped[0] == plain)
        # Right to left, a letter and its marks in one cluster, each glyph its
        # own character: plain glyphs, as if apart.
        if one or rtl and "".join(reversed(mapped)) == plain:
            self.marks.update((first + k, run) for k, (_, flat) in enumerate(drawn) if flat)
            return
        # Several glyphs get a span even when their entries spell the text in
        # order: poppler sets a space after a mark drawn over its letter
        # ("टूटी" -> "टू टी") unless one span holds both.
        for start, end, actual in _spans(mapped, [flat for _, flat in drawn], text, rtl):
            self.opens[first + start] = actual
            self.closes.add(first + end - 1)

    def _follow(self, font: Any, glyph: int) -> None:
        """In a left-to-right paragraph, after a punctuation mark whose
        ToUnicode is right to left: a left-to-right mark, the font's own glyph
        for it, drawn invisible (Tr 3) and of no width. Arabic text has no
        parentheses in its fonts; they come from the fallback, Noto Sans,
        which the English passages use too, so the ")" of "(from NICE)." has
        the entry it was given in Arabic text. MuPDF took it and the full
        stop after it for right-to-left text and read ".)"; the mark ends
        that stretch."""
        lrm = _cmap(font)["\u200e"]
        if lrm is None or font.to_unicode.setdefault(lrm, "\u200e") != "\u200e":
            return
        font.widths.setdefault(lrm, 0)
        self.follow[glyph] = b"%04x" % lrm

    def _digits(self, glyph: int) -> int:
        """Hex digits of a glyph's code: 2 in bitmap fonts, else 4."""
        return 2 if any(a <= glyph < b for a, b in self.narrow) else 4

    def set_text_rise(self, height: float) -> None:
        import pydyf
        self.rise = height
        pydyf.Stream.set_text_rise(self.stream, height)

    def show_text(self, text: bytes | str) -> None:
        """Write a TJ string of draw_first_line, split where spans start and end."""
        import pydyf
        data = text.encode() if isinstance(text, str) else text
        self._cut(self.at)
        if self.rise and self._raised(data):
            return
        if self._unmarked(data):      # most strings: written as they are
            pydyf.Stream.show_text(self.stream, data)
            return
        parts: list[bytes] = []
        run = b""

        def flush() -> None:
            """Write the glyphs and moves so far as one TJ string."""
            nonlocal run
            if run:
                parts.append(b"<" + run + b">")
            run = b""
            if parts:
                pydyf.Stream.show_text(self.stream, b"".join(parts))
                parts.clear()

        for match in _TOKEN.finditer(data):
            codes = match.group(1)
            if codes is None:
                parts.append(match.group(0))
                continue
            if not codes:             # keeps two numbers apart
                parts.append(b"<>")
            i = 0
            while i < len(codes):
                glyph = self._next()
                if glyph in self.pending:
                    flush()
                    self._cut(glyph)
                if glyph in self.opens:
                    flush()
                    self.stream.begin_marked_content("Span", pydyf.Dictionary(
                        {"ActualText": pydyf.String(self.opens[glyph])}))
                    self.span = True
                digits = self._digits(glyph)
                run += codes[i:i + digits]
                i += digits
                if glyph in self.closes:
                    flush()
                    self.stream.end_marked_content()
                    self.span = False
                if glyph in self.follow:
                    flush()
                    self.stream.set_text_rendering(3)
                    pydyf.Stream.show_text(self.stream, b"<" + self.follow[glyph] + b">")
                    self.stream.set_text_rendering(0)
            if run:                   # before the next move
                parts.append(b"<" + run + b">")
                run = b""
        flush()

    def _unmarked(self, data: bytes) -> bool:
        """Whether no span starts or ends in this string; if so, its glyphs
        are counted as written."""
        digits = sum(len(m.group(1)) for m in _TOKEN.finditer(data) if m.group(1))
        count = digits // self._digits(self.at)
        end = self.at + count
        k = bisect.bisect_left(self.events, self.at)
        if end > self.count or k < len(self.events) and self.events[k] < end:
            return False              # (more glyphs than planned: the slow path raises)
        self.at = end
        return True

    def _cut(self, glyph: int) -> None:
        """A group of one direction starts with this glyph: note where."""
        if glyph in self.pending:
            self.pending.discard(glyph)
            self.cuts.append(len(self.stream.stream))

    def _next(self) -> int:
        if self.at >= self.count:
            raise TextLayerError("WeasyPrint wrote more glyphs than Pango's line has")
        self.at += 1
        return self.at - 1

    def _raised(self, data: bytes) -> bool:
        """A mark drawn off the baseline, which draw_first_line writes alone
        between two Ts (Arabic harakat above or below their letter): poppler
        reads it as a word of its own, on a line of its own. Its text comes
        instead from a copy drawn invisible (Tr 3) on the baseline, where the
        letter is drawn next, and the pen is put back; the mark drawn is
        marked as no text."""
        import pydyf
        from weasyprint.text.ffi import FROM_UNITS, pango
        match = _RAISED.fullmatch(data)
        if not match or self.span or self.at not in self.marks or self.at in self.opens:
            return False
        pango_font, font, size = self.marks[self.at]
        if len(match[2]) != self._digits(self.at):
            return False
        self.at += 1
        gid, offset = int(match[2], 16), float(match[1] or 0)

        def width(glyph: int) -> int:    # as draw_first_line sets it, just after
            if glyph not in font.widths:
                pango.pango_font_get_glyph_extents(
                    pango_font, glyph, self.stream.ink_rect, self.stream.logical_rect)
                font.widths[glyph] = round(
                    self.stream.logical_rect.width * 1000 * FROM_UNITS / size)
            return int(font.widths[glyph])

        self.stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String()}))
        pydyf.Stream.show_text(self.stream, data)
        self.stream.end_marked_content()
        if self._carried(font, gid):
            return True
        pydyf.Stream.set_text_rise(self.stream, 0)
        self.stream.set_text_rendering(3)
        # Where draw_first_line puts the next glyph, the letter: after a glyph
        # of no advance it moves the pen back by int(width - move).
        back = int(width(gid) - offset)
        pydyf.Stream.show_text(self.stream, b"%d<%s>%s" % (
            back, match[2], _number(width(gid) - back)))
        self.stream.set_text_rendering(0)
        pydyf.Stream.set_text_rise(self.stream, self.rise)
        return True

    def _carried(self, font: Any, mark: int) -> bool:
        """A mark drawn first on its line is carried by its letter instead of
        a copy: MuPDF adds a character of no advance to the line it has, so the
        copy was read at the end of the line before. The letter, drawn next,
        gets a span whose text starts and ends with right-to-left marks (MuPDF
        starts the line at the first, and sets the rest on the letter) and
        holds the mark before the letter: both extractors turn the characters
        of a right-to-left span around."""
        letter = self.ids.get(self.at)
        text = font.to_unicode.get(letter, "") if letter is not None else ""
        if self.at - 1 != self.lead or self.at in self.opens or self.at in self.marks \
                or len(text) != 1 or unicodedata.category(text)[0] != "L":
            return False
        self.opens[self.at] = "\u200f" + font.to_unicode.get(mark, "") + text + "\u200f"
        self.closes.add(self.at)
        bisect.insort(self.events, self.at)
        return True


def _logical(levels: list[int]) -> list[int]:
    """The logical order of runs given left to right with their bidi levels
    (Unicode bidi rule L2, which undoes itself: from the highest level to
    the lowest odd one, reverse each stretch at that level or higher)."""
    order = list(range(len(levels)))
    odd = [level for level in levels if level % 2]
    for floor in range(max(levels, default=0), min(odd, default=1) - 1, -1):
        at = 0
        while at < len(order):
            if levels[order[at]] < floor:
                at += 1
                continue
            end = at
            while end < len(order) and levels[order[end]] >= floor:
                end += 1
            order[at:end] = order[at:end][::-1]
            at = end
    return order


def _logical_order(items: list[Any], cuts: list[int], line: _Line) -> list[Any]:
    """The stream operators of one line (`items`, from its Tm) with its
    groups of runs of one direction (`cuts`: where in items each group after
    the first starts) drawn in the order of the text, each still left to
    right, where it was, with the font, rise and rendering mode in force.

    Why: MuPDF (1.28, stext-device.c) reads a line with right-to-left
    letters drawn left to right by turning each stretch of them around where
    it stands, without moving the stretches: "من T1 إلى T12" came out "من T12
    إلى T1". With the stretches drawn in logical order, each one turned
    around is the text. poppler orders glyphs by position, and the page looks
    the same. (Drawn glyph by glyph from the right, MuPDF reads any line
    right, but poppler breaks the words into letters, and its lines.)"""
    import pydyf
    if not (isinstance(items[0], bytes) and items[0].endswith(b" Tm")):
        raise TextLayerError("a line does not start with its text matrix (Tm)")
    a, b, c, d, e, f = (float(v) for v in items[0].split()[:6])
    x, font, size = 0.0, None, 0.0
    state = {b"Tf": b"", b"Ts": b"0 Ts", b"Tr": b"0 Tr"}
    groups: list[tuple[float, float, dict[bytes, bytes], dict[bytes, bytes], list[Any]]] = []
    for lo, hi in itertools.pairwise([1, *cuts, len(items)]):
        start, before = x, dict(state)
        for item in items[lo:hi]:
            operator = item[-2:] if isinstance(item, bytes) else b""
            if operator in state:
                state[operator] = item
            if operator == b"Tf":
                name, points = item[1:-3].rsplit(b" ", 1)
                font, size = line.fonts.get(name), float(points)
            elif operator == b"TJ":
                x += _advance(item[1:-4], font, size)
        groups.append((start, x, before, dict(state), items[lo:hi]))
    out: list[Any] = []
    drawn = {b"Tf": b"", b"Ts": b"0 Ts", b"Tr": b"0 Tr"}
    pen: float | None = None
    for k in _logical([level for _, level in line.groups]):
        start, end, before, after, ops = groups[k]
        out += [before[key] for key in drawn if before[key] and before[key] != drawn[key]]
        drawn.update((key, op) for key, op in before.items() if op)
        if pen is None:
            scratch = pydyf.Stream()
            scratch.set_text_matrix(a, b, c, d, e + a * start, f + b * start)
            out += scratch.stream
        elif abs(start - pen) > 1e-9:     # a move, in the font size in force
            points = float(drawn[b"Tf"][1:-3].rsplit(b" ", 1)[1])
            out.append(b"[" + pydyf._to_bytes((pen - start) * 1000 / points) + b"] TJ")
        out += ops
        drawn.update((key, op) for key, op in after.items() if op)
        pen = end
    return out + [state[key] for key in drawn if state[key] != drawn[key]]


def _advance(data: bytes, font: Any, size: float) -> float:
    """How far a TJ string moves the pen (PDF 32000-1, 9.4.4: no character
    or word spacing, as WeasyPrint writes it)."""
    if font is None:
        raise TextLayerError("a TJ string is drawn before any font is set")
    digits, total = (2 if font.bitmap else 4), 0.0
    for match in _TOKEN.finditer(data):
        codes = match.group(1)
        if codes is None:
            total -= float(match.group(0))
            continue
        for i in range(0, len(codes), digits):
            total += font.widths[int(codes[i:i + digits], 16)]
    return total * size / 1000


def _one_to_one(font: Any, starts: list[int], ids: list[int], text: bytes) -> bool:
    """Whether every glyph of a left-to-right run is one character, in order,
    that ToUnicode maps it to (or will: WeasyPrint maps such glyphs right)."""
    chars = text.decode()
    if len(ids) != len(chars) or _EMPTY in ids:
        return False
    if text.isascii():
        if starts != list(range(len(chars))):
            return False
    elif starts != list(itertools.accumulate((len(c.encode()) for c in chars[:-1]), initial=0)):
        return False
    if any(unicodedata.category(c)[0] == "M" for c in chars if not c.isascii()):
        return False
    mapped = font.to_unicode.get
    return all(mapped(glyph, char) == char for glyph, char in zip(ids, chars, strict=True))


def _number(value: float) -> bytes:
    return (b"%d" % value) if value == int(value) else (b"%.4f" % value).rstrip(b"0")


def _rtl_neutral(text: str) -> str:
    """ToUnicode of a punctuation mark or space drawn in right-to-left text:
    between right-to-left marks (U+200F). MuPDF gives a neutral character the
    direction of the character drawn before it (the full stop drawn first,
    leftmost, on a line of Arabic came out at the line's start); poppler
    gives the neutrals left of a run of digits or Latin to that run ("مرور
    24 ساعة" read "مرور  24ساعة", "(عن NICE)" read "(عن )NICE"). The marks
    are strong characters on both sides: both read the neutral as Arabic."""
    if len(text) == 1 and unicodedata.bidirectional(text) in ("ON", "CS", "WS"):
        return "\u200f" + text + "\u200f"
    return text


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
      breaks the line ("स्थि\\nर"); when the end matches but the middle does
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
    if all(flat):
        return [(0, count, text)]
    units: list[str] = []            # a letter (or spacing mark) and its marks
    for char in text:
        if units and unicodedata.category(char) == "Mn":
            units[-1] += char
        else:
            units.append(char)
    wide = [k for k in range(count) if not flat[k]]
    for cuts in itertools.combinations(range(1, len(units)), len(wide) - 1):
        bounds = (0, *cuts, len(units))
        pieces = {k: "".join(units[a:b])
                  for k, (a, b) in zip(wide, itertools.pairwise(bounds), strict=True)}
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


def _map_new_glyphs(font: Any, drawn: list[tuple[int, bool]], text: str) -> None:
    """ToUnicode for the glyphs of a grapheme met for the first time. A
    grapheme of one glyph: its text. Otherwise the character whose glyph it is
    in the font's cmap; the glyphs that are no character's (a half form, a
    conjunct, a contextual form) share what no glyph here stands for: one
    that advances a letter and its marks ("क्"), one of no advance a mark.
    MuPDF draws a glyph whose entry starts with a mark with no width (and
    breaks the line after a shortfall), so a glyph that advances must not
    start with one; its entry is seen wherever the glyph is drawn."""
    new = [(g, flat) for g, flat in drawn if not g & _UNKNOWN and g not in font.to_unicode]
    if not new:
        return
    if len(drawn) == 1:
        font.to_unicode[drawn[0][0]] = text
        return
    cmap = _cmap(font)
    glyphs = {g for g, _ in drawn}
    units: list[str] = []            # what no glyph stands for: letters with their marks
    for char in text:
        if cmap[char] in glyphs:
            continue
        mark = unicodedata.category(char) == "Mn"
        if units and mark and unicodedata.category(units[-1][0]) != "Mn":
            units[-1] += char
        else:
            units.append(char)
    letters = [u for u in units if unicodedata.category(u[0]) != "Mn"] or [text[0]]
    marks = [u for u in units if unicodedata.category(u[0]) == "Mn"] or letters
    for glyph, flat in new:
        own = next((char for char in text if cmap[char] == glyph), None)
        if own is None:
            pool = marks if flat else letters
            own = pool.pop(0) if len(pool) > 1 else pool[0]
        font.to_unicode[glyph] = own


_CMAPS: dict[tuple[str, int, int], _Cmap] = {}


def _cmap(font: Any) -> _Cmap:
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


# --- Languages of passages ----------------------------------------------------
# WeasyPrint 70 gives the document its language (/Lang of the catalog) but no
# structure element one of its own, so the English passages of a bilingual
# leaflet were read with the patient's language's voice. Each marked text box
# records its language (CSS `lang`, from the HTML lang attribute); after
# tagging, the structure element of each one in another language than the
# document gets /Lang (PDF 32000-1, 14.9.2), and so does every element all
# of whose children share it.

@contextmanager
def _marked_with_language(stream: Any, box: Any, tag: str) -> Iterator[None]:
    assert _marked is not None
    start = len(stream.stream)
    with _marked(stream, box, tag):
        if stream._tags is not None and box in stream._tags:
            langs = stream.__dict__.setdefault("leaflet_langs", {})
            langs[stream._tags[box]["mcid"]] = box.style["lang"]
        yield
    drawn = stream.__dict__.get("leaflet_boxes")
    if drawn is not None and tag == "Span":       # a text box, in a line being drawn
        drawn.append((start, len(stream.stream), box))


def mark_languages(pdf: Any) -> int:
    """Set /Lang on the structure elements of passages in another language
    (a WeasyPrint finisher's step); how many got one."""
    import pydyf

    def get(ref: Any) -> Any:
        return pdf.objects[int(ref.split()[0])] if isinstance(ref, bytes) else ref

    if "StructTreeRoot" not in pdf.catalog or "Lang" not in pdf.catalog:
        return 0
    document = str(pdf.catalog["Lang"].string).lower()
    nums = get(get(pdf.catalog["StructTreeRoot"])["ParentTree"])["Nums"]
    marked: dict[int, Any] = {}               # element number -> element
    for page, ref in enumerate(pdf.page_references):
        stream = get(get(ref)["Contents"])
        langs = stream.__dict__.get("leaflet_langs", {})
        elements = nums[2 * page + 1] if 2 * page + 1 < len(nums) else []
        if nums[2 * page] != page or len(elements) != len(langs):
            raise TextLayerError(f"page {page}: the parent tree does not list one element "
                                 f"per marked content as WeasyPrint {WEASYPRINT} does")
        for mcid, lang in langs.items():
            if lang and lang.lower() != document:
                element = get(elements[mcid])
                element["Lang"] = pydyf.String(lang)
                marked[element.number] = element
    # Up the tree: an element whose children all have one language has it.
    parents = {id(p): p for e in marked.values() if "P" in e for p in [get(e["P"])]}
    for parent in parents.values():
        kids = [get(k) for k in parent.get("K", ()) if isinstance(k, bytes)]
        langs = {str(k["Lang"].string) if "Lang" in k else None for k in kids}
        if kids and len(langs) == 1 and None not in langs and parent.get("S") != "/Document":
            parent["Lang"] = pydyf.String(langs.pop())
    return len(marked)


# --- List items continued on a new page -----------------------------------------
# WeasyPrint tags the part of a list item that runs on to the next page as an
# /LI holding its text directly; PDF/UA-1 (7.6) wants an item's content in
# /Lbl and /LBody. Such content is moved into an /LBody of its own.

def fix_list_items(pdf: Any) -> int:
    """Give every /LI's loose content an /LBody; how many were made."""
    import pydyf

    def get(ref: Any) -> Any:
        return pdf.objects[int(ref.split()[0])] if isinstance(ref, bytes) else ref

    made = 0
    for element in list(pdf.objects):
        if not (isinstance(element, pydyf.Dictionary) and element.get("S") == "/LI"):
            continue
        kids = list(element.get("K", ()))
        labels = [k for k in kids if isinstance(k, bytes) and get(k).get("S") in ("/Lbl", "/LBody")]
        loose = [k for k in kids if k not in labels]
        if not loose or not all(isinstance(k, bytes) and "S" in get(k) for k in loose):
            continue       # content (MCIDs) stays where the parent tree says it is
        body = pydyf.Dictionary({"Type": "/StructElem", "S": "/LBody", "P": element.reference,
                                 "K": pydyf.Array(loose)})
        if "Pg" in element:
            body["Pg"] = element["Pg"]
        pdf.add_object(body)
        for kid in loose:
            get(kid)["P"] = body.reference
        element["K"] = pydyf.Array([*labels, body.reference])
        made += 1
    return made
