"""`WorkflowContext`: what a handler can do while it runs.

A fresh context is made for every handler call. It checks what the handler sends against its
``WorkflowContext[T_Out, T_W_Out]`` annotation, and writes into the call's `Call` (see
`step.py`): what it sends is delivered in the next superstep, and what it writes is kept only
if the handler returns.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, Mapping, TypeVar

from ..errors import WorkflowTypeError
from .events import WorkflowEvent
from .typecheck import Never, is_any, match_score, type_names

if TYPE_CHECKING:
    from .engine import Engine
    from .handler import HandlerSpec
    from .run_keywords import WorkflowInvocationKwargs
    from .step import Call

T_Out = TypeVar("T_Out")
T_W_Out = TypeVar("T_W_Out")


_NOT_GIVEN: Any = object()  # "no argument here": tells the two eras of get_state/set_state apart

class WorkflowContext(Generic[T_Out, T_W_Out]):
    """The handle a handler uses to talk to the workflow.

    ``WorkflowContext[T_Out, T_W_Out]``: the handler may `send_message` values of type `T_Out`
    and `yield_output` values of type `T_W_Out`. ``WorkflowContext`` alone allows neither;
    ``WorkflowContext[Never, str]`` only yields strings.
    """

    __slots__ = ("_engine", "_call", "_executor_id", "_spec", "_source_ids")

    def __class_getitem__(cls, params: Any) -> Any:
        # WorkflowContext[T] is short for WorkflowContext[T, Never]: sends T, yields nothing.
        if not isinstance(params, tuple):
            params = (params, Never)
        return super().__class_getitem__(params)  # type: ignore[misc]

    def __init__(self, engine: Engine, call: Call, spec: HandlerSpec, source_ids: tuple[str, ...]) -> None:
        self._engine = engine
        self._call = call
        self._executor_id = call.executor_id
        self._spec = spec
        self._source_ids = source_ids

    @property
    def executor_id(self) -> str:
        """The id of the executor whose handler is running."""
        return self._executor_id

    @property
    def source_executor_ids(self) -> tuple[str, ...]:
        """Who sent the message being handled (several for a fan-in)."""
        return self._source_ids

    @property
    def is_streaming(self) -> bool:
        """True when the run is consumed as a stream, so partial results (such as an agent's
        tokens as they arrive) are worth emitting as events."""
        return self._engine.streaming

    @property
    def is_named_for_output(self) -> bool:
        """True if the workflow was built naming this executor in ``output_from=`` or
        ``intermediate_output_from=``: an agent then yields its answers even without
        ``output_response=True``, as Agent Framework 1.x's agents do."""
        return self._engine.workflow.outputs_shown.get(self._executor_id, "hidden") != "hidden"

    @property
    def run_kwargs(self) -> Mapping[str, WorkflowInvocationKwargs]:
        """The keywords this run was given for its agents, by name (``"function_invocation_kwargs"``,
        ``"client_kwargs"``; only those given). Read-only: the run sets them, see `run_keywords`.
        ``ctx.run_kwargs["client_kwargs"].for_executor(ctx.executor_id)`` is what this executor's
        agent gets."""
        return MappingProxyType(self._engine.state.run_kwargs)

    @property
    def successor_ids(self) -> set[str]:
        """Ids of the executors this one has an edge to."""
        return self._engine.workflow.successors(self._executor_id)

    def get_executor(self, executor_id: str) -> Any:
        """Another executor of this workflow, by id (to read what it declares, not to call it)."""
        return self._engine.workflow.get_executor(executor_id)

    async def send_message(self, message: Any, target_id: str | None = None) -> None:
        """Send `message` along this executor's out-edges (only to `target_id` if given).

        It is delivered in the next superstep.
        """
        spec = self._spec
        if spec.sendable is None or type(message) not in spec.sendable:
            self._check(message, spec.output_types, "send", "first", spec.sendable)
        self._engine.send(self._call, message, target_id)

    async def yield_output(self, output: Any) -> None:
        """Publish `output` as a result of the workflow (a `WorkflowOutputEvent`)."""
        spec = self._spec
        if spec.yieldable is None or type(output) not in spec.yieldable:
            self._check(output, spec.workflow_output_types, "yield", "second", spec.yieldable)
        self._engine.yield_output(self._call, output)

    async def add_event(self, event: WorkflowEvent) -> None:
        """Emit an event of your own (a `WorkflowEvent` subclass) into the run's event stream."""
        if not isinstance(event, WorkflowEvent):
            raise WorkflowTypeError(
                f"add_event takes a WorkflowEvent, got {type(event).__name__}. Subclass WorkflowEvent "
                "for custom events."
            )
        self._engine.emit(event)

    # `get_state` and `set_state` mean two things, one per era of Agent Framework, told apart by
    # how they are called (why, and what the lessons teach: docs/agent_framework.md, row D7):
    #   ctx.get_state(key, default) / ctx.set_state(key, value)  today: the workflow's shared state
    #   await ctx.get_state() / await ctx.set_state(dict)          the seed era: this executor's own

    def get_state(self, key: Any = _NOT_GIVEN, default: Any = None) -> Any:
        """A value of the workflow's shared state: ``ctx.get_state("topic", "none yet")`` gives the
        value under `key`, or `default` if no executor has set it (Agent Framework 1.x).

        Called with no key, as in the seed era, ``await ctx.get_state()`` gives this executor's
        private state instead: a dict saved in checkpoints, or None if never set.
        """
        if key is _NOT_GIVEN:
            return self._private_state()
        return self._call.get_shared(key, default)

    def set_state(self, key: Any, value: Any = _NOT_GIVEN) -> Any:
        """Set a value of the workflow's shared state: ``ctx.set_state("topic", "cats")`` (Agent
        Framework 1.x). Every executor sees it from the next superstep; it is kept only if this
        superstep succeeds.

        Called with one dict, as in the seed era, ``await ctx.set_state({...})`` replaces this
        executor's private state instead.
        """
        if value is _NOT_GIVEN:
            if not isinstance(key, dict):
                raise WorkflowTypeError(
                    f"set_state with one argument replaces this executor's own state, and takes a dict; got "
                    f"{type(key).__name__}. To set a shared value, give a key and a value: ctx.set_state(key, value)."
                )
            return self._replace_private_state(key)
        self._call.set_shared(key, value)
        return None

    async def _private_state(self) -> dict[str, Any] | None:
        return self._call.get_state()

    async def _replace_private_state(self, state: dict[str, Any]) -> None:
        self._call.state = state

    # Agent Framework's later names for the same two calls (python-1.0.0b251104 on).
    async def get_executor_state(self) -> dict[str, Any] | None:
        """This executor's private state, or None if never set (``await ctx.get_state()``)."""
        return self._call.get_state()

    async def set_executor_state(self, state: dict[str, Any]) -> None:
        """Replace this executor's private state (``await ctx.set_state(dict)``)."""
        await self.set_state(state)

    async def get_shared_state(self, key: str) -> Any:
        """A workflow-wide value set by any executor; raises KeyError naming the keys that exist."""
        return self._call.get_shared(key)

    async def set_shared_state(self, key: str, value: Any) -> None:
        """Set a workflow-wide value. Kept only if the superstep succeeds."""
        self._call.set_shared(key, value)

    async def request_info(self, request_data: Any, response_type: Any, *, request_id: str | None = None) -> str:
        """Pause for an answer from outside (usually a human); returns the request id.

        Emits a `RequestInfoEvent`. The answer, once given with `send_responses`, is delivered
        to this executor's `@response_handler` for (type of `request_data`, `response_type`).
        """
        return self._engine.request_info(self._call, request_data, response_type, request_id)

    def _check(self, value: Any, allowed: tuple[Any, ...], verb: str, position: str, known: set[type] | None) -> None:
        if allowed and (is_any(allowed[0]) or any(match_score(value, tp) is not None for tp in allowed)):
            if known is not None:
                known.add(type(value))  # the next value of this type needs no check
            return
        spec = self._spec
        declared = type_names(allowed)
        raise WorkflowTypeError(
            f"Handler '{spec.name}' of executor '{self._executor_id}' tried to {verb} a "
            f"{type(value).__name__}, but its WorkflowContext declares it may {verb} {declared}. "
            f"Add {type(value).__name__} to the {position} parameter of WorkflowContext[...] "
            f"in the handler's signature."
        )
