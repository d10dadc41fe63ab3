"""with_request_info(): a person reviews each agent's answer before it goes on, in both
spellings and both shapes. The review is a request whose data is the agent's
AgentExecutorResponse and whose answer is an AgentRequestInfoResponse."""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import (
    AgentExecutorResponse,
    AgentRunResponse,
    ChatMessage,
    Executor,
    InMemoryCheckpointStorage,
    Role,
    WorkflowContext,
    WorkflowOutputEvent,
    handler,
)
from wfkit.errors import WorkflowValidationError
from wfkit.orchestrations import AgentRequestInfoResponse, ConcurrentBuilder, SequentialBuilder

from .helpers import SPELLINGS, reader, review_all, spelled

APPROVE = AgentRequestInfoResponse.approve()


# --- the answer ---------------------------------------------------------------------------------


def test_approve_is_an_answer_without_messages():
    assert AgentRequestInfoResponse.approve().messages == []


def test_feedback_as_strings_becomes_user_messages():
    feedback = AgentRequestInfoResponse.from_strings(["Shorter.", "Mention owls."])
    assert [(m.role, m.text) for m in feedback.messages] == [(Role.USER, "Shorter."), (Role.USER, "Mention owls.")]


def test_feedback_as_messages_is_kept_as_given():
    message = ChatMessage(Role.USER, text="Shorter.")
    assert AgentRequestInfoResponse.from_messages([message]).messages == [message]


# --- sequential ---------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_sequential_pauses_after_each_agent_with_its_response(spelling):
    workflow = spelled(SequentialBuilder, spelling, [reader("writer"), reader("editor")]).with_request_info().build()
    asked, _ = review_all(workflow, "owls", [APPROVE, APPROVE])
    assert [(r.source_executor_id, type(r.data), r.response_type) for r in asked] == [
        ("writer", AgentExecutorResponse, AgentRequestInfoResponse),
        ("editor", AgentExecutorResponse, AgentRequestInfoResponse),
    ]
    assert asked[0].data.agent_run_response.text == "writer read 'owls'"


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_sequential_waits_for_the_review_before_the_next_agent_runs(spelling):
    editor = reader("editor")
    workflow = spelled(SequentialBuilder, spelling, [reader("writer"), editor]).with_request_info().build()
    result = run(workflow.run("owls"))
    assert result.get_request_info_events() and not result.get_outputs() and editor.chat_client.conversations == []


def test_today_sequential_approving_the_last_agent_makes_its_answer_the_output():
    workflow = SequentialBuilder(participants=[reader("writer"), reader("editor")]).with_request_info().build()
    _, outputs = review_all(workflow, "owls", [APPROVE, APPROVE])
    assert [type(o) for o in outputs] == [AgentRunResponse]
    assert outputs[0].text == "editor read \"writer read 'owls'\""


def test_today_a_reviewed_last_agent_yields_the_output_itself_with_no_end_node():
    workflow = SequentialBuilder(participants=[reader("writer"), reader("editor")]).with_request_info().build()
    result = run(workflow.run("owls"))
    result = run(workflow.send_responses({result.get_request_info_events()[0].request_id: APPROVE}))
    result = run(workflow.send_responses({result.get_request_info_events()[0].request_id: APPROVE}))
    assert "end" not in workflow.executors
    assert [event.source_executor_id for event in result if isinstance(event, WorkflowOutputEvent)] == ["editor"]


def test_late_2025_sequential_approving_the_last_agent_makes_the_conversation_the_output():
    workflow = SequentialBuilder().participants([reader("writer"), reader("editor")]).with_request_info().build()
    _, [conversation] = review_all(workflow, "owls", [APPROVE, APPROVE])
    assert [m.text for m in conversation] == ["owls", "writer read 'owls'", "editor read \"writer read 'owls'\""]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_feedback_goes_back_to_the_agent_which_answers_again_and_is_asked_again(spelling):
    writer = reader("writer")
    workflow = spelled(SequentialBuilder, spelling, [writer, reader("editor")]).with_request_info().build()
    asked, _ = review_all(workflow, "owls", [AgentRequestInfoResponse.from_strings(["Shorter."]), APPROVE, APPROVE])
    assert [r.source_executor_id for r in asked] == ["writer", "writer", "editor"]
    assert writer.chat_client.conversations[-1] == ["owls", "writer read 'owls'", "Shorter."]
    assert asked[1].data.agent_run_response.text == "writer read 'Shorter.'"


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_the_next_agent_reads_the_approved_revision(spelling):
    editor = reader("editor")
    workflow = spelled(SequentialBuilder, spelling, [reader("writer"), editor]).with_request_info().build()
    review_all(workflow, "owls", [AgentRequestInfoResponse.from_strings(["Shorter."]), APPROVE, APPROVE])
    assert editor.chat_client.conversations[0][-1] == "writer read 'Shorter.'"


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_only_the_agents_named_are_reviewed(spelling):
    builder = spelled(SequentialBuilder, spelling, [reader("writer"), reader("editor")])
    workflow = builder.with_request_info(agents=["editor"]).build()
    asked, outputs = review_all(workflow, "owls", [APPROVE])
    assert [r.source_executor_id for r in asked] == ["editor"] and len(outputs) == 1


