"""OverfittingExplorer: a big network on few noisy points learns the noise.

Sliders: the number of training points, the network size, the L2 strength
and the dropout rate. Left: the decision boundary with the training points
(filled) and the validation points (hollow). Right: the training and
validation loss per epoch. With few points and a big network the training
loss keeps falling while the validation loss turns up: overfitting.
"""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as widgets
import numpy as np

from ..datasets import make_moons
from ..network import mlp
from ..optimizers import Adam
from ..plots.decision_boundary import BoundaryPlot, data_extent
from ..plots.style import HIGHLIGHT, POSITIVE
from .base import Explorer, long_slider
from .columns import line_up
from .runs import Runs

# up to the lesson's own 64 x 64: it overfits 20 points plainly, and a 128 x 128 network
# takes 4x the arithmetic (100-250 ms a run on 2 cores) for nothing more to see
SIZES = [2, 4, 8, 16, 32, 64]
L2_STRENGTHS = [0.0, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1]
RUNS_KEPT = 50  # training runs remembered, so going back to a setting is instant
# overfitting: after its lowest, the validation loss rose more than this fraction above it
TURN_UP = 0.2


def moons_split(noise: float = 0.25, seed: int = 0) -> tuple:
    """400 noisy moons: up to 200 for training (take the first n) and 200 for validation."""
    data = make_moons(n=400, noise=noise, seed=seed)
    order = np.random.default_rng(seed).permutation(400)
    train, val = order[:200], order[200:]
    return data.X[train], data.y[train], data.X[val], data.y[val]


