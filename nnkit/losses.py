"""Losses: one number that says how far the predictions are from the truth.

``forward(predictions, targets)`` returns the loss (mean over samples) and
caches what ``backward()`` needs; ``backward()`` returns dL/dpredictions.
"""

from __future__ import annotations

import numpy as np

from .errors import NNKitValueError
from .sums import row_sums
from .validation import check_features, check_labels, check_targets, forward_first


class Loss:
    """Base class for losses.

    ``forward`` checks its inputs and then calls ``compute``, which does the
    maths and caches what ``backward`` needs; the training loop checks the
    data once and calls ``compute`` directly.
    """

    def forward(self, predictions: np.ndarray, targets: np.ndarray) -> float:
        return self.compute(*self.prepare(predictions, targets))

    def prepare(self, predictions, targets) -> tuple[np.ndarray, np.ndarray]:
        """Check and convert the inputs (raises a clear error when they are wrong)."""
        raise NotImplementedError

    def compute(self, predictions: np.ndarray, targets: np.ndarray) -> float:
        """The loss itself, for inputs that are already checked."""
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, predictions, targets) -> float:
        return self.forward(predictions, targets)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class _RegressionLoss(Loss):
    """Shared input checks: predictions and targets of the same shape; caches the error."""

    error: np.ndarray | None = None  # predictions - targets, cached by compute

    def prepare(self, predictions, targets) -> tuple[np.ndarray, np.ndarray]:
        predictions = np.asarray(predictions)
        if predictions.ndim == 1:
            predictions = predictions.reshape(-1, 1)
        predictions = check_features(predictions, "predictions")
        targets = np.asarray(targets)
        if targets.ndim == 1 and predictions.shape[1] == 1:
            targets = targets.reshape(-1, 1)
        targets = check_targets(targets, predictions.shape)
        return predictions, targets.astype(predictions.dtype, copy=False)


class AbsoluteError(_RegressionLoss):
    """The course's loss: |prediction - truth|, summed over outputs, mean over samples.

    (n_samples, n_outputs) predictions and targets -> float.
    Its gradient is only the sign of the error: the same push whether the
    prediction is far off or nearly right.
    """

    def compute(self, predictions, targets) -> float:
        self.error = predictions - targets
        return float(np.abs(self.error).sum(axis=1).mean())

    def backward(self) -> np.ndarray:
        error = forward_first(self.error, self, "error")
        # d|e|/de = sign(e) (taken as 0 at e = 0), divided by n for the mean
        return np.sign(error) / error.shape[0]


class SquaredError(_RegressionLoss):
    """(prediction - truth)^2, summed over outputs, mean over samples.

    Big errors cost much more than small ones, and the gradient 2 * error
    shrinks as the prediction gets close, so steps slow down near the answer.
    """

    def compute(self, predictions, targets) -> float:
        self.error = predictions - targets
        return float((self.error**2).sum(axis=1).mean())

    def backward(self) -> np.ndarray:
        error = forward_first(self.error, self, "error")
        # d(e^2)/de = 2e, divided by n for the mean
        return 2.0 * error / error.shape[0]


def one_hot(labels, n_classes: int) -> np.ndarray:
    """Integer labels (n_samples,) -> one-hot rows (n_samples, n_classes)."""
    # row k of the identity matrix is the one-hot row of class k
    return np.eye(n_classes)[check_labels(labels, n_classes=n_classes)]


def _row_max(values: np.ndarray) -> np.ndarray:
    """Each row's largest value, (n_samples, n_classes) -> (n_samples, 1).

    Equal to ``values.max(axis=1, keepdims=True)``, but several times faster on
    small batches: numpy reduces along a short row slowly, while down the columns
    of the transposed copy it compares whole rows of numbers at once.
    """
    return values.T.copy().max(axis=0)[:, np.newaxis]


class CrossEntropy(Loss):
    """-log(probability given to the true class), mean over samples.

    Takes the raw outputs (logits, before softmax) (n_samples, n_classes) and
    integer labels (n_samples,) or one-hot rows. Softmax is fused in: log-softmax
    computed directly is stable for logits of +-1000 and never takes log(0),
    and the gradient becomes simply (softmax(logits) - one_hot(y)) / n.
    """

    probabilities: np.ndarray | None = None  # softmax(logits), cached by compute

    def prepare(self, logits, targets) -> tuple[np.ndarray, np.ndarray]:
        logits = check_features(logits, "logits")
        targets = np.asarray(targets)
        if targets.ndim == 2:
            targets = check_targets(targets, logits.shape, name="one-hot targets")
            if np.any(targets < 0) or not np.allclose(targets.sum(axis=1), 1.0):
                raise NNKitValueError("one-hot targets must be >= 0 and each row must sum to 1")
            return logits, targets.astype(logits.dtype, copy=False)
        return logits, check_labels(targets, *logits.shape)  # (n_samples, n_classes)

    def compute(self, logits, targets) -> float:
        # Subtract each row's maximum so exp never overflows; the largest
        # shifted value is 0, so sum_exp >= 1 and its log is never log(0).
        shifted = logits - _row_max(logits)
        exp = np.exp(shifted)
        sum_exp = row_sums(exp)  # (n_samples, 1)
        self.probabilities = np.divide(exp, sum_exp, out=exp)  # softmax, in place of exp
        self.targets = targets
        n_samples = logits.shape[0]
        # -log p_true = log(sum_exp) - shifted_true (labels pick it; one-hot rows sum it out)
        rows = np.arange(n_samples)
        true_shifted = shifted[rows, targets] if targets.ndim == 1 else (targets * shifted).sum(1)
        return float((np.log(sum_exp[:, 0]) - true_shifted).sum() / n_samples)

    def backward(self) -> np.ndarray:
        probabilities = forward_first(self.probabilities, self, "probabilities")
        # dL/dlogits = (softmax(logits) - one_hot) / n: predicted minus true probabilities
        n_samples = probabilities.shape[0]
        if self.targets.ndim == 2:
            return (probabilities - self.targets) / n_samples
        grad = probabilities / n_samples
        grad[np.arange(n_samples), self.targets] -= 1.0 / n_samples
        return grad


LOSSES = {  # every name a loss is known by
    **dict.fromkeys(["absolute", "absolute_error"], AbsoluteError),
    **dict.fromkeys(["squared", "squared_error", "mse"], SquaredError),
    **dict.fromkeys(["cross_entropy", "crossentropy"], CrossEntropy),
}


def get_loss(name) -> Loss:
    """Return a loss from a Loss instance or its name ("cross_entropy", ...)."""
    if isinstance(name, Loss):
        return name
    if isinstance(name, type) and issubclass(name, Loss):
        return name()
    if not isinstance(name, str) or name.lower() not in LOSSES:
        raise NNKitValueError(f"unknown loss {name!r}; choose one of {sorted(LOSSES)}")
    return LOSSES[name.lower()]()
