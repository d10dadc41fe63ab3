"""``approval_mode="always_require"``: the agent asks its caller before the tool runs."""

from __future__ import annotations

from typing import Annotated

import pytest

from tests.conftest import run
from wfkit import Agent, Message, OfflineChatClient, UnansweredToolCallError, tool

sent: list[str] = []


@tool(approval_mode="always_require")
def send_email(to: Annotated[str, "Who gets it."]) -> str:
    """Send an email."""
    sent.append(to)
    return f"Email sent to {to}."


@tool
def get_signature() -> str:
    """Get my email signature."""
    return "-- Alice"


PROMPT = Message("user", ["Please send an email to Bob."])


@pytest.fixture(autouse=True)
def nothing_sent() -> None:
    sent.clear()


def mailer(*tools) -> Agent:
    return Agent(OfflineChatClient(), "You send emails.", name="mailer", tools=list(tools) or [send_email])


def test_the_agent_asks_before_the_tool_runs() -> None:
    response = run(mailer().run(PROMPT))
    [request] = response.user_input_requests
    assert request.type == "function_approval_request" and request.function_call.name == "send_email"
    assert request.function_call.parse_arguments() == {"to": "Bob"}
    assert sent == []


def test_the_request_sits_beside_the_call_in_the_agents_message() -> None:
    [message] = run(mailer().run(PROMPT)).messages
    assert [c.type for c in message.contents] == ["function_call", "function_approval_request"]


def test_approved_the_tool_runs_and_the_agent_answers_with_its_result() -> None:
    agent = mailer()
    first = run(agent.run(PROMPT))
    approval = first.user_input_requests[0].to_function_approval_response(approved=True)
    second = run(agent.run([PROMPT, *first.messages, Message("user", [approval])]))
    assert sent == ["Bob"]
    assert [m.role for m in second.messages] == ["tool", "assistant"]
    assert "Email sent to Bob" in second.text


def test_refused_the_tool_does_not_run_and_the_model_is_told() -> None:
    agent = mailer()
    first = run(agent.run(PROMPT))
    refusal = first.user_input_requests[0].to_function_approval_response(approved=False)
    second = run(agent.run([PROMPT, *first.messages, Message("user", [refusal])]))
    assert sent == []
    assert "did not approve" in second.messages[0].contents[0].result


def test_the_model_is_never_sent_the_approval_contents() -> None:
    client = OfflineChatClient()
    seen = []
    original = client._complete

    async def recording(messages, options):  # noqa: ANN001, ANN202
        seen.append(messages)
        return await original(messages, options)

    client._complete = recording  # type: ignore[method-assign]
    agent = Agent(client, "You send emails.", tools=[send_email])
    first = run(agent.run(PROMPT))
    approval = first.user_input_requests[0].to_function_approval_response(approved=True)
    run(agent.run([PROMPT, *first.messages, Message("user", [approval])]))
    types = {c.type for messages in seen for m in messages for c in m.contents}
    assert types <= {"text", "function_call", "function_result"}


def test_other_calls_of_the_held_round_run_once_it_is_answered() -> None:
    agent = mailer(send_email, get_signature)
    prompt = Message("user", ["Get my signature and send an email to Bob."])
    first = run(agent.run(prompt))
    assert [c.name for c in first.messages[0].contents if c.type == "function_call"] == ["send_email", "get_signature"]
    assert len(first.messages) == 1  # nothing ran yet
    approval = first.user_input_requests[0].to_function_approval_response(approved=True)
    second = run(agent.run([prompt, *first.messages, Message("user", [approval])]))
    assert [c.result for c in second.messages[0].contents] == ["Email sent to Bob.", "-- Alice"]


def test_running_again_without_an_answer_says_how_to_answer() -> None:
    agent = mailer()
    first = run(agent.run(PROMPT))
    with pytest.raises(UnansweredToolCallError, match=r"needs approval.*to_function_approval_response"):
        run(agent.run([PROMPT, *first.messages]))


def test_a_streamed_run_ends_with_the_request() -> None:
    async def read() -> object:
        stream = mailer().run(PROMPT, stream=True)
        async for _ in stream:
            pass
        return await stream.get_final_response()

    response = run(read())
    assert [r.type for r in response.user_input_requests] == ["function_approval_request"]
    assert sent == []


def test_two_requests_never_share_an_id() -> None:
    first, second = run(mailer().run(PROMPT)), run(mailer().run(PROMPT))
    assert first.user_input_requests[0].id != second.user_input_requests[0].id


def test_a_client_wrapping_another_asks_once(tmp_path) -> None:  # noqa: ANN001
    from wfkit import RecordingChatClient

    agent = Agent(RecordingChatClient(OfflineChatClient(), tmp_path / "replies.json"), tools=[send_email])
    first = run(agent.run(PROMPT))
    assert len(first.user_input_requests) == 1
    approval = first.user_input_requests[0].to_function_approval_response(approved=True)
    second = run(agent.run([PROMPT, *first.messages, Message("user", [approval])]))
    assert sent == ["Bob"] and "Email sent to Bob" in second.text
