"""Handler types named in the decorator (Agent Framework 1.x's ``@handler(input=, output=,
workflow_output=)`` and ``@executor(input=...)``) instead of read from annotations."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import run
from wfkit import (
    Executor,
    HandlerSignatureError,
    WorkflowBuilder,
    WorkflowFailedError,
    TypeCompatibilityError,
    executor,
    handler,
)


@dataclass
class Draft:
    text: str


class Writer(Executor):
    @handler(input=str, output=Draft)
    async def write(self, topic, ctx):  # no annotations: the decorator names the types
        await ctx.send_message(Draft(f"about {topic}"))


class Publisher(Executor):
    @handler(input="Draft", workflow_output=str)  # a type named by a string, found in this module
    async def publish(self, draft, ctx):
        await ctx.yield_output(draft.text.upper())


def test_a_class_handler_routes_and_checks_by_the_types_its_decorator_names():
    writer, publisher = Writer(id="writer"), Publisher(id="publisher")
    workflow = WorkflowBuilder(start_executor=writer).add_edge(writer, publisher).build()
    assert run(workflow.run("cats")).get_outputs() == ["ABOUT CATS"]
    assert writer.input_types == (str,) and writer.output_types == (Draft,)


def test_the_named_output_is_enforced_at_run_time_like_an_annotation():
    class Liar(Executor):
        @handler(input=str, output=int)
        async def lie(self, text, ctx):
            await ctx.send_message(text)  # a str, where it said int

    @executor(id="sink", input=int)
    async def sink(number, ctx):
        pass

    liar = Liar(id="liar")
    workflow = WorkflowBuilder(start_executor=liar).add_edge(liar, sink).build()
    with pytest.raises(WorkflowFailedError, match="declares it may send int"):
        run(workflow.run("x"))


def test_edges_are_checked_against_the_named_types_at_build_time():
    @executor(id="numbers", input=str, output=int)
    async def numbers(text, ctx):
        await ctx.send_message(len(text))

    @executor(id="words", input=str)
    async def words(text, ctx):
        pass

    with pytest.raises(TypeCompatibilityError):
        WorkflowBuilder(start_executor=numbers).add_edge(numbers, words).build()


def test_a_plain_function_executor_with_named_types_sends_what_it_returns():
    @executor(id="double", input=int, output=int)
    def double(number):
        return number * 2

    @executor(id="show", input=int, workflow_output=str)
    async def show(number, ctx):
        await ctx.yield_output(f"got {number}")

    workflow = WorkflowBuilder(start_executor=double).add_edge(double, show).build()
    assert run(workflow.run(21)).get_outputs() == ["got 42"]


def test_naming_output_without_input_is_refused_with_the_fix():
    with pytest.raises(HandlerSignatureError, match=r"needs input= too"):
        handler(output=str)


def test_an_unknown_type_name_says_where_to_define_it():
    with pytest.raises(HandlerSignatureError, match="'NoSuchType' given to the decorator is not defined"):

        class Lost(Executor):  # handlers are read when the class is defined
            @handler(input="NoSuchType")
            async def take(self, message, ctx):
                pass
