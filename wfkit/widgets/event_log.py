"""`EventLog`: a run's events as readable lines, filterable by kind, bounded, and batched.

What each line says is the job of `event_text` (the words for one event) and `log_lines` (one
line for each thing that happened, however many events said it: an agent's answer streamed in a
thousand pieces is one line). This module draws the lines. Three choices keep a long run from freezing the notebook:

- the log keeps only the last `max_lines` lines and says how many earlier ones it dropped;
- each event is turned into text once, when it arrives;
- the lines reach the browser through a `Throttle`: many events, one message per redraw.

Each line is one row of three columns: the time, the kind, the text. A long text wraps inside
its own column, so the times and kinds stay a clean column on the left. A value shown in a line
is written for a reader, without ids, and cut with "…" (`wfkit.history.records.preview`, as in
the explorer and on the request cards). A drop-down above the lines shows all of them or one kind.

The header counts events, the same count as the run's record (``len(result.events)``); when
some events joined the line of another, it says in how many lines they are shown.

The lines answer clicks (the view is a `ClickableHTML`): `on_line_clicked` callbacks get the
`LogLine` clicked, which the `RunView` highlights on the graph. `only_executor` narrows the log
to one executor's lines (a click on its box in the graph does this), and a bar above the lines
says so, with a **Show all** button (`FocusBar`).
"""

from __future__ import annotations

import html
import time
from typing import Any, Callable

import ipywidgets as widgets
import traitlets

from ..core.events import WorkflowEvent
from .clickable import ClickableHTML
from .fallback import with_static_html
from .log_focus import FocusBar
from .event_text import KINDS, describe_error, describe_event
from .log_lines import KEPT_CHARACTERS, LINE_LIMIT, LogLine, LogLines
from .request_numbers import RequestNumbers
from .throttle import Throttle

__all__ = ["EventLog", "KEPT_CHARACTERS", "KINDS", "LINE_LIMIT", "LogLine", "describe_error", "describe_event"]

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
    "fallback": "#b45309",
    "undo": "#b45309",
    "error": "#dc2626",
    "other": "#334155",
}

# The choices of the filter: everything, everything but the busy superstep lines, or one kind.
FILTER_CHOICES: list[tuple[str, tuple[str, ...]]] = [
    ("all events", KINDS),
    ("all but supersteps", tuple(kind for kind in KINDS if kind != "superstep")),
    *((f"{kind} only", (kind,)) for kind in KINDS),
]

NO_EVENTS_YET = '<div style="color:#94a3b8">no events yet</div>'

