"""An exercise's hidden answers: the reference solution a learner may reveal, and the known wrong
answers its check must refuse, each with the hint a learner who gives it must read.

They live in ``.solutions/<module>.py`` in the lesson's folder (JupyterLab's file browser does
not list hidden folders, so a learner does not open it by chance), written as the learner would
write them, under the learner's own name, and shown or run in the lesson's namespace. So the file
is read as text, never imported, and an answer uses the lesson's names (``Executor``, a class the
lesson defined) freely::

    def my_cases(on_call, billing, general):      # the reference solution, as reveal() shows it
        ...


    def billing_first(on_call, billing, general):  # a plausible mistake: the billing case first
        ...


    def no_default(on_call, billing, general):     # another: forgets the tickets no case takes
        ...


    solution = my_cases
    wrong = billing_first, "put the urgent case first"
    wrong_2 = no_default, "Default(target=general)"

``solution = NAME`` says which definition is the reference solution, and so what the learner's
own definition is called. Each ``wrong = OTHER`` (then ``wrong_2``, ``wrong_3``...) names a known
wrong answer and, after a comma, a piece of the hint the check must show for it: the words of
the red "Not yet" box a learner who made that mistake reads. A wrong answer without a hint
(``wrong = OTHER``) is only required to be refused.

A lesson's headless runs use the same text: `paste_answer` replaces the learner's definition in
the lesson with one of them, so the reference solution is checked exactly as a learner who
pastes it from ``reveal()`` would run it, and each wrong answer as a learner who made that
mistake would.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

SOLUTION = "solution"  # the name that says which definition is the reference solution
WRONG_KIND = re.compile(r"wrong(?:_([2-9]|[1-9][0-9]+))?")  # wrong, wrong_2, wrong_3 ... name the wrong answers
_NUMBERED_LIKE_WRONG = re.compile(r"wrong_?[0-9]+")  # a slip such as wrong2 or wrong_1, said so rather than ignored
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_PARSE_FLAGS = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT  # a notebook cell may `await` at top level


def is_wrong_kind(kind: str) -> bool:
    """True for the names a solutions file gives its wrong answers: ``wrong``, ``wrong_2``, ``wrong_3``..."""
    return WRONG_KIND.fullmatch(kind) is not None


def _wrong_number(kind: str) -> int:
    """1 for ``wrong``, 2 for ``wrong_2``: the order the runs take them in."""
    found = WRONG_KIND.fullmatch(kind)
    return int(found.group(1)) if found and found.group(1) else 1


@dataclass(frozen=True)
class HiddenAnswer:
    """One answer of a solutions file: the name it is defined under, its definition as written,
    and, for a wrong answer, the words of the hint its check must show ("" when none are written)."""

    name: str
    source: str
    hint: str = ""


@dataclass(frozen=True)
class HiddenAnswers:
    """A solutions file, read: the reference `solution`, named as the learner's answer is, and the
    known wrong answers, by the name the file gives each (``wrong``, ``wrong_2``...), in order."""

    file: Path
    solution: HiddenAnswer
    wrong_answers: dict[str, HiddenAnswer] = field(default_factory=dict)

    @property
    def learner_name(self) -> str:
        """The name the learner's own answer is defined under (``my_cases``, ``OrderDesk``)."""
        return self.solution.name

    @property
    def wrong(self) -> HiddenAnswer | None:
        """The first known wrong answer (None when the file has none)."""
        return next(iter(self.wrong_answers.values()), None)

    def answer(self, kind: str) -> HiddenAnswer:
        """The ``"solution"``, or the wrong answer named `kind` (``"wrong"``, ``"wrong_2"``...)."""
        if kind == SOLUTION:
            return self.solution
        if not is_wrong_kind(kind):
            raise ValueError(
                f"An exercise's hidden answers are the solution and wrong, wrong_2, wrong_3...; not {kind!r}."
            )
        if kind not in self.wrong_answers:
            written = ", ".join(self.wrong_answers) or "none"
            raise ValueError(
                f"{self.file} has no known wrong answer named {kind!r} (it has: {written}): define a plausible "
                f'mistake there and add `{kind} = <its name>, "<words of the hint it must get>"`, so the lesson\'s '
                "runs can make sure the check refuses it."
            )
        return self.wrong_answers[kind]


