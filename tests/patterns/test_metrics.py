"""Run metrics point at the executor that holds a run back.

The bottleneck rules are tested on made-up durations (events built by hand), so no test depends
on how fast this machine is; real runs are only checked for what they record, never for times.
"""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import (
    ExecutorCompletedEvent,
    ExecutorFailedEvent,
    ExecutorRetryEvent,
    Never,
    RetryPolicy,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    WorkflowRunState,
    WorkflowStatusEvent,
    executor,
)
from wfkit.core.events import WorkflowErrorDetails
from wfkit.patterns import ExecutorStats, RunMetrics

TIMEOUT = WorkflowErrorDetails("TimeoutError", "slow service")


def metrics_of(durations: dict[str, list[float]]) -> RunMetrics:
    """Metrics of runs in which each executor's calls took the given seconds."""
    return RunMetrics.from_events(
        ExecutorCompletedEvent(executor_id, duration=seconds)
        for executor_id, calls in durations.items()
        for seconds in calls
    )


# --- the slow rule -----------------------------------------------------------------------------


def test_a_deliberately_slow_executor_is_the_bottleneck():
    quick = [0.001, 0.002, 0.001]
    metrics = metrics_of(
        {"parse": quick, "enrich": quick, "call_model": [0.05, 0.06, 0.05], "format": quick, "store": quick}
    )
    assert metrics.bottlenecks() == ["call_model"]
    assert metrics.stats()[0].executor_id == "call_model"
    assert "bottlenecks: call_model" in metrics.table()
    assert "call_model" in metrics._repr_html_() and "<svg" in metrics.chart_svg()


def test_with_exactly_two_executors_the_much_slower_one_is_the_bottleneck():
    # With two values, mean + one standard deviation *is* the larger value, so a rule that
    # compared each executor with all means (itself included) never fired here.
    assert metrics_of({"fast": [0.001], "slow": [1.0]}).bottlenecks() == ["slow"]


def test_two_executors_that_take_about_as_long_have_no_bottleneck():
    assert metrics_of({"a": [0.100, 0.101], "b": [0.110, 0.109]}).bottlenecks() == []


def test_a_difference_a_machine_stall_could_explain_is_not_a_bottleneck():
    assert metrics_of({"a": [0.0001], "b": [0.003]}).bottlenecks() == []


def test_equal_executors_have_no_bottleneck():
    assert metrics_of({name: [0.02, 0.02] for name in "abcd"}).bottlenecks() == []


def test_a_single_executor_is_never_a_bottleneck():
    assert metrics_of({"alone": [5.0, 0.001, 9.0]}).bottlenecks() == []


# --- the unsteady rule -------------------------------------------------------------------------


def test_an_unsteady_executor_that_matters_is_a_bottleneck():
    metrics = metrics_of({"unsteady": [0.001, 0.06, 0.001, 0.06], "steady": [0.03] * 4})
    assert metrics.bottlenecks() == ["unsteady"]


def test_an_unsteady_executor_with_too_few_calls_is_not_a_bottleneck():
    metrics = metrics_of({"unsteady": [0.001, 0.06], "steady": [0.03, 0.03]})
    assert metrics.bottlenecks() == []


def test_an_unsteady_executor_that_takes_a_tiny_share_of_the_time_is_not_a_bottleneck():
    metrics = metrics_of({"unsteady": [0.0, 0.01, 0.0, 0.01], "steady": [1.0] * 4})
    assert "unsteady" not in metrics.bottlenecks()


# --- statistics ----------------------------------------------------------------------------------


def test_p95_is_the_time_95_percent_of_calls_stayed_under():
    few = metrics_of({"few": [0.3, 0.1, 0.2]})["few"]
    assert few.p95 == 0.3  # fewer than 20 calls: the slowest
    many = metrics_of({"many": [i / 100 for i in range(1, 101)]})["many"]
    assert many.p95 == pytest.approx(0.96)
    assert ExecutorStats("none").p95 == 0.0


def test_failures_lower_the_success_rate():
    metrics = RunMetrics.from_events(
        [
            ExecutorCompletedEvent("pay", duration=0.01),
            ExecutorFailedEvent("pay", TIMEOUT, duration=0.02),
            ExecutorCompletedEvent("pay", duration=0.01),
            ExecutorFailedEvent("pay", TIMEOUT, duration=0.02),
        ]
    )
    stats = metrics["pay"]
    assert (stats.calls, stats.failures) == (4, 2)
    assert stats.success_rate == 0.5
    assert stats.durations == [0.01, 0.02, 0.01, 0.02]  # failed calls took time too


def test_an_executor_without_calls_has_full_success_rate():
    assert ExecutorStats("idle").success_rate == 1.0


def test_each_retry_event_counts_one_retry():
    metrics = RunMetrics.from_events(
        [
            ExecutorRetryEvent("pay", 1, TIMEOUT, delay=0.0),
            ExecutorRetryEvent("pay", 2, TIMEOUT, delay=0.0),
            ExecutorCompletedEvent("pay", duration=0.01),
        ]
    )
    assert (metrics["pay"].calls, metrics["pay"].retries, metrics["pay"].failures) == (1, 2, 0)


def test_events_without_a_duration_are_ignored():
    metrics = RunMetrics.from_events([ExecutorCompletedEvent("pay"), ExecutorFailedEvent("pay", TIMEOUT)])
    with pytest.raises(KeyError):
        metrics["pay"]


