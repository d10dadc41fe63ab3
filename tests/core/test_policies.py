"""Which policies a run gets (core/policies.py): a workflow without reliability settings shares
one empty `Policies` that nothing changes; any setting gives each run call its own."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import run
from tests.core.chain_ends import sink, start
from wfkit import (
    Never,
    RetryPolicy,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    executor,
)
from wfkit.core.policies import NO_POLICIES, Policies

FAST = RetryPolicy(max_attempts=2, backoff_seconds=0.001)


@executor(id="shaky")
async def shaky(text: str, ctx: WorkflowContext[Never]) -> None:
    raise ConnectionError("down")


def no_events(event: Any) -> None:
    raise AssertionError(f"nothing should be emitted here, got {event!r}")


def test_a_workflow_without_settings_runs_with_the_shared_empty_policies():
    plain = WorkflowBuilder().add_edge(start, sink).set_start_executor(start).build()
    assert Policies.for_run(plain, no_events, 0.0) is NO_POLICIES


@pytest.mark.parametrize(
    "setting",
    [
        lambda builder: builder.with_retry(start, FAST),
        lambda builder: builder.with_timeout(start, seconds=5),
        lambda builder: builder.with_run_timeout(5),
    ],
    ids=["retry", "timeout", "run timeout"],
)
def test_any_reliability_setting_gives_each_run_call_policies_of_its_own(setting):
    workflow = setting(WorkflowBuilder().add_edge(start, sink).set_start_executor(start)).build()
    first, second = Policies.for_run(workflow, no_events, 0.0), Policies.for_run(workflow, no_events, 0.0)
    assert first is not NO_POLICIES
    assert first is not second


def test_a_concurrency_limit_gives_each_run_call_slots_of_its_own():
    workflow = WorkflowBuilder().add_fan_out_edges(start, [sink], max_concurrency=1).set_start_executor(start).build()
    first, second = Policies.for_run(workflow, no_events, 0.0), Policies.for_run(workflow, no_events, 0.0)
    assert first.limits["sink"] is not second.limits["sink"]


def test_a_failed_run_leaves_the_shared_empty_policies_as_they_were():
    workflow = WorkflowBuilder().add_edge(start, shaky).set_start_executor(start).build()
    with pytest.raises(WorkflowFailedError, match="ConnectionError in shaky: down"):
        run(workflow.run("x"))
    assert NO_POLICIES.attempts == {}
    assert NO_POLICIES.completed == []
    assert NO_POLICIES.limits == {}


def test_a_call_that_fails_gives_its_concurrency_slot_back():
    # One slot for both executors of the step: the failed call (taken over by its fallback)
    # must hand the slot on, or the other call would wait for it forever.
    @executor(id="cover")
    async def cover(failure: Any, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"covered {failure.executor_id}")

    @executor(id="steady")
    async def steady(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"steady {text}")

    workflow = (
        WorkflowBuilder()
        .add_fan_out_edges(start, [shaky, steady], max_concurrency=1)
        .with_fallback(shaky, cover)
        .set_start_executor(start)
        .build()
    )
    result = run(workflow.run("x"), timeout=5)
    assert sorted(result.get_outputs()) == ["covered shaky", "steady x"]
