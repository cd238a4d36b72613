"""Checks for the "your turn" and "check yourself" cells of lessons 09-11.

Each function takes the student's answer (a number, a shape, an explorer),
prints a tick or what is wrong with a hint, and returns a CheckResult. An
answer still at ``...`` prints "not answered yet". Not strict by default: a
wrong answer prints a hint instead of stopping the notebook.
"""

from __future__ import annotations

import math

import numpy as np

from .base import CheckResult, not_answered, report


def _unanswered(what: str, strict: bool) -> CheckResult:
    return report(
        False,
        f"{what}: not answered yet",
        "replace the ... with your answer and run the cell again",
        strict,
    )


def _number(answer) -> float | None:
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _check_number(
    what: str, answer, expected: float, hints: list[tuple[float, str]], hint: str, strict: bool
) -> CheckResult:
    """Right within 1% (relative, so tiny numbers such as 0.25**10 count too)."""
    if not_answered(answer):
        return _unanswered(what, strict)
    value = _number(answer)
    if value is None:
        return report(False, f"{what}: expected a number, got {answer!r}", hint, strict)

    def close(a: float, b: float) -> bool:
        return math.isclose(a, b, rel_tol=0.01, abs_tol=1e-12)

    if close(value, expected):
        return report(True, f"{what}: {value:.4g} is right", strict=strict)
    for wrong, specific in hints:
        if close(value, wrong):
            return report(False, f"{what}: {value:.4g} is not right", specific, strict)
    return report(False, f"{what}: {value:.4g} is not right", hint, strict)


# -- lesson 09: generalisation ---------------------------------------------


def check_majority_baseline(answer, y=None, strict: bool = False) -> CheckResult:
    """The accuracy of always guessing the largest class (penguins: 151 / 342)."""
    if y is None:
        from ..datasets import load_penguins

        y = load_penguins().y
    counts = np.bincount(np.asarray(y))
    expected = counts.max() / counts.sum()
    hints = [
        (float(counts.max()), "that is how many penguins; divide by the number of penguins"),
        (1 / len(counts), "the species are not equally common: count the largest one"),
        (counts.min() / counts.sum(), "that is the smallest species; take the largest"),
    ]
    return _check_number(
        "majority baseline accuracy",
        answer,
        expected,
        hints,
        "count the penguins of the most common species and divide by all penguins",
        strict,
    )


