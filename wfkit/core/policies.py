"""Reliability for long-running work: retries, timeouts, fallbacks, concurrency limits, undo steps.

These are settings on the builder, not a second engine::

    builder.with_retry(fetch, RetryPolicy(max_attempts=3, backoff_seconds=0.5))
    builder.with_timeout(fetch, seconds=10)
    builder.with_fallback(fetch, human_review)   # human_review gets an ExecutorFailure
    builder.with_compensation(charge, refund)     # refund runs if the run fails later

The engine calls every handler through one function, `invoke(message)`. `Policies.wrap` wraps
that function in layers, the way an HTTP client wraps its one `send` with retries and
timeouts. From the inside out:

    timeout  ->  retry  ->  record for undo

A concurrency limit is not a layer: the engine takes one of the executor's slots (`limits`)
before it announces the call (`ExecutorInvokedEvent`), so a call waiting for a slot is not shown
as running, nor is the wait counted as its time. A retry gives the slot back while it waits for
its backoff (a waiting executor is not running, so another may use the slot), and a timed-out
attempt is just a failed attempt. A failed attempt needs no undoing: its writes were staged in
its own `Call` and are dropped (see `step.py`). A few more moments belong to policies: `failed_for_good` (what a failure
report says, retries counted), `recover` (a fallback route takes over when an executor failed
for good), `undo` (the run failed: run the undo steps), and `within_run_time`, which wraps a
whole superstep in the run's time limit (`with_run_timeout`) the way `wrap` wraps one call.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from ..errors import ExecutorTimeoutError, WorkflowTimeoutError
from .events import (
    CompensationEvent,
    ExecutorFallbackEvent,
    ExecutorRetryEvent,
    WorkflowErrorDetails,
    WorkflowEvent,
    WorkflowWarningEvent,
)
from . import limits
from .edges import call_maybe_async
from .state import ExecutorFailure, Message, RunState
from .step import Sent, Step

if TYPE_CHECKING:
    from .workflow import Workflow

Invoke = Callable[[Message], Awaitable[None]]
Superstep = Callable[[], Awaitable["WorkflowErrorDetails | None"]]  # None: the step succeeded
Compensation = Callable[[str, list[Any]], "Awaitable[None] | None"]


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
        limits.whole_number("RetryPolicy(max_attempts=...)", self.max_attempts)  # every call, the first too
        limits.at_least("RetryPolicy(backoff_seconds=...)", self.backoff_seconds, 0)
        limits.at_least("RetryPolicy(backoff_factor=...)", self.backoff_factor, 1)
        limits.at_least("RetryPolicy(max_backoff_seconds=...)", self.max_backoff_seconds, 0)

    def should_retry(self, error: BaseException, attempt: int) -> bool:
        """Retry after `attempt` failed calls with `error`?"""
        return attempt < self.max_attempts and isinstance(error, self.retry_on)

    def delay(self, attempt: int) -> float:
        """Seconds to wait before call number ``attempt + 1``."""
        return min(self.backoff_seconds * self.backoff_factor ** (attempt - 1), self.max_backoff_seconds)


@dataclass
class ExecutorPolicy:
    """Everything the builder was told about one executor's reliability."""

    retry: RetryPolicy | None = None
    timeout_seconds: float | None = None
    fallback: str | None = None
    compensation: Compensation | None = None