LineCallback = Callable[[LogLine], None]


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
    only_executor = traitlets.Unicode("", help="show only this executor's lines ('' for every executor's)")
    total = traitlets.Int(0, help="events received since the last clear (the run's count of events)")
    dropped = traitlets.Int(0, help="oldest lines forgotten to stay within max_lines")

    def __init__(
        self,
        *,
        max_lines: int = 500,
        min_redraw_interval: float = 0.2,
        request_numbers: RequestNumbers | None = None,
        **kwargs: Any,
    ) -> None:
        """`request_numbers` names the run's requests; a `RunView` passes the one its cards use."""
        self.max_lines = max_lines
        self.book = LogLines(max_lines, request_numbers)
        self._started = time.monotonic()
        self.filter = widgets.Dropdown(
            options=FILTER_CHOICES, value=KINDS, description="show", layout=widgets.Layout(width="230px")
        )
        self.filter.observe(self._filter_chosen, "value")
        self.header = widgets.HTML(layout=widgets.Layout(flex="1 1 auto"))
        self.view = ClickableHTML(layout=widgets.Layout(width="auto"))
        self.view.on_pick(self._picked)
        self.focus = FocusBar()
        self.focus.observe(lambda change: setattr(self, "only_executor", change["new"]), "executor")
        self._line_callbacks: list[LineCallback] = []
        self.throttle = Throttle(self.redraw, min_redraw_interval)
        top = widgets.HBox([self.header, self.filter], layout=widgets.Layout(align_items="center"))
        super().__init__(children=[top, self.focus, self.view], **kwargs)
        self.add_class("wfkit-event-log")
        self.redraw()

    @property
    def lines(self) -> Any:
        """The kept lines, oldest first (a `deque` of `LogLine`)."""
        return self.book.lines

    @property
    def request_numbers(self) -> RequestNumbers:
        """How the log names the run's requests (see `request_numbers`)."""
        return self.book.numbers

    def handle(self, event: WorkflowEvent) -> None:
        """Write `event`: a line of its own, or into the line it belongs to (a piece of a
        streamed answer, an output that repeats an answer: see `log_lines`)."""
        self.book.add(event, self._seconds())
        self._changed()

    def note_answer(self, request_id: str, answer: Any, executor_id: str | None = None) -> None:
        """Write the answer given to `request_id` ("answer to reviewer: ..."); `executor_id`
        says who asked, if the log did not see the request (a run resumed from a checkpoint)."""
        self.book.note_answer(request_id, answer, self._seconds(), executor_id)
        self._changed()

    def note(self, text: str, kind: str = "answer") -> None:
        """Add a line that is not an event."""
        self.book.note(text, kind, self._seconds())
        self._changed()

    def relabel_requests(self) -> None:
        """Show each request's number where it needs one now (the numbers changed)."""
        self.book.relabel_requests()
        self._changed()

    def clear(self) -> None:
        """Forget every line (a new run starts)."""
        self.book.clear()
        self._started = time.monotonic()
        self._changed()

    def flush(self) -> None:
        """Show the latest lines now if they are not shown yet."""
        self.throttle.flush()

    def _changed(self) -> None:
        self.total, self.dropped = self.book.events, self.book.dropped
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

    @traitlets.observe("only_executor")
    def _only_changed(self, change: dict[str, Any]) -> None:
        self.focus.executor = change["new"]
        self.redraw()

    def on_line_clicked(self, callback: LineCallback) -> None:
        """Call ``callback(line)`` with the `LogLine` the learner clicks; the line is marked."""
        self._line_callbacks.append(callback)

    def _picked(self, key: str) -> None:
        line = self.book.numbered(int(key[5:])) if key.startswith("line:") and key[5:].isdigit() else None
        if line is None:
            return
        self.view.marked = [key]
        for callback in list(self._line_callbacks):
            callback(line)

    def visible_lines(self) -> list[LogLine]:
        """The kept lines whose kind the filter lets through (and, with `only_executor`, that
        are about that executor), oldest first."""
        shown, only = set(self.kinds_shown), self.only_executor
        return [line for line in self.lines if line.kind in shown and (not only or line.concerns(only))]

    def redraw(self) -> None:
        """Send the visible lines to the page (the throttle calls this)."""
        self.header.value = self.header_html()
        self.view.value = self.lines_html()
        if self.only_executor:
            self.focus.say(len(self.visible_lines()), len(self.lines))

    def header_html(self) -> str:
        """"Events: 10,000 (9,500 earlier lines dropped; keeping the last 500)": the count is
        the run's, every event, and says in how many lines they are when that differs."""
        text = f"<b>Events</b>: {self.total:,}"
        lines = self.book.event_lines
        if lines != self.total:
            text += f", in {lines:,} line{'s' if lines != 1 else ''} (events that tell the same thing share a line)"
        if self.dropped:
            text += f" ({self.dropped:,} earlier lines dropped; keeping the last {self.max_lines:,})"
        why = ["by the filter"] * (len(self.kinds_shown) < len(KINDS))
        why += [f"by showing only {html.escape(self.only_executor)}'s lines"] * bool(self.only_executor)
        hidden = len(self.lines) - len(self.visible_lines()) if why else 0
        if hidden:
            text += f", {hidden:,} hidden {' and '.join(why)}"
        return f'<div style="font-size:12px">{text}</div>'

    def lines_html(self) -> str:
        """The visible lines in a scroll box that stays scrolled to the newest line."""
        lines = "".join(line.html() for line in self.visible_lines())
        body = f'<div class="wfkit-log-lines">{lines}</div>' if lines else NO_EVENTS_YET
        # column-reverse makes the browser keep the box scrolled to its end as lines arrive.
        return (
            f'{LOG_STYLE}<div class="wfkit-log wfkit-scrolls" style="max-height:260px;overflow:auto;display:flex;'
            "flex-direction:column-reverse;font-family:monospace;font-size:12px;line-height:1.4;"
            f'border:1px solid #e2e8f0;padding:4px">{body}</div>'
        )

    def static_html(self) -> str:
        """The log as plain HTML, for pages that cannot run widgets."""
        return self.header_html() + self.lines_html()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        return with_static_html(super()._repr_mimebundle_(**kwargs), self.static_html())
