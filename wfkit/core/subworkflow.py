"""`WorkflowExecutor`: a whole workflow used as one executor of another.

The parent hands it a message; it starts a new *execution* of its child workflow, runs it until
the child is idle, and sends each of the child's outputs along its own out-edges. With no
out-edges (it is the last node), or with ``allow_direct_output=True``, it yields them as the
parent's outputs instead. Several executions may be in flight
at once, each waiting on its own requests; an answer goes to the execution that asked.

When the child asks for outside input, the request is offered to the parent first:

- a `RequestInfoMessage` goes, as a copy naming this executor as its `source_executor_id`, to a
  parent executor with a handler for its type; that one answers by sending
  ``RequestResponse(answer, request, request.request_id)`` to ``request.source_executor_id``;
- any request goes, wrapped in a `SubWorkflowRequestMessage`, to a parent executor with a
  handler for that; it answers by sending ``request.create_response(answer)`` back here;
- otherwise it surfaces to the parent's caller as a `RequestInfoEvent` with the same request id.

Every execution's `RunState` is kept in this executor's state (`ctx.set_executor_state`), so it is saved
inside the parent's checkpoints and restored with them, in a new process too.

The parent run's keywords for its agents (``workflow.run(..., function_invocation_kwargs=...)``,
see `run_keywords`) reach the agents inside: each time an execution runs, it gets the parent's
as they are then (`WorkflowInvocationKwargs.for_sub_workflow`).
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Awaitable, Union, get_origin

from ..errors import SubWorkflowError, WorkflowTypeError
from .context import WorkflowContext
from .events import (
    ExecutorEvent,
    ExecutorInvokedEvent,
    RequestInfoEvent,
)
from .executor import Executor, executor_snapshots, give_back_snapshots, register_handler_types
from .handler import HandlerSpec
from .run import WorkflowRun
from .requests import RequestInfoExecutor, RequestInfoMessage, RequestResponse
from .state import PendingRequest, RunState
from .typecheck import flatten, is_any, is_instance, match_score, type_name

if TYPE_CHECKING:
    from .workflow import Workflow

EXECUTIONS_KEY = "executions"  # execution id -> the child's RunState, while it waits for answers
SURFACED_KEY = "asked_outside"  # ids of the child's requests that went to the parent's caller


# --- the messages between a sub-workflow and its parent ---------------------------------------


@dataclass(eq=False, repr=False)
class SubWorkflowRequestInfoEvent(RequestInfoEvent):
    """The `RequestInfoEvent` a sub-workflow emitted, as a dataclass so checkpoints can hold it
    (a parent may keep a `SubWorkflowRequestMessage` in its state until it has an answer)."""

    request_id: str
    source_executor_id: str
    request_type: type
    data: Any
    response_type: Any


@dataclass
class SubWorkflowResponseMessage:
    """An answer to a sub-workflow's request, sent by a parent executor to the `WorkflowExecutor`.

    Make one with ``request.create_response(answer)``; `source_event` says which request it answers.
    """

    data: Any
    source_event: SubWorkflowRequestInfoEvent


@dataclass
class SubWorkflowRequestMessage:
    """A sub-workflow's request, offered to the parent executors that handle this type.

    `source_event` is the request as the child made it (``source_event.data`` is the question);
    `executor_id` is the `WorkflowExecutor` that waits for the answer::

        @handler
        async def answer(self, request: SubWorkflowRequestMessage, ctx: WorkflowContext[SubWorkflowResponseMessage]):
            await ctx.send_message(request.create_response(True), target_id=request.executor_id)
    """

    source_event: SubWorkflowRequestInfoEvent
    executor_id: str

    def create_response(self, data: Any) -> SubWorkflowResponseMessage:
        """Wrap `data` as the answer to this request; it must be the type the child expects."""
        expected = self.source_event.response_type
        if not is_instance(data, expected):
            raise WorkflowTypeError(
                f"Request {self.source_event.request_id!r} of sub-workflow '{self.executor_id}' expects a "
                f"{type_name(expected)} answer, got {type(data).__name__}: {data!r}."
            )
        return SubWorkflowResponseMessage(data=data, source_event=self.source_event)


# --- the executor -------------------------------------------------------------------------


class WorkflowExecutor(Executor):
    """Run `workflow` as a single executor inside a parent workflow.

    >>> review = WorkflowExecutor(approval_workflow, id="approval")
    >>> parent = WorkflowBuilder().add_edge(router, review).add_edge(review, finaliser)...

    The child's outputs travel on along this executor's out-edges. When it has none (it is the
    last node of the parent), they become the parent's outputs, each a `WorkflowOutputEvent`
    from this executor's id; ``allow_direct_output=True`` makes them the parent's outputs even
    when it has out-edges (those then carry only the child's requests).

    The child's requests are offered to the parent's executors first (see the module docstring);
    ``propagate_request=True`` (Agent Framework 1.x) sends each straight to the caller instead.
    """

    def __init__(
        self,
        workflow: Workflow,
        id: str | None = None,
        allow_direct_output: bool = False,
        propagate_request: bool = False,
    ) -> None:
        self.workflow = workflow
        self.allow_direct_output = allow_direct_output
        self.propagate_request = propagate_request
        # Answers reach the child through the answer path, never as a message that starts a run.
        inputs = tuple(t for t in workflow.start_executor.input_types if not _is_answer_type(t))
        outputs = child_output_types(workflow)
        requests = child_request_types(workflow)
        asks = (SubWorkflowRequestMessage,) if requests or _child_can_ask(workflow) else ()
        sends = (() if allow_direct_output else outputs) + requests + asks
        # Whether the outputs are sent or yielded is settled per run (`_drive`): the edges from
        # this node are not known yet. So it declares it may yield them either way.
        yields = outputs
        handlers = (
            HandlerSpec("run_child", WorkflowExecutor._run_child, _union(inputs), sends, yields),
            HandlerSpec("take_intercepted_answer", WorkflowExecutor._take_answer, RequestResponse, sends, yields),
            HandlerSpec("take_sub_workflow_response", WorkflowExecutor._take_response, SubWorkflowResponseMessage, sends, yields),
            HandlerSpec(
                "take_outside_answer", WorkflowExecutor._take_outside_answer, Any, sends, yields,
                request_type=Any, is_response_handler=True,
            ),
        )
        register_handler_types(handlers)
        super().__init__(id or workflow.name or "sub_workflow", handlers=handlers)

    def __repr__(self) -> str:
        return f"WorkflowExecutor(id={self.id!r}, workflow={self.workflow!r})"

    def describe(self) -> str:
        # The child's graph is part of the parent's: a changed child must not restore silently.
        return f"WorkflowExecutor[{self.workflow.graph_signature()}]"

    # --- the four ways in -----------------------------------------------------------------

    async def _run_child(self, message: Any, ctx: WorkflowContext[Any]) -> None:
        """A message from the parent starts a new execution of the child, next to any that wait."""
        # Each execution is a run of its own, registered nowhere, so one workflow may be wrapped
        # twice, or run on its own too. It saves no checkpoints: its state is saved inside the
        # parent's (see `_drive`).
        child = WorkflowRun.starting(self.workflow, message, save_checkpoints=False)
        self._hand_on_run_kwargs(child, ctx)
        await self._drive(str(uuid.uuid4()), child, ctx)

    async def _take_answer(self, answer: RequestResponse, ctx: WorkflowContext[Any]) -> None:
        """A parent executor answered one of the child's `RequestInfoMessage`s itself."""
        await self._answer_child(answer.request_id, answer.data, ctx)

    async def _take_response(self, response: SubWorkflowResponseMessage, ctx: WorkflowContext[Any]) -> None:
        """A parent executor answered a `SubWorkflowRequestMessage` (``request.create_response``)."""
        await self._answer_child(response.source_event.request_id, response.data, ctx)

    def invoke_response(self, spec: HandlerSpec, request: PendingRequest, response: Any, ctx: Any) -> Awaitable[None]:
        # The whole request, not only its data as for other executors: its id says which
        # execution of the child asked.
        return spec.func(self, request, response, ctx)

    async def _take_outside_answer(self, request: PendingRequest, answer: Any, ctx: WorkflowContext[Any]) -> None:
        """The outside world answered a request the child made (``send_responses``)."""
        await self._answer_child(request.request_id, answer, ctx)

    # --- running the child ------------------------------------------------------------------

    async def _answer_child(self, request_id: str, answer: Any, ctx: WorkflowContext[Any]) -> None:
        executions = await self._executions(ctx)
        execution_id = next((e for e, run in executions.items() if request_id in run.pending_requests), None)
        if execution_id is None:
            raise SubWorkflowError(
                f"Sub-workflow '{self.id}' has no pending request {request_id!r} to give this answer to."
            )
        # Work on a copy: if this step fails, the saved child state must stay as it was.
        child = WorkflowRun(self.workflow, copy.deepcopy(executions[execution_id]), save_checkpoints=False)
        child.answer({request_id: answer})
        self._hand_on_run_kwargs(child, ctx)
        await self._drive(execution_id, child, ctx)

    def _hand_on_run_kwargs(self, child: WorkflowRun, ctx: WorkflowContext[Any]) -> None:
        """Give the child's run the parent run's keywords for the agents inside it."""
        child.state.run_kwargs = {name: kw.for_sub_workflow(self.id) for name, kw in ctx.run_kwargs.items()}

    async def _drive(self, execution_id: str, child: WorkflowRun, ctx: WorkflowContext[Any]) -> None:
        """Run one execution of the child to idle, passing its outputs, requests and executor
        events to the parent, then save it (or forget it, when it waits for nothing)."""
        requests: list[RequestInfoEvent] = []
        # A last node has nobody to send the child's outputs to: they are the parent's results.
        direct = self.allow_direct_output or not ctx.successor_ids
        async for event in child.stream():
            match event.type:
                case "output" if direct:
                    await ctx.yield_output(event.data)
                case "output":
                    await ctx.send_message(event.data)
                case "request_info":
                    requests.append(event)
                case "failed":
                    # From the child's own exception, so the parent's WorkflowFailedError leads to
                    # it: error.__cause__ is this SubWorkflowError, and its __cause__ the original.
                    raise SubWorkflowError(f"Sub-workflow '{self.id}' failed: {event.details!r}") from event.details.exception
                case _ if isinstance(event, ExecutorEvent):  # any event about one of its executors
                    await ctx.add_event(_nested(event, self.id))
        saved = await ctx.get_executor_state() or {}
        executions = dict(saved.get(EXECUTIONS_KEY, {}))  # a new dict: the saved one is committed state
        if child.state.pending_requests:
            child.state.run_kwargs = {}  # not kept: it gets the parent's again when it goes on
            executions[execution_id] = child.state
        else:
            executions.pop(execution_id, None)
        waiting = {request_id for run in executions.values() for request_id in run.pending_requests}
        surfaced = self._surfaced(saved) & waiting
        for request in requests:
            if self.propagate_request or not await self._offer_to_parent(request, ctx):
                asked = self._as_seen_by_parent(request.data)
                await ctx.request_info(asked, request.response_type, request_id=request.request_id)
                surfaced.add(request.request_id)
        await ctx.set_executor_state({EXECUTIONS_KEY: executions, SURFACED_KEY: sorted(surfaced)})

    async def _offer_to_parent(self, request: RequestInfoEvent, ctx: WorkflowContext[Any]) -> bool:
        """Send the child's request to the parent executors that handle it; False if none does."""
        asked = self._as_seen_by_parent(request.data)
        if isinstance(asked, RequestInfoMessage) and self._declares(asked) and self._a_successor_handles(asked, ctx):
            await ctx.send_message(asked)
            return True
        wrapped = SubWorkflowRequestMessage(
            SubWorkflowRequestInfoEvent(
                request.request_id, request.source_executor_id, request.request_type, asked, request.response_type
            ),
            executor_id=self.id,
        )
        if self._declares(wrapped) and self._a_successor_handles(wrapped, ctx):
            await ctx.send_message(wrapped)
            return True
        return False

    def _as_seen_by_parent(self, request: Any) -> Any:
        """A `RequestInfoMessage` as the parent sees it: a copy whose `source_executor_id` is this
        executor, where the parent sends its answer. The child's own object is never changed."""
        if not isinstance(request, RequestInfoMessage):
            return request
        asked = copy.copy(request)
        asked.source_executor_id = self.id
        return asked

    def _declares(self, message: Any) -> bool:
        return any(match_score(message, t) is not None for t in self.output_types if not is_any(t))

    @staticmethod
    def _a_successor_handles(message: Any, ctx: WorkflowContext[Any]) -> bool:
        """True if a parent executor downstream has a handler written for this message's type
        (a catch-all ``Any`` handler does not count: it was not written to answer requests)."""
        for target_id in ctx.successor_ids:
            spec = ctx.get_executor(target_id).handler_for(message)
            if spec is not None and not is_any(spec.message_type):
                return True
        return False

    async def snapshot_state(self) -> dict[str, Any] | None:
        """The child executors' own snapshots (see `Executor.snapshot_state`), by executor id."""
        return await executor_snapshots(self.workflow.executors) or None

    async def restore_state(self, state: dict[str, Any]) -> None:
        """Hand each child executor back its snapshot from the parent's checkpoint."""
        await give_back_snapshots(self.workflow.executors, state)

    def idle_warnings(self, state: dict[str, Any] | None) -> list[str]:
        """Warn about child requests a parent executor took (interception) but never answered."""
        executions = {} if state is None else state.get(EXECUTIONS_KEY, {})
        return [
            f"Sub-workflow '{self.id}' is still waiting for an answer to request {request_id!r} "
            f"({type(request.data).__name__}), which a parent executor took but never answered. Send "
            f"RequestResponse(answer, request, request.request_id) (or request.create_response(answer) "
            f"for a SubWorkflowRequestMessage) back to '{self.id}' from that executor."
            for run in executions.values()
            for request_id, request in run.pending_requests.items()
            if request_id not in self._surfaced(state or {})
        ]

    @staticmethod
    def _surfaced(state: dict[str, Any]) -> set[str]:
        return set(state.get(SURFACED_KEY, ()))

    async def _executions(self, ctx: WorkflowContext[Any]) -> dict[str, RunState]:
        saved = await ctx.get_executor_state()
        return {} if saved is None else saved.get(EXECUTIONS_KEY, {})


def _nested(event: ExecutorEvent, parent_id: str) -> ExecutorEvent:
    """The child's executor event, its executor id prefixed with the sub-workflow's id."""
    nested = copy.copy(event)
    nested.executor_id = f"{parent_id}/{event.executor_id}"
    if isinstance(nested, ExecutorInvokedEvent):
        nested.source_executor_ids = tuple(f"{parent_id}/{s}" for s in nested.source_executor_ids)
    return nested


def _is_answer_type(tp: Any) -> bool:
    return tp is RequestResponse or get_origin(tp) is RequestResponse


def _child_can_ask(workflow: Workflow) -> bool:
    """True if some executor of the child may make a request (a response handler, of any type)."""
    return any(
        isinstance(executor, RequestInfoExecutor) or any(spec.is_response_handler for spec in executor.handlers)
        for executor in workflow.executors.values()
    )


def _union(types: tuple[Any, ...]) -> Any:
    return Union[types] if len(types) > 1 else (types[0] if types else Any)  # type: ignore[return-value]


def child_output_types(workflow: Workflow) -> tuple[Any, ...]:
    """What a child workflow can yield: it becomes what its WorkflowExecutor sends."""
    found: list[Any] = []
    for executor in workflow.executors.values():
        for tp in executor.workflow_output_types:
            if tp not in found:
                found.append(tp)
    return tuple(found)


def child_request_types(workflow: Workflow) -> tuple[Any, ...]:
    """The request types a child workflow may ask the outside about (so the parent may intercept)."""
    found: list[Any] = []
    for executor in workflow.executors.values():
        for spec in executor.handlers:
            if spec.is_response_handler and not is_any(spec.request_type):
                found.extend(t for t in flatten(spec.request_type) if t not in found)
        if isinstance(executor, RequestInfoExecutor):
            for source_id, source in workflow.executors.items():
                if executor.id in workflow.successors(source_id):
                    found.extend(
                        t
                        for t in source.output_types
                        if isinstance(t, type) and issubclass(t, RequestInfoMessage) and t not in found
                    )
    return tuple(found)
