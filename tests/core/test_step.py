"""What one superstep keeps (core/step.py): the writes of every call that succeeded, none of a
call that failed, and the memory of every edge group that routed in it."""

from __future__ import annotations

from typing import Any

from tests.conftest import run
from wfkit import Executor, Never, WorkflowBuilder, WorkflowContext, executor, handler, response_handler


@executor(id="start")
async def start(n: int, ctx: WorkflowContext[int]) -> None:
    await ctx.send_message(n)


class Writer(Executor):
    """Writes its own state, a shared value of its own, and asks a question it can take answers to."""

    @handler
    async def write(self, n: int, ctx: WorkflowContext[Never]) -> None:
        await ctx.set_executor_state({"seen": n})
        await ctx.set_shared_state(self.id, n)
        await ctx.set_shared_state("last", self.id)
        await ctx.request_info(f"{self.id}: go on?", bool, request_id=f"ask-{self.id}")

    @response_handler
    async def answered(self, question: str, go_on: bool, ctx: WorkflowContext[Never]) -> None:
        pass


def test_every_call_of_a_step_keeps_its_writes():
    # Three calls in one superstep each write executor state, shared state and a request: the
    # step keeps them all, not only the last call's.
    writers = [Writer(name) for name in ("a", "b", "c")]
    workflow = WorkflowBuilder().add_fan_out_edges(start, writers).set_start_executor(start).build()
    run(workflow.run(7))
    state = workflow.latest_run.state
    assert state.executor_states == {"a": {"seen": 7}, "b": {"seen": 7}, "c": {"seen": 7}}
    assert {key: state.shared_state[key] for key in ("a", "b", "c")} == {"a": 7, "b": 7, "c": 7}
    assert state.shared_state["last"] in {"a", "b", "c"}
    assert sorted(workflow.pending_requests) == ["ask-a", "ask-b", "ask-c"]


def test_a_call_that_failed_leaves_no_writes_while_the_rest_of_its_step_keeps_theirs():
    @executor(id="steady")
    async def steady(n: int, ctx: WorkflowContext[Never]) -> None:
        await ctx.set_shared_state("steady", n)

    @executor(id="shaky")
    async def shaky(n: int, ctx: WorkflowContext[Never]) -> None:
        await ctx.set_shared_state("shaky", n)
        await ctx.set_executor_state({"half": "done"})
        raise RuntimeError("down")

    @executor(id="cover")
    async def cover(failure: Any, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"covered {failure.executor_id}")

    workflow = (
        WorkflowBuilder()
        .add_fan_out_edges(start, [steady, shaky])
        .with_fallback(shaky, cover)
        .set_start_executor(start)
        .build()
    )
    assert run(workflow.run(3)).get_outputs() == ["covered shaky"]
    state = workflow.latest_run.state
    assert state.shared_state == {"steady": 3}
    assert "shaky" not in state.executor_states


def test_two_joins_waiting_in_the_same_steps_each_keep_their_memory():
    # a and c reach their joins a step before x and y do, so both joins keep a buffer across a
    # superstep, written in the same steps: neither may lose what the other wrote.
    def relay(name: str):
        @executor(id=name)
        async def send_on(n: int, ctx: WorkflowContext[int]) -> None:
            await ctx.send_message(n + 1)

        return send_on

    def join(name: str):
        @executor(id=name)
        async def collect(parts: list[int], ctx: WorkflowContext[Never, tuple[str, list[int]]]) -> None:
            await ctx.yield_output((name, parts))

        return collect

    a, b, c, d, x, y = (relay(name) for name in "abcdxy")
    workflow = (
        WorkflowBuilder()
        .add_fan_out_edges(start, [a, b, c, d])
        .add_edge(b, x)
        .add_edge(d, y)
        .add_fan_in_edges([a, x], join("first"))
        .add_fan_in_edges([c, y], join("second"))
        .set_start_executor(start)
        .build()
    )
    result = run(workflow.run(0))
    assert sorted(result.get_outputs()) == [("first", [1, 2]), ("second", [1, 2])]
    assert not [event for event in result if event.type == "warning"]

