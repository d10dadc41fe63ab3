"""Checks for the numbers a workflow's settings take: time limits, counts, bounds.

A limit that does not hold is worse than none, because the learner trusts it. So every setting
is checked when it is given, and a value that would not work as a limit is refused there, with
the setting's name: ``float("nan")`` (every comparison with it is false, so a run would never
time out), ``True`` (a bool is an int to Python, so it would quietly mean one second), a string
such as ``"5"``, infinity, zero or less.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from ..errors import WorkflowValidationError


def seconds(setting: str, value: Any) -> float:
    """`value` as a time limit in seconds for `setting`: a finite number above zero."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise WorkflowValidationError(
            f"{setting} takes a number of seconds, such as 5 or 0.5; got {value!r} ({type(value).__name__})."
        )
    if math.isnan(value) or math.isinf(value) or value <= 0:
        raise WorkflowValidationError(
            f"{setting} takes a finite number of seconds above zero; got {value!r}. "
            "For no limit at all, leave the setting out."
        )
    return float(value)


def whole_number(setting: str, value: Any, minimum: int = 1) -> int:
    """`value` as a count for `setting`: a whole number of at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise WorkflowValidationError(f"{setting} takes a whole number, such as 3; got {value!r} ({type(value).__name__}).")
    if value < minimum:
        raise WorkflowValidationError(f"{setting} must be at least {minimum}; got {value!r}.")
    return int(value)


def at_least(setting: str, value: Any, minimum: float) -> float:
    """`value` as a finite number of at least `minimum` for `setting` (a backoff, a factor)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value) or math.isinf(value):
        raise WorkflowValidationError(f"{setting} takes a finite number; got {value!r}.")
    if value < minimum:
        raise WorkflowValidationError(f"{setting} must be at least {minimum:g}; got {value!r}.")
    return float(value)
