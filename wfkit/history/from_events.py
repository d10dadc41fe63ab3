"""A run's supersteps, read back from its events (and, where there are any, its checkpoints).

The events say what ran in each step, what it yielded, what it asked and what failed. They do
not say what the states held: that is what checkpoints add. The messages in flight after step
`n` are the ones delivered in step `n + 1`, so the events give those too (a checkpoint, where
there is one, gives them exactly, even after the last step).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..core.events import RequestInfoEvent, WorkflowEvent
from .from_checkpoints import read_checkpoint
from .records import OpenRequest, Superstep, WaitingMessage, link_changes, preview, waiting_messages
from .statuses import ExecutorStatuses, every_executor_id

if TYPE_CHECKING:
    from ..checkpoint.model import WorkflowCheckpoint
    from ..core.workflow import Workflow


class _Reader:
    """Walks the events once, closing a `Superstep` at the end of each step.

    What each executor is doing comes from `ExecutorStatuses`, the rule the live graph follows
    too, for every executor drawn (a sub-workflow's inner ones included); the reader adds what
    ran in each step, what it sent and what it yielded.
    """

    def __init__(self, workflow: Workflow) -> None:
        self.executor_ids = every_executor_id(workflow)
        self.top_level = set(workflow.executors)
        self.statuses = ExecutorStatuses()
        self.steps: list[Superstep] = []
        self.delivered: dict[int, list[WaitingMessage]] = {}  # step number -> messages it delivered
        self.requests: dict[str, OpenRequest] = {}  # request id -> the request as the history shows it
        self.current: Superstep | None = None

    def read(self, event: WorkflowEvent) -> None:
        self.statuses.read(event)  # first: a step that fails is closed with its statuses settled
        match event.type:
            case "superstep_started":
                self.current = Superstep(event.iteration)
                self.delivered[event.iteration] = []
            case "superstep_completed":
                self._close(failed=False)
            case "failed":
                self._close(failed=True)
            case "output" if self.current is not None:
                self.current.outputs.append(event.data)
            case "executor_invoked" if self.current is not None and event.executor_id in self.top_level:
                # A step's messages go between the workflow's own executors; what a sub-workflow
                # does inside is its own run, within the one call of its WorkflowExecutor.
                step = self.current
                if event.executor_id not in step.ran:
                    step.ran.append(event.executor_id)
                self.delivered[step.number] += waiting_messages(
                    event.source_executor_ids or ("?",), event.executor_id, event.data, event.request_id
                )

    def _close(self, failed: bool) -> None:
        step = self.current
        if step is None:
            return
        step.failed = failed
        self._take_statuses(step)
        self.steps.append(step)
        self.current = None

    def _take_statuses(self, step: Superstep) -> None:
        step.statuses = self.statuses.of(self.executor_ids)
        step.pending_requests = {
            request_id: self._open_request(request) for request_id, request in self.statuses.open_requests.items()
        }

    def _open_request(self, request: RequestInfoEvent) -> OpenRequest:
        shown = self.requests.get(request.request_id)
        if shown is None:
            shown = self.requests[request.request_id] = OpenRequest(
                request.request_id, request.source_executor_id, preview(request.data), request.response_type, request.data
            )
        return shown

    def finish(self) -> list[Superstep]:
        """Every step read, the one still going (a live run) last, with its executors running."""
        steps = list(self.steps)
        if self.current is not None:
            self._take_statuses(self.current)
            steps.append(self.current)
        for step, later in zip(steps, steps[1:]):
            # An answer was sent while the run was paused, not by an executor in this step.
            step.messages = [m for m in self.delivered.get(later.number, []) if m.request_id is None]
        return steps


def steps_from_events(
    workflow: Workflow,
    events: Iterable[WorkflowEvent],
    checkpoints: Iterable[WorkflowCheckpoint] = (),
    before: Superstep | None = None,
) -> list[Superstep]:
    """The supersteps of the run whose `events` are given, in order, with their changes.

    `checkpoints` (of this run) fill in what events cannot say: the states after each step, and
    the messages waiting after the last one. Steps are matched to checkpoints by number.
    `before` is the step a resumed run (a fork) continues from: executors that ran before it
    keep their status, and the first step's changes are against it.
    """
    reader = _Reader(workflow)
    if before is not None:
        reader.statuses.carry_over(before.statuses)
    for event in events:
        reader.read(event)
    steps = reader.finish()
    by_number = checkpoints_by_step(checkpoints)
    for step in steps:
        checkpoint = by_number.get(step.number)
        if checkpoint is not None and not step.failed:
            fill_from_checkpoint(step, checkpoint)
    link_changes(steps, before)
    for step in steps:  # the events say what each step was handed, the run's input included
        step.changes.received = [m for m in reader.delivered.get(step.number, []) if m.request_id is None]
    return steps


def checkpoints_by_step(checkpoints: Iterable[WorkflowCheckpoint]) -> dict[int, WorkflowCheckpoint]:
    """Step number -> the checkpoint taken after it (a failed run's last checkpoint repeats the
    last good step, so the first one of each number wins)."""
    found: dict[int, WorkflowCheckpoint] = {}
    for checkpoint in checkpoints:
        found.setdefault(checkpoint.iteration_count, checkpoint)
    return found


def fill_from_checkpoint(step: Superstep, checkpoint: WorkflowCheckpoint) -> None:
    """Take the states, waiting messages and open requests after `step` from its checkpoint."""
    recorded = read_checkpoint(checkpoint)
    step.checkpoint_id = checkpoint.checkpoint_id
    step.saved_at = checkpoint.timestamp
    step.shared_state = recorded.shared_state
    step.executor_states = recorded.executor_states
    step.messages = recorded.messages
    step.pending_requests = recorded.pending_requests or step.pending_requests

