"""`RunState`: everything a run must remember between supersteps, as plain data, and the
messages it holds (`Message`, `PendingRequest`, and the `ExecutorFailure` a fallback receives).

It is exactly what a checkpoint saves: the messages waiting for the next superstep, each
executor's state, shared state, the edge groups' memory (fan-in buffers, loop rounds), the
pending requests, and the keywords the run hands its agents (see `run_keywords.py`). It only
ever holds *committed* state: a superstep stages its writes in a `Step` (see `step.py`) and
commits them when every handler succeeded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .run_keywords import WorkflowInvocationKwargs


@dataclass
class PendingRequest:
    """A question the workflow has asked the outside world and not yet had answered."""

    request_id: str
    executor_id: str
    data: Any
    response_type: Any


@dataclass(slots=True)
class Message:
    """A message on its way to `target_id`, to be handled in the next superstep.

    `source_ids` says who sent it (several for a fan-in). An answer to a request is a message
    too: then `request` is the request it answers and `payload` is the answer.
    """

    source_ids: tuple[str, ...]
    target_id: str
    payload: Any
    request: PendingRequest | None = None


@dataclass
class ExecutorFailure:
    """What a fallback executor receives when `executor_id` failed for good (after any retries).

    `message` is what the failed executor was handling, so the fallback can finish the job
    (a human review, say) or report it.
    """

    executor_id: str
    message: Any
    error_type: str
    error_message: str
    attempts: int = 1


@dataclass
class SourceFailed:
    """A join's record that one of its sources failed for good (joins with ``min_successes``).

    The engine reports the failure to the join in this wrapper, never as a bare `ExecutorFailure`:
    an executor may send an `ExecutorFailure` on as an ordinary message (a fallback passing on
    what it received), and the join must count that as what the source sent, not as its failure.
    """

    failure: ExecutorFailure


@dataclass(slots=True)
class RunState:
    """The committed state of a run between two supersteps."""

    messages: list[Message] = field(default_factory=list)
    executor_states: dict[str, dict[str, Any]] = field(default_factory=dict)
    shared_state: dict[str, Any] = field(default_factory=dict)
    edge_memory: dict[str, Any] = field(default_factory=dict)  # edge group id -> what it keeps
    pending_requests: dict[str, PendingRequest] = field(default_factory=dict)
    iteration: int = 0
    # "function_invocation_kwargs" / "client_kwargs" -> what the run was given for its agents
    run_kwargs: dict[str, WorkflowInvocationKwargs] = field(default_factory=dict)
    run_id: str = ""  # given when the run is first saved: only checkpoints need it
    # The checkpoint this state was last saved as or restored from: the next checkpoint's parent,
    # so a run resumed twice from one checkpoint leaves two branches (see wfkit.history).
    last_checkpoint_id: str = ""
