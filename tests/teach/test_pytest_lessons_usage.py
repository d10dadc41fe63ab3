"""`pytest --lessons PATH` with a PATH that is not a lesson: a usage error (exit 4) or a failing
item with the reason, never pytest's INTERNALERROR (exit 3)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.teach.tiny_lessons import lesson


def pytest_lessons(path: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--lessons", path, "--rootdir", "."],
        cwd=cwd, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )


def test_a_missing_path_is_a_usage_error(tmp_path):
    done = pytest_lessons("nowhere", tmp_path)
    assert done.returncode == 4, done.stdout + done.stderr
    assert "--lessons" in done.stderr and "nowhere" in done.stderr and "INTERNALERROR" not in done.stdout + done.stderr


def test_a_text_file_is_a_usage_error(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    done = pytest_lessons("notes.txt", tmp_path)
    assert done.returncode == 4, done.stdout + done.stderr
    assert "notes.txt: not a notebook" in done.stderr


def test_a_notebook_that_is_not_json_is_a_failing_item_with_the_reason(tmp_path):
    (tmp_path / "01_broken.ipynb").write_text("this is not json")
    done = pytest_lessons("01_broken.ipynb", tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "01_broken.ipynb is not a notebook" in done.stdout and "INTERNALERROR" not in done.stdout


def test_a_folder_with_a_symlink_loop_runs_each_lesson_once_and_warns_of_the_loop(tmp_path):
    lesson(tmp_path, "01_fine.ipynb", "1 + 1")
    os.symlink(".", tmp_path / "loop")
    done = pytest_lessons(".", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout and "--lessons skipped loop  a symlink loop" in done.stdout
