"""The superstep engine.

A run is a loop of supersteps (the Pregel / bulk-synchronous model):

1. take every message waiting in `RunState.messages`;
2. hand each to its target's most specific handler - different executors run concurrently,
   one executor's messages run in order;
3. if every handler succeeded, commit the step: staged state is kept and the messages the
   handlers sent are routed along the edges (`routing.py`), to be delivered in the next superstep.

The loop stops when no message is left (the run is idle, perhaps waiting for answers to
requests), when a handler fails, or at `max_iterations`.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from ..checkpoint.registry import register_types_from_annotation
from .composition import resolve_in_namespace
from .context import WorkflowContext
from .edges import call_maybe_async
from ..errors import WorkflowRoutingError, WorkflowRunError, WorkflowTypeError
from .events import (
    ExecutorCompletedEvent,
    ExecutorFailedEvent,
    ExecutorInvokedEvent,
    RequestInfoEvent,
    SuperStepCompletedEvent,
    SuperStepStartedEvent,
    WorkflowErrorDetails,
    WorkflowEvent,
    WorkflowFailedEvent,
    WorkflowOutputEvent,
    WorkflowRunState,
    WorkflowStatusEvent,
    WorkflowWarningEvent,
)
from .reliability import (
    Attempt,
    CompensationEvent,
    ExecutorFailure,
    ExecutorFallbackEvent,
    ExecutorPolicy,
    ExecutorRetryEvent,
    with_timeout,
)
from .routing import Outgoing, Router
from .state import Message, PendingRequest, RunState
from .typecheck import is_compatible, type_name

if TYPE_CHECKING:
    from .executor import Executor
    from .workflow import Workflow

EventSink = Callable[[WorkflowEvent], None]
StepHook = Callable[[RunState, WorkflowRunState], Awaitable[None]]

_UNSET: Any = object()  # "this key had no staged value", distinct from a staged None


class Runner:
    """Runs supersteps of one workflow over one `RunState`, emitting events to `emit`."""

    def __init__(
        self,
        workflow: Workflow,
        state: RunState,
        emit: EventSink,
        on_step: StepHook | None = None,
        streaming: bool = False,
    ):
        self.workflow = workflow
        self.state = state
        self.emit = emit
        self.on_step = on_step
        self.streaming = streaming
        self._router = Router(workflow, state, emit)
        self._outbox: list[Outgoing] = []
        self._attempts: dict[str, Attempt] = {}  # the call running now, per executor with a policy
        self._failures: list[WorkflowErrorDetails] = []
        self._checkpoint_failed = False
        self._completed: list[tuple[str, Any]] = []  # (executor id, message) for compensation
        self._compensated: set[str] = set()
        self._limits: dict[str, asyncio.Semaphore] = {}
        for executor_ids, limit in workflow.concurrency_limits:
            semaphore = asyncio.Semaphore(limit)
            self._limits.update((executor_id, semaphore) for executor_id in executor_ids)

    # --- called by WorkflowContext while handlers run ---------------------------------------

    def send(self, source_id: str, message: Any, target_id: str | None) -> None:
        if target_id is not None and self.workflow.prefixes:
            target_id = resolve_in_namespace(self.workflow.prefixes, source_id, target_id, self.workflow.executors)
        if target_id is not None and target_id not in self.workflow.successors(source_id):
            raise WorkflowRoutingError(
                f"Executor '{source_id}' sent a message to '{target_id}', but there is no edge from "
                f"'{source_id}' to '{target_id}'. Add one with .add_edge({source_id!r}, {target_id!r})."
            )
        remember_type(message)
        self._outbox.append(Outgoing(source_id, message, target_id, self._attempts.get(source_id)))

    def yield_output(self, source_id: str, output: Any) -> None:
        if source_id in self.workflow.forwarding_exits:
            # The exit of an inlined part, wired onward: its result travels on as a message.
            self._outbox.append(Outgoing(source_id, output, None, self._attempts.get(source_id)))
        else:
            self._emit_result(source_id, WorkflowOutputEvent(output, source_id))

    def request_info(self, executor_id: str, data: Any, response_type: Any, request_id: str | None) -> str:
        executor = self.workflow.executors[executor_id]
        if not _has_response_handler(executor, type(data), response_type):
            raise WorkflowTypeError(
                f"Executor '{executor_id}' asked for a {type_name(response_type)} answer to a "
                f"{type(data).__name__}, but has no @response_handler taking "
                f"(original_request: {type(data).__name__}, response: {type_name(response_type)}, ctx). "
                "Add one, so the answer has somewhere to go."
            )
        remember_type(data)
        request_id = request_id or getattr(data, "request_id", None) or str(uuid.uuid4())
        if request_id in self.state.pending_requests or request_id in self.state.staged_requests:
            raise WorkflowRunError(f"A request with id {request_id!r} is already pending; ids must be unique.")
        if not self.state.has_pending_requests():
            self._emit_result(executor_id, WorkflowStatusEvent(WorkflowRunState.IN_PROGRESS_PENDING_REQUESTS))
        self.state.staged_requests[request_id] = PendingRequest(request_id, executor_id, data, response_type)
        self._emit_result(executor_id, RequestInfoEvent(request_id, executor_id, type(data), data, response_type))
        return request_id

    def _emit_result(self, executor_id: str, event: WorkflowEvent) -> None:
        """Emit an output or a request now, or, while a call that may be retried runs, once it succeeds."""
        attempt = self._attempts.get(executor_id)
        if attempt is None:
            self.emit(event)
        else:
            attempt.held_events.append(event)

    def set_shared(self, executor_id: str, key: str, value: Any) -> None:
        """Stage a shared-state write, remembering it in the writer's attempt so a retry can undo it."""
        attempt = self._attempts.get(executor_id)
        if attempt is not None:
            before = attempt.shared[key][0] if key in attempt.shared else self.state.staged_shared.get(key, _UNSET)
            attempt.shared[key] = (before, value)
        self.state.set_shared(key, value)

    # --- the loop ---------------------------------------------------------------------------

    async def run(self) -> WorkflowRunState:
        """Run supersteps until idle, failure or the iteration bound; return the final state."""
        steps = 0
        while self.state.messages:
            if steps >= self.workflow.max_iterations:
                return await self._fail(
                    WorkflowErrorDetails(
                        "MaxIterationsExceeded",
                        f"The run stopped after {steps} supersteps with messages still waiting for "
                        f"{sorted({m.target_id for m in self.state.messages})}. If the loop is meant to "
                        f"run longer, raise the bound: WorkflowBuilder(max_iterations={steps * 2}); if "
                        "not, check the condition that should end it.",
                    )
                )
            steps += 1
            if not await self._superstep():
                return await self._fail(self._failures[0])
        for executor_id, executor in self.workflow.executors.items():
            for warning in executor.idle_warnings(self.state.executor_states.get(executor_id)):
                self.emit(WorkflowWarningEvent(warning))
        final = (
            WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
            if self.state.pending_requests
            else WorkflowRunState.IDLE
        )
        self.emit(WorkflowStatusEvent(final))
        return final

    async def _superstep(self) -> bool:
        state = self.state
        state.iteration += 1
        iteration = state.iteration
        self.emit(SuperStepStartedEvent(iteration))
        by_target: dict[str, list[Message]] = defaultdict(list)
        for message in state.messages:
            by_target[message.target_id].append(message)
        if len(by_target) == 1:
            [(target_id, inbox)] = by_target.items()
            await self._deliver(target_id, inbox)
        else:
            await asyncio.gather(*(self._deliver(t, inbox) for t, inbox in by_target.items()))
        if self._failures:
            state.discard()
            self._outbox.clear()
            state.iteration -= 1
            return False
        # Routing replaces the buffer lists instead of appending, so copying the dicts is enough
        # to give a failed step's buffers back as they were.
        buffers = {group: dict(by_source) for group, by_source in state.fan_in_buffers.items()}
        rounds = dict(state.loop_rounds)
        try:
            outbox, self._outbox = self._outbox, []
            next_messages = await self._router.route_all(outbox)
        except Exception as error:  # a condition raised, or a loop hit its bound
            self._failures.append(WorkflowErrorDetails.from_exception(error))
            state.fan_in_buffers, state.loop_rounds = buffers, rounds
            state.discard()
            state.iteration -= 1
            return False
        state.messages = next_messages
        state.commit()
        self.emit(SuperStepCompletedEvent(iteration))
        if self.on_step is not None:
            try:
                await self.on_step(state, self._state_after_step())
            except Exception as error:  # a value that cannot be saved must stop the run, loudly
                self._failures.append(WorkflowErrorDetails.from_exception(error))
                self._checkpoint_failed = True
                return False
        return True

    def _state_after_step(self) -> WorkflowRunState:
        pending = bool(self.state.pending_requests)
        if self.state.messages:
            return WorkflowRunState.IN_PROGRESS_PENDING_REQUESTS if pending else WorkflowRunState.IN_PROGRESS
        return WorkflowRunState.IDLE_WITH_PENDING_REQUESTS if pending else WorkflowRunState.IDLE

    async def _deliver(self, target_id: str, inbox: list[Message]) -> None:
        limit = self._limits.get(target_id)
        if limit is None:
            await self._deliver_inbox(target_id, inbox)
        else:
            async with limit:
                await self._deliver_inbox(target_id, inbox)

    async def _deliver_inbox(self, target_id: str, inbox: list[Message]) -> None:
        executor = self.workflow.executors[target_id]
        policy = self.workflow.policies.get(target_id)
        for message in inbox:
            started = time.perf_counter()
            attempts = 1
            try:
                call = self._handler_call(executor, message)
                self.emit(ExecutorInvokedEvent(target_id, message.payload, message.source_ids))
                if policy is None:
                    await call()
                else:
                    attempts, error = await self._call_with_policy(target_id, call, policy)
                    if error is not None:
                        raise error
                self.emit(ExecutorCompletedEvent(target_id, duration=time.perf_counter() - started))
                if policy is not None and policy.compensation is not None:
                    self._completed.append((target_id, message.payload))
            except Exception as error:
                details = WorkflowErrorDetails.from_exception(error, target_id)
                self.emit(ExecutorFailedEvent(target_id, details, duration=time.perf_counter() - started))
                if policy is not None and policy.fallback is not None:
                    self.emit(ExecutorFallbackEvent(target_id, policy.fallback, details))
                    failure = ExecutorFailure(target_id, message.payload, details.error_type, details.message, attempts)
                    self._outbox.append(Outgoing(target_id, failure, policy.fallback))
                    continue
                self._failures.append(details)
                return  # this executor's later messages would see half-done work

    def _handler_call(self, executor: Executor, message: Message) -> Callable[[], Awaitable[None]]:
        """The handler call for `message`, as a function so a retry can make it again."""
        target_id = executor.id
        request = message.request
        if request is not None:
            spec = executor.response_handler_for(request.data, message.payload)
            if spec is None:
                raise WorkflowTypeError(
                    f"Executor '{target_id}' has no @response_handler for a {type(message.payload).__name__} "
                    f"answer to {type(request.data).__name__}."
                )
            return lambda: executor.invoke_response(
                spec, request, message.payload, WorkflowContext(self, target_id, spec, message.source_ids)
            )
        spec = executor.handler_for(message.payload)
        if spec is None:
            raise WorkflowTypeError(
                f"Executor '{target_id}' has no handler for {type(message.payload).__name__}; "
                f"it accepts {executor.describe_inputs()}."
            )
        return lambda: executor.invoke(spec, message.payload, WorkflowContext(self, target_id, spec, message.source_ids))

    async def _call_with_policy(
        self, executor_id: str, call: Callable[[], Awaitable[None]], policy: ExecutorPolicy
    ) -> tuple[int, Exception | None]:
        """Call with the executor's timeout, retrying as its policy says; return the attempts made
        and the last error (None on success).

        A failed attempt's messages and state writes are taken back first, so a retry (or the
        fallback) starts from what the step had before it.
        """
        number = 1
        while True:
            attempt = self._start_attempt(executor_id)
            try:
                await with_timeout(call(), policy.timeout_seconds, executor_id)
                for event in attempt.held_events:
                    self.emit(event)
                return number, None
            except Exception as error:
                self._take_back(attempt)
                if policy.retry is None or not policy.retry.should_retry(error, number):
                    return number, error
                delay = policy.retry.delay(number)
                self.emit(ExecutorRetryEvent(executor_id, number, WorkflowErrorDetails.from_exception(error, executor_id), delay))
                await self._wait_to_retry(executor_id, delay)
                number += 1
            finally:
                del self._attempts[executor_id]

    def _start_attempt(self, executor_id: str) -> Attempt:
        state = self.state
        attempt = Attempt(executor_id, executor_id in state.staged_states, state.staged_states.get(executor_id))
        self._attempts[executor_id] = attempt
        return attempt

    def _take_back(self, attempt: Attempt) -> None:
        """Undo what one failed call wrote, leaving what other executors wrote meanwhile."""
        state, executor_id = self.state, attempt.executor_id
        self._outbox = [sent for sent in self._outbox if sent.attempt is not attempt]
        if attempt.had_state:
            state.staged_states[executor_id] = attempt.state
        else:
            state.staged_states.pop(executor_id, None)
        for key, (before, written) in attempt.shared.items():
            if state.staged_shared.get(key, _UNSET) is not written:
                continue  # another executor wrote the key after this call did: theirs stands
            if before is _UNSET:
                del state.staged_shared[key]
            else:
                state.staged_shared[key] = before
        for event in attempt.held_events:  # its requests were held there, never shown
            if isinstance(event, RequestInfoEvent):
                state.staged_requests.pop(event.request_id, None)

    async def _wait_to_retry(self, executor_id: str, delay: float) -> None:
        """Sleep before a retry without holding a concurrency slot: a waiting executor is not
        running, so another one may use the slot meanwhile."""
        limit = self._limits.get(executor_id)
        if limit is None:
            await asyncio.sleep(delay)
            return
        limit.release()  # taken in _deliver, which gives it back when the inbox is done
        try:
            await asyncio.sleep(delay)
        finally:
            await limit.acquire()

    # --- ending -----------------------------------------------------------------------------

    async def _compensate(self) -> None:
        """Run the undo steps of executors that completed in this run, latest first."""
        for executor_id, _ in reversed(self._completed):
            policy = self.workflow.policies.get(executor_id)
            if policy is None or policy.compensation is None or executor_id in self._compensated:
                continue
            self._compensated.add(executor_id)
            handled = [p for eid, p in self._completed if eid == executor_id]
            try:
                await call_maybe_async(policy.compensation, executor_id, handled)
                self.emit(CompensationEvent(executor_id))
            except Exception as error:
                self.emit(WorkflowWarningEvent(f"The undo step of '{executor_id}' failed too: {error!r}"))

    async def _fail(self, details: WorkflowErrorDetails) -> WorkflowRunState:
        if self.on_step is not None and not self._checkpoint_failed:
            # Record the failure next to the last good state: resuming retries the failed step.
            try:
                await self.on_step(self.state, WorkflowRunState.FAILED)
            except Exception as error:
                self.emit(WorkflowWarningEvent(f"The failure could not be saved as a checkpoint: {error}"))
        await self._compensate()
        self.emit(WorkflowFailedEvent(details))
        self.emit(WorkflowStatusEvent(WorkflowRunState.FAILED))
        return WorkflowRunState.FAILED


_REMEMBERED: set[type] = set()


def remember_type(value: Any) -> None:
    """Register the runtime type of a message for checkpoints, once per type.

    Handler annotations are registered when a class is defined; this catches subclasses of
    them (a handler for `Animal` receiving a `Dog`) before a checkpoint needs them.
    """
    kind = type(value)
    if kind not in _REMEMBERED:
        _REMEMBERED.add(kind)
        register_types_from_annotation(kind)


def _has_response_handler(executor: Executor, request_type: type, response_type: Any) -> bool:
    return any(
        spec.is_response_handler
        and is_compatible(request_type, spec.request_type)
        and (is_compatible(response_type, spec.message_type))
        for spec in executor.handlers
    )
