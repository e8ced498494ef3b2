"""Translation progress per locale and domain: strings and words."""
from __future__ import annotations

import json
from typing import TextIO

from . import catalogs
from .config import SOURCE_LOCALE
from .errors import CatalogError


def words(text: str) -> int:
    return len(text.split())


def catalog_stats(po) -> dict[str, int]:
    s = {k: 0 for k in ("translated", "fuzzy", "untranslated", "obsolete",
                        "translated_words", "fuzzy_words", "untranslated_words", "obsolete_words")}
    for e in po:
        state = ("obsolete" if e.obsolete else "fuzzy" if "fuzzy" in e.flags
                 else "translated" if e.msgstr.strip() else "untranslated")
        s[state] += 1
        s[f"{state}_words"] += words(e.msgid)
    total = s["translated"] + s["fuzzy"] + s["untranslated"]
    s["percent"] = round(100 * s["translated"] / total, 1) if total else 0.0
    return s


def source_stats(pot) -> dict[str, int]:
    """The English strings and words of a template, as a complete 'translation'."""
    s = catalog_stats(pot)
    for kind in ("", "_words"):
        s["translated" + kind] += s["untranslated" + kind]
        s["untranslated" + kind] = 0
    s["percent"] = 100.0
    return s


def collect(project, locales: list[str]) -> dict:
    from .build import template
    pots = {domain: template(project, domain) for domain in project.domains}   # read once
    result: dict = {}
    for locale in locales:
        per = {}
        for domain in project.domains:
            if locale == SOURCE_LOCALE:   # the English itself: every string, no catalog
                per[domain] = source_stats(pots[domain])
                continue
            try:
                po = catalogs.update(pots[domain], catalogs.read(project.po_path(locale, domain)))
                per[domain] = catalog_stats(po)
            except CatalogError as exc:
                path = project.po_path(locale, domain)
                exc.path = project.rel(path) if exc.path == str(path) else exc.path
                per[domain] = {"error": str(exc)}
        result[locale] = per
    return result


def status_rows(progress: dict[str, dict], errors: dict[str, list[str]],
                warnings: dict[str, int], signoffs: dict[str, dict | None]) -> list[dict]:
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


def complete(per: dict) -> bool:
    return all("error" not in s and s["fuzzy"] == 0 and s["untranslated"] == 0
               for s in per.values())


def print_stats(project, locales: list[str], as_json: bool, out: TextIO) -> int:
    data = collect(project, locales)
    if as_json:
        json.dump(data, out, indent=2, sort_keys=True)
        out.write("\n")
    else:
        print(f"{'locale':<9}{'domain':<16}{'transl.':>8}{'fuzzy':>7}{'untr.':>7}"
              f"{'obsol.':>7}{'words':>7}{'%':>7}", file=out)
        for locale, per in data.items():
            for domain, s in per.items():
                if "error" in s:
                    print(f"{locale:<9}{domain:<16} {s['error']}", file=out)
                    continue
                total_words = s["translated_words"] + s["fuzzy_words"] + s["untranslated_words"]
                print(f"{locale:<9}{domain:<16}{s['translated']:>8}{s['fuzzy']:>7}"
                      f"{s['untranslated']:>7}{s['obsolete']:>7}{total_words:>7}"
                      f"{s['percent']:>7}", file=out)
    incomplete = [loc for loc, per in data.items() if not complete(per)]
    if incomplete and not as_json:
        print("incomplete: " + ", ".join(incomplete), file=out)
    return 1 if incomplete else 0
