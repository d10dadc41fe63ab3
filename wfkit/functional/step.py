"""`@step`: a function whose result the run keeps, so a replay does not run it again.

Inside a running `@workflow`, calling a step does one of two things:

- the run already has the result of this very call (same step, same arguments, same place among
  such calls): it hands that back at once and says so with an `ExecutorBypassedEvent`;
- it has not: the step runs, between an `ExecutorInvokedEvent` and an `ExecutorCompletedEvent`
  (or `ExecutorFailedEvent`), and the run keeps what it returned, written down as data. With a
  checkpoint storage, a checkpoint is saved after each step that finishes, before its
  `ExecutorCompletedEvent`: a reader who sees that event can rely on the checkpoint.

Outside a workflow a step is the plain function, so it can be called and tested on its own.
Plain async functions work inside a workflow too; they just run again on every replay, which is
fine for cheap work and wasteful (or wrong) for a model call or anything with side effects.
"""

from __future__ import annotations

import functools
import time
from typing import Any, Awaitable, Callable, Generic, TypeVar, overload

from ..core.events import ExecutorCompletedEvent, ExecutorFailedEvent, ExecutorInvokedEvent, WorkflowErrorDetails
from ..errors import WorkflowTypeError
from .calling import bind_step_call, context_parameter, register_annotated_types, require_async
from .context import current_run
from .events import ExecutorBypassedEvent
from .memory import StepRecord

R = TypeVar("R")


class Step(Generic[R]):
    """An async function made a step by `@step`: call it as you would the function.

    `name` is how events and checkpoints name it (the function's name unless given).
    `replay_key`, if given, is called with the step's arguments and returns the text that
    tells its calls apart, in place of the arguments themselves (see `step`).
    """

    def __init__(
        self, func: Callable[..., Awaitable[R]], name: str | None = None, replay_key: Callable[..., str] | None = None
    ) -> None:
        require_async(func, "@step")
        self.func = func
        self.name = name or func.__name__
        self.replay_key = replay_key
        self.context_parameter = context_parameter(func)
        register_annotated_types(func)
        functools.update_wrapper(self, func)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"Step({self.name!r})"

    async def __call__(self, *args: Any, **kwargs: Any) -> R:
        run = current_run()
        if run is None:  # outside a workflow: just the function
            return await self.func(*args, **kwargs)
        run.check_can_start_step()
        call = bind_step_call(self.func, self.context_parameter, args, kwargs, run.context)
        if self.replay_key is not None:
            call.saved_arguments = {"replay_key": self._key_of(args, kwargs)}
        key = run.memory.steps.next_key(self.name, call.saved_arguments)
        finished = run.memory.steps.finished(key)
        if finished is not None:
            run.skip_questions(finished.questions)  # the questions it asked keep their numbers
            run.emit(ExecutorBypassedEvent(self.name, finished.result))
            return finished.result

        async with run.step_under_way(self.name) as questions:
            run.emit(ExecutorInvokedEvent(self.name, {"args": args, "kwargs": kwargs}))
            started = time.perf_counter()
            try:
                result = await self.func(*call.args, **call.kwargs)
            except Exception as error:
                details = WorkflowErrorDetails.from_exception(error, executor_id=self.name)
                run.emit(ExecutorFailedEvent(self.name, details, duration=time.perf_counter() - started))
                run.note_failure(error, self.name)
                raise
            record = StepRecord(self.name, call.saved_arguments, key[2], result, questions=questions.count)
            run.finish_step(record)
            await run.save_after_step(record)  # saved before the event says it is done
            run.emit(ExecutorCompletedEvent(self.name, result, duration=time.perf_counter() - started))
            await run.keep_pace()
            return result

    def _key_of(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
        key = self.replay_key(*args, **kwargs)  # type: ignore[misc]
        if not isinstance(key, str) or not key:
            raise WorkflowTypeError(
                f"replay_key of step '{self.name}' returned {key!r}; it must return a non-empty string that "
                "tells this call apart from the step's other calls (an id, say)."
            )
        return key


@overload
def step(func: Callable[..., Awaitable[R]]) -> Step[R]: ...
@overload
def step(
    *, name: str | None = None, replay_key: Callable[..., str] | None = None
) -> Callable[[Callable[..., Awaitable[R]]], Step[R]]: ...


def step(
    func: Callable[..., Awaitable[Any]] | None = None,
    *,
    name: str | None = None,
    replay_key: Callable[..., str] | None = None,
) -> Any:
    """Make an async function a step of functional workflows: its result is kept, so a paused or
    restored run does not run it again (see the module docstring)::

        @step
        async def write_draft(topic: str) -> str:
            return (await writer.run(f"Write about {topic}")).text

        @step(name="review")
        async def ask_reviewer(draft: str, ctx: RunContext) -> str:
            return await ctx.request_info({"draft": draft}, str)

    A step may take a `RunContext` (a parameter annotated so, or named ``ctx``); wfkit passes it.
    Its result must be data a checkpoint can hold (plain values, dataclasses,
    enums, pydantic models) if the run is saved or pauses.

    A replay recognises a call by its arguments. When they are not data (a client, a
    connection), give `replay_key`: a function of the same arguments returning a text that
    names the call, ``@step(replay_key=lambda db, record_id: record_id)`` (Agent Framework
    1.26's option). Without it such calls are told apart only by their order.
    """
    if func is not None:
        return Step(func, name=name, replay_key=replay_key)
    return lambda actual: Step(actual, name=name, replay_key=replay_key)
