"""`lesson_0N.reveal()` shows an exercise's reference solution only after the learner has tried,
and shows it as the learner's own code: under the learner's name, with no scaffolding of the
course's, highlighted, and passing the check when pasted over the learner's answer.

These tests import the lessons' `exercises` package in this process, as a lesson's kernel does.
A try is any run of the lesson's check, even one that fails at once on a wrong kind of answer.
The pasted solution passing the check is the lesson's ``solution`` run (``pytest --lessons
notebooks`` runs it; without ``--lessons``, the last test here does).
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import nbformat
import pytest

from tests.conftest import run
from wfkit.teach.lessons import lesson_settings, run_lesson, solutions_file_of
from wfkit.teach.solutions import defines, learner_cell, paste_answer, read_hidden_answers

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
LESSONS = sorted(p.stem for p in (NOTEBOOKS_DIR / "exercises").glob("lesson_0*.py"))
WITH_EXERCISES = [p for p in sorted(NOTEBOOKS_DIR.glob("*.ipynb")) if lesson_settings(p).get("exercise")]


@pytest.fixture
def exercises(monkeypatch):
    """The exercises package, freshly imported, so no try from another test is remembered; its
    checks note no progress (a test is no learner: nothing is written into notebooks/)."""
    monkeypatch.setenv("WFKIT_PROGRESS", "off")
    monkeypatch.syspath_prepend(str(NOTEBOOKS_DIR))
    for name in [m for m in sys.modules if m == "exercises" or m.startswith("exercises.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("exercises")


def lesson(name: str):
    return importlib.import_module(f"exercises.{name}")


def a_failed_try(module) -> None:
    """Run the lesson's check with an answer that is not even the right kind of thing."""
    extra = (None, None) if module.__name__.endswith("lesson_04") else ()  # its check also takes build_parent, task
    result = run(module.check("not an answer", *extra))
    assert not result.passed


def notebook_of(module_name: str) -> Path:
    [path] = [p for p in WITH_EXERCISES if lesson_settings(p)["exercise"] == module_name]
    return path


@pytest.mark.parametrize("name", LESSONS)
def test_reveal_refuses_before_the_check_has_run(exercises, name):
    shown = lesson(name).reveal()
    assert "Try first: run the check cell above" in repr(shown) and not shown.source


@pytest.mark.parametrize("name", LESSONS)
def test_reveal_shows_the_hidden_solution_after_one_try(exercises, name):
    module = lesson(name)
    a_failed_try(module)
    shown = module.reveal()
    assert shown.source == read_hidden_answers(module.exercise.solutions_file).solution.source
    assert f".solutions/{name}.py" in repr(shown)
    assert "<pre" in shown._repr_html_() and 'style="color:' in shown._repr_html_()  # syntax-coloured


@pytest.mark.parametrize("name", LESSONS)
def test_the_revealed_solution_is_written_under_the_learners_name(exercises, name):
    """The name the learner's cell defines and the check cell passes is the name the revealed
    code defines, so it can be pasted over the learner's answer as it is."""
    module = lesson(name)
    a_failed_try(module)
    revealed = module.reveal().source
    cells = nbformat.read(notebook_of(name), as_version=4).cells
    [check_cell] = [c.source for c in cells if f"{name}.check(" in c.source]
    learners_name = re.search(rf"{name}\.check\((\w+)", check_cell).group(1)
    assert defines(revealed, learners_name) is not None, f"reveal() shows no {learners_name}:\n{revealed}"
    assert learner_cell(nbformat.read(notebook_of(name), as_version=4), learners_name) >= 0
    assert f"your {learners_name}" in repr(module.reveal())


@pytest.mark.parametrize("name", LESSONS)
def test_the_revealed_solution_has_none_of_the_courses_scaffolding(exercises, name):
    module = lesson(name)
    a_failed_try(module)
    revealed = module.reveal().source
    assert "noqa" not in revealed and "solution" not in revealed and "wrong" not in revealed
    assert not re.search(r"\b_[A-Za-z]", revealed), f"a private name of the course's:\n{revealed}"
    assert "exercises" not in revealed  # nothing imported from the check module's insides


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=[p.stem for p in WITH_EXERCISES])
def test_the_solution_run_pastes_exactly_what_reveal_shows(path):
    answers = read_hidden_answers(solutions_file_of(path))
    notebook = nbformat.read(path, as_version=4)
    index = paste_answer(notebook, answers, "solution")
    assert answers.solution.source.rstrip("\n") in notebook.cells[index].source


@pytest.mark.parametrize("name", LESSONS)
def test_the_solutions_are_not_in_the_learners_exercises_folder(exercises, name):
    module = lesson(name)
    hidden = NOTEBOOKS_DIR / ".solutions" / f"{name}.py"
    assert module.exercise.solutions_file == hidden.resolve() and hidden.is_file()
    answers = read_hidden_answers(hidden)
    assert answers.learner_name not in vars(module), f"{name} itself defines the answer {answers.learner_name}"
    assert answers.answer("wrong").source not in Path(module.__file__).read_text()


def test_a_try_counts_for_its_own_lesson_only(exercises):
    a_failed_try(lesson("lesson_01"))
    assert "Try first" in repr(lesson("lesson_02").reveal())


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=[p.stem for p in WITH_EXERCISES])
def test_the_revealed_solution_pasted_over_the_learners_answer_passes_the_check(path, request):
    """The lesson run with the revealed code in place of the learner's, in the lesson's own
    namespace, a failed check raising: every cell, the check included, must pass."""
    if any(Path(given).resolve() == NOTEBOOKS_DIR for given in request.config.getoption("lessons", [])):
        pytest.skip("pytest --lessons notebooks runs it (::solution)")
    result = run_lesson(path, "solution")
    assert result.passed, result.line()
