"""`lesson_0N.reveal()` shows an exercise's reference solution only after the learner has tried.

These tests import the lessons' `exercises` package in this process, as a lesson's kernel does.
A try is any run of the lesson's check, even one that fails at once on a wrong kind of answer.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path

import pytest

from tests.conftest import run

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
LESSONS = sorted(p.stem for p in (NOTEBOOKS_DIR / "exercises").glob("lesson_0*.py"))


@pytest.fixture
def exercises(monkeypatch):
    """The exercises package, freshly imported, so no try from another test is remembered."""
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


@pytest.mark.parametrize("name", LESSONS)
def test_reveal_refuses_before_the_check_has_run(exercises, name, capsys):
    lesson(name).reveal()
    shown = capsys.readouterr().out
    assert "Try first: run the check cell above" in shown
    assert "def solution" not in shown and "class solution" not in shown


@pytest.mark.parametrize("name", LESSONS)
def test_reveal_shows_the_solution_source_after_one_try(exercises, name, capsys):
    module = lesson(name)
    a_failed_try(module)
    module.reveal()
    shown = capsys.readouterr().out
    assert "Try first" not in shown
    assert inspect.getsource(module.exercise.solution) in shown
    assert f".solutions/{name}.py" in shown


@pytest.mark.parametrize("name", LESSONS)
def test_the_solutions_are_not_in_the_learners_exercises_folder(exercises, name):
    module = lesson(name)
    assert not hasattr(module, "solution") and not hasattr(module, "wrong")
    assert "def solution" not in Path(module.__file__).read_text() and "class solution" not in Path(module.__file__).read_text()
    hidden = NOTEBOOKS_DIR / ".solutions" / f"{name}.py"
    assert module.exercise.solutions_file == hidden.resolve() and hidden.is_file()
    assert module.exercise.solution is not module.exercise.wrong


def test_a_try_counts_for_its_own_lesson_only(exercises, capsys):
    a_failed_try(lesson("lesson_01"))
    capsys.readouterr()
    lesson("lesson_02").reveal()
    assert "Try first" in capsys.readouterr().out
