"""Events: what a running workflow tells the outside world.

A run is a stream of these. Learners print them, so each has a short one-line ``repr`` such as
``ExecutorInvokedEvent(executor_id=draft_writer)``: a long value (a message, an answer, a
warning) is cut with an ellipsis, and the whole line stays within `REPR_WIDTH` characters.

Every event class also says what kind of event it is in one word, its `type`: ``"started"``,
``"executor_invoked"``, ``"request_info"`` and so on, the names Agent Framework 1.x gives the
same events (wfkit's own, such as ``"executor_retry"``, have names of their own). Code that
reads a run looks at ``event.type``: one ``match`` instead of a chain of ``isinstance`` tests.
A subclass that names no type of its own keeps its parent's::

    match event.type:
        case "executor_failed": print(event.executor_id, "failed")
        case "output": print("result:", event.data)
"""

from __future__ import annotations

import traceback as traceback_module
import types
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar


class WorkflowEventSource(str, Enum):
    """Who an event comes from: the runtime itself, or the code of an executor.

    `FRAMEWORK` events describe the run (started, status, supersteps, an executor invoked or
    completed, outputs, failures); `EXECUTOR` events are what executors have to say (requests
    for information, warnings, an agent's streamed answer, your own events). Read it as
    ``event.origin``, e.g. to show only what the executors said.
    """

    FRAMEWORK = "FRAMEWORK"
    EXECUTOR = "EXECUTOR"

    def __repr__(self) -> str:
        return f"WorkflowEventSource.{self.name}"


class WorkflowRunState(str, Enum):
    """Where a run is in its life. The last `WorkflowStatusEvent` of a run carries its final state."""

    STARTED = "STARTED"
    IN_PROGRESS = "IN_PROGRESS"
    IN_PROGRESS_PENDING_REQUESTS = "IN_PROGRESS_PENDING_REQUESTS"
    IDLE = "IDLE"
    IDLE_WITH_PENDING_REQUESTS = "IDLE_WITH_PENDING_REQUESTS"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"

    def __repr__(self) -> str:
        return f"WorkflowRunState.{self.name}"


# The longest an event's repr gets: one line of a notebook's output.
REPR_WIDTH = 120


