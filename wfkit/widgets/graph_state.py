"""`GraphState`: what the live graph shows, worked out from a run's events.

This module holds no widget code, only the bookkeeping, so it can be read (and tested) on
its own. `GraphView` feeds it every event and draws what it says.

Node states:

- ``running``: a handler of the executor has been invoked and has not returned yet;
- ``waiting``: the executor asked a question (a request) that nobody has answered yet;
- ``done`` / ``failed``: its last handler returned / raised (or was stopped with the run);
- ``idle``: it has not run in this run.

Edge counts: every `ExecutorInvokedEvent` names who sent the message it delivers
(`source_executor_ids`; all the sources for a fan-in), so each delivery adds one to the count
of the edge it came along.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Iterable

from ..core.events import (
    ExecutorCompletedEvent,
    ExecutorFailedEvent,
    ExecutorInvokedEvent,
    RequestInfoEvent,
    WorkflowEvent,
    WorkflowRunState,
    WorkflowStartedEvent,
    WorkflowStatusEvent,
)

from ..core.events import ExecutorRetryEvent

if TYPE_CHECKING:
    from ..core.workflow import Workflow

# The states after which a run call has ended and the workflow's own records are final.
RUN_ENDED = {WorkflowRunState.IDLE, WorkflowRunState.IDLE_WITH_PENDING_REQUESTS, WorkflowRunState.FAILED}


class GraphState:
    """Node states and per-edge message counts of one workflow, updated event by event.

    >>> state = GraphState(workflow)                  # doctest: +SKIP
    >>> for event in events: state.update(event)      # doctest: +SKIP
    >>> state.states, state.edge_counts                # doctest: +SKIP
    ({'writer': 'done', 'review': 'waiting'}, {('writer', 'review'): 1})
    """

    def __init__(self, workflow: Workflow) -> None:
        self.workflow = workflow
        self.states: dict[str, str] = {}
        self.edge_counts: Counter[tuple[str, str]] = Counter()
        self._in_flight: Counter[str] = Counter()
        self.retries: Counter[str] = Counter()
        self._asked: dict[str, set[str]] = defaultdict(set)  # executor id -> its unanswered request ids

    def reset(self) -> None:
        """Forget everything: every executor idle, every count zero (a new run starts)."""
        self.__init__(self.workflow)  # type: ignore[misc]

    def update(self, event: WorkflowEvent) -> bool:
        """Take one event into account; return True if the picture changed."""
        if isinstance(event, ExecutorInvokedEvent):
            self._count_delivery(event)
            self._in_flight[event.executor_id] += 1
            return self._set(event.executor_id, "running")
        if isinstance(event, ExecutorCompletedEvent):
            self._in_flight[event.executor_id] -= 1
            return self._settle(event.executor_id)
        if isinstance(event, ExecutorRetryEvent):
            self.retries[event.executor_id] += 1
            return True
        if isinstance(event, ExecutorFailedEvent):
            self._in_flight[event.executor_id] = 0
            return self._set(event.executor_id, "failed")
        if isinstance(event, RequestInfoEvent):
            self._asked[event.source_executor_id].add(event.request_id)
            return self._settle(event.source_executor_id)
        if isinstance(event, WorkflowStartedEvent):
            return self._reconcile_requests()
        if isinstance(event, WorkflowStatusEvent) and event.state in RUN_ENDED:
            return self._stop_unfinished() | self._reconcile_requests()
        return False

    def update_all(self, events: Iterable[WorkflowEvent]) -> bool:
        """`update` with several events; True if any changed the picture."""
        changed = False
        for event in events:
            changed = self.update(event) or changed
        return changed

    # --- helpers ------------------------------------------------------------------------

    def _set(self, executor_id: str, state: str) -> bool:
        if self.states.get(executor_id) == state:
            return False
        self.states[executor_id] = state
        return True

    def _stop_unfinished(self) -> bool:
        # A run stopped mid-step (its run timeout) never completes the calls it cancelled: they
        # were stopped, so they are drawn as failed rather than running forever.
        stopped = [executor_id for executor_id, count in self._in_flight.items() if count > 0]
        for executor_id in stopped:
            self._in_flight[executor_id] = 0
            self._set(executor_id, "failed")
        return bool(stopped)

    def _settle(self, executor_id: str) -> bool:
        """The state of an executor with no handler running: waiting if it has asked, else done."""
        if self._in_flight[executor_id] > 0 or self.states.get(executor_id) == "failed":
            return False
        return self._set(executor_id, "waiting" if self._asked.get(executor_id) else "done")

    def _reconcile_requests(self) -> bool:
        # Answers are applied before a run call starts and are not events, so at the start and
        # end of each call the workflow's own list of pending requests is the truth.
        pending = self.workflow.pending_requests
        still_asked: dict[str, set[str]] = defaultdict(set)
        for request_id, request in pending.items():
            still_asked[request.executor_id].add(request_id)
        touched = set(self._asked) | set(still_asked)
        self._asked = still_asked
        changed = False
        for executor_id in touched:
            if executor_id in self.states or still_asked.get(executor_id):
                changed = self._settle(executor_id) or changed
        return changed

    def _count_delivery(self, event: ExecutorInvokedEvent) -> None:
        # "__input__" (the run's message) and "__response__" (an answer from outside) arrive
        # along no edge, so they are not counted.
        for sender in event.source_executor_ids:
            if not sender.startswith("__"):
                self.edge_counts[(sender, event.executor_id)] += 1


def summarize_states(states: dict[str, str], executor_ids: Iterable[str]) -> dict[str, list[str]]:
    """Executor ids grouped by state (idle included), in graph order: ``{"done": [...], ...}``."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for executor_id in executor_ids:
        grouped[states.get(executor_id, "idle")].append(executor_id)
    return dict(grouped)
