"""Streaming: events arrive while the run is going, and leaving early is safe."""

import asyncio
import gc
import warnings

import pytest

from tests.conftest import run
from wfkit import (
    ExecutorInvokedEvent,
    InMemoryCheckpointStorage,
    Never,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowEvent,
    WorkflowOutputEvent,
    WorkflowRunState,
    executor,
)


class Ping(WorkflowEvent):
    pass


def test_events_are_streamed_while_the_handler_is_still_running():
    # The handler only finishes once the consumer has seen its event: that needs live streaming.
    seen = asyncio.Event()

    @executor(id="talker")
    async def talker(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.add_event(Ping("hello"))
        await seen.wait()
        await ctx.yield_output("done")

    workflow = WorkflowBuilder().set_start_executor(talker).build()

    async def consume():
        outputs = []
        async for event in workflow.run_stream("x"):
            if isinstance(event, Ping):
                seen.set()
            if isinstance(event, WorkflowOutputEvent):
                outputs.append(event.data)
        return outputs

    assert run(consume(), timeout=5) == ["done"]


def slow_loop_workflow(hops: list[int]):
    @executor(id="loop")
    async def loop(n: int, ctx: WorkflowContext[int, int]) -> None:
        hops.append(n)
        await asyncio.sleep(0.001)
        if n >= 50:
            await ctx.yield_output(n)
        else:
            await ctx.send_message(n + 1)

    return WorkflowBuilder(max_iterations=100).add_edge(loop, loop).set_start_executor(loop).build()


def test_breaking_out_of_a_stream_stops_the_run_and_frees_the_workflow():
    hops: list[int] = []
    workflow = slow_loop_workflow(hops)

    async def scenario():
        async for event in workflow.run_stream(0):
            if isinstance(event, ExecutorInvokedEvent) and event.data == 3:
                break
        gc.collect()
        result = await workflow.run(45)
        return result

    result = run(scenario())
    assert result.get_outputs() == [50]
    # The abandoned run stopped soon after the break instead of running on to 50.
    assert hops.index(45) <= 6
    assert workflow.last_run_state is WorkflowRunState.IDLE


def test_closing_a_stream_explicitly_cancels_the_run():
    hops: list[int] = []
    workflow = slow_loop_workflow(hops)

    async def scenario():
        stream = workflow.run_stream(0)
        async for event in stream:
            if isinstance(event, ExecutorInvokedEvent):
                break
        await stream.aclose()
        state_after_close = workflow.last_run_state
        count = len(hops)
        await asyncio.sleep(0.05)
        return state_after_close, count, len(hops)

    state, count_at_close, count_later = run(scenario())
    assert state is WorkflowRunState.CANCELLED
    assert count_later == count_at_close


def test_cancelling_a_running_task_frees_the_workflow():
    hops: list[int] = []
    workflow = slow_loop_workflow(hops)

    async def scenario():
        task = asyncio.ensure_future(workflow.run(0))
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return await workflow.run(49)

    assert run(scenario()).get_outputs() == [50]
    assert workflow.last_run_state is WorkflowRunState.IDLE


def test_a_stream_kept_in_a_variable_is_closed_by_the_next_run_with_a_warning_saying_how():
    hops: list[int] = []
    workflow = slow_loop_workflow(hops)

    async def scenario():
        stream = workflow.run_stream(0)
        async for event in stream:
            if isinstance(event, ExecutorInvokedEvent):
                break
        # The loop was left, but `stream` still holds the run: the next run closes it, and says
        # how to do that yourself (tests/core/test_hardening.py has the details).
        with pytest.warns(RuntimeWarning, match=r"await stream\.aclose\(\)"):
            await workflow.run(45)
        await stream.aclose()  # closing it again is harmless
        return await workflow.run(45)

    assert run(scenario()).get_outputs() == [50]


def test_a_stream_of_today_kept_in_a_variable_is_closed_by_the_next_run_without_noise():
    # `run(stream=True)` wraps the run's generator in a WorkflowEventStream: closing the one left
    # behind must not make the wrapper close it a second time, mid-close ("already running").
    hops: list[int] = []
    workflow = slow_loop_workflow(hops)
    complaints: list[dict] = []

    async def scenario():
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: complaints.append(context))
        stream = workflow.run(0, stream=True)
        async for event in stream:
            if event.type == "superstep_completed":
                break
        with pytest.warns(RuntimeWarning, match=r"await stream\.aclose\(\)"):
            result = await workflow.run(45)
        del stream
        gc.collect()
        await asyncio.sleep(0.01)  # let the event loop finalise the wrapper's generator
        return result

    assert run(scenario()).get_outputs() == [50]
    assert complaints == []


