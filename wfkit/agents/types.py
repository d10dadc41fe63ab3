"""The words agents and chat models speak: messages, their contents, and responses.

A conversation is a list of `Message`s. Each message has a role (who speaks: ``"user"``,
``"assistant"``...) and a list of contents: mostly text, sometimes a function call (the model
asks for a tool to be called) or a function result (the tool's answer)::

    >>> message = Message("user", ["Write release notes for the smart mug."])
    >>> message
    Message(role=user, text='Write release notes for the smart mug.')
    >>> message.text
    'Write release notes for the smart mug.'

A model answers with a `ChatResponse`; an agent with an `AgentResponse`. When the answer
is streamed, it arrives as a series of updates (`ChatResponseUpdate`, `AgentResponseUpdate`)
that `AgentResponse.from_updates` puts back together.

Two spellings, one class. AF renamed these types after its late-2025 previews, and wfkit
speaks both: `ChatMessage` is `Message` (``ChatMessage(Role.USER, text="Hi")`` and
``Message("user", ["Hi"])`` make equal messages), `AgentRunResponse` is `AgentResponse`,
`AgentRunResponseUpdate` is `AgentResponseUpdate`, and ``Content.from_text("Hi")`` is
``TextContent("Hi")``. Lessons use today's names.

What a message holds (text, tool calls and results, approvals) is in `contents`; its names are
importable from here too.

Every type here is a dataclass registered for checkpoints, so messages and responses can
travel between executors of a workflow that is saved and restored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, AsyncIterable, Iterable, Self, Sequence

from ..checkpoint.registry import register_checkpoint_type
from .contents import (
    Content,
    Contents,
    FunctionApprovalRequestContent,
    FunctionApprovalResponseContent,
    FunctionCallContent,
    FunctionResultContent,
    TextContent,
    _preview,
    joined_text,
)


class Role(str, Enum):
    """Who speaks in a message. A `Role` is also a plain string: ``Role.USER == "user"``."""

    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"

    @classmethod
    def _missing_(cls, value: object) -> Role | None:
        # Accept "User" or "USER" as well as "user": learners type roles by hand.
        if isinstance(value, str):
            for role in cls:
                if role.value == value.lower():
                    return role
        return None

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    def __repr__(self) -> str:
        return f"Role.{self.name}"


def user_input_requests(messages: Iterable[Message]) -> list[Content]:
    """The contents in `messages` the caller must answer: approval requests, and calls to
    tools wfkit cannot run (see `tools`)."""
    return [c for m in messages for c in m.contents if c.user_input_request]


@dataclass(init=False, repr=False)
class Message:
    """One message of a conversation: a `role` and its `contents`.

    Today's AF gives the contents as a list (a plain string in it is a piece of text), or one
    string; the seed era gave ``text=`` or ``contents=`` by keyword. Both make the same message::

        Message("user", ["Summarise this article."])
        ChatMessage(Role.USER, text="Summarise this article.")
        Message("tool", [Content.from_function_result(call_id, result="Sunny")])

    The role is a `Role`, which is also a plain string: ``message.role == "user"``.
    """

    role: Role
    contents: list[Contents] = field(default_factory=list)
    author_name: str | None = None
    message_id: str | None = None

    def __init__(
        self,
        role: Role | str,
        contents: str | Sequence[Contents | str] | None = None,
        *,
        text: str | None = None,
        author_name: str | None = None,
        message_id: str | None = None,
    ) -> None:
        self.role = Role(role)
        self.contents = as_contents(contents)
        if text is not None:
            self.contents.insert(0, TextContent(text))
        self.author_name = author_name
        self.message_id = message_id

    @property
    def text(self) -> str:
        """The message's text (its text contents joined by spaces); ``""`` if it has none."""
        return joined_text(self.contents, " ")

    def __repr__(self) -> str:
        author = f", author_name={self.author_name!r}" if self.author_name else ""
        if all(isinstance(c, TextContent) for c in self.contents):
            return f"Message(role={self.role.value}, text={_preview(self.text)}{author})"
        return f"Message(role={self.role.value}, contents={self.contents!r}{author})"


