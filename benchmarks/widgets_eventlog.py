"""How much a run's events cost the notebook page: events handled per second, messages sent.

    python benchmarks/widgets_eventlog.py [--events 10000]

Every widget talks to the browser through a *comm*; each trait change is one ``comm_msg``.
This script swaps in a comm that only counts what would be sent, then pushes 10,000 events
through the EventLog, the GraphView and a whole RunView (a real workflow run, driven by a
NotebookRun), and prints a markdown table. The "no batching" row is what a log that redrew on
every event would cost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections import Counter
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # run from a checkout without installing

import comm  # noqa: E402
from comm.base_comm import BaseComm  # noqa: E402


class CountingComm(BaseComm):
    """A comm that sends nothing and counts what it would have sent."""

    sent: Counter[str] = Counter()
    sent_bytes: Counter[str] = Counter()

    def publish_msg(
        self, msg_type: str, data: Any = None, metadata: Any = None, buffers: Any = None, **keys: Any
    ) -> None:
        CountingComm.sent[msg_type] += 1
        CountingComm.sent_bytes[msg_type] += len(json.dumps(data, default=str))

    @classmethod
    def reset(cls) -> None:
        cls.sent.clear()
        cls.sent_bytes.clear()


comm.create_comm = CountingComm  # ipywidgets asks this factory for every widget's comm

from wfkit import WorkflowBuilder, WorkflowContext, Executor, handler  # noqa: E402
from wfkit.notebook import NotebookRun  # noqa: E402
from wfkit.widgets import EventLog, GraphView  # noqa: E402


class Counter_(Executor):
    """Counts down by sending itself the next number: four events per superstep."""

    @handler
    async def count(self, n: int, ctx: WorkflowContext[int, int]) -> None:
        if n > 0:
            await ctx.send_message(n - 1)
        else:
            await ctx.yield_output(0)


def countdown(steps: int):
    counter = Counter_("counter")
    return WorkflowBuilder(max_iterations=steps + 10).set_start_executor(counter).add_edge(counter, counter).build()


async def recorded_events(total: int) -> list[Any]:
    """`total` real events, from a countdown run (about four per superstep)."""
    workflow = countdown(total // 4 + 1)
    events = [event async for event in workflow.run_stream(total // 4 + 1)]
    return events[:total]


async def feed(sink: Any, events: list[Any], batch: int = 50, pause: float = 0.0) -> float:
    """Hand events to `sink.handle` the way a stream does: every `batch` events, give the loop
    a turn (timers, so the throttle's redraws, run then), waiting `pause` seconds."""
    started = time.perf_counter()
    for index, event in enumerate(events):
        sink.handle(event)
        if index % batch == 0:
            await asyncio.sleep(pause)
    sink.flush()
    return time.perf_counter() - started


async def measure(name: str, make: Any, run: Any) -> dict[str, Any]:
    widget = make()
    CountingComm.reset()  # count updates only, not the widgets' creation
    seconds, events = await run(widget)
    return {
        "name": name,
        "events": events,
        "seconds": seconds,
        "messages": CountingComm.sent["comm_msg"],
        "bytes": CountingComm.sent_bytes["comm_msg"],
    }


async def main(total: int) -> list[dict[str, Any]]:
    events = await recorded_events(total)
    rows = []

    async def fed(widget: Any) -> tuple[float, int]:
        return await feed(widget, events), len(events)

    rows.append(await measure("EventLog (max 500 lines)", lambda: EventLog(max_lines=500), fed))
    rows.append(await measure(
        "EventLog, no batching", lambda: EventLog(max_lines=500, min_redraw_interval=0.0), fed
    ))
    rows.append(await measure("GraphView", lambda: GraphView(countdown(1)), fed))

    async def paced(widget: Any) -> tuple[float, int]:
        # A slower run: the same events spread over about two seconds.
        return await feed(widget, events, batch=5, pause=0.001), len(events)

    rows.append(await measure("EventLog, events spread over ~2 s", lambda: EventLog(max_lines=500), paced))
    rows.append(await measure("GraphView, events spread over ~2 s", lambda: GraphView(countdown(1)), paced))

    async def live_run(notebook_run: NotebookRun) -> tuple[float, int]:
        started = time.perf_counter()
        await notebook_run.start(total // 4)
        return time.perf_counter() - started, len(notebook_run.events)

    rows.append(await measure(
        "RunView, live run (graph+log+cards)", lambda: NotebookRun(countdown(total // 4)), live_run
    ))
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    print("| widget | events | seconds | events/s | frontend messages | KB sent |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        rate = row["events"] / row["seconds"] if row["seconds"] else float("inf")
        print(
            f"| {row['name']} | {row['events']:,} | {row['seconds']:.2f} | {rate:,.0f} | "
            f"{row['messages']:,} | {row['bytes'] / 1024:,.0f} |"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    print_table(asyncio.run(main(parser.parse_args().events)))
