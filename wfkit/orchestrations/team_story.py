"""The story of a team's run, read from its events: who spoke, who chose them and why, and, for
a Magentic team, the plan and how each round went.

A team's events each tell one piece of it:

- the run's input (an ``executor_invoked`` event from ``"__input__"``) is the user's first turn;
- ``agent_run_update`` events are an agent's answer while it streams, ``agent_run`` the whole
  answer: a turn of the conversation;
- a ``"group_chat"`` event with a `GroupChatRequestSentEvent` says the manager chose a speaker,
  and why (its ``reason``);
- a ``"handoff_sent"`` event says one agent handed the conversation to another;
- ``"magentic_orchestrator"`` events carry the plan (the task ledger) and each round's progress
  ledger (today's spelling); the late-2025 previews' ``"magentic_orchestrator_message"`` events
  carry the plan and the instructions;
- a question to the user (a handoff agent waiting for a reply, a plan to review) and its answer;
- the output of a group chat's or Magentic's orchestrator is the closing word.

`TeamStoryReader` reads them one at a time, so a live view can follow a run as it goes, and
`read_team_story(events)` reads a whole list. The story is plain data (`TeamStory`): the
notebook's `TeamView` draws it, the run explorer draws it as it stood at each step, and a test
can read it without any widget.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..agents.executor import AgentExecutorRequest, AgentExecutorResponse
from ..agents.types import Role
from ..core.events import WorkflowEvent
from ..errors import RequestResponseError
from .group_chat_orchestrator import GroupChatOrchestrator
from .group_chat_types import GroupChatRequestSentEvent
from .handoff_executor import HandoffAgentExecutor
from .handoff_requests import HandoffAgentUserRequest, HandoffUserInputRequest, user_messages
from .magentic_late_2025 import ORCH_MSG_KIND_INSTRUCTION, ORCH_MSG_KIND_TASK_LEDGER
from .magentic_late_2025 import MagenticPlanReviewDecision
from .magentic_late_2025 import MagenticPlanReviewRequest as LateMagenticPlanReviewRequest
from .magentic_orchestrator import MagenticOrchestrator
from .magentic_types import (
    MAGENTIC_MANAGER_NAME,
    MagenticOrchestratorEventType,
    MagenticPlanReviewRequest,
    MagenticProgressLedger,
    TaskLedger,
)

if TYPE_CHECKING:
    from ..core.workflow import Workflow

# The kinds of team, as the story names them.
GROUP_CHAT, HANDOFF, MAGENTIC = "group chat", "handoff", "magentic"

# Where the run's own input comes from, as its executor_invoked event says.
RUN_INPUT = "__input__"


@dataclass
class Turn:
    """Someone spoke: `speaker`, as `role` ("user", "agent" or "manager"), said `text`.
    `writing` is True while an agent's streamed answer is still coming."""

    speaker: str
    role: str
    text: str
    writing: bool = False


@dataclass
class SpeakerChoice:
    """Who speaks next, and why.

    `how` is "chosen" (a group chat's or Magentic's manager picked `speaker`) or "handoff"
    (`chosen_by` handed the conversation to `speaker`). `reason` is the why, when it is known;
    a Magentic manager also gives an `instruction`. `round` counts the manager's choices from 1
    (None for a handoff).
    """

    speaker: str
    how: str
    chosen_by: str = ""
    reason: str = ""
    instruction: str = ""
    round: int | None = None



@dataclass
class StoryNote:
    """A moment that is nobody's words: a plan made, a plan reviewed, the conversation ended.
    `kind` is "plan", "replan", "review", "stall" or "ended"."""

    text: str
    kind: str


# One line of the conversation as a view shows it.
Entry = Turn | SpeakerChoice | StoryNote


@dataclass
class PlanVersion:
    """One plan of a Magentic run: the `facts` gathered, the `plan`, and `why` this version
    was written (the first plan, a replan after a stall, a revision after a review)."""

    facts: str
    plan: str
    why: str
    after_round: int = 0  # the rounds played before it


