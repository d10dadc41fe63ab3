"""Streaming in AF b251104: `run_stream` shows `RequestInfoEvent`s as they are made (and the final
status says requests are pending); `send_responses_streaming` continues the same run; streamed
outputs and the final status are what `run` would have collected."""

from __future__ import annotations

from tests.conftest import run
from wfkit import (
    Executor,
    Never,
    RequestInfoEvent,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowOutputEvent,
    WorkflowRunState,
    WorkflowStatusEvent,
    handler,
    response_handler,
)


class Quiz(Executor):
    @handler
    async def ask(self, question: str, ctx: WorkflowContext) -> None:
        await ctx.request_info(request_data=question, response_type=int)

    @response_handler
    async def marked(self, question: str, answer: int, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{question} {answer}: {'right' if answer == 4 else 'wrong'}")


def quiz():
    return WorkflowBuilder().set_start_executor(Quiz(id="quiz")).build()


def collect(stream) -> list:
    async def go():
        return [event async for event in stream]

    return run(go())


def test_the_stream_shows_the_request_and_ends_with_requests_pending():
    events = collect(quiz().run_stream("2+2?"))
    assert [e.data for e in events if isinstance(e, RequestInfoEvent)] == ["2+2?"]
    assert isinstance(events[-1], WorkflowStatusEvent)
    assert events[-1].state is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS


def test_streaming_the_answer_continues_the_same_run_to_its_output():
    workflow = quiz()
    [event] = [e for e in collect(workflow.run_stream("2+2?")) if isinstance(e, RequestInfoEvent)]
    events = collect(workflow.send_responses_streaming({event.request_id: 4}))
    assert [e.data for e in events if isinstance(e, WorkflowOutputEvent)] == ["2+2? 4: right"]
    assert events[-1].state is WorkflowRunState.IDLE


def test_a_stream_and_a_collected_run_give_the_same_event_kinds():
    streamed = [type(e).__name__ for e in collect(quiz().run_stream("3+1?"))]
    collected = [type(e).__name__ for e in run(quiz().run("3+1?"))]
    assert streamed == collected
