"""Activation functions: they decide how strongly a neuron passes its signal on.

Each is a layer with no parameters and two methods: ``function(z)``, the
maths, and right under it ``derivative(z, output)``, its slope. Training,
the plots and the backprop stepper all use that one derivative.
"""

from __future__ import annotations

import numpy as np

from .errors import NNKitValueError
from .layers import Layer
from .validation import as_float, check_number, forward_first


class Activation(Layer):
    """An element-wise activation: output = function(z) for each weighted sum z.

    A subclass writes ``function(z)`` and ``derivative(z, output)``; the slope
    gets ``output = function(z)`` too, so a slope such as sigmoid's
    s (1 - s) reuses it instead of computing it again. ``forward`` caches
    ``z`` and ``output``; ``backward`` applies the chain rule with them.
    """

    z: np.ndarray | None = None  # cached by forward
    output: np.ndarray | None = None

    def function(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def derivative(self, z: np.ndarray, output: np.ndarray) -> np.ndarray:
        """d output / d z, element by element (may be a scalar or a True/False mask)."""
        raise NotImplementedError

    def forward(self, z: np.ndarray) -> np.ndarray:
        """(n_samples, n_neurons) -> same shape. Caches ``z`` and ``output`` for backward."""
        self.z = as_float(z)
        self.output = self.function(self.z)
        return self.output

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """dL/doutput -> dL/dz, same shape."""
        forward_first(self.output, self, "output")
        # chain rule: dL/dz = dL/doutput * doutput/dz (element by element)
        return grad_output * self.derivative(self.z, self.output)

    def slope(self, z) -> np.ndarray:
        """The derivative at ``z`` (any shape) as an array shaped like z: for plots."""
        z = as_float(z)
        return np.broadcast_to(self.derivative(z, self.function(z)), z.shape).astype(z.dtype)


class Step(Activation):
    """The course's threshold: output 1 when z >= threshold, else 0.

    Its slope is 0 everywhere (and undefined at the jump), so its gradient is
    zero: no weight would ever move. That is why training uses smooth
    activations such as sigmoid instead.
    """

    def __init__(self, threshold: float = 0.0) -> None:
        super().__init__()
        self.threshold = check_number(threshold, "threshold")

    def function(self, z: np.ndarray) -> np.ndarray:
        return (z >= self.threshold).astype(np.result_type(z))

    def derivative(self, z: np.ndarray, output: np.ndarray) -> float:
        # step'(z) = 0: flat on both sides of the jump
        return 0.0

    @property
    def config(self) -> dict:
        return {"threshold": self.threshold}


class Sigmoid(Activation):
    """sigmoid(z) = 1 / (1 + e^-z): a smooth step from 0 to 1."""

    def function(self, z: np.ndarray) -> np.ndarray:
        # Written two ways so exp never overflows: with e = e^-|z|,
        # sigmoid = 1/(1+e) for z >= 0 and e/(1+e) for z < 0.
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    def derivative(self, z: np.ndarray, output: np.ndarray) -> np.ndarray:
        # sigmoid'(z) = s (1 - s), with s = sigmoid(z) = output
        return output * (1.0 - output)


class Tanh(Activation):
    """tanh(z): like sigmoid but from -1 to 1, centred on 0."""

    def function(self, z: np.ndarray) -> np.ndarray:
        return np.tanh(z)

    def derivative(self, z: np.ndarray, output: np.ndarray) -> np.ndarray:
        # tanh'(z) = 1 - tanh(z)^2 = 1 - output^2
        return 1.0 - output**2


class ReLU(Activation):
    """ReLU(z) = max(0, z): pass positive signals, block negative ones."""

    def function(self, z: np.ndarray) -> np.ndarray:
        return np.maximum(z, 0)

    def derivative(self, z: np.ndarray, output: np.ndarray) -> np.ndarray:
        # ReLU'(z) = 1 where z > 0, else 0: the gradient passes only where the signal did
        return z > 0


class LeakyReLU(Activation):
    """LeakyReLU(z) = z if z > 0 else slope * z: a ReLU that never fully switches off."""

    def __init__(self, slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = check_number(slope, "slope", low=0.0)

    def function(self, z: np.ndarray) -> np.ndarray:
        return np.where(z > 0, z, self.negative_slope * z)

    def derivative(self, z: np.ndarray, output: np.ndarray) -> np.ndarray:
        # LeakyReLU'(z) = 1 where z > 0, else slope (in z's precision)
        return np.where(z > 0, 1.0, self.negative_slope).astype(z.dtype)

    @property
    def config(self) -> dict:
        return {"slope": self.negative_slope}


class Identity(Activation):
    """Identity(z) = z: no activation (for regression outputs)."""

    def function(self, z: np.ndarray) -> np.ndarray:
        return z

    def derivative(self, z: np.ndarray, output: np.ndarray) -> float:
        # identity'(z) = 1
        return 1.0


def softmax(z, temperature: float = 1.0) -> np.ndarray:
    """Turn each row of output values into probabilities that sum to 1.

    (n_samples, n_classes) -> (n_samples, n_classes). Subtracting the row's
    maximum first changes nothing mathematically (it cancels in the
    fraction) but keeps e^z from overflowing for large outputs.
    """
    temperature = check_number(temperature, "temperature", low=0.0, low_inclusive=False)
    z = as_float(z) / temperature
    exp = np.exp(z - z.max(axis=-1, keepdims=True))
    return exp / exp.sum(axis=-1, keepdims=True)


class Softmax(Layer):
    """Softmax over each row: output values -> class probabilities.

    Not an element-wise activation: every output depends on every input, so
    there is no slope per value; backward goes through the Jacobian
    d p_i / d z_j = p_i (delta_ij - p_j). Caches ``output`` (the p's).
    """

    output: np.ndarray | None = None  # cached by forward

    def forward(self, z: np.ndarray) -> np.ndarray:
        """(n_samples, n_classes) -> probabilities of the same shape."""
        self.output = softmax(z)
        return self.output

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """dL/dp (n_samples, n_classes) -> dL/dz, same shape."""
        p = forward_first(self.output, self, "output")
        # dL/dz = J^T dL/dp for each row: p * (dL/dp - sum_j dL/dp_j p_j)
        return p * (grad_output - np.sum(grad_output * p, axis=1, keepdims=True))


ACTIVATIONS = {
    "step": Step,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "identity": Identity,
    "softmax": Softmax,
}


def get_activation(name) -> Layer:
    """Return a new activation layer from its name ("relu", "sigmoid", ...) or class."""
    if isinstance(name, (Activation, Softmax)):
        return name
    if isinstance(name, type) and name in ACTIVATIONS.values():
        return name()
    if not isinstance(name, str) or name.lower() not in ACTIVATIONS:
        raise NNKitValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[name.lower()]()
