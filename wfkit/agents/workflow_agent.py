"""`WorkflowAgent`: a whole workflow behind the same `run(messages)` an agent has.

Anything that talks to agents can then talk to a workflow. When the workflow pauses for outside
input, the agent's answer holds a function call named `REQUEST_INFO_FUNCTION_NAME` whose
`call_id` is the request id; reply with a TOOL message carrying a `FunctionResultContent` for
that call id, and the workflow continues::

    agent = workflow.as_agent()
    response = await agent.run("Why learn to code?")
    call = next(c for m in response.messages for c in m.contents if isinstance(c, FunctionCallContent))
    args = WorkflowAgent.RequestInfoFunctionArgs.from_dict(call.arguments)
    response = await agent.run(Message("tool", [Content.from_function_result(call.call_id, result=answer)]))

With a session (``session = agent.create_session()``, ``agent.run(..., session=session)``) the
agent remembers the conversation as any agent does (see `sessions`): each run starts the
workflow with the turns so far plus the new message, so its agents read them all.
``checkpoint_storage=`` saves the workflow's checkpoints there for this run.

``function_invocation_kwargs=`` and ``client_kwargs=`` go to the workflow's run, which hands
them to the agents inside it (for every agent, or per agent by executor id: see
`wfkit.core.run_keywords`), and an answer to the workflow's request keeps them unless it gives
new ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, AsyncIterator, Mapping, Sequence

from ..checkpoint.codec import decode_value, encode_value
from ..core.events import RequestInfoEvent, WorkflowEvent
from ..core.run import failed_run_error
from ..core.run_keywords import WorkflowInvocationKwargs
from ..core.workflow import Workflow
from ..errors import AgentOptionsError, RequestResponseError, WorkflowFailedError
from .sessions import AgentSession, ContextProvider, SessionContext, after_run, before_run, providers_for_run
from .stream import ResponseStream
from .types import (
    AgentResponse,
    AgentResponseUpdate,
    FunctionCallContent,
    FunctionResultContent,
    Message,
    Role,
    TextContent,
    as_messages,
)


class WorkflowAgent:
    """A workflow used as an agent (see `Workflow.as_agent`)."""

    REQUEST_INFO_FUNCTION_NAME = "request_info"

    @dataclass
    class RequestInfoFunctionArgs:
        """The arguments of a request-info function call: the request id and the request itself
        (`data`, the seed era's spelling; today's AF reads it as ``request_event.data``)."""

        request_id: str
        data: Any
        request_event: Any = None

        def __post_init__(self) -> None:
            if self.request_event is None:
                self.request_event = RequestInfoEvent(self.request_id, "", type(self.data), self.data, object)

        def to_dict(self) -> dict[str, Any]:
            """As a dict holding the request object itself (and the event that asked it)."""
            return {"request_id": self.request_id, "data": self.data, "request_event": self.request_event}

        def to_json(self) -> str:
            """As JSON text; the request object is written with wfkit's safe checkpoint codec."""
            return json.dumps({"request_id": self.request_id, "data": encode_value(self.data)})

        @classmethod
        def from_dict(cls, arguments: Mapping[str, Any]) -> WorkflowAgent.RequestInfoFunctionArgs:
            """Read the arguments of a function call: a dict as `run` returns them (holding the
            request object itself), or one parsed from the JSON `to_json` wrote."""
            event = arguments.get("request_event")
            data = arguments["data"] if "data" in arguments else getattr(event, "data", None)
            if _is_json_data(data):
                data = decode_value(data)  # came through JSON: rebuild the request object
            return cls(str(arguments["request_id"]), data, event if isinstance(event, RequestInfoEvent) else None)

        @classmethod
        def from_json(cls, text: str) -> WorkflowAgent.RequestInfoFunctionArgs:
            """Read arguments that arrived as JSON text."""
            return cls.from_dict(json.loads(text))

    def __init__(
        self,
        workflow: Workflow,
        name: str | None = None,
        description: str | None = None,
        *,
        context_providers: list[ContextProvider] | None = None,
    ) -> None:
        self.workflow = workflow
        self.name = name or workflow.name or "workflow_agent"
        self.id = self.name
        self.description = description or workflow.description
        self.context_providers: list[ContextProvider] = list(context_providers or [])

    def create_session(self, *, session_id: str | None = None) -> AgentSession:
        """A new, empty conversation with this workflow (see `sessions`)."""
        return AgentSession(session_id=session_id)

    def __repr__(self) -> str:
        return f"WorkflowAgent(name={self.name!r}, workflow={self.workflow!r})"

    def run(
        self,
        messages: Any = None,
        *,
        stream: bool = False,
        session: AgentSession | None = None,
        checkpoint_id: str | None = None,
        checkpoint_storage: Any = None,
        function_invocation_kwargs: Mapping[str, Any] | WorkflowInvocationKwargs | None = None,
        client_kwargs: Mapping[str, Any] | WorkflowInvocationKwargs | None = None,
        **unexpected: Any,
    ) -> Any:
        """Start the workflow with `messages`, or answer its pending requests with TOOL messages.

        Awaited, it gives what the workflow said (an `AgentResponse`), with a function call for
        every request it is waiting on; with ``stream=True`` it gives a `ResponseStream` of the
        pieces as the workflow produces them. Raises `WorkflowFailedError` if the workflow fails
        (a stream, after its last piece). `session`, `checkpoint_id`, `checkpoint_storage` and
        the run keywords are described in the module.
        """
        _refuse_unexpected(self.name, unexpected)
        if session is not None and not isinstance(session, AgentSession):
            raise AgentOptionsError(
                f"workflow agent {self.name!r}: session= takes an AgentSession (agent.create_session()), got "
                f"{type(session).__name__}."
            )
        keywords = {"function_invocation_kwargs": function_invocation_kwargs, "client_kwargs": client_kwargs}
        turn = _Turn(self, as_messages(messages), session, checkpoint_id, checkpoint_storage, keywords)
        if stream:
            return ResponseStream(turn.updates(), finalizer=self._response_of)
        return turn.respond()

    def run_stream(self, messages: Any = None, **options: Any) -> ResponseStream[AgentResponseUpdate, AgentResponse]:
        """The seed era's way to stream: the same as ``run(messages, stream=True)``."""
        return self.run(messages, stream=True, **options)

    def _response_of(self, updates: Sequence[AgentResponseUpdate]) -> AgentResponse:
        return AgentResponse(messages=_merge(updates), agent_id=self.id)

    async def _updates(
        self,
        incoming: list[Message],
        checkpoint_id: str | None = None,
        checkpoint_storage: Any = None,
        keywords: Mapping[str, Any] | None = None,
    ) -> AsyncIterator[AgentResponseUpdate]:
        answers = {
            content.call_id: content.result
            for message in incoming
            if message.role is Role.TOOL
            for content in message.contents
            if isinstance(content, FunctionResultContent)
        }
        if answers:
            unknown = sorted(set(answers) - set(self.workflow.pending_requests))
            if unknown:
                raise RequestResponseError(
                    f"No pending request has call id {unknown}; pending: {sorted(self.workflow.pending_requests)}."
                )
            events = self.workflow.run(responses=answers, stream=True, **(keywords or {}))
        elif checkpoint_id is not None:
            events = self.workflow.run(
                checkpoint_id=checkpoint_id, checkpoint_storage=checkpoint_storage, stream=True, **(keywords or {})
            )
        else:
            start = self._start_message(incoming)
            events = self.workflow.run(start, checkpoint_storage=checkpoint_storage, stream=True, **(keywords or {}))
        seen: list[WorkflowEvent] = []
        agents_spoke = False
        try:
            async for event in events:
                seen.append(event)
                agents_spoke = agents_spoke or event.type == "agent_run_update"
                update = self._update_for(event, agents_spoke)
                if update is not None:
                    yield update
        except WorkflowFailedError:
            pass  # raised again below, in words that name this agent
        # A stream ends with the failure as an event, but an agent's caller only reads the answer:
        # without raising, a failed run would look like an empty reply.
        failure = failed_run_error(seen)
        if failure is not None:
            workflow = f"workflow '{self.workflow.name}'" if self.workflow.name else "workflow"
            raise WorkflowFailedError(
                failure.details,
                seen,
                f"The {workflow} behind agent '{self.name}' failed: {failure.details!r} (the exception itself "
                "is error.__cause__, its traceback also in error.details.traceback, every event of the run "
                "in error.events)",
            ) from failure.cause

    def _start_message(self, messages: list[Message]) -> Any:
        start = self.workflow.start_executor
        for candidate in (messages, messages[-1] if messages else None, " ".join(m.text for m in messages)):
            if candidate is not None and start.can_handle(candidate):
                return candidate
        raise TypeError(
            f"The workflow's start executor '{start.id}' takes {start.describe_inputs()}, not chat messages or "
            "text, so it cannot be run as an agent."
        )

    def _update_for(self, event: WorkflowEvent, agents_spoke: bool) -> AgentResponseUpdate | None:
        """What the caller hears of `event`: the agents' own words, the workflow's questions, and its
        outputs, unless its agents already spoke. An output gathered from the agents' answers would
        say the same words twice. (The seed era's WorkflowAgent hears only the agents, today's AF
        only the outputs; for a workflow of agents both give each reply once, and so does this.)"""
        match event.type:
            case "agent_run_update" if isinstance(event.data, AgentResponseUpdate):
                return event.data
            case "request_info":
                call = FunctionCallContent(
                    call_id=event.request_id,
                    name=self.REQUEST_INFO_FUNCTION_NAME,
                    arguments=self.RequestInfoFunctionArgs(event.request_id, event.data, event).to_dict(),
                )
                return AgentResponseUpdate(contents=[call], role=Role.ASSISTANT, author_name=self.name)
            case "output" if not agents_spoke or self._speaks_last(event):
                return AgentResponseUpdate(contents=_contents_of(event.data), role=Role.ASSISTANT, author_name=self.name)
        return None

    def _speaks_last(self, event: WorkflowEvent) -> bool:
        """True for the output of an executor that has the last word after the agents (a group
        chat's or a Magentic team's orchestrator: ``closes_the_conversation = True``): its
        output is not the agents' words again, so the caller hears it too."""
        try:
            executor = self.workflow.get_executor(getattr(event, "executor_id", ""))
        except KeyError:  # an inner workflow's executor: not one of this workflow's nodes
            return False
        return bool(getattr(executor, "closes_the_conversation", False))

    def _as_workflow_executor(self, default_id: str | None) -> Any:
        from .executor import AgentExecutor

        return AgentExecutor(self, id=default_id or self.name)


