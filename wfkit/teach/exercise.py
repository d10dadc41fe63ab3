"""`Exercise`: a lesson's exercise, its checks, and its reference solution kept out of sight.

A lesson's check module (``exercises/my_lesson.py``, next to the notebook) makes one::

    exercise = Exercise.for_module(__name__, __file__)

    @exercise.test("an urgent ticket reaches on-call", hint="Cases are tried in order.")
    async def urgent_first(my_cases):
        assert await route(my_cases, URGENT) == "on_call", "the urgent ticket went elsewhere"

    check = exercise.check          # the notebook: await checks.check(my_cases, which=exercise, strict=strict_checks)
    reveal = exercise.reveal

A check runs the learner's answer against the named tests in order and shows a green "Solved"
box, or a red "Not yet" one naming the first test that failed, what went wrong and the hint.
``which`` is the notebook's ``exercise`` parameter: ``"yours"`` checks the learner's answer,
``"solution"`` and ``"wrong"`` the reference solution and a known wrong answer, which live in a
hidden file, ``.solutions/my_lesson.py`` in the lesson's folder (JupyterLab does not list
hidden files, so a learner does not open it by accident). With ``strict`` (the course's tests)
a failed check raises `ExerciseNotSolvedError` instead of showing a box. ``reveal()`` prints the
reference solution, once the learner has run the check at least once.

A check with logic of its own (a whole run, custom hints) is an async function decorated with
`Exercise.checker`: it gets the chosen answer and returns `report(passed, message, strict)`.

What a check guards, and what it does not. A check is feedback for a learner, not an exam:

- each test runs on its own (the list of tests is read once, before the answer runs, so an
  answer that edits it changes nothing); an answer that raises anything, ``SystemExit``
  included, is a "Not yet" naming what it raised (only ``KeyboardInterrupt`` and a cancelled
  cell stop the check); an async test that does not finish within `Exercise.seconds_per_test`
  (10 s by default; ``Exercise(..., seconds_per_test=30)``) is a "Not yet" that says so; the
  box shows at most `MAX_SHOWN_CHARS` of a message and says when it cut it;
- ``which="solution"`` and ``"wrong"`` check the reference answers only with ``strict=True``,
  as the course's tests run them (papermill sets ``exercise`` and ``strict_checks`` together);
  a learner's cell that asks for them gets an error saying to leave ``exercise = "yours"``;
- ``tried`` is set by running the check and cannot be set by hand.

It does not guard against a learner who reads the hidden ``.solutions`` file, or who changes
the check module itself: the kernel is theirs.
"""

from __future__ import annotations

import asyncio
import functools
import html
import importlib.util
import inspect
import pprint
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Awaitable, Callable, TypeVar

from ..errors import ExerciseNotSolvedError

CHOICES = ("yours", "solution", "wrong")
MAX_SHOWN_CHARS = 2000  # of a check's message: a 20 MB answer must not become a 20 MB box the notebook saves
SECONDS_PER_TEST = 10.0  # the default time an async test may take before it is a "Not yet"
SOLUTIONS_FOLDER = ".solutions"  # next to the lessons; hidden, so the file browser does not list it

Check = TypeVar("Check", bound=Callable[..., Awaitable["CheckResult"]])


class CheckResult:
    """The outcome of a check: a green "Solved" or red "Not yet" box in a notebook."""

    def __init__(self, passed: bool, message: str) -> None:
        self.passed = passed
        if len(message) > MAX_SHOWN_CHARS:
            message = f"{message[:MAX_SHOWN_CHARS]}… (cut: the message had {len(message):,} characters)"
        self.message = message

    def __repr__(self) -> str:
        return f"{'✓ Solved' if self.passed else '✗ Not yet'}: {self.message}"

    def _repr_html_(self) -> str:
        colour, title = ("#16a34a", "✓ Solved") if self.passed else ("#dc2626", "✗ Not yet")
        return (
            f'<div style="border-left:6px solid {colour};padding:6px 12px;background:#f8fafc">'
            f"<b style='color:{colour}'>{title}</b> {html.escape(self.message)}</div>"
        )


def report(passed: bool, message: str, strict: bool = False) -> CheckResult:
    """The result to show; with `strict` (the course's tests), a failure raises instead."""
    if strict and not passed:
        raise ExerciseNotSolvedError(message)
    return CheckResult(passed, message)


@dataclass
class NamedTest:
    """One test of an exercise: what it checks, and a hint for a learner whose answer fails it."""

    description: str
    function: Callable[..., Any]
    hint: str = ""


