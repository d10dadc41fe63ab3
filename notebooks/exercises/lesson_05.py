"""Lesson 5 exercise: ask suppliers in parallel, at most two at a time, and join their offers.

The learner writes ``restock(builder, receive, suppliers, pick) -> WorkflowBuilder``: it fans the
stock request out from ``receive`` to every supplier, lets at most two of them run at once (their
shared API allows two connections), and fans their offers back in to ``pick``. Each named test
builds the workflow with five suppliers that count how many of them are running, runs it, and
compares what ``pick`` got and how many ran at once; the first test that fails is shown, with its
hint.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from wfkit import Never, Workflow, WorkflowBuilder, WorkflowContext, WorkflowError, executor
from wfkit.teach import Exercise, trace

exercise = Exercise.for_module(__name__, __file__)

SLOTS = 2  # connections the suppliers' shared API allows at once


@dataclass
class Restock:
    item: str
    units: int


@dataclass
class Offer:
    supplier: str
    price: float  # euros per unit


# (supplier, price per unit); each answers after a short wait, so several of them overlap.
SUPPLIERS = [("brewparts", 4.10), ("kettleworld", 3.80), ("steamco", 4.40), ("boilerbox", 3.95), ("hotwater", 4.25)]


class Counter:
    """How many supplier calls are running now, and the most that ever ran at once."""

    def __init__(self) -> None:
        self.now = 0
        self.most = 0
        self.calls = 0


def _supplier(name: str, price: float, running: Counter):
    @executor(id=f"offer_{name}")
    async def offer(request: Restock, ctx: WorkflowContext[Offer]) -> None:
        running.now += 1
        running.calls += 1
        running.most = max(running.most, running.now)
        try:
            await asyncio.sleep(0.005)  # the supplier's API takes a moment
        finally:
            running.now -= 1
        await ctx.send_message(Offer(name, price))

    return offer


def _build(restock) -> tuple[Workflow, Counter]:
    """The learner's workflow, with fresh suppliers and a fresh counter."""
    running = Counter()

    @executor(id="receive")
    async def receive(request: Restock, ctx: WorkflowContext[Restock]) -> None:
        await ctx.send_message(request)

    @executor(id="pick")
    async def pick(offers: list[Offer], ctx: WorkflowContext[Never, list[str]]) -> None:
        await ctx.yield_output(sorted(offer.supplier for offer in offers))

    suppliers = [_supplier(name, price, running) for name, price in SUPPLIERS]
    builder = WorkflowBuilder(start_executor=receive)
    configured = restock(builder, receive, suppliers, pick)
    return (configured if configured is not None else builder).build(), running


async def _run(restock) -> tuple[list, Counter]:
    """What pick yielded (one list per call of pick), and the counter."""
    workflow, running = _build(restock)
    result = await workflow.run(Restock("kettle lids", 200))
    return result.get_outputs(), running


EVERY_SUPPLIER = sorted(name for name, _ in SUPPLIERS)
SUPPLIER_IDS = [f"offer_{name}" for name, _ in SUPPLIERS]


# The named tests, in the order a learner meets the ideas; the first that fails is what the check shows.


@exercise.test(
    "restock builds a workflow",
    hint="Configure the builder you are given and return it. pick takes a list: only a fan-in gathers one.",
)
def builds(restock):
    assert callable(restock), "restock must be a function taking (builder, receive, suppliers, pick)"
    try:
        _build(restock)
    except WorkflowError as error:
        raise AssertionError(f"the workflow does not build: {error}") from error


@exercise.test(
    "every supplier is asked",
    hint="add_fan_out_edges(receive, suppliers, ...) sends the request to every supplier in the list.",
)
async def every_supplier(restock):
    _, running = await _run(restock)
    assert running.calls == len(SUPPLIERS), f"{running.calls} of the {len(SUPPLIERS)} suppliers were asked"


@exercise.test(
    "the suppliers are asked side by side, and pick runs once, after all of them",
    hint="A limit does not add supersteps: the suppliers over the limit wait for a slot in the same superstep. "
    "add_fan_in_edges(suppliers, pick) then runs pick once, in the next.",
)
async def side_by_side(restock):
    workflow, _ = _build(restock)
    story = trace(await workflow.run(Restock("kettle lids", 200)))
    story.expect_side_by_side(*SUPPLIER_IDS)
    story.expect_runs("pick", 1)
    story.expect_before(SUPPLIER_IDS[0], "pick")


@exercise.test(
    "pick gets every offer, in one list",
    hint="add_fan_in_edges(suppliers, pick) waits for every supplier, then hands pick the list of offers.",
)
async def one_list(restock):
    outputs, _ = await _run(restock)
    got = f"pick yielded {outputs}" if outputs else "pick never ran"
    assert outputs == [EVERY_SUPPLIER], f"{got}; it should yield one list of all five: [{EVERY_SUPPLIER}]"


@exercise.test(
    f"at most {SLOTS} suppliers are asked at once",
    hint=f"add_fan_out_edges(..., max_concurrency={SLOTS}) lets at most {SLOTS} of the targets run at the same time.",
)
async def at_most_two(restock):
    _, running = await _run(restock)
    assert running.most <= SLOTS, f"{running.most} supplier calls ran at the same time; their API allows {SLOTS}"


@exercise.test(
    f"{SLOTS} suppliers are asked at once, not one after another",
    hint=f"A limit of 1 asks one supplier at a time, which is slower than it needs to be: allow {SLOTS}.",
)
async def in_parallel(restock):
    _, running = await _run(restock)
    assert running.most == SLOTS, f"at most {running.most} supplier call ran at a time; {SLOTS} may run together"


check = exercise.check


reveal = exercise.reveal  # shows the reference solution, once the check has run
