"""`WorkflowRun`: one run of a workflow, from its first message to its end.

A run holds what changes while a workflow works: its `RunState` (the messages waiting, the
executors' state, the requests waiting for answers), the events it has emitted, and where it
stands (`status`). The `Workflow` holds only the graph, which never changes.

Most code never meets this class: ``await workflow.run(message)`` makes a run, registers it as
the workflow's `latest_run`, and runs it; ``send_responses`` answers that run and lets it go on.
A `WorkflowExecutor` runs its child workflow as runs of its own that no workflow registers, so
a workflow wrapped as a sub-workflow still runs on its own too.

One run at a time: a workflow's latest run must have ended before the next starts, or before an
answer continues it (`make_way`). A ``run_stream`` left behind with ``break`` does not hold the
workflow up.
"""

from __future__ import annotations

import asyncio
import warnings
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping

from ..errors import RequestResponseError, WorkflowFailedError, WorkflowRunError, WorkflowTypeError
from .engine import Engine, EventSink
from .events import (
    RequestInfoEvent,
    WorkflowEvent,
    WorkflowFailedEvent,
    WorkflowIntermediateEvent,
    WorkflowOutputEvent,
    WorkflowRunState,
    WorkflowStartedEvent,
    WorkflowStatusEvent,
)
from .persistence import Persistence
from .state import Message, RunState
from .typecheck import is_instance, type_name

if TYPE_CHECKING:
    from .workflow import Workflow

# A checkpoint storage (see wfkit.checkpoint): the core only hands it to its Persistence.
CheckpointStorage = Any


class WorkflowRunResult(list[WorkflowEvent]):
    """The events of one run call, in order, with helpers for what you usually want from them.

    It holds the status events too (the seed era's way), unless the run was asked to keep them
    apart (``run(..., include_status_events=False)``, Agent Framework 1.x's default): then
    `status_timeline()` has them and the list the rest.
    """

    _status_apart: list[WorkflowStatusEvent] | None = None

    def with_status_apart(self) -> WorkflowRunResult:
        """The same events, the status events kept apart in `status_timeline()`."""
        apart = WorkflowRunResult(event for event in self if not isinstance(event, WorkflowStatusEvent))
        apart._status_apart = self.status_timeline()
        return apart

    def status_timeline(self) -> list[WorkflowStatusEvent]:
        """The status events of the run, in order (where it went: in progress, idle, failed...)."""
        if self._status_apart is not None:
            return list(self._status_apart)
        return [event for event in self if isinstance(event, WorkflowStatusEvent)]

    def get_outputs(self) -> list[Any]:
        """Every value the run yielded with `ctx.yield_output`, in order."""
        return [event.data for event in self if isinstance(event, WorkflowOutputEvent)]

    def get_intermediate_outputs(self) -> list[Any]:
        """Every value yielded by an executor the workflow names intermediate (``intermediate_output_from=``)."""
        return [event.data for event in self if isinstance(event, WorkflowIntermediateEvent)]

    def get_request_info_events(self) -> list[RequestInfoEvent]:
        """The requests the run is waiting on (answer them with `send_responses`)."""
        return [event for event in self if isinstance(event, RequestInfoEvent)]

    def get_final_state(self) -> WorkflowRunState:
        """The state the run ended in (IDLE, IDLE_WITH_PENDING_REQUESTS, FAILED...)."""
        for event in reversed(self.status_timeline()):
            return event.state
        return WorkflowRunState.STARTED

    def __repr__(self) -> str:
        return (
            f"WorkflowRunResult(state={self.get_final_state().name}, outputs={len(self.get_outputs())}, "
            f"pending_requests={len(self.get_request_info_events())}, events={len(self)})"
        )


