"""Data sets: the Palmer penguins, 2-D toy sets, and your own CSV files.

All data ships with nnkit (nothing is downloaded) and every random data set
takes a ``seed``. Features come back as float64 arrays X (n_samples,
n_features) and labels as int64 arrays y (n_samples,).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .errors import NNKitTypeError, NNKitValueError
from .validation import check_int, check_number

PENGUIN_FEATURES = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
PENGUIN_CLASSES = ["Adelie", "Chinstrap", "Gentoo"]


@dataclass
class Dataset:
    """Features X (n_samples, n_features), labels y (n_samples,) and their names.

    Unpacks like a pair: ``X, y = load_penguins()``.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: list[str] = field(default_factory=list)
    class_names: list[str] = field(default_factory=list)
    name: str = ""

    def __iter__(self):
        return iter((self.X, self.y))

    def __len__(self) -> int:
        return len(self.y)

    def __repr__(self) -> str:
        return (
            f"Dataset({self.name!r}: {self.X.shape[0]} samples, "
            f"{self.X.shape[1]} features {self.feature_names}, "
            f"classes {self.class_names})"
        )


def data_dir() -> Path:
    """Folder holding the shipped CSV files (inside the installed package, or the checkout)."""
    packaged = Path(__file__).parent / "_datasets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "datasets"


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        raise NNKitValueError(f"{path} is empty: expected a header row and data rows")
    header = [name.strip() for name in rows[0]]
    body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    if not body:
        raise NNKitValueError(f"{path} has a header but no data rows")
    return header, body


MISSING = {"", "na", "nan", "null", "none"}


def load_csv(
    path,
    target: str,
    features: list[str] | None = None,
    drop_missing: bool = False,
    class_names: list[str] | None = None,
) -> Dataset:
    """Load your own data: numeric feature columns and one ``target`` column.

    The target may hold class names (text) or integers; classes are numbered
    in sorted order (or in the order of ``class_names``). ``features``
    picks columns (default: every column except the target). Rows with
    missing values raise an error unless ``drop_missing=True``.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no CSV file at {path}")
    header, body = _read_csv(path)
    if target not in header:
        raise NNKitValueError(f"{path} has no column {target!r}; its columns are {header}")
    features = [name for name in header if name != target] if features is None else list(features)
    for name in features:
        if name not in header:
            raise NNKitValueError(f"{path} has no feature column {name!r}; columns are {header}")
    if not features:
        raise NNKitValueError(f"{path} has no feature columns besides the target {target!r}")
    columns = [header.index(name) for name in features]
    target_column = header.index(target)

    X_rows, labels = [], []
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise NNKitValueError(
                f"{path}, line {line}: expected {len(header)} values, found {len(row)}"
            )
        cells = [row[c].strip() for c in columns]
        label = row[target_column].strip()
        if any(cell.lower() in MISSING for cell in cells) or label.lower() in MISSING:
            if drop_missing:
                continue
            raise NNKitValueError(
                f"{path}, line {line} has a missing value; fill it in, or pass "
                "drop_missing=True to skip such rows"
            )
        values = []
        for name, cell in zip(features, cells):
            try:
                values.append(float(cell))
            except ValueError:
                raise NNKitTypeError(
                    f"{path}, line {line}: column {name!r} must be numeric, found {cell!r}; "
                    "leave it out with features=[...] or turn it into numbers first"
                ) from None
        X_rows.append(values)
        labels.append(label)
    if not X_rows:
        raise NNKitValueError(f"{path}: no rows left after dropping missing values")
    X = np.array(X_rows, dtype=np.float64)
    if not np.all(np.isfinite(X)):
        raise NNKitValueError(f"{path} contains infinite values")
    if class_names is None:
        try:
            numbers = sorted({int(label) for label in labels})
            class_names = [str(n) for n in numbers]
        except ValueError:
            class_names = sorted(set(labels))
    lookup = {name: i for i, name in enumerate(class_names)}
    unknown = sorted(set(labels) - set(lookup))
    if unknown:
        raise NNKitValueError(f"{path}: target values {unknown} are not in {class_names}")
    y = np.array([lookup[label] for label in labels], dtype=np.int64)
    return Dataset(X, y, list(features), list(class_names), name=path.stem)


def load_penguins() -> Dataset:
    """The Palmer penguins: 4 measurements -> 3 species, 342 complete rows.

    Features: bill length (mm), bill depth (mm), flipper length (mm), body
    mass (g). Classes: 0 Adelie, 1 Chinstrap, 2 Gentoo.
    """
    data = load_csv(
        data_dir() / "penguins.csv",
        target="species",
        features=PENGUIN_FEATURES,
        drop_missing=True,
        class_names=PENGUIN_CLASSES,
    )
    data.name = "penguins"
    return data


class Split(NamedTuple):
    """A training part and a test part, scaled; unpacks like a 5-tuple.

    X_train (n_train, n_features), X_test (n_test, n_features), y_train,
    y_test, and the fitted scikit-learn ``StandardScaler`` (to scale new
    rows the same way: ``scaler.transform(X_new)``).
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    scaler: Any


