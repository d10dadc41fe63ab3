"""Long-running work: retries, timeouts, fallbacks, concurrency limits, loops, compensation."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import run
from wfkit import (
    CompensationEvent,
    ExecutorFailure,
    ExecutorFallbackEvent,
    ExecutorRetryEvent,
    FileCheckpointStorage,
    Never,
    RetryPolicy,
    TypeCompatibilityError,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    WorkflowRunState,
    executor,
)

FAST = RetryPolicy(max_attempts=3, backoff_seconds=0.001)


@executor(id="start")
async def start(text: str, ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(text)


@executor(id="sink")
async def sink(text: str, ctx: WorkflowContext[Never, str]) -> None:
    await ctx.yield_output(text)


def flaky_until(succeed_on: int, calls: list[int], error: type[Exception] = ConnectionError):
    @executor(id="flaky")
    async def flaky(text: str, ctx: WorkflowContext[str]) -> None:
        calls.append(len(calls) + 1)
        await ctx.set_state({"attempt": len(calls)})
        await ctx.send_message(f"partial from attempt {len(calls)}")  # taken back if this attempt fails
        if len(calls) < succeed_on:
            raise error(f"attempt {len(calls)} failed")

    return flaky


def test_a_retry_succeeds_on_the_third_attempt_and_failed_attempts_leave_nothing():
    calls: list[int] = []
    flaky = flaky_until(3, calls)
    workflow = WorkflowBuilder().add_chain([start, flaky, sink]).with_retry(flaky, FAST).set_start_executor(start).build()
    result = run(workflow.run("go"))
    retries = [e for e in result if isinstance(e, ExecutorRetryEvent)]
    assert [(e.executor_id, e.attempt, e.details.error_type) for e in retries] == [
        ("flaky", 1, "ConnectionError"),
        ("flaky", 2, "ConnectionError"),
    ]
    assert calls == [1, 2, 3]
    assert result.get_outputs() == ["partial from attempt 3"]
    assert workflow._state.executor_states["flaky"] == {"attempt": 3}


def test_retries_stop_at_max_attempts_and_the_run_fails():
    calls: list[int] = []
    flaky = flaky_until(10, calls)
    workflow = WorkflowBuilder().add_chain([start, flaky, sink]).with_retry(flaky, FAST).set_start_executor(start).build()
    with pytest.raises(WorkflowFailedError, match="attempt 3 failed"):
        run(workflow.run("go"))
    assert calls == [1, 2, 3]


def test_only_the_listed_exceptions_are_retried():
    calls: list[int] = []
    flaky = flaky_until(3, calls, error=ValueError)
    policy = RetryPolicy(max_attempts=3, backoff_seconds=0, retry_on=(ConnectionError,))
    workflow = WorkflowBuilder().add_chain([start, flaky, sink]).with_retry(flaky, policy).set_start_executor(start).build()
    with pytest.raises(WorkflowFailedError, match="ValueError"):
        run(workflow.run("go"))
    assert calls == [1]


def test_backoff_grows_and_is_capped():
    policy = RetryPolicy(max_attempts=5, backoff_seconds=1, backoff_factor=3, max_backoff_seconds=5)
    assert [policy.delay(a) for a in (1, 2, 3)] == [1, 3, 5]


def test_a_timeout_followed_by_the_fallback_route():
    @executor(id="slow")
    async def slow(text: str, ctx: WorkflowContext[str]) -> None:
        await asyncio.sleep(5)

    @executor(id="human_review")
    async def human_review(failure: ExecutorFailure, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{failure.executor_id} failed ({failure.error_type}) on {failure.message!r}")

    workflow = (
        WorkflowBuilder()
        .add_chain([start, slow, sink])
        .with_timeout(slow, seconds=0.05)
        .with_fallback(slow, human_review)
        .set_start_executor(start)
        .build()
    )
    result = run(workflow.run("draft"), timeout=5)
    assert result.get_outputs() == ["slow failed (ExecutorTimeoutError) on 'draft'"]
    assert result.get_final_state() is WorkflowRunState.IDLE
    [fallback] = [e for e in result if isinstance(e, ExecutorFallbackEvent)]
    assert fallback.fallback_id == "human_review" and "longer than 0.05 s" in fallback.details.message


def test_retries_happen_before_the_fallback_and_are_counted():
    calls: list[int] = []
    flaky = flaky_until(10, calls)

    @executor(id="fallback")
    async def fallback(failure: ExecutorFailure, ctx: WorkflowContext[Never, int]) -> None:
        await ctx.yield_output(failure.attempts)

    workflow = (
        WorkflowBuilder()
        .add_chain([start, flaky, sink])
        .with_retry(flaky, FAST)
        .with_fallback(flaky, fallback)
        .set_start_executor(start)
        .build()
    )
    result = run(workflow.run("go"))
    assert result.get_outputs() == [3]  # sink never got the partial messages of failed attempts


def test_a_fallback_must_accept_executor_failure():
    with pytest.raises(TypeCompatibilityError, match="ExecutorFailure"):
        WorkflowBuilder().add_edge(start, sink).with_fallback(start, sink).set_start_executor(start).build()


def test_a_concurrency_limit_is_observed_by_a_counter():
    running = {"now": 0, "most": 0}

    def worker(i: int):
        @executor(id=f"worker_{i}")
        async def work(text: str, ctx: WorkflowContext) -> None:
            running["now"] += 1
            running["most"] = max(running["most"], running["now"])
            await asyncio.sleep(0.02)
            running["now"] -= 1

        return work

    workers = [worker(i) for i in range(6)]
    workflow = WorkflowBuilder().add_fan_out_edges(start, workers, max_concurrency=2).set_start_executor(start).build()
    run(workflow.run("go"))
    assert running["most"] == 2


def test_a_loop_ends_when_its_condition_holds():
    @executor(id="improve")
    async def improve(score: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(score + 30)

    @executor(id="done")
    async def done(score: int, ctx: WorkflowContext[Never, int]) -> None:
        await ctx.yield_output(score)

    def good_enough(score: int) -> bool:
        return score >= 80

    workflow = WorkflowBuilder().add_loop(improve, back_to=improve, until=good_enough, exit_to=done).set_start_executor(improve).build()
    assert run(workflow.run(0)).get_outputs() == [90]
    # A new run starts counting rounds from zero again.
    assert run(workflow.run(10)).get_outputs() == [100]


def test_a_loop_that_never_ends_stops_at_its_bound_with_a_clear_error():
    @executor(id="spin")
    async def spin(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n + 1)

    workflow = WorkflowBuilder().add_loop(spin, back_to=spin, until=lambda n: n < 0, max_rounds=4).set_start_executor(spin).build()
    with pytest.raises(WorkflowFailedError, match=r"LoopLimitError.*went round 4 times.*Raise max_rounds"):
        run(workflow.run(0))


def test_compensations_run_latest_first_when_the_run_fails():
    undone: list[tuple[str, list]] = []

    @executor(id="reserve")
    async def reserve(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    @executor(id="charge")
    async def charge(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    @executor(id="ship")
    async def ship(text: str, ctx: WorkflowContext) -> None:
        raise RuntimeError("warehouse closed")

    async def undo(executor_id: str, handled: list) -> None:
        undone.append((executor_id, handled))

    workflow = (
        WorkflowBuilder()
        .add_chain([reserve, charge, ship])
        .with_compensation(reserve, undo)
        .with_compensation(charge, undo)
        .set_start_executor(reserve)
        .build()
    )
    with pytest.raises(WorkflowFailedError) as caught:
        run(workflow.run("order-1"))
    assert undone == [("charge", ["order-1"]), ("reserve", ["order-1"])]
    assert [e.executor_id for e in caught.value.events if isinstance(e, CompensationEvent)] == ["charge", "reserve"]


def test_a_checkpoint_taken_before_retries_resumes_correctly(tmp_path):
    calls: list[int] = []

    @executor(id="prepare")
    async def prepare(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.set_shared_state("prepared", text)
        await ctx.send_message(text)

    @executor(id="call_model")
    async def call_model(text: str, ctx: WorkflowContext[str]) -> None:
        calls.append(len(calls) + 1)
        await ctx.set_shared_state("answer", f"try {len(calls)}")
        if len(calls) in (1, 2):  # fails at first; after the restart, fails once more
            raise ConnectionError("flaky")
        await ctx.send_message(text.upper())

    def build(storage=None):
        builder = (
            WorkflowBuilder()
            .add_chain([prepare, call_model, sink])
            .with_retry(call_model, RetryPolicy(max_attempts=3, backoff_seconds=0.2))
            .set_start_executor(prepare)
        )
        return (builder.with_checkpointing(storage) if storage else builder).build()

    storage = FileCheckpointStorage(tmp_path)

    async def interrupted():
        async for event in build(storage).run_stream("hello"):
            if isinstance(event, ExecutorRetryEvent):
                break  # the process "dies" while waiting to retry

    run(interrupted())
    [checkpoint] = run(storage.list_checkpoints())
    assert checkpoint.iteration_count == 1 and "answer" not in checkpoint.shared_state
    resumed = build()
    result = run(resumed.run_from_checkpoint(checkpoint.checkpoint_id, checkpoint_storage=storage))
    assert result.get_outputs() == ["HELLO"]
    assert calls == [1, 2, 3]  # interrupted after call 1; resumed: call 2 fails, the retry succeeds
    assert resumed._state.shared_state == {"prepared": "hello", "answer": "try 3"}
