"""A functional workflow without questions: its output, its events, streaming, and how it is declared."""

import asyncio

import pytest

from tests.conftest import run
from wfkit import (
    ExecutorCompletedEvent,
    ExecutorInvokedEvent,
    FunctionalWorkflow,
    HandlerSignatureError,
    RunContext,
    WorkflowEvent,
    WorkflowRunError,
    WorkflowRunState,
    get_run_context,
    step,
    workflow,
)


@step
async def shout(text: str) -> str:
    return text.upper()


async def exclaim(text: str) -> str:  # a plain helper, no @step
    return text + "!"


@workflow
async def greeting(name: str) -> str:
    loud = await shout(f"hello {name}")
    return await exclaim(loud)


def test_the_return_value_is_the_one_output():
    assert run(greeting.run("ada")).get_outputs() == ["HELLO ADA!"]


def test_a_finished_run_ends_idle():
    assert run(greeting.run("ada")).get_final_state() is WorkflowRunState.IDLE


def test_the_output_comes_from_the_workflow_by_name():
    [output] = [e for e in run(greeting.run("ada")) if e.type == "output"]
    assert output.executor_id == "greeting"


def test_a_step_is_invoked_and_completed_and_a_plain_function_says_nothing():
    events = run(greeting.run("ada"))
    steps = [(e.type, e.executor_id) for e in events if isinstance(e, (ExecutorInvokedEvent, ExecutorCompletedEvent))]
    assert steps == [("executor_invoked", "shout"), ("executor_completed", "shout")]


def test_the_events_run_from_started_to_idle_in_order():
    types = [e.type for e in run(greeting.run("ada"))]
    assert types == ["started", "status", "executor_invoked", "executor_completed", "output", "status"]


def test_the_invoked_event_carries_the_arguments_and_the_completed_one_the_result():
    events = run(greeting.run("ada"))
    invoked = next(e for e in events if e.type == "executor_invoked")
    completed = next(e for e in events if e.type == "executor_completed")
    assert invoked.data == {"args": ("hello ada",), "kwargs": {}}
    assert completed.data == "HELLO ADA"


def test_status_events_kept_apart_on_request():
    result = run(greeting.run("ada", include_status_events=False))
    assert "status" not in [e.type for e in result]
    assert result.get_final_state() is WorkflowRunState.IDLE


def test_a_function_returning_none_has_no_output():
    @workflow
    async def quiet(text: str) -> None:
        await shout(text)

    assert run(quiet.run("x")).get_outputs() == []


def test_yield_output_gives_outputs_before_the_return_value():
    @workflow
    async def chatty(text: str, ctx: RunContext) -> str:
        await ctx.yield_output("first")
        return "last"

    assert run(chatty.run("x")).get_outputs() == ["first", "last"]


def test_an_output_yielded_in_a_step_names_the_step():
    @step
    async def announce(text: str, ctx: RunContext) -> None:
        await ctx.yield_output(text)

    @workflow
    async def announcing(text: str) -> None:
        await announce(text)

    [output] = [e for e in run(announcing.run("hi")) if e.type == "output"]
    assert (output.data, output.executor_id) == ("hi", "announce")


class Progress(WorkflowEvent):
    type = "progress"


def test_add_event_puts_an_event_of_your_own_in_the_stream():
    @workflow
    async def reporting(text: str, ctx: RunContext) -> str:
        await ctx.add_event(Progress("half way"))
        return text

    assert [e.data for e in run(reporting.run("x")) if e.type == "progress"] == ["half way"]


def test_get_run_context_finds_the_context_from_a_helper():
    async def helper() -> str:
        ctx = get_run_context()
        return ctx.workflow_name if ctx is not None else "no run"

    @workflow(name="finder")
    async def finder(text: str) -> str:
        return await helper()

    assert run(finder.run("x")).get_outputs() == ["finder"]
    assert get_run_context() is None


def test_state_set_in_a_step_is_read_by_the_workflow():
    @step
    async def remember(name: str, ctx: RunContext) -> None:
        ctx.set_state("guest", name)

    @workflow
    async def host(name: str, ctx: RunContext) -> str:
        await remember(name)
        return f"welcome {ctx.get_state('guest')}, {ctx.get_state('colour', 'no colour')}"

    assert run(host.run("Noor")).get_outputs() == ["welcome Noor, no colour"]


def test_the_context_may_be_a_parameter_named_ctx_without_annotation():
    @workflow
    async def plain(text, ctx) -> str:
        return "streaming" if ctx.is_streaming() else "waiting"

    assert run(plain.run("x")).get_outputs() == ["waiting"]


def test_a_workflow_without_input_runs_with_run_and_nothing():
    @workflow
    async def clock() -> str:
        return "tick"

    assert run(clock.run()).get_outputs() == ["tick"]


def test_outside_a_workflow_a_step_is_the_plain_function():
    assert run(shout("plain")) == "PLAIN"


def test_a_name_given_to_workflow_and_step_names_their_events():
    @step(name="upper")
    async def make_upper(text: str) -> str:
        return text.upper()

    @workflow(name="named", description="says it louder")
    async def louder(text: str) -> str:
        return await make_upper(text)

    events = run(louder.run("x"))
    assert {e.executor_id for e in events if e.type.startswith("executor")} == {"upper"}
    assert louder.name == "named" and louder.description == "says it louder"


def test_build_gives_a_new_workflow_of_the_same_function():
    built = greeting.build()
    assert isinstance(built, FunctionalWorkflow) and built is not greeting
    assert run(built.run("bo")).get_outputs() == ["HELLO BO!"]


# --- streaming ---------------------------------------------------------------------------


def test_stream_gives_the_same_events_and_a_final_response():
    async def scenario():
        stream = greeting.run("ada", stream=True)
        seen = [event.type async for event in stream]
        final = await stream.get_final_response()
        return seen, final

    seen, final = run(scenario())
    assert seen == [e.type for e in run(greeting.run("ada"))]
    assert final.get_outputs() == ["HELLO ADA!"]


def test_events_are_streamed_while_the_function_is_still_running():
    # The function only goes on once the reader has seen the step finish: that needs live events.
    seen_step = asyncio.Event()

    @workflow
    async def waits_for_the_reader(text: str) -> str:
        done = await shout(text)
        await seen_step.wait()
        return done

    async def read():
        async for event in waits_for_the_reader.run("x", stream=True):
            if event.type == "executor_completed":
                seen_step.set()
            if event.type == "output":
                return event.data

    assert run(read(), timeout=5) == "X"


# --- declaring it wrongly ---------------------------------------------------------------


def test_a_plain_function_cannot_be_a_workflow():
    with pytest.raises(HandlerSignatureError, match="async def"):
        @workflow
        def not_async(text: str) -> str:
            return text


def test_a_plain_function_cannot_be_a_step():
    with pytest.raises(HandlerSignatureError, match="@step needs an async function"):
        @step
        def not_async(text: str) -> str:
            return text


def test_a_workflow_takes_one_input_besides_the_context():
    with pytest.raises(HandlerSignatureError, match="takes 2 inputs"):
        @workflow
        async def two_inputs(a: str, b: str, ctx: RunContext) -> str:
            return a + b


def test_run_refuses_a_message_with_answers():
    with pytest.raises(WorkflowRunError, match="not both"):
        greeting.run("ada", responses={"auto::0": "x"})


def test_run_refuses_to_start_without_the_input_the_function_takes():
    with pytest.raises(WorkflowRunError, match="takes an input"):
        greeting.run()
