"""A learner's progress: noted by checks, kept in the course's folder, shown as a table."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from wfkit.teach.progress import PROGRESS_FILE, Progress, course_progress


def lesson(folder: Path, name: str, title: str, exercise: str | None) -> None:
    cells = [new_markdown_cell(f"# {title}\n\nWhat this lesson is about.")]
    if exercise:
        cells.append(new_code_cell(f"from exercises import {exercise}\n\nawait {exercise}.check(my_answer)"))
    nbformat.write(new_notebook(cells=cells), folder / name)


@pytest.fixture
def course(tmp_path: Path) -> Path:
    nbformat.write(
        new_notebook(cells=[new_markdown_cell("# The course"), new_code_cell("wfkit.teach.course_progress()")]),
        tmp_path / "00_index.ipynb",
    )
    lesson(tmp_path, "01_first.ipynb", "Lesson 1 · First steps", "lesson_01")
    lesson(tmp_path, "02_second.ipynb", "Lesson 2 · Second steps", "lesson_02")
    lesson(tmp_path, "03_reading.ipynb", "Lesson 3 · Reading only", None)
    return tmp_path


def test_notes_survive_a_new_reader_as_a_restarted_kernel_would_see_them(course: Path):
    Progress(course).note("lesson_01", "tried")
    Progress(course).note("lesson_01", "passed")
    Progress(course).note("lesson_02", "revealed")
    again = Progress(course).read()
    assert (again["lesson_01"].tries, again["lesson_01"].passed, again["lesson_01"].state) == (2, True, "passed")
    assert again["lesson_02"].state == "not started, solution seen"
    assert Progress(course).state_of("lesson_09") == "not started"


def test_the_table_lists_each_lesson_with_its_state_but_not_the_index(course: Path):
    Progress(course).note("lesson_01", "passed")
    Progress(course).note("lesson_02", "tried")
    table = course_progress(course)
    assert [(row.title, row.state) for row in table.rows] == [
        ("Lesson 1 · First steps", "passed"),
        ("Lesson 2 · Second steps", "tried"),
        ("Lesson 3 · Reading only", "-"),
    ]
    assert str(table).splitlines()[-1] == "1 of 2 exercises passed"
    page = table._repr_html_()
    assert "<a href='01_first.ipynb'>Lesson 1 · First steps</a>" in page and "1 of 2 exercises passed" in page


def test_a_damaged_file_is_set_aside_said_so_and_progress_starts_again(course: Path, capsys):
    (course / PROGRESS_FILE).write_text('{"format": 1, "exercises": {"lesson_01": {"tries": "many"')
    progress = Progress(course)
    assert progress.read() == {}
    said = capsys.readouterr().out
    assert "could not be read" in said and "moved to .wfkit-progress.damaged-" in said
    assert progress.set_aside is not None and progress.set_aside.exists()
    assert "many" in progress.set_aside.read_text()  # kept as it was, for whoever wants to look
    progress.note("lesson_01", "tried")
    assert json.loads((course / PROGRESS_FILE).read_text())["exercises"]["lesson_01"]["tries"] == 1


@pytest.mark.parametrize("text", ["[]", '{"format": 99, "exercises": {}}', '{"format": 1, "exercises": {"x": {"bad": 1}}}'])
def test_a_file_of_another_shape_counts_as_damaged(course: Path, text: str, capsys):
    (course / PROGRESS_FILE).write_text(text)
    assert course_progress(course).set_aside is not None
    assert not (course / PROGRESS_FILE).exists()


def test_a_lesson_that_cannot_be_read_does_not_hide_the_others(course: Path):
    (course / "04_broken.ipynb").write_text("{ not json")
    rows = course_progress(course).rows
    assert [row.notebook for row in rows] == ["01_first.ipynb", "02_second.ipynb", "03_reading.ipynb", "04_broken.ipynb"]
    assert rows[-1].state.startswith("cannot be read")


def test_clear_forgets_and_a_bad_note_is_refused(course: Path):
    progress = Progress(course)
    with pytest.raises(ValueError, match="one of tried, passed, revealed"):
        progress.note("lesson_01", "finished")  # type: ignore[arg-type]
    progress.note("lesson_01", "tried")
    assert progress.clear() and not progress.clear()
    assert progress.read() == {}
