"""Human in the loop, the `RequestInfoExecutor` way.

An executor sends a `RequestInfoMessage` (your dataclass subclass) to a `RequestInfoExecutor`.
That turns it into a `RequestInfoEvent` and the run pauses. When the answer comes in
(`send_responses`), the sender receives a `RequestResponse[YourRequest, AnswerType]` along the
edge back from the `RequestInfoExecutor`, and handles it with an ordinary `@handler`.

(The newer way needs no extra executor: `ctx.request_info(...)` plus a `@response_handler`.)
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, get_args, get_origin

from .context import WorkflowContext
from .executor import Executor
from .handler import handler, response_handler
from .typecheck import is_instance

TRequest = TypeVar("TRequest")
TResponse = TypeVar("TResponse")


def _new_request_id() -> str:
    return str(uuid.uuid4())


@dataclass(kw_only=True)
class RequestInfoMessage:
    """Base class for typed requests to a human. Subclass it as a dataclass::

        @dataclass
        class DraftReview(RequestInfoMessage):
            draft: str
            iteration: int = 1

    `request_id` is filled in for you; `source_executor_id` records who asked.
    (Both are keyword-only, so your subclass may declare fields without defaults.)
    """

    request_id: str = field(default_factory=_new_request_id)
    source_executor_id: str | None = None


@dataclass
class RequestResponse(Generic[TRequest, TResponse]):
    """An answer, delivered to the executor that sent the request.

    `data` is the answer, `original_request` the request it answers. Declare a handler for
    ``RequestResponse[DraftReview, str]`` to receive string answers to `DraftReview` requests.
    """

    data: TResponse
    original_request: TRequest
    request_id: str

    @classmethod
    def __wfkit_match_args__(cls, value: Any, args: tuple[Any, ...]) -> bool:
        # RequestResponse[Req, Resp] matches when both the request and the answer fit.
        request_type, response_type = args
        return is_instance(value.original_request, request_type) and is_instance(value.data, response_type)


class RequestInfoExecutor(Executor):
    """A built-in executor that turns each `RequestInfoMessage` it receives into a request for
    outside input, and sends the answer back to whoever asked, as a `RequestResponse`.

    Connect it both ways: ``.add_edge(gateway, review).add_edge(review, gateway)``.
    """

    @handler
    async def request(self, message: RequestInfoMessage, ctx: WorkflowContext) -> None:
        """Record who asked, and pause the run for an answer of the type the asker expects.

        A request that already names its asker keeps it: a parent forwarding a sub-workflow's
        request here wants the answer to go back to that sub-workflow, not to itself.
        """
        if message.source_executor_id is None:
            # On a copy: the sender may still hold the object (a sub-workflow does), and its
            # own view of the request must not change under it.
            message = copy.copy(message)
            message.source_executor_id = ctx.source_executor_ids[0]
        response_type = expected_response_type(ctx.get_executor(message.source_executor_id), message)
        await ctx.request_info(message, response_type, request_id=message.request_id)

    @response_handler
    async def forward(self, original: RequestInfoMessage, answer: Any, ctx: WorkflowContext[RequestResponse]) -> None:
        """Send the answer back to the executor that asked."""
        response = RequestResponse(data=answer, original_request=original, request_id=original.request_id)
        await ctx.send_message(response, target_id=original.source_executor_id)

    @staticmethod
    def pending_requests_from_checkpoint(checkpoint: Any) -> list[Any]:
        """The requests a checkpoint is waiting on, rebuilt as `PendingRequestDetails`."""
        return checkpoint.pending_request_details()  # a WorkflowCheckpoint reads itself

    @staticmethod
    def checkpoint_summary(checkpoint: Any) -> Any:
        """A `WorkflowCheckpointSummary`: iteration, status, pending requests, a draft preview."""
        return checkpoint.summary()


def expected_response_type(asker: Executor, request: RequestInfoMessage) -> Any:
    """The answer type the asker's ``RequestResponse[Req, Resp]`` handler expects for `request`.

    If the asker declares no such handler (or only a bare ``RequestResponse``), any answer goes.
    """
    for spec in asker.handlers:
        if get_origin(spec.message_type) is RequestResponse:
            request_type, response_type = get_args(spec.message_type)
            if is_instance(request, request_type):
                return response_type
    return Any
