"""Turning tracing on and off, in the calls of both eras of Agent Framework, and the tracer to use.

Tracing has two halves. A *tracer provider* (from ``opentelemetry-sdk``) decides where finished
spans go: its exporters send them to a collector, print them, or keep them in memory. And
*instrumentation* makes the spans: wfkit's is a run observer (`tracing.TracingObserver`) that
these calls register with the core, so runs that start afterwards are traced.

- ``setup_observability(...)``, the previews' call: a provider with the exporters asked for, and
  instrumentation with the previews' span names.
- ``configure_otel_providers(...)``, AF 1.x's: the same, with 1.x's keywords and span names.
- ``enable_instrumentation()`` (1.x): instrumentation only, into the provider already set (one
  you configured yourself, say), with 1.x's span names.
- ``disable_instrumentation()``: runs that start from now on are not traced.
- ``enable_sensitive_telemetry()``: spans may also carry errors' messages, not only their types.

Both setup calls also keep the latest spans in memory (``keep_spans=10_000``; 0 keeps none), for
`wfkit.notebook.span_timeline()`. Unlike AF, they print no spans to the console unless asked
(``enable_console_exporters=True``): in a notebook that would bury the cell's output.

Nothing here runs on import: tracing starts with one of these calls. Without OpenTelemetry
installed, each call does nothing, and the first says so once (see `availability.py`).
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

from ..core.observers import add_run_observer, remove_run_observer
from ..errors import ObservabilityError
from . import availability
from .naming import SEED, TODAY, Dialect
from .noop import NoOpMeter, NoOpTracer
from .settings import OBSERVABILITY_SETTINGS

if TYPE_CHECKING:
    from opentelemetry.metrics import Meter
    from opentelemetry.sdk.trace import ReadableSpan
    from opentelemetry.trace import Tracer

    from .collector import RecentSpans
    from .tracing import TracingObserver

NO_SPANS = "wfkit records no spans: the observability calls do nothing."


@dataclass
class _Setup:
    """What the latest setup call made (module state: OpenTelemetry's providers are global too)."""

    provider: Any = None  # the TracerProvider wfkit made, or None: the global one is used
    recent: RecentSpans | None = None  # where the latest spans are kept for the notebook
    observer: TracingObserver | None = None  # registered with the core while tracing is on


_setup = _Setup()


# --- the previews' call ------------------------------------------------------------------------


def setup_observability(
    enable_sensitive_data: bool | None = None,
    otlp_endpoint: str | list[str] | None = None,
    applicationinsights_connection_string: str | list[str] | None = None,
    credential: Any = None,
    exporters: Sequence[Any] | None = None,
    vs_code_extension_port: int | None = None,
    *,
    enable_console_exporters: bool | None = None,
    keep_spans: int = 10_000,
) -> None:
    """Trace every run that starts from now on, naming spans as AF's previews did (``workflow.run``).

    Spans go to `exporters` (span exporters; wfkit sets up traces only), to an OTLP collector
    at `otlp_endpoint` (or ``OTLP_ENDPOINT``; needs ``opentelemetry-exporter-otlp``), to the
    AI Toolkit's collector on `vs_code_extension_port`, to the console with
    ``enable_console_exporters=True`` (or ``ENABLE_CONSOLE_EXPORTERS=true``), and the latest
    `keep_spans` stay in memory for `wfkit.notebook.span_timeline()`.
    `enable_sensitive_data` (or ``ENABLE_SENSITIVE_DATA=true``) lets spans carry more of what the run handled.

    Calling it again replaces the earlier set-up. Azure Monitor is not built in: set it up with
    ``azure-monitor-opentelemetry`` yourself, then call `enable_instrumentation`.
    """
    if applicationinsights_connection_string or credential is not None:
        raise ObservabilityError(
            "setup_observability(applicationinsights_connection_string=..., credential=...): wfkit does not "
            "send to Azure Monitor itself. Set it up with the azure-monitor-opentelemetry package "
            "(configure_azure_monitor(connection_string=...)), then call "
            "wfkit.observability.enable_instrumentation() so wfkit's runs are traced into it."
        )
    endpoints = _as_list(otlp_endpoint) or _as_list(os.getenv("OTLP_ENDPOINT"))
    _set_up(
        SEED,
        exporters=exporters,
        endpoints=endpoints,
        vs_code_extension_port=vs_code_extension_port,
        console=enable_console_exporters,
        keep_spans=keep_spans,
        sensitive=enable_sensitive_data,
        resource={},
    )


# --- AF 1.x's calls ---------------------------------------------------------------------------


def configure_otel_providers(
    *,
    service_name: str | None = None,
    service_version: str | None = None,
    resource_attributes: dict[str, Any] | None = None,
    otlp_endpoint: str | None = None,
    enable_sensitive_data: bool | None = None,
    enable_console_exporters: bool | None = None,
    exporters: Sequence[Any] | None = None,
    vs_code_extension_port: int | None = None,
    keep_spans: int = 10_000,
) -> None:
    """Trace every run that starts from now on, naming spans as AF 1.x does (``invoke_workflow``).

    The same set-up as `setup_observability`, with AF 1.x's keywords: `service_name`,
    `service_version` and `resource_attributes` describe this program on every span;
    `otlp_endpoint` defaults to ``OTEL_EXPORTER_OTLP_ENDPOINT``.
    """
    resource = dict(resource_attributes or {})
    if service_name:
        resource["service.name"] = service_name
    if service_version:
        resource["service.version"] = service_version
    _set_up(
        TODAY,
        exporters=exporters,
        endpoints=_as_list(otlp_endpoint) or _as_list(os.getenv("OTEL_EXPORTER_OTLP_ENDPOINT")),
        vs_code_extension_port=vs_code_extension_port,
        console=enable_console_exporters,
        keep_spans=keep_spans,
        sensitive=enable_sensitive_data,
        resource=resource,
    )


def enable_instrumentation(*, enable_sensitive_data: bool | None = None, force: bool = False) -> None:
    """Trace every run that starts from now on into the tracer provider already set (wfkit's own,
    if a setup call made one, or OpenTelemetry's global one), with AF 1.x's span names.

    It sets up no provider: use it after configuring OpenTelemetry yourself. (AF traces by
    default and makes `disable_instrumentation` stick unless ``force=True``; wfkit traces only
    once asked, so it takes `force` and needs it for nothing.)
    """
    if not availability.has_api():
        availability.say_missing_once("OpenTelemetry", NO_SPANS)
        return
    _instrument(TODAY, enable_sensitive_data)


def disable_instrumentation() -> None:
    """Stop tracing: runs that start from now on make no spans (runs under way finish traced).
    The provider and the spans kept stay, so a timeline can still be drawn."""
    observer = _setup.observer
    if observer is not None:
        remove_run_observer(observer)
        _setup.observer = None
    OBSERVABILITY_SETTINGS.enabled = False


def enable_sensitive_telemetry(*, force: bool = False) -> None:
    """Let spans carry errors' messages from the next run on, not only their types, and turn
    tracing on if it is off. Only where the data a run handles may be seen: in development."""
    if not availability.has_api():
        availability.say_missing_once("OpenTelemetry", NO_SPANS)
        return
    _instrument(OBSERVABILITY_SETTINGS.dialect if OBSERVABILITY_SETTINGS.enabled else TODAY, True)


# --- the tracer, the meter and the spans kept -------------------------------------------------


def get_tracer(
    instrumenting_module_name: str = "wfkit",
    instrumenting_library_version: str | None = None,
    schema_url: str | None = None,
    attributes: dict[str, Any] | None = None,
) -> Tracer | NoOpTracer:
    """A tracer for spans of your own (``with get_tracer().start_as_current_span("scenario"):``).

    It writes to the provider the latest setup call made, else to OpenTelemetry's global one, so
    your spans and the runs inside them land in one trace. Without OpenTelemetry, a tracer that
    records nothing.
    """
    if not availability.has_api():
        availability.say_missing_once("OpenTelemetry", NO_SPANS)
        return NoOpTracer()
    from opentelemetry import trace

    provider = _setup.provider if _setup.provider is not None else trace.get_tracer_provider()
    return provider.get_tracer(
        instrumenting_module_name, instrumenting_library_version or _version(), schema_url, attributes
    )


def get_meter(
    name: str = "wfkit",
    version: str | None = None,
    schema_url: str | None = None,
    attributes: dict[str, Any] | None = None,
) -> Meter | NoOpMeter:
    """A meter from OpenTelemetry's global meter provider (wfkit sets up none, and records no
    metrics itself). Without OpenTelemetry, a meter that records nothing."""
    if not availability.has_api():
        availability.say_missing_once("OpenTelemetry", NO_SPANS)
        return NoOpMeter()
    from opentelemetry import metrics

    return metrics.get_meter(name, version or _version(), schema_url, attributes)


def kept_spans() -> list[ReadableSpan]:
    """The spans the latest setup call kept in memory, oldest first (none without one)."""
    return _setup.recent.spans() if _setup.recent is not None else []


def clear_kept_spans() -> None:
    """Forget the spans kept so far (the next timeline starts afresh)."""
    if _setup.recent is not None:
        _setup.recent.clear()


# --- how the calls do it ----------------------------------------------------------------------


def _set_up(
    dialect: Dialect,
    *,
    exporters: Sequence[Any] | None,
    endpoints: list[str],
    vs_code_extension_port: int | None,
    console: bool | None,
    keep_spans: int,
    sensitive: bool | None,
    resource: dict[str, Any],
) -> None:
    """A provider as asked, then instrumentation with `dialect`'s span names."""
    if not availability.has_api():
        availability.say_missing_once("OpenTelemetry", NO_SPANS)
        return
    if not availability.has_sdk():
        availability.say_missing_once(
            "opentelemetry-sdk",
            "wfkit cannot set up a tracer provider or exporters; runs are traced into OpenTelemetry's "
            "global provider, which records nothing unless you configured one.",
        )
    else:
        port = vs_code_extension_port or _int_env("VS_CODE_EXTENSION_PORT")
        if port:
            endpoints = [*endpoints, f"http://localhost:{port}"]
        if console is None:
            console = _bool_env("ENABLE_CONSOLE_EXPORTERS")
        _make_provider(list(exporters or []), endpoints, console, keep_spans, resource)
    _instrument(dialect, sensitive)


def _instrument(dialect: Dialect, sensitive: bool | None) -> None:
    """Register the tracing observer (once) and set how it names spans and tells errors."""
    from .tracing import TracingObserver  # needs opentelemetry-api, checked by the callers

    OBSERVABILITY_SETTINGS.dialect = dialect
    OBSERVABILITY_SETTINGS.sensitive_data = sensitive if sensitive is not None else _bool_env("ENABLE_SENSITIVE_DATA")
    OBSERVABILITY_SETTINGS.enabled = True
    if _setup.observer is None:
        _setup.observer = TracingObserver(get_tracer, OBSERVABILITY_SETTINGS)
        add_run_observer(_setup.observer)


def _make_provider(
    exporters: list[Any], endpoints: list[str], console: bool, keep_spans: int, resource: dict[str, Any]
) -> None:
    """A tracer provider sending spans to each exporter, made wfkit's (and, if none is set yet,
    OpenTelemetry's global one, so other libraries' spans join the same traces)."""
    from opentelemetry import trace
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import (
        BatchSpanProcessor,
        ConsoleSpanExporter,
        SimpleSpanProcessor,
        SpanExporter,
    )
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from .collector import RecentSpans

    span_exporters = [e for e in exporters if isinstance(e, SpanExporter)]
    others = [type(e).__name__ for e in exporters if not isinstance(e, SpanExporter)]
    if others:
        warnings.warn(
            f"wfkit sets up traces only, so these exporters are not used: {', '.join(others)}. Set up "
            "OpenTelemetry's log or metric providers yourself to use them.",
            RuntimeWarning,
            stacklevel=4,
        )
    span_exporters += [_otlp_exporter(endpoint) for endpoint in endpoints]
    if console:
        span_exporters.append(ConsoleSpanExporter())
    recent = RecentSpans(keep_spans) if keep_spans else None
    if recent is not None:
        span_exporters.append(recent)

    provider = TracerProvider(resource=Resource.create({"service.name": "wfkit", **resource}))
    for exporter in span_exporters:
        # Exporters inside this process get each span at once (a timeline drawn right after a
        # run is complete; console lines come in order); the others in batches, off the run's way.
        in_process = isinstance(exporter, (RecentSpans, InMemorySpanExporter, ConsoleSpanExporter))
        provider.add_span_processor(SimpleSpanProcessor(exporter) if in_process else BatchSpanProcessor(exporter))
    if _setup.provider is not None:
        _setup.provider.force_flush()  # what the earlier set-up still held goes out before it is replaced
    if isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider):  # nobody has set one yet
        trace.set_tracer_provider(provider)
    _setup.provider, _setup.recent = provider, recent


def _otlp_exporter(endpoint: str) -> Any:
    """An OTLP span exporter to `endpoint` (gRPC, else HTTP), or a clear error if none is installed."""
    try:
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
    except ImportError:
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter  # type: ignore[assignment]
        except ImportError:
            raise ObservabilityError(
                f"Spans were to go to the OTLP endpoint {endpoint!r} (otlp_endpoint=, OTLP_ENDPOINT, "
                "OTEL_EXPORTER_OTLP_ENDPOINT or vs_code_extension_port=), but no OTLP exporter is "
                "installed. Install one (pip install opentelemetry-exporter-otlp), or leave the "
                "endpoint out to keep spans in memory only."
            ) from None
    return OTLPSpanExporter(endpoint=endpoint)


def _as_list(value: str | list[str] | None) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def _bool_env(name: str) -> bool:
    return os.getenv(name, "").strip().lower() in ("1", "true", "yes", "on")


def _int_env(name: str) -> int | None:
    value = os.getenv(name, "").strip()
    return int(value) if value.isdigit() else None


@functools.cache
def _version() -> str:
    try:
        return importlib.metadata.version("wfkit")
    except importlib.metadata.PackageNotFoundError:  # run from a checkout that was not installed
        return "0"
