"""`EventLog`: a run's events as readable lines, filterable by kind, bounded, and batched.

Three choices keep a long run from freezing the notebook:

- the log keeps only the last `max_lines` lines and says how many earlier ones it dropped;
- each event is turned into text once, when it arrives;
- the lines reach the browser through a `Throttle`: many events, one message per redraw.

Each line is one row of three columns: the time, the kind, the text. A long text wraps inside
its own column, so the times and kinds stay a clean column on the left. A value shown in a line
is written for a reader, without ids, and cut with "…" (`wfkit.history.records.preview`, as in
the explorer and on the request cards). A drop-down above the lines shows all of them or one kind.
"""

from __future__ import annotations

import html
import time
from collections import deque
from typing import Any

import ipywidgets as widgets
import traitlets

from ..agents.types import AgentResponseUpdate
from ..core.events import WorkflowEvent, attempts_note
from ..history.records import describe_request, one_line, preview
from .fallback import with_static_html
from .team_log import describe_team_event
from .throttle import Throttle

# Every kind a line can have, in the order the filter lists them.
KINDS = ("run", "superstep", "executor", "request", "answer", "output", "agent", "team", "retry", "error", "other")

# One colour per kind, so the eye finds requests, outputs and errors quickly.
KIND_COLOURS = {
    "run": "#475569",
    "superstep": "#94a3b8",
    "executor": "#1d4ed8",
    "request": "#7c3aed",
    "answer": "#7c3aed",
    "output": "#15803d",
    "agent": "#0f766e",
    "team": "#9333ea",
    "retry": "#b45309",
    "error": "#dc2626",
    "other": "#334155",
}

# The choices of the filter: everything, everything but the busy superstep lines, or one kind.
FILTER_CHOICES: list[tuple[str, tuple[str, ...]]] = [
    ("all events", KINDS),
    ("all but supersteps", tuple(kind for kind in KINDS if kind != "superstep")),
    *((f"{kind} only", (kind,)) for kind in KINDS),
]

# A line longer than this is cut when shown (a streamed answer keeps growing).
LINE_LIMIT = 300

# How much of a streamed answer a line keeps: a little more than it shows, so a cut is
# always a cut, however much spacing the start of the answer had.
KEPT_CHARACTERS = 2 * LINE_LIMIT

NO_EVENTS_YET = '<div style="color:#94a3b8">no events yet</div>'


def describe_event(event: WorkflowEvent) -> tuple[str, str]:
    """The kind of `event` and one readable line about it.

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
            return "request", describe_request(event.source_executor_id, preview(event.data, 200), event.request_id)
        case "output" if isinstance(event.data, AgentResponseUpdate) and event.data.text:
            return "output", f"output from {event.source_executor_id}: {event.data.text}"
        case "output":
            return "output", f"output from {event.source_executor_id}: {preview(event.data, 200)}"
        case "intermediate":
            return "output", f"on the way, from {event.source_executor_id}: {preview(event.data, 200)}"
        case "failed":
            return "error", f"run failed: {describe_error(event.details)}"
        case "warning" | "fan_in_waiting":
            return "error", f"warning: {one_line(str(event.message))}"
        case "started":
            return "run", "run started"
        case "status":
            return "run", f"state {event.state.name}"
        case "agent_run_update":
            return "agent", f"{event.executor_id} writes: {_text_of(event.data)}"
        case "agent_run":
            return "agent", f"{event.executor_id} answered: {preview(_text_of(event.data), 200)}"
        case "executor_retry":
            return "retry", (
                f"{event.executor_id} failed ({event.details.error_type}) on attempt {event.attempt}; "
                f"retrying in {event.delay:.2g} s"
            )
        case "executor_fallback":
            return "retry", (
                f"{event.executor_id} failed for good{attempts_note(event.details.attempts)}; "
                f"its work goes to {event.fallback_id}"
            )
        case "compensation":
            return "retry", f"the undo step of {event.executor_id} ran"
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


def _text_of(data: Any) -> str:
    text = getattr(data, "text", None)
    return text if isinstance(text, str) else str(data)


class LogLine:
    """One line of the log: when (seconds since the log started), its kind and its text.

    `length` is how long the text really is; a streamed answer's line keeps only its start
    (`extend`), so `text` may be shorter.
    """

    __slots__ = ("seconds", "kind", "text", "executor_id", "length")

    def __init__(self, seconds: float, kind: str, text: str, executor_id: str | None = None) -> None:
        self.seconds, self.kind, self.text, self.executor_id = seconds, kind, text, executor_id
        self.length = len(text)

    def extend(self, more: str) -> None:
        """Add the next streamed piece of an answer to this line.

        Only the first `KEPT_CHARACTERS` are kept, the rest only counted: the line shows no more,
        and the whole answer comes once more in the agent's final event. Kept whole, a long answer
        streamed in thousands of pieces would grow the line without limit and make every piece
        slower to add than the one before.
        """
        room = KEPT_CHARACTERS - len(self.text)
        if room > 0:
            self.text += more[:room]
        self.length += len(more)

    def html(self) -> str:
        """The line as a row of the log's grid: time, kind, text (one line, cut if very long)."""
        # Short markup: the look lives once in LOG_STYLE, not in each of hundreds of lines.
        text = one_line(self.text, LINE_LIMIT)
        if len(text) < self.length:  # cut: say how much there is, so a growing answer shows it grows
            text += f" ({self.length:,} characters)"
        return (
            f'<div><i>{self.seconds:.2f}s</i><b class="k-{self.kind}">{self.kind}</b>'
            f"<span>{html.escape(text)}</span></div>"
        )


