"""Gradient descent on a loss you can see: one neuron, one or two weights.

The neuron is ``weighted_sum = w * x + b`` (an nnkit ``Dense(1, 1)``) and the
loss is nnkit's ``SquaredError`` on a small fixed data set, so the loss is a
bowl: a parabola in w alone, an elliptic valley in (w, b). Every loss and
gradient below comes from the engine's forward and backward; ``descend``
takes the steps ``weight -= learning_rate * gradient`` that lesson 05 draws
(``nnkit.plots.descent``) and explores (``GradientDescentExplorer``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .layers import Dense
from .losses import SquaredError
from .network import Sequential

ESCAPE = 1e6  # a weight this large has left the valley for good


def line_data(n: int = 24, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """x (n, 1) from -1 to 2 and targets y (n, 1) = 1.5 x + 0.5 + a little noise."""
    rng = np.random.default_rng(seed)
    x = np.linspace(-1.0, 2.0, n).reshape(-1, 1)
    return x, 1.5 * x + 0.5 + rng.normal(0.0, 0.3, size=x.shape)


class LossSurface:
    """The loss of one linear neuron as a function of its weight w and bias b."""

    def __init__(self, x: np.ndarray | None = None, y: np.ndarray | None = None) -> None:
        if x is None or y is None:
            x, y = line_data()
        self.x, self.y = np.asarray(x, float), np.asarray(y, float)
        self.neuron = Dense(1, 1, seed=0)
        self.model = Sequential([self.neuron])
        self.loss_fn = SquaredError()
        # the bottom of the bowl: ordinary least squares (for marking the minimum)
        design = np.column_stack([self.x[:, 0], np.ones(len(self.x))])
        self.best_w, self.best_b = np.linalg.lstsq(design, self.y[:, 0], rcond=None)[0]

    def _set(self, w: float, b: float) -> None:
        self.neuron.weights = [[w]]
        self.neuron.bias = [b]

    def loss(self, w: float, b: float) -> float:
        """Squared error of the neuron with weight w and bias b."""
        self._set(w, b)
        with np.errstate(over="ignore", invalid="ignore"):
            return self.loss_fn.forward(self.model.forward(self.x, check=False), self.y)

    def gradient(self, w: float, b: float) -> tuple[float, float]:
        """(dL/dw, dL/db) from one forward and backward pass."""
        self.loss(w, b)
        with np.errstate(over="ignore", invalid="ignore"):
            self.model.backward(self.loss_fn.backward())
        return float(self.neuron.grads["weights"][0, 0]), float(self.neuron.grads["bias"][0])

    def grid(self, ws: np.ndarray, bs: np.ndarray) -> np.ndarray:
        """Loss at every (w, b) pair: shape (len(bs), len(ws)), rows follow b."""
        return np.array([[self.loss(w, b) for w in ws] for b in bs])


@dataclass
class DescentPath:
    """Where gradient descent went: points (n_points, 2) of (w, b) and their losses."""

    points: np.ndarray
    losses: np.ndarray
    gradients: np.ndarray
    diverged: bool
    steps_taken: int


def descend(
    surface: LossSurface,
    w: float,
    b: float,
    learning_rate: float,
    steps: int,
    move_bias: bool = True,
) -> DescentPath:
    """Take ``steps`` steps of ``weight -= learning_rate * gradient`` from (w, b).

    With ``move_bias=False`` only w moves (the one-weight picture). The path
    stops at the last point whose loss is finite and whose weights stay below
    ESCAPE, so a diverging run never hands NaN to a plot. ``diverged`` is
    True when the path escaped or its loss ended higher than it started.
    """
    points, losses, grads = [(w, b)], [surface.loss(w, b)], []
    escaped = False
    for _ in range(steps):
        dw, db = surface.gradient(w, b)
        grads.append((dw, db))
        w_new = w - learning_rate * dw
        b_new = b - learning_rate * db if move_bias else b
        loss = surface.loss(w_new, b_new)
        if not np.isfinite(loss) or max(abs(w_new), abs(b_new)) > ESCAPE:
            escaped = True
            break
        w, b = w_new, b_new
        points.append((w, b))
        losses.append(loss)
    losses_arr = np.array(losses)
    diverged = escaped or (len(losses) > 2 and losses_arr[-1] > losses_arr[0])
    return DescentPath(
        np.array(points),
        losses_arr,
        np.array(grads).reshape(-1, 2),
        bool(diverged),
        len(points) - 1,
    )