class _Turn:
    """One run of a workflow agent: its providers before (with a session, the conversation so far
    is put before the new messages), the workflow, its providers after."""

    def __init__(
        self, agent: WorkflowAgent, messages: list[Message], session: AgentSession | None,
        checkpoint_id: str | None, checkpoint_storage: Any, keywords: Mapping[str, Any],
    ) -> None:  # fmt: skip
        self.agent = agent
        self.providers = providers_for_run(agent.context_providers, session)
        self.session = session if session is not None or not self.providers else AgentSession()
        session_id = self.session.session_id if self.session else None
        self.context = SessionContext(session_id=session_id, input_messages=messages)
        self.checkpoint = (checkpoint_id, checkpoint_storage)
        self.keywords = keywords  # the run keywords, for the workflow's run

    async def updates(self) -> AsyncIterator[AgentResponseUpdate]:
        incoming = self.context.input_messages
        if self.session is not None and not _answers_requests(incoming):
            await before_run(self.providers, self.agent, self.session, self.context)
            incoming = self.context.get_messages(include_input=True)
        seen: list[AgentResponseUpdate] = []
        async for update in self.agent._updates(incoming, *self.checkpoint, self.keywords):
            seen.append(update)
            yield update
        if self.session is not None:
            self.context.response = self.agent._response_of(seen)
            await after_run(self.providers, self.agent, self.session, self.context)

    async def respond(self) -> AgentResponse:
        return self.agent._response_of([update async for update in self.updates()])


