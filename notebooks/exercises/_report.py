"""How an exercise check tells the learner the result (a green or red box in the notebook),
and how a learner who has tried can then see the reference solution (`reveal_solution`)."""

from __future__ import annotations

import functools
import html
import inspect
from typing import Any, Awaitable, Callable, TypeVar


class ExerciseNotSolved(AssertionError):
    """Raised by a check when `strict` is on (the course's own tests turn it on)."""


class CheckResult:
    """The outcome of an exercise check; shows as a coloured box in a notebook."""

    def __init__(self, passed: bool, message: str) -> None:
        self.passed = passed
        self.message = message

    def __repr__(self) -> str:
        return f"{'✓ Solved' if self.passed else '✗ Not yet'}: {self.message}"

    def _repr_html_(self) -> str:
        colour, title = ("#16a34a", "✓ Solved") if self.passed else ("#dc2626", "✗ Not yet")
        return (
            f'<div style="border-left:6px solid {colour};padding:6px 12px;background:#f8fafc">'
            f"<b style='color:{colour}'>{title}</b> {html.escape(self.message)}</div>"
        )


def report(passed: bool, message: str, strict: bool) -> CheckResult:
    """The result to display; with `strict`, a failure raises instead."""
    if strict and not passed:
        raise ExerciseNotSolved(message)
    return CheckResult(passed, message)


def pick(exercise: str, yours, solution, wrong):
    """Which answer to check: the learner's (``"yours"``), or, for the course's tests, the
    reference ``"solution"`` or a known ``"wrong"`` one."""
    choices = {"yours": yours, "solution": solution, "wrong": wrong}
    if exercise not in choices:
        raise ValueError(f"exercise must be one of {sorted(choices)}, got {exercise!r}")
    return choices[exercise]


# --- reveal the reference solution, only after a try ----------------------------------------------

Check = TypeVar("Check", bound=Callable[..., Awaitable[CheckResult]])

# The lessons (exercise modules, by name) whose check has run in this kernel. A restarted kernel
# starts empty again, so a learner runs the check once more before revealing.
_tried: set[str] = set()


def counts_as_a_try(check: Check) -> Check:
    """Mark a lesson's `check` so that running it, passed or not, counts as a try."""

    @functools.wraps(check)
    async def check_and_remember(*args: Any, **kwargs: Any) -> CheckResult:
        _tried.add(check.__module__)
        return await check(*args, **kwargs)

    return check_and_remember  # type: ignore[return-value]


def reveal_solution(lesson: str, solution: Any) -> None:
    """Print the source of `lesson`'s reference `solution`, if its check has run in this kernel;
    otherwise say to try first. Each lesson module offers it as ``lesson_0N.reveal()``."""
    if lesson not in _tried:
        print("Try first: run the check cell above; then reveal.")
        return
    module = lesson.rsplit(".", 1)[-1]
    print(f"The reference solution, from exercises/{module}.py:\n")
    print(inspect.getsource(solution))
