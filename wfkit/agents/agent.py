"""`Agent`: a chat client plus standing instructions and a name.

An agent does not remember anything between runs on its own: give `run` the conversation so far
and it answers it. (In a workflow, `AgentExecutor` keeps the conversation for it.) Or give it a
session, which remembers for it (see `sessions`)::

    writer = Agent(client, "You write warm release notes.", name="writer")   # or client.as_agent(...)
    response = await writer.run("Brief: the smart mug keeps coffee hot for 12 hours.")
    print(response.text)

    async for update in writer.run("Brief: ...", stream=True):              # piece by piece
        print(update.text, end="")

    session = writer.create_session()                                        # a conversation
    await writer.run("Brief: a smart mug.", session=session)
    await writer.run("Shorter, please.", session=session)                    # reads the first turn too

Options given to the agent (``default_options={"response_format": Verdict, "temperature": 0.2}``,
``tools=[get_weather]``) go with every request; options given to `run` (``options={...}``,
``tools=[...]``) go with that one: its tools are added to the agent's, and the rest win::

    checker = Agent(client, "Detect spam.", default_options={"response_format": DetectionResult})
    verdict = (await checker.run(email)).value          # a DetectionResult

``function_invocation_kwargs={...}`` given to `run` reach the tools that take ``**kwargs`` (a
user's token, say); the model never sees them. ``client_kwargs={...}`` go to the chat client
as options of the request.

That is today's AF. The seed era spelt it ``ChatAgent(chat_client=client, ...)`` or
``client.create_agent(...)``, gave options as keywords (``response_format=Verdict``) and
streamed with ``run_stream``; all of it still works, and makes the same agent.

An agent can be put straight into a workflow graph, ``WorkflowBuilder().add_edge(writer, ...)``:
the builder wraps it in an `AgentExecutor` whose id is the agent's name.
"""

from __future__ import annotations

import contextlib
import inspect
from typing import TYPE_CHECKING, Any, AsyncIterator, Mapping, Sequence

from ..checkpoint.registry import register_checkpoint_type
from ..errors import AgentOptionsError
from .function_calling import CONTEXT_OPTION
from .options import NOT_IN_WFKIT, chat_options, combined_options, merged_options, parse_value
from .sessions import AgentSession, ContextProvider, SessionContext, after_run, before_run, providers_for_run
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
    tools=, default_options=, context_providers=, require_per_service_call_history_persistence=)``.
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
        context_providers: Sequence[ContextProvider] | None = None,
        require_per_service_call_history_persistence: bool = False,
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
        self.context_providers: list[ContextProvider] = _checked_providers(where, context_providers)
        # AF 1.x's flag, which its HandoffBuilder requires; wfkit keeps no service-side history,
        # so it only records it (wfkit's HandoffBuilder asks for it too, so code moves to AF as it is).
        self.require_per_service_call_history_persistence = bool(require_per_service_call_history_persistence)
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

    def create_session(self, *, session_id: str | None = None) -> AgentSession:
        """A new, empty conversation: pass it to ``run(..., session=session)`` to have the agent
        remember each turn (see `sessions`)."""
        return AgentSession(session_id=session_id)

    async def __aenter__(self) -> Agent:
        """``async with agent:`` (as in both eras of AF): the agent, its client opened if it opens."""
        if hasattr(self.client, "__aenter__"):
            await self.client.__aenter__()
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        """At the end of the block, close the client (its HTTP connections), if it can be closed."""
        if hasattr(self.client, "__aexit__"):
            await self.client.__aexit__(*exc_info)
        elif callable(getattr(self.client, "close", None)):
            closing = self.client.close()
            if inspect.isawaitable(closing):  # wfkit's clients close with await, others may not
                await closing

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
        session: AgentSession | None = None,
        tools: Any = None,
        options: Mapping[str, Any] | None = None,
        function_invocation_kwargs: Mapping[str, Any] | None = None,
        client_kwargs: Mapping[str, Any] | None = None,
        **keywords: Any,
    ) -> Any:
        """Answer `messages` (the new messages, or the conversation so far without a session).

        Awaited, it gives an `AgentResponse`; with ``stream=True`` it gives a `ResponseStream` of
        `AgentResponseUpdate`s instead (``async for update in agent.run(..., stream=True)``).
        With a ``response_format``, the parsed answer is the response's ``value``. With a
        `session`, the agent's context providers remember the conversation in it.

        Options for this run go in ``options={...}`` (today's AF) or as keywords (the seed era).
        """
        where = f"agent {self.name or self.id!r}: run(...)"
        if session is not None and not isinstance(session, AgentSession):
            raise AgentOptionsError(
                f"{where}: session= takes an AgentSession (agent.create_session()), got {type(session).__name__}."
            )
        given = combined_options(options, {**keywords, "tools": tools}, where=where)
        for key, value in (client_kwargs or {}).items():
            given.setdefault(key, value)
        if function_invocation_kwargs:
            given[CONTEXT_OPTION] = dict(function_invocation_kwargs)
        more_instructions = given.pop("instructions", None)
        chosen = merged_options(self.default_options, given)
        _register_response_format(chosen)
        run = _Run(self, as_messages(messages), session, chosen, more_instructions)
        if stream:
            response_format = chosen.get("response_format")
            return ResponseStream(
                run.updates(), finalizer=lambda updates: AgentResponse.from_updates(updates, response_format)
            )
        return run.respond()

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
        return AgentResponse(
            messages=response.messages, response_id=response.response_id, value=value, agent_id=self.id
        )

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


