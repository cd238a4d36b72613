"""Matplotlib figures for the lessons. Every function returns its Figure.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot state), so
they never pop up twice in a notebook and tests can inspect them.
"""

from .activations import plot_activations
from .confusion import plot_confusion
from .decision_boundary import plot_decision_boundary
from .descent import plot_loss_contour, plot_loss_curve
from .history import plot_history
from .losses import plot_losses
from .network import network_values, plot_network
from .softmax import plot_softmax
from .style import CLASS_COLOURS, HIGHLIGHT, NEGATIVE, POSITIVE, new_figure

__all__ = [
    "CLASS_COLOURS",
    "HIGHLIGHT",
    "NEGATIVE",
    "POSITIVE",
    "network_values",
    "new_figure",
    "plot_activations",
    "plot_confusion",
    "plot_decision_boundary",
    "plot_history",
    "plot_loss_contour",
    "plot_loss_curve",
    "plot_losses",
    "plot_network",
    "plot_softmax",
]
