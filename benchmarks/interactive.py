"""How long the lesson widgets make a student wait.

    python -m benchmarks.interactive

Targets: the training dashboard's default retrain (4-8-3, 100 full-batch
epochs, redraw included) <= 0.5 s; a playground step of 10 epochs on 500
points (redraw included) <= 50 ms.
"""

from __future__ import annotations

import statistics

import matplotlib

matplotlib.use("Agg")

from .timing import median_seconds  # noqa: E402


def dashboard_retrain_seconds(repeat: int = 5) -> float:
    """Median time from a changed setting (the seed) to the new picture, default dashboard."""
    from nnkit.widgets import TrainingDashboard

    dashboard = TrainingDashboard()
    seed = dashboard.controls["seed"]

    def new_seed() -> None:
        seed.value += 1  # every change retrains the default 4-8-3 net and redraws

    seconds = median_seconds(new_seed, repeat=repeat, warmup=0)
    dashboard.close()
    return seconds


def dashboard_training_seconds(repeat: int = 5) -> float:
    """Median time of the training alone (what ``train_seconds`` reports)."""
    from nnkit.widgets import TrainingDashboard

    dashboard = TrainingDashboard()
    times = []
    for k in range(repeat):
        dashboard.controls["seed"].value = k + 1
        times.append(dashboard.train_seconds)
    dashboard.close()
    return statistics.median(times)


def playground_step_seconds(repeat: int = 15, epochs: int = 10, n_points: int = 500) -> float:
    """Median time of ``Playground.step(10)`` on 500 points, training and redraw included.

    The playground caches the picture of its axes and redraws it only when
    the loss axis grows (a few times, at doubling epoch counts), so the
    median is the usual step; those occasional full redraws cost about 60 ms more.
    """
    from nnkit.widgets import Playground

    playground = Playground(n_points=n_points)
    # the warm-up call makes the first full draw of the cached background
    seconds = median_seconds(lambda: playground.step(epochs), repeat=repeat, warmup=1)
    playground.close()
    return seconds


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
