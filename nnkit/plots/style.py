"""Shared colours and figure creation for every nnkit plot."""

from __future__ import annotations

from matplotlib.figure import Figure

# Colour-blind friendly (Okabe-Ito) colours, one per class.
CLASS_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00"]
POSITIVE = "#0072B2"  # positive weights and values
NEGATIVE = "#D55E00"  # negative weights and values
HIGHLIGHT = "#CC79A7"  # the current point, layer or predicted class
ERROR = "#b00020"  # something went wrong (training diverged): the red of an error message


def new_figure(width: float = 6.0, height: float = 4.0, dpi: int = 80) -> Figure:
    """A stand-alone Figure (not registered with pyplot, so never auto-shown)."""
    return Figure(figsize=(width, height), dpi=dpi, layout="constrained")
