"""The run explorer's log of what each step did, linked with its graph both ways, and its keys:
a click on a box narrows the log to that executor; a click on a line moves to its step and
highlights its executor and arrow; ← → step and Enter forks. Clicks and keys arrive as the page
sends them (`tests/widgets/page_clicks.py`)."""

from __future__ import annotations

import asyncio

from tests.conftest import run
from tests.history.workflows import approval_workflow, fan_workflow
from tests.widgets.page_clicks import click, press
from wfkit import FileCheckpointStorage
from wfkit.history import RunHistory
from wfkit.notebook import explore
from wfkit.notebook import run as notebook_run
from wfkit.widgets.run_explorer import RunExplorer
from wfkit.widgets.step_log import lines_of


def fan_explorer(tmp_path, storage: bool = True) -> RunExplorer:
    """split -> (upper, lower) -> join, recorded with checkpoints (or without)."""
    kept = FileCheckpointStorage(tmp_path) if storage else None
    workflow = fan_workflow(kept)

    async def scenario():
        return await RunExplorer(RunHistory.from_events(workflow, await workflow.run("Ab")))

    return run(scenario())


def texts(explorer: RunExplorer) -> list[str]:
    return [f"{line.number} {line.kind}: {line.text}" for line in explorer.step_log.visible_lines()]


def index_of(explorer: RunExplorer, text: str) -> int:
    return next(index for index, line in enumerate(explorer.step_log.lines) if text in line.text)


# --- the log -----------------------------------------------------------------------------------


def test_the_log_says_what_each_step_did_one_line_a_thing(tmp_path):
    explorer = fan_explorer(tmp_path)
    assert texts(explorer) == [
        "1 step: ran split",
        "1 message: split received str 'Ab', the run's input",
        "1 state: state added: shared:text",
        "2 step: ran upper, lower",
        "2 message: upper received str 'Ab', from split",
        "2 message: lower received str 'Ab', from split",
        "2 state: state added: upper:made",
        "3 step: ran join",
        "3 message: join received str 'AB', from upper",
        "3 message: join received str 'ab', from lower",
        "3 output: output: 'AB+ab'",
        "3 state: state added: shared:joined",
    ]
    # each line names its step in the first column and can be clicked; a line of the step shown is tinted
    assert "<i>step 2</i>" in explorer.step_log.view.value and "data-pick='line:4'" in explorer.step_log.view.value
    assert explorer.step_log.view.marked == ["step:2"]  # the last step is shown: position 2


