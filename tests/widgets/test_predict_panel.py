"""Predict the next step in the run explorer (``explore(run, predict=True)``): each step after the
first stays hidden until the learner has predicted it, on the panel's buttons or with
``explorer.predict(...)``; the verdict says right or not quite, and why, then the step is shown."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import run
from tests.history.workflows import fan_workflow
from wfkit import FileCheckpointStorage, PredictionError
from wfkit.notebook import explore
from wfkit.widgets.run_explorer import RunExplorer


def predicting(**keywords) -> RunExplorer:
    """An explorer in predict mode over the fan-out / fan-in run: split, then upper and lower,
    then join."""
    workflow = fan_workflow()

    async def scenario():
        return await explore(await workflow.run("Ab"), workflow=workflow, show=False, predict=True, **keywords)

    return run(scenario())


def stops(explorer: RunExplorer) -> list[str]:
    return [label for label, _ in explorer.slider.options]


def click(explorer: RunExplorer, *choices: str) -> None:
    """Press the panel's buttons named `choices` (executor ids, routes "a -> b", or "nothing
    runs"), then Check my prediction, as a learner does."""
    panel = explorer.prediction
    buttons = {**panel.executor_buttons, **panel.route_buttons, "nothing runs": panel.nothing_runs,
               "no message waits": panel.no_message_waits}
    for choice in choices:
        buttons[choice].value = True
    panel.check.click()


def verdict_shown(explorer: RunExplorer) -> str:
    return explorer.prediction.verdict.value


# --- hidden until predicted --------------------------------------------------------------------


def test_predict_mode_shows_the_first_step_and_asks_about_the_second():
    explorer = predicting()
    assert stops(explorer) == ["1"] and explorer.number == 1
    assert "Step 1 ran: <b>split</b>" in explorer.view.value
    assert explorer.prediction.asked == 2
    assert "Predict step 2." in explorer.prediction.question.value
    assert list(explorer.prediction.executor_buttons) == ["split", "upper", "lower", "join"]
    assert list(explorer.prediction.route_buttons) == ["split -> upper", "split -> lower", "upper -> join", "lower -> join"]
    explorer.next.click()
    assert explorer.number == 1  # Next stops at the last step shown


def test_a_hidden_step_cannot_be_shown_from_code_either():
    explorer = predicting()
    with pytest.raises(PredictionError, match=r"Step 2 is hidden until you predict it: explorer\.predict\(\[\.\.\.\]\) first\."):
        explorer.show(2)
    assert explorer.number == 1


# --- clicking ----------------------------------------------------------------------------------


def test_clicking_a_right_prediction_says_right_and_shows_the_step(caplog):
    explorer = predicting()
    with caplog.at_level(logging.WARNING):  # a click handler's error would only be logged
        click(explorer, "upper", "lower")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    shown = verdict_shown(explorer)
    assert "data-right='true'" in shown and "✔ Right: step 2 ran upper and lower." in shown
    assert "because split sent each of them its str in step 1" in shown
    assert (stops(explorer), explorer.number) == (["1", "2"], 2)
    assert "Step 2 ran: <b>upper, lower</b>" in explorer.view.value
    assert explorer.prediction.asked == 3
    assert not any(b.value for b in explorer.prediction.executor_buttons.values())  # the next question starts afresh


def test_clicking_a_wrong_prediction_says_why_and_shows_the_step_all_the_same():
    explorer = predicting()
    click(explorer, "upper", "lower", "join")
    shown = verdict_shown(explorer)
    assert "data-right='false'" in shown
    assert "✘ Not quite: step 2 ran upper and lower, and you picked upper, lower and join." in shown
    assert "join did not run in step 2: it sits behind a join" in shown
    assert explorer.number == 2 and explorer.prediction.asked == 3


def test_the_arrows_picked_are_checked_too():
    explorer = predicting()
    click(explorer, "upper", "lower", "split -> upper")
    shown = verdict_shown(explorer)
    assert "Right about the executors: step 2 ran upper and lower. Not quite about where messages wait." in shown
    assert "Nothing was sent along split -&gt; upper in step 2." in shown


