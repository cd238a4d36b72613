"""Gradient descent pictures: the loss of one neuron over its weight(s), and a path down.

The maths (``LossSurface``, ``descend``) lives in ``nnkit.descent``; these
functions only draw it.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..descent import DescentPath, LossSurface, descend, line_data
from .style import HIGHLIGHT, NEGATIVE, POSITIVE, new_figure

__all__ = [
    "DescentPath",
    "LossSurface",
    "descend",
    "line_data",
    "plot_loss_contour",
    "plot_loss_curve",
]


def plot_loss_curve(
    surface: LossSurface | None = None, path: DescentPath | None = None, ax=None
) -> Figure:
    """Loss against the weight w (bias fixed at its best value), with a descent path."""
    surface = surface or LossSurface()
    fig = ax.figure if ax is not None else new_figure(5, 3.5)
    ax = ax or fig.add_subplot()
    ws = np.linspace(-2.5, 5.5, 161)
    ax.plot(ws, [surface.loss(w, surface.best_b) for w in ws], color=POSITIVE)
    if path is not None:
        ax.plot(path.points[:, 0], path.losses, "o-", color=HIGHLIGHT, markersize=4)
    ax.set(xlabel="weight w", ylabel="loss", title="loss as a function of one weight")
    return fig


def plot_loss_contour(
    surface: LossSurface | None = None, path: DescentPath | None = None, ax=None
) -> Figure:
    """Contour lines of the loss over (w, b), with a descent path."""
    surface = surface or LossSurface()
    fig = ax.figure if ax is not None else new_figure(5, 4)
    ax = ax or fig.add_subplot()
    ws, bs = np.linspace(-2.5, 5.5, 61), np.linspace(-3.5, 4.5, 61)
    # log-spaced levels: the valley floor is flat, the walls are steep
    levels = np.geomspace(0.1, 80, 14)
    ax.contour(ws, bs, surface.grid(ws, bs), levels=levels, cmap="Blues_r", linewidths=0.8)
    ax.plot(surface.best_w, surface.best_b, "*", color=NEGATIVE, markersize=12)
    if path is not None:
        ax.plot(path.points[:, 0], path.points[:, 1], "o-", color=HIGHLIGHT, markersize=4)
    ax.set(xlabel="weight w", ylabel="bias b", title="loss over two weights")
    return fig