def split_and_scale(X, y, test_size: float = 0.25, seed: int | None = 0) -> Split:
    """Split (stratified, so each class keeps its share), then scale both parts.

    The scaler learns each feature's mean and spread from the training part
    only: the test part must stay unseen, even by the scaler. Both parts
    then get mean about 0 and spread about 1 per feature, measured on the
    training part. Loads scikit-learn.
    """
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    test_size = check_number(test_size, "test_size", low=0.0, high=1.0, low_inclusive=False)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, stratify=y, random_state=seed
    )
    scaler = StandardScaler().fit(X_train)
    return Split(scaler.transform(X_train), scaler.transform(X_test), y_train, y_test, scaler)


def penguin_split(test_size: float = 0.25, seed: int | None = 0) -> Split:
    """The penguins, split and scaled with ``split_and_scale`` (the lessons' split)."""
    data = load_penguins()
    return split_and_scale(data.X, data.y, test_size=test_size, seed=seed)


def _check(n, noise, seed):
    n = check_int(n, "n", low=2)
    noise = check_number(noise, "noise", low=0.0)
    return n, noise, seed


def make_xor(n: int = 200, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Points in [-1, 1]^2; class 1 when x1 and x2 have different signs."""
    n, noise, seed = _check(n, noise, seed)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    # keep points off the axes so the classes stay separable at noise 0
    X += np.sign(X) * 0.05
    y = (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(np.int64)
    X = X + rng.normal(0, noise * 0.5, size=X.shape)
    return Dataset(X, y, ["x1", "x2"], ["same sign", "different sign"], name="xor")


def make_spiral(
    n: int = 300, n_classes: int = 2, noise: float = 0.1, seed: int | None = 0
) -> Dataset:
    """Interleaved spiral arms, one per class (``n`` points in all)."""
    n, noise, seed = _check(n, noise, seed)
    n_classes = check_int(n_classes, "n_classes", low=2)
    rng = np.random.default_rng(seed)
    y = np.arange(n) % n_classes
    radius = np.linspace(0.05, 1.0, n)[np.argsort(np.argsort(rng.random(n)))]
    angle = radius * 3.5 + y * 2 * math.pi / n_classes
    angle = angle + rng.normal(0, noise, size=n)
    X = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return Dataset(
        X, y.astype(np.int64), ["x1", "x2"], [f"arm {k}" for k in range(n_classes)], name="spiral"
    )


def make_gauss(n: int = 200, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Two Gaussian blobs (scikit-learn's make_blobs), spread grows with noise."""
    from sklearn.datasets import make_blobs

    n, noise, seed = _check(n, noise, seed)
    X, y = make_blobs(
        n_samples=n, centers=[[-0.5, -0.5], [0.5, 0.5]], cluster_std=0.15 + noise, random_state=seed
    )
    return Dataset(X, y.astype(np.int64), ["x1", "x2"], ["blob 0", "blob 1"], name="gauss")


def make_circles(n: int = 200, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """A ring around a disc (scikit-learn's make_circles)."""
    from sklearn.datasets import make_circles as sk_circles

    n, noise, seed = _check(n, noise, seed)
    X, y = sk_circles(n_samples=n, noise=noise, factor=0.5, random_state=seed)
    return Dataset(X, y.astype(np.int64), ["x1", "x2"], ["outer", "inner"], name="circles")


def make_moons(n: int = 200, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Two interleaving half moons (scikit-learn's make_moons), centred near 0."""
    from sklearn.datasets import make_moons as sk_moons

    n, noise, seed = _check(n, noise, seed)
    X, y = sk_moons(n_samples=n, noise=noise, random_state=seed)
    X = (X - [0.5, 0.25]) / 1.5
    return Dataset(X, y.astype(np.int64), ["x1", "x2"], ["moon 0", "moon 1"], name="moons")


TOY_DATASETS = {
    "circles": make_circles,
    "xor": make_xor,
    "gauss": make_gauss,
    "spiral": make_spiral,
    "moons": make_moons,
}
