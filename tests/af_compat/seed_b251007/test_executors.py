"""Executors in AF b251007: a class with `@handler` methods, a function made one by `@executor`,
`WorkflowContext[T_Out, T_W_Out]` saying what a handler may send and yield, dispatch by the
message's type, and a failing handler ending the run."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import run
from wfkit import (
    Executor,
    ExecutorCompletedEvent,
    ExecutorInvokedEvent,
    Never,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    WorkflowOutputEvent,
    WorkflowRunState,
    executor,
    handler,
)


@dataclass
class Parcel:
    weight_kg: float


class Scale(Executor):
    """Weighs what it is given: parcels by their weight, words by their length."""

    @handler
    async def weigh_parcel(self, parcel: Parcel, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"parcel {parcel.weight_kg} kg")

    @handler
    async def weigh_word(self, word: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"word of {len(word)} letters")


class Doubler(Executor):
    @handler
    async def double(self, number: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(number * 2)


@executor(id="announce")
async def announce(number: int, ctx: WorkflowContext[Never, str]) -> None:
    await ctx.yield_output(f"the answer is {number}")


def test_a_class_executor_yields_what_its_handler_yields():
    workflow = WorkflowBuilder().set_start_executor(Scale(id="scale")).build()
    assert run(workflow.run(Parcel(2.5))).get_outputs() == ["parcel 2.5 kg"]


def test_the_handler_is_chosen_by_the_type_of_the_message():
    workflow = WorkflowBuilder().set_start_executor(Scale(id="scale")).build()
    assert run(workflow.run("teapot")).get_outputs() == ["word of 6 letters"]


def test_send_message_reaches_the_next_executor_in_the_next_step():
    doubler = Doubler(id="doubler")
    workflow = WorkflowBuilder().set_start_executor(doubler).add_edge(doubler, announce).build()
    assert run(workflow.run(21)).get_outputs() == ["the answer is 42"]


def test_the_executor_decorator_takes_its_id_from_the_argument():
    assert announce.id == "announce"


def test_the_executor_decorator_without_arguments_names_the_executor_after_the_function():
    @executor
    async def tally(number: int, ctx: WorkflowContext[Never, int]) -> None:
        await ctx.yield_output(number + 1)

    assert tally.id == "tally"
    assert run(WorkflowBuilder().set_start_executor(tally).build().run(1)).get_outputs() == [2]


def test_a_finished_run_ends_idle_and_says_so():
    result = run(WorkflowBuilder().set_start_executor(announce).build().run(7))
    assert result.get_final_state() is WorkflowRunState.IDLE


def test_outputs_arrive_as_workflow_output_events_naming_their_executor():
    result = run(WorkflowBuilder().set_start_executor(announce).build().run(7))
    [output] = [event for event in result if isinstance(event, WorkflowOutputEvent)]
    assert output.data == "the answer is 7" and output.source_executor_id == "announce"


def test_each_executor_run_is_bracketed_by_invoked_and_completed_events():
    doubler = Doubler(id="doubler")
    result = run(WorkflowBuilder().set_start_executor(doubler).add_edge(doubler, announce).build().run(1))
    invoked = [e.executor_id for e in result if isinstance(e, ExecutorInvokedEvent)]
    completed = [e.executor_id for e in result if isinstance(e, ExecutorCompletedEvent)]
    assert invoked == completed == ["doubler", "announce"]


def test_a_handler_that_raises_fails_the_run_with_the_cause():
    @executor(id="grumpy")
    async def grumpy(number: int, ctx: WorkflowContext) -> None:
        raise ZeroDivisionError("cannot share among nobody")

    with pytest.raises(WorkflowFailedError) as failed:
        run(WorkflowBuilder().set_start_executor(grumpy).build().run(3))
    assert isinstance(failed.value.__cause__, ZeroDivisionError)


def test_executor_ids_must_be_unique_in_a_workflow():
    first, second = Doubler(id="twin"), Doubler(id="twin")
    with pytest.raises(ValueError):
        WorkflowBuilder().set_start_executor(first).add_edge(first, second).build()
