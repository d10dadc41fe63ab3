"""`WorkflowExecutor`: a whole workflow used as one executor of another.

The parent hands it a message; it runs its child workflow until the child is idle, and sends
each of the child's outputs along its own out-edges. When the child asks for outside input
with a `RequestInfoMessage`, the request is offered first to the parent's executors downstream
(one with a handler for that request type may answer it itself, by sending back a
`RequestResponse`); otherwise it surfaces to the parent's caller as a `RequestInfoEvent` with
the same request id. The answer finds its way back into the child.

The child's whole `RunState` is kept in this executor's state (`ctx.set_state`), so it is
saved inside the parent's checkpoints and restored with them, in a new process too.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, AsyncIterator, Union, get_origin

from ..errors import SubWorkflowError
from .context import WorkflowContext
from .events import (
    ExecutorEvent,
    ExecutorInvokedEvent,
    RequestInfoEvent,
    WorkflowEvent,
    WorkflowFailedEvent,
    WorkflowOutputEvent,
)
from .executor import Executor, executor_snapshots, give_back_snapshots, register_handler_types
from .handler import HandlerSpec
from .requests import RequestInfoExecutor, RequestInfoMessage, RequestResponse
from .state import PendingRequest, RunState
from .typecheck import flatten, is_any, match_score

if TYPE_CHECKING:
    from .workflow import Workflow

CHILD_STATE_KEY = "child_run"
SURFACED_KEY = "asked_outside"


class WorkflowExecutor(Executor):
    """Run `workflow` as a single executor inside a parent workflow.

    >>> review = WorkflowExecutor(approval_workflow, id="approval")
    >>> parent = WorkflowBuilder().add_edge(router, review).add_edge(review, finaliser)...
    """

    def __init__(self, workflow: Workflow, id: str | None = None) -> None:
        self.workflow = workflow
        # Runs go through a copy with a run state of its own, so one workflow can be wrapped
        # twice (say, fanned out to two WorkflowExecutors) and each wrapper keeps its own pending
        # requests. The executors themselves are shared: keep their state in ctx.set_state.
        self._child = workflow.copy_with_own_run()
        # Answers reach the child through the answer path, never as a message that starts a run.
        inputs = tuple(t for t in workflow.start_executor.input_types if not _is_answer_type(t))
        sends = child_output_types(workflow) + child_request_types(workflow)
        handlers = (
            HandlerSpec("run_child", WorkflowExecutor._run_child, _union(inputs), sends, ()),
            HandlerSpec("take_intercepted_answer", WorkflowExecutor._take_answer, RequestResponse, sends, ()),
            HandlerSpec(
                "take_outside_answer", WorkflowExecutor._unused, Any, sends, (),
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

    # --- the three ways in ----------------------------------------------------------------

    async def _run_child(self, message: Any, ctx: WorkflowContext[Any]) -> None:
        """A message from the parent starts a new run of the child."""
        previous = await self._child_state(ctx)
        if previous is not None and previous.pending_requests:
            waiting = ", ".join(previous.pending_requests)
            raise SubWorkflowError(
                f"Sub-workflow '{self.id}' got a new {type(message).__name__} while still waiting for answers "
                f"to {waiting}. It runs one job at a time: answer those first, or use a second WorkflowExecutor."
            )
        # The child's state is saved inside the parent's checkpoints: it writes none of its own.
        child = self._child
        await self._drive(child._stream(lambda: child._start(message), save_checkpoints=False), ctx)

    async def _take_answer(self, answer: RequestResponse, ctx: WorkflowContext[Any]) -> None:
        """A parent executor answered one of the child's requests itself."""
        await self._answer_child(answer.request_id, answer.data, ctx)

    async def invoke_response(self, spec: HandlerSpec, request: PendingRequest, response: Any, ctx: Any) -> None:
        """The outside world answered a request the child made."""
        await self._answer_child(request.request_id, response, ctx)

    async def _unused(self, request: Any, response: Any, ctx: Any) -> None:
        # Declared so the runtime knows this executor takes answers; invoke_response does the work.
        raise AssertionError("WorkflowExecutor answers are handled by invoke_response")

    # --- running the child ------------------------------------------------------------------

    async def _answer_child(self, request_id: str, answer: Any, ctx: WorkflowContext[Any]) -> None:
        state = await self._child_state(ctx)
        if state is None or request_id not in state.pending_requests:
            raise SubWorkflowError(
                f"Sub-workflow '{self.id}' has no pending request {request_id!r} to give this answer to."
            )
        # Work on a copy: if this step fails, the saved child state must stay as it was.
        self._child._state = copy.deepcopy(state)
        child = self._child
        await self._drive(child._stream(lambda: child._answer({request_id: answer}), save_checkpoints=False), ctx)

    async def _drive(self, events: AsyncIterator[WorkflowEvent], ctx: WorkflowContext[Any]) -> None:
        """Run the child to idle, passing its outputs, requests and executor events to the parent."""
        requests: list[RequestInfoEvent] = []
        async for event in events:
            if isinstance(event, WorkflowOutputEvent):
                await ctx.send_message(event.data)
            elif isinstance(event, RequestInfoEvent):
                requests.append(event)
            elif isinstance(event, WorkflowFailedEvent):
                # From the child's own exception, so the parent's WorkflowFailedError leads to it:
                # error.__cause__ is this SubWorkflowError, and its __cause__ the original.
                raise SubWorkflowError(f"Sub-workflow '{self.id}' failed: {event.details!r}") from event.details.exception
            elif isinstance(event, ExecutorEvent):
                await ctx.add_event(_nested(event, self.id))
        surfaced = self._surfaced(await ctx.get_state() or {}) & set(self._child._state.pending_requests)
        for request in requests:
            if self._interceptable(request.data, ctx):
                await ctx.send_message(request.data)
            else:
                await ctx.request_info(request.data, request.response_type, request_id=request.request_id)
                surfaced.add(request.request_id)
        await ctx.set_state({CHILD_STATE_KEY: self._child._state, SURFACED_KEY: sorted(surfaced)})

    async def snapshot_state(self) -> dict[str, Any] | None:
        """The child executors' own snapshots (see `Executor.snapshot_state`), by executor id."""
        return await executor_snapshots(self._child.executors) or None

    async def restore_state(self, state: dict[str, Any]) -> None:
        """Hand each child executor back its snapshot from the parent's checkpoint."""
        await give_back_snapshots(self._child.executors, state)

    def idle_warnings(self, state: dict[str, Any] | None) -> list[str]:
        """Warn about child requests a parent executor took (interception) but never answered."""
        child = None if state is None else state.get(CHILD_STATE_KEY)
        if child is None or not child.pending_requests:
            return []
        return [
            f"Sub-workflow '{self.id}' is still waiting for an answer to request {request_id!r} "
            f"({type(request.data).__name__}), which a parent executor took but never answered. Send "
            f"RequestResponse(answer, request, request.request_id) back to '{self.id}' from that executor."
            for request_id, request in child.pending_requests.items()
            if request_id not in self._surfaced(state)
        ]

    @staticmethod
    def _surfaced(state: dict[str, Any]) -> set[str]:
        return set(state.get(SURFACED_KEY, ()))

    async def _child_state(self, ctx: WorkflowContext[Any]) -> RunState | None:
        saved = await ctx.get_state()
        return None if saved is None else saved[CHILD_STATE_KEY]

    def _interceptable(self, request: Any, ctx: WorkflowContext[Any]) -> bool:
        """True if a parent executor downstream has a handler written for this request's type.

        Only a `RequestInfoMessage` can be answered this way: it carries its own `request_id`,
        which the answer (`RequestResponse(answer, request, request.request_id)`) must name. A
        request made with `ctx.request_info` holds just its data, so it always goes outside.
        """
        if not isinstance(request, RequestInfoMessage):
            return False
        if not any(match_score(request, t) is not None for t in self.output_types if not is_any(t)):
            return False
        for target_id in ctx.successor_ids:
            spec = ctx.get_executor(target_id).handler_for(request)
            if spec is not None and not is_any(spec.message_type):
                return True
        return False


def _nested(event: ExecutorEvent, parent_id: str) -> ExecutorEvent:
    """The child's executor event, its executor id prefixed with the sub-workflow's id."""
    nested = copy.copy(event)
    nested.executor_id = f"{parent_id}/{event.executor_id}"
    if isinstance(nested, ExecutorInvokedEvent):
        nested.source_executor_ids = tuple(f"{parent_id}/{s}" for s in nested.source_executor_ids)
    return nested


def _is_answer_type(tp: Any) -> bool:
    return tp is RequestResponse or get_origin(tp) is RequestResponse


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
