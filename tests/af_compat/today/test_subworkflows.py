"""Sub-workflows in today's AF (1.x): `WorkflowExecutor(workflow, id=...)`; the child's outputs go
on to the parent; a child's request reaches a parent handler of `SubWorkflowRequestMessage`, which
answers with `create_response`; with `WorkflowExecutor(..., propagate_request=True)` the request
surfaces to the caller of `run` instead."""

from dataclasses import dataclass

from typing_extensions import Never

from tests.conftest import run



@dataclass
class Loan:
    title: str
    on_shelf: bool


def library(af, *, parent_answers: bool):
    class Librarian(af.Executor):
        @af.handler
        async def look_up(self, title: str, ctx: af.WorkflowContext) -> None:
            await ctx.request_info(title, bool)

        @af.response_handler
        async def found(self, title: str, on_shelf: bool, ctx: af.WorkflowContext[Never, Loan]) -> None:
            await ctx.yield_output(Loan(title, on_shelf))

    class Reader(af.Executor):
        @af.handler
        async def borrow(self, title: str, ctx: af.WorkflowContext[str]) -> None:
            await ctx.send_message(title)

        @af.handler
        async def told(self, loan: Loan, ctx: af.WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(f"{loan.title}: {'on the shelf' if loan.on_shelf else 'on loan'}")

    class Catalogue(Reader):
        @af.handler
        async def check(self, request: af.SubWorkflowRequestMessage, ctx: af.WorkflowContext[af.SubWorkflowResponseMessage]) -> None:
            await ctx.send_message(request.create_response(request.source_event.data.startswith("The")), target_id=request.executor_id)

    child = af.WorkflowBuilder(start_executor=Librarian(id="librarian")).build()
    sub = af.WorkflowExecutor(child, id="branch", **({} if parent_answers else {"propagate_request": True}))
    parent = Catalogue(id="reader") if parent_answers else Reader(id="reader")
    return af.WorkflowBuilder(start_executor=parent).add_edge(parent, sub).add_edge(sub, parent).build()


def test_a_parent_answers_the_childs_request_with_create_response(af):
    result = run(library(af, parent_answers=True).run("The Hobbit"))
    assert result.get_request_info_events() == [] and result.get_outputs() == ["The Hobbit: on the shelf"]


def test_a_propagated_child_request_surfaces_and_is_answered_with_run_responses(af):
    workflow = library(af, parent_answers=False)
    [event] = run(workflow.run("Dune")).get_request_info_events()
    assert event.data == "Dune"
    assert run(workflow.run(responses={event.request_id: False})).get_outputs() == ["Dune: on loan"]
