"""`Agent`: a chat client plus standing instructions and a name.

An agent does not remember anything between runs: give `run` the conversation so far and it
answers it. (In a workflow, `AgentExecutor` keeps the conversation for it.)::

    writer = Agent(client, "You write warm release notes.", name="writer")   # or client.as_agent(...)
    response = await writer.run("Brief: the smart mug keeps coffee hot for 12 hours.")
    print(response.text)

    async for update in writer.run("Brief: ...", stream=True):              # piece by piece
        print(update.text, end="")

Options given to the agent (``default_options={"response_format": Verdict, "temperature": 0.2}``,
``tools=[get_weather]``) go with every request; options given to `run` (``options={...}``,
``tools=[...]``) go with that one: its tools are added to the agent's, and the rest win::

    checker = Agent(client, "Detect spam.", default_options={"response_format": DetectionResult})
    verdict = (await checker.run(email)).value          # a DetectionResult

That is today's AF. The seed era spelt it ``ChatAgent(chat_client=client, ...)`` or
``client.create_agent(...)``, gave options as keywords (``response_format=Verdict``) and
streamed with ``run_stream``; all of it still works, and makes the same agent.

An agent can be put straight into a workflow graph, ``WorkflowBuilder().add_edge(writer, ...)``:
the builder wraps it in an `AgentExecutor` whose id is the agent's name.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, AsyncIterator, Mapping, Sequence

from ..checkpoint.registry import register_checkpoint_type
from ..errors import AgentOptionsError
from .options import NOT_IN_WFKIT, chat_options, combined_options, merged_options, parse_value
from .stream import ResponseStream
from .types import AgentResponse, AgentResponseUpdate, Content, Message, Role, as_messages

if TYPE_CHECKING:
    from .executor import AgentExecutor
    from .protocol import ChatClientProtocol

MessagesInput = str | Content | Message | Sequence[str | Content | Message] | None
"""What an agent accepts as messages: text, a content, a message, or a list of them."""


class Agent:
    """An agent that answers with `client`, guided by `instructions` (its system message).

    The signature is today's AF: ``Agent(client, instructions=None, *, id=, name=, description=,
    tools=, default_options=)``.
    """

    def __init__(
        self,
        client: ChatClientProtocol | None = None,
        instructions: str | None = None,
        *,
        id: str | None = None,
        name: str | None = None,
        description: str | None = None,
        tools: Any = None,
        default_options: Mapping[str, Any] | None = None,
        **unexpected: Any,
    ) -> None:
        where = f"{type(self).__name__}(name={name!r})"
        if unexpected:
            raise _unexpected_arguments(where, unexpected)
        if client is None:
            raise AgentOptionsError(
                f"{where} needs a chat client: Agent(client, instructions='...'), or client.as_agent(...)."
            )
        options = combined_options(default_options, {"tools": tools}, where=where, dict_name="default_options")
        self.client = client
        self.instructions = _one_instructions(where, instructions, options.pop("instructions", None))
        self.name = name
        # A fixed default (not a random uuid) so a workflow rebuilt in a new process has the
        # same executor ids, and its checkpoints still fit.
        self.id = id or name or "agent"
        self.description = description
        self.default_options = chat_options(options)
        _register_response_format(self.default_options)
        self._executors: dict[str, AgentExecutor] = {}
        self._added_executor: AgentExecutor | None = None  # the one `WorkflowBuilder.add_agent` made

    @property
    def chat_client(self) -> ChatClientProtocol:
        """The client (the seed era's name for `client`)."""
        return self.client

    @property
    def response_format(self) -> Any:
        """The pydantic model the agent answers in (``default_options={"response_format": ...}``), or None."""
        return self.default_options.get("response_format")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, client={type(self.client).__name__})"

    def conversation_for(self, messages: MessagesInput, more_instructions: str | None = None) -> list[Message]:
        """What the model is sent: the instructions as a SYSTEM message, then `messages`.
        `more_instructions` (given to one run) are added after the agent's own."""
        conversation = as_messages(messages)
        instructions = "\n".join(text for text in (self.instructions, more_instructions) if text)
        if instructions:
            conversation.insert(0, Message(Role.SYSTEM, [instructions]))
        return conversation

    def run(
        self,
        messages: MessagesInput = None,
        *,
        stream: bool = False,
        tools: Any = None,
        options: Mapping[str, Any] | None = None,
        **keywords: Any,
    ) -> Any:
        """Answer `messages` (the conversation so far).

        Awaited, it gives an `AgentResponse`; with ``stream=True`` it gives a `ResponseStream` of
        `AgentResponseUpdate`s instead (``async for update in agent.run(..., stream=True)``).
        With a ``response_format``, the parsed answer is the response's ``value``.

        Options for this run go in ``options={...}`` (today's AF) or as keywords (the seed era).
        """
        where = f"agent {self.name or self.id!r}: run(...)"
        given = combined_options(options, {**keywords, "tools": tools}, where=where)
        more_instructions = given.pop("instructions", None)
        chosen = merged_options(self.default_options, given)
        _register_response_format(chosen)
        conversation = self.conversation_for(messages, more_instructions)
        if stream:
            response_format = chosen.get("response_format")
            return ResponseStream(
                self._updates(conversation, chosen),
                finalizer=lambda updates: AgentResponse.from_updates(updates, response_format),
            )
        return self._respond(conversation, chosen)

    def run_stream(
        self, messages: MessagesInput = None, **keywords: Any
    ) -> ResponseStream[AgentResponseUpdate, AgentResponse]:
        """The seed era's way to stream: the same as ``run(messages, stream=True, ...)``."""
        return self.run(messages, stream=True, **keywords)

    async def _respond(self, conversation: list[Message], options: dict[str, Any]) -> AgentResponse:
        response = await self.client.get_response(conversation, **options)
        for message in response.messages:
            message.author_name = message.author_name or self.name
        value = getattr(response, "value", None)
        if value is None and "response_format" in options:  # a client that is not wfkit's own
            value = parse_value(options["response_format"], response.text)
        return AgentResponse(messages=response.messages, response_id=response.response_id, value=value)

    async def _updates(
        self, conversation: list[Message], options: dict[str, Any]
    ) -> AsyncIterator[AgentResponseUpdate]:
        # aclosing: when the reader leaves early, the client's stream (and its connection) closes now.
        async with contextlib.aclosing(self.client.get_streaming_response(conversation, **options)) as pieces:
            async for update in pieces:
                yield AgentResponseUpdate(
                    contents=update.contents,
                    role=update.role,
                    author_name=update.author_name or self.name,
                    response_id=update.response_id,
                )

    def _as_workflow_executor(self, default_id: str | None = None) -> AgentExecutor:
        """The `AgentExecutor` the workflow builder uses when this agent appears in an edge.

        The same executor is returned every time for the same id, because the builder asks once
        per edge and must see one executor, not several with the same id.
        """
        from .executor import AgentExecutor  # the executor module needs nothing from here

        if default_id is None and self._added_executor is not None:
            return self._added_executor
        executor_id = default_id or self.name or self.id
        if executor_id not in self._executors:
            self._executors[executor_id] = AgentExecutor(self, id=executor_id)
        return self._executors[executor_id]

    def _remember_workflow_executor(self, executor: AgentExecutor) -> None:
        """Stand for `executor` in later edges (called by `WorkflowBuilder.add_agent`)."""
        self._added_executor = executor
        self._executors[executor.id] = executor


