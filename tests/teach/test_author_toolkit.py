"""A course author's day, outside this repository: `wfkit new-lesson` writes a lesson, the author
changes its exercise, `wfkit check-lessons` passes; a broken cell, a check that lets the wrong
answer through, and a reference solution the check refuses each fail, saying where and why. The
same runs as pytest items (`pytest --lessons`), and the lessons exported as HTML.

Every command runs as a learner's teacher would run it: the `wfkit` console script in a fresh
process, in a folder that is not this repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from wfkit.teach.lessons import run_lesson, runs_of

WFKIT = Path(sys.executable).parent / "wfkit"  # the console script the package installs


def wfkit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    assert WFKIT.exists(), f"{WFKIT} is missing: pip install -e . installs the wfkit command"
    return subprocess.run([str(WFKIT), *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def lines_of(done: subprocess.CompletedProcess) -> list[str]:
    return [line for line in done.stdout.splitlines() if line.startswith(("PASS", "FAIL"))]


TITLE_CASE_CHECK = '''"""The exercise of lesson_01_greetings: `headline(draft)` is the first line in title case."""

from wfkit.teach import Exercise

exercise = Exercise.for_module(__name__, __file__)


@exercise.test("it keeps only the first line", hint="draft.splitlines()[0] is the first line.")
def first_line_only(headline):
    assert "\\n" not in headline("a new mug\\nout now"), "there is more than one line"


@exercise.test("it is in title case", hint="str.title() capitalises each word.")
def title_case(headline):
    shown = headline("a new mug\\nout now")
    assert shown == "A New Mug", f"it returned {shown!r}"


check = exercise.check
reveal = exercise.reveal
'''

TITLE_CASE_SOLUTIONS = '''def headline(draft):
    return draft.splitlines()[0].title()


def headline_in_capitals(draft):
    return draft.splitlines()[0].upper()


solution = headline
wrong = headline_in_capitals
'''


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A new course with one lesson whose exercise the author has changed (title case)."""
    folder = tmp_path_factory.mktemp("my-course")
    done = wfkit("new-lesson", "01_greetings.ipynb", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == {
        "01_greetings.ipynb",
        "exercises/__init__.py",
        "exercises/lesson_01_greetings.py",
        ".solutions/lesson_01_greetings.py",
    }
    (folder / "exercises" / "lesson_01_greetings.py").write_text(TITLE_CASE_CHECK)
    (folder / ".solutions" / "lesson_01_greetings.py").write_text(TITLE_CASE_SOLUTIONS)
    lesson = nbformat.read(folder / "01_greetings.ipynb", as_version=4)
    lesson.cells[5].source = "## Exercise: a headline\n\nWrite `headline(draft)`: the first line, in title case."
    nbformat.write(lesson, folder / "01_greetings.ipynb")
    return folder


def test_a_new_lesson_shows_the_learner_no_test_machinery(course):
    from wfkit.teach.template import parameters_source

    cells = nbformat.read(course / "01_greetings.ipynb", as_version=4).cells
    [parameters] = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert parameters.source == parameters_source(with_answers=True)
    assert any(c.source.endswith("await checks.check(headline)") for c in cells)  # the learner's answer, nothing else
    page = "\n".join(c.source for c in cells).lower()
    assert not any(word in page for word in ("test", "papermill", "strict", "headless"))


def test_a_new_lesson_with_an_edited_exercise_passes_all_four_runs(course):
    done = wfkit("check-lessons", ".", "-j", "3", cwd=course)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [line.split()[:3] for line in lines_of(done)] == [
        ["PASS", "01_greetings.ipynb", "defaults"],
        ["PASS", "01_greetings.ipynb", "solution"],
        ["PASS", "01_greetings.ipynb", "wrong"],
        ["PASS", "01_greetings.ipynb", "unanswered"],
    ]
    assert "the check refused it, as it must" in lines_of(done)[2]
    assert done.stdout.strip().endswith("4 of 4 runs passed")


def broken_copy(course: Path, folder: Path, edit) -> Path:
    copy = folder / course.name
    subprocess.run(["cp", "-r", str(course), str(copy)], check=True)
    edit(copy)
    return copy


def test_a_broken_cell_fails_naming_the_notebook_the_cell_and_the_error(course, tmp_path):
    def break_the_live_run(copy: Path) -> None:
        lesson = nbformat.read(copy / "01_greetings.ipynb", as_version=4)
        lesson.cells[4].source = "result = await wfkit.notebook.run(workflow, 'x', answers=answers)\nresult.outputs[7]"
        nbformat.write(lesson, copy / "01_greetings.ipynb")

    done = wfkit("check-lessons", "01_greetings.ipynb", cwd=broken_copy(course, tmp_path, break_the_live_run))
    failed = [line for line in lines_of(done) if line.startswith("FAIL")]
    assert done.returncode == len(failed) == 4  # the exit status counts the failed runs
    first = lines_of(done)[0]
    assert first.startswith("FAIL  01_greetings.ipynb  defaults")
    assert "cell 5 (result = await wfkit.notebook.run(workflow, 'x', answers=ans…): IndexError: list index" in first


def test_a_check_that_lets_the_wrong_answer_through_fails(course, tmp_path):
    def make_wrong_right(copy: Path) -> None:
        solutions = copy / ".solutions" / "lesson_01_greetings.py"
        solutions.write_text(TITLE_CASE_SOLUTIONS.replace(".upper()", ".title()"))

    done = wfkit("check-lessons", ".", cwd=broken_copy(course, tmp_path, make_wrong_right))
    assert done.returncode == 1
    [wrong] = [line for line in lines_of(done) if " wrong " in line]
    assert wrong.startswith("FAIL") and "the check passed the known wrong answer" in wrong


def test_a_reference_solution_the_check_refuses_fails(course, tmp_path):
    def spoil_the_solution(copy: Path) -> None:
        solutions = copy / ".solutions" / "lesson_01_greetings.py"
        solutions.write_text(TITLE_CASE_SOLUTIONS.replace(".title()", ".lower()", 1))

    done = wfkit("check-lessons", ".", cwd=broken_copy(course, tmp_path, spoil_the_solution))
    [solution] = [line for line in lines_of(done) if " solution " in line]
    assert done.returncode == 1 and solution.startswith("FAIL")
    assert "the reference solution did not pass" in solution and "ExerciseNotSolvedError" in solution
    assert "it is in title case" in solution


def test_pytest_collects_the_same_runs_with_the_plugin(course):
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--lessons", ".", "--rootdir", "."],
        cwd=course, capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "4 passed" in done.stdout


TINY_ANSWERS = '''answer = 2

broken = a_name_the_lesson_never_defines

solution = answer
wrong = broken
'''


def tiny_lesson(folder: Path, exercise: object = "lesson_tiny") -> Path:
    """The smallest lesson with an exercise: ``metadata.wfkit.exercise`` names it, the learner's
    cell is ``answer = 1``, and the wrong answer pasted there crashes on a name the lesson never
    defines (a broken lesson, not a check refusing the wrong answer)."""
    lesson = nbformat.v4.new_notebook()
    lesson.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    lesson.metadata["wfkit"] = {"exercise": exercise}
    parameters = nbformat.v4.new_code_cell('chat = "offline"')
    parameters.metadata["tags"] = ["parameters"]
    lesson.cells = [parameters, nbformat.v4.new_code_cell("answer = 1"), nbformat.v4.new_code_cell("print(answer)")]
    path = folder / "01_tiny.ipynb"
    nbformat.write(lesson, path)
    (folder / ".solutions").mkdir(exist_ok=True)
    (folder / ".solutions" / "lesson_tiny.py").write_text(TINY_ANSWERS)
    return path


def test_a_lesson_whose_metadata_names_its_exercise_gets_the_solution_and_wrong_answer_runs(tmp_path):
    assert runs_of(tiny_lesson(tmp_path)) == ["defaults", "solution", "wrong"]


def test_a_lesson_without_exercise_metadata_gets_the_defaults_run_only(tmp_path):
    assert runs_of(tiny_lesson(tmp_path, exercise="")) == ["defaults"]


def test_exercise_metadata_that_names_no_module_fails_its_runs_saying_what_to_write(tmp_path):
    result = run_lesson(tiny_lesson(tmp_path, exercise=True), "solution")
    assert not result.passed and 'set it to the name of the lesson\'s check module (e.g. "lesson_01"' in result.detail


def test_the_solution_run_pastes_the_reference_answer_over_the_learners(tmp_path):
    result = run_lesson(tiny_lesson(tmp_path), "solution", keep_in=tmp_path / "kept")
    assert result.passed, result.line()
    cells = nbformat.read(result.executed, as_version=4).cells
    assert [c.outputs[0]["text"] for c in cells if c.source == "print(answer)"] == ["2\n"]


def test_a_wrong_answer_run_that_crashes_for_another_reason_fails(tmp_path):
    """Only the check refusing the wrong answer (ExerciseNotSolvedError) passes a wrong-answer run;
    a NameError in another cell is a broken lesson."""
    result = run_lesson(tiny_lesson(tmp_path), "wrong")
    assert not result.passed
    assert "NameError" in result.detail and "refused" not in result.detail


def test_pytest_runs_each_lesson_items_own_run(tmp_path):
    """The tiny lesson crashes in its wrong-answer run only: each item must run its own run to
    report that on the ``wrong`` item alone."""
    tiny_lesson(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "--lessons", ".", "--rootdir", "."],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    outcomes = {
        line.split()[1]: line.split()[0]
        for line in done.stdout.splitlines()
        if line.startswith(("PASSED ", "FAILED "))
    }
    assert outcomes == {
        "01_tiny.ipynb::defaults": "PASSED",
        "01_tiny.ipynb::solution": "PASSED",
        "01_tiny.ipynb::wrong": "FAILED",
    }, done.stdout[-3000:]


def test_new_lesson_adds_a_second_lesson_beside_the_courses_own_exercises_package(course, tmp_path):
    own_init = '"""The checks of my greetings course."""\n\nCOURSE = "greetings"\n'

    def own_exercises_package(copy: Path) -> None:
        (copy / "exercises" / "__init__.py").write_text(own_init)

    copy = broken_copy(course, tmp_path, own_exercises_package)
    done = wfkit("new-lesson", "02_farewells.ipynb", cwd=copy)
    assert done.returncode == 0, done.stderr
    assert (copy / "exercises" / "__init__.py").read_text() == own_init
    for written in ("02_farewells.ipynb", "exercises/lesson_02_farewells.py", ".solutions/lesson_02_farewells.py"):
        assert (copy / written).is_file(), written


def test_an_executed_lesson_exports_as_a_page_with_its_graph_and_answers(course, tmp_path):
    site = tmp_path / "site"
    done = wfkit("export-lessons", ".", "--out", str(site), cwd=course)
    assert done.returncode == 0, done.stdout + done.stderr
    page = (site / "01_greetings.html").read_text()
    assert "<svg" in page and "announcement" in page  # the workflow's graph, drawn
    assert "The new grinder" in page and "Out now." in page  # the published draft, the run's output
    assert "review ← &#x27;approve&#x27;" in page or "review ← 'approve'" in page  # the card's answer, in the log
    assert "widget-view+json" not in page, page[max(0, page.find("widget-view+json") - 300):][:400]
    assert page.count("# Parameters") == 1  # the lesson's own cell; not the one papermill adds


def test_new_lesson_refuses_to_overwrite_and_names_the_files(course):
    done = wfkit("new-lesson", "01_greetings.ipynb", cwd=course)
    assert done.returncode == 2
    assert "01_greetings.ipynb" in done.stderr and "--force" in done.stderr
    kept = nbformat.read(course / "01_greetings.ipynb", as_version=4)
    assert "in title case" in kept.cells[5].source  # the author's edit is still there