# The log's look, sent once per redraw instead of once per line. Each line is a grid row: the
# time and kind columns have fixed widths and the text column takes the rest, so a long text
# wraps under itself, never under the time.
LOG_STYLE = (
    "<style>.wfkit-log-lines>div{display:grid;grid-template-columns:8ch 9ch minmax(0,1fr);column-gap:1ch}"
    ".wfkit-log i{color:#94a3b8;font-style:normal;text-align:right}.wfkit-log b{font-weight:600}"
    ".wfkit-log span{white-space:pre-wrap;overflow-wrap:anywhere;min-width:0}"
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
        self.filter = widgets.Dropdown(
            options=FILTER_CHOICES, value=KINDS, description="show", layout=widgets.Layout(width="230px")
        )
        self.filter.observe(self._filter_chosen, "value")
        self.header = widgets.HTML(layout=widgets.Layout(flex="1 1 auto"))
        self.view = widgets.HTML(layout=widgets.Layout(width="auto"))
        self.throttle = Throttle(self.redraw, min_redraw_interval)
        top = widgets.HBox([self.header, self.filter], layout=widgets.Layout(align_items="center"))
        super().__init__(children=[top, self.view], **kwargs)
        self.add_class("wfkit-event-log")
        self.redraw()

    def handle(self, event: WorkflowEvent) -> None:
        """Add a line for `event`. Consecutive streamed pieces of one agent's answer share a line,
        as "writes:" (the agent's own event) and as the workflow's output."""
        kind, text = describe_event(event)
        executor_id = getattr(event, "executor_id", None)
        last = self.lines[-1] if self.lines else None
        joined = {"agent_run_update": f"{executor_id} writes: ", "output": f"output from {executor_id}: "}.get(event.type)
        streamed = event.type == "agent_run_update" or isinstance(event.data, AgentResponseUpdate)
        if joined and streamed and last and last.kind == kind and last.executor_id == executor_id and last.text.startswith(joined):
            last.extend(_text_of(event.data))
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

    def _filter_chosen(self, change: dict[str, Any]) -> None:
        if change["new"] is not None:  # None: kinds set in code that no choice names
            self.kinds_shown = change["new"]

    @traitlets.observe("kinds_shown")
    def _filter_changed(self, change: dict[str, Any]) -> None:
        kinds = tuple(change["new"])
        self.filter.value = kinds if kinds in dict(FILTER_CHOICES).values() else None
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
        lines = "".join(line.html() for line in self.visible_lines())
        body = f'<div class="wfkit-log-lines">{lines}</div>' if lines else NO_EVENTS_YET
        # column-reverse makes the browser keep the box scrolled to its end as lines arrive.
        return (
            f'{LOG_STYLE}<div class="wfkit-log" style="max-height:260px;overflow:auto;display:flex;'
            "flex-direction:column-reverse;font-family:monospace;font-size:12px;line-height:1.4;"
            f'border:1px solid #e2e8f0;padding:4px">{body}</div>'
        )

    def static_html(self) -> str:
        """The log as plain HTML, for pages that cannot run widgets."""
        return self.header_html() + self.lines_html()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        return with_static_html(super()._repr_mimebundle_(**kwargs), self.static_html())
