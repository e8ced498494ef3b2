"""Build benchmarks (issue #8). Run from a checkout set up by `make`:

    .venv/bin/python bench/run.py              # everything, 100 x 11 scale run (~15 min)
    .venv/bin/python bench/run.py --quick      # one repeat, 10 x 11 scale run (~2 min)

Works on copies in a temporary folder, never on the project's own build/.
Every number comes from this one run; wall times are the best of --repeat
runs (the machine may be shared: the load average is printed with them).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import cache
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("content", "locales", "templates", "leaflet.toml")
EDITED = ("es", "vertebroplasty", "dolor de espalda", "dolor en la espalda")

# The floor: WeasyPrint's API on the same HTML files, one process, nothing around it
# ("shared": with one font configuration for all files, as the pipeline does;
# "tuned": each file rendered as the pipeline runs a job, with the collector's
# threshold and the roomy frame of leaflet/jobs.py, so that the ratio to it is
# what the pipeline's own work costs).
FLOOR = """
import json, sys, time
from pathlib import Path
import weasyprint
from weasyprint.text.fonts import FontConfiguration
folder, templates, times = Path(sys.argv[1]), sys.argv[2], {}
shared = {"font_config": FontConfiguration()} if "shared" in sys.argv[3:] else {}
def render(html):
    weasyprint.HTML(filename=str(html), base_url=templates).write_pdf(
        pdf_variant="pdf/ua-1", **shared)
if "tuned" in sys.argv[3:]:
    from leaflet.jobs import _collecting_less, _in_roomy_frame
    def run(html):
        with _collecting_less():
            _in_roomy_frame(lambda: render(html))
else:
    run = render
for html in sorted(folder.glob("*/*.html")):
    start = time.perf_counter()
    run(html)
    times[str(html.relative_to(folder))] = time.perf_counter() - start
print(json.dumps(times))
"""
# The HTML files the pipeline hands WeasyPrint (the published page plus its print
# CSS), kept as files for the floor: a --jobs 1 draft build whose render_pdf only
# writes its input down. Not timed.
PAGED = """
import sys
from pathlib import Path
from leaflet import build, config, pdf
from leaflet.options import Options
from leaflet.project import Project
out = Path(sys.argv[2])
def keep(html, base, allowed):
    keep.count += 1
    page = out / f"{keep.count:03d}" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text(html, "utf-8")
    return pdf.Rendered(b"", [])
keep.count = 0
pdf.render_pdf = keep
project = Project(config.load(Path(sys.argv[1])))
build.build(project, [config.SOURCE_LOCALE, *project.cfg.locales], Options(draft=True, jobs=1))
print(keep.count)
"""
# One leaflet in two locales through the pipeline's own render_pdf, alternately.
PAIR = """
import json, sys, time
from pathlib import Path
from leaflet.pdf import render_pdf
root, repeat, best = Path(sys.argv[1]), int(sys.argv[2]), {}
for round in range(repeat + 1):         # round 0 warms fonts up
    for locale in ("es", "zh_Hans"):
        html = (root / "build" / locale / "vertebroplasty.html").read_text()
        start = time.perf_counter()
        render_pdf(html, root / "templates", [root / "templates"])
        if round:
            best[locale] = min(best.get(locale, 1e9), time.perf_counter() - start)
