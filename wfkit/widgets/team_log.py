"""Log lines for an agent team's own events: who was asked to speak and why, handoffs, and a
Magentic manager's plan and progress.

The event log (`event_log`) writes a line per event, save where events repeat each other (an
agent's answer, streamed and then reported again: see `log_lines`). A team's events carry objects (a
`GroupChatRequestSentEvent`, a progress ledger) whose ``repr`` says little to a reader, so
`describe_team_event` writes each as a sentence: "billing asked to speak (round 1): the task
mentions 'refund'", "triage handed the conversation to billing", "progress: not done yet;
next Analyst: work through the numbers".
"""

from __future__ import annotations

from ..core.events import WorkflowEvent
from ..history.records import one_line
from ..orchestrations.group_chat_types import GroupChatRequestSentEvent, GroupChatResponseReceivedEvent
from ..orchestrations.magentic_types import MagenticOrchestratorEventType, MagenticProgressLedger

# How a Magentic manager's message kinds read in the log (late-2025 previews).
_LATE_KINDS = {"user_task": "the task", "task_ledger": "the plan", "instruction": "instruction", "notice": "notice"}


def describe_team_event(event: WorkflowEvent) -> str | None:
    """One readable line for a team's event, or None if `event` is not one."""
    data = event.data
    match event.type:
        case "group_chat" if isinstance(data, GroupChatRequestSentEvent):
            why = f": {data.reason}" if data.reason else ""
            return f"{data.participant_name} asked to speak (round {data.round_index + 1}){why}"
        case "group_chat" if isinstance(data, GroupChatResponseReceivedEvent):
            return f"{data.participant_name} has spoken (round {data.round_index})"
        case "handoff_sent":
            why = f": {data.reason}" if getattr(data, "reason", "") else ""
            return f"{data.source} handed the conversation to {data.target}{why}"
        case "magentic_orchestrator":
            return _magentic_line(data.event_type, data.content)
        case "magentic_orchestrator_message":
            said = getattr(event.message, "text", "") or ""
            return f"manager, {_LATE_KINDS.get(event.kind, event.kind)}: {one_line(said)}"
        case "magentic_agent_message":
            return f"{event.agent_id} answered: {one_line(getattr(event.message, 'text', '') or '')}"
        case "magentic_agent_delta":
            return f"{event.agent_id} writes: {one_line(event.text or '', 200)}"
        case "magentic_final_result":
            return f"final answer: {one_line(getattr(event.message, 'text', '') or '')}"
    return None


def _magentic_line(kind: MagenticOrchestratorEventType, content: object) -> str:
    if isinstance(content, MagenticProgressLedger):
        if content.is_request_satisfied.answer is True:
            return f"progress: the task is done ({one_line(content.is_request_satisfied.reason, 160)})"
        stalled = " (no progress: a stall)" if content.is_progress_being_made.answer is False else ""
        instruction = one_line(str(content.instruction_or_question.answer), 160)
        return f"progress: not done yet{stalled}; next {content.next_speaker.answer}: {instruction}"
    made = {MagenticOrchestratorEventType.PLAN_CREATED: "made a plan", MagenticOrchestratorEventType.REPLANNED: "revised the plan"}
    return f"the manager {made.get(kind, str(kind.value))}: {one_line(getattr(content, 'text', '') or '')}"
