"""The events an agent executor emits, beside the runtime's own (`wfkit.core.events`)."""

from __future__ import annotations

from ..core.events import ExecutorEvent


class AgentRunUpdateEvent(ExecutorEvent):
    """A piece of an agent's streamed answer (`data` is an update), emitted while it writes."""

    __slots__ = ()
    type = "agent_run_update"


class AgentRunEvent(ExecutorEvent):
    """An agent finished answering; `data` is its whole response."""

    __slots__ = ()
    type = "agent_run"
