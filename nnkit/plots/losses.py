"""Loss curves side by side: how each loss (and its gradient) grows as a prediction moves away.

Left column, regression: the course's absolute error and squared error
against a prediction, for one true value. Right column, classification: the
three losses against the probability the network gives the true class.
Every number comes from nnkit's own loss classes.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..losses import AbsoluteError, CrossEntropy, SquaredError
from .style import CLASS_COLOURS, HIGHLIGHT, new_figure

LOSS_COLOURS = {
    "absolute": CLASS_COLOURS[0],
    "squared": CLASS_COLOURS[1],
    "cross_entropy": CLASS_COLOURS[2],
}
LOSS_LABELS = {
    "regression": {"absolute": "absolute error |y - t|", "squared": "squared error (y - t)²"},
    "classification": {
        "absolute": "absolute error 1 - p",
        "squared": "squared error (1 - p)²",
        "cross_entropy": "cross-entropy -log p",
    },
}
SMALLEST_PROBABILITY = 1e-3


def regression_losses(prediction: float, target: float) -> dict[str, tuple[float, float]]:
    """{"absolute": (loss, dL/dy), "squared": (...)} for one prediction y and true value t."""
    results = {}
    for name, loss in (("absolute", AbsoluteError()), ("squared", SquaredError())):
        value = loss([[prediction]], [[target]])
        results[name] = (value, float(loss.backward()[0, 0]))
    return results


def classification_losses(probability: float) -> dict[str, tuple[float, float]]:
    """Each loss and its slope dL/dp when the true class gets ``probability`` p.

    The truth is probability 1 for the true class. Cross-entropy takes output
    values (logits), so we hand it log(p) and log(1 - p): two classes whose
    softmax is exactly (p, 1 - p).
    """
    p = float(np.clip(probability, SMALLEST_PROBABILITY, 1.0 - SMALLEST_PROBABILITY))
    results = {}
    for name, loss in (("absolute", AbsoluteError()), ("squared", SquaredError())):
        value = loss([[p]], [[1.0]])
        results[name] = (value, float(loss.backward()[0, 0]))
    value = CrossEntropy()(np.log([[p, 1.0 - p]]), [0])
    # d(-log p)/dp = -1/p: the slope of the curve we draw. (With respect to the
    # output value instead, CrossEntropy.backward gives simply p - 1.)
    results["cross_entropy"] = (value, -1.0 / p)
    return results


class LossCurves:
    """The four panels of the loss comparison, with a marker for the current point."""

    def __init__(
        self, fig: Figure, target: float = 4.0, prediction_range: tuple[float, float] | None = None
    ) -> None:
        self.target = float(target)
        low, high = prediction_range or (self.target - 3.0, self.target + 3.0)
        axes = fig.subplots(2, 2, sharex="col")
        self.axes = axes
        predictions = np.linspace(low, high, 121)
        probabilities = np.linspace(SMALLEST_PROBABILITY, 1.0 - SMALLEST_PROBABILITY, 121)
        regression = [regression_losses(x, self.target) for x in predictions]
        classification = [classification_losses(p) for p in probabilities]
        self.markers: dict[tuple[str, str, int], object] = {}
        for column, (task, xs, rows) in enumerate(
            (
                ("regression", predictions, regression),
                ("classification", probabilities, classification),
            )
        ):
            for row in (0, 1):  # row 0: the loss, row 1: its gradient
                ax = axes[row, column]
                ax.axhline(0, color="0.8", lw=0.8)
                for name, label in LOSS_LABELS[task].items():
                    ys = [r[name][row] for r in rows]
                    ax.plot(xs, ys, color=LOSS_COLOURS[name], lw=2, label=label)
                    (marker,) = ax.plot(
                        [],
                        [],
                        "o",
                        color=LOSS_COLOURS[name],
                        ms=8,
                        markeredgecolor=HIGHLIGHT,
                        markeredgewidth=2,
                        zorder=3,
                    )
                    self.markers[(task, name, row)] = marker
        axes[0, 0].axvline(self.target, color="0.5", ls=":", lw=1)
        axes[0, 0].set(title=f"regression: true value t = {self.target:g}", ylabel="loss")
        axes[1, 0].set(xlabel="prediction y", ylabel="gradient (slope)")
        axes[0, 1].set(title="classification: truth = 1 for the true class", ylim=(-0.1, 5.0))
        axes[1, 1].set(xlabel="probability p of the true class", ylim=(-10.0, 1.0))
        axes[0, 0].legend(loc="upper center", fontsize=8)
        axes[0, 1].legend(loc="upper right", fontsize=8)

    def set_point(self, prediction: float, probability: float) -> dict[str, dict]:
        """Move the markers; returns {"regression": {...}, "classification": {...}}."""
        results = {
            "regression": regression_losses(prediction, self.target),
            "classification": classification_losses(probability),
        }
        x = {"regression": prediction, "classification": probability}
        for (task, name, row), marker in self.markers.items():
            low, high = self.axes[row, 0 if task == "regression" else 1].get_ylim()
            # a point beyond the axes (cross-entropy's slope near p = 0) sits on the edge
            marker.set_data([x[task]], [np.clip(results[task][name][row], low, high)])
        return results


def plot_losses(
    prediction: float | None = None, probability: float | None = None, target: float = 4.0
) -> Figure:
    """Absolute error, squared error and cross-entropy with their gradients; returns the Figure.

    ``prediction`` (regression, true value ``target``) and ``probability``
    (of the true class) mark the current point on the curves.
    """
    fig = new_figure(9.0, 5.5)
    curves = LossCurves(fig, target=target)
    if prediction is not None or probability is not None:
        curves.set_point(
            target if prediction is None else prediction,
            0.5 if probability is None else probability,
        )
    return fig
