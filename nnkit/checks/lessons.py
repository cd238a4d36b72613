"""Checks for the "check yourself" cells of lessons 01-04.

Each function takes the student's answer (a number, a shape, an array),
prints a tick or what is wrong with a hint, and returns a CheckResult. The
default arguments are the examples the lessons ask about; a lesson may pass
its own. Answers rounded to 3 decimals count as right. Not strict by
default: a wrong answer prints a hint instead of stopping the notebook.
"""

from __future__ import annotations

import math

import numpy as np

from ..activations import softmax
from .base import (
    CheckResult,
    as_number,
    check_number,
    close,
    not_answered,
    report,
    unanswered,
)

PENGUIN_CLASSES = ("Adelie", "Chinstrap", "Gentoo")

# the shared helpers (public in base.py), under the names this module uses
_close, _unanswered, _as_number, _check_number = close, unanswered, as_number, check_number


# -- lesson 01: the neuron --------------------------------------------------


def check_weighted_sum(
    answer, inputs=(0.5, -1.0), weights=(2.0, 1.5), bias: float = 0.25, strict: bool = False
) -> CheckResult:
    """The weighted sum z = inputs . weights + bias (default example: -0.25)."""
    inputs, weights = np.asarray(inputs, float), np.asarray(weights, float)
    expected = float(inputs @ weights + bias)
    hints = [
        (float(inputs @ weights), "you left out the bias: add it after summing"),
        (
            float(inputs.sum() + weights.sum() + bias),
            "multiply each input by its own weight before adding them up",
        ),
        (float(inputs @ weights - bias), "the bias is added, not subtracted"),
    ]
    return _check_number(
        "weighted sum",
        answer,
        expected,
        hints,
        "multiply each input by its weight, add the products, then add the bias",
        strict,
    )


def check_step_output(
    answer, weighted_sum: float = -0.25, threshold: float = 0.0, strict: bool = False
) -> CheckResult:
    """The step activation's output: 1 when z >= threshold, else 0 (default example: 0)."""
    expected = 1.0 if weighted_sum >= threshold else 0.0
    hints = [
        (
            1.0 - expected,
            # no z here: the weighted sum is the answer to the question just above
            f"compare the weighted sum z you computed with the threshold {threshold:g}: "
            "the neuron fires (1) only when z >= threshold",
        ),
        (weighted_sum, "the step outputs only 0 or 1, not the weighted sum itself"),
    ]
    return _check_number(
        "step output",
        answer,
        expected,
        hints,
        "the step outputs 1 when z >= threshold and 0 otherwise",
        strict,
    )


def check_bias_for_threshold(answer, threshold: float = 1.0, strict: bool = False) -> CheckResult:
    """The bias that makes a threshold-0 neuron fire where one with ``threshold`` and bias 0
    fires: w.x >= threshold  <=>  w.x - threshold >= 0, so bias = -threshold."""
    return _check_number(
        "bias",
        answer,
        -threshold,
        [
            (
                threshold,
                "the neuron fires when w.x + b >= 0, that is w.x >= -b: "
                "the threshold is MINUS the bias",
            )
        ],
        "write 'w.x >= threshold' as 'w.x + b >= 0' and read off b",
        strict,
    )


# -- lesson 02: layers and the forward pass ---------------------------------


def check_hidden_shape(
    answer, n_samples: int = 10, sizes=(4, 5, 3), strict: bool = False
) -> CheckResult:
    """Shape of the first hidden layer's values for a batch: (n_samples, sizes[1])."""
    what = "hidden layer shape"
    if not_answered(answer):
        return _unanswered(what, strict)
    expected = (n_samples, sizes[1])
    try:
        shape = tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return report(
            False,
            f"{what}: expected a shape like (rows, columns), got {answer!r}",
            "write the shape as a tuple: (number of rows, number of columns)",
            strict,
        )
    if shape == expected:
        return report(True, f"{what}: {shape} is right", strict=strict)
    if shape == expected[::-1]:
        hint = "samples are rows: one row per penguin, one column per neuron"
    elif shape == (n_samples, sizes[0]):
        hint = f"that is the input; the hidden layer has {sizes[1]} neurons"
    else:
        hint = "(n_samples, n_inputs) @ (n_inputs, n_neurons) gives (n_samples, n_neurons)"
    return report(False, f"{what}: {shape} is not right", hint, strict)


def check_parameter_count(answer, sizes=(4, 5, 3), strict: bool = False) -> CheckResult:
    """Weights plus biases of a network with these layer sizes (default 4-5-3: 43)."""
    pairs = list(zip(sizes[:-1], sizes[1:]))
    weights = sum(n_in * n_out for n_in, n_out in pairs)
    biases = sum(n_out for _, n_out in pairs)
    hints = [
        (weights, "that counts the weights only: every neuron also has a bias"),
        (weights + sum(sizes), "the inputs have no bias; only neurons do"),
    ]
    return _check_number(
        "number of parameters",
        answer,
        weights + biases,
        hints,
        "each Dense layer has n_inputs * n_neurons weights plus n_neurons "
        "biases; add the layers up",
        strict,
    )


