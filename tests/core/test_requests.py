"""Requests for outside input, answered live (checkpoints are tested in test_checkpoints.py)."""

import asyncio
from dataclasses import dataclass

import pytest

from tests.conftest import run
from tests.core.review_workflows import (
    HumanApprovalRequest,
    HumanReviewRequest,
    ReviewResponse,
    release_notes_workflow,
    worker_reviewer_workflow,
)
from wfkit import (
    Executor,
    Never,
    RequestInfoEvent,
    RequestInfoExecutor,
    RequestInfoMessage,
    RequestResponse,
    RequestResponseError,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    WorkflowRunState,
    WorkflowStatusEvent,
    executor,
    handler,
    response_handler,
)


def test_a_pause_is_a_normal_end_with_pending_requests():
    result = run(release_notes_workflow().run("Launch the grinder"))
    assert result.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
    [request] = result.get_request_info_events()
    assert isinstance(request.data, HumanApprovalRequest)
    assert request.data.draft == "New: Launch the grinder. Pre-order today!"
    assert request.data.source_executor_id == "review_gateway"
    assert request.response_type is str
    assert WorkflowStatusEvent(WorkflowRunState.IN_PROGRESS_PENDING_REQUESTS) in result


def test_request_info_executor_loop_revises_then_approves():
    workflow = release_notes_workflow()

    async def scenario():
        [first] = (await workflow.run("Launch the grinder")).get_request_info_events()
        [second] = (await workflow.send_responses({first.request_id: "mention the price"})).get_request_info_events()
        assert second.data.iteration == 2
        assert "[revised: mention the price]" in second.data.draft
        return await workflow.send_responses({second.request_id: "approve"})

    result = run(scenario())
    assert result.get_final_state() is WorkflowRunState.IDLE
    assert result.get_outputs() == ["New: Launch the grinder. Pre-order today! [revised: mention the price]"]


def test_request_info_and_response_handler_loop():
    workflow = worker_reviewer_workflow()

    async def scenario():
        [ask] = (await workflow.run("Why learn to code?")).get_request_info_events()
        assert isinstance(ask.data, HumanReviewRequest)
        assert ask.response_type is ReviewResponse
        [again] = (
            await workflow.send_responses({ask.request_id: ReviewResponse("r1", "add an example", False)})
        ).get_request_info_events()
        assert again.data.agent_request.answer == "Attempt 2: add an example"
        return await workflow.send_responses({again.request_id: ReviewResponse("r1", "", True)})

    assert run(scenario()).get_outputs() == ["approved after 2 attempt(s)"]


def test_streamed_answers_yield_events():
    workflow = release_notes_workflow()

    async def scenario():
        [ask] = (await workflow.run("Launch")).get_request_info_events()
        return [e async for e in workflow.send_responses_streaming({ask.request_id: "approve"})]

    events = run(scenario())
    assert events[-1] == WorkflowStatusEvent(WorkflowRunState.IDLE)
    assert any(getattr(e, "data", None) == "New: Launch. Pre-order today!" for e in events)


def test_unknown_request_id_is_refused_and_nothing_runs():
    workflow = release_notes_workflow()

    async def scenario():
        [ask] = (await workflow.run("Launch")).get_request_info_events()
        with pytest.raises(RequestResponseError, match=rf"No pending request has id 'nope'.*'{ask.request_id}'"):
            await workflow.send_responses({"nope": "approve", ask.request_id: "approve"})
        return ask

    ask = run(scenario())
    assert list(workflow.pending_requests) == [ask.request_id]


def test_answers_are_all_checked_before_any_is_applied():
    workflow = release_notes_workflow()

    async def scenario():
        [ask] = (await workflow.run("Launch")).get_request_info_events()
        # The good answer comes first: it must not be applied before the unknown id is found.
        with pytest.raises(RequestResponseError, match="No pending request has id 'nope'"):
            await workflow.send_responses({ask.request_id: "approve", "nope": "approve"})
        assert list(workflow.pending_requests) == [ask.request_id]
        return await workflow.send_responses({ask.request_id: "approve"})

    assert run(scenario()).get_final_state() is WorkflowRunState.IDLE


