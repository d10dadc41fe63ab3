"""`StepLog`: the run explorer's log, one line for each thing a step did, linked to the graph.

The live view's log is made of events; a recorded run may have none (a history read from
checkpoints alone keeps only states). What every step of every history has is its changes
(`wfkit.history.StepChanges`), so the explorer's log is written from those: for each step a
line saying what ran, then a line per message delivered, output, request asked or answered and
state key changed. The first column is the step, not a time.

A click on a line moves the explorer to that line's step and highlights the executor the line
is about and the arrow its message came along; a click on an executor's box narrows the log to
that executor's lines, with a **Show all** bar (`FocusBar`), as the live log does. The lines of
the step shown are tinted, and the log scrolls to them as the learner steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import ipywidgets as widgets
import traitlets

from ..history.records import RUN_INPUT, Superstep, describe_request, request_labels
from .clickable import ClickableHTML
from .event_log import KIND_COLOURS
from .inline_code import text_html
from .log_focus import FocusBar


@dataclass(frozen=True)
class StepLine:
    """One line of the explorer's log: the step it belongs to (its `position` among the branch's
    steps, and its `number`), its kind and text, the executor it is about (`executor_id`), the
    executors whose message it delivers (`sources`), and every executor it concerns (`about`)."""

    position: int
    number: int
    kind: str
    text: str
    executor_id: str | None = None
    sources: tuple[str, ...] = ()
    about: tuple[str, ...] = ()

    def concerns(self, executor_id: str) -> bool:
        """True if the line is about `executor_id`."""
        return executor_id in self.about


LineCallback = Callable[[StepLine], None]

# The look of the lines: the step and kind columns fixed, the text wrapping under itself.
STEP_LOG_STYLE = (
    "<style>.wfkit-step-lines>div{display:grid;grid-template-columns:9ch 8ch minmax(0,1fr);column-gap:1ch}"
    ".wfkit-step-log i{color:#94a3b8;font-style:normal;text-align:right}.wfkit-step-log b{font-weight:600}"
    ".wfkit-step-log span{white-space:pre-wrap;overflow-wrap:anywhere;min-width:0}"
    + "".join(f".wfkit-step-log .k-{kind}{{color:{colour}}}" for kind, colour in {**KIND_COLOURS, "step": "#94a3b8",
              "message": "#1d4ed8", "state": "#b45309"}.items())
    + "</style>"
)


def lines_of(steps: list[Superstep]) -> list[StepLine]:
    """The log's lines for a branch's `steps`, in order."""
    lines: list[StepLine] = []
    labels = request_labels(steps)
    for position, step in enumerate(steps):
        def add(kind: str, text: str, executor_id: str | None = None, sources: tuple[str, ...] = ()) -> None:
            about = tuple(dict.fromkeys([*([executor_id] if executor_id else []), *sources]))
            lines.append(StepLine(position, step.number, kind, text, executor_id, sources, about))

        ran = ", ".join(step.ran) or "nothing"
        failed = " · the run failed in this step" if step.failed else ""
        lines.append(StepLine(position, step.number, "step", f"ran {ran}{failed}", None, (), tuple(step.ran)))
        changes = step.changes
        for message in changes.received:
            sender = () if message.source == RUN_INPUT else (message.source,)
            came = "the run's input" if message.source == RUN_INPUT else f"from {message.source}"
            add("message", f"{message.target} received {message.what}, {came}", message.target, sender)
        for text in changes.outputs:
            add("output", f"output: {text}")
        for verb, request_ids in (("asked", changes.requests_asked), ("got its answer to", changes.requests_answered)):
            for request_id in request_ids:
                request = changes.requests.get(request_id)
                if request is not None:
                    kind = "request" if verb == "asked" else "answer"
                    add(kind, describe_request(request.executor_id, request.preview, verb, labels.get(request_id, "")), request.executor_id)
        for how, keys in (("added", changes.added), ("changed", changes.changed), ("removed", changes.removed)):
            for key in keys:
                owner = key.split(":", 1)[0]
                add("state", f"state {how}: {key}", owner if owner != "shared" else None)
    return lines


class StepLog(widgets.VBox):
    """The explorer's log of a branch's steps (see the module docstring).

    `read(steps)` writes the lines; `mark_step(position)` tints the step shown; `only_executor`
    narrows the lines to one executor's. `on_line_clicked` callbacks get the `StepLine` clicked.
    """

    only_executor = traitlets.Unicode("", help="show only this executor's lines ('' for every line)")

    def __init__(self, **kwargs: Any) -> None:
        self.lines: list[StepLine] = []
        self.header = widgets.HTML()
        self.focus = FocusBar()
        self.focus.observe(lambda change: setattr(self, "only_executor", change["new"]), "executor")
        self.view = ClickableHTML(layout=widgets.Layout(width="auto"))
        self.view.on_pick(self._picked)
        self._line_callbacks: list[LineCallback] = []
        self._read_from: tuple[int, int] | None = None
        self._step_marked = -1
        self._line_marked: str | None = None
        super().__init__(children=[self.header, self.focus, self.view], **kwargs)
        self.add_class("wfkit-step-log")

    def read(self, steps: list[Superstep]) -> None:
        """Write the lines of `steps` (nothing is done when they are the ones already read)."""
        key = (id(steps[-1]) if steps else 0, len(steps))
        if key == self._read_from:
            return
        self._read_from = key
        self.lines = lines_of(steps)
        self._line_marked = None
        self.redraw()

    def visible_lines(self) -> list[StepLine]:
        """The lines shown: every line, or with `only_executor`, that executor's."""
        only = self.only_executor
        return [line for line in self.lines if not only or line.concerns(only)]

    def redraw(self) -> None:
        """Draw the header and the lines shown."""
        shown = self.visible_lines()
        count = f"{len(self.lines):,} line{'s' if len(self.lines) != 1 else ''}"
        self.header.value = (
            f"<div style='font-size:12px'><b>What each step did</b>: {count} · click a line to go to its step, "
            "a box of the graph to see only its lines</div>"
        )
        only = self.only_executor
        rows = "".join(self._row(index, line) for index, line in enumerate(self.lines) if not only or line.concerns(only))
        body = f"<div class='wfkit-step-lines'>{rows}</div>" if rows else "<div style='color:#94a3b8'>no steps yet</div>"
        self.view.value = (
            f"{STEP_LOG_STYLE}<div class='wfkit-step-log wfkit-scrolls' style='max-height:220px;overflow:auto;"
            "font-family:monospace;font-size:12px;line-height:1.4;border:1px solid #e2e8f0;padding:4px'>"
            f"{body}</div>"
        )
        if self.only_executor:
            self.focus.say(len(shown), len(self.lines))

    def _row(self, index: int, line: StepLine) -> str:
        return (
            f"<div data-pick='line:{index}' data-marks='step:{line.position}'><i>step {line.number}</i>"
            f"<b class='k-{line.kind}'>{line.kind}</b><span>{text_html(line.text)}</span></div>"
        )

    @traitlets.observe("only_executor")
    def _only_changed(self, change: dict[str, Any]) -> None:
        self.focus.executor = change["new"]
        self.redraw()

    def on_line_clicked(self, callback: LineCallback) -> None:
        """Call ``callback(line)`` with the `StepLine` the learner clicks."""
        self._line_callbacks.append(callback)

    def _picked(self, key: str) -> None:
        index = int(key[5:]) if key.startswith("line:") and key[5:].isdigit() else -1
        if not 0 <= index < len(self.lines):
            return
        self._line_marked = key
        self._mark()
        for callback in list(self._line_callbacks):
            callback(self.lines[index])

    def mark_step(self, position: int) -> None:
        """Tint the lines of the step at `position` (the step shown), and scroll to them."""
        if position != self._step_marked:
            self._step_marked = position
            self._mark()

    def _mark(self) -> None:
        line = self._line_marked
        same_step = line is not None and self.lines[int(line[5:])].position == self._step_marked
        self.view.marked = [f"step:{self._step_marked}", *([line] if same_step and line else [])]

    def static_html(self) -> str:
        """The lines as plain HTML, for pages that cannot run widgets."""
        return self.header.value + self.view.value
