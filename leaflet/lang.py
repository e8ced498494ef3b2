"""What the pipeline needs to know about a locale, from Babel's CLDR data."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.messages.plurals import get_plural

# Explicit font stack per script: never rely on a generic fallback (Chinese
# text picked Japanese glyphs in a trial). Keys are ISO 15924 script codes.
FONTS = {
    "Latn": '"Noto Sans", "DejaVu Sans", sans-serif',
    "Cyrl": '"Noto Sans", "DejaVu Sans", sans-serif',
    "Arab": '"Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans", sans-serif',
    "Deva": '"Noto Sans Devanagari", "Noto Sans", sans-serif',
    "Hans": '"Noto Sans CJK SC", "Noto Sans", sans-serif',
}
# Text size against Latin at the same point size. Naskh letters are small for
# their body: at 12 pt the Arabic leaflet read smaller than the English line
# under it (seen in the PDFs), so Arabic is set 15 % larger (13.8 pt; 20.7 pt
# in large print) and English text on its pages stays at the Latin size.
TEXT_SCALE = {"Arab": 1.15}
_SCRIPT_OF_LANGUAGE = {"ar": "Arab", "fa": "Arab", "ur": "Arab", "hi": "Deva",
                       "mr": "Deva", "ne": "Deva", "ru": "Cyrl", "uk": "Cyrl",
                       "bg": "Cyrl", "sr": "Cyrl"}


@dataclass(frozen=True)
class LocaleInfo:
    name: str          # catalog name, e.g. zh_Hans
    tag: str           # BCP 47, e.g. zh-Hans
    native: str        # the language named in itself
    english: str
    direction: str     # ltr | rtl
    script: str
    nplurals: int
    plural_expr: str

    @property
    def plural_forms(self) -> str:
        return f"nplurals={self.nplurals}; plural={self.plural_expr};"

    @property
    def fonts(self) -> str:
        return FONTS.get(self.script, FONTS["Latn"])

    @property
    def text_scale(self) -> float:
        return TEXT_SCALE.get(self.script, 1.0)

    def date(self, value: dt.date) -> str:
        return format_date(value, "long", locale=self.name)


@cache
def info(name: str) -> LocaleInfo:
    loc = Locale.parse(name)
    script = loc.script or _SCRIPT_OF_LANGUAGE.get(loc.language, "Latn")
    if loc.language == "zh":
        script = loc.script or ("Hant" if loc.territory in ("TW", "HK", "MO") else "Hans")
    plural = get_plural(loc)
    native = loc.get_display_name(loc) or name
    return LocaleInfo(
        name=name, tag=name.replace("_", "-"), native=native[:1].upper() + native[1:],
        english=loc.get_display_name("en") or name, direction=loc.text_direction,
        script=script, nplurals=plural.num_plurals, plural_expr=plural.plural_expr)


def parse_plural_forms(header: str) -> tuple[int, str] | None:
    m = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*", header or "")
    return (int(m[1]), m[2]) if m else None
