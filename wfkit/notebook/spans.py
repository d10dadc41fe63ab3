"""`span_timeline`: the spans of the latest run, as a timeline under the cell.

    from wfkit.observability import setup_observability
    setup_observability()                          # once: spans are kept in memory from now on
    await workflow.run("hello")
    wfkit.notebook.span_timeline()                 # the last cell value: the run as a timeline

It reads the spans `setup_observability` keeps, or any you pass (OpenTelemetry spans, an
``InMemorySpanExporter``, `SpanRecord`s), and keeps the latest trace: one run, or everything
inside a span of your own that encloses several.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..observability import kept_spans, latest_trace, span_records

if TYPE_CHECKING:
    from ..widgets.span_timeline import SpanTimeline


def span_timeline(spans: Any = None, *, latest: bool = True) -> SpanTimeline:
    """A `SpanTimeline` of `spans` (default: those `setup_observability` kept), shown when it is
    the cell's value. ``latest=False`` draws every trace given, not only the latest."""
    from ..widgets.span_timeline import SpanTimeline  # ipywidgets loads only for those who use widgets

    records = span_records(kept_spans() if spans is None else spans)
    return SpanTimeline(latest_trace(records) if latest else records)
