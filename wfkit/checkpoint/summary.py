"""Reading checkpoints, for people: what a saved run waits on, and a one-line status.

`get_checkpoint_summary(cp)` is the one summary, however you ask for it: `cp.summary()`,
`RequestInfoExecutor.checkpoint_summary(cp)` (which answers through the checkpoint's own
methods, so the core never needs to import this package) or Agent Framework's later
module-level `get_checkpoint_summary(cp)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.events import RequestInfoEvent, WorkflowRunState
from .model import WorkflowCheckpoint
from .persistence import decode_executor_states, decode_request, naming_the_checkpoint


@dataclass
class PendingRequestDetails:
    """One request a checkpoint waits on: the rebuilt request object, plus the fields lessons
    usually show (`prompt`, `draft`, `iteration`) read from it when it has them."""

    request_id: str
    executor_id: str
    request_message: Any
    response_type: Any = None
    prompt: str | None = None
    draft: str | None = None
    iteration: int | None = None

    # Agent Framework's own names for the same two fields, so code written against it reads on.
    @property
    def source_executor_id(self) -> str:
        """The executor that asked (the same as `executor_id`)."""
        return self.executor_id

    @property
    def original_request(self) -> Any:
        """The request object itself (the same as `request_message`)."""
        return self.request_message


@dataclass
class WorkflowCheckpointSummary:
    """A checkpoint at a glance. `status` is one of "awaiting human response", "completed",
    "failed", "in progress" or "idle", read from the run state the checkpoint recorded.

    `targets` are the executors that messages wait for; `executor_ids` the executors with saved
    state (the keys of `executor_states`). `pending_request_info_events` are the pending
    requests as the `RequestInfoEvent`s a resumed run emits again, Agent Framework's view of
    `pending_requests`.
    """

    checkpoint_id: str
    iteration_count: int
    targets: list[str]
    executor_states: dict[str, Any]
    status: str
    draft_preview: str | None = None
    pending_requests: list[PendingRequestDetails] = field(default_factory=list)
    timestamp: str = ""
    executor_ids: list[str] = field(default_factory=list)
    pending_request_info_events: list[RequestInfoEvent] = field(default_factory=list)


def pending_requests_from_checkpoint(checkpoint: WorkflowCheckpoint) -> list[PendingRequestDetails]:
    """The requests `checkpoint` is waiting on, rebuilt from its data."""
    with naming_the_checkpoint(checkpoint):
        requests = [decode_request(r) for r in checkpoint.pending_requests]
    details = []
    for request in requests:
        data = request.data
        draft = _first_attribute(data, "draft", "draft_text", "text", "content")
        iteration = getattr(data, "iteration", None)
        details.append(
            PendingRequestDetails(
                request_id=request.request_id,
                executor_id=request.executor_id,
                request_message=data,
                response_type=request.response_type,
                prompt=_first_attribute(data, "prompt", "question"),
                draft=draft,
                iteration=iteration if isinstance(iteration, int) else None,
            )
        )
    return details


def checkpoint_status(checkpoint: WorkflowCheckpoint) -> str:
    """The human-readable status of a checkpoint, from its recorded run state."""
    state = WorkflowRunState[checkpoint.run_state]
    if state is WorkflowRunState.FAILED:
        return "failed"
    if checkpoint.all_messages():
        return "in progress"
    if checkpoint.pending_requests:
        return "awaiting human response"
    if state is WorkflowRunState.IDLE and checkpoint.iteration_count > 0:
        return "completed"
    return "idle"


def get_checkpoint_summary(checkpoint: WorkflowCheckpoint) -> WorkflowCheckpointSummary:
    """Summarise `checkpoint` for a listing::

        for cp in await storage.list_checkpoints():
            summary = get_checkpoint_summary(cp)
            print(summary.iteration_count, summary.status, summary.executor_ids)
    """
    pending = pending_requests_from_checkpoint(checkpoint)
    draft = next((p.draft for p in pending if p.draft), None)
    with naming_the_checkpoint(checkpoint):
        executor_states = decode_executor_states(checkpoint)
    return WorkflowCheckpointSummary(
        checkpoint_id=checkpoint.checkpoint_id,
        iteration_count=checkpoint.iteration_count,
        targets=sorted({m["target_id"] for m in checkpoint.all_messages()}),
        executor_states=executor_states,
        status=checkpoint_status(checkpoint),
        draft_preview=(draft[:77] + "...") if draft and len(draft) > 80 else draft,
        pending_requests=pending,
        timestamp=checkpoint.timestamp,
        executor_ids=sorted(executor_states),
        pending_request_info_events=[
            RequestInfoEvent(p.request_id, p.executor_id, type(p.request_message), p.request_message, p.response_type)
            for p in pending
        ],
    )


checkpoint_summary = get_checkpoint_summary  # the name wfkit used first (the checkpoint browser's)


def _first_attribute(obj: Any, *names: str) -> str | None:
    for name in names:
        value = getattr(obj, name, None)
        if isinstance(value, str):
            return value
    return None
