"""What a Magentic run keeps and shows, in today's spelling (AF 1.x).

A Magentic manager keeps two ledgers:

- the **task ledger**: the facts it gathered about the task and its plan, written once at the
  start (and again after a replan) as one message of the conversation (`TaskLedger`);
- the **progress ledger**: each round, five questions answered with a reason
  (`MagenticProgressLedger`): is the request satisfied? are we in a loop? is progress being
  made? who speaks next? what should they do?

Run events of type "magentic_orchestrator" carry a `MagenticOrchestratorEvent`: the plan was
created, the team replanned, or the progress ledger was updated. With plan review on, the run
pauses with a `MagenticPlanReviewRequest`, answered by ``request.approve()`` or
``request.revise("feedback")`` (a `MagenticPlanReviewResponse`).

The late-2025 previews spelt some of this differently: see `magentic_late_2025`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar

from ..agents.types import ChatMessage, Role
from ..checkpoint.registry import register_checkpoint_type

# The name the manager's own messages carry (author_name), as in Agent Framework.
MAGENTIC_MANAGER_NAME = "magentic_manager"


@register_checkpoint_type(name="wfkit.MagenticProgressLedgerItem")
@dataclass
class MagenticProgressLedgerItem:
    """One answer of the progress ledger: the `answer` (True/False, a name or an instruction)
    and the `reason` for it."""

    reason: str
    answer: str | bool

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data: ``{"reason": ..., "answer": ...}``."""
        return {"reason": self.reason, "answer": self.answer}

    @classmethod
    def from_dict(cls, data: Any) -> MagenticProgressLedgerItem:
        """Read one item; an item that is not ``{"reason": ..., "answer": ...}`` reads as an empty answer."""
        if not isinstance(data, dict):
            return cls(reason="", answer=data if isinstance(data, (str, bool)) else "")
        answer = data.get("answer")
        if isinstance(answer, str) and answer.strip().lower() in ("true", "false"):
            answer = answer.strip().lower() == "true"  # some models quote their booleans
        return cls(reason=str(data.get("reason", "")), answer=answer if isinstance(answer, (str, bool)) else "")


LEDGER_KEYS = ("is_request_satisfied", "is_in_loop", "is_progress_being_made", "next_speaker", "instruction_or_question")


