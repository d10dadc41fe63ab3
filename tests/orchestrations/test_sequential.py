"""SequentialBuilder in both spellings: participants take turns on one conversation; today's
spelling outputs the last agent's answer, the late-2025 one the whole conversation."""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import (
    AgentExecutorResponse,
    AgentRunResponse,
    ChatMessage,
    Executor,
    InMemoryCheckpointStorage,
    Never,
    Role,
    WorkflowContext,
    handler,
)
from wfkit.errors import TypeCompatibilityError, WorkflowValidationError
from wfkit.orchestrations import SequentialBuilder

from .helpers import SPELLINGS, reader, spelled


def test_today_the_output_is_the_last_agents_answer():
    workflow = SequentialBuilder(participants=[reader("writer"), reader("editor")]).build()
    [answer] = run(workflow.run("Write about owls")).get_outputs()
    assert isinstance(answer, AgentRunResponse)
    assert answer.text == "editor read \"writer read 'Write about owls'\""


def test_late_2025_the_output_is_the_whole_conversation():
    workflow = SequentialBuilder().participants([reader("writer"), reader("editor")]).build()
    [conversation] = run(workflow.run("Write about owls")).get_outputs()
    assert [(m.role, m.text) for m in conversation] == [
        (Role.USER, "Write about owls"),
        (Role.ASSISTANT, "writer read 'Write about owls'"),
        (Role.ASSISTANT, "editor read \"writer read 'Write about owls'\""),
    ]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_each_agent_reads_everything_said_before_it(spelling):
    writer, editor = reader("writer"), reader("editor")
    run(spelled(SequentialBuilder, spelling, [writer, editor]).build().run("Write about owls"))
    assert editor.chat_client.conversations == [["Write about owls", "writer read 'Write about owls'"]]


def test_today_the_graph_is_the_input_then_the_participants_then_the_end():
    workflow = SequentialBuilder(participants=[reader("writer"), reader("editor")]).build()
    assert set(workflow.executors) == {"input-conversation", "writer", "editor", "end"}


def test_late_2025_a_node_after_each_agent_turns_its_response_into_the_conversation():
    workflow = SequentialBuilder().participants([reader("writer"), reader("editor")]).build()
    assert set(workflow.executors) == {
        "input-conversation", "writer", "to-conversation:writer", "editor", "to-conversation:editor", "end",
    }


class Headline(Executor):
    """Today's shape of a participant after an agent: it reads the agent's response."""

    @handler
    async def headline(self, response: AgentExecutorResponse, ctx: WorkflowContext[Never, AgentRunResponse]) -> None:
        title = ChatMessage(Role.ASSISTANT, text=response.agent_run_response.text.upper())
        await ctx.yield_output(AgentRunResponse(messages=[title]))


def test_today_an_executor_after_an_agent_reads_its_response_and_may_yield_the_output():
    workflow = SequentialBuilder(participants=[reader("writer"), Headline("headline")]).build()
    [answer] = run(workflow.run("owls")).get_outputs()
    assert answer.text == "WRITER READ 'OWLS'"


class Shouter(Executor):
    """The late-2025 shape of a participant: conversation in, conversation out."""

    @handler
    async def shout(self, conversation: list[ChatMessage], ctx: WorkflowContext[list[ChatMessage]]) -> None:
        await ctx.send_message([*conversation, ChatMessage(Role.ASSISTANT, text=conversation[-1].text.upper())])


def test_late_2025_an_executor_reads_and_sends_the_conversation():
    workflow = SequentialBuilder().participants([reader("writer"), Shouter("shouter")]).build()
    [conversation] = run(workflow.run("owls")).get_outputs()
    assert [m.text for m in conversation][-1] == "WRITER READ 'OWLS'"


def test_today_an_executor_first_reads_the_conversation_and_the_agent_after_it_answers_it():
    workflow = SequentialBuilder(participants=[Shouter("shouter"), reader("editor")]).build()
    [answer] = run(workflow.run("owls")).get_outputs()
    assert answer.text == "editor read 'OWLS'"


def test_today_an_executor_after_an_agent_that_reads_only_conversations_is_refused_with_the_fix():
    with pytest.raises(WorkflowValidationError, match="handler for AgentExecutorResponse") as refused:
        SequentialBuilder(participants=[reader("writer"), Shouter("shouter")]).build()
    assert "'shouter' follows the agent 'writer'" in str(refused.value)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_the_workflow_saves_checkpoints_in_the_storage_it_is_given(spelling):
    storage = InMemoryCheckpointStorage()
    if spelling == "today":
        builder = SequentialBuilder(participants=[reader("writer")], checkpoint_storage=storage)
    else:
        builder = SequentialBuilder().participants([reader("writer")]).with_checkpointing(storage)
    run(builder.build().run("owls"))
    assert run(storage.list_checkpoint_ids())


def test_today_a_name_names_the_workflow_and_the_default_is_agent_frameworks():
    assert SequentialBuilder(participants=[reader("writer")]).build().name == "Sequential"
    assert SequentialBuilder(participants=[reader("writer")], name="drafting").build().name == "drafting"


def test_builder_is_open_for_more_edges_after_the_end():
    report = []

    class Report(Executor):
        @handler
        async def keep(self, answer: AgentRunResponse, ctx: WorkflowContext) -> None:
            report.append(answer.text)

    builder = SequentialBuilder(participants=[reader("writer")]).builder()
    run(builder.add_edge("end", Report("report")).build().run("owls"))
    assert report == ["writer read 'owls'"]


def test_today_a_participant_that_does_not_take_a_conversation_is_a_type_error_at_build():
    class TakesNumbers(Executor):
        @handler
        async def take(self, number: int, ctx: WorkflowContext[Never, int]) -> None:
            await ctx.yield_output(number)

    with pytest.raises(TypeCompatibilityError):
        SequentialBuilder(participants=[TakesNumbers("numbers")]).build()
