"""The workflow runtime: executors, handlers, edges, the builder and the superstep engine.

Its errors live with every other wfkit error in `wfkit.errors`, and are importable from here too.
"""

from ..errors import (
    ExecutorTimeoutError,
    FanInFailedError,
    HandlerSignatureError,
    LoopLimitError,
    RequestResponseError,
    RunKeywordsError,
    SubWorkflowError,
    TypeCompatibilityError,
    WorkflowError,
    WorkflowFailedError,
    WorkflowRoutingError,
    WorkflowRunError,
    WorkflowTimeoutError,
    WorkflowTypeError,
    WorkflowValidationError,
)
from .builder import WorkflowBuilder
from .composition import WorkflowHandle
from .context import WorkflowContext
from .edges import Case, Default
from .events import (
    ExecutorCompletedEvent,
    ExecutorEvent,
    ExecutorFailedEvent,
    ExecutorInvokedEvent,
    RequestInfoEvent,
    SuperStepCompletedEvent,
    SuperStepStartedEvent,
    WorkflowErrorDetails,
    WorkflowEvent,
    WorkflowFailedEvent,
    WorkflowIntermediateEvent,
    WorkflowOutputEvent,
    WorkflowRunState,
    WorkflowStartedEvent,
    WorkflowStatusEvent,
    WorkflowWarningEvent,
)
from .executor import Executor, FunctionExecutor, executor
from .handler import handler, response_handler
from .events import CompensationEvent, ExecutorFallbackEvent, ExecutorRetryEvent, FanInPartialEvent, FanInWaitingEvent
from .policies import RetryPolicy
from .state import ExecutorFailure
from .requests import RequestInfoExecutor, RequestInfoMessage, RequestResponse
from .subworkflow import SubWorkflowRequestMessage, SubWorkflowResponseMessage, WorkflowExecutor
from .typecheck import Never
from .run_keywords import WorkflowInvocationKwargs
from .run import WorkflowEventStream, WorkflowRun, WorkflowRunResult
from .workflow import Workflow

__all__ = [
    "CompensationEvent",
    "ExecutorFailure",
    "ExecutorFallbackEvent",
    "ExecutorRetryEvent",
    "ExecutorTimeoutError",
    "FanInFailedError",
    "FanInPartialEvent",
    "FanInWaitingEvent",
    "LoopLimitError",
    "RetryPolicy",
    "Case",
    "Default",
    "Executor",
    "ExecutorCompletedEvent",
    "ExecutorEvent",
    "ExecutorFailedEvent",
    "ExecutorInvokedEvent",
    "FunctionExecutor",
    "HandlerSignatureError",
    "Never",
    "RequestInfoEvent",
    "RequestInfoExecutor",
    "RequestInfoMessage",
    "RequestResponse",
    "RequestResponseError",
    "RunKeywordsError",
    "SuperStepCompletedEvent",
    "SubWorkflowError",
    "SubWorkflowRequestMessage",
    "SubWorkflowResponseMessage",
    "SuperStepStartedEvent",
    "TypeCompatibilityError",
    "Workflow",
    "WorkflowBuilder",
    "WorkflowContext",
    "WorkflowError",
    "WorkflowErrorDetails",
    "WorkflowEvent",
    "WorkflowExecutor",
    "WorkflowFailedError",
    "WorkflowHandle",
    "WorkflowFailedEvent",
    "WorkflowIntermediateEvent",
    "WorkflowInvocationKwargs",
    "WorkflowOutputEvent",
    "WorkflowRoutingError",
    "WorkflowRunError",
    "WorkflowEventStream",
    "WorkflowRun",
    "WorkflowRunResult",
    "WorkflowRunState",
    "WorkflowStartedEvent",
    "WorkflowStatusEvent",
    "WorkflowTimeoutError",
    "WorkflowTypeError",
    "WorkflowValidationError",
    "WorkflowWarningEvent",
    "executor",
    "handler",
    "response_handler",
]
