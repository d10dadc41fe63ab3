"""`wfkit.teach.Exercise`: named tests in order, hints, the yours / solution / wrong switch,
strict mode, and a reveal that waits for a try and reads the hidden solutions file."""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import ExerciseNotSolvedError
from wfkit.teach import Exercise

SOLUTIONS = '''
def solution(text):
    return text.upper()


def wrong(text):
    return text
'''


def shout_exercise(tmp_path) -> Exercise:
    solutions = tmp_path / ".solutions" / "shout.py"
    solutions.parent.mkdir()
    solutions.write_text(SOLUTIONS)
    exercise = Exercise("shout", solutions)

    @exercise.test("it returns text")
    def returns_text(shout):
        assert isinstance(shout("hi"), str), "shout(...) should return a str"

    @exercise.test("it shouts", hint="str.upper() gives capitals.")
    async def shouts(shout):
        assert shout("hi") == "HI", f"shout('hi') gave {shout('hi')!r}"

    return exercise


def test_an_answer_that_passes_every_test_is_solved_and_the_report_names_them(tmp_path):
    result = run(shout_exercise(tmp_path).check(lambda text: text.upper()))
    assert result.passed
    assert result.message == "All 2 checks passed: it returns text; it shouts."
    assert "✓ Solved" in result._repr_html_()


def test_the_first_failing_test_is_reported_with_its_message_and_hint(tmp_path):
    result = run(shout_exercise(tmp_path).check(lambda text: text))
    assert not result.passed
    assert result.message == "1 of 2 checks passed. it shouts: shout('hi') gave 'hi'. Hint: str.upper() gives capitals."
    assert "✗ Not yet" in repr(result)


def test_an_answer_that_raises_is_reported_as_such_and_later_tests_do_not_run(tmp_path):
    result = run(shout_exercise(tmp_path).check(lambda text: 1 / 0))
    assert result.message.startswith("it returns text: your answer raised ZeroDivisionError")


def test_which_picks_the_learners_answer_or_the_hidden_solution_or_the_wrong_one(tmp_path):
    exercise = shout_exercise(tmp_path)
    assert run(exercise.check(None, which="solution", strict=True)).passed
    with pytest.raises(ExerciseNotSolvedError):
        run(exercise.check(None, which="wrong", strict=True))
    with pytest.raises(ValueError, match="'yours', 'solution', 'wrong'"):
        run(exercise.check(None, which="mine"))


def test_strict_turns_a_not_yet_into_an_error(tmp_path):
    with pytest.raises(ExerciseNotSolvedError, match="it shouts"):
        run(shout_exercise(tmp_path).check(None, which="wrong", strict=True))
    assert isinstance(ExerciseNotSolvedError("x"), AssertionError)


def test_reveal_waits_for_a_try_then_prints_the_solution_from_its_file(tmp_path, capsys):
    exercise = shout_exercise(tmp_path)
    exercise.reveal()
    assert "Try first" in capsys.readouterr().out
    run(exercise.check(lambda text: text))
    exercise.reveal()
    shown = capsys.readouterr().out
    assert "def solution(text):\n    return text.upper()" in shown and ".solutions/shout.py" in shown


def test_a_missing_solutions_file_says_where_it_should_be(tmp_path):
    exercise = Exercise("nothing", tmp_path / ".solutions" / "nothing.py")
    with pytest.raises(FileNotFoundError, match=r"\.solutions/nothing\.py.*wfkit new-lesson"):
        exercise.solution


def test_a_checker_gets_the_chosen_answer_and_counts_as_a_try(tmp_path):
    exercise = shout_exercise(tmp_path)
    seen = []

    @exercise.checker
    async def check(answer, extra, strict=False):
        seen.append((answer("a"), extra, strict))
        from wfkit.teach import report

        return report(True, "fine", strict)

    assert run(check(None, "context", which="solution", strict=True)).passed
    assert seen == [("A", "context", True)] and exercise.tried
