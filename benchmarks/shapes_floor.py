"""The floor: the three shapes on a minimal superstep engine, as a lower bound for wfkit.

The engine below (between the two rules) does, per hop, the same semantic work as wfkit and
no more: the handler is looked up by the message's type in a per-class cache, each call gets
its own context object (``send_message`` / ``yield_output``), each call appends an invoked and
a completed event, each superstep a started and a completed event; messages sent in superstep
k are delivered in superstep k + 1; a step with more than one target runs them with
``asyncio.gather`` (one target is awaited directly; one target's messages run in order); a
fan-in edge buffers what each of its sources sent and delivers one list once every source
has sent. It has none of wfkit's checks, type validation, state, requests, retries or
checkpoints: what wfkit costs above this floor is the price of those.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable

from common import CHAIN_LENGTH, FAN_WIDTH, LOOP_HOPS, LOOP_MAX_ITERATIONS, single_output

NAME = "floor"

# ------------------------------------------------------------------------------------------


class Event:
    __slots__ = ("source", "data")

    def __init__(self, source: Any, data: Any = None) -> None:
        self.source, self.data = source, data


class Invoked(Event): ...
class Completed(Event): ...
class StepStarted(Event): ...
class StepCompleted(Event): ...
class Output(Event): ...


def handles(kind: type) -> Callable[[Callable], Callable]:
    def mark(func: Callable) -> Callable:
        func.handles = kind
        return func
    return mark


class Executor:
    def __init_subclass__(cls) -> None:
        own = {f.handles: f for f in vars(cls).values() if hasattr(f, "handles")}
        cls._handlers = {**getattr(cls, "_handlers", {}), **own}  # registered: type -> handler
        cls._cache = {}  # a message type seen -> its handler (first match along its MRO)

    def __init__(self, id: str) -> None:
        self.id = id

    def handler_for(self, message: Any) -> Callable:
        kind = type(message)
        found = self._cache.get(kind)
        if found is None:
            found = next(self._handlers[k] for k in kind.__mro__ if k in self._handlers)
            self._cache[kind] = found
        return found


class Context:
    __slots__ = ("id", "sent", "events")

    def __init__(self, id: str, sent: list, events: list) -> None:
        self.id, self.sent, self.events = id, sent, events

    async def send_message(self, message: Any) -> None:
        self.sent.append((self.id, message))

    async def yield_output(self, data: Any) -> None:
        self.events.append(Output(self.id, data))


class FanIn:
    def __init__(self, sources: list[Executor], target: Executor) -> None:
        self.sources, self.target = [s.id for s in sources], target


class Workflow:
    def __init__(self, start: Executor, edges: dict[str, list], max_steps: int = 100) -> None:
        self.start, self.edges, self.max_steps = start, edges, max_steps  # edges: id -> targets

    async def call(self, target: Executor, inbox: list, sent: list, events: list) -> None:
        for message in inbox:
            events.append(Invoked(target.id, message))
            await target.handler_for(message)(target, message, Context(target.id, sent, events))
            events.append(Completed(target.id))

    async def run(self, message: Any) -> list:
        events: list = []
        buffers: dict[FanIn, dict[str, list]] = {}
        pending = {self.start: [message]}
        step = 0
        while pending:
            if step == self.max_steps:
                raise RuntimeError(f"still running after {self.max_steps} supersteps")
            events.append(StepStarted(step))
            sent: list = []
            if len(pending) == 1:
                [(target, inbox)] = pending.items()
                await self.call(target, inbox, sent, events)
            else:
                await asyncio.gather(*(self.call(t, inbox, sent, events) for t, inbox in pending.items()))
            events.append(StepCompleted(step))
            pending = {}
            for source, msg in sent:
                for edge in self.edges.get(source, ()):
                    if isinstance(edge, FanIn):
                        buffer = buffers.setdefault(edge, {})
                        buffer.setdefault(source, []).append(msg)
                        if len(buffer) == len(edge.sources):
                            batch = [m for s in edge.sources for m in buffer[s]]
                            pending.setdefault(edge.target, []).append(batch)
                            del buffers[edge]
                    else:
                        pending.setdefault(edge, []).append(msg)
            step += 1
        return events


# ------------------------------------------------------------------------------------------


def version() -> str:
    return "(benchmarks/shapes_floor.py)"


class AddOne(Executor):
    @handles(int)
    async def step(self, n: int, ctx: Context) -> None:
        await ctx.send_message(n + 1)


class AddOneAndFinish(Executor):
    @handles(int)
    async def step(self, n: int, ctx: Context) -> None:
        await ctx.yield_output(n + 1)


class Source(Executor):
    @handles(int)
    async def start(self, n: int, ctx: Context) -> None:
        await ctx.send_message(n)


class Worker(Executor):
    def __init__(self, id: str, index: int) -> None:
        super().__init__(id)
        self.index = index

    @handles(int)
    async def work(self, n: int, ctx: Context) -> None:
        await ctx.send_message(n + self.index + 1)


class Collector(Executor):
    @handles(list)
    async def collect(self, items: list[int], ctx: Context) -> None:
        await ctx.yield_output(items)


class PingPong(Executor):
    @handles(int)
    async def hop(self, count: int, ctx: Context) -> None:
        count += 1
        if count >= LOOP_HOPS:
            await ctx.yield_output(count)
        else:
            await ctx.send_message(count)


def _build(shape: str) -> Workflow:
    if shape == "chain":
        links = [AddOne(f"link{i}") for i in range(CHAIN_LENGTH - 1)] + [AddOneAndFinish(f"link{CHAIN_LENGTH - 1}")]
        return Workflow(links[0], {a.id: [b] for a, b in zip(links, links[1:])})
    if shape == "fan":
        source = Source("source")
        workers = [Worker(f"worker{i}", i) for i in range(FAN_WIDTH)]
        fan_in = FanIn(workers, Collector("collector"))
        return Workflow(source, {source.id: workers, **{w.id: [fan_in] for w in workers}})
    if shape == "loop":
        a, b = PingPong("a"), PingPong("b")
        return Workflow(a, {"a": [b], "b": [a]}, max_steps=LOOP_MAX_ITERATIONS)
    raise ValueError(f"unknown shape {shape!r}")


def make(shape: str) -> Callable[[], Awaitable[Any]]:
    """Build the workflow once; return a coroutine function that runs it once with input 0."""
    workflow = _build(shape)

    async def run_once() -> Any:
        events = await workflow.run(0)
        return single_output([e.data for e in events if type(e) is Output], shape)

    return run_once
