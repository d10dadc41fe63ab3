"""Each edge kind, run for real."""

import asyncio

import pytest

from tests.conftest import run
from wfkit import (
    Case,
    Default,
    Executor,
    Never,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowRunState,
    WorkflowWarningEvent,
    executor,
    handler,
)


class Emit(Executor):
    """Sends every item of the list it receives, one message each."""

    @handler
    async def take(self, items: list[int], ctx: WorkflowContext[int]) -> None:
        for item in items:
            await ctx.send_message(item)


class Collect(Executor):
    """Yields whatever it receives, tagged with its id."""

    @handler
    async def take(self, value: int, ctx: WorkflowContext[Never, tuple]) -> None:
        await ctx.yield_output((self.id, value))


class Join(Executor):
    @handler
    async def take(self, values: list[int], ctx: WorkflowContext[Never, list]) -> None:
        await ctx.yield_output(values)


def test_direct_edge_delivers_every_message():
    workflow = WorkflowBuilder().add_edge(Emit("emit"), Collect("a")).set_start_executor("emit").build()
    assert run(workflow.run([1, 2])).get_outputs() == [("a", 1), ("a", 2)]


def test_conditional_edge_passes_only_matching_messages():
    def is_even(n: int) -> bool:
        return n % 2 == 0

    workflow = (
        WorkflowBuilder()
        .add_edge(Emit("emit"), Collect("even"), condition=is_even)
        .set_start_executor("emit")
        .build()
    )
    result = run(workflow.run([1, 2, 3, 4]))
    assert result.get_outputs() == [("even", 2), ("even", 4)]
    assert not [e for e in result if isinstance(e, WorkflowWarningEvent)]


def test_async_condition_is_awaited():
    async def is_big(n: int) -> bool:
        await asyncio.sleep(0)
        return n > 10

    workflow = (
        WorkflowBuilder().add_edge(Emit("emit"), Collect("big"), condition=is_big).set_start_executor("emit").build()
    )
    assert run(workflow.run([5, 50])).get_outputs() == [("big", 50)]


def test_fan_out_reaches_every_target():
    workflow = (
        WorkflowBuilder()
        .add_fan_out_edges(Emit("emit"), [Collect("a"), Collect("b"), Collect("c")])
        .set_start_executor("emit")
        .build()
    )
    assert sorted(run(workflow.run([7])).get_outputs()) == [("a", 7), ("b", 7), ("c", 7)]


def test_target_id_sends_to_one_target_only():
    class Pick(Executor):
        @handler
        async def take(self, n: int, ctx: WorkflowContext[int]) -> None:
            await ctx.send_message(n, target_id="b")

    workflow = (
        WorkflowBuilder()
        .add_fan_out_edges(Pick("pick"), [Collect("a"), Collect("b")])
        .set_start_executor("pick")
        .build()
    )
    assert run(workflow.run(1)).get_outputs() == [("b", 1)]


def test_fan_in_waits_for_every_source():
    fast_sent: list[int] = []

    @executor(id="split")
    async def split(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n)

    @executor(id="fast")
    async def fast(n: int, ctx: WorkflowContext[int]) -> None:
        fast_sent.append(n)
        await ctx.send_message(n + 1)

    @executor(id="slow_1")
    async def slow_1(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n)

    @executor(id="slow_2")
    async def slow_2(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n + 2)

    # fast reaches the join one superstep before slow_2 does: the join must buffer across steps.
    workflow = (
        WorkflowBuilder()
        .add_fan_out_edges(split, [fast, slow_1])
        .add_edge(slow_1, slow_2)
        .add_fan_in_edges([fast, slow_2], Join("join"))
        .set_start_executor(split)
        .build()
    )
    result = run(workflow.run(10))
    assert result.get_outputs() == [[11, 12]]
    assert fast_sent == [10]