ChatMessage = Message
"""The seed era's name for `Message` (the same class): ``ChatMessage(Role.USER, text="Hi")``."""


def as_contents(value: str | Sequence[Contents | str] | None) -> list[Contents]:
    """The contents of a message as a list: a string is one `TextContent`, and so is each
    string in a list; contents are kept as they are."""
    if value is None:
        return []
    if isinstance(value, str):
        return [TextContent(value)]
    if isinstance(value, Content):
        return [value]
    contents: list[Contents] = []
    for item in value:
        if isinstance(item, str):
            contents.append(TextContent(item))
        elif isinstance(item, Content):
            contents.append(item)
        else:
            raise TypeError(
                f"A message's contents are text or Content items, got {_type_name(item)}: {item!r}. "
                'Write Message("user", ["some text"]) or Message("user", [Content.from_text("some text")]).'
            )
    return contents


def _type_name(value: Any) -> str:
    """The name of `value`'s class, with its module when it is not wfkit's or Python's own: another
    library's ``Message`` is then not mistaken for wfkit's."""
    cls = type(value)
    if cls.__module__.startswith(("wfkit.", "builtins")):
        return cls.__name__
    return f"{cls.__module__}.{cls.__qualname__}"


def as_messages(value: str | Content | Message | Sequence[str | Content | Message] | None) -> list[Message]:
    """Turn what people pass to a client or an agent into a list of messages.

    A string, or a `Content`, is one USER message; a `Message` is itself; a list may mix them;
    None is empty.
    """
    if value is None:
        return []
    if isinstance(value, (str, Content, Message)):
        value = [value]
    messages = []
    for item in value:
        if isinstance(item, (str, Content)):
            messages.append(Message(Role.USER, [item]))
        elif isinstance(item, Message):
            messages.append(item)
        else:
            raise TypeError(
                f"Expected a str, a Content or a Message, got {_type_name(item)}: {item!r}. Wrap text in "
                'Message("user", ["..."]) or pass it as a plain string.'
            )
    return messages


@dataclass(repr=False)
class _Response:
    """What every response has: the new messages, and their text. When the request gave a
    ``response_format`` (a pydantic model), `value` is the answer parsed into it."""

    messages: list[Message] = field(default_factory=list)
    response_id: str | None = None
    value: Any = None

    def __post_init__(self) -> None:
        if isinstance(self.messages, Message):
            self.messages = [self.messages]
        self.messages = list(self.messages)

    @classmethod
    async def from_update_generator(
        cls, updates: AsyncIterable[ChatResponseUpdate | AgentResponseUpdate], *, output_format_type: Any = None
    ) -> Self:
        """Read a whole stream (``agent.run(..., stream=True)``) and put it back together, as
        `from_updates` does."""
        return cls.from_updates([update async for update in updates], output_format_type)

    @classmethod
    def from_updates(
        cls, updates: Iterable[ChatResponseUpdate | AgentResponseUpdate], output_format_type: Any = None
    ) -> Self:
        """Put a streamed answer back together: one message per run of updates from the same
        speaker, with consecutive text pieces joined into one `TextContent`. With
        `output_format_type` (a pydantic model), the text is also parsed into `value`."""
        messages: list[Message] = []
        response_id = None
        for update in updates:
            response_id = response_id or update.response_id
            role = update.role or Role.ASSISTANT
            last = messages[-1] if messages else None
            if last is None or last.role != role or last.author_name != update.author_name:
                last = Message(role, author_name=update.author_name)
                messages.append(last)
            for content in update.contents:
                if isinstance(content, TextContent) and last.contents and isinstance(last.contents[-1], TextContent):
                    last.contents[-1] = TextContent(last.contents[-1].text + content.text)
                else:
                    last.contents.append(content)
        response = cls(messages=messages, response_id=response_id)
        if output_format_type is not None:
            from .options import parse_value  # options builds on these types

            response.value = parse_value(output_format_type, response.text)
        return response

    @property
    def text(self) -> str:
        """The text of every message, each message on its own paragraph."""
        return "\n\n".join(m.text for m in self.messages if m.text)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(messages={len(self.messages)}, text={_preview(self.text)})"


