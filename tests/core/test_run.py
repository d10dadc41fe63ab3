"""How a run behaves: event order, supersteps, state, failures and bounds."""

import asyncio

import pytest

from tests.conftest import run
from wfkit import (
    ExecutorCompletedEvent,
    ExecutorFailedEvent,
    ExecutorInvokedEvent,
    Executor,
    Never,
    SuperStepCompletedEvent,
    SuperStepStartedEvent,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    WorkflowFailedEvent,
    WorkflowRunState,
    WorkflowStartedEvent,
    WorkflowStatusEvent,
    WorkflowTypeError,
    WorkflowWarningEvent,
    executor,
    handler,
)


@executor(id="upper")
async def upper(text: str, ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(text.upper())


@executor(id="finish")
async def finish(text: str, ctx: WorkflowContext[Never, str]) -> None:
    await ctx.yield_output(text + "!")


def two_step_workflow():
    return WorkflowBuilder().add_edge(upper, finish).set_start_executor(upper).build()


def test_events_come_in_superstep_order():
    result = run(two_step_workflow().run("hi"))
    assert [repr(e) for e in result] == [
        "WorkflowStartedEvent()",
        "WorkflowStatusEvent(state=IN_PROGRESS)",
        "SuperStepStartedEvent(iteration=1)",
        "ExecutorInvokedEvent(executor_id=upper)",
        "ExecutorCompletedEvent(executor_id=upper)",
        "SuperStepCompletedEvent(iteration=1)",
        "SuperStepStartedEvent(iteration=2)",
        "ExecutorInvokedEvent(executor_id=finish)",
        "WorkflowOutputEvent(data='HI!', source_executor_id=finish)",
        "ExecutorCompletedEvent(executor_id=finish)",
        "SuperStepCompletedEvent(iteration=2)",
        "WorkflowStatusEvent(state=IDLE)",
    ]
    assert result.get_final_state() is WorkflowRunState.IDLE
    assert result.get_outputs() == ["HI!"]


def test_invoked_event_carries_the_message():
    result = run(two_step_workflow().run("hi"))
    invoked = [e for e in result if isinstance(e, ExecutorInvokedEvent)]
    assert [(e.executor_id, e.data) for e in invoked] == [("upper", "hi"), ("finish", "HI")]


def test_a_message_sent_in_one_step_is_handled_in_the_next():
    result = run(two_step_workflow().run("hi"))
    steps = {}
    current = 0
    for event in result:
        if isinstance(event, SuperStepStartedEvent):
            current = event.iteration
        if isinstance(event, ExecutorInvokedEvent):
            steps[event.executor_id] = current
    assert steps == {"upper": 1, "finish": 2}


def test_executors_in_one_superstep_run_concurrently():
    # Each waits for the other to have started: run one after the other, they would never finish.
    a_started, b_started = asyncio.Event(), asyncio.Event()

    @executor(id="split")
    async def split(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n)

    @executor(id="a")
    async def a(n: int, ctx: WorkflowContext[Never, str]) -> None:
        a_started.set()
        await b_started.wait()
        await asyncio.sleep(0.05)
        await ctx.yield_output("a")

    @executor(id="b")
    async def b(n: int, ctx: WorkflowContext[Never, str]) -> None:
        b_started.set()
        await a_started.wait()
        await asyncio.sleep(0.05)
        await ctx.yield_output("b")

    workflow = WorkflowBuilder().add_fan_out_edges(split, [a, b]).set_start_executor(split).build()
    result = run(workflow.run(1), timeout=5)
    kinds = [type(e).__name__ for e in result if isinstance(e, (ExecutorInvokedEvent, ExecutorCompletedEvent))]
    # Both handlers were invoked before either completed.
    assert kinds[2:] == ["ExecutorInvokedEvent", "ExecutorInvokedEvent", "ExecutorCompletedEvent", "ExecutorCompletedEvent"]
    assert sorted(result.get_outputs()) == ["a", "b"]


def test_messages_to_one_executor_in_one_step_are_handled_in_order():
    seen: list[int] = []

    @executor(id="burst")
    async def burst(n: int, ctx: WorkflowContext[int]) -> None:
        for i in range(5):
            await ctx.send_message(i)

    @executor(id="record")
    async def record(n: int, ctx: WorkflowContext) -> None:
        await asyncio.sleep(0.01 * (5 - n))  # later messages are quicker: order must still hold
        seen.append(n)

    workflow = WorkflowBuilder().add_edge(burst, record).set_start_executor(burst).build()
    run(workflow.run(0))
    assert seen == [0, 1, 2, 3, 4]


class Boom(Executor):
    @handler
    async def take(self, text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.set_state({"touched": True})
        await ctx.set_shared_state("touched", True)
        raise RuntimeError("the model is down")


def failing_workflow():
    return WorkflowBuilder().add_edge(upper, Boom("boom")).set_start_executor(upper).build()


def test_handler_exception_fails_the_run_with_traceback():
    with pytest.raises(WorkflowFailedError, match="RuntimeError in boom: the model is down") as caught:
        run(failing_workflow().run("x"))
    events = caught.value.events
    failed = [e for e in events if isinstance(e, ExecutorFailedEvent)]
    assert [e.executor_id for e in failed] == ["boom"]
    assert "the model is down" in failed[0].details.traceback
    assert "raise RuntimeError" in failed[0].details.traceback
    assert isinstance(events[-2], WorkflowFailedEvent)
    assert events[-1] == WorkflowStatusEvent(WorkflowRunState.FAILED)
    assert isinstance(caught.value.__cause__ or caught.value, Exception)


def test_a_failed_step_keeps_none_of_its_state_writes():
    workflow = failing_workflow()
    with pytest.raises(WorkflowFailedError):
        run(workflow.run("x"))
    assert workflow.latest_run.state.executor_states == {}
    assert workflow.latest_run.state.shared_state == {}
    assert workflow.last_run_state is WorkflowRunState.FAILED


def test_stream_reports_failure_as_events_instead_of_raising():
    async def collect():
        return [e async for e in failing_workflow().run_stream("x")]

    events = run(collect())
    assert isinstance(events[-2], WorkflowFailedEvent)
    assert events[-1].state is WorkflowRunState.FAILED


def test_max_iterations_ends_the_run_and_says_how_to_raise_it():
    @executor(id="ping")
    async def ping(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n + 1)

    @executor(id="pong")
    async def pong(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n + 1)

    workflow = WorkflowBuilder(max_iterations=7).add_edge(ping, pong).add_edge(pong, ping).set_start_executor(ping).build()
    with pytest.raises(WorkflowFailedError, match=r"after 7 supersteps.*WorkflowBuilder\(max_iterations=14\)"):
        run(workflow.run(0))


def test_sending_an_undeclared_type_fails_with_a_fix():
    @executor(id="liar")
    async def liar(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(42)

    workflow = WorkflowBuilder().add_edge(liar, finish).set_start_executor(liar).build()
    with pytest.raises(WorkflowFailedError) as caught:
        run(workflow.run("x"))
    message = str(caught.value)
    assert "WorkflowTypeError" in message and "tried to send a int" in message
    assert "first parameter of WorkflowContext" in message


def test_yielding_an_undeclared_type_fails():
    @executor(id="yielder")
    async def yielder(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(3.5)

    workflow = WorkflowBuilder().set_start_executor(yielder).build()
    with pytest.raises(WorkflowFailedError, match="tried to yield a float"):
        run(workflow.run("x"))


def test_sending_to_an_unconnected_executor_names_the_missing_edge():
    @executor(id="lost")
    async def lost(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text, target_id="nowhere")

    workflow = WorkflowBuilder().add_edge(lost, finish).set_start_executor(lost).build()
    with pytest.raises(WorkflowFailedError, match=r"add_edge\('lost', 'nowhere'\)"):
        run(workflow.run("x"))


def test_a_message_nobody_accepts_is_a_warning_not_a_silent_drop():
    @executor(id="alone")
    async def alone(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    workflow = WorkflowBuilder().set_start_executor(alone).build()
    result = run(workflow.run("x"))
    warnings = [e for e in result if isinstance(e, WorkflowWarningEvent)]
    assert len(warnings) == 1
    assert "'alone'" in warnings[0].message and "no outgoing edges" in warnings[0].message


def test_a_message_of_the_wrong_type_for_every_target_is_a_warning():
    class Wide(Executor):
        @handler
        async def take(self, text: str, ctx: WorkflowContext[str | int]) -> None:
            await ctx.send_message(7)

    workflow = WorkflowBuilder().add_edge(Wide("wide"), finish).set_start_executor("wide").build()
    result = run(workflow.run("x"))
    [warning] = [e for e in result if isinstance(e, WorkflowWarningEvent)]
    assert "int sent by 'wide' reached no executor" in warning.message
    assert "'finish' accepts str" in warning.message


def test_start_message_of_the_wrong_type_is_refused_before_running():
    workflow = two_step_workflow()
    with pytest.raises(WorkflowTypeError, match="'upper' cannot take a int; it accepts str"):
        run(workflow.run(5))


def test_executor_and_shared_state_persist_across_supersteps():
    class Counter(Executor):
        @handler
        async def take(self, n: int, ctx: WorkflowContext[int, int]) -> None:
            state = await ctx.get_state() or {"seen": 0}
            await ctx.set_state({"seen": state["seen"] + 1})
            await ctx.set_shared_state("last", n)
            if n < 3:
                await ctx.send_message(n + 1)
            else:
                await ctx.yield_output((await ctx.get_state())["seen"] * 100 + await ctx.get_shared_state("last"))

    counter = Counter("counter")
    workflow = WorkflowBuilder().add_edge(counter, counter).set_start_executor(counter).build()
    assert run(workflow.run(0)).get_outputs() == [403]


def test_missing_shared_state_key_lists_the_known_keys():
    @executor(id="reader")
    async def reader(text: str, ctx: WorkflowContext) -> None:
        await ctx.set_shared_state("brief", text)
        await ctx.get_shared_state("breif")

    with pytest.raises(WorkflowFailedError, match=r"keys set so far: \['brief'\]"):
        run(WorkflowBuilder().set_start_executor(reader).build().run("x"))


def test_every_run_starts_from_fresh_state():
    class Remember(Executor):
        @handler
        async def take(self, n: int, ctx: WorkflowContext[Never, int | None]) -> None:
            previous = (await ctx.get_state() or {}).get("n")
            await ctx.set_state({"n": n})
            await ctx.yield_output(previous)

    workflow = WorkflowBuilder().set_start_executor(Remember("r")).build()
    assert run(workflow.run(1)).get_outputs() == [None]
    assert run(workflow.run(2)).get_outputs() == [None]


def test_custom_events_appear_in_the_stream():
    from wfkit import WorkflowEvent

    class Progress(WorkflowEvent):
        pass

    @executor(id="reporter")
    async def reporter(text: str, ctx: WorkflowContext) -> None:
        await ctx.add_event(Progress(data="half way"))

    result = run(WorkflowBuilder().set_start_executor(reporter).build().run("x"))
    assert [repr(e) for e in result if isinstance(e, Progress)] == ["Progress(data='half way')"]


def test_event_reprs_are_short():
    import uuid

    import wfkit
    from wfkit.agents.types import AgentRunResponse, AgentRunResponseUpdate, ChatMessage
    from wfkit.core.events import REPR_WIDTH, WorkflowErrorDetails

    assert repr(WorkflowStartedEvent()) == "WorkflowStartedEvent()"
    assert repr(SuperStepCompletedEvent(3)) == "SuperStepCompletedEvent(iteration=3)"
    warning = repr(WorkflowWarningEvent("No executor accepts a message of type str from writer. " * 6))
    assert warning.startswith("WorkflowWarningEvent(message='No executor accepts") and warning.endswith("...)")

    # One event of every class wfkit exports, each holding long values (and a long request id).
    text = "Launch the grinder, and tell every customer about it at once. " * 10
    details = WorkflowErrorDetails("ValueError", text, "Traceback ...\n" * 50, "draft_writer")
    examples = [
        wfkit.WorkflowEvent(text),
        wfkit.WorkflowStartedEvent(),
        wfkit.WorkflowStatusEvent(WorkflowRunState.IDLE_WITH_PENDING_REQUESTS, text),
        wfkit.WorkflowOutputEvent(text, "draft_writer"),
        wfkit.WorkflowIntermediateEvent(text, "draft_writer"),
        wfkit.WorkflowFailedEvent(details),
        wfkit.WorkflowWarningEvent(text),
        wfkit.SuperStepStartedEvent(12),
        wfkit.SuperStepCompletedEvent(12),
        wfkit.ExecutorEvent("draft_writer", text),
        wfkit.ExecutorInvokedEvent("draft_writer", text, ("prepare_brief",)),
        wfkit.ExecutorCompletedEvent("draft_writer", text, duration=0.25),
        wfkit.ExecutorFailedEvent("draft_writer", details, duration=0.25),
        wfkit.ExecutorBypassedEvent("draft_writer", text),
        wfkit.AgentRunUpdateEvent("draft_writer", AgentRunResponseUpdate(text=text)),
        wfkit.AgentRunEvent("draft_writer", AgentRunResponse(messages=[ChatMessage("assistant", text=text)])),
        wfkit.RequestInfoEvent(str(uuid.uuid4()), "review_gateway", str, text, str),
        wfkit.ExecutorRetryEvent("draft_writer", 2, details, delay=0.5),
        wfkit.ExecutorFallbackEvent("draft_writer", "human_review", details),
        wfkit.CompensationEvent("draft_writer", text),
        wfkit.FanInWaitingEvent(text, "merge_findings", ["metadata_lookup"], ["ocr_reader"]),
        wfkit.FanInPartialEvent(
            "merge_findings", ["ocr_reader", "layout_reader"],
            [wfkit.ExecutorFailure("metadata_lookup", text, "ConnectionError", text, attempts=3)],
        ),
        wfkit.MagenticOrchestratorMessageEvent("magentic_orchestrator", ChatMessage("assistant", text=text), "task_ledger"),
        wfkit.MagenticAgentMessageEvent("researcher", ChatMessage("assistant", text=text)),
        wfkit.MagenticAgentDeltaEvent("researcher", text),
        wfkit.MagenticFinalResultEvent(ChatMessage("assistant", text=text)),
    ]
    exported = {
        value
        for value in (getattr(wfkit, name) for name in wfkit.__all__)
        if isinstance(value, type) and issubclass(value, wfkit.WorkflowEvent)
    }
    assert {type(event) for event in examples} == exported  # a new event class needs an example here
    for event in examples:
        shown = repr(event)
        assert len(shown) <= REPR_WIDTH and "\n" not in shown, shown
        assert shown.startswith(type(event).__name__ + "(") and shown.endswith(")"), shown


def test_running_twice_at_once_is_refused():
    from wfkit import WorkflowRunError

    gate = asyncio.Event()

    @executor(id="wait")
    async def wait(text: str, ctx: WorkflowContext) -> None:
        await gate.wait()

    workflow = WorkflowBuilder().set_start_executor(wait).build()

    async def both():
        first = asyncio.ensure_future(workflow.run("a"))
        await asyncio.sleep(0.01)
        with pytest.raises(WorkflowRunError, match="already running"):
            await workflow.run("b")
        gate.set()
        await first

    run(both())


def test_invoked_events_say_who_sent_the_message():
    result = run(two_step_workflow().run("hi"))
    invoked = [e for e in result if isinstance(e, ExecutorInvokedEvent)]
    assert [(e.executor_id, e.source_executor_ids) for e in invoked] == [("upper", ("__input__",)), ("finish", ("upper",))]
