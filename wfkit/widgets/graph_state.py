"""`GraphState`: what the live graph shows, worked out from a run's events.

This module holds no widget code, only the bookkeeping, so it can be read (and tested) on
its own. `GraphView` feeds it every event and draws what it says.

Node states are the executors' statuses (running, waiting, done, failed, idle), by the one
rule the run explorer follows too: `wfkit.history.statuses`. A call still going when the run
stopped (its run timeout) is drawn failed, here and in the explorer alike.

Edge counts: every `ExecutorInvokedEvent` names who sent the message it delivers
(`source_executor_ids`; all the sources for a fan-in), so each delivery adds one to the count
of the edge it came along.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Iterable, Mapping

from ..core.events import ExecutorInvokedEvent, WorkflowEvent
from ..history.statuses import ExecutorStatuses, Status

if TYPE_CHECKING:
    from ..core.workflow import Workflow


class GraphState:
    """Node states and per-edge message counts of one workflow, updated event by event.

    >>> state = GraphState(workflow)                  # doctest: +SKIP
    >>> for event in events: state.update(event)      # doctest: +SKIP
    >>> state.states, state.edge_counts                # doctest: +SKIP
    ({'writer': 'done', 'review': 'waiting'}, {('writer', 'review'): 1})
    """

    def __init__(self, workflow: Workflow) -> None:
        self.workflow = workflow
        self.statuses = ExecutorStatuses()
        self.edge_counts: Counter[tuple[str, str]] = Counter()
        self.retries: Counter[str] = Counter()

    @property
    def states(self) -> dict[str, Status]:
        """Executor id -> its status, for every executor that is not idle."""
        return self.statuses.current

    def reset(self, statuses: Mapping[str, str] | None = None) -> None:
        """Forget everything for a new run: every count zero, every executor idle, or as
        `statuses` say (a run resumed from a checkpoint goes on from the statuses after its step)."""
        self.__init__(self.workflow)  # type: ignore[misc]
        if statuses:
            self.statuses.carry_over(statuses)

    def update(self, event: WorkflowEvent) -> bool:
        """Take one event into account; return True if the picture changed."""
        changed = self.statuses.read(event)
        match event.type:
            case "executor_invoked":
                return self._count_delivery(event) or changed
            case "executor_retry":
                self.retries[event.executor_id] += 1
                return True
        return changed

    def update_all(self, events: Iterable[WorkflowEvent]) -> bool:
        """`update` with several events; True if any changed the picture."""
        changed = False
        for event in events:
            changed = self.update(event) or changed
        return changed

    def _count_delivery(self, event: ExecutorInvokedEvent) -> bool:
        # "__input__" (the run's message) and "__response__" (an answer from outside) arrive
        # along no edge, so they are not counted.
        counted = False
        for sender in event.source_executor_ids:
            if not sender.startswith("__"):
                self.edge_counts[(sender, event.executor_id)] += 1
                counted = True
        return counted


def summarize_states(states: dict[str, str], executor_ids: Iterable[str]) -> dict[str, list[str]]:
    """Executor ids grouped by state (idle included), in graph order: ``{"done": [...], ...}``."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for executor_id in executor_ids:
        grouped[states.get(executor_id, "idle")].append(executor_id)
    return dict(grouped)
