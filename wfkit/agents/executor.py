"""`AgentExecutor`: an agent as a node of a workflow.

Send it what the agent should read; it answers with an `AgentExecutorResponse` on its out-edges::

    writer = AgentExecutor(client.create_agent(instructions="You write release notes."), id="writer")
    ...
    await ctx.send_message(AgentExecutorRequest([ChatMessage(Role.USER, text=prompt)]), target_id="writer")

It keeps the conversation it has had during the run, so a second request (a revision, say)
continues the same conversation. The conversation lives in the executor's workflow state
(`ctx.set_state`), which is why it is saved in checkpoints and restored with them, and why a
new `workflow.run(...)` starts a fresh one.

When the workflow is streamed (``workflow.run_stream``), every piece of the answer is emitted
as an `AgentRunUpdateEvent` while the model writes; the whole answer then follows as an
`AgentRunEvent` (emitted in a plain `run` too).

When the agent stops to ask (may this tool run? what does this client-side tool return? see
`user_input`), the executor turns each question into a request of the workflow: the run pauses
with a ``request_info`` event whose data is the question (a `Content`), and the caller answers
with ``workflow.run(responses={request_id: request.to_function_approval_response(True)})`` (or
``Content.from_function_result(call_id, result=...)``). Once every question of the round is
answered, the agent goes on, and only then sends its answer on.

The keywords the workflow's run was given for its agents (``workflow.run(...,
function_invocation_kwargs=..., client_kwargs=...)``, see `wfkit.core.run_keywords`) go to the
agent's `run` each time it runs: the ones for every agent, then those for this executor's id.

Given a session (``AgentExecutor(agent, session=session)``), the agent keeps the conversation
in the session, as it does outside a workflow: the executor hands it only what is new. Two
executors given one session share one conversation. The session's state is saved in
checkpoints and put back into the session when one is restored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Literal

from ..checkpoint.registry import register_checkpoint_type
from ..core.context import WorkflowContext
from .events import AgentRunEvent, AgentRunUpdateEvent
from ..core.executor import Executor
from ..core.handler import handler, response_handler
from ..errors import RequestResponseError
from .sessions import AgentSession
from .types import (
    AgentRunResponse,
    ChatMessage,
    Content,
    FunctionApprovalRequestContent,
    FunctionApprovalResponseContent,
    FunctionCallContent,
    FunctionResultContent,
    Role,
    _preview,
)

if TYPE_CHECKING:
    from .protocol import AgentProtocol

CONVERSATION_KEY = "conversation"
QUESTIONS_KEY = "questions"  # request id -> the question it asks (see `user_input`)
ANSWERS_KEY = "answers"  # the answers given so far, in the order the questions were asked

ContextMode = Literal["full", "last_agent", "custom"]


@register_checkpoint_type(name="wfkit.AgentExecutorRequest")
@dataclass
class AgentExecutorRequest:
    """Messages for an `AgentExecutor`. With ``should_respond=False`` they are only added to its
    conversation (context for a later request), and the agent does not answer yet."""

    messages: list[ChatMessage] = field(default_factory=list)
    should_respond: bool = True

    def __repr__(self) -> str:
        last = _preview(self.messages[-1].text, 40) if self.messages else "none"
        return f"AgentExecutorRequest(messages={len(self.messages)}, last={last}, should_respond={self.should_respond})"


@register_checkpoint_type(name="wfkit.AgentExecutorResponse")
@dataclass
class AgentExecutorResponse:
    """What an `AgentExecutor` sends on: who answered, the answer, and the whole conversation
    so far (the answer included). The answer's text is ``response.agent_response.text`` (or, in
    the seed era's words, ``response.agent_run_response.text``)."""

    executor_id: str
    agent_run_response: AgentRunResponse
    full_conversation: list[ChatMessage] = field(default_factory=list)

    @property
    def agent_response(self) -> AgentRunResponse:
        """The answer (today's AF name for `agent_run_response`)."""
        return self.agent_run_response

    def __repr__(self) -> str:
        return (
            f"AgentExecutorResponse(executor_id={self.executor_id!r}, "
            f"text={_preview(self.agent_run_response.text, 40)}, conversation={len(self.full_conversation)})"
        )


