"""`new_lesson`: a lesson to start from, with everything a wfkit lesson has.

``wfkit new-lesson course/01_first_steps.ipynb`` writes three files:

- the notebook: title and goals, a ``parameters`` cell (``chat`` and ``answers``, what a
  learner may change), a set-up cell with a small workflow that asks a person to approve, a live
  run of it, an exercise with its check cell, a reveal cell, a recap;
- ``exercises/lesson_01_first_steps.py`` next to it: the exercise's named tests;
- ``.solutions/lesson_01_first_steps.py``: the reference solution, under the learner's name
  (``headline``), and two known wrong answers, each with the hint its learner must read, in a
  hidden folder that JupyterLab does not list.

Every part runs offline and headless as written, so ``wfkit check-lessons`` passes on a new
lesson before its author has changed a line.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .exercise import SOLUTIONS_FOLDER

CHECKS_PACKAGE = "exercises"


def module_name_for(notebook: Path) -> str:
    """The check module's name for a notebook: ``01_first_steps.ipynb`` -> ``lesson_01_first_steps``.

    The name is NFKC-normalised first, as Python normalises the names in an ``import``: the
    module file of ``ﬁrst.ipynb`` (a ligature) must be ``lesson_first.py``, or the check cell's
    ``from exercises import lesson_first`` would not find it."""
    stem = unicodedata.normalize("NFKC", notebook.stem)
    name = re.sub(r"\W+", "_", stem).strip("_").lower() or "lesson"
    return name if name.startswith("lesson") else f"lesson_{name}"


def title_for(notebook: Path) -> str:
    words = re.sub(r"^[\d_\W]+", "", notebook.stem).replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "A new lesson"


def new_lesson(path: str | Path, title: str | None = None, overwrite: bool = False) -> list[Path]:
    """Write a lesson at `path` (an ``.ipynb``), its check module and its solutions; return the
    files written. Refuses to replace a file unless `overwrite`."""
    notebook = Path(path)
    if notebook.suffix != ".ipynb":
        raise ValueError(f"{notebook}: a lesson is a notebook; give a path ending in .ipynb.")
    if notebook.name.startswith("."):
        raise ValueError(
            f"{notebook}: a name starting with '.' is hidden, and check-lessons skips hidden files; "
            "give the lesson a name without the leading dot."
        )
    module = module_name_for(notebook)
    folder = notebook.parent
    files = {
        notebook: nbformat.writes(lesson_notebook(title or title_for(notebook), module)),
        folder / CHECKS_PACKAGE / "__init__.py": '"""The exercise checks of this course\'s lessons."""\n',
        folder / CHECKS_PACKAGE / f"{module}.py": CHECK_MODULE.format(module=module),
        folder / SOLUTIONS_FOLDER / f"{module}.py": SOLUTIONS_MODULE,
    }
    package_init = folder / CHECKS_PACKAGE / "__init__.py"
    folders = [p for p in files if p.is_dir()]
    if folders:  # --force replaces files, never a folder (and what is in it)
        raise IsADirectoryError(
            f"{', '.join(str(p) for p in folders)} is a folder, not a file: --force does not replace folders; "
            "pick another name, or move the folder away."
        )
    clashes = [p for p in files if p.exists() and p != package_init and not overwrite]
    if clashes:
        raise FileExistsError(
            f"{', '.join(str(p) for p in clashes)} already exist(s); pick another name, or pass --force to replace."
        )
    written = []
    for file, text in files.items():
        if file == package_init and file.exists():
            continue  # the course's other lessons share it
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
        written.append(file)
    return written


def lesson_notebook(title: str, module: str) -> nbformat.NotebookNode:
    """The notebook of a new lesson (see the module docstring)."""
    notebook = new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["wfkit"] = {"exercise": module, "test_parameters": {"answers": ["approve"]}}
    parameters = new_code_cell(parameters_source())
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [
        new_markdown_cell(INTRO.format(title=title)),
        parameters,
        new_code_cell(SET_UP),
        new_markdown_cell(LIVE_RUN_TEXT),
        new_code_cell(LIVE_RUN),
        new_markdown_cell(EXERCISE_TEXT),
        new_code_cell(EXERCISE_STARTER),
        new_code_cell(CHECK_CELL.format(module=module)),
        new_markdown_cell(REVEAL_TEXT),
        new_code_cell(REVEAL_CELL),
        new_markdown_cell(RECAP),
    ]
    return notebook


INTRO = """# {title}

One or two sentences on what the learner builds in this lesson, and why.

## What you will learn

- the first idea of the lesson;
- the second one;
- how to check your own answer to the exercise."""

# The parameters cell, the same in every lesson: only what a learner may want to change. A lesson
# without cards leaves out the `answers` line. (A lesson's headless runs give `answers` the
# notebook's metadata.wfkit.test_parameters; the rest of what they need is no business of the page.)
PARAMETERS_HEADER = "# Parameters: change them, then run the lesson again from the top."
PARAMETER_LINES = {
    "chat": 'chat = "offline"  # or "auto": a real model, when its API keys are set',
    "answers": "answers = None    # or the cards' answers, in order, to run without clicking",
}


