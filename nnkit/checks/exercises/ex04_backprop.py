"""Exercise 4: the backward pass of a Dense layer, of ReLU and of sigmoid."""

from __future__ import annotations

import numpy as np

from ... import gradcheck
from ...activations import ReLU, Sigmoid
from ...layers import Dense
from ..base import CheckResult
from ._common import Mistake, as_array, close, expect_shape, run_check

GRADCHECK_TOLERANCE = 1e-7
BACKWARD = ("backward", "derivative")
SWITCHED = [(Dense, ("backward",)), (ReLU, BACKWARD), (Sigmoid, BACKWARD)]
_SECTION = "lesson 6, 'The chain rule' and 'Every gradient, checked'"
_DENSE_SECTION = "lesson 6, 'A tiny network'"


def _dense_pass(layer_class: type, n_inputs: int, n_neurons: int, seed: int):
    rng = np.random.default_rng(seed)
    layer = layer_class(n_inputs, n_neurons, seed=seed)
    inputs = rng.normal(size=(5, n_inputs))
    grad_output = rng.normal(size=(5, n_neurons))
    layer.forward(inputs)
    return layer, inputs, grad_output


def check_dense_inputs_gradient(layer_class: type, strict: bool = True) -> CheckResult:
    """A Dense subclass's ``backward`` returns dL/dinputs = grad_output @ weights.T."""

    def test() -> None:
        for n_inputs, n_neurons in [(4, 3), (3, 3)]:
            layer, inputs, grad_output = _dense_pass(layer_class, n_inputs, n_neurons, n_inputs)
            try:
                result = layer.backward(grad_output)
            except ValueError as error:
                raise Mistake(
                    f"a shape mismatch in backward: {error} (grad_output {grad_output.shape}, "
                    f"weights {layer.weights.shape})",
                    "weights has shape (n_inputs, n_neurons): going backwards it is used "
                    f"transposed; let the shapes guide you ({_DENSE_SECTION})",
                ) from None
            if result is None:
                raise Mistake(
                    "backward returned None",
                    f"backward returns dL/dinputs so the layer below can go on ({_DENSE_SECTION})",
                )
            got = as_array(result, "dL/dinputs")
            expect_shape(
                got,
                inputs.shape,
                "dL/dinputs",
                "dL/dinputs has the shape of the inputs; let the shapes tell you which "
                f"matrix to transpose ({_DENSE_SECTION})",
            )
            if not close(got, grad_output @ layer.weights.T):
                hint = f"check the matrix product against the shapes ({_DENSE_SECTION})"
                if close(got, grad_output @ layer.weights):
                    hint = (
                        "weights has shape (n_inputs, n_neurons): going backwards it is "
                        f"used transposed ({_DENSE_SECTION})"
                    )
                raise Mistake("dL/dinputs has the wrong values", hint)

    return run_check(
        "Dense backward",
        test,
        "Dense backward returns the right dL/dinputs",
        strict,
        SWITCHED,
        "inputs (5, 4), weights (4, 3), grad_output (5, 3)",
    )


def check_dense_parameter_gradients(layer_class: type, strict: bool = True) -> CheckResult:
    """``backward`` stores grads['weights'] = inputs.T @ grad_output and grads['bias']."""

    def test() -> None:
        # square weights: a wrong dL/dinputs (marked by its own check) cannot break this one
        layer, inputs, grad_output = _dense_pass(layer_class, 3, 3, 4)
        layer.backward(grad_output)
        weights = as_array(layer.grads.get("weights"), "grads['weights']")
        expect_shape(
            weights,
            layer.weights.shape,
            "grads['weights']",
            f"a parameter's gradient has the shape of the parameter ({_DENSE_SECTION})",
        )
        if not close(weights, inputs.T @ grad_output):
            raise Mistake(
                "grads['weights'] has the wrong values",
                "each weight's gradient pairs its input with its neuron's dL/dz, summed over "
                f"the samples: use the inputs forward cached ({_DENSE_SECTION})",
            )
        bias = as_array(layer.grads.get("bias"), "grads['bias']")
        expect_shape(bias, layer.bias.shape, "grads['bias']", "one value per neuron")
        if close(bias, grad_output.mean(axis=0)):
            raise Mistake(
                "grads['bias'] is the mean over the samples",
                "the 1/n is already inside grad_output (the loss is a mean): add up the "
                f"samples' contributions ({_DENSE_SECTION})",
            )
        if not close(bias, grad_output.sum(axis=0)):
            raise Mistake(
                "grads['bias'] has the wrong values",
                f"the bias adds 1 x its neuron's dL/dz for every sample ({_DENSE_SECTION})",
            )

    return run_check(
        "Dense backward",
        test,
        "Dense backward stores the right parameter gradients",
        strict,
        SWITCHED,
        "inputs (5, 3), weights (3, 3), grad_output (5, 3)",
    )


