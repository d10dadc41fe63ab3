"""Without OpenTelemetry installed, every name still imports and runs, does nothing, and says so once.

Run in a fresh Python process in which OpenTelemetry cannot be imported (``sys.modules[name] =
None`` makes ``import name`` fail as if the package were not installed), so the rest of the
suite keeps its real OpenTelemetry.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

HIDDEN = """
import sys
sys.modules["opentelemetry"] = None  # from here on, `import opentelemetry...` fails: not installed
"""

USE_EVERYTHING = """
import asyncio, json, warnings
warnings.simplefilter("always")  # so a second warning would be seen, not swallowed by Python's filter
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import wfkit
    from wfkit.observability import (
        OBSERVABILITY_SETTINGS, configure_otel_providers, disable_instrumentation, enable_instrumentation,
        enable_sensitive_telemetry, get_logger, get_meter, get_tracer, kept_spans, setup_observability,
    )
    from wfkit.core.observers import run_observers
    from tests.observability.workflows import two_steps

    setup_observability()
    setup_observability(enable_sensitive_data=True)
    configure_otel_providers(service_name="x")
    enable_instrumentation()
    enable_sensitive_telemetry()
    with get_tracer().start_as_current_span("scenario") as span:
        span.set_attribute("lesson", 8)
        outputs = asyncio.run(two_steps().run("hello")).get_outputs()
    get_meter().create_counter("runs").add(1)
    get_logger().info("still fine")
    disable_instrumentation()
    timeline = wfkit.notebook.span_timeline()
print(json.dumps({
    "outputs": outputs,
    "warnings": [str(w.message) for w in caught],
    "observers": len(run_observers()),
    "enabled": OBSERVABILITY_SETTINGS.enabled,
    "kept": len(kept_spans()),
    "timeline": timeline.static_html(),
}))
"""


def run_python(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_opentelemetry_every_call_does_nothing_and_the_first_says_so_once():
    report = run_python(HIDDEN + USE_EVERYTHING)
    assert report["outputs"] == ["OLLEH"]  # the run itself is untouched
    [warning] = report["warnings"]
    assert "OpenTelemetry is not installed" in warning
    assert "pip install 'wfkit[observability]'" in warning
    assert (report["observers"], report["enabled"], report["kept"]) == (0, False, 0)
    assert "No spans to show" in report["timeline"]


def test_the_hiding_itself_works():
    # Without this, the test above could pass on a machine where the hiding failed silently.
    report = run_python(HIDDEN + "import json\ntry:\n    import opentelemetry.trace\n    print(json.dumps({'hidden': False}))\n"
                        "except ImportError:\n    print(json.dumps({'hidden': True}))\n")
    assert report == {"hidden": True}


def test_with_opentelemetry_the_same_code_records_spans_and_warns_nothing():
    report = run_python(USE_EVERYTHING.replace("disable_instrumentation()\n", "pass  # tracing stays on\n"))
    assert report["warnings"] == []
    assert report["enabled"] is True
    assert report["kept"] > 0
    assert "scenario" in report["timeline"]
