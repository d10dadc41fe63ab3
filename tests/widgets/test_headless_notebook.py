"""The lesson notebook run headless (as papermill or nbconvert run it): it never waits for a
click, and its saved output is a static picture that pages without widgets can show.

Every run here keeps ``JPY_SESSION_NAME`` set, as it is when these tests (or ``!papermill``)
are started from a notebook or a terminal in JupyterLab: the kernel inherits the variable, and
must still know that nobody can click."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

LESSON = Path(__file__).resolve().parents[1] / "browser" / "review_lesson.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def execute(notebook, tmp_path, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", "lesson.ipynb")  # inherited from the Jupyter server above us
    monkeypatch.delenv("WFKIT_HEADLESS", raising=False)  # wfkit must find out by itself
    monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "1")
    client = NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    return notebook


def run_cell_outputs(notebook) -> list[dict]:
    return notebook.cells[-1].outputs


def test_without_answers_the_lesson_ends_paused_with_a_message_instead_of_hanging_even_in_a_jupyter_session(
    tmp_path, monkeypatch
):
    notebook = execute(nbformat.read(LESSON, as_version=4), tmp_path, monkeypatch)
    outputs = run_cell_outputs(notebook)
    [picture] = [o for o in outputs if o.output_type == "display_data"]
    assert WIDGET_VIEW in picture.data
    static = picture.data["text/html"]
    # The display was updated at the end, so the static picture is the final one.
    assert "paused: waiting for answers" in static and "no answer yet for what" in static
    assert "<svg" in static and "Pre-order today!" in static
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "FINAL OUTPUT: []" in printed


def test_with_answers_as_parameters_the_lesson_finishes(tmp_path, monkeypatch):
    notebook = nbformat.read(LESSON, as_version=4)
    notebook.cells[-1].source = notebook.cells[-1].source.replace(
        'run(workflow, "the grinder, $249")',
        'run(workflow, "the grinder, $249", answers=["Mention the price", "approve"])',
    )
    notebook = execute(notebook, tmp_path, monkeypatch)
    outputs = run_cell_outputs(notebook)
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "(revised: Mention the price)" in printed
    [picture] = [o for o in outputs if o.output_type == "display_data"]
    assert "finished" in picture.data["text/html"] and "done 3" in picture.data["text/html"]


def test_nbconvert_without_saved_widget_state_shows_the_static_picture(tmp_path, monkeypatch):
    from nbconvert import HTMLExporter

    notebook = execute(nbformat.read(LESSON, as_version=4), tmp_path, monkeypatch)
    notebook.metadata.pop("widgets", None)  # as on GitHub, or a notebook saved without widget state
    page, _ = HTMLExporter().from_notebook_node(notebook)
    assert "paused: waiting for answers" in page and "<svg" in page
