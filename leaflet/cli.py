"""Command line: parse arguments, call the stages, print. Nothing else."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .errors import LeafletError
from .options import DEFAULTS, EDITIONS, FORMATS, PREVIEW, Options

if TYPE_CHECKING:
    from collections.abc import Callable

    from .project import Project
    from .translations import Updated


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="leaflet", description="Multilingual patient leaflets: "
                                "canonical English -> gettext catalogs -> HTML and PDF.")
    p.add_argument("--version", action="version", version=f"leaflet {__version__}")
    p.add_argument("--project", type=Path, help="project folder (default: the one holding "
                   "leaflet.toml, from the current folder up)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def cmd(name: str, text: str, locales: bool = False) -> argparse.ArgumentParser:
        s = sub.add_parser(name, help=text, description=text)
        if locales:
            s.add_argument("-l", "--locale", action="append", dest="locales",
                           help="only this locale (repeatable); default: all configured")
        return s

    cmd("extract", "write locales/<leaflet>.pot and locales/ui.pot from the sources")
    s = cmd("init", "start the catalogs of a new locale")
    s.add_argument("-l", "--locale", required=True)
    cmd("update", "merge the templates into every catalog, keeping translations", True)
    cmd("compile", "compile catalogs to .mo files in build/mo", True)
    s = cmd("build", "check, compile and render every leaflet in every locale", True)
    s.add_argument("--format", default=",".join(DEFAULTS.formats),
                   help=f"{','.join(FORMATS)} (default {','.join(DEFAULTS.formats)})")
    s.add_argument("--edition", default=",".join(DEFAULTS.editions),
                   help=f"{','.join(EDITIONS)} (default {','.join(DEFAULTS.editions)})")
    s.add_argument("--draft", action="store_true", help="also render locales that fail "
                   "checks, into build/drafts/ with a DRAFT watermark (translators only)")
    s.add_argument("--release", action="store_true", help="publish to build/release/ only "
                   "what is clinically approved, signed off, within its review date and on "
                   "real hospital settings; name every reason for the rest")
    s.add_argument("--jobs", type=int, default=DEFAULTS.jobs,
                   help="worker processes (default: one per core)")
    s.add_argument("--watch", action="store_true", help="build again whenever an input is "
                   "saved, on workers kept warm (Ctrl+C to stop)")
    s = cmd("check", "run every check; exit 1 when any error", True)
    s.add_argument("--format", choices=("text", "json"), default="text")
    s.add_argument("--release", action="store_true", help="also every reason a release "
                   "build would refuse, as errors")
    s = cmd("stats", "translated / fuzzy / untranslated / obsolete per locale", True)
    s.add_argument("--json", action="store_true")
    s = cmd("signoff", "record that a qualified translator checked a locale")
    s.add_argument("-l", "--locale", required=True)
    s.add_argument("--reviewer", required=True, help="name and qualification")
    s.add_argument("--date", type=dt.date.fromisoformat, default=None,
                   help="YYYY-MM-DD (default today)")
    s = cmd("approve", "record that a clinician approved the English of a leaflet")
    s.add_argument("leaflet", help="the leaflet's folder name under content/")
    s.add_argument("--reviewer", required=True, help="name and role")
    s.add_argument("--date", type=dt.date.fromisoformat, default=None,
                   help="YYYY-MM-DD (default today)")
    s = cmd("export", "write one locale's catalogs (every leaflet and ui) as one file for a "
            "translation agency, or every locale's checked translations as a memory")
    s.add_argument("-l", "--locale", help="the locale (XLIFF: required; TMX: default every "
                   "locale)")
    s.add_argument("--format", default="xliff", help="xliff (XLIFF 1.2, the default) or tmx "
                   "(a TMX 1.4b translation memory)")
    s.add_argument("-o", "--output", type=Path, help="the file to write (default "
                   "build/exchange/LOCALE.xlf, build/exchange/memory.tmx)")
    s = cmd("import", "merge the translations of an agency's file (XLIFF) into the "
            "catalogs, by id, refusing the whole file when any of it is unsafe; or offer a "
            "memory's (TMX) to entries without one, fuzzy", True)
    s.add_argument("file", type=Path)
    s.add_argument("--dry-run", action="store_true", help="say what would change, "
                   "write nothing")
    s = cmd("preview", "build one locale quickly (HTML, standard edition) for a translator")
    s.add_argument("-l", "--locale", required=True)
    s.add_argument("--watch", action="store_true", help="rebuild when an input is saved")
    return p


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args, out)
    except LeafletError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _project(args: argparse.Namespace) -> Project:
    from . import config
    from .project import Project
    return Project(config.load(args.project))


def _locales(project: Project, args: argparse.Namespace) -> list[str]:
    from .config import valid_locale_name
    chosen = [valid_locale_name(x) for x in (getattr(args, "locales", None) or [])]
    return chosen or list(project.cfg.locales)


def _split(value: str, allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
    items = tuple(x.strip() for x in value.split(",") if x.strip())
    for item in items:
        if item not in allowed:
            raise LeafletError(f"unknown {what} {item!r}", hint="choose from "
                               + ", ".join(allowed))
    return items


def _request(args: argparse.Namespace) -> list[object]:
    """What a `leaflet build` asks for (its worker count changes no output). The
    date counts: a review date passes without any file changing."""
    return ["build", sorted(args.locales or []), args.format, args.edition, args.draft,
            args.release, dt.date.today().isoformat()]


def _dispatch(args: argparse.Namespace, out: TextIO) -> int:
    request, inputs = None, None
    if args.command == "build":   # before anything heavy is imported: is there work?
        from .config import find_root
        from .watch import replay
        request = _request(args)
        inputs, code = replay(find_root(args.project), request, args.watch, out)
        if code is not None:
            return code
    project = _project(args)
    rel = project.rel
    if args.command == "extract":
        from .translations import extract_all
        written = extract_all(project)
        print("\n".join(f"wrote {rel(p)}" for p in written) or "templates up to date", file=out)
        return 0
    if args.command == "init":
        from .config import not_source, valid_locale_name
        from .translations import init_locale
        for path in init_locale(project, not_source(valid_locale_name(args.locale), "start")):
            print(f"wrote {rel(path)}", file=out)
        print(f"add {args.locale!r} to [project] locales in leaflet.toml to build it", file=out)
        return 0
    if args.command == "update":
        from .translations import update_all
        return _print_updated(update_all(project, _locales(project, args)), rel, out)
    if args.command == "compile":
        from .build import compile_catalogs
        from .report import print_compiled
        return print_compiled(compile_catalogs(project, _locales(project, args)), rel, out)
    if args.command == "stats":
        from .report import print_stats
        from .translations import progress
        return print_stats(progress(project, _locales(project, args)), args.json, out)
    if args.command == "check":
        from .build import check_all
        from .report import print_check
        locales = _locales(project, args)
        findings, readability, gate = check_all(project, locales, args.release)
        return print_check(findings, readability, locales, args.format, out, gate)
    if args.command == "signoff":
        from .config import not_source, valid_locale_name
        from .review import record
        data = record(project, not_source(valid_locale_name(args.locale), "sign off"),
                      args.reviewer, args.date or dt.date.today())
        print(f"signed off {args.locale} by {data['reviewer']} on {data['date']}", file=out)
        return 0
    if args.command == "approve":
        from .config import valid_leaflet_name
        from .review import approve
        data = approve(project, valid_leaflet_name(args.leaflet), args.reviewer,
                       args.date or dt.date.today())
        print(f"approved {data['leaflet']} (version {data['version']}) by {data['reviewer']} "
              f"on {data['date']}: {rel(project.approval_path(data['leaflet']))}", file=out)
        return 0
    if args.command == "export":
        from .exchange import export
        from .files import write_atomic
        payload, suffix = export(project, args.locale, args.format)
        target = args.output or (project.cfg.build_dir / "exchange"
                                 / f"{args.locale or 'memory'}{suffix}")
        write_atomic(target, payload)
        print(f"wrote {target} ({args.format}, {args.locale or 'every locale'}: "
              + ", ".join(project.domains) + ")", file=out)
        return 0
    if args.command == "import":
        from .exchange import import_file
        from .report import print_import
        return print_import(import_file(project, args.file, args.dry_run, args.locales), out)
    if args.command in ("build", "preview"):
        from .watch import run
        return run(project, *_locales_and_options(project, args), out, watch=args.watch,
                   request=request, inputs=inputs,
                   preview=args.locale if args.command == "preview" else None)
    raise AssertionError(args.command)


def _print_updated(done: Updated, rel: Callable[[Path], str], out: TextIO) -> int:
    """What an update or an import wrote, recovered and filled; its errors."""
    lines = [("started " if p in done.started else "updated ") + rel(p) for p in done.written]
    print("\n".join(lines) or "catalogs up to date", file=out)
    for note in done.recovered:
        print(f"recovered: {note}", file=out)
    for note in done.filled:
        print(f"memory: {note}", file=out)
    for exc in done.errors:
        print(f"error: {exc}", file=sys.stderr)
    return 1 if done.errors else 0


def _locales_and_options(project: Project, args: argparse.Namespace) -> tuple[list[str], Options]:
    """The locales and options of a `leaflet build` or `leaflet preview`."""
    from .config import SOURCE_LOCALE, valid_locale_name
    if args.command == "preview":
        return [valid_locale_name(args.locale)], PREVIEW
    locales = [valid_locale_name(x) for x in (args.locales or [])] or [
        SOURCE_LOCALE, *project.cfg.locales]
    return locales, Options(_split(args.format, FORMATS, "format"),
                            _split(args.edition, EDITIONS, "edition"), args.draft,
                            release=args.release, jobs=args.jobs)


if __name__ == "__main__":
    sys.exit(main())
