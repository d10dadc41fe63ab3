"""Human in the loop in AF b251007: an executor sends a `RequestInfoMessage` subclass to a
`RequestInfoExecutor`; the run pauses with a `RequestInfoEvent`; the answer, given with
`send_responses`, comes back to the asker as `RequestResponse[Req, Resp]` in a normal `@handler`."""

from __future__ import annotations

from dataclasses import dataclass

from tests.conftest import run
from wfkit import (
    Executor,
    RequestInfoEvent,
    RequestInfoExecutor,
    RequestInfoMessage,
    RequestResponse,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowOutputEvent,
    WorkflowRunState,
    handler,
)


@dataclass
class RoomQuestion(RequestInfoMessage):
    """Asks a person which room a meeting should use."""

    meeting: str = ""


class Booker(Executor):
    """Asks for a room for each meeting, then yields the booking."""

    def __init__(self) -> None:
        super().__init__(id="booker")
        self.answers: list[RequestResponse] = []

    @handler
    async def book(self, meeting: str, ctx: WorkflowContext[RoomQuestion]) -> None:
        await ctx.send_message(RoomQuestion(meeting=meeting), target_id="front_desk")

    @handler
    async def booked(self, answer: RequestResponse[RoomQuestion, str], ctx: WorkflowContext[RoomQuestion, str]) -> None:
        self.answers.append(answer)
        if answer.data == "any":
            await ctx.send_message(RoomQuestion(meeting=answer.original_request.meeting), target_id="front_desk")
        else:
            await ctx.yield_output(f"{answer.original_request.meeting} in {answer.data}")


def booking_workflow():
    booker, desk = Booker(), RequestInfoExecutor(id="front_desk")
    workflow = WorkflowBuilder().set_start_executor(booker).add_edge(booker, desk).add_edge(desk, booker).build()
    return workflow, booker


def test_a_request_sent_to_the_request_info_executor_pauses_the_run():
    workflow, _ = booking_workflow()
    result = run(workflow.run("standup"))
    assert result.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
    assert result.get_outputs() == []


def test_the_request_event_carries_the_request_message_and_its_id():
    workflow, _ = booking_workflow()
    [event] = run(workflow.run("standup")).get_request_info_events()
    assert isinstance(event, RequestInfoEvent) and isinstance(event.data, RoomQuestion)
    assert event.data.meeting == "standup" and event.request_id == event.data.request_id


def test_the_request_names_the_executor_that_asked():
    workflow, _ = booking_workflow()
    [event] = run(workflow.run("standup")).get_request_info_events()
    assert event.data.source_executor_id == "booker"


def test_the_answer_comes_back_to_the_asker_as_a_request_response():
    workflow, booker = booking_workflow()
    [event] = run(workflow.run("retro")).get_request_info_events()
    result = run(workflow.send_responses({event.request_id: "Blue room"}))
    assert result.get_outputs() == ["retro in Blue room"]
    [answer] = booker.answers
    assert answer.data == "Blue room" and answer.original_request.meeting == "retro"
    assert answer.request_id == event.request_id


def test_an_answer_may_lead_to_another_question_in_the_same_run():
    workflow, _ = booking_workflow()
    [first] = run(workflow.run("planning")).get_request_info_events()
    [second] = run(workflow.send_responses({first.request_id: "any"})).get_request_info_events()
    assert second.request_id != first.request_id
    assert run(workflow.send_responses({second.request_id: "Attic"})).get_outputs() == ["planning in Attic"]


def test_streaming_the_answer_shows_the_output_event():
    workflow, _ = booking_workflow()
    [event] = run(workflow.run("demo")).get_request_info_events()

    async def answer():
        return [e async for e in workflow.send_responses_streaming({event.request_id: "Hall"})]

    events = run(answer())
    assert [e.data for e in events if isinstance(e, WorkflowOutputEvent)] == ["demo in Hall"]
