"""Checks run at every public entry point, so mistakes fail early and clearly.

Each message names the argument, what was expected and what came in.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np

from .errors import NNKitTypeError, NNKitValueError


def _numeric_array(values, name: str) -> np.ndarray:
    """Turn ``values`` into a float array without silently coercing strings."""
    if isinstance(values, str):
        raise NNKitTypeError(f"{name} must be numbers, got the string {values!r}")
    array = np.asarray(values)
    if array.dtype == object or array.dtype.kind in "USV":
        raise NNKitTypeError(
            f"{name} must hold numbers only, got values of type {array.dtype}; "
            "convert text columns to numbers (or drop them) first"
        )
    if array.dtype.kind == "b":
        array = array.astype(np.float64)
    if array.dtype.kind in "iu":
        array = array.astype(np.float64)
    if array.dtype.kind == "c":
        raise NNKitTypeError(f"{name} must be real numbers, got complex values")
    if array.dtype not in (np.float32, np.float64):
        array = array.astype(np.float64)
    return array


def as_float(values) -> np.ndarray:
    """``values`` as a float array: float32 stays float32, anything else (lists, ints) float64."""
    values = np.asarray(values)
    # dtype.char "f" is float32, "d" float64 (a cheaper test than comparing dtypes)
    return values if values.dtype.char in "fd" else values.astype(np.float64)


def forward_first(cached, owner, what: str):
    """Return ``cached`` (set by forward), or say clearly that forward has not run yet."""
    if cached is None:
        raise NNKitValueError(
            f"call forward before backward: {type(owner).__name__} has no cached {what} yet "
            "(backward needs what forward computed)"
        )
    return cached


def check_features(
    X,
    name: str = "X",
    n_features: int | None = None,
    expected_by: str = "the first Dense layer",
    dtype=None,
) -> np.ndarray:
    """Return ``X`` as a 2-D float array of shape (n_samples, n_features), or raise.

    ``expected_by`` names who expects ``n_features`` in the error message;
    ``dtype`` converts X to that precision (the model's) once, here.
    """
    X = _numeric_array(X, name)
    if X.ndim == 1:
        raise NNKitValueError(
            f"{name} must be 2-D with shape (n_samples, n_features), got a 1-D array of "
            f"shape {X.shape}; use {name}.reshape(1, -1) for one sample or "
            f"{name}.reshape(-1, 1) for one feature"
        )
    if X.ndim != 2:
        raise NNKitValueError(
            f"{name} must be 2-D with shape (n_samples, n_features), got shape {X.shape}"
        )
    if X.shape[0] == 0:
        raise NNKitValueError(f"{name} is empty: it has 0 samples (shape {X.shape})")
    if X.shape[1] == 0:
        raise NNKitValueError(f"{name} has 0 features (shape {X.shape})")
    if not np.all(np.isfinite(X)):
        bad = int(np.size(X) - np.count_nonzero(np.isfinite(X)))
        raise NNKitValueError(
            f"{name} contains {bad} NaN or infinite value(s); drop or fill them before "
            "training (for example with load_csv(..., drop_missing=True))"
        )
    if n_features is not None and X.shape[1] != n_features:
        raise NNKitValueError(
            f"{name} has {X.shape[1]} features but {expected_by} expects {n_features}"
        )
    return X if dtype is None else X.astype(dtype, copy=False)


def check_labels(
    y, n_samples: int | None = None, n_classes: int | None = None, name: str = "y"
) -> np.ndarray:
    """Return integer class labels of shape (n_samples,), or raise."""
    if isinstance(y, str):
        raise NNKitTypeError(f"{name} must be integer class labels, got the string {y!r}")
    y = np.asarray(y)
    if y.dtype == object or y.dtype.kind in "USV":
        raise NNKitTypeError(
            f"{name} must be integer class labels 0..C-1, got values of type {y.dtype}; "
            "turn class names into numbers first (for example with "
            "sklearn.preprocessing.LabelEncoder)"
        )
    if y.ndim != 1:
        raise NNKitValueError(
            f"{name} must be 1-D class labels of shape (n_samples,), got shape {y.shape}"
        )
    if y.size == 0:
        raise NNKitValueError(f"{name} is empty: it has 0 labels")
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)):
            raise NNKitValueError(f"{name} contains NaN or infinite labels")
        if not np.all(y == np.round(y)):
            raise NNKitValueError(
                f"{name} must hold whole-number class labels, got fractional values such as "
                f"{y[y != np.round(y)][0]}"
            )
    elif y.dtype.kind not in "iub":
        raise NNKitTypeError(f"{name} must be integer class labels, got dtype {y.dtype}")
    y = y.astype(np.int64)
    if n_samples is not None and y.shape[0] != n_samples:
        raise NNKitValueError(
            f"X has {n_samples} samples but {name} has {y.shape[0]} labels; they must match"
        )
    if y.min() < 0 or (n_classes is not None and y.max() >= n_classes):
        high = "" if n_classes is None else f" (the output layer has {n_classes} neurons)"
        raise NNKitValueError(
            f"{name} has labels out of range: found {y.min()}..{y.max()} but labels must be "
            f"0..{'C-1' if n_classes is None else n_classes - 1}{high}"
        )
    return y


def check_targets(y, shape: tuple[int, ...], name: str = "targets") -> np.ndarray:
    """Return regression targets with exactly ``shape``, or raise."""
    y = _numeric_array(y, name)
    if y.shape != tuple(shape):
        raise NNKitValueError(
            f"{name} must have the same shape as the predictions {tuple(shape)}, got {y.shape}"
        )
    if not np.all(np.isfinite(y)):
        raise NNKitValueError(f"{name} contains NaN or infinite values")
    return y


def check_number(
    value,
    name: str,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
) -> float:
    """Return ``value`` as a finite float inside [low, high], or raise."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise NNKitTypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not math.isfinite(value):
        raise NNKitValueError(f"{name} must be a finite number, got {value}")
    if low is not None and (value < low or (value == low and not low_inclusive)):
        sign = ">=" if low_inclusive else ">"
        raise NNKitValueError(f"{name} must be {sign} {low}, got {value}")
    if high is not None and value > high:
        raise NNKitValueError(f"{name} must be <= {high}, got {value}")
    return value


def check_learning_rate(lr) -> float:
    """A learning rate must be a finite number > 0."""
    if isinstance(lr, bool) or not isinstance(lr, Real):
        raise NNKitTypeError(f"lr (learning rate) must be a number, got {lr!r}")
    lr = float(lr)
    if not math.isfinite(lr) or lr <= 0:
        raise NNKitValueError(
            f"lr (learning rate) must be a finite number > 0, got {lr}; try 0.01 or 0.1"
        )
    return lr


def check_int(value, name: str, low: int = 1, allow_none: bool = False) -> int | None:
    """Return ``value`` as an int >= ``low``, or raise."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise NNKitTypeError(f"{name} must be a whole number, got {value!r}")
    if value < low:
        raise NNKitValueError(f"{name} must be >= {low}, got {value}")
    return int(value)
