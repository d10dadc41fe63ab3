"""`MagenticBuilder`: a manager plans, hands out work round by round, and writes the answer.

    # today's AF (1.x)
    MagenticBuilder(participants=[researcher, coder], manager_agent=lead, max_round_count=10).build()
    MagenticBuilder(participants=[...], manager_agent=lead, enable_plan_review=True, checkpoint_storage=s)

    # the late-2025 previews
    (MagenticBuilder()
        .participants(researcher=researcher, coder=coder)
        .with_standard_manager(chat_client=client, max_round_count=10, max_stall_count=3)
        .with_plan_review()
        .with_checkpointing(storage)
        .build())

The graph is a star, as for a group chat: the orchestrator ("magentic_orchestrator") with an
edge to and from each participant; `magentic_orchestrator` explains the loop, and
`magentic_manager` the model's part (facts, plan, progress ledger, final answer).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any, Self

from ..core.builder import WorkflowBuilder
from ..core.workflow import Workflow
from ..errors import WorkflowValidationError
from .base import NOT_GIVEN, OrchestrationBuilder, ParticipantRef, Spelling
from ..core.executor import Executor
from .group_chat import description_of
from . import magentic_late_2025 as late
from .magentic_late_2025 import MagenticAgentExecutor, MagenticCallbackMode
from .magentic_manager import StandardMagenticManager
from .magentic_orchestrator import ORCHESTRATOR_ID, MagenticOrchestrator


class MagenticBuilder(OrchestrationBuilder):
    """Builds a Magentic team (see the module). Today's spelling takes everything in the
    constructor; the late-2025 one is configured with ``participants(...)``,
    ``with_standard_manager(...)``, ``with_plan_review()`` and ``with_checkpointing(...)``."""

    def __init__(
        self,
        *,
        participants: Sequence[Any] | None = None,
        manager_agent: Any = None,
        manager: StandardMagenticManager | None = None,
        enable_plan_review: bool = False,
        checkpoint_storage: Any = None,
        max_round_count: int | None = None,
        max_stall_count: int = 3,
        max_reset_count: int | None = None,
        name: str | None = None,
        output_from: Sequence[ParticipantRef] | str | None = NOT_GIVEN,
        intermediate_output_from: Sequence[ParticipantRef] | str | None = None,
    ) -> None:
        super().__init__(
            participants=participants,
            checkpoint_storage=checkpoint_storage,
            name=name,
            output_from=output_from,
            intermediate_output_from=intermediate_output_from,
        )
        if manager_agent is not None and manager is not None:
            raise WorkflowValidationError("MagenticBuilder takes manager_agent= (an agent) or manager= (a manager), not both.")
        self._manager: StandardMagenticManager | None = manager
        if manager_agent is not None:
            self._manager = StandardMagenticManager(
                manager_agent, max_round_count=max_round_count, max_stall_count=max_stall_count, max_reset_count=max_reset_count
            )
        self._plan_review = bool(enable_plan_review)
        if manager_agent is not None or manager is not None or enable_plan_review:
            self._spelling = self._spelling or Spelling.TODAY

    # --- the late-2025 spelling ---------------------------------------------------------------

    def participants(self, participants: Sequence[Any] | Mapping[str, Any] | None = None, /, **named: Any) -> Self:
        """The team, in the late-2025 spelling: keywords name each member
        (``participants(researcher=agent_a, coder=agent_b)``); a list or dict works too."""
        if isinstance(participants, Mapping):
            named, participants = {**participants, **named}, None
        if named and participants:
            raise WorkflowValidationError("MagenticBuilder.participants(...) takes a list or names (keywords), not both.")
        given = named.items() if named else ((None, item) for item in participants or [])
        items = [item if isinstance(item, Executor) else MagenticAgentExecutor(item, id=key) for key, item in given]
        return super().participants(items)

    def with_standard_manager(
        self,
        manager: StandardMagenticManager | None = None,
        *,
        chat_client: Any = None,
        agent: Any = None,
        instructions: str | None = None,
        max_round_count: int | None = None,
        max_stall_count: int = 3,
        max_reset_count: int | None = None,
    ) -> Self:
        """The manager, in the late-2025 spelling: a ready `StandardMagenticManager`, or one made
        over `chat_client` (or `agent`) with these limits. Today:
        ``MagenticBuilder(manager_agent=agent, max_round_count=...)``."""
        if self._spelling is Spelling.TODAY:
            raise WorkflowValidationError(
                "MagenticBuilder.with_standard_manager(...) is the late-2025 spelling; this builder was made in "
                "today's. Pass the manager to the constructor: MagenticBuilder(participants=[...], "
                "manager_agent=agent, max_round_count=..., max_stall_count=..., max_reset_count=...)."
            )
        if self._manager is not None:
            raise WorkflowValidationError("MagenticBuilder already has a manager; give it once.")
        self._spelling = Spelling.LATE_2025
        self._manager = manager or StandardMagenticManager(
            agent,
            chat_client=chat_client,
            instructions=instructions,
            max_round_count=max_round_count,
            max_stall_count=max_stall_count,
            max_reset_count=max_reset_count,
        )
        return self

    def on_event(self, callback: Any, *, mode: MagenticCallbackMode = MagenticCallbackMode.NON_STREAMING) -> Self:
        """Call `callback(event)` with each Magentic event as it happens (the earliest previews'
        spelling; later ones read the same events from the run's stream). In STREAMING mode it
        also hears each piece of a participant's answer (`MagenticAgentDeltaEvent`)."""
        self._late_2025_only("on_event(...)")
        self._on_event, self._callback_mode = callback, MagenticCallbackMode(mode)
        return self

    def on_exception(self, callback: Any) -> Self:
        """Call `callback(error)` when the orchestrator fails (the earliest previews' spelling);
        the run then fails as usual."""
        self._late_2025_only("on_exception(...)")
        self._on_exception = callback
        return self

    def with_plan_review(self, enable: bool = True) -> Self:
        """Pause for a person to approve (or revise) the plan before the team starts."""
        self._plan_review = bool(enable)
        return self

    def with_checkpointing(self, checkpoint_storage: Any) -> Self:
        """Save a checkpoint after every superstep (both spellings take it for Magentic, as
        Agent Framework 1.x's MagenticBuilder still does)."""
        self._checkpoint_storage = checkpoint_storage
        return self

    def _late_2025_only(self, method: str) -> None:
        if self._spelling is Spelling.TODAY:
            raise WorkflowValidationError(
                f"MagenticBuilder.{method} is the late-2025 spelling; in today's, read the events of "
                "workflow.run(task, stream=True) (type \"magentic_orchestrator\") and catch the run's error."
            )

    def build(self) -> Workflow:
        """The workflow (in the late-2025 spelling a `MagenticWorkflow`, which the October
        preview's code reaches as ``.workflow``)."""
        builder = self.builder()
        if not self.today:
            builder.workflow_class = late.MagenticWorkflow
        return builder.build()

    def builder(self) -> WorkflowBuilder:
        """The `WorkflowBuilder` behind it: the orchestrator with an edge to and from each participant."""
        if self._manager is None:
            raise WorkflowValidationError(
                "MagenticBuilder has no manager. Today: MagenticBuilder(participants=[...], manager_agent=agent); "
                "late 2025: .with_standard_manager(chat_client=client)."
            )
        participants = self._executors()
        team = OrderedDict((p.id, description_of(p)) for p in participants)
        if ORCHESTRATOR_ID in team:
            raise WorkflowValidationError(f"MagenticBuilder: {ORCHESTRATOR_ID!r} is the orchestrator's id; name the participant otherwise.")
        on_event = getattr(self, "_on_event", None)
        orchestrator = MagenticOrchestrator(
            ORCHESTRATOR_ID, self._manager, team, plan_review=self._plan_review, late_2025=not self.today, on_event=on_event,
            on_exception=getattr(self, "_on_exception", None),
        )
        for participant in participants:
            if isinstance(participant, MagenticAgentExecutor):
                participant.on_event, participant.callback_mode = on_event, getattr(self, "_callback_mode", MagenticCallbackMode.NON_STREAMING)
        shown = self._shown_outputs(participants, default=[], always=[orchestrator]) if self.today else None
        builder = self._workflow_builder("Magentic" if self.today else "magentic", shown)
        for participant in participants:
            builder.add_edge(orchestrator, participant).add_edge(participant, orchestrator)
        builder.set_start_executor(orchestrator)
        return builder