class Exercise:
    """One exercise: its named tests, its hidden reference solution and wrong answer, and reveal."""

    def __init__(
        self, name: str, solutions: str | Path | None = None, seconds_per_test: float = SECONDS_PER_TEST
    ) -> None:
        self.name = name
        self.solutions_file = Path(solutions) if solutions is not None else None
        self.tests: list[NamedTest] = []
        self.seconds_per_test = seconds_per_test
        self._tried = False  # has the check run in this kernel (a restarted kernel forgets)
        self._solutions: ModuleType | None = None

    @property
    def tried(self) -> bool:
        """True once the check has run in this kernel (`reveal` waits for it)."""
        return self._tried

    @tried.setter
    def tried(self, value: bool) -> None:
        raise AttributeError(f"{self.name}.tried is set by running the check: run the check cell, then reveal().")

    @classmethod
    def for_module(cls, module_name: str, module_file: str) -> Exercise:
        """The exercise of the check module `module_name` at `module_file`, whose solutions are in
        ``.solutions/<module>.py`` in the folder above its package (the lesson's folder)."""
        here = Path(module_file).resolve()
        return cls(module_name.rsplit(".", 1)[-1], here.parent.parent / SOLUTIONS_FOLDER / f"{here.stem}.py")

    # --- the reference solution and the known wrong answer -----------------------------------

    def solutions(self) -> ModuleType:
        """The hidden module that holds `solution` and `wrong` (loaded from its file once)."""
        if self._solutions is None:
            path = self.solutions_file
            if path is None or not path.is_file():
                raise FileNotFoundError(
                    f"The solutions of exercise {self.name!r} should be in {path}, which does not exist. "
                    "Write `solution` and `wrong` there (wfkit new-lesson makes one to start from)."
                )
            spec = importlib.util.spec_from_file_location(f"_wfkit_solutions.{self.name}", path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module  # where inspect looks up a class's source file (reveal)
            spec.loader.exec_module(module)
            self._solutions = module
        return self._solutions

    @property
    def solution(self) -> Any:
        """The reference answer (``solution`` in the solutions file)."""
        return self._from_solutions("solution")

    @property
    def wrong(self) -> Any:
        """A plausible wrong answer the check must refuse (``wrong`` in the solutions file)."""
        return self._from_solutions("wrong")

    def _from_solutions(self, name: str) -> Any:
        module = self.solutions()
        if not hasattr(module, name):
            raise AttributeError(f"{self.solutions_file} has no {name!r}: define it there.")
        return getattr(module, name)

    def choose(self, which: str, yours: Any) -> Any:
        """The answer to check: the learner's (``"yours"``), or the reference ``"solution"``, or
        the known ``"wrong"`` one (the notebook's ``exercise`` parameter says which)."""
        if which not in CHOICES:
            raise ValueError(f"exercise must be one of {', '.join(repr(c) for c in CHOICES)}, got {which!r}.")
        return {"yours": lambda: yours, "solution": lambda: self.solution, "wrong": lambda: self.wrong}[which]()

    # --- checking ------------------------------------------------------------------------------

    def test(self, description: str, hint: str = "") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a named test: ``function(answer, *context)``, sync or async. It passes when
        it returns; an ``AssertionError`` (a failed ``assert x, "message"``) is a "not yet" with
        that message; any other exception is reported as what the answer raised."""

        def register(function: Callable[..., Any]) -> Callable[..., Any]:
            self.tests.append(NamedTest(description, function, hint))
            return function

        return register

    async def check(self, answer: Any, *context: Any, which: str = "yours", strict: bool = False) -> CheckResult:
        """Run the named tests on the chosen answer, in order, stopping at the first that fails."""
        _only_in_the_courses_tests(which, strict)
        self._tried = True
        tests = tuple(self.tests)  # read before the answer runs: an answer that edits the list changes nothing
        if not tests:
            raise RuntimeError(f"Exercise {self.name!r} has no tests: add some with @exercise.test(...).")
        chosen = self.choose(which, answer)
        for number, test in enumerate(tests, start=1):
            problem = await _run_test(test, chosen, context, self.seconds_per_test)
            if problem is not None:
                passed = f"{number - 1} of {len(tests)} checks passed. " if number > 1 else ""
                said = problem if problem.endswith((".", "!", "?")) else f"{problem}."
                hint = f" Hint: {test.hint}" if test.hint else ""
                return report(False, f"{passed}{test.description}: {said}{hint}", strict)
        names = "; ".join(test.description for test in tests)
        return report(True, f"All {len(tests)} checks passed: {names}.", strict)

    def checker(self, function: Check) -> Check:
        """Make `function(answer, *context, strict=...)` this exercise's check: it gets the answer
        ``which`` chooses, and running it counts as a try (for `reveal`)."""

        @functools.wraps(function)
        async def check(answer: Any, *context: Any, which: str = "yours", strict: bool = False) -> CheckResult:
            _only_in_the_courses_tests(which, strict)
            self._tried = True
            return await function(self.choose(which, answer), *context, strict=strict)

        return check  # type: ignore[return-value]

    def reveal(self) -> None:
        """Print the reference solution, once the check has run in this kernel."""
        if not self.tried:
            print("Try first: run the check cell above; then reveal.")
            return
        print(f"The reference solution, from {SOLUTIONS_FOLDER}/{self.name}.py:\n")
        print(_readable_source(self.solution))


def _readable_source(solution: Any) -> str:
    """The source of a function or class; a value (a list, a `functools.partial`) has none, so it
    is shown as its repr, laid out over lines."""
    try:
        return inspect.getsource(solution)
    except (TypeError, OSError):
        return pprint.pformat(solution, width=100)


def _only_in_the_courses_tests(which: str, strict: bool) -> None:
    """The reference answers are checked by the course's tests, which always pass ``strict``."""
    if which in ("solution", "wrong") and not strict:
        raise ValueError(
            f"exercise={which!r} checks the course's reference answer, and only in the course's tests "
            "(strict_checks=True, which papermill sets). In your notebook leave exercise = \"yours\"."
        )


async def _run_test(test: NamedTest, answer: Any, context: tuple[Any, ...], seconds: float) -> str | None:
    """None if `test` passes on `answer`, else what went wrong, in a sentence."""
    try:
        outcome = test.function(answer, *context)
        if inspect.isawaitable(outcome):
            await asyncio.wait_for(outcome, seconds)
    except asyncio.TimeoutError:
        return f"your answer did not finish within {seconds:g} s (does it await something that never comes?)"
    except AssertionError as error:
        # The message's first line: pytest, when it runs a check module, adds its own lines.
        return (str(error).splitlines() or ["the check's condition did not hold"])[0]
    except (Exception, SystemExit, GeneratorExit) as error:  # noqa: BLE001 - whatever the answer raises is the report
        # Not KeyboardInterrupt, nor a cancelled cell (CancelledError): those are the learner stopping the check.
        return f"your answer raised {type(error).__name__}: {error}"
    return None
