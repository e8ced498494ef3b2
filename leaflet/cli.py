"""Command line: parse arguments, call the stages, print. Nothing else."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

from . import __version__
from .errors import LeafletError


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
    s.add_argument("--format", default="html,pdf", help="html,pdf (default both)")
    s.add_argument("--edition", default="standard,large,bilingual",
                   help="standard,large,bilingual (default all)")
    s.add_argument("--draft", action="store_true", help="also render locales that fail "
                   "checks, into build/drafts/ with a DRAFT watermark (translators only)")
    s.add_argument("--jobs", type=int, default=0, help="worker processes (default: cores)")
    s.add_argument("--watch", action="store_true", help="build again whenever an input is "
                   "saved, on workers kept warm (Ctrl+C to stop)")
    s = cmd("check", "run every check; exit 1 when any error", True)
    s.add_argument("--format", choices=("text", "json"), default="text")
    s = cmd("stats", "translated / fuzzy / untranslated / obsolete per locale", True)
    s.add_argument("--json", action="store_true")
    s = cmd("signoff", "record that a qualified translator checked a locale")
    s.add_argument("-l", "--locale", required=True)
    s.add_argument("--reviewer", required=True, help="name and qualification")
    s.add_argument("--date", type=dt.date.fromisoformat, default=None,
                   help="YYYY-MM-DD (default today)")
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


def _project(args: argparse.Namespace):
    from . import config
    from .build import Project
    return Project(config.load(args.project))


def _locales(project, args: argparse.Namespace) -> list[str]:
    from .config import check_locale
    chosen = [check_locale(x) for x in (getattr(args, "locales", None) or [])]
    return chosen or list(project.cfg.locales)


def _dispatch(args: argparse.Namespace, out: TextIO) -> int:
    if args.command == "build":   # before anything heavy is imported: is there work?
        from .report import report_fresh
        code = report_fresh(args, out)
        if code is not None:
            return code
    from . import build as b
    project = _project(args)
    rel = project.rel
    if args.command == "extract":
        written = b.extract_all(project)
        print("\n".join(f"wrote {rel(p)}" for p in written) or "templates up to date", file=out)
        return 0
    if args.command == "init":
        from .config import check_locale, not_source
        for path in b.init_locale(project, not_source(check_locale(args.locale), "start")):
            print(f"wrote {rel(path)}", file=out)
        print(f"add {args.locale!r} to [project] locales in leaflet.toml to build it", file=out)
        return 0
    if args.command == "update":
        written, errors = b.update_all(project, _locales(project, args))
        print("\n".join(f"updated {rel(p)}" for p in written) or "catalogs up to date", file=out)
        for exc in errors:
            print(f"error: {exc}", file=sys.stderr)
        return 1 if errors else 0
    if args.command == "compile":
        return _compile(project, _locales(project, args), out)
    if args.command == "stats":
        from .stats import print_stats
        return print_stats(project, _locales(project, args), args.json, out)
    if args.command == "check":
        from .report import run_check
        return run_check(project, _locales(project, args), args.format, out)
    if args.command == "signoff":
        from .config import check_locale, not_source
        from .review import record
        data = record(project, not_source(check_locale(args.locale), "sign off"), args.reviewer,
                      args.date or dt.date.today())
        print(f"signed off {args.locale} by {data['reviewer']} on {data['date']}", file=out)
        return 0
    if args.command in ("build", "preview"):
        from .report import run_build
        return run_build(project, args, out)
    raise AssertionError(args.command)


def _compile(project, locales: list[str], out: TextIO) -> int:
    from . import catalogs
    from .files import write_atomic
    status = 0
    for locale in locales:
        for domain in project.domains:
            path = project.po_path(locale, domain)
            try:
                mo = catalogs.compile_mo(catalogs.read(path))
            except LeafletError as exc:
                print(f"error: {exc}", file=sys.stderr)
                status = 1
                continue
            target = project.cfg.build_dir / "mo" / locale / "LC_MESSAGES" / f"{domain}.mo"
            write_atomic(target, mo)
            print(f"compiled {project.rel(target)}", file=out)
    return status


if __name__ == "__main__":
    sys.exit(main())
