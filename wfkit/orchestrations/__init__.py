"""Ready-made shapes for agents, spelled as today's Agent Framework spells them
(``agent_framework.orchestrations``)::

    from wfkit.orchestrations import SequentialBuilder, ConcurrentBuilder, AgentRequestInfoResponse

    SequentialBuilder(participants=[writer, editor]).build()        # output: the editor's answer
    ConcurrentBuilder(participants=[a, b, c]).with_aggregator(pick_best).build()
    SequentialBuilder(participants=[writer, editor]).with_request_info().build()  # a person reviews each answer
    HandoffBuilder(participants=[triage, refund]).with_start_agent(triage).build()  # agents hand off by tool call
    GroupChatBuilder(participants=[researcher, writer], orchestrator_agent=chair).build()
    MagenticBuilder(participants=[researcher, coder], manager_agent=lead, enable_plan_review=True).build()

- `sequential`: `SequentialBuilder`, participants taking turns on one conversation.
- `concurrent`: `ConcurrentBuilder`, everyone answering the same input, then an aggregator.
- `request_info`: `AgentRequestInfoResponse` and the review loop ``with_request_info()`` adds.
- `group_chat`: `GroupChatBuilder`, a manager choosing who speaks each round; `group_chat_orchestrator`
  (the hub executor), `group_chat_manager` (a selection function or a managing agent),
  `group_chat_types` (the state a manager reads, the events).
- `magentic`: `MagenticBuilder`, a manager that plans, hands out work and writes the final answer;
  `magentic_orchestrator` (the loop), `magentic_manager` and `magentic_prompts` (the model's part),
  `magentic_types` (today's ledgers, events and plan review), `magentic_late_2025` (the previews' ones).
- `base`: what both builders share, and the two spellings.
- `team_story`: `TeamStory`, a group chat's, handoff's or Magentic team's run read from its
  events (who spoke, who chose them and why, the plan and its rounds), for the notebook's
  `TeamView` and the run explorer; `read_team_story(events)` reads one.
- `handoff`: `HandoffBuilder`, agents handing the conversation to each other with
  ``handoff_to_<name>`` tools; `handoff_executor` (one agent as a node), `handoff_tools` (the
  tools), `handoff_requests` (the handoff message, the questions to the user, the event) and
  `handoff_user_input` (the late-2025 previews' node that asks the user).

The same builders are importable from `wfkit` in the late-2025 spelling,
``SequentialBuilder().participants([...])``, which keeps that era's outputs (the whole
conversation; the prompt and each answer). Each builder is a plain `Workflow` once built, so it
runs, streams, checkpoints, draws and composes like any other. Its small glue executors show in
the drawing and the event log under the ids Agent Framework gives them ("input-conversation",
"dispatcher", "aggregator", "end").
"""

from .concurrent import ConcurrentBuilder
from .handoff import HandoffBuilder, resolve_agent_id
from .handoff_executor import HandoffAgentExecutor
from .handoff_requests import Handoff, HandoffAgentUserRequest, HandoffSentEvent, HandoffUserInputRequest
from .group_chat import GroupChatBuilder
from .group_chat_manager import DECISION_PROMPT
from .group_chat_types import (
    AgentOrchestrationOutput,
    GroupChatRequestSentEvent,
    GroupChatResponseReceivedEvent,
    GroupChatState,
    GroupChatStateSnapshot,
    GroupChatTurn,
)
from .magentic import MagenticBuilder
from .magentic_manager import StandardMagenticManager
from .magentic_types import (
    MAGENTIC_MANAGER_NAME,
    MagenticContext,
    MagenticOrchestratorEvent,
    MagenticOrchestratorEventType,
    MagenticPlanReviewRequest,
    MagenticPlanReviewResponse,
    MagenticProgressLedger,
    MagenticProgressLedgerItem,
)
from .request_info import AgentRequestInfoResponse
from .sequential import SequentialBuilder
from .team_story import (
    LedgerRound,
    PlanVersion,
    SpeakerChoice,
    StoryNote,
    TeamStory,
    TeamStoryReader,
    Turn,
    events_through_step,
    read_team_story,
    team_kind,
)

__all__ = [
    "AgentOrchestrationOutput",
    "AgentRequestInfoResponse",
    "ConcurrentBuilder",
    "DECISION_PROMPT",
    "GroupChatBuilder",
    "GroupChatRequestSentEvent",
    "GroupChatResponseReceivedEvent",
    "GroupChatState",
    "GroupChatStateSnapshot",
    "GroupChatTurn",
    "Handoff",
    "HandoffAgentExecutor",
    "HandoffAgentUserRequest",
    "HandoffBuilder",
    "HandoffSentEvent",
    "HandoffUserInputRequest",
    "LedgerRound",
    "MAGENTIC_MANAGER_NAME",
    "MagenticBuilder",
    "MagenticContext",
    "MagenticOrchestratorEvent",
    "MagenticOrchestratorEventType",
    "MagenticPlanReviewRequest",
    "MagenticPlanReviewResponse",
    "MagenticProgressLedger",
    "MagenticProgressLedgerItem",
    "PlanVersion",
    "SequentialBuilder",
    "SpeakerChoice",
    "StandardMagenticManager",
    "StoryNote",
    "TeamStory",
    "TeamStoryReader",
    "Turn",
    "events_through_step",
    "read_team_story",
    "resolve_agent_id",
    "team_kind",
]
