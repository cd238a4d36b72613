"""Loss and accuracy curves of a training History."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.figure import Figure

from .style import CLASS_COLOURS, new_figure


def plot_history(history, ax=None) -> Figure:
    """Loss (and accuracy when recorded) per epoch; returns the Figure."""
    if ax is None:
        fig = new_figure(8 if history.accuracy else 5, 3.2)
        axes = fig.subplots(1, 2 if history.accuracy else 1, squeeze=False)[0]
    else:
        fig, axes = ax.figure, [ax]
    epochs = range(1, history.epochs + 1)
    axes[0].plot(epochs, history.loss, color=CLASS_COLOURS[4], label="training")
    if history.val_loss:
        axes[0].plot(epochs, history.val_loss, color=CLASS_COLOURS[5], label="validation")
    axes[0].set(xlabel="epoch", ylabel="loss", title="loss")
    axes[0].legend()
    if history.accuracy and len(axes) > 1:
        axes[1].plot(epochs, history.accuracy, color=CLASS_COLOURS[4], label="training")
        if history.val_accuracy:
            axes[1].plot(epochs, history.val_accuracy, color=CLASS_COLOURS[5], label="validation")
        axes[1].set(xlabel="epoch", ylabel="accuracy", title="accuracy", ylim=(0, 1.02))
        axes[1].legend()
    return fig


class LossCurves:
    """Training and validation loss curves redrawn in place (what ``nk.LiveLoss`` shows)."""

    def __init__(self, title: str = "loss while training") -> None:
        self.figure = new_figure(5, 3)
        self.ax = self.figure.add_subplot()
        (self.line,) = self.ax.plot([], [], color=CLASS_COLOURS[4], label="training")
        (self.val_line,) = self.ax.plot([], [], color=CLASS_COLOURS[5], label="validation")
        self.ax.set(xlabel="epoch", ylabel="loss", title=title)
        self.ax.legend()

    def png(self, history) -> bytes:
        """Draw ``history``'s losses so far; returns the picture as PNG bytes."""
        epochs = np.arange(1, history.epochs + 1)
        self.line.set_data(epochs, history.loss)
        self.val_line.set_data(epochs[: len(history.val_loss)], history.val_loss)
        self.ax.relim()
        self.ax.autoscale_view()
        self.ax.set_ylim(bottom=0)
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        return buffer.getvalue()