async def with_timeout(
    call: Awaitable[None], seconds: float | None, executor_id: str, policy: ExecutorPolicy | None = None
) -> None:
    """Await `call`, failing with `ExecutorTimeoutError` after `seconds` (if set). The error's
    advice leaves out what `policy` already gives the executor (a retry, a fallback).

    On time, `call` is cancelled. An ``async def`` handler stops at its next ``await``; a plain
    ``def`` function executor runs in a worker thread, which Python cannot stop: it finishes in
    the background, and what it returns then is dropped (see `FunctionExecutor.invoke`).
    """
    if seconds is None:
        await call
        return
    started = time.perf_counter()
    try:
        await asyncio.wait_for(call, seconds)
    except asyncio.TimeoutError:
        retry = policy.retry if policy is not None else None
        raise ExecutorTimeoutError.after(
            executor_id,
            seconds,
            # A retry that never tries again, or not after a timeout, is no retry here.
            has_retry=retry is not None and retry.max_attempts > 1 and issubclass(ExecutorTimeoutError, retry.retry_on),
            has_fallback=policy is not None and policy.fallback is not None,
        ) from None
    took = time.perf_counter() - started
    if took > seconds:  # it never let the timeout stop it: a limit must still hold, and say why
        raise ExecutorTimeoutError.overran(executor_id, seconds, took)