class ChatAgent(Agent):
    """The seed era's spelling of `Agent`: ``ChatAgent(chat_client, instructions, name=...,
    temperature=0.2, response_format=Verdict)``, options given as keywords.

    It only translates the arguments; the agent it makes is an `Agent` in every other way.
    ``default_options={...}`` may be given too, as long as no option is given twice.
    """

    def __init__(
        self,
        chat_client: ChatClientProtocol | None = None,
        instructions: str | None = None,
        *,
        id: str | None = None,
        name: str | None = None,
        description: str | None = None,
        tools: Any = None,
        default_options: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> None:
        if "client" in options:
            raise AgentOptionsError(
                f"ChatAgent(name={name!r}) takes the client as chat_client= (the seed era's spelling); client= is "
                "today's Agent's. Write ChatAgent(chat_client=client, ...) or Agent(client=client, ...)."
            )
        where = f"ChatAgent(name={name!r})"
        options = combined_options(
            default_options, {**options, "tools": tools}, where=where, dict_name="default_options"
        )
        super().__init__(
            chat_client, instructions, id=id, name=name, description=description, default_options=options
        )


def _one_instructions(where: str, instructions: str | None, in_options: str | None) -> str | None:
    """The agent's instructions, given as an argument or in ``default_options`` (not both, differently)."""
    if instructions is not None and in_options is not None and instructions != in_options:
        raise AgentOptionsError(
            f"{where}: instructions are given twice, as an argument ({instructions!r}) and in default_options "
            f"({in_options!r}). Give them once."
        )
    return instructions if instructions is not None else in_options


def _unexpected_arguments(where: str, unexpected: dict[str, Any]) -> AgentOptionsError:
    """The error for keywords today's `Agent` does not take, saying what to write instead."""
    if "chat_client" in unexpected:
        return AgentOptionsError(
            f"{where} takes the client as its first argument (Agent(client, ...) or client=...); chat_client= is "
            "the seed era's ChatAgent spelling. Write Agent(client, ...) or ChatAgent(chat_client=client, ...)."
        )
    for key in unexpected:
        if key in NOT_IN_WFKIT:
            return AgentOptionsError(f"{where}: {key}= is not supported; {NOT_IN_WFKIT[key]}.")
    written = ", ".join(f"{key!r}: {value!r}" for key, value in unexpected.items())
    return AgentOptionsError(
        f"{where} got {', '.join(f'{key}=' for key in unexpected)} as keywords. Today's Agent takes model options "
        f"in one dict: default_options={{{written}}}. (The seed era's ChatAgent(...) and client.create_agent(...) "
        "take them as keywords.)"
    )


def _register_response_format(options: dict[str, Any]) -> None:
    if "response_format" in options:
        # Its parsed answers travel in AgentExecutorResponses, which checkpoints save.
        register_checkpoint_type(options["response_format"])