def test_checking_with_nothing_picked_asks_to_pick_first_and_reveals_nothing():
    explorer = predicting()
    click(explorer)
    assert "Pick the executors you expect to run in step 2" in verdict_shown(explorer)
    assert (stops(explorer), explorer.prediction.predictions) == (["1"], [])


def test_nothing_runs_and_an_executor_lift_each_other():
    panel = predicting().prediction
    panel.executor_buttons["upper"].value = True
    panel.nothing_runs.value = True
    assert not panel.executor_buttons["upper"].value
    panel.executor_buttons["join"].value = True
    assert not panel.nothing_runs.value


def test_after_the_last_step_the_panel_gives_the_score():
    explorer = predicting()
    click(explorer, "upper")  # not quite
    click(explorer, "join", "no message waits")  # right
    assert explorer.prediction.asked == 0
    assert "You predicted 1 of 2 steps right." in explorer.prediction.question.value
    assert explorer.prediction.choices.layout.display == "none"
    assert stops(explorer) == ["1", "2", "3"]
    explorer.show(1)  # every step may be looked at again


# --- from code ---------------------------------------------------------------------------------


def test_predict_from_code_returns_the_verdict_and_moves_on():
    explorer = predicting()
    verdict = explorer.predict(["upper", "lower"], waiting=["upper -> join", "lower -> join"])
    assert verdict.right and verdict.step == 2
    assert "The join hands them to join together, as one list." in verdict.explanation
    assert explorer.number == 2 and "✔ Right" in verdict_shown(explorer)
    last = explorer.predict("join")
    assert last.right and explorer.number == 3


def test_an_unknown_executor_id_is_refused_and_nothing_is_revealed():
    explorer = predicting()
    with pytest.raises(PredictionError, match=r"'uper' \(did you mean 'upper'\?\) is not an executor of this workflow"):
        explorer.predict(["uper", "lower"])
    assert stops(explorer) == ["1"] and explorer.prediction.predictions == []


def test_without_predict_mode_predict_checks_the_step_after_the_one_shown():
    workflow = fan_workflow()

    async def scenario():
        return await explore(await workflow.run("Ab"), workflow=workflow, show=False)

    explorer = run(scenario())
    assert explorer.prediction is None and stops(explorer) == ["1", "2", "3"]
    with pytest.raises(PredictionError, match="Step 3 is the last step of main: there is no next step to predict"):
        explorer.predict(["join"])
    explorer.show(1)
    assert explorer.predict(["upper", "lower"]).right and explorer.number == 2


def test_a_storage_read_in_the_background_is_asked_about_once_its_steps_are_in(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    run(fan_workflow(storage).run("Ab"))

    async def scenario():
        return await explore(storage, factory=lambda: fan_workflow(storage), show=False, predict=True)

    explorer = run(scenario())
    assert (stops(explorer), explorer.prediction.asked) == (["1"], 2)
    assert explorer.predict(["upper", "lower"]).right


# --- where widgets cannot run --------------------------------------------------------------------


def test_the_static_copy_keeps_each_hidden_step_behind_its_question():
    explorer = predicting()
    page = explorer.static_html()
    assert "Step 1 ran: <b>split</b>" in page
    before_answers, answers = page.split("<details>", 1)
    assert "Predict step 2.</b> Which executors will run in it?" in before_answers
    assert "Step 2 ran:" not in before_answers and "Step 2 ran: <b>upper, lower</b>" in answers
    assert "<summary>Show step 2 and why</summary>" in answers
    assert page.count("<details>") == 2  # steps 2 and 3
    explorer.predict(["upper", "lower"])
    page = explorer.static_html()
    assert page.count("<details>") == 1 and "✔ Right: step 2 ran upper and lower." in page


def test_the_log_and_the_tools_wait_until_every_step_is_predicted():
    explorer = predicting()
    hidden = [explorer.step_log, explorer.toolbar, explorer.hint]
    assert [part.layout.display for part in hidden] == ["none"] * 3  # they would tell the hidden steps
    explorer.predict(["upper", "lower"])
    assert [part.layout.display for part in hidden] == ["none"] * 3
    explorer.predict(["join"])  # the last step: nothing is hidden any more
    assert [part.layout.display for part in hidden] == [""] * 3
    assert "join" in explorer.step_log.view.value  # the log tells the whole run now
