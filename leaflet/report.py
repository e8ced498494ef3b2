"""What `leaflet check` and `leaflet build` print, and their exit codes."""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TextIO

from .errors import LeafletError

JSON_VERSION = 1


def collect(project, locales: list[str]) -> tuple[list[checks.Finding], dict]:
    """Every finding for the English sources and the given locales."""
    from . import checks
    from .build import UI, check_locale, check_source
    from .errors import ContentError
    from .readability import report
    findings: list[checks.Finding] = []
    readability = {}
    leaflets = []
    for name in project.cfg.leaflets:
        try:
            leaflet = project.leaflet(name)
        except ContentError as exc:
            findings.append(checks.Finding(checks.ERROR, "source", "en", exc.path or name,
                                           exc.line, None, exc.message, exc.hint))
            continue
        leaflets.append(name)
        findings += check_source(project, name)
        readability[name] = report(leaflet)
    pots = {d: project.pot(d) for d in [*leaflets, UI]}
    from .config import SOURCE_LOCALE
    for locale in locales:
        if locale == SOURCE_LOCALE:   # the source: its checks ran above
            continue
        state = check_locale(project, locale, pots)
        findings += state.findings
        findings += [checks.Finding(checks.WARNING, "stale", locale, path, None, None,
                                    "catalog is not up to date with the English",
                                    "run 'leaflet update'") for path in state.stale]
    return findings, readability


def run_check(project, locales: list[str], fmt: str, out: TextIO) -> int:
    from . import checks
    findings, readability = collect(project, locales)
    errors = sum(f.severity == checks.ERROR for f in findings)
    if fmt == "json":
        json.dump({"version": JSON_VERSION, "locales": locales,
                   "errors": errors, "warnings": len(findings) - errors,
                   "findings": [f.json() for f in findings],
                   "readability": readability}, out, indent=2, ensure_ascii=False)
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
        print(f"\n{errors} error(s), {len(findings) - errors} warning(s) in "
              f"{len(locales)} locale(s)", file=out)
    return 1 if errors else 0


def _split(value: str, allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
    items = tuple(x.strip() for x in value.split(",") if x.strip())
    for item in items:
        if item not in allowed:
            raise LeafletError(f"unknown {what} {item!r}", hint="choose from "
                               + ", ".join(allowed))
    return items


def _request(args: argparse.Namespace) -> list:
    """What a `leaflet build` asks for (its worker count changes no output)."""
    return ["build", sorted(args.locales or []), args.format, args.edition, args.draft]


def report_fresh(args: argparse.Namespace, out: TextIO) -> int | None:
    """When the last complete build had these very inputs, print what it printed
    (but nothing built) and return its exit code; None otherwise.

    Runs before anything heavy is imported; the digest is kept on `args` for
    run_build to stamp the build it makes otherwise.
    """
    from . import fingerprint
    from .config import find_root
    started = time.monotonic()
    root = find_root(args.project)
    args.inputs = fingerprint.digest(root, _request(args))
    known = fingerprint.fresh(root, args.inputs)
    if known is None or args.watch:   # a watch starts its workers anyway
        return None
    _print_lines(known, 0, time.monotonic() - started, out)
    return known["code"]


def run_build(project, args: argparse.Namespace, out: TextIO) -> int:
    """One build; with --watch, another each time an input is saved, on warm workers."""
    from . import fingerprint
    from .build import FORMATS, Project, Workers, build
    from .config import SOURCE_LOCALE, check_locale, load
    from .render import EDITIONS
    if args.command == "preview":
        locales = [check_locale(args.locale)]
        formats, editions, draft, jobs = ("html",), ("standard",), True, 1
    else:
        locales = [check_locale(x) for x in (args.locales or [])] or [
            SOURCE_LOCALE, *project.cfg.locales]
        formats = _split(args.format, FORMATS, "format")
        editions = _split(args.edition, EDITIONS, "edition")
        draft, jobs = args.draft, args.jobs
    # Inputs changed since the last complete build: outputs will be rendered, so
    # the workers can start now and import WeasyPrint while the checks run.
    early = getattr(args, "inputs", None) is not None
    root = project.cfg.root

    def once(project, started: float) -> int:
        progress = Progress(out)
        try:
            summary = build(project, locales, formats, editions, draft, jobs, progress, early,
                            pool)
        finally:
            progress.close()
        # A draft build is for translators: gaps are shown, not refused.
        code = 0 if (summary.ok or (draft and not summary.errors)) else 1
        lines = _summary(summary, code)
        _print_lines(lines, len(summary.built), time.monotonic() - started, out)
        if early and not summary.errors:   # refusals replay; failures may be passing
            fingerprint.record(root, args.inputs, summary.outputs, lines)
        if args.command == "preview":
            for page in sorted((project.cfg.build_dir / "drafts" / args.locale).glob("*.html")):
                print(f"open file://{page}", file=out)
        return code

    started = time.monotonic()
    with Workers(jobs) as pool:
        while True:
            before = fingerprint.snapshot(root) if args.watch else None
            try:
                project = project or Project(load(root))
                code = once(project, started)
            except LeafletError as exc:   # a watch reports it, and waits for the fix
                if not args.watch:
                    raise
                print(f"error: {exc}", file=sys.stderr, flush=True)
                project = None
            if not args.watch:
                return code
            changed = _wait_for_change(root, before, out)
            started = time.monotonic()
            if not all(path.endswith(".po") for path in changed):
                project = None   # loaded again: the English, templates or config changed
            if early:
                args.inputs = fingerprint.digest(root, _request(args))


class Progress:
    """A progress bar on a terminal; a plain line per output otherwise (logs, CI)."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.bar = out, None

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


def _summary(summary, code: int) -> dict:
    """What a build says at its end, without timing: printed, and stamped for replay."""
    notes = [f"{'DRAFT ONLY' if summary.draft else 'NOT PUBLISHED'} {locale}: {len(found)} "
             f"error(s); first: {found[0].text()}" for locale, found in sorted(summary.refused.items())]
    notes += [f"note: {path} is not up to date with the English: run 'leaflet update'"
              for path in sorted(set(summary.stale))]
    return {"errors": [f"error: {exc}" for exc in summary.errors], "notes": notes,
            "done": len(summary.built) + len(summary.skipped), "refused": len(summary.refused),
            "warnings": len(summary.warnings), "code": code}


def _print_lines(lines: dict, built: int, seconds: float, out: TextIO) -> None:
    for line in lines["errors"]:
        print(line, file=sys.stderr)
    for line in lines["notes"]:
        print(line, file=out)
    print(f"built {built}, up to date {lines['done'] - built}, refused {lines['refused']} "
          f"locale(s), {lines['warnings']} warning(s) [{seconds:.1f} s]", file=out)


def _wait_for_change(root, before: dict, out: TextIO) -> set[str]:
    """The inputs saved since `before` (names relative to root). Polls: portable,
    no extra dependency, and a tenth of a second is little beside a rebuild."""
    from .fingerprint import snapshot
    print("watching for saved changes (Ctrl+C to stop)...", file=out, flush=True)
    while (now := snapshot(root)) == before:
        time.sleep(0.1)
    return {path for path in before.keys() | now.keys() if before.get(path) != now.get(path)}
