"""The network diagram: neurons in columns, every neuron wired to every neuron of the next layer.

Line colour shows a weight's sign (blue positive, orange negative) and line
width its size |weight|; a neuron's fill shows its value the same way.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure

from ..layers import Dense
from .style import HIGHLIGHT, NEGATIVE, POSITIVE, new_figure


def _pale(colour: str, amount: float = 0.55) -> tuple[float, float, float]:
    """Mix a colour with white, so the numbers written on neurons stay readable."""
    return tuple(c + (1.0 - c) * amount for c in to_rgb(colour))


VALUE_COLOURS = LinearSegmentedColormap.from_list(
    "nnkit_values", [_pale(NEGATIVE), (1.0, 1.0, 1.0), _pale(POSITIVE)]
)


def _dense_layers(model) -> list[tuple[int, Dense]]:
    return [(i, layer) for i, layer in enumerate(model.layers) if isinstance(layer, Dense)]


def layer_column(model, layer_index: int) -> int:
    """Which column of neurons a layer of ``model.layers`` writes to (0 = the inputs).

    A Dense layer fills the next column with weighted sums and the
    activation after it changes that same column in place.
    """
    return sum(isinstance(layer, Dense) for layer in model.layers[: layer_index + 1])


def network_values(model, sample) -> list[np.ndarray]:
    """One sample's values in every column: inputs, each hidden layer, the outputs.

    ``sample`` has shape (n_inputs,). Runs ``model.layers`` one by one and
    keeps each column's last value (after its activation): a list with one
    array (n_neurons,) per column.
    """
    values = np.asarray(sample, dtype=float).reshape(1, -1)
    columns = [values[0]]
    for layer in model.layers:
        values = layer.forward(values)
        if isinstance(layer, Dense):
            columns.append(values[0])
        else:
            columns[-1] = values[0]
    return columns


class NetworkDrawing:
    """The artists of one network diagram, so an explorer can update them in place."""

    def __init__(self, ax: Axes, model, feature_names=None, class_names=None) -> None:
        self.ax = ax
        self.model = model
        dense = _dense_layers(model)
        if not dense:
            raise ValueError("plot_network needs a model with at least one Dense layer")
        self.sizes = [dense[0][1].n_inputs] + [layer.n_neurons for _, layer in dense]
        self.positions = [self._column_positions(c, n) for c, n in enumerate(self.sizes)]
        biggest = max(float(np.abs(layer.weights).max()) for _, layer in dense) or 1.0

        # one LineCollection per Dense layer: n_inputs * n_neurons lines
        self.connections: dict[int, LineCollection] = {}
        for column, (index, layer) in enumerate(dense, start=1):
            segments, colours, widths = [], [], []
            for i, start in enumerate(self.positions[column - 1]):
                for j, end in enumerate(self.positions[column]):
                    weight = layer.weights[i, j]
                    segments.append([start, end])
                    colours.append(POSITIVE if weight >= 0 else NEGATIVE)
                    widths.append(0.4 + 4.0 * abs(weight) / biggest)
            lines = LineCollection(
                segments,
                colors=colours,
                linewidths=widths,
                alpha=0.8,
                zorder=1,
                gid=f"dense-{index}",
            )
            ax.add_collection(lines)
            self.connections[index] = lines

        # neurons: one scatter per column, with its value written inside
        self.neurons, self.texts = [], []
        for column, points in enumerate(self.positions):
            points = np.array(points)
            dots = ax.scatter(
                points[:, 0],
                points[:, 1],
                s=900,
                c="white",
                edgecolors="0.25",
                linewidths=1.2,
                zorder=2,
                gid=f"column-{column}",
            )
            self.neurons.append(dots)
            self.texts.append(
                [
                    ax.text(x, y, "", ha="center", va="center", fontsize=8, zorder=3)
                    for x, y in points
                ]
            )

        titles = ["input"] + [f"hidden {c}" for c in range(1, len(self.sizes) - 1)] + ["output"]
        top = max(self.sizes) / 2 + 0.2
        for column, title in enumerate(titles):
            ax.text(
                column,
                top,
                f"{title}\n({self.sizes[column]})",
                ha="center",
                va="bottom",
                fontsize=9,
            )
        if feature_names is not None:
            for name, (x, y) in zip(feature_names, self.positions[0]):
                ax.text(x - 0.2, y, str(name), ha="right", va="center", fontsize=8)
        if class_names is not None:
            for name, (x, y) in zip(class_names, self.positions[-1]):
                ax.text(x + 0.2, y, str(name), ha="left", va="center", fontsize=8)
        margin = 1.2 if feature_names is not None or class_names is not None else 0.5
        ax.set_xlim(-margin, len(self.sizes) - 1 + margin)
        ax.set_ylim(-max(self.sizes) / 2 - 0.2, top + 0.8)
        ax.set_axis_off()

    @staticmethod
    def _column_positions(column: int, n: int) -> list[tuple[float, float]]:
        # neurons centred vertically, one unit apart
        return [(float(column), (n - 1) / 2 - j) for j in range(n)]

    def set_values(self, values) -> None:
        """Write values on the neurons: a sample (n_inputs,) or one array per column."""
        if values is None:
            for dots, texts in zip(self.neurons, self.texts):
                dots.set_facecolor("white")
                for text in texts:
                    text.set_text("")
            return
        if not isinstance(values, (list, tuple)):
            values = network_values(self.model, values)
        if len(values) != len(self.sizes):
            raise ValueError(
                f"values must hold {len(self.sizes)} columns "
                f"(sizes {self.sizes}), got {len(values)}"
            )
        for column, (dots, texts, column_values) in enumerate(
            zip(self.neurons, self.texts, values)
        ):
            column_values = np.asarray(column_values, dtype=float).ravel()
            if column_values.size != self.sizes[column]:
                raise ValueError(
                    f"column {column} has {self.sizes[column]} neurons, "
                    f"got {column_values.size} values"
                )
            # tanh squashes any value into the colour range (-1 .. 1)
            dots.set_facecolor(VALUE_COLOURS((np.tanh(column_values) + 1) / 2))
            for text, value in zip(texts, column_values):
                text.set_text(f"{value:.2f}")

    def set_highlight(self, layer_index: int | None) -> None:
        """Emphasise one layer of ``model.layers``: a Dense layer's wires and neurons,
        or the column an activation changes. ``None`` removes the highlight."""
        column = None if layer_index is None else layer_column(self.model, layer_index)
        for index, lines in self.connections.items():
            lines.set_alpha(0.8 if layer_index in (None, index) else 0.15)
        for c, dots in enumerate(self.neurons):
            dots.set_edgecolor(HIGHLIGHT if c == column else "0.25")
            dots.set_linewidth(3.0 if c == column else 1.2)


def plot_network(
    model,
    values=None,
    highlight: int | None = None,
    feature_names=None,
    class_names=None,
    ax: Axes | None = None,
) -> Figure:
    """Draw ``model`` as a network diagram and return the Figure.

    ``values``: one sample (n_inputs,) to feed forward, or a list with one
    array per column of neurons (inputs, hidden layers, outputs), written
    on the neurons. ``highlight``: an index into ``model.layers`` to
    emphasise (a Dense layer's connections, or the column an activation
    changes). Each Dense layer is one LineCollection of n_inputs * n_neurons
    lines with gid ``"dense-<layer index>"``.
    """
    if ax is None:
        n_columns = len(_dense_layers(model)) + 1
        tall = max([model.n_inputs or 1] + [layer.n_neurons for _, layer in _dense_layers(model)])
        fig = new_figure(1.8 * n_columns + 2.2, 0.65 * tall + 1.2)
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    drawing = NetworkDrawing(ax, model, feature_names, class_names)
    drawing.set_values(values)
    drawing.set_highlight(highlight)
    return fig
