"""Agents in workflows in AF b251007: `chat_client.create_agent(instructions=, name=)` makes a
`ChatAgent` whose `run` gives an `AgentRunResponse`; `WorkflowBuilder.add_agent(agent, id=,
output_response=True)` makes its answer a workflow output; agents pass `AgentExecutorResponse`s
along edges; `AgentExecutorRequest(should_respond=False)` only adds to the conversation; and
`run_stream` shows the answer as `AgentRunUpdateEvent`s. The chat client is wfkit's offline one."""

from __future__ import annotations

from tests.conftest import run
from wfkit import (
    AgentExecutor,
    AgentExecutorRequest,
    AgentExecutorResponse,
    AgentRunResponse,
    AgentRunUpdateEvent,
    ChatAgent,
    ChatMessage,
    Never,
    OfflineChatClient,
    Role,
    WorkflowBuilder,
    WorkflowContext,
    executor,
)


def scripted_agent(name: str, *replies: str) -> ChatAgent:
    return OfflineChatClient(replies=list(replies)).create_agent(instructions=f"You are {name}.", name=name)


def test_create_agent_makes_a_chat_agent_that_answers_with_a_run_response():
    agent = scripted_agent("poet", "Roses are red.")
    response = run(agent.run("Write a poem."))
    assert isinstance(agent, ChatAgent) and isinstance(response, AgentRunResponse)
    assert response.text == "Roses are red." and response.messages[0].role is Role.ASSISTANT


def test_add_agent_with_output_response_makes_the_answer_a_workflow_output():
    poet = scripted_agent("poet", "Violets are blue.")
    workflow = WorkflowBuilder().add_agent(poet, id="poet", output_response=True).set_start_executor(poet).build()
    [output] = run(workflow.run("Another line.")).get_outputs()
    assert isinstance(output, AgentRunResponse) and output.text == "Violets are blue."


def test_the_next_agent_reads_the_whole_conversation_so_far():
    client = OfflineChatClient(replies=["A draft.", "A review."])
    writer = AgentExecutor(client.create_agent(name="writer"), id="writer")
    reviewer = AgentExecutor(client.create_agent(name="reviewer"), id="reviewer")
    seen: list[AgentExecutorResponse] = []

    @executor(id="keep")
    async def keep(response: AgentExecutorResponse, ctx: WorkflowContext[Never, str]) -> None:
        seen.append(response)
        await ctx.yield_output(response.agent_run_response.text)

    workflow = WorkflowBuilder().set_start_executor(writer).add_chain([writer, reviewer, keep]).build()
    assert run(workflow.run("Write a note.")).get_outputs() == ["A review."]
    [last] = seen
    assert last.executor_id == "reviewer"
    assert [m.text for m in last.full_conversation] == ["Write a note.", "A draft.", "A review."]


def test_a_request_that_should_not_respond_is_only_remembered():
    client = OfflineChatClient(replies=["Noted: apples and pears."])
    agent = AgentExecutor(client.create_agent(name="clerk"), id="clerk")

    @executor(id="feed")
    async def feed(items: list[str], ctx: WorkflowContext[AgentExecutorRequest]) -> None:
        for index, item in enumerate(items):
            last = index == len(items) - 1
            message = ChatMessage(Role.USER, text=item)
            await ctx.send_message(AgentExecutorRequest(messages=[message], should_respond=last))

    workflow = WorkflowBuilder().set_start_executor(feed).add_edge(feed, agent).build()
    run(workflow.run(["apples", "pears"]))
    assert client.requests_answered == 1  # two requests arrived; only the last asked the model


def test_run_stream_shows_the_agents_answer_as_update_events():
    agent = scripted_agent("narrator", "Once upon a time there was a kettle.")
    workflow = WorkflowBuilder().set_start_executor(agent).build()

    async def stream():
        return [e async for e in workflow.run_stream("Tell a story.")]

    updates = [e for e in run(stream()) if isinstance(e, AgentRunUpdateEvent)]
    assert len(updates) > 1 and {e.executor_id for e in updates} == {"narrator"}
    assert "".join(e.data.text for e in updates) == "Once upon a time there was a kettle."


def test_the_offline_client_answers_the_same_way_every_time():
    agent = OfflineChatClient().create_agent(instructions="You write short product blurbs.", name="blurb")
    first, second = run(agent.run("A lamp for reading.")), run(agent.run("A lamp for reading."))
    assert first.text and first.text == second.text