class AgentExecutor(Executor):
    """Runs `agent` on the messages it receives and sends an `AgentExecutorResponse` on.

    It accepts an `AgentExecutorRequest`, a plain `str` (one USER message), a `ChatMessage`,
    a `list[ChatMessage]`, or another agent's `AgentExecutorResponse` (it then answers that
    agent's conversation). Its id defaults to the agent's name. With
    ``output_response=True`` each answer is also yielded as a workflow output.

    `context_mode` says what it reads of another agent's response: ``"full"`` (the default)
    its whole conversation, ``"last_agent"`` only that agent's answer, ``"custom"`` what
    `context_filter` keeps of the conversation. `session` is described in the module.
    """

    def __init__(
        self,
        agent: AgentProtocol,
        *,
        id: str | None = None,
        output_response: bool = False,
        session: AgentSession | None = None,
        context_mode: ContextMode | None = None,
        context_filter: Callable[[list[ChatMessage]], list[ChatMessage]] | None = None,
    ) -> None:
        executor_id = id or getattr(agent, "name", None) or getattr(agent, "id", None)
        if not executor_id:
            raise ValueError(
                "AgentExecutor needs an id: give the agent a name (create_agent(name='writer')) or "
                "pass AgentExecutor(agent, id='writer')."
            )
        super().__init__(executor_id)
        self.agent = agent
        self.output_response = output_response
        self.session = _checked_session(executor_id, session)
        self.context_mode: ContextMode = _checked_mode(executor_id, context_mode, context_filter)
        self.context_filter = context_filter

    # One handler per accepted shape; each only says what the new messages are.

    @handler
    async def from_request(
        self, request: AgentExecutorRequest, ctx: WorkflowContext[AgentExecutorResponse, AgentRunResponse]
    ) -> None:
        await self.continue_conversation(request.messages, ctx, respond=request.should_respond)

    @handler
    async def from_response(
        self, prior: AgentExecutorResponse, ctx: WorkflowContext[AgentExecutorResponse, AgentRunResponse]
    ) -> None:
        """Answer another agent: ``add_edge(writer, reviewer)`` hands the reviewer the writer's
        whole conversation, and the reviewer answers it."""
        if self.context_mode == "last_agent":
            await self.continue_conversation(list(prior.agent_run_response.messages), ctx)
            return
        if self.context_mode == "custom":
            kept = self.context_filter(list(prior.full_conversation))  # type: ignore[misc]
            await self.continue_conversation(list(kept), ctx)
            return
        conversation = await self.get_conversation(ctx)
        # The prior conversation usually already holds ours (writer -> reviewer -> writer): then
        # it replaces ours, as AF does. Only what it lacks is kept, so nothing is said twice.
        if prior.full_conversation[: len(conversation)] == conversation:
            conversation = []
        await self.continue_conversation(list(prior.full_conversation), ctx, earlier=conversation)

    @handler
    async def from_text(self, text: str, ctx: WorkflowContext[AgentExecutorResponse, AgentRunResponse]) -> None:
        await self.continue_conversation([ChatMessage(Role.USER, text=text)], ctx)

    @handler
    async def from_message(
        self, message: ChatMessage, ctx: WorkflowContext[AgentExecutorResponse, AgentRunResponse]
    ) -> None:
        await self.continue_conversation([message], ctx)

    @handler
    async def from_messages(
        self, messages: list[ChatMessage], ctx: WorkflowContext[AgentExecutorResponse, AgentRunResponse]
    ) -> None:
        await self.continue_conversation(messages, ctx)

    async def continue_conversation(
        self,
        new_messages: list[ChatMessage],
        ctx: WorkflowContext[AgentExecutorResponse, AgentRunResponse],
        *,
        respond: bool = True,
        earlier: list[ChatMessage] | None = None,
    ) -> None:
        """Add `new_messages` to the conversation and, if `respond`, let the agent answer it.

        `earlier`, if given, is the conversation to add them to instead of the one kept so far.
        """
        state = dict(await ctx.get_state() or {})
        conversation = [*(state.get(CONVERSATION_KEY, []) if earlier is None else earlier), *new_messages]
        if not respond:
            await ctx.set_state({**state, CONVERSATION_KEY: conversation})
            return
        # With a session the agent remembers what came before; without one it is told it all.
        response = await self.run_agent(new_messages if self.session is not None else conversation, ctx)
        conversation.extend(response.messages)
        questions = response.user_input_requests
        if questions:
            await ctx.set_state({**state, CONVERSATION_KEY: conversation, **await self._ask(questions, ctx)})
            return
        # State and message belong to one superstep: if the step fails, neither is kept.
        answered = {key: value for key, value in state.items() if key not in (QUESTIONS_KEY, ANSWERS_KEY)}
        await ctx.set_state({**answered, CONVERSATION_KEY: conversation})
        await ctx.add_event(AgentRunEvent(self.id, response))
        await ctx.send_message(AgentExecutorResponse(self.id, response, list(conversation)))
        if self.output_response or ctx.is_named_for_output:
            await ctx.yield_output(response)

    async def _ask(self, questions: list[Content], ctx: WorkflowContext[Any, Any]) -> dict[str, Any]:
        """Make a workflow request of each question; the state that remembers them."""
        asked: dict[str, Content] = {}
        for question in questions:
            # An approval request has an id of its own (unique: see user_input); a call to a
            # client-side tool gets a fresh request id, as its call_id may be another agent's too.
            wanted = question.id if isinstance(question, FunctionApprovalRequestContent) else None
            asked[await ctx.request_info(question, Content, request_id=wanted)] = question
        return {QUESTIONS_KEY: asked, ANSWERS_KEY: []}

    @response_handler
    async def take_answer(
        self, question: Content, answer: Content, ctx: WorkflowContext[AgentExecutorResponse, AgentRunResponse]
    ) -> None:
        """An answer to one of the agent's questions; once all are answered, the agent goes on."""
        state = dict(await ctx.get_state() or {})
        asked: dict[str, Content] = dict(state.get(QUESTIONS_KEY, {}))
        request_id = next((rid for rid, q in asked.items() if q == question), None)
        if request_id is None:
            raise RequestResponseError(
                f"Agent executor '{self.id}' got an answer to a question it is not waiting on: {question!r}."
            )
        _check_answer(self.id, request_id, question, answer)
        del asked[request_id]
        answers = [*state.get(ANSWERS_KEY, []), answer]
        await ctx.set_state({**state, QUESTIONS_KEY: asked, ANSWERS_KEY: answers})
        if not asked:
            await self.continue_conversation(_answer_messages(answers), ctx)

    async def run_agent(self, conversation: list[ChatMessage], ctx: WorkflowContext[Any, Any]) -> AgentRunResponse:
        """The agent's answer to `conversation`, streamed as events when the run is streamed."""
        extra: dict[str, Any] = {"session": self.session} if self.session is not None else {}
        # The run's keywords for this agent: only those given, so an agent of your own whose
        # `run` takes neither keyword still runs in a workflow run given none.
        extra.update(self.run_kwargs(ctx))
        if not ctx.is_streaming:
            return await self.agent.run(conversation, **extra)
        updates = []
        pieces = self.agent.run(conversation, stream=True, **extra) if extra else self.agent.run_stream(conversation)
        async for update in pieces:
            updates.append(update)
            await ctx.add_event(AgentRunUpdateEvent(self.id, update))
        return AgentRunResponse.from_updates(updates, getattr(self.agent, "response_format", None))

    def run_kwargs(self, ctx: WorkflowContext[Any, Any]) -> dict[str, dict[str, Any]]:
        """What this executor's agent gets of the run's keywords (``workflow.run(...,
        function_invocation_kwargs=..., client_kwargs=...)``): the ones for every agent, then
        its own by this executor's id, as keywords of the agent's `run`. A keyword with nothing
        for this agent is left out, as one not given at all."""
        shares = {name: given.for_executor(self.id) for name, given in ctx.run_kwargs.items()}
        return {name: share for name, share in shares.items() if share}

    async def snapshot_state(self) -> dict[str, Any] | None:
        """The session's state, when the executor has one (its conversation lives there)."""
        return {"session": self.session.to_dict()} if self.session is not None else None

    async def restore_state(self, state: dict[str, Any]) -> None:
        """Put the session's state back as the checkpoint saved it."""
        if self.session is not None and "session" in state:
            self.session.state = AgentSession.from_dict(state["session"]).state

    async def get_conversation(self, ctx: WorkflowContext[Any, Any]) -> list[ChatMessage]:
        """The conversation so far (for subclasses that want to look at it)."""
        return list((await ctx.get_state() or {}).get(CONVERSATION_KEY, []))