def read_hidden_answers(path: str | Path) -> HiddenAnswers:
    """Read the solutions file at `path` (see the module docstring); a file that is missing, or
    does not say which definition is which, raises an error that says what to write."""
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(
            f"The exercise's answers should be in {file}, which does not exist. Write the reference solution "
            "there under the learner's name, wrong answers, and `solution = ...` / `wrong = ...` "
            "(wfkit new-lesson makes one to start from)."
        )
    text = file.read_text(encoding="utf-8")
    try:
        module = ast.parse(text, filename=str(file))
    except SyntaxError as error:
        raise ValueError(f"{file} is not valid Python (line {error.lineno}: {error.msg}).") from None
    definitions = _definitions(module)
    if SOLUTION in definitions:
        raise ValueError(
            f"{file} defines `solution` itself. Define the reference solution under the name the learner "
            "writes (def my_answer...), then say which it is: `solution = my_answer`."
        )
    chosen = _chosen_answers(module, file)
    if SOLUTION not in chosen:
        raise ValueError(f"{file} does not say which definition is the reference solution: add `solution = <its name>`.")
    answers = {}
    for kind, (name, hint) in chosen.items():
        if name not in definitions:
            raise ValueError(f"{file}: `{kind} = {name}`, but the file does not define {name!r}.")
        answers[kind] = HiddenAnswer(name, _source_of(definitions[name], text), hint)
    solution = answers.pop(SOLUTION)
    return HiddenAnswers(file, solution, dict(sorted(answers.items(), key=lambda item: _wrong_number(item[0]))))


def _definitions(module: ast.Module) -> dict[str, ast.stmt]:
    """The file's top-level functions, classes and ``name = value`` lines, by name (not the
    lines that say which answer is which)."""
    found: dict[str, ast.stmt] = {}
    for node in module.body:
        if isinstance(node, _DEFINITIONS):
            found[node.name] = node
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if not _names_an_answer(node.targets[0].id):
                found[node.targets[0].id] = node
    return found


def _names_an_answer(name: str) -> bool:
    return name == SOLUTION or is_wrong_kind(name)


def _chosen_answers(module: ast.Module, file: Path) -> dict[str, tuple[str, str]]:
    """``{"solution": ("my_cases", ""), "wrong": ("billing_first", "put the urgent case first")}``
    from the file's ``solution = ...`` and ``wrong... = ...`` lines."""
    chosen = {}
    for node in module.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            continue
        kind = node.targets[0].id
        if _NUMBERED_LIKE_WRONG.fullmatch(kind) and not is_wrong_kind(kind):
            raise ValueError(
                f"{file}, line {node.lineno}: `{kind} = ...`: name the wrong answers wrong, wrong_2, wrong_3... "
                "(the first is plain `wrong`)."
            )
        if _names_an_answer(kind):
            chosen[kind] = _answer_line(kind, node, file)
    return chosen


def _answer_line(kind: str, node: ast.Assign, file: Path) -> tuple[str, str]:
    """The definition's name and the hint of one ``kind = name`` or ``kind = name, "hint"`` line."""
    value = node.value
    if isinstance(value, ast.Name):
        return value.id, ""
    parts = value.elts if isinstance(value, ast.Tuple) else []
    hinted = (
        len(parts) == 2
        and isinstance(parts[0], ast.Name)
        and isinstance(parts[1], ast.Constant)
        and isinstance(parts[1].value, str)
    )
    if kind == SOLUTION or not hinted or not parts[1].value.strip():
        example = "solution = my_answer" if kind == SOLUTION else f'{kind} = a_mistake, "words of the hint it must get"'
        raise ValueError(f"{file}, line {node.lineno}: write `{example}`, not `{ast.unparse(node)}`.")
    return parts[0].id, parts[1].value


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
    """Replace, in `notebook`, the learner's answer with the hidden ``"solution"`` or one of the
    wrong ones (``"wrong"``, ``"wrong_2"``...); return the index of the cell changed."""
    index = learner_cell(notebook, answers.learner_name)
    cell = notebook.cells[index]
    cell.source = pasted_over(cell.source, answers.learner_name, answers.answer(kind))
    return index
