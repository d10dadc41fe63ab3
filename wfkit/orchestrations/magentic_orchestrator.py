"""`MagenticOrchestrator`: the manager's side of a Magentic run, as one executor with an edge
to and from every participant.

A Magentic run works like a lead with a small team:

1. **Plan** (the outer loop). The manager takes stock of the task (facts) and writes a plan; the
   two together are the task ledger, added to the conversation. With plan review on, the run
   first pauses for a person to approve the plan or ask for another.
2. **Rounds** (the inner loop). Each round the manager fills in the progress ledger: is the task
   done? are we looping? is there progress? who next, doing what? It then sends that
   participant what was said since it last spoke, plus the instruction, and waits for the answer.
3. **Stalls.** A round without progress (or in a loop) adds to a stall count; past
   ``max_stall_count`` the manager starts over: it clears the conversation back to the task and
   plans again (a reset; ``max_reset_count`` of them at most).
4. **The end.** When the ledger says the task is done, the manager writes the final answer from
   the conversation: the output. Past ``max_round_count`` rounds, or out of resets, the run ends
   with a message saying so.

Output and events differ by era (see `magentic_types` and `magentic_late_2025`): today the
output is an `AgentResponse` with the final message (an `AgentResponseUpdate` when streamed) and
"magentic_orchestrator" events show the ledgers; in the previews it is the final `ChatMessage`,
with `MagenticOrchestratorMessageEvent`, `MagenticAgentMessageEvent` and
`MagenticFinalResultEvent`.

All of its memory is its executor state, so a checkpoint (even one waiting on a plan review)
resumes the run exactly where it was.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from ..agents.executor import AgentExecutorRequest, AgentExecutorResponse
from ..agents.types import AgentResponseUpdate, AgentRunResponse, ChatMessage, Role, as_messages
from ..core.context import WorkflowContext
from ..core.events import WorkflowEvent
from ..core.executor import Executor
from ..core.handler import handler, response_handler
from ..errors import OrchestrationManagerError, WorkflowValidationError
from . import magentic_late_2025 as late
from .group_chat_orchestrator import completion, local_id
from .group_chat_types import GroupChatRequestSentEvent
from .magentic_manager import StandardMagenticManager
from .magentic_types import (
    MAGENTIC_MANAGER_NAME,
    MagenticContext,
    MagenticOrchestratorEvent,
    MagenticOrchestratorEventType,
    MagenticPlanReviewRequest,
    MagenticPlanReviewResponse,
    MagenticProgressLedger,
    TaskLedger,
)

Outputs = AgentRunResponse | AgentResponseUpdate | ChatMessage
ORCHESTRATOR_ID = "magentic_orchestrator"
ROUND_LIMIT = "The run stopped: it reached its limit of {limit} rounds before the task was done."
RESET_LIMIT = "The run stopped: it had to start over {limit} times without finishing the task."


class MagenticOrchestrator(Executor):
    """Plans, runs the rounds and writes the final answer through `manager` (see the module)."""

    # Its output is the chat's closing word, not an agent's answer again: a workflow agent
    # (``workflow.as_agent()``) passes it on after the agents' own words.
    closes_the_conversation = True

    def __init__(
        self,
        id: str,
        manager: StandardMagenticManager,
        participants: OrderedDict[str, str],
        *,
        plan_review: bool = False,
        late_2025: bool = False,
        on_event: late.OnEvent | None = None,
        on_exception: Callable[[Exception], Any] | None = None,
    ) -> None:
        super().__init__(id)
        self.on_event = on_event
        self.on_exception = on_exception
        self.manager = manager
        self.participants = participants
        self.plan_review = plan_review
        self.late_2025 = late_2025

    async def _guarded(self, step: Awaitable[None]) -> None:
        """Run one handler's work; an error is shown to the ``on_exception`` callback (the
        earliest previews' spelling), then fails the run as any handler's error does."""
        try:
            await step
        except Exception as error:
            if self.on_exception is not None:
                self.on_exception(error)
            raise

    async def _late(self, ctx: WorkflowContext[Any, Any], event: WorkflowEvent) -> None:
        """A late-2025 event: into the run's events, and to the ``on_event`` callback if any."""
        await ctx.add_event(event)
        await late.tell(self.on_event, event)

    # --- the task arrives: plan ---------------------------------------------------------------

    @handler
    async def start(
        self, task: str | ChatMessage | list[ChatMessage] | AgentExecutorRequest, ctx: WorkflowContext[AgentExecutorRequest, Outputs]
    ) -> None:
        """The task arrives: the manager takes stock and plans (see the module)."""
        await self._guarded(self._start(task, ctx))

    async def _start(self, task: Any, ctx: WorkflowContext[Any, Any]) -> None:
        messages = list(task.messages) if isinstance(task, AgentExecutorRequest) else as_messages(task)
        text = "\n".join(m.text for m in messages if m.text.strip())
        if not text.strip():
            raise WorkflowValidationError(
                "A Magentic run starts with its task as text (workflow.run('Compare ...')); this one started with "
                "no text."
            )
        task_message = ChatMessage(Role.USER, text=text)
        context = MagenticContext(text, [task_message], dict(self.participants))
        state: dict[str, Any] = {"context": context.to_dict(), "read_up_to": {}, "reviews": 0}
        if self.late_2025:
            await self._late(ctx, late.MagenticOrchestratorMessageEvent(self.id, task_message, late.ORCH_MSG_KIND_USER_TASK))
        ledger = await self.manager.plan(context)
        await self._planned(state, context, ledger, MagenticOrchestratorEventType.PLAN_CREATED, ctx)

    async def _planned(
        self,
        state: dict[str, Any],
        context: MagenticContext,
        ledger: TaskLedger,
        kind: MagenticOrchestratorEventType,
        ctx: WorkflowContext[Any, Any],
        *,
        stalled: bool = False,
    ) -> None:
        """A plan was made: show it, have it reviewed or start the rounds."""
        message = ledger.message(context.task)
        state.update(facts=ledger.facts, plan=ledger.plan)
        if self.late_2025:
            await self._late(ctx, late.MagenticOrchestratorMessageEvent(self.id, message, late.ORCH_MSG_KIND_TASK_LEDGER))
        else:
            await ctx.add_event(WorkflowEvent("magentic_orchestrator", data=MagenticOrchestratorEvent(kind, message)))
        if self.plan_review:
            state["context"] = context.to_dict()
            await self._ask_for_review(state, context, ctx, stalled=stalled)
            await ctx.set_state(state)
            return
        context.chat_history.append(message)
        await self._round(state, context, ctx)

    async def _ask_for_review(
        self, state: dict[str, Any], context: MagenticContext, ctx: WorkflowContext[Any, Any], *, stalled: bool
    ) -> None:
        if self.late_2025:
            request: Any = late.MagenticPlanReviewRequest(
                task_text=context.task, facts_text=state["facts"], plan_text=state["plan"], round_index=state["reviews"]
            )
            await ctx.request_info(request, late.MagenticPlanReviewReply)
        else:
            progress = state.get("progress")
            request = MagenticPlanReviewRequest(
                plan=TaskLedger(state["facts"], state["plan"]).message(context.task),
                current_progress=MagenticProgressLedger.from_dict(progress) if progress else None,
                is_stalled=stalled,
            )
            await ctx.request_info(request, MagenticPlanReviewResponse)

    # --- a person reviewed the plan ---------------------------------------------------------

    @response_handler
    async def take_review(
        self,
        request: MagenticPlanReviewRequest,
        response: MagenticPlanReviewResponse,
        ctx: WorkflowContext[AgentExecutorRequest, Outputs],
    ) -> None:
        """Today's plan review answered: approved, the rounds start; with feedback, the manager replans."""
        feedback = "\n".join(m.text for m in response.review if m.text.strip())
        await self._guarded(self._reviewed(feedback, None, request.is_stalled, ctx))

    @response_handler
    async def take_late_2025_review(
        self,
        request: late.MagenticPlanReviewRequest,
        reply: late.MagenticPlanReviewReply,
        ctx: WorkflowContext[AgentExecutorRequest, Outputs],
    ) -> None:
        """The previews' plan review answered: approve, revise with comments, or an edited plan."""
        revise = reply.decision == late.MagenticPlanReviewDecision.REVISE
        feedback = (reply.comments or "") if revise and not reply.edited_plan_text else ""
        edited = reply.edited_plan_text if revise else None
        if revise and not feedback and not edited:
            raise WorkflowValidationError(
                "A MagenticPlanReviewReply with decision REVISE needs comments= (what to change: the manager "
                "replans) or edited_plan_text= (your plan, used as it is)."
            )
        await self._guarded(self._reviewed(feedback, edited, False, ctx))

    async def _reviewed(self, feedback: str, edited: str | None, stalled: bool, ctx: WorkflowContext[Any, Any]) -> None:
        state = dict(await ctx.get_state() or {})
        context = MagenticContext.from_dict(state["context"])
        state["reviews"] = state.get("reviews", 0) + 1
        if feedback:  # the manager replans with the feedback, and asks again
            context.chat_history.append(ChatMessage(Role.USER, text=feedback))
            ledger = await self.manager.replan(context, feedback=feedback, stalled=stalled)
            await self._planned(state, context, ledger, MagenticOrchestratorEventType.REPLANNED, ctx, stalled=stalled)
            return
        if edited:  # the person's own plan replaces the manager's
            state["plan"] = edited
        context.chat_history.append(TaskLedger(state["facts"], state["plan"]).message(context.task))
        await self._round(state, context, ctx)

    # --- a participant answered ----------------------------------------------------------------

    @handler
    async def take_answer(self, response: AgentExecutorResponse, ctx: WorkflowContext[AgentExecutorRequest, Outputs]) -> None:
        """A participant answered: its words join the conversation; then the next round."""
        await self._guarded(self._take_answer(response, ctx))

    async def _take_answer(self, response: AgentExecutorResponse, ctx: WorkflowContext[Any, Any]) -> None:
        state = dict(await ctx.get_state() or {})
        if state.get("finished"):
            return
        context = MagenticContext.from_dict(state["context"])
        speaker = local_id(self.id, ctx.source_executor_ids[0] if ctx.source_executor_ids else response.executor_id)
        for message in response.agent_run_response.messages:
            if message.role != Role.ASSISTANT or not message.text.strip():
                continue  # tool calls and results stay with the agent that made them
            # Signed with the name the team knows it by (a keyword of participants(...) may differ from the agent's own).
            said = ChatMessage(message.role, list(message.contents), author_name=speaker)
            context.chat_history.append(said)
            if self.late_2025:
                await self._late(ctx, late.MagenticAgentMessageEvent(speaker, said))
        state["read_up_to"] = {**state.get("read_up_to", {}), speaker: len(context.chat_history)}
        await self._round(state, context, ctx)

    # --- one round of the inner loop ---------------------------------------------------------------

    async def _round(self, state: dict[str, Any], context: MagenticContext, ctx: WorkflowContext[Any, Any]) -> None:
        limit = self.manager.max_round_count
        if limit is not None and context.round_count >= limit:
            await self._finish(state, context, ChatMessage(Role.ASSISTANT, text=ROUND_LIMIT.format(limit=limit), author_name=MAGENTIC_MANAGER_NAME), ctx)
            return
        resets = self.manager.max_reset_count
        if resets is not None and context.reset_count >= resets and context.reset_count > 0:
            await self._finish(state, context, ChatMessage(Role.ASSISTANT, text=RESET_LIMIT.format(limit=resets), author_name=MAGENTIC_MANAGER_NAME), ctx)
            return
        context.round_count += 1
        ledger = await self.manager.create_progress_ledger(context)
        state["progress"] = ledger.to_dict()
        if not self.late_2025:
            event = MagenticOrchestratorEvent(MagenticOrchestratorEventType.PROGRESS_LEDGER_UPDATED, ledger)
            await ctx.add_event(WorkflowEvent("magentic_orchestrator", data=event))
        if ledger.is_request_satisfied.answer is True:
            await self._finish(state, context, await self.manager.prepare_final_answer(context), ctx)
            return
        stuck = ledger.is_progress_being_made.answer is not True or ledger.is_in_loop.answer is True
        context.stall_count = context.stall_count + 1 if stuck else max(0, context.stall_count - 1)
        if context.stall_count > self.manager.max_stall_count:
            await self._start_over(state, context, ctx)
            return
        speaker = str(ledger.next_speaker.answer)
        if speaker not in self.participants:
            raise OrchestrationManagerError(
                f"The Magentic manager chose {speaker!r} to speak next (its reason: {ledger.next_speaker.reason!r}), "
                f"but the team is {list(self.participants)}. Its model must answer next_speaker with one of these names."
            )
        instruction = str(ledger.instruction_or_question.answer)
        said = ChatMessage(Role.ASSISTANT, text=instruction, author_name=MAGENTIC_MANAGER_NAME)
        unread = context.chat_history[state.get("read_up_to", {}).get(speaker, 0) :]
        context.chat_history.append(said)
        state["read_up_to"] = {**state.get("read_up_to", {}), speaker: len(context.chat_history)}
        if self.late_2025:
            await self._late(ctx, late.MagenticOrchestratorMessageEvent(self.id, said, late.ORCH_MSG_KIND_INSTRUCTION))
        # The participant reads the instruction as a request addressed to it.
        ask = ChatMessage(Role.USER, text=instruction, author_name=MAGENTIC_MANAGER_NAME)
        await ctx.send_message(AgentExecutorRequest([*unread, ask], should_respond=True), target_id=speaker)
        # Numbered from 1 here (the round just counted), as AF 1.x's Magentic numbers them.
        asked = GroupChatRequestSentEvent(context.round_count, speaker, ledger.next_speaker.reason)
        await ctx.add_event(WorkflowEvent("group_chat", data=asked))
        state["context"] = context.to_dict()
        await ctx.set_state(state)

    async def _start_over(self, state: dict[str, Any], context: MagenticContext, ctx: WorkflowContext[Any, Any]) -> None:
        """Stalled: back to the task alone, and a new plan (a reset)."""
        context.chat_history = context.chat_history[:1]
        context.stall_count = 0
        context.reset_count += 1
        state["read_up_to"] = {}
        if self.late_2025:
            notice = ChatMessage(Role.ASSISTANT, text="No progress for a while: starting over with a new plan.", author_name=MAGENTIC_MANAGER_NAME)
            await self._late(ctx, late.MagenticOrchestratorMessageEvent(self.id, notice, late.ORCH_MSG_KIND_NOTICE))
        ledger = await self.manager.replan(context, stalled=True)
        await self._planned(state, context, ledger, MagenticOrchestratorEventType.REPLANNED, ctx, stalled=True)

    async def _finish(self, state: dict[str, Any], context: MagenticContext, final: ChatMessage, ctx: WorkflowContext[Any, Any]) -> None:
        context.chat_history.append(final)
        state.update(context=context.to_dict(), finished=True)
        if self.late_2025:
            await self._late(ctx, late.MagenticFinalResultEvent(final))
        await ctx.yield_output(completion(final, late_2025=self.late_2025, streaming=ctx.is_streaming))
        await ctx.set_state(state)

