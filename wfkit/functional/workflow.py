"""`@workflow`: an async function run as a workflow, with the `run()` every wfkit workflow has.

A graph workflow is built from executors and edges; a functional one is just Python. Plain
``if``, ``for`` and ``asyncio.gather`` decide what happens, `@step` functions keep their
results, and a `RunContext` asks people questions::

    @workflow
    async def data_pipeline(url: str) -> str:
        raw = await fetch(url)
        return summarise(raw)

    result = await data_pipeline.run("https://example.com")
    result.get_outputs()          # [the returned value]

``run()`` is the one door, as on a graph workflow: ``run(message)`` starts a run,
``run(responses={request_id: answer})`` answers the run that paused, ``run(checkpoint_id=...)``
goes on from a saved checkpoint, and ``stream=True`` shows the events as they happen.

How a paused run goes on is the idea to take away: it is *replayed*. The function runs again
from the top; each step that finished hands back its saved result instead of running, each
question already answered gets its answer at once, and the function arrives where it stopped
with everything it had, then goes further (see `memory.py`). Code outside steps runs again.

One run at a time: a workflow refuses ``run()`` while its run is still going (see
`streaming.py`). Today's Agent Framework builds one workflow object per caller with
``.build()``; wfkit has that too.
"""

from __future__ import annotations

import dis
import hashlib
import json
from types import CodeType
from typing import Any, Awaitable, Callable, Mapping

from ..core.run import WorkflowEventStream, WorkflowRunResult
from ..core.state import PendingRequest
from ..errors import RequestResponseError, WorkflowRunError
from .calling import WorkflowSignature, register_annotated_types, require_async
from .memory import RunMemory
from .run import FunctionalRun
from .saving import memory_from
from .step import Step
from .streaming import OneRunAtATime, run_events

# A checkpoint storage (see wfkit.checkpoint), or None.
CheckpointStorage = Any

_NOT_GIVEN: Any = object()


