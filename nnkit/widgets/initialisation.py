"""InitialisationExplorer: how big the signals are in each layer of a deep network.

Controls: the depth, how the weights start (zeros, small, large, Glorot,
He) and the activation. Left: the spread of each hidden layer's activations
on the way forward. Right: the spread of each layer's weight gradients on
the way back. Sigmoid with many layers: the gradients near the input vanish
(each layer multiplies them by a slope of at most 0.25); ReLU with He keeps
them the same size.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from ..deep import INIT_SCHEMES, SignalSizes, deep_network, signal_sizes
from ..plots.style import HIGHLIGHT, POSITIVE
from .base import Explorer, long_slider
from .columns import line_up

FLOOR = 1e-12  # the log axis reaches at least this low (it has no 0)
MAX_DEPTH = 20


class InitialisationExplorer(Explorer):
    """``depth`` hidden layers of ``width`` neurons on random inputs (n_samples, width).

    After each redraw ``sizes`` holds the SignalSizes that were drawn.
    """

    figure_size = (9.0, 3.6)
    draws_ahead = True  # the picture follows from the controls alone

    def __init__(
        self,
        depth: int = 10,
        init: str = "glorot",
        activation: str = "sigmoid",
        width: int = 64,
        seed: int = 0,
    ) -> None:
        rng = np.random.default_rng(seed)
        self.X = rng.normal(size=(256, width))
        self.y = rng.integers(0, 10, size=256)
        self.width, self.seed = width, seed
        self._initial = dict(depth=depth, init=init, activation=activation)
        self.sizes: SignalSizes | None = None
        self._measured: dict[tuple, SignalSizes] = {}  # (depth, init, activation) -> sizes
        super().__init__()

    def build_controls(self) -> dict[str, widgets.Widget]:
        v = self._initial
        controls = {
            "depth": long_slider(
                widgets.IntSlider,
                "hidden layers",
                value=v["depth"],
                min=1,
                max=MAX_DEPTH,
            ),
            "init": long_slider(
                widgets.Dropdown,
                "weights start",
                options=list(INIT_SCHEMES),
                value=v["init"],
            ),
            "activation": widgets.ToggleButtons(
                options=["sigmoid", "tanh", "relu"],
                value=v["activation"],
                style={"button_width": "90px"},
            ),
        }
        line_up(controls.values())
        return controls

    def build_figure(self) -> None:
        self.ax_act, self.ax_grad = self.figure.subplots(1, 2, sharey=True)
        self.ax_act.set(
            title="activations: spread (std) per layer",
            xlabel="hidden layer",
            ylabel="std (log scale)",
            yscale="log",
            ylim=(FLOOR / 2, 1e8),
            xlim=(0.5, MAX_DEPTH + 1.5),
        )
        self.ax_grad.set(
            title="dL/dweights: spread per layer",
            xlabel="layer (input side: 1)",
            yscale="log",
            xlim=(0.5, MAX_DEPTH + 1.5),
        )
        for ax in (self.ax_act, self.ax_grad):
            ax.axhline(1.0, color="grey", linestyle=":", linewidth=1)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # layers are whole numbers
        (self.act_line,) = self.ax_act.plot([], [], "o-", color=POSITIVE, markersize=4)
        (self.grad_line,) = self.ax_grad.plot([], [], "o-", color=HIGHLIGHT, markersize=4)
        # only the two lines move, and the frames they touch (the axes change in steps)
        self.animated = [
            self.act_line,
            self.grad_line,
            *self.ax_act.spines.values(),
            *self.ax_grad.spines.values(),
        ]

    def background_key(self) -> tuple:
        """The cached axes are drawn again only when the log axis grows (four decades)."""
        return self.ax_act.get_ylim()

    def measure(self, depth: int, init: str, activation: str) -> SignalSizes:
        """The signal sizes of one such network (each setting is measured once)."""
        key = (depth, init, activation)
        if key not in self._measured:
            model = deep_network(
                depth,
                width=self.width,
                n_inputs=self.width,
                activation=activation,
                init=init,
                seed=self.seed,
            )
            self._measured[key] = signal_sizes(model, self.X, self.y)
        return self._measured[key]

    def update(self) -> None:
        self.sizes = sizes = self.measure(
            self.value("depth"), self.value("init"), self.value("activation")
        )
        # the (shared) log axis grows four decades at a time to show every value, at least
        # FLOOR to 1e8, so most settings share one of few cached backgrounds (background_key)
        values = np.concatenate([sizes.activations, sizes.gradients])
        values = values[np.isfinite(values) & (values > 0)]
        low, high = FLOOR, 1e8
        if values.size:
            low /= 1e4 ** max(0, np.ceil(np.log10(FLOOR / values.min()) / 4))
            high *= 1e4 ** max(0, np.ceil(np.log10(values.max() / high) / 4))
        self.ax_act.set_ylim(low / 2, high)
        # a spread of exactly 0 (a log axis has no 0) sits on the bottom edge
        for line, spread in ((self.act_line, sizes.activations), (self.grad_line, sizes.gradients)):
            line.set_data(np.arange(1, len(spread) + 1), np.where(spread > 0, spread, low / 2))
        self._explain(sizes)

    def _explain(self, sizes: SignalSizes) -> None:
        first, last = sizes.gradients[0], sizes.gradients[-1]
        init, activation = self.value("init"), self.value("activation")
        text = f"Gradient spread: {first:.2g} at the first layer, {last:.2g} at the last. "
        if not np.all(np.isfinite(sizes.activations)) or sizes.activations.max() > 1e6:
            self.show_message(text + "Exploding: every layer multiplies the signal up.", "error")
        elif init == "zeros":
            self.show_message(
                text + "All weights zero: every neuron of a layer computes the same value and "
                "gets the same gradient, so they can never become different (symmetry).",
                "error",
            )
        elif sizes.activations[-1] < 1e-3:
            self.show_message(
                text + "Vanishing signal: weights this small shrink the activations layer "
                "after layer, and the gradients with them. Glorot or He keep the size.",
                "warning",
            )
        elif first < 1e-4 * max(last, FLOOR):
            self.show_message(
                text
                + "Vanishing gradients: the layers near the input barely learn. "
                + (
                    "Sigmoid's slope is at most 0.25, so each layer shrinks the gradient. "
                    if activation == "sigmoid"
                    else ""
                )
                + "Try ReLU with He, or fewer layers.",
                "warning",
            )
        else:
            self.show_message(text + f"With {init} and {activation} the signal keeps its size.")
