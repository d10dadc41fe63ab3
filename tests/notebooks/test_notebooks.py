"""The course's notebooks are committed in the shape the headless runs need, and show the
learner the lesson, never the machinery of those runs.

The runs themselves are wfkit's own pytest plugin: ``pytest --lessons notebooks`` (which
``make test`` passes) runs every notebook with its defaults, its reference solution and its
wrong answer, as ``wfkit check-lessons notebooks`` does (see wfkit/teach/lessons.py). A notebook
declares in its metadata (``metadata.wfkit``) what its cell tagged ``final`` must show
(``expected_final_output``), the parameters the runs use (``test_parameters``, e.g. the
answers to approval prompts) and its exercise's check module (``exercise``). These tests check
what the runs rely on, and that none of it leaks onto the page.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from wfkit.teach.template import parameters_source

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def settings(path: Path) -> dict:
    return nbformat.read(path, as_version=4).metadata.get("wfkit", {})


def test_there_is_a_course():
    names = [p.name for p in NOTEBOOKS]
    assert "00_index.ipynb" in names and len(names) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_notebook_promises_its_final_value(path):
    assert settings(path).get("expected_final_output") is not None, f"{path.name}: add metadata.wfkit.expected_final_output"


def test_the_lessons_are_run_by_the_plugin_in_make_test():
    makefile = (NOTEBOOKS_DIR.parent / "Makefile").read_text()
    assert "PYTEST_ARGS ?= --lessons notebooks" in makefile


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_valid_and_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear outputs before committing"
    parameter_cells = [c for c in notebook.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(parameter_cells) == 1, f"{path.name}: tag one cell 'parameters' for papermill"


def test_every_lesson_that_needs_answers_is_also_run_without_them():
    from wfkit.teach.lessons import runs_of

    for path in NOTEBOOKS:
        needs_answers = bool(settings(path).get("test_parameters"))
        assert ("unanswered" in runs_of(path)) == needs_answers, path.name


NEEDS_ANSWERS = [p for p in NOTEBOOKS if settings(p).get("test_parameters")]


@pytest.mark.parametrize("path", NEEDS_ANSWERS, ids=[p.stem for p in NEEDS_ANSWERS])
def test_a_lesson_run_headless_with_its_own_defaults_ends_without_an_error(path, request):
    """``papermill lesson.ipynb out.ipynb``, no ``-p``: nobody answers, the runs pause and say so,
    and every later cell must still run. (The other lessons' defaults run is the plugin's
    ``defaults`` run: they take no answers.)"""
    if any(Path(given).resolve() == NOTEBOOKS_DIR for given in request.config.getoption("lessons", [])):
        pytest.skip("pytest --lessons notebooks runs it (::unanswered)")
    from wfkit.teach.lessons import run_lesson

    result = run_lesson(path, "unanswered")
    assert result.passed, result.line()


# --- what the learner's page shows -----------------------------------------------------------

# Words of the course's own machinery, which a learner's page never needs (case aside, except CI).
MACHINERY = re.compile(r"(?i:\btest\w*|papermill|\bstrict\w*|pytest)|\bCI\b")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_cell_of_a_lesson_speaks_of_tests_ci_papermill_or_strict(path):
    for number, cell in enumerate(nbformat.read(path, as_version=4).cells, start=1):
        for line in cell.source.splitlines():
            found = MACHINERY.search(line)
            assert not found, f"{path.name}, cell {number} ({cell.cell_type}) says {found.group(0)!r}: {line.strip()}"


def reads_answers(source: str) -> bool:
    """Whether a code cell uses the name ``answers`` (the parameter a lesson's cards read)."""
    tree = compile(source, "<cell>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    return any(isinstance(node, ast.Name) and node.id == "answers" for node in ast.walk(tree))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_parameters_cell_has_the_same_shape(path):
    """The cell new-lesson writes: ``chat``, and ``answers`` in a lesson whose cards read it;
    nothing a learner has no reason to change, and no line wider than the page."""
    cells = nbformat.read(path, as_version=4).cells
    [parameters] = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    with_answers = any(reads_answers(c.source) for c in cells if c.cell_type == "code" and c is not parameters)
    assert parameters.source == parameters_source(with_answers), path.name
    assert max(len(line) for line in parameters.source.splitlines()) <= 80


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_a_check_cell_passes_the_learners_answer_and_nothing_of_the_courses(path):
    """``await lesson_01.check(my_cases)``: the answer first, then at most the lesson's own
    objects the check runs it with (lesson 4's parent workflow, lesson 7's support desk)."""
    settings = nbformat.read(path, as_version=4).metadata.get("wfkit", {})
    checks = [c.source for c in nbformat.read(path, as_version=4).cells if ".check(" in c.source]
    if not settings.get("exercise"):
        assert not checks, f"{path.name} has a check cell but no metadata.wfkit.exercise"
        return
    module = settings["exercise"]
    assert any(f"from exercises import {module}" in c.source for c in nbformat.read(path, as_version=4).cells)
    [check] = checks
    call = re.search(rf"await {module}\.check\(([^)]*)\)", check)
    assert call, f"{path.name}: the check cell should await {module}.check(...): {check!r}"
    assert "=" not in call.group(1), f"{path.name}: the check takes no keyword of the course's: {call.group(0)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_final_cell_speaks_to_the_learner(path):
    """What the final cell must show stays in metadata; the cell itself explains the lesson."""
    [final] = [c for c in nbformat.read(path, as_version=4).cells if "final" in c.get("metadata", {}).get("tags", [])]
    assert "course's own" not in final.source and "promises" not in final.source
