"""Fixtures for the tracing tests: real OpenTelemetry spans, kept in an in-memory exporter.

Each fixture turns tracing on the way a learner would, with one of the two eras' calls, hands
the test the exporter that received the spans, and turns tracing off afterwards, so no other
test is traced.
"""

from __future__ import annotations

from typing import Iterator

import pytest

pytest.importorskip("opentelemetry.sdk.trace", reason="needs the observability extra: pip install 'wfkit[observability]'")

from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter  # noqa: E402

from wfkit.observability import configure_otel_providers, disable_instrumentation, setup_observability  # noqa: E402


@pytest.fixture
def seed_spans() -> Iterator[InMemorySpanExporter]:
    """Tracing on with the previews' call, ``setup_observability``: spans named as they named them."""
    exporter = InMemorySpanExporter()
    setup_observability(exporters=[exporter])
    try:
        yield exporter
    finally:
        disable_instrumentation()


@pytest.fixture
def today_spans() -> Iterator[InMemorySpanExporter]:
    """Tracing on with AF 1.x's call, ``configure_otel_providers``: spans named as it names them."""
    exporter = InMemorySpanExporter()
    configure_otel_providers(exporters=[exporter])
    try:
        yield exporter
    finally:
        disable_instrumentation()
