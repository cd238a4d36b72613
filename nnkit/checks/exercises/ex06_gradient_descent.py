"""Exercise 6: the weight update of gradient descent, momentum, and a training loop."""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np

from ...losses import CrossEntropy
from ...network import Sequential, mlp
from ...optimizers import SGD, Adam
from ...training import fit
from ..base import CheckResult
from ._common import Mistake, as_array, close, run_check

UPDATE = ("step", "update", "regularise", "gradient")
SWITCHED = [(SGD, UPDATE), (Adam, UPDATE), fit, (Sequential, ("fit",))]
_STEP = "lesson 5, 'One step downhill'"
_UPDATE = "lesson 6, 'One update'"


def _model_with_gradients(seed: int, sizes=(3, 4, 2)):
    """A small network whose every parameter has a random gradient."""
    model = mlp(list(sizes), activation="relu", seed=seed)
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        for name, value in layer.params.items():
            layer.grads[name] = rng.normal(size=value.shape)
    return model


def _params(model) -> list[dict[str, np.ndarray]]:
    return [{name: value.copy() for name, value in layer.params.items()} for layer in model.layers]


def check_sgd_step_values(sgd_step: Callable, strict: bool = True) -> CheckResult:
    """``sgd_step(model, lr)``: every parameter becomes parameter - lr * gradient."""

    def test() -> None:
        model = _model_with_gradients(1)
        before = _params(model)
        grads = [{n: g.copy() for n, g in layer.grads.items()} for layer in model.layers]
        sgd_step(model, 0.1)
        for i, layer in enumerate(model.layers):
            for name in layer.params:
                got, old, grad = layer.params[name], before[i][name], grads[i][name]
                if close(got, old):
                    raise Mistake(
                        f"layer {i}'s {name} did not change",
                        "the step has to change the arrays the layer holds (a new local "
                        f"variable changes nothing in the model) ({_STEP})",
                    )
                if close(got, old + 0.1 * grad):
                    raise Mistake(
                        f"layer {i}'s {name} moved uphill",
                        f"the gradient points uphill; the step goes the other way ({_STEP})",
                    )
                if close(got, old - grad):
                    raise Mistake(f"layer {i}'s {name} ignores the learning rate", f"({_STEP})")
                if not close(got, old - 0.1 * grad):
                    raise Mistake(f"layer {i}'s {name} has the wrong values", f"({_STEP})")

    return run_check("sgd_step", test, "sgd_step moves every parameter downhill", strict, SWITCHED)


def check_sgd_step_in_place(sgd_step: Callable, strict: bool = True) -> CheckResult:
    """``sgd_step`` changes the parameter arrays in place and leaves the gradients alone."""

    def test() -> None:
        model = _model_with_gradients(2)
        arrays = [dict(layer.params) for layer in model.layers]
        grads = [{n: g.copy() for n, g in layer.grads.items()} for layer in model.layers]
        sgd_step(model, 0.05)
        for i, layer in enumerate(model.layers):
            for name, value in layer.params.items():
                if value is not arrays[i][name]:
                    raise Mistake(
                        f"layer {i}'s {name} is a new array, not the one the layer had",
                        "update the arrays in place (-=), as nnkit's optimizers do, so "
                        f"everyone holding them sees the new weights ({_UPDATE})",
                    )
                if not close(layer.grads[name], grads[i][name]):
                    raise Mistake(
                        f"layer {i}'s gradient of {name} changed",
                        "the step reads the gradients; only the parameters change",
                    )

    return run_check("sgd_step", test, "sgd_step updates the parameters in place", strict, SWITCHED)


class _ReferenceMomentum:
    """The check's own momentum step (velocity = m * velocity + gradient)."""

    def __init__(self, lr: float, momentum: float) -> None:
        self.lr, self.momentum, self.velocities = lr, momentum, {}

    def step(self, model) -> None:
        for layer in model.layers:
            for name, value in layer.params.items():
                key = (id(layer), name)
                velocity = self.momentum * self.velocities.get(key, 0.0) + layer.grads[name]
                self.velocities[key] = velocity
                value -= self.lr * velocity


def _momentum_run(optimizer, steps: int, seed: int, sizes=(3, 4, 2)):
    model = _model_with_gradients(seed, sizes)
    rng = np.random.default_rng(seed + 100)
    for _ in range(steps):
        optimizer.step(model)
        for layer in model.layers:
            for name, value in layer.params.items():
                layer.grads[name] = rng.normal(size=value.shape)
    return _params(model)


def _compare_runs(got, expected, hint: str) -> None:
    for i, (layer_got, layer_expected) in enumerate(zip(got, expected)):
        for name in layer_expected:
            if not close(layer_got[name], layer_expected[name]):
                raise Mistake(f"layer {i}'s {name} has the wrong values", hint)


_MOMENTUM_HINT = (
    "velocity = momentum x velocity + gradient, then parameter -= lr x velocity; the "
    "velocity starts at zero (the exercise text)"
)


