"""Tools for course authors: exercises with checks and hidden solutions, and lessons checked
headless, exported, and collected by pytest.

- `exercise`: `Exercise` (named tests, `reveal`), `CheckResult` and `report`, and
  ``WFKIT_CHECKS_RAISE``, which a lesson's headless runs set so a failed check raises;
- `solutions`: an exercise's hidden answers (the reference solution under the learner's name,
  known wrong ones with the hints they must get), read as text and pasted over the learner's answer;
- `progress`: a learner's progress, noted by each check in the course's folder; `course_progress`
  is the table the index lesson shows and ``wfkit progress`` prints;
- `lessons`: `check_lessons`, the headless runs of ``wfkit check-lessons``;
- `folders`: `search_lessons` (the notebooks in a course's folders, symlink loops named) and
  the copy of a lesson's folder each run works in;
- `template`: `new_lesson`, behind ``wfkit new-lesson``;
- `trace`: `trace(run)`, a `RunTrace` of what a run did, for checks on behaviour;
- `export`: `export_lessons`, behind ``wfkit export-lessons``;
- `cli`: the ``wfkit`` command; `pytest_plugin`: ``pytest --lessons PATH``.

A course author's guide is docs/authoring.md.
"""

from ..errors import ExerciseNotSolvedError
from .exercise import CheckResult, Exercise, Revealed, report
from .folders import LessonSearch, search_lessons
from .lessons import LessonRun, check_lessons
from .progress import CourseProgress, ExerciseProgress, LessonRow, Progress, course_progress
from .solutions import HiddenAnswer, HiddenAnswers, read_hidden_answers
from .template import new_lesson
from .trace import AskedRequest, CrossedMessage, RunTrace, TracedStep, trace

__all__ = [
    "AskedRequest",
    "CheckResult",
    "CourseProgress",
    "CrossedMessage",
    "Exercise",
    "ExerciseNotSolvedError",
    "ExerciseProgress",
    "HiddenAnswer",
    "HiddenAnswers",
    "LessonRow",
    "LessonRun",
    "LessonSearch",
    "Progress",
    "Revealed",
    "RunTrace",
    "TracedStep",
    "check_lessons",
    "course_progress",
    "new_lesson",
    "read_hidden_answers",
    "report",
    "search_lessons",
    "trace",
]
