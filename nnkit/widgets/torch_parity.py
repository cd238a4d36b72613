"""TorchParityExplorer: the same network trained by nnkit and by PyTorch, side by side.

Controls: the optimizer, the learning rate and the number of epochs. Left:
both loss curves (they lie on top of each other). Right: how far apart they
are at each epoch (about 1e-16, the rounding of float64). Needs PyTorch.
"""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as widgets
import numpy as np

from ..network import mlp
from ..plots.style import HIGHLIGHT, POSITIVE
from ..torch_bridge import INSTALL_HINT, train_side_by_side
from .base import Explorer, long_slider
from .columns import line_up

FLOOR = 1e-18  # an exact match is drawn here (a log axis has no 0)
EPOCH_LIMITS = (10, 20, 50, 100, 200)  # the x axes end at the first >= epochs


def _penguins() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.preprocessing import StandardScaler

    from ..datasets import load_penguins

    data = load_penguins()
    return StandardScaler().fit_transform(data.X), data.y


class TorchParityExplorer(Explorer):
    """Train ``mlp([4, hidden, 3])`` on the (scaled) penguins with nnkit and with PyTorch.

    After each redraw ``curves`` holds (nnkit losses, PyTorch losses), or None
    when PyTorch is not installed.
    """

    figure_size = (9.0, 3.4)
    draws_ahead = True  # the picture follows from the controls alone

    def __init__(
        self, optimizer: str = "sgd", learning_rate: float = 0.1, epochs: int = 50, hidden: int = 8
    ) -> None:
        self.X, self.y = _penguins()
        self.hidden = hidden
        self._initial = dict(optimizer=optimizer, learning_rate=learning_rate, epochs=epochs)
        self.curves: tuple[np.ndarray, np.ndarray] | None = None
        self._runs: dict[tuple[str, float], tuple[np.ndarray, np.ndarray]] = {}
        super().__init__()

    def build_controls(self) -> dict[str, widgets.Widget]:
        v = self._initial
        controls = {
            "optimizer": widgets.ToggleButtons(
                options=["sgd", "momentum", "adam"],
                value=v["optimizer"],
                style={"button_width": "110px"},  # "momentum" in full
            ),
            "learning_rate": long_slider(
                widgets.FloatLogSlider,
                "learning rate",
                value=v["learning_rate"],
                base=10,
                min=-3,
                max=0,
                step=0.1,
                readout_format=".3g",
            ),
            "epochs": long_slider(
                widgets.IntSlider,
                "epochs",
                value=v["epochs"],
                min=1,
                max=200,
            ),
        }
        line_up(controls.values())
        return controls

    def build_figure(self) -> None:
        self.ax_loss, self.ax_diff = self.figure.subplots(1, 2)
        self.ax_loss.set(xlabel="epoch", ylabel="training loss")
        (self.ours,) = self.ax_loss.plot([], [], color=POSITIVE, linewidth=3, label="nnkit")
        (self.theirs,) = self.ax_loss.plot(
            [], [], "--", color=HIGHLIGHT, linewidth=1.5, label="PyTorch"
        )
        # as the title, above the axes, where no curve can pass under it
        self.ax_loss.legend(loc="lower center", bbox_to_anchor=(0.5, 1), ncols=2, frameon=False)
        self.ax_diff.set(
            xlabel="epoch",
            ylabel="|difference|",
            yscale="log",
            ylim=(FLOOR / 2, 1e-6),
            title="how far apart the curves are",
        )
        (self.difference,) = self.ax_diff.plot([], [], "o", color="black", markersize=3)
        # the curves move over axes drawn once (and the frames they may cross)
        self.animated = [
            self.ours,
            self.theirs,
            self.difference,
            *self.ax_loss.spines.values(),
            *self.ax_diff.spines.values(),
        ]

    def background_key(self) -> object:
        return self.ax_loss.get_xlim(), self.ax_loss.get_ylim()

    def run(self, optimizer: str, lr: float, epochs: int) -> tuple[np.ndarray, np.ndarray]:
        """Both loss curves for at least ``epochs`` epochs, trained once per optimizer and lr.

        Full batch, no randomness: the first k epochs of a longer run are exactly a run of
        k epochs, so moving the epochs slider only cuts a stored run shorter.
        """
        import torch

        # the browser's slider and Python may differ in a learning rate's last bit (10**-1.1):
        # equal to 12 digits is the same run (work_ahead trains what a press will ask for)
        key = (optimizer, float(f"{lr:.12g}"))
        if key not in self._runs or len(self._runs[key][0]) < epochs:
            model = mlp([4, self.hidden, 3], activation="relu", seed=0)
            threads = torch.get_num_threads()
            torch.set_num_threads(1)  # a network this small: threads only add waiting
            try:
                self._runs[key] = train_side_by_side(
                    model, self.X, self.y, optimizer, lr, epochs=epochs
                )
            finally:
                torch.set_num_threads(threads)
        return self._runs[key]

    def axis_end(self) -> int:
        """Where the x axes end, and how many epochs a run is trained for: the first of
        10, 20, 50, ... >= the epochs asked for (limits that jump, so the cached picture of
        the axes is rarely drawn again, and a longer run serves the shorter ones)."""
        return next(n for n in EPOCH_LIMITS if n >= self.value("epochs"))

    def work_ahead(self) -> Iterator[None]:
        """While the student looks, after the pictures one slider press away (drawn ahead,
        trained for them): train the other optimizers (both sides, ~50 ms each), so that
        choosing one only draws."""
        if self.curves is None:
            return  # no PyTorch
        optimizer, lr = self.value("optimizer"), self.value("learning_rate")
        for other in self.controls["optimizer"].options:
            if other != optimizer:
                self.run(other, lr, self.axis_end())
                yield

    def update(self) -> None:
        try:
            import torch  # noqa: F401
        except ImportError:
            self.curves = None
            self.show_message(INSTALL_HINT + ", then restart the kernel.", "warning")
            return
        epochs = self.value("epochs")
        last = self.axis_end()
        ours, theirs = self.run(self.value("optimizer"), self.value("learning_rate"), last)
        ours, theirs = ours[:epochs], theirs[:epochs]
        self.curves = (ours, theirs)
        steps = np.arange(1, epochs + 1)
        self.ours.set_data(steps, ours)
        self.theirs.set_data(steps, theirs)
        self.ax_loss.set_xlim(0, last + 1)
        self.ax_loss.set_ylim(0, np.ceil(max(ours.max(), theirs.max()) * 1.05 * 4) / 4)
        gap = np.abs(ours - theirs)
        self.difference.set_data(steps, np.maximum(gap, FLOOR))
        self.ax_diff.set_xlim(0, last + 1)
        self.show_message(
            f"Loss {ours[0]:.4f} -> {ours[-1]:.4f} in both; the largest difference between "
            f"the curves is {gap.max():.1e} (float64 rounding: the same numbers)."
        )
