"""One rule for what each executor is doing, read by every view of a run.

The live graph, the run explorer and the drawing's colours all show an executor as one of five
statuses (`STATUSES`). They all take it from here, so they cannot disagree:

- ``running``: a handler of it has been invoked and has not returned yet;
- ``failed``: its latest call raised, or was still going when the run stopped. A run cut off
  by ``with_run_timeout`` never lets that call finish, so the call did not succeed;
- ``waiting``: it asked a question (a request) that has no answer yet;
- ``done``: its latest call returned;
- ``idle``: it has not run.

When more than one holds, the first in that list wins (`status_of`): a failure is never hidden
behind a question.

A superstep that fails is dropped whole, as if it never ran (see `wfkit.core.step`): the
requests asked in it were never made, and the answers handled in it wait to be given again.

`ExecutorStatuses` follows a run's events and applies the rule as they come; the live graph
feeds it event by event, the history reads a recorded run with it. Checkpoints have no events:
their reader applies the same rule with `statuses_after`.

A sub-workflow's executors have statuses too: a `WorkflowExecutor` passes its child's executor
events up with ids such as ``review/gate``, which is how the drawing names their boxes.
`every_executor_id` lists them all, so every view asks for the same ones.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Iterable, Literal, Mapping

from ..core.events import RequestInfoEvent, WorkflowEvent, WorkflowRunState
from ..core.subworkflow import WorkflowExecutor

if TYPE_CHECKING:
    from ..core.workflow import Workflow

Status = Literal["idle", "running", "waiting", "done", "failed"]

STATUSES: tuple[Status, ...] = ("idle", "running", "waiting", "done", "failed")

# The run states a run call ends in: a call still running then will never return.
RUN_ENDED = frozenset(
    {WorkflowRunState.IDLE, WorkflowRunState.IDLE_WITH_PENDING_REQUESTS, WorkflowRunState.FAILED}
)


def every_executor_id(workflow: Workflow, namespace: str = "") -> list[str]:
    """The ids of every box a drawing of `workflow` has: its executors, each followed by the
    executors of its sub-workflow (if it is one) as ``parent/child``, at any depth.

    >>> every_executor_id(parent)                     # doctest: +SKIP
    ['writer', 'review', 'review/ask', 'review/gate', 'publish']
    """
    ids: list[str] = []
    for executor_id, executor in workflow.executors.items():
        ids.append(namespace + executor_id)
        if isinstance(executor, WorkflowExecutor):
            ids += every_executor_id(executor.workflow, f"{namespace}{executor_id}/")
    return ids


def status_of(running: bool, outcome: str | None, asking: bool) -> Status:
    """The rule: running, else failed, else waiting, else how the latest call ended, else idle.

    `outcome` is how the executor's latest call ended ("done" or "failed", None before any);
    `asking` is True while a request it made has no answer.

    >>> status_of(running=False, outcome="done", asking=True)
    'waiting'
    """
    if running:
        return "running"
    if outcome == "failed":
        return "failed"
    if asking:
        return "waiting"
    return "done" if outcome == "done" else "idle"


def statuses_after(
    executor_ids: Iterable[str], outcome: Mapping[str, str], asking: Iterable[str]
) -> dict[str, Status]:
    """Every executor's status between two steps, when nothing runs: `outcome` says how each
    executor's latest call ended, `asking` names the executors with a request still open."""
    asking = set(asking)
    return {eid: status_of(False, outcome.get(eid), eid in asking) for eid in executor_ids}


def outcomes_of(statuses: Mapping[str, str]) -> dict[str, str]:
    """The executors whose latest call ended, and how: the part of `statuses` a later step keeps."""
    return {eid: status for eid, status in statuses.items() if status in ("done", "failed")}


