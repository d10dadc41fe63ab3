"""A run's supersteps, read back from its events (and, where there are any, its checkpoints).

The events say what ran in each step, what it yielded, what it asked and what failed. They do
not say what the states held: that is what checkpoints add. The messages in flight after step
`n` are the ones delivered in step `n + 1`, so the events give those too (a checkpoint, where
there is one, gives them exactly, even after the last step).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..core.events import (
    ExecutorCompletedEvent,
    ExecutorFailedEvent,
    ExecutorInvokedEvent,
    RequestInfoEvent,
    SuperStepCompletedEvent,
    SuperStepStartedEvent,
    WorkflowEvent,
    WorkflowFailedEvent,
    WorkflowOutputEvent,
)
from .from_checkpoints import read_checkpoint
from .records import (
    OpenRequest,
    Superstep,
    WaitingMessage,
    link_changes,
    outcomes_of,
    preview,
    statuses_after,
    waiting_messages,
)

if TYPE_CHECKING:
    from ..checkpoint.model import WorkflowCheckpoint
    from ..core.workflow import Workflow


class _Reader:
    """Walks the events once, closing a `Superstep` at the end of each step."""

    def __init__(self, executor_ids: Iterable[str]) -> None:
        self.executor_ids = list(executor_ids)
        self.known = set(self.executor_ids)
        self.steps: list[Superstep] = []
        self.delivered: dict[int, list[WaitingMessage]] = {}  # step number -> messages it delivered
        self.outcome: dict[str, str] = {}  # executor id -> "done" / "failed", its latest call
        self.running: set[str] = set()
        self.pending: dict[str, OpenRequest] = {}
        self.current: Superstep | None = None

    def read(self, event: WorkflowEvent) -> None:
        if isinstance(event, SuperStepStartedEvent):
            self.current = Superstep(event.iteration)
            self.delivered[event.iteration] = []
        elif isinstance(event, RequestInfoEvent):  # asked in a step, or asked again on a restore
            self.pending[event.request_id] = OpenRequest(
                event.request_id, event.source_executor_id, preview(event.data), event.response_type, event.data
            )
        elif isinstance(event, SuperStepCompletedEvent):
            self._close(failed=False)
        elif isinstance(event, WorkflowFailedEvent):
            self._close(failed=True)
        elif isinstance(event, WorkflowOutputEvent) and self.current is not None:
            self.current.outputs.append(event.data)
        elif getattr(event, "executor_id", None) in self.known and self.current is not None:
            self._executor_event(event)  # nested events of a sub-workflow's inside are not nodes here

    def _executor_event(self, event: WorkflowEvent) -> None:
        step = self.current
        assert step is not None
        executor_id: str = event.executor_id  # type: ignore[attr-defined]
        if isinstance(event, ExecutorInvokedEvent):
            if executor_id not in step.ran:
                step.ran.append(executor_id)
            self.running.add(executor_id)
            if event.request_id is not None:
                self.pending.pop(event.request_id, None)
            self.delivered[step.number] += waiting_messages(
                event.source_executor_ids or ('?',), executor_id, event.data, event.request_id
            )
        elif isinstance(event, ExecutorCompletedEvent):
            self.running.discard(executor_id)
            self.outcome[executor_id] = "done"
        elif isinstance(event, ExecutorFailedEvent):
            self.running.discard(executor_id)
            self.outcome[executor_id] = "failed"

    def _close(self, failed: bool) -> None:
        step = self.current
        if step is None:
            return
        step.failed = failed
        step.pending_requests = dict(self.pending)
        step.statuses = self.statuses(running=set())
        self.running.clear()
        self.steps.append(step)
        self.current = None

    def statuses(self, running: set[str]) -> dict[str, str]:
        asking = {request.executor_id for request in self.pending.values()}
        return statuses_after(self.executor_ids, self.outcome, asking, running)

    def finish(self) -> list[Superstep]:
        """Every step read, the one still going (a live run) last, with its executors running."""
        steps = list(self.steps)
        if self.current is not None:
            going = self.current
            going.pending_requests = dict(self.pending)
            going.statuses = self.statuses(running=self.running)
            steps.append(going)
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
    reader = _Reader(workflow.executors)
    if before is not None:
        reader.outcome.update(outcomes_of(before.statuses))
    for event in events:
        reader.read(event)
    steps = reader.finish()
    by_number = checkpoints_by_step(checkpoints)
    for step in steps:
        checkpoint = by_number.get(step.number)
        if checkpoint is not None and not step.failed:
            fill_from_checkpoint(step, checkpoint)
    link_changes(steps, before)
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
    step.shared_state = recorded.shared_state
    step.executor_states = recorded.executor_states
    step.messages = recorded.messages
    step.pending_requests = recorded.pending_requests or step.pending_requests

