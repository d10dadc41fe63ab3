"""Checking lessons headless: run each notebook with papermill, the way a course's own checks do.

Every lesson is run in a copy of its folder (so a run leaves nothing behind), with the offline
model and the answers its cards need (nobody clicks in a headless run) from
``metadata.wfkit.test_parameters``, given to its ``parameters`` cell. The runs:

- **defaults**: as a learner opens it; ``metadata.wfkit.expected_final_output``, if there is one,
  is compared with what the cell tagged ``final`` shows;
- **solution** (a lesson with an exercise): the reference solution of
  ``.solutions/<module>.py`` pasted over the learner's answer, as a learner pastes what
  ``reveal()`` shows, and ``WFKIT_CHECKS_RAISE=1`` set for the kernel; its check must pass;
- **wrong** (and **wrong_2**, **wrong_3**... one run per known wrong answer): the wrong answer
  pasted there instead; the check must refuse it (`ExerciseNotSolvedError`), and, when the
  solutions file writes the hint it must get, the learner's "Not yet" must show those words. A
  check that lets a wrong answer pass cannot tell right from wrong; one that refuses it with
  another hint sends the learner who made that mistake looking in the wrong place.
- **unanswered** (a lesson with ``metadata.wfkit.test_parameters``): no parameters at all, as
  ``papermill lesson.ipynb out.ipynb`` runs it. Nobody answers its cards, so its runs pause;
  every cell must still run (a paused run says so on its view), because that is what anyone who
  runs the lesson unattended sees. Only that it ends without an error is checked: its final
  value may differ.

A lesson has an exercise when ``metadata.wfkit.exercise`` names its check module (``"lesson_01"``
for ``exercises/lesson_01.py``, whose answers are in ``.solutions/lesson_01.py``); see
`wfkit.teach.solutions` for how the answers are written and pasted.

No headless run notes a learner's progress: each runs in a copy of the lesson's folder, which
goes when the run ends, and its kernel starts with ``WFKIT_PROGRESS=off`` (see
`wfkit.teach.progress`), so not even a kept executed copy claims a learner passed.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

import nbformat

from .exercise import CHECKS_RAISE, SOLUTIONS_FOLDER
from .folders import copy_lesson_folder, search_lessons
from .progress import PROGRESS_SWITCH
from .solutions import HiddenAnswer, is_wrong_kind, paste_answer, read_hidden_answers

RUN_KINDS = ("defaults", "solution", "wrong", "unanswered")  # and wrong_2, wrong_3... for more wrong answers
TIMEOUT_SECONDS = 300  # per cell
SHOWN_MESSAGE_CHARS = 300  # of a check's message quoted in a run's line


@dataclass
class LessonRun:
    """One headless run of one lesson: which, how it went, how long it took, and what failed."""

    notebook: Path
    kind: str
    passed: bool
    seconds: float
    detail: str = ""  # what failed, or for a refused wrong answer, that it was refused
    executed: Path | None = field(default=None, compare=False)  # the executed copy, when kept

    def line(self) -> str:
        """``PASS  01_intro.ipynb  solution  3.2 s`` (and what failed, when it did)."""
        verdict = "PASS" if self.passed else "FAIL"
        text = f"{verdict}  {self.notebook}  {self.kind:<8}  {self.seconds:.1f} s"
        return f"{text}  {self.detail}" if self.detail else text


def find_lessons(paths: Iterable[str | Path]) -> list[Path]:
    """The notebooks at `paths` (files, or folders searched through), without checkpoints,
    hidden folders and executed copies; sorted, each once (see `search_lessons`, which also
    says what it left out: a symlink loop, say)."""
    return search_lessons(paths).notebooks


def lesson_settings(path: Path) -> dict[str, Any]:
    """The lesson's ``metadata.wfkit`` (expected_final_output, test_parameters, exercise)."""
    return dict(nbformat.read(path, as_version=4).metadata.get("wfkit", {}))


def declared_parameters(path: Path) -> set[str]:
    """The names the lesson's ``parameters`` cell assigns (papermill can set only those)."""
    import papermill

    return set(papermill.inspect_notebook(str(path)))


def runs_of(path: Path) -> list[str]:
    """Which runs a lesson gets: always "defaults"; with an exercise, "solution" and one run per
    known wrong answer ("wrong", "wrong_2"...); with test_parameters, "unanswered"."""
    settings = lesson_settings(path)
    kinds = ["defaults", "solution", *wrong_runs_of(path)] if settings.get("exercise") else ["defaults"]
    # Without test_parameters, "defaults" already runs the lesson as it is written.
    return kinds + ["unanswered"] if settings.get("test_parameters") else kinds


def wrong_runs_of(path: Path) -> list[str]:
    """The wrong-answer runs of a lesson with an exercise: one per wrong answer its solutions
    file names. A file that cannot be read, or names none, still gets its "wrong" run: that run
    fails and says what to write."""
    try:
        return list(read_hidden_answers(solutions_file_of(path)).wrong_answers) or ["wrong"]
    except (OSError, ValueError):
        return ["wrong"]


