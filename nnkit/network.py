"""Sequential: a network is a list of layers, and a sample flows through them in order."""

from __future__ import annotations

import json
import os
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .activations import Softmax, get_activation, softmax
from .errors import NNKitError, NNKitTypeError, NNKitValueError
from .layers import Dense, Dropout, Layer
from .validation import check_features, check_int

if TYPE_CHECKING:  # only for the type hint: training imports network lazily
    from .training import History

FORMAT = "nnkit-model"
FORMAT_VERSION = 1


class _Text(str):
    """A string that shows as plain text in a notebook (for ``summary``)."""

    def __repr__(self) -> str:
        return str(self)


class Sequential:
    """Layers applied one after another: output of one is input of the next.

    ``forward`` feeds a batch (n_samples, n_features) through every layer to
    the output values (n_samples, n_outputs); ``backward`` sends the loss
    gradient back through them in reverse order (backpropagation).
    """

    def __init__(self, layers: list[Layer]) -> None:
        layers = list(layers)
        if not layers:
            raise NNKitValueError("a Sequential network needs at least one layer, got []")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise NNKitTypeError(
                    f"layer {i} must be an nnkit layer (Dense, ReLU, ...), got {layer!r}"
                )
        self.layers = layers
        self._check_sizes()

    def _check_sizes(self) -> None:
        size = None
        for i, layer in enumerate(self.layers):
            if isinstance(layer, Dense):
                if size is not None and layer.n_inputs != size:
                    raise NNKitValueError(
                        f"layer {i} (Dense) expects {layer.n_inputs} inputs but the layer "
                        f"before it outputs {size}"
                    )
                size = layer.n_neurons

    @property
    def n_inputs(self) -> int | None:
        """Number of features the first Dense layer expects."""
        return next((layer.n_inputs for layer in self.layers if isinstance(layer, Dense)), None)

    @property
    def n_outputs(self) -> int | None:
        """Number of values the last Dense layer outputs (classes, for a classifier)."""
        dense = [layer for layer in self.layers if isinstance(layer, Dense)]
        return dense[-1].n_neurons if dense else None

    @property
    def dtype(self) -> np.dtype:
        """The precision of the parameters (float64 unless converted with ``astype``)."""
        values = [value for layer in self.layers for value in layer.params.values()]
        return values[0].dtype if values else np.dtype(np.float64)

    @property
    def training(self) -> bool:
        """True while ``fit`` trains; Dropout drops values only then (False in predict)."""
        return any(layer.training for layer in self.layers)

    @training.setter
    def training(self, mode: bool) -> None:
        for layer in self.layers:
            layer.training = bool(mode)

    # -- the forward and backward pass ------------------------------------
    def forward(self, X, check: bool = True) -> np.ndarray:
        """(n_samples, n_features) -> output values (n_samples, n_outputs).

        X is checked and converted to the model's precision first;
        ``check=False`` skips that for X already checked once (as ``fit`` does).
        """
        if check:
            X = check_features(X, "X", n_features=self.n_inputs, dtype=self.dtype)
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(
        self, grad_output: np.ndarray, compute_input_grad: bool = False
    ) -> np.ndarray | None:
        """Backpropagation: dL/doutput (n_samples, n_outputs) -> every layer's grads.

        Goes through the layers in reverse; each turns the gradient of its
        output into the gradient of its input (the chain rule) and fills its
        own ``grads``. Returns dL/dX when ``compute_input_grad`` is True.
        """
        grad = grad_output
        first, *rest = self.layers
        for layer in reversed(rest):
            grad = layer.backward(grad)
        # X is data, not a weight: dL/dX is rarely wanted, and Dense can skip computing it
        if isinstance(first, Dense) and not compute_input_grad:
            return first.backward(grad, compute_input_grad=False)
        return first.backward(grad)

    def __call__(self, X) -> np.ndarray:
        return self.forward(X)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities (n_samples, n_classes): softmax of the outputs."""
        outputs = self.forward(X)
        if isinstance(self.layers[-1], Softmax):
            return outputs
        return softmax(outputs)

    def predict(self, X) -> np.ndarray:
        """The most probable class for each sample, shape (n_samples,)."""
        return np.argmax(self.forward(X), axis=1)

    def fit(self, X, y, **kwargs) -> History:
        """Train the network; see ``nnkit.training.fit`` for the arguments."""
        from .training import fit

        return fit(self, X, y, **kwargs)

    def fitting(self, X, y, **kwargs) -> Generator[History, None, History]:
        """``fit`` one epoch per step: yields the History after each epoch (see
        ``nnkit.training.fitting``), e.g. to draw it or to answer a slider in between."""
        from .training import fitting

        return fitting(self, X, y, **kwargs)

    # -- parameters --------------------------------------------------------
    def parameters(self) -> list[tuple[Layer, str, np.ndarray, np.ndarray]]:
        """Every parameter as (layer, name, value, gradient)."""
        return [
            (layer, name, value, layer.grads[name])
            for layer in self.layers
            for name, value in layer.params.items()
        ]

    @property
    def n_params(self) -> int:
        return sum(layer.n_params for layer in self.layers)

    def get_weights(self) -> list[dict[str, np.ndarray]]:
        """A copy of every layer's parameters (to restore later with set_weights)."""
        return [
            {name: value.copy() for name, value in layer.params.items()} for layer in self.layers
        ]

    def copy_weights_into(
        self, saved: list[dict[str, np.ndarray]] | None
    ) -> list[dict[str, np.ndarray]]:
        """Like get_weights, but reusing the arrays of an earlier copy (no allocation)."""
        if saved is None:
            return self.get_weights()
        for layer, arrays in zip(self.layers, saved):
            for name, value in layer.params.items():
                np.copyto(arrays[name], value)
        return saved

    def set_weights(self, weights: list[dict[str, np.ndarray]]) -> None:
        """Copy parameters from ``get_weights()`` back in, in place."""
        if len(weights) != len(self.layers):
            raise NNKitValueError(
                f"expected weights for {len(self.layers)} layers, got {len(weights)}"
            )
        for i, (layer, saved) in enumerate(zip(self.layers, weights)):
            if set(saved) != set(layer.params):
                raise NNKitValueError(
                    f"layer {i} has parameters {sorted(layer.params)}, got {sorted(saved)}"
                )
            for name, value in saved.items():
                value = np.asarray(value)
                if value.shape != layer.params[name].shape:
                    raise NNKitValueError(
                        f"layer {i} {name} must have shape {layer.params[name].shape}, "
                        f"got {value.shape}"
                    )
                layer.params[name][...] = value

    def astype(self, dtype) -> Sequential:
        """Convert every parameter to ``dtype`` (e.g. np.float32), in place."""
        for layer in self.layers:
            for name in layer.params:
                layer.params[name] = layer.params[name].astype(dtype)
                layer.grads[name] = np.zeros_like(layer.params[name])
        return self

    def to_torch(self):
        """The same network as a ``torch.nn.Sequential`` with the same weights (needs torch)."""
        from .torch_bridge import to_torch

        return to_torch(self)

    # -- describing and saving ---------------------------------------------
    def summary(self) -> str:
        """A text table: layer, output shape, number of parameters."""
        rows = [("layer", "output shape", "parameters")]
        size = self.n_inputs
        for i, layer in enumerate(self.layers):
            size = layer.output_size(size) if size is not None else None
            rows.append((f"{i}: {layer!r}", f"(n_samples, {size})", f"{layer.n_params:,}"))
        widths = [max(len(r[c]) for r in rows) for c in range(3)]
        line = "-" * (sum(widths) + 4)
        text = [
            f"{rows[0][0]:<{widths[0]}}  {rows[0][1]:<{widths[1]}}  {rows[0][2]:>{widths[2]}}",
            line,
        ]
        for name, shape, count in rows[1:]:
            text.append(f"{name:<{widths[0]}}  {shape:<{widths[1]}}  {count:>{widths[2]}}")
        text += [line, f"total parameters: {self.n_params:,}"]
        return _Text("\n".join(text))

    def __repr__(self) -> str:
        inner = ", ".join(repr(layer) for layer in self.layers)
        return f"Sequential([{inner}])"

    def architecture(self) -> list[dict]:
        return [{"type": type(layer).__name__, **layer.config} for layer in self.layers]

    def save(self, path, overwrite: bool = False) -> Path:
        """Save to an .npz file: the weights as arrays plus the architecture as JSON.

        No pickle is used, so loading a file cannot run code. An existing
        file is not replaced unless ``overwrite=True``.
        """
        path = Path(path)
        if path.suffix != ".npz":
            path = (
                path.with_suffix(path.suffix + ".npz") if path.suffix else path.with_suffix(".npz")
            )
        if path.exists() and not overwrite:
            raise FileExistsError(f"{path} already exists; pass overwrite=True to replace it")
        header = {"format": FORMAT, "version": FORMAT_VERSION, "layers": self.architecture()}
        arrays = {"__nnkit__": np.array(json.dumps(header))}
        for i, layer in enumerate(self.layers):
            for name, value in layer.params.items():
                arrays[f"layer{i}.{name}"] = value
        # Write to a temporary file first so a crash never leaves half a model.
        partial = path.with_name(path.name + ".partial")
        with open(partial, "wb") as handle:
            np.savez(handle, **arrays)
        os.replace(partial, path)
        return path