def check_momentum_first_step(momentum_class: type, strict: bool = True) -> CheckResult:
    """``Momentum(lr, momentum).step(model)`` once: the same as a plain gradient step."""

    def test() -> None:
        got = _momentum_run(momentum_class(lr=0.1, momentum=0.9), 1, seed=3)
        expected = _momentum_run(_ReferenceMomentum(0.1, 0.9), 1, seed=3)
        _compare_runs(
            got,
            expected,
            f"with a velocity starting at zero, the first step is plain gradient descent ({_STEP})",
        )

    return run_check(
        "Momentum", test, "Momentum: the first step is a gradient step", strict, SWITCHED
    )


def check_momentum_velocity(momentum_class: type, strict: bool = True) -> CheckResult:
    """Four steps with changing gradients give the same parameters as the reference."""

    def test() -> None:
        for momentum in (0.9, 0.5):
            got = _momentum_run(momentum_class(lr=0.05, momentum=momentum), 4, seed=4)
            expected = _momentum_run(_ReferenceMomentum(0.05, momentum), 4, seed=4)
            _compare_runs(got, expected, _MOMENTUM_HINT)

    return run_check(
        "Momentum", test, "Momentum: the velocity builds up as it should", strict, SWITCHED
    )


def check_momentum_per_parameter(momentum_class: type, strict: bool = True) -> CheckResult:
    """Every parameter keeps its own velocity (two layers of the same shape do not share one)."""

    def test() -> None:
        sizes = (3, 3, 3)  # both Dense layers have weights of shape (3, 3)
        got = _momentum_run(momentum_class(lr=0.05, momentum=0.9), 3, seed=5, sizes=sizes)
        expected = _momentum_run(_ReferenceMomentum(0.05, 0.9), 3, seed=5, sizes=sizes)
        _compare_runs(
            got,
            expected,
            "each parameter of each layer has its own velocity: keep them in a dict keyed "
            "by layer and parameter name",
        )

    return run_check("Momentum", test, "Momentum: one velocity per parameter", strict, SWITCHED)


def _data(seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(30, 3))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    return X, y


class _CountingOptimizer(_ReferenceMomentum):
    """Counts its steps and checks that the gradients belong to the current weights."""

    def __init__(self, lr: float, X: np.ndarray, y: np.ndarray) -> None:
        super().__init__(lr, 0.0)
        self.X, self.y = X, y
        self.steps, self.stale = 0, 0

    def step(self, model) -> None:
        fresh = copy.deepcopy(model)
        loss = CrossEntropy()
        loss.forward(fresh.forward(self.X), self.y)
        fresh.backward(loss.backward())
        for mine, theirs in zip(fresh.layers, model.layers):
            if any(not close(mine.grads[n], theirs.grads[n]) for n in mine.grads):
                self.stale += 1
                break
        self.steps += 1
        super().step(model)


def check_gd_loop_steps(train: Callable, strict: bool = True) -> CheckResult:
    """``train(model, X, y, optimizer, epochs)``: one loss and one fresh step per epoch."""

    def test() -> None:
        X, y = _data()
        optimizer = _CountingOptimizer(0.1, X, y)
        losses = train(mlp([3, 5, 2], seed=0), X, y, optimizer, epochs=6)
        values = as_array(losses, "the losses").ravel()
        if values.size != 6:
            raise Mistake(f"{values.size} losses for 6 epochs", f"one loss per epoch ({_UPDATE})")
        if optimizer.steps != 6:
            raise Mistake(
                f"the optimizer took {optimizer.steps} steps in 6 epochs",
                f"call the optimizer given to train once per epoch ({_UPDATE})",
            )
        if optimizer.stale:
            raise Mistake(
                "the optimizer stepped with the gradients of an earlier epoch",
                f"every epoch needs its own backward pass before the step ({_UPDATE})",
            )

    return run_check("train", test, "train: one loss and one step per epoch", strict, SWITCHED)


def check_gd_loop_matches_sgd(
    train: Callable, lr: float = 0.1, momentum: float = 0.9, epochs: int = 15, strict: bool = True
) -> CheckResult:
    """With a momentum optimizer, ``train`` ends with exactly the weights of ``nk.SGD``."""
    X, y = _data(1)
    reference = mlp([3, 5, 2], seed=1)
    optimizer, loss, expected_losses = SGD(lr=lr, momentum=momentum), CrossEntropy(), []
    for _ in range(epochs):  # nnkit's SGD, before it is switched off for the check
        expected_losses.append(loss.forward(reference.forward(X), y))
        reference.backward(loss.backward())
        optimizer.step(reference)
    expected = _params(reference)

    def test() -> None:
        model = mlp([3, 5, 2], seed=1)
        losses = as_array(
            train(model, X, y, _ReferenceMomentum(lr, momentum), epochs=epochs), "the losses"
        ).ravel()
        if not close(losses, expected_losses):
            raise Mistake(
                "the losses differ from nk.SGD's, step by step",
                f"every epoch: forward, loss, backward, step, in that order ({_UPDATE})",
            )
        _compare_runs(_params(model), expected, f"forward, loss, backward, step ({_UPDATE})")

    return run_check("train", test, "train matches nk.SGD step for step", strict, SWITCHED)
