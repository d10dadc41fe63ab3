"""`SpanTimeline`: the spans of a run drawn as a timeline, one row per span.

Reading a trace is reading two things at once: what ran inside what (the tree), and when (the
time axis). So each row is one span, indented under the span it ran inside, with a bar placed
on a shared time axis and its duration written beside it. A run's bar spans the whole width;
its supersteps follow one another; inside a superstep, handler calls that overlap ran
concurrently. A message sent is an instant, drawn as a thin tick inside the call that sent it.
A failed span is red and says what failed. Hovering a row shows the span's attributes.

Everything shown comes from the run (executor ids, workflow names, error messages), so every
piece of text is escaped: a name such as ``<img onerror=...>`` is shown, never run.
"""

from __future__ import annotations

import html
from typing import Any, Iterable

import ipywidgets as widgets

from ..observability.records import SpanRecord, span_tree
from .fallback import with_static_html

# The kinds of span, told apart by name, each with its colour.
COLOURS = {
    "run": "#475569",
    "superstep": "#94a3b8",
    "executor": "#1d4ed8",
    "message": "#d97706",
    "other": "#0f766e",
    "failed": "#dc2626",
}

# More rows than this and the page grows slow to draw; the rest are counted, not drawn.
MAX_ROWS = 400

NAME_WIDTH = "300px"  # the column of names, so bars of every row share one time axis


def span_kind(record: SpanRecord) -> str:
    """Which kind of span `record` is: run, superstep, executor, message or other (your own)."""
    name = record.name
    if name.startswith(("workflow.run", "invoke_workflow")):
        return "run"
    if name.startswith("workflow.superstep"):
        return "superstep"
    if name.startswith("executor.process"):
        return "executor"
    if name.startswith("message.send"):
        return "message"
    return "other"


def span_label(record: SpanRecord) -> str:
    """The row's text: the span's name, plus what a learner looks for (which workflow, step, executor)."""
    attributes = record.attributes
    kind = span_kind(record)
    if kind == "executor":
        executor_id = str(attributes.get("executor.id", ""))
        return record.name if not executor_id or record.name.endswith(executor_id) else f"{record.name} {executor_id}"
    if kind == "run":
        workflow_id = str(attributes.get("workflow.id", ""))
        return f"{record.name} {workflow_id}" if workflow_id and workflow_id not in record.name else record.name
    if kind == "superstep" and "superstep.iteration" in attributes:
        return f"superstep {attributes['superstep.iteration']}"
    if kind == "message":
        target = attributes.get("message.destination_executor_id")
        what = attributes.get("message.type", "")
        return f"{record.name} {what} → {target}" if target else f"{record.name} {what}".rstrip()
    return record.name


def timeline_html(records: Iterable[SpanRecord], *, show_messages: bool = True, max_rows: int = MAX_ROWS) -> str:
    """The timeline of `records` as HTML (see the module docstring); every text is escaped."""
    records = list(records)
    if not records:
        return (
            '<div style="color:#64748b;font-size:12px">No spans to show. Turn tracing on with '
            "<code>wfkit.observability.setup_observability()</code>, then run a workflow.</div>"
        )
    start = min(record.start for record in records)
    total = max(max(record.end for record in records) - start, 1)
    rows = [(depth, record) for depth, record in span_tree(records) if show_messages or span_kind(record) != "message"]
    shown = rows[:max_rows]
    body = "".join(_row(depth, record, start, total) for depth, record in shown)
    more = len(rows) - len(shown)
    if more:
        body += f'<div style="color:#64748b;padding:2px 0">… and {more:,} more spans, not drawn.</div>'
    return (
        '<div class="wfkit-span-timeline" style="font-family:monospace;font-size:12px;line-height:1.5;'
        f'border:1px solid #e2e8f0;padding:4px;max-height:420px;overflow:auto">{_axis(total)}{body}</div>'
    )


def summary_html(records: Iterable[SpanRecord]) -> str:
    """One line over the timeline: how many spans, over how long, and how many failed."""
    records = list(records)
    if not records:
        return ""
    total_ms = (max(r.end for r in records) - min(r.start for r in records)) / 1e6
    failed = sum(1 for r in records if r.failed)
    text = f"{len(records):,} spans over {total_ms:.2f} ms"
    if failed:
        text += f', <span style="color:{COLOURS["failed"]}">{failed} failed</span>'
    return f'<div style="font-size:12px">{text}</div>'


