"""Turning a run's `RunState` into a `WorkflowCheckpoint` and back.

The runtime calls `build_checkpoint` after every superstep when checkpointing is on, and
`decode_run_state` then `restore_executor_snapshots` when a run continues from a checkpoint.
Every value goes through the safe codec (`wfkit.checkpoint.codec`): plain JSON with registered
type names, never pickle.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

from ..checkpoint.codec import decode_value, encode_value
from ..checkpoint.model import WorkflowCheckpoint
from ..errors import CheckpointFormatError, CheckpointGraphMismatchError
from .events import WorkflowRunState
from .state import Message, PendingRequest, RunState

if TYPE_CHECKING:
    from .workflow import Workflow

SNAPSHOTS_KEY = "executor_snapshots"
GRAPH_KEY = "graph"
RUN_ID_KEY = "run_id"
LOOP_ROUNDS_KEY = "loop_rounds"


# Where a value sits in a checkpoint, in the words of the errors that name it (saving and loading).
def _executor_state_at(executor_id: str) -> str:
    return f"the state of executor '{executor_id}'"


def _snapshot_at(executor_id: str) -> str:
    return f"snapshot_state() of executor '{executor_id}'"


def _shared_state_at(key: str) -> str:
    return f"shared state {key!r}"


def _fan_in_at(group: str, source: str) -> str:
    return f"a message from '{source}' waiting at fan-in {group!r}"


def _message_at(target_id: str) -> str:
    return f"a message to '{target_id}'"


def _request_at(request_id: str) -> str:
    return f"request {request_id}"


def _answer_type_at(request_id: str) -> str:
    return f"the answer type of request {request_id}"


async def executor_snapshots(workflow: Workflow) -> dict[str, Any]:
    """What each executor's `snapshot_state()` returns, by id (executors that keep nothing are left out)."""
    snapshots = {}
    for executor_id, executor in workflow.executors.items():
        snapshot = await executor.snapshot_state()
        if snapshot is not None:
            snapshots[executor_id] = snapshot
    return snapshots


async def give_back_snapshots(workflow: Workflow, snapshots: dict[str, Any]) -> None:
    """Hand each executor its snapshot (see `executor_snapshots`) through `restore_state`."""
    for executor_id, snapshot in snapshots.items():
        await workflow.executors[executor_id].restore_state(snapshot)


async def build_checkpoint(workflow: Workflow, state: RunState, run_state: WorkflowRunState) -> WorkflowCheckpoint:
    """A checkpoint of `state`, the committed state between two supersteps."""
    snapshots = {
        executor_id: encode_value(snapshot, where=_snapshot_at(executor_id))
        for executor_id, snapshot in (await executor_snapshots(workflow)).items()
    }
    return WorkflowCheckpoint(
        workflow_id=workflow.id,
        messages=[encode_message(m) for m in state.messages],
        shared_state={key: encode_value(value, where=_shared_state_at(key)) for key, value in state.shared_state.items()},
        executor_states={eid: encode_value(s, where=_executor_state_at(eid)) for eid, s in state.executor_states.items()},
        pending_requests=[encode_request(r) for r in state.pending_requests.values()],
        fan_in_buffers={
            group: {
                source: [encode_value(item, where=_fan_in_at(group, source)) for item in items]
                for source, items in by_source.items()
            }
            for group, by_source in state.fan_in_buffers.items()
        },
        iteration_count=state.iteration,
        max_iterations=workflow.max_iterations,
        run_state=run_state.name,
        graph_signature=workflow.graph_signature(),
        metadata={
            RUN_ID_KEY: state.run_id,
            GRAPH_KEY: workflow.graph_description(),
            SNAPSHOTS_KEY: snapshots,
            LOOP_ROUNDS_KEY: dict(state.loop_rounds),
        },
    )


def decode_run_state(workflow: Workflow, checkpoint: WorkflowCheckpoint) -> RunState:
    """The `RunState` a checkpoint recorded. Changes nothing: see `restore_executor_snapshots`."""
    check_same_graph(workflow, checkpoint)
    with naming_the_checkpoint(checkpoint):
        return RunState(
            messages=[decode_message(m) for m in checkpoint.messages],
            executor_states=_decode_executor_states(checkpoint),
            shared_state={
                key: decode_value(value, where=_shared_state_at(key)) for key, value in checkpoint.shared_state.items()
            },
            fan_in_buffers={
                group: {
                    source: [decode_value(item, where=_fan_in_at(group, source)) for item in items]
                    for source, items in by_source.items()
                }
                for group, by_source in checkpoint.fan_in_buffers.items()
            },
            pending_requests={r.request_id: r for r in map(decode_request, checkpoint.pending_requests)},
            iteration=checkpoint.iteration_count,
            loop_rounds=dict(checkpoint.metadata.get(LOOP_ROUNDS_KEY, {})),
            run_id=str(checkpoint.metadata.get(RUN_ID_KEY, "")) or RunState().run_id,
        )


async def restore_executor_snapshots(workflow: Workflow, checkpoint: WorkflowCheckpoint) -> None:
    """Give each executor back what its `snapshot_state()` returned when the checkpoint was saved."""
    with naming_the_checkpoint(checkpoint):
        snapshots = {
            executor_id: decode_value(snapshot, where=_snapshot_at(executor_id))
            for executor_id, snapshot in checkpoint.metadata.get(SNAPSHOTS_KEY, {}).items()
        }
    # Every snapshot is decoded before any executor takes one back: a damaged one changes nothing.
    await give_back_snapshots(workflow, snapshots)


