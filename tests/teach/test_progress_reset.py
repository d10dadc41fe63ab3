"""`make reset LESSON=...` puts a lesson of the learner's copy back and keeps or clears its
progress as the learner chooses: ``KEEP_PROGRESS=1`` keeps it, ``KEEP_PROGRESS=0`` clears it, and
unset the learner is asked (nobody at a terminal to answer: kept)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from wfkit.teach import CourseProgress, Progress

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.executable).parent.parent  # the environment whose bin/wfkit make reset runs


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A learner's copy of this repository's course, with progress on two lessons' exercises."""
    copy = tmp_path / "course"
    made = subprocess.run([sys.executable, "scripts/course.py", "--course", str(copy), "prepare"],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    progress = Progress(copy)
    for exercise in exercises(copy)[:2]:
        progress.note(exercise, "passed")
    return copy


def exercises(course: Path) -> list[str]:
    """The course's exercises, in lesson order (the first is lesson 01's)."""
    return [row.exercise for row in CourseProgress(course).rows if row.exercise]


def make_reset(course: Path, *variables: str, stdin: int | None = subprocess.DEVNULL) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "reset", f"COURSE={course}", "LESSON=01", f"VENV={VENV}", *variables],
        cwd=REPO_ROOT, stdin=stdin, capture_output=True, text=True, timeout=120,
    )


def test_keep_progress_1_keeps_it(course: Path):
    done = make_reset(course, "KEEP_PROGRESS=1")
    assert done.returncode == 0, done.stderr
    assert "your progress is kept" in done.stdout
    assert sorted(Progress(course).read()) == sorted(exercises(course)[:2])


def test_keep_progress_0_clears_the_progress_of_the_lesson_reset_only(course: Path):
    first, second = exercises(course)[:2]
    done = make_reset(course, "KEEP_PROGRESS=0")
    assert done.returncode == 0, done.stderr
    assert "your progress on 01_" in done.stdout and "is forgotten" in done.stdout
    assert list(Progress(course).read()) == [second]


def test_unset_and_nobody_at_a_terminal_to_ask_it_is_kept(course: Path):
    done = make_reset(course)
    assert done.returncode == 0, done.stderr
    assert "is kept: there is no terminal to ask you at" in done.stdout
    assert len(Progress(course).read()) == 2


@pytest.mark.parametrize(("answer", "left"), [("y", 1), ("", 2)])
def test_unset_the_learner_at_a_terminal_is_asked(course: Path, answer: str, left: int):
    terminal, learner = pty.openpty()
    os.write(terminal, f"{answer}\n".encode())  # typed before the question: the terminal holds it
    try:
        done = make_reset(course, stdin=learner)
    finally:
        os.close(learner)
        os.close(terminal)
    assert done.returncode == 0, done.stderr
    assert "Forget your progress on 01_" in done.stdout and "[y/N]" in done.stdout
    assert len(Progress(course).read()) == left


def test_a_keep_progress_that_is_neither_says_what_to_give_and_resets_nothing(course: Path):
    lesson = sorted(course.glob("01_*.ipynb"))[0]
    lesson.write_text(lesson.read_text().replace('"cells": [', '"cells": [ ', 1))  # the learner's edit
    edited = lesson.read_bytes()
    done = make_reset(course, "KEEP_PROGRESS=maybe")
    assert done.returncode != 0
    assert "KEEP_PROGRESS=maybe: give 1 to keep your progress, 0 to clear it" in done.stderr
    assert lesson.read_bytes() == edited and len(Progress(course).read()) == 2