def _axis(total: int) -> str:
    """The row of time labels: 0, a quarter, a half, three quarters and the whole, in ms."""
    labels = "".join(
        f'<span style="position:absolute;left:{fraction * 100:.0f}%;transform:translateX(-{fraction * 100:.0f}%);'
        f'white-space:nowrap">'
        f"{total * fraction / 1e6:.2f} ms</span>"
        for fraction in (0, 0.25, 0.5, 0.75, 1)
    )
    return (
        f'<div style="display:flex;color:#64748b;border-bottom:1px solid #e2e8f0">'
        f'<div style="flex:0 0 {NAME_WIDTH}">span</div>'
        f'<div style="flex:1 1 auto;position:relative;height:1.5em;margin-right:8px">{labels}</div>'
        f'<div style="flex:0 0 80px;text-align:right">duration</div></div>'
    )


def _row(depth: int, record: SpanRecord, start: int, total: int) -> str:
    kind = span_kind(record)
    colour = COLOURS["failed"] if record.failed else COLOURS[kind]
    left = (record.start - start) / total * 100
    width = (record.end - record.start) / total * 100
    label = html.escape(span_label(record))
    if record.failed:
        label += f' <span style="color:{COLOURS["failed"]}">✗ {html.escape(record.error or "failed")}</span>'
    bar_height = "4px" if kind == "message" else "10px"
    bar = (
        f'<div style="position:absolute;left:{left:.3f}%;width:max({width:.3f}%,2px);height:{bar_height};'
        f'top:50%;transform:translateY(-50%);background:{colour};border-radius:2px"></div>'
    )
    return (
        f'<div title="{html.escape(_details(record), quote=True)}" style="display:flex;align-items:center">'
        f'<div style="flex:0 0 {NAME_WIDTH};padding-left:{depth * 14}px;white-space:nowrap;overflow:hidden;'
        f'text-overflow:ellipsis;box-sizing:border-box;color:{colour}">{label}</div>'
        f'<div style="flex:1 1 auto;position:relative;height:1.5em;margin-right:8px;background:#f8fafc">{bar}</div>'
        f'<div style="flex:0 0 80px;text-align:right">{record.duration_ms:.2f} ms</div></div>'
    )


def _details(record: SpanRecord) -> str:
    """The hover text: the span's name, its attributes, what failed, links and events, one per line."""
    lines = [record.name, *(f"{key}: {value}" for key, value in record.attributes.items())]
    if record.failed:
        lines.append(f"failed: {record.error}")
    if record.links:
        lines.append(f"linked to {len(record.links)} message.send span(s)")
    if record.events:
        lines.append("events: " + ", ".join(record.events))
    return "\n".join(lines)


class SpanTimeline(widgets.VBox):
    """A run's spans as a timeline (see the module docstring), with a switch for message sends.

    >>> SpanTimeline(span_records(exporter))       # doctest: +SKIP
    """

    def __init__(self, records: Iterable[SpanRecord], **kwargs: Any) -> None:
        self.records = list(records)
        self.messages = widgets.Checkbox(value=True, description="show messages sent", indent=False)
        self.messages.observe(lambda _: self.redraw(), "value")
        self.header = widgets.HTML(summary_html(self.records), layout=widgets.Layout(flex="1 1 auto"))
        self.view = widgets.HTML(layout=widgets.Layout(width="auto"))
        top = widgets.HBox([self.header, self.messages], layout=widgets.Layout(align_items="center"))
        super().__init__(children=[top, self.view], **kwargs)
        self.add_class("wfkit-span-timeline")
        self.redraw()

    def redraw(self) -> None:
        """Draw the rows again (after the switch changed)."""
        self.view.value = timeline_html(self.records, show_messages=self.messages.value)

    def static_html(self) -> str:
        """The timeline as plain HTML, for pages that cannot run widgets."""
        return summary_html(self.records) + timeline_html(self.records, show_messages=self.messages.value)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        return with_static_html(super()._repr_mimebundle_(**kwargs), self.static_html())
