"""Human in the loop in AF b251104: `await ctx.request_info(request_data=..., response_type=...)`
pauses the run with a `RequestInfoEvent` whose `data` is the request and `response_type` the
type wanted; the answer, given with `send_responses` or `send_responses_streaming`, arrives in the
asker's `@response_handler(self, original_request, response, ctx)`; several may wait at once;
an answer of the wrong type or for an unknown id is refused."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import run
from wfkit import (
    Executor,
    Never,
    RequestInfoEvent,
    RequestResponseError,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowOutputEvent,
    WorkflowRunState,
    handler,
    response_handler,
)


@dataclass
class SeatChoice:
    passenger: str
    options: list[str]


class CheckIn(Executor):
    @handler
    async def check_in(self, passengers: list[str], ctx: WorkflowContext) -> None:
        for passenger in passengers:
            await ctx.request_info(request_data=SeatChoice(passenger, ["12A", "12B"]), response_type=str)

    @response_handler
    async def seated(self, original_request: SeatChoice, seat: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{original_request.passenger}: {seat}")


def check_in_workflow():
    return WorkflowBuilder().set_start_executor(CheckIn(id="check_in")).build()


def test_request_info_pauses_the_run_with_the_request_as_event_data():
    result = run(check_in_workflow().run(["Ana"]))
    [event] = result.get_request_info_events()
    assert result.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
    assert isinstance(event, RequestInfoEvent) and event.data == SeatChoice("Ana", ["12A", "12B"])


def test_the_event_names_the_asker_and_the_response_type():
    [event] = run(check_in_workflow().run(["Ana"])).get_request_info_events()
    assert event.source_executor_id == "check_in" and event.response_type is str


def test_the_answer_reaches_the_response_handler_with_the_original_request():
    workflow = check_in_workflow()
    [event] = run(workflow.run(["Ana"])).get_request_info_events()
    assert run(workflow.send_responses({event.request_id: "12B"})).get_outputs() == ["Ana: 12B"]


def test_several_requests_can_wait_at_once_and_be_answered_together():
    workflow = check_in_workflow()
    events = run(workflow.run(["Ana", "Ben"])).get_request_info_events()
    answers = {e.request_id: "12A" if e.data.passenger == "Ana" else "12B" for e in events}
    assert sorted(run(workflow.send_responses(answers)).get_outputs()) == ["Ana: 12A", "Ben: 12B"]


def test_answering_some_requests_leaves_the_others_waiting():
    workflow = check_in_workflow()
    first, second = run(workflow.run(["Ana", "Ben"])).get_request_info_events()
    result = run(workflow.send_responses({first.request_id: "12A"}))
    assert result.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
    assert list(workflow.pending_requests) == [second.request_id]


def test_answers_can_be_streamed():
    workflow = check_in_workflow()
    [event] = run(workflow.run(["Cy"])).get_request_info_events()

    async def answer():
        return [e async for e in workflow.send_responses_streaming({event.request_id: "1C"})]

    assert [e.data for e in run(answer()) if isinstance(e, WorkflowOutputEvent)] == ["Cy: 1C"]


def test_an_answer_of_the_wrong_type_is_refused_and_the_request_stays():
    workflow = check_in_workflow()
    [event] = run(workflow.run(["Ana"])).get_request_info_events()
    with pytest.raises(RequestResponseError, match="expects a str answer"):
        run(workflow.send_responses({event.request_id: 12}))
    assert list(workflow.pending_requests) == [event.request_id]


def test_an_answer_for_an_unknown_request_id_is_refused():
    workflow = check_in_workflow()
    run(workflow.run(["Ana"]))
    with pytest.raises(RequestResponseError, match="no-such-request"):
        run(workflow.send_responses({"no-such-request": "12A"}))
