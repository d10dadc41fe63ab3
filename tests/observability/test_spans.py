"""The spans of a run: their names in each era, how they nest, their attributes, links and failures.

Every test runs a real workflow with tracing on (see conftest.py) and reads the spans the real
OpenTelemetry SDK handed to an in-memory exporter.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from tests.conftest import run
from wfkit import (
    Executor,
    RetryPolicy,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowExecutor,
    WorkflowFailedError,
    handler,
    response_handler,
)
from wfkit.core.observers import run_observers
from wfkit.observability import disable_instrumentation, enable_sensitive_telemetry, get_tracer, span_records, span_tree

from tests.observability.workflows import two_steps


def tree(exporter: InMemorySpanExporter) -> list[tuple[int, str]]:
    """(depth, name) of every span, in reading order."""
    return [(depth, record.name) for depth, record in span_tree(span_records(exporter))]


def spans_named(exporter: InMemorySpanExporter, prefix: str) -> list[Any]:
    return [span for span in exporter.get_finished_spans() if span.name.startswith(prefix)]


# --- names and nesting ------------------------------------------------------------------------


def test_the_previews_call_names_spans_as_the_previews_did_and_nests_them_run_step_call_send(seed_spans):
    assert run(two_steps().run("hello")).get_outputs() == ["OLLEH"]
    assert tree(seed_spans) == [
        (0, "workflow.run"),
        (1, "workflow.superstep"),
        (2, "executor.process"),
        (3, "message.send"),
        (1, "workflow.superstep"),
        (2, "executor.process"),
    ]


def test_todays_call_names_spans_as_af_1x_does(today_spans):
    run(two_steps().run("hello"))
    assert tree(today_spans) == [
        (0, "invoke_workflow flow"),
        (1, "workflow.superstep"),
        (2, "executor.process upper"),
        (3, "message.send"),
        (1, "workflow.superstep"),
        (2, "executor.process reverse"),
    ]


def test_an_unnamed_workflow_s_run_span_is_named_without_a_suffix(today_spans):
    run(two_steps(name=None).run("hello"))
    [run_span] = spans_named(today_spans, "invoke_workflow")
    assert run_span.name == "invoke_workflow"
    assert "gen_ai.workflow.name" not in run_span.attributes


# --- attributes, events, kinds ------------------------------------------------------------------


def test_the_run_span_says_which_workflow_ran_and_that_it_started_and_completed(seed_spans):
    run(two_steps().run("hello"))
    [run_span] = spans_named(seed_spans, "workflow.run")
    assert dict(run_span.attributes) == {
        "workflow.id": "flow",
        "workflow.name": "flow",
        "workflow.description": "shout, then reverse",
        "workflow.final_state": "IDLE",
    }
    assert [event.name for event in run_span.events] == ["workflow.started", "workflow.completed"]
    assert run_span.status.status_code is StatusCode.UNSET


def test_todays_run_span_carries_the_gen_ai_keys(today_spans):
    run(two_steps().run("hello"))
    [run_span] = spans_named(today_spans, "invoke_workflow")
    assert run_span.attributes["gen_ai.workflow.name"] == "flow"
    assert run_span.attributes["gen_ai.operation.name"] == "invoke_workflow"
    assert "workflow.name" not in run_span.attributes


def test_an_executor_span_names_the_executor_its_class_and_what_it_handled(seed_spans):
    run(two_steps().run("hello"))
    first, second = spans_named(seed_spans, "executor.process")
    assert dict(first.attributes) == {
        "executor.id": "upper",
        "executor.type": "Upper",
        "message.type": "standard",
        "message.payload_type": "str",
    }
    assert second.attributes["executor.id"] == "reverse"


def test_a_superstep_span_numbers_the_step_and_counts_its_messages(seed_spans):
    run(two_steps().run("hello"))
    steps = spans_named(seed_spans, "workflow.superstep")
    assert [dict(step.attributes) for step in steps] == [
        {"superstep.iteration": 1, "superstep.message_count": 1},
        {"superstep.iteration": 2, "superstep.message_count": 1},
    ]


def test_a_message_span_is_a_producer_naming_the_type_sent(seed_spans):
    run(two_steps().run("hello"))
    [send] = spans_named(seed_spans, "message.send")
    assert send.kind is SpanKind.PRODUCER
    assert dict(send.attributes) == {"message.type": "str"}


def test_a_message_sent_to_a_named_target_says_where_it_goes(seed_spans):
    class Pick(Executor):
        @handler
        async def pick(self, text: str, ctx: WorkflowContext[str]) -> None:
            await ctx.send_message(text, target_id="second")

    class Sink(Executor):
        @handler
        async def take(self, text: str, ctx: WorkflowContext[Any, str]) -> None:
            await ctx.yield_output(text)

    pick, first, second = Pick(id="pick"), Sink(id="first"), Sink(id="second")
    workflow = WorkflowBuilder().set_start_executor(pick).add_fan_out_edges(pick, [first, second]).build()
    run(workflow.run("x"))
    [send] = spans_named(seed_spans, "message.send")
    assert send.attributes["message.destination_executor_id"] == "second"


# --- links: a handler call points at the send it handles --------------------------------------


def test_the_call_that_handles_a_message_links_to_the_span_that_sent_it(seed_spans):
    run(two_steps().run("hello"))
    [send] = spans_named(seed_spans, "message.send")
    first, second = spans_named(seed_spans, "executor.process")
    assert [link.context.span_id for link in second.links] == [send.context.span_id]
    assert list(first.links) == []  # the run's input was sent by nobody


def test_a_fan_in_call_links_to_each_source_s_send(seed_spans):
    class Start(Executor):
        @handler
        async def start(self, n: int, ctx: WorkflowContext[int]) -> None:
            await ctx.send_message(n)

    class Add(Executor):
        def __init__(self, id: str, amount: int) -> None:
            super().__init__(id=id)
            self.amount = amount

        @handler
        async def add(self, n: int, ctx: WorkflowContext[int]) -> None:
            await ctx.send_message(n + self.amount)

    class Sum(Executor):
        @handler
        async def total(self, parts: list[int], ctx: WorkflowContext[Any, int]) -> None:
            await ctx.yield_output(sum(parts))

    start, adders, join = Start(id="start"), [Add(id=f"add{i}", amount=i * 10) for i in range(3)], Sum(id="sum")
    workflow = (
        WorkflowBuilder().set_start_executor(start).add_fan_out_edges(start, adders).add_fan_in_edges(adders, join).build()
    )
    assert run(workflow.run(1)).get_outputs() == [33]
    sends = {span.context.span_id: span for span in spans_named(seed_spans, "message.send")}
    by_executor = {span.attributes["executor.id"]: span for span in spans_named(seed_spans, "executor.process")}
    adder_sends = {
        span_id for span_id, send in sends.items() if send.parent.span_id in {by_executor[a.id].context.span_id for a in adders}
    }
    assert len(adder_sends) == 3
    assert {link.context.span_id for link in by_executor["sum"].links} == adder_sends
    # Each adder links to the one send of the start executor, which all three handled.
    start_send = next(i for i, s in sends.items() if s.parent.span_id == by_executor["start"].context.span_id)
    assert all([link.context.span_id for link in by_executor[a.id].links] == [start_send] for a in adders)


def test_handlers_of_one_superstep_sit_side_by_side_under_its_span(seed_spans):
    class Start(Executor):
        @handler
        async def start(self, text: str, ctx: WorkflowContext[str]) -> None:
            await ctx.send_message(text)

    class Sink(Executor):
        @handler
        async def take(self, text: str, ctx: WorkflowContext[Any, str]) -> None:
            await ctx.yield_output(text)

    start, sinks = Start(id="start"), [Sink(id=f"sink{i}") for i in range(3)]
    run(WorkflowBuilder().set_start_executor(start).add_fan_out_edges(start, sinks).build().run("x"))
    second_step = spans_named(seed_spans, "workflow.superstep")[1]
    calls = [s for s in spans_named(seed_spans, "executor.process") if s.parent.span_id == second_step.context.span_id]
    assert sorted(call.attributes["executor.id"] for call in calls) == ["sink0", "sink1", "sink2"]


# --- failures ------------------------------------------------------------------------------------


def test_a_failing_handler_marks_its_call_its_step_and_the_run_as_errors(seed_spans):
    try:
        run(two_steps().run("fail"))
    except WorkflowFailedError:
        pass
    else:
        raise AssertionError("the run should have failed")
    [run_span] = spans_named(seed_spans, "workflow.run")
    failed_step = spans_named(seed_spans, "workflow.superstep")[1]
    failed_call = spans_named(seed_spans, "executor.process")[1]
    for span in (run_span, failed_step, failed_call):
        assert span.status.status_code is StatusCode.ERROR, span.name
        assert span.attributes["error.type"] == "ValueError"
        # The previews told the error in full on every span.
        assert span.status.description == "ValueError: cannot reverse 'FAIL'"
    assert run_span.attributes["workflow.final_state"] == "FAILED"
    assert [event.name for event in run_span.events][:2] == ["workflow.started", "workflow.error"]
    # The calls and steps that went well are not marked.
    assert spans_named(seed_spans, "executor.process")[0].status.status_code is StatusCode.UNSET
    assert spans_named(seed_spans, "workflow.superstep")[0].status.status_code is StatusCode.UNSET


def test_today_an_error_s_message_stays_off_spans_until_sensitive_data_is_allowed(today_spans):
    def failing_run() -> None:
        try:
            run(two_steps().run("fail"))
        except WorkflowFailedError:
            pass

    failing_run()
    call = spans_named(today_spans, "executor.process reverse")[0]
    assert call.status.status_code is StatusCode.ERROR
    assert call.attributes["error.type"] == "ValueError"
    assert call.status.description is None
    assert not call.events  # no exception event: its message could quote the run's data

    today_spans.clear()
    enable_sensitive_telemetry()
    failing_run()
    call = spans_named(today_spans, "executor.process reverse")[0]
    assert call.status.description == "ValueError: cannot reverse 'FAIL'"
    assert [event.name for event in call.events] == ["exception"]


def test_each_retried_attempt_is_a_call_span_of_its_own(seed_spans):
    class Flaky(Executor):
        def __init__(self) -> None:
            super().__init__(id="flaky")
            self.calls = 0

        @handler
        async def go(self, text: str, ctx: WorkflowContext[Any, str]) -> None:
            self.calls += 1
            if self.calls < 3:
                raise ConnectionError("try again")
            await ctx.yield_output(text)

    flaky = Flaky()
    workflow = (
        WorkflowBuilder().set_start_executor(flaky).with_retry(flaky, RetryPolicy(max_attempts=3, backoff_seconds=0)).build()
    )
    assert run(workflow.run("x")).get_outputs() == ["x"]
    statuses = [span.status.status_code for span in spans_named(seed_spans, "executor.process")]
    assert statuses == [StatusCode.ERROR, StatusCode.ERROR, StatusCode.UNSET]
    [run_span] = spans_named(seed_spans, "workflow.run")
    assert run_span.status.status_code is StatusCode.UNSET


# --- runs inside runs, and runs inside spans of your own -----------------------------------------


def test_a_sub_workflow_s_run_nests_inside_the_call_of_its_executor(seed_spans):
    inner = two_steps(name="inner")

    class Start(Executor):
        @handler
        async def start(self, text: str, ctx: WorkflowContext[str]) -> None:
            await ctx.send_message(text)

    start, sub = Start(id="start"), WorkflowExecutor(inner, id="sub")
    outer = WorkflowBuilder(name="outer").set_start_executor(start).add_edge(start, sub).build()
    assert run(outer.run("hello")).get_outputs() == ["OLLEH"]
    assert tree(seed_spans) == [
        (0, "workflow.run"),
        (1, "workflow.superstep"),
        (2, "executor.process"),
        (3, "message.send"),
        (1, "workflow.superstep"),
        (2, "executor.process"),  # the sub-workflow's executor, and inside it the child's run:
        (3, "workflow.run"),
        (4, "workflow.superstep"),
        (5, "executor.process"),
        (6, "message.send"),
        (4, "workflow.superstep"),
        (5, "executor.process"),
    ]
    outer_run, inner_run = spans_named(seed_spans, "workflow.run")[::-1]  # the inner one ends first
    assert (outer_run.attributes["workflow.id"], inner_run.attributes["workflow.id"]) == ("outer", "inner")
    assert len({span.context.trace_id for span in seed_spans.get_finished_spans()}) == 1


def test_a_span_of_your_own_holds_the_runs_started_inside_it(seed_spans):
    with get_tracer().start_as_current_span("my scenario"):
        run(two_steps().run("hello"))
        run(two_steps(name="again").run("hello"))
    assert [(depth, name) for depth, name in tree(seed_spans) if depth <= 1] == [
        (0, "my scenario"),
        (1, "workflow.run"),
        (1, "workflow.run"),
    ]


def test_a_streamed_run_gives_the_same_spans(seed_spans):
    async def stream_it() -> list[str]:
        return [event.type async for event in two_steps().run("hello", stream=True)]

    assert "output" in run(stream_it())
    assert tree(seed_spans)[:3] == [(0, "workflow.run"), (1, "workflow.superstep"), (2, "executor.process")]
    assert len(tree(seed_spans)) == 6


@dataclass
class Question:
    text: str


class Asker(Executor):
    @handler
    async def ask(self, text: str, ctx: WorkflowContext) -> None:
        await ctx.request_info(Question(text), str)

    @response_handler
    async def heard(self, question: Question, answer: str, ctx: WorkflowContext[Any, str]) -> None:
        await ctx.yield_output(answer)


def test_an_answer_is_handled_in_a_call_whose_message_type_is_response(seed_spans):
    workflow = WorkflowBuilder().set_start_executor(Asker(id="asker")).build()
    first = run(workflow.run("name?"))
    [request] = first.get_request_info_events()
    run(workflow.run(responses={request.request_id: "Ada"}))
    first_run, second_run = spans_named(seed_spans, "workflow.run")
    assert first_run.attributes["workflow.final_state"] == "IDLE_WITH_PENDING_REQUESTS"
    calls = spans_named(seed_spans, "executor.process")
    assert [call.attributes["message.type"] for call in calls] == ["standard", "response"]
    assert first_run.context.trace_id != second_run.context.trace_id  # two run calls, two traces


# --- off ------------------------------------------------------------------------------------------


def test_after_disable_runs_make_no_spans_and_the_engine_watches_nothing(seed_spans):
    disable_instrumentation()
    assert run_observers() == []
    assert run(two_steps().run("hello")).get_outputs() == ["OLLEH"]
    assert seed_spans.get_finished_spans() == ()


# --- work cut short ----------------------------------------------------------------------------


def test_a_timed_out_call_is_marked_cancelled_and_its_step_and_run_say_it_timed_out(seed_spans):
    class Sleepy(Executor):
        @handler
        async def nap(self, text: str, ctx: WorkflowContext[Any, str]) -> None:
            await asyncio.sleep(5)

    sleepy = Sleepy(id="sleepy")
    workflow = WorkflowBuilder().set_start_executor(sleepy).with_timeout(sleepy, seconds=0.01).build()
    with pytest.raises(WorkflowFailedError):
        run(workflow.run("x"))
    [call] = spans_named(seed_spans, "executor.process")
    assert (call.attributes["error.type"], call.status.description) == ("CancelledError", "cancelled")
    [step] = spans_named(seed_spans, "workflow.superstep")
    [run_span] = spans_named(seed_spans, "workflow.run")
    assert step.attributes["error.type"] == run_span.attributes["error.type"] == "ExecutorTimeoutError"


def test_a_stream_left_early_ends_its_spans_where_it_stopped(seed_spans, caplog):
    async def leave_early() -> None:
        async for event in two_steps().run("hello", stream=True):
            if event.type == "superstep_completed":
                break

    with caplog.at_level(logging.ERROR):
        run(leave_early())
    [run_span] = spans_named(seed_spans, "workflow.run")
    assert run_span.attributes["workflow.final_state"] == "CANCELLED"
    assert run_span.status.description == "cancelled"
    assert [s.attributes["superstep.iteration"] for s in spans_named(seed_spans, "workflow.superstep")] == [1]
    assert not caplog.records  # OpenTelemetry logs an error when a span's context is left in the wrong place
