"""`FunctionalRun`: one call of a functional workflow's ``run()``, from its first event to its last.

It calls the workflow function with the run's memory (see `memory.py`) and tells the world what
happens as it happens: `WorkflowStartedEvent`, a status, the steps' events, the questions asked,
the output (the function's return value), and a last status (IDLE, IDLE_WITH_PENDING_REQUESTS,
or FAILED after a `WorkflowFailedEvent`). These are the events of any wfkit run, so the views
that read a graph run read a functional one too.

A question nobody has answered yet stops the function (`RunStopped`). Branches started with
``asyncio.gather`` may still be inside steps at that moment: the run waits for those steps to
end, so no finished work is thrown away and their questions are asked too. Nothing new starts
once the run has paused: a step called then, or anything else that touches the run, stops its
branch as well.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable

from ..checkpoint.codec import encode_value
from ..checkpoint.model import WorkflowCheckpoint
from ..checkpoint.registry import register_types_from_annotation
from ..core.events import (
    RequestInfoEvent,
    WorkflowErrorDetails,
    WorkflowEvent,
    WorkflowFailedEvent,
    WorkflowOutputEvent,
    WorkflowRunState,
    WorkflowStartedEvent,
    WorkflowStatusEvent,
)
from ..core.state import PendingRequest
from ..errors import CheckpointEncodingError, RunStopped
from .context import RunContext, running
from .memory import RunMemory, StepRecord
from .saving import checkpoint_of

if TYPE_CHECKING:
    from .workflow import FunctionalWorkflow

EventSink = Callable[[WorkflowEvent], None]


@dataclass
class StepUnderWay:
    """A step call that has started and not ended. `count` counts the questions without a request
    id asked inside it (nested steps' too), see `StepRecord.questions`."""

    name: str
    parent: StepUnderWay | None
    count: int = 0
    ended: asyncio.Future[None] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


# The step call the code running here is inside, if any (each task sees its own).
_step_under_way: ContextVar[StepUnderWay | None] = ContextVar("wfkit_step_under_way", default=None)


class FunctionalRun:
    """One run of `workflow`'s function over `memory`, saving to `storage` (if any)."""

    def __init__(self, workflow: FunctionalWorkflow, memory: RunMemory, storage: Any, streaming: bool) -> None:
        self.workflow = workflow
        self.memory = memory
        self.storage = storage
        self.streaming = streaming
        self.context = RunContext(self)
        self.emit: EventSink = lambda event: None  # set by execute
        self.paused = False  # a question nobody has answered was asked
        self.ended = False
        self.pause_checkpoint: WorkflowCheckpoint | None = None  # the memory to go on from, if it paused
        self.status = WorkflowRunState.CANCELLED  # until execute ends otherwise
        self._questions_numbered = 0  # questions without a request id asked so far in this replay
        self._under_way: set[asyncio.Future[None]] = set()
        self._raised_in: dict[int, str] = {}  # id(exception) -> the step it came out of
        self._pace: Callable[[], Awaitable[None]] | None = None

    # --- the run, start to end ------------------------------------------------------------

    async def execute(self, emit: EventSink, pace: Callable[[], Awaitable[None]] | None = None) -> WorkflowRunState:
        """Run the function to its end, a pause or a failure, handing each event to `emit`.

        `pace`, if given, is awaited after each step: a stream passes one that waits for its
        reader to read every event so far."""
        self.emit = emit
        self._pace = pace
        started = time.perf_counter()
        emit(WorkflowStartedEvent())
        emit(WorkflowStatusEvent(WorkflowRunState.IN_PROGRESS))
        try:
            with running(self):
                try:
                    value = await self.workflow.call_function(self.memory.message, self.context)
                except RunStopped:
                    value = None
                await self._settle()
            self.ended = True
            if self.memory.pending:  # it paused (even if the function caught the stop and went on)
                self.status = WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
                self.pause_checkpoint = await self._save(self.status)
            else:
                if value is not None:
                    emit(WorkflowOutputEvent(value, self.workflow.name))
                self.status = WorkflowRunState.IDLE
                if self.storage is not None:
                    await self._save(self.status)
        except Exception as error:
            self.status = WorkflowRunState.FAILED
            where = self._raised_in.get(id(error), self.workflow.name)
            emit(WorkflowFailedEvent(WorkflowErrorDetails.from_exception(error, executor_id=where)))
        finally:
            self.ended = True  # from here on, a branch still going stops at its next step or call
        emit(WorkflowStatusEvent(self.status, duration=time.perf_counter() - started))
        self.emit = lambda event: None  # a branch still going says nothing after the last status
        return self.status

    async def _settle(self) -> None:
        """Wait for the steps still under way to end: when the function stopped at a question,
        branches of an ``asyncio.gather`` may still be inside steps, whose work is kept."""
        while self._under_way:
            await asyncio.wait(list(self._under_way))

    async def _save(self, status: WorkflowRunState) -> WorkflowCheckpoint:
        """Write the memory down as a checkpoint and save it, if there is a storage."""
        checkpoint = checkpoint_of(self.workflow, self.memory, status)
        if self.storage is not None:
            await self.storage.save_checkpoint(checkpoint)
            self.memory.last_checkpoint_id = checkpoint.checkpoint_id
        return checkpoint

    # --- what may still happen ------------------------------------------------------------

    def check_going(self) -> None:
        """Raise `RunStopped` unless this code may still act: the run has not ended, and, if it
        paused, the code runs inside a step that was under way then."""
        if self.ended or (self.paused and _step_under_way.get() is None):
            raise RunStopped()

    def check_can_start_step(self) -> None:
        """Raise `RunStopped` if the run has paused or ended: no new step starts then."""
        if self.paused or self.ended:
            raise RunStopped()

    # --- what steps do (see step.py) ------------------------------------------------------

    @asynccontextmanager
    async def step_under_way(self, name: str) -> AsyncIterator[StepUnderWay]:
        """Count a step call as under way while the block runs (a pause waits for it to end)."""
        call = StepUnderWay(name, _step_under_way.get())
        self._under_way.add(call.ended)
        token = _step_under_way.set(call)
        try:
            yield call
        finally:
            _step_under_way.reset(token)
            call.ended.set_result(None)
            self._under_way.discard(call.ended)

    def finish_step(self, record: StepRecord) -> None:
        """Keep the result of a step call that just returned, written down as data right away
        (later changes to the object must not change what is replayed)."""
        self.check_going()
        register_types_from_annotation(type(record.result))
        try:
            record.saved_result = encode_value(record.result, where=result_place(record))
        except CheckpointEncodingError as error:
            record.save_error = error  # fine until the run must be saved: then it fails (saving.py)
        self.memory.steps.add(record)

    async def save_after_step(self, record: StepRecord) -> None:
        """Save a checkpoint after a step finished, if the run has a storage."""
        if self.storage is None:
            return
        try:
            await self._save(WorkflowRunState.IN_PROGRESS)
        except CheckpointEncodingError as error:
            self.note_failure(error, record.step)
            raise

    async def keep_pace(self) -> None:
        """After a step: wait until the reader of a stream has read every event so far."""
        if self._pace is not None:
            await self._pace()

    def skip_questions(self, count: int) -> None:
        """A replayed step's numbered questions are not asked again; later ones keep their numbers."""
        self._questions_numbered += count

    def note_failure(self, error: BaseException, step: str) -> None:
        """Remember that `error` came out of `step`, so a failed run names the step."""
        self._raised_in.setdefault(id(error), step)

    # --- what the RunContext does (see context.py) ----------------------------------------

    async def ask(self, data: Any, response_type: Any, request_id: str | None) -> Any:
        """Return the answer to this question if the run has one; else ask it and stop here."""
        self.check_going()
        if request_id is None:
            request_id = f"auto::{self._questions_numbered}"
            self._questions_numbered += 1
            call = _step_under_way.get()
            while call is not None:  # a replay of any step around this call skips this number
                call.count += 1
                call = call.parent
        if request_id in self.memory.answers:
            self.memory.pending.pop(request_id, None)
            return self.memory.answers[request_id]
        register_types_from_annotation(type(data))
        register_types_from_annotation(response_type)
        self.memory.pending[request_id] = PendingRequest(request_id, self.workflow.name, data, response_type)
        self.paused = True
        self.emit(RequestInfoEvent(request_id, self.workflow.name, type(data), data, response_type))
        self.emit(WorkflowStatusEvent(WorkflowRunState.IN_PROGRESS_PENDING_REQUESTS))
        raise RunStopped()

    def add_event(self, event: WorkflowEvent) -> None:
        self.check_going()
        self.emit(event)

    def yield_output(self, output: Any) -> None:
        self.check_going()
        call = _step_under_way.get()
        self.emit(WorkflowOutputEvent(output, call.name if call is not None else self.workflow.name))

    def get_state(self, key: str, default: Any) -> Any:
        self.check_going()
        return self.memory.state.get(key, default)

    def set_state(self, key: str, value: Any) -> None:
        self.check_going()
        self.memory.state[key] = value


def result_place(record: StepRecord) -> str:
    """Where a step's result sits, in the words of an error about it."""
    return f"the result of step '{record.step}' (call {record.occurrence + 1} with these arguments)"
