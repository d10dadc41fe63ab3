"""The superstep engine: read this file first.

A run is a loop of supersteps (the Pregel / bulk-synchronous model):

1. take every message waiting in `RunState.messages`;
2. hand each to its target: `call` announces one handler call and reports how it went, and
   `invoke` calls the most specific handler with a fresh `WorkflowContext`, whose writes are
   staged in a `Call` (see `step.py`); different executors run concurrently, and `deliver`
   hands one executor its several messages in order;
3. if every handler succeeded, `route` the messages the handlers sent along the edge groups
   (each group routes itself, see `edges.py`) and commit the step; they are delivered in the
   next superstep.

The loop stops when no message is left (the run is idle, perhaps waiting for answers to
requests), when a handler fails, or at `max_iterations`.

Four seams keep this loop plain. `Policies` (policies.py) wraps `invoke` with retries and
timeouts, keeps the concurrency limits whose slots `call` takes, wraps a superstep in the run's
time limit, and may `recover` a failure through a fallback route.
`Persistence` (persistence.py) saves the run after each step, when checkpointing is on.
Edge groups route themselves, with their memory (fan-in buffers, loop rounds) staged in the step.
A `RunWatch` (observers.py), when a tool such as tracing watches runs, wraps the run, each
superstep and the handler call, and hears each message sent; with none, it costs one ``if``.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from ..errors import WorkflowRoutingError, WorkflowTypeError
from . import advice
from .context import WorkflowContext
from .edges import EdgeGroup
from .events import (
    ExecutorCompletedEvent,
    ExecutorFailedEvent,
    ExecutorInvokedEvent,
    SuperStepCompletedEvent,
    SuperStepStartedEvent,
    WorkflowErrorDetails,
    WorkflowEvent,
    WorkflowFailedEvent,
    WorkflowIntermediateEvent,
    WorkflowOutputEvent,
    WorkflowRunState,
    WorkflowStatusEvent,
    WorkflowWarningEvent,
)
from .observers import watching
from .persistence import Persistence
from .policies import Invoke, Policies
from .state import Message, PendingRequest, RunState, SourceFailed
from .step import Call, Sent, Step
from .typecheck import is_compatible, type_name

if TYPE_CHECKING:
    from .workflow import Workflow

EventSink = Callable[[WorkflowEvent], None]


class Engine:
    """Runs supersteps of one workflow over one `RunState`, emitting events to `emit`."""

    def __init__(
        self,
        workflow: Workflow,
        state: RunState,
        emit: EventSink,
        persistence: Persistence | None = None,
        streaming: bool = False,
        pace: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.workflow = workflow
        self.state = state
        self.emit = emit
        self.persistence = persistence
        self.streaming = streaming
        # A streamed run waits here after each superstep until its reader has read every event
        # so far: a reader that stops reading stops the run at a step's end, its checkpoint saved.
        self.pace = pace
        self.started = time.perf_counter()  # this run call's clock (run timeout, run duration)
        self.policies = Policies.for_run(workflow, emit, self.started)
        self.step: Step  # the superstep under way: each superstep makes its own
        self.executors = workflow.executors
        self.routes = workflow.routes  # executor id -> the edge groups its messages leave by
        self.invokers: dict[str, Invoke] = self.policies.wrapped(self.invoke)  # only executors with policies
        self.watch = watching(workflow)  # None unless an observer (tracing, say) watches runs
        # Watched, every executor's calls go through the watch, inside their policies. Unwatched,
        # the engine keeps no bound method of its own (a cycle would leave each finished run's
        # engine to the garbage collector, which measurably slows long runs).
        if self.watch is not None:
            watched = self.watch.invoke(self.invoke)
            self.invokers = {executor_id: self.policies.wrap(executor_id, watched) for executor_id in self.executors}
        self._save_failed = False

    # --- the loop -----------------------------------------------------------------------------

    def run(self) -> Awaitable[WorkflowRunState]:
        """Run supersteps until idle, failure or the iteration bound; await it for the final state."""
        if self.watch is not None:  # it sees the whole run (observers.py)
            return self.watch.run(self.supersteps)
        return self.supersteps()  # the loop's own coroutine: nothing in between

    async def supersteps(self) -> WorkflowRunState:
        """The loop of `run`: one superstep after another while messages wait."""
        steps = 0
        superstep = self.policies.within_run_time(self.superstep, self.state)
        if self.watch is not None:
            superstep = self.watch.superstep(superstep, self.state)
        while self.state.messages:
            if steps >= self.workflow.max_iterations:
                return await self._fail(advice.too_many_supersteps(steps, self.state))
            steps += 1
            failure = await superstep()
            if failure is not None:
                return await self._fail(failure)
        if self.state.executor_states or self.state.edge_memory:  # where work left half done is kept
            self.warn_about_what_is_left()
        final = WorkflowRunState.IDLE_WITH_PENDING_REQUESTS if self.state.pending_requests else WorkflowRunState.IDLE
        self.emit(WorkflowStatusEvent(final, duration=self.elapsed()))
        return final

    def warn_about_what_is_left(self) -> None:
        """At the end of a run: warn about work left half done, which the executors and the edge
        groups keep in their state (a sub-workflow's unanswered request, a join still waiting)."""
        state = self.state
        for executor_id, kept in state.executor_states.items():
            for warning in self.workflow.executors[executor_id].idle_warnings(kept):
                self.emit(WorkflowWarningEvent(warning))
        if state.edge_memory and not state.pending_requests:  # a paused run may still fill its joins
            fallbacks = {e: p.fallback for e, p in self.workflow.policies.items() if p.fallback}
            for group in self.workflow.edge_groups:
                memory = state.edge_memory.get(group.id)
                warning = group.left_waiting(memory, fallbacks) if memory else None
                if warning is not None:
                    self.emit(warning)

    def elapsed(self) -> float:
        """Seconds since this run call started."""
        return time.perf_counter() - self.started

    async def superstep(self) -> WorkflowErrorDetails | None:
        """Deliver every waiting message, then route what was sent and commit; the failure, if any."""
        state, emit = self.state, self.emit  # emit as a local: CPython 3.11 calls self.emit(...) slowly
        step = self.step = Step(state)
        iteration = state.iteration + 1
        emit(SuperStepStartedEvent(iteration))
        messages = state.messages
        if len(messages) == 1:  # the common case: one handler call, nothing to gather
            await self.call(messages[0])
        else:
            inboxes: dict[str, list[Message]] = {}
            for message in messages:
                inboxes.setdefault(message.target_id, []).append(message)
            if len(inboxes) == 1:
                [inbox] = inboxes.values()
                await self.deliver(inbox)
            else:
                await asyncio.gather(*(self.deliver(inbox) for inbox in inboxes.values()))
        if step.failures:
            return step.failures[0]  # nothing of the step is committed: the last good state stands
        try:
            next_messages = await self.route(step.outbox)
        except Exception as error:  # a condition raised, or a loop hit its bound
            return WorkflowErrorDetails.from_exception(error)
        step.commit()
        state.messages = next_messages
        state.iteration = iteration
        failure = None
        if self.persistence is not None:
            try:  # saved before the step says it is complete: a reader who stops there can resume
                await self.persistence.after_step(state, _state_after_step(state))
            except Exception as error:  # a value that cannot be saved must stop the run, loudly
                self._save_failed = True
                failure = WorkflowErrorDetails.from_exception(error)
        emit(SuperStepCompletedEvent(iteration))
        if self.pace is not None and failure is None:
            await self.pace()
        return failure

    async def deliver(self, inbox: list[Message]) -> None:
        """Hand one executor its messages of this step, one after another."""
        for message in inbox:
            if not await self.call(message):
                return  # this executor's later messages would see half-done work

    async def call(self, message: Message) -> bool:
        """One handler call, announced and reported in events; False if it failed and nothing took
        the failure over (a fallback route, or a join that may go ahead without it)."""
        target_id = message.target_id
        limit = self.policies.limits.get(target_id)
        if limit is not None:  # a concurrency limit: the call is announced once it has a slot, never while it waits
            await limit.acquire()
        emit = self.emit
        started = time.perf_counter()
        answered = message.request.request_id if message.request is not None else None
        emit(ExecutorInvokedEvent(target_id, message.payload, message.source_ids, answered))
        try:
            await self.invokers.get(target_id, self.invoke)(message)
        except Exception as error:
            details = self.policies.failed_for_good(target_id, error)
            emit(ExecutorFailedEvent(target_id, details, duration=time.perf_counter() - started))
            if self.policies.recover(target_id, message, details, self.step):
                return True  # a fallback route took this message over
            if self.report_failure(target_id, message, details):
                return True  # joins that may go ahead without it count it as arrived
            self.step.failures.append(details)
            return False
        finally:
            if limit is not None:
                limit.release()
        emit(ExecutorCompletedEvent(target_id, None, time.perf_counter() - started))
        return True

    def report_failure(self, executor_id: str, message: Message, details: WorkflowErrorDetails) -> bool:
        """Hand `executor_id`'s failure to the edge groups that take one (`takes_failures`); True if any.

        Those are the joins that may go ahead without it (``min_successes``). The failure
        travels like a message (a `SourceFailed` sent to the join's target), so the join's
        memory records it, is saved with it in a checkpoint, and the join decides in one place
        (its `route`) whether it can deliver.
        """
        takers = [group for group in self.routes[executor_id] if group.takes_failures]
        for group in takers:
            failed = SourceFailed(self.policies.failure_of(executor_id, message, details))
            self.step.outbox.append(Sent(executor_id, failed, group.targets[0]))
        return bool(takers)

    async def invoke(self, message: Message) -> None:
        """The one handler call: the most specific handler of the target, with a fresh context.
        What the handler writes is kept only if it returns (`Step.merge`)."""
        executor = self.executors[message.target_id]
        call = Call(self.step, executor.id)
        request = message.request
        if request is None:
            spec = executor.handler_for(message.payload)
            if spec is None:
                raise WorkflowTypeError(
                    f"Executor '{executor.id}' has no handler for {type(message.payload).__name__}; "
                    f"it accepts {executor.describe_inputs()}."
                )
            await executor.invoke(spec, message.payload, WorkflowContext(self, call, spec, message.source_ids))
        else:
            spec = executor.response_handler_for(request.data, message.payload)
            if spec is None:
                raise WorkflowTypeError(
                    f"Executor '{executor.id}' has no @response_handler for a {type(message.payload).__name__} "
                    f"answer to {type(request.data).__name__}."
                )
            context = WorkflowContext(self, call, spec, message.source_ids)
            await executor.invoke_response(spec, request, message.payload, context)
        self.step.merge(call, self.emit)

    async def route(self, outbox: list[Sent]) -> list[Message]:
        """The messages for the next superstep: each sent value along its sender's edge groups.
        A value no group takes is a warning that says why, never a silent drop."""
        delivered: list[Message] = []
        for sent in outbox:
            taken = False
            for group in self.routes[sent.source_id]:
                messages = await group.route(sent, self)
                if messages is not None:
                    taken = True
                    delivered.extend(messages)
            if not taken:
                self.emit(WorkflowWarningEvent(advice.undeliverable(self.workflow, sent)))
        return delivered

    # --- what a WorkflowContext asks of the engine ---------------------------------------------

    def send(self, call: Call, message: Any, target_id: str | None) -> None:
        source_id = call.executor_id
        if target_id is not None:
            target_id = self.workflow.address_of(source_id, target_id)
            if target_id not in self.workflow.successors(source_id):
                raise WorkflowRoutingError(
                    f"Executor '{source_id}' sent a message to '{target_id}', but there is no edge from "
                    f"'{source_id}' to '{target_id}'. Add one with .add_edge({source_id!r}, {target_id!r})."
                )
        call.sent.append(Sent(source_id, message, target_id))
        if self.watch is not None:
            self.watch.sent(source_id, message, target_id)

    def yield_output(self, call: Call, output: Any) -> None:
        executor_id = call.executor_id
        if executor_id in self.workflow.forwarding_exits:
            # The exit of an inlined part, wired onward: its result travels on as a message.
            call.sent.append(Sent(executor_id, output, None))
            return
        shown_as = self.workflow.outputs_shown.get(executor_id, "output")  # see WorkflowBuilder(output_from=)
        if shown_as == "output":
            call.announced.append(WorkflowOutputEvent(output, executor_id))
        elif shown_as == "intermediate":
            call.announced.append(WorkflowIntermediateEvent(output, executor_id))

    def request_info(self, call: Call, data: Any, response_type: Any, request_id: str | None) -> str:
        executor = self.workflow.executors[call.executor_id]
        if not _has_response_handler(executor, type(data), response_type):
            raise WorkflowTypeError(
                f"Executor '{executor.id}' asked for a {type_name(response_type)} answer to a "
                f"{type(data).__name__}, but has no @response_handler taking "
                f"(original_request: {type(data).__name__}, response: {type_name(response_type)}, ctx). "
                "Add one, so the answer has somewhere to go."
            )
        request_id = request_id or getattr(data, "request_id", None) or str(uuid.uuid4())
        call.add_request(PendingRequest(request_id, executor.id, data, response_type))
        return request_id

    # --- what an edge group asks of the engine while it routes (edges.RouteContext) -----------

    def accepts(self, target_id: str, message: Any) -> bool:
        return self.executors[target_id].handler_for(message) is not None

    def refused(self, group: EdgeGroup, sent: Sent, target_id: str) -> None:
        self.emit(WorkflowWarningEvent(advice.refused(self.workflow, group, sent, target_id)))

    # --- ending -------------------------------------------------------------------------------

    async def _fail(self, details: WorkflowErrorDetails) -> WorkflowRunState:
        reopen_unhandled_answers(self.state)  # before saving: the FAILED checkpoint must hold them too
        if self.persistence is not None and not self._save_failed:
            # Record the failure next to the last good state: resuming retries the failed step.
            try:
                await self.persistence.after_step(self.state, WorkflowRunState.FAILED, details)
            except Exception as error:
                self.emit(WorkflowWarningEvent(f"The failure could not be saved as a checkpoint: {error}"))
        await self.policies.undo()
        if self.watch is not None:
            self.watch.failed(details)
        self.emit(WorkflowFailedEvent(details))
        self.emit(WorkflowStatusEvent(WorkflowRunState.FAILED, duration=self.elapsed()))
        return WorkflowRunState.FAILED


def reopen_unhandled_answers(state: RunState) -> None:
    """Make every request whose answer is still waiting to be handled pending again.

    `send_responses` turns an answer into a message and takes its request off the pending list.
    When the run fails before that message was handled for good (its handler raised, or another
    handler of the same superstep did, so the step was never committed), the answer is dropped
    and its request goes back on the list: the learner can answer again, here or from the FAILED
    checkpoint, instead of finding the request gone. (Retrying the same bad answer on resume
    would only fail again.)
    """
    answers = [message for message in state.messages if message.request is not None]
    if not answers:
        return
    state.messages = [message for message in state.messages if message.request is None]
    for answer in answers:
        assert answer.request is not None
        state.pending_requests[answer.request.request_id] = answer.request


def _state_after_step(state: RunState) -> WorkflowRunState:
    pending = bool(state.pending_requests)
    if state.messages:
        return WorkflowRunState.IN_PROGRESS_PENDING_REQUESTS if pending else WorkflowRunState.IN_PROGRESS
    return WorkflowRunState.IDLE_WITH_PENDING_REQUESTS if pending else WorkflowRunState.IDLE


def _has_response_handler(executor: Any, request_type: type, response_type: Any) -> bool:
    return any(
        spec.is_response_handler
        and is_compatible(request_type, spec.request_type)
        and is_compatible(response_type, spec.message_type)
        for spec in executor.handlers
    )
