"""Sessions and context providers: how an agent remembers a conversation between runs.

An agent on its own remembers nothing: each `run` answers the messages it is given. Give it a
session and it keeps the conversation there, run after run::

    session = agent.create_session()
    await agent.run("My name is Alex.", session=session)
    await agent.run("What is my name?", session=session)     # the agent reads the first turn too

What "keeps" means is up to the agent's context providers. A `ContextProvider` is called
around every run: `before_run` may add messages, instructions or tools to what the model is
sent, and `after_run` may look at the answer. A `HistoryProvider` is the provider that does the
remembering: it loads the stored conversation before the run and stores the new messages after.
`InMemoryHistoryProvider` stores them in the session itself, in
``session.state["in_memory"]["messages"]``::

    agent = Agent(client, "You are helpful.", context_providers=[InMemoryHistoryProvider()])

An agent run with a session but without a history provider gets an `InMemoryHistoryProvider`
for that run, so ``run(..., session=session)`` always remembers (as in AF 1.x).

A session is plain data (an id and a `state` dict), so it can be saved and read back
(`AgentSession.to_dict`, `AgentSession.from_dict`), and two agents given the same session share
one conversation. Each provider has its own part of ``session.state``, under its `source_id`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from .types import AgentResponse, Message

if TYPE_CHECKING:
    from .tools import FunctionTool


class AgentSession:
    """One conversation with one or more agents: an id and the `state` its providers keep.

    >>> session = AgentSession()
    >>> session.state
    {}
    """

    def __init__(self, *, session_id: str | None = None, service_session_id: str | None = None) -> None:
        self.session_id = session_id or str(uuid.uuid4())
        self.service_session_id = service_session_id  # kept for AF's shape; wfkit's models keep no history themselves
        self.state: dict[str, Any] = {}

    def to_dict(self) -> dict[str, Any]:
        """The session as plain JSON-safe data (messages included), to store and read back with
        `from_dict`. Values are written with the checkpoint codec, so the same types work."""
        from ..checkpoint.codec import encode_value  # the codec is not needed until a session is saved

        return {
            "type": "session",
            "session_id": self.session_id,
            "service_session_id": self.service_session_id,
            "state": encode_value(self.state, where=f"session {self.session_id!r}"),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AgentSession:
        """The session `to_dict` wrote."""
        from ..checkpoint.codec import decode_value

        session = cls(session_id=data["session_id"], service_session_id=data.get("service_session_id"))
        session.state = decode_value(data.get("state") or {}, where=f"session {data['session_id']!r}")
        return session

    def __repr__(self) -> str:
        return f"AgentSession(session_id={self.session_id!r}, state keys={sorted(self.state)})"


class SessionContext:
    """What one run is made of, as the providers see it: the caller's `input_messages`, what each
    provider added (`context_messages` by source id, `instructions`, `tools`), the `options`
    of the run, and, once the agent has answered, its `response`."""

    def __init__(
        self,
        *,
        session_id: str | None = None,
        input_messages: list[Message],
        options: dict[str, Any] | None = None,
    ) -> None:
        self.session_id = session_id
        self.input_messages = input_messages
        self.context_messages: dict[str, list[Message]] = {}
        self.instructions: list[str] = []
        self.tools: list[FunctionTool | Any] = []
        self.options: dict[str, Any] = dict(options or {})
        self.metadata: dict[str, Any] = {}
        self.response: AgentResponse | None = None

    def extend_messages(self, source: str | ContextProvider, messages: Sequence[Message]) -> None:
        """Add `messages` from `source` (a provider, or its source id) before the input."""
        source_id = source if isinstance(source, str) else source.source_id
        self.context_messages.setdefault(source_id, []).extend(messages)

    def extend_instructions(self, source_id: str, instructions: str | Sequence[str]) -> None:
        """Add instructions for this run, after the agent's own."""
        self.instructions.extend([instructions] if isinstance(instructions, str) else instructions)

    def extend_tools(self, source_id: str, tools: Sequence[Any]) -> None:
        """Add tools for this run, beside the agent's own."""
        self.tools.extend(tools)

    def get_messages(
        self,
        *,
        sources: set[str] | None = None,
        exclude_sources: set[str] | None = None,
        include_input: bool = False,
        include_response: bool = False,
    ) -> list[Message]:
        """The providers' messages in the order the providers ran (only `sources`, or all but
        `exclude_sources`), then the input and the response if asked for."""
        messages = [
            message
            for source_id, added in self.context_messages.items()
            if (sources is None or source_id in sources) and source_id not in (exclude_sources or set())
            for message in added
        ]
        if include_input:
            messages += self.input_messages
        if include_response and self.response is not None:
            messages += self.response.messages
        return messages


