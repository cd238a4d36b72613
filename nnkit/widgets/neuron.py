"""NeuronExplorer (lesson 01): one neuron with two inputs, its weighted sum and activations."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Polygon

from ..activations import get_activation
from ..datasets import load_penguins
from ..layers import Dense
from ..plots.activations import LESSON_ACTIVATIONS
from ..plots.style import CLASS_COLOURS, HIGHLIGHT, POSITIVE
from .base import Explorer, slider, wrapping_row
from .columns import line_up

Z_LIMIT = 8.0  # the activation panels show weighted sums from -8 to 8


class NeuronExplorer(Explorer):
    """Sliders for two inputs, two weights and the bias of one neuron.

    Shows the weighted sum z = w1*x1 + w2*x2 + bias, what each activation
    (step, sigmoid, tanh, ReLU) makes of it, and the neuron's decision line
    w1*x1 + w2*x2 + bias = 0 over penguins measured on two standardised
    features. After each change: ``weighted_sum`` (float), ``outputs``
    (activation name -> float) and ``fires`` (the step's verdict).
    """

    figure_size = (10.0, 4.4)
    draws_ahead = True  # the picture follows from the controls alone

    def __init__(
        self,
        features: tuple[str, str] = ("bill_depth_mm", "flipper_length_mm"),
        inputs: tuple[float, float] = (-0.5, 1.0),
        weights: tuple[float, float] = (-1.0, 1.0),
        bias: float = 0.0,
    ) -> None:
        data = load_penguins()
        columns = [data.feature_names.index(name) for name in features]
        X = data.X[:, columns]
        # standardise: each feature gets mean 0 and standard deviation 1
        self.points = (X - X.mean(axis=0)) / X.std(axis=0)
        self.labels = data.y
        self.class_names = data.class_names
        self.features = tuple(features)
        self._start = (inputs, weights, bias)
        # the neuron itself: a Dense layer with 2 inputs and 1 neuron
        self.neuron = Dense(2, 1)
        self.activations = {name: get_activation(name) for name in LESSON_ACTIVATIONS}
        self.weighted_sum = 0.0
        self.outputs: dict[str, float] = {}
        self.fires = False
        super().__init__()

    def build_controls(self) -> dict[str, widgets.Widget]:
        (x1, x2), (w1, w2), bias = self._start
        controls = {
            "x1": slider(x1, -3, 3, 0.05, f"input x1 ({self.features[0]})"),
            "x2": slider(x2, -3, 3, 0.05, f"input x2 ({self.features[1]})"),
            "w1": slider(w1, -3, 3, 0.05, "weight w1"),
            "w2": slider(w2, -3, 3, 0.05, "weight w2"),
            "bias": slider(bias, -3, 3, 0.05, "bias b"),
        }
        # the two columns of the layout, each lined up
        line_up([controls["x1"], controls["x2"]])
        line_up([controls["w1"], controls["w2"], controls["bias"]])
        return controls

    def layout(self) -> widgets.Widget:
        # the figure is wide: sliders in two columns above it (inputs | weights and bias)
        c = self.controls
        sliders = wrapping_row(
            [widgets.VBox([c["x1"], c["x2"]]), widgets.VBox([c["w1"], c["w2"], c["bias"]])]
        )
        return widgets.VBox([sliders, self.message, self.image])

    def build_figure(self) -> None:
        axes = self.figure.subplot_mosaic(
            [["data", "data", "step", "sigmoid"], ["data", "data", "tanh", "relu"]]
        )
        ax = axes["data"]
        for k, name in enumerate(self.class_names):
            chosen = self.labels == k
            ax.scatter(*self.points[chosen].T, s=12, color=CLASS_COLOURS[k], label=name)
        # the side of the line where the neuron fires (z >= 0) is shaded
        self.region = Polygon(
            np.zeros((0, 2)),
            closed=True,
            color=POSITIVE,
            alpha=0.15,
            lw=0,
            label="neuron fires (z >= 0)",
        )
        ax.add_patch(self.region)
        (self.line,) = ax.plot([], [], color=POSITIVE, lw=2, label="decision line (z = 0)")
        (self.point,) = ax.plot(
            [], [], "*", color=HIGHLIGHT, ms=18, markeredgecolor="k", label="your input (x1, x2)"
        )
        ax.set(
            xlim=(-3, 3),
            ylim=(-3, 3),
            xlabel=f"x1: {self.features[0]} (standardised)",
            ylabel=f"x2: {self.features[1]} (standardised)",
            title="the neuron's decision line",
        )
        # outside the axes, where the moving line and region never pass under it
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.13),
            ncol=3,
            fontsize=7,
            markerscale=0.6,
            frameon=False,
        )
        self.data_ax = ax

        z = np.linspace(-Z_LIMIT, Z_LIMIT, 321)
        self.markers, self.z_lines = {}, {}
        for name, activation in self.activations.items():
            ax = axes[name]
            ax.axhline(0, color="0.85", lw=0.8)
            ax.plot(z, activation.function(z), color=POSITIVE, lw=1.8)
            self.z_lines[name] = ax.axvline(0, color=HIGHLIGHT, lw=1, ls=":")
            (self.markers[name],) = ax.plot([], [], "o", color=HIGHLIGHT, ms=7, zorder=3)
            # the values are in the message: text is slow to draw at every move
            ax.set_title(f"{name}(z)", fontsize=10)
            ax.set_xlim(-Z_LIMIT, Z_LIMIT)
            ax.tick_params(labelsize=7)
        for name in ("tanh", "relu"):
            axes[name].set_xlabel("weighted sum z", fontsize=8)
        # only these change when a slider moves (see Explorer.render)
        self.animated = [
            self.region,
            self.line,
            self.point,
            *self.markers.values(),
            *self.z_lines.values(),
        ]

    def update(self) -> None:
        x = np.array([[self.value("x1"), self.value("x2")]])
        self.neuron.weights = [[self.value("w1")], [self.value("w2")]]
        self.neuron.bias = [self.value("bias")]
        self.weighted_sum = float(self.neuron.forward(x)[0, 0])
        z = self.weighted_sum
        self.outputs = {
            name: float(act.function(np.array([z]))[0]) for name, act in self.activations.items()
        }
        self.fires = self.outputs["step"] == 1.0

        self.region.set_xy(self._firing_region())
        self.line.set_data(*self._decision_line())
        self.point.set_data([x[0, 0]], [x[0, 1]])

        shown = float(np.clip(z, -Z_LIMIT, Z_LIMIT))  # keep the dot on screen
        for name, output in self.outputs.items():
            self.markers[name].set_data([shown], [output])
            self.z_lines[name].set_xdata([shown, shown])
        w1, w2, b = self.value("w1"), self.value("w2"), self.value("bias")
        verdict = "fires (1)" if self.fires else "stays quiet (0)"
        outputs = " &nbsp;·&nbsp; ".join(
            f"{name}(z) = {output:.3f}" for name, output in self.outputs.items()
        )
        self.show_message(
            f"weighted sum z = w1·x1 + w2·x2 + b = ({w1:.2f})({x[0, 0]:.2f}) + "
            f"({w2:.2f})({x[0, 1]:.2f}) + ({b:.2f}) = <b>{z:.3f}</b>: "
            f"the step neuron <b>{verdict}</b><br>{outputs}"
        )

    def _firing_region(self) -> np.ndarray:
        """Corners of the part of the plot where z >= 0 (the square cut by the line)."""
        square = np.array([[-3.0, -3.0], [3.0, -3.0], [3.0, 3.0], [-3.0, 3.0]])
        z = self.neuron.forward(square)[:, 0]
        corners = []
        for k in range(4):
            (a, za), (b, zb) = (square[k], z[k]), (square[(k + 1) % 4], z[(k + 1) % 4])
            if za >= 0:
                corners.append(a)
            if (za >= 0) != (zb >= 0):  # the line crosses this edge: add the crossing
                corners.append(a + (b - a) * za / (za - zb))
        return np.array(corners).reshape(-1, 2)

    def _decision_line(self) -> tuple[list[float], list[float]]:
        """Points of w1*x1 + w2*x2 + b = 0 across the plot (empty if both weights are 0)."""
        w1, w2, b = self.value("w1"), self.value("w2"), self.value("bias")
        if abs(w2) > 1e-9:
            xs = np.array([-3.0, 3.0])
            return list(xs), list(-(w1 * xs + b) / w2)
        if abs(w1) > 1e-9:
            return [-b / w1, -b / w1], [-3.0, 3.0]
        return [], []
