"""What every exercise check shares: run the student's code, switch nnkit's own answer off,
report a tick or the mistake with a hint, and fail the cell cleanly (no traceback)."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import numpy as np

from ..base import CheckFailed, CheckResult

SWITCHED_OFF = "write this yourself; nnkit's version is switched off in this exercise"


class SwitchedOff(RuntimeError):
    """Raised by nnkit's own version of what an exercise asks for, while its check runs."""


class ExerciseCheckFailed(CheckFailed):
    """A failed exercise check: the cell fails (nbgrader gives 0 points) without a traceback.

    The check has already printed the ✘ line, the message and the hint, so
    IPython shows this one line instead of the usual traceback into nnkit.
    """

    def _render_traceback_(self) -> list[str]:
        return ["This check did not pass yet, so its points are not awarded (see the hint above)."]


class Mistake(Exception):
    """Internal: the answer is wrong; carries the message and the hint."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


# -- switching nnkit's own implementation off ------------------------------------

Target = Callable | type | tuple


# methods a student calls by name; the others (function, derivative, prepare, compute,
# update, ...) run inside them, so the message names the class alone
PUBLIC_METHODS = frozenset({"forward", "backward", "step", "fit"})


def _public_name(owner: str, method: str | None, args: tuple) -> str:
    """What the student called: ``nk.softmax``, ``nk.Sigmoid``, ``nk.Dense.backward``.

    A method shared by several classes (``Activation.backward``, ``Optimizer.step``)
    is named after the nnkit class of the object it was called on (``nk.ReLU``,
    ``nk.SGD``), found in that object's class hierarchy.
    """
    if method is None:
        return owner
    if args:
        import nnkit

        for cls in type(args[0]).__mro__:
            if cls.__module__.startswith("nnkit.") and getattr(nnkit, cls.__name__, None) is cls:
                owner = f"nk.{cls.__name__}"
                break
    return f"{owner}.{method}" if method in PUBLIC_METHODS else owner


def switched_off_error(owner: str, method: str | None, args: tuple) -> SwitchedOff:
    """The error nnkit's switched-off code raises (see :func:`_off_code`)."""
    return SwitchedOff(f"{_public_name(owner, method, args)}: {SWITCHED_OFF}")


def _off_code(owner: str, method: str | None, n_free: int) -> types.CodeType:
    """A code object that raises SwitchedOff, with ``n_free`` free variables.

    A method that uses ``super()`` has a ``__class__`` cell; Python only lets a
    function's ``__code__`` be replaced by code with as many free variables.
    """
    names = [f"_free{i}" for i in range(n_free)]
    lines = ["def _outer():"]
    lines += [f"    {name} = None" for name in names]
    lines.append("    def switched_off(*args, **kwargs):")
    if names:
        lines.append(f"        ({', '.join(names)},)")
    lines.append(
        "        raise __import__('nnkit.checks.exercises._common', fromlist=['_'])"
        f".switched_off_error({owner!r}, {method!r}, args)"
    )
    lines.append("    return switched_off")
    namespace: dict = {}
    exec("\n".join(lines), namespace)  # noqa: S102 - builds a fixed, tiny function
    return namespace["_outer"]().__code__


def _functions(target: Target) -> list[tuple[types.FunctionType, str, str | None]]:
    """The plain functions behind ``target``: each with the name a student would use
    (``nk.softmax``, or the target class ``nk.Sigmoid``) and its method name, if any.

    ``target`` is a function, a class (every method its own body defines), or
    ``(class, names)``: those methods wherever the class finds them (its own
    body or a base class up to, not including, nnkit's Layer).
    """
    from ...layers import Layer

    if isinstance(target, types.FunctionType):
        return [(target, f"nk.{target.__name__}", None)]
    if isinstance(target, type):
        owner, classes, names = target, [target], None
    else:
        owner, names = target
        classes = [c for c in owner.__mro__ if c not in (object, Layer)]
    found = []
    for cls in classes:
        for name, value in vars(cls).items():
            if names is None and name.startswith("__") or names is not None and name not in names:
                continue
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if isinstance(value, types.FunctionType):
                found.append((value, f"nk.{owner.__name__}", name))
    return found


@contextmanager
def switched_off(targets: Iterable[Target]) -> Iterator[None]:
    """While the block runs, nnkit's own versions of ``targets`` raise SwitchedOff.

    The functions' code is swapped, not the names, so every reference a
    student may hold (``nk.softmax``, ``from nnkit.activations import softmax``,
    ``super().backward``, an instance made earlier) is caught; everything
    else in nnkit keeps working, and the code is put back afterwards.
    """
    saved: list[tuple[types.FunctionType, types.CodeType]] = []
    try:
        for target in targets:
            for function, owner, method in _functions(target):
                if any(function is done for done, _ in saved):
                    continue
                saved.append((function, function.__code__))
                n_free = len(function.__code__.co_freevars)
                function.__code__ = _off_code(owner, method, n_free)
        yield
    finally:
        for function, code in reversed(saved):
            function.__code__ = code