def check_hidden_value_at_zero(answer, strict: bool = False) -> CheckResult:
    """A sigmoid hidden neuron of an untrained nk.mlp for an all-zero input: sigmoid(0) = 0.5.

    The biases start at zero, so z = 0 . w + 0 = 0 whatever the weights are.
    """
    return _check_number(
        "hidden value",
        answer,
        0.5,
        [
            (0.0, "0 is the weighted sum z; the hidden value is the sigmoid of it"),
            (1.0, "sigmoid(0) is halfway between 0 and 1"),
        ],
        "all inputs 0 and the bias 0 give z = 0; what is sigmoid(0)?",
        strict,
    )


# -- lesson 03: softmax -----------------------------------------------------


def check_softmax(answer, values=(2.0, 1.0, 0.1), strict: bool = False) -> CheckResult:
    """The softmax probabilities of ``values`` (n_classes,)."""
    what = "softmax"
    if not_answered(answer):
        return _unanswered(what, strict)
    values = np.asarray(values, float)
    expected = softmax(values)
    try:
        probs = np.asarray(answer, dtype=float).ravel()
    except (TypeError, ValueError):
        return report(
            False,
            f"{what}: expected {values.size} numbers, got {answer!r}",
            "give one probability per output value",
            strict,
        )
    if probs.shape != expected.shape:
        return report(
            False,
            f"{what}: got {probs.size} numbers, expected {expected.size}",
            "give one probability per output value",
            strict,
        )
    if _close(probs, expected):
        return report(True, f"{what}: {np.round(probs, 3)} is right", strict=strict)
    if _close(probs, np.exp(values)):
        hint = "now divide each e^value by the sum of all of them, so they add up to 1"
    elif values.sum() != 0 and _close(probs, values / values.sum()):
        hint = "take e^value first (np.exp), then divide by the sum of the exponentials"
    elif not _close(probs.sum(), 1.0):
        hint = f"probabilities must add up to 1; yours add up to {probs.sum():.3f}"
    else:
        hint = "p_k = e^(value_k) / (e^(value_1) + e^(value_2) + ...)"
    return report(False, f"{what}: {np.round(probs, 3)} is not right", hint, strict)


def check_prediction(
    answer, values=(2.0, 1.0, 0.1), class_names=PENGUIN_CLASSES, strict: bool = False
) -> CheckResult:
    """The predicted class for output ``values``: its index or its name."""
    what = "predicted class"
    if not_answered(answer):
        return _unanswered(what, strict)
    index = int(np.argmax(values))
    name = class_names[index]
    if answer == index or (isinstance(answer, str) and answer.lower() == name.lower()):
        return report(True, f"{what}: {name} (class {index}) is right", strict=strict)
    return report(
        False,
        f"{what}: {answer!r} is not right",
        "the prediction is the class with the highest probability, which is also "
        "the class with the highest output value (softmax keeps the order)",
        strict,
    )


def check_temperature_probability(
    answer, values=(2.0, 1.0, 0.1), temperature: float = 5.0, strict: bool = False
) -> CheckResult:
    """p of the first class for softmax(values / temperature) (default about 0.3996)."""
    values = np.asarray(values, float)
    return _check_number(
        f"p at temperature {temperature:g}",
        answer,
        float(softmax(values / temperature)[0]),
        [
            (float(softmax(values)[0]), "that is temperature 1: divide every value by T first"),
            (
                float(softmax(values * temperature)[0]),
                "divide by the temperature, do not multiply: a high T flattens the bars",
            ),
        ],
        "p = e^(z1/T) / (e^(z1/T) + e^(z2/T) + e^(z3/T))",
        strict,
    )


# -- lesson 04: loss --------------------------------------------------------


def check_absolute_error(
    answer, predictions=(3.0, 5.5, 4.0), targets=(4.0, 5.0, 4.0), strict: bool = False
) -> CheckResult:
    """The course's loss: mean of |prediction - truth| (default example: 0.5)."""
    errors = np.asarray(predictions, float) - np.asarray(targets, float)
    hints = [
        (
            errors.mean(),
            "take the absolute value of each error before averaging, "
            "so that errors in both directions count",
        ),
        (np.abs(errors).sum(), "that is the sum; the loss is the mean over the samples"),
        ((errors**2).mean(), "that is the squared error; the course's loss uses |error|"),
    ]
    return _check_number(
        "absolute error",
        answer,
        float(np.abs(errors).mean()),
        hints,
        "average |prediction - truth| over the samples",
        strict,
    )


def check_cross_entropy(answer, probability: float = 0.25, strict: bool = False) -> CheckResult:
    """Cross-entropy when the true class gets ``probability`` p: -log(p) (default 1.3863)."""
    hints = [
        (math.log(probability), "mind the sign: the loss is MINUS log(p), so it is >= 0"),
        (-math.log10(probability), "use the natural logarithm (np.log), not log10"),
        (-math.log(1 - probability), "use the probability of the TRUE class, p itself"),
        (1 - probability, "that is the absolute error 1 - p; cross-entropy is -log(p)"),
    ]
    return _check_number(
        "cross-entropy",
        answer,
        -math.log(probability),
        hints,
        "cross-entropy = -log(probability given to the true class)",
        strict,
    )


__all__ = [
    "check_absolute_error",
    "check_bias_for_threshold",
    "check_hidden_value_at_zero",
    "check_temperature_probability",
    "check_cross_entropy",
    "check_hidden_shape",
    "check_parameter_count",
    "check_prediction",
    "check_softmax",
    "check_step_output",
    "check_weighted_sum",
]