def short_repr(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to `limit` characters, so events stay one readable line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class WorkflowErrorDetails:
    """What went wrong in a failed run: the error's type and message, where, and the traceback.

    The text fields say it all in plain strings, which can be printed, compared and saved.
    `exception` is the exception object itself, for code that wants to catch or inspect the
    real thing (`WorkflowFailedError` is raised from it). It stays in this process only: it is
    left out of ``==`` and of the repr, and is None when the details were written by hand or
    rebuilt from saved data.

    `attempts` counts the calls made before giving up: more than 1 when a retry policy
    (`with_retry`) tried again, so "failed" can be told from "failed after 3 attempts".
    """

    error_type: str
    message: str
    traceback: str | None = None
    executor_id: str | None = None
    exception: BaseException | None = field(default=None, compare=False, repr=False)
    attempts: int = 1

    @classmethod
    def from_exception(
        cls, error: BaseException, executor_id: str | None = None, attempts: int = 1
    ) -> WorkflowErrorDetails:
        """Capture an exception: its type, message and traceback as text, and the object itself."""
        text = "".join(traceback_module.format_exception(type(error), error, error.__traceback__))
        return cls(type(error).__name__, str(error), text, executor_id, exception=error, attempts=attempts)

    def __repr__(self) -> str:
        where = f" in {self.executor_id}" if self.executor_id else ""
        return f"{self.error_type}{where}{attempts_note(self.attempts)}: {self.message}"


def attempts_note(attempts: int) -> str:
    """`` after 3 attempts`` for a call that was retried, nothing for a single attempt."""
    return f" after {attempts} attempts" if attempts > 1 else ""


# `WorkflowEvent(type, data=None)` tells "no data given" from "data=None given" by this marker.
_NOT_GIVEN: Any = object()


class WorkflowEvent:
    """Base class of every event. Subclass it for your own events and emit them with `ctx.add_event`.

    `origin` says who the event comes from (a `WorkflowEventSource`): each event class has a
    `default_origin`, EXECUTOR unless the runtime is the one that makes events of that class.

    `type` names what kind of event it is (see the module docstring). Give your own event
    classes a type of their own, ``type = "draft_ready"``; one without reads "custom". An
    event of this class itself can be given one when it is made, as in Agent Framework 1.x:
    ``WorkflowEvent("draft_ready", data=draft)`` or ``WorkflowEvent(type="draft_ready", data=draft)``.
    With one value and no ``data=``, ``WorkflowEvent(draft)``, the value is the data (the seed era).
    """

    __slots__ = ("data", "_origin", "_type")
    default_origin: ClassVar[WorkflowEventSource] = WorkflowEventSource.EXECUTOR
    # ``WorkflowEvent[HandoffAgentUserRequest]`` in an annotation names what `data` holds, as
    # Agent Framework 1.x's generic event class allows; it is only a type hint, never checked.
    __class_getitem__ = classmethod(types.GenericAlias)

    def __init__(self, data_or_type: Any = None, /, data: Any = _NOT_GIVEN, *, type: str | None = None) -> None:
        if data is _NOT_GIVEN:  # WorkflowEvent(data): the seed era's call
            self.data = data_or_type
        else:  # WorkflowEvent(type, data=...): Agent Framework 1.x's call
            if data_or_type is not None:
                if type is not None:
                    raise TypeError(
                        f"WorkflowEvent was given its type twice ({data_or_type!r} and type={type!r}). "
                        "Give it once: WorkflowEvent('my_type', data=...) or WorkflowEvent(type='my_type', data=...)."
                    )
                type = data_or_type
            self.data = data
        if type is not None:
            self._type = str(type)

    @property
    def type(self) -> str:
        """What kind of event this is: the `type` it was made with, else "custom"."""
        return getattr(self, "_type", "custom")

    @property
    def origin(self) -> WorkflowEventSource:
        """`WorkflowEventSource.FRAMEWORK` or `.EXECUTOR`: who this event comes from."""
        # A slot never assigned raises AttributeError: then the class's default holds.
        return getattr(self, "_origin", self.default_origin)

    @origin.setter
    def origin(self, value: WorkflowEventSource) -> None:
        self._origin = WorkflowEventSource(value)

    def _fields(self) -> dict[str, Any]:
        named = {"type": self._type} if hasattr(self, "_type") else {}
        return named | {"data": self.data} if self.data is not None else named

    def __repr__(self) -> str:
        parts = ", ".join(f"{name}={_field_repr(value)}" for name, value in self._fields().items())
        # Each value is already cut; this catches several long ones (say, long ids) together.
        return _fit_line(f"{type(self).__name__}({parts})")

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._fields() == other._fields()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]


def _fit_line(text: str) -> str:
    """`text` cut to `REPR_WIDTH` characters, keeping the closing parenthesis of a repr."""
    return text if len(text) <= REPR_WIDTH else text[: REPR_WIDTH - 4] + "...)"


def _field_repr(value: Any) -> str:
    # Ids and states read better bare (executor_id=writer) than quoted.
    if isinstance(value, WorkflowRunState):
        return value.name
    if isinstance(value, str) and value.isidentifier() and len(value) <= 40:
        return value
    return short_repr(value)


class WorkflowStartedEvent(WorkflowEvent):
    """The first event of every run."""

    __slots__ = ()
    type = "started"
    default_origin = WorkflowEventSource.FRAMEWORK

    def __init__(self, data: Any = None) -> None:
        self.data = data  # no super().__init__, as in _SuperStepEvent: every run makes these


class WorkflowStatusEvent(WorkflowEvent):
    """The run moved to a new `WorkflowRunState`.

    The last one of a run call (IDLE, IDLE_WITH_PENDING_REQUESTS or FAILED) carries
    `duration`: the seconds since that call started (`RunMetrics` reads it). It is None on the
    others, and left out of ``==`` and the repr, which stay the same from run to run.
    """

    __slots__ = ("state", "duration")
    type = "status"
    default_origin = WorkflowEventSource.FRAMEWORK

    def __init__(self, state: WorkflowRunState, data: Any = None, duration: float | None = None) -> None:
        self.data = data  # no super().__init__, as in _SuperStepEvent: every run makes these
        self.state = state
        self.duration = duration

    def _fields(self) -> dict[str, Any]:
        return {"state": self.state, **super()._fields()}


class _YieldedEvent(WorkflowEvent):
    """What an executor's ``ctx.yield_output(data)`` became: `data`, from `source_executor_id`."""

    __slots__ = ("source_executor_id",)
    default_origin = WorkflowEventSource.FRAMEWORK

    def __init__(self, data: Any, source_executor_id: str) -> None:
        self.data = data  # no super().__init__, as in _SuperStepEvent
        self.source_executor_id = source_executor_id

    @property
    def executor_id(self) -> str:
        """`source_executor_id` by Agent Framework 1.x's name: the executor that yielded it."""
        return self.source_executor_id

    def _fields(self) -> dict[str, Any]:
        return {"data": self.data, "source_executor_id": self.source_executor_id}