@dataclass
class LedgerRound:
    """One round of a Magentic run: the manager's `ledger`, its five answers with their reasons."""

    number: int
    ledger: MagenticProgressLedger

    @property
    def stalled(self) -> bool:
        """True when the round counts as a stall: no progress, or going round in a loop (the
        orchestrator's own rule; enough stalls in a row and it replans)."""
        return self.ledger.is_progress_being_made.answer is not True or self.ledger.is_in_loop.answer is True

    @property
    def satisfied(self) -> bool:
        """True when the manager found the task done in this round."""
        return self.ledger.is_request_satisfied.answer is True


@dataclass
class TeamStory:
    """A team's run so far: its `kind` ("group chat", "handoff", "magentic", or "" while
    nothing has shown it is a team), the conversation (`entries`: turns, speaker choices and
    notes, in order) and, for Magentic, its `plans` and `rounds`."""

    kind: str = ""
    entries: list[Entry] = field(default_factory=list)
    plans: list[PlanVersion] = field(default_factory=list)
    rounds: list[LedgerRound] = field(default_factory=list)
    waiting_for_reply_to: str = ""  # the agent whose answer waits for the user's reply
    plan_in_review: bool = False  # a Magentic plan waits for a person's review
    ended: bool = False

    @property
    def turns(self) -> list[Turn]:
        """What was said, in order, without the choices and notes between."""
        return [entry for entry in self.entries if isinstance(entry, Turn)]

    @property
    def latest_choice(self) -> SpeakerChoice | None:
        """The latest choice of a speaker (or handoff), None before any."""
        return next((entry for entry in reversed(self.entries) if isinstance(entry, SpeakerChoice)), None)

    def now(self) -> str:
        """Who has the floor, in a sentence: "Researcher is speaking", "Writer speaks next"..."""
        if self.ended:
            last = self.turns[-1] if self.turns else None
            closing = f": {last.speaker} had the last word" if last is not None and last.role == "manager" else ""
            return f"The conversation is over{closing}."
        writing = next((turn for turn in self.turns if turn.writing), None)
        if writing is not None:
            return f"{writing.speaker} is speaking."
        if self.waiting_for_reply_to:
            return f"Waiting for the user to reply to {self.waiting_for_reply_to}."
        if self.plan_in_review:
            return "Waiting for a person to review the plan."
        for entry in reversed(self.entries):
            if isinstance(entry, Turn) and entry.role == "agent":
                break  # the latest speaker has answered: nobody is chosen yet
            if isinstance(entry, SpeakerChoice):
                has = "has the conversation" if entry.how == "handoff" else "speaks next"
                return f"{entry.speaker} {has}."
        if self.kind == MAGENTIC:
            return "The manager is weighing the team's progress."
        if self.kind == GROUP_CHAT:
            return "The manager is choosing who speaks next."
        return "Nobody has spoken yet." if not self.turns else f"{self.turns[-1].speaker} has spoken."


