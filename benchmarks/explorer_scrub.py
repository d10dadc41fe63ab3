"""How responsive the run explorer stays on a long run: time per step change, messages sent.

    python benchmarks/explorer_scrub.py [--steps 1000] [--moves 200]

A loop of two executors runs `--steps` supersteps with a checkpoint after each (in memory, so
the disk is not what is measured). The script reads the run into a `RunHistory`, opens a
`RunExplorer` on it and moves the slider to `--moves` steps picked at random (the same ones on
every run of the script), then back to each of them once more, each move arriving as the page
sends it; then it times `history.diff` between steps far apart. A step seen for the first time costs a Graphviz drawing; a step seen again is drawn
from the explorer's cache. The comm is the counting one of `widgets_eventlog.py`, so the table
says how many messages the page gets back: the new step's picture, and ipywidgets' own echo of
the slider's value (its acknowledgement of the move, sent by every ipywidgets 8 slider).

Then the controls around the step, each arriving as the page sends it: a click on an executor's
box (the log narrowed to its lines), Show all, a click on a log line (a move to its step), the
arrow keys, moving with the **Edit and fork** form open (its fields follow the step), and
**Compare two steps** opened on the run and set to two far-apart steps.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # run from a checkout without installing

from typing import Callable  # noqa: E402

from widgets_eventlog import CountingComm  # noqa: E402  (also installs the counting comm)

from wfkit import Executor, InMemoryCheckpointStorage, WorkflowBuilder, WorkflowContext, handler  # noqa: E402
from wfkit.history import RunHistory  # noqa: E402
from wfkit.widgets import RunExplorer  # noqa: E402


class Bounce(Executor):
    """Sends the count on to its partner, one more each time, and keeps the latest in its state."""

    def __init__(self, id: str, partner: str, last: int) -> None:
        super().__init__(id)
        self.partner, self.last = partner, last

    @handler
    async def bounce(self, n: int, ctx: WorkflowContext[int, int]) -> None:
        await ctx.set_state({"seen": n})
        if n >= self.last:
            await ctx.yield_output(n)
        else:
            await ctx.send_message(n + 1, target_id=self.partner)


async def record(steps: int) -> RunHistory:
    storage = InMemoryCheckpointStorage()
    workflow = (
        WorkflowBuilder(name="bounce", max_iterations=steps + 10)
        .add_edge(Bounce("ping", "pong", steps), Bounce("pong", "ping", steps))
        .add_edge("pong", "ping")
        .set_start_executor("ping")
        .with_checkpointing(storage)
        .build()
    )
    result = await workflow.run(1)
    history = RunHistory.from_events(workflow, result, storage=storage)
    await history.load_checkpoints()
    return history


def timed_moves(explorer: RunExplorer, positions: list[int]) -> tuple[list[float], list[int]]:
    """Milliseconds and comm messages per step change, for each slider stop in turn."""
    times, messages = [], []
    for position in positions:
        CountingComm.reset()
        began = time.perf_counter()
        # What a drag of the slider sends the kernel: an update message from the page (the
        # slider has one stop per step, and the page sends the stop's index).
        explorer.slider._handle_msg({"content": {"data": {"method": "update", "state": {"index": position}}}})
        times.append((time.perf_counter() - began) * 1000)
        messages.append(sum(CountingComm.sent.values()))
    return times, messages


def page_message(widget: object, content: dict) -> None:
    """What a widget's own JavaScript sends (a click, a key): a custom comm message."""
    widget._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})  # type: ignore[attr-defined]


def timed(action: Callable[[], None]) -> tuple[float, int]:
    """Milliseconds and comm messages `action` costs."""
    CountingComm.reset()
    began = time.perf_counter()
    action()
    return (time.perf_counter() - began) * 1000, sum(CountingComm.sent.values())


