"""Exercise 7: inverted dropout, forward and backward."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...gradcheck import numerical_gradient, relative_error
from ...layers import Dropout
from ..base import CheckResult
from ._common import Mistake, as_array, close, run_check

SWITCHED = [(Dropout, ("forward", "backward"))]
_FORMULA = "lesson 9, 'Remedy 3: dropout'"
_SHAPES = "inputs of shape (200, 50), rate 0.3, rng = np.random.default_rng(seed)"


def _forward(dropout_forward: Callable, inputs, rate: float, seed: int, training: bool = True):
    """Call the student's forward; return (outputs, mask) as arrays (mask may be None)."""
    result = dropout_forward(inputs, rate, np.random.default_rng(seed), training)
    if not isinstance(result, tuple) or len(result) != 2:
        raise Mistake(
            f"dropout_forward returned {type(result).__name__}, not a pair (outputs, mask)",
            "return outputs, mask (the exercise text)",
        )
    outputs, mask = result
    outputs = as_array(outputs, "the outputs")
    if outputs.shape != np.shape(inputs):
        raise Mistake(
            f"the outputs have shape {outputs.shape}, the inputs {np.shape(inputs)}",
            "dropout keeps the shape: every value is kept (and scaled) or set to zero",
        )
    return outputs, None if mask is None else as_array(mask, "the mask")


def check_dropout_forward_values(dropout_forward: Callable, strict: bool = True) -> CheckResult:
    """While training: about ``rate`` of the values are zero, the rest are scaled by 1/(1-rate)."""

    def test() -> None:
        inputs = np.random.default_rng(0).uniform(1.0, 2.0, size=(200, 50))
        rate = 0.3
        outputs, mask = _forward(dropout_forward, inputs, rate, seed=1)
        dropped = outputs == 0
        share = dropped.mean()
        if share < 0.01:
            raise Mistake(
                "no value was set to zero",
                f"while training, drop each value with probability rate ({_FORMULA})",
            )
        if abs(share - (1 - rate)) < 0.05:
            raise Mistake(
                f"{share:.0%} of the values were dropped with rate {rate}",
                "rate is the share to DROP: keep a value when the random number is >= rate",
            )
        if abs(share - rate) > 0.05:
            raise Mistake(
                f"{share:.0%} of the values were dropped with rate {rate}",
                f"drop each value with probability rate ({_FORMULA})",
            )
        kept = outputs[~dropped] / inputs[~dropped]
        if close(kept, np.ones_like(kept)):
            raise Mistake(
                "the kept values are not scaled",
                "inverted dropout divides the kept values by (1 - rate), so the expected "
                f"output equals the input and predicting needs no change ({_FORMULA})",
            )
        if close(kept, np.full_like(kept, 1 - rate)):
            raise Mistake(
                "the kept values are multiplied by (1 - rate)",
                f"divide by (1 - rate) instead ({_FORMULA})",
            )
        if not close(kept, np.full_like(kept, 1 / (1 - rate))):
            raise Mistake(
                "the kept values have the wrong size",
                f"kept value = input / (1 - rate) ({_FORMULA})",
            )
        if mask is None or not close(outputs, inputs * mask):
            raise Mistake(
                "outputs is not inputs * mask",
                "return the mask you multiplied by (zeros and 1/(1 - rate)): backward needs it",
            )

    return run_check(
        "dropout_forward", test, "dropout_forward drops and scales", strict, SWITCHED, _SHAPES
    )


def check_dropout_not_training(dropout_forward: Callable, strict: bool = True) -> CheckResult:
    """Outside training (and with rate 0) the inputs pass through unchanged."""

    def test() -> None:
        inputs = np.random.default_rng(2).normal(size=(20, 6))
        outputs, _ = _forward(dropout_forward, inputs, 0.5, seed=3, training=False)
        if not np.array_equal(outputs, inputs):
            raise Mistake(
                "with training=False the outputs differ from the inputs",
                f"when predicting nothing is dropped or scaled ({_FORMULA})",
            )
        outputs, _ = _forward(dropout_forward, inputs, 0.0, seed=3, training=True)
        if not close(outputs, inputs):
            raise Mistake(
                "with rate 0 the outputs differ from the inputs",
                "rate 0 drops nothing, and 1 / (1 - 0) = 1",
            )

    return run_check(
        "dropout_forward",
        test,
        "dropout_forward: no dropout when predicting",
        strict,
        SWITCHED,
        _SHAPES,
    )