def test_answer_of_the_wrong_type_is_refused_and_the_request_stays_pending():
    workflow = worker_reviewer_workflow()

    async def scenario():
        [ask] = (await workflow.run("Why?")).get_request_info_events()
        with pytest.raises(RequestResponseError, match="expects a ReviewResponse answer, got str"):
            await workflow.send_responses({ask.request_id: "approve"})
        assert list(workflow.pending_requests) == [ask.request_id]
        # The same request can still be answered properly.
        return await workflow.send_responses({ask.request_id: ReviewResponse("r1", "", True)})

    assert run(scenario()).get_outputs() == ["approved after 1 attempt(s)"]


def test_request_info_without_a_response_handler_fails_with_a_fix():
    @executor(id="asker")
    async def asker(text: str, ctx: WorkflowContext) -> None:
        await ctx.request_info(text, response_type=int)

    with pytest.raises(WorkflowFailedError, match="has no @response_handler taking"):
        run(WorkflowBuilder().set_start_executor(asker).build().run("how many?"))


@dataclass
class Approval(RequestInfoMessage):
    draft: str


def test_both_request_styles_work_in_one_workflow():
    class Drafter(Executor):
        """Asks the old way (RequestInfoExecutor), then the new way (request_info)."""

        @handler
        async def start(self, topic: str, ctx: WorkflowContext[Approval]) -> None:
            await ctx.send_message(Approval(draft=f"About {topic}"), target_id="gate")

        @handler
        async def on_approval(self, answer: RequestResponse[Approval, bool], ctx: WorkflowContext) -> None:
            await ctx.request_info(f"Title for: {answer.original_request.draft}?", response_type=str)

        @response_handler
        async def on_title(self, question: str, title: str, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(title)

    drafter, gate = Drafter("drafter"), RequestInfoExecutor("gate")
    workflow = WorkflowBuilder().add_edge(drafter, gate).add_edge(gate, drafter).set_start_executor(drafter).build()

    async def scenario():
        [approval] = (await workflow.run("owls")).get_request_info_events()
        assert approval.response_type is bool and approval.source_executor_id == "gate"
        [title] = (await workflow.send_responses({approval.request_id: True})).get_request_info_events()
        assert title.data == "Title for: About owls?" and title.source_executor_id == "drafter"
        return await workflow.send_responses({title.request_id: "Owls at night"})

    assert run(scenario()).get_outputs() == ["Owls at night"]


def test_request_info_keeps_the_request_id_its_message_carries():
    """A RequestInfoMessage comes with its own request_id: ctx.request_info asks under that id,
    so the RequestInfoEvent, the pending request and the answer all use it."""

    class Asker(Executor):
        @handler
        async def start(self, topic: str, ctx: WorkflowContext) -> None:
            await ctx.request_info(Approval(draft=f"About {topic}", request_id="abc"), response_type=bool)

        @response_handler
        async def on_answer(self, request: Approval, approved: bool, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(f"{request.request_id}: {approved}")

    workflow = WorkflowBuilder().set_start_executor(Asker("asker")).build()
    [ask] = run(workflow.run("owls")).get_request_info_events()
    assert ask.request_id == "abc" and list(workflow.pending_requests) == ["abc"]
    assert run(workflow.send_responses({"abc": True})).get_outputs() == ["abc: True"]


def test_several_requests_can_be_pending_and_answered_together():
    class Asker(Executor):
        @handler
        async def start(self, n: int, ctx: WorkflowContext) -> None:
            for i in range(3):
                await ctx.request_info(f"q{i}", response_type=int)

        @response_handler
        async def on_answer(self, question: str, answer: int, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(f"{question}={answer}")

    workflow = WorkflowBuilder().set_start_executor(Asker("asker")).build()

    async def scenario():
        asks = (await workflow.run(0)).get_request_info_events()
        assert [a.data for a in asks] == ["q0", "q1", "q2"]
        partial = await workflow.send_responses({asks[1].request_id: 11})
        assert partial.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
        rest = await workflow.send_responses({asks[0].request_id: 10, asks[2].request_id: 12})
        return partial.get_outputs() + rest.get_outputs()

    assert run(scenario()) == ["q1=11", "q0=10", "q2=12"]


def test_request_info_event_repr_is_short():
    event = RequestInfoEvent("abc", "gate", str, "x" * 300, str)
    assert len(repr(event)) < 140


def test_an_answer_given_while_the_run_is_busy_is_refused_and_the_request_stays_pending():
    from wfkit import WorkflowRunError

    release = asyncio.Event()

    @executor(id="split")
    async def split(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    class Asker(Executor):
        @handler
        async def ask(self, text: str, ctx: WorkflowContext) -> None:
            await ctx.request_info(f"Approve {text}?", response_type=str)

        @response_handler
        async def answered(self, question: str, answer: str, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(answer)

    @executor(id="slow")
    async def slow(text: str, ctx: WorkflowContext) -> None:
        await release.wait()

    workflow = (
        WorkflowBuilder().add_fan_out_edges(split, [Asker("asker"), slow]).set_start_executor(split).build()
    )

    async def scenario():
        asks = []
        async for event in workflow.run_stream("plan"):
            if isinstance(event, RequestInfoEvent):
                asks.append(event.request_id)
                with pytest.raises(WorkflowRunError, match="already running"):
                    await workflow.send_responses({event.request_id: "yes"})
                release.set()
        assert workflow.last_run_state is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
        assert list(workflow.pending_requests) == asks
        return await workflow.send_responses({asks[0]: "yes"})

    assert run(scenario()).get_outputs() == ["yes"]


def test_an_earlier_run_kept_is_answered_after_the_workflow_ran_again():
    workflow = release_notes_workflow()

    async def scenario():
        [first] = (await workflow.run("Launch the grinder")).get_request_info_events()
        earlier = workflow.latest_run
        [second] = (await workflow.run("Launch the kettle")).get_request_info_events()
        finished = await workflow.send_responses({first.request_id: "approve"}, run=earlier)
        return finished, earlier, second

    finished, earlier, second = run(scenario())
    assert finished.get_outputs() == ["New: Launch the grinder. Pre-order today!"]
    assert workflow.latest_run is earlier  # answered last: send_responses without run= goes on with it
    assert second.request_id not in workflow.pending_requests


def test_an_earlier_run_waits_its_turn_while_a_newer_run_is_busy():
    from wfkit import WorkflowRunError

    workflow = release_notes_workflow()

    async def scenario():
        [first] = (await workflow.run("Launch the grinder")).get_request_info_events()
        earlier = workflow.latest_run
        newer = workflow.run_stream("Launch the kettle")
        await anext(newer)  # the newer run has started and holds the workflow
        with pytest.raises(WorkflowRunError, match="already running"):
            await workflow.send_responses({first.request_id: "approve"}, run=earlier)
        await newer.aclose()
        return first.request_id, earlier.pending_requests

    request_id, still_pending = run(scenario())
    assert list(still_pending) == [request_id]  # refused before anything changed: still asking


def test_a_run_of_another_workflow_is_refused_naming_both():
    from wfkit import WorkflowRunError

    asked, other = release_notes_workflow(), release_notes_workflow()

    async def scenario():
        [request] = (await asked.run("Launch the grinder")).get_request_info_events()
        with pytest.raises(WorkflowRunError, match="belongs to another workflow"):
            await other.send_responses({request.request_id: "approve"}, run=asked.latest_run)

    run(scenario())
