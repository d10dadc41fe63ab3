"""`build()` refuses graphs that cannot work, and says how to fix them."""

import pytest

from tests.conftest import run
from wfkit import (
    Case,
    Default,
    Executor,
    Never,
    TypeCompatibilityError,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowValidationError,
    handler,
)


class Text(Executor):
    @handler
    async def take(self, text: str, ctx: WorkflowContext[str, str]) -> None:
        await ctx.send_message(text)


class Number(Executor):
    @handler
    async def take(self, n: int, ctx: WorkflowContext[Never, int]) -> None:
        await ctx.yield_output(n)


class Silent(Executor):
    @handler
    async def take(self, text: str, ctx: WorkflowContext) -> None: ...


def test_missing_start_executor_says_to_set_one():
    with pytest.raises(WorkflowValidationError, match=r"set_start_executor"):
        WorkflowBuilder().add_edge(Text("a"), Text("b")).build()


def test_duplicate_ids_are_refused():
    with pytest.raises(WorkflowValidationError, match="Two different executors have the id 'a'"):
        WorkflowBuilder().add_edge(Text("a"), Text("a"))


def test_duplicate_edges_are_refused():
    a, b = Text("a"), Text("b")
    with pytest.raises(WorkflowValidationError, match="added twice"):
        WorkflowBuilder().add_edge(a, b).add_edge(a, b)


def test_unreachable_executors_are_named():
    a, b, c = Text("a"), Text("b"), Text("c")
    with pytest.raises(WorkflowValidationError, match=r"reaches \['c'\]"):
        WorkflowBuilder().add_edge(a, b).add_executor(c).set_start_executor(a).build()


def test_type_mismatch_on_an_edge_names_both_sides():
    with pytest.raises(TypeCompatibilityError, match="'a' sends str, but 'n' accepts int"):
        WorkflowBuilder().add_edge(Text("a"), Number("n")).set_start_executor("a").build()


def test_edge_from_an_executor_that_declares_no_sends_is_explained():
    with pytest.raises(TypeCompatibilityError, match=r"WorkflowContext\[str\]"):
        WorkflowBuilder().add_edge(Silent("s"), Text("t")).set_start_executor("s").build()


def test_fan_in_target_must_accept_a_list():
    with pytest.raises(TypeCompatibilityError, match="list"):
        WorkflowBuilder().add_fan_in_edges([Text("a")], Text("b")).set_start_executor("a").build()


def test_switch_case_needs_a_default_last():
    with pytest.raises(WorkflowValidationError, match="exactly one Default"):
        WorkflowBuilder().add_switch_case_edge_group(Text("a"), [Case(lambda m: True, Text("b"))])


def test_executor_without_handlers_is_refused():
    class Empty(Executor):
        pass

    with pytest.raises(WorkflowValidationError, match="has no handlers"):
        WorkflowBuilder().set_start_executor(Empty("e")).build()


def test_unknown_name_is_explained():
    with pytest.raises(WorkflowValidationError, match="register_executor"):
        WorkflowBuilder().add_edge("writer", "reviewer")


def test_max_iterations_must_be_positive():
    with pytest.raises(ValueError, match="max_iterations"):
        WorkflowBuilder(max_iterations=0)


def test_registered_factories_make_fresh_executors_for_each_build():
    made: list[Text] = []

    def make() -> Text:
        made.append(Text("worker-1"))
        return made[-1]

    builder = WorkflowBuilder().register_executor(make, name="worker").set_start_executor("worker")
    first, second = builder.build(), builder.build()
    assert len(made) == 2
    assert first.executors["worker-1"] is made[0] and second.executors["worker-1"] is made[1]


def test_registered_names_are_replaced_by_executor_ids_in_edges():
    class Forward(Executor):
        @handler
        async def take(self, text: str, ctx: WorkflowContext[str]) -> None:
            await ctx.send_message(text, target_id="sub-sink")

    class Sink(Executor):
        @handler
        async def take(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(text)

    workflow = (
        WorkflowBuilder()
        .register_executor(lambda: Forward("sub-forward"), name="forward")
        .register_executor(lambda: Sink("sub-sink"), name="sink")
        .add_edge("forward", "sink")
        .set_start_executor("forward")
        .build()
    )
    assert set(workflow.executors) == {"sub-forward", "sub-sink"}
    assert run(workflow.run("hi")).get_outputs() == ["hi"]


def test_default_route_is_checked_like_any_edge():
    with pytest.raises(TypeCompatibilityError):
        WorkflowBuilder().add_switch_case_edge_group(
            Text("a"), [Case(lambda m: True, Text("b")), Default(Number("n"))]
        ).set_start_executor("a").build()


def test_a_built_workflow_does_not_change_when_the_builder_does():
    builder = WorkflowBuilder().add_edge(Text("a"), Text("b")).set_start_executor("a")
    workflow = builder.build()
    builder.add_edge("b", Text("c"))
    assert set(workflow.executors) == {"a", "b"}
