"""`wfkit.teach.solutions`: a solutions file read as text (the reference solution under the
learner's name, known wrong answers each with the hint it must get, `solution = ...` /
`wrong = ...` / `wrong_2 = ..., "hint"`), and an answer pasted over the learner's own definition
in a lesson, as a learner pastes what reveal() shows."""

from __future__ import annotations

import nbformat
import pytest

from wfkit.teach.solutions import HiddenAnswer, learner_cell, paste_answer, pasted_over, read_hidden_answers

ANSWERS = '''"""The answers of the order desk."""


class OrderDesk(Executor):
    @handler
    async def ask(self, item: str, ctx: WorkflowContext) -> None:
        await ctx.request_info(request_data=item, response_type=bool)


@some_decorator
def always_orders(item):
    """A plausible mistake."""
    return f"ordered {item}"


solution = OrderDesk
wrong = always_orders
'''


def write(tmp_path, text: str):
    path = tmp_path / ".solutions" / "lesson_02.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


def test_the_reference_solution_is_read_under_the_learners_name_with_its_source_as_written(tmp_path):
    answers = read_hidden_answers(write(tmp_path, ANSWERS))
    assert answers.learner_name == "OrderDesk"
    assert answers.solution.source.startswith("class OrderDesk(Executor):\n    @handler\n")
    assert answers.solution.source.endswith("response_type=bool)\n")


def test_the_wrong_answer_is_read_with_its_decorators(tmp_path):
    wrong = read_hidden_answers(write(tmp_path, ANSWERS)).answer("wrong")
    assert wrong.name == "always_orders" and wrong.source.startswith("@some_decorator\ndef always_orders(item):")


def test_a_file_that_defines_solution_itself_is_told_to_use_the_learners_name(tmp_path):
    with pytest.raises(ValueError, match="under the name the learner writes"):
        read_hidden_answers(write(tmp_path, "def solution(text):\n    return text\n"))


def test_a_file_that_does_not_say_which_is_the_solution_says_what_to_add(tmp_path):
    with pytest.raises(ValueError, match="add `solution = <its name>`"):
        read_hidden_answers(write(tmp_path, "def shout(text):\n    return text\n"))


def test_a_name_the_file_does_not_define_is_named(tmp_path):
    with pytest.raises(ValueError, match="`wrong = whisper`, but the file does not define 'whisper'"):
        read_hidden_answers(write(tmp_path, "def shout(t):\n    return t\n\n\nsolution = shout\nwrong = whisper\n"))


def test_a_file_without_a_wrong_answer_says_so_when_the_wrong_answer_is_asked_for(tmp_path):
    answers = read_hidden_answers(write(tmp_path, "def shout(t):\n    return t\n\n\nsolution = shout\n"))
    with pytest.raises(ValueError, match="no known wrong answer"):
        answers.answer("wrong")


SEVERAL_WRONG = '''def shout(text):
    return text.upper() + "!"


def whisper(text):
    return text.lower()


def no_bang(text):
    return text.upper()


def twice(text):
    return text.upper() + "!!"


solution = shout
wrong_3 = twice, (
    "one '!' "
    "at the end"
)
wrong = whisper, "in capitals"
wrong_2 = no_bang, "end with '!'"
'''


def test_several_wrong_answers_are_read_in_their_order_each_with_the_hint_it_must_get(tmp_path):
    answers = read_hidden_answers(write(tmp_path, SEVERAL_WRONG))
    assert list(answers.wrong_answers) == ["wrong", "wrong_2", "wrong_3"]
    assert [(a.name, a.hint) for a in answers.wrong_answers.values()] == [
        ("whisper", "in capitals"), ("no_bang", "end with '!'"), ("twice", "one '!' at the end"),
    ]
    assert answers.answer("wrong_2").source == "def no_bang(text):\n    return text.upper()\n"
    assert answers.wrong == answers.answer("wrong") and answers.solution.hint == ""


def test_a_single_wrong_answer_without_a_hint_still_reads(tmp_path):
    answers = read_hidden_answers(write(tmp_path, ANSWERS))
    assert list(answers.wrong_answers) == ["wrong"] and answers.answer("wrong").hint == ""


