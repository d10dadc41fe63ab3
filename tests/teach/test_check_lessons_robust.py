"""`check-lessons` goes on past a lesson that cannot be run: every lesson gets its own line,
with the reason, and the exit status counts the failures."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from wfkit.teach import lessons
from wfkit.teach.cli import main


def lesson(folder: Path, name: str, code: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    parameters = nbformat.v4.new_code_cell('chat = "offline"')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, nbformat.v4.new_code_cell(code)]
    path = folder / name
    nbformat.write(notebook, path)
    return path


def test_a_timeout_a_dead_kernel_and_a_file_that_is_no_notebook_each_fail_and_the_rest_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(lessons, "TIMEOUT_SECONDS", 3)
    lesson(tmp_path, "01_slow.ipynb", "import time\ntime.sleep(60)")
    lesson(tmp_path, "02_dies.ipynb", "import os\nos._exit(1)")
    (tmp_path / "03_not_a_notebook.ipynb").write_text('{"hello": "world"}')
    lesson(tmp_path, "04_fine.ipynb", "1 + 1")
    status = main(["check-lessons", str(tmp_path)])
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith(("PASS", "FAIL"))]
    verdicts = {Path(line.split()[1]).name: line for line in printed}
    assert sorted(verdicts) == ["01_slow.ipynb", "02_dies.ipynb", "03_not_a_notebook.ipynb", "04_fine.ipynb"]
    assert [verdicts[name].split()[0] for name in sorted(verdicts)] == ["FAIL", "FAIL", "FAIL", "PASS"]
    assert "took longer than 3 s" in verdicts["01_slow.ipynb"]
    assert "kernel died" in verdicts["02_dies.ipynb"]
    assert "not a notebook" in verdicts["03_not_a_notebook.ipynb"]
    assert status == 3


def test_a_folder_with_a_symlink_loop_is_searched_without_looping(tmp_path, capsys):
    lesson(tmp_path, "01_fine.ipynb", "1 + 1")
    (tmp_path / "loop").mkdir()
    os.symlink(tmp_path, tmp_path / "loop" / "back")
    assert lessons.find_lessons([tmp_path]) == [tmp_path / "01_fine.ipynb"]


def test_export_under_a_file_and_new_lesson_onto_a_folder_are_clear_errors(tmp_path, capsys):
    (tmp_path / "a_file").write_text("x")
    assert main(["export-lessons", str(tmp_path), "--out", str(tmp_path / "a_file" / "site")]) == 2
    assert "a_file" in capsys.readouterr().err
    (tmp_path / "02_folder.ipynb").mkdir()
    assert main(["new-lesson", str(tmp_path / "02_folder.ipynb"), "--force"]) == 2
    error = capsys.readouterr().err
    assert "02_folder.ipynb" in error and "folder" in error
