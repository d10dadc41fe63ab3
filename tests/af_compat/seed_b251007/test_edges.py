"""Edges in AF b251007: single edges, edges with a condition, switch-case groups (`Case`,
`Default`), fan-out and fan-in, multi-selection, chains, and loops bounded by `max_iterations`."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import run
from wfkit import (
    Case,
    Default,
    Executor,
    Never,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    executor,
    handler,
)


@dataclass
class Order:
    item: str
    quantity: int


@executor(id="take_order")
async def take_order(order: Order, ctx: WorkflowContext[Order]) -> None:
    await ctx.send_message(order)


class Station(Executor):
    """Yields which station handled the order: its id and the item."""

    @handler
    async def prepare(self, order: Order, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{self.id}: {order.item}")


def outputs(workflow, message) -> list:
    return run(workflow.run(message)).get_outputs()


def test_a_single_edge_carries_every_message():
    grill = Station(id="grill")
    workflow = WorkflowBuilder().set_start_executor(take_order).add_edge(take_order, grill).build()
    assert outputs(workflow, Order("burger", 1)) == ["grill: burger"]


def test_a_condition_on_an_edge_lets_only_matching_messages_through():
    bulk, counter = Station(id="bulk"), Station(id="counter")
    workflow = (
        WorkflowBuilder()
        .set_start_executor(take_order)
        .add_edge(take_order, bulk, condition=lambda order: order.quantity >= 10)
        .add_edge(take_order, counter, condition=lambda order: order.quantity < 10)
        .build()
    )
    assert outputs(workflow, Order("bagels", 12)) == ["bulk: bagels"]
    assert outputs(workflow, Order("bagel", 1)) == ["counter: bagel"]


def switch_workflow():
    bakery, barista, other = Station(id="bakery"), Station(id="barista"), Station(id="other")
    return (
        WorkflowBuilder()
        .set_start_executor(take_order)
        .add_switch_case_edge_group(
            take_order,
            [
                Case(condition=lambda order: order.item == "bread", target=bakery),
                Case(condition=lambda order: order.item.endswith("latte"), target=barista),
                Default(target=other),
            ],
        )
        .build()
    )


def test_switch_case_sends_to_the_first_case_that_matches():
    assert outputs(switch_workflow(), Order("oat latte", 1)) == ["barista: oat latte"]


def test_switch_case_falls_back_to_the_default_when_no_case_matches():
    assert outputs(switch_workflow(), Order("soup", 1)) == ["other: soup"]


def test_fan_out_sends_one_message_to_every_target():
    stations = [Station(id="grill"), Station(id="fryer")]
    workflow = WorkflowBuilder().set_start_executor(take_order).add_fan_out_edges(take_order, stations).build()
    assert sorted(outputs(workflow, Order("meal", 1))) == ["fryer: meal", "grill: meal"]


class Cook(Executor):
    """Sends back how long its part of the order takes, in minutes."""

    def __init__(self, id: str, minutes: int) -> None:
        super().__init__(id=id)
        self.minutes = minutes

    @handler
    async def cook(self, order: Order, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(self.minutes * order.quantity)


@executor(id="expeditor")
async def expeditor(minutes: list[int], ctx: WorkflowContext[Never, list[int]]) -> None:
    await ctx.yield_output(sorted(minutes))


def test_fan_in_delivers_one_list_once_every_source_has_sent():
    cooks = [Cook("grill", 5), Cook("fryer", 3), Cook("oven", 9)]
    workflow = (
        WorkflowBuilder()
        .set_start_executor(take_order)
        .add_fan_out_edges(take_order, cooks)
        .add_fan_in_edges(cooks, expeditor)
        .build()
    )
    assert outputs(workflow, Order("feast", 2)) == [[6, 10, 18]]


def test_multi_selection_sends_to_the_targets_the_selection_function_names():
    hot, cold, dessert = Station(id="hot"), Station(id="cold"), Station(id="dessert")

    def stations_for(order: Order, target_ids: list[str]) -> list[str]:
        chosen = [target_ids[0]] if "soup" in order.item else []
        if "cake" in order.item:
            chosen.append(target_ids[2])
        return chosen

    workflow = (
        WorkflowBuilder()
        .set_start_executor(take_order)
        .add_multi_selection_edge_group(take_order, [hot, cold, dessert], selection_func=stations_for)
        .build()
    )
    assert sorted(outputs(workflow, Order("soup and cake", 1))) == ["dessert: soup and cake", "hot: soup and cake"]
    assert outputs(workflow, Order("salad", 1)) == []


def test_add_chain_links_executors_one_after_another():
    @executor(id="trim")
    async def trim(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text.strip())

    @executor(id="title")
    async def title(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text.title())

    @executor(id="frame")
    async def frame(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"[{text}]")

    workflow = WorkflowBuilder().set_start_executor(trim).add_chain([trim, title, frame]).build()
    assert outputs(workflow, "  daily specials ") == ["[Daily Specials]"]


class Guesser(Executor):
    """Guesses a number between 1 and 100 by halving the range after each hint."""

    def __init__(self) -> None:
        super().__init__(id="guesser")
        self.low, self.high = 1, 100

    @handler
    async def start(self, signal: str, ctx: WorkflowContext[int]) -> None:
        if signal == "higher":
            self.low = self.guess + 1
        elif signal == "lower":
            self.high = self.guess - 1
        self.guess = (self.low + self.high) // 2
        await ctx.send_message(self.guess)


class Judge(Executor):
    def __init__(self, secret: int) -> None:
        super().__init__(id="judge")
        self.secret, self.guesses = secret, 0

    @handler
    async def judge(self, guess: int, ctx: WorkflowContext[str, str]) -> None:
        self.guesses += 1
        if guess == self.secret:
            await ctx.yield_output(f"{guess} after {self.guesses} guesses")
        else:
            await ctx.send_message("higher" if guess < self.secret else "lower")


def test_a_loop_of_two_executors_runs_until_one_stops_sending():
    guesser, judge = Guesser(), Judge(secret=73)
    workflow = (
        WorkflowBuilder().set_start_executor(guesser).add_edge(guesser, judge).add_edge(judge, guesser).build()
    )
    assert outputs(workflow, "start") == ["73 after 6 guesses"]


def test_a_loop_that_never_ends_is_stopped_by_max_iterations():
    @executor(id="echo")
    async def echo(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    workflow = WorkflowBuilder(max_iterations=5).set_start_executor(echo).add_edge(echo, echo).build()
    with pytest.raises(WorkflowFailedError, match="max_iterations"):
        run(workflow.run("again"))
