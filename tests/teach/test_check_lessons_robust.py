"""`check-lessons` goes on past a lesson that cannot be run: every lesson gets its own line,
with the reason, and the exit status counts the failures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.teach.tiny_lessons import lesson
from wfkit.teach import lessons
from wfkit.teach.cli import main


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


def check_lessons_command(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The `wfkit` console script, in a fresh process, as an author runs it."""
    script = Path(sys.executable).parent / "wfkit"
    return subprocess.run([str(script), *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_a_course_with_symlink_loops_checks_every_lesson_once_and_names_each_loop_in_one_line(tmp_path):
    """``ln -s . loop`` in the course folder, and two folders that link to each other: each
    lesson gets one PASS line, each loop one SKIP line, and nothing loops or fails."""
    course = tmp_path / "course"
    (course / "part2").mkdir(parents=True)
    (course / "part3").mkdir()
    lesson(course, "01_one.ipynb", "1 + 1")
    lesson(course / "part2", "02_two.ipynb", "2 + 2")
    lesson(course / "part3", "03_three.ipynb", "3 + 3")
    os.symlink(".", course / "loop")
    os.symlink("../part3", course / "part2" / "to_part3")
    os.symlink("../part2", course / "part3" / "to_part2")
    done = check_lessons_command("check-lessons", "course", cwd=tmp_path)
    lines = done.stdout.splitlines()
    runs = [line.split()[:3] for line in lines if line.startswith(("PASS", "FAIL"))]
    assert sorted(runs) == [
        ["PASS", "course/01_one.ipynb", "defaults"],
        ["PASS", "course/part2/02_two.ipynb", "defaults"],
        ["PASS", "course/part3/03_three.ipynb", "defaults"],
    ], done.stdout + done.stderr
    skipped = [line for line in lines if line.startswith("SKIP")]
    assert len(skipped) == 2, skipped
    [itself] = [line for line in skipped if "course/loop" in line]
    assert "symlink loop" in itself and "leads back to course" in itself
    [between] = [line for line in skipped if "to_part" in line]
    assert "symlink loop" in between
    assert "course/part2/to_part3 -> course/part3" in between and "course/part3/to_part2 -> course/part2" in between
    assert "3 of 3 runs passed" in done.stdout and done.returncode == 0
    assert "Traceback" not in done.stderr


def test_a_symlink_to_itself_and_one_to_nothing_are_named_and_the_lessons_still_run(tmp_path):
    lesson(tmp_path, "01_one.ipynb", "1 + 1")
    os.symlink("self.ipynb", tmp_path / "self.ipynb")  # ln -s self.ipynb self.ipynb
    os.symlink("moved_away", tmp_path / "shared")
    done = check_lessons_command("check-lessons", ".", cwd=tmp_path)
    lines = done.stdout.splitlines()
    assert [line.split()[:2] for line in lines if line.startswith(("PASS", "FAIL"))] == [["PASS", "01_one.ipynb"]]
    skipped = sorted(line for line in lines if line.startswith("SKIP"))
    assert len(skipped) == 2 and "self.ipynb" in skipped[0] and "shared" in skipped[1], skipped
    assert all("symlink" in line for line in skipped) and done.returncode == 0, done.stderr


def test_a_lesson_in_a_folder_linked_from_the_course_is_found_and_listed_once(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    lesson(shared, "01_shared.ipynb", "1 + 1")
    course = tmp_path / "course"
    course.mkdir()
    os.symlink(shared, course / "shared")
    assert lessons.find_lessons([course]) == [course / "shared" / "01_shared.ipynb"]
    assert lessons.find_lessons([course, shared]) == [course / "shared" / "01_shared.ipynb"]


def test_export_under_a_file_and_new_lesson_onto_a_folder_are_clear_errors(tmp_path, capsys):
    (tmp_path / "a_file").write_text("x")
    assert main(["export-lessons", str(tmp_path), "--out", str(tmp_path / "a_file" / "site")]) == 2
    assert "a_file" in capsys.readouterr().err
    (tmp_path / "02_folder.ipynb").mkdir()
    assert main(["new-lesson", str(tmp_path / "02_folder.ipynb"), "--force"]) == 2
    error = capsys.readouterr().err
    assert "02_folder.ipynb" in error and "folder" in error