class OverfittingExplorer(Explorer):
    """Train ``mlp([2, size, size, 2])`` with Adam on the first ``train_size`` moons.

    ``epochs`` is 100: the validation loss turns up within a few epochs, and by 100 the
    remedies (a smaller network, L2) visibly stop it; longer runs show nothing new and
    make every slider press wait.

    After each redraw ``history`` and ``model`` hold the latest run, and
    ``overfitting`` says whether the validation loss turned up well above its lowest.
    """

    figure_size = (9.0, 3.8)
    draws_ahead = True  # the picture follows from the controls alone
    resolution = 40

    def __init__(
        self,
        train_size: int = 20,
        size: int = 64,
        l2: float = 0.0,
        dropout: float = 0.0,
        epochs: int = 100,
        learning_rate: float = 0.01,
        seed: int = 0,
    ) -> None:
        self.X_pool, self.y_pool, self.X_val, self.y_val = moons_split(seed=seed)
        self.epochs, self.learning_rate, self.seed = epochs, learning_rate, seed
        self._initial = dict(train_size=train_size, size=size, l2=l2, dropout=dropout)
        self.history = None
        self.model = None
        self.runs = Runs(self._start_run, kept=RUNS_KEPT)  # settings -> trained Run
        super().__init__()

    def build_controls(self) -> dict[str, widgets.Widget]:
        v = self._initial
        controls = {
            "train_size": long_slider(
                widgets.IntSlider,
                "training points",
                value=v["train_size"],
                min=10,
                max=200,
                step=10,
            ),
            "size": long_slider(
                widgets.SelectionSlider,
                "neurons per layer",
                options=SIZES,
                value=v["size"],
            ),
            "l2": long_slider(
                widgets.SelectionSlider,
                "L2 strength",
                options=L2_STRENGTHS,
                value=v["l2"],
            ),
            "dropout": long_slider(
                widgets.FloatSlider,
                "dropout rate",
                value=v["dropout"],
                min=0.0,
                max=0.7,
                step=0.1,
                readout_format=".1f",
            ),
        }
        line_up(controls.values())
        return controls

    def build_figure(self) -> None:
        self.ax_map, self.ax_loss = self.figure.subplots(1, 2, width_ratios=[1, 1.25])
        extent = data_extent(np.vstack([self.X_pool, self.X_val]), margin=0.2)
        self.boundary = BoundaryPlot(self.ax_map, extent, self.resolution)
        self.ax_map.set_aspect("equal")
        self.ax_map.set_title("filled: training, hollow: validation", fontsize=9)
        (self.train_line,) = self.ax_loss.plot([], [], color=POSITIVE, label="training loss")
        (self.val_line,) = self.ax_loss.plot([], [], color=HIGHLIGHT, label="validation loss")
        self.best_line = self.ax_loss.axvline(1, color="grey", linestyle=":", linewidth=1)
        self.ax_loss.set(xlabel="epoch", ylabel="cross-entropy", xlim=(0, self.epochs))
        # above the axes, where no curve can pass under it
        self.ax_loss.legend(
            loc="lower right", bbox_to_anchor=(1, 1), ncols=2, fontsize=8, frameon=False
        )
        # what moves; the frames lie on top of it, so they are drawn again too
        self.animated = [
            self.boundary.image,
            *self.boundary.markers(),
            self.train_line,
            self.val_line,
            self.best_line,
            *self.ax_loss.spines.values(),
        ]

    def background_key(self) -> object:
        return self.ax_loss.get_ylim()

    @staticmethod
    def settings_key(train_size: int, size: int, l2: float, dropout: float) -> tuple:
        return (train_size, size, l2, round(dropout, 6))  # 0.30000000000000004 is 0.3

    def _start_run(self, key: tuple) -> tuple:
        train_size, size, l2, dropout = key
        model = mlp([2, size, size, 2], activation="relu", seed=self.seed, dropout=dropout)
        # in float32: the widest network (64 x 64) trains about a quarter faster; the
        # curves stay within about 1% of float64's (a last digit shown may differ)
        steps = model.fitting(
            self.X_pool[:train_size].astype(np.float32),
            self.y_pool[:train_size],
            optimizer=Adam(lr=self.learning_rate, weight_decay=l2),
            epochs=self.epochs,
            seed=self.seed,
            validation_data=(self.X_val.astype(np.float32), self.y_val),
        )
        return model, steps

    def train(self, train_size: int, size: int, l2: float, dropout: float) -> tuple:
        """(model, history) of a run with these settings; each is trained only once."""
        run = self.runs[self.settings_key(train_size, size, l2, dropout)]
        return run.model, run.history

    def prepare(self, values: dict) -> Iterator[None]:
        """Train the run for ``values`` one epoch at a time (see ``Explorer.prepare``)."""
        settings = {name: values.get(name, self.value(name)) for name in self.controls}
        yield from self.runs.training(self.settings_key(**settings))

    def update(self) -> None:
        n = self.value("train_size")
        X, y = self.X_pool[:n], self.y_pool[:n]
        self.model, self.history = self.train(
            n, self.value("size"), self.value("l2"), self.value("dropout")
        )
        self.boundary.set_probabilities(self.model.predict_proba(self.boundary.points))
        self.boundary.set_points(X, y, self.X_val, self.y_val)
        epochs = np.arange(1, self.history.epochs + 1)
        self.train_line.set_data(epochs, self.history.loss)
        self.val_line.set_data(epochs, self.history.val_loss)
        best = self.best_epoch
        self.best_line.set_xdata([best, best])
        top = max(max(self.history.val_loss), max(self.history.loss))
        # in steps of 0.5, so the cached picture of the axes is rarely drawn again
        self.ax_loss.set_ylim(0, np.ceil(min(top, 2.5) * 1.05 * 2) / 2)
        self._explain()

    @property
    def best_epoch(self) -> int:
        """The epoch with the lowest validation loss (1-based)."""
        return int(np.argmin(self.history.val_loss)) + 1

    @property
    def highest_after_best(self) -> float:
        """The highest validation loss after its lowest epoch (where a turn up peaks)."""
        return max(self.history.val_loss[self.best_epoch - 1 :])

    @property
    def overfitting(self) -> bool:
        """True when, after its lowest epoch, the validation loss rose more than ``TURN_UP``
        (20%) above that lowest: at the end or in a hump on the way (the curve turned up)."""
        return self.highest_after_best > (1 + TURN_UP) * min(self.history.val_loss)

    def _explain(self) -> None:
        h = self.history
        best = min(h.val_loss)
        accuracy = np.mean(self.model.predict(self.X_val) == self.y_val)
        text = (
            f"Training loss {h.loss[-1]:.3f}, validation loss {h.val_loss[-1]:.3f} "
            f"(lowest {best:.3f} at epoch {self.best_epoch}, dotted line); "
            f"validation accuracy {accuracy:.0%}. "
        )
        if self.overfitting:
            self.show_message(
                text + f"Overfitting: the training loss kept falling while the validation "
                f"loss turned up (to {self.highest_after_best:.3f}). A smaller network or "
                "more L2 can stop it; more training points and dropout shrink the gap.",
                "warning",
            )
        else:
            self.show_message(
                text + f"After its lowest the validation loss stays within {TURN_UP:.0%} "
                "of it: no overfitting."
            )
