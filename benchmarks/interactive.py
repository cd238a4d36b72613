"""How long the lesson widgets make a student wait.

    python -m benchmarks.interactive

Targets: the training dashboard's default retrain (4-8-3, 100 full-batch
epochs, redraw included) <= 0.5 s; a playground step of 10 epochs on 500
points (redraw included) <= 50 ms.
"""

from __future__ import annotations

import statistics
import time

import matplotlib

matplotlib.use("Agg")


def _median(times: list[float]) -> float:
    return statistics.median(times)


def dashboard_retrain_seconds(repeat: int = 5) -> float:
    """Median time from a changed setting (the seed) to the new picture, default dashboard."""
    from nnkit.widgets import TrainingDashboard

    dashboard = TrainingDashboard()
    seed = dashboard.controls["seed"]
    times = []
    for k in range(repeat):
        start = time.perf_counter()
        seed.value = k + 1  # every change retrains the default 4-8-3 net and redraws
        times.append(time.perf_counter() - start)
    dashboard.close()
    return _median(times)


def dashboard_training_seconds(repeat: int = 5) -> float:
    """Median time of the training alone (what ``train_seconds`` reports)."""
    from nnkit.widgets import TrainingDashboard

    dashboard = TrainingDashboard()
    times = []
    for k in range(repeat):
        dashboard.controls["seed"].value = k + 1
        times.append(dashboard.train_seconds)
    dashboard.close()
    return _median(times)


def playground_step_seconds(repeat: int = 15, epochs: int = 10, n_points: int = 500) -> float:
    """Median time of ``Playground.step(10)`` on 500 points, training and redraw included.

    The playground caches the picture of its axes and redraws it only when
    the loss axis grows (a few times, at doubling epoch counts), so the
    median is the usual step; those occasional full redraws cost about 60 ms more.
    """
    from nnkit.widgets import Playground

    playground = Playground(n_points=n_points)
    playground.step(epochs)  # warm-up: first full draw of the cached background
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        playground.step(epochs)
        times.append(time.perf_counter() - start)
    playground.close()
    return _median(times)


def main(repeat: int = 5) -> None:
    retrain = dashboard_retrain_seconds(repeat)
    training = dashboard_training_seconds(repeat)
    step = playground_step_seconds(max(repeat * 3, 9))
    print("\ninteractive widgets (median, redraw included)")
    print(
        f"  dashboard default retrain    {retrain * 1e3:8.1f} ms   target <= 500 ms "
        f"(training alone {training * 1e3:.1f} ms)"
    )
    print(f"  playground step, 10 epochs   {step * 1e3:8.1f} ms   target <= 50 ms")


if __name__ == "__main__":
    main()
