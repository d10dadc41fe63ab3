"""Agents feeding agents (`add_edge(writer, reviewer)`) and `WorkflowBuilder.add_agent`."""

from __future__ import annotations

from tests.conftest import run
from wfkit import AgentRunEvent, WorkflowBuilder, WorkflowOutputEvent
from wfkit.agents import AgentExecutor, AgentRunResponse, OfflineChatClient, Role

PROMPT = "Create a slogan for a new electric SUV that is affordable and fun to drive."


def agents() -> tuple:
    client = OfflineChatClient()
    writer = client.create_agent(instructions="You are an excellent content writer.", name="writer")
    reviewer = client.create_agent(instructions="You are an excellent content reviewer.", name="reviewer")
    return writer, reviewer


def test_an_agent_answers_the_conversation_of_the_agent_before_it() -> None:
    # AF's _start-here/step2_agents_in_a_workflow.py, with only the client changed.
    writer, reviewer = agents()
    workflow = WorkflowBuilder().set_start_executor(writer).add_edge(writer, reviewer).build()
    events = run(workflow.run(PROMPT))
    runs = [e for e in events if isinstance(e, AgentRunEvent)]
    assert [e.executor_id for e in runs] == ["writer", "reviewer"]
    assert runs[1].data.text and runs[1].data.text != runs[0].data.text


def test_the_second_agent_sees_the_whole_conversation_once() -> None:
    writer, reviewer = agents()
    seen = []
    original = reviewer.chat_client._complete

    async def spy(messages, options):
        seen.append([m.role for m in messages])
        return await original(messages, options)

    reviewer.chat_client._complete = spy
    run(WorkflowBuilder().add_edge(writer, reviewer).set_start_executor(writer).build().run(PROMPT))
    assert seen[1] == [Role.SYSTEM, Role.USER, Role.ASSISTANT]


def test_a_loop_back_to_the_first_agent_does_not_repeat_its_conversation() -> None:
    writer, reviewer = agents()
    seen = []
    original = writer.chat_client._complete

    async def spy(messages, options):
        seen.append([m.role for m in messages])
        return await original(messages, options)

    writer.chat_client._complete = spy
    workflow = (
        WorkflowBuilder()
        .add_edge(writer, reviewer, condition=lambda response: len(response.full_conversation) < 4)
        .add_edge(reviewer, writer)
        .set_start_executor(writer)
        .build()
    )
    run(workflow.run(PROMPT))
    # writer, reviewer, writer again: the second time it reads its first answer and the review once each.
    assert seen[2] == [Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.ASSISTANT]


def test_add_agent_wraps_the_agent_and_later_edges_mean_that_executor() -> None:
    writer, reviewer = agents()
    builder = WorkflowBuilder().add_agent(writer, id="draft", output_response=True)
    assert isinstance(builder, WorkflowBuilder)
    workflow = builder.add_edge(writer, reviewer).set_start_executor(writer).build()
    assert set(workflow.executors) == {"draft", "reviewer"}
    assert isinstance(workflow.executors["draft"], AgentExecutor)
    outputs = [e.data for e in run(workflow.run(PROMPT)) if isinstance(e, WorkflowOutputEvent)]
    assert len(outputs) == 1 and isinstance(outputs[0], AgentRunResponse)


def test_add_agent_defaults_its_id_to_the_agents_name() -> None:
    writer, _ = agents()
    workflow = WorkflowBuilder().add_agent(writer).set_start_executor(writer).build()
    assert list(workflow.executors) == ["writer"]
