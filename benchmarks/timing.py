"""Timing helpers: medians of repeated runs, and a table of ratios."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(run: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    """Median wall-clock time of ``run()`` over ``repeat`` calls after ``warmup`` calls."""
    return median_seconds_side_by_side({"run": run}, repeat, warmup)["run"]


def median_seconds_side_by_side(
    runs: dict[str, Callable[[], object]], repeat: int = 5, warmup: int = 1
) -> dict[str, float]:
    """Median wall-clock time of each run, the runs taking turns: one call of each, then
    the next round. On a shared machine the load drifts over seconds; taking turns puts
    every contender under the same drift, so the ratios stay fair where one block of
    repeats after another would not."""
    for _ in range(warmup):
        for run in runs.values():
            run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def format_seconds(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:8.1f} us"
    if seconds < 1:
        return f"{seconds * 1e3:8.2f} ms"
    return f"{seconds:8.2f} s "


def print_table(
    title: str, results: dict[str, float], baseline: str = "nnkit", target: str = ""
) -> None:
    """One block per benchmark: each contender's median and its ratio to nnkit."""
    print(f"\n{title}")
    if target:
        print(f"  target: {target}")
    base = results.get(baseline)
    for name, seconds in results.items():
        ratio = f"{seconds / base:6.2f}x nnkit" if base else ""
        print(f"  {name:<22}{format_seconds(seconds)}   {ratio}")
