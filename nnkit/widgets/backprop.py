"""BackpropStepper: one forward and backward pass, one layer at a time.

The network diagram shows every value (black) and, once backpropagation has
reached it, its gradient \u2202L/\u2202value (red); the current layer is shaded. Below
it, the step is written out with the actual numbers: the weighted sums, the
chain-rule products, each gradient next to its numerical estimate
(gradcheck), and finally one SGD update, old weight -> new weight.
"""

from __future__ import annotations

import copy

import ipywidgets as widgets
import numpy as np

from ..activations import Activation, softmax
from ..examples import tiny_example
from ..gradcheck import relative_error
from ..layers import Dense
from ..losses import CrossEntropy
from ..network import Sequential
from ..optimizers import SGD
from ..plots.style import HIGHLIGHT, NEGATIVE, POSITIVE
from ..trace import Trace, TraceStep, record
from .base import Explorer, labelled, slider, wrapping_row

GRAD_COLOUR = "#b00020"


def _f(value: float) -> str:
    return f"{value:.4f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th style='padding:2px 8px'>{h}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(f"<td style='padding:2px 8px;font-family:monospace'>{c}</td>" for c in row)
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


class BackpropStepper(Explorer):
    """Step through ``trace.record(model, loss, X, y)``, then one SGD update.

    Defaults to ``tiny_example()``. Steps: one per layer forward, the loss,
    one per layer backward, and the update. ``trace`` holds the recorded
    numbers, ``numeric`` the numerical gradients, ``errors`` their relative
    errors, and ``updated`` the model after the SGD step.
    """

    figure_size = (8.0, 3.4)
    draws_ahead = True  # the picture follows from the controls alone

    def __init__(
        self, model: Sequential | None = None, X=None, y=None, loss=None, learning_rate: float = 0.5
    ) -> None:
        if model is None:
            model, X, y = tiny_example()
        self.model, self.loss = model, loss or CrossEntropy()
        self.trace: Trace = record(self.model, self.loss, X, y)
        self.numeric = self.trace.numerical_gradients()
        self.errors = self.trace.compare()
        self.n_steps = len(self.trace.steps) + 1  # + the update
        self._learning_rate = learning_rate
        self.explanation = widgets.HTML()
        super().__init__()

    # -- controls ------------------------------------------------------------
    def build_controls(self) -> dict[str, widgets.Widget]:
        step = labelled(widgets.IntSlider, "step", "420px", value=0, min=0, max=self.n_steps - 1)
        previous = widgets.Button(description="\u25c0 Previous", layout={"width": "110px"})
        following = widgets.Button(description="Next \u25b6", layout={"width": "110px"})
        previous.on_click(lambda _: self.go(step.value - 1))
        following.on_click(lambda _: self.go(step.value + 1))
        lr = slider(self._learning_rate, 0.05, 2.0, 0.05, "learning rate")
        return {"previous": previous, "next": following, "step": step, "learning_rate": lr}

    def go(self, step: int) -> None:
        """Jump to ``step`` (clipped to the first and last step)."""
        self.controls["step"].value = int(np.clip(step, 0, self.n_steps - 1))

    def layout(self) -> widgets.Widget:
        c = self.controls
        bar = wrapping_row([c["previous"], c["next"], c["step"], c["learning_rate"]])
        return widgets.VBox([bar, self.message, self.image, self.explanation])

    @property
    def current(self) -> TraceStep | None:
        """The TraceStep shown now (None on the final update step)."""
        step = self.value("step")
        return self.trace.steps[step] if step < len(self.trace.steps) else None

    def text_widgets(self) -> list[widgets.HTML]:
        return [self.message, self.explanation]  # the explanation goes with each picture

    def draw(self) -> bytes:
        """Each step's picture is drawn once and kept: stepping back and forth is instant."""
        step = self.value("step")
        last = step == self.n_steps - 1
        # only the last step (the SGD update) depends on the learning rate
        key = (step, self.value("learning_rate") if last else None)
        if key not in self._pictures:
            if len(self._pictures) > 64:
                self._pictures.clear()
            if last:
                # a new learning rate changes only the weights: draw them over the rest
                self._pictures[key] = self.renderer.render(self.weight_artists, "update")
            else:
                for artist in self.weight_artists:
                    artist.set_animated(False)  # a whole picture: the weights too
                self._pictures[key] = self.renderer.render()
        return self._pictures[key]

    # -- the diagram ---------------------------------------------------------
    def build_figure(self) -> None:
        self._pictures: dict[tuple, bytes] = {}
        ax = self.ax = self.figure.add_subplot()
        ax.set_axis_off()
        steps = self.trace.forward_steps
        columns = [steps[0].inputs[0]] + [s.output[0] for s in steps]
        self.columns = len(columns) + 1  # + the loss
        names = ["inputs"] + [f"{s.index}: {s.name}" for s in steps] + ["loss"]
        self.positions = []
        for c, values in enumerate(columns + [np.zeros(1)]):
            n = len(values)
            self.positions.append([(c, (n - 1) / 2 - i) for i in range(n)])
        self.shade = ax.add_patch(_rectangle())
        self.edge_labels: dict[int, list] = {}
        self.edges: dict[int, list] = {}
        for k, layer in enumerate(self.model.layers):
            if not isinstance(layer, Dense):
                for (x0, y0), (x1, y1) in zip(self.positions[k], self.positions[k + 1]):
                    ax.plot([x0, x1], [y0, y1], color="grey", linewidth=1, zorder=1)
                continue
            lines, labels = [], []
            for i, (x0, y0) in enumerate(self.positions[k]):
                for j, (x1, y1) in enumerate(self.positions[k + 1]):
                    # from circle edge to circle edge: nothing is drawn over the line, so it
                    # can be redrawn alone over a cached picture (see render)
                    (line,) = ax.plot(*_between_circles((x0, y0), (x1, y1)), zorder=1)
                    lines.append((i, j, line))
                    # mid-way on straight lines, past the crossing point on slanted ones
                    t = 0.5 if y0 == y1 else 0.62
                    labels.append(
                        (
                            i,
                            j,
                            ax.text(
                                x0 + t * (x1 - x0),
                                y0 + t * (y1 - y0),
                                "",
                                fontsize=7,
                                ha="center",
                                va="center",
                                bbox={"fc": "white", "ec": "none", "pad": 0.5},
                            ),
                        )
                    )
            self.edges[k], self.edge_labels[k] = lines, labels
        ((x1, y1),) = self.positions[-1]
        for x0, y0 in self.positions[-2]:
            ax.plot([x0, x1], [y0, y1], color="grey", linewidth=1, zorder=1)
        self.value_texts, self.grad_texts = [], []
        for c, nodes in enumerate(self.positions):
            values, grads = [], []
            for x, y in nodes:
                ax.add_patch(_circle((x, y)))
                values.append(ax.text(x, y + 0.06, "", ha="center", va="center", fontsize=8))
                grads.append(
                    ax.text(
                        x, y - 0.17, "", ha="center", va="center", fontsize=7, color=GRAD_COLOUR
                    )
                )
            self.value_texts.append(values)
            self.grad_texts.append(grads)
            ax.text(c, max(y for _, y in nodes) + 0.5, names[c], ha="center", fontsize=8)
        self.weight_artists = [
            artist
            for k in self.edges
            for artist in [line for *_, line in self.edges[k]]
            + [label for *_, label in self.edge_labels[k]]
        ]
        ax.set_aspect("equal")
        ax.set_xlim(-0.4, self.columns - 0.6)
        top = max(len(p) for p in self.positions) / 2 + 0.3
        ax.set_ylim(-top, top + 0.2)

    def _draw_weights(self, model: Sequential, changed: bool) -> None:
        for k, lines in self.edges.items():
            weights = model.layers[k].weights
            for (i, j, line), (_, _, label) in zip(lines, self.edge_labels[k]):
                w = weights[i, j]
                line.set_color(POSITIVE if w >= 0 else NEGATIVE)
                line.set_linewidth(0.5 + 2.5 * min(abs(w), 1.5))
                label.set_text(f"{w:.3f}" if changed else f"{w:.2g}")
                label.set_color(HIGHLIGHT if changed else "black")

    # -- each step -----------------------------------------------------------
    def update(self) -> None:
        step = self.value("step")
        if not self.drawing_ahead:  # (a picture drawn ahead leaves the buttons as they are)
            self.controls["previous"].disabled = step == 0
            self.controls["next"].disabled = step == self.n_steps - 1
        n_layers = len(self.model.layers)
        # values are known up to the current forward step, gradients from the loss down
        known = min(step + 1, n_layers + 1)
        for c, texts in enumerate(self.value_texts):
            values = self._column_values(c)
            for t, v in zip(texts, values):
                t.set_text(_f(v) if c <= known else "")
        grads_from = self._gradients_known_from(step)
        for c, texts in enumerate(self.grad_texts):
            grads = self._column_grads(c)
            for t, g in zip(texts, grads if grads is not None else []):
                t.set_text(f"\u2202L {_f(g)}" if c >= grads_from else "")
        current = self.current
        if current is None:
            self.shade.set_visible(False)
            updated = self._update_model()
            self._draw_weights(updated, changed=True)
            self.show_message(f"<b>Step {step}: one SGD update</b> (every weight at once)")
            self.show_text(self.explanation, self._explain_update(updated))
            return
        self.shade.set_visible(True)
        left = current.index if current.phase != "loss" else n_layers
        self.shade.set_x(left - 0.35)
        self._draw_weights(self.model, changed=False)
        title = {"forward": "forward", "backward": "backward", "loss": "the loss"}[current.phase]
        where = (
            "" if current.phase == "loss" else f" through layer {current.index} ({current.name})"
        )
        self.show_message(f"<b>Step {step}: {title}{where}</b>")
        self.show_text(self.explanation, self._explain(current))

    def _column_values(self, c: int) -> np.ndarray:
        steps = self.trace.forward_steps
        if c == 0:
            return steps[0].inputs[0]
        if c <= len(steps):
            return steps[c - 1].output[0]
        return np.array([self.trace.loss_value])

    def _column_grads(self, c: int) -> np.ndarray | None:
        backward = {s.index: s for s in self.trace.backward_steps}
        if c < len(self.model.layers):
            return backward[c].grad_input[0]
        if c == len(self.model.layers):
            return self.trace.steps[len(self.model.layers)].grad_input[0]
        return None

    def _gradients_known_from(self, step: int) -> int:
        """Columns >= this one show their gradient at ``step``."""
        n = len(self.model.layers)
        if step < n:
            return self.columns + 1
        # the loss step gives ∂L/∂z of the outputs (column n); each backward step one column lower
        return max(n - (step - n), 0)

    def _explain(self, s: TraceStep) -> str:
        layer = self.model.layers[s.index] if s.index >= 0 else None
        x, out = s.inputs[0], s.output[0]
        if s.phase == "loss":
            return self._explain_loss(s)
        if s.phase == "forward" and isinstance(layer, Dense):
            w, b = s.params["weights"], s.params["bias"]
            rows = []
            for j in range(len(out)):
                terms = " + ".join(f"{_f(x[i])}\u00d7{_f(w[i, j])}" for i in range(len(x)))
                rows.append([f"z<sub>{j}</sub>", f"{terms} + {_f(b[j])}", _f(out[j])])
            return (
                "Each neuron: weighted sum of its inputs plus its bias, "
                "z<sub>j</sub> = \u03a3<sub>i</sub> a<sub>i</sub> w<sub>ij</sub> + "
                "b<sub>j</sub>." + _table(["", "input \u00d7 weight + bias", "= z"], rows)
            )
        if s.phase == "forward":
            rows = [
                [f"a<sub>{j}</sub>", f"{s.name.lower()}({_f(x[j])})", _f(out[j])]
                for j in range(len(out))
            ]
            return (
                "The activation acts on each weighted sum on its own: a = activation(z)."
                + _table(["", "activation(z)", "= a"], rows)
            )
        return self._explain_backward(s, layer)

    def _explain_loss(self, s: TraceStep) -> str:
        logits, grad = s.inputs[0], s.grad_input[0]
        if isinstance(self.loss, CrossEntropy):
            # softmax of the recorded outputs: the loss object may since have seen the
            # updated network (the update step computes the new loss)
            p, label = softmax(logits), int(np.asarray(self.trace.y).ravel()[0])
            rows = [
                [f"class {j}", _f(logits[j]), _f(p[j]), "1" if j == label else "0", _f(grad[j])]
                for j in range(len(p))
            ]
            return (
                f"Softmax turns the outputs into probabilities; the loss is "
                f"\u2212log(p<sub>true</sub>) = \u2212log({_f(p[label])}) = "
                f"<b>{_f(self.trace.loss_value)}</b>. Its gradient starts backpropagation: "
                "\u2202L/\u2202z = p \u2212 one_hot(true class), for the output values z."
                + _table(["", "output value z", "probability p", "true", "\u2202L/\u2202z"], rows)
            )
        rows = [[f"z<sub>{j}</sub>", _f(logits[j]), _f(grad[j])] for j in range(len(grad))]
        return (
            f"Loss = <b>{_f(self.trace.loss_value)}</b>; backpropagation starts from its "
            "gradient." + _table(["", "output value z", "\u2202L/\u2202z"], rows)
        )

    def _check_cell(self, analytic: float, numeric: float) -> list[str]:
        return [_f(numeric), f"{relative_error(analytic, numeric):.1e}"]

    def _explain_backward(self, s: TraceStep, layer) -> str:
        x, g_out, g_in = s.inputs[0], s.grad_output[0], s.grad_input[0]
        numeric_in = self.numeric[(s.index, "inputs")][0]
        check = ["numerical", "rel. error"]
        if isinstance(layer, Dense):
            w = s.params["weights"]
            gw, gb = s.param_grads["weights"], s.param_grads["bias"]
            nw, nb = self.numeric[(s.index, "weights")], self.numeric[(s.index, "bias")]
            rows = [
                [
                    f"\u2202L/\u2202w<sub>{i}{j}</sub>",
                    f"a<sub>{i}</sub> \u00d7 \u2202L/\u2202z<sub>{j}</sub> = "
                    f"{_f(x[i])} \u00d7 {_f(g_out[j])}",
                    _f(gw[i, j]),
                    *self._check_cell(gw[i, j], nw[i, j]),
                ]
                for i in range(len(x))
                for j in range(len(g_out))
            ]
            rows += [
                [
                    f"\u2202L/\u2202b<sub>{j}</sub>",
                    f"1 \u00d7 {_f(g_out[j])}",
                    _f(gb[j]),
                    *self._check_cell(gb[j], nb[j]),
                ]
                for j in range(len(g_out))
            ]
            rows += [
                [
                    f"\u2202L/\u2202a<sub>{i}</sub>",
                    " + ".join(f"{_f(g_out[j])}\u00d7{_f(w[i, j])}" for j in range(len(g_out))),
                    _f(g_in[i]),
                    *self._check_cell(g_in[i], numeric_in[i]),
                ]
                for i in range(len(x))
            ]
            return (
                "Chain rule through the weighted sum z<sub>j</sub> = \u03a3<sub>i</sub> "
                "a<sub>i</sub> w<sub>ij</sub> + b<sub>j</sub>: \u2202L/\u2202w<sub>ij</sub> = "
                "\u2202L/\u2202z<sub>j</sub> \u00d7 \u2202z<sub>j</sub>/\u2202w<sub>ij"
                "</sub> = \u2202L/\u2202z<sub>j</sub> \u00d7 a<sub>i</sub>; each input "
                "a<sub>i</sub> passes back \u03a3<sub>j</sub> \u2202L/\u2202z<sub>j</sub> "
                "w<sub>ij</sub>."
                + _table(["gradient", "chain-rule product", "= backprop", *check], rows)
            )
        if isinstance(layer, Activation):
            slope = layer.slope(x)
            rows = [
                [
                    f"\u2202L/\u2202z<sub>{j}</sub>",
                    f"{_f(g_out[j])} \u00d7 {_f(slope[j])}",
                    _f(g_in[j]),
                    *self._check_cell(g_in[j], numeric_in[j]),
                ]
                for j in range(len(x))
            ]
            return (
                f"Chain rule through the activation a = {s.name.lower()}(z): \u2202L/\u2202z = "
                f"\u2202L/\u2202a \u00d7 {s.name.lower()}'(z) (for sigmoid, a(1 \u2212 a))."
                + _table(["gradient", "\u2202L/\u2202a \u00d7 slope", "= backprop", *check], rows)
            )
        rows = [
            [
                f"\u2202L/\u2202in<sub>{j}</sub>",
                _f(g_in[j]),
                *self._check_cell(g_in[j], numeric_in[j]),
            ]
            for j in range(len(x))
        ]
        return "Backward through the layer." + _table(["gradient", "= backprop", *check], rows)

    # -- the update ----------------------------------------------------------
    def _update_model(self) -> Sequential:
        """A copy of the model after one SGD step with the traced gradients."""
        updated = copy.deepcopy(self.model)
        for layer, step in zip(updated.layers, self.trace.forward_steps):
            layer.params = {k: v.copy() for k, v in step.params.items()}
        for step in self.trace.backward_steps:
            updated.layers[step.index].grads = {k: g.copy() for k, g in step.param_grads.items()}
        SGD(lr=self.value("learning_rate")).step(updated)
        self.updated = updated
        return updated

    def _explain_update(self, updated: Sequential) -> str:
        lr = self.value("learning_rate")
        rows = []
        for step in reversed(self.trace.backward_steps):
            for name, old in step.params.items():
                grad, new = step.param_grads[name], updated.layers[step.index].params[name]
                for idx in np.ndindex(old.shape):
                    rows.append(
                        [
                            f"layer {step.index} {name}{list(idx)}",
                            _f(old[idx]),
                            _f(grad[idx]),
                            f"{lr:g}",
                            f"<b>{_f(new[idx])}</b>",
                        ]
                    )
        # a copy of the loss, so the recorded pass (shown at the loss step) stays as it was
        new_loss = copy.deepcopy(self.loss).forward(updated.forward(self.trace.X), self.trace.y)
        return (
            f"new weight = old weight \u2212 learning rate \u00d7 gradient. The new weights "
            f"replace the old ones; the loss on this sample goes from "
            f"{_f(self.trace.loss_value)} to <b>{_f(new_loss)}</b>."
            + _table(["parameter", "old", "gradient", "learning rate", "new"], rows)
        )


def _rectangle():
    from matplotlib.patches import Rectangle

    return Rectangle((0, -9), 1.7, 18, color=HIGHLIGHT, alpha=0.15, linewidth=0, zorder=0)


CIRCLE_RADIUS = 0.3


def _circle(xy):
    from matplotlib.patches import Circle

    return Circle(xy, CIRCLE_RADIUS, facecolor="white", edgecolor="grey", zorder=2)


def _between_circles(start, end) -> tuple[list[float], list[float]]:
    """The xs and ys of the line from the edge of the circle at ``start`` to that at ``end``."""
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    inset = CIRCLE_RADIUS * (end - start) / np.linalg.norm(end - start)
    (x0, y0), (x1, y1) = start + inset, end - inset
    return [x0, x1], [y0, y1]