def _answer_messages(answers: list[Content]) -> list[ChatMessage]:
    """The caller's answers as the agent reads them: results in TOOL messages, approvals in USER
    messages, one message per run of answers of the same kind."""
    messages: list[ChatMessage] = []
    for answer in answers:
        role = Role.TOOL if isinstance(answer, FunctionResultContent) else Role.USER
        if messages and messages[-1].role == role:
            messages[-1].contents.append(answer)
        else:
            messages.append(ChatMessage(role, [answer]))
    return messages


def _check_answer(executor_id: str, request_id: str, question: Content, answer: Content) -> None:
    """Refuse an answer that does not answer `question`, saying what would."""
    if isinstance(question, FunctionApprovalRequestContent):
        if isinstance(answer, FunctionApprovalResponseContent) and answer.id == question.id:
            return
        expected = "request.to_function_approval_response(approved=True) (or False), made from the request's data"
    elif isinstance(question, FunctionCallContent):
        if isinstance(answer, FunctionResultContent) and answer.call_id == question.call_id:
            return
        expected = f"Content.from_function_result({question.call_id!r}, result=...) with the tool's result"
    else:  # pragma: no cover - the agent only asks these two kinds
        return
    raise RequestResponseError(
        f"Request '{request_id}' of agent executor '{executor_id}' asks about {question!r}, but the answer is "
        f"{answer!r}. Answer it with {expected}."
    )


