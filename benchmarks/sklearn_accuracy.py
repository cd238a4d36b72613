"""nnkit.sklearn.MLPClassifier against scikit-learn's, same settings, side by side.

    python -m benchmarks.sklearn_accuracy           # 10 stratified splits per data set
    python -m benchmarks.sklearn_accuracy --quick   # 2 splits

For each of scikit-learn's bundled iris, wine, breast_cancer and digits: 10
stratified 75/25 splits; the features are standardised on the training part;
both estimators get the same keyword arguments (one hidden layer of 32 ReLU
units, Adam at 1e-3, batch 32, at most 150 epochs, alpha 1e-4, tol 1e-4,
random_state = the split number). The table shows the mean test accuracy of
each, their difference, the median fit time of each and the time ratio.
Times are the process's CPU time (``time.process_time``) for ``fit`` alone:
on a machine shared with other work they move much less than wall-clock
time, and both fits are single-threaded numpy code (on a quiet machine the two
agree).

Targets (issue 12; measurements, not tests): mean accuracy within 1 point of
scikit-learn's or better, and each fit at most 0.5x scikit-learn's time.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings

import numpy as np

SETTINGS = {
    "hidden_layer_sizes": (32,),
    "activation": "relu",
    "solver": "adam",
    "learning_rate_init": 1e-3,
    "batch_size": 32,
    "max_iter": 150,
}
DATASETS = ("iris", "wine", "breast_cancer", "digits")


def load(name: str) -> tuple[np.ndarray, np.ndarray]:
    """One of scikit-learn's bundled data sets as (X (n_samples, n_features), y (n_samples,))."""
    from sklearn import datasets

    return getattr(datasets, f"load_{name}")(return_X_y=True)


def compare(name: str, n_splits: int = 10, settings: dict | None = None) -> dict:
    """Fit both classifiers on ``n_splits`` stratified splits of data set ``name``.

    Returns a dict with the per-split test accuracies and fit times of each
    ("nnkit", "sklearn": arrays of shape (n_splits,)) under "accuracy" and "seconds".
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import StratifiedShuffleSplit
    from sklearn.neural_network import MLPClassifier as SkMLP
    from sklearn.preprocessing import StandardScaler

    from nnkit.sklearn import MLPClassifier as NkMLP

    settings = {**SETTINGS, **(settings or {})}
    X, y = load(name)
    splits = StratifiedShuffleSplit(n_splits=n_splits, test_size=0.25, random_state=0)
    accuracy = {"nnkit": [], "sklearn": []}
    seconds = {"nnkit": [], "sklearn": []}
    for seed, (train, test) in enumerate(splits.split(X, y)):
        scaler = StandardScaler().fit(X[train])
        X_train, X_test = scaler.transform(X[train]), scaler.transform(X[test])
        for label, cls in (("nnkit", NkMLP), ("sklearn", SkMLP)):
            model = cls(random_state=seed, **settings)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                start = time.process_time()
                model.fit(X_train, y[train])
                seconds[label].append(time.process_time() - start)
            accuracy[label].append(model.score(X_test, y[test]))
    return {
        "accuracy": {k: np.array(v) for k, v in accuracy.items()},
        "seconds": {k: np.array(v) for k, v in seconds.items()},
    }


def main(argv: list[str] | None = None, quick: bool | None = None) -> dict:
    """Print the accuracy and time table; returns the results per data set."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="2 splits instead of 10")
    args = parser.parse_args(argv if argv is not None else [])
    quick = args.quick if quick is None else quick
    n_splits = 2 if quick else 10
    print(
        f"\nnnkit.sklearn.MLPClassifier vs sklearn.neural_network.MLPClassifier, "
        f"{n_splits} stratified splits (75/25, standardised)"
    )
    print(f"  same settings for both: {SETTINGS}")
    print("  target: accuracy within 1 point of scikit-learn's or better; time <= 0.5x")
    header = (
        f"  {'data set':<14}{'nnkit acc':>10}{'sklearn acc':>12}{'diff':>8}"
        f"{'nnkit fit':>12}{'sklearn fit':>13}{'ratio':>8}{'worst':>8}"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    results = {}
    for name in DATASETS:
        result = compare(name, n_splits)
        results[name] = result
        acc, sec = result["accuracy"], result["seconds"]
        diff = 100 * (acc["nnkit"].mean() - acc["sklearn"].mean())
        ratios = sec["nnkit"] / sec["sklearn"]
        print(
            f"  {name:<14}{100 * acc['nnkit'].mean():>9.1f}%{100 * acc['sklearn'].mean():>11.1f}%"
            f"{diff:>+7.1f} {1e3 * np.median(sec['nnkit']):>9.1f} ms"
            f"{1e3 * np.median(sec['sklearn']):>10.1f} ms{np.median(ratios):>7.2f}x"
            f"{ratios.max():>7.2f}x"
        )
    print(
        "  fit: median CPU time of one fit; ratio: median over splits of nnkit / scikit-learn;"
        " worst: the largest"
    )
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
    sys.exit(0)
