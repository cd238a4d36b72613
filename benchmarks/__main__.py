"""Run every benchmark and print medians and ratios side by side.

    python -m benchmarks            # everything
    python -m benchmarks --quick    # fewer repeats

Targets (not asserted anywhere; these are measurements, not tests):
The plain-numpy loop records the same history as nnkit's fit (the epoch's
mean loss and training accuracy), so both do the same work.

(a) penguins 4-10-3, 200 full-batch SGD epochs and (c) digits 64-64-10,
minibatch 32, 20 epochs: no slower than the plain-numpy loop and at most
0.6x scikit-learn's time; (b) one slider retrain (build + one step) <= 0.3 ms;
(d) 60000 x 784 float32 -> 256 -> 10, minibatch 128, one epoch: within 1.1x of
PyTorch CPU; import nnkit <= 150 ms; dashboard retrain <= 0.5 s; playground
step of 10 epochs on 500 points <= 50 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys

import numpy as np

import nnkit as nk

from .frameworks import CONTENDERS, torch_available
from .timing import format_seconds, median_seconds, median_seconds_side_by_side, print_table


def _contenders():
    names = ["nnkit", "plain numpy loop", "scikit-learn MLP"]
    if torch_available():
        import torch

        torch.set_num_threads(os.cpu_count() or 1)
        names.append("PyTorch CPU")
    return names


def _penguins():
    from sklearn.preprocessing import StandardScaler

    data = nk.datasets.load_penguins()
    return StandardScaler().fit_transform(data.X), data.y


def bench_compare(title, X, y, sizes, lr, epochs, batch_size, repeat, target):
    runs = {
        name: lambda run=CONTENDERS[name]: run(X, y, sizes, lr, epochs, batch_size)
        for name in _contenders()
    }
    results = median_seconds_side_by_side(runs, repeat=repeat)
    print_table(title, results, target=target)
    return results


def bench_slider_retrain(repeat: int) -> float:
    """(b) what one slider move costs before drawing: build a net and take one step."""
    X, y = _penguins()
    loss = nk.CrossEntropy()

    def retrain():
        model = nk.mlp([4, 10, 3], activation="relu", seed=0)
        optimizer = nk.SGD(lr=0.1)
        loss.compute(model.forward(X, check=False), y)
        model.backward(loss.backward())
        optimizer.step(model)

    seconds = median_seconds(retrain, repeat=max(repeat * 20, 50))
    print("\n(b) one slider retrain: build 4-10-3 + one full-batch step on penguins")
    print("  target: <= 0.3 ms")
    print(f"  nnkit                 {format_seconds(seconds)}")
    return seconds


def bench_import(repeat: int) -> float:
    code = "import time; t = time.perf_counter(); import nnkit; print(time.perf_counter() - t)"
    times = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        times.append(float(out))
    seconds = float(np.median(times))
    print("\nimport nnkit in a fresh process (numpy included)")
    print("  target: <= 150 ms")
    print(f"  nnkit                 {format_seconds(seconds)}")
    return seconds


def bench_interactive(repeat: int) -> None:
    try:
        from . import interactive
    except ImportError as error:  # the lesson widgets are not there yet
        print(f"\n(interactive benchmarks unavailable: {error})")
        return
    interactive.main(repeat=repeat)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--skip-large", action="store_true", help="skip benchmark (d)")
    parser.add_argument(
        "--skip-accuracy",
        action="store_true",
        help="skip the nnkit.sklearn vs scikit-learn accuracy table",
    )
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else 5
    print(
        f"nnkit benchmarks on {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, numpy {np.__version__}, python {platform.python_version()}"
    )
    if not torch_available():
        print("PyTorch is not installed: its column is left out (pip install -e '.[torch]')")

    X, y = _penguins()
    for X_run in (X, X.astype(np.float32)):
        bench_compare(
            f"(a) penguins 4-10-3, 200 full-batch SGD epochs, {X_run.dtype}",
            X_run,
            y,
            [4, 10, 3],
            0.1,
            200,
            None,
            repeat,
            "no slower than the plain numpy loop, <= 0.6x scikit-learn",
        )
    bench_slider_retrain(repeat)

    from sklearn.datasets import load_digits

    digits = load_digits()
    X_digits = digits.data / 16.0
    for X_run in (X_digits, X_digits.astype(np.float32)):
        bench_compare(
            f"(c) digits 64-64-10, minibatch 32, 20 epochs, {X_run.dtype}",
            X_run,
            digits.target,
            [64, 64, 10],
            0.1,
            20,
            32,
            repeat,
            "no slower than the plain numpy loop, <= 0.6x scikit-learn",
        )

    if not args.skip_large:
        rng = np.random.default_rng(0)
        X_big = rng.normal(size=(60000, 784)).astype(np.float32)
        y_big = rng.integers(0, 10, size=60000)
        bench_compare(
            "(d) 60000 x 784 float32 -> 256 -> 10, minibatch 128, one epoch",
            X_big,
            y_big,
            [784, 256, 10],
            0.01,
            1,
            128,
            max(repeat - 2, 1),
            "within 1.1x of PyTorch CPU",
        )
    bench_import(repeat)
    bench_interactive(repeat)
    if not args.skip_accuracy:
        from . import sklearn_accuracy

        sklearn_accuracy.main(quick=args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
