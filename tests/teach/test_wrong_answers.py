"""Several wrong answers per exercise, each with the hint its learner must read: `check-lessons`
and `pytest --lessons` run each one, and fail, naming the lesson, the exercise and the wrong
answer, when the check lets it pass or shows another hint than the one written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.teach.tiny_lessons import SHOUT_ANSWERS, shout_lesson
from wfkit.teach.cli import main
from wfkit.teach.lessons import run_lesson, runs_of
from wfkit.teach.solutions import read_hidden_answers


def check_lessons(folder: Path, capsys) -> tuple[int, dict[str, str]]:
    """`wfkit check-lessons folder`: its exit status and its PASS / FAIL lines, by run."""
    status = main(["check-lessons", str(folder), "-j", "2"])
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith(("PASS", "FAIL"))]
    return status, {line.split()[2]: line for line in printed}


def test_each_wrong_answer_gets_its_own_run(tmp_path: Path):
    assert runs_of(shout_lesson(tmp_path)) == ["defaults", "solution", "wrong", "wrong_2"]


def test_every_wrong_answer_refused_with_its_hint_passes(tmp_path: Path, capsys):
    shout_lesson(tmp_path)
    status, lines = check_lessons(tmp_path, capsys)
    assert status == 0, lines
    assert sorted(lines) == ["defaults", "solution", "wrong", "wrong_2"]
    for kind in ("wrong", "wrong_2"):
        assert lines[kind].startswith("PASS") and "refused it, as it must, with the hint written" in lines[kind]


def test_a_wrong_answer_the_check_lets_pass_fails_naming_the_lesson_the_exercise_and_the_answer(tmp_path: Path, capsys):
    answers = SHOUT_ANSWERS.replace("return text.upper()\n", 'return text.upper() + "!"    # right after all\n')
    shout_lesson(tmp_path, answers)
    status, lines = check_lessons(tmp_path, capsys)
    assert status == 1
    assert lines["wrong"].startswith("PASS")
    failed = lines["wrong_2"]
    assert failed.startswith("FAIL") and "01_shout.ipynb" in failed
    assert "exercise lesson_shout: the check passed the known wrong answer wrong_2 (no_bang): make it refuse it" in failed


def test_a_wrong_answer_refused_with_another_hint_fails_quoting_what_the_learner_reads(tmp_path: Path):
    answers = SHOUT_ANSWERS.replace('"a single \'!\'"', '"str.upper() gives the text in capitals."')
    result = run_lesson(shout_lesson(tmp_path, answers), "wrong_2")
    assert not result.passed
    assert result.detail.startswith(
        "exercise lesson_shout: the check refused the wrong answer wrong_2 (no_bang) with another hint than the one written"
    )
    assert "the learner reads \"1 of 2 checks passed. it ends with one '!': it returned 'HI'. Hint: Add a single" in result.detail
    assert result.detail.endswith("which does not say 'str.upper() gives the text in capitals.'")


def test_a_wrong_answer_without_a_hint_is_only_required_to_be_refused(tmp_path: Path):
    answers = SHOUT_ANSWERS.replace('no_bang, "a single \'!\'"', "no_bang")
    result = run_lesson(shout_lesson(tmp_path, answers), "wrong_2")
    assert result.passed and result.detail == "the check refused it, as it must (no hint written to compare)"


def test_pytest_lessons_fails_the_item_of_the_wrong_answer_with_another_hint(tmp_path: Path):
    shout_lesson(tmp_path, SHOUT_ANSWERS.replace('"a single \'!\'"', '"str.upper()"'))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "--lessons", ".", "--rootdir", ".",
         "-k", "wrong"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    outcomes = {line.split()[1]: line.split()[0] for line in done.stdout.splitlines() if line.startswith(("PASSED ", "FAILED "))}
    assert outcomes == {"01_shout.ipynb::wrong": "PASSED", "01_shout.ipynb::wrong_2": "FAILED"}, done.stdout[-3000:]
    assert "refused the wrong answer wrong_2 (no_bang) with another hint" in done.stdout


def test_a_new_lesson_passes_check_lessons_with_its_two_wrong_answers_and_their_hints(tmp_path: Path, capsys):
    assert main(["new-lesson", str(tmp_path / "01_first_steps.ipynb")]) == 0
    answers = read_hidden_answers(tmp_path / ".solutions" / "lesson_01_first_steps.py")
    assert [bool(wrong.hint) for wrong in answers.wrong_answers.values()] == [True, True]
    capsys.readouterr()
    status, lines = check_lessons(tmp_path, capsys)
    assert status == 0, lines
    assert sorted(lines) == ["defaults", "solution", "unanswered", "wrong", "wrong_2"]
    assert all("with the hint written" in lines[kind] for kind in ("wrong", "wrong_2")), lines
