"""The course's notebooks are committed in the shape the headless runs need.

The runs themselves are wfkit's own pytest plugin: ``pytest --lessons notebooks`` (which
``make test`` passes) runs every notebook with its defaults, its reference solution and its
wrong answer, as ``wfkit check-lessons notebooks`` does (see wfkit/teach/lessons.py). A notebook
declares in its metadata (``metadata.wfkit``) what its cell tagged ``final`` must show
(``expected_final_output``) and the parameters the runs use (``test_parameters``, e.g. the
answers to approval prompts). These tests check what the runs rely on.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

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
