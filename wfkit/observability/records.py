"""Spans as plain data, in the order a reader follows them: `SpanRecord`, `span_records`, `span_tree`.

OpenTelemetry hands finished spans to exporters as `ReadableSpan` objects, full of ids in
integers and times in nanoseconds. Views (the notebook's timeline, the text tree) want
something smaller: a name, where it sits in the tree, when it started and how long it took,
whether it failed. `span_records` makes that from the spans (or from an exporter holding them),
and `span_tree` puts them in reading order: each span followed by the spans inside it, earliest
first. Nothing here imports OpenTelemetry, so the views work on saved records too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable


@dataclass(frozen=True)
class SpanRecord:
    """One finished span, as plain data. Times are nanoseconds since the epoch, as in OpenTelemetry."""

    name: str
    span_id: str  # 16 hex digits
    trace_id: str  # 32 hex digits: every span of one trace shares it
    parent_id: str | None  # the span this one sits inside, or None for a trace's first span
    start: int
    end: int
    attributes: dict[str, Any] = field(default_factory=dict)
    failed: bool = False
    error: str | None = None  # what failed: the status's description, else the error.type attribute
    kind: str = "internal"  # "producer" for a message sent
    links: tuple[str, ...] = ()  # span ids of the spans this one is linked to (the sends it handles)
    events: tuple[str, ...] = ()  # names of the span's events, in order

    @property
    def duration_ms(self) -> float:
        """How long the span took, in milliseconds."""
        return (self.end - self.start) / 1e6


def span_records(spans: Any) -> list[SpanRecord]:
    """`SpanRecord`s of `spans`: OpenTelemetry spans, records, or an exporter that holds spans
    (``InMemorySpanExporter``'s ``get_finished_spans()``, `RecentSpans`' ``spans()``)."""
    if hasattr(spans, "get_finished_spans"):
        spans = spans.get_finished_spans()
    elif hasattr(spans, "spans") and callable(spans.spans):
        spans = spans.spans()
    return [span if isinstance(span, SpanRecord) else _record(span) for span in spans]


def latest_trace(records: Iterable[SpanRecord]) -> list[SpanRecord]:
    """The records of the trace that started last (a notebook keeps the spans of many runs)."""
    records = list(records)
    if not records:
        return []
    known = {record.span_id for record in records}
    roots = [record for record in records if record.parent_id not in known] or records
    trace_id = max(roots, key=lambda record: record.start).trace_id
    return [record for record in records if record.trace_id == trace_id]


def span_tree(records: Iterable[SpanRecord]) -> list[tuple[int, SpanRecord]]:
    """(depth, record) in reading order: each span, then the spans inside it, earliest first.

    A span whose parent is not among `records` (the parent was left out, or is a span of the
    caller's) is shown at the top level.
    """
    records = sorted(records, key=lambda record: (record.start, record.end))
    known = {record.span_id for record in records}
    children: dict[str | None, list[SpanRecord]] = {}
    for record in records:
        parent = record.parent_id if record.parent_id in known else None
        children.setdefault(parent, []).append(record)
    ordered: list[tuple[int, SpanRecord]] = []
    stack = [(0, record) for record in reversed(children.get(None, []))]
    while stack:  # depth first, without recursion: a run of 1,000 supersteps nests only 3 deep,
        depth, record = stack.pop()  # but a chain of sub-workflows could nest deeper than Python's stack
        ordered.append((depth, record))
        stack.extend((depth + 1, child) for child in reversed(children.get(record.span_id, [])))
    return ordered


def span_tree_text(records: Iterable[SpanRecord]) -> str:
    """The spans as an indented text tree with durations, for a terminal or a test."""
    lines = []
    for depth, record in span_tree(records):
        failed = f"  FAILED: {record.error}" if record.failed else ""
        lines.append(f"{'  ' * depth}{record.name}  {record.duration_ms:.2f} ms{failed}")
    return "\n".join(lines)


def _record(span: Any) -> SpanRecord:
    """A `SpanRecord` of an OpenTelemetry `ReadableSpan` (read by its public attributes)."""
    context = span.context
    parent = span.parent
    status = span.status
    failed = status is not None and status.status_code.name == "ERROR"
    attributes = dict(span.attributes or {})
    error = None
    if failed:
        error = status.description or str(attributes.get("error.type", "")) or "error"
    return SpanRecord(
        name=span.name,
        span_id=format(context.span_id, "016x"),
        trace_id=format(context.trace_id, "032x"),
        parent_id=format(parent.span_id, "016x") if parent is not None else None,
        start=span.start_time or 0,
        end=span.end_time or span.start_time or 0,
        attributes=attributes,
        failed=failed,
        error=error,
        kind=span.kind.name.lower() if span.kind is not None else "internal",
        links=tuple(format(link.context.span_id, "016x") for link in span.links or ()),
        events=tuple(event.name for event in span.events or ()),
    )
