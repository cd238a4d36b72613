"""Exercise 5: an honest split, the training loop, and the test accuracy on the penguins."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...losses import CrossEntropy
from ...network import Sequential, mlp
from ...optimizers import SGD
from ...training import fit
from ..base import CheckResult
from ._common import Mistake, as_array, close, run_check

# the loop is the exercise: nnkit's fit would do it for the student
SWITCHED = [fit, (Sequential, ("fit",))]
_SPLIT = "lesson 7, 'Split, then scale'"
_LOOP = "lesson 7, 'The training loop, by hand'"


def check_split_rows(X_train, X_test, y_train, y_test, strict: bool = True) -> CheckResult:
    """Rows, not columns, are split; about a quarter is kept for testing; labels match."""

    def test() -> None:
        train, test_rows = as_array(X_train, "X_train"), as_array(X_test, "X_test")
        if train.ndim != 2 or test_rows.ndim != 2 or train.shape[1] != test_rows.shape[1]:
            raise Mistake(
                f"X_train {train.shape} and X_test {test_rows.shape} should be tables with "
                "the same columns",
                f"a split shares out the rows (the penguins), not the columns ({_SPLIT})",
            )
        n_total = len(train) + len(test_rows)
        if not 0.15 <= len(test_rows) / n_total <= 0.5:
            raise Mistake(
                f"the test part holds {len(test_rows)} of {n_total} rows",
                f"keep about a quarter of the rows for testing, as the exercise says ({_SPLIT})",
            )
        if len(np.ravel(y_train)) != len(train) or len(np.ravel(y_test)) != len(test_rows):
            raise Mistake(
                "the labels do not match the rows",
                f"split X and y in the same call so each row keeps its label ({_SPLIT})",
            )

    return run_check("split", test, "split: rows shared out, labels kept with them", strict)


def check_honest_scaler(
    scaler, X_train, X_test, X_train_scaled=None, X_test_scaled=None, strict: bool = True
) -> CheckResult:
    """The scaler was fit on the training rows only, and both parts scaled with it."""

    def test() -> None:
        train, test_rows = as_array(X_train, "X_train"), as_array(X_test, "X_test")
        mean = getattr(scaler, "mean_", None)
        if mean is None:
            raise Mistake("the scaler is not fitted", f"a scaler learns from data first ({_SPLIT})")
        mean = np.asarray(mean, dtype=float)
        if not close(mean, train.mean(axis=0)):
            if close(mean, np.vstack([train, test_rows]).mean(axis=0)):
                raise Mistake(
                    "the scaler was fit on all rows, test rows included, so the test set "
                    "leaked into training",
                    "split first, then let the scaler learn from the training rows only "
                    f"({_SPLIT})",
                )
            if np.allclose(train.mean(axis=0), 0.0, atol=0.2):
                raise Mistake(
                    "X_train already holds scaled values",
                    "keep X_train and X_test as the raw measurements and put the scaled ones "
                    f"in X_train_scaled and X_test_scaled ({_SPLIT})",
                )
            raise Mistake(
                "the scaler's mean_ is not the mean of X_train",
                f"the scaler learns from the training rows only ({_SPLIT})",
            )
        for raw, scaled, name in [
            (train, X_train_scaled, "X_train_scaled"),
            (test_rows, X_test_scaled, "X_test_scaled"),
        ]:
            if scaled is not None and not close(as_array(scaled, name), scaler.transform(raw)):
                raise Mistake(
                    f"{name} is not the scaler's transform of the raw rows",
                    f"scale both parts with the one scaler fit on the training rows ({_SPLIT})",
                )

    return run_check(
        "honest split", test, "honest split: the scaler saw the training rows only", strict
    )


def _reference_losses(X, y, epochs: int, lr: float, seed: int) -> list[float]:
    model = mlp([X.shape[1], 10, int(np.max(y)) + 1], activation="relu", seed=seed)
    loss, optimizer, losses = CrossEntropy(), SGD(lr=lr), []
    for _ in range(epochs):
        losses.append(loss.forward(model.forward(X), y))
        model.backward(loss.backward())
        optimizer.step(model)
    return losses


def _losses_of(result, what: str) -> np.ndarray:
    if not isinstance(result, tuple) or len(result) != 2:
        raise Mistake(f"{what} should return (model, losses)", "keep the `return` line of the cell")
    return as_array(result[1], "losses").ravel()


def _penguins() -> tuple[np.ndarray, np.ndarray]:
    """The check's own scaled training rows, so the loop is marked apart from the split."""
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from ...datasets import load_penguins

    data = load_penguins()
    X_train, _, y_train, _ = train_test_split(
        data.X, data.y, test_size=0.25, stratify=data.y, random_state=0
    )
    return StandardScaler().fit_transform(X_train), np.asarray(y_train)


