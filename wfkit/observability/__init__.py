"""Watch runs with OpenTelemetry: a span for each run, superstep, handler call and message sent.

Where ``agent_framework.observability`` is in Agent Framework, this is in wfkit, with the calls
of both its eras::

    from wfkit.observability import setup_observability, get_tracer   # the previews' spelling
    setup_observability()
    with get_tracer().start_as_current_span("my scenario"):
        await workflow.run("hello")

    from wfkit.observability import configure_otel_providers          # AF 1.x's spelling
    configure_otel_providers(exporters=[...])

    wfkit.notebook.span_timeline()     # the spans of the latest run, as a timeline in the notebook

Nothing is traced until one of the setup calls: importing this package changes nothing. They
register a run observer with the core (`wfkit.core.observers`), which the engine asks at each
run, superstep, handler call and message sent. The modules, one job each:

- `setup`: the calls that turn tracing on and off, `get_tracer`, `get_meter`, the spans kept;
- `tracing`: the observer that makes the spans; `naming`: their names in either era;
- `records`: spans as plain data in reading order, for the views; `collector`: spans kept in memory;
- `settings`, `availability` (OpenTelemetry is an optional extra: ``pip install 'wfkit[observability]'``;
  without it every call here does nothing and the first says so once), `noop`, `logs`.
"""

from __future__ import annotations

from .logs import get_logger
from .records import SpanRecord, latest_trace, span_records, span_tree, span_tree_text
from .settings import OBSERVABILITY_SETTINGS, ObservabilitySettings
from .setup import (
    clear_kept_spans,
    configure_otel_providers,
    disable_instrumentation,
    enable_instrumentation,
    enable_sensitive_telemetry,
    get_meter,
    get_tracer,
    kept_spans,
    setup_observability,
)

__all__ = [
    "OBSERVABILITY_SETTINGS",
    "ObservabilitySettings",
    "SpanRecord",
    "clear_kept_spans",
    "configure_otel_providers",
    "disable_instrumentation",
    "enable_instrumentation",
    "enable_sensitive_telemetry",
    "get_logger",
    "get_meter",
    "get_tracer",
    "kept_spans",
    "latest_trace",
    "setup_observability",
    "span_records",
    "span_tree",
    "span_tree_text",
]
