"""Matplotlib figures for the lessons. Every function returns its Figure.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot state), so
they never pop up twice in a notebook and tests can inspect them.
"""

from .history import plot_history
from .style import CLASS_COLOURS, HIGHLIGHT, NEGATIVE, POSITIVE, new_figure

__all__ = ["CLASS_COLOURS", "HIGHLIGHT", "NEGATIVE", "POSITIVE", "new_figure", "plot_history"]