def check_train_records_losses(train: Callable, strict: bool = True) -> CheckResult:
    """``train(X, y, epochs=k)`` returns one finite loss per epoch, whatever k is."""
    X, y = _penguins()

    def test() -> None:
        for epochs in (3, 7):
            losses = _losses_of(train(X.copy(), y.copy(), epochs=epochs), "train")
            if losses.size != epochs:
                raise Mistake(
                    f"train(..., epochs={epochs}) recorded {losses.size} losses",
                    f"each pass over the training set records its loss once ({_LOOP})",
                )
            if not np.all(np.isfinite(losses)):
                raise Mistake(
                    "a loss is nan or inf", f"look at the order of the four steps ({_LOOP})"
                )

    return run_check("training loop", test, "training loop: one loss per epoch", strict, SWITCHED)


def check_train_matches_reference(
    train: Callable, epochs: int = 20, lr: float = 0.1, strict: bool = True
) -> CheckResult:
    """``train`` follows forward, loss, backward, step exactly (same losses as a reference)."""
    X, y = _penguins()
    expected = np.array(_reference_losses(X, y, epochs, lr, seed=0))

    def test() -> None:
        got = _losses_of(train(X.copy(), y.copy(), epochs=epochs, lr=lr, seed=0), "train")
        if got.size != epochs:
            raise Mistake(f"{got.size} losses for {epochs} epochs", f"one loss per epoch ({_LOOP})")
        if np.allclose(got, got[0]):
            raise Mistake(
                f"the loss never changed (stuck at {got[0]:.4f})",
                f"the weights only change when the optimizer takes its step ({_LOOP})",
            )
        if not close(got, expected):
            first = int(np.argmax(~np.isclose(got, expected, rtol=1e-6, atol=1e-6)))
            raise Mistake(
                f"the losses differ from plain gradient descent from epoch {first} on "
                f"({got[first]:.4f}, expected {expected[first]:.4f})",
                f"every epoch: forward, loss, backward, step, in that order ({_LOOP})",
            )

    return run_check(
        "training loop", test, "training loop: same losses as gradient descent", strict, SWITCHED
    )


def check_loss_went_down(losses, strict: bool = True) -> CheckResult:
    """Your own run: every loss finite and the last well below the first (any number of epochs)."""

    def test() -> None:
        values = as_array(losses, "losses").ravel()
        if values.size < 2:
            raise Mistake("fewer than two losses were recorded", f"one loss per epoch ({_LOOP})")
        if not np.all(np.isfinite(values)):
            raise Mistake(
                "the loss became nan or inf", "a smaller learning rate takes smaller steps"
            )
        if not values[-1] < 0.5 * values[0]:
            raise Mistake(
                f"the loss only went from {values[0]:.3f} to {values[-1]:.3f} in "
                f"{values.size} epochs",
                "train for more epochs or with a larger learning rate "
                "(lesson 5, 'The learning rate: from a crawl to divergence')",
            )

    return run_check("training", test, "training: the loss went down", strict)


def check_penguin_accuracy(
    model, X_test, y_test, target: float = 0.95, strict: bool = True
) -> CheckResult:
    """The model's accuracy on the (scaled) test rows reaches ``target``."""

    def test() -> None:
        predicted = np.asarray(model.predict(np.asarray(X_test)))
        accuracy = float(np.mean(predicted == np.asarray(y_test)))
        if accuracy < target:
            raise Mistake(
                f"test accuracy {accuracy:.1%}, the target is {target:.0%}",
                "the test rows need the same scaling as the training rows; then try more "
                "epochs or another learning rate (lesson 7, 'Split, then scale')",
            )

    return run_check("test accuracy", test, f"test accuracy reaches {target:.0%}", strict)
