"""`GroupChatOrchestrator`: the hub of a group chat, one executor with an edge to and from
every participant.

Each round goes through the graph, so a learner sees it in the drawing and the run explorer::

    orchestrator --AgentExecutorRequest--> the chosen participant
    participant  --AgentExecutorResponse--> orchestrator

1. The run's input starts the conversation.
2. The orchestrator checks whether the chat should end (the termination condition, the round
   limit), else asks its manager (`group_chat_manager`) who speaks next.
3. It sends that participant what was said since it last spoke (the participant remembers the
   rest itself: an `AgentExecutor` keeps its conversation), and counts a round.
4. The answer comes back, joins the conversation, and the orchestrator goes back to step 2.
5. When the chat ends, the orchestrator yields the output: today's AF, an `AgentResponse`
   holding the closing message (an `AgentResponseUpdate` when the run is streamed); the
   late-2025 previews, the closing `ChatMessage` itself.

Everything it remembers lives in its executor state (`ChatProgress`), so a checkpoint taken
between two turns resumes the chat exactly there.
"""

from __future__ import annotations

import inspect
from collections import OrderedDict
from typing import Any, Callable

from ..agents.executor import AgentExecutorRequest, AgentExecutorResponse
from ..agents.types import AgentResponseUpdate, AgentRunResponse, ChatMessage, Role, as_messages
from ..core.context import WorkflowContext
from ..core.events import WorkflowEvent
from ..core.executor import Executor
from ..core.handler import handler
from .group_chat_types import ChatProgress, Decision, GroupChatRequestSentEvent, GroupChatResponseReceivedEvent, GroupChatTurn

# What a run may start with (as for the Sequential builder), or a request from an agent before it.
Prompt = str | ChatMessage | list[str | ChatMessage] | AgentExecutorRequest

# ``condition(conversation) -> bool`` (or awaitable): True ends the chat.
TerminationCondition = Callable[[list[ChatMessage]], Any]

# Closing messages when the chat ends without a manager's final word.
ENDED_BY_CONDITION = "The group chat has ended: its termination condition is met."
ENDED_BY_ROUNDS = "The group chat has ended after its limit of {rounds} rounds."
ENDED_BY_MANAGER = "The group chat is complete."


