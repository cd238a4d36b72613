"""Callbacks: code that ``fit`` runs after every batch or epoch.

``Callback`` is the base class, ``EarlyStopping`` stops when the validation
loss stops improving, and ``LiveLoss`` draws the loss curve while training
runs (it loads matplotlib and ipywidgets when it is created, not before).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .errors import NNKitValueError
from .validation import check_int

if TYPE_CHECKING:
    from .training import History


class Callback:
    """Called by ``fit``: override ``on_epoch_end`` and/or ``on_batch_end``.

    A plain function ``f(epoch, history)`` also works as an epoch callback.
    Raise ``nnkit.StopTraining`` inside a callback to stop training.
    """

    def on_epoch_end(self, epoch: int, history: History, model) -> None:
        pass

    def on_batch_end(self, batch: int, loss: float, model) -> None:
        pass


class EarlyStopping:
    """Stop when the validation loss has not improved for ``patience`` epochs.

    With ``restore_best=True`` the weights of the best epoch are put back.
    ``monitor="loss"`` watches the training loss instead.
    """

    def __init__(
        self,
        patience: int = 10,
        min_delta: float = 0.0,
        restore_best: bool = True,
        monitor: str = "val_loss",
    ) -> None:
        self.patience = check_int(patience, "patience")
        self.min_delta = float(min_delta)
        self.restore_best = restore_best
        if monitor not in ("val_loss", "loss"):
            raise NNKitValueError(f"monitor must be 'val_loss' or 'loss', got {monitor!r}")
        self.monitor = monitor

    def reset(self) -> None:
        self.best = math.inf
        self.best_epoch = 0
        self.best_weights = None
        self.waited = 0

    def update(self, epoch: int, value: float, model) -> bool:
        """Record this epoch; return True when training should stop."""
        if value < self.best - self.min_delta:
            self.best, self.best_epoch, self.waited = value, epoch, 0
            if self.restore_best:
                self.best_weights = model.get_weights()
            return False
        self.waited += 1
        return self.waited >= self.patience


class LiveLoss(Callback):
    """Redraws the loss curves every ``every`` epochs (and after the first) while fit runs.

    Display it in a cell (it shows an image), then pass it to
    ``model.fit(..., callbacks=[live])``. ``redraws`` counts the pictures drawn.
    """

    def __init__(self, every: int = 5, title: str = "loss while training") -> None:
        import ipywidgets as widgets

        from .plots.history import LossCurves

        self.every = check_int(every, "every")
        self.curves = LossCurves(title)
        self.figure = self.curves.figure
        self.image = widgets.Image(format="png", layout=widgets.Layout(align_self="flex-start"))
        self.redraws = 0

    def on_epoch_end(self, epoch: int, history: History, model) -> None:
        if epoch % self.every == 0 or epoch == 1:
            self.draw(history)

    def draw(self, history: History) -> None:
        self.image.value = self.curves.png(history)
        self.redraws += 1

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.image)
