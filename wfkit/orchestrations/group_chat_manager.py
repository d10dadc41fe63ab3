"""The managers of a group chat: who decides who speaks next.

Two kinds, one job (`decide`: the chat so far in, a `Decision` out):

- `SelectionManager`: a plain function picks the speaker. Today's AF calls it with a
  `GroupChatState` and wants a name; the late-2025 previews call it with a
  `GroupChatStateSnapshot` and take None as "we are done".
- `AgentManager`: an agent picks, as a person chairing a meeting would. It reads the whole
  conversation, then a prompt (`DECISION_PROMPT`) listing the participants with their
  descriptions, and answers with JSON (`AgentOrchestrationOutput`). The offline model answers
  this prompt too (`wfkit.agents.offline.coordinating`); a real model just reads it.

Nothing here sends messages: the orchestrator (`group_chat_orchestrator`) acts on the decision.
"""

from __future__ import annotations

import inspect
import json
import re
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from ..agents.types import ChatMessage, Role
from ..errors import OrchestrationManagerError
from .group_chat_types import AgentOrchestrationOutput, ChatProgress, Decision, GroupChatState, GroupChatStateSnapshot

# The prompt an agent manager reads after the conversation. The offline model recognises it by
# the JSON keys it names.
DECISION_PROMPT = """You chair this group chat. Decide who should speak next, or end the chat once the task is answered.
Call on each participant only when they have something new to add.

Participants (name: what they do):
{participants}

Answer with one JSON object and nothing else:
{{"terminate": true or false, "reason": "why", "next_speaker": "a participant's name, or null", "final_message": "when ending: the answer for the user, or null"}}"""


class SelectionManager:
    """A speaker-selection function as a manager.

    `late_2025`: call it with a `GroupChatStateSnapshot` (the previews' ``select_speakers``)
    instead of a `GroupChatState` (today's ``selection_func=``).
    """

    def __init__(self, select: Callable[[Any], Any], *, late_2025: bool, name: str, final_message: Any = None) -> None:
        self.select = select
        self.final_message = final_message  # text (or a function of the state) that closes the chat
        self.late_2025 = late_2025
        self.name = name

    async def decide(self, progress: ChatProgress, participants: OrderedDict[str, str]) -> Decision:
        if self.late_2025:
            state: Any = GroupChatStateSnapshot(
                task=progress.conversation[0] if progress.conversation else None,
                participants=dict(participants),
                conversation=tuple(progress.conversation),
                history=tuple(progress.turns),
                round_index=progress.round_index,
                pending_agent=None,
            )
        else:
            state = GroupChatState(progress.round_index, OrderedDict(participants), list(progress.conversation))
        chosen = self.select(state)
        if inspect.isawaitable(chosen):
            chosen = await chosen
        if isinstance(chosen, (list, tuple)):  # the previews also took [name]
            chosen = chosen[0] if chosen else None
        if chosen is None:
            final = self.final_message(state) if callable(self.final_message) else self.final_message
            if inspect.isawaitable(final):
                final = await final
            final_text = getattr(final, "text", final)
            return Decision(None, reason="the selection function returned None", final_text=final_text or None)
        speaker = checked_speaker(str(chosen), participants, "The selection function")
        # A function gives no reason; saying which one chose tells a learner where to look.
        return Decision(speaker, reason=f"chosen by your selection function {function_name(self.select)}")


class AgentManager:
    """An agent as the manager: it reads the chat and `DECISION_PROMPT`, and answers in JSON."""

    def __init__(self, agent: Any) -> None:
        self.agent = agent
        self.name = getattr(agent, "name", None) or "manager"

    async def decide(self, progress: ChatProgress, participants: OrderedDict[str, str]) -> Decision:
        listing = "\n".join(f"- {name}: {description}" for name, description in participants.items())
        ask = ChatMessage(Role.USER, text=DECISION_PROMPT.format(participants=listing))
        response = await self.agent.run([*progress.conversation, ask])
        answer = parse_decision(response.text, participants, self.name)
        if answer.terminate:
            return Decision(None, reason=answer.reason, final_text=answer.final_message)
        return Decision(answer.next_speaker, reason=answer.reason)  # type: ignore[arg-type]


def parse_decision(text: str, participants: OrderedDict[str, str], manager: str) -> AgentOrchestrationOutput:
    """The manager's answer read as an `AgentOrchestrationOutput`: the last JSON object in
    `text` (models often wrap it in a code fence or add a sentence around it)."""
    found = last_json_object(text)
    if not isinstance(found, dict) or "terminate" not in found:
        raise OrchestrationManagerError(
            f"The group chat manager '{manager}' answered {text[:300]!r}, which is not the JSON it was asked for "
            f"(keys {', '.join(AgentOrchestrationOutput.KEYS)}). Check its instructions do not ask for another "
            "format, or use a model that follows JSON instructions."
        )
    answer = AgentOrchestrationOutput(
        terminate=bool(found.get("terminate")),
        reason=str(found.get("reason") or ""),
        next_speaker=found.get("next_speaker") or None,
        final_message=found.get("final_message") or None,
    )
    if not answer.terminate:
        checked_speaker(str(answer.next_speaker or ""), participants, f"The group chat manager '{manager}'")
    return answer


def function_name(function: Callable[..., Any]) -> str:
    """How a learner knows `function`: ``round_robin``, or "(a lambda)" for a lambda."""
    name = getattr(function, "__name__", None) or type(function).__name__
    return "(a lambda)" if name == "<lambda>" else name


def checked_speaker(name: str, participants: OrderedDict[str, str], who: str) -> str:
    """`name` if it is a participant's; else a clear error naming the participants."""
    if name not in participants:
        raise OrchestrationManagerError(
            f"{who} chose {name!r} to speak next, but the participants are {list(participants)}. Return one of "
            "these names exactly (they are the agents' names, or the names given to participants(...))."
        )
    return name


def last_json_object(text: str) -> dict[str, Any] | None:
    """The last top-level JSON object in `text`, or None (objects nested in it do not count)."""
    decoder = json.JSONDecoder()
    found = None
    index = text.find("{")
    while index != -1:
        try:
            value, end = decoder.raw_decode(text, index)
        except json.JSONDecodeError:
            index = text.find("{", index + 1)
            continue
        if isinstance(value, dict):
            found = value
        index = text.find("{", end)
    return found
