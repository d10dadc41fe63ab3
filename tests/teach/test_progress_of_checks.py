"""A learner's checks note their progress in the course's folder: tried, passed, revealed. The
notes outlast the kernel, a damaged file never stops a check, headless runs note nothing, and
`wfkit progress` prints the table the index lesson shows."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

from tests.conftest import run
from tests.teach.tiny_lessons import shout_lesson
from wfkit.teach import Progress, course_progress
from wfkit.teach.lessons import run_lesson
from wfkit.teach.progress import PROGRESS_FILE

WFKIT = Path(sys.executable).parent / "wfkit"  # the console script the package installs


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A course of one lesson with an exercise (`shout`), and its index."""
    index = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# The course"),
        nbformat.v4.new_code_cell("from wfkit.teach import course_progress\n\ncourse_progress()"),
    ])
    nbformat.write(index, tmp_path / "00_index.ipynb")
    shout_lesson(tmp_path)
    return tmp_path


def import_checks(course: Path, monkeypatch) -> ModuleType:
    """The lesson's check module, freshly imported from `course` as the lesson's kernel imports it
    (a fresh import is what a restarted kernel does)."""
    monkeypatch.syspath_prepend(str(course))
    for name in [m for m in sys.modules if m == "exercises" or m.startswith("exercises.")]:
        monkeypatch.delitem(sys.modules, name)
    return importlib.import_module("exercises.lesson_shout")


@pytest.fixture
def checks(course: Path, monkeypatch) -> ModuleType:
    """The check module, in a kernel like a learner's: progress notes are on."""
    monkeypatch.delenv("WFKIT_PROGRESS", raising=False)
    return import_checks(course, monkeypatch)


def whisper(text: str) -> str:
    return text.lower()


def shout(text: str) -> str:
    return text.upper() + "!"


def test_a_failed_check_notes_a_try_and_a_passing_one_notes_a_pass(course, checks):
    assert not run(checks.check(whisper)).passed
    assert Progress(course).state_of("lesson_shout") == "tried"
    assert run(checks.check(shout)).passed
    noted = Progress(course).read()["lesson_shout"]
    assert (noted.tries, noted.passed, noted.revealed) == (2, True, False)


def test_reveal_notes_that_the_solution_was_seen_but_only_once_it_shows_it(course, checks):
    assert "Try first" in repr(checks.reveal())
    assert Progress(course).read() == {}
    run(checks.check(whisper))
    assert "def shout(text)" in checks.reveal().source
    assert Progress(course).state_of("lesson_shout") == "tried, solution seen"


def test_a_checker_with_logic_of_its_own_notes_its_result_too(course, monkeypatch):
    from wfkit.teach import Exercise, report

    monkeypatch.delenv("WFKIT_PROGRESS", raising=False)
    exercise = Exercise("lesson_count", course=course)

    @exercise.checker
    async def check(answer):
        return report(answer == 3, "three it is" if answer == 3 else "count again")

    run(check(2))
    assert Progress(course).state_of("lesson_count") == "tried"
    run(check(3))
    assert Progress(course).state_of("lesson_count") == "passed"


def test_the_notes_outlast_the_kernel(course, checks, monkeypatch):
    run(checks.check(shout))
    restarted = import_checks(course, monkeypatch)
    assert restarted is not checks and restarted.exercise is not checks.exercise
    assert [(row.notebook, row.state) for row in course_progress(course).rows] == [("01_shout.ipynb", "passed")]


def test_a_damaged_progress_file_is_reported_and_set_aside_and_the_check_still_works(course, checks, capsys):
    (course / PROGRESS_FILE).write_bytes(b'{"format": 1, "exercises": \xff\xfe')
    result = run(checks.check(shout))
    assert result.passed
    said = capsys.readouterr().out
    assert "could not be read" in said and "moved to .wfkit-progress.damaged-" in said
    [aside] = course.glob(".wfkit-progress.damaged-*.json")
    assert aside.read_bytes().endswith(b"\xff\xfe")  # kept as it was
    assert json.loads((course / PROGRESS_FILE).read_text())["exercises"]["lesson_shout"]["passed"] is True


def test_a_progress_file_that_cannot_be_written_never_fails_a_check_and_is_said_once(course, checks, capsys):
    (course / PROGRESS_FILE).mkdir()  # a folder where the file should be: reading and writing it fail
    first, second = run(checks.check(shout)), run(checks.check(whisper))
    assert first.passed and not second.passed
    said = capsys.readouterr().out
    assert said.count("your progress could not be noted in") == 1 and "your checks work as before" in said


def test_checks_note_nothing_when_progress_is_switched_off(course, checks, monkeypatch):
    monkeypatch.setenv("WFKIT_PROGRESS", "off")
    run(checks.check(shout))
    run(checks.check(whisper))
    checks.reveal()
    assert not (course / PROGRESS_FILE).exists()


def test_a_headless_run_of_a_lesson_notes_no_progress_even_in_the_copy_it_runs_in(course, tmp_path, monkeypatch):
    monkeypatch.delenv("WFKIT_PROGRESS", raising=False)  # the author's shell: nothing set
    lesson = course / "01_shout.ipynb"
    notebook = nbformat.read(lesson, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("import os\n\nos.path.exists('.wfkit-progress.json')"))
    nbformat.write(notebook, lesson)
    result = run_lesson(lesson, "solution", keep_in=tmp_path / "kept")
    assert result.passed, result.line()
    last = nbformat.read(result.executed, as_version=4).cells[-1]
    assert last.outputs[0]["data"]["text/plain"] == "False"
    assert not (course / PROGRESS_FILE).exists()


def test_wfkit_progress_prints_the_table_of_the_course(course, checks):
    run(checks.check(whisper))
    done = subprocess.run([str(WFKIT), "progress", str(course)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"Your progress in {course} (noted in .wfkit-progress.json there):",
        "",
        "Shouting  tried",
        "0 of 1 exercise passed",
    ]


def test_wfkit_progress_of_a_folder_that_is_not_there_says_what_to_give(tmp_path):
    done = subprocess.run([str(WFKIT), "progress", str(tmp_path / "nowhere")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "nowhere is no folder: give the folder of the course" in done.stderr


def test_wfkit_progress_forget_forgets_one_lesson_and_names_the_lessons_when_it_names_none(course, checks):
    run(checks.check(shout))
    Progress(course).note("lesson_other", "tried")
    done = subprocess.run([str(WFKIT), "progress", str(course), "--forget", "01"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "your progress on 01_shout.ipynb is forgotten" in done.stdout
    assert list(Progress(course).read()) == ["lesson_other"]
    done = subprocess.run([str(WFKIT), "progress", str(course), "--forget", "7"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "'7' names no lesson in" in done.stderr and "give one of: 01, or all" in done.stderr
