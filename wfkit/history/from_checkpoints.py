"""A run's supersteps read from its checkpoints alone (say, in a new session), and the tree of
branches that resuming one checkpoint twice leaves.

A checkpoint is the picture after one superstep: waiting messages, states, open requests. Each
one names its parent (the checkpoint the run was at before it), so the checkpoints of a
workflow form a tree: a plain run is one chain, and a *fork* (a run resumed from an older
checkpoint) starts a second chain at that checkpoint.

What ran in step `n` is not written in its checkpoint, but it follows from the one before:
the executors the waiting messages went to, and those whose requests were answered. What a step
yielded (``ctx.yield_output``) is not written anywhere in a checkpoint, so such steps say so
(`Superstep.outputs_recorded` is False) rather than claim they yielded nothing.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..checkpoint.contents import CheckpointContents, failed_executor_id, parent_id, read_contents, run_id
from ..checkpoint.model import PARENT_KEY
from ..core.events import WorkflowRunState
from ..core.state import ExecutorFailure
from .records import OpenRequest, Superstep, link_changes, preview, short_id, waiting_messages
from .statuses import outcomes_of, statuses_after

if TYPE_CHECKING:
    from ..checkpoint.model import WorkflowCheckpoint


def read_checkpoint(checkpoint: WorkflowCheckpoint) -> Superstep:
    """The picture a checkpoint holds, as a `Superstep` (without `ran`, `statuses` or `changes`)."""
    return _step_of(checkpoint, read_contents(checkpoint))


def _step_of(checkpoint: WorkflowCheckpoint, contents: CheckpointContents) -> Superstep:
    messages = []
    for message in contents.messages:
        request_id = message.request.request_id if message.request is not None else None
        messages += waiting_messages(message.source_ids, message.target_id, message.payload, request_id)
    return Superstep(
        checkpoint.iteration_count,
        messages=messages,
        shared_state=contents.shared_state,
        executor_states=contents.executor_states,
        pending_requests={
            request_id: OpenRequest(request_id, request.executor_id, preview(request.data), request.response_type, request.data)
            for request_id, request in contents.pending_requests.items()
        },
        outputs_recorded=False,  # a checkpoint holds the state after the step, not what it yielded
        checkpoint_id=checkpoint.checkpoint_id,
        saved_at=checkpoint.timestamp,
        failed=checkpoint.run_state == WorkflowRunState.FAILED.name,
    )


def handed_to_a_fallback(contents: CheckpointContents) -> list[str]:
    """The executors whose call failed and went to their fallback in the step before `contents`:
    the message to a fallback is the `ExecutorFailure` itself, sent on by the executor that failed."""
    return [
        message.payload.executor_id
        for message in contents.messages
        if isinstance(message.payload, ExecutorFailure) and message.source_ids[0] == message.payload.executor_id
    ]


def steps_from_checkpoints(
    chain: list[WorkflowCheckpoint], executor_ids: list[str], start_id: str, before: Superstep | None = None
) -> list[Superstep]:
    """The supersteps one chain of checkpoints records, oldest first.

    `before` is the step the chain continues from (a fork's parent step), or None for a run's
    first chain, whose first step ran the start executor.

    The executors inside a sub-workflow keep the status `before` gave them (idle, for a run's
    first chain): a checkpoint records the sub-workflow's call, not what ran inside it.
    """
    steps: list[Superstep] = []
    outcome = outcomes_of(before.statuses) if before is not None else {}
    previous = before
    for checkpoint in chain:
        contents = read_contents(checkpoint)
        step = _step_of(checkpoint, contents)
        if step.failed:  # the state before the failed step: the step itself is the next number
            step.number += 1
            step.checkpoint_id = None
        if previous is None:
            step.ran = [start_id]
        else:
            delivered = [m.target for m in previous.messages]
            answered = [r.executor_id for rid, r in previous.pending_requests.items() if rid not in step.pending_requests]
            step.ran = list(dict.fromkeys(delivered + answered))
        # A failed run's last checkpoint names the executor that raised; the others of its step
        # returned. An older checkpoint, or a failure that was no executor's (the run's time ran
        # out), cannot say: then every executor of the step counts as failed.
        culprit = failed_executor_id(checkpoint) if step.failed else None
        for executor_id in step.ran:
            outcome[executor_id] = "failed" if step.failed and culprit in (None, executor_id) else "done"
        for executor_id in handed_to_a_fallback(contents):
            outcome[executor_id] = "failed"
        # A failed step's checkpoint holds the requests still open: the ones asked before it, and
        # the ones it answered (its work was dropped, answers included).
        asking = [request.executor_id for request in step.pending_requests.values()]
        step.statuses = statuses_after(executor_ids, outcome, asking)
        steps.append(step)
        previous = step
    link_changes(steps, before)
    return steps


@dataclass
class CheckpointTree:
    """The checkpoints of one workflow as chains: `chains[0]` is the first run's, and each other
    chain is a fork that left from `forks_from[i]` (a checkpoint id in an earlier chain).

    `problems` maps the id of a checkpoint whose parent link could not be followed as it is
    (it names itself, its parents go round in a cycle, or it was saved before its parent) to
    what was wrong and what the tree did about it. The explorer marks those steps.
    """

    chains: list[list[WorkflowCheckpoint]] = field(default_factory=list)
    forks_from: list[str | None] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)


def checkpoint_tree(checkpoints: list[WorkflowCheckpoint]) -> CheckpointTree:
    """Sort `checkpoints` (oldest first) into chains by their parent links.

    A checkpoint's first child (the oldest) continues its chain; a later child starts a new
    chain, a fork. A checkpoint whose parent is not among them (the first of a run, or one from
    before parents were recorded, which then follows its run's previous checkpoint) starts a
    chain of its own.

    Damaged links do not hide the other checkpoints: a checkpoint that is its own parent, or
    whose parents form a cycle, starts a chain of its own; a child saved before its parent (a
    clock set back, folders merged from two machines) still follows its parent. Each is noted in
    `problems`.
    """
    tree = CheckpointTree()
    parents = _parent_links(checkpoints, tree.problems)
    chain_of: dict[str, list[WorkflowCheckpoint]] = {}
    continued: set[str] = set()
    for checkpoint in _parents_first(checkpoints, parents):
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


def _parent_links(checkpoints: list[WorkflowCheckpoint], problems: dict[str, str]) -> dict[str, str]:
    """Checkpoint id -> the id of its parent among `checkpoints` ("" for none), every link one
    that can be followed: those that cannot are cut, and why goes into `problems`."""
    known = {cp.checkpoint_id: cp for cp in checkpoints}
    last_of_run: dict[str, str] = {}
    parents: dict[str, str] = {}
    for checkpoint in checkpoints:
        parent = parent_id(checkpoint)
        saved_before_parents_were_recorded = PARENT_KEY not in checkpoint.metadata
        if saved_before_parents_were_recorded and run_id(checkpoint) in last_of_run:
            parent = last_of_run[run_id(checkpoint)]
        parents[checkpoint.checkpoint_id] = parent if parent in known else ""
        last_of_run[run_id(checkpoint)] = checkpoint.checkpoint_id
    for checkpoint in checkpoints:  # oldest first, so a cycle is cut at its oldest checkpoint
        own_id = checkpoint.checkpoint_id
        if parents[own_id] == own_id:
            parents[own_id] = ""
            problems[own_id] = (
                f"checkpoint {short_id(own_id)} names itself as its parent, so where it came from is "
                "unknown: it is shown as the start of a chain of its own"
            )
            continue
        path, current = [own_id], parents[own_id]
        while current and current not in path:
            path.append(current)
            current = parents[current]
        if current == own_id:
            parents[own_id] = ""
            loop = " -> ".join(short_id(i) for i in [*path, own_id])
            problems[own_id] = (
                f"the parent links of checkpoint {short_id(own_id)} go round in a cycle ({loop}), so "
                "where it came from is unknown: it is shown as the start of a chain of its own"
            )
    for checkpoint in checkpoints:
        parent = parents[checkpoint.checkpoint_id]
        if parent and known[parent].timestamp > checkpoint.timestamp:
            problems[checkpoint.checkpoint_id] = (
                f"checkpoint {short_id(checkpoint.checkpoint_id)} was saved before its parent "
                f"{short_id(parent)} ({checkpoint.timestamp} < {known[parent].timestamp}): a clock set back, "
                "or folders merged from two machines? It is shown after its parent, as its link says"
            )
    return parents


def _parents_first(checkpoints: list[WorkflowCheckpoint], parents: dict[str, str]) -> list[WorkflowCheckpoint]:
    """`checkpoints` in their order (oldest first), except that each comes after its parent.
    `parents` has no cycle left (see `_parent_links`)."""
    order = {cp.checkpoint_id: i for i, cp in enumerate(checkpoints)}
    children: dict[str, list[WorkflowCheckpoint]] = {}
    ready: list[tuple[int, str]] = []
    for checkpoint in checkpoints:
        parent = parents[checkpoint.checkpoint_id]
        if parent:
            children.setdefault(parent, []).append(checkpoint)
        else:
            ready.append((order[checkpoint.checkpoint_id], checkpoint.checkpoint_id))
    heapq.heapify(ready)
    placed: list[WorkflowCheckpoint] = []
    while ready:
        _, checkpoint_id = heapq.heappop(ready)
        placed.append(checkpoints[order[checkpoint_id]])
        for child in children.get(checkpoint_id, []):
            heapq.heappush(ready, (order[child.checkpoint_id], child.checkpoint_id))
    return placed
