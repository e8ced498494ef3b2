"""Running builds: the no-op replay of the last complete build, one build, and
`--watch`, which builds again each time an input is saved, on warm workers.

`replay` runs before anything heavy is imported (the build's modules are
imported only once a build is to run): a build with nothing to do answers
from the stamp in about 0.1 s.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

from . import fingerprint, report
from .config import load
from .errors import LeafletError
from .options import Options
from .project import Project, stamp_path


def replay(root: Path, request: object, watch: bool, out: TextIO) -> tuple[str, int | None]:
    """The digest of a `leaflet build`'s request and inputs; and, when the last
    complete build had these very inputs, its exit code, having printed what
    it printed (but nothing built). None when there is work to do."""
    started = time.monotonic()
    inputs = fingerprint.digest(root, request)
    known = fingerprint.fresh(stamp_path(root), root, inputs)
    if known is None or watch:   # a watch starts its workers anyway
        return inputs, None
    report.print_lines(known, 0, time.monotonic() - started, out)
    return inputs, int(known["code"])


def run(project: Project, locales: list[str], options: Options, out: TextIO, *,
        watch: bool = False, request: object = None, inputs: str | None = None,
        preview: str | None = None) -> int:
    """One build; with `watch`, another each time an input is saved, on the same
    worker processes (WeasyPrint imported once).

    `request` and its `inputs` (from `replay`) come with a `leaflet build`: its
    inputs changed since the last complete build, so outputs will be rendered
    and the workers start at once, importing WeasyPrint while the checks run;
    each complete build is stamped. `preview`: the locale whose draft pages to
    name when done.
    """
    from .build import RememberedChecks, build  # heavy: only once there is work
    from .jobs import Workers
    root = project.cfg.root
    early = request is not None
    check = RememberedChecks()   # as long as the watch: unchanged catalogs are not rechecked

    def once(project: Project, started: float) -> int:
        progress = report.Progress(out)
        try:
            summary = build(project, locales, options, progress=progress, early=early,
                            pool=pool, check=check)
        finally:
            progress.close()
        # A draft build is for translators: gaps are shown, not refused.
        code = 0 if (summary.ok or (options.draft and not summary.errors)) else 1
        lines = report.summary_lines(summary, code)
        report.print_lines(lines, len(summary.built), time.monotonic() - started, out)
        if inputs is not None and not summary.errors:   # refusals replay; failures may pass
            fingerprint.record(stamp_path(root), root, inputs, summary.outputs, lines)
        if preview is not None:
            for page in sorted((project.out_dir(True) / preview).glob("*.html")):
                print(f"open file://{page}", file=out)
        return code

    current: Project | None = project
    started = time.monotonic()
    with Workers(options.jobs) as pool:
        while True:
            before = fingerprint.snapshot(root) if watch else {}
            try:
                current = current or Project(load(root))
                code = once(current, started)
            except LeafletError as exc:   # a watch reports it, and waits for the fix
                if not watch:
                    raise
                print(f"error: {exc}", file=sys.stderr, flush=True)
                current = None
            if not watch:
                return code
            changed = _wait_for_change(root, before, out)
            started = time.monotonic()
            if not all(path.endswith(".po") for path in changed):
                current = None   # loaded again: the English, templates or config changed
            if request is not None:
                inputs = fingerprint.digest(root, request)


def _wait_for_change(root: Path, before: dict[str, tuple[int, int]],
                     out: TextIO) -> set[str]:
    """The inputs saved since `before` (names relative to root). Polls: portable,
    no extra dependency, and a tenth of a second is little beside a rebuild."""
    print("watching for saved changes (Ctrl+C to stop)...", file=out, flush=True)
    while (now := fingerprint.snapshot(root)) == before:
        time.sleep(0.1)
    return {path for path in before.keys() | now.keys() if before.get(path) != now.get(path)}