@register_checkpoint_type(name="wfkit.MagenticProgressLedger")
@dataclass
class MagenticProgressLedger:
    """The manager's answers, each round, to the five questions of `LEDGER_KEYS`."""

    is_request_satisfied: MagenticProgressLedgerItem
    is_in_loop: MagenticProgressLedgerItem
    is_progress_being_made: MagenticProgressLedgerItem
    next_speaker: MagenticProgressLedgerItem
    instruction_or_question: MagenticProgressLedgerItem

    def to_dict(self) -> dict[str, Any]:
        """As the JSON the manager's model writes."""
        return {key: getattr(self, key).to_dict() for key in LEDGER_KEYS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MagenticProgressLedger:
        """Read the model's JSON (a missing item reads as an empty answer)."""
        return cls(**{key: MagenticProgressLedgerItem.from_dict(data.get(key, {})) for key in LEDGER_KEYS})


@dataclass
class TaskLedger:
    """What the manager knows (`facts`) and means to do (`plan`), as text."""

    facts: str
    plan: str

    # The headings of the ledger's message; `from_message` splits the text at them.
    FACTS_HEADING: ClassVar[str] = "\n\nWhat we know so far:\n"
    PLAN_HEADING: ClassVar[str] = "\n\nPlan:\n"

    def message(self, task: str) -> ChatMessage:
        """The ledger as the manager's message in the conversation. The plan comes under a
        line of its own, "Plan:", where the offline model looks for it."""
        text = f"We are working on this task:\n{task}{self.FACTS_HEADING}{self.facts}{self.PLAN_HEADING}{self.plan}"
        return ChatMessage(Role.ASSISTANT, text=text, author_name=MAGENTIC_MANAGER_NAME)

    @classmethod
    def from_message(cls, text: str) -> TaskLedger:
        """The facts and the plan back from the text `message` wrote (text of another shape
        reads as a plan without facts)."""
        before_plan, found, plan = text.rpartition(cls.PLAN_HEADING)
        if not found:
            return cls(facts="", plan=text.strip())
        facts = before_plan.partition(cls.FACTS_HEADING)[2]
        return cls(facts=facts.strip(), plan=plan.strip())


@dataclass
class MagenticContext:
    """What the manager reads each time it is asked: the task, the conversation so far, the
    team (name -> description) and its counters."""

    task: str
    chat_history: list[ChatMessage] = field(default_factory=list)
    participant_descriptions: dict[str, str] = field(default_factory=dict)
    round_count: int = 0
    stall_count: int = 0
    reset_count: int = 0

    def to_dict(self) -> dict[str, Any]:
        """As plain data, for the orchestrator's executor state."""
        return {
            "task": self.task,
            "chat_history": list(self.chat_history),
            "participant_descriptions": dict(self.participant_descriptions),
            "round_count": self.round_count,
            "stall_count": self.stall_count,
            "reset_count": self.reset_count,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MagenticContext:
        """Read back what `to_dict` wrote."""
        return cls(
            task=data["task"],
            chat_history=list(data.get("chat_history", [])),
            participant_descriptions=dict(data.get("participant_descriptions", {})),
            round_count=int(data.get("round_count", 0)),
            stall_count=int(data.get("stall_count", 0)),
            reset_count=int(data.get("reset_count", 0)),
        )


class MagenticOrchestratorEventType(str, Enum):
    """What a "magentic_orchestrator" event reports."""

    PLAN_CREATED = "plan_created"
    REPLANNED = "replanned"
    PROGRESS_LEDGER_UPDATED = "progress_ledger_updated"


@dataclass
class MagenticOrchestratorEvent:
    """Data of a "magentic_orchestrator" event: the task ledger message (plan created or
    replanned) or the progress ledger (updated)."""

    event_type: MagenticOrchestratorEventType
    content: ChatMessage | MagenticProgressLedger


@register_checkpoint_type(name="wfkit.MagenticPlanReviewResponse")
@dataclass
class MagenticPlanReviewResponse:
    """A person's answer to a plan review: no messages approves the plan; messages are
    feedback the manager replans with (and then asks again)."""

    review: list[ChatMessage] = field(default_factory=list)

    @staticmethod
    def approve() -> MagenticPlanReviewResponse:
        """Go ahead with the plan as it is."""
        return MagenticPlanReviewResponse(review=[])

    @staticmethod
    def revise(feedback: str | ChatMessage | list[str | ChatMessage]) -> MagenticPlanReviewResponse:
        """Ask for another plan: `feedback` (text or messages) says what to change."""
        items = feedback if isinstance(feedback, list) else [feedback]
        return MagenticPlanReviewResponse(
            review=[ChatMessage(Role.USER, text=item) if isinstance(item, str) else item for item in items]
        )


@register_checkpoint_type(name="wfkit.MagenticPlanReviewRequest")
@dataclass
class MagenticPlanReviewRequest:
    """The run asks a person to review the plan (`plan`, the task ledger message).
    `current_progress` is the last progress ledger when the review follows a stall
    (`is_stalled`), else None. Answer with `approve()` or `revise(feedback)`."""

    plan: ChatMessage
    current_progress: MagenticProgressLedger | None = None
    is_stalled: bool = False

    def approve(self) -> MagenticPlanReviewResponse:
        """An answer that approves the plan."""
        return MagenticPlanReviewResponse.approve()

    def revise(self, feedback: str | ChatMessage | list[str | ChatMessage]) -> MagenticPlanReviewResponse:
        """An answer that asks for another plan, with `feedback`."""
        return MagenticPlanReviewResponse.revise(feedback)
