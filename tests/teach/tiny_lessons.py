"""Tiny lessons for the author's tools' tests: a parameters cell and one cell of code, quick to run;
and one with an exercise (`shout_lesson`)."""

from __future__ import annotations

from pathlib import Path

import nbformat


def lesson(folder: Path, name: str, code: str) -> Path:
    """Write `folder/name`: a lesson whose one cell after the parameters runs `code`."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    parameters = nbformat.v4.new_code_cell('chat = "offline"')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, nbformat.v4.new_code_cell(code)]
    path = folder / name
    nbformat.write(notebook, path)
    return path


SHOUT_CHECKS = '''"""The exercise of lesson_shout: `shout(text)` is the text in capitals, with one '!' at the end."""

from wfkit.teach import Exercise

exercise = Exercise.for_module(__name__, __file__)


@exercise.test("it is in capitals", hint="str.upper() gives the text in capitals.")
def in_capitals(shout):
    shown = shout("hi")
    assert shown.rstrip("!") == "HI", f"it returned {shown!r}"


@exercise.test("it ends with one '!'", hint="Add a single '!' at the end.")
def one_bang(shout):
    shown = shout("hi")
    assert shown.endswith("!") and not shown.endswith("!!"), f"it returned {shown!r}"


check = exercise.check
reveal = exercise.reveal
'''

SHOUT_ANSWERS = '''def shout(text):
    return text.upper() + "!"


def whisper(text):
    return text.lower() + "!"


def no_bang(text):
    return text.upper()


solution = shout
wrong = whisper, "str.upper() gives the text in capitals."
wrong_2 = no_bang, "a single '!'"
'''


def shout_lesson(folder: Path, answers: str = SHOUT_ANSWERS) -> Path:
    """Write `folder/01_shout.ipynb`, a lesson with an exercise (``shout``, checked by
    ``exercises/lesson_shout.py``), and its hidden answers: by default the solution and two wrong
    answers, each with the hint it must get."""
    path = lesson(folder, "01_shout.ipynb", "def shout(text):\n    return text    # in capitals, with a '!'")
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["wfkit"] = {"exercise": "lesson_shout"}
    notebook.cells.insert(0, nbformat.v4.new_markdown_cell("# Shouting\n\nWrite `shout(text)`."))
    notebook.cells.append(nbformat.v4.new_code_cell("from exercises import lesson_shout\n\nawait lesson_shout.check(shout)"))
    nbformat.write(notebook, path)
    (folder / "exercises").mkdir(exist_ok=True)
    (folder / "exercises" / "__init__.py").write_text("")
    (folder / "exercises" / "lesson_shout.py").write_text(SHOUT_CHECKS)
    (folder / ".solutions").mkdir(exist_ok=True)
    (folder / ".solutions" / "lesson_shout.py").write_text(answers)
    return path
