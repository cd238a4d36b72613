"""Gradient checking: compare backpropagation with the slope measured directly.

The numerical gradient nudges one number by +-eps and watches the loss:
dL/dw ~ (L(w + eps) - L(w - eps)) / (2 eps). Slow, but hard to get wrong, so
it is the referee for every backward pass. Use float64.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Centred-difference gradient of the scalar ``f()`` with respect to ``x``.

    ``x`` is changed in place while measuring (and restored), so ``f`` can
    read it directly, e.g. a layer's weights. Returns an array shaped like x.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    for _ in it:
        i = it.multi_index
        original = x[i].copy()
        x[i] = original + eps
        loss_plus = f()
        x[i] = original - eps
        loss_minus = f()
        x[i] = original
        grad[i] = (loss_plus - loss_minus) / (2 * eps)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """|a - b| / max(|a| + |b|, tiny): about 1e-9 when two gradients agree."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / max(scale, 1e-12))


def check_layer(layer, inputs: np.ndarray, seed: int = 0, eps: float = 1e-5) -> dict[str, float]:
    """Relative error of a layer's backward against numerical gradients.

    Uses the loss L = sum(outputs * R) for a fixed random R, so dL/doutputs = R.
    Returns {"inputs": err, "weights": err, ...} for the input and every parameter.
    """
    inputs = np.array(inputs, dtype=np.float64)
    rng = np.random.default_rng(seed)
    upstream = rng.normal(size=layer.forward(inputs).shape)

    def loss() -> float:
        return float(np.sum(layer.forward(inputs) * upstream))

    errors = {}
    layer.forward(inputs)
    analytic_input = layer.backward(upstream)
    analytic = {name: g.copy() for name, g in layer.grads.items()}
    errors["inputs"] = relative_error(analytic_input, numerical_gradient(loss, inputs, eps))
    for name, value in layer.params.items():
        errors[name] = relative_error(analytic[name], numerical_gradient(loss, value, eps))
    return errors


def check_model(
    model, loss, X, y, eps: float = 1e-5, details: bool = False
) -> float | dict[tuple[int, str], float]:
    """Max relative error between backprop and numerical gradients over all params.

    With ``details=True`` returns {(layer_index, name): error} instead.
    """
    X = np.asarray(X, dtype=np.float64)

    def compute_loss() -> float:
        return loss.forward(model.forward(X, check=False), y)

    compute_loss()
    model.backward(loss.backward())
    analytic = [
        (i, name, layer.grads[name].copy())
        for i, layer in enumerate(model.layers)
        for name in layer.params
    ]
    errors = {}
    for i, name, grad in analytic:
        numeric = numerical_gradient(compute_loss, model.layers[i].params[name], eps)
        errors[(i, name)] = relative_error(grad, numeric)
    if details:
        return errors
    return max(errors.values()) if errors else 0.0