@dataclass(repr=False)
class ChatResponse(_Response):
    """A chat model's answer to `get_response`: usually one ASSISTANT message."""

    model_id: str | None = None


@dataclass(repr=False)
class AgentResponse(_Response):
    """An agent's answer to `run`: the messages it added to the conversation (``.text`` for
    their text; ``.value`` for the parsed answer when a ``response_format`` was given), and
    the id of the agent that gave it (`agent_id`).

    It is not a list: its messages are ``response.messages``. When the agent stopped to ask the
    caller something (may this tool run?), `user_input_requests` holds the questions.
    """

    agent_id: str | None = None

    @property
    def user_input_requests(self) -> list[Content]:
        """What the caller must answer before the agent can go on (see `tools`)."""
        return user_input_requests(self.messages)


@dataclass(init=False, repr=False)
class _Update:
    """One piece of a streamed answer: a few words, usually."""

    contents: list[Contents] = field(default_factory=list)
    role: Role | None = Role.ASSISTANT
    author_name: str | None = None
    response_id: str | None = None

    def __init__(
        self,
        contents: Sequence[Contents] | None = None,
        role: Role | str | None = Role.ASSISTANT,
        author_name: str | None = None,
        response_id: str | None = None,
        *,
        text: str | None = None,
    ) -> None:
        self.contents = list(contents or [])
        if text is not None:
            self.contents.append(TextContent(text))
        self.role = Role(role) if role is not None else None
        self.author_name = author_name
        self.response_id = response_id

    @property
    def text(self) -> str:
        """The text this piece adds."""
        return joined_text(self.contents)

    @property
    def user_input_requests(self) -> list[Content]:
        """The questions for the caller in this piece (see `AgentResponse.user_input_requests`)."""
        return [c for c in self.contents if c.user_input_request]

    def __str__(self) -> str:
        # As in AF, printing a piece prints its text, so ``print(update, end="")`` streams prose.
        return self.text

    def __repr__(self) -> str:
        if all(isinstance(c, TextContent) for c in self.contents):
            return f"{type(self).__name__}(text={_preview(self.text)})"
        return f"{type(self).__name__}(contents={self.contents!r})"


@dataclass(init=False, repr=False)
class ChatResponseUpdate(_Update):
    """A piece of a chat model's streamed answer (from `get_streaming_response`)."""


@dataclass(init=False, repr=False)
class AgentResponseUpdate(_Update):
    """A piece of an agent's streamed answer (from ``run(..., stream=True)`` or `run_stream`, or
    in an `AgentRunUpdateEvent`)."""


AgentRunResponse = AgentResponse
"""The seed era's name for `AgentResponse` (the same class)."""

AgentRunResponseUpdate = AgentResponseUpdate
"""The seed era's name for `AgentResponseUpdate` (the same class)."""


# Stable names, so checkpoints stay readable if these classes move between modules or are
# renamed: the seed era's names, which checkpoints written before the rename already carry.
for _name, _cls in {
    "Content": Content,  # a request's answer type (an agent's questions are answered with a Content)
    "Role": Role,
    "TextContent": TextContent,
    "FunctionCallContent": FunctionCallContent,
    "FunctionResultContent": FunctionResultContent,
    "FunctionApprovalRequestContent": FunctionApprovalRequestContent,
    "FunctionApprovalResponseContent": FunctionApprovalResponseContent,
    "ChatMessage": Message,
    "ChatResponse": ChatResponse,
    "AgentRunResponse": AgentResponse,
    "ChatResponseUpdate": ChatResponseUpdate,
    "AgentRunResponseUpdate": AgentResponseUpdate,
}.items():
    register_checkpoint_type(_cls, name=f"wfkit.{_name}")
