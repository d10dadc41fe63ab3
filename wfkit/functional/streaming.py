"""The events of a functional run as they happen, and one run at a time per workflow.

A run goes on in a task of its own and hands its events over a queue, so a reader sees each
event the moment it happens (``async for event in workflow.run(message, stream=True)``), and
``await workflow.run(message)`` is the same stream read to its end. After each step the run
waits for its reader to catch up, so leaving the loop after a step's event leaves the run just
there.

A workflow runs one run at a time: a second ``run()`` while the first is going is refused. One
exception keeps notebooks friendly: a stream whose reader has stopped reading it (a loop left
with ``break``) does not hold the workflow up. The next run, started by that same reader,
stops the old run and takes its place; the old stream, read again, just ends.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, AsyncGenerator, Awaitable, Callable

from ..core.events import WorkflowEvent
from ..errors import WorkflowRunError


@dataclass
class OpenStream:
    """The stream of the run going on: its generator, and who reads it."""

    run_task: asyncio.Task[Any] | None = None  # the task the run goes on in, once started
    reader: asyncio.Task[Any] | None = None  # the task that asked for the latest event
    at_yield: bool = False  # it handed an event over and nobody has asked for the next yet
    closing: bool = False
    closed: asyncio.Event = field(default_factory=asyncio.Event)

    def is_abandoned(self) -> bool:
        """True if its reader has stopped reading: it waits at a ``yield`` and its reader is the
        task starting a new run (which cannot also be inside the old loop) or a task that ended."""
        if not self.at_yield:
            return False
        return self.reader is None or self.reader is asyncio.current_task() or self.reader.done()


class OneRunAtATime:
    """The gate a workflow's runs pass one by one."""

    def __init__(self, workflow_name: str) -> None:
        self.workflow_name = workflow_name
        self.current: OpenStream | None = None

    @property
    def busy(self) -> bool:
        """True while a run holds the gate."""
        return self.current is not None

    async def make_way(self) -> None:
        """Wait for a stream being closed, stop the run of one its reader left, or refuse while a
        run goes on."""
        current = self.current
        if current is not None:
            if current.closing:
                await current.closed.wait()
            elif current.is_abandoned() and current.run_task is not None:
                # Its generator is left alone: whoever closes it later (the event loop, for a
                # loop left with break) finds the run stopped and the gate no longer its own.
                current.run_task.cancel()
                await asyncio.gather(current.run_task, return_exceptions=True)
                self.current = None
        if self.current is not None:
            raise WorkflowRunError(
                f"Workflow '{self.workflow_name}' is already running. Wait for that run to end (or, if you "
                "keep its stream=True stream in a variable and stopped reading it, close it: await "
                f"stream.aclose()). For runs side by side, build one workflow each: {self.workflow_name}.build()."
            )


async def run_events(
    gate: OneRunAtATime,
    prepare: Callable[[], Awaitable[Any]],
    finish: Callable[[Any], None],
) -> AsyncGenerator[WorkflowEvent, None]:
    """The events of the run `prepare` makes (a `FunctionalRun`), once the gate lets it through.

    Nothing happens until the first event is asked for. `finish(run)` is called when the run
    has ended (not when its stream was left early, nor when a new run stopped it).
    """
    await gate.make_way()
    opened = gate.current = OpenStream()
    try:
        run = await prepare()
        queue: asyncio.Queue[WorkflowEvent | None] = asyncio.Queue()
        # The run goes at its reader's pace: after each step it waits until every event so far
        # has been read (`queue.join`), so a loop left with ``break`` at a step's end leaves the
        # run there, that step saved, instead of racing on unseen (as graph runs do).
        task = opened.run_task = asyncio.ensure_future(run.execute(queue.put_nowait, pace=queue.join))
        task.add_done_callback(lambda _: queue.put_nowait(None))
        try:
            while (event := await queue.get()) is not None:
                opened.reader, opened.at_yield = asyncio.current_task(), True
                yield event
                opened.at_yield = False
                queue.task_done()  # the reader came back for more: this event has been read
        finally:  # a loop left early stops the run
            opened.closing, opened.at_yield = True, False
            if not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        if not task.cancelled():  # cancelled: a new run took the workflow over
            task.result()  # re-raise anything unexpected from the run itself
            finish(run)
    finally:
        if gate.current is opened:
            gate.current = None
        opened.closed.set()
