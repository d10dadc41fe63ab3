"""Lesson 9 runs headless without Agent Framework too: it says so and shows wfkit's runs only.

`--lessons notebooks` runs the lesson where AF is installed (both runs side by side); this test runs it
once more with `agent_framework` hidden from the kernel (a package of that name that raises
ImportError comes first on its path), and checks what the lesson says and shows.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest

from wfkit.teach.exercise import CHECKS_RAISE
from wfkit.teach.lessons import with_hidden_answer

LESSON = Path(__file__).resolve().parents[2] / "notebooks" / "09_moving_to_agent_framework.ipynb"


def test_without_agent_framework_the_lesson_says_so_and_shows_wfkits_run(tmp_path, monkeypatch):
    papermill = pytest.importorskip("papermill")
    hidden = tmp_path / "hide" / "agent_framework"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text('raise ImportError("agent_framework is hidden for this test")\n')
    repo = str(LESSON.parents[1])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hidden.parent), repo, os.environ.get("PYTHONPATH", "")]))
    copy = tmp_path / LESSON.name
    shutil.copy(LESSON, copy)
    for folder in ("exercises", ".solutions"):  # the exercise's check and its reference solution
        shutil.copytree(LESSON.parent / folder, tmp_path / folder)
    with_hidden_answer(copy, "solution")  # as the lesson's solution run: the reference answer pasted in
    monkeypatch.setenv(CHECKS_RAISE, "1")
    papermill.execute_notebook(str(copy), str(tmp_path / "executed.ipynb"), cwd=str(tmp_path),
                               kernel_name="python3", progress_bar=False, execution_timeout=120)
    cells = nbformat.read(tmp_path / "executed.ipynb", as_version=4).cells
    shown = "\n".join(str(o.get("text") or o.get("data", {}).get("text/plain", ""))
                      for c in cells if c.cell_type == "code" for o in c.outputs)
    assert "Agent Framework is not installed here" in shown
    assert "outputs on Agent Framework" not in shown
    assert "it counts the words on wfkit." in shown  # the exercise's check ran on wfkit alone
    expected = nbformat.read(LESSON, as_version=4).metadata["wfkit"]["expected_final_output"]
    assert expected in shown