class ContextProvider:
    """Called around every run of an agent that has it (``Agent(..., context_providers=[...])``).

    Subclass it and override `before_run` (add to the `SessionContext`) and/or `after_run`
    (read ``context.response``). `state` is this provider's own part of the session's state.
    """

    def __init__(self, source_id: str) -> None:
        self.source_id = source_id

    async def before_run(
        self, *, agent: Any, session: AgentSession, context: SessionContext, state: dict[str, Any]
    ) -> None:
        """Before the model is asked: add messages, instructions or tools to `context`."""

    async def after_run(
        self, *, agent: Any, session: AgentSession, context: SessionContext, state: dict[str, Any]
    ) -> None:
        """After the agent answered (``context.response``)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(source_id={self.source_id!r})"


class HistoryProvider(ContextProvider):
    """A provider that remembers the conversation: it loads the stored messages before a run
    (unless ``load_messages=False``) and stores the run's input and answer after it.

    Subclasses say where messages live, in `get_messages` and `save_messages`. The flags choose
    what is stored: the input (`store_inputs`), the answer (`store_outputs`), and what other
    providers added (`store_context_messages`, only from `store_context_from` if given).
    """

    def __init__(
        self,
        source_id: str,
        *,
        load_messages: bool = True,
        store_inputs: bool = True,
        store_context_messages: bool = False,
        store_context_from: set[str] | None = None,
        store_outputs: bool = True,
    ) -> None:
        super().__init__(source_id)
        self.load_messages = load_messages
        self.store_inputs = store_inputs
        self.store_context_messages = store_context_messages
        self.store_context_from = store_context_from
        self.store_outputs = store_outputs

    async def get_messages(
        self, session_id: str | None, *, state: dict[str, Any] | None = None, **kwargs: Any
    ) -> list[Message]:
        """The stored conversation of session `session_id`."""
        raise NotImplementedError(f"{type(self).__name__} must implement get_messages(session_id, state=...).")

    async def save_messages(
        self, session_id: str | None, messages: Sequence[Message], *, state: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        """Store `messages` after the conversation of session `session_id`."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement save_messages(session_id, messages, state=...)."
        )

    async def before_run(
        self, *, agent: Any, session: AgentSession, context: SessionContext, state: dict[str, Any]
    ) -> None:
        """Put the stored conversation before the input."""
        context.extend_messages(self, await self.get_messages(context.session_id, state=state))

    async def after_run(
        self, *, agent: Any, session: AgentSession, context: SessionContext, state: dict[str, Any]
    ) -> None:
        """Store what the flags say: other providers' messages, the input, the answer."""
        to_store: list[Message] = []
        if self.store_context_messages:
            if self.store_context_from is not None:
                to_store += context.get_messages(sources=self.store_context_from)
            else:
                to_store += context.get_messages(exclude_sources={self.source_id})
        if self.store_inputs:
            to_store += context.input_messages
        if self.store_outputs and context.response is not None:
            to_store += context.response.messages
        if to_store:
            await self.save_messages(context.session_id, to_store, state=state)


class InMemoryHistoryProvider(HistoryProvider):
    """Keeps the conversation in the session itself: ``session.state[source_id]["messages"]``
    (``source_id`` is ``"in_memory"`` unless you name another), so it travels with the session."""

    DEFAULT_SOURCE_ID: ClassVar[str] = "in_memory"

    def __init__(
        self,
        source_id: str | None = None,
        *,
        load_messages: bool = True,
        store_inputs: bool = True,
        store_context_messages: bool = False,
        store_context_from: set[str] | None = None,
        store_outputs: bool = True,
    ) -> None:
        super().__init__(
            source_id or self.DEFAULT_SOURCE_ID,
            load_messages=load_messages,
            store_inputs=store_inputs,
            store_context_messages=store_context_messages,
            store_context_from=store_context_from,
            store_outputs=store_outputs,
        )

    async def get_messages(
        self, session_id: str | None, *, state: dict[str, Any] | None = None, **kwargs: Any
    ) -> list[Message]:
        """The messages kept in `state`."""
        return list((state or {}).get("messages", []))

    async def save_messages(
        self, session_id: str | None, messages: Sequence[Message], *, state: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        """Add the messages that are new to those kept in `state`."""
        if state is None:
            return
        kept = state.get("messages", [])
        state["messages"] = [*kept, *new_messages(kept, messages)]


def new_messages(kept: Sequence[Message], incoming: Sequence[Message]) -> list[Message]:
    """The part of `incoming` that `kept` does not already end with.

    A caller may hand an agent the whole conversation again (a workflow passing an agent the
    conversation so far does); storing it again would say everything twice. So when `incoming`
    starts with the last messages kept, only what follows them is new. One repeated user
    message alone is not taken for a replay: people do say "yes" twice.
    """
    for overlap in range(min(len(kept), len(incoming)), 0, -1):
        if list(kept[-overlap:]) != list(incoming[:overlap]):
            continue
        if overlap == 1 and incoming[0].role == "user":
            continue
        return list(incoming[overlap:])
    return list(incoming)


def history_providers(providers: Sequence[ContextProvider]) -> list[HistoryProvider]:
    """The providers among `providers` that load a stored conversation."""
    return [p for p in providers if isinstance(p, HistoryProvider) and p.load_messages]


def providers_for_run(providers: Sequence[ContextProvider], session: AgentSession | None) -> list[ContextProvider]:
    """The providers a run uses: the agent's own, plus an `InMemoryHistoryProvider` when the run
    has a session but nothing that would remember the conversation in it."""
    if session is not None and not history_providers(providers):
        return [InMemoryHistoryProvider(), *providers]
    return list(providers)


async def before_run(
    providers: Sequence[ContextProvider], agent: Any, session: AgentSession, context: SessionContext
) -> None:
    """Let each provider add to `context`, in order (a history provider with
    ``load_messages=False`` only stores, so it is not asked)."""
    for provider in providers:
        if isinstance(provider, HistoryProvider) and not provider.load_messages:
            continue
        await provider.before_run(
            agent=agent, session=session, context=context, state=session.state.setdefault(provider.source_id, {})
        )


async def after_run(
    providers: Sequence[ContextProvider], agent: Any, session: AgentSession, context: SessionContext
) -> None:
    """Let each provider see the answer, in reverse order (the first provider has the last word)."""
    for provider in reversed(providers):
        await provider.after_run(
            agent=agent, session=session, context=context, state=session.state.setdefault(provider.source_id, {})
        )
