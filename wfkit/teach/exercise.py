"""`Exercise`: a lesson's exercise, its checks, and its reference solution kept out of sight.

A lesson's check module (``exercises/my_lesson.py``, next to the notebook) makes one::

    exercise = Exercise.for_module(__name__, __file__)

    @exercise.test("an urgent ticket reaches on-call", hint="Cases are tried in order.")
    async def urgent_first(my_cases):
        assert await route(my_cases, URGENT) == "on_call", "the urgent ticket went elsewhere"

    check = exercise.check          # the notebook: await my_lesson.check(my_cases)
    reveal = exercise.reveal

A check runs the learner's answer against the named tests in order and shows a green "Solved"
box, or a red "Not yet" one naming the first test that failed, what went wrong and the hint.
``reveal()`` shows the reference solution, highlighted, once the learner has run the check at
least once. The solution is in a hidden file, ``.solutions/my_lesson.py`` in the lesson's folder,
written under the learner's own name so that it can be pasted over their answer (see
`wfkit.teach.solutions`).

A check with logic of its own (a whole run, custom hints) is an async function decorated with
`Exercise.checker`: it gets the learner's answer and returns `report(passed, message)`.

Every check notes, in the lesson's folder, that the exercise was tried or passed, and ``reveal()``
that its solution was seen (`wfkit.teach.progress`): the course's index shows the table, and so
does ``wfkit progress``. The note lives in a file, so it outlasts the kernel; nothing leaves the
machine.

When a lesson runs headless, its runs paste the reference solution (and then each known wrong
answer) over the learner's and set ``WFKIT_CHECKS_RAISE=1`` for the kernel: a check that does not
pass then raises `ExerciseNotSolvedError` instead of showing a red box, so a run stops at a check
that refuses the reference solution, and a check that refuses the wrong answer is seen to do so.

What a check guards, and what it does not. A check is feedback for a learner, not an exam:

- each test runs on its own (the list of tests is read once, before the answer runs, so an
  answer that edits it changes nothing); an answer that raises anything, ``SystemExit``
  included, is a "Not yet" naming what it raised (only ``KeyboardInterrupt`` and a cancelled
  cell stop the check); an async test that does not finish within `Exercise.seconds_per_test`
  (10 s by default; ``Exercise(..., seconds_per_test=30)``) is a "Not yet" that says so; the
  box shows at most `MAX_SHOWN_CHARS` of a message and says when it cut it;
- ``tried`` is set by running the check and cannot be set by hand.

It does not guard against a learner who reads the hidden ``.solutions`` file, or who changes
the check module itself: the kernel is theirs.
"""

from __future__ import annotations

import asyncio
import functools
import html
import inspect
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, TypeVar

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from ..errors import ExerciseNotSolvedError
from .progress import Note, note_check
from .solutions import read_hidden_answers

MAX_SHOWN_CHARS = 2000  # of a check's message: a 20 MB answer must not become a 20 MB box the notebook saves
SECONDS_PER_TEST = 10.0  # the default time an async test may take before it is a "Not yet"
SOLUTIONS_FOLDER = ".solutions"  # next to the lessons; hidden, so the file browser does not list it
CHECKS_RAISE = "WFKIT_CHECKS_RAISE"  # set to 1 in a lesson's kernel: a check that does not pass raises

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


def report(passed: bool, message: str) -> CheckResult:
    """What a checker returns: passed or not, and the sentence the learner reads."""
    return CheckResult(passed, message)


def checks_raise() -> bool:
    """True when ``WFKIT_CHECKS_RAISE`` asks a check that does not pass to raise (a lesson's
    headless runs set it for the kernel; a learner's kernel leaves it unset)."""
    return os.environ.get(CHECKS_RAISE, "").strip().lower() not in ("", "0", "false", "no")


def _shown(result: CheckResult) -> CheckResult:
    """The result to show, or, in a headless run, `ExerciseNotSolvedError` for one that did not pass."""
    if not result.passed and checks_raise():
        raise ExerciseNotSolvedError(result.message)
    return result


class Revealed:
    """What `Exercise.reveal` shows: the reference solution, syntax-coloured, or why it waits."""

    def __init__(self, intro: str, source: str = "") -> None:
        self.intro = intro
        self.source = source

    def __repr__(self) -> str:
        return f"{self.intro}\n\n{self.source}" if self.source else self.intro

    def _repr_html_(self) -> str:
        colour = "#2563eb" if self.source else "#64748b"
        # white-space:pre: JupyterLab wraps an output's <pre> anywhere, even inside a word; a line
        # of code too long for the page scrolls sideways instead, and reads as written.
        formatter = HtmlFormatter(noclasses=True, prestyles="white-space:pre;word-break:normal;overflow-wrap:normal")
        code = highlight(self.source, PythonLexer(), formatter) if self.source else ""
        return (
            # overflow-x: a long line of code scrolls inside the box instead of running past it
            f'<div style="border-left:6px solid {colour};padding:6px 12px;background:#f8fafc;overflow-x:auto">'
            f"<div>{html.escape(self.intro)}</div>{code}</div>"
        )