def check_dropout_uses_rng(dropout_forward: Callable, strict: bool = True) -> CheckResult:
    """The mask comes from the ``rng`` passed in: the same seed gives the same mask."""

    def test() -> None:
        inputs = np.ones((30, 8))
        first, _ = _forward(dropout_forward, inputs, 0.5, seed=7)
        again, _ = _forward(dropout_forward, inputs, 0.5, seed=7)
        other, _ = _forward(dropout_forward, inputs, 0.5, seed=8)
        if not np.array_equal(first, again):
            raise Mistake(
                "the same seed gave different masks",
                "draw the random numbers with the rng passed in: rng.random(shape)",
            )
        if np.array_equal(first, other):
            raise Mistake(
                "different seeds gave the same mask",
                "draw the random numbers with the rng passed in: rng.random(shape)",
            )

    return run_check(
        "dropout_forward",
        test,
        "dropout_forward draws from the rng it is given",
        strict,
        SWITCHED,
        _SHAPES,
    )


def check_dropout_backward_values(dropout_backward: Callable, strict: bool = True) -> CheckResult:
    """``dropout_backward(grad_output, mask)`` is grad_output * mask."""

    def test() -> None:
        rng = np.random.default_rng(4)
        mask = (rng.random((6, 5)) >= 0.4) / 0.6
        grad = rng.normal(size=(6, 5))
        got = as_array(dropout_backward(grad.copy(), mask.copy()), "dropout_backward's result")
        if close(got, grad):
            raise Mistake(
                "the gradient came back unchanged",
                f"a dropped value passes no gradient back: multiply by the mask ({_FORMULA})",
            )
        if close(got, grad * (mask > 0)):
            raise Mistake(
                "the kept gradients are not scaled",
                "the forward pass multiplied by mask (zeros and 1/(1 - rate)); "
                "its slope is that same mask",
            )
        if not close(got, grad * mask):
            raise Mistake(
                "the gradient has the wrong values", f"dL/dinputs = dL/doutputs * mask ({_FORMULA})"
            )

    return run_check(
        "dropout_backward",
        test,
        "dropout_backward multiplies by the mask",
        strict,
        SWITCHED,
        "grad_output and mask of shape (6, 5)",
    )


def check_dropout_backward_numerically(
    dropout_forward: Callable, dropout_backward: Callable, strict: bool = True
) -> CheckResult:
    """Your backward against the numerical gradient of your forward with a fixed mask."""

    def test() -> None:
        rng = np.random.default_rng(5)
        inputs, upstream = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))

        def loss() -> float:  # the same seed: the same mask in every call
            return float(np.sum(_forward(dropout_forward, inputs, 0.5, seed=9)[0] * upstream))

        _, mask = _forward(dropout_forward, inputs, 0.5, seed=9)
        if mask is None:
            raise Mistake("dropout_forward returned no mask while training", "return outputs, mask")
        analytic = as_array(dropout_backward(upstream.copy(), mask), "dropout_backward's result")
        error = relative_error(analytic, numerical_gradient(loss, inputs))
        if error > 1e-7:
            raise Mistake(
                f"backward and the numerical gradient differ (relative error {error:.1e})",
                f"dL/dinputs = dL/doutputs * mask ({_FORMULA})",
            )

    return run_check(
        "dropout_backward",
        test,
        "dropout_backward agrees with the numerical gradient",
        strict,
        SWITCHED,
        "inputs of shape (5, 4), rate 0.5",
    )
