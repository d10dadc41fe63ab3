"""Every notebook in notebooks/ runs headless with papermill and ends with the value it promises.

A notebook declares in its metadata (``metadata.wfkit``) what its cell tagged ``final`` must
show (``expected_final_output``), the parameters CI runs it with (``test_parameters``, e.g. the
answers to approval prompts), and whether it has an exercise (``exercise``, default true): an
exercise's check must pass with the reference solution and fail with a wrong answer. A new
notebook is picked up without editing this file.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import nbformat
import papermill
import pytest

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
BASE_PARAMETERS = {"chat": "offline", "exercise": "solution", "strict_checks": True}


def settings(path: Path) -> dict:
    return nbformat.read(path, as_version=4).metadata.get("wfkit", {})


def execute(path: Path, workdir: Path, **parameters) -> nbformat.NotebookNode:
    """Run a copy of the course in `workdir` (so runs leave nothing behind in the repository)."""
    course = workdir / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, course, ignore=shutil.ignore_patterns("tmp", "checkpoints", ".ipynb_checkpoints", "__pycache__"))
    output = workdir / f"executed-{path.name}"
    papermill.execute_notebook(
        str(course / path.name),
        str(output),
        parameters={**BASE_PARAMETERS, **settings(path).get("test_parameters", {}), **parameters},
        cwd=str(course),
        kernel_name="python3",
        progress_bar=False,
        execution_timeout=120,
    )
    return nbformat.read(output, as_version=4)


def final_value(notebook: nbformat.NotebookNode) -> str:
    cells = [c for c in notebook.cells if "final" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, "tag exactly one code cell 'final': the one whose value the test checks"
    results = [o for o in cells[0].outputs if o.output_type == "execute_result"]
    assert results, "the 'final' cell must end with an expression whose value is shown"
    return results[-1]["data"]["text/plain"]


def test_there_is_a_course():
    names = [p.name for p in NOTEBOOKS]
    assert "00_index.ipynb" in names and len(names) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_headless_and_ends_with_its_promised_value(path, tmp_path, record_property):
    expected = settings(path).get("expected_final_output")
    assert expected is not None, f"{path.name}: add metadata.wfkit.expected_final_output"
    started = time.perf_counter()
    executed = execute(path, tmp_path)
    record_property("seconds", round(time.perf_counter() - started, 1))
    assert final_value(executed) == expected


EXERCISES = [p for p in NOTEBOOKS if settings(p).get("exercise", True)]


@pytest.mark.parametrize("path", EXERCISES, ids=[p.stem for p in EXERCISES])
def test_exercise_check_fails_on_a_wrong_answer(path, tmp_path):
    with pytest.raises(papermill.PapermillExecutionError, match="ExerciseNotSolved"):
        execute(path, tmp_path, exercise="wrong")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_valid_and_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear outputs before committing"
    parameter_cells = [c for c in notebook.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(parameter_cells) == 1, f"{path.name}: tag one cell 'parameters' for papermill"
