"""`RunState`: everything a run must remember between supersteps.

It is exactly what a checkpoint saves: the messages waiting for the next superstep, each
executor's state, shared state, fan-in buffers and pending requests. Writes made during a
superstep are *staged* and only committed when every handler of the step succeeded, so a
failed step leaves the last good state untouched.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from ..checkpoint.registry import register_checkpoint_type


@register_checkpoint_type
@dataclass
class PendingRequest:
    """A question the workflow has asked the outside world and not yet had answered."""

    request_id: str
    executor_id: str
    data: Any
    response_type: Any


@register_checkpoint_type
@dataclass
class Message:
    """A message on its way to `target_id`, to be handled in the next superstep.

    `source_ids` says who sent it (several for a fan-in). An answer to a request is a message
    too: then `request` is the request it answers and `payload` is the answer.
    """

    source_ids: tuple[str, ...]
    target_id: str
    payload: Any
    request: PendingRequest | None = None


@register_checkpoint_type
@dataclass
class RunState:
    """The committed state of a run, plus the writes the current superstep has staged."""

    messages: list[Message] = field(default_factory=list)
    executor_states: dict[str, dict[str, Any]] = field(default_factory=dict)
    shared_state: dict[str, Any] = field(default_factory=dict)
    fan_in_buffers: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    pending_requests: dict[str, PendingRequest] = field(default_factory=dict)
    iteration: int = 0
    loop_rounds: dict[str, int] = field(default_factory=dict)
    run_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    staged_states: dict[str, dict[str, Any]] = field(default_factory=dict)
    staged_shared: dict[str, Any] = field(default_factory=dict)
    staged_requests: dict[str, PendingRequest] = field(default_factory=dict)

    def get_executor_state(self, executor_id: str) -> dict[str, Any] | None:
        if executor_id in self.staged_states:
            return self.staged_states[executor_id]
        return self.executor_states.get(executor_id)

    def set_executor_state(self, executor_id: str, state: dict[str, Any]) -> None:
        self.staged_states[executor_id] = state

    def get_shared(self, key: str) -> Any:
        if key in self.staged_shared:
            return self.staged_shared[key]
        try:
            return self.shared_state[key]
        except KeyError:
            known = sorted(set(self.shared_state) | set(self.staged_shared))
            raise KeyError(
                f"No shared state under {key!r}; keys set so far: {known}. Set it first with "
                "ctx.set_shared_state(key, value)."
            ) from None

    def set_shared(self, key: str, value: Any) -> None:
        self.staged_shared[key] = value

    def has_pending_requests(self) -> bool:
        return bool(self.pending_requests or self.staged_requests)

    def commit(self) -> None:
        """Keep the superstep's writes."""
        self.executor_states.update(self.staged_states)
        self.shared_state.update(self.staged_shared)
        self.pending_requests.update(self.staged_requests)
        self.discard()

    def discard(self) -> None:
        """Drop the superstep's writes (it failed or was cancelled)."""
        self.staged_states = {}
        self.staged_shared = {}
        self.staged_requests = {}
