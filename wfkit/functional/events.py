"""The one event a functional workflow adds to wfkit's: a step whose result was replayed.

Everything else a functional run says is an event every run says (started, status,
executor_invoked, executor_completed, executor_failed, request_info, output, failed). A step
called again on a replay, whose result the run already has, does not run: it says so with an
`ExecutorBypassedEvent` instead of the invoked/completed pair.
"""

from __future__ import annotations

from ..core.events import ExecutorEvent, WorkflowEventSource


class ExecutorBypassedEvent(ExecutorEvent):
    """The step `executor_id` was not run: the run already had its result, `data`, and used it.

    It happens when a paused run goes on (``run(responses=...)``) or a saved run is restored
    (``run(checkpoint_id=...)``): the workflow function runs again from the top, and each step
    that finished before hands back what it returned then. Agent Framework 1.x names the same
    event ``"executor_bypassed"``.
    """

    __slots__ = ()
    type = "executor_bypassed"
    default_origin = WorkflowEventSource.FRAMEWORK