def parameters_source(with_answers: bool = True) -> str:
    """The source of a lesson's ``parameters`` cell; `with_answers` for a lesson that shows cards."""
    names = ["chat", "answers"] if with_answers else ["chat"]
    return "\n".join([PARAMETERS_HEADER, *(PARAMETER_LINES[name] for name in names)])


SET_UP = '''from dataclasses import dataclass

import wfkit
import wfkit.notebook
from wfkit import (Executor, Never, RequestInfoExecutor, RequestInfoMessage, RequestResponse, WorkflowBuilder,
                   WorkflowContext, handler)

client = wfkit.chat_client(chat)   # used by agents, when the lesson has some


@dataclass
class DraftReview(RequestInfoMessage):
    """What the person is asked: approve this draft, or say what to change."""
    draft: str = ""


class Writer(Executor):
    @handler
    async def write(self, topic: str, ctx: WorkflowContext[DraftReview]) -> None:
        await ctx.send_message(DraftReview(draft=f"{topic}\\nOut now."), target_id="review")

    @handler
    async def on_answer(self, answer: RequestResponse[DraftReview, str], ctx: WorkflowContext[DraftReview | str]) -> None:
        draft = answer.original_request.draft
        if answer.data.strip().lower() == "approve":
            await ctx.send_message(draft, target_id="publish")
        else:
            await ctx.send_message(DraftReview(draft=f"{draft}\\n({answer.data})"), target_id="review")


class Publish(Executor):
    @handler
    async def publish(self, draft: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(draft)


writer, review, publish = Writer("writer"), RequestInfoExecutor("review"), Publish("publish")
workflow = (
    WorkflowBuilder(name="announcement")
    .set_start_executor(writer)
    .add_edge(writer, review)
    .add_edge(review, writer)
    .add_edge(writer, publish)
    .build()
)
workflow'''

LIVE_RUN_TEXT = """## Watch it run

The run asks you to approve the draft: type a change and click **Revise**, or click **Approve**. The cell shows
`[*]` until you have approved. (Rather not click? Put your answers in `answers` in the parameters cell, in order,
for example `["approve"]`.)"""

LIVE_RUN = """result = await wfkit.notebook.run(workflow, "The new grinder", answers=answers)
result.outputs"""

EXERCISE_TEXT = """## Exercise: a headline

Write `headline(draft)`: the first line of the draft, in capitals. Run the check cell to see how you did."""

EXERCISE_STARTER = """def headline(draft: str) -> str:
    return draft    # TODO: only the first line, in capitals"""

CHECK_CELL = """from exercises import {module} as checks

await checks.check(headline)"""

REVEAL_TEXT = (
    "Stuck after trying? `checks.reveal()` shows the reference solution, once you have run the check above "
    "at least once."
)

REVEAL_CELL_COMMENT = "# {module}.reveal()    # remove the # at the start of this line, then run the cell"
REVEAL_CELL = REVEAL_CELL_COMMENT.format(module="checks")

RECAP = """## Recap

- the first idea, in one line;
- the second one."""

CHECK_MODULE = '''"""The exercise of {module}: `headline(draft)` is the draft's first line in capitals.

Each `@exercise.test` is one named check; the first that fails is what the learner sees, with
its hint. The reference solution and two known wrong answers are in ../.solutions/{module}.py.
"""

from __future__ import annotations

from wfkit.teach import Exercise

exercise = Exercise.for_module(__name__, __file__)


@exercise.test("it returns text")
def returns_text(headline):
    assert isinstance(headline("The new grinder\\nOut now."), str), "headline(...) should return a str"


@exercise.test("it keeps only the first line", hint="draft.splitlines()[0] is the first line.")
def first_line_only(headline):
    shown = headline("The new grinder\\nOut now.")
    assert "\\n" not in shown and "OUT NOW" not in shown.upper(), f"it returned {{shown!r}}"


@exercise.test("it is in capitals", hint="str.upper() gives the text in capitals.")
def in_capitals(headline):
    shown = headline("The new grinder\\nOut now.")
    assert shown == "THE NEW GRINDER", f"it returned {{shown!r}}, not 'THE NEW GRINDER'"


check = exercise.check
reveal = exercise.reveal
'''

SOLUTIONS_MODULE = '''"""The exercise's reference solution, under the learner's name (reveal() shows it, once the
learner has run the check), and known wrong answers the check must refuse, each with words of the
hint a learner who gives it must read. `wfkit check-lessons` pastes each over the learner's
headline in the lesson and runs it, so they all use the lesson's names. This file is read, never
imported; its folder is hidden from the file browser."""


def headline(draft: str) -> str:
    return draft.splitlines()[0].upper()


def whole_draft_in_capitals(draft: str) -> str:
    return draft.upper()    # forgets to keep only the first line


def first_line_as_written(draft: str) -> str:
    return draft.splitlines()[0]    # forgets the capitals


solution = headline
wrong = whole_draft_in_capitals, "draft.splitlines()[0] is the first line."
wrong_2 = first_line_as_written, "str.upper() gives the text in capitals."
'''
