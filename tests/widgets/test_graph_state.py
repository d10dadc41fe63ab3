"""GraphState while a run is under way: an executor whose handler has not returned is "running"."""

from __future__ import annotations

import asyncio

from tests.conftest import run
from tests.widgets.workflows import Splitter
from wfkit import Executor, Never, WorkflowBuilder, WorkflowContext, handler
from wfkit.core.events import ExecutorInvokedEvent
from wfkit.viz.dot import STATE_COLOURS
from wfkit.widgets import RunView
from wfkit.widgets.graph_state import GraphState


class Gate(Executor):
    """Holds its message until the test opens the gate, so the test can look at the graph while
    the handler is still running."""

    def __init__(self, id: str, opened: asyncio.Event) -> None:
        super().__init__(id)
        self.opened = opened

    @handler
    async def hold(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        await self.opened.wait()
        await ctx.yield_output(f"{text} let through")


def gated_workflow(opened: asyncio.Event):
    """start -> gate: the gate's handler runs until `opened` is set."""
    start, gate = Splitter("start"), Gate("gate", opened)
    return WorkflowBuilder().set_start_executor(start).add_edge(start, gate).build()


def test_an_executor_is_running_from_its_invocation_until_its_handler_returns():
    async def scenario() -> tuple[dict[str, str], dict[str, str]]:
        opened = asyncio.Event()
        workflow = gated_workflow(opened)
        state = GraphState(workflow)
        while_held: dict[str, str] = {}
        async for event in workflow.run_stream("x"):
            state.update(event)
            if isinstance(event, ExecutorInvokedEvent) and event.executor_id == "gate":
                while_held = dict(state.states)
                opened.set()  # the handler can only return after this line
        return while_held, state.states

    while_held, at_the_end = run(scenario())
    assert while_held == {"start": "done", "gate": "running"}
    assert at_the_end == {"start": "done", "gate": "done"}


def test_the_run_view_draws_a_running_executor_in_the_running_colour_while_it_runs():
    running_fill, _ = STATE_COLOURS["running"]

    async def scenario() -> None:
        opened = asyncio.Event()
        workflow = gated_workflow(opened)
        view = RunView(workflow, min_redraw_interval=0)

        async def stream_into_the_view() -> None:
            async for event in workflow.run_stream("x"):
                view.handle(event)

        running = asyncio.ensure_future(stream_into_the_view())
        while view.graph.states.get("gate") != "running":
            assert not running.done(), "the run ended before the gate's handler was seen running"
            await asyncio.sleep(0.01)
        view.graph.flush()
        assert "running 1" in view.graph.caption.value and running_fill in view.graph.picture.value
        opened.set()
        await running
        assert view.graph.states == {"start": "done", "gate": "done"} and view.recent_outputs == ["x let through"]

    run(scenario())
