"""Executors in AF b251104: `@handler` methods chosen by the message's type (a union annotation
too), `@executor` functions, `WorkflowContext[T_Out, T_W_Out]`, the executor's own state through
`ctx.get_executor_state()` / `ctx.set_executor_state(dict)`, and a message no handler takes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import run
from wfkit import (
    Executor,
    Never,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowTypeError,
    executor,
    handler,
)


@dataclass
class Celsius:
    degrees: float


@dataclass
class Fahrenheit:
    degrees: float


class Thermometer(Executor):
    @handler
    async def read(self, reading: Celsius | Fahrenheit, ctx: WorkflowContext[float]) -> None:
        celsius = reading.degrees if isinstance(reading, Celsius) else (reading.degrees - 32) * 5 / 9
        await ctx.send_message(round(celsius, 1))

    @handler
    async def read_text(self, text: str, ctx: WorkflowContext[float]) -> None:
        await ctx.send_message(float(text.rstrip("C")))


@executor(id="forecast")
async def forecast(celsius: float, ctx: WorkflowContext[Never, str]) -> None:
    await ctx.yield_output("warm" if celsius >= 20 else "cool")


def weather():
    thermometer = Thermometer(id="thermometer")
    return WorkflowBuilder().set_start_executor(thermometer).add_edge(thermometer, forecast).build()


@pytest.mark.parametrize("reading, expected", [(Celsius(25.0), "warm"), (Fahrenheit(50.0), "cool")])
def test_a_handler_annotated_with_a_union_takes_each_of_its_types(reading, expected):
    assert run(weather().run(reading)).get_outputs() == [expected]


def test_a_second_handler_takes_the_type_the_first_does_not():
    assert run(weather().run("21C")).get_outputs() == ["warm"]


def test_a_message_the_start_executor_cannot_take_is_refused_naming_what_it_accepts():
    with pytest.raises(WorkflowTypeError, match=r"thermometer.*Celsius \| Fahrenheit, str"):
        run(weather().run(42))


class Tally(Executor):
    """Counts the readings it has seen, in its own state."""

    @handler
    async def count(self, reading: Celsius, ctx: WorkflowContext[Never, int]) -> None:
        state = await ctx.get_executor_state() or {"seen": 0}
        state["seen"] += 1
        await ctx.set_executor_state(state)
        await ctx.yield_output(state["seen"])


def test_executor_state_is_kept_between_messages_of_one_run():
    tally = Tally(id="tally")

    @executor(id="readings")
    async def readings(values: list[float], ctx: WorkflowContext[Celsius]) -> None:
        for value in values:
            await ctx.send_message(Celsius(value))

    workflow = WorkflowBuilder().set_start_executor(readings).add_edge(readings, tally).build()
    assert sorted(run(workflow.run([1.0, 2.0, 3.0])).get_outputs()) == [1, 2, 3]


def test_a_handler_may_both_send_and_yield():
    @executor(id="relay")
    async def relay(celsius: float, ctx: WorkflowContext[float, str]) -> None:
        await ctx.yield_output(f"relayed {celsius}")
        await ctx.send_message(celsius)

    workflow = WorkflowBuilder().set_start_executor(relay).add_edge(relay, forecast).build()
    assert run(workflow.run(30.0)).get_outputs() == ["relayed 30.0", "warm"]
