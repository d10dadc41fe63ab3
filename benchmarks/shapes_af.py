"""The three benchmark shapes written with Microsoft Agent Framework (`agent-framework-core`).

Same executors, same edges and the same per-node work as shapes_wfkit.py. Works with both
builder styles AF has shipped: ``WorkflowBuilder(start_executor=x)`` (1.x) and
``WorkflowBuilder().set_start_executor(x)`` (older previews).
"""

from __future__ import annotations

import inspect
from importlib import metadata
from typing import Any, Awaitable, Callable

from agent_framework import Executor, WorkflowBuilder, WorkflowContext, handler
from common import CHAIN_LENGTH, FAN_WIDTH, LOOP_HOPS, LOOP_MAX_ITERATIONS, single_output

try:
    from typing_extensions import Never
except ImportError:  # pragma: no cover
    from typing import Never  # type: ignore[attr-defined,no-redef]

NAME = "agent-framework-core"


def version() -> str:
    return metadata.version("agent-framework-core")


class AddOne(Executor):
    @handler
    async def step(self, n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n + 1)


class AddOneAndFinish(Executor):
    @handler
    async def step(self, n: int, ctx: WorkflowContext[Never, int]) -> None:
        await ctx.yield_output(n + 1)


class Source(Executor):
    @handler
    async def start(self, n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n)


class Worker(Executor):
    def __init__(self, id: str, index: int) -> None:
        super().__init__(id=id)
        self.index = index

    @handler
    async def work(self, n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n + self.index + 1)


class Collector(Executor):
    @handler
    async def collect(self, items: list[int], ctx: WorkflowContext[Never, list[int]]) -> None:
        await ctx.yield_output(items)


class PingPong(Executor):
    @handler
    async def hop(self, count: int, ctx: WorkflowContext[int, int]) -> None:
        count += 1
        if count >= LOOP_HOPS:
            await ctx.yield_output(count)
        else:
            await ctx.send_message(count)


_START_IN_CONSTRUCTOR = "start_executor" in inspect.signature(WorkflowBuilder.__init__).parameters


def _builder(start: Executor, **kwargs: Any) -> Any:
    if _START_IN_CONSTRUCTOR:
        return WorkflowBuilder(start_executor=start, **kwargs)
    return WorkflowBuilder(**kwargs).set_start_executor(start)  # type: ignore[attr-defined]


def _build(shape: str) -> Any:
    if shape == "chain":
        links = [AddOne(id=f"link{i}") for i in range(CHAIN_LENGTH - 1)]
        links.append(AddOneAndFinish(id=f"link{CHAIN_LENGTH - 1}"))
        return _builder(links[0]).add_chain(links).build()
    if shape == "fan":
        source = Source(id="source")
        workers = [Worker(f"worker{i}", i) for i in range(FAN_WIDTH)]
        collector = Collector(id="collector")
        return _builder(source).add_fan_out_edges(source, workers).add_fan_in_edges(workers, collector).build()
    if shape == "loop":
        a, b = PingPong(id="a"), PingPong(id="b")
        return _builder(a, max_iterations=LOOP_MAX_ITERATIONS).add_edge(a, b).add_edge(b, a).build()
    raise ValueError(f"unknown shape {shape!r}")


def make(shape: str) -> Callable[[], Awaitable[Any]]:
    """Build the workflow once; return a coroutine function that runs it once with input 0."""
    workflow = _build(shape)

    async def run_once() -> Any:
        result = await workflow.run(0)
        return single_output(result.get_outputs(), shape)

    return run_once
