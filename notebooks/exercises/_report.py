"""How an exercise check tells the learner the result: a green or red box in the notebook."""

from __future__ import annotations

import html


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
