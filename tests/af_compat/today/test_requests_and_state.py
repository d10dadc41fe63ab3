"""Requests and state in today's AF (1.x): `ctx.request_info(data, response_type)` makes an event
of type "request_info"; `run(responses={request_id: answer})` answers it and the run goes on in
the asker's `@response_handler`; `ctx.set_state(key, value)` / `ctx.get_state(key, default)` share
values between executors."""

from dataclasses import dataclass

from typing_extensions import Never

from tests.conftest import run

from .frameworks import collect


@dataclass
class Swap:
    give: str
    take: str


def swap_desk(af):
    class Desk(af.Executor):
        @af.handler
        async def offer(self, item: str, ctx: af.WorkflowContext) -> None:
            await ctx.request_info(Swap(give=item, take="a book"), bool)

        @af.response_handler
        async def decided(self, swap: Swap, agreed: bool, ctx: af.WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(f"{swap.give} for {swap.take}" if agreed else f"kept {swap.give}")

    return af.WorkflowBuilder(start_executor=Desk(id="desk")).build()


def test_a_request_is_an_event_of_type_request_info_carrying_the_data(af):
    [event] = run(swap_desk(af).run("a lamp")).get_request_info_events()
    assert event.type == "request_info" and event.data == Swap("a lamp", "a book")


def test_run_with_responses_answers_the_request_in_the_response_handler(af):
    workflow = swap_desk(af)
    [event] = run(workflow.run("a lamp")).get_request_info_events()
    assert run(workflow.run(responses={event.request_id: True})).get_outputs() == ["a lamp for a book"]


def test_a_streamed_run_shows_the_request_and_a_streamed_answer_the_output(af):
    workflow = swap_desk(af)
    [event] = [e for e in collect(workflow.run("a mug", stream=True)) if e.type == "request_info"]
    answered = collect(workflow.run(stream=True, responses={event.request_id: False}))
    assert [e.data for e in answered if e.type == "output"] == ["kept a mug"]


def test_state_set_by_one_executor_is_read_by_the_next(af):
    @af.executor(id="remember")
    async def remember(name: str, ctx: af.WorkflowContext[str]) -> None:
        ctx.set_state("guest", name)
        await ctx.send_message("greet")

    @af.executor(id="greet")
    async def greet(signal: str, ctx: af.WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"welcome, {ctx.get_state('guest')}")

    workflow = af.WorkflowBuilder(start_executor=remember).add_edge(remember, greet).build()
    assert run(workflow.run("Noor")).get_outputs() == ["welcome, Noor"]


def test_get_state_gives_the_default_for_a_key_nobody_set(af):
    @af.executor(id="look")
    async def look(text: str, ctx: af.WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(ctx.get_state("colour", "no colour yet"))

    assert run(af.WorkflowBuilder(start_executor=look).build().run("x")).get_outputs() == ["no colour yet"]