class TeamStoryReader:
    """Reads a team's events one at a time into `story` (see the module).

    >>> reader = TeamStoryReader()
    >>> for event in events:                       # doctest: +SKIP
    ...     changed = reader.read(event)
    >>> reader.story.turns                         # doctest: +SKIP
    """

    def __init__(self, kind: str = "") -> None:
        self.story = TeamStory(kind=kind)
        self._writing: dict[str, Turn] = {}  # executor id -> its answer streaming in
        self._participants: set[str] = set()  # executors that answered as agents
        self._questions_to_user: set[str] = set()  # request ids of questions to the user
        self._plan_reviews: set[str] = set()  # request ids of plan reviews
        self._instruction = ""  # a Magentic manager's latest instruction, for the next speaker
        self._running = ""  # the executor whose handler was called last
        self._feedback = ""  # a reviewer's latest feedback on the plan

    def read(self, event: WorkflowEvent) -> bool:
        """Take one event into the story; True if the story changed."""
        data = event.data
        match event.type:
            case "executor_invoked":
                return self._delivered(event)
            case "agent_run_update":
                return self._streamed(event.executor_id, getattr(data, "text", "") or "")  # type: ignore[attr-defined]
            case "agent_run":
                return self._answered(event.executor_id, data)  # type: ignore[attr-defined]
            case "group_chat" if isinstance(data, GroupChatRequestSentEvent):
                return self._chosen(data)
            case "handoff_sent":
                self.story.kind = HANDOFF
                reason = getattr(data, "reason", "")
                self._add(SpeakerChoice(data.target, "handoff", chosen_by=data.source, reason=reason))
                return True
            case "magentic_orchestrator":
                return self._magentic(data)
            case "magentic_orchestrator_message":
                return self._late_magentic(getattr(event, "kind", ""), getattr(event, "message", None))
            case "request_info":
                return self._asked(event.request_id, event.source_executor_id, data)  # type: ignore[attr-defined]
            case "output":
                return self._closed(event.source_executor_id, data)  # type: ignore[attr-defined]
        return False

    # --- the conversation ------------------------------------------------------------------------

    def _delivered(self, event: Any) -> bool:
        """A message reached an executor: the run's input, a user's reply, a plan review's
        answer, or the answer of a participant that is no agent."""
        self._running = event.executor_id
        sources, data = tuple(event.source_executor_ids), event.data
        if event.request_id in self._questions_to_user:
            self.story.waiting_for_reply_to = ""
            said = _user_texts(data)
            if said:
                for text in said:
                    self._add(Turn("user", "user", text))
            else:
                self._add(StoryNote("The user ended the conversation.", "ended"))
                self.story.ended = True
            return True
        if event.request_id in self._plan_reviews:
            return self._reviewed(data)
        if sources == (RUN_INPUT,) and event.request_id is None:
            text = _text_of(data)
            if text:
                self._add(Turn("user", "user", text))
            return bool(text)
        if isinstance(data, AgentExecutorResponse) and sources and not self._answered_as_agent(sources[0]):
            # An answer from a participant that is no agent (an executor of your own): it said
            # nothing as an agent does, so its words are read from its answer to the manager.
            if self.story.kind in (GROUP_CHAT, MAGENTIC):
                text = _answer_text(data.agent_run_response)
                if text:
                    self._add(Turn(_name_of(sources[0]), "agent", text))
                return bool(text)
        return False

    def _answered_as_agent(self, executor_id: str) -> bool:
        """True when `executor_id`, or an agent inside it (a reviewed participant's), spoke as an agent."""
        return any(known == executor_id or known.startswith(executor_id + "/") for known in self._participants)

    def _streamed(self, executor_id: str, text: str) -> bool:
        if not text:
            return False  # a tool call streaming in: not words anyone reads
        turn = self._writing.get(executor_id)
        if turn is None:
            turn = self._writing[executor_id] = Turn(_name_of(executor_id), "agent", "", writing=True)
            self._add(turn)
        turn.text += text
        return True

    def _answered(self, executor_id: str, response: Any) -> bool:
        self._participants.add(executor_id)
        text = _answer_text(response)
        turn = self._writing.pop(executor_id, None)
        if turn is not None:
            if text:
                turn.text, turn.writing = text, False
            else:  # it only called a tool after all
                self.story.entries.remove(turn)
            return True
        if text:
            self._add(Turn(_name_of(executor_id), "agent", text))
        return bool(text)

    def _chosen(self, asked: GroupChatRequestSentEvent) -> bool:
        magentic = self.story.kind == MAGENTIC
        self.story.kind = self.story.kind or GROUP_CHAT
        self._add(
            SpeakerChoice(
                asked.participant_name,
                "chosen",
                # The orchestrator is the executor running when it asks (alone in its step).
                chosen_by=MAGENTIC_MANAGER_NAME if magentic else _name_of(self._running),
                reason=asked.reason,
                instruction=self._instruction,
                # A group chat counts its rounds from 0, Magentic from 1 (as Agent Framework does).
                round=asked.round_index if magentic else asked.round_index + 1,
            )
        )
        self._instruction = ""
        return True

    def _asked(self, request_id: str, asker: str, data: Any) -> bool:
        if isinstance(data, (HandoffAgentUserRequest, HandoffUserInputRequest)):
            self.story.kind = self.story.kind or HANDOFF
            self._questions_to_user.add(request_id)
            # The agent that spoke last (the late-2025 previews ask from a node of their own).
            agents = [turn.speaker for turn in self.story.turns if turn.role == "agent"]
            self.story.waiting_for_reply_to = agents[-1] if agents else asker
            return True
        if isinstance(data, (MagenticPlanReviewRequest, LateMagenticPlanReviewRequest)):
            self._plan_reviews.add(request_id)
            self.story.plan_in_review = True
            self._add(StoryNote("The plan waits for a person's review.", "review"))
            return True
        return False

    def _closed(self, source: str, data: Any) -> bool:
        """An output: the closing word, when a group chat's or Magentic's orchestrator gives it
        (a participant's own outputs are its answers, read already)."""
        if self.story.kind not in (GROUP_CHAT, MAGENTIC) or source in self._participants:
            return False
        text = _text_of(data)
        if not text:
            return False
        self._add(Turn(_author_of(data) or source, "manager", text))
        self.story.ended = True
        return True

    # --- Magentic's plan and rounds -------------------------------------------------------------

    def _magentic(self, event: Any) -> bool:
        self.story.kind = MAGENTIC
        kind = getattr(event, "event_type", None)
        if kind is MagenticOrchestratorEventType.PROGRESS_LEDGER_UPDATED:
            ledger: MagenticProgressLedger = event.content
            self.story.rounds.append(LedgerRound(len(self.story.rounds) + 1, ledger))
            self._instruction = str(ledger.instruction_or_question.answer)
            return True
        if kind is MagenticOrchestratorEventType.PLAN_CREATED:
            return self._planned(event.content.text, first=True)
        if kind is MagenticOrchestratorEventType.REPLANNED:
            return self._planned(event.content.text, first=False)
        return False

    def _late_magentic(self, kind: str, message: Any) -> bool:
        self.story.kind = MAGENTIC
        text = getattr(message, "text", "") or ""
        if kind == ORCH_MSG_KIND_TASK_LEDGER:
            return self._planned(text, first=not self.story.plans)
        if kind == ORCH_MSG_KIND_INSTRUCTION:
            self._instruction = text
        return False

    def _planned(self, text: str, first: bool) -> bool:
        """A plan was made. A manager plans again only after a reviewer's feedback or when the
        team stalled (its rounds made no progress), so those are the two reasons for a new one."""
        ledger = TaskLedger.from_message(text)
        if first:
            why, note, kind = "made at the start", f"{MAGENTIC_MANAGER_NAME} made a plan.", "plan"
        elif self._feedback:
            why = f"revised after the reviewer's feedback: {self._feedback}"
            note, kind = f"{MAGENTIC_MANAGER_NAME} revised the plan after the review.", "replan"
        else:
            why = "the team stalled, so the manager started over"
            note, kind = f"The team stalled: {MAGENTIC_MANAGER_NAME} started over with a new plan.", "stall"
        self._plan(PlanVersion(ledger.facts, ledger.plan, why), StoryNote(note, kind))
        self._feedback = ""
        return True

    def _plan(self, plan: PlanVersion, note: StoryNote) -> None:
        plan.after_round = len(self.story.rounds)
        self.story.plans.append(plan)
        self._add(note)

    def _reviewed(self, answer: Any) -> bool:
        """A person answered a plan review: approved, feedback (the manager replans next), or
        (the previews) a plan of their own, which the team follows as it is."""
        self.story.plan_in_review = False
        feedback, edited = "", ""
        if isinstance(getattr(answer, "decision", None), MagenticPlanReviewDecision):  # the previews' reply
            if answer.decision is MagenticPlanReviewDecision.REVISE:
                edited = answer.edited_plan_text or ""
                feedback = "" if edited else answer.comments or ""
        else:
            feedback = "\n".join(m.text for m in getattr(answer, "review", []) if m.text.strip())
        if edited:
            facts = self.story.plans[-1].facts if self.story.plans else ""
            self._plan(PlanVersion(facts, edited, "written by the reviewer"), StoryNote("The reviewer wrote the plan.", "review"))
            return True
        self._feedback = feedback
        said = f"The reviewer asked for changes: {feedback}" if feedback else "The reviewer approved the plan."
        self._add(StoryNote(said, "review"))
        return True

    def _add(self, entry: Entry) -> None:
        self.story.entries.append(entry)


