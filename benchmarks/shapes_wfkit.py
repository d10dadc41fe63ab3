"""The three benchmark shapes written with wfkit's public API (see common.py for the shapes)."""

from __future__ import annotations

from importlib import metadata
from typing import Any, Awaitable, Callable

from common import CHAIN_LENGTH, FAN_WIDTH, LOOP_HOPS, LOOP_MAX_ITERATIONS, single_output
from wfkit import Executor, Never, WorkflowBuilder, WorkflowContext, handler

NAME = "wfkit"


def version() -> str:
    try:
        return metadata.version("wfkit")
    except metadata.PackageNotFoundError:  # running from a source tree
        return "source"


class AddOne(Executor):
    """A chain link: pass n + 1 on."""

    @handler
    async def step(self, n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n + 1)


class AddOneAndFinish(Executor):
    """The chain's last link: yield n + 1."""

    @handler
    async def step(self, n: int, ctx: WorkflowContext[Never, int]) -> None:
        await ctx.yield_output(n + 1)


class Source(Executor):
    """Hand the input to every worker."""

    @handler
    async def start(self, n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n)


class Worker(Executor):
    """A fan-out branch: send n + index + 1."""

    def __init__(self, id: str, index: int) -> None:
        super().__init__(id)
        self.index = index

    @handler
    async def work(self, n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n + self.index + 1)


class Collector(Executor):
    """The fan-in target: yield the collected list."""

    @handler
    async def collect(self, items: list[int], ctx: WorkflowContext[Never, list[int]]) -> None:
        await ctx.yield_output(items)


class PingPong(Executor):
    """One side of the loop: count this delivery, then pass the count back or finish."""

    @handler
    async def hop(self, count: int, ctx: WorkflowContext[int, int]) -> None:
        count += 1
        if count >= LOOP_HOPS:
            await ctx.yield_output(count)
        else:
            await ctx.send_message(count)


def _build(shape: str) -> Any:
    if shape == "chain":
        links = [AddOne(f"link{i}") for i in range(CHAIN_LENGTH - 1)] + [AddOneAndFinish(f"link{CHAIN_LENGTH - 1}")]
        return WorkflowBuilder().add_chain(links).set_start_executor(links[0]).build()
    if shape == "fan":
        source = Source("source")
        workers = [Worker(f"worker{i}", i) for i in range(FAN_WIDTH)]
        collector = Collector("collector")
        return (
            WorkflowBuilder()
            .add_fan_out_edges(source, workers)
            .add_fan_in_edges(workers, collector)
            .set_start_executor(source)
            .build()
        )
    if shape == "loop":
        a, b = PingPong("a"), PingPong("b")
        return (
            WorkflowBuilder(max_iterations=LOOP_MAX_ITERATIONS)
            .add_edge(a, b)
            .add_edge(b, a)
            .set_start_executor(a)
            .build()
        )
    raise ValueError(f"unknown shape {shape!r}")


def make(shape: str) -> Callable[[], Awaitable[Any]]:
    """Build the workflow once; return a coroutine function that runs it once with input 0."""
    workflow = _build(shape)

    async def run_once() -> Any:
        result = await workflow.run(0)
        return single_output(result.get_outputs(), shape)

    return run_once
