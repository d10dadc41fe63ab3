from typing import Any

import pytest

from tests.conftest import run
from wfkit import (
    Executor,
    HandlerSignatureError,
    Never,
    WorkflowBuilder,
    WorkflowContext,
    executor,
    handler,
)


class Animal: ...
class Dog(Animal): ...


class Sorter(Executor):
    """Records which handler took each message."""

    @handler
    async def on_dog(self, message: Dog, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output("dog")

    @handler
    async def on_animal(self, message: Animal, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output("animal")

    @handler
    async def on_anything(self, message: Any, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output("any")

    @handler
    async def on_words(self, message: list[str], ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output("words")

    @handler
    async def on_number(self, message: int | float, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output("number")


def outputs_for(message: Any) -> list[Any]:
    workflow = WorkflowBuilder().set_start_executor(Sorter("sorter")).build()
    return run(workflow.run(message)).get_outputs()


def test_exact_class_wins_over_base_class():
    assert outputs_for(Dog()) == ["dog"]


def test_base_class_wins_over_any():
    assert outputs_for(Animal()) == ["animal"]


def test_any_takes_what_nothing_else_does():
    assert outputs_for(object()) == ["any"]


def test_list_annotation_dispatches_on_items():
    assert outputs_for(["a", "b"]) == ["words"]
    assert outputs_for([1, 2]) == ["any"]


def test_union_annotation_takes_each_member():
    assert outputs_for(3) == ["number"]
    assert outputs_for(2.5) == ["number"]


def test_dispatch_does_not_depend_on_method_names():
    class Reversed(Executor):
        @handler
        async def a_generic(self, message: Animal, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output("animal")

        @handler
        async def z_specific(self, message: Dog, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output("dog")

    workflow = WorkflowBuilder().set_start_executor(Reversed("r")).build()
    assert run(workflow.run(Dog())).get_outputs() == ["dog"]


def test_missing_message_annotation_fails_when_the_class_is_defined():
    with pytest.raises(HandlerSignatureError, match="no type annotation"):

        class Bad(Executor):
            @handler
            async def take(self, message, ctx: WorkflowContext) -> None: ...


def test_wrong_context_annotation_fails_when_the_class_is_defined():
    with pytest.raises(HandlerSignatureError, match="WorkflowContext"):

        class Bad(Executor):
            @handler
            async def take(self, message: str, ctx: dict) -> None: ...


def test_sync_handler_is_refused():
    with pytest.raises(HandlerSignatureError, match="async def"):

        class Bad(Executor):
            @handler
            def take(self, message: str, ctx: WorkflowContext) -> None: ...


def test_two_handlers_for_one_type_are_refused():
    with pytest.raises(HandlerSignatureError, match="both accept str"):

        class Bad(Executor):
            @handler
            async def one(self, message: str, ctx: WorkflowContext) -> None: ...

            @handler
            async def two(self, message: str, ctx: WorkflowContext) -> None: ...


def test_subclass_inherits_and_overrides_handlers():
    class Base(Executor):
        @handler
        async def take(self, message: str, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output("base")

    class Child(Base):
        @handler
        async def take(self, message: str, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output("child")

    workflow = WorkflowBuilder().set_start_executor(Child("c")).build()
    assert run(workflow.run("x")).get_outputs() == ["child"]


def test_context_declares_what_a_handler_sends_and_yields():
    class Declared(Executor):
        @handler
        async def take(self, message: str, ctx: WorkflowContext[int | Dog, str]) -> None: ...

    ex = Declared("d")
    assert ex.input_types == (str,)
    assert ex.output_types == (int, Dog)
    assert ex.workflow_output_types == (str,)


def test_plain_function_executor_sends_its_return_value():
    @executor(id="double")
    def double(n: int) -> int:
        return n * 2

    @executor
    async def show(n: int, ctx: WorkflowContext[Never, int]) -> None:
        await ctx.yield_output(n)

    workflow = WorkflowBuilder().add_edge(double, show).set_start_executor(double).build()
    assert double.id == "double" and show.id == "show"
    assert run(workflow.run(21)).get_outputs() == [42]


def test_async_function_executor_without_context_sends_its_return_value():
    @executor
    async def shout(text: str) -> str:
        return text.upper()

    @executor
    async def sink(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text)

    workflow = WorkflowBuilder().add_edge(shout, sink).set_start_executor(shout).build()
    assert run(workflow.run("hey")).get_outputs() == ["HEY"]


def test_function_executor_needs_an_annotated_message():
    with pytest.raises(HandlerSignatureError, match="no type annotation"):

        @executor
        def untyped(message):
            return message
