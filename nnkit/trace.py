"""A step-by-step record of one forward and one backward pass.

``record`` runs the network exactly as training does, one layer at a time,
calling each layer's own ``forward`` and ``backward`` (no maths is redone
here), and keeps a copy of every number on the way::

    trace = nk.trace.record(model, nk.CrossEntropy(), X, y)
    for step in trace.steps:
        print(step.phase, step.index, step.name, step.output)

Forward steps hold each layer's input and output; backward steps hold the
gradient that arrived from above (dL/doutput), the gradient passed down
(dL/dinput) and the gradients of the layer's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .gradcheck import numerical_gradient, relative_error


@dataclass
class TraceStep:
    """One layer in one direction.

    phase: "forward" or "backward" (the loss itself is phase "loss", index -1).
    inputs (n_samples, n_in) and output (n_samples, n_out): the values of the
    forward pass. grad_output (n_samples, n_out): dL/doutput arriving from
    above; grad_input (n_samples, n_in): dL/dinputs sent down.
    params / param_grads: name -> copy of the parameter and of dL/dparameter.
    """

    phase: str
    index: int
    name: str
    inputs: np.ndarray
    output: np.ndarray
    grad_output: np.ndarray | None = None
    grad_input: np.ndarray | None = None
    params: dict[str, np.ndarray] = field(default_factory=dict)
    param_grads: dict[str, np.ndarray] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"TraceStep({self.phase}, layer {self.index}: {self.name})"


@dataclass
class Trace:
    """Every step of one pass: forward through the layers, the loss, backward."""

    model: object
    loss: object
    X: np.ndarray
    y: np.ndarray
    steps: list[TraceStep]
    loss_value: float

    @property
    def forward_steps(self) -> list[TraceStep]:
        return [s for s in self.steps if s.phase == "forward"]

    @property
    def backward_steps(self) -> list[TraceStep]:
        return [s for s in self.steps if s.phase == "backward"]

    def gradients(self) -> dict[tuple[int, str], np.ndarray]:
        """{(layer_index, parameter name): dL/dparameter} from the backward pass."""
        return {
            (s.index, name): grad
            for s in self.backward_steps
            for name, grad in s.param_grads.items()
        }

    def _loss_from(self, index: int, values: np.ndarray) -> float:
        """Loss when ``values`` are fed into layer ``index`` and on to the end."""
        for layer in self.model.layers[index:]:
            values = layer.forward(values)
        return self.loss.forward(values, self.y)

    def numerical_gradients(self, eps: float = 1e-5) -> dict[tuple[int, str], np.ndarray]:
        """The same gradients measured by nudging each number (gradcheck).

        Keys are (layer_index, parameter name) and (layer_index, "inputs") for
        dL/dinputs of every layer. The model's weights are left unchanged.
        """
        numeric: dict[tuple[int, str], np.ndarray] = {}
        for step in self.backward_steps:
            layer = self.model.layers[step.index]
            inputs = step.inputs.astype(np.float64)
            for name in layer.params:
                numeric[(step.index, name)] = numerical_gradient(
                    lambda i=step.index, x=inputs: self._loss_from(i, x), layer.params[name], eps
                )
            numeric[(step.index, "inputs")] = numerical_gradient(
                lambda i=step.index, x=inputs: self._loss_from(i, x), inputs, eps
            )
        return numeric

    def compare(self, eps: float = 1e-5) -> dict[tuple[int, str], float]:
        """Relative error between backprop and numerical gradients, per key."""
        numeric = self.numerical_gradients(eps)
        errors = {}
        for step in self.backward_steps:
            for name, grad in step.param_grads.items():
                errors[(step.index, name)] = relative_error(grad, numeric[(step.index, name)])
            errors[(step.index, "inputs")] = relative_error(
                step.grad_input, numeric[(step.index, "inputs")]
            )
        return errors

    def __repr__(self) -> str:
        return f"Trace({len(self.steps)} steps, loss {self.loss_value:.6g})"


def record(model, loss, X, y) -> Trace:
    """Run one forward and backward pass of ``model`` on (X, y), keeping every number.

    X: (n_samples, n_features); y: what ``loss`` expects (class labels for
    CrossEntropy). Each layer's own forward/backward does the work; the
    model's ``grads`` are filled exactly as ``model.backward`` would fill them.
    """
    X = np.asarray(X, dtype=model.dtype)
    steps: list[TraceStep] = []
    values = X
    for i, layer in enumerate(model.layers):
        output = layer.forward(values)
        steps.append(
            TraceStep(
                "forward",
                i,
                type(layer).__name__,
                values.copy(),
                np.array(output, copy=True),
                params={k: v.copy() for k, v in layer.params.items()},
            )
        )
        values = output
    loss_value = loss.forward(values, y)
    grad = loss.backward()
    steps.append(
        TraceStep(
            "loss",
            -1,
            type(loss).__name__,
            values.copy(),
            np.array([[loss_value]]),
            grad_input=grad.copy(),
        )
    )
    # backward in reverse order; each step's input gradient is the next one's grad_output
    for forward in reversed(steps[: len(model.layers)]):
        layer = model.layers[forward.index]
        grad_input = layer.backward(grad)
        steps.append(
            TraceStep(
                "backward",
                forward.index,
                forward.name,
                forward.inputs,
                forward.output,
                grad_output=grad.copy(),
                grad_input=np.array(grad_input, copy=True),
                params=forward.params,
                param_grads={k: g.copy() for k, g in layer.grads.items()},
            )
        )
        grad = grad_input
    return Trace(model, loss, X, np.asarray(y), steps, float(loss_value))
