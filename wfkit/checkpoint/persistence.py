"""Saving a run as a `WorkflowCheckpoint` and loading it back: the engine's `Persistence`.

The engine calls `after_step` after every superstep (and once more when a run fails), and a
workflow continuing from a checkpoint calls `load`. Every value goes through the safe codec
(`codec.py`): plain JSON with registered type names, never pickle. A run reaches this class
through the core's one door to this package, `wfkit.core.run.checkpointing`.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ..core.edges import FanInEdgeGroup
from ..core.events import WorkflowErrorDetails, WorkflowRunState
from ..core.executor import executor_snapshots, give_back_snapshots
from ..core.state import Message, PendingRequest, RunState
from ..errors import CheckpointFormatError, CheckpointGraphMismatchError
from .codec import decode_value, encode_value
from .model import PARENT_KEY, WorkflowCheckpoint, group_by_source
from .registry import register_types_from_annotation

if TYPE_CHECKING:
    from ..core.workflow import Workflow
    from .storage.base import CheckpointStorage

SNAPSHOTS_KEY = "executor_snapshots"
GRAPH_KEY = "graph"
RUN_ID_KEY = "run_id"
FAILED_EXECUTOR_KEY = "failed_executor_id"  # whose error failed the run (None: not an executor's)
EDGE_MEMORY_KEY = "loop_rounds"  # the memory of edge groups other than fan-ins (loop rounds, by loop)
# The keywords the run hands its agents (see wfkit.core.run_keywords), saved as data like shared
# state: a run continued from the checkpoint has them without being given them again, as in AF.
RUN_KWARGS_KEY = "run_kwargs"


class CheckpointPersistence:
    """Saves the runs of `workflow` to `storage` and loads them back."""

    def __init__(self, workflow: Workflow, storage: CheckpointStorage) -> None:
        self.workflow = workflow
        self.storage = storage

    async def after_step(
        self, state: RunState, status: WorkflowRunState, failure: WorkflowErrorDetails | None = None
    ) -> None:
        checkpoint = await build_checkpoint(self.workflow, state, status, failure)
        await self.storage.save_checkpoint(checkpoint)
        state.last_checkpoint_id = checkpoint.checkpoint_id

    async def load(self, checkpoint_id: str, prepare: Callable[[RunState], None]) -> RunState:
        checkpoint = await self.storage.load_checkpoint(checkpoint_id)
        state = decode_run_state(self.workflow, checkpoint)
        prepare(state)
        await restore_executor_snapshots(self.workflow, checkpoint)
        return state


# Where a value sits in a checkpoint, in the words of the errors that name it (saving and loading).
def _executor_state_at(executor_id: str) -> str:
    return f"the state of executor '{executor_id}'"


def _snapshot_at(executor_id: str) -> str:
    return f"snapshot_state() of executor '{executor_id}'"


def _shared_state_at(key: str) -> str:
    return f"shared state {key!r}"


def _fan_in_at(group: str, source: str) -> str:
    return f"a message from '{source}' waiting at fan-in {group!r}"


def _edge_memory_at(group: str) -> str:
    return f"the memory of edge group {group!r}"


def _run_kwargs_at(name: str) -> str:
    return f"run keyword {name}= (a value for the run's agents)"


def _message_at(target_id: str) -> str:
    return f"a message to '{target_id}'"


def _request_at(request_id: str) -> str:
    return f"request {request_id}"


def _answer_type_at(request_id: str) -> str:
    return f"the answer type of request {request_id}"


def register_runtime_types(state: RunState) -> None:
    """Register the classes of the values in flight, so they can be saved.

    Handler annotations are registered when a class is defined; this catches subclasses of them
    (a handler for `Animal` receiving a `Dog`), in this run and in the runs of sub-workflows
    kept in its executors' state.
    """
    for message in state.messages:
        register_types_from_annotation(type(message.payload))
    for request in state.pending_requests.values():
        register_types_from_annotation(type(request.data))
    for executor_state in state.executor_states.values():
        for run in _runs_inside(executor_state):
            register_runtime_types(run)


def _runs_inside(value: object) -> list[RunState]:
    """The sub-workflow runs kept in an executor's state, however deep in its dicts and lists
    (a `WorkflowExecutor` keeps one per execution in flight, by execution id)."""
    if isinstance(value, RunState):
        return [value]
    if isinstance(value, dict):
        return [run for item in value.values() for run in _runs_inside(item)]
    if isinstance(value, (list, tuple)):
        return [run for item in value for run in _runs_inside(item)]
    return []


async def build_checkpoint(
    workflow: Workflow, state: RunState, run_state: WorkflowRunState, failure: WorkflowErrorDetails | None = None
) -> WorkflowCheckpoint:
    """A checkpoint of `state`, the committed state between two supersteps (and, for a run that
    failed, the id of the executor whose error stopped it, if one did)."""
    register_runtime_types(state)
    if not state.run_id:  # the first checkpoint of this run names it, and the later ones share the name
        state.run_id = str(uuid.uuid4())
    snapshots = {
        executor_id: encode_value(snapshot, where=_snapshot_at(executor_id))
        for executor_id, snapshot in (await executor_snapshots(workflow.executors)).items()
    }
    fan_ins = _fan_in_ids(workflow)
    return WorkflowCheckpoint(
        workflow_id=workflow.id,
        messages=group_by_source([encode_message(m, position) for position, m in enumerate(state.messages)]),
        shared_state={key: encode_value(value, where=_shared_state_at(key)) for key, value in state.shared_state.items()},
        executor_states={eid: encode_value(s, where=_executor_state_at(eid)) for eid, s in state.executor_states.items()},
        pending_requests=[encode_request(r) for r in state.pending_requests.values()],
        fan_in_buffers={
            group: {
                source: [encode_value(item, where=_fan_in_at(group, source)) for item in items]
                for source, items in by_source.items()
            }
            for group, by_source in state.edge_memory.items()
            if group in fan_ins
        },
        iteration_count=state.iteration,
        max_iterations=workflow.max_iterations,
        run_state=run_state.name,
        graph_signature=workflow.graph_signature(),
        metadata={
            RUN_ID_KEY: state.run_id,
            PARENT_KEY: state.last_checkpoint_id,
            FAILED_EXECUTOR_KEY: failure.executor_id if failure is not None else None,
            GRAPH_KEY: workflow.graph_description(),
            SNAPSHOTS_KEY: snapshots,
            EDGE_MEMORY_KEY: {
                group: encode_value(memory, where=_edge_memory_at(group))
                for group, memory in state.edge_memory.items()
                if group not in fan_ins
            },
            RUN_KWARGS_KEY: {
                name: encode_value(kw, where=_run_kwargs_at(name)) for name, kw in state.run_kwargs.items()
            },
        },
    )


def decode_run_state(workflow: Workflow, checkpoint: WorkflowCheckpoint) -> RunState:
    """The `RunState` a checkpoint recorded. Changes nothing: see `restore_executor_snapshots`.

    A damaged or edited checkpoint is refused here, by a checkpoint error naming the place,
    rather than by a bare ``KeyError`` now or a crash in the middle of the resumed run: the
    entries' shapes are checked before decoding, the executors and edge groups they name after
    (so a value the codec refuses is reported as that, wherever it sits).
    """
    check_same_graph(workflow, checkpoint)
    with naming_the_checkpoint(checkpoint):
        check_entries(checkpoint)
        edge_memory: dict[str, Any] = {
            group: {
                source: [decode_value(item, where=_fan_in_at(group, source)) for item in items]
                for source, items in by_source.items()
            }
            for group, by_source in checkpoint.fan_in_buffers.items()
        }
        for group, memory in _metadata_map(checkpoint, EDGE_MEMORY_KEY).items():
            edge_memory[group] = decode_value(memory, where=_edge_memory_at(group))
        state = RunState(
            messages=[decode_message(m) for m in checkpoint.all_messages()],
            executor_states=decode_executor_states(checkpoint),
            shared_state={
                key: decode_value(value, where=_shared_state_at(key)) for key, value in checkpoint.shared_state.items()
            },
            edge_memory=edge_memory,
            pending_requests={r.request_id: r for r in map(decode_request, checkpoint.pending_requests)},
            iteration=checkpoint.iteration_count,
            run_kwargs={
                name: decode_value(kw, where=_run_kwargs_at(name))
                for name, kw in _metadata_map(checkpoint, RUN_KWARGS_KEY).items()
            },
            run_id=str(checkpoint.metadata.get(RUN_ID_KEY, "")),
            last_checkpoint_id=checkpoint.checkpoint_id,
        )
    check_names_exist(workflow, checkpoint)
    return state


async def restore_executor_snapshots(workflow: Workflow, checkpoint: WorkflowCheckpoint) -> None:
    """Give each executor back what its `snapshot_state()` returned when the checkpoint was saved."""
    with naming_the_checkpoint(checkpoint):
        snapshots = {
            executor_id: decode_value(snapshot, where=_snapshot_at(executor_id))
            for executor_id, snapshot in _metadata_map(checkpoint, SNAPSHOTS_KEY).items()
        }
    # Every snapshot is decoded before any executor takes one back: a damaged one changes nothing.
    await give_back_snapshots(workflow.executors, snapshots)


# --- checking a loaded checkpoint before decoding it ----------------------------------------
# `WorkflowCheckpoint.from_dict` checks the top-level fields (messages is an object of lists of
# objects, and so on); these check what is inside them, where a hand-edited file goes wrong.

# The fix, said at the end of every error about a damaged entry.
_DAMAGED = (
    "The checkpoint was edited, or not written by wfkit: restore another checkpoint "
    "(storage.list_checkpoint_ids() lists them), or delete this one."
)


def check_entries(checkpoint: WorkflowCheckpoint) -> None:
    """Refuse a message or request entry with a field missing or of the wrong kind (a
    `CheckpointFormatError` naming the entry, such as ``messages['writer'][0]``)."""
    for sender, entries in checkpoint.messages.items():
        for index, entry in enumerate(entries):
            check_message_entry(entry, f"messages[{sender!r}][{index}]")
    seen: set[str] = set()
    for index, entry in enumerate(checkpoint.pending_requests):
        where = f"pending_requests[{index}]"
        check_request_entry(entry, where)
        if entry["request_id"] in seen:  # two entries would silently become one request
            raise CheckpointFormatError(f"{where} repeats request id {entry['request_id']!r}. {_DAMAGED}")
        seen.add(entry["request_id"])
    for key in (SNAPSHOTS_KEY, EDGE_MEMORY_KEY):
        _metadata_map(checkpoint, key)


def check_message_entry(entry: dict[str, Any], where: str) -> None:
    """The fields `decode_message` reads, each there and of the right kind."""
    _text_field(entry, "target_id", where)
    _field(entry, "data", where)
    source_ids = entry.get("source_ids")
    if not source_ids:  # older entries name one sender only
        _text_field(entry, "source_id", where)
    elif not (isinstance(source_ids, list) and all(isinstance(s, str) and s for s in source_ids)):
        raise CheckpointFormatError(
            f"{where}['source_ids'] should be a list of executor ids, found {source_ids!r}. {_DAMAGED}"
        )
    position = entry.get("position", 0)
    if type(position) is not int:  # it orders the messages: anything else cannot be sorted
        raise CheckpointFormatError(f"{where}['position'] should be a whole number, found {position!r}. {_DAMAGED}")
    request = entry.get("original_request")
    if request is not None:
        if not isinstance(request, dict):
            raise CheckpointFormatError(
                f"{where}['original_request'] should be a request object or null, found {request!r}. {_DAMAGED}"
            )
        check_request_entry(request, f"{where}['original_request']")


def check_request_entry(entry: dict[str, Any], where: str) -> None:
    """The fields `decode_request` reads, each there and of the right kind."""
    _text_field(entry, "request_id", where)
    _text_field(entry, "executor_id", where)
    _field(entry, "data", where)
    _field(entry, "response_type", where)


def _field(entry: dict[str, Any], key: str, where: str) -> Any:
    if key not in entry:
        raise CheckpointFormatError(f"{where} has no {key!r} field. {_DAMAGED}")
    return entry[key]


def _text_field(entry: dict[str, Any], key: str, where: str) -> str:
    value = _field(entry, key, where)
    if not isinstance(value, str) or not value:
        raise CheckpointFormatError(f"{where}[{key!r}] should be a non-empty string, found {value!r}. {_DAMAGED}")
    return value


def _metadata_map(checkpoint: WorkflowCheckpoint, key: str) -> dict[str, Any]:
    """``metadata[key]``, an object of saved values by id (an absent one is empty)."""
    value = checkpoint.metadata.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CheckpointFormatError(
            f"metadata[{key!r}] should be an object of saved values by id, found {type(value).__name__} "
            f"{value!r}. {_DAMAGED}"
        )
    return value


def check_names_exist(workflow: Workflow, checkpoint: WorkflowCheckpoint) -> None:
    """Refuse a checkpoint naming an executor or edge group the workflow does not have.

    The graph signature matched (`check_same_graph`), so this is an edited file: without the
    check, a message to an executor that does not exist would crash the resumed run inside the
    engine, far from the cause.
    """
    names = _names_in(checkpoint)
    executors = workflow.executors
    for where, executor_id in names["executor"]:
        if executor_id not in executors:
            raise _unknown_name(checkpoint, where, f"executor {executor_id!r}", sorted(executors))
    groups = {group.id: group for group in workflow.edge_groups}
    for where, group_id in names["edge group"]:
        if group_id not in groups:
            raise _unknown_name(checkpoint, where, f"edge group {group_id!r}", sorted(groups))
    for group_id, by_source in checkpoint.fan_in_buffers.items():
        for source in by_source:
            if source not in groups[group_id].sources:
                where = f"fan_in_buffers[{group_id!r}]"
                raise _unknown_name(checkpoint, where, f"source {source!r}", groups[group_id].sources)


def _names_in(checkpoint: WorkflowCheckpoint) -> dict[str, list[tuple[str, str]]]:
    """Every executor id and edge group id the checkpoint names, each with where it names it."""
    executors: list[tuple[str, str]] = []
    for sender, entries in checkpoint.messages.items():
        for index, entry in enumerate(entries):
            where = f"messages[{sender!r}][{index}]"
            executors.append((where, entry["target_id"]))
            if entry.get("original_request"):
                executors.append((f"{where}['original_request']", entry["original_request"]["executor_id"]))
    executors += [(f"pending_requests[{i}]", r["executor_id"]) for i, r in enumerate(checkpoint.pending_requests)]
    executors += [(f"executor_states[{eid!r}]", eid) for eid in checkpoint.executor_states]
    executors += [(f"metadata[{SNAPSHOTS_KEY!r}]", eid) for eid in _metadata_map(checkpoint, SNAPSHOTS_KEY)]
    groups = [(f"fan_in_buffers[{gid!r}]", gid) for gid in checkpoint.fan_in_buffers]
    groups += [(f"metadata[{EDGE_MEMORY_KEY!r}]", gid) for gid in _metadata_map(checkpoint, EDGE_MEMORY_KEY)]
    return {"executor": executors, "edge group": groups}


def _unknown_name(
    checkpoint: WorkflowCheckpoint, where: str, what: str, known: list[str]
) -> CheckpointGraphMismatchError:
    return CheckpointGraphMismatchError(
        f"Checkpoint {checkpoint.checkpoint_id}: {where} names {what}, which this workflow does not have "
        f"(it has {known}). The checkpoint was edited, or saved by a workflow built differently: restore "
        "it into the workflow that saved it, or restore another checkpoint."
    )


def decode_executor_states(checkpoint: WorkflowCheckpoint) -> dict[str, Any]:
    return {eid: decode_value(s, where=_executor_state_at(eid)) for eid, s in checkpoint.executor_states.items()}


def _fan_in_ids(workflow: Workflow) -> set[str]:
    return {group.id for group in workflow.edge_groups if isinstance(group, FanInEdgeGroup)}


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


def encode_message(message: Message, position: int) -> dict[str, Any]:
    """One waiting message as a checkpoint entry, with Agent Framework's field names.

    `source_ids` lists every sender (several for a fan-in, `source_id` is the first); an answer
    to a request has type "response" and the request in `original_request`; `position` is its
    place in the queue, so a restored run handles the messages in the same order.
    """
    request = message.request
    return {
        "source_id": message.source_ids[0],
        "target_id": message.target_id,
        "data": encode_value(message.payload, where=_message_at(message.target_id)),
        "type": "response" if request else "standard",
        "original_request": encode_request(request) if request else None,
        "source_ids": list(message.source_ids),
        "position": position,
    }


def decode_message(data: dict[str, Any]) -> Message:
    request = data.get("original_request")
    return Message(
        tuple(data.get("source_ids") or [data["source_id"]]),
        data["target_id"],
        decode_value(data["data"], where=_message_at(data["target_id"])),
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

