"""Self-checks: a tick when an answer is right, otherwise what is wrong and a hint.

Lessons use them in "check yourself" cells; the coursework's visible tests
use the same functions, so students get the same feedback before handing in.
"""

from . import advanced, exercises, lessons, training
from .base import CheckFailed, CheckResult, not_answered, report

__all__ = [
    "advanced",
    "CheckFailed",
    "CheckResult",
    "exercises",
    "lessons",
    "not_answered",
    "report",
    "training",
]