class WorkflowRun:
    """One run of `workflow` over `state`: start it, answer it, let it go on, watch its events.

    >>> run = WorkflowRun.starting(workflow, "Launch")     # doctest: +SKIP
    >>> result = await run.collect()                       # doctest: +SKIP
    >>> run.status, run.pending_requests                   # doctest: +SKIP
    (<WorkflowRunState.IDLE_WITH_PENDING_REQUESTS: ...>, {'4f1c...': ReviewRequest(...)})
    >>> run.answer({"4f1c...": True}); await run.collect() # doctest: +SKIP

    `storage` is where the run saves a checkpoint after each superstep (the workflow's own
    ``with_checkpointing`` storage when not given); ``save_checkpoints=False`` saves none (a
    sub-workflow's runs are saved inside their parent's checkpoints instead).
    """

    def __init__(
        self,
        workflow: Workflow,
        state: RunState | None = None,
        *,
        storage: CheckpointStorage | None = None,
        replayed: list[WorkflowEvent] | None = None,
        save_checkpoints: bool = True,
    ) -> None:
        self.workflow = workflow
        self.state = state if state is not None else RunState()
        self.storage = storage if storage is not None else workflow.checkpoint_storage
        self.save_checkpoints = save_checkpoints
        self.events: list[WorkflowEvent] = []  # every event of every call on this run, in order
        self.status: WorkflowRunState | None = None  # None until it has run
        self._replayed = replayed or []  # requests a restored run announces again first
        self._task: asyncio.Task[Any] | None = None  # the task running this run, while it runs
        self._open_stream: OpenStream | None = None

    def __repr__(self) -> str:
        status = self.status.name if self.status is not None else "NOT_STARTED"
        return f"WorkflowRun(workflow={self.workflow.id!r}, status={status}, pending_requests={len(self.state.pending_requests)})"

    # --- three ways a run comes about --------------------------------------------------------

    @classmethod
    def starting(
        cls, workflow: Workflow, message: Any, storage: CheckpointStorage | None = None, save_checkpoints: bool = True
    ) -> WorkflowRun:
        """A new run whose first superstep hands `message` to the start executor."""
        start = workflow.start_executor
        if not start.can_handle(message):
            raise WorkflowTypeError(
                f"The start executor '{start.id}' cannot take a {type(message).__name__}; it accepts "
                f"{start.describe_inputs()}. Pass one of those to run()."
            )
        state = RunState(messages=[Message(("__input__",), start.id, message)])
        return cls(workflow, state, storage=storage, save_checkpoints=save_checkpoints)

    @classmethod
    async def restored(
        cls,
        workflow: Workflow,
        checkpoint_id: str,
        storage: CheckpointStorage,
        responses: Mapping[str, Any] | None = None,
    ) -> WorkflowRun:
        """The run saved under `checkpoint_id` in `storage`, ready to go on, with `responses`
        (``{request_id: answer}``) already given. The requests still unanswered are announced
        again when it runs, so they can be answered now."""
        # Bad answers are refused before any executor takes back its saved attributes.
        state = await checkpointing(workflow, storage).load(checkpoint_id, lambda s: apply_responses(s, responses or {}))
        replayed: list[WorkflowEvent] = [
            RequestInfoEvent(r.request_id, r.executor_id, type(r.data), r.data, r.response_type)
            for r in state.pending_requests.values()
        ]
        return cls(workflow, state, storage=storage, replayed=replayed)

    def answer(self, responses: Mapping[str, Any]) -> None:
        """Give answers (``{request_id: answer}``) to pending requests: each becomes a message for
        the executor that asked, handled when the run goes on. One bad answer refuses them all."""
        apply_responses(self.state, responses)

    # --- where it stands ---------------------------------------------------------------------

    @property
    def pending_requests(self) -> dict[str, Any]:
        """The requests this run is waiting on, by request id."""
        return dict(self.state.pending_requests)

    @property
    def is_running(self) -> bool:
        """True while a call is running this run (or has claimed it and is about to)."""
        return self._task is not None and not self._task.done()

    # --- running it ----------------------------------------------------------------------------

    async def collect(self) -> WorkflowRunResult:
        """Run until the run ends (idle, paused for answers, or failed) and return this call's events.

        A failure raises `WorkflowFailedError`, which carries every event of the call, from the
        exception that caused it (its ``__cause__``).
        """
        events = WorkflowRunResult()
        try:
            final = await self.execute(events.append)
        finally:
            self.events.extend(events)
        failure = failed_run_error(events) if final is WorkflowRunState.FAILED else None
        if failure is not None:
            # `from`: the exception that ended the run becomes the error's __cause__, so the
            # traceback shows it first and `except` code can look at it (None for a stop
            # wfkit made itself, such as too many supersteps).
            raise failure from failure.cause
        return events

    def stream(self) -> AsyncIterator[WorkflowEvent]:
        """The events of this run as they happen (``async for event in run.stream()``)."""

        async def ready() -> WorkflowRun:
            return self

        return streamed(ready)

    async def execute(
        self, emit: EventSink, streaming: bool = False, pace: Callable[[], Awaitable[None]] | None = None
    ) -> WorkflowRunState:
        """Run supersteps until the run ends, handing each event to `emit`; return where it ended.

        A streamed run passes `pace`, awaited after each superstep (see `Engine`)."""
        if self._task is None:  # not claimed by whoever started it (a fork the history runs, say)
            self._task = asyncio.current_task()
        final = WorkflowRunState.CANCELLED
        try:
            emit(WorkflowStartedEvent())
            emit(WorkflowStatusEvent(WorkflowRunState.IN_PROGRESS))
            if self.state.pending_requests:
                emit(WorkflowStatusEvent(WorkflowRunState.IN_PROGRESS_PENDING_REQUESTS))
            for event in self._replayed:
                emit(event)
            self._replayed = []
            saving = self.storage is not None and self.save_checkpoints
            persistence = checkpointing(self.workflow, self.storage) if saving else None
            final = await Engine(self.workflow, self.state, emit, persistence, streaming, pace).run()
            return final
        finally:
            self._task = None
            self.status = final

    # --- one run at a time ---------------------------------------------------------------------

    def claim(self) -> None:
        """Mark this run as taken by the calling task. The caller has made sure just before, with
        nothing awaited since, that no other call runs the workflow (`make_way`, `refuse_if_running`)."""
        self._task = asyncio.current_task()

    def refuse_if_running(self) -> None:
        """Raise `WorkflowRunError` if a call is running this run: one run at a time."""
        if self.is_running:
            raise WorkflowRunError(
                "This workflow is already running. Wait for that run to end, or build a second "
                "Workflow for a parallel run. If you left a run_stream loop early and kept the stream in "
                "a variable, close it first: await stream.aclose()."
            )

    async def make_way(self, starting_afresh: bool = False) -> None:
        """Wait until this run no longer holds its workflow, closing a stream left behind, or refuse.

        A stream whose loop was left with ``break`` is closed by the event loop, which only
        schedules that: its run is stopping, so it is waited for. `starting_afresh` (a new run,
        or a restore) may also close a stream someone kept but stopped reading
        (`OpenStream.is_abandoned`). Answers never do: they continue the very run that stream
        shows, so closing it would lose what that run was doing.
        """
        left_behind = self._open_stream
        if self._task is not None and left_behind is not None:
            events = left_behind.events()
            if events is None or left_behind.closing:  # its clean-up is on its way: it stops the run
                await asyncio.wait([self._task])
            elif starting_afresh and left_behind.is_abandoned():
                warnings.warn(
                    "An earlier run_stream of this workflow was left unfinished (its loop was left "
                    "early, and the stream kept in a variable), so it was closed and its run stopped, "
                    "to let this run start. To end a stream you leave early yourself, call "
                    "await stream.aclose().",
                    RuntimeWarning,
                    stacklevel=4,
                )
                await events.aclose()
        self.refuse_if_running()


