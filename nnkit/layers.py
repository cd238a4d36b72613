"""Layers: the Layer base class and Dense, the fully connected layer.

Every layer has a ``forward`` that computes its output and caches what its
``backward`` needs, and a ``backward`` that turns dL/doutput into dL/dinput.
The activation functions are layers too; they live in ``activations.py``.
"""

from __future__ import annotations

import numpy as np

from .errors import NNKitValueError
from .sums import column_sums
from .validation import check_features, check_int, check_number, forward_first

INITS = ("glorot", "he")


class Layer:
    """Base class: a step of the network with (maybe) parameters.

    ``params`` maps a name to the array the optimizer updates in place and
    ``grads`` maps the same name to dL/dparameter, filled by ``backward``.
    ``regularised`` names the parameters that weight decay and L1 pull
    towards zero. A new layer writes ``forward`` and, right under it,
    ``backward``; ``output_size`` and ``config`` when it changes the width
    or has settings.
    """

    params: dict[str, np.ndarray]
    grads: dict[str, np.ndarray]
    regularised: tuple[str, ...] = ()
    training: bool = False  # fit sets True while training (Dropout drops only then)

    def __init__(self) -> None:
        self.params = {}
        self.grads = {}

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    @property
    def n_params(self) -> int:
        """How many numbers training can change in this layer."""
        return int(sum(p.size for p in self.params.values()))

    def output_size(self, input_size: int) -> int:
        """Number of values per sample this layer outputs for ``input_size`` inputs."""
        return input_size

    @property
    def config(self) -> dict:
        """What is needed to rebuild this layer (saved next to the weights)."""
        return {}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config.items())
        return f"{type(self).__name__}({args})"


class Dense(Layer):
    """Fully connected layer: every input feeds every neuron.

    Each neuron computes a weighted sum of its inputs plus its bias; a whole
    batch at once is one matrix product::

        weighted_sum = inputs @ weights + bias
        (n_samples, n_inputs) @ (n_inputs, n_neurons) -> (n_samples, n_neurons)

    The weights start random (scaled so the signal neither dies nor explodes:
    Glorot for sigmoid/tanh, He for ReLU) and the biases start at zero.
    """

    regularised = ("weights",)  # weight decay shrinks the weights; biases only shift

    def __init__(
        self,
        n_inputs: int,
        n_neurons: int,
        init: str = "glorot",
        seed: int | None = None,
        dtype=np.float64,
    ) -> None:
        super().__init__()
        self.n_inputs = check_int(n_inputs, "n_inputs")
        self.n_neurons = check_int(n_neurons, "n_neurons")
        if init not in INITS:
            raise NNKitValueError(f"init must be one of {INITS}, got {init!r}")
        self.init = init
        self.seed = seed
        rng = np.random.default_rng(seed)
        if init == "he":
            scale = np.sqrt(2.0 / self.n_inputs)
        else:
            scale = np.sqrt(2.0 / (self.n_inputs + self.n_neurons))
        weights = rng.normal(0.0, scale, size=(self.n_inputs, self.n_neurons))
        self.params = {
            "weights": weights.astype(dtype),
            "bias": np.zeros(self.n_neurons, dtype=dtype),
        }
        self.grads = {name: np.zeros_like(value) for name, value in self.params.items()}
        self.inputs: np.ndarray | None = None

    @property
    def weights(self) -> np.ndarray:
        """(n_inputs, n_neurons): column j holds the weights of neuron j."""
        return self.params["weights"]

    @weights.setter
    def weights(self, value) -> None:
        value = np.asarray(value, dtype=self.params["weights"].dtype)
        if value.shape != self.params["weights"].shape:
            raise NNKitValueError(
                f"weights must have shape {self.params['weights'].shape}, got {value.shape}"
            )
        self.params["weights"][...] = value

    @property
    def bias(self) -> np.ndarray:
        """(n_neurons,): one bias per neuron."""
        return self.params["bias"]

    @bias.setter
    def bias(self, value) -> None:
        value = np.asarray(value, dtype=self.params["bias"].dtype)
        if value.shape != self.params["bias"].shape:
            raise NNKitValueError(
                f"bias must have shape {self.params['bias'].shape}, got {value.shape}"
            )
        self.params["bias"][...] = value

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """(n_samples, n_inputs) -> weighted sums (n_samples, n_neurons).

        Caches ``inputs``: backward needs them for dL/dweights. Inputs of
        another precision than the weights (or lists) are converted first.
        """
        weights = self.params["weights"]
        ready = isinstance(inputs, np.ndarray) and inputs.dtype == weights.dtype
        if not (ready and inputs.ndim == 2 and inputs.shape[1] == self.n_inputs):
            # a list, another precision or a wrong shape: convert, or say what is wrong
            inputs = check_features(
                inputs, "inputs", self.n_inputs, "this Dense layer", weights.dtype
            )
        self.inputs = inputs
        weighted_sum = inputs @ weights
        weighted_sum += self.params["bias"]  # in place: no second (n_samples, n_neurons) array
        return weighted_sum

    def backward(
        self, grad_output: np.ndarray, compute_input_grad: bool = True
    ) -> np.ndarray | None:
        """dL/dweighted_sum (n_samples, n_neurons) -> dL/dinputs (n_samples, n_inputs).

        Fills ``grads`` (overwriting, never adding to, the last values).
        ``compute_input_grad=False`` skips dL/dinputs for the first layer,
        where nobody needs it.
        """
        inputs = forward_first(self.inputs, self, "inputs")
        grad_output = np.asarray(grad_output)
        # dL/dweights = inputs.T @ dL/dz: each weight's gradient sums over the samples
        self.grads["weights"] = inputs.T @ grad_output
        # dL/dbias = sum of dL/dz over the samples (the bias adds to every sample)
        self.grads["bias"] = column_sums(grad_output)
        if not compute_input_grad:
            return None
        # dL/dinputs = dL/dz @ weights.T: each input fed every neuron
        return grad_output @ self.params["weights"].T

    def output_size(self, input_size: int) -> int:
        return self.n_neurons

    @property
    def config(self) -> dict:
        return {"n_inputs": self.n_inputs, "n_neurons": self.n_neurons, "init": self.init}


class Dropout(Layer):
    """Inverted dropout: while training, each value is zeroed with probability ``rate``.

    The kept values are scaled by 1 / (1 - rate), so on average the output
    equals the input and nothing changes at prediction time: outside
    training (``training`` False, as in predict and validation) the layer
    passes its input through untouched. ``seed`` fixes the random masks.
    """

    def __init__(self, rate: float = 0.5, seed: int | None = None) -> None:
        super().__init__()
        self.rate = check_number(rate, "rate", low=0.0)
        if self.rate >= 1.0:
            raise NNKitValueError(
                f"rate is the share of values to drop and must be below 1, got {rate}; "
                "use e.g. rate=0.5"
            )
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.mask: np.ndarray | None = None

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """(n_samples, n_values) -> same shape. Caches the ``mask`` for backward."""
        if not self.training or self.rate == 0.0:
            self.mask = None
            return inputs
        keep = self.rng.random(inputs.shape) >= self.rate
        # mask = keep / (1 - rate): the kept values grow so the expected output is the input
        self.mask = keep.astype(inputs.dtype) / (1.0 - self.rate)
        return inputs * self.mask

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """dL/doutputs -> dL/dinputs, same shape."""
        if self.mask is None:
            return grad_output
        # dL/dinputs = dL/doutputs * mask: a dropped value passes no gradient back
        return grad_output * self.mask

    @property
    def config(self) -> dict:
        return {"rate": self.rate, "seed": self.seed}
