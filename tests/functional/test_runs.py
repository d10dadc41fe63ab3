"""One run at a time, failures, and leaving a stream early."""

import asyncio

import pytest

from tests.conftest import run
from wfkit import (
    ExecutorFailedEvent,
    InMemoryCheckpointStorage,
    RunContext,
    WorkflowFailedError,
    WorkflowRunError,
    WorkflowRunState,
    step,
    workflow,
)


class Boom(Exception):
    pass


def test_run_is_refused_while_a_run_is_under_way():
    gate = asyncio.Event()

    @workflow
    async def waiting(text: str) -> str:
        await gate.wait()
        return text

    async def scenario():
        first = asyncio.ensure_future(waiting.run("first"))
        await asyncio.sleep(0.01)
        with pytest.raises(WorkflowRunError, match="already running"):
            await waiting.run("second")
        gate.set()
        return await first

    assert run(scenario(), timeout=5).get_outputs() == ["first"]


def test_after_a_run_the_workflow_runs_again():
    @workflow
    async def echo(text: str) -> str:
        return text

    run(echo.run("a"))
    assert run(echo.run("b")).get_outputs() == ["b"]


def test_built_workflows_run_side_by_side():
    gate = asyncio.Event()

    @workflow
    async def waiting(text: str) -> str:
        await gate.wait()
        return text

    async def scenario():
        one, two = waiting.build(), waiting.build()
        runs = asyncio.gather(one.run("one"), two.run("two"))
        await asyncio.sleep(0.01)
        gate.set()
        return [result.get_outputs() for result in await runs]

    assert run(scenario(), timeout=5) == [["one"], ["two"]]


def test_leaving_a_stream_early_stops_the_run_and_frees_the_workflow():
    finished: list[str] = []

    @step
    async def first(text: str) -> str:
        return text

    @workflow
    async def long_one(text: str) -> str:
        await first(text)
        if text == "slow":
            await asyncio.sleep(5)
        finished.append(text)
        return text

    async def scenario():
        async for event in long_one.run("slow", stream=True):
            if event.type == "executor_completed":
                break
        return await long_one.run("quick")

    result = run(scenario(), timeout=3)  # the first run, had it gone on, would take 5 s
    assert result.get_outputs() == ["quick"]
    assert finished == ["quick"]


def test_a_stream_kept_and_still_read_by_another_task_holds_the_workflow():
    gate = asyncio.Event()

    @workflow
    async def waiting(text: str) -> str:
        await gate.wait()
        return text

    async def read_all(stream):
        return [event.type async for event in stream]

    async def scenario():
        reader = asyncio.ensure_future(read_all(waiting.run("first", stream=True)))
        await asyncio.sleep(0.01)
        with pytest.raises(WorkflowRunError, match="already running"):
            await waiting.run("second")
        gate.set()
        return await reader

    assert "output" in run(scenario(), timeout=5)


def test_a_failure_raises_workflow_failed_error_from_the_very_exception():
    boom = Boom("the step broke")

    @step
    async def breaks(text: str) -> str:
        raise boom

    @workflow
    async def breaking(text: str) -> str:
        return await breaks(text)

    with pytest.raises(WorkflowFailedError) as failed:
        run(breaking.run("x"))
    assert failed.value.__cause__ is boom
    assert failed.value.details.executor_id == "breaks"


def test_a_failing_step_says_so_before_the_run_fails():
    @step
    async def breaks(text: str) -> str:
        raise Boom("no")

    @workflow
    async def breaking(text: str) -> str:
        return await breaks(text)

    with pytest.raises(WorkflowFailedError) as failed:
        run(breaking.run("x"))
    types = [e.type for e in failed.value.events]
    assert types[-4:] == ["executor_invoked", "executor_failed", "failed", "status"]
    assert failed.value.events[-1].state is WorkflowRunState.FAILED
    [step_failed] = [e for e in failed.value.events if isinstance(e, ExecutorFailedEvent)]
    assert step_failed.executor_id == "breaks"


def test_an_error_in_the_workflow_body_names_the_workflow():
    @workflow(name="body")
    async def body(text: str) -> str:
        raise Boom("in the body")

    with pytest.raises(WorkflowFailedError) as failed:
        run(body.run("x"))
    assert failed.value.details.executor_id == "body"


def test_a_streamed_failing_run_shows_the_failed_event_then_raises():
    @workflow
    async def breaking(text: str) -> str:
        raise Boom("no")

    seen: list[str] = []

    async def scenario():
        async for event in breaking.run("x", stream=True):
            seen.append(event.type)

    with pytest.raises(WorkflowFailedError):
        run(scenario())
    assert seen[-2:] == ["failed", "status"]


def test_a_failed_run_cannot_be_answered():
    @workflow
    async def asks_then_breaks(text: str, ctx: RunContext) -> str:
        await ctx.request_info("ok?", bool)
        raise Boom("after the answer")

    run(asks_then_breaks.run("x"))
    with pytest.raises(WorkflowFailedError):
        run(asks_then_breaks.run(responses={"auto::0": True}))
    assert asks_then_breaks.pending_requests == {}


def test_the_workflow_is_free_after_a_failure():
    attempts: list[str] = []

    @workflow
    async def flaky(text: str) -> str:
        attempts.append(text)
        if len(attempts) == 1:
            raise Boom("first time")
        return text

    with pytest.raises(WorkflowFailedError):
        run(flaky.run("a"))
    assert run(flaky.run("b")).get_outputs() == ["b"]


def test_a_stream_left_after_a_step_leaves_the_run_there_with_that_step_saved():
    calls: list[str] = []
    storage = InMemoryCheckpointStorage()

    @step
    async def first(text: str) -> str:
        calls.append("first")
        return text

    @step
    async def second(text: str) -> str:
        calls.append("second")
        return text

    @workflow(name="two_steps", checkpoint_storage=storage)
    async def two_steps(text: str) -> str:
        return await second(await first(text))

    async def leave_after_the_first_step():
        async for event in two_steps.run("x", stream=True):
            if event.type == "executor_completed":
                break
        await asyncio.sleep(0.05)  # a run racing on would run the second step meanwhile

    run(leave_after_the_first_step())
    assert calls == ["first"]
    latest = run(storage.get_latest(workflow_name="two_steps"))
    assert run(two_steps.run(checkpoint_id=latest.checkpoint_id)).get_outputs() == ["x"]
    assert calls == ["first", "second"]