# --- real runs: what is recorded, never how long it took ---------------------------------------


def step(name: str):
    @executor(id=name)
    async def work(n: int, ctx: WorkflowContext[int, int]) -> None:
        await ctx.send_message(n + 1)

    return work


def test_a_real_run_records_one_duration_per_call_of_each_executor():
    steps = [step("parse"), step("enrich"), step("format")]

    @executor(id="done")
    async def done(n: int, ctx: WorkflowContext[Never, int]) -> None:
        await ctx.yield_output(n)

    workflow = WorkflowBuilder().add_chain([*steps, done]).set_start_executor(steps[0]).build()
    metrics = RunMetrics()
    for _ in range(3):
        for event in run(workflow.run(0)):
            metrics.observe(event)
    assert {s.executor_id: s.calls for s in metrics.stats()} == {"parse": 3, "enrich": 3, "format": 3, "done": 3}
    # Measured, not filled in: even the quickest handler call takes some time on perf_counter's clock.
    assert all(seconds > 0 for s in metrics.stats() for seconds in s.durations)


def test_a_real_run_counts_failures_and_retries():
    calls: list[int] = []

    @executor(id="flaky")
    async def flaky(n: int, ctx: WorkflowContext[Never, int]) -> None:
        calls.append(n)
        if len(calls) < 3:
            raise TimeoutError("slow service")
        await ctx.yield_output(n)

    workflow = (
        WorkflowBuilder().set_start_executor(flaky).with_retry(flaky, RetryPolicy(3, backoff_seconds=0)).build()
    )
    stats = RunMetrics.from_events(run(workflow.run(1)))["flaky"]
    # Retried attempts are one call (its time includes the retries); the retries are counted.
    assert (stats.calls, stats.failures, stats.retries) == (1, 0, 2)


def test_a_real_run_that_fails_for_good_counts_a_failure():
    @executor(id="broken")
    async def broken(n: int, ctx: WorkflowContext[Never, int]) -> None:
        raise ValueError("no")

    workflow = WorkflowBuilder().set_start_executor(broken).build()
    with pytest.raises(WorkflowFailedError) as failed:
        run(workflow.run(1))
    stats = RunMetrics.from_events(failed.value.events)["broken"]
    assert (stats.calls, stats.failures, stats.success_rate) == (1, 1, 0.0)


# --- across runs (issue 15, point 7) ----------------------------------------------------------


def ended(state: WorkflowRunState, seconds: float) -> list[WorkflowStatusEvent]:
    """The status events of one run call that ended in `state` after `seconds`."""
    return [WorkflowStatusEvent(WorkflowRunState.IN_PROGRESS), WorkflowStatusEvent(state, duration=seconds)]


def test_runs_are_counted_with_their_success_rate_and_mean_time():
    metrics = RunMetrics()
    for state, seconds in [
        (WorkflowRunState.IDLE, 0.010),
        (WorkflowRunState.IDLE, 0.030),
        (WorkflowRunState.FAILED, 0.020),
        (WorkflowRunState.IDLE, 0.040),
    ]:
        metrics.observe_all(ended(state, seconds))
    assert (metrics.runs, metrics.succeeded, metrics.failed) == (4, 3, 1)
    assert metrics.success_rate == pytest.approx(0.75)
    assert metrics.mean_run_seconds == pytest.approx(0.025)
    assert metrics.run_durations == pytest.approx([0.010, 0.030, 0.020, 0.040])
    assert "runs: 4 (3 succeeded, 1 failed: 75%) · mean 25.00 ms per run" in metrics.table()
    assert "runs: 4 (3 succeeded, 1 failed: 75%)" in metrics._repr_html_()


def test_a_run_that_pauses_for_an_answer_counts_once_with_its_running_time_only():
    metrics = RunMetrics()
    metrics.observe_all(ended(WorkflowRunState.IDLE_WITH_PENDING_REQUESTS, 0.010))
    assert metrics.runs == 0 and metrics.paused
    assert "waiting for an answer" in metrics.runs_summary()
    metrics.observe_all(ended(WorkflowRunState.IDLE, 0.005))  # answered later: the run goes on and ends
    assert (metrics.runs, metrics.succeeded, metrics.paused) == (1, 1, False)
    assert metrics.run_durations == pytest.approx([0.015])


def test_before_any_run_ends_there_is_nothing_to_average():
    metrics = RunMetrics()
    assert (metrics.runs, metrics.success_rate, metrics.mean_run_seconds) == (0, 1.0, 0.0)
    assert metrics.runs_summary() == "runs: none finished yet"


def test_real_runs_that_succeed_and_fail_are_counted_from_their_events():
    @executor(id="check")
    async def check(n: int, ctx: WorkflowContext[Never, int]) -> None:
        if n < 0:
            raise ValueError("negative order")
        await ctx.yield_output(n)

    workflow = WorkflowBuilder().set_start_executor(check).build()
    metrics = RunMetrics()
    for n in [1, 2, -1, 3, -2]:
        try:
            metrics.observe_all(run(workflow.run(n)))
        except WorkflowFailedError as error:
            metrics.observe_all(error.events)
    assert (metrics.runs, metrics.succeeded, metrics.failed) == (5, 3, 2)
    assert metrics.success_rate == pytest.approx(0.6)
    assert metrics.mean_run_seconds > 0 and len(metrics.run_durations) == 5
    assert metrics["check"].calls == 5