def parameters_for(path: Path, kind: str) -> dict[str, Any]:
    """What papermill gives the lesson's ``parameters`` cell in the run `kind`."""
    if kind == "unanswered":
        return {}
    declared = declared_parameters(path)
    wanted: dict[str, Any] = {"chat": "offline", **lesson_settings(path).get("test_parameters", {})}
    return {name: value for name, value in wanted.items() if name in declared}


def solutions_file_of(path: Path) -> Path:
    """The hidden answers of the lesson `path`'s exercise (``metadata.wfkit.exercise`` names it)."""
    module = lesson_settings(path).get("exercise")
    if not isinstance(module, str) or not module:
        raise ValueError(
            f"metadata.wfkit.exercise is {module!r}: set it to the name of the lesson's check module "
            '(e.g. "lesson_01" for exercises/lesson_01.py), whose answers are in .solutions/ under the same name.'
        )
    return path.parent / SOLUTIONS_FOLDER / f"{module}.py"


def with_hidden_answer(path: Path, kind: str) -> HiddenAnswer:
    """Paste the hidden ``"solution"`` or a wrong answer (``"wrong"``, ``"wrong_2"``...) over the
    learner's in the lesson at `path` (a copy: the runs work in one), as a learner pastes what
    ``reveal()`` shows; return the answer pasted."""
    notebook = nbformat.read(path, as_version=4)
    answers = read_hidden_answers(solutions_file_of(path))
    paste_answer(notebook, answers, kind)
    nbformat.write(notebook, path)
    return answers.answer(kind)


@contextmanager
def kernel_environment(checks_raise: bool) -> Iterator[None]:
    """Set (or clear) ``WFKIT_CHECKS_RAISE``, and switch progress notes off, while a run starts
    its kernel, which takes this process's environment; both are put back as they were afterwards."""
    before = {name: os.environ.get(name) for name in (CHECKS_RAISE, PROGRESS_SWITCH)}
    if checks_raise:
        os.environ[CHECKS_RAISE] = "1"
    else:  # the author's own shell may have it set: a learner's run never raises
        os.environ.pop(CHECKS_RAISE, None)
    os.environ[PROGRESS_SWITCH] = "off"  # a headless run is no learner: it passes nothing on their behalf
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_lesson(path: Path, kind: str, keep_in: Path | None = None) -> LessonRun:
    """Run the lesson `path` once, as `kind` says (see the module docstring)."""
    import papermill

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="wfkit-lesson-") as scratch:
        source = path.resolve().parent
        folder = Path(scratch) / (source.name or "lesson")
        copy_lesson_folder(source, folder)
        output = (keep_in or Path(scratch)) / f"executed-{path.stem}-{kind}.ipynb"
        output.parent.mkdir(parents=True, exist_ok=True)
        parameters = parameters_for(path, kind)
        answered = kind == "solution" or is_wrong_kind(kind)
        pasted = None
        try:
            if answered:
                pasted = with_hidden_answer(folder / path.name, kind)
        except (OSError, ValueError) as error:  # no answers file, or one that does not say which is which
            return LessonRun(path, kind, False, time.perf_counter() - started, f"{error}")
        try:
            with kernel_environment(checks_raise=answered):
                papermill.execute_notebook(
                    str(folder / path.name),
                    str(output),
                    parameters=parameters,
                    cwd=str(folder),
                    kernel_name="python3",
                    progress_bar=False,
                    execution_timeout=TIMEOUT_SECONDS,
                )
        except papermill.PapermillExecutionError as error:
            seconds = time.perf_counter() - started
            kept = output if keep_in else None
            if is_wrong_kind(kind) and error.ename == "ExerciseNotSolvedError" and pasted is not None:
                return _refused_run(path, kind, pasted, str(error.evalue), seconds, kept)
            return _failed_run(path, kind, error, seconds, kept, injected=bool(parameters))
        except Exception as error:  # the run itself broke (a timeout, a dead kernel): this lesson fails, the next runs
            return LessonRun(path, kind, False, time.perf_counter() - started, _why_the_run_broke(error))
        seconds = time.perf_counter() - started
        if is_wrong_kind(kind) and pasted is not None:
            return LessonRun(
                path, kind, False, seconds,
                f"exercise {_exercise_of(path)}: the check passed the known wrong answer {kind} ({pasted.name}): "
                "make it refuse it",
            )
        problem = _final_value_problem(path, output) if kind == "defaults" else ""
        return LessonRun(path, kind, not problem, seconds, problem, output if keep_in else None)


def _why_the_run_broke(error: Exception) -> str:
    """One line for a run that did not get to the end of its cells, with what to do."""
    name = type(error).__name__
    first_line = (str(error).strip().splitlines() or [""])[0][:300]
    if name == "CellTimeoutError":
        return (f"a cell took longer than {TIMEOUT_SECONDS} s and was stopped (CellTimeoutError: {first_line}): "
                "does it wait for a click? give it an answer in metadata.wfkit.test_parameters")
    if name == "DeadKernelError":
        return f"the kernel died during the run (DeadKernelError: {first_line}): a cell exited or ran out of memory"
    return f"the run could not go on: {name}: {first_line}"