def _answers_requests(messages: list[Message]) -> bool:
    return any(m.role is Role.TOOL and any(isinstance(c, FunctionResultContent) for c in m.contents) for m in messages)


def _refuse_unexpected(name: str, unexpected: dict[str, Any]) -> None:
    """Say so, rather than ignore, when a workflow agent is given what it cannot pass on."""
    if not unexpected:
        return
    keys = ", ".join(f"{key}=" for key in unexpected)
    raise AgentOptionsError(
        f"workflow agent {name!r}: run() got {keys}, which it does not take. It takes messages, stream=, "
        "session=, checkpoint_id=, checkpoint_storage=, function_invocation_kwargs= and client_kwargs=."
    )


def _is_json_data(value: Any) -> bool:
    """Whether `value` is made only of what `json.loads` returns. Anything else (a dataclass, a
    tuple) is a live request object that never went through JSON, so there is nothing to decode."""
    if value is None or type(value) in (bool, int, float, str):
        return True
    if type(value) is list:
        return all(_is_json_data(item) for item in value)
    if type(value) is dict:
        return all(type(key) is str and _is_json_data(item) for key, item in value.items())
    return False


def _contents_of(output: Any) -> list[Any]:
    if isinstance(output, AgentResponse):
        return [c for m in output.messages for c in m.contents]
    if isinstance(output, Message):
        return list(output.contents)
    if isinstance(output, list) and all(isinstance(m, Message) for m in output):
        # A conversation output repeats what the caller said: answer with the replies only.
        return [c for m in output if m.role is not Role.USER for c in m.contents]
    return [TextContent(output if isinstance(output, str) else str(output))]


def _merge(updates: Sequence[AgentResponseUpdate]) -> list[Message]:
    """The messages the updates make: the streamed pieces of one agent's answer (text with the
    same ``response_id`` and author) become one message again; anything else (a function call,
    a workflow output) stays a message of its own."""
    messages: list[Message] = []
    pieces_of: list[str | None] = []  # per message: the response id its pieces share, if any
    for update in updates:
        if not update.contents:
            continue
        is_piece = update.response_id is not None and all(isinstance(c, TextContent) for c in update.contents)
        last = messages[-1] if messages else None
        if is_piece and last is not None and (pieces_of[-1], last.author_name) == (update.response_id, update.author_name):
            last.contents[-1] = TextContent(last.contents[-1].text + update.text)
            continue
        contents = [TextContent(update.text)] if is_piece else list(update.contents)
        messages.append(Message(update.role or Role.ASSISTANT, contents, author_name=update.author_name))
        pieces_of.append(update.response_id if is_piece else None)
    return messages
