"""What a check guards: a huge message is cut, SystemExit and a never-ending answer are reports,
`tried` comes from running the check, an answer cannot edit the tests it runs against, and
reveal() shows a solution that is a value."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import run
from tests.teach.test_exercise import shout_exercise
from wfkit.teach import Exercise
from wfkit.teach.exercise import MAX_SHOWN_CHARS


def test_a_huge_answer_gives_a_short_box_that_says_it_was_cut(tmp_path):
    result = run(shout_exercise(tmp_path).check(lambda text: "x" * 20_000_000))
    assert not result.passed and len(result._repr_html_()) < MAX_SHOWN_CHARS + 1000
    assert "cut" in result.message


def test_an_answer_that_raises_system_exit_is_a_not_yet(tmp_path):
    def quits(text):
        raise SystemExit(3)

    result = run(shout_exercise(tmp_path).check(quits))
    assert not result.passed and "SystemExit" in result.message


def test_an_async_answer_that_never_finishes_is_stopped_after_the_time_limit(tmp_path):
    exercise = Exercise("waits", tmp_path / "none.py", seconds_per_test=0.2)

    @exercise.test("it answers")
    async def answers(function):
        await function()

    result = run(exercise.check(lambda: asyncio.sleep(3600)))
    assert not result.passed and "did not finish within 0.2 s" in result.message


def test_tried_cannot_be_set_by_hand(tmp_path):
    exercise = shout_exercise(tmp_path)
    with pytest.raises(AttributeError, match="run the check cell"):
        exercise.tried = True
    assert not exercise.tried


def test_an_answer_that_empties_the_test_list_still_meets_every_test(tmp_path):
    exercise = shout_exercise(tmp_path)

    def cheat(text):
        exercise.tests.clear()
        return "not shouting"

    result = run(exercise.check(cheat))
    assert not result.passed and "it shouts" in result.message


def test_reveal_shows_a_solution_that_is_a_value(tmp_path):
    exercise = shout_exercise(tmp_path)
    exercise.solutions_file.write_text("shout = functools.partial(str.upper)\n\nsolution = shout\n")
    run(exercise.check(lambda text: text.upper()))
    assert exercise.reveal().source == "shout = functools.partial(str.upper)\n"