def test_agents_may_be_named_by_the_agent_itself():
    writer, editor = reader("writer"), reader("editor")
    workflow = SequentialBuilder(participants=[writer, editor]).with_request_info(agents=[writer]).build()
    asked, _ = review_all(workflow, "owls", [APPROVE])
    assert [r.source_executor_id for r in asked] == ["writer"]


def test_naming_an_agent_that_is_not_a_participant_is_refused_with_the_participants_listed():
    builder = SequentialBuilder(participants=[reader("writer")]).with_request_info(agents=["editr"])
    with pytest.raises(WorkflowValidationError, match=r"'editr'.*The agent participants are: 'writer'"):
        builder.build()


class Shout(Executor):
    @handler
    async def shout(self, response: AgentExecutorResponse, ctx: WorkflowContext[list[ChatMessage]]) -> None:
        await ctx.send_message([*response.full_conversation, ChatMessage(Role.ASSISTANT, text="!")])


def test_executor_participants_are_never_reviewed():
    participants = [reader("writer"), Shout("shout"), reader("editor")]
    workflow = SequentialBuilder(participants=participants).with_request_info().build()
    asked, _ = review_all(workflow, "owls", [APPROVE, APPROVE])
    assert [r.source_executor_id for r in asked] == ["writer", "editor"]


def test_naming_an_executor_participant_is_refused():
    with pytest.raises(WorkflowValidationError, match="Only agents are reviewed"):
        SequentialBuilder(participants=[Shout("shout")]).with_request_info(agents=[Shout("shout")])


def test_a_pending_review_is_answered_after_a_restore_from_its_checkpoint():
    storage = InMemoryCheckpointStorage()

    def build():
        return SequentialBuilder(participants=[reader("writer")], checkpoint_storage=storage).with_request_info().build()

    [request] = run(build().run("owls")).get_request_info_events()
    latest = max(run(storage.list_checkpoints()), key=lambda cp: cp.timestamp)
    restored = build()
    result = run(restored.run_from_checkpoint(latest.checkpoint_id, responses={request.request_id: APPROVE}))
    assert [o.text for o in result.get_outputs()] == ["writer read 'owls'"]


# --- concurrent ---------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_concurrent_reviews_every_agent_before_the_aggregator_combines_them(spelling):
    workflow = spelled(ConcurrentBuilder, spelling, [reader("a"), reader("b")]).with_request_info().build()
    result = run(workflow.run("owls"))
    assert sorted(r.source_executor_id for r in result.get_request_info_events()) == ["a", "b"]
    assert result.get_outputs() == []


def test_today_concurrent_feedback_revises_that_agents_answer_in_the_output():
    workflow = ConcurrentBuilder(participants=[reader("a"), reader("b")]).with_request_info(agents=["b"]).build()
    _, [response] = review_all(workflow, "owls", [AgentRequestInfoResponse.from_strings(["more"]), APPROVE])
    assert [m.text for m in response.messages] == ["a read 'owls'", "b read 'more'"]


def test_late_2025_concurrent_feedback_revises_that_agents_answer_in_the_output():
    workflow = ConcurrentBuilder().participants([reader("a"), reader("b")]).with_request_info(agents=["b"]).build()
    _, [messages] = review_all(workflow, "owls", [AgentRequestInfoResponse.from_strings(["more"]), APPROVE])
    assert [m.text for m in messages] == ["owls", "a read 'owls'", "b read 'more'"]
