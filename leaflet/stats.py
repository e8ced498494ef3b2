"""Translation progress per locale and domain: strings and words (pure counts)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polib

# One catalog's counts (catalog_stats), or {"error": message} for an unreadable one.
Counts = dict[str, Any]


def words(text: str) -> int:
    return len(text.split())


def catalog_stats(po: Iterable[polib.POEntry]) -> Counts:
    s: Counts = {k: 0 for k in ("translated", "fuzzy", "untranslated", "obsolete",
                        "translated_words", "fuzzy_words", "untranslated_words", "obsolete_words")}
    for e in po:
        state = ("obsolete" if e.obsolete else "fuzzy" if "fuzzy" in e.flags
                 else "translated" if e.msgstr.strip() else "untranslated")
        s[state] += 1
        s[f"{state}_words"] += words(e.msgid)
    total = s["translated"] + s["fuzzy"] + s["untranslated"]
    s["percent"] = round(100 * s["translated"] / total, 1) if total else 0.0
    return s


def source_stats(pot: Iterable[polib.POEntry]) -> Counts:
    """The English strings and words of a template, as a complete 'translation'."""
    s = catalog_stats(pot)
    for kind in ("", "_words"):
        s["translated" + kind] += s["untranslated" + kind]
        s["untranslated" + kind] = 0
    s["percent"] = 100.0
    return s


def status_rows(progress: Mapping[str, Mapping[str, Counts]],
                errors: Mapping[str, list[str]], warnings: Mapping[str, int],
                signoffs: Mapping[str, dict[str, str] | None]) -> list[dict[str, Any]]:
    """One row per locale for build/status.html: progress (locale -> domain -> the
    catalog_stats of the build's checks), checks, publication."""
    from .lang import info
    rows = []
    for locale, per in progress.items():
        loc = info(locale)
        good = [s for s in per.values() if "error" not in s]
        total = {k: sum(s[k] for s in good) for k in ("translated", "fuzzy", "untranslated",
                                                       "translated_words", "fuzzy_words",
                                                       "untranslated_words")}
        strings = total["translated"] + total["fuzzy"] + total["untranslated"]
        words_all = (total["translated_words"] + total["fuzzy_words"]
                     + total["untranslated_words"])
        found = errors.get(locale, [])
        rows.append({
            "locale": locale, "tag": loc.tag, "dir": loc.direction, "native": loc.native,
            "english": loc.english, **total, "strings": strings, "words": words_all,
            "percent": int(100 * total["translated"] / strings) if strings else 0,
            "unreadable": len(good) < len(per),
            "errors": len(found), "first_error": found[0] if found else "",
            "warnings": warnings.get(locale, 0), "published": not found,
            "signoff": signoffs.get(locale)})
    return rows


def complete(per: Mapping[str, Counts]) -> bool:
    return all("error" not in s and s["fuzzy"] == 0 and s["untranslated"] == 0
               for s in per.values())