@dataclass
class NamedTest:
    """One test of an exercise: what it checks, and a hint for a learner whose answer fails it."""

    description: str
    function: Callable[..., Any]
    hint: str = ""


class Exercise:
    """One exercise: its named tests, its hidden reference solution, and reveal.

    With a `course` folder, each check and reveal is noted in that course's progress file
    (`Exercise.for_module` gives it the lesson's folder)."""

    def __init__(
        self,
        name: str,
        solutions: str | Path | None = None,
        seconds_per_test: float = SECONDS_PER_TEST,
        course: str | Path | None = None,
    ) -> None:
        self.name = name
        self.solutions_file = Path(solutions) if solutions is not None else None
        self.tests: list[NamedTest] = []
        self.seconds_per_test = seconds_per_test
        self.course = Path(course) if course is not None else None
        self._tried = False  # has the check run in this kernel (a restarted kernel forgets)

    @property
    def tried(self) -> bool:
        """True once the check has run in this kernel (`reveal` waits for it)."""
        return self._tried

    @tried.setter
    def tried(self, value: bool) -> None:
        raise AttributeError(f"{self.name}.tried is set by running the check: run the check cell, then reveal().")

    @classmethod
    def for_module(cls, module_name: str, module_file: str) -> Exercise:
        """The exercise of the check module `module_name` at `module_file`. The folder above its
        package is the lesson's: its solutions are in ``.solutions/<module>.py`` there, and its
        progress is noted there."""
        here = Path(module_file).resolve()
        lessons = here.parent.parent
        return cls(module_name.rsplit(".", 1)[-1], lessons / SOLUTIONS_FOLDER / f"{here.stem}.py", course=lessons)

    # --- checking ------------------------------------------------------------------------------

    def test(self, description: str, hint: str = "") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a named test: ``function(answer, *context)``, sync or async. It passes when
        it returns; an ``AssertionError`` (a failed ``assert x, "message"``) is a "not yet" with
        that message; any other exception is reported as what the answer raised."""

        def register(function: Callable[..., Any]) -> Callable[..., Any]:
            self.tests.append(NamedTest(description, function, hint))
            return function

        return register

    async def check(self, answer: Any, *context: Any) -> CheckResult:
        """Run the named tests on the learner's `answer`, in order, stopping at the first that fails."""
        self._tried = True
        tests = tuple(self.tests)  # read before the answer runs: an answer that edits the list changes nothing
        if not tests:
            raise RuntimeError(f"Exercise {self.name!r} has no tests: add some with @exercise.test(...).")
        for number, test in enumerate(tests, start=1):
            problem = await _run_test(test, answer, context, self.seconds_per_test)
            if problem is not None:
                passed = f"{number - 1} of {len(tests)} checks passed. " if number > 1 else ""
                said = problem if problem.endswith((".", "!", "?")) else f"{problem}."
                hint = f" Hint: {test.hint}" if test.hint else ""
                return self._noted(report(False, f"{passed}{test.description}: {said}{hint}"))
        names = "; ".join(test.description for test in tests)
        return self._noted(report(True, f"All {len(tests)} checks passed: {names}."))

    def checker(self, function: Check) -> Check:
        """Make `function(answer, *context)` this exercise's check: running it counts as a try
        (for `reveal`), and its result is shown like a named test's."""

        @functools.wraps(function)
        async def check(answer: Any, *context: Any) -> CheckResult:
            self._tried = True
            return self._noted(await function(answer, *context))

        return check  # type: ignore[return-value]

    def _noted(self, result: CheckResult) -> CheckResult:
        """Note the check in the course's progress, then show `result` (see `_shown`)."""
        self._note("passed" if result.passed else "tried")
        return _shown(result)

    def _note(self, what: Note) -> None:
        if self.course is not None:
            note_check(self.course, self.name, what)

    def reveal(self) -> Revealed:
        """The reference solution, once the check has run in this kernel: the cell shows it
        highlighted, ready to paste over the learner's own answer."""
        if not self.tried:
            return Revealed("Try first: run the check cell above; then reveal.")
        if self.solutions_file is None:
            raise FileNotFoundError(f"Exercise {self.name!r} was made without a solutions file, so there is nothing to reveal.")
        solution = read_hidden_answers(self.solutions_file).solution
        self._note("revealed")
        return Revealed(
            f"The reference solution, from {SOLUTIONS_FOLDER}/{self.solutions_file.name}. To try it, paste it over "
            f"your {solution.name} and run the check again.",
            solution.source,
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
