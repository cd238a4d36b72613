"""NonlinearityExplorer (lesson 08): why the activation between layers must not be linear.

Without an activation, two Dense layers compute (X W1 + b1) W2 + b2 =
X (W1 W2) + (b1 W2 + b2): one linear map, so the decision boundary stays a
straight line however many neurons there are. Put ReLU (or tanh) between them
and the boundary can bend around the data.
"""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as widgets
import numpy as np

from ..datasets import TOY_DATASETS
from ..network import mlp
from ..optimizers import Adam
from ..plots.decision_boundary import BoundaryPlot, data_extent
from .base import Explorer, labelled, long_slider
from .columns import line_up
from .runs import Runs

ACTIVATION_CHOICES = [("none (linear)", "identity"), ("ReLU", "relu"), ("tanh", "tanh")]
ACTIVATION_LABELS = {value: label for label, value in ACTIVATION_CHOICES}  # as the menu says
DATA_CHOICES = {"circle": "circles", "xor": "xor", "moons": "moons"}
RUNS_KEPT = 100  # trained networks remembered, so going back to a setting is instant


class NonlinearityExplorer(Explorer):
    """Train a 2-hidden-2 network on 2-D data with or without a non-linear activation.

    Controls: the data set, the activation between the layers ("identity" is
    no activation at all), the number of hidden layers and neurons. Each change
    trains a fresh network (Adam, full batch, fixed seed) and colours the plane
    by its prediction. After each change: ``model``, ``accuracy`` (on the
    points shown) and ``collapsed`` (the single (2, n_classes) matrix W1 W2 ...
    the linear network is equal to, or None when the activation is non-linear).
    """

    figure_size = (4.6, 4.2)
    draws_ahead = True  # the picture follows from the controls alone
    resolution = 60

    def __init__(
        self,
        dataset: str = "circle",
        activation: str = "identity",
        hidden_layers: int = 1,
        neurons: int = 8,
        epochs: int = 300,
        seed: int = 0,
    ) -> None:
        if dataset not in DATA_CHOICES:
            raise ValueError(f"dataset must be one of {sorted(DATA_CHOICES)}, got {dataset!r}")
        if activation not in [value for _, value in ACTIVATION_CHOICES]:
            raise ValueError(f"activation must be 'identity', 'relu' or 'tanh', got {activation!r}")
        self._start = dict(
            dataset=dataset, activation=activation, hidden_layers=hidden_layers, neurons=neurons
        )
        self.epochs, self.seed = int(epochs), int(seed)
        self.model = None
        self.accuracy = 0.0
        self.collapsed: np.ndarray | None = None
        self.runs = Runs(self._start_run, kept=RUNS_KEPT)  # settings -> trained Run
        super().__init__()

    def build_controls(self) -> dict[str, widgets.Widget]:
        v = self._start
        controls = {
            "dataset": labelled(
                widgets.Dropdown, "data", options=list(DATA_CHOICES), value=v["dataset"]
            ),
            "activation": labelled(
                widgets.Dropdown,
                "activation",  # between the layers (the message says so): a short label
                options=ACTIVATION_CHOICES,
                value=v["activation"],
            ),
            "hidden_layers": long_slider(
                widgets.IntSlider,
                "hidden layers",
                value=v["hidden_layers"],
                min=1,
                max=3,
            ),
            "neurons": long_slider(
                widgets.IntSlider,
                "neurons per layer",
                value=v["neurons"],
                min=2,
                max=16,
            ),
        }
        line_up(controls.values())
        return controls

    def build_figure(self) -> None:
        self.ax = self.figure.add_subplot()
        self.boundary = BoundaryPlot(self.ax, (-1, 1, -1, 1), self.resolution)
        # the colours can be nearly uniform (a linear network on the circle is ~50/50 everywhere):
        # the line where it is exactly 50/50 shows the boundary's shape, straight or curved
        self.boundary.show_decision_line()
        self.ax.set(xticks=[], yticks=[], xlabel="x\u2081", ylabel="x\u2082")
        self.title = self.ax.set_title(" ", fontsize=10)
        self._data_shown: str | None = None
        # the colours, the boundary line and the title change with the network, the rest only
        # with the data; the points and the frame lie on the colours, so they are drawn again
        self.animated = [self.boundary.image, *self.boundary.markers(), self.title]

    def background_key(self) -> object:
        return self._data_shown

    def _data(self, name: str):
        return TOY_DATASETS[DATA_CHOICES[name]](n=200, noise=0.1, seed=self.seed)

    def _load(self, name: str) -> None:
        data = self._data(name)
        self.X, self.y = data.X, data.y
        self.boundary.set_extent(data_extent(self.X))
        self.boundary.set_points(self.X, self.y)
        self._data_shown = name

    def update(self) -> None:
        if self.value("dataset") != self._data_shown:
            self._load(self.value("dataset"))
        activation = self.value("activation")
        self.model = self.trained(activation, self.value("hidden_layers"), self.value("neurons"))
        self.boundary.set_probabilities(self.model.predict_proba(self.boundary.points))
        self.accuracy = float(np.mean(self.model.predict(self.X) == self.y))
        self.title.set_text(f"accuracy {self.accuracy:.0%}")
        if len(self.boundary.line.get_xdata()):
            line = "the black line, where the network is 50/50"
        else:
            line = "outside the picture: the network predicts one class everywhere here"
        if activation == "identity":
            # the layers multiply out into one matrix: (2, n_classes), a straight boundary
            self.collapsed = self.weight_product()
            matrix = "; ".join(", ".join(f"{v:.2f}" for v in row) for row in self.collapsed)
            self.show_message(
                "No activation: the layers multiply out into <b>one</b> linear map, "
                f"W = W\u2081W\u2082\u2026 = [{matrix}], plus one bias. "
                f"Its boundary ({line}) is a straight line, whatever the number of neurons."
            )
        else:
            self.collapsed = None
            self.show_message(
                f"{ACTIVATION_LABELS[activation]} between the layers: each hidden neuron bends "
                "the plane along its own line, and the output combines them, so the boundary "
                f"({line}) can curve."
            )

    @property
    def trainings(self) -> int:
        """How many networks were trained (each setting once)."""
        return self.runs.trainings

    def _start_run(self, key: tuple) -> tuple:
        dataset, activation, hidden_layers, neurons = key
        data = self._data(dataset)
        model = mlp([2] + [neurons] * hidden_layers + [2], activation=activation, seed=self.seed)
        steps = model.fitting(
            data.X, data.y, optimizer=Adam(lr=0.05), epochs=self.epochs, seed=self.seed
        )
        return model, steps

    def _key(self, activation: str, hidden_layers: int, neurons: int) -> tuple:
        return (self._data_shown, activation, hidden_layers, neurons)

    def trained(self, activation: str, hidden_layers: int, neurons: int):
        """The network with these settings, trained on the data shown; each is trained once,
        so going back to a setting is instant."""
        return self.runs[self._key(activation, hidden_layers, neurons)].model

    def prepare(self, values: dict) -> Iterator[None]:
        """Train the network for ``values`` one epoch at a time (see ``Explorer.prepare``)."""
        now = {name: values.get(name, self.value(name)) for name in self.controls}
        yield from self.runs.training(
            self._key(now["activation"], now["hidden_layers"], now["neurons"])
        )

    def work_ahead(self) -> Iterator[None]:
        """While the student looks, after the pictures one slider press away (drawn ahead,
        trained for them): train the other activations, so that choosing one is instant."""
        now = {name: self.value(name) for name in ("hidden_layers", "neurons")}
        for _, activation in ACTIVATION_CHOICES:
            if activation != self.value("activation"):
                yield from self.runs.training(self._key(activation, **now))

    def weight_product(self) -> np.ndarray:
        """W1 @ W2 @ ...: the one matrix a network without activations is equal to."""
        product = np.eye(2)
        for layer in self.model.layers:
            if hasattr(layer, "weights"):
                product = product @ layer.weights
        return product
