"""`EventLog`: a run's events as readable lines, filterable by kind, bounded, and batched.

Three choices keep a long run from freezing the notebook:

- the log keeps only the last `max_lines` lines and says how many earlier ones it dropped;
- each event is turned into text once, when it arrives;
- the lines reach the browser through a `Throttle`: many events, one message per redraw.
"""

from __future__ import annotations

import html
import time
from collections import deque
from typing import Any

import ipywidgets as widgets
import traitlets

from ..agents.events import AgentRunEvent, AgentRunUpdateEvent
from ..core.events import (
    CompensationEvent,
    ExecutorCompletedEvent,
    ExecutorFailedEvent,
    ExecutorFallbackEvent,
    ExecutorInvokedEvent,
    ExecutorRetryEvent,
    RequestInfoEvent,
    SuperStepCompletedEvent,
    SuperStepStartedEvent,
    WorkflowEvent,
    WorkflowFailedEvent,
    WorkflowOutputEvent,
    WorkflowStartedEvent,
    WorkflowStatusEvent,
    WorkflowWarningEvent,
    short_repr,
)
from .fallback import with_static_html
from .throttle import Throttle

# Every kind a line can have, in the order the filter lists them.
KINDS = ("run", "superstep", "executor", "request", "answer", "output", "agent", "retry", "error", "other")

# One colour per kind, so the eye finds requests, outputs and errors quickly.
KIND_COLOURS = {
    "run": "#475569",
    "superstep": "#94a3b8",
    "executor": "#1d4ed8",
    "request": "#7c3aed",
    "answer": "#7c3aed",
    "output": "#15803d",
    "agent": "#0f766e",
    "retry": "#b45309",
    "error": "#dc2626",
    "other": "#334155",
}


def describe_event(event: WorkflowEvent) -> tuple[str, str]:
    """The kind of `event` and one readable line about it.

    >>> describe_event(ExecutorInvokedEvent("writer", "a brief"))
    ('executor', "writer ← 'a brief'")
    """
    if isinstance(event, ExecutorInvokedEvent):
        return "executor", f"{event.executor_id} ← {short_repr(event.data)}"
    if isinstance(event, ExecutorCompletedEvent):
        return "executor", f"{event.executor_id} ✓ done"
    if isinstance(event, ExecutorFailedEvent):
        return "error", f"{event.executor_id} ✗ failed: {event.details!r}"
    if isinstance(event, SuperStepStartedEvent):
        return "superstep", f"superstep {event.iteration} started"
    if isinstance(event, SuperStepCompletedEvent):
        return "superstep", f"superstep {event.iteration} completed"
    if isinstance(event, RequestInfoEvent):
        return "request", (
            f"{event.source_executor_id} asks (request {event.request_id}): {short_repr(event.data, 100)}"
        )
    if isinstance(event, WorkflowOutputEvent):
        return "output", f"output from {event.source_executor_id}: {short_repr(event.data, 200)}"
    if isinstance(event, WorkflowFailedEvent):
        return "error", f"run failed: {event.details!r}"
    if isinstance(event, WorkflowWarningEvent):
        return "error", f"warning: {event.message}"
    if isinstance(event, WorkflowStartedEvent):
        return "run", "run started"
    if isinstance(event, WorkflowStatusEvent):
        return "run", f"state {event.state.name}"
    if isinstance(event, AgentRunUpdateEvent):
        return "agent", f"{event.executor_id} writes: {_text_of(event.data)}"
    if isinstance(event, AgentRunEvent):
        return "agent", f"{event.executor_id} answered: {short_repr(_text_of(event.data), 200)}"
    if isinstance(event, ExecutorRetryEvent):
        return "retry", (
            f"{event.executor_id} failed ({event.details.error_type}) on attempt {event.attempt}; "
            f"retrying in {event.delay:.2g} s"
        )
    if isinstance(event, ExecutorFallbackEvent):
        return "retry", f"{event.executor_id} failed for good; its work goes to {event.fallback_id}"
    if isinstance(event, CompensationEvent):
        return "retry", f"the undo step of {event.executor_id} ran"
    return "other", repr(event)


def _text_of(data: Any) -> str:
    text = getattr(data, "text", None)
    return text if isinstance(text, str) else str(data)


class LogLine:
    """One line of the log: when (seconds since the log started), its kind and its text."""

    __slots__ = ("seconds", "kind", "text", "executor_id")

    def __init__(self, seconds: float, kind: str, text: str, executor_id: str | None = None) -> None:
        self.seconds, self.kind, self.text, self.executor_id = seconds, kind, text, executor_id

    def html(self) -> str:
        # Short markup: the colours live once in LOG_STYLE, not in each of hundreds of lines.
        when = f"<i>{self.seconds:7.2f}s</i>"
        return f'<div>{when} <b class="k-{self.kind}">{self.kind:<9}</b> {html.escape(self.text)}</div>'


