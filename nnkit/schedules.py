"""Learning-rate schedules: big steps early, small steps late.

A schedule is called as ``schedule(epoch, start_lr)`` and returns the
learning rate for that epoch (epochs count from 1, as in ``fit``), so
``fit(..., optimizer=nk.SGD(lr=0.5), schedule=nk.StepDecay(every=20))``
starts at 0.5 and halves it every 20 epochs. The numbers match PyTorch's
``StepLR`` and ``CosineAnnealingLR``.
"""

from __future__ import annotations

import math

from .validation import check_int, check_number


class Schedule:
    """Base class: ``learning_rate(epoch, start_lr)`` is the rule."""

    def learning_rate(self, epoch: int, start_lr: float) -> float:
        raise NotImplementedError

    def __call__(self, epoch: int, start_lr: float) -> float:
        return self.learning_rate(check_int(epoch, "epoch"), start_lr)

    def rates(self, epochs: int, start_lr: float) -> list[float]:
        """The learning rate of epochs 1..epochs (to plot a schedule)."""
        return [self(epoch, start_lr) for epoch in range(1, epochs + 1)]


class StepDecay(Schedule):
    """Multiply the learning rate by ``drop`` every ``every`` epochs.

    lr(epoch) = start_lr * drop ** ((epoch - 1) // every)
    """

    def __init__(self, every: int = 10, drop: float = 0.5) -> None:
        self.every = check_int(every, "every")
        self.drop = check_number(drop, "drop", low=0.0, high=1.0, low_inclusive=False)

    def learning_rate(self, epoch: int, start_lr: float) -> float:
        return start_lr * self.drop ** ((epoch - 1) // self.every)

    def __repr__(self) -> str:
        return f"StepDecay(every={self.every}, drop={self.drop:g})"


class CosineDecay(Schedule):
    """Glide from the start rate down to ``min_lr`` along half a cosine over ``epochs``.

    lr(epoch) = min_lr + (start_lr - min_lr) * (1 + cos(pi * (epoch - 1) / epochs)) / 2
    After ``epochs`` it stays at ``min_lr``.
    """

    def __init__(self, epochs: int, min_lr: float = 0.0) -> None:
        self.epochs = check_int(epochs, "epochs")
        self.min_lr = check_number(min_lr, "min_lr", low=0.0)

    def learning_rate(self, epoch: int, start_lr: float) -> float:
        progress = min(epoch - 1, self.epochs) / self.epochs  # 0 at the start, 1 at the end
        return self.min_lr + (start_lr - self.min_lr) * (1 + math.cos(math.pi * progress)) / 2

    def __repr__(self) -> str:
        return f"CosineDecay(epochs={self.epochs}, min_lr={self.min_lr:g})"