class WorkflowEventStream:
    """The events of a run, as they happen: what ``workflow.run(message, stream=True)`` returns.

    Read it with ``async for event in stream``; ``await stream.get_final_response()`` waits for
    the run to end (reading what is left) and returns all its events as a `WorkflowRunResult`.
    Leaving the loop early stops the run, as with `Workflow.run_stream`. A failed run raises
    `WorkflowFailedError` at the end of the loop, after its "failed" event (the seed era's
    `run_stream` only shows that event).
    """

    def __init__(self, events: AsyncIterator[WorkflowEvent]) -> None:
        self._events = events
        self.updates: list[WorkflowEvent] = []  # every event read so far, in order

    def __aiter__(self) -> AsyncIterator[WorkflowEvent]:
        return self._read()

    async def _read(self) -> AsyncGenerator[WorkflowEvent, None]:
        try:
            async for event in self._events:
                self.updates.append(event)
                yield event
        finally:  # a loop left early (or a closed stream) stops the run
            await self.aclose()
        # A failed run ends the loop with its error, as Agent Framework 1.x's streams do (after
        # the "failed" event, so a loop that shows events shows that one too).
        failure = failed_run_error(self.updates)
        if failure is not None:
            raise failure from failure.cause

    def __await__(self) -> Any:
        # ``stream = await workflow.run(message, stream=True)`` works too: the stream itself.
        async def itself() -> WorkflowEventStream:
            return self

        return itself().__await__()

    async def get_final_response(self) -> WorkflowRunResult:
        """Read the events not read yet, then return every event of the run.

        A failed run raises `WorkflowFailedError`, as ``await workflow.run(message)`` does.
        """
        async for _ in self:
            pass
        return WorkflowRunResult(self.updates)

    async def aclose(self) -> None:
        """Stop the run, if it is still going, and end the stream."""
        close = getattr(self._events, "aclose", None)
        if close is None or getattr(self._events, "ag_running", False):
            return  # being closed already (a new run closing a stream left behind): nothing to add
        await close()


@dataclass
class OpenStream:
    """A stream of a run that has started and whose generator has not finished.

    The run keeps one, so a new run can tell a stream left behind from one still read. It holds
    the stream weakly: a stream nobody holds any more must stay free to be collected, and closed
    by the event loop, as a plain ``break`` out of ``async for ... in run_stream()`` expects.
    """

    events: weakref.ref[AsyncGenerator[WorkflowEvent, None]]
    reader: asyncio.Task[Any] | None = None  # the task that asked for the latest event
    at_yield: bool = False  # it handed an event over, and nobody has asked for the next one yet
    closing: bool = False  # it is being closed: its run is stopping

    def is_abandoned(self) -> bool:
        """True if whoever read this stream has stopped reading it, so closing it loses nothing.

        The rule: the stream is suspended at a ``yield`` (no ``async for`` is waiting on it for
        its next event), and its reader is the task now starting a new run, or a task that has
        ended. The reader cannot be inside that ``async for`` and in the new run at once (past a
        ``break``, say), and an ended task reads nothing. A stream read by another task that is
        still alive is left alone: that task may be about to ask for the next event.
        """
        if not self.at_yield:
            return False
        return self.reader is None or self.reader is asyncio.current_task() or self.reader.done()