def _refused_run(
    path: Path, kind: str, wrong: HiddenAnswer, message: str, seconds: float, executed: Path | None
) -> LessonRun:
    """A wrong answer the check refused: it passes if the learner's "Not yet" shows the hint the
    solutions file writes for it (or none is written)."""
    if not wrong.hint:
        said = "the check refused it, as it must (no hint written to compare)"
        return LessonRun(path, kind, True, seconds, said, executed)
    if _plain(wrong.hint) in _plain(message):
        return LessonRun(path, kind, True, seconds, "the check refused it, as it must, with the hint written", executed)
    shown = _plain(message)
    shown = f"{shown[:SHOWN_MESSAGE_CHARS]}…" if len(shown) > SHOWN_MESSAGE_CHARS else shown
    return LessonRun(
        path, kind, False, seconds,
        f"exercise {_exercise_of(path)}: the check refused the wrong answer {kind} ({wrong.name}) with another "
        f"hint than the one written: the learner reads {shown!r}, which does not say {wrong.hint!r}",
        executed,
    )


def _plain(text: str) -> str:
    """`text` with every run of spaces and line breaks as one space: a hint is compared by its words."""
    return " ".join(text.split())


def _exercise_of(path: Path) -> str:
    return str(lesson_settings(path).get("exercise"))


def _failed_run(
    path: Path, kind: str, error: Any, seconds: float, executed: Path | None, injected: bool = True
) -> LessonRun:
    cell = f"cell {_cell_number(path, error.cell_index, injected)}"
    source = (str(error.source or "").strip().splitlines() or [""])[0]
    if source:
        cell += f" ({source[:60]}…)" if len(source) > 60 else f" ({source})"
    first_line = (str(error.evalue).strip().splitlines() or [""])[0][:300]
    refused = kind == "solution" and error.ename == "ExerciseNotSolvedError"
    what = "the reference solution did not pass: " if refused else ""
    if kind == "unanswered":
        what = "run with its defaults (nobody answers), "
    return LessonRun(path, kind, False, seconds, f"{what}{cell}: {error.ename}: {first_line}", executed)


def _cell_number(path: Path, executed_index: int, injected: bool = True) -> int:
    """The cell's number (from 1) in the lesson as its author sees it: papermill's count includes
    the cell it adds after the ``parameters`` cell (when it was given parameters)."""
    cells = nbformat.read(path, as_version=4).cells
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    injected_after = tagged[0] if tagged and injected else -1
    return executed_index + (0 if injected_after < 0 or executed_index <= injected_after else -1) + 1


def _final_value_problem(path: Path, executed: Path) -> str:
    """"" if the cell tagged ``final`` shows the promised value (or nothing is promised)."""
    expected = lesson_settings(path).get("expected_final_output")
    if expected is None:
        return ""
    notebook = nbformat.read(executed, as_version=4)
    finals = [c for c in notebook.cells if "final" in c.get("metadata", {}).get("tags", [])]
    if len(finals) != 1:
        return f"metadata.wfkit.expected_final_output needs exactly one cell tagged 'final' (found {len(finals)})"
    shown = [o for o in finals[0].outputs if o.output_type == "execute_result"]
    value = shown[-1]["data"].get("text/plain") if shown else None
    if value != expected:
        return f"the 'final' cell shows {value!r}, not the expected {expected!r}"
    return ""


def check_lessons(
    paths: Iterable[str | Path], jobs: int = 1, on_result: Any = None, on_skipped: Any = None
) -> list[LessonRun]:
    """Run every lesson at `paths` in every run it gets, `jobs` at a time; `on_result(run)` is
    called as each one ends (the command line prints its line), and `on_skipped(line)` for
    each thing the search left out and why (a symlink loop: see `search_lessons`)."""
    search = search_lessons(paths)
    for line in search.skipped if on_skipped is not None else ():
        on_skipped(line)
    work, unreadable = [], []
    for path in search.notebooks:
        try:
            work += [(path, kind) for kind in runs_of(path)]
        except Exception as error:  # not JSON, or JSON that is no notebook: say so, check the others
            first_line = (str(error).strip().splitlines() or [""])[-1][:200]
            detail = f"not a notebook nbformat can read ({type(error).__name__}: {first_line}): fix or remove the file"
            unreadable.append(LessonRun(path, "read", False, 0.0, detail))
    unreadable = _collect(unreadable, on_result)
    if jobs <= 1:
        finished: Iterable[LessonRun] = (run_lesson(path, kind) for path, kind in work)
        return unreadable + _collect(finished, on_result)
    # Processes, not threads: papermill changes the working directory of the whole process.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        return unreadable + _collect(pool.map(run_lesson, *zip(*work)) if work else iter(()), on_result)


def _collect(finished: Iterable[LessonRun], on_result: Any) -> list[LessonRun]:
    results = []
    for result in finished:
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results