@pytest.mark.parametrize("dialect", ["run_stream", "run(stream=True)"])
def test_a_stream_kept_from_an_earlier_notebook_cell_does_not_lock_the_next_cell(dialect):
    """Jupyter runs each cell in a task of its own. Cell 1 leaves its ``async for`` with
    ``break`` and keeps the stream in a variable; cell 1's task has ended, so nobody reads that
    stream any more: cell 2's run goes ahead, the old one closed (by cell 2, with a warning that
    says how to close it yourself, or already by the event loop: today's stream reads through a
    wrapper whose loop-own generator is collected at the ``break``)."""
    hops: list[int] = []
    workflow = slow_loop_workflow(hops)
    kept: dict[str, object] = {}  # the notebook's namespace

    async def first_cell() -> None:
        kept["stream"] = workflow.run(0, stream=True) if dialect != "run_stream" else workflow.run_stream(0)
        async for event in kept["stream"]:
            if event.type == "superstep_completed":
                break

    async def second_cell():
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            result = await workflow.run(45)
        assert all("await stream.aclose()" in str(warning.message) for warning in said)
        return result

    async def notebook():
        await asyncio.ensure_future(first_cell())
        result = await asyncio.ensure_future(second_cell())
        return result, [event async for event in kept["stream"]]

    result, rest_of_the_old_stream = run(notebook())
    assert result.get_outputs() == [50] and workflow.last_run_state is WorkflowRunState.IDLE
    assert rest_of_the_old_stream == []  # closed, not left running


def counting_loop(calls: list[int], storage: InMemoryCheckpointStorage, last: int = 10):
    """A loop that counts to `last` in one superstep per number, without ever pausing on its own:
    only the stream's pace can hold it."""

    @executor(id="count")
    async def count(n: int, ctx: WorkflowContext[int, int]) -> None:
        calls.append(n)
        if n >= last:
            await ctx.yield_output(n)
        else:
            await ctx.send_message(n + 1)

    return WorkflowBuilder(start_executor=count, checkpoint_storage=storage).add_edge(count, count).build()


def test_a_stream_left_at_a_step_end_leaves_its_run_there_with_that_step_saved():
    # A reader who stops after superstep 3 finds the run stopped there, not raced on to the end:
    # the latest checkpoint is step 3's, and a run from it finishes the count, each number once.
    calls: list[int] = []
    storage = InMemoryCheckpointStorage()
    workflow = counting_loop(calls, storage)

    async def scenario():
        async for event in workflow.run(1, stream=True):
            if event.type == "superstep_completed" and event.iteration == 3:
                break
        latest = await storage.get_latest(workflow_name=workflow.name)
        calls_at_break = list(calls)
        fresh = counting_loop(calls, storage)  # as after a restart: another workflow object
        result = await fresh.run(checkpoint_id=latest.checkpoint_id)
        return latest.iteration_count, calls_at_break, result.get_outputs()

    iteration, calls_at_break, outputs = run(scenario())
    assert (iteration, calls_at_break) == (3, [1, 2, 3])
    assert outputs == [10]
    assert calls == list(range(1, 11))


def test_a_step_is_saved_before_the_stream_says_it_is_complete():
    calls: list[int] = []
    storage = InMemoryCheckpointStorage()
    workflow = counting_loop(calls, storage, last=4)

    async def scenario():
        saved_when_announced = []
        async for event in workflow.run(1, stream=True):
            if event.type == "superstep_completed":
                latest = await storage.get_latest(workflow_name=workflow.name)
                saved_when_announced.append(latest.iteration_count)
        return saved_when_announced

    assert run(scenario()) == [1, 2, 3, 4]
