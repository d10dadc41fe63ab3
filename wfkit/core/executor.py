"""Executors: the nodes of a workflow graph.

An executor is an object with an id and one or more handlers. A message delivered to it is
passed to its most specific handler; whatever that handler sends travels along the
executor's out-edges to the next superstep.
"""

from __future__ import annotations

import builtins
import inspect
from typing import Any, Awaitable, Callable, ClassVar, Mapping, overload

from ..errors import HandlerSignatureError, WorkflowTypeError
from .blocking import run_blocking
from .handler import (
    HandlerFunc,
    HandlerSpec,
    accepted_types,
    best_handler,
    best_response_handler,
    collect_handlers,
    mark_declared_types,
    named_types,
    spec_from_function,
)
from .state import PendingRequest
from .typecheck import type_names


class Executor:
    """Base class of every workflow node. Subclass it and add `@handler` methods.

    >>> class Shout(Executor):
    ...     @handler
    ...     async def shout(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
    ...         await ctx.yield_output(text.upper())
    >>> Shout("shout").input_types
    (<class 'str'>,)
    """

    _class_handlers: ClassVar[tuple[HandlerSpec, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Read the handlers once per class, when it is defined, so a bad signature fails there.
        cls._class_handlers = collect_handlers(cls)
        register_handler_types(cls._class_handlers)

    def __init__(
        self,
        id: str,
        *,
        handlers: tuple[HandlerSpec, ...] | None = None,
        type: str | None = None,
        type_: str | None = None,
        defer_discovery: bool = False,
        **_: Any,
    ) -> None:
        """`id` names the executor in its workflow. The other keywords are Agent Framework's:

        `type` (or `type_`) is a label for the kind of executor, the class name by default.
        `defer_discovery` changes nothing here: wfkit reads a class's handlers once, when the
        class is defined, so there is nothing left to defer. Any other keyword is ignored, as
        Agent Framework ignores it, so ``super().__init__(id=id, **kwargs)`` works in both.
        """
        if not isinstance(id, str) or not id.strip():
            raise ValueError(f"An executor id must be a non-empty string, got {id!r}.")
        self.id = id
        self.type = self.type_ = type or type_ or builtins.type(self).__name__
        self._handlers = self._class_handlers if handlers is None else handlers
        self._dispatch_cache: dict[type, HandlerSpec | None] = {}
        self._cacheable = not any(spec.parametrized for spec in self._handlers)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id!r})"

    # --- what the executor accepts and declares -------------------------------------------

    @property
    def handlers(self) -> tuple[HandlerSpec, ...]:
        """Every handler of this executor, response handlers included."""
        return self._handlers

    @property
    def input_types(self) -> tuple[Any, ...]:
        """The message types this executor's handlers accept."""
        return accepted_types(self._handlers)

    @property
    def output_types(self) -> tuple[Any, ...]:
        """Every type some handler declares it may send (``WorkflowContext[T_Out]``)."""
        return _unique(t for spec in self._handlers for t in spec.output_types)

    @property
    def workflow_output_types(self) -> tuple[Any, ...]:
        """Every type some handler declares it may yield as workflow output."""
        return _unique(t for spec in self._handlers for t in spec.workflow_output_types)

    def can_handle(self, message: Any) -> bool:
        """True if some handler of this executor accepts `message`."""
        return self.handler_for(message) is not None

    def handler_for(self, message: Any) -> HandlerSpec | None:
        """The most specific handler for `message`, or None."""
        try:  # worked out once per type of message (see _dispatch_cache)
            return self._dispatch_cache[type(message)]
        except KeyError:
            spec = best_handler(self._handlers, message)
            if self._cacheable:
                self._dispatch_cache[type(message)] = spec
            return spec

    def response_handler_for(self, request: Any, response: Any) -> HandlerSpec | None:
        """The response handler for an answer to a request this executor made, or None."""
        return best_response_handler(self._handlers, request, response)

    def describe_inputs(self) -> str:
        """The accepted types as readable text, for error messages."""
        return type_names(self.input_types)

    # --- running ---------------------------------------------------------------------------

    def invoke(self, spec: HandlerSpec, message: Any, ctx: Any) -> Awaitable[None]:
        """Call one handler; the engine awaits what it returns. Function executors send a plain
        function's return value on."""
        return spec.func(self, message, ctx)  # the handler's own coroutine: nothing in between

    def invoke_response(self, spec: HandlerSpec, request: PendingRequest, response: Any, ctx: Any) -> Awaitable[None]:
        """Call one response handler with the original request's data and its answer."""
        return spec.func(self, request.data, response, ctx)

    def idle_warnings(self, state: dict[str, Any] | None) -> list[str]:
        """Anything about this executor a learner should hear when the run goes idle, given its
        saved state (e.g. a sub-workflow still waiting on a question nobody will answer)."""
        return []

    def describe(self) -> str:
        """What kind of node this is, for graph signatures (a checkpoint restores only into the
        same graph) and drawings. The class name, unless a subclass knows better."""
        return type(self).__qualname__

    # --- checkpoint hooks ------------------------------------------------------------------

    async def snapshot_state(self) -> dict[str, Any] | None:
        """Extra state of your own to keep in checkpoints (instance attributes, say).

        Override together with `restore_state` (or, by Agent Framework 1.x's names,
        `on_checkpoint_save` and `on_checkpoint_restore`). Most executors keep state with
        `ctx.set_state`, which is saved for you, and need neither.
        """
        return None

    async def restore_state(self, state: dict[str, Any]) -> None:
        """Take back what `snapshot_state` returned, when a checkpoint is restored."""

    async def on_checkpoint_save(self) -> dict[str, Any] | None:
        """`snapshot_state` by Agent Framework 1.x's name: override either one."""
        return await self.snapshot_state()

    async def on_checkpoint_restore(self, state: dict[str, Any]) -> None:
        """`restore_state` by Agent Framework 1.x's name: override either one."""
        await self.restore_state(state)


