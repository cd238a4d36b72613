"""The training loop: forward, loss, backward, step, over and over.

``fit`` repeats epochs (one pass over the data in minibatches), records a
``History`` of loss and accuracy, calls callbacks so a notebook can draw the
loss live, can stop early, and stops with ``TrainingDiverged`` if the loss
blows up.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING

import numpy as np

from .callbacks import Callback, EarlyStopping, LiveLoss
from .errors import NNKitTypeError, NNKitValueError, StopTraining, TrainingDiverged
from .losses import CrossEntropy, Loss, get_loss
from .optimizers import SGD, Optimizer, get_optimizer
from .validation import check_features, check_int, check_labels, check_number, check_targets

__all__ = ["Callback", "DivergenceGuard", "EarlyStopping", "History", "LiveLoss", "fit", "fitting"]

DIVERGED = 1000.0  # fit's default: a loss this many times the first one has blown up


if TYPE_CHECKING:  # matplotlib loads only when a plot is drawn
    from matplotlib.figure import Figure


class History:
    """Loss and accuracy per epoch, for the training data and the validation data.

    ``loss`` and ``accuracy`` are the means over the epoch's batches (measured
    while training, as Keras does, so they cost no extra pass over the data);
    ``val_loss`` and ``val_accuracy`` are measured after the epoch.
    """

    def __init__(self) -> None:
        self.loss: list[float] = []
        self.val_loss: list[float] = []
        self.accuracy: list[float] = []
        self.val_accuracy: list[float] = []
        self.learning_rate: list[float] = []  # the optimizer's lr in each epoch
        self.stopped_early = False
        self.best_epoch: int | None = None

    @property
    def epochs(self) -> int:
        return len(self.loss)

    def plot(self, ax=None) -> Figure:
        """Draw the loss (and accuracy) curves; returns the matplotlib Figure."""
        from .plots.history import plot_history

        return plot_history(self, ax=ax)

    def as_dict(self) -> dict[str, list[float]]:
        return {
            "loss": self.loss,
            "val_loss": self.val_loss,
            "accuracy": self.accuracy,
            "val_accuracy": self.val_accuracy,
        }

    def __repr__(self) -> str:
        if not self.loss:
            return "History(no epochs yet)"
        text = f"History({self.epochs} epochs, loss {self.loss[0]:.4g} -> {self.loss[-1]:.4g}"
        if self.accuracy:
            text += f", accuracy {self.accuracy[-1]:.1%}"
        if self.val_loss:
            text += f", val_loss {self.val_loss[-1]:.4g}"
        return text + ")"


def _correct(outputs: np.ndarray, y: np.ndarray) -> int:
    """How many rows' largest output is the true class (y: labels or one-hot rows)."""
    labels = y if y.ndim == 1 else y.argmax(axis=1)
    return np.count_nonzero(outputs.argmax(axis=1) == labels)


def _check_targets(model, X, y, loss, name="y"):
    if isinstance(loss, CrossEntropy) and np.asarray(y).ndim != 2:
        return check_labels(y, n_samples=X.shape[0], n_classes=model.n_outputs, name=name)
    y = np.asarray(y)
    if y.ndim == 1 and model.n_outputs == 1:
        y = y.reshape(-1, 1)
    if y.shape[0] != X.shape[0]:
        raise NNKitValueError(
            f"X has {X.shape[0]} samples but {name} has {y.shape[0]}; they must match"
        )
    return check_targets(y, (X.shape[0], model.n_outputs), name=name).astype(X.dtype)


class DivergenceGuard:
    """The one rule for "training blew up": stop, and put the last good weights back.

    A batch loss that is NaN or infinite, or an epoch's loss more than
    ``factor`` times the ``reference`` loss, means the steps overshoot: the
    learning rate is too large. ``reference`` defaults to the first batch's
    loss. ``fit`` uses factor 1000 (only a real blow-up); the playground
    passes a stricter ``DivergenceGuard(factor=10, reference=<the untrained
    loss>)`` to each of its one-epoch fits, since 10x the starting loss there
    means confidently wrong everywhere.
    """

    def __init__(self, factor: float = DIVERGED, reference: float | None = None) -> None:
        self.factor = check_number(factor, "divergence factor", low=1.0)
        self.reference = reference

    def start(self, model, optimizer: Optimizer) -> None:
        """A fit begins: remember the model, its optimizer and its weights."""
        self.model, self.optimizer = model, optimizer
        self.last_good = model.get_weights()

    def check_batch(self, batch_loss: float, epoch: int) -> None:
        """After each batch: a NaN or infinite loss ends training at once."""
        if self.reference is None:
            self.reference = max(batch_loss, 1e-3)
        if not math.isfinite(batch_loss):
            self.stop(epoch)

    def check_epoch(self, epoch_loss: float, epoch: int) -> None:
        """After each epoch: stop if the loss grew ``factor``-fold, else keep these weights."""
        if not epoch_loss < self.factor * self.reference:  # catches NaN: comparisons are False
            self.stop(epoch)
        self.last_good = self.model.copy_weights_into(self.last_good)

    def stop(self, epoch: int) -> None:
        """Put the last good weights back and raise TrainingDiverged with a hint."""
        self.model.set_weights(self.last_good)
        lr = getattr(self.optimizer, "lr", None)
        hint = f"try lr={lr / 10:g}" if lr else "try a smaller learning rate"
        raise TrainingDiverged(
            f"training diverged in epoch {epoch}: the loss became NaN, infinite or over "
            f"{self.factor:g} times its starting value, because the steps overshoot. "
            f"Use a smaller learning rate ({hint}). "
            "The weights were restored to the last epoch with a finite loss.",
            epoch=epoch,
            learning_rate=lr,
        )