def timed_controls(explorer: RunExplorer, pick: random.Random, moves: int) -> list[tuple[str, list[float], list[int]]]:
    """Each control around the step, `moves` times (the compare menus: a few times), timed."""
    rows: list[tuple[str, list[float], list[int]]] = []
    last = len(explorer.steps) - 1

    def row(name: str, actions: list[Callable[[], None]]) -> None:
        results = [timed(action) for action in actions]
        rows.append((name, [ms for ms, _ in results], [sent for _, sent in results]))

    boxes = [pick.choice(["ping", "pong"]) for _ in range(moves)]
    row("click a box (log narrowed to it), then Show all", [
        lambda box=box: (page_message(explorer.view, {"picked": f"node:{box}"}), explorer.step_log.focus.show_all.click())
        for box in boxes
    ])
    lines = [pick.randrange(len(explorer.step_log.lines)) for _ in range(moves)]
    row("click a log line (move to its step)", [
        lambda line=line: page_message(explorer.step_log.view, {"picked": f"line:{line}"}) for line in lines
    ])
    row("an arrow key (step)", [
        lambda: page_message(explorer.view, {"key": pick.choice(["ArrowLeft", "ArrowRight"])}) for _ in range(moves)
    ])
    explorer.edit_toggle.value = True
    positions = [pick.randrange(last + 1) for _ in range(moves)]
    row("step change with the Edit and fork form open", [
        lambda position=position: explorer.slider._handle_msg(
            {"content": {"data": {"method": "update", "state": {"index": position}}}}
        ) for position in positions
    ])
    explorer.edit_toggle.value = False
    row("open Compare two steps (menus of every step)", [lambda: setattr(explorer.compare_toggle, "value", True)])
    numbers = [step.number for step in explorer.steps]
    explorer.compare.first.value = ("main", numbers[pick.randrange(0, last // 4)])
    far = [numbers[pick.randrange(last // 2, last + 1)] for _ in range(10)]

    def compare_with(number: int) -> None:
        explorer.compare.second.value = ("main", number)  # the menu's observer draws the diff

    row("pick a step half the run away in Compare (diff drawn)", [lambda number=number: compare_with(number) for number in far])
    return rows


def timed_diffs(history: RunHistory, pick: random.Random, pairs: int) -> list[float]:
    """Milliseconds per `history.diff(a, b)`, for `pairs` steps at least half the run apart."""
    numbers = [step.number for step in history.steps]
    half = len(numbers) // 2
    times = []
    for _ in range(pairs):
        first = pick.randrange(0, len(numbers) - half)
        second = pick.randrange(first + half, len(numbers))
        began = time.perf_counter()
        history.diff(numbers[first], numbers[second])
        times.append((time.perf_counter() - began) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--moves", type=int, default=200)
    options = parser.parse_args()

    began = time.perf_counter()
    history = asyncio.run(record(options.steps))
    recorded = time.perf_counter() - began
    began = time.perf_counter()
    explorer = RunExplorer(history)
    opened = time.perf_counter() - began
    positions = random.Random(7).sample(range(len(history.steps)), options.moves)
    first, first_messages = timed_moves(explorer, positions)
    again, again_messages = timed_moves(explorer, positions)

    def row(name: str, times: list[float], messages: list[int]) -> str:
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        return (
            f"| {name} | {statistics.median(times):.1f} | {p95:.1f} | {max(times):.1f} | "
            f"{statistics.mean(messages):.1f} |"
        )

    print(
        f"{len(history.steps)} supersteps recorded and read (with a checkpoint each) in {recorded:.2f} s; "
        f"explorer opened in {opened * 1000:.0f} ms"
    )
    print("| step change | median ms | p95 ms | max ms | comm messages per change |")
    print("| --- | --- | --- | --- | --- |")
    print(row(f"first visit ({options.moves} random steps)", first, first_messages))
    print(row("visited again", again, again_messages))
    diffs = timed_diffs(history, random.Random(11), 50)
    print(
        f"history.diff of two far-apart steps (50 pairs, at least half the run apart): median "
        f"{statistics.median(diffs):.1f} ms, max {max(diffs):.1f} ms"
    )
    print()
    print("| control | median ms | p95 ms | max ms | comm messages |")
    print("| --- | --- | --- | --- | --- |")
    for name, times, messages in timed_controls(explorer, random.Random(13), min(options.moves, 50)):
        print(row(name, times, messages))


if __name__ == "__main__":
    main()
