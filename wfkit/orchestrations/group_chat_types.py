"""What a group chat's manager looks at, what it decides, and the events that show it.

A group chat is a conversation among participants, with a manager who picks the next speaker
each round. The manager sees the chat's state:

- today's AF: a `GroupChatState` (``current_round``, ``participants``: name -> description,
  ``conversation``), given to ``selection_func(state) -> name``;
- the late-2025 previews: a `GroupChatStateSnapshot`, read like a dict
  (``state["round_index"]``, ``state["history"]``, ``state["task"]``, ...), given to
  ``select_speakers(fn)``, where returning None ends the chat.

Whatever the manager is (a function or an agent), its choice becomes a `Decision`: a speaker
(and maybe an instruction for them), or the end with a final message.

Each request to a participant and each answer back is also an event of type "group_chat",
whose data is a `GroupChatRequestSentEvent` or a `GroupChatResponseReceivedEvent`, so the
event log shows who was asked in which round.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..agents.types import ChatMessage
from ..checkpoint.registry import register_checkpoint_type

# The description a participant without one is listed with, so a manager still sees a line for it.
NO_DESCRIPTION = "(no description: judge by the name)"


@dataclass(frozen=True)
class GroupChatState:
    """The chat as today's selection function sees it: the round (from 0), the participants
    (name -> description, in the order given) and the whole conversation so far."""

    current_round: int
    participants: OrderedDict[str, str]
    conversation: list[ChatMessage]


@register_checkpoint_type(name="wfkit.GroupChatTurn")
@dataclass(frozen=True)
class GroupChatTurn:
    """One turn of the chat (the late-2025 snapshot's ``history``): who spoke, as what
    ("user", "agent" or "manager"), and the message."""

    speaker: str
    role: str
    message: ChatMessage


class GroupChatStateSnapshot(Mapping[str, Any]):
    """The chat as a late-2025 speaker selector sees it, read like a dict: ``task`` (the first
    message), ``participants`` (name -> description), ``conversation`` and ``history`` (tuples),
    ``round_index`` (selections so far) and ``pending_agent`` (None between turns)."""

    def __init__(self, **values: Any) -> None:
        self._values = dict(values)

    def __getitem__(self, key: str) -> Any:  # the Mapping protocol: read it like a dict
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"GroupChatStateSnapshot(round_index={self['round_index']}, participants={list(self['participants'])})"


@dataclass
class Decision:
    """What a manager decided: `speaker` speaks next (with an optional `instruction`), or,
    when `speaker` is None, the chat ends with `final_text` (`reason` says why, either way)."""

    speaker: str | None
    reason: str = ""
    instruction: str = ""
    final_text: str | None = None

    @property
    def finished(self) -> bool:
        """True when the manager ended the chat."""
        return self.speaker is None


@register_checkpoint_type(name="wfkit.GroupChatRequestSentEvent")
@dataclass
class GroupChatRequestSentEvent:
    """Data of a "group_chat" event: in round `round_index`, `participant_name` was asked to speak.

    `reason` is why the manager chose them (wfkit adds it; Agent Framework's event has only
    the first two fields, so code written for it reads this one just the same).
    """

    round_index: int
    participant_name: str
    reason: str = ""


@register_checkpoint_type(name="wfkit.GroupChatResponseReceivedEvent")
@dataclass
class GroupChatResponseReceivedEvent:
    """Data of a "group_chat" event: the answer of `participant_name` for round `round_index` came back."""

    round_index: int
    participant_name: str


@dataclass
class AgentOrchestrationOutput:
    """The JSON an agent managing a group chat answers with (today's AF's name for it):
    end the chat or not, why, who speaks next, and the final message when it ends."""

    terminate: bool
    reason: str = ""
    next_speaker: str | None = None
    final_message: str | None = None

    # The keys, for the manager's prompt and for reading its answer.
    KEYS = ("terminate", "reason", "next_speaker", "final_message")


@dataclass
class ChatProgress:
    """The orchestrator's memory between supersteps, saved in checkpoints: the conversation,
    the turns, the round, and how much of the conversation each participant has read."""

    conversation: list[ChatMessage] = field(default_factory=list)
    turns: list[GroupChatTurn] = field(default_factory=list)
    round_index: int = 0
    read_up_to: dict[str, int] = field(default_factory=dict)
    finished: bool = False

    def to_state(self) -> dict[str, Any]:
        """As the orchestrator's executor state (plain data, for checkpoints)."""
        return {
            "conversation": list(self.conversation),
            "turns": list(self.turns),
            "round_index": self.round_index,
            "read_up_to": dict(self.read_up_to),
            "finished": self.finished,
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any] | None) -> ChatProgress:
        """Read back what `to_state` wrote (an empty state: a chat not started)."""
        state = state or {}
        return cls(
            conversation=list(state.get("conversation", [])),
            turns=list(state.get("turns", [])),
            round_index=int(state.get("round_index", 0)),
            read_up_to=dict(state.get("read_up_to", {})),
            finished=bool(state.get("finished", False)),
        )
