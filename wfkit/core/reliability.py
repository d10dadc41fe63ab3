"""Reliability for long-running work: retries, timeouts, fallbacks, compensation and loop bounds.

These are settings on the builder, not a second engine: the superstep runner reads them when
it calls a handler.

    builder.with_retry(fetch, RetryPolicy(max_attempts=3, backoff_seconds=0.5))
    builder.with_timeout(fetch, seconds=10)
    builder.with_fallback(fetch, human_review)   # human_review gets an ExecutorFailure
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from ..checkpoint.registry import register_checkpoint_type
from ..errors import ExecutorTimeoutError, LoopLimitError
from .events import ExecutorEvent, WorkflowErrorDetails, WorkflowEvent


@dataclass(frozen=True)
class RetryPolicy:
    """How to retry a failing handler: up to `max_attempts` calls in all, waiting
    ``backoff_seconds * backoff_factor ** (attempt - 1)`` (at most `max_backoff_seconds`)
    between them, for the exception types in `retry_on` only."""

    max_attempts: int = 3
    backoff_seconds: float = 0.1
    backoff_factor: float = 2.0
    max_backoff_seconds: float = 30.0
    retry_on: tuple[type[BaseException], ...] = (Exception,)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts counts every call, the first included: at least 1, got {self.max_attempts}.")
        if self.backoff_seconds < 0 or self.backoff_factor < 1:
            raise ValueError("backoff_seconds must be >= 0 and backoff_factor >= 1.")

    def should_retry(self, error: BaseException, attempt: int) -> bool:
        """Retry after `attempt` failed calls with `error`?"""
        return attempt < self.max_attempts and isinstance(error, self.retry_on)

    def delay(self, attempt: int) -> float:
        """Seconds to wait before call number ``attempt + 1``."""
        return min(self.backoff_seconds * self.backoff_factor ** (attempt - 1), self.max_backoff_seconds)


Compensation = Callable[[str, list[Any]], "Awaitable[None] | None"]


@dataclass
class ExecutorPolicy:
    """Everything the builder was told about one executor's reliability."""

    retry: RetryPolicy | None = None
    timeout_seconds: float | None = None
    fallback: str | None = None
    compensation: Compensation | None = None


@register_checkpoint_type
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


class ExecutorRetryEvent(ExecutorEvent):
    """`executor_id` failed on call `attempt` and will be called again after `delay` seconds."""

    __slots__ = ("attempt", "details", "delay")

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

    def __init__(self, executor_id: str, fallback_id: str, details: WorkflowErrorDetails) -> None:
        super().__init__(executor_id)
        self.fallback_id = fallback_id
        self.details = details

    def _fields(self) -> dict[str, Any]:
        return {"executor_id": self.executor_id, "fallback_id": self.fallback_id}


class CompensationEvent(ExecutorEvent):
    """The run failed, and the undo step of `executor_id` (set with `with_compensation`) ran."""

    __slots__ = ()


@dataclass
class Attempt:
    """One call of `executor_id`'s handler and what it wrote, so a failed call can be taken back
    before a retry without touching what other executors wrote in the same superstep.

    The runner tags each message the call sends with its `Attempt`, and records its shared-state
    writes here as they happen. Its outputs and requests are *held* here, and shown only once the
    call succeeds: a learner never sees a result a failed call produced.
    """

    executor_id: str
    had_state: bool
    state: Any
    shared: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # key -> (value before, value written)
    held_events: list[WorkflowEvent] = field(default_factory=list)


async def with_timeout(call: Awaitable[None], seconds: float | None, executor_id: str) -> None:
    """Await `call`, failing with `ExecutorTimeoutError` after `seconds` (if set)."""
    if seconds is None:
        await call
        return
    try:
        await asyncio.wait_for(call, seconds)
    except asyncio.TimeoutError:
        raise ExecutorTimeoutError(
            f"Executor '{executor_id}' took longer than {seconds:g} s. Raise the limit with "
            f"with_timeout({executor_id!r}, seconds=...), or add a retry or fallback for it."
        ) from None
