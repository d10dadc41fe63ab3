"""Routing: where the messages of a superstep go once the step has succeeded.

Each message a handler sent travels along its sender's edge groups. A plain edge, a fan-out,
a switch-case or a multi-selection picks targets; a fan-in holds messages until every source
has sent; a loop goes round again or leaves. A message nobody can take is a warning that says
why, never a silent drop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from ..errors import LoopLimitError
from .edges import EdgeGroup, FanInEdgeGroup, LoopEdgeGroup, call_maybe_async
from .events import WorkflowEvent, WorkflowWarningEvent
from .reliability import Attempt
from .state import Message, RunState

if TYPE_CHECKING:
    from .workflow import Workflow


@dataclass
class Outgoing:
    """A message sent during the superstep, routed along the edges once the step succeeds."""

    source_id: str
    payload: Any
    target_id: str | None
    attempt: Attempt | None = None  # the handler call that sent it, so a failed call can take it back


class Router:
    """Routes one run's sent messages over `workflow`'s edges, keeping fan-in buffers and loop
    rounds in `state`."""

    def __init__(self, workflow: Workflow, state: RunState, emit: Callable[[WorkflowEvent], None]) -> None:
        self.workflow = workflow
        self.state = state
        self.emit = emit

    async def route_all(self, outbox: list[Outgoing]) -> list[Message]:
        """Route every message of a finished superstep; return those due in the next one."""
        delivered: list[Message] = []
        for sent in outbox:
            delivered.extend(await self.route(sent.source_id, sent.payload, sent.target_id))
        return delivered

    async def route(self, source_id: str, payload: Any, target_id: str | None) -> list[Message]:
        """The messages `payload` becomes along `source_id`'s edge groups (only towards `target_id`,
        when the sender named one). Warns, never drops silently, when nobody takes it."""
        workflow = self.workflow
        groups = workflow.out_groups(source_id)
        delivered: list[Message] = []
        refused: list[str] = []
        passed_a_condition_check = False
        for group in groups:
            candidates = [t for t in group.targets if target_id is None or t == target_id]
            if not candidates:
                continue
            if not group.carries(payload):
                continue
            if isinstance(group, FanInEdgeGroup):
                delivered.extend(self._buffer_fan_in(group, source_id, payload))
                passed_a_condition_check = True
                continue
            if isinstance(group, LoopEdgeGroup):
                delivered.extend(await self._go_round(group, source_id, payload))
                passed_a_condition_check = True
                continue
            accepting = [t for t in candidates if workflow.executors[t].can_handle(payload)]
            refused += [t for t in candidates if t not in accepting]
            if not accepting:
                continue
            chosen = await group.select(payload, candidates)
            passed_a_condition_check = True
            for target in chosen:
                if target in accepting:
                    delivered.append(Message((source_id,), target, payload))
                elif group.conditional:  # a broadcast skips targets of other types; a choice is a mistake
                    self.emit(WorkflowWarningEvent(_chosen_but_refused(workflow, group, source_id, payload, target)))
        if not delivered and not passed_a_condition_check:
            self.emit(WorkflowWarningEvent(_undeliverable(workflow, source_id, payload, refused)))
        return delivered

    async def _go_round(self, loop: LoopEdgeGroup, source_id: str, payload: Any) -> list[Message]:
        assert loop.until is not None
        rounds = self.state.loop_rounds
        if await call_maybe_async(loop.until, payload):
            rounds.pop(loop.id, None)  # the next time this loop starts, it starts from zero
            return [Message((source_id,), loop.exit_to, payload)] if loop.exit_to else []
        rounds[loop.id] = rounds.get(loop.id, 0) + 1
        if rounds[loop.id] > loop.max_rounds:
            raise LoopLimitError(
                f"The loop from '{source_id}' back to '{loop.back_to}' went round {loop.max_rounds} times and "
                f"its until-condition is still false for a {type(payload).__name__}. Raise max_rounds in "
                "add_loop(...) if it needs more rounds, or check the condition."
            )
        return [Message((source_id,), loop.back_to, payload)]

    def _buffer_fan_in(self, group: FanInEdgeGroup, source_id: str, payload: Any) -> list[Message]:
        buffers = self.state.fan_in_buffers.setdefault(group.id, {})
        # A new list, never an append: the runner keeps the old lists to restore after a failed step.
        buffers[source_id] = [*buffers.get(source_id, ()), payload]
        if len(buffers) < len(group.sources):  # a source appears here only once it has sent
            return []
        collected = [item for source in group.sources for item in buffers[source]]
        del self.state.fan_in_buffers[group.id]
        return [Message(tuple(group.sources), group.targets[0], collected)]


def _undeliverable(workflow: Workflow, source_id: str, payload: Any, refused: list[str]) -> str:
    kind = type(payload).__name__
    if not workflow.out_groups(source_id):
        return (
            f"Executor '{source_id}' sent a {kind}, but it has no outgoing edges, so nobody received it. "
            f"Add an edge from '{source_id}', or use ctx.yield_output(...) if it is a result."
        )
    if not refused:  # the edges it could take carry only an ExecutorFailure
        routes = [t for group in workflow.out_groups(source_id) if not group.carries(payload) for t in group.targets]
        return (
            f"A {kind} sent by '{source_id}' reached no executor: the edge to "
            f"{', '.join(repr(t) for t in dict.fromkeys(routes))} is a fallback route, which carries an "
            f"ExecutorFailure when '{source_id}' fails, never what it sends. Add an edge from '{source_id}' "
            "to the executor that should receive it, or use ctx.yield_output(...) if it is a result."
        )
    reasons = "; ".join(
        f"'{t}' accepts {workflow.executors[t].describe_inputs()}" for t in dict.fromkeys(refused)
    )
    return (
        f"A {kind} sent by '{source_id}' reached no executor: {reasons}. Add a handler for {kind} "
        "to the intended target, or send a type it accepts."
    )


def _chosen_but_refused(workflow: Workflow, group: EdgeGroup, source_id: str, payload: Any, target_id: str) -> str:
    kind = type(payload).__name__
    return (
        f"A {kind} sent by '{source_id}' was dropped: its {group.kind} edge group chose '{target_id}', but "
        f"'{target_id}' accepts {workflow.executors[target_id].describe_inputs()}. Add a handler for {kind} "
        f"to '{target_id}', or make the condition choose a target that accepts it."
    )
