"""`HandoffBuilder`: agents pass the conversation to each other by calling a tool.

In a handoff workflow no one orchestrates from above. Each agent gets a ``handoff_to_<name>``
tool for every participant it may hand off to; when a request is for someone else, the agent
calls that tool and the conversation goes to that agent, who answers next. When an agent
answers without handing off, the workflow asks the user what comes next::

    user -> triage_agent --handoff_to_refund_agent--> refund_agent -> user -> refund_agent -> ...

It comes in the two spellings of Agent Framework that learners meet:

    # today's AF (agent_framework.orchestrations)
    HandoffBuilder(participants=[triage, refund, order], termination_condition=...)
        .with_start_agent(triage).build()

    # the late-2025 previews (from agent_framework import HandoffBuilder)
    HandoffBuilder(name="support", participants=[triage, refund, order])
        .set_coordinator(triage).build()

What differs between them:

=========================  ==========================================  ==========================================
                           today (1.x)                                 late 2025
=========================  ==========================================  ==========================================
first agent                ``.with_start_agent(agent)``                ``.set_coordinator(agent)``
who may hand off (default) every agent to every other one              only the coordinator, to every specialist
the user is asked by       the agent that answered: a                  the "handoff-user-input" node: a
                           `HandoffAgentUserRequest`                   `HandoffUserInputRequest`
the user's reply goes to   that same agent (``enable_return_to_        the coordinator
                           previous(False)``: the start agent)
outputs                    each agent's answer (an `AgentResponse`)    the whole conversation, once it ends
ends when                  the termination condition holds, or the     the termination condition holds (default:
                           user replies ``terminate()``                10 user messages)
=========================  ==========================================  ==========================================

``.add_handoff(source, [targets])`` (both) limits who may hand off to whom: only those edges
are drawn, and only those tools given. Today's spelling also takes ``.with_autonomous_mode()``
(an agent goes on by itself instead of asking the user), ``output_from=`` and
``intermediate_output_from=``; the previews' takes ``.request_prompt("...")``.

The built workflow is a plain `Workflow` of wfkit executors and edges: draw it with
``workflow.to_dot()`` (an edge per allowed handoff), step through it in the run explorer (each
handoff is a `Handoff` message on its edge), checkpoint and resume it, compose it with
``add_workflow`` or use it as an agent with ``.as_agent()``. Mixing the two spellings on one
builder is refused, with a message saying which one to keep.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

from ..agents.agent import Agent
from ..core.builder import WorkflowBuilder
from ..core.executor import Executor
from ..core.workflow import Workflow
from ..errors import WorkflowValidationError
from .handoff_executor import HandoffAgentExecutor, TerminationCondition
from .handoff_requests import DEFAULT_PROMPT
from .handoff_tools import HandoffTool, handoff_tool_name
from .handoff_user_input import HandoffUserInput, ten_user_messages
from .sequential import ConversationStart

TODAY, LATE_2025 = "today's AF (1.x)", "the late-2025 previews"
_NOT_GIVEN: Any = object()

AgentRef = str | Agent  # a participant, by name or as the agent


def resolve_agent_id(agent: Any) -> str:
    """The id a participant goes by in a workflow: its name, or its id if it has no name."""
    return getattr(agent, "name", None) or getattr(agent, "id", None) or repr(agent)


class HandoffBuilder:
    """Builds a handoff workflow from agents that hand the conversation to each other (see the
    module for the two spellings and what each produces).

    ``HandoffBuilder(name=, participants=, description=)`` in both spellings; today's adds
    ``checkpoint_storage=``, ``termination_condition=``, ``output_from=`` and
    ``intermediate_output_from=``.
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        participants: Sequence[Agent] | None = None,
        description: str | None = None,
        checkpoint_storage: Any = None,
        termination_condition: TerminationCondition | None = None,
        output_from: Sequence[AgentRef] | str | None = _NOT_GIVEN,
        intermediate_output_from: Sequence[AgentRef] | str | None = None,
    ) -> None:
        self._name = name
        self._description = description
        self._participants: dict[str, Agent] = {}
        self._spelling: str | None = None
        self._spelled_by = ""  # the call that chose the spelling, for error messages
        self._start_id: str | None = None
        self._handoffs: dict[str, dict[str, str | None]] = {}  # source -> {target: tool description}
        self._checkpoint_storage = checkpoint_storage
        self._termination_condition = termination_condition
        self._output_from = output_from
        self._intermediate_output_from = intermediate_output_from
        self._return_to_previous = True
        self._autonomous: dict[str, Any] | None = None
        self._request_prompt: str | None = None
        self._with_tools = True
        for given, word in ((checkpoint_storage, "checkpoint_storage="), (termination_condition, "termination_condition="),
                            (intermediate_output_from, "intermediate_output_from=")):  # fmt: skip
            if given is not None:
                self._spell(TODAY, f"HandoffBuilder({word}...)")
        if output_from is not _NOT_GIVEN:
            self._spell(TODAY, "HandoffBuilder(output_from=...)")
        if participants is not None:
            self.participants(participants)

    # --- both spellings -------------------------------------------------------------------------

    def participants(self, participants: Sequence[Agent]) -> Self:
        """The agents taking part, each with a name of its own (the handoff tools are named
        after it: ``handoff_to_refund_agent``)."""
        if self._participants:
            raise WorkflowValidationError(
                "HandoffBuilder already has its participants; give them once, in HandoffBuilder(participants=[...]) "
                "or in .participants([...])."
            )
        if isinstance(participants, (str, bytes)) or not isinstance(participants, Sequence) or not participants:
            raise WorkflowValidationError(
                f"HandoffBuilder takes its participants as a non-empty list of agents: participants=[triage, refund]; "
                f"got {participants!r}."
            )
        named: dict[str, Agent] = {}
        for participant in participants:
            if not isinstance(participant, Agent):
                raise WorkflowValidationError(
                    f"HandoffBuilder's participants are agents (Agent or ChatAgent), got {type(participant).__name__}: "
                    f"{participant!r}. A handoff adds tools to each agent's runs, which a plain executor has no use "
                    "for; put an executor around the handoff workflow instead (builder.add_workflow(...))."
                )
            agent_id = resolve_agent_id(participant)
            if agent_id in named:
                raise WorkflowValidationError(
                    f"HandoffBuilder has two participants named {agent_id!r}. Give each agent its own name: the "
                    "handoff tools and the graph's nodes are named after it."
                )
            named[agent_id] = participant
        self._participants = named
        return self

    def add_handoff(
        self,
        source: AgentRef,
        targets: AgentRef | Sequence[AgentRef],
        *,
        description: str | None = None,
        tool_description: str | None = None,
    ) -> Self:
        """Let `source` hand off to each of `targets` (call it again to add more). Once any
        handoff is added, only the handoffs added are allowed: each is an edge of the graph and
        a tool of the source agent.

        Today's AF takes a list of targets and ``description=`` (the tool's description; by
        default the target agent's description). The previews also took one target alone and
        ``tool_description=``.
        """
        if not self._participants:
            raise WorkflowValidationError("Give HandoffBuilder its participants before add_handoff(...).")
        if isinstance(targets, (str, Agent)):
            self._spell(LATE_2025, "add_handoff(source, target) with one target (not a list)")
            targets = [targets]
        if description is not None:
            self._spell(TODAY, "add_handoff(..., description=...)")
        if tool_description is not None:
            self._spell(LATE_2025, "add_handoff(..., tool_description=...)")
        source_id = self._participant_id(source, "add_handoff(source, ...)")
        chosen = self._handoffs.setdefault(source_id, {})
        for target in targets:
            target_id = self._participant_id(target, "add_handoff(..., targets)")
            if target_id == source_id:
                raise WorkflowValidationError(
                    f"add_handoff({source_id!r}, ...) names {source_id!r} as its own target. An agent keeps the "
                    "conversation by answering; handoffs are to other participants."
                )
            chosen[target_id] = description or tool_description
        return self

    def with_termination_condition(self, condition: TerminationCondition) -> Self:
        """End the conversation when ``condition(conversation)`` (sync or async) is true. It is
        given the conversation without tool calls: ``lambda conv: "goodbye" in conv[-1].text``."""
        if not callable(condition):
            raise WorkflowValidationError(
                f"with_termination_condition takes a function of the conversation, got {condition!r}: "
                "with_termination_condition(lambda conversation: len(conversation) > 20)."
            )
        self._termination_condition = condition
        return self

    def with_checkpointing(self, checkpoint_storage: Any) -> Self:
        """Save a checkpoint after every superstep, so a conversation can be resumed where it
        waits (for the user, or for an approval)."""
        self._checkpoint_storage = checkpoint_storage
        return self

    # --- today's spelling -----------------------------------------------------------------------

    def with_start_agent(self, agent: AgentRef) -> Self:
        """The agent that reads the run's input first (today's AF)."""
        self._spell(TODAY, "with_start_agent(...)")
        self._start_id = self._participant_id(agent, "with_start_agent(...)")
        return self

    def enable_return_to_previous(self, enabled: bool = True) -> Self:
        """Whether the user's reply goes back to the agent that asked (the default) or, when
        False, to the start agent, which reads it first and may hand off again."""
        self._spell(TODAY, "enable_return_to_previous(...)")
        self._return_to_previous = bool(enabled)
        return self

    def with_autonomous_mode(
        self,
        *,
        agents: Sequence[AgentRef] | None = None,
        prompts: dict[str, str] | None = None,
        turn_limits: dict[str, int] | None = None,
    ) -> Self:
        """Let agents (all, or those named) go on by themselves instead of asking the user: an
        answer without a handoff is followed by a USER message ("User did not respond. Continue
        assisting autonomously.", or `prompts[name]`) and the agent answers again, up to
        `turn_limits[name]` times (default 50) before the user is asked."""
        self._spell(TODAY, "with_autonomous_mode(...)")
        named = [self._participant_id(agent, "with_autonomous_mode(agents=...)") for agent in agents or []]
        for key in [*(prompts or {}), *(turn_limits or {})]:
            self._participant_id(key, "with_autonomous_mode(prompts= / turn_limits=...)")
        self._autonomous = {"agents": named, "prompts": dict(prompts or {}), "turn_limits": dict(turn_limits or {})}
        return self

    # --- the late-2025 spelling -----------------------------------------------------------------

    def set_coordinator(self, agent: AgentRef) -> Self:
        """The agent that reads the run's input and every reply of the user (the previews)."""
        self._spell(LATE_2025, "set_coordinator(...)")
        self._start_id = self._participant_id(agent, "set_coordinator(...)")
        return self

    def request_prompt(self, prompt: str | None) -> Self:
        """The sentence the user is shown when asked for the next message (the previews)."""
        self._spell(LATE_2025, "request_prompt(...)")
        self._request_prompt = prompt
        return self

    def auto_register_handoff_tools(self, enabled: bool) -> Self:
        """False: give the agents no handoff tools (nobody can hand off). The previews' option."""
        self._spell(LATE_2025, "auto_register_handoff_tools(...)")
        self._with_tools = bool(enabled)
        return self

    # --- building -------------------------------------------------------------------------------

    def build(self) -> Workflow:
        """The workflow."""
        return self.builder().build()

    def builder(self) -> WorkflowBuilder:
        """The `WorkflowBuilder` behind it, to change or compose before building."""
        if not self._participants:
            raise WorkflowValidationError(
                "HandoffBuilder has no participants: HandoffBuilder(participants=[triage, refund, order])."
            )
        if self._start_id is None:
            raise WorkflowValidationError(
                "HandoffBuilder needs to know which agent reads the run's input first: "
                ".with_start_agent(triage) (today's AF), or .set_coordinator(triage) (the late-2025 previews)."
            )
        today = self._spelling == TODAY
        if today:
            self._check_history_flag()
        handoffs = self._resolved_handoffs(today)
        self._check_reachable(handoffs, today)
        executors = {
            agent_id: self._executor(agent_id, agent, handoffs.get(agent_id, {}), today)
            for agent_id, agent in self._participants.items()
        }
        return self._today_graph(executors) if today else self._late_2025_graph(executors)

    def _today_graph(self, executors: dict[str, HandoffAgentExecutor]) -> WorkflowBuilder:
        builder = WorkflowBuilder(
            name=self._name or "Handoff",
            description=self._description,
            output_from=self._ids_or_word(self._output_from, "output_from", ("all",)),
            intermediate_output_from=self._ids_or_word(
                self._intermediate_output_from, "intermediate_output_from", ("all", "all_other")
            ),
        )
        start = executors[self._start_id]  # type: ignore[index]
        builder.set_start_executor(start)
        edges = {(source, target) for source, executor in executors.items() for target in executor.targets}
        if not self._return_to_previous:  # each agent passes the user's reply to the start agent
            edges |= {(source, start.id) for source in executors if source != start.id}
        for source, target in sorted(edges):
            builder.add_edge(executors[source], executors[target])
        for executor in executors.values():
            builder.add_executor(executor)  # a lone start agent is a workflow too
        if self._checkpoint_storage is not None:
            builder.with_checkpointing(self._checkpoint_storage)
        return builder

    def _late_2025_graph(self, executors: dict[str, HandoffAgentExecutor]) -> WorkflowBuilder:
        builder = WorkflowBuilder(name=self._name or "handoff", description=self._description)
        start = ConversationStart("input-conversation")
        coordinator = executors[self._start_id]  # type: ignore[index]
        user_input = HandoffUserInput(
            coordinator_id=coordinator.id,
            prompt=self._request_prompt or DEFAULT_PROMPT,
            termination_condition=self._termination_condition or ten_user_messages,
        )
        builder.set_start_executor(start).add_edge(start, coordinator)
        for source, executor in executors.items():
            for target in executor.targets:
                builder.add_edge(executor, executors[target])
            builder.add_edge(executor, user_input)
        builder.add_edge(user_input, coordinator)
        if self._checkpoint_storage is not None:
            builder.with_checkpointing(self._checkpoint_storage)
        # Not an exit (mark_exit): the user-input node has an edge back to the coordinator, and
        # what it yields (the finished conversation) is the workflow's output, not a message.
        return builder

    def _executor(self, agent_id: str, agent: Agent, targets: dict[str, str | None], today: bool) -> HandoffAgentExecutor:
        tools = [
            HandoffTool(target, description, _profile(self._participants[target])) for target, description in targets.items()
        ]
        clashing = {tool.name for tool in tools} & {getattr(t, "name", None) for t in agent.default_options.get("tools", [])}
        if clashing:
            raise WorkflowValidationError(
                f"Agent {agent_id!r} already has a tool named {sorted(clashing)[0]!r}, the name of the handoff tool "
                "HandoffBuilder gives it. Rename that tool (or the target agent)."
            )
        autonomous = self._autonomous
        return HandoffAgentExecutor(
            agent,
            id=agent_id,
            handoffs=tools if self._with_tools else [],
            today=today,
            start_id=self._start_id or agent_id,
            user_input_id=None if today else "handoff-user-input",
            return_to_previous=self._return_to_previous,
            termination_condition=self._termination_condition if today else None,
            autonomous=autonomous is not None and (not autonomous["agents"] or agent_id in autonomous["agents"]),
            autonomous_prompt=(autonomous or {}).get("prompts", {}).get(agent_id),
            autonomous_turn_limit=(autonomous or {}).get("turn_limits", {}).get(agent_id),
        )

    def _resolved_handoffs(self, today: bool) -> dict[str, dict[str, str | None]]:
        """Who may hand off to whom, with each tool's description (see `add_handoff`)."""
        if self._handoffs:
            chosen = self._handoffs
        elif today:  # every agent to every other one
            chosen = {source: {t: None for t in self._participants if t != source} for source in self._participants}
        else:  # the coordinator to every specialist
            chosen = {self._start_id: {t: None for t in self._participants if t != self._start_id}}  # type: ignore[dict-item]
        resolved: dict[str, dict[str, str | None]] = {}
        for source, targets in chosen.items():
            resolved[source] = {
                # Today's AF describes the tool by the target agent; the previews by its name only.
                target: description or (self._participants[target].description if today else None)
                for target, description in targets.items()
            }
        return resolved

    def _check_reachable(self, handoffs: dict[str, dict[str, str | None]], today: bool) -> None:
        reached, waiting = {self._start_id}, [self._start_id]
        while waiting:
            for target in handoffs.get(waiting.pop(), {}):  # type: ignore[arg-type]
                if target not in reached:
                    reached.add(target)
                    waiting.append(target)
        missing = [agent_id for agent_id in self._participants if agent_id not in reached]
        if missing:
            raise WorkflowValidationError(
                f"In this handoff workflow nobody can hand off to {', '.join(map(repr, missing))}: no chain of handoffs "
                f"leads there from {self._start_id!r}. Add one, e.g. .add_handoff({self._start_id!r}, "
                f"[{missing[0]!r}]), or leave that agent out of the participants."
            )

    def _check_history_flag(self) -> None:
        # AF 1.x refuses to build without it (handoff tool calls are answered locally, so the
        # history must be kept per service call); wfkit asks for the same, so code moves over as it is.
        missing = [
            agent_id
            for agent_id, agent in self._participants.items()
            if not getattr(agent, "require_per_service_call_history_persistence", False)
        ]
        if missing:
            raise WorkflowValidationError(
                f"Today's HandoffBuilder (as in Agent Framework 1.x) needs every participant made with "
                f"require_per_service_call_history_persistence=True; {', '.join(map(repr, missing))} "
                f"{'was' if len(missing) == 1 else 'were'} not. Add it: "
                "Agent(client, ..., require_per_service_call_history_persistence=True)."
            )

    def _ids_or_word(self, refs: Any, what: str, words: tuple[str, ...]) -> Any:
        if refs is _NOT_GIVEN or refs is None:
            return None
        if isinstance(refs, str):
            if refs not in words:
                raise WorkflowValidationError(
                    f"HandoffBuilder({what}={refs!r}): give a list of participants or {' or '.join(map(repr, words))}."
                )
            return refs
        return [self._participant_id(ref, f"HandoffBuilder({what}=...)") for ref in refs]

    def _participant_id(self, ref: Any, where: str) -> str:
        agent_id = ref if isinstance(ref, str) else ref.id if isinstance(ref, Executor) else resolve_agent_id(ref)
        if agent_id not in self._participants:
            raise WorkflowValidationError(
                f"{where} names {agent_id!r}, which is not a participant. The participants are "
                f"{', '.join(map(repr, self._participants)) or 'not given yet'}."
            )
        return agent_id

    def _spell(self, spelling: str, call: str) -> None:
        """Remember which era's spelling this builder uses; refuse the other one."""
        if self._spelling is not None and self._spelling != spelling:
            keep = "with_start_agent(...)" if self._spelling == TODAY else "set_coordinator(...)"
            raise WorkflowValidationError(
                f"HandoffBuilder: {call} is {spelling}'s spelling, but this builder already uses {self._spelling}'s "
                f"({self._spelled_by}). The two eras build different workflows (who asks the user, what is output), "
                f"so use one: here, {self._spelling}'s, with {keep}."
            )
        if self._spelling is None:
            self._spelling, self._spelled_by = spelling, call


def _profile(agent: Agent) -> str:
    """What an agent does, in its own words: its description and instructions."""
    return " ".join(text for text in (agent.description, agent.instructions) if text)


__all__ = ["HandoffBuilder", "handoff_tool_name", "resolve_agent_id"]
