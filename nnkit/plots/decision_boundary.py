"""Decision boundaries: colour the plane by what the network predicts there.

The network is asked about every point of a coarse grid (50 x 50 is enough
and fast); each pixel mixes the class colours by the predicted
probabilities, pale where the network is unsure, strong where it is certain.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.colors import to_rgb

from .style import CLASS_COLOURS, new_figure


def grid_points(extent: tuple[float, float, float, float], resolution: int = 50) -> np.ndarray:
    """Centres of a resolution x resolution grid over (x_min, x_max, y_min, y_max).

    Returns (resolution**2, 2); row r of the image is y from bottom to top.
    """
    x_min, x_max, y_min, y_max = extent
    xs = np.linspace(x_min, x_max, resolution)
    ys = np.linspace(y_min, y_max, resolution)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def probability_image(probabilities: np.ndarray, resolution: int) -> np.ndarray:
    """Class probabilities (resolution**2, n_classes) -> RGB image (resolution, resolution, 3)."""
    n_classes = probabilities.shape[1]
    colours = np.array([to_rgb(c) for c in CLASS_COLOURS[:n_classes]])
    mixed = probabilities @ colours
    # confidence 0 when all classes are equally likely, 1 when one class is certain
    confidence = (probabilities.max(axis=1) - 1 / n_classes) / (1 - 1 / n_classes)
    strength = (0.2 + 0.55 * confidence)[:, None]
    image = 1.0 - (1.0 - mixed) * strength
    return image.reshape(resolution, resolution, 3)


def decision_line(
    extent: tuple[float, float, float, float], probabilities: np.ndarray, resolution: int
) -> np.ndarray:
    """Where a two-class network is 50/50 (probability of class 1 = 0.5): its decision boundary.

    ``probabilities`` (resolution**2, 2) are for ``grid_points(extent, resolution)``.
    Returns (n_points, 2) points along the boundary, with a row of NaN between
    separate pieces (as a matplotlib line draws them); no rows if the boundary
    lies outside ``extent``.
    """
    import contourpy  # matplotlib's own contouring

    x_min, x_max, y_min, y_max = extent
    p = probabilities[:, 1].reshape(resolution, resolution).astype(np.float64)
    generator = contourpy.contour_generator(
        np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution), p
    )
    pieces = generator.lines(0.5)
    gap = np.full((1, 2), np.nan)
    joined = [part for piece in pieces for part in (gap, piece)][1:]
    return np.concatenate(joined) if joined else np.empty((0, 2))


def data_extent(X: np.ndarray, margin: float = 0.15) -> tuple[float, float, float, float]:
    """A square extent around the 2-D points X (n_samples, 2), with a margin.

    Rounded up to a multiple of 0.5, so that similar data gets the same axes.
    """
    half = np.ceil((float(np.abs(X).max()) + margin) * 2) / 2
    return (-half, half, -half, half)


# the class colours at 60% brightness (RGB), for filled training points
DARK_CLASS_COLOURS = 0.6 * np.array([to_rgb(colour) for colour in CLASS_COLOURS])


class BoundaryPlot:
    """A heatmap plus training (filled) and test (hollow) points, updated in place."""

    def __init__(self, ax, extent: tuple[float, float, float, float], resolution: int = 50) -> None:
        self.ax, self.resolution = ax, resolution
        self.image = ax.imshow(
            np.ones((resolution, resolution, 3)),
            origin="lower",
            extent=extent,
            interpolation="bilinear",
        )
        # filled in a dark shade of its class colour, with a dark rim: on a background of its
        # own colour a training point still reads as filled, unlike a hollow test point
        self.train = ax.scatter([], [], s=22, edgecolors="0.15", linewidths=0.6)
        self.test = ax.scatter([], [], s=16, facecolors="none", linewidths=1.0)
        ax.set(xlabel="x1", ylabel="x2")
        self.line = None  # the decision boundary as a line, once show_decision_line is called
        self.set_extent(extent)

    def show_decision_line(self) -> None:
        """Also draw the decision boundary (two classes: probability 0.5) as a dark line,
        over the colours and under the points; ``set_probabilities`` moves it."""
        (self.line,) = self.ax.plot([], [], color="0.15", linewidth=1.6, zorder=0.5)

    def set_extent(self, extent: tuple[float, float, float, float]) -> None:
        self.extent = extent
        self.points = grid_points(extent, self.resolution)
        self.image.set_extent(extent)
        self.ax.set_xlim(extent[:2])
        self.ax.set_ylim(extent[2:])

    def set_points(self, X_train, y_train, X_test=None, y_test=None) -> None:
        colours = np.array(CLASS_COLOURS)
        self.train.set_offsets(X_train)
        self.train.set_facecolors(DARK_CLASS_COLOURS[y_train])
        if X_test is not None and len(X_test):
            self.test.set_offsets(X_test)
            self.test.set_edgecolors(colours[y_test])
        else:
            self.test.set_offsets(np.empty((0, 2)))

    def markers(self) -> list:
        """What lies on top of the colours: the decision line (if shown), the points and the
        frame (to blit with them)."""
        line = [self.line] if self.line is not None else []
        return [*line, self.train, self.test, *self.ax.spines.values()]

    def set_probabilities(self, probabilities: np.ndarray) -> None:
        """Probabilities (resolution**2, n_classes) for ``self.points``."""
        image = probability_image(probabilities, self.resolution)
        # as 8-bit RGBA: matplotlib then draws it in half the time of float RGB
        opaque = np.full((*image.shape[:2], 1), 255, dtype=np.uint8)
        self.image.set_data(np.concatenate([np.round(image * 255).astype(np.uint8), opaque], 2))
        if self.line is not None:
            self.line.set_data(decision_line(self.extent, probabilities, self.resolution).T)


def plot_decision_boundary(
    model,
    X: np.ndarray,
    y: np.ndarray,
    features: Callable[[np.ndarray], np.ndarray] | None = None,
    resolution: int = 50,
    ax=None,
):
    """Heatmap of ``model.predict_proba`` over the plane, with the points (X, y).

    ``features`` turns 2-D points (n, 2) into the model's inputs (default:
    the points themselves). Returns the Figure.
    """
    fig = ax.figure if ax is not None else new_figure(4, 4)
    ax = ax or fig.add_subplot()
    plot = BoundaryPlot(ax, data_extent(X), resolution)
    inputs = plot.points if features is None else features(plot.points)
    plot.set_probabilities(model.predict_proba(inputs))
    plot.set_points(X, y)
    ax.set_aspect("equal")
    return fig
