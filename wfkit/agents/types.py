"""The words agents and chat models speak: messages, their contents, and responses.

A conversation is a list of `ChatMessage`s. Each message has a `Role` (who speaks) and a list
of contents: mostly `TextContent`, sometimes a `FunctionCallContent` (the model asks for a
tool to be called) or a `FunctionResultContent` (the tool's answer)::

    >>> message = ChatMessage(Role.USER, text="Write release notes for the smart mug.")
    >>> message
    ChatMessage(role=user, text='Write release notes for the smart mug.')
    >>> message.text
    'Write release notes for the smart mug.'

A model answers with a `ChatResponse`; an agent with an `AgentRunResponse`. When the answer
is streamed, it arrives as a series of updates (`ChatResponseUpdate`, `AgentRunResponseUpdate`)
that `AgentRunResponse.from_updates` puts back together.

Every type here is a dataclass registered for checkpoints, so messages and responses can
travel between executors of a workflow that is saved and restored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterable, Sequence, Union

from ..checkpoint.registry import register_checkpoint_type


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


def _preview(text: str, limit: int = 50) -> str:
    """`text` quoted and cut to `limit` characters, for one-line reprs."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


@dataclass
class TextContent:
    """A piece of text in a message."""

    text: str

    def __repr__(self) -> str:
        return f"TextContent({_preview(self.text)})"


@dataclass
class FunctionCallContent:
    """The model asks for the function (tool) `name` to be called with `arguments`.

    `arguments` is JSON text or an already parsed dict. The answer goes back in a
    `FunctionResultContent` with the same `call_id`.
    """

    call_id: str
    name: str
    arguments: str | dict[str, Any] | None = None

    def __repr__(self) -> str:
        return f"FunctionCallContent(call_id={self.call_id!r}, name={self.name!r})"


@dataclass
class FunctionResultContent:
    """The result of the function call `call_id`, sent back to the model in a TOOL message."""

    call_id: str
    result: Any = None

    def __repr__(self) -> str:
        result = repr(self.result)
        result = result if len(result) <= 40 else result[:37] + "..."
        return f"FunctionResultContent(call_id={self.call_id!r}, result={result})"


Contents = Union[TextContent, FunctionCallContent, FunctionResultContent]
"""Anything a message can contain."""


def joined_text(contents: Iterable[Any], separator: str = "") -> str:
    """The text of every `TextContent` in `contents`, joined by `separator`."""
    return separator.join(c.text for c in contents if isinstance(c, TextContent))


@dataclass(init=False, repr=False)
class ChatMessage:
    """One message of a conversation: a `role` and its `contents`.

    Give either `text` (the usual case) or a list of `contents`::

        ChatMessage(Role.USER, text="Summarise this article.")
        ChatMessage(role=Role.TOOL, contents=[FunctionResultContent(call_id, result)])
    """

    role: Role
    contents: list[Contents] = field(default_factory=list)
    author_name: str | None = None

    def __init__(
        self,
        role: Role | str,
        text: str | None = None,
        contents: Sequence[Contents] | None = None,
        author_name: str | None = None,
    ) -> None:
        self.role = Role(role)
        self.contents = list(contents or [])
        if text is not None:
            self.contents.insert(0, TextContent(text))
        self.author_name = author_name

    @property
    def text(self) -> str:
        """The message's text (its text contents joined by spaces); ``""`` if it has none."""
        return joined_text(self.contents, " ")

    def __repr__(self) -> str:
        author = f", author_name={self.author_name!r}" if self.author_name else ""
        if all(isinstance(c, TextContent) for c in self.contents):
            return f"ChatMessage(role={self.role.value}, text={_preview(self.text)}{author})"
        return f"ChatMessage(role={self.role.value}, contents={self.contents!r}{author})"


def as_messages(value: str | ChatMessage | Sequence[str | ChatMessage] | None) -> list[ChatMessage]:
    """Turn what people pass to a client or an agent into a list of messages.

    A string is one USER message; a `ChatMessage` is itself; a list may mix both; None is empty.
    """
    if value is None:
        return []
    if isinstance(value, (str, ChatMessage)):
        value = [value]
    messages = []
    for item in value:
        if isinstance(item, str):
            messages.append(ChatMessage(Role.USER, text=item))
        elif isinstance(item, ChatMessage):
            messages.append(item)
        else:
            raise TypeError(
                f"Expected a str or a ChatMessage, got {type(item).__name__}: {item!r}. Wrap text in "
                "ChatMessage(Role.USER, text=...) or pass it as a plain string."
            )
    return messages


@dataclass(repr=False)
class _Response:
    """What every response has: the new messages, and their text. When the request gave a
    ``response_format`` (a pydantic model), `value` is the answer parsed into it."""

    messages: list[ChatMessage] = field(default_factory=list)
    response_id: str | None = None
    value: Any = None

    def __post_init__(self) -> None:
        if isinstance(self.messages, ChatMessage):
            self.messages = [self.messages]
        self.messages = list(self.messages)

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
class AgentRunResponse(_Response):
    """An agent's answer to `run`: the messages it added to the conversation."""

    @classmethod
    def from_updates(
        cls, updates: Iterable[ChatResponseUpdate | AgentRunResponseUpdate], output_format_type: Any = None
    ) -> AgentRunResponse:
        """Put a streamed answer back together: one message per run of updates from the same
        speaker, with consecutive text pieces joined into one `TextContent`. With
        `output_format_type` (a pydantic model), the text is also parsed into `value`."""
        messages: list[ChatMessage] = []
        response_id = None
        for update in updates:
            response_id = response_id or update.response_id
            role = update.role or Role.ASSISTANT
            last = messages[-1] if messages else None
            if last is None or last.role != role or last.author_name != update.author_name:
                last = ChatMessage(role, author_name=update.author_name)
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
class AgentRunResponseUpdate(_Update):
    """A piece of an agent's streamed answer (from `run_stream`, or in an `AgentRunUpdateEvent`)."""


# Stable names, so checkpoints stay readable if these classes move between modules.
for _cls in (
    Role,
    TextContent,
    FunctionCallContent,
    FunctionResultContent,
    ChatMessage,
    ChatResponse,
    AgentRunResponse,
    ChatResponseUpdate,
    AgentRunResponseUpdate,
):
    register_checkpoint_type(_cls, name=f"wfkit.{_cls.__name__}")
