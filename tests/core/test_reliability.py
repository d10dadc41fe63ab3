"""Long-running work: retries, timeouts, fallbacks, concurrency limits, loops, compensation."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import run
from tests.core.chain_ends import sink, start
from wfkit import (
    CompensationEvent,
    Executor,
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
    WorkflowOutputEvent,
    WorkflowRunState,
    executor,
    handler,
    response_handler,
)

FAST = RetryPolicy(max_attempts=3, backoff_seconds=0.001)


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
    assert workflow.latest_run.state.executor_states["flaky"] == {"attempt": 3}


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


def test_a_call_waiting_for_a_concurrency_slot_is_not_announced_as_running():
    # The live graph and the explorer show an executor running from its ExecutorInvokedEvent to
    # its ExecutorCompletedEvent: with two slots, never more than two may be between the two.
    def worker(i: int):
        @executor(id=f"worker_{i}")
        async def work(text: str, ctx: WorkflowContext) -> None:
            await asyncio.sleep(0)

        return work

    workers = [worker(i) for i in range(5)]
    workflow = WorkflowBuilder().add_fan_out_edges(start, workers, max_concurrency=2).set_start_executor(start).build()
    announced, most = set(), 0
    for event in run(workflow.run("go")):
        if event.type == "executor_invoked" and event.executor_id.startswith("worker_"):
            announced.add(event.executor_id)
            most = max(most, len(announced))
        elif event.type == "executor_completed":
            announced.discard(event.executor_id)
    assert most == 2


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
    assert resumed.latest_run.state.shared_state == {"prepared": "hello", "answer": "try 3"}


def test_a_retry_keeps_what_a_sibling_wrote_to_shared_state():
    writer_done = asyncio.Event()
    calls: list[int] = []

    @executor(id="flaky")
    async def flaky(text: str, ctx: WorkflowContext) -> None:
        calls.append(len(calls) + 1)
        if len(calls) == 1:
            await writer_done.wait()  # the sibling writes while this attempt is running
            raise ConnectionError("first attempt fails")

    @executor(id="writer")
    async def writer(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.set_shared_state("k", "from writer")
        writer_done.set()
        await ctx.send_message(text)

    @executor(id="reader")
    async def reader(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(await ctx.get_shared_state("k"))

    workflow = (
        WorkflowBuilder()
        .add_fan_out_edges(start, [flaky, writer])  # flaky first: its attempt starts before writer writes
        .add_edge(writer, reader)
        .with_retry(flaky, FAST)
        .set_start_executor(start)
        .build()
    )
    assert run(workflow.run("go")).get_outputs() == ["from writer"]
    assert calls == [1, 2]


def test_a_failed_attempts_shared_state_write_is_taken_back():
    calls: list[int] = []

    @executor(id="flaky")
    async def flaky(text: str, ctx: WorkflowContext[str]) -> None:
        calls.append(len(calls) + 1)
        if len(calls) == 1:
            await ctx.set_shared_state("draft", "half done")
            raise ConnectionError("first attempt fails")
        await ctx.send_message(text)

    @executor(id="reader")
    async def reader(text: str, ctx: WorkflowContext[Never, str]) -> None:
        try:
            await ctx.yield_output(await ctx.get_shared_state("draft"))
        except KeyError:
            await ctx.yield_output("no draft")

    workflow = WorkflowBuilder().add_chain([start, flaky, reader]).with_retry(flaky, FAST).set_start_executor(start).build()
    assert run(workflow.run("go")).get_outputs() == ["no draft"]


def test_a_failed_attempts_request_is_taken_back():
    class Asker(Executor):
        calls = 0

        @handler
        async def ask(self, text: str, ctx: WorkflowContext) -> None:
            Asker.calls += 1
            await ctx.request_info(f"question {Asker.calls}", response_type=str)
            if Asker.calls == 1:
                raise ConnectionError("first attempt fails")

        @response_handler
        async def answer(self, question: str, answer: str, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(answer)

    workflow = WorkflowBuilder().add_edge(start, Asker("asker")).with_retry("asker", FAST).set_start_executor(start).build()
    result = run(workflow.run("go"))
    assert [r.data for r in workflow.pending_requests.values()] == ["question 2"]
    # The failed call's question was never shown: only the one that can be answered.
    assert [e.data for e in result.get_request_info_events()] == ["question 2"]


def test_a_failed_attempts_output_is_never_shown():
    calls: list[int] = []

    @executor(id="report")
    async def report(text: str, ctx: WorkflowContext[Never, str]) -> None:
        calls.append(len(calls) + 1)
        await ctx.yield_output(f"report {len(calls)}")
        if len(calls) == 1:
            raise ConnectionError("the upload after the report failed")

    workflow = WorkflowBuilder().add_edge(start, report).with_retry(report, FAST).set_start_executor(start).build()
    events = run(_collect(workflow.run_stream("go")))
    assert [e.data for e in events if isinstance(e, WorkflowOutputEvent)] == ["report 2"]


async def _collect(stream) -> list:
    return [event async for event in stream]


def test_each_failed_attempt_takes_back_exactly_its_own_messages():
    b_sent, a_failing = asyncio.Event(), asyncio.Event()

    def sender(name: str, first_attempt):
        calls: list[int] = []

        @executor(id=name)
        async def send_then_fail_once(text: str, ctx: WorkflowContext[str]) -> None:
            calls.append(len(calls) + 1)
            await ctx.send_message(f"{name}{len(calls)}")
            if len(calls) == 1:
                await first_attempt()
                raise ConnectionError(f"{name} fails once")

        return send_then_fail_once

    async def a_first_attempt() -> None:
        await b_sent.wait()  # b starts its attempt after a sent, so b's messages come later in the outbox
        a_failing.set()

    async def b_first_attempt() -> None:
        b_sent.set()
        await a_failing.wait()  # a's failed attempt is taken back before b's

    a, b = sender("a", a_first_attempt), sender("b", b_first_attempt)
    workflow = (
        WorkflowBuilder()
        .add_fan_out_edges(start, [a, b])
        .add_edge(a, sink)
        .add_edge(b, sink)
        .with_retry(a, FAST)
        .with_retry(b, FAST)
        .set_start_executor(start)
        .build()
    )
    assert sorted(run(workflow.run("go")).get_outputs()) == ["a2", "b2"]


def test_a_retry_backoff_frees_the_concurrency_slot(monkeypatch):
    order: list[str] = []
    calls: list[int] = []
    steady_ran = asyncio.Event()

    async def backoff_until_steady_ran(delay: float, *args, **kwargs):
        # The backoff ends when steady has run, not after some time: steady can only run
        # meanwhile if the waiting flaky gave its slot back, however fast the machine is.
        order.append("flaky backs off")
        await steady_ran.wait()

    monkeypatch.setattr(asyncio, "sleep", backoff_until_steady_ran)

    @executor(id="flaky")
    async def flaky(text: str, ctx: WorkflowContext) -> None:
        calls.append(len(calls) + 1)
        order.append(f"flaky attempt {len(calls)}")
        if len(calls) == 1:
            raise ConnectionError("first attempt fails")

    @executor(id="steady")
    async def steady(text: str, ctx: WorkflowContext) -> None:
        order.append("steady")
        steady_ran.set()

    workflow = (
        WorkflowBuilder()
        .add_fan_out_edges(start, [flaky, steady], max_concurrency=1)
        .with_retry(flaky, RetryPolicy(max_attempts=2, backoff_seconds=0.01))
        .set_start_executor(start)
        .build()
    )
    # Were the slot held during the backoff, steady would wait for the slot and the backoff for
    # steady: the run would hang until this timeout fails the test.
    run(workflow.run("go"), timeout=5)
    assert order == ["flaky attempt 1", "flaky backs off", "steady", "flaky attempt 2"]


def test_a_handler_that_times_out_once_succeeds_on_retry():
    never = asyncio.Event()
    calls: list[int] = []

    @executor(id="slow_once")
    async def slow_once(text: str, ctx: WorkflowContext[str]) -> None:
        calls.append(len(calls) + 1)
        if len(calls) == 1:
            await never.wait()  # hangs until the timeout cancels it
        await ctx.send_message(text.upper())

    workflow = (
        WorkflowBuilder()
        .add_chain([start, slow_once, sink])
        .with_timeout(slow_once, seconds=0.05)
        .with_retry(slow_once, FAST)
        .set_start_executor(start)
        .build()
    )
    result = run(workflow.run("go"), timeout=5)
    retries = [e for e in result if isinstance(e, ExecutorRetryEvent)]
    assert [(e.attempt, e.details.error_type) for e in retries] == [(1, "ExecutorTimeoutError")]
    assert result.get_outputs() == ["GO"]
    assert calls == [1, 2]


def test_the_runner_waits_the_policys_backoff_before_each_retry(monkeypatch):
    waited: list[float] = []
    real_sleep = asyncio.sleep

    async def recording_sleep(delay: float, *args, **kwargs):
        waited.append(delay)
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", recording_sleep)
    calls: list[int] = []
    flaky = flaky_until(4, calls)
    policy = RetryPolicy(max_attempts=4, backoff_seconds=0.5, backoff_factor=3, max_backoff_seconds=2)
    workflow = WorkflowBuilder().add_chain([start, flaky, sink]).with_retry(flaky, policy).set_start_executor(start).build()
    result = run(workflow.run("go"))
    assert [e.delay for e in result if isinstance(e, ExecutorRetryEvent)] == [0.5, 1.5, 2]
    assert waited == [0.5, 1.5, 2]


def test_with_only_a_fallback_edge_a_sent_message_is_a_warning_that_says_why():
    from wfkit import WorkflowWarningEvent

    @executor(id="fallback")
    async def fallback(failure: ExecutorFailure, ctx: WorkflowContext) -> None:
        pass

    @executor(id="talker")
    async def talker(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    workflow = WorkflowBuilder().with_fallback(talker, fallback).set_start_executor(talker).build()
    result = run(workflow.run("hello"))
    [warning] = [e.message for e in result if isinstance(e, WorkflowWarningEvent)]
    assert "str sent by 'talker' reached no executor" in warning
    assert "the edge to 'fallback' is a fallback route" in warning
    assert ": ." not in warning


def test_a_loop_whose_condition_holds_after_exactly_max_rounds_trips_ends_normally():
    @executor(id="improve")
    async def improve(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n + 1)

    @executor(id="done")
    async def done(n: int, ctx: WorkflowContext[Never, int]) -> None:
        await ctx.yield_output(n)

    def reached_four(n: int) -> bool:
        return n >= 4

    def loop(max_rounds: int):
        return (
            WorkflowBuilder()
            .add_loop(improve, back_to=improve, until=reached_four, exit_to=done, max_rounds=max_rounds)
            .set_start_executor(improve)
            .build()
        )

    # 1, 2 and 3 go back round (three trips); 4 leaves the loop.
    result = run(loop(max_rounds=3).run(0))
    assert result.get_outputs() == [4]
    assert result.get_final_state() is WorkflowRunState.IDLE
    # One round fewer allowed, and the same run hits the bound.
    with pytest.raises(WorkflowFailedError, match="went round 2 times"):
        run(loop(max_rounds=2).run(0))


def test_a_loop_entered_twice_in_one_run_counts_its_rounds_afresh():
    """Leaving a loop forgets its rounds: each entry may go round max_rounds times again."""

    @executor(id="improve")
    async def improve(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n + 1)

    @executor(id="again")
    async def again(n: int, ctx: WorkflowContext[int, int]) -> None:
        await ctx.yield_output(n)
        if n < 8:
            await ctx.send_message(n)  # into the loop a second time

    def multiple_of_four(n: int) -> bool:
        return n % 4 == 0

    workflow = (
        WorkflowBuilder()
        .add_loop(improve, back_to=improve, until=multiple_of_four, exit_to=again, max_rounds=3)
        .add_edge(again, improve)
        .set_start_executor(improve)
        .build()
    )
    # First entry: 1, 2 and 3 go back round (three trips), 4 leaves. Second: 5, 6 and 7 go round, 8 leaves.
    assert run(workflow.run(0)).get_outputs() == [4, 8]


class Picky(Executor):
    """Yields each number it receives, but fails on 1; `calls` records every call."""

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.calls: list[int] = []

    @handler
    async def take(self, n: int, ctx: WorkflowContext[Never, str]) -> None:
        self.calls.append(n)
        if n == 1:
            raise ValueError("cannot take 1")
        await ctx.yield_output(f"handled {n}")


@executor(id="one_and_two")
async def one_and_two(text: str, ctx: WorkflowContext[int]) -> None:
    await ctx.send_message(1)
    await ctx.send_message(2)  # both reach `picky` in the same superstep, in this order


def test_an_executor_that_fails_on_a_message_is_not_called_with_its_later_messages():
    picky = Picky("picky")
    workflow = WorkflowBuilder().add_edge(one_and_two, picky).set_start_executor(one_and_two).build()
    with pytest.raises(WorkflowFailedError, match="cannot take 1"):
        run(workflow.run("go"))
    assert picky.calls == [1]


def test_a_fallback_for_one_message_still_lets_the_later_messages_through():
    @executor(id="rescue")
    async def rescue(failure: ExecutorFailure, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"rescued {failure.message}")

    picky = Picky("picky")
    workflow = (
        WorkflowBuilder()
        .add_edge(one_and_two, picky)
        .with_fallback(picky, rescue)
        .set_start_executor(one_and_two)
        .build()
    )
    result = run(workflow.run("go"))
    assert picky.calls == [1, 2]
    assert sorted(result.get_outputs()) == ["handled 2", "rescued 1"]
    assert result.get_final_state() is WorkflowRunState.IDLE
