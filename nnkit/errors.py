"""The errors nnkit raises, so that a notebook can catch exactly ours."""

from __future__ import annotations


class NNKitError(Exception):
    """Base class of every error nnkit raises on purpose."""


class NNKitValueError(NNKitError, ValueError):
    """An argument has the right type but a wrong value (shape, range, NaN...)."""


class NNKitTypeError(NNKitError, TypeError):
    """An argument has the wrong type (a string where numbers were expected...)."""


class TrainingDiverged(NNKitError, RuntimeError):
    """The loss became NaN or infinite: the learning rate is too large.

    ``epoch`` is the epoch (counting from 1) in which it happened and
    ``learning_rate`` the optimizer's learning rate at the time.
    """

    def __init__(self, message: str, epoch: int, learning_rate: float | None = None):
        super().__init__(message)
        self.epoch = epoch
        self.learning_rate = learning_rate


class StopTraining(Exception):
    """Raise inside a callback to end ``fit`` after the current epoch."""
