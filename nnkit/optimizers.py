"""Optimizers: use each weight's gradient to move it a little downhill."""

from __future__ import annotations

import math

import numpy as np

from .errors import NNKitValueError
from .validation import check_learning_rate, check_number


class Optimizer:
    """Base class. ``step(model)`` updates every parameter in place.

    ``weight_decay`` (L2) adds ``weight_decay * weight`` and ``l1`` adds
    ``l1 * sign(weight)`` to the gradient of each parameter a layer lists in
    its ``regularised`` (Dense: the weights, not the biases), pulling them
    towards zero. The optimizer keeps its own state (velocities, moments) in
    a dict keyed by the parameters it updates.
    """

    def __init__(self, lr: float, weight_decay: float = 0.0, l1: float = 0.0) -> None:
        self.lr = check_learning_rate(lr)
        self.weight_decay = check_number(weight_decay, "weight_decay", low=0.0)
        self.l1 = check_number(l1, "l1", low=0.0)
        # per parameter (all of a model's at once: see step): velocities, moments
        self.state: dict[tuple, dict[str, np.ndarray]] = {}
        self._flat: dict[tuple, np.ndarray] = {}  # a gradient vector per set of parameters
        self.steps = 0

    def regularise(self, value: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """The gradient plus the pull towards zero: weight_decay * w + l1 * sign(w)."""
        if self.weight_decay:
            grad = grad + self.weight_decay * value
        if self.l1:
            grad = grad + self.l1 * np.sign(value)
        return grad

    def step(self, model) -> None:
        """Update every parameter of ``model`` (a Sequential or a list of layers)."""
        self.steps += 1
        regularising = self.weight_decay or self.l1
        keys, values, grads = [], [], []
        for layer in getattr(model, "layers", model):
            for name, value in layer.params.items():
                grad = layer.grads[name]
                if regularising and name in layer.regularised:
                    grad = self.regularise(value, grad)
                keys.append((id(layer), name))
                values.append(value)
                grads.append(grad)
        if not keys:
            return
        # ``update`` treats every weight on its own, by the same rule, so one call on all the
        # gradients laid end to end gives the numbers of one call per weight matrix and bias,
        # in a few numpy operations instead of a dozen per array (what costs the time on
        # small networks)
        key = tuple(keys)
        if len(grads) == 1:  # one parameter (e.g. a network's weights in one vector) as it is
            values[0] -= self.update(grads[0], key)
            return
        dtype = np.result_type(*values)
        if key not in self._flat or self._flat[key].dtype != dtype:
            self._flat[key] = np.empty(sum(g.size for g in grads), dtype)
        all_grads = np.concatenate([g.ravel() for g in grads], out=self._flat[key])
        all_steps = self.update(all_grads, key)
        start = 0
        for value in values:
            stop = start + value.size
            # in place, so the layer (and anyone holding its arrays) sees the new weights
            value -= all_steps[start:stop].reshape(value.shape)
            start = stop

    def update(self, grad: np.ndarray, key: tuple) -> np.ndarray:
        """How much to subtract from parameters, given their gradient (any shape).

        ``key`` names the parameters, for optimizers that keep state per weight.
        """
        raise NotImplementedError

    def reset(self) -> None:
        """Forget velocities and moments (e.g. before training a new model)."""
        self.state.clear()
        self._flat.clear()
        self.steps = 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr:g})"


class SGD(Optimizer):
    """Stochastic gradient descent: weight -= lr * gradient.

    With ``momentum`` m the step keeps a running velocity:
    velocity = m * velocity + gradient;  weight -= lr * velocity.
    """

    def __init__(
        self, lr: float = 0.1, momentum: float = 0.0, weight_decay: float = 0.0, l1: float = 0.0
    ) -> None:
        super().__init__(lr, weight_decay, l1)
        self.momentum = check_number(momentum, "momentum", low=0.0)
        if self.momentum >= 1:
            raise NNKitValueError(f"momentum must be in [0, 1), got {momentum}")

    def step(self, model) -> None:
        if self.momentum or self.weight_decay or self.l1:
            super().step(model)
            return
        # plain gradient descent keeps no state: weight -= lr * gradient, nothing more
        # (written out here, as it runs once per batch: no per-parameter method calls)
        self.steps += 1
        for layer in getattr(model, "layers", model):
            for name, value in layer.params.items():
                value -= self.lr * layer.grads[name]

    def update(self, grad: np.ndarray, key: tuple) -> np.ndarray:
        if not self.momentum:
            return self.lr * grad
        state = self.state.setdefault(key, {})
        velocity = state.get("velocity")
        velocity = grad.copy() if velocity is None else self.momentum * velocity + grad
        state["velocity"] = velocity
        return self.lr * velocity


class Adam(Optimizer):
    """Adam: a step scaled per weight by running averages of the gradient.

    m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
    weight -= lr * m_hat / (sqrt(v_hat) + eps), with bias-corrected m_hat, v_hat.
    """

    def __init__(
        self,
        lr: float = 1e-3,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        l1: float = 0.0,
    ) -> None:
        super().__init__(lr, weight_decay, l1)
        self.beta1 = check_number(beta1, "beta1", low=0.0, high=0.999999)
        self.beta2 = check_number(beta2, "beta2", low=0.0, high=0.999999)
        self.eps = check_number(eps, "eps", low=0.0, low_inclusive=False)

    def update(self, grad: np.ndarray, key: tuple) -> np.ndarray:
        state = self.state.setdefault(key, {})
        if "m" not in state:
            state["m"] = np.zeros_like(grad)
            state["v"] = np.zeros_like(grad)
            state["t"] = 0
        state["t"] += 1
        m, v, t = state["m"], state["v"], state["t"]
        # the running averages, updated in place: no new arrays for them at every step
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * grad * grad
        # the bias corrections m / (1 - beta1^t) and v / (1 - beta2^t) are numbers: taken
        # out of the arrays, lr * m_hat / (sqrt(v_hat) + eps) is the same step in fewer passes
        correction1, correction2 = 1 - self.beta1**t, math.sqrt(1 - self.beta2**t)
        denominator = np.sqrt(v)
        denominator += self.eps * correction2
        step = m * (self.lr * correction2 / correction1)
        step /= denominator
        return step


OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def get_optimizer(name, lr: float = 0.1, **kwargs) -> Optimizer:
    """Return an optimizer from an instance or a name ("sgd", "adam")."""
    if isinstance(name, Optimizer):
        return name
    if not isinstance(name, str) or name.lower() not in OPTIMIZERS:
        raise NNKitValueError(f"unknown optimizer {name!r}; choose one of {sorted(OPTIMIZERS)}")
    return OPTIMIZERS[name.lower()](lr=lr, **kwargs)