def read_team_story(events: Iterable[WorkflowEvent], kind: str = "") -> TeamStory:
    """The story `events` tell (`kind` if it is known beforehand, say from `team_kind`).

    >>> story = read_team_story(result)             # doctest: +SKIP
    >>> [(turn.speaker, turn.text[:20]) for turn in story.turns]   # doctest: +SKIP
    """
    reader = TeamStoryReader(kind)
    for event in events:
        reader.read(event)
    return reader.story


def team_kind(workflow: Workflow) -> str:
    """"group chat", "handoff" or "magentic" when one of the team builders made `workflow`
    (or it holds such a team, inlined), else ""."""
    for executor in workflow.executors.values():
        if isinstance(executor, MagenticOrchestrator):
            return MAGENTIC
        if isinstance(executor, GroupChatOrchestrator):
            return GROUP_CHAT
        if isinstance(executor, HandoffAgentExecutor):
            return HANDOFF
    return ""


def events_through_step(events: Iterable[WorkflowEvent], number: int) -> list[WorkflowEvent]:
    """The events of a run up to the end of its superstep `number` (all of them if that step
    has not ended): what had happened when the run explorer's step `number` was taken."""
    kept = []
    for event in events:
        kept.append(event)
        if event.type == "superstep_completed" and getattr(event, "iteration", None) == number:
            break
    return kept