def _checked_session(executor_id: str, session: Any) -> AgentSession | None:
    if session is not None and not isinstance(session, AgentSession):
        raise TypeError(
            f"AgentExecutor '{executor_id}': session= takes an AgentSession (agent.create_session()), "
            f"got {type(session).__name__}."
        )
    return session


def _checked_mode(executor_id: str, mode: Any, context_filter: Any) -> ContextMode:
    mode = mode or "full"
    if mode not in ("full", "last_agent", "custom"):
        raise ValueError(
            f"AgentExecutor '{executor_id}': context_mode is 'full', 'last_agent' or 'custom', got {mode!r}."
        )
    if mode == "custom" and context_filter is None:
        raise ValueError(
            f"AgentExecutor '{executor_id}': context_mode='custom' needs context_filter=, a function from the "
            "conversation (list of messages) to the messages the agent should read."
        )
    return mode


def agent_executor_for(agent: AgentProtocol, *, id: str | None, output_response: bool) -> AgentExecutor:
    """The executor `WorkflowBuilder.add_agent` adds for `agent`. An agent that can remember it
    (a `ChatAgent`) stands for it in later edges, so ``add_edge(agent, ...)`` means this executor."""
    executor = AgentExecutor(agent, id=id, output_response=output_response)
    remember = getattr(agent, "_remember_workflow_executor", None)
    if remember is not None:
        remember(executor)
    return executor

