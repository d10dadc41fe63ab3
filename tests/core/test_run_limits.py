"""Run-wide reliability settings and what a failure says about retries (issue 15, points 6 and 9):
the attempt count in the final failure, `with_default_retry`, and `with_run_timeout`."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.conftest import run
from tests.core.chain_ends import sink, start
from wfkit import (
    Executor,
    ExecutorFailedEvent,
    ExecutorFailure,
    ExecutorTimeoutError,
    ExecutorRetryEvent,
    FileCheckpointStorage,
    Never,
    RetryPolicy,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    WorkflowOutputEvent,
    WorkflowRunState,
    WorkflowStatusEvent,
    WorkflowTimeoutError,
    executor,
    get_checkpoint_summary,
    handler,
    response_handler,
)
from wfkit.widgets.event_log import describe_event
from wfkit.widgets.graph_state import GraphState

QUICK = RetryPolicy(max_attempts=3, backoff_seconds=0)


def always_failing(calls: list[str], executor_id: str = "charge"):
    @executor(id=executor_id)
    async def charge(order: str, ctx: WorkflowContext[str]) -> None:
        calls.append(order)
        raise ConnectionError("gateway down")

    return charge


def flaky(calls: list[str], executor_id: str, fails: int = 1):
    @executor(id=executor_id)
    async def step(text: str, ctx: WorkflowContext[str]) -> None:
        calls.append(executor_id)
        if calls.count(executor_id) <= fails:
            raise ConnectionError(f"{executor_id} hiccup")
        await ctx.send_message(text)

    return step


def failure_of(call) -> WorkflowFailedError:
    with pytest.raises(WorkflowFailedError) as caught:
        run(call)
    return caught.value


# --- point 6: running out of retries is said ---------------------------------------------------


def test_the_final_failure_says_how_many_attempts_were_made():
    calls: list[str] = []
    charge = always_failing(calls)
    workflow = WorkflowBuilder().add_chain([start, charge, sink]).with_retry(charge, QUICK).set_start_executor(start).build()
    error = failure_of(workflow.run("order 1"))
    assert str(error) == "ConnectionError in charge after 3 attempts: gateway down"
    assert error.details.attempts == 3 and len(calls) == 3
    [failed] = [e for e in error.events if isinstance(e, ExecutorFailedEvent)]
    assert failed.details.attempts == 3
    assert "after 3 attempts" in repr(failed)
    assert "after 3 attempts" in describe_event(failed)[1]  # the event log's line


def test_a_single_attempt_is_not_called_attempts():
    calls: list[str] = []
    charge = always_failing(calls)
    workflow = WorkflowBuilder().add_chain([start, charge, sink]).set_start_executor(start).build()
    error = failure_of(workflow.run("order 1"))
    assert str(error) == "ConnectionError in charge: gateway down"
    assert error.details.attempts == 1


def test_an_error_the_policy_does_not_retry_counts_one_attempt():
    calls: list[str] = []
    charge = always_failing(calls)
    only_timeouts = RetryPolicy(max_attempts=3, backoff_seconds=0, retry_on=(TimeoutError,))
    workflow = (
        WorkflowBuilder().add_chain([start, charge, sink]).with_retry(charge, only_timeouts).set_start_executor(start).build()
    )
    assert failure_of(workflow.run("order 1")).details.attempts == 1 and calls == ["order 1"]


def test_the_fallback_gets_the_attempt_count_and_the_log_says_it():
    calls: list[str] = []
    charge = always_failing(calls)
    seen: list[ExecutorFailure] = []

    @executor(id="by_hand")
    async def by_hand(failure: ExecutorFailure, ctx: WorkflowContext[Never, str]) -> None:
        seen.append(failure)
        await ctx.yield_output(f"by hand after {failure.attempts}")

    workflow = (
        WorkflowBuilder()
        .add_chain([start, charge, sink])
        .with_retry(charge, QUICK)
        .with_fallback(charge, by_hand)
        .set_start_executor(start)
        .build()
    )
    result = run(workflow.run("order 1"))
    assert result.get_outputs() == ["by hand after 3"]
    lines = [describe_event(event)[1] for event in result]
    assert "charge failed for good after 3 attempts; its work goes to by_hand" in lines


# --- point 9: a default retry policy for every executor --------------------------------------


def test_the_default_retry_covers_every_executor_without_its_own():
    calls: list[str] = []
    fetch, parse = flaky(calls, "fetch"), flaky(calls, "parse")
    workflow = (
        WorkflowBuilder()
        .add_chain([start, fetch, parse, sink])
        .with_default_retry(QUICK)
        .set_start_executor(start)
        .build()
    )
    result = run(workflow.run("page"))
    assert result.get_outputs() == ["page"]
    assert [e.executor_id for e in result if isinstance(e, ExecutorRetryEvent)] == ["fetch", "parse"]


def test_an_executors_own_retry_wins_over_the_default():
    calls: list[str] = []
    charge = always_failing(calls)
    workflow = (
        WorkflowBuilder()
        .add_chain([start, charge, sink])
        .with_default_retry(RetryPolicy(max_attempts=5, backoff_seconds=0))
        .with_retry(charge, RetryPolicy(max_attempts=1))  # money: never charge twice
        .set_start_executor(start)
        .build()
    )
    assert failure_of(workflow.run("order 1")).details.attempts == 1 and len(calls) == 1


def test_the_default_applies_to_executors_added_after_it():
    calls: list[str] = []
    charge = always_failing(calls)
    builder = WorkflowBuilder().with_default_retry(QUICK)
    workflow = builder.add_chain([start, charge, sink]).set_start_executor(start).build()
    assert failure_of(workflow.run("order 1")).details.attempts == 3


def test_a_parts_default_retry_travels_with_add_workflow_and_merge():
    calls: list[str] = []
    part = WorkflowBuilder(name="payment").add_chain([start, always_failing(calls)]).with_default_retry(QUICK)
    part.set_start_executor(start)
    whole = WorkflowBuilder()
    handle = whole.add_workflow(part)
    workflow = whole.set_start_executor(handle.start).build()
    assert failure_of(workflow.run("order 1")).details.attempts == 3

    calls.clear()
    merged = WorkflowBuilder().merge(part).build()
    assert failure_of(merged.run("order 1")).details.attempts == 3
    assert len(calls) == 3


def test_a_parts_default_does_not_retry_the_executors_of_the_bigger_workflow():
    calls: list[str] = []
    part = WorkflowBuilder(name="intake").add_executor(start).set_start_executor(start).with_default_retry(QUICK)
    whole = WorkflowBuilder()
    handle = whole.add_workflow(part)
    charge = always_failing(calls)
    workflow = whole.add_edge(handle.start, charge).set_start_executor(handle.start).build()
    assert failure_of(workflow.run("order 1")).details.attempts == 1


# --- point 9: a run-level timeout -------------------------------------------------------------


@executor(id="slow")
async def slow(text: str, ctx: WorkflowContext[Never, str]) -> None:
    await asyncio.sleep(10)
    await ctx.yield_output(text)


def test_a_run_past_its_timeout_fails_with_a_workflow_timeout_error_naming_where_it_stopped():
    workflow = WorkflowBuilder().add_edge(start, slow).with_run_timeout(0.2).set_start_executor(start).build()
    began = time.perf_counter()
    error = failure_of(workflow.run("order 1"))
    assert time.perf_counter() - began < 5  # stopped, not waited out
    assert isinstance(error.__cause__, WorkflowTimeoutError) and isinstance(error.__cause__, TimeoutError)
    message = str(error.__cause__)
    assert "0.2 s" in message and "superstep 2" in message and "'slow'" in message
    assert "with_run_timeout" in message


def test_after_a_run_timeout_the_workflow_is_free_and_its_last_checkpoint_resumes(tmp_path):
    storage = FileCheckpointStorage(tmp_path)

    def build(limit: float):
        return (
            WorkflowBuilder()
            .add_edge(start, slow)
            .with_run_timeout(limit)
            .with_checkpointing(storage)
            .set_start_executor(start)
            .build()
        )

    workflow = build(0.2)
    failure_of(workflow.run("order 1"))
    assert workflow.last_run_state is WorkflowRunState.FAILED
    failure_of(workflow.run("order 2"))  # free again: a second run starts (and times out) too

    checkpoints = run(storage.list_checkpoints())
    statuses = [get_checkpoint_summary(cp).status for cp in checkpoints]
    assert statuses.count("failed") == 2
    first_failed = next(cp for cp in checkpoints if get_checkpoint_summary(cp).status == "failed")
    # The failed step was dropped: the checkpoint holds the message to 'slow', still to deliver.
    assert first_failed.iteration_count == 1

    @executor(id="slow")
    async def quick(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{text} done")

    resumed = (
        WorkflowBuilder().add_edge(start, quick).with_run_timeout(5).set_start_executor(start).build()
    )
    result = run(resumed.run(checkpoint_id=first_failed.checkpoint_id, checkpoint_storage=storage))
    assert result.get_outputs() == ["order 1 done"]


def test_the_wait_for_a_person_does_not_count_towards_the_run_timeout():
    class Approver(Executor):
        @handler
        async def ask(self, order: str, ctx: WorkflowContext) -> None:
            await ctx.request_info(f"approve {order}?", response_type=str)

        @response_handler
        async def answered(self, question: str, answer: str, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(answer)

    workflow = WorkflowBuilder().add_edge(start, Approver("approver")).with_run_timeout(0.3).set_start_executor(start).build()

    async def scenario():
        first = await workflow.run("order 1")
        [request] = first.get_request_info_events()
        await asyncio.sleep(0.5)  # the person takes longer than the run's whole limit
        return await workflow.send_responses({request.request_id: "yes"})

    assert run(scenario()).get_outputs() == ["yes"]


def napping(executor_id: str, seconds: float):
    @executor(id=executor_id)
    async def nap(text: str, ctx: WorkflowContext[str]) -> None:
        await asyncio.sleep(seconds)
        await ctx.send_message(text)

    return nap


def test_the_run_timeout_limits_the_whole_run_not_each_superstep():
    """Five steps of 0.08 s: each well within the 0.25 s limit, together well past it."""
    naps = [napping(f"nap{i}", 0.08) for i in range(1, 6)]
    workflow = WorkflowBuilder().add_chain([start, *naps, sink]).with_run_timeout(0.25).set_start_executor(start).build()
    error = failure_of(workflow.run("order 1"))
    assert isinstance(error.__cause__, WorkflowTimeoutError)
    assert "0.25 s" in str(error.__cause__)
    assert not [event for event in error.events if isinstance(event, WorkflowOutputEvent)]  # sink never ran


def test_a_run_timeout_must_be_positive():
    with pytest.raises(ValueError, match="above zero"):
        WorkflowBuilder().with_run_timeout(0)


def test_the_live_graph_shows_the_executor_stopped_by_the_run_timeout_as_failed():
    workflow = WorkflowBuilder().add_edge(start, slow).with_run_timeout(0.2).set_start_executor(start).build()
    error = failure_of(workflow.run("order 1"))
    graph = GraphState(workflow)
    graph.update_all(error.events)
    assert graph.states["slow"] == "failed" and graph.states["start"] == "done"


def test_the_last_status_event_of_a_run_carries_how_long_it_took():
    @executor(id="nap")
    async def nap(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await asyncio.sleep(0.05)
        await ctx.yield_output(text)

    workflow = WorkflowBuilder().add_edge(start, nap).set_start_executor(start).build()
    result = run(workflow.run("x"))
    statuses = [e for e in result if isinstance(e, WorkflowStatusEvent)]
    assert [s.duration is None for s in statuses[:-1]] == [True] * (len(statuses) - 1)
    assert statuses[-1].state is WorkflowRunState.IDLE and 0.05 <= statuses[-1].duration < 5


# --- limits a handler does not let stop it: said, and still holding ------------------------------


@executor(id="blocking")
async def blocking(n: int, ctx: WorkflowContext[int]) -> None:
    time.sleep(0.3)  # the learner's slip: a blocking sleep inside async def holds the event loop
    await ctx.send_message(n)


@executor(id="stubborn")
async def stubborn(n: int, ctx: WorkflowContext[int]) -> None:
    try:
        await asyncio.sleep(0.3)
    except asyncio.CancelledError:
        await asyncio.sleep(0.3)  # swallows the cancellation and goes on
    await ctx.send_message(n)


@executor(id="after")
async def after(n: int, ctx: WorkflowContext[Never, int]) -> None:
    await ctx.yield_output(n)


@pytest.mark.parametrize("handler", [blocking, stubborn], ids=["time.sleep", "swallowed cancellation"])
def test_a_step_that_overruns_the_run_limit_fails_the_run_and_says_why(handler):
    workflow = WorkflowBuilder(start_executor=handler).add_edge(handler, after).with_run_timeout(0.1).build()
    with pytest.raises(WorkflowFailedError) as raised:
        run(workflow.run(1), timeout=5)
    message = str(raised.value)
    assert "past its limit of 0.1 s" in message and "time.sleep" in message and "CancelledError" in message
    assert isinstance(raised.value.__cause__, WorkflowTimeoutError)
    assert not [e for e in raised.value.events if e.type == "output"]  # stopped before the next step


@pytest.mark.parametrize("handler", [blocking, stubborn], ids=["time.sleep", "swallowed cancellation"])
def test_a_call_that_overruns_its_executor_timeout_fails_as_a_timeout(handler):
    workflow = WorkflowBuilder(start_executor=handler).add_edge(handler, after).with_timeout(handler, 0.1).build()
    with pytest.raises(WorkflowFailedError) as raised:
        run(workflow.run(1), timeout=5)
    assert isinstance(raised.value.__cause__, ExecutorTimeoutError)
    assert "did not let the limit stop it" in str(raised.value)
