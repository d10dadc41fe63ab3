"""`wfkit.teach.Exercise`: named tests in order, hints, a failed check that raises only when
``WFKIT_CHECKS_RAISE`` asks it to (a lesson's headless runs), and a reveal that waits for a try
and shows the hidden reference solution, highlighted, under the learner's name."""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import ExerciseNotSolvedError
from wfkit.teach import Exercise, report
from wfkit.teach.exercise import CHECKS_RAISE

SOLUTIONS = '''"""The answers of the shout exercise."""


def shout(text):
    return text.upper()


def whisper(text):
    return text


solution = shout
wrong = whisper
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


def test_a_failed_check_raises_when_the_kernel_is_told_to(tmp_path, monkeypatch):
    monkeypatch.setenv(CHECKS_RAISE, "1")
    with pytest.raises(ExerciseNotSolvedError, match="it shouts"):
        run(shout_exercise(tmp_path).check(lambda text: text))
    assert isinstance(ExerciseNotSolvedError("x"), AssertionError)


def test_a_passing_check_is_shown_even_when_failures_raise(tmp_path, monkeypatch):
    monkeypatch.setenv(CHECKS_RAISE, "1")
    assert run(shout_exercise(tmp_path).check(lambda text: text.upper())).passed


@pytest.mark.parametrize("value", ["", "0", "false"])
def test_a_learners_kernel_shows_a_failed_check_as_a_box(tmp_path, monkeypatch, value):
    monkeypatch.setenv(CHECKS_RAISE, value)
    assert not run(shout_exercise(tmp_path).check(lambda text: text)).passed


def test_reveal_waits_for_a_try(tmp_path):
    exercise = shout_exercise(tmp_path)
    shown = exercise.reveal()
    assert "Try first: run the check cell above" in repr(shown) and "def shout" not in repr(shown)


def test_reveal_shows_the_solution_under_the_learners_name_ready_to_paste(tmp_path):
    exercise = shout_exercise(tmp_path)
    run(exercise.check(lambda text: text))
    shown = exercise.reveal()
    assert shown.source == "def shout(text):\n    return text.upper()\n"  # the definition, nothing around it
    assert ".solutions/shout.py" in repr(shown) and "paste it over your shout" in repr(shown)
    assert "whisper" not in repr(shown)  # the known wrong answer stays hidden


def test_reveal_shows_the_solution_syntax_coloured(tmp_path):
    exercise = shout_exercise(tmp_path)
    run(exercise.check(lambda text: text))
    page = exercise.reveal()._repr_html_()
    assert "<pre" in page and 'style="color:' in page  # pygments' inline colours: no stylesheet needed
    assert "shout" in page and "upper" in page


def test_a_missing_solutions_file_says_where_it_should_be(tmp_path):
    exercise = Exercise("nothing", tmp_path / ".solutions" / "nothing.py")
    exercise.test("it runs")(lambda answer: None)
    run(exercise.check(None))
    with pytest.raises(FileNotFoundError, match=r"\.solutions/nothing\.py.*wfkit new-lesson"):
        exercise.reveal()


def test_a_checker_gets_the_answer_and_the_lessons_objects_and_counts_as_a_try(tmp_path):
    exercise = shout_exercise(tmp_path)
    seen = []

    @exercise.checker
    async def check(answer, extra):
        seen.append((answer("a"), extra))
        return report(True, "fine")

    assert run(check(str.upper, "context")).passed
    assert seen == [("A", "context")] and exercise.tried


def test_a_checkers_failure_raises_when_the_kernel_is_told_to(tmp_path, monkeypatch):
    exercise = shout_exercise(tmp_path)

    @exercise.checker
    async def check(answer):
        return report(False, "not loud enough")

    assert not run(check(None)).passed
    monkeypatch.setenv(CHECKS_RAISE, "1")
    with pytest.raises(ExerciseNotSolvedError, match="not loud enough"):
        run(check(None))
