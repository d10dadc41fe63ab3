"""Run metrics point at the executor that holds a run back."""

from __future__ import annotations

import asyncio

from tests.conftest import run
from wfkit import Never, RetryPolicy, WorkflowBuilder, WorkflowContext, executor
from wfkit.patterns import RunMetrics


def step(name: str, seconds: float):
    @executor(id=name)
    async def work(n: int, ctx: WorkflowContext[int, int]) -> None:
        await asyncio.sleep(seconds)
        await ctx.send_message(n + 1)

    return work


def test_metrics_identify_a_deliberately_slow_executor():
    steps = [step("parse", 0), step("enrich", 0), step("call_model", 0.05), step("format", 0), step("store", 0)]

    @executor(id="done")
    async def done(n: int, ctx: WorkflowContext[Never, int]) -> None:
        await ctx.yield_output(n)

    workflow = WorkflowBuilder().add_chain([*steps, done]).set_start_executor(steps[0]).build()
    metrics = RunMetrics()
    for _ in range(3):
        for event in run(workflow.run(0)):
            metrics.observe(event)
    assert metrics.bottlenecks() == ["call_model"]
    assert metrics["call_model"].calls == 3 and metrics["call_model"].mean >= 0.05
    assert metrics.stats()[0].executor_id == "call_model"
    assert "bottlenecks: call_model" in metrics.table()
    assert "call_model" in metrics._repr_html_() and "<svg" in metrics.chart_svg()


def test_metrics_count_failures_and_retries():
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
    metrics = RunMetrics.from_events(run(workflow.run(1)))
    stats = metrics["flaky"]
    assert (stats.calls, stats.failures, stats.retries) == (1, 0, 2)


def test_an_unsteady_executor_that_matters_is_a_bottleneck():
    durations = iter([0.001, 0.06, 0.001, 0.06])

    @executor(id="unsteady")
    async def unsteady(n: int, ctx: WorkflowContext[int]) -> None:
        await asyncio.sleep(next(durations))
        await ctx.send_message(n)

    @executor(id="steady")
    async def steady(n: int, ctx: WorkflowContext) -> None:
        await asyncio.sleep(0.03)

    workflow = WorkflowBuilder().add_edge(unsteady, steady).set_start_executor(unsteady).build()
    metrics = RunMetrics.from_events([e for _ in range(4) for e in run(workflow.run(0))])
    assert "unsteady" in metrics.bottlenecks()
    assert "steady" not in metrics.bottlenecks()
