"""Confusion matrix: which true classes get predicted as which.

Rows are the true classes, columns the predicted ones; the diagonal counts
the correct predictions. The numbers come from scikit-learn's
``confusion_matrix``.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure

from .style import new_figure


def confusion(y_true, y_pred, n_classes: int) -> np.ndarray:
    """Counts (n_classes, n_classes): entry [i, j] = samples of class i predicted as j."""
    from sklearn.metrics import confusion_matrix

    return confusion_matrix(y_true, y_pred, labels=list(range(n_classes)))


def class_label(name: str, n_classes: int = 2) -> str:
    """A class name for a tick, in full, on short lines so neighbouring names never touch:
    "different sign" -> "different\nsign"; a single long word stays whole. The more
    classes, the narrower each column: from three on, every word gets a line of its own."""
    width = 7 if n_classes <= 2 else 4
    return "\n".join(textwrap.wrap(name, width, break_long_words=False)) or name


class ConfusionPlot:
    """A confusion matrix drawn once and updated in place with ``set(matrix)``."""

    def __init__(self, ax, class_names: list[str], title: str = "confusion matrix") -> None:
        n = len(class_names)
        self.ax = ax
        self.counts: np.ndarray | None = None  # what set() showed last (None: nothing yet)
        self.image = ax.imshow(np.zeros((n, n)), cmap="Blues", vmin=0, vmax=1)
        self.texts = [
            [ax.text(j, i, "", ha="center", va="center", fontsize=9) for j in range(n)]
            for i in range(n)
        ]
        labels = [class_label(name, n) for name in class_names]
        ax.set_xticks(range(n), labels, fontsize=8)
        ax.set_yticks(range(n), labels, fontsize=8)
        ax.set(xlabel="predicted", ylabel="true", title=title)

    def slow_artists(self) -> tuple:
        """``(axes, artists, value)`` for an explorer's ``slow_artists``: what ``set``
        changes (the coloured squares and the numbers on them), drawn again only when
        the counts change; the frame too, which a full draw puts over the squares."""
        counts = None if self.counts is None else self.counts.tobytes()
        texts = [text for row in self.texts for text in row]
        return (self.ax, [self.image, *texts, *self.ax.spines.values()], counts)

    def set(self, matrix: np.ndarray) -> None:
        """Show new counts; colour is the share of each true class (row)."""
        matrix = np.asarray(matrix)
        self.counts = matrix
        rows = matrix.sum(axis=1, keepdims=True)
        share = matrix / np.maximum(rows, 1)
        self.image.set_data(share)
        for i, row in enumerate(self.texts):
            for j, text in enumerate(row):
                text.set_text(str(int(matrix[i, j])))
                text.set_color("white" if share[i, j] > 0.6 else "black")


def plot_confusion(y_true, y_pred, class_names: list[str], ax=None) -> Figure:
    """Confusion matrix of ``y_pred`` against ``y_true``; returns the Figure."""
    fig = ax.figure if ax is not None else new_figure(3.6, 3.2)
    ax = ax or fig.add_subplot()
    ConfusionPlot(ax, class_names).set(confusion(y_true, y_pred, len(class_names)))
    return fig
