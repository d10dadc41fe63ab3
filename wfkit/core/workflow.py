"""`Workflow`: a built, immutable graph of executors, and the ways to run it.

A workflow remembers the state of its latest run, so that `send_responses` can continue a
run that paused for answers. `run(message)` always starts afresh.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import json
import warnings
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping

from ..errors import RequestResponseError, WorkflowFailedError, WorkflowRunError, WorkflowTypeError
from .edges import EdgeGroup
from .events import (
    RequestInfoEvent,
    WorkflowEvent,
    WorkflowFailedEvent,
    WorkflowOutputEvent,
    WorkflowRunState,
    WorkflowStartedEvent,
    WorkflowStatusEvent,
)
from .engine import Engine, EventSink
from .persistence import persistence_for
from .state import Message, RunState
from .typecheck import is_instance, type_name

# A checkpoint storage (see wfkit.checkpoint): the core only hands it to its Persistence.
CheckpointStorage = Any

if TYPE_CHECKING:
    from .policies import ExecutorPolicy
    from .executor import Executor


class WorkflowRunResult(list[WorkflowEvent]):
    """The events of one run, in order, with helpers for what you usually want from them."""

    def get_outputs(self) -> list[Any]:
        """Every value the run yielded with `ctx.yield_output`, in order."""
        return [event.data for event in self if isinstance(event, WorkflowOutputEvent)]

    def get_request_info_events(self) -> list[RequestInfoEvent]:
        """The requests the run is waiting on (answer them with `send_responses`)."""
        return [event for event in self if isinstance(event, RequestInfoEvent)]

    def get_final_state(self) -> WorkflowRunState:
        """The state the run ended in (IDLE, IDLE_WITH_PENDING_REQUESTS, FAILED...)."""
        for event in reversed(self):
            if isinstance(event, WorkflowStatusEvent):
                return event.state
        return WorkflowRunState.STARTED

    def __repr__(self) -> str:
        return (
            f"WorkflowRunResult(state={self.get_final_state().name}, outputs={len(self.get_outputs())}, "
            f"pending_requests={len(self.get_request_info_events())}, events={len(self)})"
        )


@dataclass
class OpenStream:
    """A `run_stream` whose run has started and whose generator has not finished.

    The workflow keeps one, so a new run can tell a stream left behind from one still read. It
    holds the stream weakly: a stream nobody holds any more must stay free to be collected, and
    closed by the event loop, as a plain ``break`` out of ``async for ... in run_stream()`` expects.
    """

    events: weakref.ref[AsyncGenerator[WorkflowEvent, None]]
    reader: asyncio.Task[Any] | None = None  # the task that asked for the latest event
    at_yield: bool = False  # it handed an event over, and nobody has asked for the next one yet

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


class Workflow:
    """A graph of executors joined by edge groups, built by `WorkflowBuilder`.

    ``await workflow.run(message)`` runs it to the end and returns the events;
    ``async for event in workflow.run_stream(message)`` shows them as they happen.
    """

    def __init__(
        self,
        executors: dict[str, Executor],
        edge_groups: list[EdgeGroup],
        start_executor_id: str,
        *,
        max_iterations: int = 100,
        name: str | None = None,
        description: str | None = None,
        checkpoint_storage: Any = None,
        prefixes: dict[str, str] | None = None,
        forwarding_exits: set[str] | None = None,
        policies: dict[str, ExecutorPolicy] | None = None,
        concurrency_limits: list[tuple[list[str], int]] | None = None,
        run_timeout_seconds: float | None = None,
    ) -> None:
        self.executors = dict(executors)
        self.run_timeout_seconds = run_timeout_seconds
        self.policies = policies or {}
        self.concurrency_limits = concurrency_limits or []
        self.prefixes = prefixes or {}
        self.forwarding_exits = forwarding_exits or set()
        self.edge_groups = list(edge_groups)
        self.start_executor_id = start_executor_id
        self.max_iterations = max_iterations
        self.name = name
        self.description = description
        self.checkpoint_storage = checkpoint_storage
        self._out_groups: dict[str, list[EdgeGroup]] = {executor_id: [] for executor_id in self.executors}
        for group in self.edge_groups:
            for source in group.sources:
                self._out_groups[source].append(group)
        self._successors = {
            source: {target for group in groups for target in group.targets}
            for source, groups in self._out_groups.items()
        }
        # An inlined executor addresses its neighbours by their ids inside its part (see
        # composition.py): resolved here, once, so sending a message never looks at prefixes.
        self._local_names: dict[str, dict[str, str]] = {}
        for source, prefix in self.prefixes.items():
            inside = f"{prefix}/"
            names = {t[len(inside):]: t for t in self._successors.get(source, ()) if t.startswith(inside)}
            if names:
                self._local_names[source] = names
        # The same graph gets the same id in every process, so its checkpoints can be found again.
        self.id = name or f"workflow-{self.graph_signature()}"
        self._state = RunState()
        self._active: asyncio.Task[WorkflowRunState] | None = None
        self._open_stream: OpenStream | None = None
        self.last_run_state: WorkflowRunState | None = None

    def __repr__(self) -> str:
        label = f"{self.name!r}, " if self.name else ""
        return (
            f"Workflow({label}start={self.start_executor_id!r}, executors={list(self.executors)}, "
            f"edge_groups={len(self.edge_groups)})"
        )

    # --- the graph ------------------------------------------------------------------------

    @property
    def start_executor(self) -> Executor:
        """The executor that receives the message given to `run`."""
        return self.executors[self.start_executor_id]

    def get_executor(self, executor_id: str) -> Executor:
        """The executor with this id; the error lists the ids that exist."""
        try:
            return self.executors[executor_id]
        except KeyError:
            raise KeyError(f"No executor {executor_id!r}; this workflow has {list(self.executors)}.") from None

    def out_groups(self, executor_id: str) -> list[EdgeGroup]:
        """The edge groups that carry messages away from `executor_id`."""
        return self._out_groups[executor_id]

    def successors(self, executor_id: str) -> set[str]:
        """Ids of the executors `executor_id` has an edge to."""
        return self._successors[executor_id]

    def address_of(self, source_id: str, target_id: str) -> str:
        """The full id of `target_id` as `source_id` names it (the same, unless `source_id` was
        inlined by `add_workflow` and names a neighbour by its id inside the part)."""
        names = self._local_names.get(source_id)
        return target_id if names is None else names.get(target_id, target_id)

    def graph_signature(self) -> str:
        """A hash of the graph's shape (executor ids and classes, edges), stored in checkpoints
        so a checkpoint is never restored into a different graph."""
        return hashlib.sha256(json.dumps(self.graph_description(), sort_keys=True).encode()).hexdigest()[:16]

    def graph_description(self) -> dict[str, Any]:
        """The graph as plain data: executors with their classes, and edge groups."""
        return {
            "start": self.start_executor_id,
            "executors": {eid: ex.describe() for eid, ex in sorted(self.executors.items())},
            "edges": sorted(
                f"{group.kind}:{','.join(group.sources)}->{','.join(group.targets)}" for group in self.edge_groups
            ),
        }

    # --- running --------------------------------------------------------------------------

    async def run(
        self,
        message: Any = None,
        *,
        checkpoint_id: str | None = None,
        checkpoint_storage: CheckpointStorage | None = None,
    ) -> WorkflowRunResult:
        """Start a new run with `message`, or continue a saved one, and wait for it to end.

        ``run(message)`` starts afresh; ``run(checkpoint_id=..., checkpoint_storage=...)``
        continues from a checkpoint, like `run_from_checkpoint`. Give one or the other. A
        `checkpoint_storage` given with a message saves this run's checkpoints there.

        A pause for answers is a normal end: see `get_request_info_events()`. A failure raises
        `WorkflowFailedError`, which carries every event of the run, from the exception that
        caused it (its ``__cause__``).
        """
        if _resuming(message, checkpoint_id):
            return await self.run_from_checkpoint(checkpoint_id, checkpoint_storage)  # type: ignore[arg-type]
        state, _ = await self._start(message)
        return await self._collect(state, checkpoint_storage)

    def run_stream(
        self,
        message: Any = None,
        *,
        checkpoint_id: str | None = None,
        checkpoint_storage: CheckpointStorage | None = None,
    ) -> AsyncIterator[WorkflowEvent]:
        """`run`, yielding the events while it runs: ``async for event in workflow.run_stream(message)``.

        Leaving the loop early (``break``) stops the run and leaves the workflow ready for the next.
        """
        if _resuming(message, checkpoint_id):
            return self.run_stream_from_checkpoint(checkpoint_id, checkpoint_storage)  # type: ignore[arg-type]
        return self._stream(lambda: self._start(message), checkpoint_storage)

    async def send_responses(self, responses: Mapping[str, Any]) -> WorkflowRunResult:
        """Answer pending requests (``{request_id: answer}``) and continue the run until it ends again."""
        state, _ = await self._answer(responses)
        return await self._collect(state)

    def send_responses_streaming(self, responses: Mapping[str, Any]) -> AsyncIterator[WorkflowEvent]:
        """`send_responses`, yielding the events as they happen."""
        return self._stream(lambda: self._answer(responses))

    async def run_from_checkpoint(
        self,
        checkpoint_id: str,
        checkpoint_storage: CheckpointStorage | None = None,
        responses: Mapping[str, Any] | None = None,
    ) -> WorkflowRunResult:
        """Continue a run from a saved checkpoint (in this or a brand-new process).

        `responses` answers pending requests at once: their `RequestInfoEvent`s are not emitted
        again. Requests left unanswered are emitted again, so you can answer them now.
        """
        storage = self._storage_for_restore(checkpoint_storage)
        state, replayed = await self._restore(checkpoint_id, storage, responses)
        return await self._collect(state, storage, replayed)

    def run_stream_from_checkpoint(
        self,
        checkpoint_id: str,
        checkpoint_storage: CheckpointStorage | None = None,
        responses: Mapping[str, Any] | None = None,
    ) -> AsyncIterator[WorkflowEvent]:
        """`run_from_checkpoint`, yielding the events as they happen."""
        storage = self._storage_for_restore(checkpoint_storage)
        return self._stream(lambda: self._restore(checkpoint_id, storage, responses), storage)

    @property
    def pending_requests(self) -> dict[str, Any]:
        """The requests the latest run is waiting on, by request id."""
        return dict(self._state.pending_requests)

    async def _start(self, message: Any) -> tuple[RunState, list[WorkflowEvent]]:
        # A new run replaces the old one anyway, so it may close a stream left behind (see _claim).
        await self._claim(starting_afresh=True)
        start = self.start_executor
        if not start.can_handle(message):
            raise WorkflowTypeError(
                f"The start executor '{start.id}' cannot take a {type(message).__name__}; it accepts "
                f"{start.describe_inputs()}. Pass one of those to run()."
            )
        return RunState(messages=[Message(("__input__",), start.id, message)]), []

    async def _answer(self, responses: Mapping[str, Any]) -> tuple[RunState, list[WorkflowEvent]]:
        # Refuse before touching the state: answers given while a run is busy would be lost.
        # (_execute checks again when the run starts; the check only reads, so twice is harmless.)
        await self._claim()
        apply_responses(self._state, responses)
        return self._state, []

    async def _restore(
        self, checkpoint_id: str, storage: CheckpointStorage, responses: Mapping[str, Any] | None
    ) -> tuple[RunState, list[WorkflowEvent]]:
        await self._claim(starting_afresh=True)
        # Bad answers are refused before any executor takes back its saved attributes.
        state = await persistence_for(self, storage).load(checkpoint_id, lambda s: apply_responses(s, responses or {}))
        replayed: list[WorkflowEvent] = [
            RequestInfoEvent(r.request_id, r.executor_id, type(r.data), r.data, r.response_type)
            for r in state.pending_requests.values()
        ]
        return state, replayed

    def _storage_for_restore(self, storage: CheckpointStorage | None) -> CheckpointStorage:
        chosen = storage or self.checkpoint_storage
        if chosen is None:
            raise WorkflowRunError(
                "No checkpoint storage to restore from. Pass checkpoint_storage=... or build the "
                "workflow with .with_checkpointing(storage)."
            )
        return chosen

    # --- the plumbing shared by every way of running ----------------------------------------

    async def _collect(
        self, state: RunState, storage: CheckpointStorage | None = None, replayed: list[WorkflowEvent] | None = None
    ) -> WorkflowRunResult:
        events = WorkflowRunResult()
        final = await self._execute(state, events.append, storage, replayed or [])
        failure = failed_run_error(events) if final is WorkflowRunState.FAILED else None
        if failure is not None:
            # `from`: the exception that ended the run becomes the error's __cause__, so the
            # traceback shows it first and `except` code can look at it (None for a stop
            # wfkit made itself, such as too many supersteps).
            raise failure from failure.cause
        return events

    def _stream(
        self,
        prepare: Callable[[], Awaitable[tuple[RunState, list[WorkflowEvent]]]],
        storage: CheckpointStorage | None = None,
        save_checkpoints: bool = True,
    ) -> AsyncIterator[WorkflowEvent]:
        """The events of a run, as they happen (the run starts at the first ``async for`` step)."""
        holder: list[OpenStream] = []  # the generator must know itself, to be recorded as open
        events = self._stream_events(prepare, storage, save_checkpoints, holder)
        holder.append(OpenStream(weakref.ref(events)))
        return events

    async def _stream_events(
        self,
        prepare: Callable[[], Awaitable[tuple[RunState, list[WorkflowEvent]]]],
        storage: CheckpointStorage | None,
        save_checkpoints: bool,
        holder: list[OpenStream],
    ) -> AsyncGenerator[WorkflowEvent, None]:
        state, replayed = await prepare()
        queue: asyncio.Queue[WorkflowEvent | None] = asyncio.Queue()
        run = self._execute(state, queue.put_nowait, storage, replayed, streaming=True, save_checkpoints=save_checkpoints)
        task = asyncio.ensure_future(run)
        task.add_done_callback(lambda _: queue.put_nowait(None))
        opened = self._open_stream = holder[0]
        try:
            while (event := await queue.get()) is not None:
                opened.reader, opened.at_yield = asyncio.current_task(), True
                yield event
                opened.at_yield = False
            await task  # re-raise anything unexpected from the engine itself
        finally:
            if self._open_stream is opened:
                self._open_stream = None
            if not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

    async def _execute(
        self,
        state: RunState,
        emit: EventSink,
        storage: CheckpointStorage | None,
        replayed: list[WorkflowEvent],
        streaming: bool = False,
        save_checkpoints: bool = True,
    ) -> WorkflowRunState:
        await self._claim()
        self._active = asyncio.current_task()
        self._state = state
        final = WorkflowRunState.CANCELLED
        try:
            emit(WorkflowStartedEvent())
            emit(WorkflowStatusEvent(WorkflowRunState.IN_PROGRESS))
            if state.pending_requests:
                emit(WorkflowStatusEvent(WorkflowRunState.IN_PROGRESS_PENDING_REQUESTS))
            for event in replayed:
                emit(event)
            storage = storage or self.checkpoint_storage
            persistence = persistence_for(self, storage) if storage is not None and save_checkpoints else None
            final = await Engine(self, state, emit, persistence, streaming).run()
            return final
        finally:
            self._active = None
            self.last_run_state = final

    async def _claim(self, starting_afresh: bool = False) -> None:
        """Wait for the workflow to be free, or refuse: one run at a time.

        `starting_afresh` (a new run, or a restore) may also close a stream left behind
        (`OpenStream.is_abandoned`). Answers never do: they continue the very run that stream
        shows, so closing it would lose what that run was doing.
        """
        # A stream left with `break` is closed by the event loop a moment later; give that
        # clean-up a few turns of the loop before calling the workflow busy.
        for _ in range(20):
            if self._active is None or self._active.done():
                return
            await asyncio.sleep(0)
        left_behind = self._open_stream
        if starting_afresh and left_behind is not None and left_behind.is_abandoned():
            warnings.warn(
                "An earlier run_stream of this workflow was left unfinished (its loop was left "
                "early, and the stream kept in a variable), so it was closed and its run stopped, "
                "to let this run start. To end a stream you leave early yourself, call "
                "await stream.aclose().",
                RuntimeWarning,
                stacklevel=4,
            )
            events = left_behind.events()
            if events is not None:
                await events.aclose()
            if self._active is None or self._active.done():
                return
        raise WorkflowRunError(
            "This workflow is already running. Wait for that run to end, or build a second "
            "Workflow for a parallel run. If you left a run_stream loop early and kept the stream in "
            "a variable, close it first: await stream.aclose()."
        )

    # --- composition ----------------------------------------------------------------------

    def copy_with_own_run(self) -> Workflow:
        """The same graph and executors, with a run state of its own (no run, nothing pending):
        what a `WorkflowExecutor` runs, so wrapping a workflow never changes it."""
        twin = copy.copy(self)
        twin._state = RunState()
        twin._active = None
        twin._open_stream = None
        twin.last_run_state = None
        return twin

    def as_executor(self, id: str | None = None, allow_direct_output: bool = False) -> Executor:
        """This workflow as one executor of a bigger workflow (a `WorkflowExecutor`).

        ``allow_direct_output=True`` makes its outputs the bigger workflow's outputs even when
        the node has out-edges (with none, they are anyway).
        """
        from .subworkflow import WorkflowExecutor

        return WorkflowExecutor(self, id=id, allow_direct_output=allow_direct_output)

    def as_agent(self, name: str | None = None) -> Any:
        """This workflow behind an agent's `run(messages)` (a `WorkflowAgent`)."""
        from ..agents.workflow_agent import WorkflowAgent

        return WorkflowAgent(self, name=name)

    # --- drawing (see wfkit.viz) ------------------------------------------------------------

    def to_dot(self) -> str:
        """The graph in Graphviz DOT text."""
        from ..viz.dot import workflow_to_dot

        return workflow_to_dot(self)

    def to_mermaid(self) -> str:
        """The graph as a Mermaid flowchart."""
        from ..viz.mermaid import workflow_to_mermaid

        return workflow_to_mermaid(self)

    def to_svg(self) -> str:
        """The graph drawn as SVG by Graphviz (needs its `dot` program)."""
        from ..viz.svg import dot_to_svg

        return dot_to_svg(self.to_dot())

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        from ..viz.svg import mimebundle

        return mimebundle(self)


def _resuming(message: Any, checkpoint_id: str | None) -> bool:
    """True if a run call continues a checkpoint, False if it starts with a message; refuses both and neither."""
    if message is not None and checkpoint_id is not None:
        raise WorkflowRunError(
            "Pass either a message (to start a new run) or checkpoint_id=... (to continue a saved "
            "one), not both: a run restored from a checkpoint already has its messages."
        )
    if message is None and checkpoint_id is None:
        raise WorkflowRunError(
            "Nothing to run: pass a message for the start executor (workflow.run(message)), or "
            "checkpoint_id=... to continue a saved run."
        )
    return checkpoint_id is not None


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
