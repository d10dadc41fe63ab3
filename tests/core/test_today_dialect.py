"""Agent Framework 1.x's spelling of building and running a workflow, beside the seed era's.

Today's AF names the start executor and the checkpoint storage in `WorkflowBuilder(...)`, and
has one `run(message, *, stream=, responses=, checkpoint_id=)` where the seed era has `run`,
`run_stream`, `send_responses` and `run_from_checkpoint`. wfkit takes both.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import run
from wfkit import (
    FileCheckpointStorage,
    Never,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowEventStream,
    WorkflowFailedError,
    WorkflowRunError,
    WorkflowRunState,
    WorkflowValidationError,
    executor,
    handler,
    response_handler,
    Executor,
)


@executor(id="shout")
async def shout(text: str, ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(text.upper())


@executor(id="finish")
async def finish(text: str, ctx: WorkflowContext[Never, str]) -> None:
    await ctx.yield_output(text + "!")


@dataclass
class Question:
    draft: str


class Gate(Executor):
    """Asks whether to publish a draft; yields it when the answer is yes."""

    @handler
    async def ask(self, draft: str, ctx: WorkflowContext) -> None:
        await ctx.request_info(Question(draft), bool)

    @response_handler
    async def answered(self, question: Question, yes: bool, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"published {question.draft}" if yes else "dropped")


def shouting_workflow(storage: FileCheckpointStorage | None = None):
    return WorkflowBuilder(start_executor=shout, checkpoint_storage=storage).add_edge(shout, finish).build()


def gated_workflow(storage: FileCheckpointStorage | None = None):
    gate = Gate(id="gate")
    return WorkflowBuilder(start_executor=shout, checkpoint_storage=storage).add_edge(shout, gate).build()


# --- the builder -------------------------------------------------------------------------------


def test_the_builder_takes_the_start_executor_and_the_storage_in_its_constructor(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    workflow = shouting_workflow(storage)
    assert workflow.start_executor_id == "shout"
    assert run(workflow.run("hi")).get_outputs() == ["HI!"]
    assert len(run(storage.list_checkpoints())) == 2  # one after each superstep


def test_naming_the_same_start_executor_both_ways_is_fine():
    workflow = WorkflowBuilder(start_executor=shout).add_edge(shout, finish).set_start_executor(shout).build()
    assert run(workflow.run("a")).get_outputs() == ["A!"]


def test_naming_two_different_start_executors_is_refused():
    with pytest.raises(WorkflowValidationError, match=r"start_executor=.*'shout'.*set_start_executor\('finish'\)"):
        WorkflowBuilder(start_executor=shout).add_edge(shout, finish).set_start_executor(finish)


# --- one run call --------------------------------------------------------------------------------


def test_run_with_responses_answers_the_waiting_run():
    workflow = gated_workflow()
    paused = run(workflow.run("cats"))
    assert paused.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
    [request] = paused.get_request_info_events()
    assert run(workflow.run(responses={request.request_id: True})).get_outputs() == ["published CATS"]


def test_run_with_a_checkpoint_and_responses_continues_the_saved_run_answered(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    [request] = run(gated_workflow(storage).run("dogs")).get_request_info_events()
    [saved] = [cp for cp in run(storage.list_checkpoints()) if cp.pending_requests]
    fresh = gated_workflow(storage)  # a new process would build it again
    result = run(fresh.run(checkpoint_id=saved.checkpoint_id, responses={request.request_id: False}))
    assert result.get_outputs() == ["dropped"]


def test_run_with_stream_shows_the_events_as_they_happen_and_then_the_whole_result():
    workflow = shouting_workflow()

    async def scenario():
        stream = workflow.run("hey", stream=True)
        assert isinstance(stream, WorkflowEventStream)
        kinds = [event.type async for event in stream]
        return kinds, await stream.get_final_response()

    kinds, result = run(scenario())
    assert kinds[:4] == ["started", "status", "superstep_started", "executor_invoked"]
    assert "output" in kinds and kinds[-1] == "status"
    assert result.get_outputs() == ["HEY!"] and [event.type for event in result] == kinds


def test_a_stream_can_be_awaited_first_and_its_final_response_read_without_a_loop():
    workflow = shouting_workflow()

    async def scenario():
        stream = await workflow.run("yo", stream=True)
        return await stream.get_final_response()

    assert run(scenario()).get_outputs() == ["YO!"]


def test_the_final_response_of_a_failed_stream_raises_like_a_failed_run():
    @executor(id="broken")
    async def broken(text: str, ctx: WorkflowContext) -> None:
        raise ValueError("no")

    workflow = WorkflowBuilder(start_executor=broken).build()

    async def scenario():
        await workflow.run("x", stream=True).get_final_response()

    with pytest.raises(WorkflowFailedError) as failed:
        run(scenario())
    assert isinstance(failed.value.__cause__, ValueError)


def test_status_events_can_be_kept_apart_as_agent_framework_does():
    result = run(shouting_workflow().run("a", include_status_events=False))
    assert all(event.type != "status" for event in result)
    assert [event.state for event in result.status_timeline()][-1] is WorkflowRunState.IDLE
    assert result.get_final_state() is WorkflowRunState.IDLE and result.get_outputs() == ["A!"]


def test_by_default_the_result_holds_the_status_events_as_in_the_seed_era():
    result = run(shouting_workflow().run("a"))
    assert [event for event in result if event.type == "status"] == result.status_timeline()
    assert result.status_timeline()[0].state is WorkflowRunState.IN_PROGRESS


@pytest.mark.parametrize(
    "call, says",
    [
        (lambda w: w.run("x", responses={"r": True}), "either a message .* or responses="),
        (lambda w: w.run(), "Nothing to run"),
        (lambda w: w.run("x", stream=True, include_status_events=False), "include_status_events only shapes"),
    ],
)
def test_a_run_call_that_means_nothing_is_refused_before_anything_runs(call, says):
    workflow = shouting_workflow()
    with pytest.raises(WorkflowRunError, match=says):
        call(workflow)
    assert workflow.last_run_state is None  # nothing ran
