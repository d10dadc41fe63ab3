"""An exercise's hidden answers: the reference solution a learner may reveal, and a known wrong
answer its check must refuse.

They live in ``.solutions/<module>.py`` in the lesson's folder (JupyterLab's file browser does
not list hidden folders, so a learner does not open it by chance), written as the learner would
write them, under the learner's own name, and shown or run in the lesson's namespace. So the file
is read as text, never imported, and an answer uses the lesson's names (``Executor``, a class the
lesson defined) freely::

    def my_cases(on_call, billing, general):      # the reference solution, as reveal() shows it
        ...


    def billing_first(on_call, billing, general):  # a plausible mistake: the billing case first
        ...


    solution = my_cases
    wrong = billing_first

``solution = NAME`` says which definition is the reference solution, and so what the learner's
own definition is called; ``wrong = OTHER`` says which is the known wrong answer.

A lesson's headless runs use the same text: `paste_answer` replaces the learner's definition in
the lesson with one of the two, so the reference solution is checked exactly as a learner who
pastes it from ``reveal()`` would run it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import nbformat

KINDS = ("solution", "wrong")  # the two names a solutions file assigns
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_PARSE_FLAGS = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT  # a notebook cell may `await` at top level


@dataclass(frozen=True)
class HiddenAnswer:
    """One answer of a solutions file: the name it is defined under, and its definition as written."""

    name: str
    source: str


@dataclass(frozen=True)
class HiddenAnswers:
    """A solutions file, read: the reference `solution`, named as the learner's answer is, and
    the known `wrong` answer (None when the file has none)."""

    file: Path
    solution: HiddenAnswer
    wrong: HiddenAnswer | None

    @property
    def learner_name(self) -> str:
        """The name the learner's own answer is defined under (``my_cases``, ``OrderDesk``)."""
        return self.solution.name

    def answer(self, kind: str) -> HiddenAnswer:
        """The ``"solution"`` or the ``"wrong"`` answer."""
        if kind not in KINDS:
            raise ValueError(f"An exercise's hidden answers are {' and '.join(KINDS)}, not {kind!r}.")
        chosen = self.solution if kind == "solution" else self.wrong
        if chosen is None:
            raise ValueError(
                f"{self.file} has no known wrong answer: define a plausible mistake there and add "
                "`wrong = <its name>`, so the lesson's runs can make sure the check refuses it."
            )
        return chosen


def read_hidden_answers(path: str | Path) -> HiddenAnswers:
    """Read the solutions file at `path` (see the module docstring); a file that is missing, or
    does not say which definition is which, raises an error that says what to write."""
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(
            f"The exercise's answers should be in {file}, which does not exist. Write the reference solution "
            "there under the learner's name, a wrong answer, and `solution = ...` / `wrong = ...` "
            "(wfkit new-lesson makes one to start from)."
        )
    text = file.read_text(encoding="utf-8")
    try:
        module = ast.parse(text, filename=str(file))
    except SyntaxError as error:
        raise ValueError(f"{file} is not valid Python (line {error.lineno}: {error.msg}).") from None
    definitions = _definitions(module)
    if "solution" in definitions:
        raise ValueError(
            f"{file} defines `solution` itself. Define the reference solution under the name the learner "
            "writes (def my_answer...), then say which it is: `solution = my_answer`."
        )
    chosen = _assigned_names(module)
    if "solution" not in chosen:
        raise ValueError(f"{file} does not say which definition is the reference solution: add `solution = <its name>`.")
    answers = {}
    for kind, name in chosen.items():
        if name not in definitions:
            raise ValueError(f"{file}: `{kind} = {name}`, but the file does not define {name!r}.")
        answers[kind] = HiddenAnswer(name, _source_of(definitions[name], text))
    return HiddenAnswers(file, answers["solution"], answers.get("wrong"))


def _definitions(module: ast.Module) -> dict[str, ast.stmt]:
    """The file's top-level functions, classes and ``name = value`` lines, by name."""
    found: dict[str, ast.stmt] = {}
    for node in module.body:
        if isinstance(node, _DEFINITIONS):
            found[node.name] = node
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id not in KINDS:
                found[node.targets[0].id] = node
    return found


def _assigned_names(module: ast.Module) -> dict[str, str]:
    """``{"solution": "my_cases", "wrong": "billing_first"}`` from the file's ``kind = name`` lines."""
    chosen = {}
    for node in module.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in KINDS
            and isinstance(node.value, ast.Name)
        ):
            chosen[node.targets[0].id] = node.value.id
    return chosen


def _source_of(node: ast.stmt, text: str) -> str:
    """The lines of a definition, its decorators included."""
    first, last = _line_span(node)
    return "\n".join(text.splitlines()[first - 1 : last]) + "\n"


def _line_span(node: ast.stmt) -> tuple[int, int]:
    decorators = getattr(node, "decorator_list", [])
    first = min([node.lineno, *(decorator.lineno for decorator in decorators)])
    return first, node.end_lineno or node.lineno


# --- pasting an answer into a lesson --------------------------------------------------------


def defines(source: str, name: str) -> ast.stmt | None:
    """The top-level statement of a cell's `source` that defines `name` (a function, a class, or
    ``name = ...``), or None; a cell that is not plain Python (an IPython magic) defines nothing."""
    try:
        module = compile(source, "<cell>", "exec", flags=_PARSE_FLAGS)
    except SyntaxError:
        return None
    for node in module.body:
        if isinstance(node, _DEFINITIONS) and node.name == name:
            return node
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return node
    return None


def learner_cell(notebook: nbformat.NotebookNode, name: str) -> int:
    """The index of the one code cell that defines the learner's answer `name` at top level."""
    found = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code" and defines(cell.source, name)]
    if len(found) != 1:
        where = f"cells {', '.join(str(i + 1) for i in found)} all define it" if found else "no code cell defines it"
        raise ValueError(
            f"The exercise's answer is {name!r} (its solutions file says `solution = {name}`), but {where}: "
            f"define {name} in exactly one cell, the one the learner writes."
        )
    return found[0]


def pasted_over(source: str, name: str, answer: HiddenAnswer) -> str:
    """The cell `source` with its definition of `name` replaced by `answer`, as a learner pastes a
    revealed solution over their own; an answer defined under another name (the wrong one) is
    then given the learner's name, so the rest of the lesson finds it where it looks."""
    node = defines(source, name)
    if node is None:
        raise ValueError(f"The cell does not define {name!r} at top level, so there is nothing to paste over.")
    first, last = _line_span(node)
    lines = source.splitlines()
    pasted = answer.source.rstrip("\n").splitlines()
    if answer.name != name:
        pasted += ["", f"{name} = {answer.name}"]
    return "\n".join(lines[: first - 1] + pasted + lines[last:])


def paste_answer(notebook: nbformat.NotebookNode, answers: HiddenAnswers, kind: str) -> int:
    """Replace, in `notebook`, the learner's answer with the hidden ``"solution"`` or ``"wrong"``
    one; return the index of the cell changed."""
    index = learner_cell(notebook, answers.learner_name)
    cell = notebook.cells[index]
    cell.source = pasted_over(cell.source, answers.learner_name, answers.answer(kind))
    return index
