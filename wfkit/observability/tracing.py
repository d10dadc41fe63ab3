"""Spans of a run: the run observer that turns a run's moments into OpenTelemetry spans.

A span is one piece of work with a start, an end, a name and attributes; spans nest, so a
trace reads as a tree. One run gives:

    workflow.run                      the whole run (AF 1.x: "invoke_workflow <name>")
    ├── workflow.superstep            one per superstep (wfkit's own)
    │   ├── executor.process          one per handler call, the current span while it runs, so
    │   │   └── message.send          what it sends nests inside it, and so does a sub-workflow's
    │   └── executor.process          run, or a model call, made from the handler
    └── workflow.superstep ...

A message is sent in one superstep and handled in the next, so the span of the call that
handles it is not inside the span that sent it: it carries a *link* to it instead, as AF's do.
A link needs the sending span's context when the handling span starts; wfkit's messages carry
no tracing data (their checkpoints stay as they are), so the watch remembers each send by its
sender and by the very object sent, which is the object the next handler receives (a join
receives a list of them).

Failures are marked as OpenTelemetry marks them: status ERROR, and an ``error.type``
attribute. The error's message is added where AF adds it (always in the previews' spelling,
with sensitive data on in 1.x's), because a message may quote the data the run handled.
Work cut short by cancellation (a timeout, a stream its reader left) is marked the same way,
as ``CancelledError``: it did not finish, and the timeline should show where it stopped.

This module needs ``opentelemetry-api``; `setup.py` imports it only when that is installed.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Callable

from opentelemetry.trace import Link, Span, SpanContext, SpanKind, Status, StatusCode, Tracer

from ..core.events import WorkflowErrorDetails, WorkflowRunState
from ..core.observers import RunWatch
from . import naming
from .naming import Dialect

if TYPE_CHECKING:
    from ..core.observers import Supersteps
    from ..core.policies import Invoke, Superstep
    from ..core.state import Message, RunState
    from ..core.workflow import Workflow
    from .settings import ObservabilitySettings

# A run's final state, as an attribute of its span (wfkit's own: a trace then says whether the
# run finished or is waiting for answers).
FINAL_STATE = "workflow.final_state"

# Spans are written with these flags: wfkit marks failures itself (see `mark_failed`), so that
# the error's message goes on a span only where the settings allow it.
_OWN_ERRORS: dict[str, Any] = {"record_exception": False, "set_status_on_exception": False}


class TracingObserver:
    """The run observer `setup_observability` registers: a `TracingWatch` for every run.

    `tracer` gives the tracer to use when a run starts (so a provider set up later is used by
    later runs); `settings` says how to name spans and whether errors are told in full.
    """

    def __init__(self, tracer: Callable[[], Tracer], settings: ObservabilitySettings) -> None:
        self.tracer = tracer
        self.settings = settings

    def watch(self, workflow: Workflow) -> TracingWatch:
        """The spans of one run of `workflow`, which starts now."""
        settings = self.settings
        full_errors = settings.dialect.errors_in_full or settings.sensitive_data
        return TracingWatch(self.tracer(), workflow, settings.dialect, full_errors)


class TracingWatch(RunWatch):
    """Records one run as spans (see the module docstring for their tree)."""

    def __init__(self, tracer: Tracer, workflow: Workflow, dialect: Dialect, full_errors: bool) -> None:
        self.tracer = tracer
        self.workflow = workflow
        self.dialect = dialect
        self.full_errors = full_errors
        self.failure: WorkflowErrorDetails | None = None
        # (sender id, id(value sent)) -> (the value, the context of its message.send span). The
        # value is kept so that its id cannot be reused by another object during the run.
        self.sends: dict[tuple[str, int], tuple[Any, SpanContext]] = {}

    async def run(self, supersteps: Supersteps) -> WorkflowRunState:
        """The run span around the whole run; its events say it started, and completed or failed."""
        workflow, dialect = self.workflow, self.dialect
        attributes: dict[str, Any] = {naming.WORKFLOW_ID: workflow.id}
        if workflow.name:
            attributes[dialect.workflow_name_key] = workflow.name
        if workflow.description:
            attributes[naming.WORKFLOW_DESCRIPTION] = workflow.description
        if dialect.operation:
            attributes[naming.OPERATION_KEY] = dialect.operation
        name = dialect.run_span_name(workflow.name)
        with self.tracer.start_as_current_span(name, attributes=attributes, **_OWN_ERRORS) as span:
            span.add_event(naming.WORKFLOW_STARTED)
            try:
                final = await supersteps()
            except asyncio.CancelledError:
                span.set_attribute(FINAL_STATE, WorkflowRunState.CANCELLED.name)
                mark_cancelled(span)
                raise
            except Exception as error:  # the engine itself broke: a handler's error is a failure, not this
                self.mark_failed(span, type(error).__name__, str(error), error)
                raise
            span.set_attribute(FINAL_STATE, final.name)
            if final is WorkflowRunState.FAILED and self.failure is not None:
                failure = self.failure
                event = {naming.ERROR_TYPE: failure.error_type}
                if self.full_errors:
                    event[naming.ERROR_MESSAGE] = failure.message
                span.add_event(naming.WORKFLOW_ERROR, event)
                self.mark_failed(span, failure.error_type, failure.message, failure.exception)
            else:
                span.add_event(naming.WORKFLOW_COMPLETED)
            return final

    def superstep(self, superstep: Superstep, state: RunState) -> Superstep:
        """Each superstep in a span of its own, numbered as its events number it."""
        tracer = self.tracer

        async def traced() -> WorkflowErrorDetails | None:
            attributes = {
                naming.SUPERSTEP_ITERATION: state.iteration + 1,
                naming.SUPERSTEP_MESSAGES: len(state.messages),
            }
            with tracer.start_as_current_span(naming.SUPERSTEP_SPAN, attributes=attributes, **_OWN_ERRORS) as span:
                try:
                    failure = await superstep()
                except asyncio.CancelledError:
                    mark_cancelled(span)
                    raise
                if failure is not None:
                    self.mark_failed(span, failure.error_type, failure.message, failure.exception)
                return failure

        return traced

    def invoke(self, invoke: Invoke) -> Invoke:
        """Each handler call in a span of its own, linked to the sends of the message it handles."""
        tracer, dialect, executors = self.tracer, self.dialect, self.workflow.executors

        async def traced(message: Message) -> None:
            executor_id = message.target_id
            attributes = {
                naming.EXECUTOR_ID: executor_id,
                naming.EXECUTOR_TYPE: type(executors[executor_id]).__name__,
                naming.MESSAGE_TYPE: "standard" if message.request is None else "response",
                naming.MESSAGE_PAYLOAD_TYPE: type(message.payload).__name__,
            }
            name = dialect.executor_span_name(executor_id)
            links = self.links_to(message)
            with tracer.start_as_current_span(name, attributes=attributes, links=links, **_OWN_ERRORS) as span:
                try:
                    await invoke(message)
                except asyncio.CancelledError:
                    mark_cancelled(span)
                    raise
                except Exception as error:
                    self.mark_failed(span, type(error).__name__, str(error), error)
                    raise

        return traced

    def sent(self, source_id: str, payload: Any, target_id: str | None) -> None:
        """A short span inside the sender's call, remembered so the handling call can link to it."""
        attributes = {naming.MESSAGE_TYPE: type(payload).__name__}
        if target_id is not None:
            attributes[naming.MESSAGE_DESTINATION] = target_id
        span = self.tracer.start_span(naming.MESSAGE_SEND_SPAN, kind=SpanKind.PRODUCER, attributes=attributes)
        span.end()
        context = span.get_span_context()
        if context.is_valid:  # a no-op tracer's spans have no context worth linking to
            self.sends[(source_id, id(payload))] = (payload, context)

    def failed(self, details: WorkflowErrorDetails) -> None:
        """Kept for the run span, which ends right after."""
        self.failure = details

    # --- helpers -----------------------------------------------------------------------------

    def links_to(self, message: Message) -> list[Link]:
        """Links to the message.send spans that sent `message`: one, or one per part of a join's list."""
        sends = self.sends
        if not sends:
            return []
        found = [sends.get((source, id(message.payload))) for source in message.source_ids]
        if not any(found) and isinstance(message.payload, list):  # a join: the list of what each sent
            found = [sends.get((source, id(part))) for part in message.payload for source in message.source_ids]
        contexts = {send[1].span_id: send[1] for send in found if send is not None}
        return [Link(context) for context in contexts.values()]

    def mark_failed(self, span: Span, error_type: str, message: str, exception: BaseException | None) -> None:
        """Mark `span` as failed: status ERROR and ``error.type``, plus the message where allowed."""
        span.set_attribute(naming.ERROR_TYPE, error_type)
        if not self.full_errors:
            span.set_status(Status(StatusCode.ERROR))
            return
        if isinstance(exception, Exception):
            span.record_exception(exception)
        span.set_status(Status(StatusCode.ERROR, f"{error_type}: {message}"))


def mark_cancelled(span: Span) -> None:
    """Mark `span` as cut short: its work was cancelled before it finished."""
    span.set_attribute(naming.ERROR_TYPE, "CancelledError")
    span.set_status(Status(StatusCode.ERROR, "cancelled"))
