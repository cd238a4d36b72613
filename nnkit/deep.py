"""Deep networks: how big the signals are, layer by layer, for each way to start.

A deep stack multiplies the signal by one weight matrix (and one activation
slope) per layer. Start the weights too small and the signal shrinks layer
after layer; too large and it explodes; all zero and every neuron of a layer
computes the same thing forever. Glorot (for sigmoid and tanh) and He (for
ReLU) scale the random weights so the signal keeps its size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import get_activation
from .errors import NNKitValueError
from .layers import Dense, Layer
from .losses import CrossEntropy
from .network import Sequential
from .validation import check_int

# name -> standard deviation of the starting weights, given (n_inputs, n_neurons)
INIT_SCHEMES = {
    "zeros": lambda n_in, n_out: 0.0,
    "small": lambda n_in, n_out: 0.01,
    "large": lambda n_in, n_out: 1.0,
    "glorot": lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)),
    "he": lambda n_in, n_out: np.sqrt(2.0 / n_in),
}


def initialise(model: Sequential, scheme: str, seed: int = 0) -> Sequential:
    """Set every Dense layer's weights to normal(0, std) by ``scheme``, biases to 0.

    ``scheme``: "zeros", "small" (std 0.01), "large" (std 1), "glorot"
    (std sqrt(2 / (n_inputs + n_neurons))) or "he" (std sqrt(2 / n_inputs)).
    """
    if scheme not in INIT_SCHEMES:
        raise NNKitValueError(f"scheme must be one of {sorted(INIT_SCHEMES)}, got {scheme!r}")
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, Dense):
            std = INIT_SCHEMES[scheme](layer.n_inputs, layer.n_neurons)
            layer.weights = rng.normal(0.0, 1.0, size=layer.weights.shape) * std
            layer.bias = np.zeros(layer.n_neurons)
    return model


def deep_network(
    depth: int,
    width: int = 64,
    n_inputs: int = 64,
    n_classes: int = 10,
    activation: str = "sigmoid",
    init: str = "glorot",
    seed: int = 0,
) -> Sequential:
    """``depth`` hidden layers of ``width`` neurons, then ``n_classes`` outputs."""
    depth, width = check_int(depth, "depth"), check_int(width, "width")
    layers: list[Layer] = []
    size = n_inputs
    for _ in range(depth):
        layers += [Dense(size, width), get_activation(activation)]
        size = width
    layers.append(Dense(size, n_classes))
    return initialise(Sequential(layers), init, seed)


@dataclass
class SignalSizes:
    """Per hidden layer: the spread (std) of its activations on the way forward, and of
    its weights' gradients on the way back; index 0 is the layer next to the input."""

    activations: np.ndarray
    gradients: np.ndarray


def signal_sizes(model: Sequential, X: np.ndarray, y: np.ndarray) -> SignalSizes:
    """One forward and backward pass with cross-entropy; the std of each hidden
    activation (n_hidden,) and of each Dense layer's dL/dweights (n_dense,)."""
    activations = []
    values = X
    for layer in model.layers:
        values = layer.forward(values)
        if not isinstance(layer, Dense):
            activations.append(float(values.std()))
    loss = CrossEntropy()
    loss.forward(values, y)
    model.backward(loss.backward())
    gradients = [
        float(layer.grads["weights"].std()) for layer in model.layers if isinstance(layer, Dense)
    ]
    return SignalSizes(np.array(activations), np.array(gradients))