class _Run:
    """One run of an agent: its providers before, the model, its providers after.

    Without a session and without context providers this is just the model's answer to the
    instructions and `messages`. With them, the providers add to what the model is sent (a
    history provider, the conversation so far) and see the answer.
    """

    def __init__(
        self, agent: Agent, messages: list[Message], session: AgentSession | None, options: dict[str, Any],
        more_instructions: str | None,
    ) -> None:  # fmt: skip
        self.agent = agent
        self.providers = providers_for_run(agent.context_providers, session)
        # A run with providers but no session gets a session of its own, forgotten afterwards.
        self.session = session if session is not None or not self.providers else AgentSession()
        self.context = SessionContext(
            session_id=self.session.session_id if self.session else None, input_messages=messages, options=options
        )
        self.options = options
        self.more_instructions = more_instructions

    async def _prepare(self) -> tuple[list[Message], dict[str, Any]]:
        if self.session is None:
            return self.agent.conversation_for(self.context.input_messages, self.more_instructions), self.options
        await before_run(self.providers, self.agent, self.session, self.context)
        added = "\n".join(text for text in (self.more_instructions, *self.context.instructions) if text) or None
        options = merged_options(self.options, {"tools": self.context.tools}) if self.context.tools else self.options
        return self.agent.conversation_for(self.context.get_messages(include_input=True), added), options

    async def _finish(self, response: AgentResponse) -> None:
        if self.session is not None:
            self.context.response = response
            await after_run(self.providers, self.agent, self.session, self.context)

    async def respond(self) -> AgentResponse:
        conversation, options = await self._prepare()
        response = await self.agent._respond(conversation, options)
        await self._finish(response)
        return response

    async def updates(self) -> AsyncIterator[AgentResponseUpdate]:
        conversation, options = await self._prepare()
        seen: list[AgentResponseUpdate] = []
        # aclosing: a reader that leaves early closes the model's stream now (see Agent._updates).
        async with contextlib.aclosing(self.agent._updates(conversation, options)) as pieces:
            async for update in pieces:
                seen.append(update)
                yield update
        await self._finish(AgentResponse.from_updates(seen, options.get("response_format")))


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
        context_providers: Sequence[ContextProvider] | None = None,
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
            chat_client, instructions, id=id, name=name, description=description, default_options=options,
            context_providers=context_providers,
        )  # fmt: skip


def _checked_providers(where: str, providers: Sequence[ContextProvider] | None) -> list[ContextProvider]:
    """The agent's context providers, as a list; anything that is not one is refused here, not mid-run."""
    if providers is None:
        return []
    if isinstance(providers, ContextProvider):
        providers = [providers]
    for provider in providers:
        if not isinstance(provider, ContextProvider):
            raise AgentOptionsError(
                f"{where}: context_providers takes ContextProvider objects (InMemoryHistoryProvider(), or your own "
                f"subclass of ContextProvider), got {type(provider).__name__}: {provider!r}."
            )
    return list(providers)


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
