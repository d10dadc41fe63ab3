"""Tools for course authors: exercises with checks and hidden solutions, and lessons checked
headless, exported, and collected by pytest.

- `exercise`: `Exercise` (named tests, ``which`` = yours / solution / wrong, ``strict``,
  `reveal`), `CheckResult` and `report`;
- `lessons`: `check_lessons`, the headless runs of ``wfkit check-lessons``;
- `template`: `new_lesson`, behind ``wfkit new-lesson``;
- `export`: `export_lessons`, behind ``wfkit export-lessons``;
- `cli`: the ``wfkit`` command; `pytest_plugin`: ``pytest --lessons PATH``.

A course author's guide is docs/authoring.md.
"""

from ..errors import ExerciseNotSolvedError
from .exercise import CheckResult, Exercise, report
from .lessons import LessonRun, check_lessons
from .template import new_lesson

__all__ = ["CheckResult", "Exercise", "ExerciseNotSolvedError", "LessonRun", "check_lessons", "new_lesson", "report"]
