"""What a Magentic run shows in the late-2025 previews' spelling (``from wfkit import ...``).

The previews reported a Magentic run with event classes rather than one event type:

- `MagenticOrchestratorMessageEvent`: the manager said something; `kind` says what
  ("user_task", "task_ledger", "instruction", "notice") and `message` holds it;
- `MagenticAgentMessageEvent`: a participant answered (`agent_id`, `message`);
- `MagenticFinalResultEvent`: the final answer (`message`), also the run's output;
- `MagenticAgentDeltaEvent`: a piece of a participant's answer, when the run is streamed (its
  participants are `MagenticAgentExecutor`s, which report them).

Their plan review asked with a `MagenticPlanReviewRequest` holding the task, facts and plan as
text, answered with a `MagenticPlanReviewReply`: ``decision=MagenticPlanReviewDecision.APPROVE``,
or ``REVISE`` with ``comments`` (the manager replans and asks again) or ``edited_plan_text``
(your plan replaces its own, and the run goes on with it).

The earliest previews (python-1.0.0b251007) also took a callback for these events:
``MagenticBuilder().on_event(callback, mode=MagenticCallbackMode.STREAMING)``.

Today's spelling of the same ideas is in `magentic_types`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any
from uuid import uuid4

from ..agents.events import AgentRunUpdateEvent
from ..agents.executor import AgentExecutor
from ..agents.types import AgentRunResponse, ChatMessage
from ..core.context import WorkflowContext
from ..checkpoint.registry import register_checkpoint_type
from ..core.events import WorkflowEvent
from ..core.workflow import Workflow

ORCH_MSG_KIND_USER_TASK = "user_task"
ORCH_MSG_KIND_TASK_LEDGER = "task_ledger"
ORCH_MSG_KIND_INSTRUCTION = "instruction"
ORCH_MSG_KIND_NOTICE = "notice"


class MagenticOrchestratorMessageEvent(WorkflowEvent):
    """The manager said something: the task, its task ledger, an instruction, a notice (`kind`)."""

    type = "magentic_orchestrator_message"  # type: ignore[assignment]

    def __init__(self, orchestrator_id: str = "", message: ChatMessage | None = None, kind: str = "") -> None:
        super().__init__(message)
        self.orchestrator_id = orchestrator_id
        self.message = message
        self.kind = kind

    def _fields(self) -> dict[str, Any]:
        return {"orchestrator_id": self.orchestrator_id, "kind": self.kind, "data": self.data}


class MagenticAgentMessageEvent(WorkflowEvent):
    """A participant (`agent_id`) answered with `message`."""

    type = "magentic_agent_message"  # type: ignore[assignment]

    def __init__(self, agent_id: str = "", message: ChatMessage | None = None) -> None:
        super().__init__(message)
        self.agent_id = agent_id
        self.message = message

    def _fields(self) -> dict[str, Any]:
        return {"agent_id": self.agent_id, "data": self.data}


class MagenticFinalResultEvent(WorkflowEvent):
    """The run's final answer (`message`)."""

    type = "magentic_final_result"  # type: ignore[assignment]

    def __init__(self, message: ChatMessage | None = None) -> None:
        super().__init__(message)
        self.message = message


class MagenticAgentDeltaEvent(WorkflowEvent):
    """A piece of a participant's answer while it streams (`agent_id`, `text`)."""

    type = "magentic_agent_delta"  # type: ignore[assignment]

    def __init__(self, agent_id: str | None = None, text: str | None = None) -> None:
        super().__init__(text)
        self.agent_id = agent_id
        self.text = text

    def _fields(self) -> dict[str, Any]:
        return {"agent_id": self.agent_id, "data": self.data}


class MagenticCallbackMode(str, Enum):
    """What an ``on_event`` callback hears (the earliest previews): everything but the streamed
    pieces (NON_STREAMING), or the pieces too (STREAMING)."""

    STREAMING = "streaming"
    NON_STREAMING = "non_streaming"


# ``callback(event)``, sync or async, given to ``MagenticBuilder().on_event(callback, mode=...)``.
OnEvent = Callable[[Any], Any]