def test_fan_in_delivers_items_in_source_order():
    @executor(id="start")
    async def start(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n)

    sources = []
    for i in range(5):
        async def add(n: int, ctx: WorkflowContext[int], i: int = i) -> None:  # noqa: ARG001
            await ctx.send_message(n + i)

        sources.append(executor(id=f"add_{i}")(_two_params(add)))
    workflow = (
        WorkflowBuilder()
        .add_fan_out_edges(start, sources)
        .add_fan_in_edges(list(reversed(sources)), Join("join"))
        .set_start_executor(start)
        .build()
    )
    assert run(workflow.run(0)).get_outputs() == [[4, 3, 2, 1, 0]]


def _two_params(func):
    """Bind the loop variable so the function has the (message, ctx) shape."""
    i = func.__defaults__[0]

    async def bound(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n + i)

    return bound


def test_switch_case_takes_the_first_matching_case_else_default():
    workflow = (
        WorkflowBuilder()
        .add_switch_case_edge_group(
            Emit("emit"),
            [
                Case(lambda n: n < 0, Collect("negative")),
                Case(lambda n: n < 10, Collect("small")),
                Default(Collect("large")),
            ],
        )
        .set_start_executor("emit")
        .build()
    )
    # The three targets run concurrently in one superstep, so compare without order.
    assert sorted(run(workflow.run([-1, 5, 500, 3])).get_outputs()) == [
        ("large", 500),
        ("negative", -1),
        ("small", 3),
        ("small", 5),
    ]


def test_multi_selection_sends_to_the_chosen_targets():
    def route(n: int, targets: list[str]) -> list[str]:
        return [t for t in targets if (t == "odd") == (n % 2 == 1)] + (["all"] if n > 2 else [])

    workflow = (
        WorkflowBuilder()
        .add_multi_selection_edge_group(Emit("emit"), [Collect("odd"), Collect("even"), Collect("all")], route)
        .set_start_executor("emit")
        .build()
    )
    assert sorted(run(workflow.run([1, 4])).get_outputs()) == [("all", 4), ("even", 4), ("odd", 1)]


def test_chain_connects_executors_in_order():
    @executor(id="plus_one")
    def plus_one(n: int) -> int:
        return n + 1

    @executor(id="times_ten")
    def times_ten(n: int) -> int:
        return n * 10

    workflow = WorkflowBuilder().add_chain([plus_one, times_ten, Collect("end")]).set_start_executor(plus_one).build()
    assert run(workflow.run(1)).get_outputs() == [("end", 20)]


def test_broadcast_goes_only_to_targets_that_accept_the_type():
    class Mixed(Executor):
        @handler
        async def take(self, items: list, ctx: WorkflowContext[int | str]) -> None:
            for item in items:
                await ctx.send_message(item)

    class Text(Executor):
        @handler
        async def take(self, text: str, ctx: WorkflowContext[Never, tuple]) -> None:
            await ctx.yield_output(("text", text))

    workflow = (
        WorkflowBuilder().add_fan_out_edges(Mixed("mixed"), [Collect("num"), Text("text")]).set_start_executor("mixed").build()
    )
    result = run(workflow.run([3, "three"]))
    assert sorted(result.get_outputs(), key=str) == [("num", 3), ("text", "three")]
    assert not [e for e in result if isinstance(e, WorkflowWarningEvent)]


class Text(Executor):
    """Yields the text it receives, tagged with its id."""

    @handler
    async def take(self, text: str, ctx: WorkflowContext[Never, tuple]) -> None:
        await ctx.yield_output((self.id, text))


class Mixed(Executor):
    """Sends every item of the list it receives, whatever its type."""

    @handler
    async def take(self, items: list, ctx: WorkflowContext[int | str]) -> None:
        for item in items:
            await ctx.send_message(item)


def test_a_switch_case_that_picks_a_target_refusing_the_type_warns():
    workflow = (
        WorkflowBuilder()
        .add_switch_case_edge_group(Mixed("mixed"), [Case(lambda x: x == 1, Text("words")), Default(Collect("numbers"))])
        .set_start_executor("mixed")
        .build()
    )
    result = run(workflow.run([1]))
    assert result.get_outputs() == []
    [warning] = [e.message for e in result if isinstance(e, WorkflowWarningEvent)]
    assert "'mixed'" in warning and "chose 'words'" in warning
    assert "int" in warning and "'words' accepts str" in warning