class GroupChatOrchestrator(Executor):
    """Runs the chat: asks the manager, sends the chosen participant its turn, collects answers.

    `participants` maps each participant's id to its description; `late_2025` picks the
    previews' output (a `ChatMessage`) over today's (an `AgentResponse`).
    """

    # Its output is the chat's closing word, not an agent's answer again: a workflow agent
    # (``workflow.as_agent()``) passes it on after the agents' own words.
    closes_the_conversation = True

    def __init__(
        self,
        id: str,
        manager: Any,
        participants: OrderedDict[str, str],
        *,
        late_2025: bool = False,
        max_rounds: int | None = None,
        termination_condition: TerminationCondition | None = None,
        display_name: str | None = None,
    ) -> None:
        super().__init__(id)
        self.manager = manager
        self.participants = participants
        self.late_2025 = late_2025
        self.max_rounds = max_rounds
        self.termination_condition = termination_condition
        self.display_name = display_name or getattr(manager, "name", None) or id

    @handler
    async def start(
        self,
        prompt: Prompt,
        ctx: WorkflowContext[AgentExecutorRequest, AgentRunResponse | AgentResponseUpdate | ChatMessage],
    ) -> None:
        """The run's input opens the conversation; then the first turn (or the end)."""
        messages = list(prompt.messages) if isinstance(prompt, AgentExecutorRequest) else as_messages(prompt)
        progress = ChatProgress(conversation=messages, turns=[GroupChatTurn("user", "user", m) for m in messages])
        await self._next_turn(progress, ctx)

    @handler
    async def take_answer(
        self,
        response: AgentExecutorResponse,
        ctx: WorkflowContext[AgentExecutorRequest, AgentRunResponse | AgentResponseUpdate | ChatMessage],
    ) -> None:
        """A participant answered: its words join the conversation; then the next turn (or the end)."""
        progress = ChatProgress.from_state(await ctx.get_state())
        if progress.finished:  # a late answer after the chat ended changes nothing
            return
        speaker = local_id(self.id, ctx.source_executor_ids[0] if ctx.source_executor_ids else response.executor_id)
        for message in response.agent_run_response.messages:
            if message.role != Role.ASSISTANT or not (message.text or "").strip():
                continue  # tool calls and results stay with the agent that made them
            # Signed with the name the team knows it by (a keyword of participants(...) may differ from the agent's own).
            said = ChatMessage(message.role, list(message.contents), author_name=speaker)
            progress.conversation.append(said)
            progress.turns.append(GroupChatTurn(speaker, "agent", said))
        # The speaker already has its own answer: it reads on from here next time.
        progress.read_up_to[speaker] = len(progress.conversation)
        await ctx.add_event(WorkflowEvent("group_chat", data=GroupChatResponseReceivedEvent(progress.round_index, speaker)))
        await self._next_turn(progress, ctx, after_answer=True)

    async def _next_turn(self, progress: ChatProgress, ctx: WorkflowContext[Any, Any], after_answer: bool = False) -> None:
        """End the chat, or ask the next speaker; then save the progress."""
        if await self._condition_met(progress):
            await self._finish(progress, ctx, ENDED_BY_CONDITION)
        elif after_answer and self.max_rounds is not None and progress.round_index >= self.max_rounds:
            await self._finish(progress, ctx, ENDED_BY_ROUNDS.format(rounds=self.max_rounds))
        else:
            decision: Decision = await self.manager.decide(progress, self.participants)
            if decision.finished:
                await self._finish(progress, ctx, decision.final_text or ENDED_BY_MANAGER)
            else:
                await self._ask(progress, decision, ctx)
        await ctx.set_state(progress.to_state())

    async def _ask(self, progress: ChatProgress, decision: Decision, ctx: WorkflowContext[Any, Any]) -> None:
        speaker = decision.speaker or ""
        unread = progress.conversation[progress.read_up_to.get(speaker, 0) :]
        if decision.instruction:
            unread = [*unread, ChatMessage(Role.USER, text=decision.instruction, author_name=self.display_name)]
        progress.read_up_to[speaker] = len(progress.conversation)
        await ctx.send_message(AgentExecutorRequest(list(unread), should_respond=True), target_id=speaker)
        asked = GroupChatRequestSentEvent(progress.round_index, speaker, decision.reason)
        await ctx.add_event(WorkflowEvent("group_chat", data=asked))
        progress.round_index += 1

    async def _finish(self, progress: ChatProgress, ctx: WorkflowContext[Any, Any], text: str) -> None:
        closing = ChatMessage(Role.ASSISTANT, text=text, author_name=self.display_name)
        progress.conversation.append(closing)
        progress.turns.append(GroupChatTurn(self.display_name, "manager", closing))
        progress.finished = True
        await ctx.yield_output(completion(closing, late_2025=self.late_2025, streaming=ctx.is_streaming))

    async def _condition_met(self, progress: ChatProgress) -> bool:
        if self.termination_condition is None:
            return False
        met = self.termination_condition(list(progress.conversation))
        if inspect.isawaitable(met):
            met = await met
        return bool(met)


def completion(message: ChatMessage, *, late_2025: bool, streaming: bool) -> Any:
    """The output of an ended chat (or Magentic run) in each era's shape (see the module)."""
    if late_2025:
        return message
    if streaming:
        return AgentResponseUpdate(list(message.contents), role=message.role, author_name=message.author_name)
    return AgentRunResponse(messages=[message])


def local_id(own_id: str, executor_id: str) -> str:
    """`executor_id` without the prefix this orchestrator's own id has: inlined with
    ``add_workflow(..., prefix="chat")`` every id reads "chat/...", but the participants keep
    their own names in the chat."""
    prefix = own_id.rsplit("/", 1)[0] + "/" if "/" in own_id else ""
    return executor_id[len(prefix):] if prefix and executor_id.startswith(prefix) else executor_id
