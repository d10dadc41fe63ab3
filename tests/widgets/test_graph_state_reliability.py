"""The live views show retries, fallbacks and undo steps as a run goes on."""

from __future__ import annotations

from tests.conftest import run
from wfkit import ExecutorFailure, Never, RetryPolicy, WorkflowBuilder, WorkflowContext, executor
from wfkit.viz.dot import workflow_to_dot
from wfkit.widgets.event_log import describe_event
from wfkit.widgets.graph_state import GraphState

calls: list[int] = []


@executor(id="pay")
async def pay(order: str, ctx: WorkflowContext[Never, str]) -> None:
    calls.append(1)
    raise ConnectionError("gateway down")


@executor(id="manual")
async def manual(failure: ExecutorFailure, ctx: WorkflowContext[Never, str]) -> None:
    await ctx.yield_output(f"manual: {failure.message}")


def workflow():
    return (
        WorkflowBuilder()
        .set_start_executor(pay)
        .with_retry(pay, RetryPolicy(max_attempts=3, backoff_seconds=0))
        .with_fallback(pay, manual)
        .build()
    )


def test_retries_and_the_fallback_show_live_on_the_graph():
    flow = workflow()
    result = run(flow.run("order-7"))
    state = GraphState(flow)
    for event in result:
        state.update(event)
    assert state.retries["pay"] == 2
    assert state.states["manual"] == "done"
    assert state.edge_counts[("pay", "manual")] == 1
    text = workflow_to_dot(flow, states=state.states, edge_counts=state.edge_counts, retries=state.retries)
    assert "up to 3 attempts · retried ×2" in text
    assert '"pay" -> "manual" [style=dashed, label="  on failure · 1 delivered  "];' in text


def test_the_event_log_reads_retries_and_fallbacks_aloud():
    lines = [describe_event(e) for e in run(workflow().run("order-7"))]
    assert ("retry", "pay failed (ConnectionError) on attempt 1; retrying in 0 s") in lines
    assert ("fallback", "pay failed for good after 3 attempts; its work goes to manual") in lines