# -- running a check ------------------------------------------------------------

ERROR_HINTS = {
    NameError: (
        "your code uses a name that is not defined: check its spelling, and run the "
        "cells above this one first (Run > Run All Above Selected Cell)"
    ),
    AttributeError: (
        "your code reads an attribute that does not exist: a layer's forward stores on "
        "self what its backward needs (lesson 6, 'Recording one pass'); check the name "
        "and that forward has run"
    ),
    TypeError: "check how many arguments your function takes and what it returns",
    IndexError: "an index is out of range: print the shapes of your arrays",
    KeyError: "a dictionary key is missing: print the keys (e.g. layer.params.keys())",
}

SHAPE_HINT = (
    "write each array's shape next to the formula and make the inner sizes of every "
    "matrix product agree (lesson 2, 'A whole batch at once: matrix products')"
)


def _ipython():
    """The IPython shell running this code, or None (a script, pytest)."""
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None


class _CellTicks:
    """The ✔ lines the notebook cell now running has printed (in IPython only)."""

    def __init__(self) -> None:
        self.messages: set[str] = set()
        self.shell = None

    def seen(self, message: str) -> bool:
        shell = _ipython()
        if shell is None:
            return False
        if shell is not self.shell:  # forget them whenever a cell starts running
            shell.events.register("pre_run_cell", self.forget)
            self.shell = shell
        if message in self.messages:
            return True
        self.messages.add(message)
        return False

    def forget(self, *args) -> None:
        self.messages.clear()


_cell_ticks = _CellTicks()


def report(passed: bool, message: str, hint: str = "", strict: bool = True) -> CheckResult:
    """Print the result; with ``strict`` fail the cell (no traceback) when it did not pass.

    In a notebook, a ✔ the running cell has already printed is not printed again:
    a test cell's hidden tests call its visible check once more with other inputs,
    and the feedback should show one ✔ (a failure always prints).
    """
    result = CheckResult(bool(passed), message, hint)
    if result.passed and _cell_ticks.seen(message):
        return result
    print(result)
    if strict and not result.passed:
        raise ExerciseCheckFailed(str(result)) from None
    return result


def run_check(
    name: str,
    test: Callable[[], None],
    success: str,
    strict: bool = True,
    switch_off: Iterable[Target] = (),
    shapes: str = "",
) -> CheckResult:
    """Run ``test`` with nnkit's own versions of ``switch_off`` unavailable, then report.

    ``shapes`` describes the inputs the test gives the student's code; it is
    added to the message of a shape error, next to numpy's own words.
    """
    try:
        with (
            switched_off(switch_off),
            np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"),
        ):
            test()
    except SwitchedOff as error:
        return report(
            False,
            f"{name}: your code calls {error}",
            "the point of this exercise is to write it from the formula; nnkit's own "
            "version is only there for the lessons",
            strict,
        )
    except NotImplementedError:
        return report(
            False,
            f"{name}: not answered yet",
            "replace `raise NotImplementedError()` in the answer cell with your code",
            strict,
        )
    except Mistake as mistake:
        return report(False, f"{name}: {mistake.message}", mistake.hint, strict)
    except FloatingPointError as error:
        return report(
            False,
            f"{name}: numpy {error} (a number became too large or undefined)",
            "an e^z overflowed or something was divided by zero: the exercise text says "
            "how to keep the numbers small",
            strict,
        )
    except ValueError as error:
        text = str(error)
        if "shape" in text or "broadcast" in text or "dimension" in text:
            given = f" (the check gave it {shapes})" if shapes else ""
            return report(False, f"{name}: a shape mismatch: {text}{given}", SHAPE_HINT, strict)
        return report(False, f"{name} raised ValueError: {text}", ERROR_HINTS[TypeError], strict)
    except Exception as error:  # the student's code raised: say what, not a traceback
        hint = next(
            (hint for kind, hint in ERROR_HINTS.items() if isinstance(error, kind)),
            "read the error message: it names what went wrong",
        )
        return report(False, f"{name} raised {type(error).__name__}: {error}", hint, strict)
    return report(True, success, strict=strict)


# -- comparing answers ------------------------------------------------------------


def close(a, b, tol: float = 1e-6) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol))


def as_array(value, what: str) -> np.ndarray:
    if value is None:
        raise Mistake(f"{what} is None", "return the result (is a `return` missing?)")
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Mistake(
            f"{what} is {type(value).__name__}, not numbers", "return a number or a numpy array"
        ) from None


def as_number(value, what: str) -> float:
    array = as_array(value, what)
    if array.size != 1:
        raise Mistake(
            f"{what} has shape {array.shape}, expected a single number",
            "take the mean over the samples so the result is one number",
        )
    return float(array.ravel()[0])


def expect_shape(value: np.ndarray, shape: tuple, what: str, hint: str = "") -> None:
    if value.shape != shape:
        raise Mistake(f"{what} has shape {value.shape}, expected {shape}", hint)


def fmt(values) -> str:
    """Short text for a few numbers."""
    return str(np.round(np.asarray(values, dtype=float), 4).tolist())
