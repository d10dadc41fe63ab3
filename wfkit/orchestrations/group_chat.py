"""`GroupChatBuilder`: participants talk in turns a manager chooses, until the task is done.

    # today's AF (1.x)
    GroupChatBuilder(participants=[researcher, writer], selection_func=pick, max_rounds=6).build()
    GroupChatBuilder(participants=[researcher, writer], orchestrator_agent=chair).build()

    # the late-2025 previews
    GroupChatBuilder().participants(researcher=researcher, writer=writer).select_speakers(pick).build()
    GroupChatBuilder().set_prompt_based_manager(client).participants([researcher, writer]).build()

The graph is a star: the orchestrator ("group_chat_orchestrator", or the managing agent's
name) in the middle, with an edge to and from each participant (see
`group_chat_orchestrator`). The manager is either a function that names the next speaker
(`selection_func=` / ``select_speakers``) or an agent that reads the chat and decides
(`orchestrator_agent=` / ``set_prompt_based_manager`` / ``set_manager``): see
`group_chat_manager`. The chat ends when the manager says so, when ``termination_condition``
(a function of the conversation) returns True, or after ``max_rounds`` turns.

The output is the chat's closing message: today an `AgentResponse` (an `AgentResponseUpdate`
in a streamed run), in the previews the `ChatMessage` itself. Participants' answers are not
outputs unless named in ``output_from=`` / ``intermediate_output_from=`` (today's spelling).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Self

from ..agents.agent import Agent
from ..agents.executor import AgentExecutor
from ..core.builder import WorkflowBuilder
from ..core.executor import Executor
from ..errors import WorkflowValidationError
from .base import NOT_GIVEN, OrchestrationBuilder, ParticipantRef, Spelling
from .group_chat_manager import AgentManager, SelectionManager
from .group_chat_orchestrator import GroupChatOrchestrator, TerminationCondition
from .group_chat_types import NO_DESCRIPTION
from .request_info import with_review

ORCHESTRATOR_ID = "group_chat_orchestrator"


class GroupChatBuilder(OrchestrationBuilder):
    """Builds a group chat: a manager picks who speaks each round (see the module).

    Today's spelling takes everything in the constructor; the late-2025 one starts empty and
    is configured with ``participants(...)``, ``select_speakers(...)`` or
    ``set_prompt_based_manager(...)``, ``with_max_rounds(...)`` and ``with_checkpointing(...)``.
    ``with_termination_condition``, ``with_max_rounds``, ``with_checkpointing`` and
    ``with_request_info`` work in both.
    """

    def __init__(
        self,
        *,
        participants: Sequence[Any] | None = None,
        selection_func: Callable[[Any], Any] | None = None,
        orchestrator_agent: Any = None,
        orchestrator_name: str | None = None,
        termination_condition: TerminationCondition | None = None,
        max_rounds: int | None = None,
        checkpoint_storage: Any = None,
        name: str | None = None,
        output_from: Sequence[ParticipantRef] | str | None = NOT_GIVEN,
        intermediate_output_from: Sequence[ParticipantRef] | str | None = None,
        orchestrator: Any = None,
    ) -> None:
        if orchestrator is not None:
            raise WorkflowValidationError(
                "GroupChatBuilder(orchestrator=...) takes a custom orchestrator class in Agent Framework; wfkit "
                "builds its own. Pass selection_func= (a function naming the next speaker) or orchestrator_agent= "
                "(an agent that decides) instead."
            )
        super().__init__(
            participants=participants,
            checkpoint_storage=checkpoint_storage,
            name=name,
            output_from=output_from,
            intermediate_output_from=intermediate_output_from,
        )
        self._manager: Any = None
        self._manager_kind = ""  # for messages: how the manager was given
        self._display_name = orchestrator_name
        self._termination_condition = termination_condition
        self._max_rounds = _checked_rounds(max_rounds)
        today_manager = [arg for arg in (selection_func, orchestrator_agent) if arg is not None]
        if len(today_manager) > 1:
            raise WorkflowValidationError(
                "GroupChatBuilder takes one manager: selection_func= (a function) or orchestrator_agent= (an agent), "
                "not both."
            )
        if selection_func is not None:
            self._set_manager(SelectionManager(selection_func, late_2025=False, name=orchestrator_name or ORCHESTRATOR_ID), "selection_func=")
        elif orchestrator_agent is not None:
            self._set_manager(AgentManager(_checked_agent(orchestrator_agent, "orchestrator_agent=")), "orchestrator_agent=")
        if today_manager or termination_condition is not None or max_rounds is not None:
            self._spelling = self._spelling or Spelling.TODAY

    # --- the late-2025 spelling ---------------------------------------------------------------

    def participants(self, participants: Sequence[Any] | Mapping[str, Any] | None = None, /, **named: Any) -> Self:
        """The participants, in the late-2025 spelling: a list (each agent goes by its name), a
        dict, or keywords (``participants(researcher=agent_a, writer=agent_b)``: the keyword is
        its name in the chat)."""
        if isinstance(participants, Mapping):
            named = {**participants, **named}
            participants = None
        if named:
            if participants:
                raise WorkflowValidationError(
                    "GroupChatBuilder.participants(...) takes a list or names (keywords), not both."
                )
            participants = [_named(name, item) for name, item in named.items()]
        return super().participants(participants or [])

    def select_speakers(
        self, selector: Callable[[Any], Any], *, display_name: str | None = None, final_message: Any = None
    ) -> Self:
        """The late-2025 speaker selector: ``selector(state)`` gets a `GroupChatStateSnapshot`
        and returns the next speaker's name, or None to end the chat (today:
        ``GroupChatBuilder(selection_func=...)``). `final_message` (text) closes the chat."""
        self._late_2025("select_speakers(...)", "selection_func=")
        self._display_name = display_name or self._display_name
        manager = SelectionManager(selector, late_2025=True, name=display_name or "manager", final_message=final_message)
        self._set_manager(manager, "select_speakers(...)")
        return self

    def set_prompt_based_manager(
        self, chat_client: Any, *, instructions: str | None = None, display_name: str | None = None
    ) -> Self:
        """A model chairs the chat (the late-2025 spelling): an agent over `chat_client` that
        reads the conversation and the participants' descriptions and picks the next speaker
        (today: ``GroupChatBuilder(orchestrator_agent=Agent(client, ...))``)."""
        self._late_2025("set_prompt_based_manager(...)", "orchestrator_agent=")
        name = display_name or "manager"
        agent = Agent(chat_client, instructions or "You coordinate a team of participants to complete the user's task.", name=name)
        self._display_name = name
        self._set_manager(AgentManager(agent), "set_prompt_based_manager(...)")
        return self

    def set_manager(self, manager: Any, *, display_name: str | None = None) -> Self:
        """An agent chairs the chat (the late-2025 spelling); see `set_prompt_based_manager`."""
        self._late_2025("set_manager(...)", "orchestrator_agent=")
        self._display_name = display_name or getattr(manager, "name", None)
        self._set_manager(AgentManager(_checked_agent(manager, "set_manager(...)")), "set_manager(...)")
        return self

    # --- both spellings -------------------------------------------------------------------------

    def with_termination_condition(self, condition: TerminationCondition) -> Self:
        """End the chat once ``condition(conversation)`` returns True (checked before each turn)."""
        if not callable(condition):
            raise WorkflowValidationError(
                f"with_termination_condition takes a function of the conversation, got {condition!r}: "
                "for example lambda conversation: len(conversation) >= 6."
            )
        self._termination_condition = condition
        return self

    def with_max_rounds(self, max_rounds: int | None) -> Self:
        """End the chat after `max_rounds` turns (None: no limit)."""
        self._max_rounds = _checked_rounds(max_rounds)
        return self

    def with_checkpointing(self, checkpoint_storage: Any) -> Self:
        """Save a checkpoint after every superstep (both spellings take it for a group chat, as
        Agent Framework 1.x's GroupChatBuilder still does)."""
        self._checkpoint_storage = checkpoint_storage
        return self

    def builder(self) -> WorkflowBuilder:
        """The `WorkflowBuilder` behind it: the orchestrator with an edge to and from each participant."""
        if self._manager is None:
            raise WorkflowValidationError(
                "GroupChatBuilder has no manager to choose the speakers. Today's spelling: "
                "GroupChatBuilder(participants=[...], selection_func=pick) or orchestrator_agent=agent; the late-2025 "
                "one: .select_speakers(pick) or .set_prompt_based_manager(client)."
            )
        participants = self._executors()
        reviewed = self._reviewed_ids(participants)
        descriptions = OrderedDict((p.id, description_of(p)) for p in participants)
        orchestrator_id = self._orchestrator_id()
        if orchestrator_id in descriptions:
            raise WorkflowValidationError(
                f"GroupChatBuilder: the orchestrator's id {orchestrator_id!r} is also a participant's name. Give the "
                "managing agent (or orchestrator_name=) another name."
            )
        orchestrator = GroupChatOrchestrator(
            orchestrator_id,
            self._manager,
            descriptions,
            late_2025=not self.today,
            max_rounds=self._max_rounds,
            termination_condition=self._termination_condition,
            display_name=self._display_name or orchestrator_id,
        )
        nodes = [with_review(p) if p.id in reviewed else p for p in participants]
        shown = self._shown_outputs(participants, default=[], always=[orchestrator]) if self.today else None
        builder = self._workflow_builder("GroupChat" if self.today else "group_chat", shown)
        for node in nodes:
            builder.add_edge(orchestrator, node).add_edge(node, orchestrator)
        builder.set_start_executor(orchestrator)
        return builder

    # --- helpers ----------------------------------------------------------------------------------

    def _set_manager(self, manager: Any, how: str) -> None:
        if self._manager is not None:
            raise WorkflowValidationError(
                f"GroupChatBuilder already has a manager (given with {self._manager_kind}); {how} would be a "
                "second. Give one manager."
            )
        self._manager, self._manager_kind = manager, how

    def _late_2025(self, method: str, today: str) -> None:
        if self._spelling is Spelling.TODAY:
            raise WorkflowValidationError(
                f"GroupChatBuilder.{method} is the late-2025 spelling, but this builder was made in today's "
                f"(constructor arguments). Pass the manager to the constructor instead: GroupChatBuilder("
                f"participants=[...], {today}...)."
            )
        self._spelling = Spelling.LATE_2025

    def _orchestrator_id(self) -> str:
        if isinstance(self._manager, AgentManager) and self.today:
            return self._manager.name  # as AF 1.x: the managing agent is the node
        return ORCHESTRATOR_ID


def _named(name: str, item: Any) -> Any:
    """A participant given under a name: an agent becomes an `AgentExecutor` with that id."""
    if isinstance(item, Executor):
        return item
    return AgentExecutor(item, id=name)


def description_of(executor: Executor) -> str:
    """What a participant does, as its manager reads it: the agent's description, else a placeholder."""
    agent = getattr(executor, "agent", None)
    text = getattr(agent, "description", None) or getattr(executor, "description", None)
    return text if isinstance(text, str) and text.strip() else NO_DESCRIPTION


def _checked_agent(agent: Any, where: str) -> Any:
    if not callable(getattr(agent, "run", None)):
        raise WorkflowValidationError(
            f"GroupChatBuilder {where} takes an agent (something with run(messages)), got {agent!r}. For a "
            "function that picks the speaker use selection_func= (today) or select_speakers(...) (late 2025)."
        )
    return agent


def _checked_rounds(max_rounds: int | None) -> int | None:
    if max_rounds is not None and (not isinstance(max_rounds, int) or max_rounds < 1):
        raise WorkflowValidationError(f"max_rounds is a whole number of turns, 1 or more (or None); got {max_rounds!r}.")
    return max_rounds
