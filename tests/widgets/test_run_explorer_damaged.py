"""The explorer of a history that is not whole: damaged checkpoints are shown and marked, and a
request whose answer type this session cannot decode leaves the explorer working, with the fork
form saying what is missing."""

from __future__ import annotations

import dataclasses

from tests.conftest import run
from tests.history.workflows import approval_workflow, loop_workflow
from wfkit import InMemoryCheckpointStorage
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


def test_a_request_whose_answer_type_cannot_be_decoded_still_opens_and_the_form_says_why():
    storage = InMemoryCheckpointStorage()
    workflow = approval_workflow(storage)

    async def scenario():
        return await RunExplorer(RunHistory.from_events(workflow, await workflow.run("cats"), storage=storage))

    explorer = run(scenario())
    last = explorer.history.steps[-1]
    [(request_id, request)] = last.pending_requests.items()
    # What a checkpoint holds when the answer's class was defined in a cell not yet run.
    undecoded = {"type": "__main__:Verdict", "undecoded": True}
    last.pending_requests = {request_id: dataclasses.replace(request, response_type=undecoded)}
    explorer.history.steps[0].pending_requests = {}
    explorer.show(1)
    explorer.show(last.number)  # draws the forms again: no TypeError
    [card] = explorer.forms.children
    text = card.value if hasattr(card, "value") else " ".join(getattr(c, "value", "") for c in card.children)
    assert "cannot be decoded" in text and "Verdict" in text and "run the cell" in text
