"""Sessions in workflows: agent executors that share one, and a workflow used as an agent that
remembers its conversation."""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import (
    Agent,
    AgentExecutor,
    AgentExecutorRequest,
    AgentExecutorResponse,
    AgentOptionsError,
    InMemoryCheckpointStorage,
    InMemoryHistoryProvider,
    OfflineChatClient,
    WorkflowBuilder,
    WorkflowContext,
    executor,
)
from wfkit.orchestrations import SequentialBuilder


class RecordingClient(OfflineChatClient):
    """The offline model with scripted replies, keeping every conversation it was sent."""

    def __init__(self, replies: list[str]) -> None:
        super().__init__(replies=replies)
        self.sent: list[list[str]] = []

    def reply_message(self, messages, options):  # noqa: ANN001, ANN201  (both the whole and the streamed path)
        self.sent.append([m.text for m in messages if m.role != "system"])
        return super().reply_message(messages, options)


@executor(id="hand_over")
async def hand_over(response: AgentExecutorResponse, ctx: WorkflowContext[AgentExecutorRequest]) -> None:
    # The shared session already holds the writer's words: send nothing new, only "your turn".
    await ctx.send_message(AgentExecutorRequest(messages=[]))


def shared_session_workflow(reviewer_client: RecordingClient, **builder_options):
    writer = Agent(RecordingClient(["Ride more, pay less."]), name="writer", context_providers=[InMemoryHistoryProvider()])
    reviewer = Agent(reviewer_client, name="reviewer", context_providers=[InMemoryHistoryProvider()])
    session = writer.create_session()
    writer_executor = AgentExecutor(writer, session=session)
    reviewer_executor = AgentExecutor(reviewer, session=session)
    workflow = (
        WorkflowBuilder(start_executor=writer_executor, **builder_options)
        .add_chain([writer_executor, hand_over, reviewer_executor])
        .build()
    )
    return workflow, session


def test_executors_sharing_a_session_read_one_conversation() -> None:
    reviewer_client = RecordingClient(["Punchy."])
    workflow, session = shared_session_workflow(reviewer_client)
    run(workflow.run("Write a tagline for an eBike."))
    assert reviewer_client.sent == [["Write a tagline for an eBike.", "Ride more, pay less."]]
    texts = [m.text for m in session.state[InMemoryHistoryProvider.DEFAULT_SOURCE_ID]["messages"]]
    assert texts == ["Write a tagline for an eBike.", "Ride more, pay less.", "Punchy."]


def test_a_checkpoint_holds_the_sessions_conversation_and_puts_it_back() -> None:
    storage = InMemoryCheckpointStorage()
    workflow, session = shared_session_workflow(RecordingClient(["Punchy."]), checkpoint_storage=storage)
    run(workflow.run("Write a tagline for an eBike."))
    first = run(storage.list_checkpoints(workflow_name=workflow.name))[0]
    session.state.clear()
    reviewer_client = RecordingClient(["Punchy again."])
    again, session_again = shared_session_workflow(reviewer_client)
    run(again.run(checkpoint_id=first.checkpoint_id, checkpoint_storage=storage))
    # The restored run goes on from after the writer: the reviewer reads the writer's words from the session.
    assert reviewer_client.sent == [["Write a tagline for an eBike.", "Ride more, pay less."]]


def test_a_session_that_is_not_an_agent_session_is_refused() -> None:
    with pytest.raises(TypeError, match="session= takes an AgentSession"):
        AgentExecutor(Agent(OfflineChatClient(), name="a"), session={})


def test_last_agent_context_mode_reads_only_the_previous_answer() -> None:
    editor_client = RecordingClient(["Edited."])
    writer = Agent(RecordingClient(["Draft."]), name="writer")
    editor = AgentExecutor(Agent(editor_client, name="editor"), context_mode="last_agent")
    run(WorkflowBuilder(start_executor=writer).add_edge(writer, editor).build().run("Write."))
    assert editor_client.sent == [["Draft."]]


def test_custom_context_mode_reads_what_the_filter_keeps() -> None:
    editor_client = RecordingClient(["Edited."])
    writer = Agent(RecordingClient(["Draft."]), name="writer")
    editor = AgentExecutor(
        Agent(editor_client, name="editor"), context_mode="custom", context_filter=lambda conversation: conversation[:1]
    )
    run(WorkflowBuilder(start_executor=writer).add_edge(writer, editor).build().run("Write."))
    assert editor_client.sent == [["Write."]]


# --- a workflow used as an agent ------------------------------------------------------------------


def test_a_workflow_agent_with_a_session_starts_each_run_with_the_turns_so_far() -> None:
    client = RecordingClient(["Hi Alex.", "You are Alex."])
    agent = SequentialBuilder(participants=[Agent(client, name="assistant")]).build().as_agent()
    session = agent.create_session()
    run(agent.run("My name is Alex.", session=session))
    run(agent.run("What is my name?", session=session))
    assert client.sent[1] == ["My name is Alex.", "Hi Alex.", "What is my name?"]
    history = session.state["in_memory"]["messages"]
    assert [m.text for m in history] == ["My name is Alex.", "Hi Alex.", "What is my name?", "You are Alex."]


def test_a_workflow_agent_without_a_session_remembers_nothing() -> None:
    client = RecordingClient(["Hi.", "Who?"])
    agent = SequentialBuilder(participants=[Agent(client, name="assistant")]).build().as_agent()
    run(agent.run("My name is Alex."))
    run(agent.run("What is my name?"))
    assert client.sent[1] == ["What is my name?"]


def test_a_workflow_agent_saves_checkpoints_where_it_is_told() -> None:
    storage = InMemoryCheckpointStorage()
    workflow = SequentialBuilder(participants=[Agent(OfflineChatClient(replies=["Sun."]), name="assistant")]).build()
    run(workflow.as_agent().run("Weather?", checkpoint_storage=storage))
    assert run(storage.list_checkpoints(workflow_name=workflow.name))


def test_a_workflow_agents_response_names_the_agent() -> None:
    workflow = SequentialBuilder(participants=[Agent(OfflineChatClient(replies=["Sun."]), name="assistant")]).build()
    assert run(workflow.as_agent(name="forecaster").run("Weather?")).agent_id == "forecaster"


def test_a_workflow_agent_refuses_a_keyword_it_has_no_use_for() -> None:
    agent = SequentialBuilder(participants=[Agent(OfflineChatClient(replies=["x"]), name="a")]).build().as_agent()
    with pytest.raises(AgentOptionsError, match="run\\(\\) got temperature=, which it does not take"):
        agent.run("Hi.", temperature=0.2)


def test_an_executor_with_a_session_resumes_its_agent_after_an_approval() -> None:
    from wfkit import tool

    sent: list[str] = []

    @tool(approval_mode="always_require")
    def send_email(to: str) -> str:
        """Send an email."""
        sent.append(to)
        return f"sent to {to}"

    agent = Agent(OfflineChatClient(), "You send emails.", name="mailer", tools=[send_email])
    session = agent.create_session()
    workflow = WorkflowBuilder(start_executor=AgentExecutor(agent, session=session, output_response=True)).build()
    [event] = run(workflow.run("Please send an email to Bob.")).get_request_info_events()
    [output] = run(workflow.run(responses={event.request_id: event.data.to_function_approval_response(True)})).get_outputs()
    assert sent == ["Bob"] and "sent to Bob" in output.text
    kinds = [[c.type for c in m.contents] for m in session.state["in_memory"]["messages"]]
    assert kinds == [
        ["text"],
        ["function_call", "function_approval_request"],
        ["function_approval_response"],
        ["function_result"],
        ["text"],
    ]
