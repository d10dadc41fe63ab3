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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..checkpoint.registry import register_checkpoint_type
from ..core.context import WorkflowContext
from .events import AgentRunEvent, AgentRunUpdateEvent
from ..core.executor import Executor
from ..core.handler import handler
from .types import AgentRunResponse, ChatMessage, Role, _preview

if TYPE_CHECKING:
    from .protocol import AgentProtocol

CONVERSATION_KEY = "conversation"


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
    """

    def __init__(self, agent: AgentProtocol, *, id: str | None = None, output_response: bool = False) -> None:
        executor_id = id or getattr(agent, "name", None) or getattr(agent, "id", None)
        if not executor_id:
            raise ValueError(
                "AgentExecutor needs an id: give the agent a name (create_agent(name='writer')) or "
                "pass AgentExecutor(agent, id='writer')."
            )
        super().__init__(executor_id)
        self.agent = agent
        self.output_response = output_response

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
        response = await self.run_agent(conversation, ctx)
        conversation.extend(response.messages)
        # State and message belong to one superstep: if the step fails, neither is kept.
        await ctx.set_state({**state, CONVERSATION_KEY: conversation})
        await ctx.add_event(AgentRunEvent(self.id, response))
        await ctx.send_message(AgentExecutorResponse(self.id, response, list(conversation)))
        if self.output_response or ctx.is_named_for_output:
            await ctx.yield_output(response)

    async def run_agent(self, conversation: list[ChatMessage], ctx: WorkflowContext[Any, Any]) -> AgentRunResponse:
        """The agent's answer to `conversation`, streamed as events when the run is streamed."""
        if not ctx.is_streaming:
            return await self.agent.run(conversation)
        updates = []
        async for update in self.agent.run_stream(conversation):
            updates.append(update)
            await ctx.add_event(AgentRunUpdateEvent(self.id, update))
        return AgentRunResponse.from_updates(updates, getattr(self.agent, "response_format", None))

    async def get_conversation(self, ctx: WorkflowContext[Any, Any]) -> list[ChatMessage]:
        """The conversation so far (for subclasses that want to look at it)."""
        return list((await ctx.get_state() or {}).get(CONVERSATION_KEY, []))


def agent_executor_for(agent: AgentProtocol, *, id: str | None, output_response: bool) -> AgentExecutor:
    """The executor `WorkflowBuilder.add_agent` adds for `agent`. An agent that can remember it
    (a `ChatAgent`) stands for it in later edges, so ``add_edge(agent, ...)`` means this executor."""
    executor = AgentExecutor(agent, id=id, output_response=output_response)
    remember = getattr(agent, "_remember_workflow_executor", None)
    if remember is not None:
        remember(executor)
    return executor

