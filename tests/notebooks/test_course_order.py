"""The course reads as one sequence: each lesson's number, title, links and exercise agree.

A lesson is ``NN_name.ipynb`` (``00_index.ipynb`` is the index). Lesson N calls itself
"Lesson N of M" (M: how many lessons there are), links to lesson N+1 (the last one back to the
index), imports its own exercise module ``exercises/lesson_NN.py``, whose hidden solutions are in
``.solutions/lesson_NN.py``. A lesson is read in one go: a few dozen cells, no code cell a
screen long.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
INDEX = NOTEBOOKS / "00_index.ipynb"
LESSONS = sorted(path for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb") if path != INDEX)
MOST_CELLS = 45  # a lesson a learner reads in one sitting
MOST_CODE_LINES = 40  # a code cell fits on a screen

LINK = re.compile(r"\]\(([^)#\s]+\.ipynb)\)")


def cells(path: Path) -> list:
    return nbformat.read(path, as_version=4).cells


def markdown(path: Path) -> str:
    return "\n".join(cell.source for cell in cells(path) if cell.cell_type == "markdown")


def number(path: Path) -> int:
    return int(path.name[:2])


def test_the_lessons_are_numbered_one_after_another():
    assert [number(path) for path in LESSONS] == list(range(1, len(LESSONS) + 1))


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.stem)
def test_a_lesson_calls_itself_by_its_number_of_all(path):
    title = cells(path)[0].source.splitlines()[0]
    assert title.startswith(f"# Lesson {number(path)} of {len(LESSONS)} · "), title


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.stem)
def test_a_lesson_ends_with_a_link_to_the_next_one(path):
    last = cells(path)[-1].source
    following = [other for other in LESSONS if number(other) == number(path) + 1]
    expected = following[0].name if following else INDEX.name
    assert LINK.findall(last) == [expected], last


@pytest.mark.parametrize("path", [INDEX, *LESSONS], ids=lambda path: path.stem)
def test_every_link_between_notebooks_leads_to_one(path):
    for target in LINK.findall(markdown(path)):
        assert (NOTEBOOKS / target).is_file(), f"{path.name} links to {target}, which does not exist"


def test_the_index_lists_every_lesson_in_order():
    listed = list(dict.fromkeys(LINK.findall(markdown(INDEX))))  # each once, in the order first linked
    assert listed == [path.name for path in LESSONS]


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.stem)
def test_a_lesson_uses_its_own_exercise(path):
    code = "\n".join(cell.source for cell in cells(path) if cell.cell_type == "code")
    used = set(re.findall(r"\blesson_(\d\d)\b", code))
    assert used <= {path.name[:2]}, f"{path.name} uses the exercises of lessons {sorted(used)}"
    if used:
        own = f"lesson_{path.name[:2]}.py"
        assert (NOTEBOOKS / "exercises" / own).is_file() and (NOTEBOOKS / ".solutions" / own).is_file()


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.stem)
def test_a_lesson_is_short_enough_to_read_in_one_go(path):
    lesson = cells(path)
    assert len(lesson) <= MOST_CELLS, f"{path.name} has {len(lesson)} cells: split it, or tighten it"
    for position, cell in enumerate(lesson, start=1):
        if cell.cell_type == "code":
            lines = len(cell.source.splitlines())
            assert lines <= MOST_CODE_LINES, f"{path.name}, cell {position}: {lines} lines of code in one cell"
