"""Plain `def` function executors run in a worker thread: timeouts fire on time, the event loop
keeps working while they run, and what they return after a timeout is dropped.

No assertion here depends on exact timing: sleeps wait on `threading.Event`s the test sets,
and the time bounds are generous (a run "fails promptly" if it fails well before a 1.5 s
sleep would have ended).
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time

import pytest

from tests.conftest import run
from wfkit import (
    ExecutorFailure,
    ExecutorRetryEvent,
    ExecutorTimeoutError,
    InMemoryCheckpointStorage,
    Never,
    RetryPolicy,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    WorkflowRunState,
    executor,
)

SLEEP = 1.5  # what a slow handler would sleep, were it not released
TIMEOUT = 0.2


def make_sink():
    @executor(id="sink")
    async def sink(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text)

    return sink


def test_a_plain_def_executor_past_its_timeout_fails_the_run_promptly_with_executor_timeout_error():
    release = threading.Event()

    @executor(id="slow")
    def slow(text: str) -> str:
        release.wait(SLEEP)
        return text

    workflow = WorkflowBuilder().add_chain([slow, make_sink()]).with_timeout(slow, TIMEOUT).set_start_executor(slow).build()

    async def scenario() -> tuple[pytest.ExceptionInfo[WorkflowFailedError], float]:
        started = time.perf_counter()
        try:
            with pytest.raises(WorkflowFailedError) as caught:
                await workflow.run("go")
            return caught, time.perf_counter() - started
        finally:
            release.set()  # let the thread end now rather than after its full sleep

    caught, seconds = run(scenario())
    assert isinstance(caught.value.__cause__, ExecutorTimeoutError)
    assert caught.value.details.executor_id == "slow"
    assert seconds < SLEEP - 0.5  # failed on the timeout, not when the sleep ended


def test_the_event_loop_keeps_ticking_while_a_plain_def_executor_sleeps():
    ticks = 0
    seen: list[int] = []  # the tick count when the sleep began and when it ended

    @executor(id="sleepy")
    def sleepy(text: str) -> str:
        seen.append(ticks)
        time.sleep(0.5)
        seen.append(ticks)
        return text

    workflow = WorkflowBuilder().add_chain([sleepy, make_sink()]).set_start_executor(sleepy).build()

    async def scenario() -> None:
        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.02)
                ticks += 1

        ticker = asyncio.create_task(tick())
        try:
            assert (await workflow.run("go")).get_outputs() == ["go"]
        finally:
            ticker.cancel()

    run(scenario())
    before, after = seen
    assert after - before >= 5  # about 25 in 0.5 s; none at all if the sleep held the loop


def test_what_a_timed_out_plain_def_executor_returns_later_is_never_delivered():
    release, finished = threading.Event(), threading.Event()

    @executor(id="slow")
    def slow(text: str) -> str:
        release.wait(SLEEP)
        finished.set()
        return "late"

    @executor(id="recover")
    async def recover(failure: ExecutorFailure, ctx: WorkflowContext[str]) -> None:
        # Let the timed-out thread return while the run goes on: its value must not slip in.
        release.set()
        assert await asyncio.to_thread(finished.wait, 5)
        await asyncio.sleep(0.05)
        await ctx.send_message("recovered")

    @executor(id="relay")
    async def relay(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    sink = make_sink()
    workflow = (
        WorkflowBuilder()
        .add_edge(slow, sink)
        .add_chain([recover, relay, sink])
        .with_timeout(slow, TIMEOUT)
        .with_fallback(slow, recover)
        .set_start_executor(slow)
        .build()
    )
    result = run(workflow.run("go"))
    assert result.get_outputs() == ["recovered"]
    assert result.get_final_state() is WorkflowRunState.IDLE


def test_an_exception_in_a_plain_def_executor_fails_the_run_as_in_an_async_one():
    def fail_with(error: Exception, *, sync: bool) -> WorkflowFailedError:
        if sync:
            def picky(text: str) -> str:
                raise error
        else:
            async def picky(text: str) -> str:  # type: ignore[misc]
                raise error
        step = executor(id="picky")(picky)
        workflow = WorkflowBuilder().add_chain([step, make_sink()]).set_start_executor(step).build()
        with pytest.raises(WorkflowFailedError) as caught:
            run(workflow.run("x"))
        return caught.value

    sync_error, async_error = ValueError("bad input"), ValueError("bad input")
    from_sync, from_async = fail_with(sync_error, sync=True), fail_with(async_error, sync=False)
    assert from_sync.__cause__ is sync_error and from_async.__cause__ is async_error
    assert (from_sync.details.error_type, from_sync.details.message, from_sync.details.executor_id) == (
        from_async.details.error_type, from_async.details.message, from_async.details.executor_id)
    assert str(from_sync) == str(from_async)


def test_a_retry_calls_a_failing_plain_def_executor_again():
    calls: list[int] = []

    @executor(id="flaky")
    def flaky(text: str) -> str:
        calls.append(len(calls) + 1)
        if len(calls) < 3:
            raise ConnectionError(f"attempt {len(calls)} failed")
        return f"{text} on attempt {len(calls)}"

    policy = RetryPolicy(max_attempts=3, backoff_seconds=0.001)
    workflow = WorkflowBuilder().add_chain([flaky, make_sink()]).with_retry(flaky, policy).set_start_executor(flaky).build()
    result = run(workflow.run("done"))
    assert result.get_outputs() == ["done on attempt 3"]
    assert [e.attempt for e in result if isinstance(e, ExecutorRetryEvent)] == [1, 2]


def test_a_timed_out_attempt_of_a_plain_def_executor_is_retried_and_only_the_retry_counts():
    release = threading.Event()
    calls: list[int] = []

    @executor(id="slow_once")
    def slow_once(text: str) -> str:
        calls.append(len(calls) + 1)
        attempt = len(calls)
        if attempt == 1:
            release.wait(SLEEP)
        return f"attempt {attempt}"

    policy = RetryPolicy(max_attempts=2, backoff_seconds=0.001)
    workflow = (
        WorkflowBuilder()
        .add_chain([slow_once, make_sink()])
        .with_timeout(slow_once, TIMEOUT)
        .with_retry(slow_once, policy)
        .set_start_executor(slow_once)
        .build()
    )

    async def scenario():
        try:
            return await workflow.run("go")
        finally:
            release.set()

    result = run(scenario())
    assert result.get_outputs() == ["attempt 2"]
    [retry] = [e for e in result if isinstance(e, ExecutorRetryEvent)]
    assert retry.details.error_type == "ExecutorTimeoutError"


def test_a_plain_def_executor_can_read_its_context_in_its_thread():
    @executor(id="start")
    async def start(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    @executor(id="label")
    def label(text: str, ctx: WorkflowContext) -> str:
        return f"{ctx.executor_id} got {text!r} from {list(ctx.source_executor_ids)}, sends to {sorted(ctx.successor_ids)}"

    workflow = WorkflowBuilder().add_chain([start, label, make_sink()]).set_start_executor(start).build()
    assert run(workflow.run("hi")).get_outputs() == ["label got 'hi' from ['start'], sends to ['sink']"]


request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id_var", default="unset")


def test_a_plain_def_executor_sees_the_context_variables_of_the_run():
    @executor(id="tag")
    def tag(text: str) -> str:
        return f"{text} ({request_id_var.get()})"

    workflow = WorkflowBuilder().add_chain([tag, make_sink()]).set_start_executor(tag).build()

    async def scenario():
        request_id_var.set("req-42")  # as a web framework or a tracer would, before the run
        return await workflow.run("hello")

    assert run(scenario()).get_outputs() == ["hello (req-42)"]


def review_workflow(storage: InMemoryCheckpointStorage | None = None):
    """draft (plain def) -> ask (a request for a yes/no) -> publish (plain def) -> sink."""
    from wfkit import Executor, handler, response_handler

    @executor(id="draft")
    def draft(topic: str) -> str:
        return f"notes on {topic}"

    class Ask(Executor):
        @handler
        async def ask(self, text: str, ctx: WorkflowContext) -> None:
            await ctx.request_info(text, bool)

        @response_handler
        async def on_answer(self, text: str, approved: bool, ctx: WorkflowContext[str]) -> None:
            await ctx.send_message(text if approved else "rejected")

    @executor(id="publish")
    def publish(text: str) -> str:
        return text.upper()

    builder = WorkflowBuilder().add_chain([draft, Ask("ask"), publish, make_sink()]).set_start_executor(draft)
    return (builder.with_checkpointing(storage) if storage is not None else builder).build()


def test_plain_def_executors_run_before_and_after_a_request():
    workflow = review_workflow()
    paused = run(workflow.run("tea"))
    [request] = paused.get_request_info_events()
    assert request.data == "notes on tea"
    assert run(workflow.send_responses({request.request_id: True})).get_outputs() == ["NOTES ON TEA"]


def test_a_run_with_plain_def_executors_resumes_from_a_checkpoint():
    storage = InMemoryCheckpointStorage()
    [request] = run(review_workflow(storage).run("tea")).get_request_info_events()
    newest = max(run(storage.list_checkpoints()), key=lambda cp: cp.iteration_count)
    resumed = run(review_workflow(storage).run_from_checkpoint(
        newest.checkpoint_id, checkpoint_storage=storage, responses={request.request_id: True}))
    assert resumed.get_outputs() == ["NOTES ON TEA"]
