"""Small PDFs with CID-keyed CFF fonts (Noto Sans CJK): a WeasyPrint finisher.

WeasyPrint subsets fonts keeping glyph ids ("retain gids"), since its text
uses the original glyph ids as character codes. Noto Sans CJK has its
Simplified Chinese forms near glyph 63 000, so each subset still carries
~63 000 empty glyphs: ~200 KB per face, ~400 KB per Chinese leaflet. In a
CID-keyed CFF font the codes are CIDs, which the PDF reader maps to glyphs
through the font's own charset (PDF 32000-1, 9.7.4.2), so the glyphs need
not keep their ids. This finisher re-subsets such fonts to the glyphs used,
CIDs kept, and embeds the bare CFF program (FontFile3 /CIDFontType0C, as
Acrobat and TeX do): poppler ignores the charset of OpenType-wrapped CFF.
"""
from __future__ import annotations

import io
from typing import Any


def compact_cid_fonts(document: Any, pdf: Any) -> None:
    """Replace each CID-keyed OpenType CFF font stream by its compact bare CFF."""
    import pydyf
    streams = {id(obj.stream[0]): obj for obj in pdf.objects
               if isinstance(obj, pydyf.Stream) and obj.extra.get("Subtype") == "/OpenType"}
    groups: dict[str, list[Any]] = {}
    for font in document.fonts.values():   # WeasyPrint embeds one file per hash
        groups.setdefault(font.hash, []).append(font)
    for fonts in groups.values():
        stream = streams.get(id(fonts[0].file_content))
        if stream is None:
            continue
        cff = _compact_cff(stream.stream[0], {0}.union(*(font.to_unicode for font in fonts)))
        if cff:
            stream.stream = [cff]
            stream.extra["Subtype"] = "/CIDFontType0C"


def _compact_cff(otf: bytes, used: set[int]) -> bytes | None:
    """The CFF table of `otf` with only `used` glyphs, if CID-keyed with CID = glyph id."""
    import uharfbuzz as hb
    from fontTools.cffLib import CFFFontSet
    face = hb.Face(otf)
    if "CFF " not in face.table_tags:
        return None
    subset = hb.SubsetInput()
    subset.glyph_set.update(used)
    subset.flags = (hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NO_HINTING
                    | hb.SubsetFlags.NOTDEF_OUTLINE | hb.SubsetFlags.NO_LAYOUT_CLOSURE)
    result = hb.subset(face, subset)
    if result is None:
        return None
    cff = result.reference_table("CFF ").data
    fontset = CFFFontSet()
    fontset.decompile(io.BytesIO(cff), None)
    top = fontset.topDictIndex[0]
    # The text's codes are the original glyph ids: they stay valid only when
    # the charset maps each kept glyph back to a CID equal to its old id.
    cids = {int(name[3:]) for name in top.charset if name.startswith("cid")} | {0}
    return cff if "ROS" in top.rawDict and used <= cids else None
