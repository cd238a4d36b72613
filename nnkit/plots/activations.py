"""Activation functions side by side: how each one turns a weighted sum into an output."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..activations import get_activation
from .style import CLASS_COLOURS, HIGHLIGHT, new_figure

# The four the lessons compare, in the order the story tells them.
LESSON_ACTIVATIONS = ("step", "sigmoid", "tanh", "relu")


def plot_activations(
    names=LESSON_ACTIVATIONS,
    z_range: tuple[float, float] = (-5.0, 5.0),
    mark: float | None = None,
    derivatives: bool = False,
) -> Figure:
    """One small panel per activation: output against weighted sum z.

    ``mark`` puts a dot at z = mark on every curve (the neuron's current
    weighted sum); ``derivatives`` adds each slope as a dashed line, which
    shows why the step (slope 0) cannot be trained by gradient descent.
    Returns the Figure; each axes is labelled with the activation's name.
    """
    names = list(names)
    fig = new_figure(2.6 * len(names), 2.6)
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    z = np.linspace(*z_range, 401)
    for k, (name, ax) in enumerate(zip(names, axes)):
        activation = get_activation(name)
        ax.axhline(0, color="0.8", lw=0.8)
        ax.axvline(0, color="0.8", lw=0.8)
        ax.plot(z, activation.function(z), color=CLASS_COLOURS[4 + k % 2], lw=2, label="output")
        if derivatives:
            ax.plot(z, activation.slope(z), color="0.4", lw=1.2, ls="--", label="slope")
        if mark is not None:
            value = float(activation.function(np.array([mark]))[0])
            ax.plot([mark], [value], "o", color=HIGHLIGHT, ms=8, zorder=3)
            ax.set_title(f"{name}({mark:.2f}) = {value:.2f}")
        else:
            ax.set_title(name)
        ax.set_xlabel("weighted sum z")
        ax.set_label(name)
    axes[0].set_ylabel("output")
    if derivatives:
        axes[0].legend(loc="upper left")
    return fig