# Every type a handler has declared, in the order the handlers were defined. The checkpoint
# registry reads this record (`declared_types`), so those types can be saved without a manual
# registration; the core itself never needs it.
_declared_types: list[Any] = []


def register_handler_types(specs: tuple[HandlerSpec, ...]) -> None:
    """Record every type these handlers declare (see `declared_types`)."""
    for spec in specs:
        for annotation in (spec.message_type, spec.request_type, *spec.output_types, *spec.workflow_output_types):
            if annotation is not None:
                _declared_types.append(annotation)


def declared_types() -> list[Any]:
    """Every type annotation a handler has declared so far, oldest first (the list only grows)."""
    return _declared_types


async def executor_snapshots(executors: Mapping[str, Executor]) -> dict[str, Any]:
    """What each executor's `on_checkpoint_save()` (by default its `snapshot_state()`) returns, by
    id; executors that keep nothing are left out."""
    snapshots = {}
    for executor_id, executor in executors.items():
        snapshot = await executor.on_checkpoint_save()
        if snapshot is not None:
            snapshots[executor_id] = snapshot
    return snapshots


async def give_back_snapshots(executors: Mapping[str, Executor], snapshots: dict[str, Any]) -> None:
    """Hand each executor its snapshot (see `executor_snapshots`) through `on_checkpoint_restore`."""
    for executor_id, snapshot in snapshots.items():
        await executors[executor_id].on_checkpoint_restore(snapshot)


def _unique(items: Any) -> tuple[Any, ...]:
    seen: list[Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return tuple(seen)


class FunctionExecutor(Executor):
    """An executor made from one function: see `@executor`.

    An ``async def`` is awaited on the event loop. A plain ``def`` runs in a worker thread
    (`asyncio.to_thread`, as Agent Framework does), because it may block: ``time.sleep``, a
    file, a slow library call. Run on the loop, it would freeze every other executor, every
    notebook widget, and the timer of `with_timeout` itself. In the browser, where no thread
    can start, it runs inline instead (`run_blocking`).
    """

    def __init__(self, func: HandlerFunc, id: str | None = None) -> None:
        spec = spec_from_function(func, skip_self=False, allow_no_context=True)
        register_handler_types((spec,))
        super().__init__(id or func.__name__, handlers=(spec,))
        self.func = func
        self._is_async = inspect.iscoroutinefunction(func)
        self._spec = spec

    async def invoke(self, spec: HandlerSpec, message: Any, ctx: Any) -> None:
        args = (message, ctx) if spec.needs_context else (message,)
        if self._is_async:
            result = await self.func(*args)
        else:
            # `to_thread` copies the caller's context variables into the thread. A thread cannot
            # be stopped: if this wait is cancelled (a timeout), the function runs on to its end
            # in the background and what it returns is thrown away.
            result = await run_blocking(self.func, *args)
        if result is None:
            return
        if not spec.returns_message:
            raise WorkflowTypeError(
                f"@executor {self.id!r} returned {type(result).__name__}, but its return annotation "
                "does not say it returns a message. Annotate the return type (e.g. '-> str') or send "
                "with 'await ctx.send_message(...)'."
            )
        # Sent here, on the event loop and only once the function has returned: the thread
        # itself never writes into the run, so a call that timed out can send nothing later.
        await ctx.send_message(result)


@overload
def executor(func: HandlerFunc, /) -> FunctionExecutor: ...
@overload
def executor(
    *, id: str | None = None, input: Any = None, output: Any = None, workflow_output: Any = None
) -> Callable[[HandlerFunc], FunctionExecutor]: ...
def executor(
    func: HandlerFunc | None = None,
    /,
    *,
    id: str | None = None,
    input: Any = None,
    output: Any = None,
    workflow_output: Any = None,
) -> FunctionExecutor | Callable[[HandlerFunc], FunctionExecutor]:
    """Turn a function into an executor.

    The function may be ``async def f(message: T, ctx: WorkflowContext[...])``, or a plain
    ``def f(message: T) -> R`` whose return value is sent on::

        @executor(id="upper")
        def upper(text: str) -> str:
            return text.upper()

    A plain ``def`` runs in a worker thread, so it may block without stalling the run. It
    cannot await, so it sends by returning; given a ``ctx`` it may read it (``ctx.executor_id``,
    ``ctx.source_executor_ids``), but to send, yield or keep state, write an ``async def``.

    As with `handler`, the decorator may name the types instead of the annotations (Agent
    Framework 1.x): ``@executor(id="upper", input=str, output=str)``.
    """
    explicit = input is not None or output is not None or workflow_output is not None
    declared = named_types(input, output, workflow_output, "@executor") if explicit else None

    def wrap(function: HandlerFunc) -> FunctionExecutor:
        if not callable(function):
            raise HandlerSignatureError(f"@executor decorates a function, not {function!r}.")
        if declared is not None:
            mark_declared_types(function, declared)
        return FunctionExecutor(function, id=id)

    return wrap(func) if func is not None else wrap
