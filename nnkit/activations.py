"""Activation functions: they decide how strongly a neuron passes its signal on.

Each is a layer with no parameters. ``function(z)`` is the maths,
``derivative(z)`` its slope, ``forward`` caches what ``backward`` needs.
"""

from __future__ import annotations

import numpy as np

from .errors import NNKitValueError
from .layers import Layer
from .validation import check_number


def _as_float(z) -> np.ndarray:
    """z as a float array: float32 stays float32, anything else (lists, ints) float64."""
    z = np.asarray(z)
    return z if z.dtype in (np.float32, np.float64) else z.astype(np.float64)


class Activation(Layer):
    """An element-wise activation: output = function(weighted_sum)."""

    def function(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def derivative(self, z: np.ndarray) -> np.ndarray:
        """d activation / d z, element by element."""
        raise NotImplementedError

    def forward(self, z: np.ndarray) -> np.ndarray:
        """(n_samples, n_neurons) -> same shape. Caches ``z`` for backward."""
        self.z = np.asarray(z)
        return self.function(self.z)

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        # chain rule: dL/dz = dL/doutput * doutput/dz (element by element)
        return grad_output * self.derivative(self.z)


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
        z = _as_float(z)
        return (z >= self.threshold).astype(z.dtype)

    def derivative(self, z: np.ndarray) -> np.ndarray:
        return np.zeros_like(_as_float(z))

    @property
    def config(self) -> dict:
        return {"threshold": self.threshold}


class Sigmoid(Activation):
    """sigmoid(z) = 1 / (1 + e^-z): a smooth step from 0 to 1."""

    def function(self, z: np.ndarray) -> np.ndarray:
        # Written two ways so exp never overflows: with e = e^-|z|,
        # sigmoid = 1/(1+e) for z >= 0 and e/(1+e) for z < 0.
        z = _as_float(z)
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    def forward(self, z: np.ndarray) -> np.ndarray:
        self.output = self.function(z)
        return self.output

    def derivative(self, z: np.ndarray) -> np.ndarray:
        s = self.function(z)
        return s * (1.0 - s)

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        # sigmoid' = s (1 - s), using the cached output instead of recomputing it
        return grad_output * self.output * (1.0 - self.output)


class Tanh(Activation):
    """tanh(z): like sigmoid but from -1 to 1, centred on 0."""

    def function(self, z: np.ndarray) -> np.ndarray:
        return np.tanh(z)

    def forward(self, z: np.ndarray) -> np.ndarray:
        self.output = np.tanh(z)
        return self.output

    def derivative(self, z: np.ndarray) -> np.ndarray:
        return 1.0 - np.tanh(z) ** 2

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        return grad_output * (1.0 - self.output**2)


class ReLU(Activation):
    """ReLU(z) = max(0, z): pass positive signals, block negative ones."""

    def function(self, z: np.ndarray) -> np.ndarray:
        return np.maximum(z, 0)

    def derivative(self, z: np.ndarray) -> np.ndarray:
        z = _as_float(z)
        return (z > 0).astype(z.dtype)

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        # the slope is 1 where z > 0 and 0 elsewhere: keep the gradient only there
        return grad_output * (self.z > 0)


class LeakyReLU(Activation):
    """LeakyReLU(z) = z if z > 0 else slope * z: a ReLU that never fully switches off."""

    def __init__(self, slope: float = 0.01) -> None:
        super().__init__()
        self.slope = check_number(slope, "slope", low=0.0)

    def function(self, z: np.ndarray) -> np.ndarray:
        return np.where(z > 0, z, self.slope * z)

    def derivative(self, z: np.ndarray) -> np.ndarray:
        z = _as_float(z)
        return np.where(z > 0, 1.0, self.slope).astype(z.dtype)

    @property
    def config(self) -> dict:
        return {"slope": self.slope}


class Identity(Activation):
    """Identity(z) = z: no activation (for regression outputs)."""

    def function(self, z: np.ndarray) -> np.ndarray:
        return z

    def derivative(self, z: np.ndarray) -> np.ndarray:
        return np.ones_like(z)

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        return grad_output


def softmax(z: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Turn each row of output values into probabilities that sum to 1.

    (n_samples, n_classes) -> (n_samples, n_classes). Subtracting the row's
    maximum first changes nothing mathematically (it cancels in the
    fraction) but keeps e^z from overflowing for large outputs.
    """
    temperature = check_number(temperature, "temperature", low=0.0, low_inclusive=False)
    z = _as_float(z) / temperature
    shifted = z - z.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


class Softmax(Activation):
    """Softmax over each row: output values -> class probabilities.

    Not element-wise: every output depends on every input, so backward goes
    through its Jacobian  d p_i / d z_j = p_i (delta_ij - p_j).
    """

    def function(self, z: np.ndarray) -> np.ndarray:
        return softmax(z)

    def forward(self, z: np.ndarray) -> np.ndarray:
        self.output = softmax(z)
        return self.output

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        p = self.output
        # J^T g for each row: p * (g - sum_j g_j p_j)
        return p * (grad_output - np.sum(grad_output * p, axis=1, keepdims=True))

    def derivative(self, z: np.ndarray) -> np.ndarray:
        raise NNKitValueError(
            "softmax has no element-wise derivative (each output depends on every input); "
            "use backward, which applies its Jacobian"
        )


ACTIVATIONS = {
    "step": Step,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "identity": Identity,
    "softmax": Softmax,
}


def get_activation(name) -> Activation:
    """Return a new activation layer from its name ("relu", "sigmoid", ...)."""
    if isinstance(name, Activation):
        return name
    if isinstance(name, type) and issubclass(name, Activation):
        return name()
    if not isinstance(name, str) or name.lower() not in ACTIVATIONS:
        raise NNKitValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[name.lower()]()