def test_asking_for_a_wrong_answer_the_file_lacks_names_those_it_has(tmp_path):
    answers = read_hidden_answers(write(tmp_path, SEVERAL_WRONG))
    with pytest.raises(ValueError, match=r"no known wrong answer named 'wrong_4' \(it has: wrong, wrong_2, wrong_3\)"):
        answers.answer("wrong_4")


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ('wrong = whisper, 42', 'write `wrong = a_mistake, "words of the hint it must get"`, not `wrong = \\(whisper, 42\\)`'),
        ('wrong_2 = whisper, ""', "write `wrong_2 = a_mistake"),
        ('solution = shout, "a hint"', "write `solution = my_answer`"),
        ("wrong2 = whisper", "name the wrong answers wrong, wrong_2, wrong_3"),
        ("wrong_1 = whisper", "the first is plain `wrong`"),
    ],
)
def test_an_answer_line_written_wrongly_says_how_to_write_it_and_where(tmp_path, line, said):
    text = "def shout(t):\n    return t\n\n\ndef whisper(t):\n    return t\n\n\nsolution = shout\n" + line + "\n"
    if line.startswith("solution"):
        text = text.replace("solution = shout\n", "")
    with pytest.raises(ValueError, match=r"lesson_02\.py, line \d+: .*" + said):
        read_hidden_answers(write(tmp_path, text))


def test_a_missing_file_says_where_it_should_be(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"\.solutions/nothing\.py.*wfkit new-lesson"):
        read_hidden_answers(tmp_path / ".solutions" / "nothing.py")


LEARNERS_CELL = '''from exercises import lesson_02


class OrderDesk(Executor):
    @handler
    async def ask(self, item: str, ctx: WorkflowContext) -> None:
        ...  # TODO


print("defined")'''


def test_pasting_replaces_only_the_learners_definition(tmp_path):
    solution = read_hidden_answers(write(tmp_path, ANSWERS)).solution
    pasted = pasted_over(LEARNERS_CELL, "OrderDesk", solution)
    assert pasted.startswith("from exercises import lesson_02\n\n\n" + solution.source)
    assert pasted.endswith('\n\n\nprint("defined")') and "TODO" not in pasted


def test_an_answer_under_another_name_is_given_the_learners_name_when_pasted():
    wrong = HiddenAnswer("always_orders", "def always_orders(item):\n    return item\n")
    pasted = pasted_over("def OrderDesk(item):\n    return None", "OrderDesk", wrong)
    assert pasted == "def always_orders(item):\n    return item\n\nOrderDesk = always_orders"


def test_a_cell_that_awaits_at_top_level_can_be_pasted_over():
    answer = HiddenAnswer("shout", "def shout(t):\n    return t.upper()\n")
    pasted = pasted_over("def shout(t):\n    return t\n\nawait check(shout)", "shout", answer)
    assert pasted == "def shout(t):\n    return t.upper()\n\nawait check(shout)"


def lesson(*sources: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    return notebook


def test_the_learners_cell_is_the_one_code_cell_that_defines_the_name():
    notebook = lesson("import wfkit", "%time x = 1", LEARNERS_CELL, "await lesson_02.check(OrderDesk)")
    assert learner_cell(notebook, "OrderDesk") == 2


@pytest.mark.parametrize(
    ("sources", "said"),
    [(("import wfkit",), "no code cell defines it"), (("OrderDesk = 1", "class OrderDesk: ..."), "cells 1, 2 all define it")],
)
def test_a_lesson_without_exactly_one_learners_cell_says_what_it_found(sources, said):
    with pytest.raises(ValueError, match=said):
        learner_cell(lesson(*sources), "OrderDesk")


def test_paste_answer_changes_the_learners_cell_in_the_notebook(tmp_path):
    notebook = lesson("import wfkit", LEARNERS_CELL, "await lesson_02.check(OrderDesk)")
    changed = paste_answer(notebook, read_hidden_answers(write(tmp_path, ANSWERS)), "wrong")
    assert changed == 1 and notebook.cells[1].source.count("OrderDesk = always_orders") == 1
    assert notebook.cells[2].source == "await lesson_02.check(OrderDesk)"
