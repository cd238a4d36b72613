"""Two-weight loss surfaces, to watch SGD, momentum and Adam find the bottom.

A real network has thousands of weights; these surfaces have two, so the
path of every step can be drawn. The optimizers are nnkit's own: they move a
``Position`` layer, whose only parameter is the point (w1, w2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import NNKitValueError
from .layers import Layer
from .optimizers import Optimizer
from .validation import check_int

TOO_FAR = 1e6  # a path whose loss passes this has diverged


@dataclass(frozen=True)
class Surface:
    """A loss over two weights, its gradient, where to start and what to show."""

    name: str
    formula: str
    start: tuple[float, float]
    minimum: tuple[float, float]
    extent: tuple[float, float, float, float]  # w1_min, w1_max, w2_min, w2_max

    def loss(self, w: np.ndarray) -> np.ndarray:
        """w (..., 2) -> loss (...)."""
        w1, w2 = w[..., 0], w[..., 1]
        if self.name == "ravine":
            return 0.02 * w1**2 + w2**2
        return (1 - w1) ** 2 + 10 * (w2 - w1**2) ** 2

    def gradient(self, w: np.ndarray) -> np.ndarray:
        """dL/dw, shape (2,)."""
        w1, w2 = w
        if self.name == "ravine":
            return np.array([0.04 * w1, 2 * w2])
        return np.array([-2 * (1 - w1) - 40 * w1 * (w2 - w1**2), 20 * (w2 - w1**2)])


SURFACES = {
    "ravine": Surface("ravine", "L = 0.02 w1² + w2²", (-9.0, 2.0), (0.0, 0.0), (-10, 10, -3, 3)),
    "banana": Surface(
        "banana", "L = (1 - w1)² + 10 (w2 - w1²)²", (-1.5, 2.0), (1.0, 1.0), (-2, 2, -1, 3)
    ),
}


class Position(Layer):
    """A 'layer' whose only parameter is a point (w1, w2), so an optimizer can move it."""

    def __init__(self, start) -> None:
        super().__init__()
        self.params = {"position": np.array(start, dtype=np.float64)}
        self.grads = {"position": np.zeros(2)}


@dataclass
class OptimizerPath:
    """The points visited (n_steps + 1, 2) and the loss at each; stops early if diverged."""

    points: np.ndarray
    losses: np.ndarray
    diverged: bool


def optimizer_path(
    surface: Surface | str, optimizer: Optimizer, steps: int = 50, start=None
) -> OptimizerPath:
    """Run ``steps`` steps of ``optimizer`` on ``surface`` from ``start`` (default: its own)."""
    if isinstance(surface, str):
        if surface not in SURFACES:
            raise NNKitValueError(f"surface must be one of {sorted(SURFACES)}, got {surface!r}")
        surface = SURFACES[surface]
    steps = check_int(steps, "steps", low=0)
    optimizer.reset()
    point = Position(surface.start if start is None else start)
    position = point.params["position"]
    points, losses = [position.copy()], [float(surface.loss(position))]
    for _ in range(steps):
        point.grads["position"] = surface.gradient(position)
        optimizer.step([point])  # exactly the update a network's weights get
        loss = float(surface.loss(position))
        if not np.isfinite(loss) or loss > TOO_FAR:
            return OptimizerPath(np.array(points), np.array(losses), diverged=True)
        points.append(position.copy())
        losses.append(loss)
    return OptimizerPath(np.array(points), np.array(losses), diverged=False)