def _optimizer(optimizer, lr: float | None) -> Optimizer:
    """fit's optimizer: SGD(lr) by default; a learning rate given twice is an error."""
    if isinstance(optimizer, Optimizer) and lr is not None:
        raise NNKitValueError(
            f"fit got both optimizer={optimizer!r} and lr={lr!r}; the optimizer already has "
            f"its learning rate: drop lr=..., or set it on the optimizer, e.g. "
            f"{type(optimizer).__name__}(lr={lr!r})"
        )
    lr = 0.1 if lr is None else lr
    return SGD(lr=lr) if optimizer is None else get_optimizer(optimizer, lr=lr)


def train_one_epoch(
    model,
    X,
    y,
    loss: Loss,
    optimizer: Optimizer,
    batch_size: int,
    order: np.ndarray | None,
    guard: DivergenceGuard,
    epoch: int,
    batch_callbacks: list,
) -> tuple[float, int]:
    """One pass over the data in batches; returns (sum of the losses, number correct).

    ``order`` is a shuffled order of the rows, or None to take them as they are.
    """
    n_samples = X.shape[0]
    total_loss, correct = 0.0, 0
    for batch, start in enumerate(range(0, n_samples, batch_size)):
        if batch_size == n_samples:
            X_batch, y_batch = X, y
        elif order is None:
            X_batch, y_batch = X[start : start + batch_size], y[start : start + batch_size]
        else:
            rows = order[start : start + batch_size]
            X_batch, y_batch = X[rows], y[rows]
        # the four steps of learning: forward, loss, backward, step
        outputs = model.forward(X_batch, check=False)
        batch_loss = loss.compute(outputs, y_batch)
        guard.check_batch(batch_loss, epoch)
        model.backward(loss.backward())
        optimizer.step(model)
        # the epoch's loss and accuracy come from these outputs: no extra pass
        total_loss += batch_loss * len(X_batch)
        if isinstance(loss, CrossEntropy):
            correct += _correct(outputs, y_batch)
        for callback in batch_callbacks:
            callback.on_batch_end(batch, batch_loss, model)
    return total_loss, correct


def _run_callbacks(callbacks: list, epoch: int, history: History, model) -> bool:
    """Call every epoch callback; True when one of them asked to stop."""
    try:
        for callback in callbacks:
            if hasattr(callback, "on_epoch_end"):
                callback.on_epoch_end(epoch, history, model)
            elif callable(callback):
                callback(epoch, history)
    except StopTraining:
        return True
    return False


