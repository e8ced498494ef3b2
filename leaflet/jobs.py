"""Render jobs (leaflet x locale x edition), their cache keys, and the worker
processes that run them.

A job carries everything its worker needs (compiled catalogs, values, paths)
and nothing it must look up: a worker reads only the templates.
"""
from __future__ import annotations

import gc
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import pdf, render, verify
from .errors import LeafletError
from .files import write_atomic
from .lang import info
from .model import Leaflet
from .options import EDITIONS
from .project import output_name

# Told each job's label (locale/stem), how many are done and how many in all.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Job:
    leaflet: Leaflet
    locale: str
    edition: str
    formats: tuple[str, ...]
    mo: bytes | None
    ui_mo: bytes | None
    values: dict[str, str]
    languages: tuple[tuple[str, str, str, str], ...]   # (tag, dir, native, href)
    templates: str
    page_size: str
    draft: bool
    signoff: tuple[tuple[str, str], ...] | None
    key: str
    english_values: dict[str, str] | None = None    # bilingual edition only
    approval: tuple[tuple[str, str], ...] | None = None   # clinical approval, date localised

    @property
    def label(self) -> str:
        """en/demo, fr/demo.large: what the progress and the cache call it."""
        stem = self.leaflet.id if self.edition == "standard" else \
            f"{self.leaflet.id}.{self.edition}"
        return f"{self.locale}/{stem}"

    def output_name(self, fmt: str) -> str:
        return output_name(self.leaflet.id, self.edition, fmt)


def key(*parts: object) -> str:
    """A cache key: the hash of everything an output (or a check) depends on."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def read_cache(path: Path) -> dict[str, str]:
    """label -> the key its outputs were last built with."""
    try:
        data = json.loads(path.read_text("utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def write_cache(path: Path, cache: dict[str, str]) -> None:
    write_atomic(path, json.dumps(cache, indent=1, sort_keys=True) + "\n")


def run_job(job: Job) -> dict[str, Any]:
    """Render one leaflet x locale x edition and check the outputs (in a worker
    process): {"html": str, "pdf": bytes (if asked for), "findings": [...]}."""
    env = render.environment(Path(job.templates))
    page = render.Page(
        leaflet=job.leaflet, locale=info(job.locale), edition=job.edition, values=job.values,
        text=render.Catalog(job.mo), ui=render.Catalog(job.ui_mo), draft=job.draft,
        signoff=dict(job.signoff) if job.signoff else None,
        approval=dict(job.approval) if job.approval else None,
        languages=[{"tag": t, "dir": d, "native": n, "href": h} for t, d, n, h in job.languages],
        english=render.Catalog(None) if job.edition == "bilingual" else None,
        page_size=job.page_size, english_values=job.english_values)
    html = render.render_html(env, page)
    out: dict[str, Any] = {"html": html, "findings": verify.check_html(
        job.locale, job.output_name("html"), html, job.leaflet)}
    if "pdf" in job.formats:
        done = pdf.render_pdf(render.render_html(env, page, paged=True),
                              Path(job.templates), [Path(job.templates)])
        out["pdf"] = done.pdf
        out["findings"] += verify.check_pdf(job.locale, job.output_name("pdf"), done,
                                            page.outline())
    return out


def _worker_init(parent: int) -> None:
    """Once per worker process: WeasyPrint imported for all its jobs."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl+C is the main process's to handle
    try:   # Linux: end with the main process, even a killed one (not wait on the queue)
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:   # it died before prctl
        os._exit(1)
    import weasyprint  # noqa: F401


@contextmanager
def _collecting_less() -> Iterator[None]:
    """Python's cyclic garbage collector run less often while a job renders.

    Why: WeasyPrint builds a tree of some hundreds of thousands of objects a
    document, and at the default thresholds (700, 10, 10) the collector walked
    it in 30 full collections a build: 4.6 s of a 32 s `--jobs 1` build of our
    64 editions (gc.callbacks). At (10000, 10, 10) it took 2.6 s, in 3 full
    collections, for 86 MB more peak memory (244 to 330 MB). Freezing what is
    alive before the job gained nothing measurable, and froze the previous
    job's garbage with it."""
    before = gc.get_threshold()
    gc.set_threshold(10_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _in_roomy_frame(call: Callable[[], Any]) -> Any:
    return call()


# Why: CPython 3.11 keeps frames on a stack of 16 KB chunks and frees a chunk
# as soon as the frame at its base returns, so calls that go up and down across
# a chunk's edge map and unmap it every time. WeasyPrint's layout recursion does
# that all the time: 294,000 mmap and munmap calls in a `--jobs 1` build of our
# 64 editions (strace -c), 2.6 to 3.2 s of system time. A caller whose code
# declares a 1 MiB value stack (it uses two slots) is given a 2 MiB chunk, and
# the job's calls fit in the rest of it: 2,200 mmap calls, 0.4 to 0.6 s of
# system time. With `_collecting_less` and the faster glossary check, the build
# was 17 to 25 % faster (three alternating pairs against a274d0e).
_in_roomy_frame.__code__ = _in_roomy_frame.__code__.replace(co_stacksize=1 << 17)


def _safe_job(job: Job) -> dict[str, Any] | LeafletError:
    try:
        with _collecting_less():
            return _in_roomy_frame(lambda: run_job(job))
    except LeafletError as exc:
        return exc


class Workers:
    """Render jobs, in worker processes when jobs > 1; results always in job order."""

    def __init__(self, jobs: int = 0) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        self.pool: ProcessPoolExecutor | None = None

    def start(self, jobs: int = 0) -> None:
        workers = min(self.jobs, jobs or self.jobs)
        if workers > 1 and self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init,
                                            initargs=(os.getpid(),))
            self.pool.submit(int)   # a first task forks every worker now

    def run(self, jobs: list[Job], progress: Progress
            ) -> Iterator[dict[str, Any] | LeafletError]:
        """Results one by one, to be written as they come (not all held at once)."""
        self.start(len(jobs))
        results: Iterator[dict[str, Any] | LeafletError]
        if self.pool is None:
            results = (_safe_job(job) for job in jobs)
        else:   # in windows of 64 jobs, the longest editions first: a short job ends
            # the build, and no more than a window of finished results waits to be written
            order = sorted(range(len(jobs)), key=lambda i: (
                i // 64, EDITIONS[::-1].index(jobs[i].edition)))
            futures = {i: self.pool.submit(_safe_job, jobs[i]) for i in order}
            results = (futures.pop(i).result() for i in range(len(jobs)))   # not kept
        for n, (job, result) in enumerate(zip(jobs, results, strict=True), 1):
            progress(job.label, n, len(jobs))
            yield result

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
