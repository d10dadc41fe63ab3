"""`RecentSpans`: an exporter that keeps the latest finished spans in memory, for the notebook.

Exporters are where finished spans go: a collector over the network, the console, or, here, a
list in this Python process, which `wfkit.notebook.span_timeline()` draws. `setup_observability`
installs one by default (``keep_spans=``), so a lesson can run a workflow and look at its spans
in the next cell, with no server to run. It keeps only the latest `limit` spans, so a notebook
that traces for hours does not grow without end.

This module needs ``opentelemetry-sdk``; `setup.py` imports it only when that is installed.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Sequence

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult


class RecentSpans(SpanExporter):
    """Keeps the latest `limit` finished spans, oldest first."""

    def __init__(self, limit: int = 10_000) -> None:
        if limit < 1:
            raise ValueError(f"RecentSpans keeps at least one span: limit must be 1 or more, got {limit}.")
        self._spans: deque[ReadableSpan] = deque(maxlen=limit)
        self._lock = threading.Lock()  # exporters may be called from a batch processor's thread

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        """Keep `spans` (the oldest kept ones make room when the limit is reached)."""
        with self._lock:
            self._spans.extend(spans)
        return SpanExportResult.SUCCESS

    def spans(self) -> list[ReadableSpan]:
        """The spans kept, in the order they finished."""
        with self._lock:
            return list(self._spans)

    def clear(self) -> None:
        """Forget every span kept so far."""
        with self._lock:
            self._spans.clear()

    def shutdown(self) -> None:
        """Nothing to close: the spans stay readable."""