def streamed(prepare: Callable[[], Awaitable[WorkflowRun]]) -> AsyncIterator[WorkflowEvent]:
    """The events of the run `prepare` gets ready, as they happen.

    Nothing happens until the first ``async for`` step: then `prepare` runs (it may refuse, say
    because the workflow is busy) and the run starts in a task of its own, whose events this
    generator hands over one by one. Leaving the loop early stops the run.
    """
    holder: list[OpenStream] = []  # the generator must know itself, to be recorded as open
    events = _events_of(prepare, holder)
    holder.append(OpenStream(weakref.ref(events)))
    return events


async def _events_of(
    prepare: Callable[[], Awaitable[WorkflowRun]], holder: list[OpenStream]
) -> AsyncGenerator[WorkflowEvent, None]:
    run = await prepare()
    queue: asyncio.Queue[WorkflowEvent | None] = asyncio.Queue()

    def emit(event: WorkflowEvent) -> None:
        run.events.append(event)
        queue.put_nowait(event)

    # The run goes at its reader's pace: after each superstep it waits until every event so far
    # has been read (`queue.join`), so a loop left with ``break`` leaves the run at that step's
    # end, its checkpoint saved, instead of racing on unseen (as Agent Framework's streams do).
    task = asyncio.ensure_future(run.execute(emit, streaming=True, pace=queue.join))
    run._task = task  # claimed from now on, even before the task first runs
    task.add_done_callback(lambda _: queue.put_nowait(None))
    opened = run._open_stream = holder[0]
    try:
        while (event := await queue.get()) is not None:
            opened.reader, opened.at_yield = asyncio.current_task(), True
            yield event
            opened.at_yield = False
            queue.task_done()  # the reader came back for more: this event has been read
        await task  # re-raise anything unexpected from the engine itself
    finally:
        # Marked first: a new run that starts while this one stops (a stream closed by the event
        # loop after a `break`, in the moment before the next cell runs) waits for it to end.
        opened.closing = True
        if not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        if run._open_stream is opened:
            run._open_stream = None


def checkpointing(workflow: Workflow, storage: CheckpointStorage) -> Persistence:
    """The door to `wfkit.checkpoint`: how `workflow` saves runs to, and loads them from, `storage`.

    The engine only calls the small `Persistence` protocol; the checkpoint package implements it
    over any checkpoint storage. Imported here, when a run first needs it, so the core never
    imports the checkpoint package at module level and the packages point one way.
    """
    from ..checkpoint.persistence import CheckpointPersistence

    return CheckpointPersistence(workflow, storage)


def failed_run_error(events: list[WorkflowEvent], message: str | None = None) -> WorkflowFailedError | None:
    """The `WorkflowFailedError` for a run whose `events` hold a `WorkflowFailedEvent`; None if they do not.

    The error only reads the failure event; raise it ``from error.cause`` to keep the chain.
    """
    failure = next((e for e in reversed(events) if isinstance(e, WorkflowFailedEvent)), None)
    return None if failure is None else WorkflowFailedError(failure.details, events, message)


def apply_responses(state: RunState, responses: Mapping[str, Any]) -> None:
    """Turn answers into messages for the executors that asked; refuse them all if one is bad."""
    check_responses(state, responses)
    for request_id, answer in responses.items():
        request = state.pending_requests.pop(request_id)
        state.messages.append(Message(("__response__",), request.executor_id, answer, request))


def check_responses(state: RunState, responses: Mapping[str, Any]) -> None:
    """Refuse answers that fit no pending request, before anything changes."""
    if not isinstance(responses, Mapping):
        raise RequestResponseError(
            f"Answers are given as a dict {{request_id: answer}}, got {type(responses).__name__}."
        )
    pending = state.pending_requests
    for request_id, answer in responses.items():
        if request_id not in pending:
            known = ", ".join(repr(r) for r in pending) or "none"
            raise RequestResponseError(
                f"No pending request has id {request_id!r}. Pending request ids: {known}. Nothing was "
                "sent; every request is still pending."
            )
        expected = pending[request_id].response_type
        if not is_instance(answer, expected):
            raise RequestResponseError(
                f"Request {request_id!r} (from '{pending[request_id].executor_id}') expects a "
                f"{type_name(expected)} answer, got {type(answer).__name__}: {answer!r}. Nothing was "
                "sent; the request is still pending."
            )

