"""What a chat client is, and the small base class every wfkit client is built on.

A chat client turns a conversation into the model's next message. Anything with these
methods is one (a `Protocol`, so your own class needs no wfkit base)::

    response = await client.get_response("Name three rivers.")
    async for update in client.get_streaming_response(messages):
        print(update.text, end="")
    writer = client.create_agent(instructions="You write release notes.", name="writer")

`BaseChatClient` gives a client `create_agent` and the message normalisation (a string, a
`ChatMessage` or a list of them) for free; a subclass writes only `_complete` and
`_complete_stream`, which always receive a list of `ChatMessage`.
"""

from __future__ import annotations

import contextlib
from typing import Any, AsyncIterator, Protocol, Sequence, runtime_checkable

from .agent import ChatAgent
from .function_calling import complete_with_tools, stream_with_tools
from .options import chat_options, parse_value
from .types import AgentRunResponse, AgentRunResponseUpdate, ChatMessage, ChatResponse, ChatResponseUpdate, as_messages

MessagesInput = str | ChatMessage | Sequence[str | ChatMessage] | None
"""What clients and agents accept as messages: text, a message, or a list of either."""


@runtime_checkable
class ChatClientProtocol(Protocol):
    """Anything that can answer a conversation, at once or streamed."""

    async def get_response(self, messages: MessagesInput, **options: Any) -> ChatResponse:
        """The model's answer to `messages`, all at once."""
        ...

    def get_streaming_response(self, messages: MessagesInput, **options: Any) -> AsyncIterator[ChatResponseUpdate]:
        """The model's answer to `messages`, piece by piece as it is written."""
        ...

    def create_agent(self, *, instructions: str | None = None, name: str | None = None, **options: Any) -> ChatAgent:
        """An agent that answers with this client, guided by `instructions`."""
        ...


@runtime_checkable
class AgentProtocol(Protocol):
    """Anything `AgentExecutor` can wrap: it has a name and can `run` or `run_stream`."""

    name: str | None

    async def run(self, messages: MessagesInput = None, **options: Any) -> AgentRunResponse: ...

    def run_stream(self, messages: MessagesInput = None, **options: Any) -> AsyncIterator[AgentRunResponseUpdate]: ...


class BaseChatClient:
    """Base class of wfkit's chat clients. Subclasses implement `_complete` and `_complete_stream`."""

    model_id: str | None = None

    async def get_response(self, messages: MessagesInput, **options: Any) -> ChatResponse:
        """The model's answer to `messages` (a string, a `ChatMessage`, or a list of them).

        `options` (``temperature=0.2``, ``max_tokens=200``...) are passed to the model as they are,
        except three wfkit acts on (see `options`): with ``tools=[functions]`` the tools the model
        calls are run and their results given back to it (``tool_choice`` says whether it may or
        must call them); with ``response_format=SomeModel`` the answer is JSON that fits the
        pydantic model, parsed into ``response.value``.
        """
        options = chat_options(options)
        response = await complete_with_tools(self._complete, as_messages(messages), options)
        if "response_format" in options:
            response.value = parse_value(options["response_format"], response.text)
        return response

    async def get_streaming_response(
        self, messages: MessagesInput, **options: Any
    ) -> AsyncIterator[ChatResponseUpdate]:
        """The model's answer to `messages`, yielded piece by piece as it is written (tools are
        run between pieces, as in `get_response`)."""
        updates = stream_with_tools(self._complete_stream, as_messages(messages), chat_options(options))
        # aclosing: a caller that stops early closes the model's stream (and its connection) now,
        # not whenever the garbage collector gets to it.
        async with contextlib.aclosing(updates) as pieces:
            async for update in pieces:
                yield update

    def create_agent(
        self,
        *,
        instructions: str | None = None,
        name: str | None = None,
        id: str | None = None,
        description: str | None = None,
        **options: Any,
    ) -> ChatAgent:
        """A `ChatAgent` that answers with this client; `instructions` become its system message.

        Other `options` (``tools=[...]``, ``tool_choice=...``, ``response_format=...``,
        ``temperature=...``) are sent with every request the agent makes.

        >>> writer = client.create_agent(instructions="You write release notes.", name="writer")
        """
        return ChatAgent(self, instructions=instructions, name=name, id=id, description=description, **options)

    async def _complete(self, messages: list[ChatMessage], options: dict[str, Any]) -> ChatResponse:
        raise NotImplementedError(f"{type(self).__name__} must implement _complete(messages, options).")

    def _complete_stream(
        self, messages: list[ChatMessage], options: dict[str, Any]
    ) -> AsyncIterator[ChatResponseUpdate]:
        raise NotImplementedError(f"{type(self).__name__} must implement _complete_stream(messages, options).")

    def __repr__(self) -> str:
        model = f"model_id={self.model_id!r}" if self.model_id else ""
        return f"{type(self).__name__}({model})"
