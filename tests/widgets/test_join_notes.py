"""RunView's note at the end of a run: a join left waiting is said in words, not only logged."""

from __future__ import annotations

from tests.conftest import run
from tests.core.test_joins import document_flow, silent_metadata
from wfkit import WorkflowContext, WorkflowRunState, executor
from wfkit.widgets import RunView


def waiting_join_workflow():
    return document_flow(silent_metadata).build()


def test_the_note_says_which_join_is_still_waiting_and_for_whom():
    async def scenario():
        view = RunView(waiting_join_workflow(), min_redraw_interval=0)
        assert await view.run("page 1") is WorkflowRunState.IDLE
        return view

    view = run(scenario())
    assert "'merge'" in view.note and "'metadata'" in view.note
    assert "waiting" in view.note
    assert "waiting" in view.status.value  # the status line shows the note


def test_a_run_that_completes_its_join_has_no_note():
    @executor(id="metadata")
    async def sending_metadata(page: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(f"metadata of {page}")

    workflow = document_flow(sending_metadata).build()

    async def scenario():
        view = RunView(workflow, min_redraw_interval=0)
        await view.run("page 1")
        return view

    assert run(scenario()).note == ""
