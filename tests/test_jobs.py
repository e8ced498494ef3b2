"""How a render job runs: the interpreter settings around it (see jobs.py)."""
from __future__ import annotations

import gc
import resource

import pytest

from leaflet import jobs
from leaflet.errors import RenderError


def _minor_faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _down(n: int) -> int:
    return _down(n - 1) if n else 0


def _up_and_down() -> int:
    """Page faults taken by calls that go deep and come back, many times over:
    each 16 KB stack chunk CPython frees and maps again is new pages to fault in."""
    before = _minor_faults()
    for _ in range(500):
        for depth in (150, 300, 450):
            _down(depth)
    return _minor_faults() - before


def test_a_job_s_deep_calls_map_no_new_stack_chunks() -> None:
    _up_and_down()                              # the stack as deep once, outside
    plain = _up_and_down()
    roomy = jobs._in_roomy_frame(_up_and_down)
    assert plain > 1000, "the calls should cross stack chunk boundaries outside a job"
    assert roomy < plain / 20, (plain, roomy)


def test_a_job_runs_with_fewer_collections_and_the_thresholds_come_back(monkeypatch) -> None:
    seen: list[tuple[int, int, int]] = []
    before = gc.get_threshold()

    def run_job(job: object) -> dict[str, object]:
        seen.append(gc.get_threshold())
        return {"job": job}

    monkeypatch.setattr(jobs, "run_job", run_job)
    assert jobs._safe_job("a job") == {"job": "a job"}   # type: ignore[arg-type]
    assert seen[0][0] > before[0] and seen[0][0] >= 10 * 700
    assert gc.get_threshold() == before


def test_a_failed_job_is_its_error_and_the_thresholds_come_back(monkeypatch) -> None:
    before = gc.get_threshold()

    def run_job(job: object) -> dict[str, object]:
        raise RenderError("WeasyPrint failed")

    monkeypatch.setattr(jobs, "run_job", run_job)
    assert isinstance(jobs._safe_job("a job"), RenderError)   # type: ignore[arg-type]
    assert gc.get_threshold() == before

    def crash(job: object) -> dict[str, object]:
        raise KeyError("a bug")

    monkeypatch.setattr(jobs, "run_job", crash)
    with pytest.raises(KeyError):
        jobs._safe_job("a job")   # type: ignore[arg-type]
    assert gc.get_threshold() == before
