"""Streaming in AF b251007: `async for event in workflow.run_stream(message)` shows the run as it
happens (started, supersteps, each executor invoked and completed, outputs, the final status),
and leaving the loop early does not leave the workflow stuck."""

from __future__ import annotations

from tests.conftest import run
from wfkit import (
    ExecutorCompletedEvent,
    ExecutorInvokedEvent,
    Never,
    SuperStepCompletedEvent,
    SuperStepStartedEvent,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowOutputEvent,
    WorkflowRunState,
    WorkflowStartedEvent,
    WorkflowStatusEvent,
    executor,
)


@executor(id="spell")
async def spell(word: str, ctx: WorkflowContext[str]) -> None:
    for letter in word:
        await ctx.send_message(letter)


@executor(id="say")
async def say(letter: str, ctx: WorkflowContext[Never, str]) -> None:
    await ctx.yield_output(letter.upper())


def spelling():
    return WorkflowBuilder().set_start_executor(spell).add_edge(spell, say).build()


def streamed(workflow, message) -> list:
    async def collect():
        return [event async for event in workflow.run_stream(message)]

    return run(collect())


def test_the_stream_starts_with_the_started_event():
    assert isinstance(streamed(spelling(), "ab")[0], WorkflowStartedEvent)


def test_the_stream_ends_with_the_idle_status():
    last = streamed(spelling(), "ab")[-1]
    assert isinstance(last, WorkflowStatusEvent) and last.state is WorkflowRunState.IDLE


def test_outputs_are_streamed_as_they_are_yielded():
    assert [e.data for e in streamed(spelling(), "abc") if isinstance(e, WorkflowOutputEvent)] == ["A", "B", "C"]


def test_every_message_is_one_invocation_of_its_executor():
    events = streamed(spelling(), "abc")
    assert [e.executor_id for e in events if isinstance(e, ExecutorInvokedEvent)] == ["spell", "say", "say", "say"]
    assert len([e for e in events if isinstance(e, ExecutorCompletedEvent)]) == 4


def test_supersteps_are_numbered_and_bracket_their_work():
    events = streamed(spelling(), "ab")
    started = [e.iteration for e in events if isinstance(e, SuperStepStartedEvent)]
    completed = [e.iteration for e in events if isinstance(e, SuperStepCompletedEvent)]
    assert started == completed and len(started) == 2 and started[0] < started[1]


def test_leaving_the_stream_early_leaves_the_workflow_ready_to_run_again():
    workflow = spelling()

    async def first_output_only():
        async for event in workflow.run_stream("xyz"):
            if isinstance(event, WorkflowOutputEvent):
                return event.data

    assert run(first_output_only()) == "X"
    assert run(workflow.run("ok")).get_outputs() == ["O", "K"]
