"""`HandoffAgentExecutor`: one agent of a handoff workflow, as a node of the graph.

It runs its agent on the conversation so far, with a ``handoff_to_<name>`` tool for each
participant it may hand off to (see `handoff_tools`). What happens next depends on the answer:

1. **A handoff.** The agent called ``handoff_to_refund_agent``: the executor answers that call
   itself, emits a ``"handoff_sent"`` event, and sends a `Handoff` (the conversation without tool
   calls) along its edge to ``refund_agent``, which answers next.
2. **A question for the caller.** The agent called a tool that needs approval (or that only the
   caller can run): each question becomes a request of the workflow, as in `AgentExecutor`; once
   all are answered, the agent goes on.
3. **A plain answer.** The agent spoke to the user without handing off. Today's AF: the
   executor asks the user for the next message (a `HandoffAgentUserRequest`), unless the
   termination condition says the conversation is over, or autonomous mode lets the agent go on
   by itself. The late-2025 previews: the answer goes to the "handoff-user-input" node, which
   asks the user (see `handoff_user_input`).

The conversation lives in the executor's state (``ctx.set_state``), so a checkpoint taken while
the workflow waits for the user, or for an approval, resumes exactly there.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from ..agents.events import AgentRunEvent, AgentRunUpdateEvent
from ..agents.executor import _answer_messages, _check_answer
from ..agents.types import (
    AgentResponse,
    AgentResponseUpdate,
    Content,
    FunctionApprovalRequestContent,
    FunctionResultContent,
    Message,
    Role,
    as_messages,
)
from ..core.context import WorkflowContext
from ..core.events import WorkflowEvent
from ..core.executor import Executor
from ..core.handler import handler, response_handler
from ..errors import RequestResponseError
from .handoff_requests import (
    Handoff,
    HandoffAgentUserRequest,
    HandoffSentEvent,
    user_messages,
    without_tool_calls,
)
from .handoff_tools import HANDOFF_RESULT_KEY, HandoffTool, requested_handoff
from .sequential import Prompt

TerminationCondition = Callable[[list[Message]], bool | Awaitable[bool]]

AUTONOMOUS_PROMPT = "User did not respond. Continue assisting autonomously."
AUTONOMOUS_TURN_LIMIT = 50  # AF 1.x's default: turns an agent may take alone before asking the user

# The executor's state (ctx.get_state()).
CONVERSATION = "conversation"  # what this agent has read and said, its own tool calls included
QUESTIONS = "questions"  # request id -> the approval question it asks
ANSWERS = "answers"  # the approvals given so far
AUTONOMOUS_TURNS = "autonomous_turns"

Outputs = AgentResponse | AgentResponseUpdate


class HandoffAgentExecutor(Executor):
    """Runs `agent` with handoff tools for `handoffs`, and routes its answer (see the module).

    `today` chooses the era: True for AF 1.x (each answer is an output; the executor asks the
    user itself), False for the late-2025 previews (answers go to `user_input_id`).
    """

    def __init__(
        self,
        agent: Any,
        *,
        id: str,
        handoffs: list[HandoffTool],
        today: bool,
        start_id: str,
        user_input_id: str | None = None,
        return_to_previous: bool = True,
        termination_condition: TerminationCondition | None = None,
        autonomous: bool = False,
        autonomous_prompt: str | None = None,
        autonomous_turn_limit: int | None = None,
    ) -> None:
        super().__init__(id)
        self.agent = agent
        self.handoffs = list(handoffs)
        self.today = today
        self.start_id = start_id
        self.user_input_id = user_input_id
        self.return_to_previous = return_to_previous
        self.termination_condition = termination_condition
        self.autonomous = autonomous
        self.autonomous_prompt = autonomous_prompt or AUTONOMOUS_PROMPT
        self.autonomous_turn_limit = AUTONOMOUS_TURN_LIMIT if autonomous_turn_limit is None else autonomous_turn_limit

    @property
    def targets(self) -> list[str]:
        """The participants this agent may hand off to."""
        return [tool.target for tool in self.handoffs]

    # --- what it receives ---------------------------------------------------------------------

    @handler
    async def start(self, prompt: Prompt, ctx: WorkflowContext[Handoff, Outputs]) -> None:
        """The run's input (this agent starts the conversation)."""
        conversation = await self._conversation(ctx)
        await self._take_turn([*conversation, *as_messages(prompt)], ctx)

    @handler
    async def take_over(self, handoff: Handoff, ctx: WorkflowContext[Handoff, Outputs]) -> None:
        """Another participant handed the conversation to this agent (or, in the late-2025 shape,
        the user answered and the coordinator reads the reply)."""
        await self._take_turn(list(handoff.conversation), ctx)

    @response_handler
    async def take_user_reply(
        self, request: HandoffAgentUserRequest, reply: object, ctx: WorkflowContext[Handoff, Outputs]
    ) -> None:
        """The user's reply to this agent's answer: an empty reply ends the conversation."""
        said = user_messages(reply, where=f"The reply to handoff agent '{self.id}'")
        if not said:
            return  # HandoffAgentUserRequest.terminate(): the conversation is over
        conversation = [*await self._conversation(ctx), *said]
        if not self.return_to_previous and self.id != self.start_id:
            # enable_return_to_previous(False): the start agent reads every reply first.
            await self._save(ctx, conversation)
            await self._hand_to(self.start_id, conversation, ctx)
            return
        await self._take_turn(conversation, ctx)

    @response_handler
    async def take_answer(
        self, question: Content, answer: Content, ctx: WorkflowContext[Handoff, Outputs]
    ) -> None:
        """An answer to one of the agent's tool questions (an approval); once all are answered,
        the agent goes on."""
        state = dict(await ctx.get_state() or {})
        asked: dict[str, Content] = dict(state.get(QUESTIONS, {}))
        request_id = next((rid for rid, q in asked.items() if q == question), None)
        if request_id is None:
            raise RequestResponseError(
                f"Handoff agent '{self.id}' got an answer to a question it is not waiting on: {question!r}."
            )
        _check_answer(self.id, request_id, question, answer)
        del asked[request_id]
        answers = [*state.get(ANSWERS, []), answer]
        await ctx.set_state({**state, QUESTIONS: asked, ANSWERS: answers})
        if not asked:
            await self._take_turn([*state.get(CONVERSATION, []), *_answer_messages(answers)], ctx)

    # --- one turn -------------------------------------------------------------------------------

    async def _take_turn(self, conversation: list[Message], ctx: WorkflowContext[Handoff, Outputs]) -> None:
        """Let the agent answer `conversation`, then hand off, ask, or end (see the module).
        In autonomous mode an answer without a handoff lets the agent go on by itself: a loop
        here, in one superstep, as AF 1.x does."""
        while True:
            if self.today and await self._should_end(conversation):
                await self._save(ctx, conversation)
                return
            response = await self._run_agent(conversation, ctx)
            conversation = [*conversation, *response.messages]
            await ctx.add_event(AgentRunEvent(self.id, response))
            handoff = requested_handoff([c for m in response.messages for c in m.contents], self.handoffs)
            if handoff is not None:
                call, target = handoff
                # The agent's history keeps a result for its call, so its next turn is valid.
                conversation.append(Message(Role.TOOL, [FunctionResultContent(call.call_id, {HANDOFF_RESULT_KEY: target})]))
                await self._save(ctx, conversation, autonomous_turns=0)
                await self._show(response, ctx)
                # The tool asks for no arguments, but a model may still say why in one.
                reason = str((call.parse_arguments() or {}).get("reason") or "")
                await ctx.add_event(WorkflowEvent("handoff_sent", data=HandoffSentEvent(self.id, target, reason)))
                await self._hand_to(target, conversation, ctx)
                return
            questions = response.user_input_requests
            if questions:
                await self._ask(questions, conversation, ctx)
                return
            await self._show(response, ctx)
            if not self.today:
                await self._save(ctx, conversation)
                await self._hand_to(self.user_input_id or "", conversation, ctx)
                return
            if await self._should_end(conversation):
                await self._save(ctx, conversation)
                return
            turns = (await ctx.get_state() or {}).get(AUTONOMOUS_TURNS, 0)
            if self.autonomous and turns < self.autonomous_turn_limit:
                await self._save(ctx, conversation, autonomous_turns=turns + 1)
                conversation = [*conversation, Message(Role.USER, [self.autonomous_prompt])]
                continue
            await self._save(ctx, conversation, autonomous_turns=0)
            shared = without_tool_calls(conversation)
            request = HandoffAgentUserRequest(response, prompt=self._prompt(response), conversation=shared)
            await ctx.request_info(request, object)
            return

    async def _run_agent(self, conversation: list[Message], ctx: WorkflowContext[Handoff, Outputs]) -> AgentResponse:
        """The agent's answer, with the handoff tools added to its own for this run. Streamed, each
        piece is an event, and (today's AF) an output: AF 1.x yields a handoff agent's pieces."""
        tools = list(self.handoffs) or None
        if not ctx.is_streaming:
            return await self.agent.run(conversation, tools=tools)
        updates: list[AgentResponseUpdate] = []
        async for update in self.agent.run(conversation, stream=True, tools=tools):
            updates.append(update)
            await ctx.add_event(AgentRunUpdateEvent(self.id, update))
            if self.today:
                await ctx.yield_output(update)
        return AgentResponse.from_updates(updates, getattr(self.agent, "response_format", None))

    async def _show(self, response: AgentResponse, ctx: WorkflowContext[Handoff, Outputs]) -> None:
        # Today's AF makes every answer an output (streamed: its pieces, yielded already).
        if self.today and not ctx.is_streaming:
            await ctx.yield_output(response)

    async def _hand_to(self, target: str, conversation: list[Message], ctx: WorkflowContext[Handoff, Outputs]) -> None:
        await ctx.send_message(Handoff(self.id, target, without_tool_calls(conversation)), target_id=target)

    async def _ask(
        self, questions: list[Content], conversation: list[Message], ctx: WorkflowContext[Handoff, Outputs]
    ) -> None:
        """Each tool question becomes a request of the workflow (as `AgentExecutor` does)."""
        asked: dict[str, Content] = {}
        for question in questions:
            wanted = question.id if isinstance(question, FunctionApprovalRequestContent) else None
            asked[await ctx.request_info(question, Content, request_id=wanted)] = question
        await self._save(ctx, conversation, **{QUESTIONS: asked, ANSWERS: []})

    def _prompt(self, response: AgentResponse) -> str:
        # What the agent said is the conversation's last message, shown with the request: the
        # prompt only says what is asked.
        return f"{self.id} answered without handing off and waits for the user: reply to go on, or end the conversation."

    async def _should_end(self, conversation: list[Message]) -> bool:
        """True when the termination condition holds for the conversation (without tool calls)."""
        if self.termination_condition is None:
            return False
        verdict = self.termination_condition(without_tool_calls(conversation))
        if inspect.isawaitable(verdict):
            verdict = await verdict
        return bool(verdict)

    async def _conversation(self, ctx: WorkflowContext[Any, Any]) -> list[Message]:
        return list((await ctx.get_state() or {}).get(CONVERSATION, []))

    async def _save(self, ctx: WorkflowContext[Any, Any], conversation: list[Message], **more: Any) -> None:
        state = {key: value for key, value in (await ctx.get_state() or {}).items() if key not in (QUESTIONS, ANSWERS)}
        await ctx.set_state({**state, CONVERSATION: list(conversation), **more})

    def __repr__(self) -> str:
        return f"HandoffAgentExecutor(id={self.id!r}, targets={self.targets})"

