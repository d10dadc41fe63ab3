"""`RunContext`: what a `@workflow` function, or a `@step` that asks for it, can do besides compute.

A functional workflow is a plain async function. Most of it needs nothing from wfkit; the few
things that do go through a `RunContext`, which wfkit passes to any parameter annotated
``RunContext`` or named ``ctx``::

    @workflow
    async def review(topic: str, ctx: RunContext) -> str:
        draft = await write_draft(topic)
        verdict = await ctx.request_info({"draft": draft}, str)   # the run pauses here
        return f"{draft} ({verdict})"

The context belongs to one run: the run that is executing sets it for its own task, and every
task the function starts (``asyncio.gather``) inherits it, so `get_run_context()` finds it from
anywhere inside the run.

`RunStopped` (in `wfkit.errors`) is how a run stops the function where it stands (at a question
nobody has answered yet, say). It is not an error: it derives from `BaseException`, so your
``except Exception`` blocks let it through, and the run catches it.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Iterator

from ..core.events import WorkflowEvent
from ..errors import WorkflowTypeError

if TYPE_CHECKING:
    from .run import FunctionalRun


_current_run: ContextVar[FunctionalRun | None] = ContextVar("wfkit_functional_run", default=None)


def current_run() -> FunctionalRun | None:
    """The functional run executing in this task, or None outside one."""
    return _current_run.get()


@contextmanager
def running(run: FunctionalRun) -> Iterator[None]:
    """Make `run` the current run of this task (and of the tasks it starts) while the block runs."""
    token = _current_run.set(run)
    try:
        yield
    finally:
        _current_run.reset(token)


def get_run_context() -> RunContext | None:
    """The `RunContext` of the run executing here, or None outside a `@workflow` run.

    For code deep inside a workflow that was not handed the context::

        async def log(line: str) -> None:
            ctx = get_run_context()
            if ctx is not None:
                await ctx.add_event(ProgressEvent(line))
    """
    run = current_run()
    return None if run is None else run.context


class RunContext:
    """What a workflow function can do besides compute: ask a person, say something, keep state.

    wfkit passes it to the parameter annotated ``RunContext`` (or named ``ctx``) of a
    `@workflow` function and of a `@step` function; leave the parameter out when you need none
    of this.

    - ``await ctx.request_info(data, response_type)``: ask the outside world and get the answer.
    - ``await ctx.add_event(event)``: put an event of your own in the run's event stream.
    - ``await ctx.yield_output(value)``: a workflow output before the function returns (wfkit's
      own; in Agent Framework 1.x the return value is the output).
    - ``ctx.get_state(key, default)`` / ``ctx.set_state(key, value)``: values kept for the whole
      run, across pauses and in its checkpoints.
    """

    def __init__(self, run: FunctionalRun) -> None:
        self._run = run

    def __repr__(self) -> str:
        return f"RunContext(workflow={self.workflow_name!r})"

    @property
    def workflow_name(self) -> str:
        """The name of the workflow this run belongs to."""
        return self._run.workflow.name

    async def request_info(self, request_data: Any, response_type: Any, *, request_id: str | None = None) -> Any:
        """Ask for something only the outside world knows, and get the answer.

        The first time the run reaches this line, it emits a `RequestInfoEvent` carrying
        `request_data` and stops here: the run ends waiting (IDLE_WITH_PENDING_REQUESTS).
        ``run(responses={request_id: answer})`` then runs the function again from the top; every
        `@step` that finished hands back its saved result, and this call returns `answer`,
        which must be a `response_type`.

        Without `request_id`, questions are numbered in the order they are asked
        (``"auto::0"``, ``"auto::1"``...), so replaying asks the same question under the same
        id. Give your own id when branches run side by side (``asyncio.gather``), where the
        order can change.
        """
        return await self._run.ask(request_data, response_type, request_id)

    async def add_event(self, event: WorkflowEvent) -> None:
        """Put an event of your own (a `WorkflowEvent` subclass) in the run's event stream.

        Events added outside a `@step` are added again on each replay, as everything outside a
        step happens again.
        """
        if not isinstance(event, WorkflowEvent):
            raise WorkflowTypeError(
                f"add_event takes a WorkflowEvent, got {type(event).__name__}. Subclass WorkflowEvent for "
                "events of your own."
            )
        self._run.add_event(event)

    async def yield_output(self, output: Any) -> None:
        """Give a workflow output now, before the function returns (an event of type "output").

        wfkit's own: Agent Framework 1.x has no ``yield_output`` on its `RunContext`, and takes
        the function's return value as its output. Code meant to run on both returns it.
        """
        self._run.yield_output(output)

    def get_state(self, key: str, default: Any = None) -> Any:
        """The value set under `key` in this run (by the function or any step), else `default`."""
        return self._run.get_state(key, default)

    def set_state(self, key: str, value: Any) -> None:
        """Keep `value` under `key` for the rest of the run: across pauses, and in its checkpoints
        (so it must be data a checkpoint can hold, if the run is saved or pauses)."""
        self._run.set_state(key, value)

    def is_streaming(self) -> bool:
        """True if the run was started with ``run(..., stream=True)``."""
        return self._run.streaming