class Policies:
    """The reliability settings of one workflow, applied to one run's handler calls.

    The engine gets one from `Policies.for_run`, at the start of each run call.
    """

    def __init__(
        self,
        settings: dict[str, ExecutorPolicy],
        concurrency_limits: list[tuple[list[str], int]],
        run_timeout_seconds: float | None,
        emit: Callable[[WorkflowEvent], None],
        started: float,
    ) -> None:
        self.settings = settings
        self.run_timeout_seconds = run_timeout_seconds
        self.started = started  # when this run call started (time.perf_counter)
        self.emit = emit
        self.limits: dict[str, asyncio.Semaphore] = {}  # executor id -> its slots, held by the engine per call
        for executor_ids, limit in concurrency_limits:
            semaphore = asyncio.Semaphore(limit)
            self.limits.update((executor_id, semaphore) for executor_id in executor_ids)
        self.attempts: dict[str, int] = {}  # calls made of the latest failed handler call, per executor
        self.completed: list[tuple[str, Any]] = []  # (executor id, message) for undo steps

    @classmethod
    def for_run(cls, workflow: Workflow, emit: Callable[[WorkflowEvent], None], started: float) -> Policies:
        """The policies of a run call of `workflow` starting now (`started`), reporting to `emit`.

        A workflow without any reliability setting gets `NO_POLICIES`, which every such run
        shares: with nothing to wrap, limit, count or undo, it never changes nor emits anything,
        and a short run does not pay for building its own (measured: a tenth of a 10-step run).
        """
        if not workflow.policies and not workflow.concurrency_limits and workflow.run_timeout_seconds is None:
            return NO_POLICIES
        return cls(workflow.policies, workflow.concurrency_limits, workflow.run_timeout_seconds, emit, started)

    def wrapped(self, invoke: Invoke) -> dict[str, Invoke]:
        """`invoke` wrapped for each executor that has settings (the others call `invoke` itself)."""
        return {executor_id: self.wrap(executor_id, invoke) for executor_id in self.settings}

    def wrap(self, executor_id: str, invoke: Invoke) -> Invoke:
        """`invoke` with the layers `executor_id`'s settings ask for (none: `invoke` itself)."""
        policy = self.settings.get(executor_id)
        call = invoke
        if policy is not None and policy.timeout_seconds is not None:
            call = self._timed(call, executor_id, policy)
        if policy is not None and policy.retry is not None:
            call = self._retried(call, executor_id, policy.retry)
        if policy is not None and policy.compensation is not None:
            call = self._recorded(call, executor_id)
        return call

    # --- the layers ----------------------------------------------------------------------------

    @staticmethod
    def _timed(inner: Invoke, executor_id: str, policy: ExecutorPolicy) -> Invoke:
        async def timed(message: Message) -> None:
            await with_timeout(inner(message), policy.timeout_seconds, executor_id, policy)

        return timed

    def _retried(self, inner: Invoke, executor_id: str, retry: RetryPolicy) -> Invoke:
        async def retried(message: Message) -> None:
            number = 1
            while True:
                try:
                    await inner(message)
                    return
                except Exception as error:
                    self.attempts[executor_id] = number
                    if not retry.should_retry(error, number):
                        raise
                    delay = retry.delay(number)
                    details = WorkflowErrorDetails.from_exception(error, executor_id)
                    self.emit(ExecutorRetryEvent(executor_id, number, details, delay))
                    await self._back_off(executor_id, delay)
                    number += 1

        return retried

    async def _back_off(self, executor_id: str, delay: float) -> None:
        # The engine holds the executor's slot for the whole call; while the call waits between
        # attempts it is not running, so another executor may use the slot meanwhile.
        limit = self.limits.get(executor_id)
        if limit is None:
            await asyncio.sleep(delay)
            return
        limit.release()
        try:
            await asyncio.sleep(delay)
        finally:
            await limit.acquire()

    def _recorded(self, inner: Invoke, executor_id: str) -> Invoke:
        async def recorded(message: Message) -> None:
            await inner(message)
            self.completed.append((executor_id, message.payload))

        return recorded

    def within_run_time(self, superstep: Superstep, state: RunState) -> Superstep:
        """`superstep`, stopped when the run's time (`with_run_timeout`) is up (none: `superstep` itself).

        Stopping cancels the step's handlers where they wait; the step's work was never
        committed, so the last good state (and its checkpoint) stands.
        """
        limit = self.run_timeout_seconds
        if limit is None:
            return superstep

        async def in_time() -> WorkflowErrorDetails | None:
            running = sorted({message.target_id for message in state.messages})
            number = state.iteration + 1
            try:
                failure = await asyncio.wait_for(superstep(), max(limit - (time.perf_counter() - self.started), 0.0))
            except asyncio.TimeoutError:  # not from a handler: the engine turns their errors into failures
                return WorkflowErrorDetails.from_exception(WorkflowTimeoutError.after(limit, number, running))
            took = time.perf_counter() - self.started
            if failure is None and took > limit:  # a handler kept the limit from stopping it
                return WorkflowErrorDetails.from_exception(WorkflowTimeoutError.overran(limit, number, running, took))
            return failure

        return in_time

    # --- when a call or the run failed ------------------------------------------------------------

    def failed_for_good(self, executor_id: str, error: Exception) -> WorkflowErrorDetails:
        """The report of `executor_id` failing with `error` after its retries, if it had any."""
        attempts = self.attempts.pop(executor_id, 1)
        return WorkflowErrorDetails.from_exception(error, executor_id, attempts)

    def recover(self, executor_id: str, message: Message, details: WorkflowErrorDetails, step: Step) -> bool:
        """Send the failure down `executor_id`'s fallback route, if it has one; True if it did."""
        policy = self.settings.get(executor_id)
        if policy is None or policy.fallback is None:
            return False
        self.emit(ExecutorFallbackEvent(executor_id, policy.fallback, details))
        step.outbox.append(Sent(executor_id, self.failure_of(executor_id, message, details), policy.fallback))
        return True

    def failure_of(self, executor_id: str, message: Message, details: WorkflowErrorDetails) -> ExecutorFailure:
        """The `ExecutorFailure` that reports `executor_id` failing for good on `message`."""
        return ExecutorFailure(executor_id, message.payload, details.error_type, details.message, details.attempts)

    async def undo(self) -> None:
        """The run failed: run the undo steps of executors that completed, latest first."""
        done: set[str] = set()
        for executor_id, _ in reversed(self.completed):
            if executor_id in done:
                continue
            done.add(executor_id)
            compensation = self.settings[executor_id].compensation
            assert compensation is not None
            handled = [payload for eid, payload in self.completed if eid == executor_id]
            try:
                await call_maybe_async(compensation, executor_id, handled)
                self.emit(CompensationEvent(executor_id))
            except Exception as error:
                self.emit(WorkflowWarningEvent(f"The undo step of '{executor_id}' failed too: {error!r}"))


def _no_events(event: WorkflowEvent) -> None:
    raise AssertionError(f"NO_POLICIES has nothing to report, yet it was asked to emit {event!r}")


# The policies of every workflow built without reliability settings (see `Policies.for_run`).
NO_POLICIES = Policies({}, [], None, _no_events, 0.0)
