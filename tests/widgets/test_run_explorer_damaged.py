"""The explorer of a history that is not whole: damaged checkpoints are shown and marked, and a
request whose answer type this session cannot decode leaves the explorer working, with the
place of its card saying what is missing."""

from __future__ import annotations

import dataclasses
import enum
from typing import Literal

from tests.conftest import run, run_in_new_process
from tests.history.workflows import approval_workflow, loop_workflow
from wfkit import InMemoryCheckpointStorage, register_checkpoint_type
from wfkit.checkpoint.codec import encode_value
from wfkit.checkpoint.model import PARENT_KEY
from wfkit.history import RunHistory
from wfkit.widgets.run_explorer import RunExplorer


def test_a_checkpoint_that_is_its_own_parent_is_shown_and_marked_in_the_explorer():
    storage = InMemoryCheckpointStorage()
    run(loop_workflow(storage).run(0))
    checkpoints = run(storage.list_checkpoints())
    second = checkpoints[1]
    second.metadata[PARENT_KEY] = second.checkpoint_id
    run(storage.save_checkpoint(second))

    async def scenario():
        return await RunExplorer(await RunHistory.from_storage(storage, lambda: loop_workflow(storage)))

    explorer = run(scenario())
    shown = [step for branch in explorer.history.branches for step in branch.own_steps()]
    assert len(shown) == 4
    for index, branch in enumerate(explorer.history.branches):
        explorer.branch_picker.index = index
        for step in branch.own_steps():
            explorer.show(step.number)
            if step.problem:
                assert "damaged checkpoint" in explorer.view.value and "names itself as its parent" in explorer.view.value


def test_a_request_whose_answer_class_is_in_a_cell_not_run_yet_leaves_every_step_shown_and_says_why_it_has_no_card(tmp_path):
    """Recorded in one process; explored in a fresh one, as after a kernel restart, where the cell
    that defines the answer's class (``Verdict``) has not run: every step is drawn, and only the
    fork form, which needs the class, says what to run. Once the cell has run, forking works."""
    folder = str(tmp_path)
    recorded = run_in_new_process("tests.widgets.fresh_kernel", "record", folder)
    assert recorded["state"] == "WorkflowRunState.IDLE_WITH_PENDING_REQUESTS"
    seen = run_in_new_process("tests.widgets.fresh_kernel", "explore", folder, "--run-the-cell")
    before, after = seen["before"], seen["after"]
    assert [(number, step["drawn"]) for number, step in before["steps"].items()] == [("1", True), ("2", True)]
    assert before["static_steps"] == 2 and before["steps"]["2"]["requests"] == ["'Draft about cats'"]
    [card] = before["steps"]["2"]["cards"]
    assert "gate&#x27;s request wants an answer of type Verdict, which this session cannot rebuild" in card
    assert "&#x27;__main__.Verdict&#x27;" in card
    assert "run the cell that defines Verdict (or import it), then open the explorer again" in card
    [card] = after["steps"]["2"]["cards"]
    assert card.startswith("RequestCard") and after["fork_outputs"] == ["published: Draft about cats fine"]


@register_checkpoint_type(name="tests.explorer.Mood")
class Mood(enum.Enum):
    GLAD = "glad"


def test_an_answer_type_whose_class_changed_since_says_why_in_the_checkpoints_words():
    storage = InMemoryCheckpointStorage()
    workflow = approval_workflow(storage)

    async def scenario():
        return await RunExplorer(RunHistory.from_events(workflow, await workflow.run("cats"), storage=storage))

    explorer = run(scenario())
    last = explorer.history.steps[-1]
    [(request_id, request)] = last.pending_requests.items()
    # The answer type Literal[Mood.SAD], saved before SAD was taken out of Mood: the class is
    # registered, but the checkpoint names a member it no longer has.
    saved = encode_value(Literal[Mood.GLAD])
    saved["args"][0]["value"] = "sad"
    last.pending_requests = {request_id: dataclasses.replace(request, response_type=saved)}
    explorer.show(1)
    explorer.show(last.number)  # draws the forms again
    [card] = [w for w in explorer.cards.children if "wants an answer" in getattr(w, "value", "")]
    assert "gate&#x27;s request wants an answer whose type this session cannot rebuild" in card.value
    assert "has no member with value" in card.value