class WorkflowOutputEvent(_YieldedEvent):
    """An executor called `ctx.yield_output(data)`: a result of the workflow."""

    __slots__ = ()
    type = "output"


class WorkflowIntermediateEvent(_YieldedEvent):
    """An executor yielded `data`, and the workflow names it a step on the way, not a result:
    built with ``intermediate_output_from=`` (Agent Framework 1.x). `get_outputs()` leaves it
    out; `get_intermediate_outputs()` has it."""

    __slots__ = ()
    type = "intermediate"


class WorkflowFailedEvent(WorkflowEvent):
    """The run failed; `details` says why, where, and carries the traceback (and, in the
    process that ran it, the exception itself as ``details.exception``)."""

    __slots__ = ("details",)
    type = "failed"
    default_origin = WorkflowEventSource.FRAMEWORK

    def __init__(self, details: WorkflowErrorDetails) -> None:
        super().__init__(None)
        self.details = details

    def _fields(self) -> dict[str, Any]:
        return {"details": self.details}


class WorkflowWarningEvent(WorkflowEvent):
    """Something looks wrong but the run goes on, e.g. a message that no executor accepts."""

    __slots__ = ("message",)
    type = "warning"

    def __init__(self, message: str) -> None:
        super().__init__(None)
        self.message = message

    def _fields(self) -> dict[str, Any]:
        return {"message": self.message}


class _SuperStepEvent(WorkflowEvent):
    __slots__ = ("iteration",)
    default_origin = WorkflowEventSource.FRAMEWORK

    def __init__(self, iteration: int) -> None:
        # Every slot set here rather than through super().__init__: the engine makes four of
        # these lifecycle events per message, and the chain of calls was a fifth of its time.
        self.data = None
        self.iteration = iteration

    def _fields(self) -> dict[str, Any]:
        return {"iteration": self.iteration}


class SuperStepStartedEvent(_SuperStepEvent):
    """Superstep `iteration` begins: every message sent in the previous step is delivered now."""

    __slots__ = ()
    type = "superstep_started"


class SuperStepCompletedEvent(_SuperStepEvent):
    """Superstep `iteration` ended: every handler of the step has returned."""

    __slots__ = ()
    type = "superstep_completed"


class ExecutorEvent(WorkflowEvent):
    """Base of the events that are about one executor."""

    __slots__ = ("executor_id",)

    def __init__(self, executor_id: str, data: Any = None) -> None:
        super().__init__(data)
        self.executor_id = executor_id

    def _fields(self) -> dict[str, Any]:
        return {"executor_id": self.executor_id, **super()._fields()}


class _ExecutorLifecycleEvent(ExecutorEvent):
    __slots__ = ()
    default_origin = WorkflowEventSource.FRAMEWORK

    def _fields(self) -> dict[str, Any]:
        # The message is kept on the event for tools, but left out of the one-line repr.
        return {"executor_id": self.executor_id}


class ExecutorInvokedEvent(_ExecutorLifecycleEvent):
    """A handler of `executor_id` was called with message `data`, sent by `source_executor_ids`.

    When `data` is an answer to a request (``send_responses``), `request_id` names that request.
    """

    __slots__ = ("source_executor_ids", "request_id")
    type = "executor_invoked"

    def __init__(
        self,
        executor_id: str,
        data: Any = None,
        source_executor_ids: tuple[str, ...] = (),
        request_id: str | None = None,
    ) -> None:
        self.data = data  # no super().__init__, as in _SuperStepEvent
        self.executor_id = executor_id
        self.source_executor_ids = source_executor_ids
        self.request_id = request_id


class ExecutorCompletedEvent(_ExecutorLifecycleEvent):
    """A handler of `executor_id` returned without error, after `duration` seconds."""

    __slots__ = ("duration",)
    type = "executor_completed"

    def __init__(self, executor_id: str, data: Any = None, duration: float | None = None) -> None:
        self.data = data  # no super().__init__, as in _SuperStepEvent
        self.executor_id = executor_id
        self.duration = duration