def test_a_history_read_from_checkpoints_alone_has_its_log_too(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    run(approval_workflow(storage).run("cats"))
    explorer = run(explore(storage, factory=lambda: approval_workflow(storage), show=False))
    # checkpoints keep no first message: the first step is known by what it ran and changed
    assert texts(explorer)[:2] == ["1 step: ran draft", "1 state: state added: shared:draft"]
    assert any("gate asked: Approval(draft='Draft about cats')" in text for text in texts(explorer))


def test_the_step_shown_is_tinted_in_the_log_as_the_learner_steps(tmp_path):
    explorer = fan_explorer(tmp_path)
    explorer.show(1)
    assert explorer.step_log.view.marked == ["step:0"]
    explorer.next.click()
    assert explorer.step_log.view.marked == ["step:1"]
    assert "data-marks='step:1'" in explorer.step_log.view.value


# --- graph -> log ------------------------------------------------------------------------------


def test_a_click_on_a_box_shows_only_that_executors_lines_and_highlights_its_arrows(tmp_path):
    explorer = fan_explorer(tmp_path)
    click(explorer.view, "node:upper")
    assert texts(explorer) == [
        "2 step: ran upper, lower",
        "2 message: upper received str 'Ab', from split",
        "2 state: state added: upper:made",
        "3 message: join received str 'AB', from upper",
    ]
    assert explorer.step_log.focus.layout.display == ""
    assert "Showing only <b>upper</b>'s lines (4 of 12)" in explorer.step_log.focus.text.value
    assert explorer.view.marked == ["node:upper", "edge:split->upper", "edge:upper->(join 1)"]
    explorer.show(1)
    assert explorer.view.marked == ["node:upper", "edge:split->upper", "edge:upper->(join 1)"]  # kept as the learner steps


def test_show_all_or_a_second_click_brings_every_line_back_and_clears_the_highlight(tmp_path):
    explorer = fan_explorer(tmp_path)
    every = texts(explorer)
    click(explorer.view, "node:join")
    explorer.step_log.focus.show_all.click()
    assert texts(explorer) == every and explorer.view.marked == []
    click(explorer.view, "node:join")
    click(explorer.view, "node:join")
    assert texts(explorer) == every and explorer.view.marked == [] and explorer.step_log.only_executor == ""


# --- log -> graph ------------------------------------------------------------------------------


def test_a_click_on_a_line_moves_to_its_step_and_highlights_its_executor_and_arrow(tmp_path):
    explorer = fan_explorer(tmp_path)
    line = index_of(explorer, "lower received")
    click(explorer.step_log.view, f"line:{line}")
    assert explorer.number == 2 and "step 2 of 3" in explorer.view.value
    assert explorer.view.marked == ["node:lower", "edge:split->lower"]
    assert explorer.step_log.view.marked == ["step:1", f"line:{line}"]
    # through a join: the arrow in, and the join's arrow on to its target
    click(explorer.step_log.view, f"line:{index_of(explorer, 'join received')}")
    assert explorer.number == 3
    assert explorer.view.marked == ["node:join", "edge:upper->(join 1)", "edge:(join 1)->join"]


def test_a_click_on_a_steps_first_line_moves_there_and_highlights_nothing(tmp_path):
    explorer = fan_explorer(tmp_path)
    click(explorer.step_log.view, f"line:{index_of(explorer, 'ran split')}")
    assert explorer.number == 1 and explorer.view.marked == []


def test_the_same_works_on_a_fork_of_the_run(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    result = run(notebook_run(approval_workflow(storage), "cats", answers=[True], show=False))

    async def scenario():
        explorer = await explore(result, factory=lambda: approval_workflow(storage), show=False)
        asked = next(step for step in explorer.steps if step.pending_requests)
        [request_id] = asked.pending_requests
        await explorer.fork(asked.number, {request_id: False})
        return explorer

    explorer = run(scenario())
    assert any("output: 'rejected: Draft about cats'" in text for text in texts(explorer))
    click(explorer.step_log.view, f"line:{index_of(explorer, 'ran draft')}")
    assert explorer.number == 1 and explorer.history.branch.name == "fork 1"


# --- keys --------------------------------------------------------------------------------------


def test_the_arrow_keys_step_on_the_picture_and_on_the_log(tmp_path):
    explorer = fan_explorer(tmp_path)
    press(explorer.view, "ArrowLeft")
    assert explorer.number == 2
    press(explorer.step_log.view, "ArrowLeft")
    press(explorer.step_log.view, "ArrowLeft")
    assert explorer.number == 1
    press(explorer.view, "ArrowRight")
    assert explorer.number == 2
    assert explorer.view.hotkeys == explorer.step_log.view.hotkeys == ["ArrowLeft", "ArrowRight", "Enter"]


def test_enter_forks_from_the_step_shown(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    result = run(notebook_run(approval_workflow(storage), "cats", answers=[True], show=False))

    async def scenario():
        explorer = await explore(result, factory=lambda: approval_workflow(storage), show=False)
        explorer.show(1)
        press(explorer.view, "Enter")
        for _ in range(500):
            await asyncio.sleep(0.01)
            if len(explorer.history.branches) == 2 and not explorer.forking:
                break
        return explorer

    explorer = run(scenario())
    fork = explorer.history.branch
    assert (fork.name, fork.parent, fork.from_step, fork.ending) == ("fork 1", "main", 1, "paused")  # asked again
    assert "Forked from step 1 of main: fork 1 is shown." in explorer.message.value


def test_enter_on_a_run_without_checkpoints_says_why_it_cannot_fork(tmp_path):
    explorer = fan_explorer(tmp_path, storage=False)
    press(explorer.view, "Enter")
    assert "kept no checkpoints, so no fork can leave from its steps" in explorer.message.value
    assert len(explorer.history.branches) == 1
    assert explorer.edit_toggle.layout.display == "none"  # nothing to edit either


def test_lines_of_no_steps_is_no_lines():
    assert lines_of([]) == []
