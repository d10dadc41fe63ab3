"""One event as one line of words, for the event log: `describe_event`, and how the log words
requests, answers and a fallback's hand-over.

A line is written for a reader. Values are shown as `wfkit.history.records.preview` writes them
(no ids, cut with "…"); text is shown as text, without quotes or ``\\n`` escapes; an agent's
answer is its text. A request is named by who asks and what, never by its id.
"""

from __future__ import annotations

from typing import Any

from ..agents.types import AgentResponse, AgentResponseUpdate
from ..core.events import WorkflowEvent, attempts_note
from ..history.records import one_line, preview
from .team_log import describe_team_event

# Every kind a line can have, in the order the filter lists them.
KINDS = (
    "run", "superstep", "executor", "request", "answer", "output", "agent", "team",
    "retry", "fallback", "undo", "error", "other",
)


def describe_event(event: WorkflowEvent) -> tuple[str, str]:
    """The kind of `event` and one readable line about it, the event on its own.

    >>> describe_event(ExecutorInvokedEvent("writer", "a brief"))
    ('executor', "writer ← 'a brief'")
    """
    match event.type:
        case "executor_invoked":
            return "executor", f"{event.executor_id} ← {preview(event.data)}"
        case "executor_completed":
            return "executor", f"{event.executor_id} ✓ done"
        case "executor_failed":
            return "error", f"{event.executor_id} ✗ failed: {describe_error(event.details)}"
        case "superstep_started":
            return "superstep", f"superstep {event.iteration} started"
        case "superstep_completed":
            return "superstep", f"superstep {event.iteration} completed"
        case "request_info":
            return "request", request_line(event.source_executor_id, event.data)
        case "output":
            return "output", f"output from {event.source_executor_id}: {as_text(event.data)}"
        case "intermediate":
            return "output", f"on the way, from {event.source_executor_id}: {as_text(event.data)}"
        case "failed":
            return "error", f"run failed: {describe_error(event.details)}"
        case "warning" | "fan_in_waiting":
            return "error", f"warning: {one_line(str(event.message))}"
        case "started":
            return "run", "run started"
        case "status":
            return "run", f"state {event.state.name}"
        case "agent_run_update":
            return "agent", f"{event.executor_id} writes: {text_of(event.data)}"
        case "agent_run":
            return "agent", f"{event.executor_id} answered: {one_line(text_of(event.data), 200)}"
        case "executor_retry":
            return "retry", (
                f"{event.executor_id} failed ({event.details.error_type}) on attempt {event.attempt}; "
                f"retrying in {event.delay:.2g} s"
            )
        case "executor_fallback":
            return "fallback", (
                f"{event.executor_id} failed for good{attempts_note(event.details.attempts)}; "
                f"its work goes to {event.fallback_id}"
            )
        case "compensation":
            return "undo", f"the undo step of {event.executor_id} ran"
    team_line = describe_team_event(event)  # a group chat's, a handoff's or a Magentic manager's
    if team_line is not None:
        return "team", team_line
    return "other", one_line(repr(event), 200)  # a kind this log does not know: all of it


def describe_error(details: Any) -> str:
    """``ValueError: cannot handle 'x'``: the error of a failure on one line, without its traceback
    (the run's `WorkflowFailedError` carries the traceback)."""
    error_type, message = getattr(details, "error_type", None), getattr(details, "message", None)
    if error_type is None or message is None:
        return one_line(repr(details), 200)
    return one_line(f"{error_type}{attempts_note(getattr(details, 'attempts', 1))}: {message}", 200)


def request_line(executor_id: str, asked: Any, label: str = "") -> str:
    """``reviewer asks: ReviewRequest(draft='…')``, or ``reviewer asks (request 2): …`` with a label."""
    return f"{executor_id} asks{f' ({label})' if label else ''}: {as_text(asked)}"


def answer_line(executor_id: str | None, answer: Any, label: str = "") -> str:
    """``answer to reviewer: ReviewResponse(approved=True)`` (with the request's label, if it has one)."""
    to_whom = f" to {executor_id}" if executor_id else ""
    return f"answer{to_whom}{f' ({label})' if label else ''}: {as_text(answer)}"


def as_text(value: Any, limit: int = 200) -> str:
    """A value for a line: text as text (no quotes, its line breaks folded), anything else as
    `preview` writes it. An agent's answer is its text."""
    if isinstance(value, str):
        return one_line(value, limit)
    text = reply_text(value)
    return one_line(text, limit) if text is not None else preview(value, limit)


def text_of(data: Any) -> str:
    """The text an event's data carries (an agent's answer or a piece of it), else the data as a string."""
    text = getattr(data, "text", None)
    return text if isinstance(text, str) else str(data)


def reply_text(value: Any) -> str | None:
    """What an agent's answer (whole or a piece) or a chat message says; None for other values."""
    if isinstance(value, (AgentResponse, AgentResponseUpdate)) or (
        hasattr(value, "role") and isinstance(getattr(value, "text", None), str)
    ):
        return value.text
    return None


def fallback_line(event: WorkflowEvent) -> str:
    """``fraud_check failed, so human_review takes over its work (ExecutorTimeoutError: ...)``."""
    details = event.details
    return one_line(
        f"{event.executor_id} failed{attempts_note(details.attempts)}, so {event.fallback_id} takes over "
        f"its work ({details.error_type}: {details.message})",
        300,
    )
