"""The building blocks of every check: a result that prints a tick or a hint."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

TICK = "\u2714"
CROSS = "\u2718"
TOLERANCE = 1e-3  # answers rounded to 3 decimals are accepted


class CheckFailed(AssertionError):
    """Raised by a strict check, so that nbgrader counts the test as failed."""


@dataclass
class CheckResult:
    """The outcome of one check: passed or not, a message and a hint."""

    passed: bool
    message: str
    hint: str = ""

    def __str__(self) -> str:
        if self.passed:
            return f"{TICK} {self.message}"
        text = f"{CROSS} {self.message}"
        return f"{text}\n  Hint: {self.hint}" if self.hint else text

    def __bool__(self) -> bool:
        return self.passed

    def _ipython_display_(self) -> None:
        """Show nothing: ``report`` has already printed the result when it was checked.

        (A check called as a cell's last line would otherwise appear twice.)
        """

    def _repr_html_(self) -> str:
        colour = "#1b7f3b" if self.passed else "#b00020"
        body = str(self).replace("\n", "<br>")
        return f'<pre style="color:{colour}">{body}</pre>'


def report(passed: bool, message: str, hint: str = "", strict: bool = False) -> CheckResult:
    """Print the result; with ``strict`` raise CheckFailed when it did not pass."""
    result = CheckResult(bool(passed), message, hint)
    print(result)
    if strict and not result.passed:
        raise CheckFailed(str(result))
    return result


def not_answered(value) -> bool:
    """True for the placeholder values a student has not replaced yet (None, ...)."""
    return value is None or value is Ellipsis


def close(answer, expected) -> bool:
    """True when ``answer`` equals ``expected`` up to rounding to 3 decimals."""
    return bool(np.allclose(answer, expected, rtol=TOLERANCE, atol=TOLERANCE))


def unanswered(what: str, strict: bool) -> CheckResult:
    """The result for an answer still left as ``...``: say what to do."""
    return report(
        False,
        f"{what}: not answered yet",
        "replace the ... with your answer and run the cell again",
        strict,
    )


def as_number(answer) -> float | None:
    """``answer`` as a finite float, or None when it is not a number."""
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def check_number(
    what: str,
    answer,
    expected: float,
    hints: list[tuple[float, str]],
    general_hint: str,
    strict: bool,
) -> CheckResult:
    """Compare one number; ``hints`` pairs a typical wrong answer with what went wrong."""
    if not_answered(answer):
        return unanswered(what, strict)
    value = as_number(answer)
    if value is None:
        return report(False, f"{what}: expected a number, got {answer!r}", general_hint, strict)
    if close(value, expected):
        return report(True, f"{what}: {value:.4g} is right", strict=strict)
    for wrong, hint in hints:
        if close(value, wrong):
            return report(False, f"{what}: {value:.4g} is not right", hint, strict)
    return report(False, f"{what}: {value:.4g} is not right", general_hint, strict)