def fitting(
    model,
    X,
    y,
    loss: Loss | str = "cross_entropy",
    optimizer: Optimizer | str | None = None,
    epochs: int = 100,
    batch_size: int | None = None,
    shuffle: bool = True,
    seed: int = 0,
    validation_data: tuple | None = None,
    callbacks: list | None = None,
    early_stopping: EarlyStopping | int | None = None,
    progress: bool = False,
    lr: float | None = None,
    divergence: float | DivergenceGuard = DIVERGED,
    schedule: Callable[[int, float], float] | None = None,
) -> Generator[History, None, History]:
    """Train ``model`` on X (n_samples, n_features) and y, one epoch per step:
    ``fit`` run in pieces. Yields the History after each epoch and finally returns it
    (``fit`` runs it to the end). A caller may stop between epochs, do other work
    (e.g. answer a slider) and go on; the numbers are those ``fit`` gives. The
    arguments are ``fit``'s; they are checked at the first step.
    """
    # check everything once, here, so the loop itself can run unchecked
    X = check_features(X, "X", n_features=model.n_inputs)
    if model.dtype != X.dtype:
        model.astype(X.dtype)  # train in the data's precision (float32 stays float32)
    loss = get_loss(loss)
    y = _check_targets(model, X, y, loss)
    optimizer = _optimizer(optimizer, lr)
    epochs = check_int(epochs, "epochs")
    n_samples = X.shape[0]
    batch_size = n_samples if batch_size is None else check_int(batch_size, "batch_size")
    batch_size = min(batch_size, n_samples)
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise NNKitTypeError("validation_data must be a pair (X_val, y_val)")
        X_val = check_features(validation_data[0], "X_val", model.n_inputs, dtype=X.dtype)
        y_val = _check_targets(model, X_val, validation_data[1], loss, name="y_val")
    if isinstance(early_stopping, (int, np.integer)) and not isinstance(early_stopping, bool):
        early_stopping = EarlyStopping(patience=int(early_stopping))
    if early_stopping is not None:
        early_stopping.reset()
    callbacks = list(callbacks or [])
    batch_callbacks = [c for c in callbacks if hasattr(c, "on_batch_end")]
    classification = isinstance(loss, CrossEntropy)
    if schedule is not None and not callable(schedule):
        raise NNKitTypeError(
            f"schedule must be a schedule such as nk.StepDecay(every=10) or a function "
            f"(epoch, start_lr) -> lr, got {schedule!r}"
        )
    start_lr = getattr(optimizer, "lr", lr)
    rng = np.random.default_rng(seed)
    guard = divergence if isinstance(divergence, DivergenceGuard) else DivergenceGuard(divergence)
    guard.start(model, optimizer)
    history = History()
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=epochs, desc="training", unit="epoch")
    try:
        for epoch in range(1, epochs + 1):
            # shuffling matters only for minibatches: a full batch sees every sample anyway
            order = rng.permutation(n_samples) if shuffle and batch_size < n_samples else None
            if schedule is not None:
                optimizer.lr = schedule(epoch, start_lr)
            history.learning_rate.append(optimizer.lr)
            model.training = True  # dropout on while training, off for validation and predict
            total_loss, correct = train_one_epoch(
                model, X, y, loss, optimizer, batch_size, order, guard, epoch, batch_callbacks
            )
            model.training = False
            guard.check_epoch(total_loss / n_samples, epoch)
            history.loss.append(total_loss / n_samples)
            if classification:
                history.accuracy.append(correct / n_samples)
            if validation_data is not None:
                val_outputs = model.forward(X_val, check=False)
                history.val_loss.append(loss.compute(val_outputs, y_val))
                if classification:
                    history.val_accuracy.append(_correct(val_outputs, y_val) / len(y_val))
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{history.loss[-1]:.4f}")
            stop = _run_callbacks(callbacks, epoch, history, model)
            if early_stopping is not None:
                monitored = (
                    history.val_loss
                    if history.val_loss and early_stopping.monitor == "val_loss"
                    else history.loss
                )
                if early_stopping.update(epoch, monitored[-1], model):
                    history.stopped_early = stop = True
            if stop:
                break
            model.training = False  # predict may run while the caller holds this step
            yield history
    finally:
        model.training = False
        if bar is not None:
            bar.close()
    if early_stopping is not None:
        history.best_epoch = early_stopping.best_epoch
        if early_stopping.restore_best and early_stopping.best_weights is not None:
            model.set_weights(early_stopping.best_weights)
    return history


def fit(
    model,
    X,
    y,
    loss: Loss | str = "cross_entropy",
    optimizer: Optimizer | str | None = None,
    epochs: int = 100,
    batch_size: int | None = None,
    shuffle: bool = True,
    seed: int = 0,
    validation_data: tuple | None = None,
    callbacks: list | None = None,
    early_stopping: EarlyStopping | int | None = None,
    progress: bool = False,
    lr: float | None = None,
    divergence: float | DivergenceGuard = DIVERGED,
    schedule: Callable[[int, float], float] | None = None,
) -> History:
    """Train ``model`` on X (n_samples, n_features) and y; return a History.

    ``batch_size=None`` uses the whole data set per step (full-batch
    gradient descent). ``seed`` fixes the shuffling, so the same seed gives
    the same history. ``early_stopping`` may be an EarlyStopping or a
    patience (int). ``optimizer`` defaults to SGD(lr=lr), lr to 0.1; give
    the learning rate to the optimizer or to fit, not both. Training stops
    with TrainingDiverged when a loss is NaN or an epoch's loss is
    ``divergence`` times the first batch's (or pass a DivergenceGuard). ``schedule``
    (e.g. ``nk.StepDecay(every=20)``) sets the learning rate of each epoch
    from the optimizer's starting one; ``history.learning_rate`` records it.
    """
    steps = fitting(
        model,
        X,
        y,
        loss=loss,
        optimizer=optimizer,
        epochs=epochs,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
        validation_data=validation_data,
        callbacks=callbacks,
        early_stopping=early_stopping,
        progress=progress,
        lr=lr,
        divergence=divergence,
        schedule=schedule,
    )
    while True:  # every epoch, then the History that fitting returns
        try:
            next(steps)
        except StopIteration as done:
            return done.value