# The log's look, sent once per redraw instead of once per line.
LOG_STYLE = (
    "<style>.wfkit-log i{color:#94a3b8;font-style:normal}.wfkit-log b{font-weight:600}"
    + "".join(f".wfkit-log .k-{kind}{{color:{colour}}}" for kind, colour in KIND_COLOURS.items())
    + "</style>"
)


class EventLog(widgets.VBox):
    """A live log of workflow events. Keeps the last `max_lines` lines.

    >>> log = EventLog(max_lines=200)             # doctest: +SKIP
    >>> log.handle(event)                         # doctest: +SKIP
    >>> log.kinds_shown = ("request", "output")   # the same as choosing them in the filter
    """

    kinds_shown = traitlets.Tuple(KINDS, help="the kinds of line the log shows")
    total = traitlets.Int(0, help="lines received since the last clear")
    dropped = traitlets.Int(0, help="oldest lines forgotten to stay within max_lines")

    def __init__(self, *, max_lines: int = 500, min_redraw_interval: float = 0.2, **kwargs: Any) -> None:
        self.max_lines = max_lines
        self.lines: deque[LogLine] = deque(maxlen=max_lines)
        self._started = time.monotonic()
        self.filter = widgets.SelectMultiple(
            options=KINDS, value=KINDS, rows=len(KINDS), description="show", layout=widgets.Layout(width="190px")
        )
        self.header = widgets.HTML()
        self.view = widgets.HTML(layout=widgets.Layout(flex="1 1 auto", width="auto"))
        self.throttle = Throttle(self.redraw, min_redraw_interval)
        super().__init__(
            children=[self.header, widgets.HBox([self.filter, self.view])], **kwargs
        )
        self.add_class("wfkit-event-log")
        widgets.link((self.filter, "value"), (self, "kinds_shown"))
        self.redraw()

    def handle(self, event: WorkflowEvent) -> None:
        """Add a line for `event`. Consecutive streamed pieces of one agent's answer share a line."""
        kind, text = describe_event(event)
        executor_id = getattr(event, "executor_id", None)
        last = self.lines[-1] if self.lines else None
        if isinstance(event, AgentRunUpdateEvent) and last and last.kind == "agent" and last.executor_id == executor_id:
            if last.text.startswith(f"{executor_id} writes: "):
                last.text += _text_of(event.data)
                self.throttle.request()
                return
        self._append(LogLine(self._seconds(), kind, text, executor_id))

    def note(self, text: str, kind: str = "answer") -> None:
        """Add a line that is not an event, such as the answer a learner gave."""
        self._append(LogLine(self._seconds(), kind, text))

    def clear(self) -> None:
        """Forget every line (a new run starts)."""
        self.lines.clear()
        self.total = self.dropped = 0
        self._started = time.monotonic()
        self.throttle.request()

    def flush(self) -> None:
        """Show the latest lines now if they are not shown yet."""
        self.throttle.flush()

    def _append(self, line: LogLine) -> None:
        if len(self.lines) == self.max_lines:
            self.dropped += 1
        self.lines.append(line)
        self.total += 1
        self.throttle.request()

    def _seconds(self) -> float:
        return time.monotonic() - self._started

    @traitlets.observe("kinds_shown")
    def _filter_changed(self, change: dict[str, Any]) -> None:
        self.redraw()  # a click on the filter deserves an answer at once

    def visible_lines(self) -> list[LogLine]:
        """The kept lines whose kind the filter lets through, oldest first."""
        shown = set(self.kinds_shown)
        return [line for line in self.lines if line.kind in shown]

    def redraw(self) -> None:
        """Send the visible lines to the page (the throttle calls this)."""
        self.header.value = self.header_html()
        self.view.value = self.lines_html()

    def header_html(self) -> str:
        """"Events: 10,000 (9,500 earlier ones dropped; keeping the last 500)"."""
        text = f"<b>Events</b>: {self.total:,}"
        if self.dropped:
            text += f" ({self.dropped:,} earlier ones dropped; keeping the last {self.max_lines:,})"
        hidden = len(self.lines) - len(self.visible_lines()) if len(self.kinds_shown) < len(KINDS) else 0
        if hidden:
            text += f", {hidden:,} hidden by the filter"
        return f'<div style="font-size:12px">{text}</div>'

    def lines_html(self) -> str:
        """The visible lines in a scroll box that stays scrolled to the newest line."""
        body = "".join(line.html() for line in self.visible_lines()) or '<div style="color:#94a3b8">no events yet</div>'
        # column-reverse makes the browser keep the box scrolled to its end as lines arrive.
        return (
            f'{LOG_STYLE}<div class="wfkit-log" style="max-height:260px;overflow:auto;display:flex;'
            "flex-direction:column-reverse;font-family:monospace;font-size:12px;line-height:1.4;white-space:pre-wrap;"
            f'border:1px solid #e2e8f0;padding:4px"><div>{body}</div></div>'
        )

    def static_html(self) -> str:
        """The log as plain HTML, for pages that cannot run widgets."""
        return self.header_html() + self.lines_html()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        return with_static_html(super()._repr_mimebundle_(**kwargs), self.static_html())