class ExecutorFailedEvent(ExecutorEvent):
    """A handler of `executor_id` raised; `details` holds the error and traceback."""

    __slots__ = ("details", "duration")
    type = "executor_failed"
    default_origin = WorkflowEventSource.FRAMEWORK

    def __init__(self, executor_id: str, details: WorkflowErrorDetails, duration: float | None = None) -> None:
        super().__init__(executor_id)
        self.details = details
        self.duration = duration

    def _fields(self) -> dict[str, Any]:
        return {"executor_id": self.executor_id, "details": self.details}


class RequestInfoEvent(WorkflowEvent):
    """The workflow asks the outside world (usually a human) for an answer.

    Answer it with ``workflow.send_responses({event.request_id: answer})``; the answer must be
    a `response_type`.
    """

    __slots__ = ("request_id", "source_executor_id", "request_type", "response_type")
    type = "request_info"

    def __init__(
        self,
        request_id: str,
        source_executor_id: str,
        request_type: type,
        data: Any,
        response_type: Any,
    ) -> None:
        super().__init__(data)
        self.request_id = request_id
        self.source_executor_id = source_executor_id
        self.request_type = request_type
        self.response_type = response_type

    def _fields(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "source_executor_id": self.source_executor_id,
            "data": self.data,
        }


# --- reliability (see policies.py) ---------------------------------------------------------


class ExecutorRetryEvent(ExecutorEvent):
    """`executor_id` failed on call `attempt` and will be called again after `delay` seconds."""

    __slots__ = ("attempt", "details", "delay")
    type = "executor_retry"
    default_origin = WorkflowEventSource.FRAMEWORK

    def __init__(self, executor_id: str, attempt: int, details: WorkflowErrorDetails, delay: float) -> None:
        super().__init__(executor_id)
        self.attempt = attempt
        self.details = details
        self.delay = delay

    def _fields(self) -> dict[str, Any]:
        return {"executor_id": self.executor_id, "attempt": self.attempt, "error": self.details.error_type}


class ExecutorFallbackEvent(ExecutorEvent):
    """`executor_id` failed for good; its work went to the fallback executor `fallback_id`."""

    __slots__ = ("fallback_id", "details")
    type = "executor_fallback"
    default_origin = WorkflowEventSource.FRAMEWORK

    def __init__(self, executor_id: str, fallback_id: str, details: WorkflowErrorDetails) -> None:
        super().__init__(executor_id)
        self.fallback_id = fallback_id
        self.details = details

    def _fields(self) -> dict[str, Any]:
        return {"executor_id": self.executor_id, "fallback_id": self.fallback_id}


class CompensationEvent(ExecutorEvent):
    """The run failed, and the undo step of `executor_id` (set with `with_compensation`) ran."""

    __slots__ = ()
    type = "compensation"
    default_origin = WorkflowEventSource.FRAMEWORK


# --- joins (fan-in edge groups, see edges.py) ------------------------------------------------


class FanInWaitingEvent(WorkflowWarningEvent):
    """The run ended while the join into `target_id` still waited: `arrived` had sent, the
    sources in `waiting_for` never did, so `target_id` never ran.

    It is a `WorkflowWarningEvent` (its `message` says what happened and how to fix it); the
    fields let tools, such as the notebook's run view, say so without reading the sentence.
    """

    __slots__ = ("target_id", "waiting_for", "arrived")
    type = "fan_in_waiting"

    def __init__(self, message: str, target_id: str, waiting_for: list[str], arrived: list[str]) -> None:
        super().__init__(message)
        self.target_id = target_id
        self.waiting_for = waiting_for
        self.arrived = arrived

    def _fields(self) -> dict[str, Any]:
        return {"target_id": self.target_id, "waiting_for": self.waiting_for, "message": self.message}


class FanInPartialEvent(WorkflowEvent):
    """The join into `target_id` went ahead without some of its sources (``min_successes``).

    `arrived` are the sources whose messages `target_id` receives, in order; `failed` maps each
    source that failed for good to its error's type name, and `failures` holds the full
    `ExecutorFailure` of each (what it was handling, the error message, the attempts made).
    """

    __slots__ = ("target_id", "arrived", "failed", "failures")
    type = "fan_in_partial"
    default_origin = WorkflowEventSource.FRAMEWORK

    def __init__(self, target_id: str, arrived: list[str], failures: list[Any]) -> None:
        super().__init__(None)
        self.target_id = target_id
        self.arrived = arrived
        self.failures = failures
        self.failed = {failure.executor_id: failure.error_type for failure in failures}

    def _fields(self) -> dict[str, Any]:
        return {"target_id": self.target_id, "arrived": self.arrived, "failed": self.failed}