def test_a_multi_selection_that_picks_a_target_refusing_the_type_warns():
    workflow = (
        WorkflowBuilder()
        .add_multi_selection_edge_group(Mixed("mixed"), [Text("words"), Collect("numbers")], lambda x, targets: ["words"])
        .set_start_executor("mixed")
        .build()
    )
    result = run(workflow.run([1]))
    assert result.get_outputs() == []
    [warning] = [e.message for e in result if isinstance(e, WorkflowWarningEvent)]
    assert "'mixed'" in warning and "chose 'words'" in warning
    assert "int" in warning and "'words' accepts str" in warning


def test_a_failed_step_leaves_the_fan_in_buffers_as_they_were():
    from wfkit import InMemoryCheckpointStorage, WorkflowFailedError

    @executor(id="start")
    async def start(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n)

    @executor(id="ticker")
    async def ticker(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n + 1)

    @executor(id="silent")
    async def silent(n: int, ctx: WorkflowContext[int]) -> None:
        pass  # never sends, so the fan-in keeps buffering what ticker sends

    def again(n: int) -> bool:
        if n >= 2:
            raise ValueError("the condition fails on 2")
        return True

    storage = InMemoryCheckpointStorage()
    workflow = (
        WorkflowBuilder()
        .add_fan_out_edges(start, [ticker, silent])
        .add_fan_in_edges([ticker, silent], Join("join"))  # routed before the condition that fails
        .add_edge(ticker, ticker, condition=again)
        .set_start_executor(start)
        .with_checkpointing(storage)
        .build()
    )
    with pytest.raises(WorkflowFailedError, match="the condition fails on 2"):
        run(workflow.run(0))
    checkpoints = run(storage.list_checkpoints())
    [last_good] = [c for c in checkpoints if c.run_state != "FAILED" and c.iteration_count == 2]
    [failed_step] = [c for c in checkpoints if c.run_state == "FAILED"]
    assert last_good.fan_in_buffers == failed_step.fan_in_buffers
    assert list(failed_step.fan_in_buffers.values()) == [{"ticker": [1]}]


def test_fan_in_keeps_every_message_a_source_sent_before_the_others():
    @executor(id="start")
    async def start(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n)

    @executor(id="twice")
    async def twice(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(1)
        await ctx.send_message(2)

    @executor(id="relay")
    async def relay(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n)

    @executor(id="once")
    async def once(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(100)

    # `once` sends one superstep after `twice`, so both of twice's messages wait in the buffer.
    workflow = (
        WorkflowBuilder()
        .add_fan_out_edges(start, [twice, relay])
        .add_edge(relay, once)
        .add_fan_in_edges([twice, once], Join("join"))
        .set_start_executor(start)
        .build()
    )
    assert run(workflow.run(0)).get_outputs() == [[1, 2, 100]]


def test_a_fan_in_used_again_in_a_loop_waits_for_every_source_again():
    @executor(id="start")
    async def start(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n)

    @executor(id="always")
    async def always(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n)

    @executor(id="first_round_only")
    async def first_round_only(n: int, ctx: WorkflowContext[int]) -> None:
        if n == 0:
            await ctx.send_message(n)

    @executor(id="join")
    async def join(values: list[int], ctx: WorkflowContext[int, list]) -> None:
        await ctx.yield_output(values)
        await ctx.send_message(max(values) + 1)

    def another_round(n: int) -> bool:
        return n < 3

    workflow = (
        WorkflowBuilder()
        .add_fan_out_edges(start, [always, first_round_only])
        .add_fan_in_edges([always, first_round_only], join)
        .add_edge(join, start, condition=another_round)
        .set_start_executor(start)
        .build()
    )
    result = run(workflow.run(0))
    # Round two: only `always` sends, so the join (its buffer emptied by round one) must not fire.
    assert result.get_outputs() == [[0, 0]]
    assert result.get_final_state() is WorkflowRunState.IDLE