def _decode_executor_states(checkpoint: WorkflowCheckpoint) -> dict[str, Any]:
    return {eid: decode_value(s, where=_executor_state_at(eid)) for eid, s in checkpoint.executor_states.items()}


@contextmanager
def naming_the_checkpoint(checkpoint: WorkflowCheckpoint) -> Iterator[None]:
    """Put the checkpoint's id in front of a decoding error, so the learner knows which file it is."""
    try:
        yield
    except CheckpointFormatError as error:
        raise CheckpointFormatError(f"Checkpoint {checkpoint.checkpoint_id}: {error}") from error


def check_same_graph(workflow: Workflow, checkpoint: WorkflowCheckpoint) -> None:
    """Refuse a checkpoint saved by a different graph, naming what differs."""
    if checkpoint.graph_signature == workflow.graph_signature():
        return
    saved = checkpoint.metadata.get(GRAPH_KEY) or {}
    now = workflow.graph_description()
    differences = describe_differences(saved, now)
    raise CheckpointGraphMismatchError(
        f"Checkpoint {checkpoint.checkpoint_id} was saved by a different workflow graph: "
        f"{'; '.join(differences) or 'the graph signature differs'}. Restore it into a workflow built "
        "the same way as the one that saved it."
    )


def describe_differences(saved: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """Readable differences between two `Workflow.graph_description()` results."""
    found: list[str] = []
    saved_execs, now_execs = saved.get("executors", {}), now.get("executors", {})
    if missing := sorted(set(saved_execs) - set(now_execs)):
        found.append(f"executors {missing} are missing now")
    if added := sorted(set(now_execs) - set(saved_execs)):
        found.append(f"executors {added} are new")
    for eid in sorted(set(saved_execs) & set(now_execs)):
        if saved_execs[eid] != now_execs[eid]:
            found.append(f"executor {eid!r} was a {saved_execs[eid]}, is now a {now_execs[eid]}")
    saved_edges, now_edges = set(saved.get("edges", [])), set(now.get("edges", []))
    if gone := sorted(saved_edges - now_edges):
        found.append(f"edges {gone} are missing now")
    if new := sorted(now_edges - saved_edges):
        found.append(f"edges {new} are new")
    if saved.get("start") != now.get("start"):
        found.append(f"the start executor was {saved.get('start')!r}, is now {now.get('start')!r}")
    return found


def encode_message(message: Message) -> dict[str, Any]:
    return {
        "source_ids": list(message.source_ids),
        "target_id": message.target_id,
        "payload": encode_value(message.payload, where=_message_at(message.target_id)),
        "request": encode_request(message.request) if message.request else None,
    }


def decode_message(data: dict[str, Any]) -> Message:
    request = data.get("request")
    return Message(
        tuple(data["source_ids"]),
        data["target_id"],
        decode_value(data["payload"], where=_message_at(data["target_id"])),
        decode_request(request) if request else None,
    )


def encode_request(request: PendingRequest) -> dict[str, Any]:
    return {
        "request_id": request.request_id,
        "executor_id": request.executor_id,
        "data": encode_value(request.data, where=_request_at(request.request_id)),
        "response_type": encode_value(request.response_type, where=_answer_type_at(request.request_id)),
    }


def decode_request(data: dict[str, Any]) -> PendingRequest:
    request_id = data["request_id"]
    return PendingRequest(
        request_id,
        data["executor_id"],
        decode_value(data["data"], where=_request_at(request_id)),
        decode_value(data["response_type"], where=_answer_type_at(request_id)),
    )


# --- reading checkpoints, for people -------------------------------------------------------


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
    "failed", "in progress" or "idle", read from the run state the checkpoint recorded."""

    checkpoint_id: str
    iteration_count: int
    targets: list[str]
    executor_states: dict[str, Any]
    status: str
    draft_preview: str | None = None
    pending_requests: list[PendingRequestDetails] = field(default_factory=list)
    timestamp: str = ""


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
    if checkpoint.messages:
        return "in progress"
    if checkpoint.pending_requests:
        return "awaiting human response"
    if state is WorkflowRunState.IDLE and checkpoint.iteration_count > 0:
        return "completed"
    return "idle"


def checkpoint_summary(checkpoint: WorkflowCheckpoint) -> WorkflowCheckpointSummary:
    """Summarise `checkpoint` for a listing."""
    pending = pending_requests_from_checkpoint(checkpoint)
    draft = next((p.draft for p in pending if p.draft), None)
    with naming_the_checkpoint(checkpoint):
        executor_states = _decode_executor_states(checkpoint)
    return WorkflowCheckpointSummary(
        checkpoint_id=checkpoint.checkpoint_id,
        iteration_count=checkpoint.iteration_count,
        targets=sorted({m["target_id"] for m in checkpoint.messages}),
        executor_states=executor_states,
        status=checkpoint_status(checkpoint),
        draft_preview=(draft[:77] + "...") if draft and len(draft) > 80 else draft,
        pending_requests=pending,
        timestamp=checkpoint.timestamp,
    )


def _first_attribute(obj: Any, *names: str) -> str | None:
    for name in names:
        value = getattr(obj, name, None)
        if isinstance(value, str):
            return value
    return None