async def tell(callback: OnEvent | None, event: WorkflowEvent) -> None:
    """Hand `event` to an ``on_event`` callback, if there is one."""
    if callback is not None:
        answer = callback(event)
        if inspect.isawaitable(answer):
            await answer


class MagenticAgentExecutor(AgentExecutor):
    """A participant of a late-2025 Magentic team: an `AgentExecutor` that also reports each
    streamed piece of its answer as a `MagenticAgentDeltaEvent`, as the previews did (and hands
    them to an ``on_event`` callback in STREAMING mode)."""

    on_event: OnEvent | None = None
    callback_mode: MagenticCallbackMode = MagenticCallbackMode.NON_STREAMING

    async def run_agent(self, conversation: list[ChatMessage], ctx: WorkflowContext[Any, Any]) -> AgentRunResponse:
        hears_pieces = self.on_event is not None and self.callback_mode is MagenticCallbackMode.STREAMING
        if not ctx.is_streaming and not hears_pieces:
            return await super().run_agent(conversation, ctx)
        updates = []
        async for update in self.agent.run_stream(conversation):
            updates.append(update)
            if not update.text:
                continue
            delta = MagenticAgentDeltaEvent(self.id, update.text)
            if ctx.is_streaming:
                await ctx.add_event(AgentRunUpdateEvent(self.id, update))
                await ctx.add_event(delta)
            if hears_pieces:
                await tell(self.on_event, delta)
        return AgentRunResponse.from_updates(updates, getattr(self.agent, "response_format", None))


class MagenticPlanReviewDecision(str, Enum):
    """Approve the plan, or ask for it to be revised."""

    APPROVE = "approve"
    REVISE = "revise"


@register_checkpoint_type(name="wfkit.MagenticPlanReviewReply")
@dataclass
class MagenticPlanReviewReply:
    """A person's answer to a late-2025 plan review (see the module)."""

    decision: MagenticPlanReviewDecision
    edited_plan_text: str | None = None
    comments: str | None = None


register_checkpoint_type(MagenticPlanReviewDecision, name="wfkit.MagenticPlanReviewDecision")


@register_checkpoint_type(name="wfkit.late_2025.MagenticPlanReviewRequest")
@dataclass
class MagenticPlanReviewRequest:
    """The previews' plan review: the task, the facts and the plan as text; `round_index`
    counts the reviews so far."""

    request_id: str = field(default_factory=lambda: str(uuid4()))
    task_text: str = ""
    facts_text: str = ""
    plan_text: str = ""
    round_index: int = 0

    # The previews answered with a `MagenticPlanReviewReply` built by hand. These two build it
    # for you, as today's requests do, and let a notebook card offer Approve / Revise.
    def approve(self) -> MagenticPlanReviewReply:
        """An answer that approves the plan as it is."""
        return MagenticPlanReviewReply(MagenticPlanReviewDecision.APPROVE)

    def revise(self, feedback: str) -> MagenticPlanReviewReply:
        """An answer that asks for another plan, saying what to change in `feedback`."""
        return MagenticPlanReviewReply(MagenticPlanReviewDecision.REVISE, comments=feedback)


# What an ``on_event`` callback is given: one of the four late-2025 events.
MagenticCallbackEvent = MagenticOrchestratorMessageEvent | MagenticAgentDeltaEvent | MagenticAgentMessageEvent | MagenticFinalResultEvent


class MagenticWorkflow(Workflow):
    """A Magentic workflow as the October 2025 preview's ``MagenticBuilder.build()`` returned it.

    That preview wrapped the workflow and reached the workflow inside as ``.workflow``
    (``magentic.workflow.run_stream_from_checkpoint(...)``); a month later `build()` returned the
    workflow itself. wfkit's late-2025 `build()` returns this class: a `Workflow` like any
    other, whose `workflow` is itself, so code of either month runs.
    """

    @property
    def workflow(self) -> Workflow:
        """This workflow (the preview's wrapper gave the workflow inside)."""
        return self
