"""A run's supersteps read from its checkpoints alone (say, in a new session), and the tree of
branches that resuming one checkpoint twice leaves.

A checkpoint is the picture after one superstep: waiting messages, states, open requests. Each
one names its parent (the checkpoint the run was at before it), so the checkpoints of a
workflow form a tree: a plain run is one chain, and a *fork* (a run resumed from an older
checkpoint) starts a second chain at that checkpoint.

What ran in step `n` is not written in its checkpoint, but it follows from the one before:
the executors the waiting messages went to, and those whose requests were answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..checkpoint.codec import decode_value
from ..checkpoint.persistence import PARENT_KEY, RUN_ID_KEY
from ..core.events import WorkflowRunState
from ..errors import CheckpointError
from .records import OpenRequest, Superstep, link_changes, outcomes_of, preview, statuses_after, waiting_messages

if TYPE_CHECKING:
    from ..checkpoint.model import WorkflowCheckpoint


def _decoded(data: Any) -> Any:
    # A value whose class this session has not registered (its module not imported yet) is
    # shown as the saved data: the history is for looking, and looking must not fail.
    try:
        return decode_value(data)
    except CheckpointError:
        return data


def read_checkpoint(checkpoint: WorkflowCheckpoint) -> Superstep:
    """The picture a checkpoint holds, as a `Superstep` (without `ran`, `statuses` or `changes`)."""
    messages = []
    for entry in checkpoint.all_messages():
        value = _decoded(entry.get("data"))
        request = entry.get("original_request") or {}
        request_id = request.get("request_id") if isinstance(request, dict) else None
        sources = [str(s) for s in entry.get("source_ids") or [entry.get("source_id", "?")]]
        messages += waiting_messages(sources, str(entry.get("target_id", "?")), value, request_id)
    pending = {}
    for entry in checkpoint.pending_requests:
        data = _decoded(entry.get("data"))
        request_id = str(entry.get("request_id"))
        pending[request_id] = OpenRequest(
            request_id, str(entry.get("executor_id")), preview(data), _decoded(entry.get("response_type")), data
        )
    return Superstep(
        checkpoint.iteration_count,
        messages=messages,
        shared_state={key: _decoded(value) for key, value in checkpoint.shared_state.items()},
        executor_states={eid: _decoded(value) for eid, value in checkpoint.executor_states.items()},
        pending_requests=pending,
        checkpoint_id=checkpoint.checkpoint_id,
        failed=checkpoint.run_state == WorkflowRunState.FAILED.name,
    )


def parent_of(checkpoint: WorkflowCheckpoint) -> str:
    """The id of the checkpoint the run was at before this one ("" for a run's first)."""
    return str(checkpoint.metadata.get(PARENT_KEY) or "")


def run_id_of(checkpoint: WorkflowCheckpoint) -> str:
    return str(checkpoint.metadata.get(RUN_ID_KEY) or "")


def steps_from_checkpoints(
    chain: list[WorkflowCheckpoint], executor_ids: list[str], start_id: str, before: Superstep | None = None
) -> list[Superstep]:
    """The supersteps one chain of checkpoints records, oldest first.

    `before` is the step the chain continues from (a fork's parent step), or None for a run's
    first chain, whose first step ran the start executor.
    """
    steps: list[Superstep] = []
    outcome = outcomes_of(before.statuses) if before is not None else {}
    previous = before
    for checkpoint in chain:
        step = read_checkpoint(checkpoint)
        if step.failed:  # the state before the failed step: the step itself is the next number
            step.number += 1
            step.checkpoint_id = None
        if previous is None:
            step.ran = [start_id]
        else:
            delivered = [m.target for m in previous.messages]
            answered = [r.executor_id for rid, r in previous.pending_requests.items() if rid not in step.pending_requests]
            step.ran = list(dict.fromkeys(delivered + answered))
        for executor_id in step.ran:
            outcome[executor_id] = "failed" if step.failed else "done"
        # A failed step's checkpoint is the state before it: nobody waits on its requests now.
        asking = set() if step.failed else {request.executor_id for request in step.pending_requests.values()}
        step.statuses = statuses_after(executor_ids, outcome, asking)
        steps.append(step)
        previous = step
    link_changes(steps, before)
    return steps


@dataclass
class CheckpointTree:
    """The checkpoints of one workflow as chains: `chains[0]` is the first run's, and each other
    chain is a fork that left from `forks_from[i]` (a checkpoint id in an earlier chain)."""

    chains: list[list[WorkflowCheckpoint]] = field(default_factory=list)
    forks_from: list[str | None] = field(default_factory=list)


def checkpoint_tree(checkpoints: list[WorkflowCheckpoint]) -> CheckpointTree:
    """Sort `checkpoints` (oldest first) into chains by their parent links.

    A checkpoint's first child (the oldest) continues its chain; a later child starts a new
    chain, a fork. A checkpoint whose parent is not among them (the first of a run, or one from
    before parents were recorded, which then follows its run's previous checkpoint) starts a
    chain of its own.
    """
    known = {cp.checkpoint_id: cp for cp in checkpoints}
    last_of_run: dict[str, str] = {}
    parents: dict[str, str] = {}
    for checkpoint in checkpoints:
        parent = parent_of(checkpoint)
        if not parent and run_id_of(checkpoint) in last_of_run:  # saved before parents were recorded
            parent = last_of_run[run_id_of(checkpoint)]
        parents[checkpoint.checkpoint_id] = parent if parent in known else ""
        last_of_run[run_id_of(checkpoint)] = checkpoint.checkpoint_id
    tree = CheckpointTree()
    chain_of: dict[str, list[WorkflowCheckpoint]] = {}
    continued: set[str] = set()
    for checkpoint in checkpoints:
        parent = parents[checkpoint.checkpoint_id]
        if parent and parent not in continued:
            chain = chain_of[parent]
            continued.add(parent)
        else:
            chain = []
            tree.chains.append(chain)
            tree.forks_from.append(parent or None)
            if parent:
                continued.add(parent)
        chain.append(checkpoint)
        chain_of[checkpoint.checkpoint_id] = chain
    return tree