class ExecutorStatuses:
    """The status of each executor of a run, kept up to date as its events are read.

    >>> statuses = ExecutorStatuses()
    >>> for event in result: statuses.read(event)          # doctest: +SKIP
    >>> statuses.current                                    # doctest: +SKIP
    {'writer': 'done', 'review': 'waiting'}

    `current` holds every executor that is not idle; `of(executor_ids)` gives all of them.
    `open_requests` are the requests without an answer, each as the event that asked it.
    """

    def __init__(self) -> None:
        self.current: dict[str, Status] = {}
        self.open_requests: dict[str, RequestInfoEvent] = {}
        self._calls: Counter[str] = Counter()  # executor id -> handler calls started, not yet ended
        self._outcome: dict[str, str] = {}  # executor id -> "done" / "failed": its latest call
        self._asking: Counter[str] = Counter()  # executor id -> its requests still open
        self._in_step = False
        self._asked_in_step: list[str] = []
        self._answered_in_step: dict[str, RequestInfoEvent] = {}

    def carry_over(self, statuses: Mapping[str, str]) -> None:
        """Start from the statuses after an earlier step, as a fork continues the run it left:
        how each executor's latest call ended is kept (its open requests are asked again)."""
        for executor_id, outcome in outcomes_of(statuses).items():
            self._outcome[executor_id] = outcome
            self._refresh(executor_id)

    def of(self, executor_ids: Iterable[str]) -> dict[str, Status]:
        """The status of each of `executor_ids`, idle ones included."""
        return {eid: self.current.get(eid, "idle") for eid in executor_ids}

    def read(self, event: WorkflowEvent) -> bool:
        """Take one event into account; True if some executor's status changed."""
        match event.type:
            case "executor_invoked":
                answered = self._answer(event.request_id) if event.request_id is not None else False
                self._calls[event.executor_id] += 1
                return self._refresh(event.executor_id) | answered
            case "executor_completed" | "executor_failed":
                self._calls[event.executor_id] = max(self._calls[event.executor_id] - 1, 0)
                self._outcome[event.executor_id] = "done" if event.type == "executor_completed" else "failed"
                return self._refresh(event.executor_id)
            case "request_info":
                self._ask(event)
                if self._in_step:
                    self._asked_in_step.append(event.request_id)
                return self._refresh(event.source_executor_id)
            case "superstep_started" | "superstep_completed":
                # A completed step is committed: what it asked and answered stays.
                self._in_step = event.type == "superstep_started"
                self._asked_in_step, self._answered_in_step = [], {}
                return False
            case "failed":
                return self._drop_failed_step() | self._cut_off_calls()
            case "status" if event.state in RUN_ENDED:
                return self._cut_off_calls()
        return False

    def read_all(self, events: Iterable[WorkflowEvent]) -> bool:
        """`read` each of `events`; True if any status changed."""
        changed = False
        for event in events:
            changed = self.read(event) or changed
        return changed

    # --- the bookkeeping behind the rule ------------------------------------------------------

    def _refresh(self, executor_id: str) -> bool:
        """Apply the rule to one executor again; True if its status changed."""
        status = status_of(self._calls[executor_id] > 0, self._outcome.get(executor_id), self._asking[executor_id] > 0)
        if self.current.get(executor_id, "idle") == status:
            return False
        if status == "idle":
            del self.current[executor_id]
        else:
            self.current[executor_id] = status
        return True

    def _ask(self, request: RequestInfoEvent) -> None:
        if request.request_id not in self.open_requests:  # a restored run asks its open ones again
            self._asking[request.source_executor_id] += 1
        self.open_requests[request.request_id] = request

    def _answer(self, request_id: str) -> bool:
        request = self.open_requests.pop(request_id, None)
        if request is None:
            return False
        if self._in_step:
            self._answered_in_step[request_id] = request
        self._asking[request.source_executor_id] -= 1
        return self._refresh(request.source_executor_id)

    def _drop_failed_step(self) -> bool:
        """The failed step's requests: the ones it asked are gone, the ones it answered are open again."""
        changed = False
        for request_id in self._asked_in_step:
            request = self.open_requests.pop(request_id, None)
            if request is not None:
                self._asking[request.source_executor_id] -= 1
                changed = self._refresh(request.source_executor_id) or changed
        for request in self._answered_in_step.values():
            self._ask(request)
            changed = self._refresh(request.source_executor_id) or changed
        self._in_step, self._asked_in_step, self._answered_in_step = False, [], {}
        return changed

    def _cut_off_calls(self) -> bool:
        """The run stopped: a call still going never returns, so it failed."""
        stopped = [executor_id for executor_id, calls in self._calls.items() if calls > 0]
        for executor_id in stopped:
            self._calls[executor_id] = 0
            self._outcome[executor_id] = "failed"
            self._refresh(executor_id)
        return bool(stopped)