# --- reading texts ---------------------------------------------------------------------------------


def _name_of(executor_id: str) -> str:
    """The name a participant goes by in the team: its id without the path of the workflow it
    sits in ("chat/Researcher", inlined with a prefix, speaks as "Researcher")."""
    return executor_id.rsplit("/", 1)[-1]


def _answer_text(response: Any) -> str:
    """What an agent said: the text of its answer's assistant messages (tool calls and their
    results stay with the agent, as the orchestrators keep them)."""
    messages = getattr(response, "messages", None)
    if messages is None:
        return _text_of(response)
    said = [m.text.strip() for m in messages if m.role == Role.ASSISTANT and (m.text or "").strip()]
    return "\n\n".join(said)


def _text_of(value: Any) -> str:
    """The words of a run's input or output: text, a message, a list of them, a request or a response."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (list, tuple)):
        return "\n\n".join(text for text in (_text_of(item) for item in value) if text)
    if isinstance(value, AgentExecutorRequest):
        return _text_of(value.messages)
    text = getattr(value, "text", None)
    return text.strip() if isinstance(text, str) else ""


def _author_of(value: Any) -> str:
    messages = getattr(value, "messages", None)
    if messages:
        return getattr(messages[-1], "author_name", None) or ""
    return getattr(value, "author_name", None) or ""


def _user_texts(reply: Any) -> list[str]:
    """The user's reply as texts ([] ends the conversation); a reply of another shape reads as it prints."""
    try:
        return [message.text for message in user_messages(reply, where="the user's reply") if message.text.strip()]
    except RequestResponseError:  # the run refuses it too, and says so; the story shows what was sent
        return [str(reply)]
