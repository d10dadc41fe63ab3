"""Sessions and context providers: an agent that remembers the conversation between runs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import run
from wfkit import (
    Agent,
    AgentOptionsError,
    AgentSession,
    ContextProvider,
    InMemoryHistoryProvider,
    Message,
    OfflineChatClient,
    SessionContext,
)


class RecordingClient(OfflineChatClient):
    """The offline model, keeping every conversation it was sent."""

    def __init__(self, replies: list[str]) -> None:
        super().__init__(replies=replies)
        self.sent: list[list[str]] = []

    async def _complete(self, messages, options):  # noqa: ANN001, ANN202
        self.sent.append([m.text for m in messages])
        return await super()._complete(messages, options)


def texts(session: AgentSession, source_id: str = "in_memory") -> list[str]:
    return [m.text for m in session.state[source_id]["messages"]]


def test_without_a_session_an_agent_remembers_nothing() -> None:
    client = RecordingClient(["Hi Alex.", "I don't know."])
    agent = Agent(client, name="bot")
    run(agent.run("My name is Alex."))
    run(agent.run("What is my name?"))
    assert client.sent[1] == ["What is my name?"]


def test_with_a_session_the_next_run_reads_the_earlier_turns() -> None:
    client = RecordingClient(["Hi Alex.", "You are Alex."])
    agent = Agent(client, name="bot")
    session = agent.create_session()
    run(agent.run("My name is Alex.", session=session))
    run(agent.run("What is my name?", session=session))
    assert client.sent[1] == ["My name is Alex.", "Hi Alex.", "What is my name?"]


def test_a_session_keeps_the_conversation_in_its_state() -> None:
    agent = Agent(RecordingClient(["Hi Alex."]), name="bot", context_providers=[InMemoryHistoryProvider()])
    session = agent.create_session()
    run(agent.run("My name is Alex.", session=session))
    assert texts(session, InMemoryHistoryProvider.DEFAULT_SOURCE_ID) == ["My name is Alex.", "Hi Alex."]


def test_two_agents_given_one_session_share_one_conversation() -> None:
    writer = Agent(RecordingClient(["Ride more, pay less."]), name="writer")
    reviewer_client = RecordingClient(["Punchy."])
    reviewer = Agent(reviewer_client, name="reviewer")
    shared = writer.create_session()
    run(writer.run("Write a tagline.", session=shared))
    run(reviewer.run([], session=shared))
    assert reviewer_client.sent[0] == ["Write a tagline.", "Ride more, pay less."]
    assert texts(shared) == ["Write a tagline.", "Ride more, pay less.", "Punchy."]


def test_a_session_survives_to_dict_and_from_dict() -> None:
    agent = Agent(RecordingClient(["Noted: ALPHA-7.", "ALPHA-7."]), name="bot")
    session = agent.create_session()
    run(agent.run("The code is ALPHA-7.", session=session))
    restored = AgentSession.from_dict(session.to_dict())
    assert restored.session_id == session.session_id
    assert isinstance(restored.state["in_memory"]["messages"][0], Message)
    assert texts(restored) == texts(session)


def test_to_dict_is_plain_json() -> None:
    import json

    agent = Agent(RecordingClient(["Hello."]), name="bot")
    session = agent.create_session()
    run(agent.run("Hi.", session=session))
    assert json.loads(json.dumps(session.to_dict()))["type"] == "session"


def test_a_caller_replaying_the_whole_conversation_does_not_store_it_twice() -> None:
    agent = Agent(RecordingClient(["Hi Alex.", "Alex."]), name="bot", context_providers=[InMemoryHistoryProvider(load_messages=False)])
    session = agent.create_session()
    first = run(agent.run("My name is Alex.", session=session))
    run(agent.run([Message("user", ["My name is Alex."]), *first.messages, Message("user", ["Name?"])], session=session))
    assert texts(session) == ["My name is Alex.", "Hi Alex.", "Name?", "Alex."]


def test_a_repeated_answer_is_stored_again() -> None:
    agent = Agent(RecordingClient(["Sure?", "Done."]), name="bot", context_providers=[InMemoryHistoryProvider()])
    session = agent.create_session()
    run(agent.run("yes", session=session))
    run(agent.run("yes", session=session))
    assert texts(session) == ["yes", "Sure?", "yes", "Done."]


def test_a_history_provider_that_does_not_load_only_stores_and_the_session_still_remembers() -> None:
    client = RecordingClient(["One.", "Two."])
    agent = Agent(client, name="bot", context_providers=[InMemoryHistoryProvider("audit", load_messages=False)])
    session = agent.create_session()
    run(agent.run("First.", session=session))
    run(agent.run("Second.", session=session))
    assert texts(session, "audit") == ["First.", "One.", "Second.", "Two."]
    # Nothing loads from "audit", so the run adds the default history provider, as AF 1.x does.
    assert client.sent[1] == ["First.", "One.", "Second."]


class Tone(ContextProvider):
    """Adds an instruction, and notes each answer."""

    def __init__(self) -> None:
        super().__init__("tone")
        self.answers: list[str] = []

    async def before_run(self, *, agent: Any, session: AgentSession, context: SessionContext, state: dict[str, Any]) -> None:
        context.extend_instructions(self.source_id, "Be cheerful.")
        state["runs"] = state.get("runs", 0) + 1

    async def after_run(self, *, agent: Any, session: AgentSession, context: SessionContext, state: dict[str, Any]) -> None:
        self.answers.append(context.response.text)


def test_a_context_provider_adds_instructions_and_sees_the_answer() -> None:
    client = RecordingClient(["Hooray!"])
    tone = Tone()
    agent = Agent(client, "You help.", name="bot", context_providers=[tone])
    session = agent.create_session()
    run(agent.run("Hi.", session=session))
    assert client.sent[0][0] == "You help.\nBe cheerful."
    assert tone.answers == ["Hooray!"] and session.state["tone"] == {"runs": 1}


def test_providers_run_without_a_session_too_and_forget_afterwards() -> None:
    client = RecordingClient(["A.", "B."])
    tone = Tone()
    agent = Agent(client, name="bot", context_providers=[tone, InMemoryHistoryProvider()])
    run(agent.run("One."))
    run(agent.run("Two."))
    assert client.sent[1][-1] == "Two." and "One." not in client.sent[1]
    assert tone.answers == ["A.", "B."]


def test_a_streamed_run_stores_its_answer_too() -> None:
    agent = Agent(RecordingClient(["Streamed answer."]), name="bot")
    session = agent.create_session()

    async def read() -> None:
        async for _ in agent.run("Go.", session=session, stream=True):
            pass

    run(read())
    assert texts(session) == ["Go.", "Streamed answer."]


def test_something_that_is_not_a_provider_is_refused_when_the_agent_is_made() -> None:
    with pytest.raises(AgentOptionsError, match="context_providers takes ContextProvider objects"):
        Agent(OfflineChatClient(), context_providers=["in_memory"])
