"""What a chat client is, and the small base class every wfkit client is built on.

A chat client turns a conversation into the model's next message. Anything with these
methods is one (a `Protocol`, so your own class needs no wfkit base)::

    response = await client.get_response("Name three rivers.")
    async for update in client.get_streaming_response(messages):
        print(update.text, end="")
    writer = client.create_agent(instructions="You write release notes.", name="writer")

`BaseChatClient` gives a client more for free: today's AF spellings beside those (streaming
with ``get_response(messages, stream=True)``, options in ``options={...}``, agents from
``as_agent(...)``), the message normalisation (a string, a `Message` or a list of them) and the
tool loop. A subclass writes only `_complete` and `_complete_stream`, which always receive a
list of `Message` and the options in their normal shapes.
"""

from __future__ import annotations

import contextlib
from typing import Any, AsyncIterator, Mapping, Protocol, runtime_checkable

from .agent import Agent, ChatAgent, MessagesInput
from .function_calling import complete_with_tools, stream_with_tools
from .options import chat_options, combined_options, parse_value
from .stream import ResponseStream
from .tools import HostedCodeInterpreterTool
from .types import AgentResponse, AgentResponseUpdate, ChatResponse, ChatResponseUpdate, Message, Role, as_messages


@runtime_checkable
class ChatClientProtocol(Protocol):
    """Anything that can answer a conversation, at once or streamed (what an `Agent` calls)."""

    async def get_response(self, messages: MessagesInput, **options: Any) -> ChatResponse:
        """The model's answer to `messages`, all at once."""
        ...

    def get_streaming_response(self, messages: MessagesInput, **options: Any) -> AsyncIterator[ChatResponseUpdate]:
        """The model's answer to `messages`, piece by piece as it is written."""
        ...


SupportsChatGetResponse = ChatClientProtocol
"""Today's AF name for what a chat client is (the same protocol): ``client: SupportsChatGetResponse``."""


@runtime_checkable
class AgentProtocol(Protocol):
    """Anything `AgentExecutor` can wrap: it has a name and can `run` or `run_stream`.

    (wfkit's own agents also take today's ``run(messages, stream=True)``; the executor needs
    only these two.)
    """

    name: str | None

    async def run(self, messages: MessagesInput = None, **options: Any) -> AgentResponse: ...

    def run_stream(self, messages: MessagesInput = None, **options: Any) -> AsyncIterator[AgentResponseUpdate]: ...


class BaseChatClient:
    """Base class of wfkit's chat clients. Subclasses implement `_complete` and `_complete_stream`."""

    model_id: str | None = None

    def get_code_interpreter_tool(self) -> Any:
        """Agent Framework 1.x's way to ask a client for its hosted code interpreter: a
        `HostedCodeInterpreterTool`, which wfkit's agents accept and leave out (see it)."""
        return HostedCodeInterpreterTool()

    def get_response(
        self, messages: MessagesInput, *, stream: bool = False, options: Mapping[str, Any] | None = None, **keywords: Any
    ) -> Any:
        """The model's answer to `messages` (a string, a `Message`, or a list of them).

        Awaited, it gives a `ChatResponse`; with ``stream=True`` a `ResponseStream` of
        `ChatResponseUpdate`s (as `get_streaming_response` does).

        Options (``options={"temperature": 0.2}``, or as keywords, ``temperature=0.2``) are
        passed to the model as they are, except four wfkit acts on (see `options`): with
        ``tools=[functions]`` the tools the model calls are run and their results given back to
        it (``tool_choice`` says whether it may or must call them); with
        ``response_format=SomeModel`` the answer is JSON that fits the pydantic model, parsed into
        ``response.value``; ``instructions`` become a SYSTEM message before the others.
        """
        given = combined_options(options, keywords, where=f"{type(self).__name__}.get_response(...)")
        conversation = with_instructions(as_messages(messages), given.pop("instructions", None))
        chosen = chat_options(given)
        if stream:
            response_format = chosen.get("response_format")
            return ResponseStream(
                self._updates(conversation, chosen),
                finalizer=lambda updates: ChatResponse.from_updates(updates, response_format),
            )
        return self._respond(conversation, chosen)

    def get_streaming_response(
        self, messages: MessagesInput, **options: Any
    ) -> ResponseStream[ChatResponseUpdate, ChatResponse]:
        """The model's answer to `messages`, piece by piece as it is written (tools are run
        between pieces, as in `get_response`): the seed era's ``get_response(..., stream=True)``."""
        return self.get_response(messages, stream=True, **options)

    async def _respond(self, messages: list[Message], options: dict[str, Any]) -> ChatResponse:
        response = await complete_with_tools(self._complete, messages, options)
        if "response_format" in options:
            response.value = parse_value(options["response_format"], response.text)
        return response

    async def _updates(self, messages: list[Message], options: dict[str, Any]) -> AsyncIterator[ChatResponseUpdate]:
        # aclosing: a caller that stops early closes the model's stream (and its connection) now,
        # not whenever the garbage collector gets to it.
        async with contextlib.aclosing(stream_with_tools(self._complete_stream, messages, options)) as pieces:
            async for update in pieces:
                yield update

    def as_agent(
        self,
        *,
        id: str | None = None,
        name: str | None = None,
        description: str | None = None,
        instructions: str | None = None,
        tools: Any = None,
        default_options: Mapping[str, Any] | None = None,
        **unexpected: Any,
    ) -> Agent:
        """An `Agent` that answers with this client (today's AF spelling of `create_agent`).

        >>> writer = client.as_agent(name="writer", instructions="You write release notes.")
        """
        return Agent(
            self, instructions, id=id, name=name, description=description, tools=tools,
            default_options=default_options, **unexpected,
        )  # fmt: skip

    def create_agent(
        self,
        *,
        instructions: str | None = None,
        name: str | None = None,
        id: str | None = None,
        description: str | None = None,
        **options: Any,
    ) -> ChatAgent:
        """A `ChatAgent` that answers with this client (the seed era's spelling of `as_agent`);
        `instructions` become its system message.

        Other `options` (``tools=[...]``, ``tool_choice=...``, ``response_format=...``,
        ``temperature=...``) are sent with every request the agent makes.

        >>> writer = client.create_agent(instructions="You write release notes.", name="writer")
        """
        return ChatAgent(self, instructions=instructions, name=name, id=id, description=description, **options)

    async def _complete(self, messages: list[Message], options: dict[str, Any]) -> ChatResponse:
        raise NotImplementedError(f"{type(self).__name__} must implement _complete(messages, options).")

    def _complete_stream(
        self, messages: list[Message], options: dict[str, Any]
    ) -> AsyncIterator[ChatResponseUpdate]:
        raise NotImplementedError(f"{type(self).__name__} must implement _complete_stream(messages, options).")

    def __repr__(self) -> str:
        model = f"model_id={self.model_id!r}" if self.model_id else ""
        return f"{type(self).__name__}({model})"


def with_instructions(messages: list[Message], instructions: str | None) -> list[Message]:
    """`messages` after a SYSTEM message with `instructions`, if there are any."""
    return [Message(Role.SYSTEM, [instructions]), *messages] if instructions else messages
