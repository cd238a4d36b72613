"""ForwardPassExplorer (lesson 02): one penguin's measurements flowing through a small network."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..datasets import load_penguins
from ..network import mlp
from ..plots.network import NetworkDrawing, network_values
from ..plots.style import CLASS_COLOURS, HIGHLIGHT
from .base import Explorer, slider, wrapping_row
from .columns import line_up

SLIDER_STEPS = {
    "bill_length_mm": 0.1,
    "bill_depth_mm": 0.1,
    "flipper_length_mm": 1.0,
    "body_mass_g": 25.0,
}


class ForwardPassExplorer(Explorer):
    """Pick a penguin (or move its measurements) and watch the values flow forward.

    The four measurements are standardised (mean 0, standard deviation 1 over
    all penguins), fed through ``model`` (default: a random 4-5-3 network with
    sigmoid hidden neurons, ``nk.mlp([4, 5, 3], activation="sigmoid", seed=0)``)
    and the three output values are drawn as bars: the guess is the class with
    the largest output value. (Softmax, which turns them into probabilities,
    is lesson 3; this explorer does not use it.) After each change: ``inputs``
    (4,) standardised, ``values`` (one array per column of neurons),
    ``outputs`` (3,) and ``predicted`` (class index).
    """

    figure_size = (10.0, 4.4)
    draws_ahead = True  # the picture follows from the controls alone

    def __init__(self, model=None, penguin: int = 0) -> None:
        self.data = load_penguins()
        self.mean = self.data.X.mean(axis=0)
        self.std = self.data.X.std(axis=0)
        self.model = model if model is not None else mlp([4, 5, 3], activation="sigmoid", seed=0)
        if self.model.n_inputs != 4:
            raise ValueError(
                f"model must take the 4 penguin measurements as inputs, "
                f"but its first Dense layer expects {self.model.n_inputs}"
            )
        self._start = int(penguin)
        self.inputs = np.zeros(4)
        self.values: list[np.ndarray] = []
        self.outputs = np.zeros(3)
        self.predicted = 0
        super().__init__()

    def build_controls(self) -> dict[str, widgets.Widget]:
        row = self.data.X[self._start]
        controls = {
            "penguin": widgets.IntSlider(
                value=self._start,
                min=0,
                max=len(self.data) - 1,
                description="penguin number",
                continuous_update=True,
                style={"description_width": "initial"},
                # 342 penguins: a long track, so a mouse can pick one
                layout=widgets.Layout(width="460px"),
            )
        }
        for k, name in enumerate(self.data.feature_names):
            low, high = self.data.X[:, k].min(), self.data.X[:, k].max()
            controls[name] = slider(
                float(row[k]),
                float(low),
                float(high),
                SLIDER_STEPS[name],
                name,
                readout_format=".1f",
            )
        # the two columns of the layout, each lined up
        names = self.data.feature_names
        line_up([controls["penguin"], controls[names[0]], controls[names[1]]])
        line_up([controls[names[2]], controls[names[3]]])
        return controls

    def on_control_change(self, name: str, change: dict) -> None:
        # choosing a penguin moves the four measurement sliders: one redraw for all
        if name == "penguin" and not self.holding:
            with self.hold():
                for feature, value in zip(self.data.feature_names, self.data.X[change["new"]]):
                    self.controls[feature].value = float(value)
            return
        super().on_control_change(name, change)

    def as_pressed(self, values: dict) -> dict:
        # a press on the penguin slider brings that penguin's measurements (as above)
        if "penguin" in values:
            row = self.data.X[values["penguin"]]
            values = values | {f: float(v) for f, v in zip(self.data.feature_names, row)}
        return values

    def layout(self) -> widgets.Widget:
        # the figure is wide: the penguin picker and its measurements in two columns above it
        names = self.data.feature_names
        c = self.controls
        sliders = wrapping_row(
            [
                widgets.VBox([c["penguin"], c[names[0]], c[names[1]]]),
                widgets.VBox([c[names[2]], c[names[3]]]),
            ]
        )
        return widgets.VBox([sliders, self.message, self.image])

    def build_figure(self) -> None:
        ax_net, ax_probs = self.figure.subplots(1, 2, width_ratios=[3, 1])
        short = ["bill length", "bill depth", "flipper", "body mass"]
        self.drawing = NetworkDrawing(
            ax_net, self.model, feature_names=short, class_names=self.data.class_names
        )
        n_classes = len(self.data.class_names)
        self.bars = ax_probs.bar(
            range(n_classes), np.zeros(n_classes), color=CLASS_COLOURS[:n_classes], linewidth=3
        )
        ax_probs.axhline(0, color="grey", linewidth=0.8)
        ax_probs.set(
            ylim=(-4, 4),
            xticks=range(n_classes),
            ylabel="output value",
            title="output values",
        )
        ax_probs.set_xticklabels(self.data.class_names, rotation=30)
        # who the penguin is and the guess go into the message: text is slow to draw
        ax_net.set_title("the forward pass: values flow from left to right", fontsize=10)
        self.animated = [*self.drawing.neurons, *sum(self.drawing.texts, []), *self.bars]

    def update(self) -> None:
        measurements = np.array([self.value(name) for name in self.data.feature_names])
        # standardise with the statistics of all penguins, as the network expects
        self.inputs = (measurements - self.mean) / self.std
        self.values = network_values(self.model, self.inputs)
        self.outputs = self.values[-1]
        # the guess is the largest output value (lesson 3 turns them into probabilities)
        self.predicted = int(np.argmax(self.outputs))

        self.drawing.set_values(self.values)
        for k, (bar, value) in enumerate(zip(self.bars, self.outputs)):
            bar.set_height(value)
            bar.set_edgecolor(HIGHLIGHT if k == self.predicted else "none")
        names = self.data.class_names
        index = self.value("penguin")
        if np.allclose(measurements, self.data.X[index]):
            species = names[self.data.y[index]]
            article = "an" if species[0] in "AEIOU" else "a"
            who = f"penguin {index} (really {article} {species})"
        else:
            who = "your own penguin"

        def numbers(values):
            return ", ".join(f"{v:.2f}" for v in values)

        self.show_message(
            f"{who}: the network says <b>{names[self.predicted]}</b><br>"
            f"standardised inputs ({numbers(self.inputs)}) &rarr; output values "
            f"({numbers(self.outputs)}) &rarr; largest: {names[self.predicted]}"
        )
