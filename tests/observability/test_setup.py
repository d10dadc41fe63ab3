"""Turning tracing on and off: what each call sets up, where spans go, what is refused and why."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap

import pytest
from opentelemetry.sdk.metrics.export import ConsoleMetricExporter
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from tests.conftest import REPO, run
from tests.observability.workflows import two_steps
from wfkit import ObservabilityError
from wfkit.core.observers import run_observers
from wfkit.observability import (
    OBSERVABILITY_SETTINGS,
    clear_kept_spans,
    configure_otel_providers,
    disable_instrumentation,
    enable_instrumentation,
    get_tracer,
    kept_spans,
    setup_observability,
)


@pytest.fixture(autouse=True)
def tracing_off_afterwards():
    yield
    disable_instrumentation()


def names(spans) -> list[str]:
    return [span.name for span in spans]


def test_the_setup_calls_keep_the_latest_spans_in_memory_for_the_notebook():
    setup_observability()
    clear_kept_spans()
    run(two_steps().run("hello"))
    assert names(kept_spans()) == [
        "message.send",
        "executor.process",
        "workflow.superstep",
        "executor.process",
        "workflow.superstep",
        "workflow.run",
    ]


def test_only_the_latest_spans_are_kept():
    setup_observability(keep_spans=2)
    run(two_steps().run("hello"))
    assert names(kept_spans()) == ["workflow.superstep", "workflow.run"]


def test_keep_spans_0_keeps_none():
    setup_observability(keep_spans=0)
    run(two_steps().run("hello"))
    assert kept_spans() == []


def test_setting_up_again_replaces_where_spans_go():
    first, second = InMemorySpanExporter(), InMemorySpanExporter()
    setup_observability(exporters=[first])
    setup_observability(exporters=[second])
    run(two_steps().run("hello"))
    assert first.get_finished_spans() == ()
    assert len(second.get_finished_spans()) == 6
    assert len(run_observers()) == 1  # one observer, however often it is set up


def test_the_call_that_turned_tracing_on_chooses_the_names():
    exporter = InMemorySpanExporter()
    setup_observability(exporters=[exporter])
    assert (OBSERVABILITY_SETTINGS.enabled, OBSERVABILITY_SETTINGS.dialect.name) == (True, "seed")
    run(two_steps().run("hello"))
    configure_otel_providers(exporters=[exporter])
    assert OBSERVABILITY_SETTINGS.dialect.name == "today"
    run(two_steps().run("hello"))
    runs = [name for name in names(exporter.get_finished_spans()) if "workflow" in name and "superstep" not in name]
    assert runs == ["workflow.run", "invoke_workflow flow"]


def test_enable_instrumentation_traces_into_the_provider_already_set_with_todays_names():
    exporter = InMemorySpanExporter()
    setup_observability(exporters=[exporter])
    disable_instrumentation()
    assert not OBSERVABILITY_SETTINGS.enabled
    run(two_steps().run("hello"))
    assert exporter.get_finished_spans() == ()
    enable_instrumentation()
    run(two_steps().run("hello"))
    assert names(exporter.get_finished_spans())[-1] == "invoke_workflow flow"


def test_get_tracer_writes_where_the_runs_write():
    exporter = InMemorySpanExporter()
    configure_otel_providers(exporters=[exporter])
    with get_tracer().start_as_current_span("scenario") as scenario:
        run(two_steps().run("hello"))
    spans = exporter.get_finished_spans()
    assert names(spans)[-1] == "scenario"
    assert {span.context.trace_id for span in spans} == {scenario.get_span_context().trace_id}


def test_service_name_and_resource_attributes_describe_the_program_on_every_span():
    exporter = InMemorySpanExporter()
    configure_otel_providers(exporters=[exporter], service_name="lesson-8", resource_attributes={"course": "wfkit"})
    run(two_steps().run("hello"))
    resource = exporter.get_finished_spans()[0].resource.attributes
    assert (resource["service.name"], resource["course"]) == ("lesson-8", "wfkit")


def test_sensitive_data_can_be_turned_on_from_the_environment(monkeypatch):
    monkeypatch.setenv("ENABLE_SENSITIVE_DATA", "true")
    exporter = InMemorySpanExporter()
    configure_otel_providers(exporters=[exporter])
    with pytest.raises(Exception):
        run(two_steps().run("fail"))
    [call] = [s for s in exporter.get_finished_spans() if s.status.status_code is StatusCode.ERROR and "reverse" in s.name]
    assert call.status.description == "ValueError: cannot reverse 'FAIL'"


def test_an_exporter_of_logs_or_metrics_is_named_and_left_out():
    exporter = InMemorySpanExporter()
    with pytest.warns(RuntimeWarning, match="traces only.*ConsoleMetricExporter"):
        setup_observability(exporters=[exporter, ConsoleMetricExporter()])
    run(two_steps().run("hello"))
    assert len(exporter.get_finished_spans()) == 6


def test_azure_monitor_is_refused_with_the_way_to_do_it():
    with pytest.raises(ObservabilityError, match="azure-monitor-opentelemetry.*enable_instrumentation"):
        setup_observability(applicationinsights_connection_string="InstrumentationKey=0")
    assert not OBSERVABILITY_SETTINGS.enabled


@pytest.mark.skipif(
    importlib.util.find_spec("opentelemetry.exporter") is not None, reason="an OTLP exporter is installed here"
)
def test_an_otlp_endpoint_without_an_otlp_exporter_installed_says_what_to_install():
    with pytest.raises(ObservabilityError, match=r"http://localhost:4317.*pip install opentelemetry-exporter-otlp"):
        setup_observability(otlp_endpoint="http://localhost:4317")


def test_importing_sets_nothing_up_and_turns_nothing_on():
    # A fresh process: importing every package that tracing touches registers no observer and
    # sets no OpenTelemetry provider.
    code = textwrap.dedent(
        """
        import json
        import wfkit, wfkit.observability, wfkit.notebook, wfkit.widgets
        from opentelemetry import trace
        from wfkit.core.observers import run_observers
        print(json.dumps({
            "observers": len(run_observers()),
            "provider": type(trace.get_tracer_provider()).__name__,
            "enabled": wfkit.observability.OBSERVABILITY_SETTINGS.enabled,
        }))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "observers": 0,
        "provider": "ProxyTracerProvider",
        "enabled": False,
    }