print(json.dumps(best))
"""


class Run:
    """One command, its wall and CPU time, and the peak memory of each of its processes."""

    def __init__(self, *args: str) -> None:
        self.peak: dict[int, int] = {}       # pid -> VmHWM in kB
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        watch = threading.Thread(target=self._sample, args=(proc,), daemon=True)
        watch.start()
        self.stdout, self.stderr = proc.communicate()
        self.wall = time.perf_counter() - start
        watch.join()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
        self.main = proc.pid
        if proc.returncode:
            sys.exit(f"failed: {' '.join(args)}\n{self.stdout[-2000:]}\n{self.stderr[-2000:]}")

    def _sample(self, proc: subprocess.Popen) -> None:
        while proc.poll() is None:
            for pid in [proc.pid, *_descendants(proc.pid)]:
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                found = re.search(r"VmHWM:\s+(\d+)", status)
                if found:
                    self.peak[pid] = max(self.peak.get(pid, 0), int(found[1]))
            time.sleep(0.05)

    @property
    def worker_peak_mb(self) -> float:
        workers = [kb for pid, kb in self.peak.items() if pid != self.main]
        return max(workers or [0]) / 1024

    @property
    def main_peak_mb(self) -> float:
        return self.peak.get(self.main, 0) / 1024


def _descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def leaflet(project: Path, *args: str) -> Run:
    return Run("-m", "leaflet", "--project", str(project), *args)


def copy_project(target: Path) -> Path:
    for part in PROJECT:
        src = ROOT / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, target / part)
    return target


def clean_build(project: Path, jobs: int) -> Run:
    shutil.rmtree(project / "build", ignore_errors=True)
    run = leaflet(project, "build", "--jobs", str(jobs))
    if not run.stdout.rstrip().splitlines()[-1].startswith(f"built {count_outputs(run)},"):
        sys.exit(f"unexpected summary:\n{run.stdout[-500:]}")
    return run


def count_outputs(run: Run) -> int:
    return len(re.findall(r"^built \S+/", run.stdout, re.M))


def watch_edits(project: Path, po: Path, old: str, new: str, repeat: int) -> list[tuple]:
    """(seconds from saving the catalog to the build's summary line, lines printed) for
    each of `repeat` edits under `leaflet build --watch`, its workers already warm."""
    proc = subprocess.Popen([sys.executable, "-m", "leaflet", "--project", str(project), "build",
                             "--watch"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for x in proc.stdout or ():
            lines.put((time.perf_counter(), x))

    threading.Thread(target=read, daemon=True).start()

    def until(text: str) -> list[tuple[float, str]]:
        got = [lines.get(timeout=300)]
        while text not in got[-1][1]:
            got.append(lines.get(timeout=300))
        return got

    results = []
    try:
        until("watching")
        for _ in range(repeat):
            time.sleep(0.5)
            text = po.read_text()
            start = time.perf_counter()
            po.write_text(text.replace(old, new) if old in text else text.replace(new, old))
            got = until("watching")
            end = next(t for t, line in got if re.match(r"built \d+, up to date", line))
            results.append((end - start, "".join(line for _, line in got)))
    finally:
        proc.terminate()
        proc.wait()
    return results


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def machine() -> str:
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    mem = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
    return (f"{cpu[1] if cpu else platform.processor()}, {os.cpu_count()} cores, "
            f"{int(mem[1]) / 2**20 if mem else 0:.0f} GiB; {platform.platform()}; Python "
            f"{platform.python_version()}; WeasyPrint {version('weasyprint')}")


# --- synthetic scale project ------------------------------------------------------
# Kept as they are: ids, placeholders, tags, and the word after a number (its unit).
_PROTECT = re.compile(r"(\{[^}]*\}|<[^>]*>|\d+\s*[^\s\d]{1,12})")
_RANGES = {"Latn": [], "Cyrl": [(0x430, 0x44F), (0x410, 0x42F)], "Arab": [(0x628, 0x63A)],
           "Deva": [(0x915, 0x939)], "Hans": [(0x4E00, 0x9FA5)]}
_SCRIPT = {"ru": "Cyrl", "ar": "Arab", "hi": "Deva", "zh_Hans": "Hans"}


@cache
def _kept(locale: str) -> frozenset[str]:
    """The words (characters, in Chinese) of the negation check's markers,
    coordinators and subordinators: kept as they are, so a rotated catalog
    passes the same polarity checks as the real one."""
    from leaflet import polarity
    m = polarity.markers(locale)
    patterns = [] if m is None else [*m.strong, *m.weak, *m.neutral, *m.weak_idioms,
                                     *m.coordinators, *m.subordinators]
    words = {w.lower() for p in patterns for w in re.findall(r"\w+", p)}
    return frozenset(c for w in words for c in w) if locale.startswith("zh") else \
        frozenset(words)


def shifted(text: str, k: int, script: str = "Latn", locale: str = "en") -> str:
    """Letters rotated within their alphabet: the same words, structure and length, new text.

    Digits, units, punctuation, placeholders, tags and negation markers are
    kept, so a translation still passes every check against its English,
    which is rotated the same way."""
    from leaflet import polarity
    ranges = [(0x61, 0x7A), (0x41, 0x5A), *_RANGES[script]]
    kept = _kept(locale)

    def rotate(c: str) -> str:
        for lo, hi in ranges:
            if lo <= ord(c) <= hi:
                return chr(lo + (ord(c) - lo + k) % (hi - lo + 1))
        return c

    def marker(w: str) -> bool:
        return w.lower() in kept or bool(polarity.polarity(w, locale))

    def word(w: str) -> str:
        if locale.startswith("zh"):
            return "".join(c if marker(c) or marker(rotate(c)) else rotate(c) for c in w)
        new = "".join(map(rotate, w))
        return w if marker(w) or marker(new) else new
    return "".join(part if i % 2 else re.sub(r"[\w'’]+", lambda m: word(m[0]), part)
                   for i, part in enumerate(_PROTECT.split(text)))


def make_scale_project(target: Path, count: int) -> Path:
    """`count` leaflets, each the real one with its letters rotated (k = 1..25), x 11 locales."""
    from leaflet import catalogs
    copy_project(target)
    config = (target / "leaflet.toml").read_text()
    # Only the first leaflet is multiplied: the others and their tables go.
    tables = re.findall(r"^\[leaflets\.([a-z0-9-]+)\]\n(?:(?!\[).*\n?)*", config, re.M)
    assert tables and tables[0] == "vertebroplasty", tables
    meta = re.search(r"^\[leaflets\.vertebroplasty\]\n(?:(?!\[).*\n?)*", config, re.M)
    assert meta
    names = [f"s{i:03d}" for i in range(1, count + 1)]
    config = re.sub(r"^leaflets = \[.*\]$", f"leaflets = {json.dumps(names)}", config,
                    count=1, flags=re.M)
    config = re.sub(r"^\[leaflets\.[a-z0-9-]+\]\n(?:(?!\[).*\n?)*", "", config, flags=re.M)
    config = config.rstrip("\n") + "\n\n" + "\n".join(
        meta.group(0).replace("vertebroplasty", n).rstrip("\n") + "\n" for n in names)
    (target / "leaflet.toml").write_text(config)
    for other in tables[1:]:
        shutil.rmtree(target / "content" / other)
        (target / "locales" / f"{other}.pot").unlink(missing_ok=True)
        for po in (target / "locales").glob(f"*/LC_MESSAGES/{other}.po"):
            po.unlink()
    source = target / "content" / "vertebroplasty"
    originals = {}
    for po in (target / "locales").glob("*/LC_MESSAGES/vertebroplasty.po"):
        originals[po.parent.parent.name] = catalogs.read(po)
        po.unlink()
    for i, name in enumerate(names):
        k = 1 + i % 25
        (target / "content" / name).mkdir()
        shutil.copy(source / "sources.toml", target / "content" / name / "sources.toml")
        (target / "content" / name / "leaflet.md").write_text(
            shifted((source / "leaflet.md").read_text(), k))
        for locale, po in originals.items():
            script = _SCRIPT.get(locale, "Latn")
            text = [e for e in po if not (e.msgctxt or "").startswith("source.")]  # sources.toml
            saved = [(entry.msgid, entry.msgstr) for entry in text]
            for entry in text:
                entry.msgid = shifted(entry.msgid, k)
                entry.msgstr = shifted(entry.msgstr, k, script, locale)
            (target / "locales" / locale / "LC_MESSAGES" / f"{name}.po").write_text(
                catalogs.po_text(po))
            for entry, (msgid, msgstr) in zip(text, saved, strict=True):   # for the next one
                entry.msgid, entry.msgstr = msgid, msgstr
    shutil.rmtree(source)
    (target / "locales" / "vertebroplasty.pot").unlink()
    leaflet(target, "update")     # templates extracted, catalogs merged as the build expects
    return target


# --- the benchmark ----------------------------------------------------------------
def cost(pairs: int) -> None:
    """The full build --jobs 1 against the floor and the tuned floor, in rounds
    whose order rotates: a ratio per round, so that a machine whose speed drifts
    between rounds (10 to 20 % here) moves both sides of a ratio."""
    print(f"machine: {machine()}\nload average at start: {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="leaflet-bench-") as tmp:
        project = copy_project(Path(tmp) / "project")
        paged, templates = Path(tmp) / "paged", str(project / "templates")
        Run("-c", PAGED, str(copy_project(Path(tmp) / "paged-project")), str(paged))
        commands = {"build": lambda: clean_build(project, 1),
                    "floor": lambda: Run("-c", FLOOR, str(paged), templates),
                    "tuned": lambda: Run("-c", FLOOR, str(paged), templates, "tuned")}
        ratios: dict[str, list[float]] = {"floor": [], "tuned": []}
        for k in range(pairs):
            names = list(commands)[k % 3:] + list(commands)[:k % 3]
            runs = {name: commands[name]() for name in names}
            for name in ("floor", "tuned"):
                if count_outputs(runs["build"]) != len(json.loads(runs[name].stdout)):
                    sys.exit("the floor and the build rendered different numbers of files")
                ratios[name].append(runs["build"].wall / runs[name].wall)
            print(f"  round {k + 1} ({' '.join(names)}): --jobs 1 {runs['build'].wall:.2f} s "
                  f"(CPU {runs['build'].cpu:.2f} s), floor {runs['floor'].wall:.2f} s "
                  f"(CPU {runs['floor'].cpu:.2f} s), tuned floor {runs['tuned'].wall:.2f} s "
                  f"(CPU {runs['tuned'].cpu:.2f} s); ratios {ratios['floor'][-1]:.3f}, "
                  f"{ratios['tuned'][-1]:.3f} (load {load()})", flush=True)
    for name, label in (("floor", "floor"), ("tuned", "tuned floor")):
        middle = statistics.median(ratios[name])
        print(f"--jobs 1 / {label} over {pairs} rounds: median {middle:.3f}, "
              f"min {min(ratios[name]):.3f}, max {max(ratios[name]):.3f}; "
              f"at most 1.10 x: {'yes' if middle <= 1.10 else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repeat, --scale 10")
    parser.add_argument("--scale", type=int, help="leaflets in the scale run (default 100)")
    parser.add_argument("--repeat", type=int, help="runs of each timing (default 3)")
    parser.add_argument("--cost", type=int, metavar="PAIRS",
                        help="only the cost criterion: PAIRS rounds of --jobs 1, the floor "
                        "and the tuned floor")
    args = parser.parse_args()
    if args.cost:
        cost(args.cost)
        return
    repeat = args.repeat or (1 if args.quick else 3)
    scale = args.scale or (10 if args.quick else 100)
    rows: list[tuple[str, str, str]] = []
    verdicts: list[tuple[str, bool, str]] = []
    print(f"machine: {machine()}\nload average at start: {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="leaflet-bench-") as tmp:
        project = copy_project(Path(tmp) / "project")
        paged, templates = Path(tmp) / "paged", str(project / "templates")
        Run("-c", PAGED, str(copy_project(Path(tmp) / "paged-project")), str(paged))
        j1, j2, floor, shared, tuned, screen, floor_files = [], [], [], [], [], [], {}
        for r in range(repeat):
            j1.append(clean_build(project, 1))
            floor.append(Run("-c", FLOOR, str(paged), templates))
            shared.append(Run("-c", FLOOR, str(paged), templates, "shared"))
            tuned.append(Run("-c", FLOOR, str(paged), templates, "tuned"))
            screen.append(Run("-c", FLOOR, str(project / "build"), templates))
            floor_files = json.loads(floor[-1].stdout)
            j2.append(clean_build(project, 2))
            print(f"  round {r + 1}: --jobs 1 {j1[-1].wall:.2f} s, floor {floor[-1].wall:.2f} s"
                  f" (shared fonts {shared[-1].wall:.2f} s, tuned {tuned[-1].wall:.2f} s, "
                  f"screen HTML {screen[-1].wall:.2f} s)"
                  f", --jobs 2 {j2[-1].wall:.2f} s (load {load()})", flush=True)
        docs = count_outputs(j1[0])
        pdfs = len(floor_files)
        if pdfs != docs:
            sys.exit(f"the floor rendered {pdfs} files, the build {docs} editions")
        best = {name: min(runs, key=lambda x: x.wall) for name, runs in
                (("floor", floor), ("shared", shared), ("tuned", tuned), ("screen", screen),
                 ("j1", j1),
                 ("j2", j2))}
        rows.append((f"1. floor: WeasyPrint API, the {pdfs} HTML files the pipeline gives it "
                     "-> PDF, one process", f"{best['floor'].wall:.2f} s",
                     f"CPU {best['floor'].cpu:.2f} s"))
        rows.append(("   floor with one font configuration for all files",
                     f"{best['shared'].wall:.2f} s", f"CPU {best['shared'].cpu:.2f} s"))
        rows.append(("   floor run as the pipeline runs a job (collector threshold, roomy frame)",
                     f"{best['tuned'].wall:.2f} s", f"CPU {best['tuned'].cpu:.2f} s"))
        rows.append(("   (not a floor) the published screen HTML, without the print CSS",
                     f"{best['screen'].wall:.2f} s", f"CPU {best['screen'].cpu:.2f} s; "
                     "easier input than the pipeline renders"))
        rows.append((f"2. full build --jobs 1 ({docs} editions, {pdfs} PDF + {docs} HTML)",
                     f"{best['j1'].wall:.2f} s",
                     f"{best['j1'].wall / best['floor'].wall:.3f} x floor, "
                     f"{best['j1'].wall / best['shared'].wall:.3f} x the shared-fonts floor, "
                     f"{best['j1'].wall / best['tuned'].wall:.3f} x the tuned floor; "
                     f"CPU {best['j1'].cpu:.2f} s"))
        rows.append(("   full build --jobs 2", f"{best['j2'].wall:.2f} s",
                     f"{best['j1'].wall / best['j2'].wall:.2f} x faster than --jobs 1; CPU "
                     f"{best['j2'].cpu:.2f} s"))
        ratio = best["j1"].wall / best["floor"].wall
        verdicts.append(("--jobs 1 at most 1.10 x floor", ratio <= 1.10, f"{ratio:.3f}"))
        mine = best["j1"].wall / best["tuned"].wall
        verdicts.append(("--jobs 1 at most 1.10 x the tuned floor", mine <= 1.10, f"{mine:.3f}"))
        speedup = best["j1"].wall / best["j2"].wall
        verdicts.append(("--jobs 2 at least 1.7 x faster", speedup >= 1.7, f"{speedup:.2f}"))

        noop = [leaflet(project, "build") for _ in range(5)]
        worst = max(r.wall for r in noop)
        if any("built 0, up to date" not in r.stdout for r in noop):
            sys.exit("no-op build rebuilt something")
        rows.append(("3. no-op rebuild (interpreter start included, 5 runs)",
                     f"{statistics.median(r.wall for r in noop):.3f} s",
                     f"slowest {worst:.3f} s"))
        verdicts.append(("no-op under 0.5 s", worst < 0.5, f"{worst:.3f} s"))

        locale, domain, old, new = EDITED
        po = project / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"
        edits = []
        for _ in range(repeat):
            text = po.read_text()
            po.write_text(text.replace(old, new) if old in text else text.replace(new, old))
            edits.append(leaflet(project, "build"))
            rebuilt = re.findall(r"^built (\S+)/", edits[-1].stdout, re.M)
            if rebuilt != [locale] * len(rebuilt) or not rebuilt:
                sys.exit(f"editing one {locale} catalog rebuilt {rebuilt}")
        edit = min(edits, key=lambda x: x.wall)
        mine = len(re.findall(rf"^built {locale}/", edit.stdout, re.M))
        share = best["j2"].wall * mine / docs
        summary = edit.stdout.rstrip().splitlines()[-1]
        rows.append((f"4. rebuild after editing one {locale} catalog (default --jobs)",
                     f"{edit.wall:.2f} s",
                     f"{edit.wall / share:.2f} x its share ({mine}/{docs} of --jobs 2 full "
                     f"build = {share:.2f} s); summary: {summary.split(' [')[0]}"))
        verdicts.append((f"one catalog: only {locale} rebuilt", True, summary.split(" [")[0]))
        verdicts.append((f"one catalog, new process: at most 1.3 x {locale}'s share",
                         edit.wall <= 1.3 * share, f"{edit.wall / share:.2f}"))
        watched = watch_edits(project, po, old, new, repeat + 2)
        for _, printed in watched:
            rebuilt = re.findall(r"^built (\S+)/", printed, re.M)
            if rebuilt != [locale] * len(rebuilt) or not rebuilt:
                sys.exit(f"editing one {locale} catalog under --watch rebuilt {rebuilt}")
        best_watch = min(t for t, _ in watched)
        rows.append((f"   the same edit under `leaflet build --watch` (warm workers, "
                     f"{repeat + 2} edits)", f"{best_watch:.2f} s",
                     f"{best_watch / share:.2f} x its share; from saving the file to the summary "
                     f"line, polling included; slowest {max(t for t, _ in watched):.2f} s"))
        verdicts.append((f"one catalog, build --watch: at most 1.3 x {locale}'s share",
                         best_watch <= 1.3 * share, f"{best_watch / share:.2f}"))

        print(f"  generating {scale} x 11 synthetic project...", flush=True)
        big = make_scale_project(Path(tmp) / "scale", scale)
        print(f"  scale build (load {load()})...", flush=True)
        run = clean_build(big, 2)
        big_docs = count_outputs(run)
        per_doc, small_per_doc = run.wall / big_docs, best["j2"].wall / docs
        rows.append((f"5. scale: {scale} leaflets x 11 locales, --jobs 2, {big_docs} editions",
                     f"{run.wall:.1f} s",
                     f"{big_docs / run.wall:.1f} editions/s; {per_doc * 1000:.0f} ms each "
                     f"= {per_doc / small_per_doc:.2f} x the small build's "
                     f"({small_per_doc * 1000:.0f} ms); peak memory: worker "
                     f"{run.worker_peak_mb:.0f} MB, main {run.main_peak_mb:.0f} MB"))
        verdicts.append(("scale: worker peak under 400 MB", run.worker_peak_mb < 400,
                         f"{run.worker_peak_mb:.0f} MB"))
        verdicts.append(("scale: per-edition time within 15 % of small", per_doc <=
                         1.15 * small_per_doc, f"{per_doc / small_per_doc:.2f}"))
        pair = json.loads(Run("-c", PAIR, str(project), str(repeat + 2)).stdout)
        zh_ratio = pair["zh_Hans"] / pair["es"]
        sizes = {p.parent.name: p.stat().st_size
                 for p in project.glob("build/*/vertebroplasty.pdf")}
        rows.append(("6. standard PDF sizes (KB)", f"max {max(sizes.values()) / 1000:.0f}",
                     ", ".join(f"{k} {v / 1000:.0f}" for k, v in sorted(sizes.items()))))
        rows.append(("   standard PDF render time, zh_Hans / es", f"{zh_ratio:.2f}",
                     f"zh_Hans {pair['zh_Hans']:.3f} s, es {pair['es']:.3f} s (best of "
                     f"{repeat + 2}, the pipeline's render_pdf)"))
        verdicts.append(("every standard PDF under 200 KB", max(sizes.values()) < 200_000,
                         f"largest {max(sizes, key=lambda k: sizes[k])} {max(sizes.values())} B"))
        verdicts.append(("zh_Hans renders in at most 2 x es", zh_ratio <= 2, f"{zh_ratio:.2f}"))

    print(f"\nload average at end: {load()}\n")
    print("| measure | result | detail |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("\n| criterion | met | measured |\n|---|---|---|")
    for name, ok, value in verdicts:
        print(f"| {name} | {'yes' if ok else 'NO'} | {value} |")


if __name__ == "__main__":
    main()
