"""``pytest --lessons PATH``: the runs of `wfkit check-lessons` as pytest test items.

Registered by the package (the ``pytest11`` entry point), so it is there wherever wfkit is
installed. Each lesson found at PATH gets one item per run: ``lesson.ipynb::defaults``,
``::solution``, ``::wrong`` (and ``::wrong_2``... one per known wrong answer), ``::unanswered``
(see `wfkit.teach.lessons`). Without ``--lessons`` it adds nothing. With pytest-xdist,
``pytest --lessons PATH -n 4`` spreads the items over four processes.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from .folders import search_lessons
from .lessons import LessonRun, run_lesson, runs_of


def pytest_addoption(parser: Any) -> None:
    parser.addoption(
        "--lessons", action="append", default=[], metavar="PATH",
        help="also run the lessons (notebooks) at PATH headless, as wfkit check-lessons does",
    )


class LessonItem(pytest.Item):
    """One run of one lesson."""

    def __init__(self, *, notebook: Path, kind: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.notebook, self.kind = notebook, kind

    def runtest(self) -> None:
        result: LessonRun = run_lesson(self.notebook, self.kind)
        self.user_properties.append(("seconds", round(result.seconds, 1)))
        if not result.passed:
            pytest.fail(result.line(), pytrace=False)  # the line says it all: notebook, run, cell, error

    def reportinfo(self) -> tuple[Path, None, str]:
        return self.notebook, None, f"{self.notebook.name}::{self.kind}"


class LessonFile(pytest.File):
    """A notebook given with ``--lessons``: one item per run it gets."""

    def collect(self) -> Any:
        try:
            kinds = runs_of(self.path)
        except Exception as error:  # not JSON, or no notebook: one failing item says so
            first_line = (str(error).strip().splitlines() or [""])[-1][:200]
            reason = f"{self.path.name} is not a notebook nbformat can read ({type(error).__name__}: {first_line})"
            yield UnreadableLesson.from_parent(self, name="read", reason=reason)
            return
        for kind in kinds:
            yield LessonItem.from_parent(self, name=kind, notebook=self.path, kind=kind)


class UnreadableLesson(pytest.Item):
    """A file given as a lesson that cannot be read: it fails with the reason."""

    def __init__(self, *, reason: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reason = reason

    def runtest(self) -> None:
        pytest.fail(f"{self.reason}: fix or remove the file", pytrace=False)

    def reportinfo(self) -> tuple[Path, None, str]:
        return self.path, None, f"{self.path.name}::read"


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect: the lessons are items like the others
def pytest_collection_modifyitems(session: Any, config: Any, items: list[Any]) -> None:
    try:
        search = search_lessons(config.getoption("lessons"))
    except (OSError, ValueError) as error:  # a usage error, not pytest's own INTERNALERROR
        raise pytest.UsageError(f"--lessons: {error}") from None
    for line in search.skipped:  # a symlink loop, say: shown in the warnings summary
        warnings.warn(pytest.PytestCollectionWarning(f"--lessons skipped {line}"), stacklevel=1)
    for notebook in search.notebooks:
        items.extend(LessonFile.from_parent(session, path=notebook.resolve()).collect())