def check_dense_gradients_overwritten(layer_class: type, strict: bool = True) -> CheckResult:
    """Two backward passes leave the gradients of the last one (not their sum); gradcheck."""

    def test() -> None:
        # square weights, so a wrong dL/dinputs (marked by its own check) cannot break this one
        layer, inputs, grad_output = _dense_pass(layer_class, 3, 3, 7)
        layer.backward(grad_output)
        layer.forward(inputs)
        layer.backward(grad_output)
        weights = as_array(layer.grads.get("weights"), "grads['weights']")
        if close(weights, 2 * inputs.T @ grad_output):
            raise Mistake(
                "calling backward twice doubled the gradients (they add up)",
                "each backward pass starts afresh: store the new gradient, do not add it "
                f"to the old one ({_DENSE_SECTION})",
            )
        # dL/dinputs has its own check: this one marks the parameter gradients only
        _gradcheck(
            layer_class(3, 3, seed=7),
            np.random.default_rng(8).normal(size=(4, 3)),
            names=("weights", "bias"),
        )

    return run_check(
        "Dense backward",
        test,
        "Dense backward overwrites its gradients and passes gradcheck",
        strict,
        SWITCHED,
    )


def _gradcheck(layer, inputs: np.ndarray, names=None) -> None:
    errors = gradcheck.check_layer(layer, inputs)
    bad = {
        name: error
        for name, error in errors.items()
        if (names is None or name in names) and not error < GRADCHECK_TOLERANCE
    }
    if bad:
        worst = ", ".join(f"{name} {error:.1e}" for name, error in bad.items())
        raise Mistake(
            f"backward disagrees with the numerical gradient (relative error {worst}, "
            f"should be < {GRADCHECK_TOLERANCE:g})",
            f"compare each gradient with its formula and check the shapes ({_SECTION})",
        )


_Z = np.array([[-2.0, -0.5, 0.3], [1.5, -1.2, 0.7], [0.2, 2.5, -0.1]])


def _activation_values(name, layer_class, slope, wrong, strict) -> CheckResult:
    def test() -> None:
        grad_output = np.random.default_rng(5).normal(size=_Z.shape)
        layer = layer_class()
        layer.forward(_Z.copy())
        got = as_array(layer.backward(grad_output.copy()), "backward's result")
        expect_shape(got, _Z.shape, "backward's result", "dL/dz has the shape of z")
        if close(got, slope):
            raise Mistake(
                "returned the local slope only",
                f"chain rule: the slope multiplies the gradient that came from above ({_SECTION})",
            )
        for value, hint in wrong:
            if close(got, grad_output * value):
                raise Mistake("wrong values", hint)
        if not close(got, grad_output * slope):
            raise Mistake("wrong values", f"dL/dz = dL/doutput x the slope at z ({_SECTION})")

    return run_check(
        f"{name} backward", test, f"{name} backward is right", strict, SWITCHED, "z (3, 3)"
    )


def _activation_gradcheck(name, layer_class, z, strict) -> CheckResult:
    def test() -> None:
        _gradcheck(layer_class(), np.asarray(z, float))

    return run_check(
        f"{name} backward",
        test,
        f"{name} backward matches nnkit.gradcheck to < {GRADCHECK_TOLERANCE:g}",
        strict,
        SWITCHED,
        f"z {np.shape(z)}",
    )


def check_relu_backward_values(layer_class: type, strict: bool = True) -> CheckResult:
    """A ReLU subclass's ``backward``: dL/dz = grad_output where z > 0, else 0."""
    slope = (_Z > 0).astype(float)
    wrong = [
        (np.ones_like(_Z), f"ReLU lets no gradient through where z <= 0 ({_SECTION})"),
        (1 - slope, f"the gradient flows where z > 0: check the comparison ({_SECTION})"),
    ]
    return _activation_values("ReLU", layer_class, slope, wrong, strict)


def check_relu_backward_numerically(layer_class: type, z=None, strict: bool = True) -> CheckResult:
    """A ReLU subclass's ``backward`` agrees with numerical gradients (nnkit.gradcheck)."""
    if z is None:
        z = np.random.default_rng(12).normal(size=(4, 5))
    return _activation_gradcheck("ReLU", layer_class, z, strict)


def check_sigmoid_backward_values(layer_class: type, strict: bool = True) -> CheckResult:
    """A Sigmoid subclass's ``backward``: dL/dz = grad_output * s (1 - s), s = output."""
    s = 1.0 / (1.0 + np.exp(-_Z))
    wrong = [
        (
            _Z * (1 - _Z),
            f"the slope uses the sigmoid's output s, which forward cached, not z ({_SECTION})",
        ),
        (s, f"s alone is not the slope of sigmoid ({_SECTION})"),
    ]
    return _activation_values("Sigmoid", layer_class, s * (1 - s), wrong, strict)


def check_sigmoid_backward_numerically(
    layer_class: type, z=None, strict: bool = True
) -> CheckResult:
    """A Sigmoid subclass's ``backward`` agrees with numerical gradients (nnkit.gradcheck)."""
    if z is None:
        z = np.random.default_rng(13).normal(size=(4, 5)) * 3
    return _activation_gradcheck("Sigmoid", layer_class, z, strict)