def check_recall(answer, y_true, y_pred, species: int, strict: bool = False) -> CheckResult:
    """Recall of one class: of the penguins truly of ``species``, the share found."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    true = y_true == species
    found = y_pred == species
    expected = np.count_nonzero(true & found) / max(np.count_nonzero(true), 1)
    precision = np.count_nonzero(true & found) / max(np.count_nonzero(found), 1)
    hints = [
        (
            precision,
            "that is the precision (divided by the predicted ones, a column); recall divides "
            "by the penguins truly of that species (a row of the confusion matrix)",
        )
    ]
    return _check_number(
        f"recall of class {species}",
        answer,
        expected,
        hints,
        "recall = correct predictions of the class / penguins truly of that class (its row)",
        strict,
    )


def check_not_overfitting(explorer, strict: bool = False) -> CheckResult:
    """After its lowest, the OverfittingExplorer's validation loss stays within 20% of it
    (the explorer's ``overfitting``, at its threshold ``TURN_UP``)."""
    what = "your setting of the overfitting explorer"
    if not_answered(explorer):
        return _unanswered(what, strict)
    if not hasattr(explorer, "overfitting"):
        return report(
            False,
            f"{what}: expected the OverfittingExplorer, got {type(explorer).__name__}",
            "pass the explorer object, e.g. check_not_overfitting(explorer)",
            strict,
        )
    lowest = min(explorer.history.val_loss)
    if explorer.overfitting:
        return report(
            False,
            f"{what}: the validation loss still turns up ({lowest:.3f} at its lowest, "
            f"then up to {explorer.highest_after_best:.3f})",
            "move a slider: fewer neurons or more L2 can stop it (more training points and "
            "dropout only shrink the gap here)",
            strict,
        )
    return report(
        True,
        f"{what}: after its lowest ({lowest:.3f}) the validation loss stays at or below "
        f"{explorer.highest_after_best:.3f}, within 20%: no overfitting",
        strict=strict,
    )


# -- lesson 10: training deeper networks -----------------------------------


def check_sigmoid_shrink(answer, layers: int = 10, strict: bool = False) -> CheckResult:
    """At most how much ``layers`` sigmoid slopes (each <= 0.25) shrink a gradient: 0.25**layers."""
    expected = 0.25**layers
    hints = [
        (0.25 * layers, "the slopes multiply, one per layer: 0.25 to the power of the layers"),
        (0.5**layers, "sigmoid's largest slope is 0.25 (at z = 0), not 0.5"),
    ]
    return _check_number(
        f"gradient factor after {layers} sigmoid layers",
        answer,
        expected,
        hints,
        "each layer multiplies the gradient by a slope of at most 0.25",
        strict,
    )


def check_adam_first_step(answer, lr: float = 0.01, strict: bool = False) -> CheckResult:
    """Size of Adam's very first step for one weight, whatever its gradient: lr.

    The hints assume the lesson's example gradient 4.0 and Adam's default betas.
    """
    gradient = 4.0
    hints = [
        (lr * gradient, "that is SGD's step (lr * gradient); Adam divides by the gradient's size"),
        (
            lr * 0.1 * gradient / math.sqrt(0.001 * gradient**2),
            "you left out the bias correction: m_hat = m / (1 - beta1), v_hat = v / (1 - beta2)",
        ),
    ]
    return _check_number(
        "size of Adam's first step",
        answer,
        lr,
        hints,
        "after one step m_hat = g and v_hat = g**2, so the step is lr * g / |g|",
        strict,
    )


def check_signal_kept(explorer, min_depth: int = 10, strict: bool = False) -> CheckResult:
    """The InitialisationExplorer, at least ``min_depth`` layers deep, keeps the gradient size."""
    what = "your setting of the initialisation explorer"
    if not_answered(explorer):
        return _unanswered(what, strict)
    if not hasattr(explorer, "sizes"):
        return report(
            False,
            f"{what}: expected the InitialisationExplorer, got {type(explorer).__name__}",
            "pass the explorer object",
            strict,
        )
    depth = explorer.value("depth")
    gradients = explorer.sizes.gradients
    ratio = gradients[0] / max(gradients[-1], 1e-300)
    if depth < min_depth:
        return report(
            False,
            f"{what}: only {depth} hidden layers",
            f"set at least {min_depth} layers first",
            strict,
        )
    if not (0.1 <= ratio <= 10) or not np.all(np.isfinite(explorer.sizes.activations)):
        return report(
            False,
            f"{what}: the first layer's gradients are {ratio:.2g} times the last layer's",
            "choose the activation and start that keep the signal the same size in every layer",
            strict,
        )
    return report(
        True,
        f"{what}: {depth} layers, gradients within a factor 10 from first to last layer",
        strict=strict,
    )


# -- lesson 11: from nnkit to PyTorch -----------------------------------------


def check_torch_weight_shape(
    answer, n_inputs: int = 4, n_neurons: int = 10, strict: bool = False
) -> CheckResult:
    """Shape of ``torch.nn.Linear(n_inputs, n_neurons).weight``: (n_neurons, n_inputs)."""
    what = f"shape of Linear({n_inputs}, {n_neurons}).weight"
    if not_answered(answer):
        return _unanswered(what, strict)
    try:
        shape = tuple(int(n) for n in answer)
    except (TypeError, ValueError):
        return report(False, f"{what}: expected a shape such as (2, 3), got {answer!r}", "", strict)
    if shape == (n_neurons, n_inputs):
        return report(True, f"{what}: {shape} is right", strict=strict)
    if shape == (n_inputs, n_neurons):
        return report(
            False,
            f"{what}: {shape} is nnkit's shape",
            "PyTorch stores the transpose: one row per neuron, (out, in)",
            strict,
        )
    return report(False, f"{what}: {shape} is not right", "one row per neuron", strict)


def check_same_numbers(model, module, X, strict: bool = False) -> CheckResult:
    """An nnkit model and a PyTorch module give the same outputs on X, to 1e-12."""
    what = "nnkit and PyTorch outputs"
    if not_answered(model) or not_answered(module):
        return _unanswered(what, strict)
    import torch

    X = np.asarray(X, dtype=np.float64)
    with torch.no_grad():
        theirs = module(torch.from_numpy(X).to(next(module.parameters()).dtype)).numpy()
    ours = model.forward(X)
    if ours.shape != theirs.shape:
        return report(
            False,
            f"{what}: shapes differ, {ours.shape} and {theirs.shape}",
            "compare the same network",
            strict,
        )
    difference = float(np.max(np.abs(ours - theirs)))
    if difference <= 1e-12:
        return report(True, f"{what}: largest difference {difference:.1e}", strict=strict)
    return report(
        False,
        f"{what}: largest difference {difference:.1e}",
        "copy the weights (model.to_torch() or nk.from_torch), in float64, and use .eval()",
        strict,
    )