def load(path) -> Sequential:
    """Load a model saved with ``Sequential.save``."""
    from . import activations, layers

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no model file at {path}")
    try:
        data = np.load(path, allow_pickle=False)
        header = json.loads(str(data["__nnkit__"]))
    except Exception as error:  # zip, key or JSON problems all mean the same to a user
        raise NNKitError(
            f"{path} is not an nnkit model file (expected an .npz written by model.save): {error}"
        ) from None
    if header.get("format") != FORMAT:
        raise NNKitError(f"{path} is not an nnkit model file")
    built = []
    for i, spec in enumerate(header["layers"]):
        spec = dict(spec)
        kind = spec.pop("type")
        cls = getattr(layers, kind, None) or getattr(activations, kind, None)
        if cls is None or not (isinstance(cls, type) and issubclass(cls, Layer)):
            raise NNKitError(f"{path}: unknown layer type {kind!r} in layer {i}")
        layer = cls(**spec)
        for name in layer.params:
            layer.params[name] = np.array(data[f"layer{i}.{name}"])
            layer.grads[name] = np.zeros_like(layer.params[name])
        built.append(layer)
    return Sequential(built)


def mlp(
    sizes: list[int],
    activation: str = "relu",
    output_activation: str | None = None,
    seed: int | None = 0,
    dtype=np.float64,
    dropout: float = 0.0,
) -> Sequential:
    """Build a multi-layer perceptron from layer sizes.

    ``mlp([4, 10, 3])`` = 4 inputs, a hidden layer of 10 neurons with
    ``activation``, and 3 outputs (logits, fed to CrossEntropy).
    Layer k's weights use the seed ``seed + k`` so the net is reproducible.
    ``dropout`` > 0 puts a Dropout layer after every hidden activation.
    """
    if isinstance(sizes, (int, np.integer)) or len(sizes) < 2:
        raise NNKitValueError(
            f"sizes must list at least the input and output sizes, e.g. [4, 10, 3]; got {sizes}"
        )
    for size in sizes:
        check_int(size, "each layer size")
    get_activation(activation)  # fails early and clearly, even with no hidden layer
    init = "he" if str(activation).lower() in ("relu", "leaky_relu") else "glorot"
    layers: list[Layer] = []
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layer_seed = None if seed is None else seed + k
        layers.append(Dense(n_in, n_out, init=init, seed=layer_seed, dtype=dtype))
        if k < len(sizes) - 2:
            layers.append(get_activation(activation))
            if dropout:
                layers.append(Dropout(dropout, seed=layer_seed))
    if output_activation is not None:
        layers.append(get_activation(output_activation))
    return Sequential(layers)