class FunctionalWorkflow:
    """An async function made a workflow by `@workflow`: run it with `run()`.

    `name` names it in events (outputs and questions come from it) and in checkpoints (found
    again with ``storage.list_checkpoints(workflow_name=...)``); `checkpoint_storage` is where
    its runs are saved, after each step and when a run ends or pauses.
    """

    def __init__(
        self,
        func: Callable[..., Awaitable[Any]],
        *,
        name: str | None = None,
        description: str | None = None,
        checkpoint_storage: CheckpointStorage | None = None,
    ) -> None:
        require_async(func, "@workflow")
        self.func = func
        self.name = name or func.__name__
        self.description = description
        self.checkpoint_storage = checkpoint_storage
        self.parameters = WorkflowSignature.of(func)
        register_annotated_types(func)
        self._paused: Any = None  # the checkpoint of the run waiting for answers, if one is
        self._gate = OneRunAtATime(self.name)

    def __repr__(self) -> str:
        return f"FunctionalWorkflow({self.name!r}, steps={self.describe()['steps']})"

    @property
    def id(self) -> str:
        """The workflow's name, by the name graph workflows give it: checkpoints record it."""
        return self.name

    def build(self, *, checkpoint_storage: CheckpointStorage | None = _NOT_GIVEN) -> FunctionalWorkflow:
        """A new workflow of the same function, with runs of its own (and `checkpoint_storage`, or
        this one's). Agent Framework 1.26's way: ``@workflow`` gives a definition, and each
        caller builds one; on wfkit the decorated function can be run as it is too."""
        storage = self.checkpoint_storage if checkpoint_storage is _NOT_GIVEN else checkpoint_storage
        return FunctionalWorkflow(self.func, name=self.name, description=self.description, checkpoint_storage=storage)

    # --- running ----------------------------------------------------------------------------

    def run(
        self,
        message: Any = None,
        *,
        stream: bool = False,
        responses: Mapping[str, Any] | None = None,
        checkpoint_id: str | None = None,
        checkpoint_storage: CheckpointStorage | None = None,
        include_status_events: bool | None = None,
    ) -> Awaitable[WorkflowRunResult] | WorkflowEventStream:
        """Run the workflow: start it, answer it, or go on from a checkpoint; every way in one call.

        - ``await run(message)``: a new run, the function called with `message`;
        - ``await run(responses={request_id: answer})``: answer the run that paused; the
          function is replayed from the top with the answers (see the module docstring);
        - ``await run(checkpoint_id=..., checkpoint_storage=...)``: go on from a saved run,
          with ``responses=`` answering its questions at once.

        It waits for the run to end and returns its events (a `WorkflowRunResult`:
        ``get_outputs()``, ``get_final_state()``, ``get_request_info_events()``). With
        ``stream=True`` it returns a `WorkflowEventStream` to read with ``async for``.

        A failure raises `WorkflowFailedError` from the exception that caused it. As with graph
        workflows, the result holds the status events too, unless ``include_status_events=False``
        keeps them apart (`status_timeline()`), Agent Framework's default.
        """
        prepare = self._preparation(message, responses, checkpoint_id, checkpoint_storage)
        storage = checkpoint_storage if checkpoint_storage is not None else self.checkpoint_storage
        running = run_events(self._gate, lambda: self._prepared_run(prepare, storage, stream), self._ended)
        events = WorkflowEventStream(running)
        if stream:
            if include_status_events is not None:
                raise WorkflowRunError(
                    "include_status_events only shapes the result of a run you wait for; a stream shows "
                    "every event as it happens. Drop it, or drop stream=True."
                )
            return events
        return self._collected(events, include_status_events)

    async def _collected(self, events: WorkflowEventStream, include_status_events: bool | None) -> WorkflowRunResult:
        result = await events.get_final_response()
        return result if include_status_events in (None, True) else result.with_status_apart()

    def _preparation(
        self,
        message: Any,
        responses: Mapping[str, Any] | None,
        checkpoint_id: str | None,
        checkpoint_storage: CheckpointStorage | None,
    ) -> Callable[[], Awaitable[RunMemory]]:
        """What makes the memory the run starts from; refuses a call that means nothing before
        anything runs."""
        if message is not None and (responses is not None or checkpoint_id is not None):
            raise WorkflowRunError(
                "Pass a message to start a new run, or responses={request_id: answer} / checkpoint_id=... "
                "to go on with one, not both: a run that goes on already has its input."
            )
        if checkpoint_id is not None:
            storage = checkpoint_storage if checkpoint_storage is not None else self.checkpoint_storage
            if storage is None:
                raise WorkflowRunError(
                    f"No checkpoint storage to restore from. Pass checkpoint_storage=... to run(), or give the "
                    f"workflow one: @workflow(checkpoint_storage=...) or {self.name}.build(checkpoint_storage=...)."
                )
            return lambda: self._restored(storage, checkpoint_id, responses)
        if responses is not None:
            paused = self._paused
            if paused is None:
                raise RequestResponseError(
                    f"Workflow '{self.name}' has no run waiting for answers: its last run ended, or never "
                    "started. Start one with run(message), or go on from a saved one with checkpoint_id=...."
                )
            memory = memory_from(self, paused)
            memory.take_answers(responses, self.name)  # a bad answer is refused here, before anything runs
            return lambda: self._ready(memory)
        if message is None and self.parameters.message is not None:
            raise WorkflowRunError(
                f"Nothing to run: workflow '{self.name}' takes an input ({self.parameters.message.name}); pass it "
                "with run(message). To go on with a run, pass responses={request_id: answer} or checkpoint_id=...."
            )
        if message is not None and self.parameters.message is None:
            raise WorkflowRunError(
                f"Workflow '{self.name}' takes no input, but run() was given {message!r}. Call run() without "
                "it, or give the function a parameter for it."
            )
        return lambda: self._ready(RunMemory(message=message))

    async def _ready(self, memory: RunMemory) -> RunMemory:
        return memory

    async def _restored(self, storage: CheckpointStorage, checkpoint_id: str, responses: Mapping[str, Any] | None) -> RunMemory:
        memory = memory_from(self, await storage.load_checkpoint(checkpoint_id))
        if responses is not None:
            memory.take_answers(responses, self.name)
        return memory

    async def _prepared_run(
        self, prepare: Callable[[], Awaitable[RunMemory]], storage: CheckpointStorage | None, streaming: bool
    ) -> FunctionalRun:
        return FunctionalRun(self, await prepare(), storage, streaming)

    def _ended(self, run: FunctionalRun) -> None:
        # A paused run can be answered; a run that finished or failed cannot.
        self._paused = run.pause_checkpoint

    async def call_function(self, message: Any, context: Any) -> Any:
        """Call the workflow function with `message` and `context` (see `FunctionalRun`)."""
        return await self.parameters.call(self.func, message, context)

    # --- where it stands ----------------------------------------------------------------------

    @property
    def is_running(self) -> bool:
        """True while a run of this workflow is going."""
        return self._gate.busy

    @property
    def pending_requests(self) -> dict[str, PendingRequest]:
        """The questions the paused run waits on, by request id (empty if no run waits)."""
        return {} if self._paused is None else memory_from(self, self._paused).pending

    # --- what the checkpoints compare -------------------------------------------------------

    def describe(self) -> dict[str, Any]:
        """The workflow as checkpoints record it: its name and the steps its function calls."""
        return {"workflow": self.name, "steps": sorted({found.name for found in steps_called_by(self.func)})}

    def signature(self) -> str:
        """A hash of the workflow's name, steps and function code, stored in its checkpoints so a
        checkpoint is never replayed into a function that changed since (its steps' results might
        not fit any more). It depends on the Python version, which compiles the code."""
        text = json.dumps({**self.describe(), "code": _code_digest(self.func.__code__)}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    # --- as an agent ----------------------------------------------------------------------------

    def as_agent(self, name: str | None = None, *, description: str | None = None) -> Any:
        """This workflow behind the `run(messages)` an agent has (a `FunctionalWorkflowAgent`)."""
        from .agent import FunctionalWorkflowAgent  # the agents package is only needed here

        return FunctionalWorkflowAgent(self, name=name, description=description)


def steps_called_by(func: Callable[..., Any]) -> list[Step[Any]]:
    """The steps `func` names (in its body and the functions nested in it), found in its globals
    and closure. A step reached another way (``module.some_step``) is not found, but the code
    digest of `FunctionalWorkflow.signature` still sees the call change."""
    code = func.__code__
    names = _global_names(code)
    scope = dict(getattr(func, "__globals__", {}))
    for name, cell in zip(code.co_freevars, getattr(func, "__closure__", None) or ()):
        try:
            scope[name] = cell.cell_contents
        except ValueError:  # a cell not filled yet
            continue
        names.add(name)
    return [scope[name] for name in sorted(names) if isinstance(scope.get(name), Step)]


def _global_names(code: CodeType) -> set[str]:
    names = {i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME", "LOAD_DEREF")}
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            names |= _global_names(constant)
    return {name for name in names if isinstance(name, str)}


def _code_digest(code: CodeType) -> str:
    """A hash of what a function does: its bytecode, the names and constants it uses, and the
    same of the functions nested in it (not its line numbers, so moving it changes nothing)."""
    digest = hashlib.sha256(code.co_code)
    digest.update(repr(code.co_names).encode())
    for constant in code.co_consts:
        digest.update(_constant_text(constant).encode())
    return digest.hexdigest()


def _constant_text(constant: Any) -> str:
    # The same in every process: a frozenset of strings (``x in {"a", "b"}``) is listed in an
    # order that changes from one process to the next, so its items are sorted.
    if isinstance(constant, CodeType):
        return _code_digest(constant)
    if isinstance(constant, tuple):
        return "(" + ",".join(_constant_text(item) for item in constant) + ")"
    if isinstance(constant, frozenset):
        return "{" + ",".join(sorted(_constant_text(item) for item in constant)) + "}"
    return repr(constant)


def workflow(
    func: Callable[..., Awaitable[Any]] | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    checkpoint_storage: CheckpointStorage | None = None,
) -> Any:
    """Make an async function a workflow (a `FunctionalWorkflow`), with or without options::

        @workflow
        async def pipeline(url: str) -> str: ...

        @workflow(name="pipeline", checkpoint_storage=InMemoryCheckpointStorage())
        async def pipeline(url: str, ctx: RunContext) -> str: ...

    The function takes at most one input (what ``run(message)`` gives it), and a `RunContext`
    in a parameter annotated so or named ``ctx`` if it asks questions, adds events or keeps
    state. Its return value, unless None, is the workflow's output.
    """
    if func is not None:
        return FunctionalWorkflow(func, name=name, description=description, checkpoint_storage=checkpoint_storage)
    return lambda actual: FunctionalWorkflow(
        actual, name=name, description=description, checkpoint_storage=checkpoint_storage
    )
