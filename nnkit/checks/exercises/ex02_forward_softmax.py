"""Exercise 2: a layer's forward pass for a batch, and a stable softmax."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...activations import Softmax, softmax
from ...layers import Dense
from ..base import CheckResult
from ._common import Mistake, as_array, close, expect_shape, fmt, run_check

SWITCHED = [(Dense, ("forward",)), softmax, Softmax]

_FORWARD_HINT = (
    "weights has shape (n_inputs, n_neurons), one column per neuron; the batch is one "
    "matrix product plus the bias (lesson 2, 'A whole batch at once: matrix products')"
)


def _layer_case(seed: int = 1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(5, 4)), rng.normal(size=(4, 3)), np.array([0.5, -1.0, 2.0])


def check_layer_forward_shape(layer_forward: Callable, strict: bool = True) -> CheckResult:
    """``layer_forward`` gives one row per sample and one column per neuron."""

    def test() -> None:
        inputs, weights, bias = _layer_case()
        got = as_array(layer_forward(inputs, weights, bias), "the output")
        expect_shape(got, (5, 3), "the output", _FORWARD_HINT)

    return run_check(
        "layer_forward",
        test,
        "layer_forward gives (n_samples, n_neurons)",
        strict,
        SWITCHED,
        "inputs (5, 4), weights (4, 3), bias (3,)",
    )


def check_layer_forward_values(
    layer_forward: Callable, inputs=None, weights=None, bias=None, strict: bool = True
) -> CheckResult:
    """``layer_forward(inputs, weights, bias)`` = inputs @ weights + bias."""
    if inputs is None:
        inputs, weights, bias = _layer_case()
    inputs, weights, bias = (np.asarray(a, float) for a in (inputs, weights, bias))

    def test() -> None:
        expected = np.einsum("si,in->sn", inputs, weights) + bias
        got = as_array(layer_forward(inputs, weights, bias), "the output")
        expect_shape(got, expected.shape, "the output", _FORWARD_HINT)
        if np.any(bias != 0) and close(got, expected - bias):
            raise Mistake(
                "the bias is missing",
                "every neuron adds its bias to every sample's weighted sum (lesson 2, 'Layers')",
            )
        if not close(got, expected):
            raise Mistake("wrong values", _FORWARD_HINT)

    return run_check(
        "layer_forward",
        test,
        "layer_forward is right",
        strict,
        SWITCHED,
        f"inputs {inputs.shape}, weights {weights.shape}, bias {bias.shape}",
    )


def _softmax(z: np.ndarray) -> np.ndarray:
    exp_z = np.exp(z - z.max(axis=1, keepdims=True))
    return exp_z / exp_z.sum(axis=1, keepdims=True)


_Z = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 0.0], [2.0, 2.0, -2.0], [0.0, 4.0, 1.0]])
_ROWS_HINT = (
    "each row is one sample: divide every e^z by the sum of its own row, not of the "
    "whole batch or a column (lesson 3, 'From output values to probabilities')"
)


def check_softmax_rows(softmax: Callable, strict: bool = True) -> CheckResult:
    """``softmax(z)`` keeps the shape of z and every row sums to 1."""

    def test() -> None:
        got = as_array(softmax(_Z.copy()), "softmax(z)")
        expect_shape(got, _Z.shape, "softmax(z)", "return one probability per output value")
        if not np.allclose(got.sum(axis=1), 1.0):
            raise Mistake(f"the rows sum to {fmt(got.sum(axis=1))}, not 1", _ROWS_HINT)

    return run_check(
        "softmax", test, "softmax: every row sums to 1", strict, SWITCHED, "z of shape (4, 3)"
    )


def check_softmax_values(softmax: Callable, z=None, strict: bool = True) -> CheckResult:
    """``softmax(z)`` gives the right probabilities, row by row."""
    z = _Z if z is None else np.asarray(z, float)

    def test() -> None:
        expected = _softmax(z)
        got = as_array(softmax(z.copy()), "softmax(z)")
        expect_shape(got, z.shape, "softmax(z)", "return one probability per output value")
        if not close(got, expected):
            hint = _ROWS_HINT
            if np.allclose(got.sum(axis=1), 1.0):
                hint = (
                    "softmax(z)_i = e^z_i / (sum of e^z over the row) "
                    "(lesson 3, 'From output values to probabilities')"
                )
            raise Mistake(f"softmax({fmt(z[0])}, ...) gave {fmt(got[0])}, ...", hint)

    return run_check("softmax", test, "softmax gives the right values", strict, SWITCHED)


def check_softmax_stable(softmax: Callable, z=None, strict: bool = True) -> CheckResult:
    """``softmax(z)`` is finite and accurate for large values such as z = 1000."""
    if z is None:
        z = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -999.0, -998.0], [800.0, 0.0, -800.0]])
    z = np.asarray(z, float)

    def test() -> None:
        expected = _softmax(z)
        try:
            got = as_array(softmax(z.copy()), "softmax(z)")
        except (FloatingPointError, OverflowError):
            got = None
        if got is None or not np.all(np.isfinite(got)):
            raise Mistake(
                "overflows (or gives nan) for large values such as z = 1000",
                "e^1000 is too big for a float; subtracting the same number from every "
                "value of a row changes nothing in the fraction "
                "(lesson 3, 'Why subtract the largest value first?')",
            )
        expect_shape(got, z.shape, "softmax(z)")
        if not close(got, expected):
            raise Mistake(
                f"for z = {fmt(z[0])} gave {fmt(got[0])}, expected {fmt(expected[0])}",
                "which number you subtract matters: it must keep every row's largest "
                "e^z at a size a float can hold "
                "(lesson 3, 'Why subtract the largest value first?')",
            )

    return run_check(
        "softmax", test, "softmax is stable for large values", strict, SWITCHED, f"z {z.shape}"
    )
