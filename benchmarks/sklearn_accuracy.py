"""nnkit.sklearn.MLPClassifier against scikit-learn's, same settings, side by side.

    python -m benchmarks.sklearn_accuracy           # 10 stratified splits per data set
    python -m benchmarks.sklearn_accuracy --quick   # 2 splits
    python -m benchmarks.sklearn_accuracy --ablation   # + where nnkit's fit loses accuracy

For each of scikit-learn's bundled iris, wine, breast_cancer and digits: 10
stratified 75/25 splits; the features are standardised on the training part;
both estimators get the same keyword arguments (one hidden layer of 32 ReLU
units, Adam at 1e-3, batch 32, at most 150 epochs, alpha 1e-4, tol 1e-4,
random_state = the split number). The table shows the mean test accuracy of
each, their difference, the median fit time of each and the time ratio.
Times are the process's CPU time (``time.process_time``) for ``fit`` alone,
the fastest of 3 runs (1 with ``--quick``):
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


def compare(name: str, n_splits: int = 10, settings: dict | None = None, repeat: int = 1) -> dict:
    """Fit both classifiers on ``n_splits`` stratified splits of data set ``name``.

    Each fit is timed ``repeat`` times (the two estimators taking turns) and
    the fastest counts: the same fit, so the extra time of the slower runs is
    only what the rest of the machine took. Returns a dict with the per-split
    test accuracies and fit times of each ("nnkit", "sklearn": arrays of
    shape (n_splits,)) under "accuracy" and "seconds".
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
        fastest = {"nnkit": np.inf, "sklearn": np.inf}
        score = {}
        for _ in range(repeat):
            for label, cls in (("nnkit", NkMLP), ("sklearn", SkMLP)):
                model = cls(random_state=seed, **settings)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    start = time.process_time()
                    model.fit(X_train, y[train])
                    fastest[label] = min(fastest[label], time.process_time() - start)
                score[label] = model.score(X_test, y[test])  # the same every repeat
        for label in fastest:
            seconds[label].append(fastest[label])
            accuracy[label].append(score[label])
    return {
        "accuracy": {k: np.array(v) for k, v in accuracy.items()},
        "seconds": {k: np.array(v) for k, v in seconds.items()},
    }


ABLATION = (
    "nk.mlp + fit (He-normal, zero biases, no L2, 150 epochs)",
    "+ Glorot-uniform weights",
    "+ random biases U(-b, b)",
    "+ L2 alpha=1e-4 (alpha / 2n ||W||^2)",
    "+ tol / n_iter_no_change stop = nnkit.sklearn",
    "scikit-learn MLPClassifier",
)


def _glorot_uniform(model, rng: np.random.RandomState, biases: bool) -> None:
    """Overwrite each Dense layer's weights (and biases) with scikit-learn's draws."""
    import nnkit as nk

    for dense in (layer for layer in model.layers if isinstance(layer, nk.Dense)):
        bound = np.sqrt(6.0 / (dense.n_inputs + dense.n_neurons))
        dense.weights = rng.uniform(-bound, bound, dense.weights.shape)
        bias = rng.uniform(-bound, bound, dense.bias.shape)
        if biases:
            dense.bias = bias


def ablation(name: str, n_splits: int = 10) -> dict[str, tuple[float, float]]:
    """Where the gap between nnkit's fit and scikit-learn's MLP comes from.

    Starts from nnkit's teaching defaults (``nk.mlp`` + ``model.fit`` with
    Adam 1e-3, batch 32, 150 epochs) and switches scikit-learn's choices on
    one at a time. Returns {variant: (mean test accuracy, mean final training loss)}.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import StratifiedShuffleSplit
    from sklearn.neural_network import MLPClassifier as SkMLP
    from sklearn.preprocessing import StandardScaler

    import nnkit as nk
    from nnkit.sklearn import MLPClassifier as NkMLP

    X, y = load(name)
    n_classes = len(np.unique(y))
    splits = StratifiedShuffleSplit(n_splits=n_splits, test_size=0.25, random_state=0)
    scores: dict[str, list[tuple[float, float]]] = {variant: [] for variant in ABLATION}
    for seed, (train, test) in enumerate(splits.split(X, y)):
        scaler = StandardScaler().fit(X[train])
        X_train, X_test = scaler.transform(X[train]), scaler.transform(X[test])
        for k, variant in enumerate(ABLATION[:4]):
            model = nk.mlp([X.shape[1], 32, n_classes], activation="relu", seed=seed)
            if k >= 1:
                _glorot_uniform(model, np.random.RandomState(seed), biases=k >= 2)
            # scikit-learn's L2 gradient is alpha / batch_size * weights
            optimizer = nk.Adam(lr=1e-3, weight_decay=1e-4 / 32 if k >= 3 else 0.0)
            history = model.fit(
                X_train, y[train], optimizer=optimizer, epochs=150, batch_size=32, seed=seed
            )
            accuracy = float(np.mean(model.predict(X_test) == y[test]))
            scores[variant].append((accuracy, history.loss[-1]))
        for variant, cls in ((ABLATION[4], NkMLP), (ABLATION[5], SkMLP)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model = cls(random_state=seed, **SETTINGS).fit(X_train, y[train])
            scores[variant].append((model.score(X_test, y[test]), model.loss_curve_[-1]))
    return {
        variant: (float(np.mean([a for a, _ in rows])), float(np.mean([b for _, b in rows])))
        for variant, rows in scores.items()
    }


def print_ablation(n_splits: int = 10, names: tuple[str, ...] = ("iris", "wine")) -> None:
    """Print the ablation table: mean test accuracy and final training loss per step."""
    results = {name: ablation(name, n_splits) for name in names}
    print(f"\nwhere the gap comes from: {n_splits} stratified splits, one change at a time")
    print("  (training loss: nnkit's fit reports cross-entropy only; the estimators add L2)")
    head = "".join(f"{name + ' acc':>12}{'loss':>8}" for name in names)
    print(f"  {'variant':<58}{head}")
    for variant in ABLATION:
        row = "".join(
            f"{100 * results[name][variant][0]:>11.1f}%{results[name][variant][1]:>8.3f}"
            for name in names
        )
        print(f"  {variant:<58}{row}")


def main(argv: list[str] | None = None, quick: bool | None = None) -> dict:
    """Print the accuracy and time table; returns the results per data set."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="2 splits instead of 10")
    parser.add_argument(
        "--ablation",
        action="store_true",
        help="also show where nnkit's fit loses accuracy against scikit-learn (iris, wine)",
    )
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
        result = compare(name, n_splits, repeat=1 if quick else 3)
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
        "  fit: median CPU time of one fit (fastest of the repeats); ratio: median over"
        " splits of nnkit / scikit-learn; worst: the largest"
    )
    if args.ablation:
        print_ablation(n_splits)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
    sys.exit(0)
