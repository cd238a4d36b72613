"""The building blocks of every check: a result that prints a tick or a hint."""

from __future__ import annotations

from dataclasses import dataclass

TICK = "\u2714"
CROSS = "\u2718"


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
