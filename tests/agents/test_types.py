"""Chat types: how messages are made, read, printed, put back together and checkpointed."""

from __future__ import annotations

import json

import pytest

from wfkit.agents import (
    AgentExecutorRequest,
    AgentExecutorResponse,
    AgentRunResponse,
    AgentRunResponseUpdate,
    ChatMessage,
    ChatResponse,
    ChatResponseUpdate,
    FunctionCallContent,
    FunctionResultContent,
    Role,
    TextContent,
)
from wfkit.agents.types import as_messages
from wfkit.checkpoint import decode_value, encode_value


def test_chat_message_takes_the_role_positionally_and_text_by_keyword() -> None:
    message = ChatMessage(Role.USER, text="Hello")
    assert message.role is Role.USER
    assert message.text == "Hello"
    assert message.contents == [TextContent("Hello")]


def test_role_is_built_from_its_string_in_any_case_and_compares_as_one() -> None:
    assert Role("user") is Role.USER
    assert Role("Assistant") is Role.ASSISTANT
    assert Role.SYSTEM == "system"
    assert f"{Role.TOOL}" == "tool" and str(Role.TOOL) == "tool"
    assert ChatMessage("assistant", text="Hi").role is Role.ASSISTANT


def test_an_unknown_role_is_an_error() -> None:
    with pytest.raises(ValueError):
        Role("narrator")


def test_message_text_joins_only_its_text_contents() -> None:
    message = ChatMessage(
        Role.ASSISTANT,
        contents=[TextContent("Checking."), FunctionCallContent("c1", "lookup", {"q": "x"}), TextContent("Done.")],
    )
    assert message.text == "Checking. Done."
    assert ChatMessage(Role.TOOL, contents=[FunctionResultContent("c1", 42)]).text == ""


def test_reprs_are_short_and_readable_and_use_todays_names() -> None:
    long = ChatMessage(Role.USER, text="word " * 40)
    assert repr(long).startswith("Message(role=user, text='word word")
    assert len(repr(long)) < 90
    assert repr(Role.USER) == "Role.USER"
    response = AgentRunResponse(messages=[ChatMessage(Role.ASSISTANT, text="Fine.")])
    assert repr(response) == "AgentResponse(messages=1, text='Fine.')"
    assert repr(AgentRunResponseUpdate(text="Hel")) == "AgentResponseUpdate(text='Hel')"
    tool = ChatMessage(Role.TOOL, contents=[FunctionResultContent("c1", "ok")])
    assert repr(tool) == "Message(role=tool, contents=[FunctionResultContent(call_id='c1', result='ok')])"


def test_as_messages_accepts_text_a_message_or_a_list_of_either() -> None:
    assert as_messages("hi") == [ChatMessage(Role.USER, text="hi")]
    system = ChatMessage(Role.SYSTEM, text="Be brief.")
    assert as_messages(system) == [system]
    assert as_messages([system, "hi"]) == [system, ChatMessage(Role.USER, text="hi")]
    assert as_messages(None) == []


def test_as_messages_explains_what_it_cannot_take() -> None:
    with pytest.raises(TypeError, match="a str, a Content or a Message"):
        as_messages([42])  # type: ignore[list-item]


def test_a_response_text_joins_its_messages() -> None:
    one, two = ChatMessage(Role.ASSISTANT, text="One."), ChatMessage(Role.ASSISTANT, text="Two.")
    response = ChatResponse(messages=[one, two])
    assert response.text == "One.\n\nTwo."
    assert AgentRunResponse(messages=ChatMessage(Role.ASSISTANT, text="Solo")).messages[0].text == "Solo"


def test_updates_are_put_back_together_into_one_message_per_speaker() -> None:
    updates = [
        AgentRunResponseUpdate(text="Hello ", author_name="writer"),
        AgentRunResponseUpdate(text="world", author_name="writer"),
        AgentRunResponseUpdate(contents=[FunctionCallContent("c1", "lookup")], author_name="writer"),
        AgentRunResponseUpdate(text="!", role=Role.TOOL),
    ]
    response = AgentRunResponse.from_updates(updates)
    assert [m.role for m in response.messages] == [Role.ASSISTANT, Role.TOOL]
    assert response.messages[0].contents[0] == TextContent("Hello world")
    assert isinstance(response.messages[0].contents[1], FunctionCallContent)
    assert response.messages[0].author_name == "writer"
    assert response.text == "Hello world\n\n!"


def test_update_text_joins_its_pieces() -> None:
    update = ChatResponseUpdate(contents=[TextContent("a"), TextContent("b")])
    assert update.text == "ab"
    assert update.role is Role.ASSISTANT


@pytest.mark.parametrize(
    "value",
    [
        ChatMessage(Role.USER, text="Write the notes.", author_name="brief"),
        ChatMessage(Role.ASSISTANT, contents=[FunctionCallContent("c1", "search", '{"q": "mugs"}')]),
        ChatMessage(Role.TOOL, contents=[FunctionResultContent("c1", {"hits": 3})]),
        ChatResponse(messages=[ChatMessage(Role.ASSISTANT, text="Done")], model_id="offline", response_id="r1"),
        AgentRunResponse(messages=[ChatMessage(Role.ASSISTANT, text="Done")]),
        AgentRunResponseUpdate(text="piece", author_name="writer"),
        ChatResponseUpdate(text="piece"),
        AgentExecutorRequest([ChatMessage(Role.USER, text="Go")], should_respond=False),
        AgentExecutorResponse(
            "writer",
            AgentRunResponse(messages=[ChatMessage(Role.ASSISTANT, text="Draft")]),
            [ChatMessage(Role.USER, text="Go"), ChatMessage(Role.ASSISTANT, text="Draft")],
        ),
    ],
    ids=lambda value: type(value).__name__,
)
def test_chat_types_survive_the_checkpoint_codec(value: object) -> None:
    encoded = encode_value(value)
    json.dumps(encoded)  # plain JSON
    assert decode_value(json.loads(json.dumps(encoded))) == value


def test_checkpoints_name_chat_types_by_stable_names() -> None:
    encoded = encode_value(ChatMessage(Role.USER, text="hi"))
    assert encoded["type"] == "wfkit.ChatMessage"
    assert encoded["fields"]["role"]["type"] == "wfkit.Role"
