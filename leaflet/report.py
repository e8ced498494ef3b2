"""What the commands print: findings (text or JSON), a build's progress and
summary, translation statistics; and the exit codes they mean.

Imports nothing heavy: the no-op replay prints through here.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .model import ERROR, Finding
from .policy import Gate, reason_lines
from .stats import Counts, complete

if TYPE_CHECKING:
    from tqdm import tqdm

    from .build import Summary
    from .exchange import Imported

JSON_VERSION = 1


def print_check(findings: list[Finding], readability: Mapping[str, Any], locales: list[str],
                fmt: str, out: TextIO, gate: Gate | None = None) -> int:
    """`leaflet check`: every finding, and the English's readability; 1 on any error.
    `gate` (`check --release`): whether each leaflet x locale may be released."""
    errors = sum(f.severity == ERROR for f in findings)
    if fmt == "json":
        data: dict[str, Any] = {
            "version": JSON_VERSION, "locales": locales, "errors": errors,
            "warnings": len(findings) - errors, "findings": [f.json() for f in findings],
            "readability": readability}
        if gate is not None:   # leaflet -> locale -> the codes that refuse it ([]: releasable)
            by_leaflet: dict[str, dict[str, list[str]]] = {}
            for (name, locale), found in gate.items():
                by_leaflet.setdefault(name, {})[locale] = [f.code for f in found]
            data["release"] = by_leaflet
        json.dump(data, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        for f in findings:
            print(f.text(), file=out)
        for name, rep in readability.items():
            o = rep["overall"]
            print(f"\nreadability of {name} (English): Flesch-Kincaid grade {o['grade']}, "
                  f"SMOG {o['smog']}, {o['words']} words in {o['sentences']} sentences", file=out)
            for sid, s in rep["sections"].items():
                print(f"  {sid:<28} grade {s['grade']:>5}  SMOG {s['smog']:>5}", file=out)
            print("  longest sentences:", file=out)
            for s in rep["longest"]:
                print(f"    {s['words']:>2} words, line {s['line']}: {s['text']}", file=out)
        if gate is not None:
            print(file=out)
            for line in reason_lines(gate, "not releasable") or [
                    "releasable: every leaflet in every locale checked"]:
                print(line, file=out)
        print(f"\n{errors} error(s), {len(findings) - errors} warning(s) in "
              f"{len(locales)} locale(s)", file=out)
    return 1 if errors else 0


class Progress:
    """A progress bar on a terminal; a plain line per output otherwise (logs, CI)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.bar: tqdm[Any] | None = None

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self.out.isatty():
            print(f"built {label}", file=self.out, flush=True)
            return
        if self.bar is None:
            from tqdm import tqdm
            self.bar = tqdm(total=total, file=self.out, leave=False, mininterval=0,
                            bar_format="{l_bar}{bar}| {n}/{total} {postfix}")
        self.bar.set_postfix_str(label, refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def summary_lines(summary: Summary, code: int) -> dict[str, Any]:
    """What a build says at its end, without timing: printed, and stamped for replay."""
    notes = [f"{'DRAFT ONLY' if summary.draft else 'NOT PUBLISHED'} {locale}: {len(found)} "
             f"error(s); first: {found[0].text()}"
             for locale, found in sorted(summary.refused.items())]
    notes += [f"note: {path}: {summary.stale[path]}; run 'leaflet update'"
              for path in sorted(summary.stale)]
    notes += [f"warning: {f.path}:{f.line}: {f.message}" for f in summary.warnings
              if f.code in ("review-soon", "review-passed")]   # dates pass unnoticed otherwise
    if not summary.draft:   # per leaflet and locale, whether it may go to patients
        notes += reason_lines(summary.gate, "NOT RELEASED" if summary.release
                              else "not releasable")
        if summary.release:
            notes.append(f"released {sum(not why for why in summary.gate.values())} of "
                         f"{len(summary.gate)} leaflet x language")
    return {"errors": [f"error: {exc}" for exc in summary.errors], "notes": notes,
            "done": len(summary.built) + len(summary.skipped), "refused": len(summary.refused),
            "warnings": len(summary.warnings), "code": code}


def print_lines(lines: Mapping[str, Any], built: int, seconds: float, out: TextIO) -> None:
    """A build's summary_lines, with how many outputs it built and how long it took."""
    for line in lines["errors"]:
        print(line, file=sys.stderr)
    for line in lines["notes"]:
        print(line, file=out)
    print(f"built {built}, up to date {lines['done'] - built}, refused {lines['refused']} "
          f"locale(s), {lines['warnings']} warning(s) [{seconds:.1f} s]", file=out)


def print_compiled(summary: Summary, rel: Callable[[Path], str], out: TextIO) -> int:
    """`leaflet compile`: each catalog published, then why any locale was not."""
    for path in summary.outputs:
        print(f"compiled {rel(path)}", file=out)
    code = 0 if summary.ok else 1
    lines = summary_lines(summary, code)
    for line in lines["errors"]:
        print(line, file=sys.stderr)
    for line in lines["notes"]:
        print(line, file=out)
    return code


def print_stats(data: Mapping[str, Mapping[str, Counts]], as_json: bool, out: TextIO) -> int:
    """`leaflet stats` (data: translations.progress); 1 when any locale is incomplete."""
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


def print_import(result: Imported, out: TextIO) -> int:
    """`leaflet import`: each entry changed, what was not imported and why, the checks
    of the changed entries, a summary; 1 when any unit was not imported."""
    for c in result.changes:
        print(f"{c.path}:{c.line}: [{c.id}] {c.what}", file=out)
    for note in result.notes:
        print(f"note: {note}", file=out)
    for line in result.not_imported:
        print(f"not imported: {line}", file=out)
    for finding in result.findings:
        print(finding.text(), file=out)
    locales = ", ".join(result.locales)
    verb = "would change" if result.dry_run else "changed"
    parts = [f"{len(result.changes)} entr{'y' if len(result.changes) == 1 else 'ies'} "
             f"{verb}", f"{result.unchanged} unchanged"]
    if result.empty:
        parts.append(f"{result.empty} without a target (kept as they were)")
    if result.not_imported:
        parts.append(f"{len(result.not_imported)} not imported")
    wrote = ("nothing written (--dry-run)" if result.dry_run
             else f"wrote {len(result.written)} catalog{'s' if len(result.written) != 1 else ''}")
    print(f"imported {result.source} into {locales}: " + ", ".join(parts) + f"; {wrote}",
          file=out)
    if result.findings:
        errors = sum(f.severity == ERROR for f in result.findings)
        print(f"checks of the changed entries: {errors} error(s), "
              f"{len(result.findings) - errors} warning(s); an error stops the language "
              f"being published until it is fixed ('leaflet check -l LOCALE')", file=out)
    return 1 if result.not_imported else 0
