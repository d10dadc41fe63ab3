"""A learner's progress through a course, kept in one small file in the course's folder.

Each check a learner runs is noted: the exercise was tried, passed, or its solution revealed.
The notes live in ``.wfkit-progress.json`` next to the lessons (hidden, so the file browser does
not list it). Nothing leaves the machine, and no server is needed: the index lesson and
``wfkit progress`` read the same file.

    >>> progress = Progress("course")                               # doctest: +SKIP
    >>> progress.note("lesson_01", "tried")                         # doctest: +SKIP
    >>> progress.state_of("lesson_01")                              # doctest: +SKIP
    'tried'

The file is written whole and then moved into place, so a kernel stopped mid-write leaves the
old file, never half of one. A file that cannot be read (edited by hand, cut short) is moved
aside to ``.wfkit-progress.damaged-<time>.json`` and said so once; the notes start again.
"""

from __future__ import annotations

import datetime
import html
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import nbformat

PROGRESS_FILE = ".wfkit-progress.json"
FORMAT = 1
Note = Literal["tried", "passed", "revealed"]
NOTES: tuple[Note, ...] = ("tried", "passed", "revealed")
CHECK_IMPORT = re.compile(r"from\s+exercises\s+import\s+(\w+)")


@dataclass
class ExerciseProgress:
    """What a learner did with one exercise: how many checks, whether one passed, whether they
    looked at the solution."""

    tries: int = 0
    passed: bool = False
    revealed: bool = False
    updated: str = ""

    @property
    def state(self) -> str:
        """One word for the table: ``not started``, ``tried``, ``passed`` (with ``, solution seen``)."""
        word = "passed" if self.passed else "tried" if self.tries else "not started"
        return f"{word}, solution seen" if self.revealed else word


class Progress:
    """The progress file of the course in `folder` (the folder that holds the lessons)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / PROGRESS_FILE
        self.set_aside: Path | None = None  # where a damaged file was moved, if one was

    def read(self) -> dict[str, ExerciseProgress]:
        """Every exercise noted so far, by its check module's name (``lesson_01``)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        try:
            return _decode(json.loads(text))
        except (ValueError, TypeError, KeyError) as error:
            self._set_aside(error)
            return {}

    def state_of(self, exercise: str) -> str:
        """The one-word state of `exercise` (see `ExerciseProgress.state`)."""
        return self.read().get(exercise, ExerciseProgress()).state

    def note(self, exercise: str, what: Note) -> ExerciseProgress:
        """Note that `exercise` was tried, passed or revealed; returns its progress after the note."""
        if what not in NOTES:
            raise ValueError(f"a progress note is one of {', '.join(NOTES)}, not {what!r}")
        every = self.read()
        mine = every.setdefault(exercise, ExerciseProgress())
        if what in ("tried", "passed"):
            mine.tries += 1
        mine.passed = mine.passed or what == "passed"
        mine.revealed = mine.revealed or what == "revealed"
        mine.updated = datetime.datetime.now().isoformat(timespec="seconds")
        self._write(every)
        return mine

    def clear(self) -> bool:
        """Forget every note (the file goes); True if there was one."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        return True

    def _write(self, every: dict[str, ExerciseProgress]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {"format": FORMAT, "exercises": {name: vars(p) for name, p in sorted(every.items())}}
        # Written beside the file and moved over it: a stopped kernel leaves the old file whole.
        handle, temporary = tempfile.mkstemp(prefix=".wfkit-progress.", suffix=".tmp", dir=self.folder)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(data, file, indent=1)
        os.replace(temporary, self.path)

    def _set_aside(self, error: Exception) -> None:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.set_aside = self.path.with_name(f".wfkit-progress.damaged-{stamp}.json")
        os.replace(self.path, self.set_aside)
        print(
            f"wfkit: your progress file {self.path.name} could not be read ({error}); it was moved to "
            f"{self.set_aside.name} and your progress starts again from here. Your lessons are untouched."
        )


def _decode(data: object) -> dict[str, ExerciseProgress]:
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("exercises"), dict):
        raise ValueError(f"not a wfkit progress file of format {FORMAT}")
    found = {}
    for name, fields in data["exercises"].items():
        progress = ExerciseProgress(**fields)  # an unknown or missing field is a TypeError: damaged
        if not isinstance(progress.tries, int) or not isinstance(progress.passed, bool):
            raise ValueError(f"exercise {name!r} has a bad record")
        found[name] = progress
    return found


@dataclass
class LessonRow:
    """One lesson of the course table: its notebook, title, exercise and the learner's state."""

    notebook: str
    title: str
    exercise: str | None
    state: str


class CourseProgress:
    """The course as a table: each lesson, its exercise and how far the learner got with it.

    Shown in a notebook it is an HTML table; printed (``wfkit progress``) it is plain text.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        progress = Progress(self.folder)
        every = progress.read()
        self.set_aside = progress.set_aside
        rows = [_row(path, every) for path in sorted(self.folder.glob("*.ipynb")) if not path.name.startswith(".")]
        self.rows = [row for row in rows if row is not None]

    @property
    def passed(self) -> int:
        """How many lessons' exercises have passed."""
        return sum(row.state.startswith("passed") for row in self.rows)

    @property
    def exercises(self) -> int:
        """How many lessons have an exercise."""
        return sum(row.exercise is not None for row in self.rows)

    def __str__(self) -> str:
        width = max((len(row.title) for row in self.rows), default=10)
        lines = [f"{row.title:<{width}}  {row.state if row.exercise else '-'}" for row in self.rows]
        return "\n".join([*lines, f"{self.passed} of {self.exercises} exercises passed"])

    def _repr_html_(self) -> str:
        cells = "".join(
            f"<tr><td><a href='{html.escape(row.notebook)}'>{html.escape(row.title)}</a></td>"
            f"<td>{html.escape(row.state if row.exercise else '-')}</td></tr>"
            for row in self.rows
        )
        return (
            "<table class='wfkit-progress'><thead><tr><th>Lesson</th><th>Exercise</th></tr></thead>"
            f"<tbody>{cells}</tbody></table><p>{self.passed} of {self.exercises} exercises passed</p>"
        )


def _row(notebook: Path, every: dict[str, ExerciseProgress]) -> LessonRow | None:
    """The lesson's row; None for the page that shows the table itself (the course's index)."""
    title, exercise = notebook.stem, None
    try:
        cells = nbformat.read(notebook, as_version=4).cells
    except Exception as error:  # noqa: BLE001 - one unreadable lesson must not hide the others
        return LessonRow(notebook.name, notebook.stem, None, f"cannot be read ({type(error).__name__})")
    for cell in cells:
        if cell.cell_type == "markdown" and title == notebook.stem:
            heading = re.search(r"^#\s+(.+)$", cell.source, re.MULTILINE)
            title = heading.group(1).strip() if heading else title
        if cell.cell_type == "code" and "course_progress(" in cell.source:
            return None
        if cell.cell_type == "code" and exercise is None:
            found = CHECK_IMPORT.search(cell.source)
            exercise = found.group(1) if found else None
    state = every.get(exercise, ExerciseProgress()).state if exercise else "-"
    return LessonRow(notebook.name, title, exercise, state)


def course_progress(folder: str | Path = ".") -> CourseProgress:
    """The progress table of the course in `folder` (the index lesson shows it; so does
    ``wfkit progress``)."""
    return CourseProgress(folder)
