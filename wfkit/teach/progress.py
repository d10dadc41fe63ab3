"""A learner's progress through a course, kept in one small file in the course's folder.

Each check a learner runs is noted: the exercise was tried, passed, or its solution revealed.
The notes live in ``.wfkit-progress.json`` next to the lessons (hidden, so the file browser does
not list it). Nothing leaves the machine, and no server is needed: the index lesson and
``wfkit progress`` read the same file.

    >>> progress = Progress("course")                               # doctest: +SKIP
    >>> progress.note("lesson_01", "tried")                         # doctest: +SKIP
    >>> progress.state_of("lesson_01")                              # doctest: +SKIP
    'tried'

Every check of an `Exercise` notes itself here (``tried``, or ``passed``), and ``reveal()``
notes ``revealed``; the folder is the lesson's, the one that holds the ``exercises`` package the
check comes from. A note is never worth a check: if the folder cannot be written (read-only, a
full disk), the learner is told once and the check's result is shown as always.

Who is no learner notes nothing: with ``WFKIT_PROGRESS=off`` in the environment, checks leave
the file alone. A lesson's headless runs (`wfkit.teach.lessons`) start their kernels with it, so
an author's ``check-lessons`` or ``pytest --lessons`` never writes progress, not even into the
copies it runs in; a test that imports a course's checks itself sets it too.

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
PROGRESS_FILES = ".wfkit-progress*"  # the file, a damaged one set aside, one being written
PROGRESS_SWITCH = "WFKIT_PROGRESS"  # "off" in a kernel's environment: its checks note nothing
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
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        try:
            return _decode(json.loads(data))  # bytes that are no UTF-8 are a ValueError here too
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

    def forget(self, exercise: str) -> bool:
        """Forget the notes of one exercise; True if it had some."""
        every = self.read()
        if every.pop(exercise, None) is None:
            return False
        self._write(every)
        return True

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
        aside = self.path.with_name(f".wfkit-progress.damaged-{stamp}.json")
        try:
            os.replace(self.path, aside)
        except OSError as refused:  # a read-only folder: read as empty, and say so
            print(
                f"wfkit: your progress file {self.path} could not be read ({error}), nor moved aside ({refused}); "
                "your progress is not shown. Your lessons are untouched."
            )
            return
        self.set_aside = aside
        print(
            f"wfkit: your progress file {self.path.name} could not be read ({error}); it was moved to "
            f"{aside.name} and your progress starts again from here. Your lessons are untouched."
        )


def noting_progress() -> bool:
    """False when ``WFKIT_PROGRESS`` is ``off`` (or ``0``, ``no``, ``false``): checks then note nothing."""
    return os.environ.get(PROGRESS_SWITCH, "").strip().lower() not in ("off", "0", "no", "false")


_unwritable: set[Path] = set()  # the folders whose progress could not be noted, said once each


def note_check(folder: Path, exercise: str, what: Note) -> None:
    """Note, for a learner's check, that `exercise` was tried, passed or revealed, in the course
    at `folder`. Never raises: a folder that cannot be written is said once, and the check goes on."""
    if not noting_progress():
        return
    try:
        Progress(folder).note(exercise, what)
    except OSError as error:
        if folder not in _unwritable:
            _unwritable.add(folder)
            print(f"wfkit: your progress could not be noted in {folder} ({error}); your checks work as before.")


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

    def summary(self) -> str:
        """The course in one line: ``"1 of 8 exercises passed"``."""
        noun = "exercise" if self.exercises == 1 else "exercises"
        return f"{self.passed} of {self.exercises} {noun} passed"

    @property
    def passed(self) -> int:
        """How many lessons' exercises have passed."""
        return sum(row.state.startswith("passed") for row in self.rows)

    @property
    def exercises(self) -> int:
        """How many lessons have an exercise."""
        return sum(row.exercise is not None for row in self.rows)

    def lessons_named(self, wanted: str) -> list[LessonRow]:
        """The rows `wanted` names: ``all``, a lesson's number (``02`` or ``2``), or its file name
        with or without ``.ipynb``. Raises `ValueError`, listing the lessons, when it names none."""
        if wanted == "all":
            return list(self.rows)
        found = [row for row in self.rows if wanted in (row.notebook, Path(row.notebook).stem)]
        if not found and wanted.isdigit():
            found = [row for row in self.rows if _number_of(row.notebook) == int(wanted)]
        if not found:
            numbers = ", ".join(row.notebook.split("_", 1)[0] for row in self.rows) or "none"
            raise ValueError(f"{wanted!r} names no lesson in {self.folder}; give one of: {numbers}, or all.")
        return found

    def __str__(self) -> str:
        width = max((len(row.title) for row in self.rows), default=10)
        lines = [f"{row.title:<{width}}  {row.state if row.exercise else '-'}" for row in self.rows]
        return "\n".join([*lines, self.summary()])

    def _repr_html_(self) -> str:
        left = "style='text-align:left'"  # notebooks right-align table cells; titles read from the left
        cells = "".join(
            f"<tr><td {left}><a href='{html.escape(row.notebook)}'>{html.escape(row.title)}</a></td>"
            f"<td {left}>{html.escape(row.state if row.exercise else '-')}</td></tr>"
            for row in self.rows
        )
        return (
            f"<table class='wfkit-progress'><thead><tr><th {left}>Lesson</th><th {left}>Exercise</th></tr></thead>"
            f"<tbody>{cells}</tbody></table><p>{self.summary()}</p>"
        )


def _number_of(notebook: str) -> int | None:
    """2 for ``02_request_and_response.ipynb``; None for a name that starts with no number."""
    first = notebook.split("_", 1)[0]
    return int(first) if first.isdigit() else None


def _row(notebook: Path, every: dict[str, ExerciseProgress]) -> LessonRow | None:
    """The lesson's row; None for the page that shows the table itself (the course's index).

    Its exercise is the check module its metadata names (``metadata.wfkit.exercise``, which the
    headless runs read too), or else the one its first check cell imports."""
    title = notebook.stem
    try:
        lesson = nbformat.read(notebook, as_version=4)
    except Exception as error:  # noqa: BLE001 - one unreadable lesson must not hide the others
        return LessonRow(notebook.name, notebook.stem, None, f"cannot be read ({type(error).__name__})")
    named = lesson.metadata.get("wfkit", {}).get("exercise")
    exercise = named if isinstance(named, str) and named else None
    for cell in lesson.cells:
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
